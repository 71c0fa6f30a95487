"""Overall survival adjusted for the switch to daratumumab by inverse probability of
censoring weights (IPCW): the reference implementation behind the treatment-switching
chapter, which computes each step with statsmodels and lifelines and is checked
against this code on the checks page (which prints it).

1. :func:`person_months`: one row per patient and month while alive and unswitched,
   with whether the patient had progressed before the month and switched in it;
2. :func:`stabilised_weights`: pooled logistic models of switching (arm, progression
   so far, ISS stage III, time) and of the numerator (arm, time), multiplied along
   each patient's months;
3. :func:`censored_cox`: a Cox model on the months, stratified as the primary
   analysis, Breslow ties, robust variance summed over each patient's rows.
"""

import numpy as np
from scipy.stats import norm
from statsmodels.api import Logit, add_constant

from icaria import survival as sv
from icaria.arguments import (
    ArgumentError,
    arms_in,
    between,
    checked_first,
    once_each,
    rows_in,
    table_with,
    time_rows,
    whole,
)
from icaria.published import ARMS, DAYS_PER_MONTH

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "11-treatment-switching"


def patient_times(adsl, adtte):
    """Per patient (months): overall survival, death, progression (uncensored for
    further therapy), and the switch to daratumumab if it happened."""
    wide = adtte.pivot(index="USUBJID", columns="PARAMCD", values=["AVAL", "CNSR"])
    months = wide["AVAL"] / DAYS_PER_MONTH
    patients = adsl.set_index("USUBJID")[["TRT01P", "STRAT1R", "STRAT2R", "ISSENTRY", "NTDARA"]].copy()
    patients["os"], patients["died"] = months["OS"], 1 - wide[("CNSR", "OS")]
    patients["progression"] = months["PFSNC"].where(wide[("CNSR", "PFSNC")] == 0)
    switched = (wide[("CNSR", "TTNT")] == 0) & (patients["NTDARA"] == "Y")
    patients["switch"] = months["TTNT"].where(switched)
    patients["isapd"] = (patients["TRT01P"] == "Isa-Pd").astype(int)
    patients["iss3"] = (patients["ISSENTRY"] == "III").astype(int)
    return patients


def switchers(adsl, adtte):
    """Each patient who switched to daratumumab while alive: why study treatment had
    stopped (``DCTREAS``; "Not treated" for a patient never treated) and whether the
    committee had seen progression (PFS not censored for further therapy) by the switch."""
    table_with("adsl", adsl, ["USUBJID", "TRT01P", "STRAT1R", "STRAT2R", "ISSENTRY", "NTDARA", "EOTSTT", "DCTREAS"])
    patients = patient_times(adsl, adtte)
    switched = patients[patients["switch"].notna() & (patients["switch"] <= patients["os"])]
    stopped = adsl.set_index("USUBJID").loc[switched.index]
    reason = stopped["DCTREAS"].where(stopped["EOTSTT"] != "NOT TREATED", "Not treated")
    return switched.assign(stopped_for=reason, progressed_first=switched["progression"] <= switched["switch"])[
        ["TRT01P", "stopped_for", "progressed_first"]]


def person_months(adsl, adtte, lag=0):
    """One row per patient and month (``start``, ``stop``], up to death, switch or
    censoring: ``progressed`` before the month (or, with ``lag``, that many months
    earlier), ``switch`` and ``death`` in it."""
    patients = patient_times(adsl, adtte)
    switch_first = patients["switch"].notna() & (patients["switch"] <= patients["os"])
    end = np.where(switch_first, patients["switch"], patients["os"])
    count = np.ceil(end).astype(int)
    rows = patients.loc[patients.index.repeat(count)].reset_index()
    rows["start"] = rows.groupby("USUBJID").cumcount().astype(float)
    rows["stop"] = np.minimum(rows["start"] + 1, np.repeat(end, count))
    last = rows["stop"] == np.repeat(end, count)
    rows["progressed"] = (rows["progression"] <= rows["start"] - lag).astype(int)
    rows["switch"] = (last & np.repeat(switch_first.to_numpy(), count)).astype(int)
    rows["death"] = (last & (rows["died"] == 1) & ~np.repeat(switch_first.to_numpy(), count)).astype(int)
    return rows[["USUBJID", "start", "stop", "isapd", "iss3", "STRAT1R", "STRAT2R", "progressed", "switch",
                 "death"]]


