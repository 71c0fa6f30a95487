"""Reference survival analyses used to check the twin and the scorecard.

The chapters show these analyses step by step with lifelines and statsmodels;
these functions are the same calls, gathered so that tests and the calibration
report measure the twin with exactly the book's methods.
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter
from scipy.stats import norm
from statsmodels.duration.survfunc import survdiff

from icaria.arguments import (
    ArgumentError,
    between,
    checked_first,
    flag,
    numbers,
    one_of,
    rows_in,
    same_length,
    table_with,
    time_rows,
)
from icaria.published import ARMS, DAYS_PER_MONTH

STRATA = ["STRAT1R", "STRAT2R"]
# Ties of a Cox model: the paper's software (SAS PROC PHREG) defaults to Breslow, lifelines
# and R's coxph to Efron. Scorecard rows and the twin's calibration use the paper's.
SAS_TIES = "breslow"


def endpoint(adtte, paramcd):
    """One parameter's rows, with ``MONTHS`` and ``EVENT`` (1 = event) added."""
    table_with("adtte", adtte, ["USUBJID", "TRT01P", "PARAMCD", "AVAL", "CNSR"])
    rows_in("adtte", adtte)
    one_of("paramcd", paramcd, sorted(adtte["PARAMCD"].unique()))
    rows = adtte[adtte["PARAMCD"] == paramcd].copy()
    rows["MONTHS"] = rows["AVAL"] / DAYS_PER_MONTH
    rows["EVENT"] = 1 - rows["CNSR"]
    rows["ISAPD"] = (rows["TRT01P"] == "Isa-Pd").astype(int)
    return rows


def arm_rows(rows, arm):
    """The rows of one arm; a ValueError naming the arms there are if it has none."""
    table_with("rows (one endpoint's rows, from survival.endpoint)", rows, ["TRT01P", "MONTHS", "EVENT"])
    chosen = rows[rows["TRT01P"] == arm]
    if chosen.empty:
        held = ", ".join(map(str, rows["TRT01P"].unique())) or "none"
        raise ArgumentError(f"No rows for arm {arm!r}; the rows hold {held}.")
    return chosen


def survival_rows(rows, *, arms=ARMS, events_in_each_arm=False, stratified=False):
    """``rows`` (one endpoint's rows, from :func:`endpoint`) if they can be analysed: a time
    for every row, none negative, EVENT 0 or 1, each patient once, rows in each of
    ``arms`` (with an event in each, when a comparison needs one) and, when
    ``stratified``, both strata known for every row. Else an ArgumentError naming the
    rule and the first row that breaks it."""
    name = "rows (one endpoint's rows, from survival.endpoint)"
    table_with(name, rows, ["TRT01P", "MONTHS", "EVENT", *(STRATA if stratified else [])])
    time_rows("rows", rows)
    if not arms:
        rows_in("rows", rows)
    if stratified:
        _refuse_where(rows[STRATA].isna().any(axis=1), rows, "has no stratum (STRAT1R or STRAT2R missing)")
    for arm in arms:
        chosen = arm_rows(rows, arm)
        if events_in_each_arm and chosen["EVENT"].sum() == 0:
            raise ArgumentError(f"No events in arm {arm}: arms cannot be compared (a hazard ratio or a log-rank "
                                "test needs an event in each).")
    return rows


def _refuse_where(bad, rows, what):
    """An ArgumentError naming the first row where ``bad`` holds."""
    if bad.any():
        first = int(np.flatnonzero(np.asarray(bad))[0])
        who = f"patient {rows['USUBJID'].iloc[first]}" if "USUBJID" in rows.columns else f"row {first + 1}"
        raise ArgumentError(f"rows: {who} {what} ({int(np.sum(bad))} row(s) in all).")


def both_arms(rows):
    """``rows`` if both arms have rows with at least one event; else a clear ValueError."""
    for arm in ARMS:
        if arm_rows(rows, arm)["EVENT"].sum() == 0:
            raise ArgumentError(f"No events in arm {arm}: a hazard ratio cannot be estimated.")
    return rows


def km_median(rows, arm, unit="MONTHS"):
    """Kaplan-Meier median of one arm by the rule of SAS PROC LIFETEST and R's
    ``survfit`` (:func:`km_quantile`), infinite when not reached (as lifelines says it);
    ``unit`` ``MONTHS`` or ``AVAL`` (days)."""
    one_of("unit", unit, ("MONTHS", "AVAL"))
    chosen = arm_rows(survival_rows(rows, arms=[arm]), arm)
    times, _, _, curve = km_steps(chosen[unit], chosen["EVENT"])
    median = km_quantile(times, curve, 0.5)
    return float("inf") if np.isnan(median) else median


def stratified_cox_hr(rows, ties="efron"):
    """Hazard ratio Isa-Pd vs Pd from a Cox model stratified by age and previous lines
    (``ties`` as in :func:`cox_hr_ci`)."""
    return cox_hr_ci(rows, stratified=True, ties=ties)[0]


