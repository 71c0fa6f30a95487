"""Figures of the progression-free survival chapter: the explorable primary
analysis (a live figure) and forest plots of hazard ratios.

The statistics themselves are the calls of :mod:`icaria.survival`, which the
chapter shows step by step.
"""

import numpy as np

from icaria import survival as sv
from icaria.arguments import ArgumentError, one_of
from icaria.live import Changed, Chart, LiveFigure, dropdown
from icaria.numbers import p_equation
from icaria.plots import PHONE_WIDTH, km_figure_with_text_below, show_lines
from icaria.style import ARM_COLOURS, ARMS, OKABE_ITO, SHOWN_ARMS

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "07-progression-free-survival"

ASSESSMENTS = {"Independent committee (primary)": "PFS", "Investigator": "PFSINV"}
CI_METHODS = {"log-log (SAS default)": "log-log", "linear (plain Greenwood)": "linear"}


def curve_statistics(rows, method):
    """Each arm's 95% band, and its median with the 95% CI read from that band."""
    bands = {arm: sv.km_confidence(rows.loc[rows["TRT01P"] == arm, "MONTHS"],
                                   rows.loc[rows["TRT01P"] == arm, "EVENT"], method) for arm in ARMS}
    return {arm: sv.median_ci_from_band(band) for arm, band in bands.items()}, bands


def comparison_statistics(rows_by_code):
    """For each (assessment, stratified): the Cox hazard ratio with its 95% CI, with
    Breslow's ties (SAS PROC PHREG's default, the chapter's estimator; the estimates of
    :func:`icaria.survival.cox_hr_ci`), and the one-sided log-rank p."""
    return {(code, stratified): (sv.cox_hr_ci(rows, stratified, ties=sv.SAS_TIES)[:3],
                                 sv.logrank_one_sided(rows, stratified))
            for code, rows in rows_by_code.items() for stratified in (True, False)}


def months_text(value):
    """Months to one decimal, or NR (not reached) for a missing median or limit."""
    return "NR" if np.isnan(value) else f"{value:.1f}"


class PfsFigure(Chart):
    """Kaplan-Meier curves of PFS with 95% bands, the risk table, and the statistics
    under it (5.2 inches wide: its 10 pt type shows at 9 CSS px on a 390 px phone)."""

    XMAX, STEP = 21, 3
    figsize = (PHONE_WIDTH, 5.6)
    warm_up = [{}]

    def __init__(self, adtte):
        self.rows = {code: sv.endpoint(adtte, code) for code in ASSESSMENTS.values()}
        # Every fit the controls can ask for, computed once here so that a reader's move only redraws.
        self.curves = {(code, method): curve_statistics(rows, method)
                       for code, rows in self.rows.items() for method in CI_METHODS.values()}
        self.comparisons = comparison_statistics(self.rows)

    def controls(self):
        return {
            "assessment": dropdown("Assessment", ASSESSMENTS, "PFS", width="360px"),
            "stratified": dropdown("Analysis", {"stratified": True, "unstratified": False}, True),
            "method": dropdown("CI method", CI_METHODS, "log-log", width="300px"),
            "arms": dropdown("Show", SHOWN_ARMS, "both"),
        }

    def build(self, figure):
        panel, stats, title = km_figure_with_text_below(figure, left=0.16, xmax=self.XMAX, step=self.STEP,
                                                        ylabel="Probability of PFS", text_lines=4)
        ax = panel.ax
        bands = {arm: [ax.plot([], [], drawstyle="steps-post", color=ARM_COLOURS[arm], lw=0.8, ls="--")[0]
                       for _ in range(2)] for arm in ARMS}
        return {"panel": panel, "bands": bands, "stats": stats, "title": title}

    def update(self, assessment="PFS", stratified=True, method="log-log", arms="both"):
        one_of("Assessment", assessment, ASSESSMENTS.values())
        one_of("CI method", method, CI_METHODS.values())
        one_of("Arms", arms, SHOWN_ARMS.values())
        a = self.artists
        medians, bands = self.curves[assessment, method]
        (hr, low, high), p_one_sided = self.comparisons[assessment, bool(stratified)]
        a["panel"].update(self.rows[assessment], shown=[arm for arm in ARMS if arms in ("both", arm)])
        for arm in ARMS:
            shown = arms in ("both", arm)
            times, _, lower, upper = bands[arm]
            for line, limit in zip(a["bands"][arm], (lower, upper)):
                line.set_data(times, limit)
                line.set_visible(shown)
        label = "committee" if assessment == "PFS" else "investigator"
        a["title"].set_text(f"PFS by the {label} (simulated twin)\ndashed: 95% band ({method})")
        analysis = "stratified" if stratified else "unstratified"
        median_texts = [f"{arm} {months_text(m)} ({months_text(lo)}-{months_text(hi)})"
                 for arm, (m, lo, hi) in medians.items() if arms in ("both", arm)]   # a hidden arm says nothing
        lines = [f"Median PFS, months (95% CI, {method})", "  " + "   ".join(median_texts),
                 f"Cox HR, {analysis}: {hr:.3f} (95% CI {low:.2f}-{high:.2f})",
                 f"Log-rank, {analysis}: one-sided {p_equation(p_one_sided, 4)}"]
        show_lines(a["stats"], lines)
        changed = [*a["panel"].artists(), *[line for pair in a["bands"].values() for line in pair], *a["stats"],
                   a["title"]]
        return Changed(changed)

    def caption(self, assessment="PFS", stratified=True, method="log-log", arms="both"):
        one_of("Assessment", assessment, ASSESSMENTS.values())
        one_of("CI method", method, CI_METHODS.values())
        one_of("Arms", arms, SHOWN_ARMS.values())
        medians, _ = self.curves[assessment, method]
        (hr, low, high), p_one_sided = self.comparisons[assessment, bool(stratified)]
        who = "the independent committee" if assessment == "PFS" else "the investigators"
        shown = "both arms" if arms == "both" else f"the {arms} arm only"
        analysis = "stratified" if stratified else "unstratified"
        median_texts = "; ".join(f"{arm} {months_text(m)} months (95% CI {months_text(lo)} to {months_text(hi)})"
                                 for arm, (m, lo, hi) in medians.items() if arms in ("both", arm))
        return (f"Kaplan-Meier curves of PFS assessed by {who} in the simulated twin, {shown}, with 95% pointwise "
                f"bands ({method}, dashed) and the numbers at risk. Median PFS: {median_texts}. {analysis.capitalize()}"
                f" Cox hazard ratio (Breslow ties) {hr:.3f} (95% CI {low:.2f} to {high:.2f}); {analysis} log-rank "
                f"one-sided {p_equation(p_one_sided, 4)}.")


