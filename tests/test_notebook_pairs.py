"""Every chapter is exactly one pair, and the text twin agrees with the notebook."""

import jupytext
import pytest
from conftest import REPO_ROOT
from jupytext.compare import compare_notebooks

NOTEBOOKS = REPO_ROOT / "notebooks"
NAMES = sorted({p.stem for p in NOTEBOOKS.glob("*.ipynb")} | {p.stem for p in NOTEBOOKS.glob("*.md")})


def test_there_are_chapters():
    assert NAMES


@pytest.mark.parametrize("name", NAMES)
def test_pair_is_complete(name):
    assert (NOTEBOOKS / f"{name}.ipynb").exists(), f"{name}.md has no executed .ipynb"
    assert (NOTEBOOKS / f"{name}.md").exists(), f"{name}.ipynb has no text twin .md"


@pytest.mark.parametrize("name", NAMES)
def test_text_twin_matches_notebook(name):
    from_text = jupytext.read(NOTEBOOKS / f"{name}.md")
    from_notebook = jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    compare_notebooks(from_text, from_notebook, fmt="md:myst")


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_executed_in_order(name):
    notebook = jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "re-run: python scripts/sync_notebooks.py " + name


@pytest.mark.parametrize("name", NAMES)
def test_outputs_carry_no_addresses_or_paths(name):
    text = (NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8")
    assert " at 0x" not in text, "an output shows a memory address"
    assert str(REPO_ROOT) not in text, "an output shows an absolute path"
    assert '"output_type": "error"' not in text, "a cell raised an error"


@pytest.mark.parametrize("name", NAMES)
def test_outputs_carry_no_warnings(name):
    """A reader should not see library warnings; nbval would also fail on them."""
    notebook = jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    streams = [output for cell in notebook.cells for output in cell.get("outputs", [])
               if output.get("name") == "stderr"]
    assert not streams, f"{name}: stored stderr output: {streams[0]['text'][:200]}"


def load_sync_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("sync_notebooks", REPO_ROOT / "scripts" / "sync_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_chapter_starts_with_the_setup_cell(name):
    """The same set-up cell, hidden on the website, opens every chapter, so a chapter
    opened alone (Colab) can install the book; scripts/sync_notebooks.py puts it there."""
    sync = load_sync_script()
    for path in (NOTEBOOKS / f"{name}.md", NOTEBOOKS / f"{name}.ipynb"):
        assert sync.has_setup_cell(jupytext.read(path)), f"{path.name}: run python scripts/sync_notebooks.py {name}"


@pytest.mark.parametrize("name", NAMES)
def test_code_lines_fit_the_page(name):
    """88 columns at most (the set-up cell, hidden on the website, aside): what the
    website's code style fits in the text column of a 1280 px page."""
    notebook = jupytext.read(NOTEBOOKS / f"{name}.md")
    long = [line for cell in notebook.cells[1:] if cell.cell_type == "code"
            for line in cell.source.splitlines() if len(line) > 88]
    assert not long, f"{name}: {len(long)} code lines over 88 columns, e.g. {long[0]!r}"
