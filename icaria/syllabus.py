"""Write the syllabus page ``book/syllabus.md`` from the chapters themselves: their
titles, objectives, prerequisites, exercises, live figures and reading times, in the
order of ``_toc.yml``, so the syllabus cannot drift from the book; and the parts of the
course plan (``book/course-plan.md``) that follow from it: the sessions' table of
pre-work and each session's "Before this session" line. ``--check`` only reports
whether a page is stale.

Usage: ``python -m icaria.syllabus [--check]``
"""

import argparse
import json
import math
import re
import sys

from icaria import paths

SYLLABUS_PAGE = paths.BOOK_DIR / "syllabus.md"
COURSE_PLAN_PAGE = paths.BOOK_DIR / "course-plan.md"

# The reading-time model (issue 30; book/instructor-guide.md states it, and
# tests/test_teaching.py recomputes every time from it). A chapter's time is
#   words / 200 + 5 s a code line + 1.5 min a figure (3 for a live one)
#   + 0.5 min an output table + 10 min an exercise,
# counted on the page as a reader sees it: prose words outside code cells; non-blank
# lines of code cells but the hidden set-up cell; figures drawn by the executed
# notebook (a live figure's drawn view counted once, as a live figure); tables a code
# cell prints (an HTML output holding a table); exercises (with their solutions and
# the self-check).
WORDS_PER_MINUTE = 200
SECONDS_PER_CODE_LINE = 5
MINUTES_PER_FIGURE = 1.5
MINUTES_PER_LIVE_FIGURE = 3
MINUTES_PER_TABLE = 0.5
MINUTES_PER_EXERCISE = 10

# The semester module: one 50-minute session a week, the pages read before each (the
# course plan opens each session with the same list, written by this module; the
# tests check they agree). Pages are named by file, so a chapter another branch adds
# joins the plan by name: until it exists, the plan says it is still to come.
SESSION_LENGTH_MINUTES = 50
PREWORK_BUDGET_MINUTES = 180   # the most pre-work a session may ask (the plan says so)
SESSIONS = {
    1: ("The trial, and survival data", ("notebooks/00-survival-primer", "notebooks/01-trial-at-a-glance")),
    2: ("Sample size and interim looks", ("notebooks/03-sample-size-and-interim-looks",)),
    3: ("Randomisation", ("notebooks/04-randomisation",)),
    4: ("Endpoints and censoring", ("notebooks/05-endpoints-and-censoring",)),
    5: ("Who was in the trial", ("notebooks/06-who-was-in-the-trial",)),
    6: ("The primary analysis", ("notebooks/07-progression-free-survival",)),
    7: ("Response", ("notebooks/08-response",)),
    8: ("Overall survival", ("notebooks/09-overall-survival",)),
    9: ("Treatment switching", ("notebooks/11-treatment-switching",)),
    10: ("Safety", ("notebooks/10-safety",)),
    11: ("Multiplicity and monitoring", ("notebooks/12-multiplicity-and-monitoring",)),
    12: ("Estimands and bias", ("notebooks/13-estimands-and-bias",)),
    13: ("Regulators, reporting and reading critically",
         ("notebooks/14-regulators-and-reporting", "book/critical-reading")),
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
    ("multiplicity", "Compute the alpha a testing graph passes on after each rejection and the "
     "conditional power at an interim look, and explain why a p-value outside the testing "
     "hierarchy is descriptive.",
     ("ex-mult-independent", "ex-mult-why-gate", "ex-mult-twin-second-look", "ex-mult-critique"), (10,)),
    ("estimands and bias", "Name the five attributes of an estimand for a time-to-event "
     "endpoint, compute a cumulative incidence with death as a competing event beside "
     "1 - Kaplan-Meier and a difference in RMST, and explain what open-label assessment "
     "and informative censoring can do to an estimate.",
     ("ex-estimands-cif", "ex-estimands-rmst", "ex-estimands-why-committee",
      "ex-estimands-critique"), (4,)),
    ("critical reading", "Check a published claim against the paper's own numbers and "
     "explain what an inconsistency changes for a reader.",
     ("ex-population-other", "ex-response-check-or", "ex-os-check-p"), (9,)),
    ("reporting", "Check a regulator's printed numbers against the paper's, judge a subgroup "
     "or quality-of-life claim by published criteria and missing-data sensitivity, and score a "
     "trial report against CONSORT.",
     ("ex-reporting-check-orr", "ex-reporting-lines", "ex-reporting-consort", "ex-reporting-critique"), (9,)),
]


