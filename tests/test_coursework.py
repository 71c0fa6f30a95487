"""Coursework: a twin per student, assignments and their grader, and no answer where a
student can read it. A representative slice: three students' twins, one assignment
(chapter 5, whose answers come from the twin) graded for two of them. The full matrix,
every assignment for several students, is ``scripts/grade_matrix.py``."""

import contextlib
import io
import re

import nbformat
import pytest

from icaria import coursework, data, paths, published
from icaria import survival as sv
from icaria.arguments import ArgumentError
from icaria.twin import checksums, generate, main, student_seeds, student_twin, write_files
from icaria.twin.invariants import violations

STUDENTS = ("alice", "bob", "carol")
CHAPTER = "05-endpoints-and-censoring"
CUTS = {"primary": published.PRIMARY_CUTOFF, "final-os": published.FINAL_OS_CUTOFF}


@pytest.fixture(scope="session")
def twin_folders(tmp_path_factory):
    """Each student's twin, written once through the command line."""
    folders = {}
    for student in STUDENTS:
        folders[student] = tmp_path_factory.mktemp(f"twin-{student}")
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--student", student, "--out", str(folders[student])]) == 0
    return folders


def loaded(folder, cut):
    """Every dataset of one cut of a twin, through the book's validating loader."""
    with contextlib.redirect_stderr(io.StringIO()):   # the notice that the data are not the book's
        return {name: data.load(name, cut=cut, data_dir=folder) for name in data.SCHEMAS}


@pytest.mark.parametrize("student", STUDENTS)
def test_a_students_twin_is_complete_and_valid_at_both_cuts(twin_folders, student):
    book = checksums(paths.REPO_ROOT / "data")
    assert set(checksums(twin_folders[student])) == set(book)   # every file, both cuts
    for cut, cutoff in CUTS.items():
        files = loaded(twin_folders[student], cut)
        broken = violations(files["adsl"], files["adtte"], files["adrs"], files["adae"], cutoff)
        assert broken.empty, broken.to_string()
    with contextlib.redirect_stderr(io.StringIO()):
        assert len(data.load("allocation", data_dir=twin_folders[student])) == len(files["adsl"])


def test_a_students_twin_is_the_same_each_time(twin_folders, tmp_path):
    write_files(student_twin("alice"), tmp_path)
    assert checksums(tmp_path) == checksums(twin_folders["alice"])


def test_students_twins_differ(twin_folders):
    """Other patients and other results from the same model: every outcome file differs,
    and the PFS hazard ratio moves, staying a plausible trial's (by less than between
    real trials: scripts/student_spread.py measures it)."""
    sums = {student: checksums(folder) for student, folder in twin_folders.items()}
    for name in ("adsl.csv", "adtte.csv", "allocation.csv", "final-os/adtte.csv"):
        assert len({sums[student][name] for student in STUDENTS}) == 3, name
    ratios = {student: sv.stratified_cox_hr(sv.endpoint(loaded(folder, "primary")["adtte"], "PFS"))
              for student, folder in twin_folders.items()}
    assert len({round(ratio, 4) for ratio in ratios.values()}) == 3
    assert all(0.4 < ratio < 0.9 for ratio in ratios.values()), ratios


@pytest.mark.parametrize("seeds, message", [
    ({"progression": 12345}, "Unknown seed key 'progression'"),
    ({"baseline": -1}, "whole number >= 0"),
    ({"baseline": 1.5}, "whole number >= 0"),
    ([1, 2], "must be a dict"),
])
def test_generate_refuses_a_wrong_seed(seeds, message):
    with pytest.raises(ArgumentError, match=message):
        generate(seeds)


