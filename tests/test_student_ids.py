"""Student IDs are names, never paths: the stated rule (coursework.STUDENT_ID_RULE), each
of its refusals in one line, and the one function that derives every folder and file
name from an ID (coursework.folder_name): safe ASCII IDs keep their name, every other
ID gets an ASCII slug and a hash, so no two IDs share a folder, on any file system.
A Unicode ID builds and grades a chapter (the fast path of scripts/grade_matrix.py);
its hand-out links are tested in test_public_copy.py."""

import os
import random
import re
import subprocess
import sys
import unicodedata

import pytest

from icaria import coursework, paths
from icaria.arguments import ArgumentError
from icaria.twin import draw_seeds, student_seeds

DEVICE = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?", re.I)   # Windows, extensions included
DERIVED = re.compile(r"[A-Za-z0-9_-]{1,40}~[0-9a-f]{10}")


# -- the rule ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("student, fault", [
    ("", "it is empty"),
    ("x" * 65, "it is 65 characters long"),
    ("é" * 65, "it is 65 characters long"),
    ("../x", "path separator '/'"), ("/tmp/x", "path separator '/'"), ("s001/", "path separator '/'"),
    ("C:\\x", "disallowed character ':'"), ("a\\b", "path separator '\\\\'"),
    ("a\tb", "control character '\\t'"), ("s001\n", "control character '\\n'"), ("a\x00b", "control character"),
    ("a\u200bb", "format character '\\u200b'"), ("\u202eabc", "format character"), ("a\ufeff", "format character"),
    ("a\u00a0b", "space character '\\xa0'"), ("a\u3000b", "space character"),
    (" s001", "starts or ends with a space"), ("s001 ", "starts or ends with a space"),
    ("-x", "starts with '-'"), ("--student", "starts with '-'"),
    (".", "no letter, digit or '_'"), ("..", "no letter, digit or '_'"), ("@'", "no letter, digit or '_'"),
    ("a*b", "disallowed character '*'"), ("a?b", "disallowed"), ("a|b", "disallowed"), ("a\"b", "disallowed"),
    ("a<b>", "disallowed"), ("x½", "disallowed character '½'"), ("a,b", "disallowed"), ("a;b", "disallowed"),
    ("😀", "disallowed"), ("$HOME", "disallowed character '$'"), ("~x", "disallowed character '~'"),
])
def test_an_id_outside_the_rule_is_refused_in_one_line_naming_the_rule_and_the_fault(student, fault):
    with pytest.raises(ArgumentError) as refused:
        coursework.student_id(student)
    message = str(refused.value)
    assert message.startswith(f"A student ID is {coursework.STUDENT_ID_RULE}; got ") and fault in message
    assert "\n" not in message


