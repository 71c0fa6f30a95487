"""Write student copies of the chapters: the exercises stay, their solutions, the
self-check answers and the answers of the "Predict, then check" prompts go.

Each copy is written twice, as a notebook without outputs (students run it) and as its
MyST text twin. Copies inside the book's folder find the data by themselves; copies
handed out alone fetch the book's package with their set-up cell.

Usage: ``python3 make.py student-copies [--out build/student-notebooks] [NAME ...]``
(or ``.venv/bin/python scripts/student_copies.py ...``).
"""

import argparse
import sys
from pathlib import Path

import jupytext

from icaria.coursework import student_text  # what a student copy leaves out

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO_ROOT / "notebooks"


def write_copy(name, out):
    text, removed = student_text((NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.md").write_text(text, encoding="utf-8")
    notebook = jupytext.reads(text, fmt="md:myst")
    notebook.metadata.pop("jupytext", None)
    jupytext.write(notebook, out / f"{name}.ipynb", fmt="ipynb")
    return removed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="chapters (default: all)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "student-notebooks")
    args = parser.parse_args(argv)
    names = args.names or sorted(path.stem for path in NOTEBOOKS.glob("*.md"))
    for name in names:
        removed = write_copy(name, args.out)
        print(f"{name}: " + ", ".join(f"{count} {kind}" for kind, count in removed.items()))
    print(f"Student copies in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
