"""Arm order, labels and colours: one place, so both arms look the same on every
figure and table of the book.

Colours come from the Okabe-Ito palette, which stays distinguishable under the
common forms of colour-vision deficiency.
"""

import matplotlib as mpl

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

ARM_LABELS = {
    "Isa-Pd": "Isatuximab + pomalidomide + dexamethasone (Isa-Pd)",
    "Pd": "Pomalidomide + dexamethasone (Pd)",
}
ARM_COLOURS = {"Isa-Pd": OKABE_ITO["blue"], "Pd": OKABE_ITO["vermillion"]}
# A live figure's choice of arms to show: label -> value.
SHOWN_ARMS = {"Both arms": "both", **{f"{arm} only": arm for arm in ARMS}}

DRUG_COLOURS = {
    "Isatuximab": OKABE_ITO["blue"],
    "Pomalidomide": OKABE_ITO["green"],
    "Dexamethasone": OKABE_ITO["orange"],
}


# The smallest type a figure may use, in points. Chapter figures are drawn 8 to 11
# inches wide and shown about 690 px wide on a 1280 px page, so 10 pt renders at about
# 9 to 12 px; tests/test_figures.py keeps every figure of the package at or above it.
SMALL_TEXT = 10


def use_book_style():
    """Apply the book's matplotlib defaults (fonts, grid, sizes, fixed metadata)."""
    mpl.rcParams.update(
        {
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
    )