def stratified_logrank_one_sided(rows):
    """One-sided p (Isa-Pd better) of the log-rank test stratified by age and lines."""
    survival_rows(rows, events_in_each_arm=True, stratified=True)
    strata = rows["STRAT1R"].astype(str) + "/" + rows["STRAT2R"].astype(str)
    statistic, p_two_sided = survdiff(rows["MONTHS"].to_numpy(), rows["EVENT"].to_numpy(),
                                      rows["ISAPD"].to_numpy(), strata=strata.to_numpy())
    observed_minus_expected = _isapd_observed_minus_expected(rows, strata)
    return float(p_two_sided / 2 if observed_minus_expected < 0 else 1 - p_two_sided / 2)


def _isapd_observed_minus_expected(rows, strata):
    """Observed minus expected events of Isa-Pd, summed over the strata (its sign says
    which arm the log-rank test favours)."""
    months, event = rows["MONTHS"].to_numpy(dtype=float), rows["EVENT"].to_numpy() == 1
    isapd, strata = rows["ISAPD"].to_numpy() == 1, strata.to_numpy()
    total = 0.0
    for stratum in np.unique(strata):
        inside = strata == stratum
        times = np.unique(months[inside & event])
        at_risk = months[inside, None] >= times                       # rows x event times
        dies = event[inside, None] & (months[inside, None] == times)
        isapd_here = isapd[inside, None]
        total += (dies & isapd_here).sum() - np.sum(dies.sum(axis=0) * (at_risk & isapd_here).sum(axis=0)
                                                    / at_risk.sum(axis=0))
    return total


def reverse_km_median_follow_up(rows):
    """Median follow-up by the reverse Kaplan-Meier method (censorings as events)."""
    return reverse_km_follow_up_quartiles(rows)[1]


def reverse_km_follow_up_quartiles(rows):
    """Lower quartile, median and upper quartile of follow-up by the reverse Kaplan-Meier
    method: the times at which the 'curve of remaining in follow-up' falls to 3/4, 1/2, 1/4."""
    survival_rows(rows, arms=[])
    times, _, _, remaining = km_steps(rows["MONTHS"], 1 - rows["EVENT"])
    return tuple(km_quantile(times, remaining, share) for share in (0.75, 0.5, 0.25))


Z95 = 1.959963984540054


def times_and_events(months, events):
    """``months`` and ``events`` as arrays if every time is a number of at least 0, every
    event 0 or 1 (or False/True) and both are as long; else an ArgumentError."""
    months, events = numbers("months", months), numbers("events", events)
    if months.shape != events.shape:
        raise ArgumentError(f"months and events must be as long as each other; got {months.size} and {events.size}.")
    if not np.all(np.isfinite(months)) or np.any(months < 0):
        bad = int(np.flatnonzero(~np.isfinite(months) | (months < 0))[0])
        raise ArgumentError(f"months must be numbers of at least 0 for every patient; position {bad} has "
                            f"{months[bad]}.")
    if not np.all(np.isin(events, (0, 1))):
        raise ArgumentError("events must be 0 (censored) or 1 (event) for every patient; got "
                            f"{sorted(set(events[~np.isin(events, (0, 1))].tolist()))[:5]}.")
    return months, events


def km_steps(months, events):
    """The Kaplan-Meier building blocks: distinct event times, patients at risk and
    events at each, and the survival just after each."""
    months = np.asarray(months, dtype=float)
    events = np.asarray(events, dtype=bool)
    times = np.unique(months[events])
    at_risk = (months[None, :] >= times[:, None]).sum(axis=1)
    failures = (months[events][None, :] == times[:, None]).sum(axis=1)
    return times, at_risk, failures, np.cumprod(1 - failures / at_risk)


def rmst_with_se(months, events, tau):
    """Restricted mean survival time up to ``tau`` (the area under the Kaplan-Meier
    curve) and its standard error from Greenwood's formula, as R's survRM2 computes
    them: each event time t_j contributes A_j² d_j / (n_j (n_j − d_j)), where A_j is
    the area under the curve from t_j to ``tau``. Returns ``(rmst, se)``."""
    times, at_risk, failures, curve = km_steps(months, events)
    inside = times <= tau
    times, at_risk, failures, curve = times[inside], at_risk[inside], failures[inside], curve[inside]
    edges = np.concatenate([[0.0], times, [tau]])
    levels = np.concatenate([[1.0], curve])
    pieces = np.diff(edges) * levels
    area_after = np.cumsum(pieces[::-1])[::-1][1:]           # area from each event time to tau
    survivors = at_risk - failures
    terms = np.divide(failures, at_risk * survivors, out=np.zeros(len(times)), where=survivors > 0)
    return float(pieces.sum()), float(np.sqrt(np.sum(area_after ** 2 * terms)))


