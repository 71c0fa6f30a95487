"""Live figures of chapter 3 (sample size, power and interim looks): events needed
against the target hazard ratio, and alpha spent against information fraction.

The arithmetic they draw is :mod:`icaria.design`'s.
"""

import numpy as np

from icaria.arguments import between
from icaria.design import allocation_share, check_design, schoenfeld_events, spending
from icaria.live import Changed, Chart, LiveFigure, dropdown, float_slider
from icaria.numbers import plural, threshold_text
from icaria.style import OKABE_ITO, SMALL_TEXT

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "03-sample-size-and-interim-looks"

HAZARD_RATIO_GRID = np.linspace(0.4, 0.9, 101)
FRACTION_GRID = np.linspace(0.01, 1, 100)
# Allocation ratios as the text writes them (experimental:control) -> experimental per control patient.
ALLOCATION_RATIOS = {"1:2": 0.5, "1:1": 1.0, "2:1": 2.0, "3:1": 3.0}
# Chapter 3's live figures' size (inches): 10 pt type on it shows at 9.5 CSS px on a phone.
PHONE_FIGSIZE = (5.2, 4.2)
SPENDING_FAMILIES = {"O'Brien-Fleming type": "obrien-fleming", "Pocock type": "pocock"}


def ratio_text(ratio):
    """An allocation ratio as the text writes it: 2.0 -> '2:1', 0.5 -> '1:2'."""
    named = {value: label for label, value in ALLOCATION_RATIOS.items()}
    if ratio in named:
        return named[ratio]
    return f"{ratio:g}:1" if ratio >= 1 else f"1:{1 / ratio:g}"


class EventsNeededFigure(Chart):
    """Events needed against the target hazard ratio, with the chosen design marked.
    The axes are fixed: a view redraws the curve, the point and the texts over a kept
    background (every view drawn in full took up to 74 ms). Drawn 5.2 inches wide: its
    10 pt type stays at 9 CSS px or more on a 390 px phone."""

    figsize = PHONE_FIGSIZE

    def controls(self):
        return {
            "hazard_ratio": float_slider("Target HR", 0.4, 0.9, 0.01, 0.6),
            "alpha_one_sided": dropdown("One-sided alpha", [0.005, 0.01, 0.025, 0.05], 0.025),
            "power": float_slider("Power", 0.7, 0.95, 0.05, 0.9),
            "ratio": dropdown("Allocation (exp.:control)", ALLOCATION_RATIOS, 1.0),
        }

    def build(self, figure):
        figure.clear()
        figure.subplots_adjust(left=0.16, right=0.96, bottom=0.15, top=0.8)
        ax = figure.add_subplot()
        ax.set_yscale("log")
        ax.set_xlabel("Target hazard ratio (experimental vs control)", fontsize=SMALL_TEXT)
        ax.set_ylabel("Events needed (log scale)")
        ax.set_xlim(0.38, 0.92)     # room for the marked point at either end
        ax.set_ylim(20, 10000)
        curve, = ax.plot([], [], color=OKABE_ITO["blue"], lw=2)
        point, = ax.plot([], [], "o", color=OKABE_ITO["vermillion"], ms=8)
        label = ax.text(0, 0, "", fontsize=SMALL_TEXT, ha="left", va="bottom")
        return {"ax": ax, "curve": curve, "point": point, "label": label}

    def update(self, hazard_ratio=0.6, alpha_one_sided=0.025, power=0.9, ratio=1.0):
        check_design(hazard_ratio, alpha_one_sided, power, ratio)
        share = allocation_share(ratio)
        events = np.ceil(schoenfeld_events(hazard_ratio, alpha_one_sided, power, share))
        a = self.artists
        a["curve"].set_data(HAZARD_RATIO_GRID, schoenfeld_events(HAZARD_RATIO_GRID, alpha_one_sided, power, share))
        a["point"].set_data([hazard_ratio], [events])
        # Right of the point, or left of it near the axis's right end, where it would be cut off.
        right_side = hazard_ratio < 0.75
        a["label"].set_position((hazard_ratio + (0.01 if right_side else -0.01), events * 1.1))
        a["label"].set_horizontalalignment("left" if right_side else "right")
        a["label"].set_text(f"{int(events)} events")
        title = a["ax"].set_title(f"Log-rank test, one-sided alpha {alpha_one_sided:g},\npower {power:.0%}, "
                                  f"allocation {ratio_text(ratio)}", loc="left", fontsize=11)
        return Changed([a["curve"], a["point"], a["label"], title])

    def caption(self, hazard_ratio=0.6, alpha_one_sided=0.025, power=0.9, ratio=1.0):
        check_design(hazard_ratio, alpha_one_sided, power, ratio)
        events = int(np.ceil(schoenfeld_events(hazard_ratio, alpha_one_sided, power, allocation_share(ratio))))
        return (f"Events a one-sided log-rank test needs, by target hazard ratio (log scale), at one-sided alpha "
                f"{alpha_one_sided:g}, {power:.0%} power and {ratio_text(ratio)} allocation. The marked design, "
                f"HR {hazard_ratio:.2f}, needs {plural(events, 'event')}.")


