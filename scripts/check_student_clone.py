"""Can a student read or compute their expected values from what they can reach?

1. Exports the public repository (``scripts/export_public.py``) and ``git clone``s it, as
   a student's hub link, Colab cell or laptop would, into a temporary folder; fails if
   a private path, a spec's ``reference`` expression or an expected-values file is in
   the clone (files or history), or if the kit runs there (it must refuse in one line).
2. For every chapter with an assignment and each student ID (default: 3), runs the
   book's own chapter text WITH its solutions (what the website shows, and what a
   student with the clone can run) on that student's twin, from the clone's package,
   and lists the student's expected values that the run prints at a precision the
   grader accepts (:func:`icaria.coursework.printed_answers`). It also lists graded
   answers that are the same for every ID, and values the book's own notebooks print.

One run per chapter and student gives both the printed text and the expected values:
each graded exercise's ``reference`` expressions are evaluated in a cell after its
solution (a cell the shown text leaves out, as the grader's answer cells).

Usage: ``python scripts/check_student_clone.py [--student ID ...] [--chapter NN-name ...]``
(about a minute a chapter and student). Exit 1 when anything is found.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))
sys.path.insert(0, str(REPO_ROOT))

import export_public  # noqa: E402

from icaria import coursework  # noqa: E402

STUDENTS = ("s001", "Zoe-2026", "q_7")
GRADED_CELL = "# Graded answer to {label}: the grader's reference, evaluated after the solution\n"


def clone_public(folder):
    """Export the public repository and clone it into ``folder``/clone; the clone's path."""
    exported = export_public.export(Path(folder) / "public")
    clone = Path(folder) / "clone"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", exported.as_uri(), str(clone)], check=True)
    return clone


def leaks_in_clone(clone):
    """What the clone holds that it must not: private paths (in any commit), spec
    reference expressions, expected-values files; and whether the kit runs there."""
    found = []
    listed = subprocess.run(["git", "log", "--all", "--name-only", "--format="], cwd=clone, capture_output=True,
                            text=True, check=True).stdout.split()
    found += [f"private path in the clone's history: {path}" for path in sorted(set(listed))
              if export_public.is_private(path)]
    found += [f"expected-values file: {path}" for path in listed if re.search(r"(^|/)expected/[^/]+\.json$", path)]
    references = {answer["reference"] for chapter in coursework.chapters() for answer in coursework.spec(chapter)}
    for path in clone.rglob("*"):
        if path.is_file() and ".git" not in path.parts and path.parent.name != "notebooks":   # solutions: run below
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"reference expression in {path.relative_to(clone)}: {reference[:60]}"
                      for reference in references if reference in text]
    kit = subprocess.run([sys.executable, "-m", "icaria.coursework", "instructor-kit", "--student", "s001"],
                         cwd=clone, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(clone)})
    lines = kit.stderr.strip().splitlines()
    if kit.returncode == 0 or len(lines) != 1 or "instructor kit is not part of this copy" not in lines[0]:
        found.append(f"the kit did not refuse in one line in the clone: {kit.returncode}, {kit.stderr[-300:]!r}")
    return found


def book_text_with_references(chapter, student):
    """The chapter's own MyST text, solutions kept, on ``student``'s twin, with a cell of
    the graded references after each graded exercise's solution and a last cell printing them."""
    text = (coursework.NOTEBOOKS / f"{chapter}.md").read_text(encoding="utf-8")
    graded = {}
    for answer in coursework.spec(chapter):
        graded.setdefault(answer["exercise"], []).append(answer)
    for label, answers in graded.items():
        cell = ("```{code-cell} ipython3\n" + GRADED_CELL.format(label=label)
                + "".join(f"{a['name']} = {a['reference']}\n" for a in answers) + "```\n")
        block = re.search(r"```\{solution-start\} " + re.escape(label) + r"\n.*?```\{solution-end\}\n```\n", text, re.S)
        if block is None:
            block = next(m for m in coursework.EXERCISE.finditer(text) if m.group(2) == label)
        text = text[:block.end()] + "\n" + cell + text[block.end():]
    names = ", ".join(f"{a['name']!r}: plain({a['name']})" for answers in graded.values() for a in answers)
    text += ("\n```{code-cell} ipython3\n" + GRADED_CELL.format(label="ex-all")
             + f"import json\nfrom icaria.coursework import plain\n\nprint({coursework.EXPECTED_MARK!r} + "
             f"json.dumps({{{names}}}))\n```\n")
    setup = coursework.SETUP_CELL.format(student=repr(student))
    first_cell_end = text.index("```\n", text.index("```{code-cell}") + 3) + 4
    return text[:first_cell_end] + "\n" + setup + text[first_cell_end:]