def _rmst_arguments(months, events, tau):
    months, events = times_and_events(months, events)
    between("tau", tau, 0, np.inf)
    if tau > months.max() and not events[months == months.max()].all():   # the curve has not reached 0
        raise ArgumentError(f"tau must be at most the last follow-up time ({months.max():.4g} months): past it the "
                            f"curve is unknown, unless it has reached 0 (survRM2 refuses it too); got {tau!r}.")


rmst_with_se = checked_first(_rmst_arguments)(rmst_with_se)   # the chapter prints the analysis alone


def first_time_at_or_below_half(step_times, curve):
    """Smallest step time at which ``curve`` is at or below one half (NaN if never)."""
    return first_time_at_or_below(step_times, curve, 0.5)


def first_time_at_or_below(step_times, curve, level):
    """Smallest step time at which ``curve`` is at or below ``level`` (NaN if never)."""
    between("level", level, 0, 1)
    below = np.flatnonzero(np.asarray(curve) <= level)
    return float(step_times[below[0]]) if below.size else float("nan")


# Two survival values closer than this are equal (R's quantile.survfit uses the same).
QUANTILE_TOLERANCE = float(np.sqrt(np.finfo(float).eps))


def km_quantile(step_times, curve, level, last_time=None):
    """The time at which a Kaplan-Meier curve (or a band edge) falls to ``level``, by
    the rule of SAS PROC LIFETEST and R's ``quantile.survfit``: the first step time at
    which ``curve`` is at or below ``level``; where the curve sits exactly at ``level``
    from step t_i until it drops below at t_j, the midpoint (t_i + t_j) / 2. If it stays
    at ``level`` to the end, SAS reports the quantile not evaluable (NaN, the default)
    and R takes the midpoint of t_i and the last observed time (pass it as
    ``last_time``). Missing values of ``curve`` (a band where the curve is 0) never count
    as crossing. NaN when the curve never reaches ``level``."""
    times, curve = np.asarray(step_times, dtype=float), np.asarray(curve, dtype=float)
    with np.errstate(invalid="ignore"):
        reached = np.flatnonzero(curve <= level + QUANTILE_TOLERANCE)
        below = np.flatnonzero(curve < level - QUANTILE_TOLERANCE)
    if not reached.size:
        return float("nan")
    first = reached[0]
    if curve[first] < level - QUANTILE_TOLERANCE:
        return float(times[first])
    if below.size:
        return float((times[first] + times[below[0]]) / 2)
    return float("nan") if last_time is None else float((times[first] + last_time) / 2)


def km_confidence(months, events, method="log-log"):
    """Kaplan-Meier curve with a pointwise 95% band from Greenwood's variance.

    ``method`` is ``"log-log"`` (the SAS and lifelines default: the band of
    log(-log S), which stays inside 0-1), ``"log"`` (R's ``survfit`` default: the band
    of log S, its upper edge capped at 1) or ``"linear"`` (S ± 1.96 SE, clipped; SAS's
    ``CONFTYPE=LINEAR``, R's ``conf.type = "plain"``). Where the curve has reached 0
    the band is missing (NaN), as SAS and R print none there.
    Returns step times (from 0), survival, lower and upper.
    """
    times, at_risk, failures, survival = km_steps(months, events)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(failures / (at_risk * (at_risk - failures)))
        if method == "log-log":
            spread = Z95 * np.sqrt(greenwood) / np.log(survival)
            lower, upper = survival ** np.exp(-spread), survival ** np.exp(spread)
        elif method == "log":
            spread = np.exp(Z95 * np.sqrt(greenwood))
            lower, upper = survival / spread, np.minimum(survival * spread, 1.0)
        elif method == "linear":
            half = Z95 * survival * np.sqrt(greenwood)
            lower, upper = np.clip(survival - half, 0, 1), np.clip(survival + half, 0, 1)
        else:
            raise ArgumentError(f"Unknown confidence-interval method {method!r}; use 'log-log', 'log' or 'linear'.")
    lower, upper = np.where(survival > 0, lower, np.nan), np.where(survival > 0, upper, np.nan)
    return (np.concatenate([[0.0], times]), np.concatenate([[1.0], survival]),
            np.concatenate([[1.0], lower]), np.concatenate([[1.0], upper]))


def km_at(months, events, at, method="log-log"):
    """Kaplan-Meier survival at time ``at`` with its pointwise 95% band (``method`` as in
    :func:`km_confidence`): ``(survival, lower, upper)``. Past the last observed time
    nobody is followed and the estimate is not evaluable: NaN (SAS PROC LIFETEST prints
    none; R's ``summary.survfit`` leaves the time out unless ``extend = TRUE``), unless
    the curve has already reached 0 (the last patient had the event): then 0, no band."""
    times, survival, lower, upper = km_confidence(months, events, method)
    if at > np.max(np.asarray(months, dtype=float)) and survival[-1] > 0:
        return float("nan"), float("nan"), float("nan")
    step = np.searchsorted(times, at, side="right") - 1
    return float(survival[step]), float(lower[step]), float(upper[step])


