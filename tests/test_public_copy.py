"""Nothing a student can reach holds the key (issue 33).

This repository is the course's private one; every student route uses the public copy
that ``python3 make.py public DEST`` exports (``scripts/export_public.py``). The tests
export it, ``git clone`` it as a student would, and look for any way to read or
compute an expected value there. Then the hand-out: each student's links open their
own notebook and no other's. ``scripts/check_student_clone.py`` runs the text check for
every chapter and more IDs; the suite runs a slice: chapter 3's solutions on two
students' twins (``scripts/full_matrix.py`` runs chapters 0, 1 and 3 here)."""

import csv
import importlib.util
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from conftest import representative

from icaria import coursework, handout

REPO_ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.kit


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


exporter = load_script("export_public")
checker = load_script("check_student_clone")


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """The public copy of this repository's HEAD, cloned as a student would."""
    folder = tmp_path_factory.mktemp("public")
    exported = exporter.export(folder / "public")
    target = folder / "clone"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", exported.as_uri(), str(target)], check=True)
    return target


def in_clone(clone, *command, **env):
    return subprocess.run([sys.executable, *command], cwd=clone, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(clone), **env})


def test_every_private_path_is_in_this_repository_and_listed_once():
    assert len(set(exporter.PRIVATE_PATHS)) == len(exporter.PRIVATE_PATHS)
    for path in exporter.PRIVATE_PATHS:
        assert (REPO_ROOT / path).exists(), f"{path} is listed as private but is not here"
    assert exporter.is_private("instructor/assignments/05-endpoints-and-censoring.toml")
    assert not exporter.is_private("instructor-guide.md") and not exporter.is_private("book/instructor-guide.md")


def test_the_clone_holds_no_private_path_no_reference_and_no_expected_values(clone):
    listed = subprocess.run(["git", "log", "--all", "--name-only", "--format="], cwd=clone, capture_output=True,
                            text=True, check=True).stdout.split()
    assert listed and not [path for path in listed if exporter.is_private(path)]
    assert not [path for path in listed if re.search(r"(^|/)expected/[^/]+\.json$|assignments/[^/]+\.toml$", path)]
    assert (clone / exporter.PUBLIC_MARK).is_file() and not (clone / "instructor").exists()
    references = {a["reference"] for chapter in coursework.chapters() for a in coursework.spec(chapter)}
    assert len(references) > 40
    # A reference is evaluated after the chapter's own solution code, public by design, so a
    # bare name (`lagged_hr`) is a variable of a solution; whether a solution PRINTS a graded
    # value is the runs' check below. Outside the chapters no reference may appear.
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in clone.rglob("*")
             if path.is_file() and ".git" not in path.parts and path.parent.name != "notebooks"]
    assert not [reference for reference in references if any(reference in text for text in texts)]
    assert not [text[:80] for text in texts if "[[answer]]" in text]   # no spec, whatever its name
    # the book the students read is the private repository's, byte for byte
    for name in ("notebooks/05-endpoints-and-censoring.md", "icaria/coursework.py", "_config.yml"):
        assert (clone / name).read_bytes() == (REPO_ROOT / name).read_bytes()


def test_the_kit_refuses_in_one_line_in_the_clone(clone):
    commands = (["instructor-kit", "--student", "s001"], ["assignments", "--student", "s001"],
                ["grade", "notebooks/05-endpoints-and-censoring.ipynb", "--student", "s001"])
    with ThreadPoolExecutor(max_workers=2) as pool:   # separate processes: two at a time on two cores
        runs = list(pool.map(lambda command: in_clone(clone, "-m", "icaria.coursework", *command), commands))
    for done in runs:
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1, done.stderr
        assert "instructor kit is not part of this copy" in lines[0] and "Traceback" not in done.stderr
    called = in_clone(clone, "-c", "from icaria import coursework\ntry:\n"
                      "    coursework.reference_values('05-endpoints-and-censoring', 's001')\n"
                      "except coursework.KitMissing as error:\n    print('refused:', error)")
    assert called.returncode == 0 and called.stdout.startswith("refused: The instructor kit is not part"), called
    public = in_clone(clone, "make.py", "public", str(clone.parent / "again"))
    assert public.returncode != 0 and "public copy" in public.stderr and "Traceback" not in public.stderr


