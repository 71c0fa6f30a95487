"""How far students' twins differ: the spread of the log PFS hazard ratio over student
IDs, beside the standard error one trial's Cox model gives it.

The generator draws each twin with balanced uniforms (``icaria/twin/outcomes.py``),
which keep every twin near the published summaries: two students' twins differ far
less than two repeats of the trial would. This script measures by how much, for the
instructor guide and for choosing the grader's tolerances (``log_tolerance`` in
``instructor/assignments/``): the share of IDs on which the book's own hazard ratio
falls within a tolerance of the student's.

Usage: ``python scripts/student_spread.py [--students N] [--log-tolerance T]``
(default ten IDs s001..s010, tolerance 0.01). A few seconds per ID; the book's own
hazard ratios are those of its twin (the same seeds as ``data/``).
"""

import argparse
import sys

import numpy as np

from icaria import published
from icaria import survival as sv
from icaria import twin as twins
from icaria.landmark import landmark_groups, responder_hazard_ratio, response_months_from
from icaria.twin import adam

LATER_CUT = "2019-04-11"   # chapter 5's later cutoff


def fits(twin):
    """(HR, low, high) of each hazard ratio measured (Efron's ties, lifelines): PFS
    stratified (the primary analysis), PFS by investigator unstratified, and two that
    assignments grade: PFS stratified on chapter 5's later cut and chapter 9's 6-month
    landmark HR of responders' deaths."""
    primary = adam.endpoints_at(twin, published.PRIMARY_CUTOFF, ("PFS", "PFSINV", "OS", "TTR"))
    later = adam.endpoints_at(twin, LATER_CUT, ("PFS",))
    landmark = landmark_groups(sv.endpoint(primary, "OS"), response_months_from(primary), 6)
    return {
        "PFS, stratified": sv.cox_hr_ci(sv.endpoint(primary, "PFS"))[:3],
        "PFS by investigator, unstratified": sv.cox_hr_ci(sv.endpoint(primary, "PFSINV"), stratified=False)[:3],
        f"PFS cut {LATER_CUT}, stratified": sv.cox_hr_ci(sv.endpoint(later, "PFS"))[:3],
        "death, responders vs not, landmark 6 months": responder_hazard_ratio(landmark),
    }


def spread(students, log_tolerance):
    """Per hazard ratio: SD of its log over ``students``, the mean model SE of the log,
    and the share of students whose HR is within ``log_tolerance`` (log scale) of the book's."""
    book = fits(twins.generate())
    per_student = [fits(twins.student_twin(student)) for student in students]
    rows = {}
    for label, (book_hr, _, _) in book.items():
        logs = np.log([fit[label][0] for fit in per_student])
        errors = [(np.log(high) - np.log(low)) / (2 * sv.Z95) for _, low, high in
                  (fit[label] for fit in per_student)]
        rows[label] = {"sd_log_hr": float(logs.std(ddof=1)), "model_se": float(np.mean(errors)),
                       "book_passes": float(np.mean(np.abs(logs - np.log(book_hr)) <= log_tolerance))}
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