@pytest.mark.parametrize("argv", [["--student", "alice"], ["--student", " ", "--out", "x"], ["--seed", "1"]])
def test_the_twin_command_refuses_a_wrong_option_in_one_line(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2   # usage and the message


def test_a_student_id_gives_the_seeds_of_every_stream():
    assert set(student_seeds("alice")) == set(student_seeds("bob"))
    assert student_seeds("alice") != student_seeds("bob")


def test_every_chapter_has_an_assignment_whose_answers_name_its_exercises():
    chapters = sorted(path.stem for path in (paths.REPO_ROOT / "notebooks").glob("[0-8][0-9]-*.md"))
    graded = coursework.chapters()
    assert set(chapters) <= set(graded), sorted(set(chapters) - set(graded))
    # An audit page (90-99) is graded only where it asks exercises (the appendix on how the
    # twin was built, the checks of OS and switching).
    for page in sorted(set(graded) - set(chapters)):
        text = (paths.REPO_ROOT / "notebooks" / f"{page}.md").read_text(encoding="utf-8")
        assert page.startswith("9") and "```{exercise}" in text, page
    for chapter in chapters:
        assert coursework.spec(chapter)   # spec() refuses an answer that names no exercise


def test_every_exercise_of_every_chapter_is_autograded_or_has_a_rubric_with_points():
    rubrics = {(entry["chapter"], entry["exercise"]): entry for entry in coursework.rubrics()}
    graded = {(chapter, answer["exercise"]) for chapter in coursework.chapters() for answer in coursework.spec(chapter)}
    exercises = {(path.stem, label) for path in (paths.REPO_ROOT / "notebooks").glob("*.md")
                 for label in coursework.EXERCISE_LABEL.findall(path.read_text(encoding="utf-8"))}
    assert exercises - graded - set(rubrics) == set()
    assert set(rubrics) <= exercises - graded   # no rubric for a missing or an autograded exercise
    for key, entry in rubrics.items():
        assert entry["points"] > 0 and len(entry["criteria"]) == entry["points"], key


def test_the_course_plan_schedules_and_weights_every_autograded_notebook():
    from icaria import syllabus

    plan = (paths.REPO_ROOT / "book" / "course-plan.md").read_text(encoding="utf-8")
    table = plan[plan.index(syllabus.NOTEBOOKS_START):plan.index(syllabus.NOTEBOOKS_END)]
    assert table.strip() == (syllabus.NOTEBOOKS_START + "\n\n" + syllabus.notebooks_table(syllabus.notebook_points()))
    for chapter in coursework.chapters():
        assert syllabus.notebook_session(f"notebooks/{chapter}") in syllabus.SESSIONS, chapter
        assert syllabus.page_reference(f"notebooks/{chapter}") in table, chapter
    shares = [float(line.rsplit("|", 2)[1].strip(" %")) for line in table.strip().splitlines()[4:-1]]
    assert len(shares) == len(coursework.chapters())
    assert abs(sum(shares) - syllabus.NOTEBOOKS_SHARE) <= 0.05 * len(shares)   # each rounded to 0.1

def test_each_listed_mistake_is_a_description_and_an_expression():
    """The mistakes of the specs (that each fails the answer for at least 95% of IDs is
    scripts/check_mistakes.py's to show, on 200 IDs) are well formed."""
    for chapter in coursework.chapters():
        for answer in coursework.spec(chapter):
            for mistake in answer["mistakes"]:
                assert set(mistake) == {"what", "value"} and compile(mistake["value"], "mistake", "eval")


# A representative slice of the chapters x students matrix (every chapter for many IDs is
# scripts/grade_matrix.py's, about a minute a chapter and student): the two chapters that
# once built for nobody (6, 10: a scorecard column a student's view dropped), a new chapter
# on a twin variant (13), and an ID at each edge of the set.
BUILD_SLICE = [("06-who-was-in-the-trial", "s001"), ("10-safety", "Z-9_" + "x" * 36),
               ("13-estimands-and-bias", "Z-9_" + "x" * 36), ("06-who-was-in-the-trial", "nan")]


@pytest.mark.parametrize("chapter, student", BUILD_SLICE)
def test_a_chapters_assignment_builds_for_a_student(chapter, student, tmp_path):
    """The student's copy of the chapter runs top to bottom on that student's twin."""
    path = coursework.student_notebook(chapter, student, tmp_path)
    book = nbformat.read(path, as_version=4)
    assert book.metadata["icaria"] == {"chapter": chapter, "student": student}


def test_every_awkward_id_gets_its_own_folder_named_after_it(tmp_path):
    """The twenty awkward IDs within the rule (numbers, value-like words, Unicode, spaces,
    a device name, the longest): each notebook lands in the folder coursework.folder_name
    derives from its ID, right inside the output folder, and no two share one (even
    ignoring case); the notebook names the ID itself (NFC). Executing them is
    scripts/grade_matrix.py --fast --awkward's (every chapter)."""
    import unicodedata

    for student in coursework.AWKWARD_IDS:
        path = coursework.student_notebook("06-who-was-in-the-trial", student, tmp_path, run=False)
        assert path.parent == tmp_path / coursework.folder_name(student)
        assert path.resolve().parent.parent == tmp_path.resolve()
        assert nbformat.read(path, as_version=4).metadata["icaria"]["student"] == \
            unicodedata.normalize("NFC", student)
    assert len({path.name.lower() for path in tmp_path.iterdir()}) == len(coursework.AWKWARD_IDS)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Chapter 5's assignment for alice and bob: expected values (reference solutions
    run on each twin) and blank notebooks, in scratch folders."""
    kit, out = tmp_path_factory.mktemp("kit"), tmp_path_factory.mktemp("assignments")
    expected = {student: coursework.reference_values(CHAPTER, student, kit) for student in ("alice", "bob")}
    blank = coursework.student_notebook(CHAPTER, "alice", out, run=False)
    return {"kit": kit, "out": out, "expected": expected, "blank": blank, "grades": {}}


def grade(graded, path, student):
    """The grade of ``path`` as ``student``'s, computed once per file and student (the
    reference solution is graded for several tests; each grading runs the chapter)."""
    key = (str(path), student)
    if key not in graded["grades"]:
        graded["grades"][key] = coursework.grade(path, student, graded["kit"])
    return graded["grades"][key]


@pytest.mark.parametrize("student", ["alice", "bob"])
def test_the_reference_solution_on_a_students_twin_gets_full_marks(graded, student):
    score, possible, lines = grade(graded, graded["kit"] / student / "solutions" / f"{CHAPTER}.ipynb", student)
    assert possible == len(graded["expected"][student])
    assert score == possible, lines


def test_the_blank_notebook_gets_zero_through_the_command(graded, monkeypatch, capsys):
    monkeypatch.setattr(coursework, "KIT", graded["kit"])
    monkeypatch.setattr(coursework, "ASSIGNMENTS", graded["out"])
    assert coursework.main(["grade", str(graded["blank"]), "--student", "alice"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == f"score: 0/{len(graded['expected']['alice'])}"
    for name in graded["expected"]["alice"]:   # each lost point says why
        assert f"  lost: {name} has no answer yet" in lines, lines


def answered(graded, student, answers, tmp_path):
    """The blank notebook of ``student`` with ``answers`` (name: code) in its answer cells."""
    book = nbformat.read(graded["blank"], as_version=4)
    for cell in book.cells:
        for name, code in answers.items():
            cell.source = re.sub(rf"^{name} = \.\.\.", f"{name} = {code}", cell.source, flags=re.M)
    path = tmp_path / f"{CHAPTER}.ipynb"
    nbformat.write(book, path)
    return path


def test_the_expected_values_are_out_of_a_submissions_reach_by_name(graded, tmp_path):
    """The old exploit (the grader named its expected values in an environment variable)
    scores nothing, and the grader points the instructor at the cell that tried it."""
    names = list(graded["expected"]["alice"])
    exploit = {name: f"__import__('json').load(open(__import__('os').environ['ICARIA_EXPECTED']))"
                     f"[{name!r}]['value']" for name in names}
    score, _, lines = grade(graded, answered(graded, "alice", exploit, tmp_path), "alice")
    assert score == 0, lines
    assert lines[0].startswith("note: changed code cell(s)"), lines
    assert [line for line in lines if line.startswith("note: code cell") and "raised KeyError" in line], lines


def test_a_submission_that_reads_the_kit_is_pointed_out(graded, tmp_path):
    """The submission runs in the sandbox, where the kit is not: reading it fails, scores
    nothing, and the changed cell is still named for the instructor to read."""
    kit = graded["kit"] / "alice" / "expected" / f"{CHAPTER}.json"
    names = list(graded["expected"]["alice"])
    cheat = {name: f"__import__('json').load(open({str(kit)!r}))[{name!r}]['value']" for name in names}
    score, _, lines = grade(graded, answered(graded, "alice", cheat, tmp_path), "alice")
    assert score == 0, lines
    assert lines[0].startswith("note: changed code cell(s)"), lines
    assert [line for line in lines if "raised FileNotFoundError" in line], lines


def test_the_reference_notebook_draws_no_note(graded):
    _, _, lines = grade(graded, graded["kit"] / "alice" / "solutions" / f"{CHAPTER}.ipynb", "alice")
    assert not [line for line in lines if line.startswith("note:")], lines


def test_another_students_answers_fail_on_this_students_twin(graded):
    """Alice's reference solution, handed in as bob's: the twins differ, so it loses marks."""
    assert graded["expected"]["alice"] != graded["expected"]["bob"]
    score, possible, _ = grade(graded, graded["kit"] / "alice" / "solutions" / f"{CHAPTER}.ipynb", "bob")
    assert score < possible


def test_the_grader_refuses_a_student_off_the_class_list(graded, tmp_path, capsys):
    roster = tmp_path / "class.txt"
    roster.write_text("bob\ncarol\n")
    with pytest.raises(SystemExit) as stopped:
        coursework.main(["grade", str(graded["blank"]), "--student", "alice", "--class-list", str(roster)])
    assert stopped.value.code == 2
    assert "not on the class list" in capsys.readouterr().err


def test_a_renamed_download_is_matched_to_its_chapter(tmp_path):
    path = tmp_path / f"{CHAPTER} (1).ipynb"
    nbformat.write(nbformat.v4.new_notebook(), path)
    assert coursework.made_for(path) == (CHAPTER, None)


def test_the_grader_refuses_a_notebook_it_does_not_know(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        coursework.main(["grade", str(tmp_path / "missing.ipynb"), "--student", "alice"])
    assert stopped.value.code == 2
    assert "Cannot read" in capsys.readouterr().err


def kit_strings(expected):
    """What the instructor's kit holds that no student may read: each line of the key and
    model answers in instructor/, and each student's expected value written in full."""
    strings = {repr(answer["value"]) for values in expected.values() for answer in values.values()
               if isinstance(answer["value"], float)}
    for page in (paths.REPO_ROOT / "instructor").glob("*.md"):
        strings |= {line.strip() for line in page.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 40}
    return strings


