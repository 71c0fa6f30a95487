"""Survival estimators the book computes itself, each checked against a reference
implementation or a hand-worked case: the weighted Cox model behind the IPCW analysis
(statsmodels PHReg, Breslow ties, cluster-robust covariance) and the proportional-hazards
score test of R's cox.zph, and
against properties any correct counting-process estimator has."""

from pathlib import Path

import numpy as np
import pytest
from statsmodels.duration.hazard_regression import PHReg

from icaria.survival import ph_score_test, weighted_cox


@pytest.fixture
def clustered():
    rng = np.random.default_rng(5)
    n = 90
    return {"start": np.zeros(n), "stop": rng.exponential(1, n) + 0.01, "event": (rng.random(n) < 0.6).astype(int),
            "covariate": rng.integers(0, 2, n).astype(float), "strata": rng.integers(0, 2, n),
            "clusters": rng.integers(0, 30, n), "weights": rng.integers(1, 4, n).astype(float)}


def reference(rows, repeat=None):
    """statsmodels on the same rows (each repeated ``repeat`` times): (beta, SE, robust SE)."""
    index = np.repeat(np.arange(len(rows["stop"])), repeat.astype(int)) if repeat is not None else slice(None)
    model = PHReg(rows["stop"][index], rows["covariate"][index][:, None], status=rows["event"][index],
                  strata=rows["strata"][index], ties="breslow")
    fit = model.fit(groups=rows["clusters"][index])
    return (fit.params[0], np.sqrt(-1 / model.hessian(fit.params)[0, 0]),
            np.sqrt(model.robust_covariance(fit.params)[0, 0]))


def test_agrees_with_statsmodels_breslow_and_cluster_robust(clustered):
    ours = weighted_cox(clustered["start"], clustered["stop"], clustered["event"], clustered["covariate"],
                        strata=clustered["strata"], clusters=clustered["clusters"])
    np.testing.assert_allclose(ours, reference(clustered), rtol=1e-9)


def test_whole_number_weights_equal_repeated_rows(clustered):
    """A case weight of 3 is three copies of the row in the same cluster (R's and SAS's
    convention), for the estimate, the model-based and the robust SE."""
    ours = weighted_cox(clustered["start"], clustered["stop"], clustered["event"], clustered["covariate"],
                        weights=clustered["weights"], strata=clustered["strata"], clusters=clustered["clusters"])
    np.testing.assert_allclose(ours, reference(clustered, repeat=clustered["weights"]), rtol=1e-9)


def test_splitting_follow_up_into_months_changes_nothing():
    """Cutting each patient's time into (start, stop] pieces, one cluster per patient, is
    how IPCW data are laid out; estimate and both SEs must be those of one row each."""
    rng = np.random.default_rng(7)
    n = 60
    time = rng.exponential(8, n) + 0.05
    event = (rng.random(n) < 0.7).astype(int)
    arm = rng.integers(0, 2, n).astype(float)
    stratum = rng.integers(0, 3, n)
    whole = weighted_cox(np.zeros(n), time, event, arm, strata=stratum, clusters=np.arange(n))
    pieces = [(p, s, min(s + 1, t), int(e and s + 1 >= t), a, g)
              for p, (t, e, a, g) in enumerate(zip(time, event, arm, stratum)) for s in np.arange(0, t, 1.0)]
    patient, start, stop, died, x, strata = (np.array(column) for column in zip(*pieces))
    split = weighted_cox(start, stop, died, x, strata=strata, clusters=patient)
    np.testing.assert_allclose(split, whole, rtol=1e-9)


def test_hand_worked_three_patient_case():
    """Deaths at months 1, 2 and 3, covariate 1, 0, 1. With u = exp(beta) the score is
    [1 - 2u/(2u + 1)] + [0 - u/(u + 1)] + [1 - 1], zero when u**2 = 1/2."""
    beta, _, _ = weighted_cox([0, 0, 0], [1, 2, 3], [1, 1, 1], [1, 0, 1])
    assert beta == pytest.approx(np.log(1 / np.sqrt(2)), abs=1e-10)


def test_ph_score_test_matches_the_hand_worked_case_of_therneau_and_grambsch():
    """Their appendix data set 1 (deaths at 1, 6, 6, 9; Breslow ties; g(t) = t), the
    case R's survival package uses to check cox.zph: at the MLE r = exp(beta) =
    (3 + sqrt(33)) / 2 the per-death scores and informations are known in closed form."""
    time, status, x = [9, 1, 1, 6, 6, 8], [1, 1, 0, 1, 1, 0], [0, 1, 1, 1, 0, 0]
    r = (3 + np.sqrt(33)) / 2
    u = np.array([1 / (r + 1), 3 / (r + 3), -r / (r + 3), 0])
    info = np.array([r / (r + 1) ** 2, 3 * r / (r + 3) ** 2, 3 * r / (r + 3) ** 2, 0])
    g = np.array([1, 6, 6, 9])
    u2 = np.array([0.0, np.sum(g * u)])
    i2 = np.array([[info.sum(), (g * info).sum()], [(g * info).sum(), (g ** 2 * info).sum()]])
    expected = u2 @ np.linalg.solve(i2, u2)
    statistic, _ = ph_score_test(time, status, x, np.zeros(6), np.log(r), transform="identity", ties="breslow")
    assert statistic == pytest.approx(expected, rel=1e-10)