def median_ci_from_band(band, level=0.5):
    """Median (or the quantile where the curve falls to ``level``) and its 95% CI by the
    Brookmeyer-Crowley method, from a :func:`km_confidence` result: the times at which
    the curve and its band edges fall to ``level`` (:func:`km_quantile`; NaN where one
    never does, including a band that is missing because the curve reached 0)."""
    times, survival, lower, upper = band
    return tuple(km_quantile(times, curve, level) for curve in (survival, lower, upper))


def median_with_ci(rows, arm, method="log-log"):
    """Median and its 95% CI by the Brookmeyer-Crowley method (NaN where a limit is not reached)."""
    chosen = arm_rows(survival_rows(rows, arms=[arm]), arm)
    return median_ci_from_band(km_confidence(chosen["MONTHS"], chosen["EVENT"], method))


def cox_hr_ci(rows, stratified=True, ties="efron"):
    """Hazard ratio Isa-Pd vs Pd with its 95% CI and two-sided Wald p, from a Cox model
    stratified by age and previous lines (or not). ``ties``: ``"efron"`` (lifelines, as
    R's ``coxph`` by default) or ``"breslow"`` (SAS PROC PHREG's default, the paper's:
    :func:`weighted_cox` with unit weights, model-based standard error)."""
    one_of("ties", ties, ("efron", "breslow"))
    flag("stratified", stratified)
    columns = ["MONTHS", "EVENT", "ISAPD"]
    table_with("rows (one endpoint's rows, from survival.endpoint)", rows,
               ["TRT01P", *columns, *(STRATA if stratified else [])])
    rows = survival_rows(rows, events_in_each_arm=True, stratified=stratified)
    # one column naming both factors: lifelines splits by it twice as fast as by two
    strata = rows["STRAT1R"].astype(str) + "/" + rows["STRAT2R"].astype(str) if stratified else None
    if ties == "breslow":
        log_hr, se, _ = weighted_cox(np.zeros(len(rows)), rows["MONTHS"], rows["EVENT"], rows["ISAPD"],
                                     strata=strata)
        hr, low, high = np.exp([log_hr, log_hr - Z95 * se, log_hr + Z95 * se])
        return float(hr), float(low), float(high), float(2 * norm.sf(abs(log_hr / se)))
    table = rows[columns] if strata is None else rows[columns].assign(STRATUM=strata)
    fitter = CoxPHFitter().fit(table, duration_col="MONTHS", event_col="EVENT",
                               strata=["STRATUM"] if stratified else None)
    summary = fitter.summary.loc["ISAPD"]
    return (float(summary["exp(coef)"]), float(summary["exp(coef) lower 95%"]),
            float(summary["exp(coef) upper 95%"]), float(summary["p"]))


def hazard_ratios_by_ties(endpoints, stratified=True):
    """Hazard ratio of each endpoint (a dict name -> rows), stratified by age and lines
    or not, with SAS's default Breslow ties (the scorecard's) and lifelines' Efron ties
    (R's default), side by side."""
    if not isinstance(endpoints, Mapping) or not endpoints:
        raise ArgumentError("endpoints must be a dict of endpoint name -> rows (from survival.endpoint), e.g. "
                            f"{{'PFS': pfs}}; got {type(endpoints).__name__}.")
    return pd.DataFrame({name: {"Breslow (SAS PROC PHREG default)": cox_hr_ci(rows, stratified, "breslow")[0],
                                "Efron (lifelines, R default)": cox_hr_ci(rows, stratified, "efron")[0]}
                         for name, rows in endpoints.items()}).T


def logrank_two_sided(rows, stratified=True):
    """Two-sided log-rank p, stratified by age and lines or not (SAS PROC LIFETEST's and
    R's ``survdiff``'s chi-square test)."""
    p_one_sided = logrank_one_sided(rows, stratified)
    return float(min(1.0, 2 * min(p_one_sided, 1 - p_one_sided)))


def logrank_one_sided(rows, stratified=True):
    """One-sided log-rank p (Isa-Pd better), stratified by age and lines or not."""
    if flag("stratified", stratified):
        return stratified_logrank_one_sided(rows)
    one_stratum = rows.assign(STRAT1R="all", STRAT2R="all")
    return stratified_logrank_one_sided(one_stratum)


