"""Overall survival adjusted for the switch to daratumumab by inverse probability of
censoring weights (IPCW): chapter 9's analysis, which prints this code and explains
each step.

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
from icaria.arguments import table_with
from icaria.published import DAYS_PER_MONTH

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "09-overall-survival"


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


def person_months(adsl, adtte):
    """One row per patient and month (``start``, ``stop``], up to death, switch or
    censoring: ``progressed`` before the month, ``switch`` and ``death`` in it."""
    patients = patient_times(adsl, adtte)
    switch_first = patients["switch"].notna() & (patients["switch"] <= patients["os"])
    end = np.where(switch_first, patients["switch"], patients["os"])
    count = np.ceil(end).astype(int)
    rows = patients.loc[patients.index.repeat(count)].reset_index()
    rows["start"] = rows.groupby("USUBJID").cumcount().astype(float)
    rows["stop"] = np.minimum(rows["start"] + 1, np.repeat(end, count))
    last = rows["stop"] == np.repeat(end, count)
    rows["progressed"] = (rows["progression"] <= rows["start"]).astype(int)
    rows["switch"] = (last & np.repeat(switch_first.to_numpy(), count)).astype(int)
    rows["death"] = (last & (rows["died"] == 1) & ~np.repeat(switch_first.to_numpy(), count)).astype(int)
    return rows[["USUBJID", "start", "stop", "isapd", "iss3", "STRAT1R", "STRAT2R", "progressed", "switch",
                 "death"]]


def switching_model(months, columns):
    """Pooled logistic regression of switching in a month on ``columns`` and time."""
    X = add_constant(months[columns].assign(time=months["start"]).astype(float))
    return Logit(months["switch"], X).fit(disp=False), X


def stabilised_weights(months):
    """P(unswitched | arm, time) / P(unswitched | arm, progression, ISS III, time),
    each a product over the patient's months so far."""
    full, X_full = switching_model(months, ["isapd", "progressed", "iss3"])
    numerator, X_num = switching_model(months, ["isapd"])
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