def test_no_answer_of_the_kit_in_a_students_notebook_or_the_site(graded):
    """Neither the key, nor an expected value, nor (in the notebook) the reference code
    that computes it; the book's own solutions stay on the site, folded."""
    strings = kit_strings(graded["expected"])
    references = {answer["reference"] for chapter in coursework.chapters() for answer in coursework.spec(chapter)}
    notebook = nbformat.read(graded["blank"], as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "solution-start" not in text and "What you should see" not in text
    assert [string for string in strings | references if string in text] == []
    site = paths.REPO_ROOT / "_build" / "html"
    for page in site.rglob("*.html") if site.is_dir() else []:
        html = page.read_text(encoding="utf-8", errors="replace")
        assert [string for string in strings if string in html] == [], page


def test_a_students_notebook_reads_their_own_twin_and_asks_each_answer(graded):
    """The set-up cell points the loader and the generator at the student's twin; each
    graded answer has its line to fill in."""
    notebook = nbformat.read(graded["blank"], as_version=4)
    assert notebook.metadata["icaria"] == {"chapter": CHAPTER, "student": "alice"}
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "STUDENT = 'alice'" in text
    for name in graded["expected"]["alice"]:
        assert re.search(rf"^{name} = \.\.\.  # ", text, re.M), name


def test_a_students_twin_is_shown_as_theirs_beside_the_paper(graded):
    """On a student's twin the scorecard's column is "your twin" and nothing is judged
    against the paper (no status column): the numbers are the student's, not the book's."""
    book = nbformat.read(graded["kit"] / "alice" / "solutions" / f"{CHAPTER}.ipynb", as_version=4)
    tables = [output["data"]["text/html"] for cell in book.cells for output in cell.get("outputs", [])
              if "text/html" in output.get("data", {}) and ">published<" in output["data"]["text/html"]]
    assert tables
    for table in tables:
        assert ">your twin<" in table and ">book<" not in table and ">status<" not in table


def test_no_expected_value_is_printed_in_a_students_notebook(graded):
    """Typing a number the notebook shows must not score: no expected value appears in
    the text or the teaching cells' outputs at the precision they print (the reference
    solution, answer cells aside, is the student's notebook as run on their twin). A
    chapter that shows a graded quantity shows it to every student; a hit for one student
    alone would be a coincidence with another of the chapter's numbers."""
    printed = []
    for student in ("alice", "bob"):
        book = nbformat.read(graded["kit"] / student / "solutions" / f"{CHAPTER}.ipynb", as_version=4)
        assert coursework.shown_text(book)   # the teaching cells' outputs are there
        printed.append(set(coursework.printed_answers(book, graded["expected"][student])))
    assert printed[0] & printed[1] == set()


def test_the_printed_value_check_finds_a_value_at_its_printed_precision():
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("HR 0.5969 (0.44-0.81); 155 events")])
    expected = {"hr": {"kind": "number", "value": 0.596857, "log_tolerance": 0.01},
                "events": {"kind": "number", "value": 155}, "other": {"kind": "number", "value": 0.7},
                "few": {"kind": "number", "value": 44},
                "tight": {"kind": "number", "value": 0.596857, "tolerance": 0.00001}}   # 0.5969 would not score
    assert coursework.printed_answers(book, expected) == ["hr", "events"]


