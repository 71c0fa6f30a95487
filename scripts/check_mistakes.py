"""Questions that separate right from wrong: each graded answer's common mistakes fail it.

Every graded answer of ``instructor/assignments/*.toml`` may list ``mistakes``: each a
``what`` (the mistake, in words) and a ``value`` (a Python expression evaluated where the
answer's ``reference`` is, after the chapter's own code and solutions have run on the
student's twin; the helpers of :data:`HELPERS` are at hand). A further mistake is added to
every answer: "the book's number", the reference value on the book's own twin (a student
copying the chapter's printed result from the website).

For N IDs (random IDs within the ID rule, seeded) the script runs each chapter's reference
notebook *in one Python process* (its code cells executed in a fresh namespace on the
student's twin, generated once per student; figures closed, output discarded; no
notebook kernel), computes the answer and each mistake, and counts the IDs for which the
mistake FAILS the answer's tolerance. A mistake holds (the question separates it) when it
fails for at least 95% of the IDs. Answers that are the same for every student (the book's
number equals the answer for every ID) are listed as such: no mistake can be told from
the truth by a value that is the same for everyone, and copying works.

Usage: ``python scripts/check_mistakes.py [--ids 200] [--chapter NAME ...] [--jobs 2]``.
Prints a markdown table (chapter, answer, mistake, IDs, % failing, holds) and exits
non-zero when a listed mistake (or the book's number of a twin-dependent answer) passes
for more than 5% of the IDs, or a chapter fails to run.
"""

import argparse
import builtins
import contextlib
import io
import json
import math
import os
import random
import string
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor

import matplotlib

matplotlib.use("Agg")

from icaria import coursework

SEPARATES = 0.95
BOOK_MISTAKE = "the book's number (the reference on the book's own twin)"


def km(rows, at):
    """Kaplan-Meier survival at ``at`` months of ``rows`` (MONTHS, EVENT), lifelines."""
    from lifelines import KaplanMeierFitter

    return float(KaplanMeierFitter().fit(rows["MONTHS"], rows["EVENT"]).survival_function_at_times(at).iloc[0])


def arm(rows, name):
    """The rows of arm ``name`` (TRT01P)."""
    return rows[rows["TRT01P"] == name]


def endpoint(code, cut=None):
    """One endpoint's rows (survival.endpoint) of the twin's ``cut`` (default primary)."""
    from icaria import data, survival

    return survival.endpoint(data.load("adtte", **({"cut": cut} if cut else {})), code)


def cox(rows, stratified=True, ties="efron"):
    """The Cox hazard ratio Isa-Pd vs Pd of ``rows`` (survival.cox_hr_ci)."""
    from icaria import survival

    return float(survival.cox_hr_ci(rows, stratified=stratified, ties=ties)[0])


HELPERS = {"km": km, "arm": arm, "endpoint": endpoint, "cox": cox}


def random_ids(count, seed=33):
    """``count`` distinct random IDs within the rule (1-40 of A-Z a-z 0-9 _ -), seeded."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "_-"
    ids = []
    while len(ids) < count:
        candidate = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        try:
            coursework.student_id(candidate)
        except coursework.ArgumentError:   # outside the rule (a leading '-'): drawn again
            continue
        if candidate not in ids:
            ids.append(candidate)
    return ids


def names_of(source):
    """(names a cell binds or changes, names it reads) of Python ``source``: assignments,
    imports, definitions, and the roots of subscript, attribute and method-call changes
    (``x[k] = ...``, ``x.a = ...``, ``x.update(...)`` as a statement) count as changes."""
    import ast

    bound, read = set(), set()

    def root(node):
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
            node = node.func if isinstance(node, ast.Call) else node.value
        return node.id if isinstance(node, ast.Name) else None

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else read).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in getattr(node, "targets", [getattr(node, "target", None)]):
                if isinstance(target, (ast.Attribute, ast.Subscript)) and root(target):
                    bound.add(root(target))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                isinstance(node.value.func, ast.Attribute) and root(node.value.func):
            bound.add(root(node.value.func))
    return bound, read


def sliced(sources, expressions):
    """The indices of the cells of ``sources`` that the ``expressions`` need: walking back
    from the last cell, a cell that binds or changes a needed name is kept and what it
    reads becomes needed; the first code cell (the set-up) and the student's set-up are
    always kept."""
    needed = set()
    for expression in expressions:
        bound, read = names_of(expression)
        needed |= read - bound
    kept = []
    for index in range(len(sources) - 1, -1, -1):
        bound, read = names_of(sources[index])
        if index < 2 or bound & needed or "use_student_twin" in sources[index]:
            kept.append(index)
            needed |= read
    return sorted(kept)


def clean(source):
    """A cell's code without IPython's magics and shell lines."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