def chapters_in_order():
    """The notebook pages of ``_toc.yml``, in reading order, without the audit pages of
    "How the numbers were checked" (``notebooks/9N-...``), which a course does not set."""
    toc = (paths.REPO_ROOT / "_toc.yml").read_text(encoding="utf-8")
    return [page for page in re.findall(r"file: (notebooks/[\w-]+)", toc) if not re.match(r"notebooks/9\d-", page)]


CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def code_lines(cell):
    """Non-blank lines of a code cell a reader sees: its metadata lines aside, none for
    the hidden set-up cell (tagged remove-cell)."""
    if cell.startswith("---\n"):   # metadata as a YAML block
        metadata, cell = cell[4:].split("\n---\n", 1)
    else:
        metadata = "\n".join(line for line in cell.splitlines() if line.startswith(":"))
        cell = "\n".join(line for line in cell.splitlines() if not line.startswith(":"))
    if "remove-cell" in metadata:
        return 0
    return sum(1 for line in cell.splitlines() if line.strip())


def notebook_outputs(docname):
    """(figures, tables) the executed notebook of a page shows: image outputs, and
    HTML outputs holding a table (none for a page without a notebook)."""
    path = paths.REPO_ROOT / f"{docname}.ipynb"
    if not path.exists():
        return 0, 0
    figures = tables = 0
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code" or "remove-cell" in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            figures += "image/png" in data or "image/svg+xml" in data
            tables += "<table" in "".join(data.get("text/html", ""))
    return figures, tables


def measures(docname):
    """What the time model counts on one page (see the constants above)."""
    text = (paths.REPO_ROOT / f"{docname}.md").read_text(encoding="utf-8")
    text = FRONT_MATTER.sub("", text, count=1)
    figures, tables = notebook_outputs(docname)
    live = text.count(".widget()")
    return {"words": len(CODE_CELL.sub(" ", text).split()),
            "code lines": sum(code_lines(cell) for cell in CODE_CELL.findall(text)),
            "figures": max(figures - live, 0), "live figures": live, "tables": tables,
            "exercises": text.count("```{exercise}")}


def reading_minutes(counted):
    """Minutes to read a page as the model says, exercises aside (unrounded)."""
    return (counted["words"] / WORDS_PER_MINUTE + counted["code lines"] * SECONDS_PER_CODE_LINE / 60
            + counted["figures"] * MINUTES_PER_FIGURE + counted["live figures"] * MINUTES_PER_LIVE_FIGURE
            + counted["tables"] * MINUTES_PER_TABLE)


def exercise_minutes(counted):
    """Minutes for a page's exercises as the model says."""
    return counted["exercises"] * MINUTES_PER_EXERCISE


def round_up(minutes, step=5):
    """Minutes rounded up to ``step``, as the pages print them."""
    return step * math.ceil(minutes / step)


def page_label(docname):
    """The label ``(name)=`` of a page, or None when the page is not in this copy."""
    path = paths.REPO_ROOT / f"{docname}.md"
    if not path.exists():
        return None
    return re.search(r"^\((\S+)\)=$", path.read_text(encoding="utf-8"), re.M).group(1)


