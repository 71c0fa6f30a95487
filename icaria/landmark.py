"""Guarantee-time bias: survival of responders and non-responders, compared from
randomisation (the naive way) or from a landmark time (the overall-survival
chapter's live figure).

A patient must live long enough to respond, so counting responders' survival from
randomisation credits them with time they were guaranteed to survive. A landmark
analysis keeps only the patients alive and followed at the landmark, groups them
by whether they had responded by then, and counts time from the landmark.
"""

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter

from icaria import survival as sv
from icaria.arguments import ArgumentError, between, checked_first, numbers, table_with, time_rows
from icaria.live import Changed, Chart, LiveFigure, dropdown, int_slider
from icaria.numbers import plural
from icaria.plots import PHONE_WIDTH, km_figure_with_text_below, show_lines
from icaria.style import OKABE_ITO, SHOWN_ARMS

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "09-overall-survival"

GROUPS = {"Responders": OKABE_ITO["green"], "Non-responders": OKABE_ITO["purple"]}
LANDMARKS = range(0, 13)  # months; 0 is the naive comparison from randomisation


def landmark_groups(os_rows, response_months, landmark):
    """Rows to compare responders with non-responders.

    os_rows: one row per patient (USUBJID, MONTHS, EVENT).
    response_months: months to first response, by USUBJID (responders only).
    Landmark 0: every patient, grouped by whether they *ever* responded
    (the naive, biased comparison). Landmark L > 0: patients still alive
    and followed after L months, grouped by whether they had responded
    by L, with time counted from L.
    """
    if landmark < 0:
        raise ArgumentError(f"The landmark must be 0 months or later; got {landmark}.")
    if landmark > 0 and not (os_rows["MONTHS"] > landmark).any():
        raise ArgumentError(f"No patient is alive and followed beyond the landmark of {landmark} months "
                         f"(longest follow-up {os_rows['MONTHS'].max():.1f} months).")
    first_response = os_rows["USUBJID"].map(response_months)
    if landmark == 0:
        rows = os_rows.assign(responder=first_response.notna())
    else:
        kept = os_rows["MONTHS"] > landmark
        rows = os_rows[kept].assign(
            responder=first_response[kept].le(landmark),
            MONTHS=os_rows.loc[kept, "MONTHS"] - landmark,
        )
    rows["responder"] = rows["responder"].astype(int)
    rows["GROUP"] = np.where(rows["responder"] == 1, "Responders", "Non-responders")
    return rows


def check_landmark_arguments(os_rows, response_months, landmark):
    """The inputs :func:`landmark_groups` needs: OS rows, months to response, a number."""
    table_with("os_rows (the OS rows, from survival.endpoint)", os_rows, ["USUBJID", "MONTHS", "EVENT"])
    time_rows("os_rows", os_rows)
    if not isinstance(response_months, (dict, pd.Series)):
        raise ArgumentError("response_months must give months to first response by USUBJID (a dict or Series, "
                            f"e.g. response_months_from(adtte)); got {type(response_months).__name__}.")
    if len(response_months):
        between("response_months", pd.Series(response_months, dtype=float), 0, np.inf, closed=(True, False))
    if not np.all(np.isfinite(numbers("landmark", landmark))):
        raise ArgumentError(f"landmark must be a number of months, 0 or later; got {landmark!r}.")


# The chapter prints landmark_groups' source: its entry checks are added here, apart.
landmark_groups = checked_first(check_landmark_arguments)(landmark_groups)


def check_responder_rows(rows):
    """Rows of :func:`landmark_groups`: times, events, and deaths among responders and non-responders."""
    table_with("rows (from landmark_groups)", rows, ["MONTHS", "EVENT", "responder"])
    time_rows("rows", rows)
    deaths = rows.groupby("responder")["EVENT"].sum().reindex([0, 1], fill_value=0)
    for group, count in deaths.items():
        if count == 0:
            raise ArgumentError(f"No deaths among the {'responders' if group else 'non-responders'} (responder "
                                f"{group}): the hazard ratio cannot be estimated.")


def responder_hazard_ratio(rows):
    """Cox hazard ratio of death, responders vs non-responders, with its 95% CI (a group
    without deaths has no ratio: an ArgumentError says so; the live figure's
    :func:`hazard_ratios_by_view` shows "not estimable" instead)."""
    fit = CoxPHFitter().fit(rows[["MONTHS", "EVENT", "responder"]], duration_col="MONTHS", event_col="EVENT")
    low, high = np.exp(fit.confidence_intervals_.loc["responder"])
    return float(fit.hazard_ratios_["responder"]), float(low), float(high)


def hazard_ratios_by_view(views):
    """:func:`responder_hazard_ratio` of many landmark groupings at once (one array fit,
    :func:`icaria.survival.cox_hr_ci_of_tables`): (HR, low, high) per table of ``views``."""
    fits = sv.cox_hr_ci_of_tables(views, "responder")
    return [(np.nan, np.nan, np.nan) if a_group_without_deaths(rows) else fit for fit, rows in zip(fits, views)]


responder_hazard_ratio = checked_first(check_responder_rows)(responder_hazard_ratio)