def solution_notebook(label, output, before="", after=""):
    """A hand-made executed chapter: ``before`` (markdown), exercise ``label``'s folded
    solution whose code cell printed ``output``, then ``after`` (markdown)."""
    cell = nbformat.v4.new_code_cell("print(answer)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(f"{before}\n\n```{{exercise}} A\n:label: {label}\n\nDo it.\n```\n\n"
                                      f"```{{solution-start}} {label}\n:class: dropdown\n```"),
        cell, nbformat.v4.new_markdown_cell(f"The method.\n```{{solution-end}}\n```\n\n{after}")])


def test_a_value_printed_with_more_digits_than_usual_is_found():
    """Six or more decimals, or a value printed at full precision, still score if typed."""
    book = solution_notebook("ex-b", "p = 0.01975028; HR 0.6968849166", before="HR 0.1234567890123")
    expected = {"p": {"kind": "number", "value": 0.019750281, "tolerance": 5e-6, "exercise": "ex-a"},
                "hr": {"kind": "number", "value": 0.69688491663, "log_tolerance": 0.001, "exercise": "ex-a"},
                "long": {"kind": "number", "value": 0.12345678901234, "tolerance": 1e-9},
                "other": {"kind": "number", "value": 0.0197, "tolerance": 1e-6}}
    assert coursework.printed_answers(book, expected) == ["p", "hr", "long"]


