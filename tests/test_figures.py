"""Figure text stays legible: no figure of the package or the chapters uses type
smaller than ``style.SMALL_TEXT``, and no chapter figure is so wide that this type
shrinks below about 9.5 px in the 690 px text column of a 1280 px page."""

import re

import pytest
from conftest import REPO_ROOT

from icaria.style import SMALL_TEXT, use_book_style

TEXT_COLUMN_PX = 690      # the figure width on a 1280 px page (measured in Chromium)
DPI = 100                 # use_book_style's figure.dpi
SMALLEST_RENDERED_PX = 9.5
SOURCES = sorted((REPO_ROOT / "icaria").rglob("*.py")) + sorted((REPO_ROOT / "notebooks").glob("*.md"))


def rendered_px(points, width_inches):
    return points / 72 * min(TEXT_COLUMN_PX, width_inches * DPI) / width_inches


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_figure_type_below_the_smallest_size(path):
    sizes = [float(size) for size in re.findall(r"fontsize=(\d+(?:\.\d+)?)", path.read_text(encoding="utf-8"))]
    assert all(size >= SMALL_TEXT for size in sizes), f"{path.name}: font sizes {sorted(set(sizes))} < {SMALL_TEXT}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_figure_too_wide_for_its_text(path):
    widths = [float(width) for width in re.findall(r"figsize=\((\d+(?:\.\d+)?),", path.read_text(encoding="utf-8"))]
    small = {width: round(rendered_px(SMALL_TEXT, width), 1) for width in widths
             if rendered_px(SMALL_TEXT, width) < SMALLEST_RENDERED_PX}
    assert not small, f"{path.name}: figure width (inches) -> smallest text (px): {small}"


def test_the_book_style_sets_legible_defaults():
    import matplotlib as mpl

    use_book_style()
    assert mpl.rcParams["font.size"] >= SMALL_TEXT and mpl.rcParams["legend.fontsize"] >= SMALL_TEXT
