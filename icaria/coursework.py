"""Coursework: each student's own trial, a notebook of a chapter's exercises, and a grade.

Every student gets their own simulated twin (:func:`icaria.twin.student_twin`, seeds
derived from the student's ID). For each chapter with a spec in
``instructor/assignments/`` (which answers are graded, how the reference computes
them, with what tolerance), ``python -m icaria.coursework`` (``make.py`` runs it):

- ``assignments --student ID ...`` writes ``_build/assignments/NAME/NN-name.ipynb``
  (NAME: the ID's :func:`folder_name`, the ID itself when it is a plain ASCII name): the
  chapter without solutions or answers, a graded answer cell under each graded
  exercise and a note cell under the others, run on the student's twin (the teaching
  cells' outputs are theirs);
- ``instructor-kit --student ID ...`` writes ``_build/instructor-kit/``: what is in
  ``instructor/``, and per student the reference solutions (the chapter's own solution
  code run on the student's twin) and the expected values they give;
- ``grade NOTEBOOK --student ID`` grades one submission: the notebook runs in a
  bubblewrap sandbox (:mod:`icaria.sandbox`) that sees only the notebook, the
  student's twin and the packages, under time, memory and size limits; its answers
  come back as data and are compared here, in the grader's process, with that
  student's expected values (from the kit, computed when missing), which never enter
  the sandbox. It ends with ``score: X/Y``.
"""

import argparse
import datetime
import functools
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import tomllib
import unicodedata
from pathlib import Path

from icaria import paths, sandbox, scorecard
from icaria import twin as twins
from icaria.arguments import ArgumentError, MessageOnly

SPECS = paths.REPO_ROOT / "instructor" / "assignments"
NOTEBOOKS = paths.REPO_ROOT / "notebooks"
ASSIGNMENTS = paths.REPO_ROOT / "_build" / "assignments"
KIT = paths.REPO_ROOT / "_build" / "instructor-kit"
EXPECTED_MARK = "ICARIA-EXPECTED "
KINDS = ("number", "text", "date")

# What a student's copy of a chapter leaves out, as patterns over its MyST text.
REMOVED = {
    "solution with code": re.compile(r"```\{solution-start\}.*?```\{solution-end\}\n```\n", re.S),
    "solution": re.compile(r"(`{3,4})\{solution\}.*?\n\1\n", re.S),
    "self-check answers": re.compile(r"```\{admonition\} Answers\n:class: dropdown\n.*?\n```\n", re.S),
    "prediction answer": re.compile(r"```\{admonition\} What you should see\n:class: dropdown\n.*?\n```\n", re.S),
}
# What the chapters say about answers that a copy without them must not say.
NO_ANSWERS_HERE = re.compile(r";\s+the\s+answers\s+are\s+folded\s+below\.")
EXERCISE = re.compile(r"(`{3,4})\{exercise\}[^\n]*\n:label: (ex-[\w-]+)\n.*?\n\1\n", re.S)
CODE_CELL = re.compile(r"```\{code-cell\} ipython3\n(.*?)```\n", re.S)
CELL_OPTIONS = re.compile(r"\A(---\n.*?\n---\n|(:\w+:[^\n]*\n)+\n?)", re.S)   # [^\n]: an option line, not the cell


def student_text(text):
    """The chapter's MyST text without solutions and answers; also how many of each went."""
    removed = {}
    for name, pattern in REMOVED.items():
        text, removed[name] = pattern.subn("", text)
    text = NO_ANSWERS_HERE.sub(".", text)
    return re.sub(r"\n{3,}", "\n\n", text), removed


# -- the student's side: their twin, and the check the tests run ------------------------

# A student ID is a name as a class list holds it, never a path. The rule, on the ID after
# Unicode NFC normalisation (a precomposed 'é' and 'e' + combining accent are one ID):
# 1 to 64 characters, each a letter, mark or digit of any script, a space, or one of
# _ - . ' @; at least one letter, digit or '_'; no leading or trailing space; no leading
# '-' (a command line takes it for an option). Control and format characters (tab, line
# breaks, zero-width and direction marks), '/', '\' and every other character are
# refused. Two IDs of one class must differ after NFC and case folding (class_list).
# Folders and file names are never the ID itself unless it is already a safe ASCII name:
# folder_name derives them.
ID_PUNCTUATION = "_-.'@ "
ID_LENGTH = 64
STUDENT_ID_RULE = (f"1 to {ID_LENGTH} characters (after Unicode NFC) among letters, marks and digits of any "
                   "script, space and _ - . ' @, with at least one letter, digit or '_', no space at either "
                   "end and no leading '-'")
# IDs used unchanged as folder names (every ID of the book's earlier rule): ASCII letters,
# digits, '_' and '-', no leading '-', at most 40, not a Windows device name.
SAFE_NAME = re.compile(r"(?!-)[A-Za-z0-9_-]{1,40}")
DEVICE_NAMES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])", re.I)
FOLDER_HASH = 10   # hexadecimal digits of the SHA-256 of the ID's NFC UTF-8 bytes
BOOK_FOLDER = "book~twin"   # the book's own twin in a kit: no student's folder is named so