def test_ph_score_test_and_breslow_reproduce_r_on_a_fixed_dataset():
    """An independent re-analysis in R (survival 3.5) of the twin's primary-cut PFS as
    committed on 27 Nov 2026 (kept in tests/fixtures/pfs-r-reference.csv, since the twin
    has changed since) gave cox.zph(transform = "rank") chi-square 2.04, p = 0.153, and a
    Breslow hazard ratio of 0.5993; lifelines' rank test printed 3.165 for the same model."""
    import pandas as pd
    from lifelines import CoxPHFitter

    from icaria import survival as sv

    pfs = sv.endpoint(pd.read_csv(Path(__file__).parent / "fixtures" / "pfs-r-reference.csv").assign(PARAMCD="PFS"),
                      "PFS")
    strata = pfs["STRAT1R"] + "/" + pfs["STRAT2R"]
    cox = CoxPHFitter().fit(pfs[["MONTHS", "EVENT", "ISAPD", "STRAT1R", "STRAT2R"]], "MONTHS", "EVENT",
                            strata=["STRAT1R", "STRAT2R"])
    statistic, p = ph_score_test(pfs["MONTHS"], pfs["EVENT"], pfs["ISAPD"], strata, cox.params_["ISAPD"],
                                 transform="rank")
    assert (round(statistic, 2), round(p, 3)) == (2.04, 0.153)
    log_hr, _, _ = weighted_cox(np.zeros(len(pfs)), pfs["MONTHS"], pfs["EVENT"], pfs["ISAPD"], strata=strata)
    assert round(float(np.exp(log_hr)), 4) == 0.5993


def test_ttr_quartile_follows_sas_definition_5():
    """SAS PROC UNIVARIATE's default quantile (definition 5) gives the Pd upper quartile of
    time to response 86 days on the twin, NumPy's default 80.25 (the paper prints 87)."""
    from icaria import data
    from icaria import survival as sv

    ttr = sv.endpoint(data.load("adtte"), "TTR")
    days = ttr.loc[ttr["TRT01P"] == "Pd", "AVAL"]
    assert np.quantile(days, 0.75, method="averaged_inverted_cdf") == 86
    assert np.quantile(days, 0.75) == 80.25


def test_rmst_with_se_matches_a_hand_worked_case():
    """Three events at 1, 2 and 3 months, tau 3: the curve steps 1, 2/3, 1/3, 0, so the
    area is 1 + 2/3 + 1/3 = 2; Greenwood terms: area after month 1 is 1 and
    1/(3 x 2) = 1/6, after month 2 it is 1/3 and 1/(2 x 1) = 1/2; variance 1/6 + 1/18."""
    from icaria.survival import rmst_with_se

    rmst, se = rmst_with_se([1.0, 2.0, 3.0], [1, 1, 1], 3.0)
    assert rmst == pytest.approx(2.0) and se == pytest.approx(np.sqrt(1 / 6 + 1 / 18))


def test_rmst_difference_reproduces_r_survrm2_on_a_fixed_dataset():
    """An outside re-analysis in R (survRM2::rmst2, tau = 15 months) of the twin's
    primary-cut PFS as committed at c6d8467 (kept in tests/fixtures/pfs-rmst-r-reference.csv)
    gave a difference in RMST, Isa-Pd minus Pd, with 95% interval 0.83-3.52."""
    import pandas as pd

    from icaria import survival as sv

    pfs = sv.endpoint(pd.read_csv(Path(__file__).parent / "fixtures" / "pfs-rmst-r-reference.csv")
                      .assign(PARAMCD="PFS"), "PFS")
    by_arm = {arm: sv.rmst_with_se(rows["MONTHS"], rows["EVENT"], 15) for arm, rows in pfs.groupby("TRT01P")}
    difference = by_arm["Isa-Pd"][0] - by_arm["Pd"][0]
    half_width = 1.959964 * np.hypot(by_arm["Isa-Pd"][1], by_arm["Pd"][1])
    assert (round(difference - half_width, 2), round(difference + half_width, 2)) == (0.83, 3.52)


