"""The twin written into a cache folder, for a kernel with no copy of the book at hand
(a lone notebook on Colab, an installed package): :func:`data_dir` is the loader's way
to the data. It asks :func:`icaria.paths.data_dir` where the files are; when that is the
cache and the cache is not whole, it regenerates the twin there (about 2 s): into a
temporary folder first, moved into place under a lock, with the checksum of each file,
which are verified before the cache is used (a regeneration killed midway is redone on
the next load). A cached file edited by hand is not regenerated behind the reader's
back: the load stops with one line naming the file and what to do.

It sits above the twin (it imports the generator), so that the published facts
(``paths``) generate nothing and ``paths -> twin -> provenance -> paths`` is no circle.
"""

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from icaria import paths
from icaria.arguments import DataFileError
from icaria.paths import CACHE_ENV, CACHE_MANIFEST, DATA_ENV, cache_is_whole, file_checksums


def data_dir():
    """The folder of the simulated datasets, regenerated into the cache when it is the
    cache and is not whole."""
    folder = paths.data_dir()
    if os.environ.get(DATA_ENV) or paths.find_book() is not None:
        return folder
    if not cache_is_whole(folder):
        refuse_edited(folder)
        regenerate(folder)
    return folder


def edited_files(folder):
    """Files of the cache folder ``folder`` that its manifest lists and that are there,
    but whose SHA-256 differs from the manifest's: edited by hand (a regeneration writes
    the manifest with its files and moves both into place at once)."""
    try:
        listed = json.loads((folder / CACHE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(listed, dict):
        return []
    found = file_checksums(folder)
    return [name for name, digest in listed.items() if name in found and found[name] != digest]


def refuse_edited(folder):
    """A DataFileError in one line when a file of the cache was edited by hand: it is
    not overwritten with the book's twin behind the reader's back."""
    folder = Path(folder)
    edited = edited_files(folder)
    if edited:
        more = f" (and {len(edited) - 1} more)" if len(edited) > 1 else ""
        raise DataFileError(f"The cached twin file {folder / edited[0]}{more} was edited: it no longer matches "
                            f"{folder / CACHE_MANIFEST}. Delete it to get the book's twin back (the next load "
                            f"regenerates it), or copy the folder and set {DATA_ENV} to it to analyse your edit.")


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
    from icaria.twin import write_twin  # only when the twin must be written (about 2 s)

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
