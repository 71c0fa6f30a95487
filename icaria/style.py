"""Arm order, labels and colours: one place, so both arms look the same on every
figure and table of the book.

Colours come from the Okabe-Ito palette, which stays distinguishable under the
common forms of colour-vision deficiency.
"""

import matplotlib as mpl

from icaria.numbers import show_series_as_tables
from icaria.published import ARMS

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}

ARM_COLOURS = {"Isa-Pd": OKABE_ITO["blue"], "Pd": OKABE_ITO["vermillion"]}
# A live figure's choice of arms to show: label -> value.
SHOWN_ARMS = {"Both arms": "both", **{f"{arm} only": arm for arm in ARMS}}

DRUG_COLOURS = {
    "Isatuximab": OKABE_ITO["blue"],
    "Pomalidomide": OKABE_ITO["green"],
    "Dexamethasone": OKABE_ITO["orange"],
}


# Width in pixels of the text column of a 1280 px page (measured in Chromium). A figure
# wider than the column is scaled down to it; a live figure is rendered exactly this wide.
TEXT_COLUMN_PX = 690
# The widest a figure may be drawn, in inches: at this width the column shows it at
# 690 / 8 = 86 px per inch, so SMALL_TEXT renders at 12 px, the size of the book's code
# and printed output (the body's small print; body text is 16 px).
MAX_FIGURE_WIDTH = 8
# Width in CSS pixels a figure is shown at on a 390 px phone (measured in Chromium: the
# column less the figure's margins), and the smallest type a reader should get there.
PHONE_COLUMN_PX = 342
PHONE_SMALLEST_PX = 9
# The smallest type a figure may use, in points; tests/test_figures.py keeps every
# figure of the package and the chapters at or above it and no wider than MAX_FIGURE_WIDTH.
SMALL_TEXT = 10


# The book's matplotlib defaults: chapters, live figures and the website's views.
BOOK_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (8, 4.5),
    "font.size": 11,
    "legend.fontsize": SMALL_TEXT,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "legend.frameon": False,
    "svg.hashsalt": "icaria",
}


def use_book_style():
    """Apply the book's matplotlib defaults (fonts, grid, sizes, fixed metadata).

    In a notebook, figures are also stored at twice their resolution ("retina"),
    shown at their normal size: sharp on high-density screens and when a phone
    reader zooms in. A pandas Series shows as a small table, without the footer
    ("Name: ..., dtype: float64") of its text form."""
    show_figures_sharp()
    show_series_as_tables()
    mpl.rcParams.update(BOOK_RC)


def show_figures_sharp():
    """Inline figures as PNG at twice the resolution, displayed at their normal size."""
    from IPython import get_ipython

    if get_ipython() is None:
        return
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:   # an IPython shell without a notebook kernel: figures open in windows
        return
    set_matplotlib_formats("retina")