def chapter_outline(docname):
    """Title, label, objectives, prerequisites, exercises, live figures and times of one
    chapter."""
    text = (paths.REPO_ROOT / f"{docname}.md").read_text(encoding="utf-8")
    label, title = re.search(r"^\((\S+)\)=\n# (.+)$", text, re.M).groups()
    objectives = re.search(r"you will learn\n:class: tip\n(.*?)\n:::", text, re.S).group(1)
    prerequisites = re.search(r"\*\*Prerequisites\.\*\* (.*?)\n\n", text, re.S).group(1)
    counted = measures(docname)
    reading, exercising = round_up(reading_minutes(counted)), round_up(exercise_minutes(counted))
    return {"docname": docname, "label": label, "title": title, "objectives": objectives,
            "prerequisites": " ".join(prerequisites.split()), "exercises": counted["exercises"],
            "live figures": counted["live figures"], "reading": reading, "exercising": exercising,
            "minutes": reading + exercising}


def page_minutes(docname):
    """(reading, exercises) minutes of any page of a session, rounded up to 5; None for
    a page not in this copy."""
    if not (paths.REPO_ROOT / f"{docname}.md").exists():
        return None
    counted = measures(docname)
    return round_up(reading_minutes(counted)), round_up(exercise_minutes(counted))


def session_prework(number):
    """(reading, exercises, pages still to come) of one session's pre-work."""
    reading = exercising = 0
    missing = []
    for docname in SESSIONS[number][1]:
        minutes = page_minutes(docname)
        if minutes is None:
            missing.append(docname)
            continue
        reading, exercising = reading + minutes[0], exercising + minutes[1]
    return reading, exercising, missing


def hours(minutes):
    """``2 h 35 min``."""
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def page_reference(docname):
    """A {ref} to a page, or its file name when it is still to come."""
    label = page_label(docname)
    return f"{{ref}}`{label}`" if label else f"`{docname.split('/')[-1]}` (still to come)"


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

**How long.** The times below follow one stated model of a first reading at a
student's pace: WORDS words of prose a minute, CODE s for each line of code, FIGURE
minutes for each figure (LIVE for a live one), TABLE minutes for each table of output,
and EXERCISE minutes for each exercise with its solution; each rounded up to five
minutes. They are computed from the pages by `python -m icaria.syllabus`, like the
rest of this page; the {doc}`instructor-guide` explains the model.
"""

PATHS = """## Two reading paths

**A semester module** (SESSIONS weekly sessions of LENGTH minutes; the
{ref}`course-plan` gives outcomes, timings, the live figure to show and the question to
ask in each session). Students read a session's pages *before* it and do their
exercises; the class goes to the live figures, the discussion and the exercises that
need a partner:

SESSION_TABLE

{ref}`how-the-twin-was-built` is reading for anyone who wants to know where the
patient-level data come from; a course can set it as homework after session 4.