# Twenty IDs within the rule that other code could misread: numbers and words that look
# like values or Python names, the longest ASCII name, a Windows device name, Unicode
# (accents, a combining mark given apart from its letter, CJK, Arabic written right to
# left, Devanagari marks that have no precomposed form, a Greek look-alike of a Latin
# name, full-width letters), spaces inside, a dotted ID that looks like a file name, an
# ID ending in '.', an e-mail-like one and one of 64 characters. No two are one ID
# after NFC and case folding. scripts/grade_matrix.py --fast --awkward builds every
# chapter for them.
AWKWARD_IDS = ("Zoe\u0308 Durand", "山田 太郎", "محمد علي", "María José de la Santísima Trinidad Fernández-Ortega y "
               "Alcántara", "a.b", "अंकिता", "Élodie Lefèvre", "王芳", "Αλίκη", "ＡＢＣ１２３", "J.R.R.",
               "o'brien@uni.example", "0", "_", "nan", "None", "COM10", "__init__", "9" * 39 + "Z", "Alice")


def id_fault(student):
    """Why ``student`` (NFC text) breaks the rule, or '' when it keeps it."""
    if not student:
        return "it is empty"
    if len(student) > ID_LENGTH:
        return f"it is {len(student)} characters long"
    for character in student:
        category = unicodedata.category(character)
        if category[0] not in "LMN" or category in ("No", "Nl"):
            if character in ID_PUNCTUATION:
                continue
            kind = {"Cc": "control", "Cf": "format", "Zs": "space", "Zl": "line break", "Zp": "line break"}.get(
                category, "disallowed")
            what = "a path separator" if character in "/\\" else f"the {kind} character"
            return f"it holds {what} {character!r} (U+{ord(character):04X})"
    if student != student.strip(" "):
        return "it starts or ends with a space"
    if student.startswith("-"):
        return "it starts with '-'"
    if not any(character == "_" or unicodedata.category(character)[0] in "LN" for character in student):
        return "it has no letter, digit or '_'"
    return ""


def student_id(student):
    """``student`` in NFC if it is a student ID (:data:`STUDENT_ID_RULE`: a name, never a
    path), else an ArgumentError in one line naming the rule and the fault. Folder and
    file names come from :func:`folder_name`, never from the ID itself."""
    if not isinstance(student, str):
        raise ArgumentError(f"A student ID is {STUDENT_ID_RULE}; got {student!r} (not text).")
    normal = unicodedata.normalize("NFC", student)
    fault = id_fault(normal)
    if fault:
        raise ArgumentError(f"A student ID is {STUDENT_ID_RULE}; got {student!r} ({fault}).")
    return normal


def id_key(student):
    """What two IDs of one class must not share: the ID after NFC and case folding."""
    return unicodedata.normalize("NFC", student_id(student).casefold())


def folder_name(student):
    """The folder (and file) name of student ``student``'s files: the ID itself when it
    is a safe ASCII name (:data:`SAFE_NAME`, not a Windows device name), as it always
    was; else an ASCII slug of it, '~' and the first 10 hexadecimal digits of the SHA-256
    of its NFC UTF-8 bytes (``élodie lefèvre`` -> ``elodie_lefevre~6b0c...``). No safe
    name holds '~', so the two kinds never meet; two other IDs share a folder only if
    their hashes agree, which class_list refuses; the hash is lower case, so the names
    differ on case-insensitive file systems too; no name is a device name, holds a dot
    or a space, starts with '-' or passes 51 characters."""
    student = student_id(student)
    if SAFE_NAME.fullmatch(student) and not DEVICE_NAMES.fullmatch(student):
        return student
    letters = "".join(c for c in unicodedata.normalize("NFKD", student) if not unicodedata.combining(c))
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", letters).strip("_-")[:40] or "id"
    return f"{slug}~{hashlib.sha256(student.encode('utf-8')).hexdigest()[:FOLDER_HASH]}"


