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
    submissions = {"reference": kit / student / "solutions" / f"{chapter}.ipynb",
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="append", default=[])
    parser.add_argument("--chapter", action="append", default=[])
    args = parser.parse_args(argv)
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