def weighted_cox(start, stop, event, covariate, weights=None, strata=None, clusters=None, iterations=30):
    """Cox regression on one covariate for counting-process rows ``(start, stop]``,
    with case weights, strata, Breslow's handling of ties (the default of SAS PROC
    PHREG) and the robust sandwich variance summed over ``clusters`` (one per patient):
    the estimator of SAS's ``COVS(AGGREGATE)`` with an ``ID`` statement and of R's
    ``coxph(Surv(start, stop, event) ~ x + strata(s) + cluster(id), weights = w,
    ties = "breslow")``. Returns ``(log hazard ratio, model-based SE, robust SE)``.
    """
    start, stop, x = (np.asarray(values, dtype=float) for values in (start, stop, covariate))
    event = np.asarray(event, dtype=float)
    weights = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    strata = np.zeros(len(x)) if strata is None else np.asarray(strata)
    clusters = np.arange(len(x)) if clusters is None else np.asarray(clusters)
    beta = float(weighted_cox_many(start, stop, event, x, weights[None, :], strata, iterations)[0])
    score, information, residuals = _cox_score_terms(beta, start, stop, event, x, weights, strata)
    cluster_sums = np.bincount(np.unique(clusters, return_inverse=True)[1], weights=weights * residuals)
    robust_variance = np.sum(cluster_sums ** 2) / information ** 2
    return beta, float(np.sqrt(1 / information)), float(np.sqrt(robust_variance))


def weighted_cox_many(start, stop, event, covariate, weights, strata=None, iterations=30):
    """The log hazard ratio of :func:`weighted_cox` for many sets of case weights at once
    (``weights``: one row per set, one column per data row), by Newton-Raphson on arrays:
    a bootstrap whose replicates are frequency weights fits all of them together."""
    start, stop, x, event = (np.asarray(values, dtype=float) for values in (start, stop, covariate, event))
    weights = np.atleast_2d(np.asarray(weights, dtype=float))
    strata = np.zeros(len(x)) if strata is None else np.asarray(strata)
    blocks = []
    for stratum in np.unique(strata):
        rows = strata == stratum
        times = np.unique(stop[rows & (event == 1)])
        at_risk = ((start[rows][:, None] < times) & (stop[rows][:, None] >= times)).astype(float)
        dies = ((event[rows] == 1)[:, None] & (stop[rows][:, None] == times)).astype(float)
        blocks.append((x[rows], weights[:, rows], at_risk, weights[:, rows] @ dies,
                       (weights[:, rows] * x[rows]) @ dies))
    beta = np.zeros(len(weights))
    for _ in range(iterations):
        score, information = np.zeros(len(beta)), np.zeros(len(beta))
        for x_s, w_s, at_risk, deaths, x_deaths in blocks:
            risk = w_s * np.exp(beta[:, None] * x_s)
            s0, s1, s2 = (risk * x_s ** power @ at_risk for power in range(3))
            mean = np.divide(s1, s0, out=np.zeros_like(s1), where=s0 > 0)
            score += np.sum(x_deaths - deaths * mean, axis=1)
            information += np.sum(deaths * (np.divide(s2, s0, out=np.zeros_like(s2), where=s0 > 0) - mean ** 2),
                                  axis=1)
        step = score / information
        beta += step
        if np.all(np.abs(step) < 1e-12):
            break
    return beta


def _cox_score_terms(beta, start, stop, event, x, weights, strata):
    """Weighted score, information, and each row's score residual (Breslow ties)."""
    score, information = 0.0, 0.0
    residuals = np.zeros_like(x)
    risk = np.exp(beta * x)
    for stratum in np.unique(strata):
        rows = strata == stratum
        times = np.unique(stop[rows & (event == 1)])
        at_risk = (start[rows][:, None] < times) & (stop[rows][:, None] >= times)   # rows x event times
        weighted_risk = (weights[rows] * risk[rows])[:, None] * at_risk
        s0 = weighted_risk.sum(axis=0)
        mean_x = (weighted_risk * x[rows][:, None]).sum(axis=0) / s0
        mean_x2 = (weighted_risk * x[rows][:, None] ** 2).sum(axis=0) / s0
        dies = (event[rows] == 1)[:, None] & (stop[rows][:, None] == times)        # row's event at each time
        deaths = (weights[rows][:, None] * dies).sum(axis=0)                        # weighted deaths per time
        score += np.sum((weights[rows][:, None] * dies) * (x[rows][:, None] - mean_x))
        information += np.sum(deaths * (mean_x2 - mean_x ** 2))
        own_event = (dies * (x[rows][:, None] - mean_x)).sum(axis=1)
        share_of_risk = risk[rows][:, None] * at_risk * deaths / s0
        residuals[rows] = own_event - (share_of_risk * (x[rows][:, None] - mean_x)).sum(axis=1)
    return score, information, residuals


def cox_by_group(months, event, covariate, groups, strata=None, ties="breslow", iterations=30):
    """Log hazard ratio of a one-covariate Cox model on right-censored rows, fitted
    separately in each of ``groups`` and all groups at once (Newton-Raphson on arrays):
    for each group, the estimate of :func:`weighted_cox` (``ties="breslow"``, SAS's
    default) or of lifelines and R's ``coxph`` (``ties="efron"``). ``strata`` (each
    inside one group; default: one per group) separate the risk sets, so ``groups`` all
    one value and ``strata`` the twins fit one model stratified by twin. Returns one log
    hazard ratio per group, in the order of ``np.unique(groups)``."""
    return _cox_fits_by_group(months, event, covariate, groups, strata, ties, iterations)[0]


