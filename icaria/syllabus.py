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

# The six-session course: the pages read before each session (the course plan opens
# each session with the same list; tests/test_teaching.py checks they agree).
SESSIONS = {
    1: ("survival-primer", "trial-at-a-glance"),
    2: ("sample-size", "randomisation"),
    3: ("endpoints", "population"),
    4: ("pfs",),
    5: ("response", "safety"),
    6: ("overall-survival", "treatment-switching", "critical-reading"),
}

# What a student can do after the course, each with where it is assessed: exercises
# (labels) and parts of the course plan's assessment (by their number there).
OUTCOMES = [
    ("survival", "Compute a Kaplan-Meier estimate and a log-rank statistic by hand for a few "
     "patients, and state the assumption censoring asks for.",
     ("ex-primer-censor", "ex-primer-tie", "ex-primer-critique"), (4,)),
    ("the question", "State a trial's question (population, comparison, primary endpoint) and "
     "check a printed p-value against its confidence interval.",
     ("ex-glance-p-value", "ex-glance-critique"), (9,)),
    ("design", "Compute the events a trial needs from a hazard ratio, alpha and power, and "
     "explain why a trial is sized in events.",
     ("ex-design-hr", "ex-design-calculator"), (1,)),
    ("spending", "Compute the alpha spent and the nominal boundary at an interim look under "
     "an alpha-spending function, and explain why the interim p is compared with it.",
     ("ex-design-looks", "ex-design-critique", "ex-os-final-boundary"), (2,)),
    ("randomisation", "Compute how often the next assignment of stratified permuted blocks "
     "can be guessed, and propose a scheme that is harder to guess.",
     ("ex-random-guess", "ex-random-blocks", "ex-random-critique"), (3,)),
    ("endpoints", "Classify a patient's history as an event or a censored time under each "
     "endpoint rule, and name the ICH E9(R1) strategy for intercurrent events that each "
     "rule follows.",
     ("ex-endpoints-censoring", "ex-endpoints-critique"), (4,)),
    ("population", "Check the percentages of a baseline table and a flow diagram against "
     "their counts, and explain why a baseline table carries no p-values.",
     ("ex-population-percent", "ex-population-no-p", "ex-population-critique"), (9,)),
    ("primary analysis", "Fit a stratified Cox model and log-rank test, give medians with "
     "their intervals, test proportional hazards, and write the result as a paper would.",
     ("ex-pfs-events-from-ci", "ex-pfs-why-stratified"), (5,)),
    ("forest plot", "Draw and read a forest plot of subgroups, and judge a subgroup "
     "difference by an interaction test rather than by whether its interval crosses 1.",
     ("ex-pfs-chance", "ex-pfs-critique"), (6,)),
    ("response and safety", "Compute response rates with exact intervals, odds and risk "
     "ratios, and compare adverse events by risk difference and by exposure.",
     ("ex-response-intervals", "ex-response-check-or", "ex-safety-exposure",
      "ex-safety-infusion"), (7,)),
    ("IPCW", "Compute an IPCW hazard ratio for treatment switching, state the estimand it "
     "targets beside the ITT one, and explain the assumption it needs.",
     ("ex-os-ipcw-assumption", "ex-os-critique"), (8,)),
    ("critical reading", "Check a published claim against the paper's own numbers and "
     "explain what an inconsistency changes for a reader.",
     ("ex-population-other", "ex-response-check-or", "ex-os-check-p"), (9,)),
]


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
timings, the live figure to show and the question to ask in each session). Students
read a session's pages *before* it, with their exercises; the class goes to the live
figures, the discussion and the exercises that need a partner:

SESSION_TABLE

{ref}`how-the-twin-was-built` is reading for anyone who wants to know where the
patient-level data come from; a course can set it as homework after session 1.

**Self-study of the survival analysis only**, for a reader who knows trials and wants
the methods: {ref}`survival-primer`, then {ref}`endpoints` (what is an event, what is
censored), {ref}`pfs` (Kaplan-Meier, log-rank, Cox, subgroups, proportional hazards),
{ref}`overall-survival` (interim boundaries, immature medians, landmark analysis) and
{ref}`treatment-switching` (IPCW). About
SURVIVAL_HOURS hours with the exercises.
"""


def session_table(outlines):
    """The sessions with the pages read before each and their reading time (the
    chapters' times; the critical-reading page is short and has no exercises)."""
    minutes = {outline["label"]: outline["minutes"] for outline in outlines}
    lines = ["| Session | Read before it | Reading time |", "|---|---|---|"]
    for session, labels in SESSIONS.items():
        pages = ", ".join(f"{{ref}}`{label}`" for label in labels)
        total = sum(minutes.get(label, 0) for label in labels)
        lines.append(f"| {session} | {pages} | about {total} min |")
    return "\n".join(lines)


def outcomes_section():
    """The course's outcomes, each with the exercises and assessment parts that test it."""
    lines = ["## What you will be able to do", "",
             "After the course a student can do each of these; the right-hand column says "
             "where it is tested: exercises of the chapters (with solutions) and parts of "
             "the {ref}`course-plan`'s assessment.", "",
             "| Outcome | Assessed by |", "|---|---|"]
    for _, outcome, exercises, parts in OUTCOMES:
        where = ", ".join(f"{{ref}}`{label}`" for label in exercises)
        parts_text = ", ".join(str(part) for part in parts)
        lines.append(f"| {outcome} | {where}; assessment part {parts_text} |")
    return lines + [""]


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
    lines += ["", f"In all, about {round(total / 60)} hours.", ""] + outcomes_section()
    for outline in outlines:
        lines += [f"### {outline['title']}", "",
                  f"{{ref}}`Open the chapter <{outline['label']}>` · about {outline['minutes']} minutes · "
                  f"{outline['exercises']} exercises and a self-check", "",
                  "You will learn:", "", outline["objectives"], "",
                  f"**Prerequisites.** {outline['prerequisites']}", ""]
    survival = [o for o in outlines if o["label"] in ("survival-primer", "endpoints", "pfs", "overall-survival",
                                                               "treatment-switching")]
    survival_hours = str(round(sum(o["minutes"] for o in survival) / 60))
    lines.append(PATHS.replace("SESSION_TABLE", session_table(outlines)).replace("SURVIVAL_HOURS", survival_hours))
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