def test_the_clone_skips_the_kit_tests_with_a_reason_even_under_ci(clone):
    done = in_clone(clone, "-m", "pytest", "tests/test_reporting.py::test_the_checklists_have_every_item",
                    "-p", "no:randomly", "-q", "-rs", CI="true")
    assert done.returncode == 0 and "1 skipped" in done.stdout, done.stdout[-800:]
    assert "instructor kit is not part of the public copy" in done.stdout


def test_the_public_copy_is_what_every_student_route_uses(clone):
    """One address, _config.yml's repository.url: the website's buttons, the hub link,
    the Colab set-up cell of every chapter and the hand-out links name it; and the
    clone's website sources name no private file."""
    url = handout.public_repository()
    assert url.startswith("https://github.com/")
    chapters = sorted((clone / "notebooks").glob("[0-9][0-9]-*.md"))
    assert chapters and all(f'url = "{url}"' in path.read_text(encoding="utf-8") for path in chapters)
    sync = (REPO_ROOT / "scripts" / "sync_notebooks.py").read_text(encoding="utf-8")
    assert "https://github.com" not in sync, "the set-up cell's address is _config.yml's, not a copy"
    toc = (clone / "_toc.yml").read_text(encoding="utf-8")
    for page in re.findall(r"file: (\S+)", toc):
        assert list(clone.glob(page + ".*")), f"{page} of the table of contents is missing from the public copy"
    for path in [*clone.glob("book/*.md"), *clone.glob("notebooks/*.md")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\]\([^)]*instructor/|\{(doc|download)\}`[^`]*instructor/", text), path.name


# -- graded answers a student cannot read off the book ------------------------------------------

# Chapters whose solutions run on the students' twins: the suite's slice is chapter 3 (a
# graded chapter, and the one whose expected values are checked against the grader's);
# under the full matrix, chapters 0, 1 and 3. The script checks every chapter, three IDs.
GRADER_CHAPTER = "03-sample-size-and-interim-looks"
SAME_CHAPTERS = representative(("00-survival-primer", "01-trial-at-a-glance", GRADER_CHAPTER),
                               lambda chapter: "graded chapter", last=True)
CLONE_CHAPTERS = [chapter for chapter in SAME_CHAPTERS if chapter != "01-trial-at-a-glance"]
IDS = ("s001", "Zoe-2026")


@pytest.fixture(scope="module")
def book_runs(clone, tmp_path_factory):
    """The book's chapters (SAME_CHAPTERS) WITH their solutions, run on two students'
    twins from the clone's package: (expected values, executed notebook) by (chapter, student)."""
    folder = tmp_path_factory.mktemp("runs")
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(clone)
    try:
        return {(chapter, student): checker.run_book(chapter, student, folder)
                for chapter in SAME_CHAPTERS for student in IDS}
    finally:
        os.environ["PYTHONPATH"] = before or ""


def test_the_chapter_with_its_solutions_prints_no_expected_value_of_the_student(book_runs):
    assert GRADER_CHAPTER in CLONE_CHAPTERS
    for chapter in CLONE_CHAPTERS:
        expected, book = book_runs[(chapter, IDS[0])]
        assert coursework.printed_answers(book, expected) == [], chapter


def test_the_one_run_check_agrees_with_the_graders_reference(book_runs, tmp_path):
    """The script's expected values (references evaluated after the book's solutions)
    are the grader's own (reference_values) for chapter 3."""
    chapter = GRADER_CHAPTER
    graded = coursework.reference_values(chapter, IDS[0], tmp_path)
    assert {name: answer["value"] for name, answer in graded.items()} == \
        {name: answer["value"] for name, answer in book_runs[(chapter, IDS[0])][0].items()}