# PHUSE CAMIS's whas500 example (tests/fixtures/whas500-source.md): the quartiles with
# 95% CIs and the 1-, 3- and 5-year survival with 95% CIs of each AFB group, as SAS PROC
# LIFETEST (log-log band, its default) and R survfit (log band, its default) print them
# (Comp/r-sas_survival.qmd, images/survival/r_sas_default.png). None: printed NE.
CAMIS_WHAS500 = {
    ("log-log", 0): {"quartiles": [(0.94, 0.51, 1.45), (5.91, 4.31, None), (6.44, 6.44, None)],
                     "landmarks": [(0.739, 0.695, 0.779), (0.642, 0.591, 0.687), (0.530, 0.467, 0.589)]},
    ("log-log", 1): {"quartiles": [(0.26, 0.05, 0.90), (2.37, 1.15, 3.77), (6.43, 4.24, None)],
                     "landmarks": [(0.641, 0.524, 0.736), (0.455, 0.335, 0.567), (0.315, 0.195, 0.442)]},
    ("log", 0): {"quartiles": [(0.94, 0.55, 1.47), (5.91, 4.32, None), (6.44, 6.44, None)],
                 "landmarks": [(0.739, 0.699, 0.782), (0.642, 0.595, 0.691), (0.530, 0.472, 0.595)]},
    ("log", 1): {"quartiles": [(0.26, 0.05, 1.11), (2.37, 1.27, 4.24), (6.43, 4.24, None)],
                 "landmarks": [(0.641, 0.543, 0.757), (0.455, 0.351, 0.589), (0.315, 0.211, 0.470)]},
}


def whas500_years():
    import pandas as pd

    whas = pd.read_csv(Path(__file__).parent / "fixtures" / "whas500.csv")
    return whas.assign(YEARS=np.round(whas["LENFOL"] / 365.25, 2))


def as_printed(values, decimals):
    return tuple(None if np.isnan(value) else round(value, decimals) for value in values)


@pytest.mark.parametrize("method, afb", sorted(CAMIS_WHAS500))
def test_whas500_quartiles_and_landmarks_agree_with_camis(method, afb):
    """Every printed figure agrees, NE included: where the curve of the AFB = 0 group
    reaches 0 at 6.46 years its band is missing, so the upper limits of the median and
    of the 75th percentile are not reached (the book used to print 6.46 for both)."""
    from icaria import survival as sv

    whas = whas500_years()
    group = whas[whas["AFB"] == afb]
    band = sv.km_confidence(group["YEARS"], group["FSTAT"], method)
    quartiles = [as_printed(sv.median_ci_from_band(band, 1 - share), 2) for share in (0.25, 0.5, 0.75)]
    landmarks = [as_printed(sv.km_at(group["YEARS"], group["FSTAT"], year, method), 3) for year in (1, 3, 5)]
    printed = CAMIS_WHAS500[(method, afb)]
    assert quartiles == printed["quartiles"] and landmarks == printed["landmarks"]


def test_whas500_band_is_missing_where_the_curve_reaches_zero():
    """The AFB = 0 group ends with a death at 6.46 years: the curve reaches 0 and its
    band is missing there, so the median's and the 75th percentile's upper limits are
    not reached (NE in SAS and R), not 6.46."""
    from icaria import survival as sv

    whas = whas500_years()
    group = whas[whas["AFB"] == 0]
    assert group["YEARS"].max() == 6.46 and group.loc[group["YEARS"].idxmax(), "FSTAT"] == 1
    band = sv.km_confidence(group["YEARS"], group["FSTAT"])
    assert np.isnan(band[2][-1]) and np.isnan(band[3][-1]) and band[1][-1] == 0
    assert np.isnan(sv.median_ci_from_band(band)[2]) and np.isnan(sv.median_ci_from_band(band, 0.25)[2])


# CAMIS's special case (Comp/r-sas_survival.qmd): five events then five censored
# times; the curve sits at 0.5 from day 87 to the last time, 118 (censored).
CAMIS_SPECIAL = ([54, 75, 77, 84, 87, 92, 103, 105, 112, 118], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0])


def test_median_where_the_curve_sits_at_one_half_follows_sas_and_r():
    """SAS prints the median NE (no event after the flat piece), R the midpoint of 87
    and the last time 118, 102.5; both print (54, NE) for its CI, NE at 120 days."""
    from icaria import survival as sv

    times, events = CAMIS_SPECIAL
    band = sv.km_confidence(times, events)
    assert as_printed(sv.median_ci_from_band(band), 2) == (None, 54, None)
    assert sv.km_quantile(band[0], band[1], 0.5, last_time=max(times)) == 102.5
    assert as_printed(sv.km_at(times, events, 100), 3) == (0.5, 0.184, 0.753)
    assert as_printed(sv.km_at(times, events, 80), 3) == (0.7, 0.329, 0.892)
    assert as_printed(sv.km_at(times, events, 120), 3) == (None, None, None)
    assert as_printed(sv.km_at(times, [*events[:-1], 1], 120), 3) == (0.0, None, None)


def test_median_is_the_midpoint_where_the_curve_sits_at_one_half_between_events():
    """Deaths at 1, 2, 3 and 4 of four patients: S = 0.5 from 2 until 3, so the median
    is 2.5 (SAS: (t_i + t_i+1) / 2; R quantile.survfit the same); lifelines says 2."""
    from lifelines import KaplanMeierFitter

    from icaria import survival as sv

    times, _, _, curve = sv.km_steps([1, 2, 3, 4], [1, 1, 1, 1])
    assert sv.km_quantile(times, curve, 0.5) == 2.5
    assert KaplanMeierFitter().fit([1, 2, 3, 4], [1, 1, 1, 1]).median_survival_time_ == 2
