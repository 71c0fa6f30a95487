"""Write the syllabus page ``book/syllabus.md`` from the chapters themselves: their
titles, objectives, prerequisites, exercises and live figures, in the order of
``_toc.yml``, so the syllabus cannot drift from the book. ``--check`` only reports
whether the page is stale.

Usage: ``python -m icaria.syllabus [--check]``
"""

import argparse
import math
import re
import sys

from icaria import paths

SYLLABUS_PAGE = paths.BOOK_DIR / "syllabus.md"
WORDS_PER_MINUTE = 100        # reading with code and figures, a student's pace
MINUTES_PER_EXERCISE = 6      # including the self-check, on average


def chapters_in_order():
    """The notebook pages of ``_toc.yml``, in reading order."""
    toc = (paths.REPO_ROOT / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"file: (notebooks/[\w-]+)", toc)


def chapter_outline(docname):
    """Title, label, objectives, prerequisites, exercises and live figures of one chapter."""
    text = (paths.REPO_ROOT / f"{docname}.md").read_text(encoding="utf-8")
    label, title = re.search(r"^\((\S+)\)=\n# (.+)$", text, re.M).groups()
    objectives = re.search(r"you will learn\n:class: tip\n(.*?)\n:::", text, re.S).group(1)
    prerequisites = re.search(r"\*\*Prerequisites\.\*\* (.*?)\n\n", text, re.S).group(1)
    exercises = text.count("```{exercise}")
    words = len(re.sub(r"```\{code-cell\}.*?```", " ", text, flags=re.S).split())
    minutes = words / WORDS_PER_MINUTE + MINUTES_PER_EXERCISE * exercises
    return {"docname": docname, "label": label, "title": title, "objectives": objectives,
            "prerequisites": " ".join(prerequisites.split()), "exercises": exercises,
            "live figures": text.count(".widget()"), "minutes": 5 * math.ceil(minutes / 5)}


INTRO = """(syllabus)=
# Syllabus

This book teaches how a randomised phase 3 trial is designed, randomised, analysed and
reported, with one trial, ICARIA-MM {cite}`attal2019`, as the worked example. It suits
a graduate course in clinical biostatistics, a journal club that wants to go beyond
the abstract, or anyone who reads oncology trials for a living.

**What you need.** Basic Python and pandas: running a cell, reading a DataFrame,
selecting rows and grouping them. Algebra with logarithms and square roots, and the
ideas of a confidence interval and a p-value. No survival analysis: the primer starts
from zero. Every page can also be read on the website without running anything.

**How long.** The times below are estimates for a first reading at a student's pace,
WORDS words of prose a minute plus EXERCISE minutes per exercise, rounded up to five
minutes; they are computed from the pages by `python -m icaria.syllabus`, like the rest
of this page.
"""

PATHS = """## Two reading paths

**A six-session course** (50 minutes each; the {ref}`course-plan` gives outcomes,
timings, the live figure to show and the question to ask in each session):

| Session | Chapters |
|---|---|
| 1 | {ref}`trial-at-a-glance`, {ref}`survival-primer` |
| 2 | {ref}`sample-size`, {ref}`randomisation` |
| 3 | {ref}`endpoints`, {ref}`population` |
| 4 | {ref}`pfs` |
| 5 | {ref}`response`, {ref}`safety` |
| 6 | {ref}`overall-survival`, {ref}`critical-reading` |

{ref}`how-the-twin-was-built` is reading for anyone who wants to know where the
patient-level data come from; a course can set it as homework after session 1.

**Self-study of the survival analysis only**, for a reader who knows trials and wants
the methods: {ref}`survival-primer`, then {ref}`endpoints` (what is an event, what is
censored), {ref}`pfs` (Kaplan-Meier, log-rank, Cox, subgroups, proportional hazards),
and {ref}`overall-survival` (interim boundaries, IPCW, landmark analysis). About
SURVIVAL_HOURS hours with the exercises.
"""


def page_text():
    """The syllabus page, generated from the chapters."""
    outlines = [chapter_outline(docname) for docname in chapters_in_order()]
    intro = INTRO.replace("WORDS", str(WORDS_PER_MINUTE)).replace("EXERCISE", str(MINUTES_PER_EXERCISE))
    lines = [intro, "## The chapters in order", "",
             "| Chapter | Time | Exercises | Live figures |", "|---|---|---|---|"]
    for outline in outlines:
        lines.append(f"| {{ref}}`{outline['label']}` | about {outline['minutes']} min | {outline['exercises']} | "
                     f"{outline['live figures']} |")
    total = sum(outline["minutes"] for outline in outlines)
    lines += ["", f"In all, about {round(total / 60)} hours.", ""]
    for outline in outlines:
        lines += [f"### {outline['title']}", "",
                  f"{{ref}}`Open the chapter <{outline['label']}>` · about {outline['minutes']} minutes · "
                  f"{outline['exercises']} exercises and a self-check", "",
                  "You will learn:", "", outline["objectives"], "",
                  f"**Prerequisites.** {outline['prerequisites']}", ""]
    survival = [o for o in outlines if o["label"] in ("survival-primer", "endpoints", "pfs", "overall-survival")]
    lines.append(PATHS.replace("SURVIVAL_HOURS", str(round(sum(o["minutes"] for o in survival) / 60))))
    return "\n".join(lines)


def main(argv=None):
    """Regenerate book/syllabus.md (or, with --check, report whether it is stale)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the page is stale")
    args = parser.parse_args(argv)
    text = page_text()
    current = SYLLABUS_PAGE.read_text(encoding="utf-8") if SYLLABUS_PAGE.exists() else None
    if current == text:
        print("Syllabus is up to date.")
        return 0
    if args.check:
        print("Stale: book/syllabus.md. Run: python -m icaria.syllabus", file=sys.stderr)
        return 1
    SYLLABUS_PAGE.write_text(text, encoding="utf-8")
    print("Syllabus written: book/syllabus.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
