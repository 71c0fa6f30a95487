"""How far students' twins differ: the spread of the log PFS hazard ratio over student
IDs, beside the standard error one trial's Cox model gives it.

The generator draws each twin with balanced uniforms (``icaria/twin/outcomes.py``),
which keep every twin near the published summaries: two students' twins differ far
less than two repeats of the trial would. This script measures by how much, for the
instructor guide and for choosing the grader's tolerances (``log_tolerance`` in
``instructor/assignments/``): the share of IDs on which the book's own hazard ratio
falls within a tolerance of the student's.

Usage: ``python scripts/student_spread.py [--students N] [--log-tolerance T]``
(default ten IDs s001..s010, tolerance 0.01). A few seconds per ID.
"""

import argparse
import contextlib
import io
import sys
import tempfile

import numpy as np

from icaria import data, paths
from icaria import survival as sv
from icaria import twin as twins

# The hazard ratios measured: (label, endpoint, stratified), Efron's ties (lifelines).
RATIOS = (("PFS, stratified", "PFS", True), ("PFS by investigator, unstratified", "PFSINV", False))


def log_ratios(data_dir):
    """(log HR, model SE of the log HR) of each of RATIOS in the twin at ``data_dir``."""
    with contextlib.redirect_stderr(io.StringIO()):   # the notice that the data are not the book's
        adtte = data.load("adtte", cut="primary", data_dir=data_dir)
    fits = {}
    for label, code, stratified in RATIOS:
        hr, low, high, _ = sv.cox_hr_ci(sv.endpoint(adtte, code), stratified=stratified)
        fits[label] = (np.log(hr), (np.log(high) - np.log(low)) / (2 * sv.Z95))
    return fits


def spread(students, log_tolerance):
    """Per ratio: SD of the log HR over ``students``, the mean model SE, and the share of
    students whose HR is within ``log_tolerance`` (log scale) of the book's."""
    book = log_ratios(paths.REPO_ROOT / "data")
    fits = []
    with tempfile.TemporaryDirectory() as scratch:
        for student in students:
            folder = f"{scratch}/{student}"
            twins.write_files(twins.student_twin(student), folder)
            fits.append(log_ratios(folder))
    rows = {}
    for label, _, _ in RATIOS:
        logs = np.array([fit[label][0] for fit in fits])
        rows[label] = {"sd_log_hr": float(logs.std(ddof=1)),
                       "model_se": float(np.mean([fit[label][1] for fit in fits])),
                       "book_passes": float(np.mean(np.abs(logs - book[label][0]) <= log_tolerance))}
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--log-tolerance", type=float, default=0.01)
    args = parser.parse_args(argv)
    students = [f"s{number:03d}" for number in range(1, args.students + 1)]
    print(f"| hazard ratio | SD of log HR over {len(students)} IDs | model SE of log HR | "
          f"share of IDs the book's HR passes (±{args.log_tolerance:g} on log) |")
    print("|---|---|---|---|")
    for label, row in spread(students, args.log_tolerance).items():
        print(f"| {label} | {row['sd_log_hr']:.3f} | {row['model_se']:.3f} | {row['book_passes']:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
