"""Count the prose words of each page of the book: the chapters' main line and the audit
part ("How the numbers were checked"), for the before/after table of issue 30.

Words are counted as the syllabus's time model counts them (``icaria.syllabus``): the
page's text without its front matter and code cells. For a chapter, "teaching text" is
the text before its "## Exercises" heading (the idea, the analysis, its reading and the
pitfalls); "page" is the whole page, exercises, solutions and self-check included.

Usage: ``python scripts/count_words.py [--ref GIT_REF]`` (default: the files on disk;
with ``--ref main`` the pages as they are on that branch, read with ``git show``).
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

from icaria.syllabus import CODE_CELL, FRONT_MATTER

REPO_ROOT = Path(__file__).resolve().parent.parent
AUDIT_CAPTION = "How the numbers were checked"


def read(path, ref=None):
    """The text of a file of the repository, on disk or at a git ref (None if absent)."""
    if ref is None:
        file = REPO_ROOT / path
        return file.read_text(encoding="utf-8") if file.exists() else None
    shown = subprocess.run(["git", "show", f"{ref}:{path}"], cwd=REPO_ROOT, capture_output=True, text=True)
    return shown.stdout if shown.returncode == 0 else None


def prose_words(text):
    """Words of a page outside its front matter and code cells."""
    return len(CODE_CELL.sub(" ", FRONT_MATTER.sub("", text, count=1)).split())


def teaching_words(text):
    """Prose words before the page's "## Exercises" heading (the whole page if none)."""
    return prose_words(re.split(r"^## Exercises\s*$", text, maxsplit=1, flags=re.M)[0])


def pages(ref=None):
    """(main-line chapters, audit pages) of ``_toc.yml``, as docnames in reading order."""
    toc = read("_toc.yml", ref)
    before, audit = toc.split(f"caption: {AUDIT_CAPTION}", 1)
    audit = audit.split("- caption:", 1)[0]
    chapters = [page for page in re.findall(r"file: (notebooks/\d\d-[\w-]+)", before)]
    return chapters, re.findall(r"file: (\S+)", audit)


def table(ref=None):
    """The lines of the printed table."""
    chapters, audit = pages(ref)
    lines = [f"{'main line':42s} {'teaching':>9s} {'page':>7s}"]
    totals = [0, 0]
    for page in chapters:
        text = read(f"{page}.md", ref)
        counts = (teaching_words(text), prose_words(text))
        totals = [total + count for total, count in zip(totals, counts)]
        lines.append(f"{Path(page).name:42s} {counts[0]:9,d} {counts[1]:7,d}")
    lines.append(f"{'all chapters':42s} {totals[0]:9,d} {totals[1]:7,d}")
    lines.append(f"\n{'audit part':42s} {'page':>17s}")
    total = 0
    for page in audit:
        words = prose_words(read(f"{page}.md", ref))
        total += words
        lines.append(f"{Path(page).name:42s} {words:17,d}")
    lines.append(f"{'all audit pages':42s} {total:17,d}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", help="a git ref to read the pages from (default: the files on disk)")
    args = parser.parse_args(argv)
    print("\n".join(table(args.ref)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