class SpendingFigure(Chart):
    """Cumulative alpha spent against information fraction, both families, the chosen look
    marked. Only the look and its label change: they are redrawn over a kept background
    (every view drawn in full took up to 85 ms). Drawn 5.2 inches wide, for phones."""

    figsize = PHONE_FIGSIZE

    def __init__(self, alpha_one_sided=0.025):
        self.alpha_one_sided = alpha_one_sided

    def controls(self):
        return {
            "fraction": float_slider("Information fraction", 0.1, 1.0, 0.05, 0.45),
            "family": dropdown("Spending family", SPENDING_FAMILIES, "obrien-fleming"),
        }

    def build(self, figure):
        alpha = self.alpha_one_sided
        figure.clear()
        figure.subplots_adjust(left=0.17, right=0.96, bottom=0.19, top=0.88)
        ax = figure.add_subplot()
        for (name, code), colour, style in zip(SPENDING_FAMILIES.items(), (OKABE_ITO["blue"], OKABE_ITO["green"]),
                                               ("-", "--")):
            ax.plot(FRACTION_GRID, spending(FRACTION_GRID, alpha, code), style, color=colour, lw=2, label=name)
        point, = ax.plot([], [], "o", color=OKABE_ITO["vermillion"], ms=8)
        # The label sits in the empty corner under both curves, an arrow to the look.
        label = ax.annotate("", xy=(0, 0), xytext=(0.98, 0.05), textcoords="axes fraction", ha="right",
                            va="bottom", fontsize=SMALL_TEXT,
                            arrowprops={"arrowstyle": "->", "color": OKABE_ITO["grey"], "shrinkB": 6})
        ax.set_xlabel("Information fraction\n(events so far / events planned)", fontsize=SMALL_TEXT)
        ax.set_ylabel("Cumulative one-sided alpha spent", fontsize=SMALL_TEXT)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, alpha * 1.05)
        ax.legend(loc="upper left", fontsize=SMALL_TEXT)
        ax.set_title(f"Alpha spending, one-sided alpha {alpha:g}", loc="left", fontsize=11)
        return {"ax": ax, "point": point, "label": label}

    def update(self, fraction=0.45, family="obrien-fleming"):
        between("Information fraction", fraction, 0.05, 1, closed=(True, True))
        alpha = self.alpha_one_sided
        spent = float(spending(fraction, alpha, family))   # names an unknown family
        a = self.artists
        a["point"].set_data([fraction], [spent])
        a["label"].xy = (fraction, spent)
        a["label"].set_text(f"first look at {fraction:.2f}:\nnominal p < {threshold_text(spent)}")
        return Changed([a["point"], a["label"]])

    def caption(self, fraction=0.45, family="obrien-fleming"):
        between("Information fraction", fraction, 0.05, 1, closed=(True, True))
        spent = float(spending(fraction, self.alpha_one_sided, family))
        name = {code: label for label, code in SPENDING_FAMILIES.items()}[family]
        return (f"Cumulative one-sided alpha spent by information fraction, for Lan-DeMets O'Brien-Fleming-type "
                f"and Pocock-type spending of one-sided alpha {self.alpha_one_sided:g}. A first look at "
                f"{fraction:.2f} of the planned events under the {name} function spends {threshold_text(spent)}: "
                f"the nominal one-sided p-value that would stop the trial there.")


def events_needed_live():
    """Chapter 3's live figure of the events a design needs."""
    return LiveFigure(EventsNeededFigure())


def spending_live():
    """Chapter 3's live figure of alpha spending."""
    return LiveFigure(SpendingFigure())