**Self-study of the survival analysis only**, for a reader who knows trials and wants
the methods: {ref}`survival-primer`, then {ref}`endpoints` (what is an event, what is
censored), {ref}`pfs` (Kaplan-Meier, log-rank, Cox, subgroups, proportional hazards),
{ref}`overall-survival` (interim boundaries, immature medians, landmark analysis) and
{ref}`treatment-switching` (IPCW). About
SURVIVAL_HOURS hours with the exercises.
"""


def session_table():
    """The sessions with the pages read before each and their pre-work: reading and
    exercises, as the time model gives them."""
    lines = ["| Session | Read before it | Pre-work: reading + exercises |", "|---|---|---|"]
    for number, (title, pages) in SESSIONS.items():
        reading, exercising, missing = session_prework(number)
        listed = ", ".join(page_reference(page) for page in pages)
        to_come = ", and the pages still to come" if missing else ""
        lines.append(f"| {number}. {title} | {listed} | {hours(reading + exercising)}: {hours(reading)} + "
                     f"{hours(exercising)}{to_come} |")
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
    intro = INTRO
    for word, value in (("WORDS", WORDS_PER_MINUTE), ("CODE", SECONDS_PER_CODE_LINE), ("FIGURE", MINUTES_PER_FIGURE),
                        ("LIVE", MINUTES_PER_LIVE_FIGURE), ("TABLE", MINUTES_PER_TABLE),
                        ("EXERCISE", MINUTES_PER_EXERCISE)):
        intro = intro.replace(word, f"{value:g}")
    lines = [intro, "## The chapters in order", "",
             "Times in minutes; exercises as their number, then their time.", "",
             "| Chapter | Reading | Exercises | In all | Live figures |", "|---|---|---|---|---|"]
    for outline in outlines:
        appendix = " (appendix)" if outline["docname"].startswith("notebooks/9") else ""
        lines.append(f"| {{ref}}`{outline['label']}`{appendix} | {outline['reading']} | "
                     f"{outline['exercises']}: {outline['exercising']} | {outline['minutes']} | "
                     f"{outline['live figures']} |")
    reading = sum(outline["reading"] for outline in outlines)
    total = sum(outline["minutes"] for outline in outlines)
    lines += ["", f"In all, about {reading / 60:.1f} hours of reading and {total / 60:.1f} hours with the "
              "exercises, the appendix included.", ""] + outcomes_section()
    for outline in outlines:
        lines += [f"### {outline['title']}", "",
                  f"{{ref}}`Open the chapter <{outline['label']}>` · about {outline['minutes']} minutes · "
                  f"{outline['exercises']} exercises and a self-check", "",
                  "You will learn:", "", outline["objectives"], "",
                  f"**Prerequisites.** {outline['prerequisites']}", ""]
    survival = [o for o in outlines if o["label"] in ("survival-primer", "endpoints", "pfs", "overall-survival",
                                                               "treatment-switching")]
    survival_hours = str(round(sum(o["minutes"] for o in survival) / 60))
    lines.append(PATHS.replace("SESSION_TABLE", session_table()).replace("SURVIVAL_HOURS", survival_hours)
                 .replace("SESSIONS", str(len(SESSIONS))).replace("LENGTH", str(SESSION_LENGTH_MINUTES)))
    return "\n".join(lines)


# The autograded notebooks in the course plan: each chapter's notebook (its spec in
# instructor/assignments/) is due before the session after the one that reads it (the
# last session's, a week after it); the appendices' notebooks go with the session whose
# chapter they check. Together the notebooks carry NOTEBOOKS_SHARE percent of the course
# grade, each in proportion to its points: autograded answers plus written answers
# (instructor/rubrics.toml). Where instructor/ is absent (a student's copy), the plan's
# table is left as it is.
NOTEBOOKS_SHARE = 40
APPENDIX_SESSIONS = {"notebooks/93-how-the-twin-was-built": 1, "notebooks/91-checks-os-and-switching": 9}
NOTEBOOKS_START = "<!-- The autograded notebooks: written by python -m icaria.syllabus -->"
NOTEBOOKS_END = "<!-- end of the notebooks' table -->"


def notebook_points():
    """{page: (autograded points, written points)} of every chapter with an assignment
    spec, from ``instructor/`` (empty when it is absent)."""
    import tomllib

    specs = paths.REPO_ROOT / "instructor" / "assignments"
    rubrics = paths.REPO_ROOT / "instructor" / "rubrics.toml"
    written = {}
    if rubrics.is_file():
        for entry in tomllib.loads(rubrics.read_text(encoding="utf-8"))["rubric"]:
            written[entry["chapter"]] = written.get(entry["chapter"], 0) + entry["points"]
    return {f"notebooks/{path.stem}": (sum(answer.get("points", 1) for answer in
                                          tomllib.loads(path.read_text(encoding="utf-8"))["answer"]),
                                      written.get(path.stem, 0))
            for path in sorted(specs.glob("*.toml"))}


def notebook_session(page):
    """The session whose pages include ``page`` (or its appendix session), else None."""
    for number, (_, pages) in SESSIONS.items():
        if page in pages:
            return number
    return APPENDIX_SESSIONS.get(page)


def notebooks_table(points):
    """The autograded notebooks: session, due, points and share of the course grade."""
    total = sum(graded + written for graded, written in points.values())
    rows = sorted(points.items(), key=lambda item: (notebook_session(item[0]) or 99, item[0]))
    lines = ["| Notebook | With session | Due before | Autograded points | Written points (rubric) | "
             "Share of the course grade |", "|---|---|---|---|---|---|"]
    for page, (graded, written) in rows:
        session = notebook_session(page)
        due = f"session {session + 1}" if session and session < len(SESSIONS) else "a week after session 13"
        share = NOTEBOOKS_SHARE * (graded + written) / total
        lines.append(f"| {page_reference(page)} | {session or 'none'} | {due} | {graded} | {written} | "
                     f"{share:.1f}% |")
    lines.append(f"| All {len(rows)} notebooks | | | {sum(g for g, _ in points.values())} | "
                 f"{sum(w for _, w in points.values())} | {NOTEBOOKS_SHARE}% |")
    return "\n".join(lines)


PLAN_TABLE_START = "<!-- The sessions' pre-work: written by python -m icaria.syllabus -->"
PLAN_TABLE_END = "<!-- end of the generated table -->"


def before_line(number):
    """A session's "Before this session" line of the course plan."""
    reading, exercising, missing = session_prework(number)
    pages = " and ".join(page_reference(page) for page in SESSIONS[number][1])
    known = f"about {hours(reading)} of reading and {hours(exercising)} of exercises"
    if missing:
        known += " for the pages in this copy"
    return f"**Before this session**, read {pages}. Pre-work: {known}."