@pytest.mark.kit
@pytest.mark.parametrize("student", ["a\tb", "a\u200bb", "x" * 65, "..", "C:\\x", "a\u00a0b"])
def test_the_command_line_refuses_an_id_in_one_line_before_writing_anything(student, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(coursework, "ASSIGNMENTS", tmp_path / "assignments")
    with pytest.raises(SystemExit) as stopped:
        coursework.main(["assignments", f"--student={student}", "--chapter", "05-endpoints-and-censoring"])
    assert stopped.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2   # usage and the message
    assert list(tmp_path.iterdir()) == []


def test_an_id_that_is_not_text_is_refused_in_one_line():
    for student in (None, 7, b"alice"):
        with pytest.raises(ArgumentError, match=r"A student ID is .*\(not text\)\.$"):
            coursework.student_id(student)


@pytest.mark.parametrize("student", ["s001", "A-9_z", "x" * 40, "CON", "nul", "Com1", "é", "a b", "x" * 64,
                                     "élève", "\u0391lice", "a.b", "..a", ".env", "J.R.R.", "O'Brien",
                                     "ana@uni.example", "Nguyễn Văn An", *coursework.AWKWARD_IDS])
def test_an_id_within_the_rule_is_accepted_in_its_nfc_form(student):
    assert coursework.student_id(student) == unicodedata.normalize("NFC", student)


def test_an_accent_typed_apart_from_its_letter_is_the_same_id_folder_and_twin():
    composed, apart = "Zo\u00eb Durand", "Zoe\u0308 Durand"
    assert composed != apart and coursework.student_id(apart) == composed
    assert coursework.folder_name(apart) == coursework.folder_name(composed)
    assert draw_seeds(apart, 0) == draw_seeds(composed, 0)
    assert coursework.student_folder(apart) == coursework.student_folder(composed)


def test_existing_ascii_ids_keep_their_twins_seeds():
    """The seeds come from the ID's NFC UTF-8 bytes: for an ASCII ID, its bytes as before,
    so a student's twin is the one they already had (values written down from the code
    before IDs took Unicode)."""
    assert draw_seeds("alice", 0)["randomisation"] == 11912671274532714992
    assert draw_seeds("alice", 0)["treatment/Pd"] == 14434593083428690145
    assert student_seeds("s001")["survival/Pd"] == 13643323604728835392


def test_the_twenty_awkward_ids_are_distinct_ids_within_the_rule():
    assert len(coursework.AWKWARD_IDS) == 20
    assert len({coursework.id_key(student) for student in coursework.AWKWARD_IDS}) == 20
    normal = [coursework.student_id(student) for student in coursework.AWKWARD_IDS]
    assert max(map(len, normal)) == coursework.ID_LENGTH
    assert any(" " in student for student in normal) and any(not student.isascii() for student in normal)
    assert any(unicodedata.normalize("NFC", s) != s for s in coursework.AWKWARD_IDS)   # given decomposed
    assert any(unicodedata.bidirectional(c) == "AL" for s in normal for c in s)   # right to left
    assert any(unicodedata.category(c).startswith("M") for s in normal for c in s)   # marks that stay marks


# -- folder names -----------------------------------------------------------------------------------

OLD_RULE = re.compile(r"(?!-)[A-Za-z0-9_-]{1,40}")
OLD_AWKWARD = ("0", "_", "007", "1e5", "0x1F", "nan", "None", "True", "inf", "__init__", "Alice", "ALICE_",
               "CON_", "nul-1", "COM10", "a--b", "z-", "x" * 40, "_" * 40, "9" * 39 + "Z")


@pytest.mark.parametrize("student", ["s001", "Zoe-2026", "q_7", "alice", *OLD_AWKWARD])
def test_an_id_of_the_old_rule_keeps_its_folder_name(student):
    assert coursework.folder_name(student) == student


def test_the_folder_name_of_any_other_id_is_a_slug_and_a_hash_that_is_safe_everywhere():
    students = [*coursework.AWKWARD_IDS, "CON", "nul", "Com1", "LPT9", "CON.txt", "..a", ".env", "a.", "x" * 41,
                "x" * 64, "é" * 64, "a b", "A B", "a_b", "ß", "SS"]
    for student in students:
        name = coursework.folder_name(student)
        if OLD_RULE.fullmatch(student) and not DEVICE.fullmatch(student):
            assert name == student
            continue
        assert DERIVED.fullmatch(name), (student, name)
        assert not DEVICE.fullmatch(name) and len(name) <= 51   # "CON~..." is no device: only "CON" or "CON.x"
        digest = __import__("hashlib").sha256(coursework.student_id(student).encode("utf-8")).hexdigest()
        assert name.endswith("~" + digest[:10])


def test_folder_names_are_stable():
    """Written down once: a kit, a hand-out branch or a gradebook made today is found
    under the same names tomorrow and on another machine."""
    assert coursework.folder_name("Élodie Lefèvre") == "Elodie_Lefevre~9129af0249"
    assert coursework.folder_name("山田 太郎") == "id~ed6d53c9da"
    assert coursework.folder_name("a.b") == "a_b~2e7336dc8e"
    assert coursework.folder_name("CON") == "CON~" + __import__("hashlib").sha256(b"CON").hexdigest()[:10]


def test_no_two_ids_share_a_folder_even_ignoring_case(tmp_path):
    """The awkward IDs, their case and accent variants, and 2,000 random IDs of the rule
    (several scripts, spaces, punctuation): distinct IDs, distinct folder names, also
    after lower-casing (macOS and Windows); each name makes one folder right inside the
    output folder and reads back unchanged."""
    rng = random.Random(33)
    alphabet = "abcABC019_-.'@ éÉèñÑüßẞøØåÅ山田太郎王芳محمدعلیअंकिताΑλίκηЖжＡａ１"
    students = {coursework.student_id(s) for s in coursework.AWKWARD_IDS}
    students |= {variant for s in list(students) for variant in (s.upper(), s.lower(), s.swapcase())
                 if not coursework.id_fault(unicodedata.normalize("NFC", variant))}
    while len(students) < 2000 + 60:
        candidate = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 64)))
        candidate = unicodedata.normalize("NFC", candidate)
        if not coursework.id_fault(candidate):
            students.add(candidate)
    names = {student: coursework.folder_name(student) for student in students}
    assert len(set(names.values())) == len(students)
    ascii_safe = {s for s in students if OLD_RULE.fullmatch(s) and not DEVICE.fullmatch(s)}
    folded = {name.lower() for student, name in names.items() if student not in ascii_safe}
    assert len(folded) == len(students) - len(ascii_safe)   # derived names: unique ignoring case
    assert not {name.lower() for name in folded} & {s.lower() for s in ascii_safe}
    sample = sorted(names.values())[:300]
    for name in sample:
        (tmp_path / name).mkdir()
    assert sorted(os.listdir(tmp_path)) == sample
    assert all((tmp_path / name).resolve().parent == tmp_path.resolve() for name in sample)


