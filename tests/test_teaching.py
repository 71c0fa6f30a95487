"""The teaching layer: exercises, self-checks and "Predict, then check" prompts in
every chapter, solutions that state their answer and whose code the tests execute,
student copies without solutions, and a syllabus generated from the chapters."""

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from conftest import REPO_ROOT

from icaria import syllabus

NOTEBOOKS = REPO_ROOT / "notebooks"
# The teaching chapters; the audit pages of "How the numbers were checked" (90-99) teach
# no exercise of their own.
CHAPTERS = sorted(path.stem for path in NOTEBOOKS.glob("[0-8][0-9]-*.md"))
INSTRUCTOR = REPO_ROOT / "instructor"
COURSE_PLAN = REPO_ROOT / "book" / "course-plan.md"
EXERCISE = re.compile(r"```\{exercise\} ([^\n]+)\n:label: (\S+)\n\n(.*?)\n```", re.S)


def text_of(name):
    return (NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")


def exercises(name):
    return [{"title": title, "label": label, "text": body} for title, label, body in EXERCISE.findall(text_of(name))]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_has_four_exercises_each_with_a_solution(name):
    found = exercises(name)
    assert len(found) >= 4, f"{name}: {len(found)} exercises"
    text = text_of(name)
    for exercise in found:
        assert re.search(r"\{solution(-start)?\} " + re.escape(exercise["label"]) + r"\n", text), exercise["label"]


@pytest.mark.parametrize("name", [name for name in CHAPTERS if not name.startswith("00")])
def test_every_chapter_asks_why_and_asks_to_check_the_paper(name):
    """At least one exercise asks for a reason ("why", "what would change") and at least
    one asks the student to check or criticise a number the paper prints."""
    found = exercises(name)
    asks_why = [e for e in found if re.search(r"\bwhy\b|what would change|what would go wrong|what if",
                                              e["title"] + e["text"], re.I)]
    paper = r"\b(paper|Table \d|Summary|Results|Methods)\b.*\b(print|report)"
    checks_paper = [e for e in found if re.search(paper, e["text"], re.S)
                    or re.search(r"\bcheck\b", e["title"], re.I)]
    assert asks_why, f"{name}: no exercise asks why"
    assert checks_paper, f"{name}: no exercise checks a printed number of the paper"


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_ends_with_a_self_check_with_answers(name):
    text = text_of(name)
    assert "\n## Self-check\n" in text, name
    section = text.split("\n## Self-check\n", 1)[1]
    questions = re.findall(r"^\d+\. ", section.split("```{admonition} Answers")[0], re.M)
    answers = re.search(r"```\{admonition\} Answers\n:class: dropdown\n(.*?)\n```", section, re.S)
    assert 3 <= len(questions) <= 5, f"{name}: {len(questions)} self-check questions"
    assert answers and len(re.findall(r"^\d+\. ", answers.group(1), re.M)) == len(questions), name


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_live_figure_has_a_prediction_with_a_folded_answer(name):
    cells = re.split(r"```\{code-cell\} ipython3\n", text_of(name))
    for index, cell in enumerate(cells):
        if re.search(r"^\w+\.widget\(\)\n```", cell, re.M):
            after = cell.split(".widget()\n```", 1)[1]
            assert ":::{admonition} Predict, then check" in after, f"{name}: a live figure without a prediction"
            assert "```{admonition} What you should see\n:class: dropdown" in after, name


@pytest.mark.parametrize("name", CHAPTERS)
def test_solution_code_is_executed_code(name):
    """Code in a solution is a code cell between solution-start and solution-end, which
    the notebook runs (and nbval re-checks), never a static ```python block."""
    text = text_of(name)
    plain = re.findall(r"(````\{solution\}.*?\n````\n)", text, re.S)
    assert not [block for block in plain if "```python" in block or "{code-cell}" in block], name
    notebook = jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    gated = text.count("{solution-start}")
    inside = False
    executed = 0
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and ("{solution-start}" in cell.source or "{solution-end}" in cell.source):
            inside = cell.source.rfind("{solution-start}") > cell.source.rfind("{solution-end}")
        if inside and cell.cell_type == "code":
            assert cell.execution_count, f"{name}: a solution cell was not executed"
            executed += 1
    assert executed >= gated, f"{name}: {gated} solutions with code, {executed} executed cells"


def test_student_copies_keep_exercises_and_drop_every_answer(tmp_path):
    """Run as the course plan writes it (`python3 make.py student-copies`, with the
    environment running the tests)."""
    result = subprocess.run([sys.executable, "make.py", "student-copies", "--out", str(tmp_path)], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True,
                            env={**os.environ, "ICARIA_VENV": str(Path(sys.executable).parent.parent)})
    assert "Student copies in" in result.stdout
    for name in CHAPTERS:
        copy = (tmp_path / f"{name}.md").read_text(encoding="utf-8")
        assert copy.count("```{exercise}") == len(exercises(name)), name
        for answer in ("{solution", "```{admonition} Answers", "What you should see", "folded below"):
            assert answer not in copy, f"{name}: {answer} left in the student copy"
        notebook = jupytext.read(tmp_path / f"{name}.ipynb")
        assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
        assert "## Self-check" in copy and "Predict, then check" in copy or ".widget()" not in copy


def test_syllabus_is_generated_from_the_chapters():
    result = subprocess.run([sys.executable, "-m", "icaria.syllabus", "--check"], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    syllabus = (REPO_ROOT / "book" / "syllabus.md").read_text(encoding="utf-8")
    for name in CHAPTERS:
        label = re.search(r"^\((\S+)\)=$", text_of(name), re.M).group(1)
        assert f"{{ref}}`{label}`" in syllabus, label


def test_course_plan_sessions_point_at_existing_exercises():
    plan = (REPO_ROOT / "book" / "course-plan.md").read_text(encoding="utf-8")
    labels = {exercise["label"] for name in CHAPTERS for exercise in exercises(name)}
    cited = set(re.findall(r"\{ref\}`(ex-[\w-]+)`", plan))
    assert cited and cited <= labels, cited - labels
    assert len(re.findall(r"^## Session \d", plan, re.M)) == len(syllabus.SESSIONS)


def model_answers():
    """The model answers of instructor/model-answers.md, by heading (an exercise label
    or an assessment part)."""
    text = (INSTRUCTOR / "model-answers.md").read_text(encoding="utf-8")
    return {heading: body.strip() for heading, body in re.findall(r"^### ([^\n]+)\n(.*?)(?=^#|\Z)", text, re.M | re.S)}


@pytest.mark.kit
@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_has_a_critique_question_with_a_model_answer_for_instructors(name):
    """A "Critique:" exercise (explain or criticise a claim) in every chapter; its model
    answer is in the instructor folder, and the book's solution only says so."""
    critiques = [e for e in exercises(name) if e["title"].startswith("Critique:")]
    assert critiques, f"{name}: no Critique exercise"
    answers = model_answers()
    for exercise in critiques:
        assert len(answers.get(exercise["label"], "").split()) >= 60, f"{exercise['label']}: no model answer"


def answer_sentences():
    """Every sentence of at least eight words in the instructor's files (marking keys and
    model answers), headings aside, with spaces normalised."""
    sentences = set()
    for path in sorted(INSTRUCTOR.glob("*.md")):
        prose = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
        for paragraph in re.split(r"\n\s*\n", prose):
            for sentence in re.split(r"(?<=[.;:!?])\s+", " ".join(paragraph.split())):
                if len(sentence.split()) >= 8:
                    sentences.add(sentence)
    return sentences


@pytest.mark.kit
def test_no_answer_of_the_instructor_files_is_in_the_site_sources():
    """The key and the model answers are in instructor/, which the site never builds;
    none of their sentences is in a page or notebook the site is built from (the site's
    own HTML is checked by test_book_build after a build)."""
    sources = sorted((REPO_ROOT / "book").glob("*.md")) + sorted(NOTEBOOKS.glob("*.md")) + sorted(
        NOTEBOOKS.glob("*.ipynb"))
    published = " ".join(" ".join(path.read_text(encoding="utf-8").replace("\\n", " ").split()) for path in sources)
    sentences = answer_sentences()
    assert len(sentences) > 100
    leaked = [sentence for sentence in sentences if sentence in published]
    assert not leaked, leaked[:3]
    config = (REPO_ROOT / "_config.yml").read_text(encoding="utf-8")
    toc = (REPO_ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert '"instructor/**"' in config and "file: instructor/" not in toc


def test_course_plan_sets_each_sessions_reading_before_it_and_shows_no_answer():
    plan = COURSE_PLAN.read_text(encoding="utf-8")
    sessions = re.split(r"^## Session (\d+)", plan, flags=re.M)[1:]
    for number, body in zip(sessions[::2], sessions[1::2]):
        before = re.search(r"\*\*Before this session\*\*, read (.*)\.\n", body)
        assert before, f"session {number}: no reading set before it"
        pages = syllabus.SESSIONS[int(number)][1]
        present = tuple(label for label in map(syllabus.page_label, pages) if label)
        assert tuple(re.findall(r"\{ref\}`([\w-]+)`", before.group(1))) == present
        for page in pages:   # a chapter still to come is named by its file
            assert syllabus.page_label(page) or f"`{page.split('/')[-1]}` (still to come)" in before.group(1)
    assert "Answer:" not in plan and "the answer is" not in plan


def test_every_outcome_is_measurable_and_assessed():
    """Each outcome of the syllabus starts with a verb a marker can check, names existing
    exercises and an existing part of the course plan's assessment, and together they
    cover what the assessment must test."""
    labels = {exercise["label"] for name in CHAPTERS for exercise in exercises(name)}
    plan = COURSE_PLAN.read_text(encoding="utf-8").split("## Assessment", 1)[1]
    parts = {int(number): topic for number, topic in re.findall(r"^(\d+)\. \*\*.*?\[([\w ]+)\]", plan, re.M)}
    keys = set()
    for key, outcome, cited, assessed in syllabus.OUTCOMES:
        assert re.match(r"(Compute|State|Classify|Check|Fit|Draw|Explain|Name)\b", outcome), outcome
        assert cited and set(cited) <= labels, set(cited) - labels
        assert assessed and set(assessed) <= set(parts), assessed
        keys.add(key)
    assert set(parts.values()) <= keys
    for topic in ("randomisation", "spending", "response and safety", "forest plot", "IPCW", "endpoints"):
        assert topic in keys and topic in parts.values(), topic
    page = (REPO_ROOT / "book" / "syllabus.md").read_text(encoding="utf-8")
    assert all(outcome in page for _, outcome, _, _ in syllabus.OUTCOMES)


# The reading-time model (issue 30), written here once more so a change of the module's
# formula or of the guide's statement of it fails a test.
MODEL = {"words per minute": 200, "seconds per code line": 5, "minutes per figure": 1.5,
         "minutes per live figure": 3, "minutes per table": 0.5, "minutes per exercise": 10}


def test_the_time_model_is_stated_in_the_instructor_guide_with_its_constants():
    assert (syllabus.WORDS_PER_MINUTE, syllabus.SECONDS_PER_CODE_LINE, syllabus.MINUTES_PER_FIGURE,
            syllabus.MINUTES_PER_LIVE_FIGURE, syllabus.MINUTES_PER_TABLE,
            syllabus.MINUTES_PER_EXERCISE) == tuple(MODEL.values())
    guide = " ".join((REPO_ROOT / "book" / "instructor-guide.md").read_text(encoding="utf-8").split())
    for stated in ("| Prose | 1 minute per 200 words |", "| Code | 5 s per line |", "| A figure | 1.5 minutes |",
                   "| A live figure | 3 minutes |", "| A table of output | 0.5 minutes |",
                   "| An exercise | 10 minutes |"):
        assert stated in guide, stated


def test_the_model_counts_what_a_reader_sees(tmp_path, monkeypatch):
    """A hand-counted page: 12 words of prose, 3 code lines (the hidden set-up cell and
    metadata lines not counted), one live figure, two exercises."""
    page = (
        "---\njupytext:\n  formats: ipynb,md:myst\n---\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell]\n\nimport os\nimport sys\n```\n\n"
        "(demo)=\n# A page\n\nEight more words of prose sit on this line.\n\n"
        "```{code-cell} ipython3\n:tags: [hide-input]\n\nx = 1\n\ny = 2\nchart.widget()\n```\n\n"
        "```{exercise} One\n```\n\n```{exercise} Two\n```\n"
    )
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "99-demo.md").write_text(page, encoding="utf-8")
    monkeypatch.setattr(syllabus.paths, "REPO_ROOT", tmp_path)
    counted = syllabus.measures("notebooks/99-demo")
    assert counted == {"words": len(syllabus.CODE_CELL.sub(" ", page.split("---\n", 2)[2]).split()),
                       "code lines": 3, "figures": 0, "live figures": 1, "tables": 0, "exercises": 2}
    assert syllabus.reading_minutes(counted) == pytest.approx(counted["words"] / 200 + 3 * 5 / 60 + 3)
    assert syllabus.exercise_minutes(counted) == 20


def rounded(minutes):
    return 5 * math.ceil(minutes / 5)


def test_every_time_on_the_syllabus_follows_the_model():
    """Each chapter's reading and exercise times on the syllabus page, recomputed from
    what the model counts with the constants above."""
    page = (REPO_ROOT / "book" / "syllabus.md").read_text(encoding="utf-8")
    for docname in syllabus.chapters_in_order():
        n = syllabus.measures(docname)
        reading = (n["words"] / MODEL["words per minute"] + n["code lines"] * MODEL["seconds per code line"] / 60
                   + n["figures"] * MODEL["minutes per figure"]
                   + n["live figures"] * MODEL["minutes per live figure"] + n["tables"] * MODEL["minutes per table"])
        exercising = n["exercises"] * MODEL["minutes per exercise"]
        label = syllabus.page_label(docname)
        row = re.search(rf"^\| {{ref}}`{label}`[^|]* \| (\d+) \| (\d+): (\d+) \| (\d+) \|", page, re.M)
        assert row, label
        assert [int(value) for value in row.groups()] == [
            rounded(reading), n["exercises"], rounded(exercising), rounded(reading) + rounded(exercising)], label


def test_every_sessions_prework_fits_what_the_course_plan_says():
    """The plan says a session asks at most three hours of pre-work; each session's pages
    (those in this copy) keep to it, and its "Before this session" line gives the times."""
    plan = COURSE_PLAN.read_text(encoding="utf-8")
    assert "**A session's pre-work is at most three hours**" in " ".join(plan.split())
    assert syllabus.PREWORK_BUDGET_MINUTES == 3 * 60
    sessions = dict(re.findall(r"^## Session (\d+)[^\n]*\n\n(\*\*Before this session\*\*[^\n]*)", plan, re.M))
    assert len(sessions) == len(syllabus.SESSIONS)
    for number in syllabus.SESSIONS:
        reading, exercising, _ = syllabus.session_prework(number)
        assert reading + exercising <= syllabus.PREWORK_BUDGET_MINUTES, (number, reading + exercising)
        assert f"about {syllabus.hours(reading)} of reading and {syllabus.hours(exercising)} of exercises" in (
            sessions[str(number)])


# The main line teaches; the audit ("How the numbers were checked": the scorecard and
# notebooks/9N-*) holds tie handling, calibration bookkeeping, scorecard sub-tables and
# package source (issue 30). A chapter may name such a thing on one line that links there.
AUDIT_MATERIAL = re.compile(
    r"\bBreslow\b(?![-–]Day)|\bEfron\b|exact partial likelihood|calibrat|getsource|checksum|sha256"
    r"|groupby\(\[\"route\", \"status\"\]\)", re.I)
# Every numbered chapter is held to it.
READ_FOR_AUDIT = ["00-survival-primer", "01-trial-at-a-glance", "03-sample-size-and-interim-looks",
                  "04-randomisation", "05-endpoints-and-censoring", "06-who-was-in-the-trial",
                  "07-progression-free-survival", "08-response", "09-overall-survival", "10-safety",
                  "11-treatment-switching", "12-multiplicity-and-monitoring", "13-estimands-and-bias",
                  "14-regulators-and-reporting"]
SET_UP_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n:tags: \[remove-cell\]\n.*?^```[ \t]*$", re.S | re.M)


def audit_labels():
    """The labels of the pages of "How the numbers were checked" and of what they contain."""
    toc = (REPO_ROOT / "_toc.yml").read_text(encoding="utf-8")
    part = toc.split("caption: How the numbers were checked", 1)[1].split("- caption:", 1)[0]
    pages = re.findall(r"file: (\S+)", part)
    return {label for page in pages
            for label in re.findall(r"^\((\S+)\)=$", (REPO_ROOT / f"{page}.md").read_text(encoding="utf-8"), re.M)}


def audit_lines(name):
    """The lines of a chapter (the hidden set-up cell aside) that mention audit material,
    and those of them that link to the audit part."""
    text = SET_UP_CELL.sub("", text_of(name))
    links = re.compile(r"\{ref\}`(?:[^`<]*<)?(" + "|".join(map(re.escape, audit_labels())) + r")>?`")
    hits = [line for line in text.splitlines() if AUDIT_MATERIAL.search(line)]
    return hits, [line for line in hits if links.search(line)]


def test_the_audit_part_has_the_labels_chapters_link_to():
    assert {"scorecard", "checks-pfs", "software-defaults", "how-the-twin-was-built"} <= audit_labels()


@pytest.mark.parametrize("name", READ_FOR_AUDIT)
def test_the_main_line_leaves_audit_material_to_the_audit_part(name):
    """No tie-handling words, calibration bookkeeping, scorecard summaries by route, package
    source or checksums in a chapter read for the audit, but on one line linking there."""
    hits, linking = audit_lines(name)
    assert len(linking) <= 1 and hits == linking, f"{name}: {hits}"


def test_audit_material_words_are_caught():
    for line in ("Breslow's method", "Efron ties", "the exact partial likelihood", "calibrated to",
                 "inspect.getsource(ipcw)", 'rows.groupby(["route", "status"])'):
        assert AUDIT_MATERIAL.search(line), line
    for line in ("the Breslow-Day test", "breslow_day = table.test_equal_odds()", "tied event times"):
        assert not AUDIT_MATERIAL.search(line), line
