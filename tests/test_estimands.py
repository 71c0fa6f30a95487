"""Chapter 13 (estimands and bias): its estimators against hand-worked cases, and the
informative-censoring variant of the twin against the generator it switches.

The cumulative incidence (Aalen-Johansen) is worked by hand on six patients and
compared with lifelines' ``AalenJohansenFitter`` and with a reference that keeps tied
times (the chapter computes it in pandas the same way); RMST on three patients with
lifelines and the book's ``rmst_with_se``. The variant must give the book's own
overall survival when its switch is off, leave the twin it is given unchanged, and
never touch the book's data."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.utils import restricted_mean_survival_time

from icaria import data, paths
from icaria import survival as sv
from icaria.twin import CHECKSUMS, checksums, generate, variants


def cumulative_incidence(months, cause, of=1):
    """Aalen-Johansen incidence of cause ``of`` at each distinct time, ties kept."""
    table = pd.DataFrame({"t": months, "c": cause}).groupby("t")["c"].agg(
        wanted=lambda c: (c == of).sum(), ended=lambda c: (c > 0).sum(), left="size")
    at_risk = table["left"][::-1].cumsum()[::-1]
    before = (1 - table["ended"] / at_risk).cumprod().shift(fill_value=1.0)
    return (before * table["wanted"] / at_risk).cumsum()


# Six patients: progression (1) at 1, 4, 5; death first (2) at 2, 6; censored at 3.
# By hand: at 1, 1/6; at 4, + (4/6)(1/3) = 7/18; at 5, + (4/9)(1/2) = 11/18.
# 1 - KM with deaths censored: 1 - (5/6)(2/3)(1/2) = 13/18 at 5.
SMALL = pd.DataFrame({"months": [1.0, 2, 3, 4, 5, 6], "cause": [1, 2, 0, 1, 1, 2]})
BY_HAND = {1: 1 / 6, 2: 1 / 6, 3: 1 / 6, 4: 7 / 18, 5: 11 / 18, 6: 11 / 18}


def test_cumulative_incidence_of_a_hand_worked_case():
    fitted = AalenJohansenFitter().fit(SMALL["months"], SMALL["cause"], event_of_interest=1)
    curve = fitted.cumulative_density_.iloc[:, 0]
    reference = cumulative_incidence(SMALL["months"], SMALL["cause"])
    for time, value in BY_HAND.items():
        assert curve[curve.index <= time].iloc[-1] == pytest.approx(value, abs=1e-12)
        assert reference[time] == pytest.approx(value, abs=1e-12)
    km = KaplanMeierFitter().fit(SMALL["months"], SMALL["cause"] == 1)
    assert 1 - km.survival_function_at_times(5).iloc[0] == pytest.approx(13 / 18, abs=1e-12)


def test_cumulative_incidence_keeps_ties_like_lifelines_between_them():
    """On the twin's PFS rows (tied days), lifelines jitters ties; between tied times
    its curve and the tie-keeping reference agree to 1e-3."""
    rows = sv.endpoint(data.load("adtte"), "PFS")
    cause = np.select([rows["EVNTDESC"] == "Progressive disease", rows["EVNTDESC"] == "Death"], [1, 2], 0)
    for arm in ("Isa-Pd", "Pd"):
        chosen = rows["TRT01P"].to_numpy() == arm
        reference = cumulative_incidence(rows["MONTHS"].to_numpy()[chosen], cause[chosen])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = AalenJohansenFitter(seed=2019).fit(rows["MONTHS"].to_numpy()[chosen], cause[chosen],
                                                        event_of_interest=1)
        curve = fitted.cumulative_density_.iloc[:, 0]
        between = (reference.index[:-1] + reference.index[1:]) / 2
        gap = (curve.reindex(between, method="ffill") - reference.reindex(between, method="ffill")).abs().max()
        assert gap < 1e-3, (arm, gap)


def test_rmst_of_a_hand_worked_case():
    """Events at 1 and 3, a censoring at 2: the curve is 1 to month 1, 2/3 to month 3,
    then 0; the area to 4 months is 1 + 2 x 2/3 = 7/3."""
    months, events = [1.0, 2.0, 3.0], [1, 0, 1]
    fitter = KaplanMeierFitter().fit(months, events)
    assert restricted_mean_survival_time(fitter, t=4) == pytest.approx(7 / 3, abs=1e-12)
    assert sv.rmst_with_se(months, events, 4)[0] == pytest.approx(7 / 3, abs=1e-12)


@pytest.fixture(scope="module")
def book_twin():
    return generate()


def test_the_variant_with_its_switch_off_is_the_books_overall_survival(book_twin):
    off = variants.informative_censoring(book_twin, prognosis_factor=1.0, dropout_rate=0.0)
    book = sv.endpoint(data.load("adtte", "final-os"), "OS").set_index("USUBJID").loc[off["USUBJID"]]
    assert off["DROPOUT"].sum() == 0
    assert np.allclose(off["MONTHS"], book["MONTHS"]) and np.array_equal(off["EVENT"], book["EVENT"])
    assert np.allclose(off["MONTHS_ALL"], off["MONTHS"]) and np.array_equal(off["EVENT_ALL"], off["EVENT"])


def test_the_variant_censors_only_after_a_stop_for_toxicity_and_shortens_survival(book_twin):
    variant = variants.informative_censoring(book_twin)
    left = variant[variant["DROPOUT"] == 1]
    assert len(left) > 10 and left["TOXSTOP"].notna().all() and (left["MONTHS"] >= left["TOXSTOP"]).all()
    assert (variant["MONTHS"] <= variant["MONTHS_ALL"] + 1e-9).all()
    assert (variant.loc[variant["DROPOUT"] == 0, "EVENT"] == variant.loc[variant["DROPOUT"] == 0, "EVENT_ALL"]).all()
    switch_off = variants.informative_censoring(book_twin, prognosis_factor=1.0, dropout_rate=0.0)
    stopped = variant["TOXSTOP"].notna()
    assert (variant.loc[stopped, "MONTHS_ALL"] <= switch_off.loc[stopped, "MONTHS_ALL"] + 1e-9).all()


def test_the_variant_changes_neither_its_twin_nor_the_books_data(book_twin):
    before = book_twin["latent"].copy()
    variants.informative_censoring(book_twin, prognosis_factor=0.1, dropout_rate=0.5, seed=1)
    pd.testing.assert_frame_equal(book_twin["latent"], before)
    assert checksums(paths.REPO_ROOT / "data") == json.loads(CHECKSUMS.read_text(encoding="utf-8"))


def test_the_variant_refuses_an_unknown_setting(book_twin):
    with pytest.raises(ValueError, match="Unknown settings"):
        variants.informative_censoring(book_twin, dropout=0.2)


# Claims the chapter's prose makes about its numbers, checked on the book's twin.

def km_at(rows, at, time="MONTHS", event="EVENT", **options):
    return {arm: KaplanMeierFitter().fit(group[time], group[event], **{k: group[v] for k, v in options.items()})
            .survival_function_at_times(at).iloc[0] for arm, group in rows.groupby("TRT01P")}


def ipcw_months(rows):
    """The chapter's patient-months split at the stop for toxicity, with its stabilised
    weights from piecewise-exponential (Poisson) models of leaving follow-up."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    pieces = rows.loc[rows.index.repeat(np.ceil(rows["MONTHS"]).astype(int))]
    pieces = pieces.assign(start=pieces.groupby("USUBJID").cumcount().astype(float))
    pieces["stop"] = np.minimum(pieces["start"] + 1, pieces["MONTHS"])
    inside = (pieces["TOXSTOP"] > pieces["start"]) & (pieces["TOXSTOP"] < pieces["stop"])
    split = pd.concat([pieces[~inside], pieces[inside].assign(stop=pieces.loc[inside, "TOXSTOP"]),
                       pieces[inside].assign(start=pieces.loc[inside, "TOXSTOP"])]).sort_values(
        ["USUBJID", "start"], ignore_index=True)
    last = split["stop"] == split["MONTHS"]
    split = split.assign(death=(last & (split["EVENT"] == 1)).astype(int),
                         left=(last & (split["DROPOUT"] == 1)).astype(int),
                         stopped=(split["TOXSTOP"] <= split["start"]).astype(int),
                         exposure=np.log(split["stop"] - split["start"]))
    cumulative = {}
    for name, formula in {"full": "left ~ stopped + ISAPD", "arm": "left ~ ISAPD"}.items():
        model = smf.glm(formula, split, family=sm.families.Poisson(), offset=split["exposure"]).fit()
        hazard = model.predict(split, offset=split["exposure"])
        cumulative[name] = hazard.groupby(split["USUBJID"]).cumsum() - hazard
    return split.assign(weight=np.exp(cumulative["full"] - cumulative["arm"]))