def switching_model(months, columns):
    """Pooled logistic regression of switching in a month on ``columns`` and time."""
    X = add_constant(months[columns].assign(time=months["start"]).astype(float))
    return Logit(months["switch"], X).fit(disp=False), X


MODEL_COLUMNS = {"full": ["isapd", "progressed", "iss3"], "numerator": ["isapd"]}


def stabilised_weights(months):
    """P(unswitched | arm, time) / P(unswitched | arm, progression, ISS III, time),
    each a product over the patient's months so far."""
    full, X_full = switching_model(months, MODEL_COLUMNS["full"])
    numerator, X_num = switching_model(months, MODEL_COLUMNS["numerator"])
    stay_full, stay_num = 1 - full.predict(X_full), 1 - numerator.predict(X_num)
    patient = months["USUBJID"]
    return stay_num.groupby(patient).cumprod() / stay_full.groupby(patient).cumprod()


def censored_cox(months, weights=None):
    """Log HR of Isa-Pd with model-based and robust (by patient) standard errors, on
    the patient-months censored at the switch; stratified, Breslow ties."""
    strata = months["STRAT1R"] + "/" + months["STRAT2R"]
    return sv.weighted_cox(months["start"], months["stop"], months["death"], months["isapd"],
                           weights=weights, strata=strata, clusters=months["USUBJID"])


def with_robust_ci(fit, level=0.95):
    """Hazard ratio and its interval from the robust standard error."""
    log_hr, _, robust_se = fit
    z = norm.ppf(0.5 + level / 2)
    return np.exp([log_hr, log_hr - z * robust_se, log_hr + z * robust_se])


def ipcw_hazard_ratio(adsl, adtte):
    """The IPCW hazard ratio of death, Isa-Pd vs Pd, with its robust 95% interval."""
    table_with("adsl", adsl, ["USUBJID", "TRT01P", "STRAT1R", "STRAT2R", "ISSENTRY", "NTDARA"])
    table_with("adtte", adtte, ["USUBJID", "PARAMCD", "AVAL", "CNSR"])
    months = person_months(adsl, adtte)
    return with_robust_ci(censored_cox(months, stabilised_weights(months)))


def bootstrap_hazard_ratios(months, replicates=200, seed=20191102):
    """IPCW hazard ratios of ``replicates`` bootstrap samples of patients, the weights
    re-estimated in each: a sample is a set of frequency weights (how many times each
    patient was drawn), so both switching models and the Cox model are fitted to all
    samples at once (Newton-Raphson on arrays; the same fits as :func:`switching_model`
    and :func:`censored_cox` with each patient's rows repeated)."""
    patients, row_patient = np.unique(months["USUBJID"], return_inverse=True)
    draws = np.random.default_rng(seed).multinomial(len(patients), np.full(len(patients), 1 / len(patients)),
                                                    size=replicates)
    frequency = draws[:, row_patient].astype(float)
    log_stay = {name: _log_stay_many(months, columns, frequency) for name, columns in MODEL_COLUMNS.items()}
    first_row = np.r_[True, row_patient[1:] != row_patient[:-1]]
    weights = np.exp(_cumulative_by_patient(log_stay["numerator"] - log_stay["full"], first_row))
    strata = months["STRAT1R"] + "/" + months["STRAT2R"]
    return np.exp(sv.weighted_cox_many(months["start"], months["stop"], months["death"], months["isapd"],
                                       frequency * weights, strata))


def _log_stay_many(months, columns, frequency, iterations=25):
    """log P(no switch in the month) of :func:`switching_model` refitted with each row of
    ``frequency`` as case weights (iteratively reweighted least squares). A sample in
    which some group never switches has no finite coefficient; its fitted probabilities
    still converge (to 0 for that group), and the iterations stop when they have."""
    X = add_constant(months[columns].assign(time=months["start"]).astype(float)).to_numpy()
    y = months["switch"].to_numpy(dtype=float)
    coefficients = np.zeros((len(frequency), X.shape[1]))
    probability = np.full(frequency.shape, 0.5)
    active = np.arange(len(frequency))                    # samples still moving
    for _ in range(iterations):
        weights, fitted = frequency[active], probability[active]
        gradient = (weights * (y - fitted)) @ X
        hessian = ((weights * fitted * (1 - fitted))[:, :, None] * X).transpose(0, 2, 1) @ X
        coefficients[active] += np.linalg.solve(hessian, gradient[:, :, None])[:, :, 0]
        probability[active] = 1 / (1 + np.exp(-coefficients[active] @ X.T))
        active = active[np.max(np.abs(probability[active] - fitted), axis=1) >= 1e-12]
        if not active.size:
            break
    return -np.logaddexp(0, coefficients @ X.T)


