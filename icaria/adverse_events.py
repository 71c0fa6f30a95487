"""Adverse-event tables and the dot plot of trial reports (incidence per arm beside
the risk difference with its 95% CI), for the safety chapter.
"""

import textwrap

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep

from icaria import published
from icaria.arguments import (
    ArgumentError,
    arms_in,
    between,
    mapping,
    once_each,
    one_of,
    rows_in,
    table_with,
    texts,
    whole,
)
from icaria.live import Changed, Chart, LiveFigure, dropdown
from icaria.style import ARM_COLOURS, ARMS, OKABE_ITO, SMALL_TEXT

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "10-safety"

GRADE_THRESHOLDS = {"Any grade": 1, "Grade 3 or higher": 3, "Grade 4 or higher": 4}
SORT_ORDERS = {"Risk difference": "difference", "Incidence with Isa-Pd": "Isa-Pd", "Alphabetical": "term"}
TABLE4_TERMS = tuple(term for term in published.TABLE4_ADVERSE_EVENTS if term != "Second primary malignancy")


def incidence(adae, treated, min_grade=1, terms=TABLE4_TERMS):
    """Patients with each term at ``min_grade`` or worse, per arm, with percentages of
    the treated patients, and the risk difference Isa-Pd minus Pd with its 95% CI
    (Newcombe's hybrid score interval)."""
    table_with("adae", adae, ["USUBJID", "TRT01P", "AEDECOD", "AETOXGR"])
    once_each("adae", rows_in("adae", adae), ["USUBJID", "AEDECOD"])
    arms_in("adae", adae, ARMS)
    mapping("treated", treated, ARMS)
    texts("terms", terms)
    whole("min_grade", min_grade, 1, 5)
    for arm in ARMS:
        between(f"treated[{arm!r}]", treated[arm], 0, np.inf)
        whole(f"treated[{arm!r}]", treated[arm], 1, 10**6)
        with_events = adae.loc[adae["TRT01P"] == arm, "USUBJID"].nunique()
        if with_events > treated[arm]:
            raise ArgumentError(f"treated[{arm!r}] is {treated[arm]}, but {with_events} {arm} patients have an adverse "
                                "event in adae: the treated patients are at least as many.")
    unknown = sorted(set(terms) - set(adae["AEDECOD"]) - set(TABLE4_TERMS))
    if unknown:
        raise ArgumentError(f"terms: {', '.join(map(repr, unknown))} never appear in adae (AEDECOD); "
                         f"the Table 4 terms are {', '.join(TABLE4_TERMS)}.")
    worst = adae[adae["AEDECOD"].isin(terms) & (adae["AETOXGR"] >= min_grade)]
    counts = worst.groupby(["AEDECOD", "TRT01P"])["USUBJID"].nunique().unstack(fill_value=0)
    counts = counts.reindex(index=list(terms), columns=list(ARMS), fill_value=0)
    table = pd.DataFrame({"term": counts.index})
    for arm in ARMS:
        table[f"n {arm}"] = counts[arm].to_numpy()
        table[f"% {arm}"] = 100 * counts[arm].to_numpy() / treated[arm]
    low, high = confint_proportions_2indep(table["n Isa-Pd"], treated["Isa-Pd"], table["n Pd"], treated["Pd"],
                                           method="newcomb", compare="diff")
    table["difference"] = table["% Isa-Pd"] - table["% Pd"]
    table["low"], table["high"] = 100 * np.asarray(low), 100 * np.asarray(high)
    return table


def sort_table(table, order):
    """The incidence table in the dot plot's order: by risk difference, by Isa-Pd's share, or by term."""
    one_of("Sort order", order, SORT_ORDERS.values())
    table_with("table (from incidence)", table, ["term", "% Isa-Pd", "difference"])
    if order == "term":
        return table.sort_values("term", ascending=False).reset_index(drop=True)
    if order == "Isa-Pd":
        return table.sort_values(["% Isa-Pd", "term"]).reset_index(drop=True)
    return table.sort_values(["difference", "term"]).reset_index(drop=True)


def draw_dot_plot(figure, table, title=""):
    """Left: percentage of each arm with the event; right: risk difference and 95% CI."""
    artists = dot_plot_layout(figure, len(table))
    show_dot_plot(artists, table, title)
    return artists["left"], artists["right"]


