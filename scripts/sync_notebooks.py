"""Before you commit: re-execute changed chapters and keep each pair in step.

Every chapter is a pair, ``notebooks/NAME.md`` (MyST text twin) and
``notebooks/NAME.ipynb`` (executed, with the outputs the book shows and nbval
re-checks). This script, for each chapter you name (or every chapter whose files
git sees as changed, or all with ``--all``):

1. syncs the pair with jupytext (the file edited last wins), and puts the set-up
   cell (:data:`SETUP_CELL`, the same in every chapter) first;
2. executes the notebook from a clean kernel (no widget state is saved: the
   website shows each live figure as a form over views drawn at build, see
   ``icaria.site_views``);
3. renames widget model ids to stable ones, so an unchanged chapter re-executes
   to identical bytes;
4. regenerates the pages made from the chapters: the scorecard (``book/scorecard.csv``,
   ``book/scorecard.md``, ``book/critical-reading.md``, the README's summary) and the
   syllabus (``book/syllabus.md``).

Usage: ``python scripts/sync_notebooks.py [--all] [NAME ...]``
"""

import argparse
import re
import subprocess
import sys
import uuid
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
# The PUBLIC repository (the one every student route uses): _config.yml's repository.url, its one place.
BOOK_URL = re.search(r"^repository:\n\s+url: (\S+)", (REPO_ROOT / "_config.yml").read_text(encoding="utf-8"),
                     re.M).group(1)
# The first cell of every chapter, removed from the website. A chapter opened on its
# own (Colab, a downloaded notebook) has neither the package nor the data: this cell
# fetches the book and installs its package. ICARIA_BOOK_REPO (a path or URL git
# understands) and ICARIA_BOOK_REF override where from.
SETUP_CELL = f"""\
# Set-up for a chapter opened on its own (Colab, a download). Where the book's
# package is installed (Binder, a hub, a clone on a laptop) it does nothing;
# otherwise it fetches the book and installs its package and what that needs,
# pinning every package the host already has, so nothing of the host changes.
import importlib, importlib.util, os, pathlib, subprocess, sys, tempfile


class SetUpFailed(Exception):
    def _render_traceback_(self):   # one line in the notebook, then the chapter stops
        return [f"SetUpFailed: {{self}}"]


def step(command, failure):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SetUpFailed(f"{{failure}} ({{reason}}).") from None
    return done.stdout


if importlib.util.find_spec("icaria") is None:
    book = pathlib.Path.home() / "icaria-mm-step-by-step"
    url = "{BOOK_URL}"
    source = os.environ.get("ICARIA_BOOK_REPO", url)
    if not book.exists():
        ref = os.environ.get("ICARIA_BOOK_REF", "main")
        step(["git", "clone", "--quiet", "--depth", "1", "--branch", ref, source,
              str(book)], f"Could not fetch the book from {{source}}; check the "
             "connection (or set ICARIA_BOOK_REPO) and run this cell again")
    pins = pathlib.Path(tempfile.mkdtemp()) / "host-packages.txt"   # as pip sees them
    pins.write_text(step([sys.executable, "-m", "pip", "list", "--format=freeze"],
                         "Could not list this host's packages"))
    step([sys.executable, "-m", "pip", "install", "--quiet", "-c", str(pins),
          str(book)], "Could not install the book's package without changing "
         "this host's packages")
    importlib.invalidate_caches()"""
SETUP_TAGS = ["remove-cell"]


def chapter_names():
    return sorted({path.stem for path in NOTEBOOKS_DIR.glob("*.md")} |
                  {path.stem for path in NOTEBOOKS_DIR.glob("*.ipynb")})


def changed_chapter_names():
    """Chapters with a file that differs from git's HEAD (or is new)."""
    status = subprocess.run(["git", "status", "--porcelain", "--", str(NOTEBOOKS_DIR)], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True).stdout
    names = set()
    for line in status.splitlines():
        path = Path(line[3:].strip().strip('"'))
        if path.suffix in (".md", ".ipynb"):
            names.add(path.stem)
    return sorted(names)


def has_setup_cell(notebook):
    first = notebook.cells[0] if notebook.cells else None
    return (first is not None and first.cell_type == "code" and first.source == SETUP_CELL
            and first.metadata.get("tags") == SETUP_TAGS)


def put_setup_cell_first(name):
    """Make the text twin's first cell the current set-up cell (replacing an old one)."""
    path = NOTEBOOKS_DIR / f"{name}.md"
    if has_setup_cell(jupytext.read(path)):
        return
    text = path.read_text(encoding="utf-8")
    end_of_header = text.index("\n---\n", 4) + len("\n---\n")
    header, body = text[:end_of_header], text[end_of_header:]
    body = re.sub(r"\A\n```\{code-cell\} ipython3\n:tags: \[remove-cell\]\n\n# Set-up for a chapter.*?\n```\n", "",
                  body, flags=re.S)
    cell = f"\n```{{code-cell}} ipython3\n:tags: [{', '.join(SETUP_TAGS)}]\n\n{SETUP_CELL}\n```\n"
    path.write_text(header + cell + body, encoding="utf-8")


def sync_pair(name):
    subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(NOTEBOOKS_DIR / f"{name}.md")],
                   cwd=REPO_ROOT, check=True)


def stable_widget_ids(notebook_text, name):
    """Rename the random model ids of the displayed widgets to ids derived from the
    chapter name, in the order they are displayed."""
    displayed = dict.fromkeys(re.findall(r'"model_id": "([0-9a-f]+)"', notebook_text))
    for index, model_id in enumerate(displayed):
        stable = uuid.uuid5(uuid.NAMESPACE_URL, f"icaria-mm-book/{name}/{index}").hex
        notebook_text = notebook_text.replace(model_id, stable)
    return notebook_text


def execute(name):
    path = NOTEBOOKS_DIR / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", store_widget_state=False,
                            record_timing=False, resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    client.execute()
    notebook.metadata.pop("widgets", None)   # no saved widget state (see 2. above)
    text = stable_widget_ids(nbformat.writes(notebook), name)
    path.write_text(nbformat.writes(nbformat.reads(text, as_version=4)) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Re-execute chapters and re-sync their text twins.")
    parser.add_argument("names", nargs="*", help="chapter names, e.g. 01-trial-at-a-glance")
    parser.add_argument("--all", action="store_true", help="every chapter")
    args = parser.parse_args(argv)
    names = chapter_names() if args.all else (args.names or changed_chapter_names())
    for name in names:
        print(f"{name}: syncing and executing", flush=True)
        sync_pair(name)
        put_setup_cell_first(name)
        sync_pair(name)
        execute(name)
        sync_pair(name)
    subprocess.run([sys.executable, "-m", "icaria.scorecard"], cwd=REPO_ROOT, check=True)
    subprocess.run([sys.executable, "-m", "icaria.syllabus"], cwd=REPO_ROOT, check=True)
    if not names:
        print("No changed chapter; scorecard checked.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