def pfs_live(adtte=None):
    """Chapter 7's live explorer of the primary PFS analysis."""
    from icaria import data

    return LiveFigure(PfsFigure(data.load("adtte") if adtte is None else adtte))


def draw_forest(ax, table, *, reference=None, band=None, xlim=(0.2, 2.0)):
    """A forest plot: one row per line of ``table`` (columns ``label``, ``hr``,
    ``low``, ``high``, optional ``n``), hazard ratios on a log axis, 1 marked.
    Optional columns ``truth`` (a simulation's true hazard ratio) and ``spread_low`` /
    ``spread_high`` (where single simulated trials land) are drawn when present; an
    interval that runs past the axis ends in an arrow."""
    missing = [column for column in ("label", "hr", "low", "high") if column not in table]
    if missing:
        raise ArgumentError(f"table needs the columns label, hr, low and high; missing {', '.join(missing)}.")
    if not 0 < xlim[0] < xlim[1]:
        raise ArgumentError(f"xlim must be two positive hazard ratios, smaller first; got {xlim}.")
    lanes = np.arange(len(table))[::-1]
    if band is not None:
        ax.axvspan(*band, color=OKABE_ITO["sky_blue"], alpha=0.25, lw=0, label="published range")
    if {"spread_low", "spread_high"} <= set(table):
        ax.hlines(lanes, table["spread_low"], table["spread_high"], color=OKABE_ITO["grey"], lw=7, alpha=0.35,
                  label="middle 95% of 60 twins")
    low, high = np.clip(table["low"], *xlim), np.clip(table["high"], *xlim)
    ax.hlines(lanes, low, high, color=OKABE_ITO["black"], lw=1.5)
    for side, beyond, marker in ((xlim[0], table["low"] < xlim[0], "<"), (xlim[1], table["high"] > xlim[1], ">")):
        if beyond.any():
            ax.scatter(np.full(int(beyond.sum()), side), lanes[beyond.to_numpy()], marker=marker, s=40,
                       color=OKABE_ITO["black"], zorder=3, clip_on=False)
    sizes = 30 + 120 * (table["n"] / table["n"].max()) if "n" in table else 50
    ax.scatter(table["hr"], lanes, s=sizes, marker="s", color=OKABE_ITO["blue"], zorder=3, label="estimate")
    if "truth" in table:
        ax.scatter(table["truth"], lanes, marker="D", s=28, color=OKABE_ITO["black"], zorder=4,
                   label="generator's truth (pooled)")
    ax.axvline(1, color=OKABE_ITO["grey"], lw=1)
    if reference is not None:
        ax.axvline(reference, color=OKABE_ITO["vermillion"], lw=1, ls="--", label=f"primary HR {reference:.3f}")
    ax.set_xscale("log")
    ax.set_xlim(*xlim)
    ticks = [t for t in (0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0) if xlim[0] <= t <= xlim[1]]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_yticks(lanes, table["label"])
    ax.set_xlabel("Hazard ratio, Isa-Pd vs Pd (log scale)\nleft of 1 favours Isa-Pd")
    return ax
