"""The package code behind the population, PFS, response and safety chapters."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.utils import median_survival_times
from matplotlib.figure import Figure

from icaria import data, published
from icaria import survival as sv
from icaria.adverse_events import dot_plot_live, incidence, sort_table
from icaria.pfs import PfsFigure, pfs_live
from icaria.population import consort_counts, table1_comparison


@pytest.fixture(scope="module")
def files():
    return {name: data.load(name) for name in ("adsl", "adtte", "adae")}


def test_consort_counts_add_up(files):
    for arm, counts in consort_counts(files["adsl"]).items():
        assert counts["randomised"] == counts["treated"] + counts["not treated"]
        assert counts["treated"] == counts["ongoing"] + counts["discontinued"]
        assert counts["discontinued"] == sum(counts[r] for r in ("Progressive disease", "Adverse event", "Death",
                                                                 "Other"))
        assert counts["treated"] == published.TREATED[arm]


def test_every_printed_table1_count_is_compared_and_equal(files):
    comparison = table1_comparison(files["adsl"])
    assert (comparison["difference"] == 0).all(), comparison[comparison["difference"] != 0]
    assert set(comparison["id"]) <= set(published.BY_ID)


def test_loglog_median_interval_equals_lifelines(files):
    pfs = sv.endpoint(files["adtte"], "PFS")
    for arm in ("Isa-Pd", "Pd"):
        rows = pfs[pfs["TRT01P"] == arm]
        fitter = KaplanMeierFitter().fit(rows["MONTHS"], rows["EVENT"])
        low, high = median_survival_times(fitter.confidence_interval_).to_numpy()[0]
        median, our_low, our_high = sv.median_with_ci(pfs, arm)
        assert median == pytest.approx(fitter.median_survival_time_)
        assert our_low == pytest.approx(low)
        assert (np.isnan(our_high) and np.isinf(high)) or our_high == pytest.approx(high)


def test_unknown_interval_method_is_refused():
    with pytest.raises(ValueError, match="log-log"):
        sv.km_confidence([1, 2, 3], [1, 0, 1], method="arcsine")


def test_cox_interval_contains_its_estimate_and_matches_reference(files):
    pfs = sv.endpoint(files["adtte"], "PFS")
    hr, low, high, p = sv.cox_hr_ci(pfs)
    assert low < hr < high and 0 < p < 1
    assert hr == pytest.approx(sv.stratified_cox_hr(pfs))
    unstratified = CoxPHFitter().fit(pfs[["MONTHS", "EVENT", "ISAPD"]], "MONTHS", "EVENT")
    assert sv.cox_hr_ci(pfs, stratified=False)[0] == pytest.approx(unstratified.hazard_ratios_["ISAPD"])


def test_pfs_figure_draws_every_view_and_refuses_bad_values(files):
    live = pfs_live(files["adtte"])
    for name, control in live.controls.items():
        for _, value in control.options:
            control.value = value
            assert "Cannot draw" not in live.message.value, (name, value, live.message.value)
    chart = PfsFigure(files["adtte"])
    with pytest.raises(ValueError, match="Assessment"):
        chart.draw(Figure(), assessment="PFS2")
    with pytest.raises(ValueError, match="CI method"):
        chart.draw(Figure(), method="arcsine")


def test_incidence_counts_patients_at_their_worst_grade(files):
    treated = {"Isa-Pd": 152, "Pd": 149}
    table = incidence(files["adae"], treated, min_grade=1).set_index("term")
    for term, by_arm in published.TABLE4_ADVERSE_EVENTS.items():
        if term in table.index:
            assert table.loc[term, "n Isa-Pd"] == by_arm["Isa-Pd"][0]
            assert table.loc[term, "n Pd"] == by_arm["Pd"][0]
    assert (table["low"] <= table["difference"]).all() and (table["difference"] <= table["high"]).all()


def test_dot_plot_sort_orders_and_bad_input(files):
    treated = {"Isa-Pd": 152, "Pd": 149}
    table = incidence(files["adae"], treated)
    assert sort_table(table, "difference")["difference"].is_monotonic_increasing
    with pytest.raises(ValueError, match="Sort order"):
        sort_table(table, "colour")
    live = dot_plot_live(files["adae"], files["adsl"])
    live.controls["min_grade"].value = 3
    assert bytes(live.image.value).startswith(b"\x89PNG") and live.message.value == ""


def test_follow_up_quartiles_equal_lifelines_reverse_km(files):
    import warnings

    overall = sv.endpoint(files["adtte"], "OS")
    fitter = KaplanMeierFitter().fit(overall["MONTHS"], 1 - overall["EVENT"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = [fitter.percentile(share) for share in (0.75, 0.5, 0.25)]
    assert sv.reverse_km_follow_up_quartiles(overall) == pytest.approx(expected)
