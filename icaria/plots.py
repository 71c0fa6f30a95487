"""Figures the chapters share: Kaplan-Meier curves with a numbers-at-risk table.

Arms keep the colours, order and labels of :mod:`icaria.style` on every figure.
The curves are drawn from a small Kaplan-Meier estimate in numpy
(:func:`kaplan_meier`, checked against lifelines in the tests), so that a live
figure can update its lines and its risk table in place instead of refitting
and redrawing everything.
"""

import numpy as np
from matplotlib.transforms import blended_transform_factory, offset_copy

from icaria.arguments import ArgumentError, between, table_with, time_rows
from icaria.style import ARM_COLOURS, ARMS, SMALL_TEXT
from icaria.survival import km_quantile, km_steps

RISK_TABLE_POINTS = 44  # distance of the risk table's header below the x axis
RISK_ROW_POINTS = 14  # distance between its rows
KM_BOTTOM_POINTS = RISK_TABLE_POINTS + RISK_ROW_POINTS * len(ARMS) + 8  # room a figure needs under the axes


def kaplan_meier(months, events):
    """Kaplan-Meier estimate as arrays: the step times (from 0) and survival after
    each step, then the censored times and the curve's height at each."""
    months, events = np.asarray(months, dtype=float), np.asarray(events)
    if months.shape != events.shape:
        raise ArgumentError(f"months and events must have the same length; got {months.size} and {events.size}.")
    between("months", months, 0, np.inf, closed=(True, False))
    if not np.isin(events, (0, 1)).all():
        raise ArgumentError("events must be 1 (event) or 0 (censored); got "
                         f"{sorted(set(np.unique(events).tolist()) - {0, 1})[:5]}.")
    events = events.astype(bool)
    times, _, _, after_each = km_steps(months, events)
    step_times = np.concatenate([[0.0], times])
    survival = np.concatenate([[1.0], after_each])
    censored = np.sort(months[~events])
    heights = survival[np.searchsorted(times, censored, side="right")]
    return step_times, survival, censored, heights


def km_median(step_times, survival):
    """The curve's median by SAS's and R's rule (:func:`icaria.survival.km_quantile`:
    the midpoint where the curve sits exactly at one half; NaN if never reached)."""
    return km_quantile(step_times, survival, 0.5)


def median_text(median):
    """A median for a legend: months to one decimal, or "not reached"."""
    return "not reached" if np.isnan(median) else f"{median:.1f} mo"


class KaplanMeierPanel:
    """Both arms' Kaplan-Meier curves on one axes, censoring marks, and the number
    at risk under the plot at every tick. Built once; :meth:`update` only changes
    the data, so a live figure redraws fast. The figure needs
    ``KM_BOTTOM_POINTS`` of room under the axes for the risk table.

    By default the curves are the two arms (column ``TRT01P``); ``groups`` (label ->
    colour, two of them) and ``group_column`` draw other groups the same way;
    ``legend_loc`` places the legend where the curves leave room. ``keep_fits`` (a live
    figure's panel) keeps each table's fit for when :meth:`update` gets the same table
    object again: only for tables that are never changed in place."""

    def __init__(self, ax, *, xmax, step, ylabel, xlabel="Months since randomisation", groups=None,
                 group_column="TRT01P", legend_loc="upper right", keep_fits=False):
        self.ax = ax
        self.keep_fits = keep_fits
        self.legend_loc = legend_loc
        self.groups = groups or {arm: ARM_COLOURS[arm] for arm in ARMS}
        self.group_column = group_column
        self.ticks = np.arange(0, xmax + 1e-9, step)
        ax.set_xlim(0, xmax)
        ax.set_ylim(0, 1.02)
        ax.set_xticks(self.ticks)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        self.curves, self.censors, self.counts, self.legends, self.fits = {}, {}, {}, {}, {}
        figure = ax.figure
        under_axis = blended_transform_factory(ax.transData, ax.transAxes)
        row_label_side = ax.transAxes
        header = offset_copy(row_label_side, fig=figure, y=-RISK_TABLE_POINTS, units="points")
        ax.text(0, 0, "Number at risk", transform=header, ha="left", va="top", fontsize=SMALL_TEXT, fontweight="bold")
        for row, (arm, colour) in enumerate(self.groups.items(), start=1):
            self.curves[arm], = ax.plot([], [], drawstyle="steps-post", color=colour, lw=2, label=arm)
            self.censors[arm], = ax.plot([], [], "|", color=colour, ms=6, mew=1)
            offset = -RISK_TABLE_POINTS - RISK_ROW_POINTS * row
            ax.text(0, 0, arm, transform=offset_copy(row_label_side, fig=figure, x=-16, y=offset, units="points"),
                    ha="right", va="top", fontsize=SMALL_TEXT, color=colour, fontweight="bold")
            counts_transform = offset_copy(under_axis, fig=figure, y=offset, units="points")
            self.counts[arm] = [ax.text(tick, 0, "", transform=counts_transform, ha="center", va="top",
                                        fontsize=SMALL_TEXT, color=colour) for tick in self.ticks]
        self.legend = ax.legend(handles=list(self.curves.values()), loc=legend_loc)

    def artists(self):
        """Everything :meth:`update` changes (for a live figure's fast redraw)."""
        counts = [text for texts in self.counts.values() for text in texts]
        return [*self.curves.values(), *self.censors.values(), *counts, self.legend]

    def update(self, rows, time="MONTHS", event="EVENT", shown=None):
        """Show ``rows`` (one per patient, with the group column); returns each group's
        median. ``shown`` (default: every group) lists the groups whose curves and
        legend entries are drawn: a hidden group leaves the legend too."""
        shown = list(self.groups) if shown is None else list(shown)
        medians = {}
        for arm, (curve, censored, counts, median) in self.fitted(rows, time, event).items():
            self.curves[arm].set_data(*curve)
            self.censors[arm].set_data(*censored)
            for text, count in zip(self.counts[arm], counts):
                text.set_text(count)
            medians[arm] = median
        for arm in self.groups:
            self.curves[arm].set_visible(arm in shown)
            self.censors[arm].set_visible(arm in shown)
        labels = tuple(f"{arm}: median {median_text(medians[arm])}" for arm in self.groups if arm in shown)
        animated = self.legend.get_animated()
        if labels not in self.legends:     # one legend per text, made once (a live figure redraws it often)
            self.legends[labels] = self.ax.legend(handles=[self.curves[arm] for arm in self.groups if arm in shown],
                                                  labels=list(labels), loc=self.legend_loc)
        self.legend = self.legends[labels]
        self.ax.legend_ = self.legend
        self.legend.set_animated(animated)
        return medians

    def fitted(self, rows, time, event):
        """Each group's curve, censoring marks, counts at risk (as texts) and median for
        ``rows``; kept for the rows a live figure shows again (the same table object)."""
        key = (id(rows), time, event)
        if self.keep_fits and key in self.fits and self.fits[key][0] is rows:
            return self.fits[key][1]
        fits = {}
        for arm in self.groups:
            arm_rows = rows[rows[self.group_column] == arm]
            months = arm_rows[time].to_numpy(dtype=float)
            step_times, survival, censored, heights = kaplan_meier(months, arm_rows[event].to_numpy())
            last = months.max() if months.size else 0.0
            fits[arm] = ((np.append(step_times, last), np.append(survival, survival[-1])), (censored, heights),
                         [str(int((months >= tick).sum())) for tick in self.ticks], km_median(step_times, survival))
        if self.keep_fits:
            if len(self.fits) > 64:
                self.fits.clear()
            self.fits[key] = (rows, fits)
        return fits