def dot_plot_layout(figure, terms):
    """The dot plot's axes and empty artists for ``terms`` lanes (drawn once; see
    :func:`show_dot_plot`)."""
    figure.clear()
    width, height = figure.get_size_inches()
    left, right = figure.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1, 1], "wspace": 0.08})
    # Margins in inches (the term labels and the two-line title and axis labels), so the
    # layout holds at the live figure's 5.2 inches and at a chapter's 8.
    figure.subplots_adjust(left=1.42 / width, right=1 - 0.3 / width, top=1 - 0.6 / height, bottom=0.85 / height)
    lanes = np.arange(terms)
    arms = {arm: left.plot([], [], marker, color=ARM_COLOURS[arm], ms=7, label=arm, linestyle="none")[0]
            for arm, marker in zip(ARMS, ("o", "^"))}
    left.set_xlabel("Patients with\nthe event (%)", fontsize=SMALL_TEXT)
    # Above the panel, between the title and the axes: inside it, a point at 20-30% would
    # sit under the legend.
    left.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=2, fontsize=SMALL_TEXT, handletextpad=0.2,
                borderaxespad=0.1, columnspacing=1.0, frameon=False)
    intervals = right.hlines(lanes, np.zeros(terms), np.zeros(terms), color=OKABE_ITO["black"], lw=1.5)
    differences, = right.plot([], [], "D", color=OKABE_ITO["black"], ms=5)
    right.axvline(0, color=OKABE_ITO["grey"], lw=1)
    right.set_xlabel("Risk difference\nIsa-Pd − Pd, points\n(95% CI)", fontsize=SMALL_TEXT)
    right.set_xlim(-25, 50)
    right.set_xticks([-20, 0, 20, 40])
    for ax in (left, right):
        ax.tick_params(labelsize=SMALL_TEXT)
    title = figure.suptitle("", x=0.02, ha="left", fontsize=11)
    return {"left": left, "right": right, "arms": arms, "intervals": intervals, "differences": differences,
            "title": title}


def show_dot_plot(artists, table, title):
    """Put ``table`` (one row per lane, in order) on the artists of :func:`dot_plot_layout`;
    returns the artists that changed and the left axis' range (the layout)."""
    lanes = np.arange(len(table))
    for arm, line in artists["arms"].items():
        line.set_data(table[f"% {arm}"], lanes)
    left = artists["left"]
    left.set_yticks(lanes, [textwrap.fill(term, 18) for term in table["term"]])
    xlim = (-2, max(45.0, float(table[["% Isa-Pd", "% Pd"]].to_numpy().max()) + 5))
    left.set_xlim(*xlim)
    artists["intervals"].set_segments([[(low, lane), (high, lane)]
                                       for low, high, lane in zip(table["low"], table["high"], lanes)])
    artists["differences"].set_data(table["difference"], lanes)
    artists["title"].set_text(title)
    changed = [*artists["arms"].values(), left.yaxis, artists["intervals"], artists["differences"],
               artists["title"]]
    return changed, xlim


class DotPlotFigure(Chart):
    """The live version: grade threshold and sort order -> dot plot. Laid out once;
    a view moves the dots, intervals and term labels over a kept background (each
    view drawn in full, six at creation, took 0.9 s)."""

    figsize = (5.2, 5.4)   # 10 pt type shows at 9 CSS px on a 390 px phone
    warm_up = [{}]

    def __init__(self, adae, treated):
        self.tables = {grade: incidence(adae, treated, grade) for grade in GRADE_THRESHOLDS.values()}

    def controls(self):
        return {"min_grade": dropdown("Grade", GRADE_THRESHOLDS, 1),
                "order": dropdown("Sort by", SORT_ORDERS, "difference")}

    def build(self, figure):
        return dot_plot_layout(figure, len(TABLE4_TERMS))

    def update(self, min_grade=1, order="difference"):
        one_of("Grade threshold", min_grade, GRADE_THRESHOLDS.values())
        name = next(label for label, value in GRADE_THRESHOLDS.items() if value == min_grade)
        changed, xlim = show_dot_plot(self.artists, sort_table(self.tables[min_grade], order),
                                      f"Table 4 events, {name.lower()}\n(simulated twin, safety population)")
        return Changed(changed, layout=xlim)

    def caption(self, min_grade=1, order="difference"):
        one_of("Grade threshold", min_grade, GRADE_THRESHOLDS.values())
        one_of("Sort order", order, SORT_ORDERS.values())
        grade = next(label for label, value in GRADE_THRESHOLDS.items() if value == min_grade).lower()
        sort = next(label for label, value in SORT_ORDERS.items() if value == order).lower()
        return (f"Adverse events of the paper's Table 4, {grade}, in the simulated twin's safety population: the "
                f"percentage of patients per arm (left) and the risk difference Isa-Pd minus Pd with its 95% interval "
                f"(right; Newcombe hybrid score interval), sorted by {sort}.")


def dot_plot_live(adae=None, adsl=None):
    """Chapter 10's live dot plot: grade threshold and sort order."""
    from icaria import data

    adae = data.load("adae") if adae is None else adae
    adsl = data.load("adsl") if adsl is None else adsl
    treated = adsl[adsl["SAFFL"] == "Y"].groupby("TRT01P").size().to_dict()
    return LiveFigure(DotPlotFigure(adae, treated))
