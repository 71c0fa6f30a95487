"""The IPCW pipeline of chapter 9 (icaria.ipcw) on cases small enough to check by hand."""

import numpy as np
import pandas as pd
import pytest

from icaria import data, ipcw
from icaria import survival as sv
from icaria.published import DAYS_PER_MONTH


def tiny_trial():
    """Three patients: one dies at 2.5 months, one switches to daratumumab at 1.5 months
    (after progressing at 1.0) and dies later, one is censored at 3.0 months."""
    adsl = pd.DataFrame({"USUBJID": ["A", "B", "C"], "TRT01P": ["Isa-Pd", "Pd", "Pd"],
                         "STRAT1R": ["<75"] * 3, "STRAT2R": ["2-3"] * 3, "ISSENTRY": ["I", "III", "II"],
                         "NTDARA": ["N", "Y", "N"]})
    rows = []
    for patient, os_months, died, pfsnc, progressed, ttnt, switched in (
            ("A", 2.5, 1, 2.5, 1, 2.5, 0), ("B", 4.0, 1, 1.0, 1, 1.5, 1), ("C", 3.0, 0, 3.0, 0, 3.0, 0)):
        for code, months, event in (("OS", os_months, died), ("PFSNC", pfsnc, progressed), ("TTNT", ttnt, switched)):
            rows.append({"USUBJID": patient, "PARAMCD": code, "AVAL": months * DAYS_PER_MONTH, "CNSR": 1 - event})
    return adsl, pd.DataFrame(rows)


def test_person_months_by_hand():
    months = ipcw.person_months(*tiny_trial()).set_index(["USUBJID", "start"])
    assert months.loc["A", ["stop", "death", "switch"]].to_numpy().tolist() == [[1, 0, 0], [2, 0, 0], [2.5, 1, 0]]
    # B switches at 1.5 months: followed to the switch, no death counted after it.
    assert months.loc["B", ["stop", "progressed", "switch", "death"]].to_numpy().tolist() == [
        [1, 0, 0, 0], [1.5, 1, 1, 0]]
    assert months.loc["C", "stop"].tolist() == [1, 2, 3] and months.loc["C", "death"].sum() == 0


def test_every_patient_month_adds_up_on_the_twin():
    adsl, adtte = data.load("adsl"), data.load("adtte")
    months = ipcw.person_months(adsl, adtte)
    patients = ipcw.patient_times(adsl, adtte)
    followed = (months["stop"] - months["start"]).groupby(months["USUBJID"]).sum()
    end = np.where(patients["switch"].notna() & (patients["switch"] <= patients["os"]), patients["switch"],
                   patients["os"])
    assert np.allclose(followed.loc[patients.index], end)
    assert (months.groupby("USUBJID")[["switch", "death"]].sum().sum(axis=1) <= 1).all()


def test_weights_are_stabilised_and_the_interval_uses_the_robust_error():
    adsl, adtte = data.load("adsl"), data.load("adtte")
    months = ipcw.person_months(adsl, adtte)
    weights = ipcw.stabilised_weights(months)
    assert weights.mean() == pytest.approx(1, abs=0.05) and weights.max() < 5
    log_hr, _, robust_se = ipcw.censored_cox(months, weights)
    hr, low, high = ipcw.ipcw_hazard_ratio(adsl, adtte)
    assert hr == pytest.approx(np.exp(log_hr)) and np.log(high / low) == pytest.approx(2 * 1.959964 * robust_se)


def test_a_bootstrap_sample_is_the_analysis_of_its_patients_repeated():
    """Each replicate re-estimates the weights: its hazard ratio is the whole IPCW
    analysis (statsmodels' logistic models, weighted Cox) run on the sample's patients,
    each repeated as often as it was drawn."""
    months = ipcw.person_months(data.load("adsl"), data.load("adtte"))
    seed = 7
    hazard_ratio = ipcw.bootstrap_hazard_ratios(months, replicates=1, seed=seed)[0]
    patients = np.unique(months["USUBJID"])
    drawn = np.random.default_rng(seed).multinomial(len(patients), np.full(len(patients), 1 / len(patients)))
    copies = [months[months["USUBJID"] == patient].assign(USUBJID=f"{patient}/{copy}")
              for patient, count in zip(patients, drawn) for copy in range(count)]
    sample = pd.concat(copies, ignore_index=True)
    expected = np.exp(ipcw.censored_cox(sample, ipcw.stabilised_weights(sample))[0])
    assert hazard_ratio == pytest.approx(expected, rel=1e-8)


def test_one_set_of_unit_weights_gives_the_point_estimate():
    months = ipcw.person_months(data.load("adsl"), data.load("adtte"))
    weights = ipcw.stabilised_weights(months)
    strata = months["STRAT1R"] + "/" + months["STRAT2R"]
    many = sv.weighted_cox_many(months["start"], months["stop"], months["death"], months["isapd"],
                                np.vstack([weights, 2 * weights]), strata)
    assert many == pytest.approx([ipcw.censored_cox(months, weights)[0]] * 2, abs=1e-10)


def test_lagged_progression_counts_only_progression_a_month_before_by_hand():
    """B progressed at 1.0 month: in its second month (start 1) it has progressed before
    the month, but not a month before it."""
    now = ipcw.person_months(*tiny_trial()).set_index(["USUBJID", "start"])
    lagged = ipcw.person_months(*tiny_trial(), lag=1).set_index(["USUBJID", "start"])
    assert now.loc[("B", 1.0), "progressed"] == 1 and lagged.loc[("B", 1.0), "progressed"] == 0
    assert (lagged["progressed"] <= now["progressed"]).all()
