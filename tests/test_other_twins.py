"""The stored other twins (icaria.other_twins) are what the generator makes, and the
Cox fits of many groups at once (icaria.survival.cox_by_group) agree with one fit per group."""

import numpy as np
import pandas as pd
import pytest

from icaria import other_twins
from icaria import survival as sv


@pytest.fixture(scope="module")
def stored():
    return other_twins.cuts()


def test_the_stored_twins_were_made_by_the_current_generator():
    assert other_twins.is_current(), "the generator changed: run python -m icaria.other_twins"


@pytest.mark.parametrize("draw", [0, other_twins.DRAWS - 1])
def test_making_a_twin_again_gives_the_stored_rows(stored, draw):
    made = other_twins.make_cut(draw)
    for table in ("adtte", "adsl"):
        pd.testing.assert_frame_equal(stored[draw][table], made[table])


def test_every_draw_is_stored(stored):
    assert len(stored) == other_twins.DRAWS
    assert all(len(cut["adtte"]) == len(cut["adsl"]) == 307 for cut in stored)


@pytest.fixture(scope="module")
def pool(stored):
    return pd.concat([sv.endpoint(cut["adtte"], "PFS").assign(TWIN=draw) for draw, cut in enumerate(stored[:5])],
                     ignore_index=True)


def test_cox_by_group_with_breslow_ties_is_weighted_cox_in_each_group(pool):
    each = sv.cox_by_group(pool["MONTHS"], pool["EVENT"], pool["ISAPD"], pool["TWIN"])
    one_by_one = [sv.weighted_cox(np.zeros(len(rows)), rows["MONTHS"], rows["EVENT"], rows["ISAPD"])[0]
                  for _, rows in pool.groupby("TWIN")]
    np.testing.assert_allclose(each, one_by_one, rtol=0, atol=1e-10)
    pooled = sv.cox_by_group(pool["MONTHS"], pool["EVENT"], pool["ISAPD"], np.zeros(len(pool)), strata=pool["TWIN"])
    reference = sv.weighted_cox(np.zeros(len(pool)), pool["MONTHS"], pool["EVENT"], pool["ISAPD"], strata=pool["TWIN"])
    assert pooled[0] == pytest.approx(reference[0], abs=1e-10)


def test_cox_by_group_with_efron_ties_is_the_stratified_lifelines_fit(pool):
    strata = pool["TWIN"].astype(str) + "/" + pool["STRAT1R"] + "/" + pool["STRAT2R"]
    each = sv.cox_by_group(pool["MONTHS"], pool["EVENT"], pool["ISAPD"], pool["TWIN"], strata, ties="efron")
    lifelines = [np.log(sv.stratified_cox_hr(rows)) for _, rows in pool.groupby("TWIN")]
    np.testing.assert_allclose(each, lifelines, rtol=0, atol=1e-6)


def test_cox_by_group_refuses_unknown_ties(pool):
    from icaria.arguments import ArgumentError

    with pytest.raises(ArgumentError, match="ties"):
        sv.cox_by_group(pool["MONTHS"], pool["EVENT"], pool["ISAPD"], pool["TWIN"], ties="exact")


def test_cox_hr_ci_of_tables_is_lifelines_stratified_or_not(pool):
    """One array fit of many tables gives each table's lifelines hazard ratio and 95% CI."""
    tables = [rows for _, rows in pool.groupby("TWIN")]
    for stratified in (True, False):
        fits = sv.cox_hr_ci_of_tables(tables, "ISAPD", [sv.STRATA if stratified else None] * len(tables))
        lifelines = [sv.cox_hr_ci(rows, stratified)[:3] for rows in tables]
        np.testing.assert_allclose(fits, lifelines, rtol=1e-5)


def test_cox_log_likelihood_is_statsmodels_phreg_with_several_covariates(pool):
    """The log partial likelihood (Breslow ties) of a model with a factor and its product
    with treatment: statsmodels' PHReg's, the fit behind chapter 7's interaction test."""
    from statsmodels.duration.hazard_regression import PHReg

    rows = pool[pool["TWIN"] == 0]
    treated, older = rows["ISAPD"].to_numpy(float), (rows["STRAT1R"] != rows["STRAT1R"].iloc[0]).to_numpy(float)
    covariates = np.column_stack([treated, older, treated * older])
    reference = PHReg(rows["MONTHS"].to_numpy(), covariates, status=rows["EVENT"].to_numpy(), ties="breslow").fit()
    ours = sv.cox_log_likelihood(rows["MONTHS"], rows["EVENT"], covariates)
    assert ours == pytest.approx(reference.llf, abs=1e-8)
    assert sv.cox_log_likelihood(rows["MONTHS"], rows["EVENT"], treated) < ours
