"""Time grading a whole class with one command, as an instructor would run it.

For a class of ``--students`` IDs (s001, s002, ...) and one chapter, in a scratch folder:
1. the instructor kit: each student's reference solution run on their twin, which gives
   their expected values (``instructor-kit``'s work; timed apart, done once a term);
2. a returned folder ``ID/NN-name.ipynb`` holding each student's reference solution as
   their submission (the whole chapter's code runs, as in a real submission);
3. ``grade FOLDER --class-list FILE`` (:func:`icaria.coursework.grade_class`), every
   submission in the bubblewrap sandbox, ``--jobs`` at once (default: the cores).

It prints, for each step, the wall time, the CPU time (this process and every process
it waited for: workers, sandboxes, kernels) and the load average (1-minute, sampled every
10 s while the step ran: the machine is shared), and each submission's wall and CPU
seconds (shortest, median, longest), then exits non-zero unless every row has full marks.

Usage: ``python scripts/time_class_grading.py [--students 30] [--chapter NAME] [--jobs N]
[--extrapolate 30 --extrapolate 200]``

With ``--extrapolate N``, it also prints what a class of N would take at the measured
seconds a student (both steps scale with the class at a fixed number of jobs: each
submission is one sandboxed notebook), labelled as extrapolated from the measured class.

Measured (2026-12-07, chapter 5, 2 jobs on 2 cores shared with other work, nice 10):
a class of 30, every twin made afresh. Instructor kit: 412 s wall, 184 s CPU (a
student: CPU 5.5 / 6.0 / 8.7 s, wall 14.9 / 27.7 / 48.9 s, shortest / median /
longest), load average 8.6-17.1 (mean 12.2). Grading: 388 s wall, 181 s CPU (a
submission: CPU 5.3 / 5.9 / 8.4 s, wall 14.4 / 25.4 / 33.7 s), load average 7.7-13.2
(mean 9.5); 30/30 full marks. A class of 200 was not measured (about 90 min at that
load); extrapolated: kit 46 min, grading 43 min. A quiet machine was not measured.

Where a submission's CPU goes (chapter 5, inside the sandbox): starting the runner and
the kernel 1.2 s, the chapter's set-up cell (imports, the twin) 1.7 s, the rest of the
chapter 4 s, the grader's own side 0.25 s. Two wastes were cut: the runner imported
``rfc3987_syntax`` through jsonschema (1.6 s, a grammar built at import) and the grader
scanned every process of the machine 20 times a second to count the sandbox's (about
1.6 s a submission); together 10.3 -> 7.1 s CPU a submission at the same load.
"""

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from icaria import coursework, sandbox

TIMES = {"file": None}   # where each worker appends (wall, CPU) of a task: set before the workers fork
SANDBOX_CPU = []         # in a worker: the CPU seconds inside each sandbox it ran


def cpu_seconds():
    """CPU seconds of this process and of every process it has waited for."""
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))


def counted_run(*args, **kwargs):
    """``sandbox.run`` that keeps the CPU seconds the runner reports from inside (the
    sandbox's own PID namespace is not counted among this process's children)."""
    result = sandbox.untimed_run(*args, **kwargs)
    SANDBOX_CPU.append(result.get("cpu", 0.0))
    return result


class Timed:
    """A task function (``module.name``, looked up when called: picklable by name) that
    also appends its wall seconds and CPU seconds (its own, its children's and its
    sandboxes') to the file ``TIMES['file']``, one JSON line a call. Workers fork from
    this process (Linux), so they see the same ``TIMES`` and module attributes."""

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __call__(self, task):
        import importlib

        wall, cpu, inside = time.monotonic(), cpu_seconds(), len(SANDBOX_CPU)
        result = getattr(importlib.import_module(self.module), self.name)(task)
        sandboxed = sum(SANDBOX_CPU[inside:])
        with open(TIMES["file"], "a", encoding="utf-8") as handle:
            handle.write(json.dumps([time.monotonic() - wall, cpu_seconds() - cpu + sandboxed, sandboxed]) + "\n")
        return result


def kit_for(task):
    """Expected values (and the reference solution) of one student; returns its path."""
    chapter, student, kit = task
    coursework.reference_values(chapter, student, kit)
    return kit / student / "solutions" / f"{chapter}.ipynb"