def cox_hr_ci_of_tables(tables, covariate, strata=None):
    """The hazard ratio of ``covariate`` with its 95% Wald CI (model-based SE, Efron's
    ties: lifelines' and R's ``coxph`` defaults) in each of ``tables`` (rows with
    ``MONTHS`` and ``EVENT``), fitted all at once by :func:`cox_by_group`. ``strata``:
    for each table, the columns to stratify by (or None). Returns (HR, low, high) per table."""
    groups = np.concatenate([np.full(len(table), index) for index, table in enumerate(tables)])
    strata = [None] * len(tables) if strata is None else strata
    within = [table.groupby(list(columns)).ngroup().to_numpy() if columns else np.zeros(len(table), dtype=int)
              for table, columns in zip(tables, strata)]
    within = np.concatenate(within)
    pooled = {column: np.concatenate([table[column].to_numpy(dtype=float) for table in tables])
              for column in ("MONTHS", "EVENT", covariate)}
    beta, information = _cox_fits_by_group(pooled["MONTHS"], pooled["EVENT"], pooled[covariate], groups,
                                           groups * (within.max() + 1) + within, ties="efron")
    half_width = Z95 / np.sqrt(information)
    return [tuple(float(value) for value in np.exp(fit)) for fit in zip(beta, beta - half_width, beta + half_width)]


def _cox_fits_by_group(months, event, covariate, groups, strata=None, ties="breslow", iterations=30):
    """Log hazard ratios and the information at them (see :func:`cox_by_group`)."""
    one_of("ties", ties, ("breslow", "efron"))
    months, x = np.asarray(months, dtype=float), np.asarray(covariate, dtype=float)
    event = np.asarray(event).astype(bool)
    group = np.unique(np.asarray(groups), return_inverse=True)[1].ravel()
    stratum = group if strata is None else np.unique(np.asarray(strata), return_inverse=True)[1].ravel()
    order = np.lexsort((-months, stratum))                  # by stratum, latest time first
    months, x, event, group, stratum = (values[order] for values in (months, x, event, group, stratum))
    new_block = np.r_[True, (stratum[1:] != stratum[:-1]) | (months[1:] != months[:-1])]
    block = np.cumsum(new_block) - 1                        # rows tied in time within a stratum
    block_end = np.r_[np.flatnonzero(new_block)[1:], len(months)] - 1
    new_stratum = np.r_[True, stratum[1:] != stratum[:-1]]
    stratum_start = np.flatnonzero(new_stratum)[np.cumsum(new_stratum) - 1]   # each row's stratum's first row
    dead = np.flatnonzero(event)
    deaths = np.bincount(block[dead], minlength=block[-1] + 1)
    tie_rank = np.arange(len(dead)) - np.searchsorted(block[dead], block[dead])   # 0, 1, ... within a tie
    share = tie_rank / deaths[block[dead]] if ties == "efron" else np.zeros(len(dead))
    beta, active = np.zeros(group.max() + 1), np.ones(group.max() + 1, dtype=bool)
    for _ in range(iterations):
        risk = np.exp(beta[group] * x)
        moments = []
        for power in range(3):                               # sums of risk * x**power
            values = risk * x ** power
            running = np.cumsum(values)
            at_risk = running - (running - values)[stratum_start]   # everyone in the stratum still followed
            tied = np.bincount(block[dead], weights=values[dead], minlength=block[-1] + 1)
            moments.append(at_risk[block_end][block[dead]] - share * tied[block[dead]])
        mean = moments[1] / moments[0]
        score = np.bincount(group[dead], weights=x[dead] - mean, minlength=len(beta))
        information = np.bincount(group[dead], weights=moments[2] / moments[0] - mean ** 2, minlength=len(beta))
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(active, score / information, 0.0)
        beta += step
        active &= ~(np.abs(step) < 1e-12)
        if not active.any():
            break
    return beta, information


