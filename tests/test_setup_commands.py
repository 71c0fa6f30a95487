"""The README's two set-up commands, the environment they make, and CI."""

import os
import re

import pytest
from conftest import REPO_ROOT, in_background, load_make


def readme_commands():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1)
    return [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands():
    assert readme_commands() == ["python3 make.py site", "python3 make.py test"]


def test_ci_runs_the_readme_test_command():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^[^#\n]*\bpython3 make\.py test\b", ci, re.M)
    # and every run's log ends with the slowest tests (where the suite's time goes)
    assert re.search(r'"pytest", f"--durations=\{SLOWEST_SHOWN\}"', (REPO_ROOT / "make.py").read_text())
    assert load_make().SLOWEST_SHOWN >= 25


def test_make_installs_into_a_virtual_environment_only():
    """Never pip into the system's Python (PEP 668): every pip call is the venv's."""
    source = (REPO_ROOT / "make.py").read_text(encoding="utf-8")
    pip_calls = re.findall(r"\[([^\]]*)\"-m\", \"pip\"", source)
    assert pip_calls and all(call.strip().rstrip(",") == "python" for call in pip_calls), pip_calls


def test_the_virtual_environment_is_ignored_everywhere():
    make = load_make()
    assert make.venv_dir().name == ".venv" or "ICARIA_VENV" in __import__("os").environ
    gitignore = (REPO_ROOT / ".gitignore").read_text().split()
    config = (REPO_ROOT / "_config.yml").read_text()
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    assert ".venv/" in gitignore and '".venv/**"' in config and '".venv"' in pyproject


def test_lock_files_pin_every_package():
    for name in ("requirements.txt", "requirements-dev.txt"):
        lines = [line.split("#")[0].strip() for line in (REPO_ROOT / name).read_text().splitlines()]
        requirements = [line for line in lines if line]
        assert requirements and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[\w.+!-]+", line) for line in requirements), name


def test_runtime_lock_agrees_with_the_development_lock():
    def pins(name):
        lines = [line.split("#")[0].strip() for line in (REPO_ROOT / name).read_text().splitlines()]
        return dict(line.split("==") for line in lines if line)

    runtime, development = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {name: runtime[name] for name in runtime} == {name: development.get(name) for name in runtime}


def test_binder_python_is_pinned_to_the_tested_version():
    assert (REPO_ROOT / "runtime.txt").read_text().strip() == f"python-{load_make().PYTHON}"


def print_the_book(folder, env):
    """``make.py pdf`` into ``folder``: jupyter-book's single-page build, then Chromium
    prints it, in the environment ``env``; (build, print) as finished processes and the PDF's path."""
    import subprocess
    import sys
    from pathlib import Path

    bin_dir = Path(sys.executable).parent
    build = subprocess.run([str(bin_dir / "jupyter-book"), "build", "--all", "--builder", "singlehtml",
                            "--path-output", str(folder), "."], cwd=REPO_ROOT, capture_output=True, text=True, env=env)
    pdf = folder / "book.pdf"
    if build.returncode != 0:
        return build, None, pdf
    single = folder / "_build" / "singlehtml" / "book" / "intro.html"
    printed = subprocess.run([sys.executable, "scripts/print_pdf.py", str(single), str(pdf)], cwd=REPO_ROOT,
                             capture_output=True, text=True, env=env)
    return build, printed, pdf


PRINTED_BOOK = []


def printed_book_job(factory):
    if not PRINTED_BOOK:
        # the environment as it is now: never what a test running meanwhile sets
        PRINTED_BOOK.append(in_background("printed book", print_the_book, factory.mktemp("pdf"), dict(os.environ)))
    return PRINTED_BOOK[0]


def prestart(fixturenames, factory):
    """Called by conftest once the session has collected: the book is built and printed
    in the background (two minutes of one core) while the tests before this one run."""
    if "printed_book" in fixturenames:
        printed_book_job(factory)


@pytest.fixture(scope="session")
def printed_book(tmp_path_factory):
    return printed_book_job(tmp_path_factory).result()


def test_the_pdf_route_builds_and_prints_the_whole_book(printed_book):
    """``make.py pdf``: jupyter-book's single-page build (which needs the book's fix for
    hidden cells) printed by Chromium, well over a hundred pages, with bookmarks."""
    build, printed, pdf = printed_book
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    assert printed.returncode == 0, printed.stderr[-2000:]
    printed_pdf = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", printed_pdf))
    assert pages > 100, pages
    assert b"/Outlines" in printed_pdf, "the PDF has no bookmarks (outline)"
