"""Where the book's files are: one helper, so every notebook runs unchanged on a
laptop, on Binder, on a JupyterHub and in the website build."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
BOOK_DIR = REPO_ROOT / "book"
SCORECARD_CSV = BOOK_DIR / "scorecard.csv"
SCORECARD_PAGE = BOOK_DIR / "scorecard.md"