def test_naive_survival_is_too_high_and_the_weights_bring_it_back(book_twin):
    variant = variants.informative_censoring(book_twin)
    truth = km_at(variant, 24, "MONTHS_ALL", "EVENT_ALL")
    naive = km_at(variant, 24)
    months = ipcw_months(variant)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weighted = km_at(months, 24, "stop", "death", entry="start", weights="weight")
    for arm in ("Isa-Pd", "Pd"):
        assert naive[arm] > truth[arm] and abs(weighted[arm] - truth[arm]) < naive[arm] - truth[arm], arm
    naive_pd = [km_at(variants.informative_censoring(book_twin, seed=seed), 24)["Pd"] for seed in range(20)]
    assert min(naive_pd) > truth["Pd"]


def test_the_whole_follow_up_hazard_ratio_lies_between_the_periods():
    from lifelines import CoxPHFitter
    rows = sv.endpoint(data.load("adtte", "final-os"), "OS")
    columns = ["MONTHS", "EVENT", "ISAPD", "STRAT1R", "STRAT2R"]

    def hr(table, **options):
        return CoxPHFitter().fit(table, "MONTHS", "EVENT", strata=["STRAT1R", "STRAT2R"], **options) \
            .hazard_ratios_["ISAPD"]
    first = rows[columns].assign(EVENT=rows["EVENT"].where(rows["MONTHS"] <= 12, 0),
                                 MONTHS=rows["MONTHS"].clip(upper=12))
    later = rows.loc[rows["MONTHS"] > 12, columns].assign(ENTRY=12.0)
    assert hr(first) < hr(rows[columns]) < hr(later, entry_col="ENTRY")


def test_a_sparser_schedule_in_one_arm_moves_the_hazard_ratio_more_than_in_both():
    from lifelines import CoxPHFitter
    rows = sv.endpoint(data.load("adtte"), "PFS")

    def hr(arms):
        moved = rows["EVNTDESC"].eq("Progressive disease") & rows["TRT01P"].isin(arms)
        later = (np.ceil((rows["AVAL"] - 1) / 56) * 56 + 1) / 30.4375
        table = rows.assign(MONTHS=rows["MONTHS"].where(~moved, later))[["MONTHS", "EVENT", "ISAPD", "STRAT1R",
                                                                          "STRAT2R"]]
        return CoxPHFitter().fit(table, "MONTHS", "EVENT", strata=["STRAT1R", "STRAT2R"]).hazard_ratios_["ISAPD"]
    monthly, both, pd_only = hr([]), hr(["Isa-Pd", "Pd"]), hr(["Pd"])
    assert abs(both - monthly) < 0.01 and pd_only - monthly > 0.02