def run_chapter(chapter, student, reference=True, needed=None):
    """Execute ``chapter``'s notebook for ``student`` (None: the book's twin; the twin must
    be in use already) in this process; the namespace its cells leave. The reference
    notebook by default, else the student's copy. With ``needed`` (expressions), only the
    cells they need run (:func:`sliced`); when the slice misses a name, the whole
    notebook runs. A cell that raises propagates, as :class:`coursework.NotebookFailed`
    naming the cell."""
    import IPython.display

    IPython.display.display = lambda *args, **kwargs: None
    book = coursework.notebook(chapter, student, reference=reference)
    cells = [cell for cell in book.cells if cell.cell_type == "code"]
    if needed is not None:
        keep = set(sliced([clean(cell.source) for cell in cells], needed))
        try:
            return run_cells(chapter, student, [c if i in keep else None for i, c in enumerate(cells)], needed)
        except (coursework.NotebookFailed, NameError):
            pass   # the slice missed something: the whole notebook
    return run_cells(chapter, student, cells, needed or [])


def run_cells(chapter, student, cells, needed):
    """Run ``cells`` (None: skipped) in a fresh namespace; NameError when a ``needed``
    expression cannot be evaluated after them."""
    import matplotlib.pyplot as plt

    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for number, cell in enumerate(cells, 1):
            if cell is None:
                continue
            try:
                exec(compile(clean(cell.source), f"{chapter} cell {number}", "exec"), namespace)
            except Exception as error:
                raise coursework.NotebookFailed(f"{chapter} for {student or 'the book'}: code cell {number} "
                                                f"raised {type(error).__name__}: {error}") from None
            finally:
                plt.close("all")
    missing = set().union(*(read - bound for bound, read in map(names_of, needed))) - set(namespace) - set(HELPERS) \
        - set(dir(builtins))
    if missing:
        raise NameError(f"not defined by the cells run: {', '.join(sorted(missing))}")
    return namespace


def evaluated(expression, namespace):
    """``expression`` evaluated in ``namespace`` with the helpers; its plain value."""
    return coursework.plain(eval(expression, {**namespace, **HELPERS}))


def expected_of(answer, value):
    """The expected record the grader compares with (coursework.check_answer's)."""
    return {"kind": answer["kind"], "value": value, "tolerance": answer["tolerance"],
            "log_tolerance": answer["log_tolerance"]}


def passes(answer, value, expected_value):
    """Whether ``value`` would score as ``answer`` whose expected value is ``expected_value``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    try:
        coursework.check_answer(answer["name"], value, expected_of(answer, expected_value))
        return True
    except (AssertionError, ValueError, TypeError):
        return False


def chapter_values(chapter, student, whole=False):
    """{answer name: (value, {mistake: value or an error text})} of ``chapter`` for
    ``student`` (the twin in use), from one in-process run of its reference notebook:
    the cells the answers and mistakes need, or the ``whole`` notebook."""
    answers = coursework.spec(chapter)
    needed = [answer["reference"] for answer in answers] + [m["value"] for a in answers for m in a["mistakes"]]
    namespace = run_chapter(chapter, student, needed=None if whole else needed)
    values = {}
    for answer in coursework.spec(chapter):
        value = evaluated(answer["reference"], namespace)
        mistakes = {}
        for mistake in answer["mistakes"]:
            try:
                mistakes[mistake["what"]] = evaluated(mistake["value"], namespace)
            except Exception as error:   # a mistake that cannot be computed on this twin
                mistakes[mistake["what"]] = f"error: {type(error).__name__}: {error}"
        values[answer["name"]] = (value, mistakes)
    return values


def read_once():
    """Make ``icaria.data.load`` read each (folder, dataset, cut) once in this worker and
    hand out copies: a chapter and its answers load the same files many times, and the
    checks of a load (schema, meaning, fingerprint) dominated a student's time. The key
    holds the data folder in use, so another student's twin is read afresh."""
    from icaria import data, paths

    load = getattr(data.load, "__wrapped__", data.load)
    tables = {}

    def once(name, cut="primary", data_dir=None):
        key = (os.environ.get(paths.DATA_ENV), str(name), str(cut), str(data_dir))
        if key not in tables:
            tables[key] = load(name, cut=cut, data_dir=data_dir)
        return tables[key].copy()

    once.__wrapped__ = load
    once.__doc__ = load.__doc__
    data.load = once


def student_task(task):
    """One student's answers and mistakes for ``chapters`` (their twin generated once);
    ``(student, {chapter: values or an error text}, seconds)``."""
    student, chapters, whole = task
    read_once()
    if student is not None:   # None: the book's twin (a fresh worker's first task)
        coursework.use_student_twin(student)
    result, started = {}, time.monotonic()
    for chapter in chapters:
        try:
            result[chapter] = chapter_values(chapter, student, whole=chapter in whole)
        except Exception as error:
            result[chapter] = f"error: {error}"
    return student, result, time.monotonic() - started


