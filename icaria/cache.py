"""The twin written into a cache folder, for a kernel with no copy of the book at hand
(a lone notebook on Colab, an installed package): :func:`data_dir` is the loader's way
to the data. It asks :func:`icaria.paths.data_dir` where the files are; when that is the
cache and the cache is not whole, it regenerates the twin there (about 2 s): into a
temporary folder first, moved into place under a lock, with the checksum of each file,
which are verified before the cache is used (a regeneration killed midway is redone on
the next load).

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
        regenerate(folder)
    return folder


@contextmanager
def locked(folder):
    """Hold an exclusive lock on ``folder/.lock`` (other processes wait)."""
    try:
        import fcntl
    except ImportError:   # Windows: no lock; the move into place is still atomic
        yield
        return
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
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