def cox_log_likelihood(months, event, covariates, iterations=50):
    """The maximised log partial likelihood of a Cox model on right-censored rows, with
    any number of covariates (columns of ``covariates``), no strata and Breslow's
    handling of ties: the ``llf`` of statsmodels' ``PHReg`` (its default ties) and of
    SAS PROC PHREG, by Newton-Raphson on arrays (a few milliseconds a fit, where PHReg
    takes about 20). Two nested models' values give a likelihood-ratio test."""
    months, event = np.asarray(months, dtype=float), np.asarray(event).astype(bool)
    x = np.asarray(covariates, dtype=float).reshape(len(months), -1)
    order = np.argsort(-months, kind="stable")                # latest time first
    months, event, x = months[order], event[order], x[order]
    at_risk_end = np.searchsorted(-months, -months, side="right") - 1   # last row tied in time
    ends = at_risk_end[event]
    beta = np.zeros(x.shape[1])
    for _ in range(iterations):
        risk = np.exp(x @ beta)
        s0 = np.cumsum(risk)[ends]
        s1 = np.cumsum(risk[:, None] * x, axis=0)[ends]
        s2 = np.cumsum(risk[:, None, None] * x[:, :, None] * x[:, None, :], axis=0)[ends]
        mean = s1 / s0[:, None]
        score = np.sum(x[event] - mean, axis=0)
        information = np.sum(s2 / s0[:, None, None] - mean[:, :, None] * mean[:, None, :], axis=0)
        step = np.linalg.solve(information, score)
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    risk = np.exp(x @ beta)
    return float(np.sum(x[event] @ beta - np.log(np.cumsum(risk)[ends])))


def ph_score_test(months, events, covariate, strata, beta, transform="km", ties="efron"):
    """Test of proportional hazards for one covariate, as R's ``cox.zph`` computes it
    (survival 3.0 and later): the score test, at the fitted ``beta``, of adding
    ``covariate * g(t)`` to the stratified Cox model. ``transform`` names ``g``:
    ``"km"`` (R's default: one minus the pooled left-continuous Kaplan-Meier curve),
    ``"rank"`` (the rank of the time among all patients' times, ties averaged) or
    ``"identity"``. ``ties``: ``"efron"`` (R's default) or ``"breslow"`` (SAS's).
    Returns ``(chi-square on 1 df, p)``.
    """
    from scipy.stats import chi2

    one_of("ties", ties, ("efron", "breslow"))
    one_of("transform", transform, ("km", "rank", "identity"))
    months, events, x, strata = (np.asarray(values) for values in (months, events, covariate, strata))
    x = x.astype(float)
    g_at = _time_transform(months, events, transform)
    score, information = np.zeros(2), np.zeros((2, 2))
    risk = np.exp(beta * x)
    for stratum in np.unique(strata):
        in_stratum = strata == stratum
        for t in np.unique(months[in_stratum & (events == 1)]):
            at_risk = in_stratum & (months >= t)
            dies = at_risk & (months == t) & (events == 1)
            z = np.column_stack([x, x * g_at[t]])
            sums = [_moments(risk, z, rows) for rows in (at_risk, dies)]
            deaths = int(dies.sum())
            score += z[dies].sum(axis=0)
            for index in range(deaths):
                share = index / deaths if ties == "efron" else 0.0
                s0, s1, s2 = (whole - share * dead for whole, dead in zip(*sums))
                mean = s1 / s0
                score -= mean
                information += s2 / s0 - np.outer(mean, mean)
    score[0] = 0.0   # at the fitted beta, as R sets it
    statistic = float(score @ np.linalg.solve(information, score))
    return statistic, float(chi2.sf(statistic, 1))


def _time_transform(months, events, transform):
    """g(t) at each event time, for :func:`ph_score_test`."""
    from scipy.stats import rankdata

    event_times = np.unique(months[events == 1])
    if transform == "km":
        step_times, _, _, curve = km_steps(months, events)
        before = np.concatenate([[1.0], curve])          # KM(t-): the curve just before each step
        return {t: 1 - before[np.searchsorted(step_times, t, side="left")] for t in event_times}
    if transform == "rank":
        ranks = dict(zip(months, rankdata(months)))
        return {t: ranks[t] for t in event_times}
    if transform == "identity":
        return {t: t for t in event_times}
    raise ArgumentError(f"transform must be 'km', 'rank' or 'identity', not {transform!r}")


def _moments(risk, z, rows):
    weighted = risk[rows][:, None] * z[rows]
    return risk[rows].sum(), weighted.sum(axis=0), weighted.T @ z[rows]


# ---------------------------------------------------------------------------
# Entry checks of the functions on arrays, added apart (as for rmst_with_se) so that a
# chapter printing a function's source sees the analysis alone.

def _check_band(band, level=0.5):
    if not isinstance(band, (tuple, list)) or len(band) != 4:
        raise ArgumentError("band must be the four arrays km_confidence returns (times, survival, lower, upper); "
                            f"got {type(band).__name__}.")
    same_length(times=band[0], survival=band[1], lower=band[2], upper=band[3])
    between("level", level, 0, 1)


def _check_quantile(step_times, curve, level, last_time=None):
    same_length(step_times=step_times, curve=curve)
    between("level", level, 0, 1)
    if last_time is not None:
        between("last_time", last_time, 0, np.inf, closed=(True, False))


def _check_km(months, events, method="log-log"):
    times_and_events(months, events)
    one_of("method", method, ("log-log", "log", "linear"))