class Step:
    """Wall and CPU seconds of a step, the load average sampled while it runs, and the
    per-task times the workers wrote."""

    def __init__(self, name, folder):
        self.name, self.file = name, Path(folder) / f"{name}-times.jsonl"

    def __enter__(self):
        TIMES["file"] = str(self.file)
        self.loads, self.done = [os.getloadavg()[0]], threading.Event()
        self.sampler = threading.Thread(target=self.sample, daemon=True)
        self.sampler.start()
        self.wall, self.cpu = time.monotonic(), cpu_seconds()
        return self

    def sample(self):
        while not self.done.wait(10):
            self.loads.append(os.getloadavg()[0])

    def __exit__(self, *_):
        self.wall, self.cpu = time.monotonic() - self.wall, cpu_seconds() - self.cpu
        self.done.set()
        self.loads.append(os.getloadavg()[0])

    def line(self, count, each):
        """The step's summary line (``count`` tasks, each a ``each``); the CPU inside the
        sandboxes is added to what this process counted."""
        tasks = [json.loads(line) for line in self.file.read_text().splitlines()] if self.file.is_file() else []
        self.cpu += sum(task[2] for task in tasks)
        spread = ""
        if tasks:
            walls, cpus = sorted(t[0] for t in tasks), sorted(t[1] for t in tasks)
            spread = (f"; a {each}: wall {walls[0]:.1f} / {statistics.median(walls):.1f} / {walls[-1]:.1f} s, "
                      f"CPU {cpus[0]:.1f} / {statistics.median(cpus):.1f} / {cpus[-1]:.1f} s "
                      "(shortest / median / longest)")
        return (f"{self.name}: {self.wall:.0f} s wall ({self.wall / count:.1f} s a {each}), {self.cpu:.0f} s CPU "
                f"({self.cpu / count:.1f} s a {each}), load average {min(self.loads):.1f}-{max(self.loads):.1f} "
                f"(mean {statistics.mean(self.loads):.1f}){spread}")


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
        with Step("instructor kit", scratch) as kit_step, ProcessPoolExecutor(max_workers=args.jobs) as pool:
            tasks = [(args.chapter, student, kit) for student in students]
            solutions = list(pool.map(Timed(__name__, "kit_for"), tasks))
        for student, solution in zip(students, solutions):
            (returned / student).mkdir(parents=True)
            shutil.copy(solution, returned / student / f"{args.chapter}.ipynb")
        roster = scratch / "class.txt"
        roster.write_text("\n".join(students) + "\n")
        coursework.untimed_grade_row, sandbox.untimed_run = coursework.grade_row, sandbox.run
        coursework.grade_row = Timed(coursework.__name__, "untimed_grade_row")   # each submission's times
        sandbox.run = counted_run
        try:
            with Step("grading", scratch) as grade_step:
                rows = coursework.grade_class(returned, roster, kit, out, [args.chapter], args.jobs)
        finally:
            coursework.grade_row, sandbox.run = coursework.untimed_grade_row, sandbox.untimed_run
        with open(out / "gradebook.csv", newline="") as handle:
            written = list(csv.DictReader(handle))
        full = sum(row["score"] == row["possible"] and not row["notes"] for row in rows)
        print(f"class of {len(students)}, chapter {args.chapter}, {args.jobs} job(s), {os.cpu_count()} core(s)")
        print(kit_step.line(len(students), "student") + " (reference solutions, expected values)")
        print(grade_step.line(len(students), "submission") + f" (one command, sandboxed); {full}/{len(rows)} rows "
              f"with full marks, {len(written)} rows in gradebook.csv")
    for size in args.extrapolate:
        kit_each, grade_each = kit_step.wall / len(students), grade_step.wall / len(students)
        print(f"class of {size}, extrapolated from the {len(students)} measured: instructor kit "
              f"{kit_each * size / 60:.0f} min, grading {grade_each * size / 60:.0f} min ({args.jobs} job(s), "
              f"the same load)")
    return 0 if full == len(rows) == len(written) else 1


if __name__ == "__main__":
    sys.exit(main())
