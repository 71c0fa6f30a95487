"""Where the book's files are, wherever a chapter runs.

The chapters read the simulated datasets from :func:`data_dir`. It finds them the
same way on a laptop, on Binder, on a JupyterHub (a clone pulled by nbgitpuller),
in the website build and beside a lone notebook (Colab):

1. the folder named by the environment variable ``ICARIA_DATA_DIR``;
2. ``data/`` of the copy of the book the kernel runs in, searched upward from the
   working directory (a clone, a Binder session, a hub home);
3. ``data/`` of the source checkout the package was installed from (editable);
4. ``~/icaria-mm-step-by-step/data``, where nbgitpuller and each chapter's set-up
   cell put the book by default;
5. otherwise the package regenerates the twin (about 2 s) into a cache folder.

The other paths (notebooks, scorecard) belong to the source checkout and are used
only by the book's own tools.
"""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
BOOK_DIR = REPO_ROOT / "book"
SCORECARD_CSV = BOOK_DIR / "scorecard.csv"
SCORECARD_PAGE = BOOK_DIR / "scorecard.md"
CRITICAL_READING_PAGE = BOOK_DIR / "critical-reading.md"

DATA_ENV = "ICARIA_DATA_DIR"
BOOK_FOLDER = "icaria-mm-step-by-step"   # a clone's folder name (nbgitpuller and the set-up cell)


def is_book(folder):
    """A copy of the book: its table of contents and its data folder."""
    return (folder / "_toc.yml").is_file() and (folder / "data" / "adsl.csv").is_file()


def find_book(start=None):
    """The copy of the book around ``start`` (default: the working directory), the
    source checkout, or the usual clone in the home folder; None if there is none."""
    start = Path(start or Path.cwd()).resolve()
    candidates = [start, *start.parents, REPO_ROOT, Path.home() / BOOK_FOLDER]
    return next((folder for folder in candidates if is_book(folder)), None)


def generated_data_dir():
    """Where the package writes the twin when no copy of the book is at hand."""
    from icaria import __version__

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "icaria-mm" / __version__ / "data"


def data_dir():
    """The folder of the simulated datasets the chapters read (see the module's text)."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).expanduser()
    book = find_book()
    if book is not None:
        return book / "data"
    generated = generated_data_dir()
    if not (generated / "adsl.csv").is_file():
        from icaria.twin import write_twin

        write_twin(generated, quiet=False)
    return generated
