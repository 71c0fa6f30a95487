"""Time grading a whole class with one command, as an instructor would run it.

For a class of ``--students`` IDs (s001, s002, ...) and one chapter, in a scratch folder:
1. the instructor kit: each student's reference solution run on their twin, which gives
   their expected values (``instructor-kit``'s work; timed apart, done once a term);
2. a returned folder ``ID/NN-name.ipynb`` holding each student's reference solution as
   their submission (the whole chapter's code runs, as in a real submission);
3. ``grade FOLDER --class-list FILE`` (:func:`icaria.coursework.grade_class`), every
   submission in the bubblewrap sandbox, ``--jobs`` at once (default: the cores).

It prints the times and exits non-zero unless every row has full marks.

Usage: ``python scripts/time_class_grading.py [--students 30] [--chapter NAME] [--jobs N]
[--extrapolate 30 --extrapolate 200]``

With ``--extrapolate N``, it also prints what a class of N would take at the measured
seconds a student (both steps scale with the class at a fixed number of jobs: each
submission is one sandboxed notebook), labelled as extrapolated from the measured class.
"""

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from icaria import coursework


def kit_for(task):
    """Expected values (and the reference solution) of one student; returns its path."""
    chapter, student, kit = task
    coursework.reference_values(chapter, student, kit)
    return kit / student / "solutions" / f"{chapter}.ipynb"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--chapter", default="05-endpoints-and-censoring")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--extrapolate", type=int, action="append", default=[],
                        help="also print the time a class of this size would take (repeat for more)")
    args = parser.parse_args(argv)
    students = [f"s{number:03d}" for number in range(1, args.students + 1)]
    with tempfile.TemporaryDirectory(prefix="class-timing-") as scratch:
        scratch = Path(scratch)
        kit, returned, out = scratch / "kit", scratch / "returned", scratch / "grades"
        started = time.monotonic()
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            solutions = list(pool.map(kit_for, [(args.chapter, student, kit) for student in students]))
        kit_seconds = time.monotonic() - started
        for student, solution in zip(students, solutions):
            (returned / student).mkdir(parents=True)
            shutil.copy(solution, returned / student / f"{args.chapter}.ipynb")
        roster = scratch / "class.txt"
        roster.write_text("\n".join(students) + "\n")
        started = time.monotonic()
        rows = coursework.grade_class(returned, roster, kit, out, [args.chapter], args.jobs)
        grade_seconds = time.monotonic() - started
        with open(out / "gradebook.csv", newline="") as handle:
            written = list(csv.DictReader(handle))
    full = sum(row["score"] == row["possible"] and not row["notes"] for row in rows)
    load = os.getloadavg()[0]
    print(f"class of {len(students)}, chapter {args.chapter}, {args.jobs} job(s), {os.cpu_count()} core(s), "
          f"load average {load:.1f}")
    print(f"instructor kit (reference solutions, expected values): {kit_seconds:.0f} s "
          f"({kit_seconds / len(students):.1f} s a student)")
    print(f"grading (one command, sandboxed): {grade_seconds:.0f} s ({grade_seconds / len(students):.1f} s a "
          f"submission); {full}/{len(rows)} rows with full marks, {len(written)} rows in gradebook.csv")
    for size in args.extrapolate:
        kit_each, grade_each = kit_seconds / len(students), grade_seconds / len(students)
        print(f"class of {size}, extrapolated from the {len(students)} measured: instructor kit "
              f"{kit_each * size / 60:.0f} min, grading {grade_each * size / 60:.0f} min ({args.jobs} job(s), "
              f"the same load)")
    return 0 if full == len(rows) == len(written) else 1


if __name__ == "__main__":
    sys.exit(main())
