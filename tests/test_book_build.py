"""The site builds with zero warnings and holds every page and figure it should."""

import re

import yaml
from conftest import REPO_ROOT


def toc_files():
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def test_strict_build_has_no_warnings(strict_build):
    code, log = strict_build
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
    assert code == 0 and not warnings, "\n".join(warnings) or log[-3000:]


def test_no_chapter_is_seen_twice(strict_build):
    assert "multiple files found" not in strict_build[1]


def test_every_toc_page_is_built(site):
    for name in toc_files():
        assert (site / f"{name}.html").exists(), name


def test_chapters_have_their_figures_with_alt_text(site):
    for notebook in (REPO_ROOT / "notebooks").glob("*.ipynb"):
        page = (site / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        images = re.findall(r'<img [^>]*src="(\.\./_images/[^"]+)"[^>]*>', page)
        assert images, f"{notebook.stem} shows no figure"
        for tag in re.findall(r"<img [^>]*>", page):
            assert re.search(r'alt="[^"]+"', tag), f"image without alt text in {notebook.stem}: {tag[:120]}"


def test_download_button_serves_real_notebooks(site):
    page = (site / "notebooks" / "01-trial-at-a-glance.html").read_text(encoding="utf-8")
    assert 'href="../_sources/notebooks/01-trial-at-a-glance.ipynb"' in page
    assert ".ipynb.txt" not in page
    assert (site / "_sources" / "notebooks" / "01-trial-at-a-glance.ipynb").exists()


def test_launch_buttons_and_live_code(site):
    page = (site / "notebooks" / "01-trial-at-a-glance.html").read_text(encoding="utf-8")
    for launcher in ("mybinder.org", "colab.research.google.com"):
        assert launcher in page, launcher
    assert "thebe" in page


def test_hub_button_only_when_an_instructor_sets_a_hub(site):
    """The hub button appears once `launch_buttons.jupyterhub_url` names a real hub."""
    hub_url = yaml.safe_load((REPO_ROOT / "_config.yml").read_text())["launch_buttons"]["jupyterhub_url"]
    page = (site / "notebooks" / "01-trial-at-a-glance.html").read_text(encoding="utf-8")
    assert ("hub/user-redirect/git-pull" in page) == bool(hub_url)


PLACEHOLDER = re.compile(r"""(?:https?:)?//[\w.-]*\bexample\.(?:com|org|net|edu)\b"""
                         r"""|<[^<>]*repository URL[^<>]*>""", re.I)


def test_no_link_points_at_a_placeholder(site):
    for page in site.rglob("*.html"):
        found = PLACEHOLDER.findall(page.read_text(encoding="utf-8"))
        assert not found, f"{page.relative_to(site)}: {found[:3]}"


def test_no_widget_manager_on_the_site(site):
    """Live figures on the site are forms over views drawn at build (test_site_views.py):
    no saved widget state, no widget manager."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "_static/widgets/" not in text, page.name
        assert "application/vnd.jupyter.widget-state+json" not in text, page.name
        assert "application/vnd.jupyter.widget-view+json" not in text, page.name


def test_every_chapter_figure_has_a_caption(site):
    for notebook in (REPO_ROOT / "notebooks").glob("*.ipynb"):
        page = (site / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        outside_figures = re.sub(r"<figure[^>]*>.*?</figure>", "", page, flags=re.S)
        bare = re.findall(r'<img [^>]*src="\.\./_images/[^"]+"[^>]*>', outside_figures)
        assert not bare, f"{notebook.stem}: a figure without a caption: {bare[0][:120]}"
        for figure in re.findall(r"<figure[^>]*>.*?</figure>", page, flags=re.S):
            assert "<figcaption" in figure, f"{notebook.stem}: a figure without a caption"


RAW_NUMBERS = re.compile(r"np\.(?:int|float)64\(|>\s*-?(?:NaN|nan|inf)\s*<|class=\"pasted-text\">-?\d+\.0<")


# In the text a reader sees (tags removed): pandas' footers and Python's scientific
# notation (two exponent digits: "1.1e-05"; a threshold written "1e-5" is prose).
RAW_TEXT = re.compile(r"\bdtype: \w+|\bName: [^\n]*, dtype|(?<![\w.])\d+(?:\.\d+)?e[-+]\d{2,}\b")
CODE_BLOCK = re.compile(r'<div class="highlight-(?!myst-ansi)[^"]*"><div class="highlight"><pre>.*?</pre>', re.S)


def test_results_show_numbers_as_a_reader_expects(site):
    """No NumPy reprs, NaN or inf cells, no glued count printed as "307.0", no pandas
    footer ("Name: ..., dtype: float64") and no "1.1e-05" in what a reader sees: the
    pages' text and the printed outputs of their code (the code itself aside)."""
    for page in sorted(site.glob("notebooks/*.html")) + sorted(site.glob("book/*.html")):
        text = CODE_BLOCK.sub("", page.read_text(encoding="utf-8"))
        text = re.sub(r"<script.*?</script>|<style.*?</style>", "", text, flags=re.S)
        found = RAW_NUMBERS.findall(text) + RAW_TEXT.findall(re.sub(r"<[^>]+>", " ", text))
        assert not found, f"{page.name}: {found[:5]}"


def test_the_notebooks_archive_runs_where_it_is_unzipped(site, tmp_path):
    """The "download all notebooks" zip holds every executed chapter, the data and the
    package; unzipped anywhere, the package finds that copy's data."""
    import subprocess
    import sys
    import zipfile

    with zipfile.ZipFile(site / "icaria-mm-notebooks.zip") as archive:
        archive.extractall(tmp_path)
    book = tmp_path / "icaria-mm-step-by-step"
    chapters = sorted(path.name for path in (REPO_ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(path.name for path in (book / "notebooks").glob("*.ipynb")) == chapters
    assert (book / "pyproject.toml").exists() and (book / "data" / "adsl.csv").exists()
    found = subprocess.run([sys.executable, "-c", "from icaria import data, paths; data.load('adsl');"
                            "print(paths.data_dir())"], cwd=book / "notebooks", capture_output=True, text=True,
                           env={"PYTHONPATH": str(book), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert found.returncode == 0, found.stderr[-2000:]
    assert found.stdout.strip() == str(book / "data")
