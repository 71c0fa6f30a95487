"""Every assignment graded for several students: the reference solution on each
student's twin must get full marks, the blank notebook zero, the book's own answers
typed into a student's notebook must lose marks wherever that student's twin gives
other answers (chapters whose exercises do not use the twin give everyone the same
answers: they are listed as such), and no expected value may be printed in the
student's notebook. Column "printed" names the answers whose value a student's notebook
shows at its printed precision; a chapter fails when an answer is printed for every
student (the chapter shows that quantity), while a hit for one student only is a
coincidence with another number of the chapter (with hundreds of numbers printed to 3
decimals, some collide). A comment line per chapter names the answers printed for
every student and those that are the same for every student.

Usage: ``python scripts/grade_matrix.py [--student ID ...] [--chapter NAME ...]``
(default: students alice, bob and carol; every chapter with an assignment). It works in
a scratch folder and exits non-zero when a row fails. About a minute per chapter and
student on two cores.

``--fast`` (with ``--random N`` random IDs and ``--awkward`` for the twenty awkward IDs
of ``coursework.AWKWARD_IDS``) is the path for many IDs: per student, one worker
process makes the twin once and executes every chapter's reference notebook in-process
(every cell of the student's copy, plus the solutions; no kernel, no sandbox), then
grades in the grader's own code (``coursework.scored``): the reference's answers must
score full marks (a NaN, a wrong kind or a missing value would not) and a blank
notebook zero. It prints one line a chapter (IDs built, full marks, zero for blank,
CPU seconds) and the IDs that failed; ``--jobs`` workers (default: the cores). The IDs
run in this order: ``--student`` ones, the awkward ones, then random IDs ``--start``
to N-1 of one seeded list (so a run can be split into ranges). ``--save FILE`` appends
each ID's rows to FILE as it finishes; a later run with the same FILE skips the IDs
already there and tallies them with the new ones (a cut-short run resumes);
``--tally-only`` prints the table of what FILE holds and runs nobody.

Speed (one worker, 16 chapters): each file of a student's twin is read and checked
once per student, and two functions of the published design alone
(``design.boundaries``, ``regimens.dosing_schedule``) once per set of arguments
(:func:`speed_up_worker`); every cell still runs and every value is computed as before.
What is left is the chapters' own work on each twin (chapter 13's twenty informative-
censoring replicates alone take 7 s). Rendering is not the cost: drawing every figure
and live-figure view takes about 1 s an ID (Agg), so figures are still drawn.
CPU an ID, measured with one worker under load 8-10 on two shared cores: 40.9, 44.4 and 46.2 s
before; after, 39.1 s for the first ID of a worker (its caches cold), then 30.1 and 29.7 s.

Run of 2026-12-07/08 (``--random 200 --awkward --jobs 1 --save``, nice 15, 22:59-00:12
with a 16-min pause): 56 IDs x 16 chapters, the 20 awkward IDs and random IDs 0-35;
every one builds, the reference gets full marks and the blank zero; 22 / 26 / 36 CPU s
an ID (shortest / median / longest). Random IDs 36-199 were not run: the same command
with the same ``--save`` file resumes there.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

import nbformat

from icaria import coursework


def grade_row(chapter, student, book, folders):
    """(reference, blank, book's answers) scores of ``student``, whether the twin's answers
    differ from the book's, the answers the student's notebook prints, and whether the
    row holds; also the student's expected values."""
    kit, out = folders
    expected = coursework.reference_values(chapter, student, kit)
    graded = {}
    submissions = {"reference": kit / coursework.folder_name(student) / "solutions" / f"{chapter}.ipynb",
                   "blank": coursework.student_notebook(chapter, student, out, run=False),
                   "book's answers": coursework.copied_notebook(chapter, student, book, out)}
    for kind, path in submissions.items():
        score, possible, _ = coursework.grade(path, student, kit)
        graded[kind] = (score, possible)
    differs = any(expected[name]["value"] != book[name]["value"] for name in expected)
    printed = coursework.printed_answers(nbformat.read(submissions["reference"], as_version=4), expected)
    holds = (graded["reference"][0] == graded["reference"][1] and graded["blank"][0] == 0
             and (not differs or graded["book's answers"][0] < graded["book's answers"][1]))
    return graded, differs, printed, holds, expected


def memoised(function, copy):
    """``function`` answering a call it has answered before with a ``copy`` of that answer
    (the key: the pickled arguments; arguments that do not pickle, and calls that raise,
    go to ``function`` every time). The cache is the attribute ``cache``."""
    import functools
    import pickle

    cache = {}

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            key = pickle.dumps((args, sorted(kwargs.items())), protocol=4)
        except Exception:   # an argument that does not pickle: no cache
            return function(*args, **kwargs)
        if key not in cache:
            cache[key] = function(*args, **kwargs)
        return copy(cache[key])

    wrapper.cache = cache
    return wrapper


def loaded_once(load):
    """``data.load`` that reads, fingerprints and checks each file once in this process:
    a later load of the same file (the same path and bytes, and the same bytes of the
    adsl.csv beside it that the checks compare with) returns a copy of the checked table
    and prints the same notice. A file that fails loads afresh each time (nothing cached)."""
    import functools
    import hashlib
    import sys

    from icaria import data

    tables = {}

    def content(path):
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None

    @functools.wraps(load)
    def cached_load(name, cut="primary", data_dir=None):
        try:
            path = data.data_path(name, cut, data_dir)
            key = (name, cut, data_dir is None, str(path), content(path), content(path.with_name("adsl.csv")))
        except Exception:   # a bad argument or an unreadable file: the loader's own message
            return load(name, cut, data_dir)
        if key not in tables:
            tables[key] = load(name, cut, data_dir)
            return tables[key].copy(deep=True)
        table = tables[key].copy(deep=True)
        if table.attrs.get("notice"):
            print(table.attrs["notice"], file=sys.stderr, flush=True)
        return table

    cached_load.cache = tables
    return cached_load


def speed_up_worker():
    """What the fast path caches in its worker process, none of which changes a value or
    skips a cell: ``data.load`` checks each file of a student's twin once (not at each of
    the 64 loads of the 16 chapters: a quarter of the CPU an ID took); two functions of
    the published design alone answer the same arguments once, for every ID:
    ``design.boundaries`` (deterministic: SciPy's quasi-Monte Carlo with a fixed seed;
    most looks are the published ones) and ``regimens.dosing_schedule`` (chapter 1's
    answers call it once a patient). Idempotent; :func:`fast_student` empties the loads'
    cache at each student."""
    import copy

    from icaria import data, design, regimens

    if not hasattr(data.load, "cache"):
        data.load = loaded_once(data.load)
    for module, name in ((design, "boundaries"), (regimens, "dosing_schedule")):
        if not hasattr(getattr(module, name), "cache"):
            setattr(module, name, memoised(getattr(module, name), copy.deepcopy))
    return data.load.cache


def fast_student(task):
    """One student's rows on the fast path: {chapter: (built, full marks, blank zero,
    seconds, error text)}; seconds are the worker's CPU seconds."""
    import time

    from check_mistakes import run_chapter

    student, chapters = task
    speed_up_worker().clear()   # a student's files are checked once for that student
    coursework.use_student_twin(student)
    rows = {}
    for chapter in chapters:
        started = time.process_time()
        answers = coursework.spec(chapter)
        try:
            namespace = run_chapter(chapter, student)
            values = {a["name"]: coursework.plain(eval(a["reference"], namespace)) for a in answers}
        except Exception as error:   # a cell that raises: this ID does not build
            rows[chapter] = (False, False, False, time.process_time() - started, f"{type(error).__name__}: {error}")
            continue
        expected = {a["name"]: {"kind": a["kind"], "value": values[a["name"]], "tolerance": a["tolerance"],
                                "log_tolerance": a["log_tolerance"]} for a in answers}
        score, possible, _ = coursework.scored(answers, values, expected)
        blank, _, _ = coursework.scored(answers, {}, expected)
        rows[chapter] = (True, score == possible, blank == 0, time.process_time() - started, "")
    return student, rows


def saved_rows(path):
    """{student: rows} of a ``--save`` file (JSON lines), the IDs that finished."""
    done = {}
    if path and Path(path).is_file():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                done[entry["student"]] = {chapter: tuple(row) for chapter, row in entry["rows"].items()}
    return done


def fast(students, chapters, jobs, save=None, tally_only=False):
    """The fast path: every chapter for every student, in ``jobs`` worker processes. With
    ``save``, each student's rows are appended to that file as they finish, and students
    already in it (with every chapter asked for) are not run again: the table covers them.
    ``tally_only``: run nobody, print the table of the students already saved."""
    import os
    import time
    from concurrent.futures import ProcessPoolExecutor

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import grade_matrix as this  # workers find the task by module name

    started = time.monotonic()
    done = {student: rows for student, rows in saved_rows(save).items() if set(chapters) <= set(rows)}
    results = [(student, done[student]) for student in students if student in done]
    if results:
        print(f"<!-- {len(results)} ID(s) already in {save}: not run again -->", flush=True)
    todo = [] if tally_only else [student for student in students if student not in done]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for student, rows in pool.map(this.fast_student, [(student, chapters) for student in todo]):
            results.append((student, rows))   # one line a student as they finish (a cut-short run still counts)
            if save:
                with open(save, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps({"student": student, "rows": rows}, ensure_ascii=False) + "\n")
            good = sum(all(row[:3]) for row in rows.values())
            print(f"<!-- {student!r}: {good}/{len(rows)} chapters build, full marks, blank zero; "
                  f"{sum(row[3] for row in rows.values()):.0f} CPU s -->", flush=True)
    failed = 0
    print("| chapter | IDs built | reference full marks | blank zero | CPU seconds an ID (mean) |")
    print("|---|---|---|---|---|")
    for chapter in chapters:
        rows = [rows[chapter] for _, rows in results]
        built, full, zero = (sum(row[i] for row in rows) for i in range(3))
        failed += len(rows) - min(built, full, zero)
        print(f"| {chapter} | {built}/{len(rows)} | {full}/{len(rows)} | {zero}/{len(rows)} | "
              f"{sum(row[3] for row in rows) / max(1, len(rows)):.1f} |")
    for student, rows in results:
        for chapter in chapters:
            if not all(rows[chapter][:3]):
                reason = rows[chapter][4] or "reference not full marks or blank not zero"
                print(f"failed: {student!r} {chapter}: {reason}")
    seconds = time.monotonic() - started
    print(f"{len(results)} IDs x {len(chapters)} chapters ({len(todo)} run now, in {seconds:.0f} s wall, "
          f"{jobs} job(s)); "
          + (f"{failed} failed." if failed else "every ID builds, full marks, blank zero."))
    return 1 if failed else 0


def main(argv=None):
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="append", default=[])
    parser.add_argument("--chapter", action="append", default=[])
    parser.add_argument("--fast", action="store_true", help="in-process, many IDs (see above)")
    parser.add_argument("--random", type=int, default=0, help="with --fast: this many random IDs")
    parser.add_argument("--awkward", action="store_true", help="with --fast: the twenty awkward IDs")
    parser.add_argument("--start", type=int, default=0,
                        help="with --random N: begin at this random ID (0-based; the IDs are the same seeded list)")
    parser.add_argument("--save", help="with --fast: append each ID's rows to this JSON-lines file; IDs already "
                                       "in it are not run again (resume a cut-short run)")
    parser.add_argument("--tally-only", action="store_true",
                        help="with --save: run nobody; the table of the IDs the file already holds")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    if args.fast:
        from check_mistakes import random_ids

        students = [coursework.student_id(s) for s in args.student] \
            + (list(coursework.AWKWARD_IDS) if args.awkward else []) + random_ids(args.random, seed=5)[args.start:]
        return fast(students or ["alice"], args.chapter or coursework.chapters(), max(1, args.jobs), args.save,
                    args.tally_only)
    students = args.student or ["alice", "bob", "carol"]
    failed = 0
    print("| chapter | student | reference | blank | book's answers | twin's answers differ | printed | holds |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        folders = (Path(scratch) / "kit", Path(scratch) / "assignments")
        for chapter in args.chapter or coursework.chapters():
            try:
                book = coursework.reference_values(chapter, None, folders[0])
            except Exception as error:   # a chapter that breaks: reported, the others still run
                print(f"| {chapter} | (the book) | error: {type(error).__name__}: {error} |||||", flush=True)
                failed += 1
                continue
            values, printed_by_student = [], []
            for student in students:
                try:
                    graded, differs, printed, holds, expected = grade_row(chapter, student, book, folders)
                except Exception as error:   # a chapter that breaks: reported, the others still run
                    print(f"| {chapter} | {student} | error: {type(error).__name__}: {error} |||||", flush=True)
                    failed += 1
                    continue
                failed += not holds
                values.append({name: answer["value"] for name, answer in expected.items()})
                printed_by_student.append(set(printed))
                scores = " | ".join(f"{score:g}/{possible:g}" for score, possible in graded.values())
                print(f"| {chapter} | {student} | {scores} | {'yes' if differs else 'no'} | "
                      f"{', '.join(printed) or 'none'} | {'yes' if holds else 'NO'} |", flush=True)
            same = [name for name in book if len(values) > 1 and len({repr(v[name]) for v in values}) == 1]
            shown = set.intersection(*printed_by_student) if len(printed_by_student) > 1 else set()
            failed += bool(shown)
            print(f"<!-- {chapter}: printed for every student: {', '.join(sorted(shown)) or 'none'}; "
                  f"the same for every student: {', '.join(same) or 'none'} -->", flush=True)
            print(f"<!-- {chapter} book's answers: {json.dumps({k: v['value'] for k, v in book.items()})} -->",
                  file=sys.stderr)
    print(f"{failed} row(s) failed." if failed else "Every row holds.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
