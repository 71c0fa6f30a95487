"""Shared fixtures: the strict site build, and a headless browser when one exists."""

import atexit
import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

# No test writes in the real home folder. The whole session, and every process it starts
# (kernels, replayed routes, the site build), gets a home of its own, removed at the end;
# pip keeps its download cache where it was, which saves the live-route replays a
# fresh download of every package. pytest_sessionfinish fails the run if anything new
# appeared in the real home all the same.
REAL_HOME = Path(os.environ.get("HOME") or Path.home())
os.environ.setdefault("PIP_CACHE_DIR", str(REAL_HOME / ".cache" / "pip"))
TEST_HOME = Path(tempfile.mkdtemp(prefix="icaria-tests-home-"))
os.environ["HOME"] = str(TEST_HOME)
atexit.register(shutil.rmtree, TEST_HOME, ignore_errors=True)   # again at exit: a kernel may write as it stops


def home_listing():
    """The real home's entries and its cache's, as relative names (pip's cache aside)."""
    cache = REAL_HOME / ".cache"
    names = {entry.name for entry in REAL_HOME.iterdir()} if REAL_HOME.is_dir() else set()
    if cache.is_dir():
        names |= {f".cache/{entry.name}" for entry in cache.iterdir()}
    return names - {".cache/pip"}


HOME_BEFORE = home_listing()


@pytest.hookimpl(trylast=True)   # after the kernels and fixtures have been torn down
def pytest_sessionfinish(session, exitstatus):
    # TEST_HOME itself goes at exit (atexit above), after IPython has saved its history there
    written = sorted(home_listing() - HOME_BEFORE)
    if written:
        print(f"\nThe tests wrote in the real home folder {REAL_HOME}: {', '.join(written)}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

REPO_ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = REPO_ROOT / "_build" / "html"
CHROMIUM = Path("/usr/bin/chromium")


def load_make():
    """The README's two commands live in make.py; the tests use its facts."""
    spec = importlib.util.spec_from_file_location("make", REPO_ROOT / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STRICT_BUILD = load_make().SITE_BUILD   # what `python3 make.py site` runs

# What runs in the suite, what runs in a script (CONTRIBUTING.md, "Testing"): a test over a
# matrix (every page at every width, every chapter in every environment) runs a
# representative slice in the suite; `scripts/full_matrix.py` sets ICARIA_FULL_MATRIX=1
# and runs the same tests over the whole matrix.
FULL_MATRIX = os.environ.get("ICARIA_FULL_MATRIX") == "1"


def representative(items, kind, also=(), last=False):
    """The suite's slice of ``items``: the first item (the last, if ``last``) in sorted
    order of each ``kind(item)``, plus any item named in ``also``; every item under the
    full matrix. Two slices of one matrix (one width, the other) take first and last."""
    items = sorted(items)
    if FULL_MATRIX:
        return items
    chosen = {}
    for item in reversed(items) if last else items:
        chosen.setdefault(kind(item), item)
    return [item for item in items if item in chosen.values() or item in also]


# Work that runs for minutes in processes of its own (the strict build, pip installing
# the live routes' environments, printing the book, nbval on another processor) starts
# as soon as the session has collected a test needing it: the strict build here, the
# rest by the test module's `prestart(fixturenames, tmp_path_factory)`, each queued with
# `in_background`; the fixture waits for the result. One thread runs the queue in order,
# so the work uses CI's second core while the serial tests before it use the first; the
# tests check the same things, only sooner ready. A job gets the environment as it was
# when queued (never what a test running meanwhile sets) and never writes where a test reads.
BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="icaria-background")
STARTED = {}


def in_background(key, function, *args):
    """The future of ``function(*args)``, queued once per session under ``key``. A job
    may wait for one queued before it (the queue runs in order), never for a later one."""
    if key not in STARTED:
        STARTED[key] = BACKGROUND.submit(function, *args)
    return STARTED[key]


def pytest_unconfigure(config):
    """A session stopped early (-x, Ctrl-C) drops the queued set-up it no longer needs."""
    BACKGROUND.shutdown(wait=False, cancel_futures=True)


def pytest_collection_finish(session):
    """Queue the background set-up of the collected tests (their modules' ``prestart``)."""
    if session.config.option.collectonly:
        return
    if any("strict_build" in item.fixturenames for item in session.items if hasattr(item, "fixturenames")):
        strict_build_job()
    needed = {}
    for item in session.items:
        module = getattr(item, "module", None)
        if module is not None and hasattr(module, "prestart"):
            needed.setdefault(module, set()).update(item.fixturenames)
    for module, fixturenames in needed.items():
        module.prestart(fixturenames, session.config._tmp_path_factory)   # the tmp_path_factory fixture's object


def build_site(env):
    """Build the whole site from scratch, warnings as errors; return (exit code, log)."""
    beside = Path(sys.executable).parent / "jupyter-book"
    executable = str(beside) if beside.exists() else shutil.which("jupyter-book")
    result = subprocess.run([executable, *STRICT_BUILD[1:]], cwd=REPO_ROOT, capture_output=True, text=True, env=env)
    return result.returncode, result.stdout + result.stderr


def strict_build_job():
    # the environment as it is when queued: never what a test running meanwhile sets
    return STARTED.get("strict build") or in_background("strict build", build_site, dict(os.environ))


@pytest.fixture(scope="session")
def strict_build():
    """The strict site build (queued at collection when a collected test needs it)."""
    return strict_build_job().result()


@pytest.fixture(scope="session")
def site(strict_build):
    code, log = strict_build
    if code != 0 or not (SITE_DIR / "index.html").exists():
        pytest.fail(f"The book did not build:\n{log[-4000:]}")
    return SITE_DIR


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served_site(site):
    """The built site over HTTP on 127.0.0.1 (a free port), for the browser."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def browser_missing_reason():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements.txt)"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = browser_missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def no_data_folder_left_behind():
    """A test that points the session at another twin (a student's) puts it back: a data
    folder left set would feed every later test and kernel other numbers."""
    before = os.environ.get("ICARIA_DATA_DIR")
    yield
    assert os.environ.get("ICARIA_DATA_DIR") == before, "a test left ICARIA_DATA_DIR set"


@pytest.fixture(autouse=True)
def no_chapter_view_from_another_test():
    """A live figure checks it starts where its chapter's static figure was drawn
    (icaria.live.CHAPTER_VIEWS); a static figure drawn by another test is no chapter's."""
    from icaria.live import CHAPTER_VIEWS

    CHAPTER_VIEWS.clear()


# The instructor kit (instructor/: key, model answers, assignment specs) is in the course's
# private repository only; the public copy (`python3 make.py public DEST`) leaves it out and
# says so in PUBLIC-COPY.md. A test marked `kit` is skipped there with that reason; where the
# kit is missing in a copy that is NOT the public one, it is skipped, and under CI=true it fails.
KIT = REPO_ROOT / "instructor" / "assignments"
PUBLIC_COPY = REPO_ROOT / "PUBLIC-COPY.md"


def pytest_configure(config):
    config.addinivalue_line("markers", "kit: needs the instructor kit (instructor/), absent from the public copy")


def pytest_runtest_setup(item):
    if item.get_closest_marker("kit") is None or KIT.is_dir():
        return
    if PUBLIC_COPY.is_file():
        pytest.skip("the instructor kit is not part of the public copy (see PUBLIC-COPY.md)")
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs the instructor kit: {KIT} is missing and this is no public copy")
    pytest.skip(f"the instructor kit ({KIT}) is missing")