@functools.cache
def twin_generator_key():
    """A digest of the twin's generator (the sources of ``icaria.twin`` and the book's
    twin's checksums): student twins cached by an older generator are not this one's."""
    folder = Path(twins.__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("*.py"), folder / "data-sha256.json"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def student_folder(student):
    """Where student ``student``'s twin is written (the package's cache, in a folder of
    this generator's :func:`twin_generator_key`, by a hash of the NFC ID; inside the
    grader's sandbox, the folder ``ICARIA_STUDENTS_DIR`` names)."""
    name = hashlib.sha256(student_id(student).encode()).hexdigest()[:16]
    if os.environ.get(sandbox.STUDENTS_ENV):
        return Path(os.environ[sandbox.STUDENTS_ENV]) / name
    return paths.generated_data_dir().parent / "students" / twin_generator_key() / name


def is_twin_of(folder, student):
    """Whether ``folder`` holds ``student``'s complete twin made by this generator (its
    stamp and checksums agree)."""
    try:
        stamp = json.loads((Path(folder) / "student.json").read_text())
        return stamp == {"student": student, "generator": twin_generator_key(), "checksums": twins.checksums(folder)}
    except (OSError, ValueError):
        return False


def student_twin_folder(student):
    """Student ``student``'s twin on disk, written once: into a temporary folder beside
    it, then renamed into place (a reader never sees half-written files; of two writers
    at once, the first rename wins and the other's copy is dropped)."""
    student = student_id(student)
    folder = student_folder(student)
    if is_twin_of(folder, student):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        twins.write_files(twins.generate(twins.student_seeds(student)), fresh)
        (fresh / "student.json").write_text(json.dumps({"student": student, "generator": twin_generator_key(),
                                                        "checksums": twins.checksums(fresh)}))
        if folder.exists() and not is_twin_of(folder, student):   # a stale or broken copy
            stale = folder.with_name(fresh.name + "-stale")
            os.replace(folder, stale)
            shutil.rmtree(stale, ignore_errors=True)
        try:
            os.replace(fresh, folder)
        except OSError:   # another process put a complete twin there first
            if not is_twin_of(folder, student):
                raise
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return folder


def use_student_twin(student):
    """Point this session at student ``student``'s own twin: its files (written once,
    checked each time) become the data every ``data.load`` reads, and its seeds the
    default of :func:`icaria.twin.generate` (seeds from the NFC ID). Returns the folder."""
    student = student_id(student)
    folder = student_twin_folder(student)
    twins.SEEDS.update(twins.student_seeds(student))
    os.environ[paths.DATA_ENV] = str(folder)
    scorecard.STUDENT_TWIN = True
    return folder


def check_answer(name, value, expected):
    """Raise AssertionError unless ``value`` is answer ``name`` whose expected value,
    kind and tolerance are ``expected`` (written into the test by the grader)."""
    assert value is not ... and value is not None, f"{name} has no answer yet"
    if expected["kind"] == "number":
        assert isinstance(value, (int, float)) or hasattr(value, "__float__"), f"{name} is not a number"
        assert within(float(value), expected), f"{name} is not what your twin gives"
    elif expected["kind"] == "date":
        import pandas as pd

        assert pd.Timestamp(str(value)) == pd.Timestamp(expected["value"]), f"{name} is not what your twin gives"
    else:
        assert str(value).strip().lower() == expected["value"].strip().lower(), f"{name} is not what your twin gives"


def within(value, expected):
    """Whether ``value`` is the expected number within its tolerance: absolute, or on
    the log scale (``log_tolerance``, for ratios)."""
    if expected.get("log_tolerance"):
        import math

        return value > 0 and abs(math.log(value / expected["value"])) <= expected["log_tolerance"]
    return abs(value - expected["value"]) <= expected.get("tolerance", 0)


# -- specs -------------------------------------------------------------------------------

KIT_MISSING = ("The instructor kit is not part of this copy of the book (the public one: no assignment specs, "
               "key or expected values); instructors: see 'Where the key lives' in the instructor guide.")


class KitMissing(ArgumentError):
    """This copy of the book has no instructor kit (the public copy: ``instructor/`` is left out)."""


def require_kit():
    """Raise KitMissing, one line, unless this copy holds the instructor kit (``instructor/``)."""
    if not SPECS.is_dir():
        raise KitMissing(KIT_MISSING)


def chapters():
    """The chapters that have an assignment spec, in reading order."""
    require_kit()
    return sorted(path.stem for path in SPECS.glob("*.toml"))


def spec(chapter):
    """The graded answers of ``chapter``'s assignment: dicts with exercise, name, what,
    reference, kind, tolerance and points; an ArgumentError names a wrong chapter or entry."""
    path = SPECS / f"{chapter}.toml"
    require_kit()
    if not path.is_file():
        raise ArgumentError(f"No assignment for {chapter!r}; there are: {', '.join(chapters())}.")
    answers = tomllib.loads(path.read_text(encoding="utf-8"))["answer"]
    labels = set(EXERCISE_LABEL.findall((NOTEBOOKS / f"{chapter}.md").read_text(encoding="utf-8")))
    for answer in answers:
        answer.setdefault("kind", "number")
        answer.setdefault("tolerance", 0)
        answer.setdefault("log_tolerance", 0)
        answer.setdefault("points", 1)
        answer.setdefault("mistakes", [])   # common mistakes (what, value): scripts/check_mistakes.py
        if answer["exercise"] not in labels or not answer["name"].isidentifier() or answer["kind"] not in KINDS:
            raise ArgumentError(f"{path.name}: answer {answer['name']!r} names no exercise of the chapter "
                                f"({answer['exercise']!r}), is not a Python name, or has an unknown kind.")
    return answers


EXERCISE_LABEL = re.compile(r"\{exercise\}[^\n]*\n:label: (ex-[\w-]+)")
RUBRICS = paths.REPO_ROOT / "instructor" / "rubrics.toml"


def rubrics(chapter=None):
    """The written answers' rubrics (``instructor/rubrics.toml``): dicts with chapter,
    exercise, title, kind, points and criteria (one a point), of ``chapter`` or all."""
    entries = tomllib.loads(RUBRICS.read_text(encoding="utf-8"))["rubric"] if RUBRICS.is_file() else []
    return [entry for entry in entries if chapter in (None, entry["chapter"])]


# -- notebooks ---------------------------------------------------------------------------

def solution_code(text, label):
    """The code of exercise ``label``'s solution cells, without their cell options."""
    block = re.search(r"```\{solution-start\} " + re.escape(label) + r"\n.*?```\{solution-end\}", text, re.S)
    cells = CODE_CELL.findall(block.group(0)) if block else []
    return "\n".join(CELL_OPTIONS.sub("", cell).strip() + "\n" for cell in cells)


def answer_cell(label, answers, code):
    """The graded answer cell of exercise ``label`` (MyST): ``code`` then one line per answer."""
    lines = [f"# Graded answer to {label}: replace each ... with the value your code computes."]
    if code:
        lines = [f"# Reference solution of {label}", code.rstrip()]
    for answer in answers:
        value = answer["reference"] if code else "..."
        lines.append(f"{answer['name']} = {value}  # {answer['what']}")
    return "```{code-cell} ipython3\n" + "\n".join(lines) + "\n```\n"


SETUP_CELL = """```{{code-cell}} ipython3
# Your own simulated trial: the data this notebook reads are your twin's.
STUDENT = {student}
from icaria import coursework

twin_folder = coursework.use_student_twin(STUDENT)
```
"""
NOTE_CELL = "\n+++\n\n**Your answer** (read by your instructor, not graded automatically):\n\n+++\n"


def assignment_text(chapter, student, reference=False):
    """The MyST text of ``chapter``'s notebook for ``student``: the reference solution
    when ``reference``, else the student's copy."""
    text = (NOTEBOOKS / f"{chapter}.md").read_text(encoding="utf-8")
    graded = {}
    for answer in spec(chapter):
        graded.setdefault(answer["exercise"], []).append(answer)

    def with_answer_cell(match):
        label = match.group(2)
        if label not in graded:
            return match.group(0) + NOTE_CELL
        code = solution_code(text, label) if reference else ""
        return match.group(0) + "\n" + answer_cell(label, graded[label], code)

    text, _ = student_text(EXERCISE.sub(with_answer_cell, text))
    if student is None:   # the book's own twin: no set-up of a student's
        return text
    setup = SETUP_CELL.format(student=repr(student))
    first_cell_end = text.index("```\n", text.index("```{code-cell}") + 3) + 4
    return text[:first_cell_end] + "\n" + setup + text[first_cell_end:]


def notebook(chapter, student, reference=False):
    """``chapter``'s notebook for ``student`` (nbformat), unexecuted; ``student`` None
    reads the book's own twin."""
    import jupytext

    student = None if student is None else student_id(student)
    book = jupytext.reads(assignment_text(chapter, student, reference), fmt="md:myst")
    book.metadata.pop("jupytext", None)
    book.metadata["icaria"] = {"chapter": chapter, "student": student}
    return book


class NotebookFailed(MessageOnly, RuntimeError):
    """A cell of an assignment's notebook (the student's copy or the reference) failed."""


def execute(book, folder):
    """Run ``book`` top to bottom in a fresh kernel, in ``folder``; NotebookFailed names
    the cell that failed."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    Path(folder).mkdir(parents=True, exist_ok=True)
    try:
        NotebookClient(book, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
    except CellExecutionError as error:
        meta = book.metadata.get("icaria", {})
        raise NotebookFailed(f"{meta.get('chapter')} for {meta.get('student') or 'the book'}: a cell failed "
                             f"({error.ename}: {error.evalue})") from None
    return book


def write_notebook(book, path):
    """Write ``book`` to ``path`` (folders made)."""
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(book, path)
    return path


def student_notebook(chapter, student, out=ASSIGNMENTS, run=True):
    """Write ``student``'s notebook of ``chapter`` (run on their twin when ``run``)."""
    book = notebook(chapter, student_id(student))
    folder = Path(out) / folder_name(student)
    folder.mkdir(parents=True, exist_ok=True)
    return write_notebook(execute(book, folder) if run else book, folder / f"{chapter}.ipynb")


# -- the grader's side ---------------------------------------------------------------------

def plain(value):
    """``value`` as JSON: a float, int or text (numpy scalars included)."""
    if isinstance(value, str):
        return value
    number = float(value)
    return int(number) if number.is_integer() and not isinstance(value, float) else number


def reference_values(chapter, student, out=KIT):
    """Run the reference solution of ``chapter`` on ``student``'s twin (None: the book's
    twin, folder ``book``); write it and its expected values under ``out/student/``;
    return the expected values."""
    import nbformat

    answers = spec(chapter)
    if student is not None:
        student = student_id(student)
    book = notebook(chapter, student, reference=True)
    names = ", ".join(f"{a['name']!r}: plain({a['name']})" for a in answers)
    book.cells.append(nbformat.v4.new_code_cell(f"import json\nfrom icaria.coursework import plain\n\n"
                                                f"print({EXPECTED_MARK!r} + json.dumps({{{names}}}))"))
    folder = Path(out) / (BOOK_FOLDER if student is None else folder_name(student))
    execute(book, folder)
    printed = "".join(output.get("text", "") for output in book.cells[-1].outputs)
    values = json.loads(printed.split(EXPECTED_MARK, 1)[1])
    book.cells.pop()
    write_notebook(book, folder / "solutions" / f"{chapter}.ipynb")
    expected = {a["name"]: {"exercise": a["exercise"], "what": a["what"], "kind": a["kind"],
                            "value": values[a["name"]], "tolerance": a["tolerance"],
                            "log_tolerance": a["log_tolerance"]} for a in answers}
    path = folder / "expected" / f"{chapter}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")
    return expected


