"""Replay the website's "download all notebooks" zip as a reader would: unzip it into
an empty folder, run the commands of its README (every ```bash block, in order: a
fresh virtual environment, the pinned packages, JupyterLab and the book's package,
then one chapter run from the command line), with nothing of this environment on the
PATH. A few minutes (the install); the test suite checks only that the README's
commands name files the zip holds (tests/test_scripts.py).

Usage: ``python scripts/replay_notebook_zip.py [--keep DIR]``
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from icaria.sphinx_fixes import ARCHIVE, ARCHIVE_FOLDER, write_notebook_archive  # noqa: E402


def readme_commands(readme):
    """The commands of the README's ```bash blocks, in order."""
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def reader_env():
    """A shell as a reader has it: no virtual environment of ours on the PATH."""
    ours = Path(sys.executable).parent.resolve()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "PYTHON", "ICARIA"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if Path(p).resolve() != ours)
    return env


def replay(workdir):
    write_notebook_archive(REPO_ROOT, workdir)
    empty = workdir / "unzipped"
    empty.mkdir()
    with zipfile.ZipFile(workdir / ARCHIVE) as archive:
        archive.extractall(empty)
    folder = empty / ARCHIVE_FOLDER
    env = {**reader_env(), "HOME": str(workdir)}
    for command in readme_commands((folder / "README.md").read_text(encoding="utf-8")):
        print(f"$ {command}", flush=True)
        start = time.monotonic()
        done = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True)
        print(f"  exit {done.returncode}, {time.monotonic() - start:.0f} s", flush=True)
        if done.returncode != 0:
            print(done.stdout[-3000:] + done.stderr[-3000:], file=sys.stderr)
            return 1
    print("The notebook zip set itself up from its README and ran a chapter.")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="replay in this (new) folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True)
        return replay(args.keep.resolve())
    with tempfile.TemporaryDirectory() as workdir:
        return replay(Path(workdir))


if __name__ == "__main__":
    sys.exit(main())