def test_no_graded_answer_is_printed_by_the_books_notebooks_or_the_same_for_everyone(book_runs):
    for chapter in SAME_CHAPTERS:
        students = list(IDS)
        runs = {student: book_runs[(chapter, student)][0] for student in students}
        for student, expected in runs.items():
            assert coursework.printed_answers(checker.site_notebook(chapter), expected) == [], (chapter, student)
        same = [name for name in runs[students[0]]
                if len({json.dumps(runs[student][name]["value"]) for student in students}) == 1]
        assert same == [], (chapter, same)


# -- hand-out per student ----------------------------------------------------------------------

def test_each_students_links_open_their_own_notebook_and_no_others(tmp_path):
    """Also for Unicode IDs: the notebook sits in the ID's derived folder (ASCII), the
    links are plain ASCII URLs that parse back to that folder, and links.csv names the
    student by the ID itself (UTF-8)."""
    students, chapter = ["s001", "Zoe-2026", "Élodie Lefèvre", "山田 太郎", "a.b"], "05-endpoints-and-censoring"
    roster = tmp_path / "class.txt"
    roster.write_text("\n".join(students) + "\n", encoding="utf-8")
    url = handout.public_repository()
    rows = handout.handouts(coursework.class_list(roster), [chapter], tmp_path / "handouts",
                            assignments=tmp_path / "assignments", hub_url="https://hub.example.edu/",
                            run=False)
    with open(tmp_path / "handouts" / "links.csv", newline="", encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == rows
    assert [row["student"] for row in rows] == students
    branch = subprocess.run(["git", "branch", "--show-current"], cwd=tmp_path / "handouts", capture_output=True,
                            text=True).stdout.strip()
    assert branch == handout.BRANCH
    owner_name = urlsplit(url).path.strip("/")
    for row in rows:
        student, others = row["student"], [s for s in students if s != row["student"]]
        folder = coursework.folder_name(student)
        assert row["notebook"] == f"{folder}/{chapter}.ipynb" and folder.isascii()
        notebook = tmp_path / "handouts" / row["notebook"]
        import nbformat

        assert nbformat.read(notebook, as_version=4).metadata["icaria"] == {"chapter": chapter, "student": student}
        hub = urlsplit(row["hub_link"])
        query = {key: value[0] for key, value in parse_qs(hub.query).items()}
        assert (hub.scheme, hub.netloc, hub.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
        assert query["repo"] == url and query["branch"] == handout.BRANCH
        assert query["urlpath"] == f"lab/tree/{query['targetpath']}/{row['notebook']}"
        assert query["targetpath"] == handout.HUB_FOLDER != url.rsplit("/", 1)[-1]   # never into the book's clone
        colab = urlsplit(row["colab_link"])
        assert colab.netloc == "colab.research.google.com"
        assert unquote(colab.path) == f"/github/{owner_name}/blob/{handout.BRANCH}/{folder}/{chapter}.ipynb"
        for link in (row["hub_link"], row["colab_link"]):
            assert link.isascii() and " " not in link
            assert f"/{folder}/" in unquote(link)
            assert not any(f"/{coursework.folder_name(other)}/" in unquote(link) for other in others)


def test_the_handout_command_refuses_a_bad_class_list_and_hub_in_one_line(tmp_path, capsys):
    roster = tmp_path / "class.txt"
    roster.write_text("s001\n../x\n")
    with pytest.raises(SystemExit):
        handout.main(["--class-list", str(roster), "--out", str(tmp_path / "out")])
    assert "line 2" in capsys.readouterr().err
    with pytest.raises(coursework.ArgumentError, match="--hub must look like"):
        handout.hub_link("hub.example.edu", handout.public_repository(), "s001/x.ipynb")