def slice_check(chapters):
    """Chapters whose sliced run gives other values than the whole notebook on the book's
    twin (a skipped cell drew random numbers or changed a shared object): those run whole.
    Returns (the book's values from whole runs, those chapters)."""
    _, whole, _ = student_task((None, chapters, set(chapters)))
    _, part, _ = student_task((None, chapters, set()))
    return whole, {chapter for chapter in chapters if repr(whole[chapter]) != repr(part[chapter])}


def tally(chapters, book, results):
    """Rows (chapter, answer, mistake, IDs, failing, holds, note) over the students' results."""
    rows = []
    for chapter in chapters:
        for answer in coursework.spec(chapter):
            name = answer["name"]
            per_mistake = {}
            for student, result, _ in results:
                if isinstance(result.get(chapter), str):
                    continue
                value, mistakes = result[chapter][name]
                if not isinstance(book.get(chapter), str):
                    mistakes = {BOOK_MISTAKE: book[chapter][name][0], **mistakes}
                for what, wrong in mistakes.items():
                    counts = per_mistake.setdefault(what, [0, 0, 0])
                    counts[0] += 1
                    if isinstance(wrong, str) and wrong.startswith("error:") and answer["kind"] != "text":
                        counts[2] += 1
                    elif not passes(answer, wrong, value):
                        counts[1] += 1
            for what, (ids, failing, errors) in per_mistake.items():
                share = failing / ids if ids else 0
                same = what == BOOK_MISTAKE and failing == 0
                rows.append({"chapter": chapter, "answer": name, "mistake": what, "ids": ids, "failing": share,
                             "holds": share >= SEPARATES, "note": ("same for every student" if same else
                                                                   f"{errors} not computable" if errors else "")})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=200, help="random IDs (default 200)")
    parser.add_argument("--student", action="append", default=[], help="an ID to use (instead of random ones)")
    parser.add_argument("--chapter", action="append", default=[], help="a chapter (default: every assignment)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--save", help="append each student's values to this JSON-lines file as they finish")
    parser.add_argument("--tally", help="only print the table of a --save file (the IDs that finished)")
    args = parser.parse_args(argv)
    chapters = args.chapter or coursework.chapters()
    if args.tally:
        with open(args.tally, encoding="utf-8") as handle:
            saved = [json.loads(line) for line in handle if line.strip()]
        return report(chapters, saved[0]["book"], [tuple(entry["result"]) for entry in saved], [], 0, 1)
    students = [coursework.student_id(s) for s in args.student] or random_ids(args.ids)
    started = time.monotonic()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import check_mistakes as this  # workers find the tasks by module name (a chapter may replace __main__)

    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:   # chapters run in workers, never here
        book, whole = pool.submit(this.slice_check, chapters).result()   # a worker's first task: the book's twin
        print(f"<!-- run whole (the slice differs on the book's twin): {', '.join(sorted(whole)) or 'none'} -->",
              flush=True)
        results = []
        for result in pool.map(this.student_task, [(student, chapters, whole) for student in students]):
            results.append(result)
            if args.save:   # one line a student as they finish: a cut-short run can still be tallied
                with open(args.save, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps({"book": book, "result": result}) + "\n")
    broken = [(student, chapter, result[chapter]) for student, result, _ in results for chapter in chapters
              if isinstance(result.get(chapter), str)]
    return report(chapters, book, results, broken, time.monotonic() - started, args.jobs)


def report(chapters, book, results, broken, seconds, jobs):
    """Print the table (and the broken runs); the exit code."""
    rows = tally(chapters, book, results)
    print("| chapter | answer | mistake | IDs | % of IDs it fails | separates (>= 95%) |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        verdict = "yes" if row["holds"] else ("same for everyone" if row["note"] == "same for every student"
                                              else "NO")
        note = f" ({row['note']})" if row["note"] and verdict != "same for everyone" else ""
        print(f"| {row['chapter']} | {row['answer']} | {row['mistake']}{note} | {row['ids']} | "
              f"{100 * row['failing']:.1f} | {verdict} |")
    for student, chapter, error in broken:
        print(f"broken: {student} {chapter}: {error}")
    print(f"{len(results)} IDs x {len(chapters)} chapter(s) in {seconds:.0f} s "
          f"({seconds / max(1, len(results)):.1f} s an ID, {jobs} job(s)).")
    failing = [row for row in rows if not row["holds"] and row["note"] != "same for every student"]
    return 1 if failing or broken else 0


if __name__ == "__main__":
    sys.exit(main())