def _cumulative_by_patient(values, first_row):
    """Running sums along each patient's rows (a patient's rows are consecutive)."""
    running = np.cumsum(values, axis=1)
    first = np.maximum.accumulate(np.where(first_row, np.arange(len(first_row)), 0))   # each row's first row
    return running - np.where(first > 0, running[:, first - 1], 0.0)


# ---------------------------------------------------------------------------
# Entry checks, added apart: the checks page prints these functions' source.

ADSL_COLUMNS = ["USUBJID", "TRT01P", "STRAT1R", "STRAT2R", "ISSENTRY", "NTDARA"]
ENDPOINTS_USED = ("OS", "PFSNC", "TTNT")
MONTH_COLUMNS = ["USUBJID", "start", "stop", "isapd", "iss3", "STRAT1R", "STRAT2R", "progressed", "switch", "death"]


def check_tables(adsl, adtte, *_, **__):
    """adsl with one row per patient of both arms, and adtte with an OS, PFSNC and TTNT
    row (a time and a censoring flag) for each of them."""
    once_each("adsl", rows_in("adsl", table_with("adsl", adsl, ADSL_COLUMNS)), ["USUBJID"])
    arms_in("adsl", adsl, ARMS)
    once_each("adtte", table_with("adtte", adtte, ["USUBJID", "PARAMCD", "AVAL", "CNSR"]), ["USUBJID", "PARAMCD"])
    for code in ENDPOINTS_USED:
        rows = adtte[adtte["PARAMCD"] == code]
        missing = sorted(set(adsl["USUBJID"]) - set(rows["USUBJID"]))
        if missing:
            raise ArgumentError(f"adtte: {len(missing)} patient(s) of adsl have no {code} row (for example "
                                f"{', '.join(map(str, missing[:3]))}); IPCW reads OS, PFSNC and TTNT of every patient.")
        time_rows(f"adtte's {code} rows", rows, months="AVAL", event="CNSR")


def check_person_month_arguments(adsl, adtte, lag=0):
    """:func:`check_tables`, and a lag of 0 months or more."""
    check_tables(adsl, adtte)
    between("lag", lag, 0, np.inf, closed=(True, False))


def check_months(months, *_, **__):
    """Patient-months as :func:`person_months` makes them."""
    rows_in("months", table_with("months (from ipcw.person_months)", months, MONTH_COLUMNS))


def check_weight_months(months):
    """Patient-months in which some patients switch and some do not (else no model of switching)."""
    check_months(months)
    if months["switch"].nunique() < 2:
        raise ArgumentError(f"months: switch is {months['switch'].iloc[0]} in every row, so no model of switching "
                            "can be fitted (and with nobody switching, no weights are needed).")


def check_fit(fit, level=0.95):
    """A (log HR, model-based SE, robust SE) triple and a level in (0, 1)."""
    if not isinstance(fit, (tuple, list, np.ndarray)) or len(fit) != 3:
        raise ArgumentError("fit must be the (log HR, model-based SE, robust SE) that censored_cox returns; got "
                            f"{fit!r}.")
    between("fit", fit, -np.inf, np.inf)
    between("level", level, 0, 1)


def check_bootstrap(months, replicates=200, seed=20191102):
    """Patient-months and a whole number of replicates."""
    check_months(months)
    whole("replicates", replicates, 1, 100_000)


patient_times = checked_first(check_tables)(patient_times)
switchers = checked_first(check_tables)(switchers)
person_months = checked_first(check_person_month_arguments)(person_months)
ipcw_hazard_ratio = checked_first(check_tables)(ipcw_hazard_ratio)
stabilised_weights = checked_first(check_weight_months)(stabilised_weights)
censored_cox = checked_first(check_months)(censored_cox)
with_robust_ci = checked_first(check_fit)(with_robust_ci)
bootstrap_hazard_ratios = checked_first(check_bootstrap)(bootstrap_hazard_ratios)