def _check_km_at(months, events, at, method="log-log"):
    _check_km(months, events, method)
    between("at", at, 0, np.inf, closed=(True, False))


def _covariate_with_events(name, covariate, event, weights=None, groups=None):
    """A 0/1 covariate must have events at both values (in each group): else its log
    hazard ratio runs off to infinity (a silent -31.5 or 30.9 before)."""
    x = numbers(name, covariate)
    if not np.all(np.isfinite(x)):
        raise ArgumentError(f"{name} must be a number for every row; position {int(np.flatnonzero(~np.isfinite(x))[0])}"
                            " has none.")
    weight = np.asarray(event, dtype=float) * (1.0 if weights is None else np.asarray(weights, dtype=float))
    if not np.any(weight > 0):
        raise ArgumentError("event: no events (every row censored): a Cox model needs at least one.")
    if not set(np.unique(x)) <= {0.0, 1.0}:
        return
    labels, group = np.unique(np.zeros(len(x)) if groups is None else np.asarray(groups), return_inverse=True)
    events_at = np.bincount(group.ravel() * 2 + x.astype(int), weights=weight, minlength=2 * len(labels))
    for index, label in enumerate(labels):
        for value in (0, 1):
            if events_at[2 * index + value] <= 0:
                where = "" if groups is None else f" in group {label}"
                raise ArgumentError(f"No events where {name} is {value}{where}: the hazard ratio cannot be "
                                    "estimated (one arm only, or an arm without events).")


def _check_weighted_cox(start, stop, event, covariate, weights=None, strata=None, clusters=None, iterations=30):
    start, stop = numbers("start", start), numbers("stop", stop)
    same_length(start=start, stop=stop, event=event, covariate=covariate,
                **{name: values for name, values in (("weights", weights), ("strata", strata),
                                                     ("clusters", clusters)) if values is not None})
    wrong = ~np.isfinite(start) | ~np.isfinite(stop) | (start < 0) | ~(stop > start)
    if wrong.any():
        bad = int(np.flatnonzero(wrong)[0])
        raise ArgumentError(f"start and stop must be times with 0 <= start < stop for every row; position {bad} has "
                            f"({start[bad]}, {stop[bad]}].")
    times_and_events(stop, event)
    if weights is not None:
        between("weights", weights, 0, np.inf, closed=(True, False))
    _covariate_with_events("covariate", covariate, event, weights)


def _check_cox_by_group(months, event, covariate, groups, strata=None, ties="breslow", iterations=30):
    one_of("ties", ties, ("breslow", "efron"))
    same_length(months=months, event=event, covariate=covariate, groups=groups,
                **({} if strata is None else {"strata": strata}))
    times_and_events(months, event)
    _covariate_with_events("covariate", covariate, event, groups=groups)


def _check_cox_log_likelihood(months, event, covariates, iterations=50):
    months, event = times_and_events(months, event)
    x = numbers("covariates", covariates)
    if x.size % len(months) or not np.all(np.isfinite(x)):
        raise ArgumentError(f"covariates must be numbers, one row per patient ({len(months)}); got {x.size} values"
                            f"{'' if np.all(np.isfinite(x)) else ', some missing'}.")
    x = x.reshape(len(months), -1)
    if not event.any():
        raise ArgumentError("event: no events (every row censored): a Cox model needs at least one.")
    if np.linalg.matrix_rank(x - x.mean(axis=0)) < x.shape[1]:
        raise ArgumentError(f"covariates: the {x.shape[1]} columns are collinear (one is constant or a combination "
                            "of the others), so their coefficients cannot be told apart.")


def _check_ph_score_test(months, events, covariate, strata, beta, transform="km", ties="efron"):
    one_of("ties", ties, ("efron", "breslow"))
    one_of("transform", transform, ("km", "rank", "identity"))
    same_length(months=months, events=events, covariate=covariate, strata=strata)
    months, events = times_and_events(months, events)
    between("beta", beta, -np.inf, np.inf)
    x = numbers("covariate", covariate)
    if not events.any():
        raise ArgumentError("events: no events (every row censored): there is nothing to test.")
    if np.all(x == x[0]):
        raise ArgumentError(f"covariate takes one value ({x[0]:g}) in every row (one arm only?): there is nothing "
                            "to test.")


km_steps = checked_first(times_and_events)(km_steps)
km_confidence = checked_first(_check_km)(km_confidence)
km_at = checked_first(_check_km_at)(km_at)
km_quantile = checked_first(_check_quantile)(km_quantile)
median_ci_from_band = checked_first(_check_band)(median_ci_from_band)
weighted_cox = checked_first(_check_weighted_cox)(weighted_cox)
cox_by_group = checked_first(_check_cox_by_group)(cox_by_group)
cox_log_likelihood = checked_first(_check_cox_log_likelihood)(cox_log_likelihood)
ph_score_test = checked_first(_check_ph_score_test)(ph_score_test)