def a_group_without_deaths(rows):
    """Whether responders or non-responders have no deaths (no hazard ratio then)."""
    return rows.groupby("responder")["EVENT"].sum().reindex([0, 1], fill_value=0).min() == 0


class LandmarkFigure(Chart):
    """Kaplan-Meier curves of responders and non-responders from a chosen landmark,
    with the numbers at risk and the hazard ratio. Every view is fitted at creation,
    its 39 Cox models in one array fit (one lifelines fit each took 0.9 s in all).
    The book draws it on the final cut, whose long follow-up leaves patients to compare
    after every landmark."""

    XMAX, STEP = 48, 12
    figsize = (PHONE_WIDTH, 5.4)
    warm_up = [{}]

    def __init__(self, os_rows, response_months):
        groups, excluded = {}, {}
        for arms in SHOWN_ARMS.values():
            rows = os_rows if arms == "both" else os_rows[os_rows["TRT01P"] == arms]
            for landmark in LANDMARKS:
                groups[landmark, arms] = landmark_groups(rows, response_months, landmark)
                excluded[landmark, arms] = len(rows) - len(groups[landmark, arms])
        ratios = hazard_ratios_by_view(list(groups.values()))
        self.views = {view: (groups[view], ratio, excluded[view]) for view, ratio in zip(groups, ratios)}

    def controls(self):
        return {"landmark": int_slider("Landmark (months)", min(LANDMARKS), max(LANDMARKS), 3),
                "arms": dropdown("Patients", SHOWN_ARMS, "both")}

    def build(self, figure):
        panel, stats, title = km_figure_with_text_below(
            figure, left=0.3, right=0.95, xmax=self.XMAX, step=self.STEP, ylabel="Probability alive\n(simulated)",
            xlabel="Months since the landmark", groups=GROUPS, group_column="GROUP", text_lines=4,
            legend_loc="lower left")   # the curves start at the top left and stay above 0.2
        return {"panel": panel, "stats": stats, "title": title}

    def update(self, landmark=3, arms="both"):
        if (landmark, arms) not in self.views:
            raise ArgumentError(f"Choose a landmark of 0-{max(LANDMARKS)} whole months and arms from "
                             f"{', '.join(SHOWN_ARMS.values())}; got {landmark!r} and {arms!r}.")
        rows, (hr, low, high), excluded = self.views[landmark, arms]
        self.artists["panel"].update(rows)
        who = "both arms" if arms == "both" else arms
        if landmark == 0:
            self.artists["title"].set_text(f"Naive: ever responded or not,\nfrom randomisation ({who})")
        else:
            self.artists["title"].set_text(f"Landmark at {plural(landmark, 'month')}:\n"
                                           f"responded by then or not ({who})")
        counts = rows["GROUP"].value_counts()
        estimate = ("not estimable (no deaths in a group)" if np.isnan(hr)
                    else f"{hr:.2f} (95% CI {low:.2f}-{high:.2f})")
        lines = [f"Landmark {plural(landmark, 'month')}" + (" (naive)" if landmark == 0 else "")
                 + f": {excluded} died or censored before it",
                 "  " + ", ".join(f"{group} {counts.get(group, 0)}" for group in GROUPS),
                 "HR of death, responders vs not", f"  {estimate}"]
        show_lines(self.artists["stats"], lines)
        return Changed([*self.artists["panel"].artists(), *self.artists["stats"], self.artists["title"]])

    def caption(self, landmark=3, arms="both"):
        if (landmark, arms) not in self.views:
            raise ArgumentError(f"Choose a landmark of 0-{max(LANDMARKS)} whole months and arms from "
                                f"{', '.join(SHOWN_ARMS.values())}; got {landmark!r} and {arms!r}.")
        rows, (hr, low, high), excluded = self.views[landmark, arms]
        who = "both arms" if arms == "both" else f"the {arms} arm"
        estimate = ("not estimable (no deaths in a group)" if np.isnan(hr)
                    else f"{hr:.2f} (95% CI {low:.2f} to {high:.2f}; Efron ties)")
        start = ("from randomisation, grouped by whether the patient ever responded (the naive comparison, "
                 "open to guarantee-time bias)" if landmark == 0 else
                 f"from a landmark at {plural(landmark, 'month')}, grouped by response by then; "
                 f"{plural(excluded, 'patient')} who died or were censored before it are left out")
        return (f"Overall survival (simulated twin, final cut) of responders and non-responders in {who}, {start}. "
                f"Hazard ratio of death, responders vs not: {estimate}.")


def response_months_from(adtte):
    """Months to first response per responder, from the ``TTR`` rows of ADTTE."""
    return sv.endpoint(adtte, "TTR").set_index("USUBJID")["MONTHS"]


def landmark_live(adtte=None):
    """Chapter 9's live landmark explorer, on the final cut unless ``adtte`` is given."""
    from icaria import data

    adtte = data.load("adtte", "final-os") if adtte is None else adtte
    return LiveFigure(LandmarkFigure(sv.endpoint(adtte, "OS"), response_months_from(adtte)))