def run_book(chapter, student, folder):
    """(expected values, executed notebook) of ``chapter``'s book text with solutions on
    ``student``'s twin."""
    import jupytext

    book = jupytext.reads(book_text_with_references(chapter, student), fmt="md:myst")
    book.metadata.pop("jupytext", None)
    book.metadata["icaria"] = {"chapter": chapter, "student": student}
    coursework.execute(book, Path(folder) / coursework.folder_name(student) / chapter)
    printed = "".join(output.get("text", "") for output in book.cells[-1].outputs)
    values = json.loads(printed.split(coursework.EXPECTED_MARK, 1)[1])
    expected = {a["name"]: {"exercise": a["exercise"], "kind": a["kind"], "value": values[a["name"]],
                            "tolerance": a["tolerance"],
                            "log_tolerance": a["log_tolerance"]} for a in coursework.spec(chapter)}
    return expected, book


def site_notebook(chapter):
    """The book's own executed notebook of ``chapter`` (what the website shows)."""
    import nbformat

    return nbformat.read(coursework.NOTEBOOKS / f"{chapter}.ipynb", as_version=4)


def check_chapter(chapter, students, folder):
    """Findings for one chapter: printed answers per student, answers the same for all,
    answers the book's site prints."""
    runs = {student: run_book(chapter, student, folder) for student in students}
    findings = []
    site = site_notebook(chapter)
    for student, (expected, book) in runs.items():
        findings += [f"{student}: {name} printed by the chapter with its solutions"
                     for name in coursework.printed_answers(book, expected)]
        findings += [f"{student}: {name} printed by the book's site notebook"
                     for name in coursework.printed_answers(site, expected)]
    if len(students) > 1:
        for name in runs[students[0]][0]:
            if len({json.dumps(runs[s][0][name]["value"]) for s in students}) == 1:
                findings.append(f"{name} is the same for every student checked")
    return findings, {student: {name: answer["value"] for name, answer in runs[student][0].items()}
                      for student in students}


def main(argv=None):
    """Run the checks; print one line per chapter; exit 1 on any finding."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="append", default=[], help=f"an ID (default: {', '.join(STUDENTS)})")
    parser.add_argument("--chapter", action="append", default=[], help="a chapter (default: every assignment)")
    args = parser.parse_args(argv)
    students = [coursework.student_id(student) for student in args.student] or list(STUDENTS)
    failed = False
    with tempfile.TemporaryDirectory(prefix="icaria-student-clone-") as folder:
        clone = clone_public(folder)
        leaks = leaks_in_clone(clone)
        print(f"clone {clone}: {len(leaks)} leak(s)" + "".join(f"\n  {leak}" for leak in leaks), flush=True)
        failed |= bool(leaks)
        os.environ["PYTHONPATH"] = str(clone)   # the kernels import the clone's package, as a student's do
        for chapter in args.chapter or coursework.chapters():
            try:
                findings, values = check_chapter(chapter, students, folder)
            except coursework.NotebookFailed as error:
                findings, values = [f"did not run: {error}"], {}
            failed |= bool(findings)
            print(f"{chapter}: {'OK' if not findings else 'FOUND ' + str(len(findings))}"
                  + "".join(f"\n  {finding}" for finding in findings)
                  + "".join(f"\n  {student}: {json.dumps(v)}" for student, v in values.items()), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