ANSWER_CELL = re.compile(r"\A# (Reference solution of|Graded answer to) ex-")


def shown_parts(book):
    """What an executed notebook of a chapter shows a student, in pieces: (label, text)
    with ``label`` the exercise whose folded solution the piece is in (None outside a
    solution). Pieces are the markdown text and the outputs of code cells, answer cells
    left out (a reference solution shows the student's view)."""
    parts, label = [], None
    for cell in book.cells:
        if cell.cell_type == "markdown":
            start = 0
            for marker in SOLUTION_MARKER.finditer(cell.source):   # text after a marker is in its solution
                parts.append((label, cell.source[start:marker.start()]))
                label, start = marker.group(1), marker.start()   # None after a solution-end
            parts.append((label, cell.source[start:]))
        elif cell.cell_type == "code" and not ANSWER_CELL.match(cell.source):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                parts += [(label, output.get("text", "")), (label, data.get("text/plain", "")),
                          (label, data.get("text/html", ""))]
    return parts


SOLUTION_MARKER = re.compile(r"\{solution-(?:start\} (ex-[\w-]+)|end\})")


def shown_text(book):
    """What an executed notebook of a chapter shows a student: its text and the outputs
    of its cells, answer cells left out (a reference solution shows the student's view)."""
    return "\n".join(text for _, text in shown_parts(book))