def course_plan_text(plan):
    """The course plan with its generated parts rewritten: the sessions' table and
    each session's "Before this session" line."""
    start, end = plan.index(PLAN_TABLE_START), plan.index(PLAN_TABLE_END)
    plan = plan[:start] + PLAN_TABLE_START + "\n\n" + session_table() + "\n\n" + plan[end:]
    points = notebook_points()
    if points and NOTEBOOKS_START in plan:
        start, end = plan.index(NOTEBOOKS_START), plan.index(NOTEBOOKS_END)
        plan = plan[:start] + NOTEBOOKS_START + "\n\n" + notebooks_table(points) + "\n\n" + plan[end:]
    parts = re.split(r"(^## Session (\d+)[^\n]*\n)", plan, flags=re.M)
    rebuilt = [parts[0]]
    for heading, number, body in zip(parts[1::3], parts[2::3], parts[3::3]):
        body = re.sub(r"^\*\*Before this session\*\*.*?\n(?=\n)", before_line(int(number)) + "\n", body,
                      count=1, flags=re.M | re.S)
        rebuilt += [heading, body]
    return "".join(rebuilt)


def main(argv=None):
    """Regenerate book/syllabus.md (or, with --check, report whether it is stale)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the page is stale")
    args = parser.parse_args(argv)
    current = SYLLABUS_PAGE.read_text(encoding="utf-8") if SYLLABUS_PAGE.exists() else None
    plan = COURSE_PLAN_PAGE.read_text(encoding="utf-8")
    pages = {SYLLABUS_PAGE: (current, page_text()), COURSE_PLAN_PAGE: (plan, course_plan_text(plan))}
    stale = [path for path, (old, new) in pages.items() if old != new]
    if not stale:
        print("Syllabus is up to date.")
        return 0
    names = ", ".join(path.relative_to(paths.REPO_ROOT).as_posix() for path in stale)
    if args.check:
        print(f"Stale: {names}. Run: python -m icaria.syllabus", file=sys.stderr)
        return 1
    for path in stale:
        path.write_text(pages[path][1], encoding="utf-8")
    print(f"Syllabus written: {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
