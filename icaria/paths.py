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
5. otherwise the package regenerates the twin (about 2 s) into a cache folder
   (``$XDG_CACHE_HOME`` or ``~/.cache``): into a temporary folder first, moved into
   place under a lock, with the checksum of each file, which are verified before the
   cache is used (a regeneration killed midway is redone on the next load).

A folder that cannot be used (a variable naming a file or a symlink loop, a cache
that cannot be written, no home folder) raises one :class:`DataFileError` line that
names the variable or the folder.

The other paths (notebooks, scorecard) belong to the source checkout and are used
only by the book's own tools.
"""

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from icaria.arguments import DataFileError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
BOOK_DIR = REPO_ROOT / "book"
SCORECARD_CSV = BOOK_DIR / "scorecard.csv"
SCORECARD_PAGE = BOOK_DIR / "scorecard.md"
CRITICAL_READING_PAGE = BOOK_DIR / "critical-reading.md"

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
    """The folder of the simulated datasets the chapters read (see the module's text)."""
    if os.environ.get(DATA_ENV):
        return checked_folder(os.environ[DATA_ENV], DATA_ENV)
    book = find_book()
    if book is not None:
        return book / "data"
    generated = generated_data_dir()
    if not cache_is_whole(generated):
        regenerate(generated)
    return generated


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


LOCK_PATIENCE = 120   # seconds to wait for a running holder of the cache lock
LOCK_NOTICE = 3       # seconds before saying who holds it (and, if it is stopped, giving up)


def lock_holder(handle):
    """(pid, state) of the process named in the lock file (its state letter from
    /proc: R running, S sleeping, T stopped, Z zombie; None when it is gone)."""
    try:
        handle.seek(0)
        pid = int(handle.read().strip() or 0)
    except (OSError, ValueError):
        return None, None
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] if pid else None
    except (OSError, IndexError):
        state = None
    return pid or None, state


@contextmanager
def locked(folder):
    """Hold an exclusive lock on ``folder/.lock`` (other processes wait). The holder
    writes its process ID in the file; a waiter names it after a few seconds, gives up at
    once (DataFileError) when it is stopped (Ctrl-Z, SIGSTOP) or a zombie, and after
    ``LOCK_PATIENCE`` seconds otherwise. A holder that dies releases the lock with it."""
    try:
        import fcntl
    except ImportError:   # Windows: no lock; the move into place is still atomic
        yield
        return
    import sys
    import time

    path = folder / ".lock"
    with open(path, "a+") as handle:
        started, told = time.monotonic(), False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= LOCK_NOTICE:
                    pid, state = lock_holder(handle)
                    if state in ("T", "t", "Z"):
                        what = "stopped" if state in ("T", "t") else "a zombie (ended, not reaped)"
                        raise DataFileError(f"The cache lock {path} is held by process {pid}, which is {what}: "
                                            f"resume it (kill -CONT {pid}) or end it (kill {pid}), then run "
                                            "again.") from None
                    if waited >= LOCK_PATIENCE:
                        raise DataFileError(f"The cache lock {path} has been held by process {pid or '?'} for "
                                            f"over {LOCK_PATIENCE} s; end it if it hangs, then run again.") from None
                    if not told:
                        print(f"Waiting for process {pid or '?'}, which holds the cache lock {path} ...",
                              file=sys.stderr, flush=True)
                        told = True
                time.sleep(0.1)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def regenerate(folder):
    """Write the twin into a temporary folder beside ``folder``, check it, and move it
    into place under a lock, so a reader never sees half-written files."""
    from icaria.twin import write_twin

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with locked(folder.parent):
            if cache_is_whole(folder):   # another process finished it while we waited
                return
            for stale in folder.parent.glob(f".{folder.name}-*"):   # left by a killed regeneration
                shutil.rmtree(stale, ignore_errors=True)
            fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-new-", dir=folder.parent))
            write_twin(fresh, quiet=False)
            (fresh / CACHE_MANIFEST).write_text(json.dumps(file_checksums(fresh), indent=1), encoding="utf-8")
            if folder.exists() or folder.is_symlink():
                old = folder.parent / f".{folder.name}-old-{os.getpid()}"
                os.replace(folder, old)
                os.replace(fresh, folder)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(fresh, folder)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DataFileError(f"Cannot write the simulated twin into {folder} ({reason}); set {CACHE_ENV} to a "
                            f"writable folder, or {DATA_ENV} to the book's data folder.") from None
    if not cache_is_whole(folder):
        raise DataFileError(f"The simulated twin written into {folder} fails its checksums; delete that folder and "
                            "run the cell again.")
