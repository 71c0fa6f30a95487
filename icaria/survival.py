"""Reference survival analyses used to check the twin and the scorecard.

The chapters show these analyses step by step with lifelines and statsmodels;
these functions are the same calls, gathered so that tests and the calibration
report measure the twin with exactly the book's methods.
"""

import numpy as np
from lifelines import CoxPHFitter, KaplanMeierFitter
from statsmodels.duration.survfunc import survdiff

DAYS_PER_MONTH = 30.4375
STRATA = ["STRAT1R", "STRAT2R"]


def endpoint(adtte, paramcd):
    """One parameter's rows, with ``MONTHS`` and ``EVENT`` (1 = event) added."""
    rows = adtte[adtte["PARAMCD"] == paramcd].copy()
    rows["MONTHS"] = rows["AVAL"] / DAYS_PER_MONTH
    rows["EVENT"] = 1 - rows["CNSR"]
    rows["ISAPD"] = (rows["TRT01P"] == "Isa-Pd").astype(int)
    return rows


def km_median(rows, arm, unit="MONTHS"):
    """Kaplan-Meier median of one arm (NaN when not reached)."""
    arm_rows = rows[rows["TRT01P"] == arm]
    fitter = KaplanMeierFitter().fit(arm_rows[unit], arm_rows["EVENT"])
    return float(fitter.median_survival_time_)


def stratified_cox_hr(rows):
    """Hazard ratio Isa-Pd vs Pd from a Cox model stratified by age and previous lines."""
    data = rows[["MONTHS", "EVENT", "ISAPD", *STRATA]]
    fitter = CoxPHFitter().fit(data, duration_col="MONTHS", event_col="EVENT", strata=STRATA)
    return float(np.exp(fitter.params_["ISAPD"]))


def stratified_logrank_one_sided(rows):
    """One-sided p (Isa-Pd better) of the log-rank test stratified by age and lines."""
    strata = rows["STRAT1R"].astype(str) + "/" + rows["STRAT2R"].astype(str)
    statistic, p_two_sided = survdiff(rows["MONTHS"].to_numpy(), rows["EVENT"].to_numpy(),
                                      rows["ISAPD"].to_numpy(), strata=strata.to_numpy())
    observed_minus_expected = _isapd_observed_minus_expected(rows, strata)
    return float(p_two_sided / 2 if observed_minus_expected < 0 else 1 - p_two_sided / 2)


def _isapd_observed_minus_expected(rows, strata):
    total = 0.0
    for _, group in rows.groupby(strata.to_numpy()):
        times = np.sort(group.loc[group["EVENT"] == 1, "MONTHS"].unique())
        for t in times:
            at_risk = group["MONTHS"] >= t
            events = (group["MONTHS"] == t) & (group["EVENT"] == 1)
            total += (events & (group["ISAPD"] == 1)).sum() - events.sum() * (at_risk & (group["ISAPD"] == 1)).sum() / at_risk.sum()
    return total


def reverse_km_median_follow_up(rows):
    """Median follow-up by the reverse Kaplan-Meier method (censorings as events)."""
    fitter = KaplanMeierFitter().fit(rows["MONTHS"], 1 - rows["EVENT"])
    return float(fitter.median_survival_time_)