def km_with_risk_table(ax, rows, *, xlabel="Months since randomisation", ylabel="Probability", step=3, xmax=None):
    """Draw a :class:`KaplanMeierPanel` of ``rows`` on ``ax``; returns each arm's median."""
    time_rows("rows", table_with("rows (one endpoint's rows, from survival.endpoint)", rows, ["TRT01P"]))
    between("step", step, 0, np.inf)
    if xmax is not None:
        between("xmax", xmax, 0, np.inf)
    xmax = xmax or float(np.ceil(rows["MONTHS"].max() / step) * step)
    panel = KaplanMeierPanel(ax, xmax=xmax, step=step, ylabel=ylabel, xlabel=xlabel)
    return panel.update(rows)


# The live survival figures' layout: 5.2 inches wide, so that SMALL_TEXT (10 pt) shows at
# 9.1 CSS px on a 390 px phone (style.PHONE_COLUMN_PX); the statistics sit under the risk table.
PHONE_WIDTH = 5.2
TEXT_LINE_POINTS = 13   # a line of SMALL_TEXT monospace, with its leading
TITLE_POINTS = 34       # room above the axes for a title of up to two lines


def km_figure_with_text_below(figure, *, left, xmax, step, ylabel, text_lines, right=0.96, **panel_options):
    """Clear ``figure`` and lay out a :class:`KaplanMeierPanel` with its risk table,
    room for a title of two lines above (from the figure's left edge) and a monospace block of ``text_lines``
    lines under the risk table: the layout of the book's live survival figures, narrow
    enough for a phone. Returns (panel, the text's line artists, title); :func:`show_lines`
    fills the lines."""
    figure.clear()
    inches = figure.get_size_inches()[1]
    text_points = text_lines * TEXT_LINE_POINTS + 6
    figure.subplots_adjust(left=left, right=right, top=1 - TITLE_POINTS / 72 / inches,
                           bottom=(KM_BOTTOM_POINTS + 6 + text_points) / 72 / inches)
    ax = figure.add_subplot()
    panel = KaplanMeierPanel(ax, xmax=xmax, step=step, ylabel=ylabel, keep_fits=True, **panel_options)
    lines = [figure.text(0.02, (4 + TEXT_LINE_POINTS * (text_lines - 1 - row)) / 72 / inches, "", ha="left",
                         va="bottom", fontsize=SMALL_TEXT, family="monospace") for row in range(text_lines)]
    title = figure.text(0.02, 1 - 4 / 72 / inches, "", ha="left", va="top", fontsize=SMALL_TEXT, fontweight="bold")
    return panel, lines, title


def show_lines(texts, lines):
    """Put ``lines`` on the line artists of :func:`km_figure_with_text_below`, top first
    (one artist a line: a line that is the same in the next view is not laid out again)."""
    if len(lines) > len(texts):
        raise ArgumentError(f"{len(lines)} lines of text, but the figure has room for {len(texts)}.")
    for text, line in zip(texts, [*lines, *[""] * (len(texts) - len(lines))]):
        text.set_text(line)
