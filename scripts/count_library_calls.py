"""Count, per chapter, the calls to the libraries a student will use next (lifelines,
statsmodels, scipy, pandas) and the calls to the book's own analysis functions, in the
code cells of the chapters' main line (``notebooks/NN-*.md`` with NN below 90; the
9x audit pages are not counted). The target of issue 30 is at least two library calls
for each call into the book's analysis.

The rule (an AST walk of every code cell but the hidden set-up cell, statements in
reading order):

- A call is a **library call** when what is called is rooted in a library: a module
  imported from lifelines, statsmodels, scipy or pandas or one of its aliases (``pd.``,
  ``sm.``, ``smf.``, ``stats.``), a name imported from them (``KaplanMeierFitter``,
  ``logrank_test``), or an object made from them: a variable last assigned from an
  expression rooted in a library (``kmf = KaplanMeierFitter()``, ``counts =
  adsl.groupby(...)``, a ``for`` target over one), or a table the book loads
  (``icaria.data``'s functions return pandas DataFrames, so their methods, such as
  ``groupby``, ``value_counts``, ``merge``, are pandas calls).
- A call is a **book-analysis call** when what is called is a function or class of the
  book's analysis modules (``icaria.survival, design, numbers, ipcw, landmark,
  response, adverse_events, population, allocation, pfs, timelines, regimens``), by
  module alias (``sv.km(...)``) or imported name. Live-figure plumbing from those
  modules (factories named ``*_live``, subclasses of ``icaria.live.Chart``) counts on
  neither side.
- Everything else counts on neither side: loading data itself (``icaria.data``),
  published values, ``scorecard.show``, ``glue``, styles, figures, numpy, builtins,
  and methods of what a book-analysis call returned.

Usage: ``python scripts/count_library_calls.py [--calls] [NAME ...]`` prints a table
(default: every chapter of the main line); ``--calls`` also lists every counted call.
"""

import ast
import importlib
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
LIBRARIES = ("lifelines", "statsmodels", "scipy", "pandas")
ANALYSIS_MODULES = ("survival", "design", "numbers", "ipcw", "landmark", "response", "adverse_events",
                    "population", "allocation", "pfs", "timelines", "regimens")
DATA_MODULE = "icaria.data"
TARGET_RATIO = 2
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.S | re.M)

LIB, BOOK, DATA, DATA_FUNCTION = "library", "book", "data", "data function"


