"""Export the book's PUBLIC repository from this one, the course's private (instructor)
repository: ``python3 make.py public DEST`` (or ``python scripts/export_public.py DEST``).

Every route a student takes (the website, the hub's nbgitpuller link, the Colab
set-up cell, the zip download, Binder) clones or builds the public repository, the
address in ``_config.yml`` (``repository.url``). This repository holds, besides, what
no student may reach: the assessment key, the model answers, the assignment specs with
their ``reference`` expressions, and the tests and scripts that compute or hold
expected values. They are listed once, in :data:`PRIVATE_PATHS`, and left out.

DEST is a new (or empty) folder, made a git repository with one commit, or a clone of
the public repository, which gets one new commit on top of its own history. The export
is a snapshot of a commit of this repository (``--ref``, default HEAD: what you
committed), never its history: old commits of this repository hold the key.
"""

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# What never leaves this repository: a folder (every file under it) or a file.
PRIVATE_PATHS = (
    "instructor",                         # assessment key, model answers, CONSORT key, assignment specs
    "tests/test_coursework.py",           # builds kits, reads the specs' reference expressions
    "tests/test_grading_sandbox.py",      # grades against expected values
    "tests/test_public_copy.py",          # exports this repository and checks the student's clone
    "scripts/grade_matrix.py",            # runs reference solutions, writes expected values
    "scripts/time_class_grading.py",      # builds an instructor kit to time grading
    "scripts/check_student_clone.py",     # computes every chapter's expected values
    "scripts/export_public.py",           # this exporter (it names what is private)
)
# Written into the public copy: says what it is, and lets its tests skip what needs the kit.
PUBLIC_MARK = "PUBLIC-COPY.md"
PUBLIC_MARK_TEXT = """# The public copy of the book

This repository is exported from the course's private (instructor) repository by
`python3 make.py public DEST`. It is the book every student uses: the website, the
hub's link, the Colab set-up cell, the zip and Binder all come from here.

Left out on purpose: the instructor kit (assessment key, model answers, assignment
specs) and the tests and scripts that compute expected values. Whatever needs them
says so in one line; the tests that need them are skipped here. Instructors: see
"Where the key lives" in the instructor guide (book/instructor-guide.md).
"""


class ExportError(Exception):
    """The export cannot go ahead (a message in one line)."""


def is_private(path):
    """Whether the repository path ``path`` (POSIX, relative) is left out of the public copy."""
    return any(path == private or path.startswith(private + "/") for private in PRIVATE_PATHS)


def git(*args, cwd, capture=True):
    """Run git in ``cwd``; ExportError with git's last line when it fails."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        raise ExportError(f"git {args[0]} failed in {cwd}: {lines[-1]}")
    return done.stdout


def public_files(ref="HEAD", source=REPO_ROOT):
    """The public copy's files at commit ``ref`` of ``source``: {path: (bytes, mode)}."""
    archive = git("archive", "--format=tar", ref, cwd=source)
    files = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if member.isfile() and not is_private(member.name):
                files[member.name] = (tar.extractfile(member).read(), member.mode)
    files[PUBLIC_MARK] = (PUBLIC_MARK_TEXT.encode(), 0o644)
    return files


def export(dest, ref="HEAD", source=REPO_ROOT):
    """Write the public copy of ``source`` at ``ref`` into ``dest`` and commit it there;
    return ``dest``. ``dest``: missing, empty, or a git repository (a clone of the public one)."""
    dest = Path(dest).resolve()
    if dest == source.resolve() or source.resolve() in dest.parents:
        raise ExportError(f"{dest} is inside this repository; export to a folder outside it.")
    commit = git("rev-parse", "--short", ref, cwd=source).decode().strip()
    dest.mkdir(parents=True, exist_ok=True)
    if not (dest / ".git").exists():
        if any(dest.iterdir()):
            raise ExportError(f"{dest} is neither empty nor a git repository; give a new folder or a clone "
                              "of the public repository.")
        git("init", "--quiet", "--initial-branch=main", cwd=dest)
    for entry in dest.iterdir():   # the public repository's files are replaced, its history kept
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    for path, (content, mode) in public_files(ref, source).items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        target.chmod(0o755 if mode & 0o111 else 0o644)
    git("add", "--all", cwd=dest)
    if git("status", "--porcelain", cwd=dest).strip():
        git("-c", "user.name=ICARIA-MM book", "-c", "user.email=book@invalid", "commit", "--quiet",
            "-m", f"Public copy of the book (private commit {commit})", cwd=dest)
    return dest


def main(argv=None):
    """``export_public.py DEST [--ref REF]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="a new folder, or a clone of the public repository")
    parser.add_argument("--ref", default="HEAD", help="the commit of this repository to export (default HEAD)")
    args = parser.parse_args(argv)
    try:
        dest = export(args.dest, args.ref)
    except ExportError as error:
        print(f"export_public.py: {error}", file=sys.stderr)
        return 2
    print(f"Public copy in {dest} (left out: {', '.join(PRIVATE_PATHS)}); push it to the public repository.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