def test_a_small_count_is_found_in_its_own_exercises_solution_only():
    """A count under 100 is printed when the solution of the answer's exercise (or a line
    naming the answer) shows it; the same count elsewhere is one of the chapter's many."""
    book = solution_notebook("ex-ttp", "PARAMCD  PFS  TTP\nIsa-Pd    61   57\nPd        75   70\n",
                             before="Table: 57 patients, 12 sites", after="deaths = 41 and 33")
    expected = {"ttp": {"kind": "number", "value": 57, "exercise": "ex-ttp"},
                "ttp_pd": {"kind": "number", "value": 70, "exercise": "ex-ttp"},
                "elsewhere": {"kind": "number", "value": 12, "exercise": "ex-other"},
                "unlabelled": {"kind": "number", "value": 57},
                "deaths": {"kind": "number", "value": 33, "exercise": "ex-other"}}
    assert coursework.printed_answers(book, expected) == ["ttp", "ttp_pd", "deaths"]   # "deaths" names its line


def test_a_value_rounded_inside_its_tolerance_is_found():
    """Two decimals within a 0.005 tolerance, or one decimal within 0.05, score if typed:
    printed; one decimal outside the tolerance is not. Percentages count over 100."""
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "mean age 67.83 years; ORR 0.6 (others 67.8); response 60.4% of patients")])
    expected = {"age": {"kind": "number", "value": 67.8312, "tolerance": 0.005},
                "age_tight": {"kind": "number", "value": 67.8312, "tolerance": 0.001},
                "orr": {"kind": "number", "value": 0.6499, "tolerance": 0.05},
                "orr_far": {"kind": "number", "value": 0.6601, "tolerance": 0.05},
                "share": {"kind": "number", "value": 0.6043, "tolerance": 0.001}}
    assert coursework.printed_answers(book, expected) == ["age", "orr", "share"]


def test_another_number_inside_the_tolerance_is_a_coincidence_not_the_answer():
    """A number is the answer only if it is the answer at its printed precision: 0.4359
    is not 0.43427 printed, though a 0.005 tolerance would take it."""
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("CI 0.4359 to 0.8212; 0.434")])
    expected = {"km": {"kind": "number", "value": 0.43427, "tolerance": 0.005},
                "km_other": {"kind": "number", "value": 0.4319, "tolerance": 0.005}}
    assert coursework.printed_answers(book, expected) == ["km"]


def test_a_hazard_ratio_is_accepted_within_its_log_tolerance():
    expected = {"kind": "number", "value": 0.6, "tolerance": 0, "log_tolerance": 0.01}
    assert coursework.within(0.6 * 1.0099, expected) and coursework.within(0.6 / 1.0099, expected)
    assert not coursework.within(0.6 * 1.0102, expected) and not coursework.within(-0.6, expected)