def main_line_chapters():
    """The chapter pages of the main line, ``notebooks/NN-*.md`` with NN below 90."""
    return [path.stem for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.md")) if int(path.stem[:2]) < 90]


def code_cells(text):
    """The source of each code cell of a MyST notebook but the hidden set-up cell."""
    cells = []
    for match in CODE_CELL.finditer(text):
        body = match.group(1)
        if body.startswith("---\n"):   # metadata in a YAML block
            body = body.split("\n---\n", 1)[1]
        if "remove-cell" in body.split("\n", 2)[0] and "find_spec(\"icaria\")" in body:
            continue
        lines = [line for line in body.splitlines() if not line.startswith((":", "%", "!"))]
        cells.append("\n".join(lines))
    return cells


def _is_plumbing(module_name, name):
    """A live figure's factory or chart class: plumbing, not analysis."""
    if name.endswith("_live"):
        return True
    try:
        thing = getattr(importlib.import_module(module_name), name)
        from icaria.live import Chart
    except (ImportError, AttributeError):
        return False
    return isinstance(thing, type) and issubclass(thing, Chart)


class CallCounter(ast.NodeVisitor):
    """Walks a chapter's cells in reading order, keeping what each name is bound to."""

    def __init__(self):
        self.names = {}   # name -> LIB, BOOK (module or function), DATA or DATA_FUNCTION
        self.library = 0
        self.book = 0
        self.seen = []   # (side, the call's source) in reading order

    # --- what an expression is -------------------------------------------------
    def kind(self, node):
        """LIB when an expression is rooted in a library (or in loaded data), else None."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            inner = self.kind(node.value)
            if inner in (LIB, DATA):
                return LIB
            if inner == BOOK:
                return BOOK
            if inner == DATA_FUNCTION:
                return DATA_FUNCTION
            return None
        if isinstance(node, ast.Call):
            called = self.kind(node.func)
            if called in (LIB, DATA_FUNCTION, DATA):
                return LIB
            return None
        if isinstance(node, ast.Subscript):
            return LIB if self.kind(node.value) in (LIB, DATA) else None
        if isinstance(node, ast.BinOp):
            return LIB if LIB in (self.kind(node.left), self.kind(node.right)) else None
        if isinstance(node, ast.UnaryOp):
            return self.kind(node.operand)
        if isinstance(node, ast.Compare):
            return LIB if any(self.kind(part) == LIB for part in [node.left, *node.comparators]) else None
        return None

    def bind(self, target, kind):
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                if kind == LIB:
                    self.names[node.id] = LIB
                else:
                    self.names.pop(node.id, None)

    # --- imports ------------------------------------------------------------------
    def visit_Import(self, node):
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            if alias.name.split(".")[0] in LIBRARIES:
                self.names[bound] = LIB
            elif alias.name == DATA_MODULE and alias.asname:
                self.names[bound] = DATA_FUNCTION
            elif alias.name.startswith("icaria.") and alias.name.split(".")[1] in ANALYSIS_MODULES and alias.asname:
                self.names[bound] = BOOK

    def visit_ImportFrom(self, node):
        module = node.module or ""
        for alias in node.names:
            bound = alias.asname or alias.name
            if module.split(".")[0] in LIBRARIES:
                self.names[bound] = LIB
            elif module == "icaria" and alias.name in ANALYSIS_MODULES:
                self.names[bound] = BOOK
            elif module == "icaria" and alias.name == "data":
                self.names[bound] = DATA_FUNCTION
            elif module == DATA_MODULE:
                self.names[bound] = DATA_FUNCTION
            elif module.startswith("icaria.") and module.split(".")[1] in ANALYSIS_MODULES:
                if not _is_plumbing(module, alias.name):
                    self.names[bound] = BOOK
                else:
                    self.names.pop(bound, None)
            else:
                self.names.pop(bound, None)

    # --- calls and bindings, in reading order ----------------------------------------
    def visit_Call(self, node):
        called = self.kind(node.func)
        if called in (LIB, DATA):
            self.library += 1
            self.seen.append((LIB, ast.unparse(node.func)))
        elif called == BOOK:
            self.book += 1
            self.seen.append((BOOK, ast.unparse(node.func)))
        self.generic_visit(node)

    def visit_Assign(self, node):
        self.visit(node.value)
        kind = self.kind(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name) or isinstance(target, (ast.Tuple, ast.List)):
                self.bind(target, kind)
            else:
                self.visit(target)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
            self.bind(node.target, self.kind(node.value))

    def visit_For(self, node):
        self.visit(node.iter)
        self.bind(node.target, self._iterated(node.iter))
        for statement in node.body + node.orelse:
            self.visit(statement)

    def _iterated(self, node):
        """What a loop over ``node`` yields: LIB for a library object or ``zip``/``enumerate``
        of one."""
        if self.kind(node) == LIB:
            return LIB
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("zip", "enumerate"):
            return LIB if any(self.kind(arg) == LIB for arg in node.args) else None
        return None

    def _comprehension(self, node, elements):
        for generator in node.generators:
            self.visit(generator.iter)
            self.bind(generator.target, self._iterated(generator.iter))
            for condition in generator.ifs:
                self.visit(condition)
        for element in elements:
            self.visit(element)

    def visit_ListComp(self, node):
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node, [node.key, node.value])


def counted(name):
    """The walker after reading the code cells of ``notebooks/NAME.md``."""
    text = (NOTEBOOKS_DIR / f"{name}.md").read_text(encoding="utf-8")
    counter = CallCounter()
    for source in code_cells(text):
        counter.visit(ast.parse(source))
    return counter


def count(name):
    """(library calls, book-analysis calls) in the code cells of ``notebooks/NAME.md``."""
    counter = counted(name)
    return counter.library, counter.book


def meets_target(library, book):
    """At least TARGET_RATIO library calls for each book-analysis call."""
    return library >= TARGET_RATIO * book


def table(names):
    """The lines of the printed table."""
    lines = [f"{'chapter':40s} {'library':>8s} {'book':>6s} {'ratio':>6s}  2:1"]
    for name in names:
        library, book = count(name)
        ratio = f"{library / book:.1f}" if book else "-"
        lines.append(f"{name:40s} {library:8d} {book:6d} {ratio:>6s}  {'yes' if meets_target(library, book) else 'NO'}")
    return lines


def main(argv=None):
    argv = list(argv if argv is not None else sys.argv[1:])
    verbose = "--calls" in argv
    names = [name for name in argv if name != "--calls"] or main_line_chapters()
    print("\n".join(table(names)))
    if verbose:   # every counted call, to see why a chapter counts what it counts
        for name in names:
            print(f"\n{name}")
            for side, call in counted(name).seen:
                print(f"  {side:8s} {call}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