# A number as shown: optional sign (ASCII or Unicode minus), digits with optional
# thousands commas, optional decimals and exponent, optional percent sign.
SHOWN_NUMBER = re.compile(r"(?<![\w.])([-\u2212]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:[eE]([-+]?\d+))?(%?)")


def shown_numbers(text):
    """The numbers ``text`` shows, as (value, step): ``step`` the last printed digit's
    unit (1 for a whole number, 0.01 for two decimals); a percentage also gives its value
    over 100."""
    numbers = []
    for sign, digits, decimals, exponent, percent in SHOWN_NUMBER.findall(text):
        value = float(digits.replace(",", "") + (decimals or "") + (f"e{exponent}" if exponent else ""))
        step = 10.0 ** (int(exponent or 0) - max(len(decimals) - 1, 0))
        numbers.append((-value if sign else value, step))
        if percent:
            numbers.append(((-value if sign else value) / 100, step / 100))
    return numbers


def as_printed(answer):
    """How a date or text answer would be printed (numbers: :func:`printed_answers`)."""
    value = answer["value"]
    if answer["kind"] == "date":
        return [str(value)[:10]]
    return [str(value)]


def printed_answers(book, expected):
    """The names of ``expected`` whose value ``book`` (executed) shows a student, at a
    precision the grader accepts (typing the number shown would score). A number shows an
    answer when it is the answer rounded to the number's printed precision (half a last
    digit away at most) and within the answer's tolerance:

    - printed with decimals (any number of them; a percentage over 100 too), anywhere;
    - printed whole (a count, or a value whose tolerance takes a whole number): in the
      folded solution of the answer's own exercise (``expected``'s ``exercise``) or on a
      line that names the answer; anywhere when it has three digits or more (smaller
      counts are everywhere in a chapter's tables);
    - a date or a text answer as written."""
    parts = shown_parts(book)
    text = "\n".join(piece for _, piece in parts)
    everywhere = [(value, step) for value, step in shown_numbers(text) if step < 1 or abs(value) >= 100]
    found = []
    for name, answer in expected.items():
        if answer["kind"] != "number":
            if any(re.search(rf"(?<![\d.]){re.escape(shown)}(?!\d)", text) for shown in as_printed(answer)):
                found.append(name)
            continue
        own = "\n".join([piece for label, piece in parts if label and label == answer.get("exercise")]
                        + [line for line in text.splitlines() if re.search(rf"\b{re.escape(name)}\b", line)])
        if any(abs(value - answer["value"]) <= step / 2 * (1 + 1e-9) and within(value, answer)
               for value, step in everywhere + shown_numbers(own)):
            found.append(name)
    return found


def copied_notebook(chapter, student, expected, out):
    """``student``'s notebook of ``chapter`` with the values of ``expected`` (another
    twin's answers) typed into its answer cells: a copied submission."""
    book = notebook(chapter, student)
    for cell in book.cells:
        for name, answer in expected.items():
            cell.source = re.sub(rf"^{name} = \.\.\.", f"{name} = {answer['value']!r}", cell.source, flags=re.M)
    return write_notebook(book, Path(out) / folder_name(student) / f"{chapter}-copied.ipynb")


def expected_path(chapter, student, out=KIT):
    """The expected values of ``student`` for ``chapter``, computed when missing."""
    path = Path(out) / folder_name(student) / "expected" / f"{chapter}.json"
    if not path.is_file():
        reference_values(chapter, student, out)
    return path


def made_for(path):
    """(chapter, student) a submitted notebook was made for (its metadata; else the
    chapter from its file name, a browser's " (1)" of a second download dropped, and no
    student). An ArgumentError says, in one line, why a file is no notebook of ours."""
    import nbformat

    try:
        book = nbformat.read(path, as_version=4)
        made = book.metadata.get("icaria", {})
        made = made if isinstance(made, dict) else {}
    except Exception as error:   # nbformat raises many kinds (JSON, schema, version): one line each
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not a Jupyter notebook"
        raise ArgumentError(f"Cannot read {path} as a notebook ({reason}).") from None
    chapter = made.get("chapter") or re.sub(r"\s*\(\d+\)$", "", Path(path).stem)
    if chapter not in chapters():
        raise ArgumentError(f"{path} is no assignment's notebook (chapter {chapter!r}).")
    owner = made.get("student")
    return chapter, unicodedata.normalize("NFC", owner) if isinstance(owner, str) else None


# Words of the grader's internals: a changed cell naming one is for the instructor to read.
INTERNALS = re.compile(r"instructor|expected|otter|environ|_build|coursework|\bKIT\b|tempfile|/tmp"
                       r"|open\(.*(json|zip)|\.json|\.zip|glob|listdir|os\.walk", re.I)