def test_the_books_own_twin_has_a_kit_folder_no_student_can_have():
    assert not DERIVED.fullmatch(coursework.BOOK_FOLDER) and not OLD_RULE.fullmatch(coursework.BOOK_FOLDER)
    assert coursework.folder_name("book") == "book"


# -- a class list --------------------------------------------------------------------------------------

def test_a_class_list_is_read_as_utf8_in_nfc_and_keeps_its_ids_as_given(tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("# the class\nZoe\u0308 Durand\n山田 太郎\nZo\u00eb Durand\ns001\n", encoding="utf-8")
    assert coursework.class_list(roster) == ["Zo\u00eb Durand", "山田 太郎", "s001"]   # one Zoë, not two
    coursework.on_class_list("Zoe\u0308 Durand", roster)


@pytest.mark.parametrize("first, second", [("Élodie", "ÉLODIE"), ("Élodie", "e\u0301lodie"), ("straße", "STRASSE"),
                                           ("alice", "Alice")])
def test_a_class_list_with_two_ids_that_differ_only_by_case_or_unicode_form_is_refused(first, second, tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text(f"{first}\nbob\n{second}\n", encoding="utf-8")
    with pytest.raises(ArgumentError, match="differ only by case or Unicode form") as refused:
        coursework.class_list(roster)
    assert "\n" not in str(refused.value)


# -- a Unicode ID builds and grades -----------------------------------------------------------------

@pytest.mark.kit
def test_a_unicode_id_builds_a_chapter_and_its_reference_gets_full_marks_and_a_blank_zero():
    """The fast path of scripts/grade_matrix.py, in its own process (it points the session
    at the student's twin): the chapter's cells run on the twin of an ID with spaces,
    Arabic and a decomposed accent; the reference scores full marks, a blank zero."""
    student = "محمد Zoe\u0308"
    done = subprocess.run([sys.executable, str(paths.REPO_ROOT / "scripts" / "grade_matrix.py"), "--fast",
                           "--student", student, "--chapter", "05-endpoints-and-censoring", "--jobs", "1"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| 05-endpoints-and-censoring | 1/1 | 1/1 | 1/1 |" in done.stdout
    assert "every ID builds, full marks, blank zero." in done.stdout


def test_a_students_twin_is_cached_per_generator(tmp_path, monkeypatch):
    """A twin written by an older generator (another twin code or book twin) sits in
    another folder and is never read as this generator's: the key is a digest of the
    twin package's sources and the book twin's checksums."""
    import shutil

    from icaria import sandbox
    from icaria import twin as twins

    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(sandbox.STUDENTS_ENV, raising=False)
    key = coursework.twin_generator_key()
    assert coursework.student_folder("alice").parent.name == key
    copy = tmp_path / "twin"
    shutil.copytree(os.path.dirname(twins.__file__), copy)
    monkeypatch.setattr(twins, "__file__", str(copy / "__init__.py"))
    assert coursework.twin_generator_key.__wrapped__() == key
    (copy / "outcomes.py").write_text((copy / "outcomes.py").read_text() + "\n# changed\n")
    assert coursework.twin_generator_key.__wrapped__() != key


def test_a_class_list_saved_by_a_spreadsheet_is_read(tmp_path):
    """UTF-8 with a byte-order mark and Windows line ends, as Excel and Notepad save it."""
    roster = tmp_path / "class.csv"
    roster.write_bytes("\ufeffÉlodie Lefèvre\r\ns001\r\n".encode("utf-8"))
    assert coursework.class_list(roster) == ["Élodie Lefèvre", "s001"]


@pytest.mark.kit
def test_a_notebook_made_for_a_decomposed_id_is_that_students(tmp_path):
    import nbformat

    book = nbformat.v4.new_notebook()
    book.metadata["icaria"] = {"chapter": "05-endpoints-and-censoring", "student": "Zoe\u0308 Durand"}
    nbformat.write(book, tmp_path / "05-endpoints-and-censoring.ipynb")
    assert coursework.made_for(tmp_path / "05-endpoints-and-censoring.ipynb") == (
        "05-endpoints-and-censoring", "Zo\u00eb Durand")
