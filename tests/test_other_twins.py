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