def suspect_cells(path, chapter, student):
    """Numbers (1-based, among code cells) of the submission's code cells that are not
    in the notebook issued to ``student`` and name the grader's internals."""
    import nbformat

    issued = {cell.source.strip() for cell in notebook(chapter, student).cells if cell.cell_type == "code"}
    cells = [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    return [number for number, cell in enumerate(cells, 1)
            if cell.source.strip() not in issued and INTERNALS.search(cell.source)]


def answer_value(record, kind):
    """The value a student's answer record (from the sandbox: missing, number, text)
    stands for: None when missing, the number for a number (its text when it is none),
    else its text."""
    if not isinstance(record, dict) or record.get("missing", True):
        return None
    if kind == "number" and isinstance(record.get("number"), (int, float)):
        return record["number"]
    return str(record.get("text", ""))


def scored(answers, values, expected):
    """(score, possible, lines) of the ``values`` a student gave (name: value) for the
    spec's ``answers``: each exercise's points, and the reason of each lost point."""
    total = possible = 0
    lines, by_exercise = [], {}
    for answer in answers:
        by_exercise.setdefault(answer["exercise"], []).append(answer)
    for label, group in by_exercise.items():
        got, lost = 0, []
        for answer in group:
            try:
                check_answer(answer["name"], values.get(answer["name"]), expected[answer["name"]])
                got += answer["points"]
            except AssertionError as error:
                lost.append(f"  lost: {error}")
        points = sum(a["points"] for a in group)
        total, possible = total + got, possible + points
        lines += [f"{label}: {got:g}/{points:g}", *lost]
    return total, possible, lines


WARNING_UNSAFE = ("WARNING: grading WITHOUT a sandbox (--unsafe-no-sandbox): each submission runs as you and can "
                  "read and change any file you can, the instructor kit included. Use it only for submissions "
                  "you trust.")


def grade(path, student, kit=KIT, timeout=sandbox.DEFAULT_TIMEOUT, memory_mb=sandbox.DEFAULT_MEMORY_MB,
          unsafe=False):
    """Grade one submitted notebook of ``student``: (score, possible, lines per exercise,
    with the reason of each lost point, a note on how the run ended when it did not end
    well, on each cell that raised an error, and on any changed cell that names the
    grader's internals). The notebook runs in :mod:`icaria.sandbox`; its answers come
    back as data and are compared here, with expected values the sandbox never sees."""
    student = student_id(student)
    chapter, owner = made_for(path)
    answers = spec(chapter)
    expected = json.loads(expected_path(chapter, student, kit).read_text(encoding="utf-8"))
    if set(expected) != {a["name"] for a in answers}:   # the kit predates a change of the spec
        expected = reference_values(chapter, student, kit)
    twin = student_twin_folder(student)
    if unsafe:
        print(WARNING_UNSAFE, file=sys.stderr, flush=True)
    result = sandbox.run(path, [a["name"] for a in answers], twin=twin, student_folder_name=twin.name,
                         timeout=timeout, memory_mb=memory_mb, unsafe=unsafe)
    values = {a["name"]: answer_value(result["answers"].get(a["name"]), a["kind"]) for a in answers}
    score, possible, lines = scored(answers, values, expected)
    notes = [f"note: code cell {e['cell']} ({e['first']!r}) raised {e['ename']}: {e['evalue']}"
             for e in result.get("errors", [])]
    if result["status"] != "ok":
        notes.insert(0, f"note: {result['message']}; answers not read, scored as missing")
    if owner not in (None, student):
        notes.insert(0, f"note: this notebook was made for student {owner}, not {student}")
    suspects = suspect_cells(path, chapter, student)
    if suspects:
        notes.insert(0, f"note: changed code cell(s) {', '.join(map(str, suspects))} name the grader's "
                        "internals; read them before accepting the score")
    if unsafe:
        notes.insert(0, "note: graded without a sandbox (--unsafe-no-sandbox)")
    return score, possible, notes + lines


def instructor_kit(students, out=KIT, names=()):
    """Copy ``instructor/`` into ``out`` and add each student's reference solutions and
    expected values for the assignments ``names`` (default: every one)."""
    require_kit()
    source = paths.REPO_ROOT / "instructor"
    shutil.copytree(source, out, dirs_exist_ok=True)
    for student in students:
        for chapter in names or chapters():
            reference_values(chapter, student, out)
            print(f"{student}: {chapter} reference solution and expected values", flush=True)
    return out


def class_list(path):
    """The student IDs of the class list ``path`` (one a line; blank lines and lines
    starting with ``#`` skipped), in order; an ArgumentError names a line that is no ID."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()   # a spreadsheet's BOM dropped
    except (OSError, UnicodeDecodeError) as error:
        raise ArgumentError(f"Cannot read the class list {path} ({getattr(error, 'strerror', None) or error}).") \
            from None
    ids = []
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                ids.append(student_id(line.strip()))
            except ArgumentError as error:
                raise ArgumentError(f"{path}, line {number}: {error}") from None
    if not ids:
        raise ArgumentError(f"The class list {path} names no student.")
    ids = list(dict.fromkeys(ids))
    folded, folders = {}, {}
    for student in ids:
        if folded.setdefault(id_key(student), student) != student:
            raise ArgumentError(f"{path}: {folded[id_key(student)]!r} and {student!r} differ only by case or "
                                "Unicode form (one student to a grader, one folder on macOS and Windows); give "
                                "one of them another ID.")
        if folders.setdefault(folder_name(student).lower(), student) != student:   # a hash collision
            raise ArgumentError(f"{path}: {folders[folder_name(student).lower()]!r} and {student!r} would share "
                                f"the folder {folder_name(student)!r}; give one of them another ID.")
    return ids


def on_class_list(student, path):
    """Refuse (ArgumentError) a student ID that is not a line of the class list ``path``."""
    if student_id(student) not in class_list(path):
        raise ArgumentError(f"Student {student!r} is not on the class list {path}.")


# -- a whole class ---------------------------------------------------------------------------

GRADEBOOK = paths.REPO_ROOT / "_build" / "gradebook"
GRADEBOOK_COLUMNS = ["student", "chapter", "score", "possible", "notes"]


def submission_folder(folder, student):
    """Where ``student``'s submissions are under ``folder``: ``folder/NAME`` with NAME
    their :func:`folder_name` (as the hand-outs are named), else a folder whose name is
    the ID itself (compared after NFC: macOS may store names decomposed)."""
    derived = Path(folder) / folder_name(student)
    if derived.is_dir():
        return derived
    named = [path for path in Path(folder).iterdir()
             if path.is_dir() and unicodedata.normalize("NFC", path.name) == student_id(student)]
    return named[0] if named else derived


def submitted(folder, student, chapter):
    """The notebook ``student`` handed in for ``chapter`` in their :func:`submission_folder`
    (the newest of ``NN-name.ipynb`` and a browser's ``NN-name (1).ipynb``), or None."""
    found = [path for path in submission_folder(folder, student).glob(f"{chapter}*.ipynb")
             if re.fullmatch(rf"{re.escape(chapter)}(\s*\(\d+\))?", path.stem)]
    return max(found, key=lambda path: path.stat().st_mtime) if found else None


def handed_in_chapters(folder, students):
    """The chapters any student of ``students`` handed in under ``folder``."""
    names = {re.sub(r"\s*\(\d+\)$", "", path.stem) for student in students
             for path in submission_folder(folder, student).glob("*.ipynb")}
    return [chapter for chapter in chapters() if chapter in names]


def grade_row(task):
    """One gradebook row (a dict) and the feedback lines of one submission; never raises:
    a missing, late or unreadable submission, or a failure of the grader, is a row with
    its reason. ``task``: (student, chapter, path or None, kit, options)."""
    student, chapter, path, kit, options = task
    possible = sum(answer["points"] for answer in spec(chapter))
    row = {"student": student, "chapter": chapter, "score": 0, "possible": possible, "notes": ""}
    if path is None:
        row["notes"] = "missing: no submission"
        return row, [row["notes"]]
    notes = []
    due = options.get("due")
    if due is not None and path.stat().st_mtime > due.timestamp():
        late = datetime.datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="minutes")
        notes.append(f"late: handed in {late}, due {due.isoformat(timespec='minutes')}")
        if not options.get("grade_late"):
            row["notes"] = notes[0] + "; not graded"
            return row, [row["notes"]]
    try:
        score, possible, lines = grade(path, student, kit, timeout=options.get("timeout", sandbox.DEFAULT_TIMEOUT),
                                       memory_mb=options.get("memory_mb", sandbox.DEFAULT_MEMORY_MB),
                                       unsafe=options.get("unsafe", False))
    except ArgumentError as error:
        row["notes"] = "; ".join([*notes, f"unreadable: {error}"])
        return row, [row["notes"]]
    except Exception as error:   # a fault of the grader's own: a row, the others still graded
        row["notes"] = "; ".join([*notes, f"not graded: {type(error).__name__}: {str(error)[:200]}"])
        return row, [row["notes"]]
    notes += [line[len("note: "):] for line in lines if line.startswith("note: ")]
    row.update(score=score, possible=possible, notes="; ".join(notes))
    return row, [*(f"note: {note}" for note in notes[:1] if note.startswith("late")), *lines]


def grade_class(folder, roster, kit=KIT, out=GRADEBOOK, chapter_names=(), jobs=None, **options):
    """Grade every submission under ``folder`` (``folder/NAME/NN-name.ipynb``, NAME the
    student's folder_name or the ID itself: :func:`submission_folder`) of the
    students of the class list ``roster``, ``jobs`` at once (default: the cores); write
    ``out/gradebook.csv`` (student, chapter, score, possible, notes; one row per student
    and chapter, a missing, late or unreadable submission a row with its reason, a folder
    of no listed student a row saying so), ``out/written.csv`` (each written answer's
    points and rubric, its score left for the instructor) and ``out/feedback/NAME.txt``
    (NAME: the student's :func:`folder_name`; the file starts with the ID itself).
    Returns the rows."""
    import csv
    from concurrent.futures import ProcessPoolExecutor

    folder = Path(folder)
    if not folder.is_dir():
        raise ArgumentError(f"{folder} is not a folder of submissions (one folder per student ID).")
    students = class_list(roster)
    names = list(chapter_names) or handed_in_chapters(folder, students)
    if not names:
        raise ArgumentError(f"No notebook of any assignment under {folder}/ID/ for the students of {roster}.")
    for name in names:
        spec(name)
    tasks = [(student, chapter, submitted(folder, student, chapter), kit, options)
             for student in students for chapter in names]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if jobs == 1:
        results = [grade_row(task) for task in tasks]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(grade_row, tasks))
    rows = [row for row, _ in results]
    theirs = {submission_folder(folder, student).name for student in students}
    strangers = sorted(path.name for path in folder.iterdir() if path.is_dir() and path.name not in theirs)
    rows += [{"student": name, "chapter": "", "score": "", "possible": "",
              "notes": f"folder {name!r} is no student of the class list; not graded"} for name in strangers]
    out = Path(out)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    with open(out / "gradebook.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, GRADEBOOK_COLUMNS)
        writer.writeheader()
        writer.writerows({**row, "score": f"{row['score']:g}" if row["score"] != "" else "",
                          "possible": f"{row['possible']:g}" if row["possible"] != "" else ""} for row in rows)
    with open(out / "written.csv", "w", newline="", encoding="utf-8") as handle:   # for the instructor to mark
        writer = csv.writer(handle)
        writer.writerow(["student", "chapter", "exercise", "score", "possible", "rubric"])
        writer.writerows([student, chapter, rubric["exercise"], "", rubric["points"], " / ".join(rubric["criteria"])]
                         for student in students for chapter in names for rubric in rubrics(chapter))
    for student in students:
        parts = []
        for (row, lines) in results:
            if row["student"] == student:
                parts += [f"## {row['chapter']}: {row['score']:g}/{row['possible']:g}", *lines, ""]
        (out / "feedback" / f"{folder_name(student)}.txt").write_text(
            "\n".join([f"# Student {student}", "", *parts]), encoding="utf-8")
    return rows


# -- command line --------------------------------------------------------------------------

def grade_folder(args):
    """``grade FOLDER --class-list FILE``: the class's gradebook, and a summary printed."""
    import time

    if not args.class_list:
        raise ArgumentError("Grading a folder needs the class list: --class-list FILE (one student ID a line).")
    if args.timeout <= 0 or args.memory_mb < 256 or (args.jobs is not None and args.jobs < 1):
        raise ArgumentError("--timeout must be > 0 seconds, --memory-mb at least 256 and --jobs at least 1.")
    try:
        due = datetime.datetime.fromisoformat(args.due) if args.due else None
    except ValueError:
        raise ArgumentError(f"--due {args.due!r} is no date and time like 2026-12-01T18:00.") from None
    sandbox.require(args.unsafe_no_sandbox)
    if args.unsafe_no_sandbox:
        print(WARNING_UNSAFE, file=sys.stderr, flush=True)
    out = args.out or GRADEBOOK
    started = time.monotonic()
    rows = grade_class(args.notebook, args.class_list, KIT, out, args.chapter, args.jobs, due=due,
                       grade_late=args.grade_late, timeout=args.timeout, memory_mb=args.memory_mb,
                       unsafe=args.unsafe_no_sandbox)
    graded = [row for row in rows if row["notes"] == "" or not re.match(r"(missing|unreadable|folder|not graded)",
                                                                         row["notes"])]
    print(f"{len(rows)} row(s), {len(graded)} graded, in {time.monotonic() - started:.0f} s: "
          f"{out / 'gradebook.csv'} and {out / 'feedback'}/NAME.txt (NAME: the student's folder name)")
    return 0



def main(argv=None):
    """``python -m icaria.coursework assignments|instructor-kit|grade``."""
    parser = argparse.ArgumentParser(prog="python -m icaria.coursework", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("assignments", "instructor-kit"):
        command = commands.add_parser(name)
        command.add_argument("--student", action="append", default=[], help="a student ID (repeat for more)")
        command.add_argument("--chapter", action="append", default=[], help="one chapter (default: all)")
    marking = commands.add_parser("grade", description="Grade one notebook (--student ID), or a folder of a "
                                  "class's submissions, FOLDER/ID/NN-name.ipynb (--class-list FILE).")
    marking.add_argument("notebook", type=Path, help="a submitted notebook, or a folder of submissions")
    marking.add_argument("--student", help="the student whose notebook it is (one notebook)")
    marking.add_argument("--class-list", type=Path, help="a file of the class's student IDs, one a line")
    marking.add_argument("--chapter", action="append", default=[],
                         help="a chapter to grade (a folder; default: every chapter handed in)")
    marking.add_argument("--due", help="deadline, e.g. 2026-12-01T18:00 (a folder): later files are late")
    marking.add_argument("--grade-late", action="store_true", help="grade late submissions too (noted as late)")
    marking.add_argument("--jobs", type=int, help="submissions graded at once (default: the cores)")
    marking.add_argument("--out", type=Path, default=None, help="where the gradebook goes (default _build/gradebook)")
    marking.add_argument("--timeout", type=float, default=sandbox.DEFAULT_TIMEOUT,
                         help=f"seconds of wall time per notebook (default {sandbox.DEFAULT_TIMEOUT})")
    marking.add_argument("--memory-mb", type=int, default=sandbox.DEFAULT_MEMORY_MB,
                         help=f"memory (address space) per process, MB (default {sandbox.DEFAULT_MEMORY_MB})")
    marking.add_argument("--unsafe-no-sandbox", action="store_true",
                         help="grade without bubblewrap: each submission runs as you (a loud warning)")
    args = parser.parse_args(argv)
    try:
        require_kit()
        if args.command == "grade" and args.notebook.is_dir():
            return grade_folder(args)
        if args.command == "grade":
            if not args.student:
                raise ArgumentError("Name the student whose notebook it is: --student ID (or give a folder of "
                                    "submissions and --class-list FILE).")
            student_id(args.student)
            if args.class_list:
                on_class_list(args.student, args.class_list)
            if args.timeout <= 0 or args.memory_mb < 256:
                raise ArgumentError("--timeout must be > 0 seconds and --memory-mb at least 256.")
            score, possible, lines = grade(args.notebook, args.student, KIT, timeout=args.timeout,
                                           memory_mb=args.memory_mb, unsafe=args.unsafe_no_sandbox)
            print("\n".join(lines))
            print(f"score: {score:g}/{possible:g}")
            return 0
        students = [student_id(student) for student in args.student or ["example"]]
        for chapter in args.chapter:
            spec(chapter)
        if args.command == "instructor-kit":
            instructor_kit(students, KIT, args.chapter)
            print(f"Instructor kit in {KIT}")
            return 0
        for chapter in args.chapter or chapters():
            for student in students:
                student_notebook(chapter, student, ASSIGNMENTS)
                print(f"{student}: {chapter}", flush=True)
        print(f"Assignments in {ASSIGNMENTS} (one folder per student)")
    except KitMissing as error:   # the public copy: one line, no usage
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return 2
    except (ArgumentError, NotebookFailed, sandbox.SandboxMissing) as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
