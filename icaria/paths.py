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
5. otherwise a cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``), into which the
   loader regenerates the twin (about 2 s; :mod:`icaria.cache`): this module, one of
   the published facts, only says where the files are and generates no data.

A folder that cannot be used (a variable naming a file or a symlink loop, a cache
that cannot be written, no home folder) raises one :class:`DataFileError` line that
names the variable or the folder.

The other paths (notebooks, scorecard) belong to the source checkout and are used
only by the book's own tools.
"""

import hashlib
import json
import os
from pathlib import Path

from icaria.arguments import DataFileError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
BOOK_DIR = REPO_ROOT / "book"
SCORECARD_CSV = BOOK_DIR / "scorecard.csv"
SCORECARD_PAGE = BOOK_DIR / "scorecard.md"
CRITICAL_READING_PAGE = BOOK_DIR / "critical-reading.md"
# The defaults page's R column, from a real R run: package data, so an installed copy has it.
SOFTWARE_DEFAULTS_R_CSV = PACKAGE_DIR / "software-defaults-r.csv"

DATA_ENV = "ICARIA_DATA_DIR"
CACHE_ENV = "XDG_CACHE_HOME"
BOOK_FOLDER = "icaria-mm-step-by-step"   # a clone's folder name (nbgitpuller and the set-up cell)
CACHE_MANIFEST = "sha256.json"           # in a generated folder: the SHA-256 of each file it holds
OTHER_CUT_FOLDER = "final-os"            # the later data cut, inside the data folder


def home():
    """The home folder, or None when there is none (no HOME, no passwd entry)."""
    try:
        return Path.home()
    except (RuntimeError, KeyError, OSError):
        return None


def working_dir():
    """The working directory, or None when it was deleted or cannot be read."""
    try:
        return Path.cwd()
    except OSError:
        return None


def is_book(folder):
    """A copy of the book: its table of contents and its data folder."""
    try:
        return (folder / "_toc.yml").is_file() and (folder / "data" / "adsl.csv").is_file()
    except OSError:
        return False


def find_book(start=None):
    """The copy of the book around ``start`` (default: the working directory), the
    source checkout, or the usual clone in the home folder; None if there is none."""
    start = Path(start) if start else working_dir()
    around = []
    if start is not None:
        try:
            start = start.resolve()
            around = [start, *start.parents]
        except (OSError, RuntimeError):   # a symlink loop
            around = []
    home_folder = home()
    candidates = [*around, REPO_ROOT, *([home_folder / BOOK_FOLDER] if home_folder else [])]
    return next((folder for folder in candidates if is_book(folder)), None)


def generated_data_dir():
    """Where the package writes the twin when no copy of the book is at hand."""
    from icaria import __version__

    if os.environ.get(CACHE_ENV):
        cache = Path(os.environ[CACHE_ENV])
    elif home() is not None:
        cache = home() / ".cache"
    else:
        raise DataFileError(f"No copy of the book here and no home folder for a cache (HOME is unset or the user has "
                            f"no home): set {DATA_ENV} to the book's data folder, or {CACHE_ENV} to a writable folder.")
    return cache / "icaria-mm" / __version__ / "data"


def checked_folder(folder, variable):
    """``folder`` if it is a readable folder; else a DataFileError naming ``variable``."""
    try:
        folder = Path(folder).expanduser()
        os.listdir(folder)
    except RuntimeError:   # '~' with no home folder
        raise DataFileError(f"{variable}={folder}: '~' cannot be expanded (no home folder); "
                            "give the full path.") from None
    except NotADirectoryError:
        raise DataFileError(f"{variable}={folder} is a file, not a folder; set it to the folder holding adsl.csv "
                            "(the book's data/).") from None
    except OSError as error:
        raise DataFileError(f"{variable}={folder} cannot be read as the data folder ({error.strerror}); set it to the "
                            "folder holding adsl.csv (the book's data/).") from None
    if folder.name == OTHER_CUT_FOLDER:
        raise DataFileError(f"{variable}={folder} holds the {OTHER_CUT_FOLDER} data cut; set it to the folder above "
                            f"it (the book's data/), and read that cut with cut='{OTHER_CUT_FOLDER}'.")
    return folder


def data_dir():
    """The folder of the simulated datasets the chapters read (see the module's text).
    The last resort, the cache folder, may still be empty or half-written: the data
    loader asks :func:`icaria.cache.data_dir`, which fills it; this module only says
    where the files are and generates none."""
    if os.environ.get(DATA_ENV):
        return checked_folder(os.environ[DATA_ENV], DATA_ENV)
    book = find_book()
    if book is not None:
        return book / "data"
    return generated_data_dir()


def file_checksums(folder):
    """SHA-256 of every CSV file under ``folder``, by relative path."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*.csv"))}


def cache_is_whole(folder):
    """The generated folder holds every file its manifest lists, byte for byte (a
    regeneration killed midway leaves no manifest, or files that fail it)."""
    try:
        listed = json.loads((folder / CACHE_MANIFEST).read_text(encoding="utf-8"))
        return bool(listed) and "adsl.csv" in listed and file_checksums(folder) == listed
    except (OSError, ValueError):
        return False
