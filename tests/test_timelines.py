"""Patient timelines, the censoring-convention figure, the data-cut time machine,
and the Kaplan-Meier curves and risk table they draw."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from matplotlib.figure import Figure

from icaria import data, published
from icaria import survival as sv
from icaria import timelines as tl
from icaria.plots import KaplanMeierPanel, kaplan_meier, km_median
from icaria.twin import adam, generate


@pytest.fixture(scope="module")
def files():
    return data.load("adsl"), data.load("adtte")


@pytest.fixture(scope="module")
def timelines(files):
    return tl.patient_timelines(*files)


def test_numpy_kaplan_meier_equals_lifelines():
    rng = np.random.default_rng(3)
    months = np.round(rng.exponential(10, 120), 1)
    events = rng.random(120) < 0.7
    step_times, survival, censored, heights = kaplan_meier(months, events)
    fitter = KaplanMeierFitter().fit(months, events)
    expected = fitter.survival_function_at_times(step_times).to_numpy()
    assert np.allclose(survival, expected)
    assert km_median(step_times, survival) == pytest.approx(fitter.median_survival_time_)
    assert np.allclose(heights, fitter.survival_function_at_times(censored).to_numpy())


def test_risk_table_counts_patients_still_followed(files):
    pfs = sv.endpoint(files[1], "PFS")
    figure = Figure(figsize=(8, 5))
    panel = KaplanMeierPanel(figure.add_subplot(), xmax=21, step=3, ylabel="PFS")
    medians = panel.update(pfs)
    for arm, texts in panel.counts.items():
        months = pfs.loc[pfs["TRT01P"] == arm, "MONTHS"]
        assert [int(t.get_text()) for t in texts] == [int((months >= tick).sum()) for tick in panel.ticks]
        assert medians[arm] == pytest.approx(sv.km_median(pfs, arm))


def test_every_kind_of_example_is_found_once(timelines):
    examples = tl.pick_examples(timelines)
    assert list(examples.index) == list(tl.EXAMPLE_RULES)
    assert examples.is_unique


def test_timelines_agree_with_the_rows(files, timelines):
    adsl, adtte = files
    os_rows = adtte[adtte["PARAMCD"] == "OS"].set_index("USUBJID")
    assert (timelines["DEATH"].notna() == (os_rows.loc[timelines.index, "CNSR"] == 0)).all()
    died = timelines.dropna(subset=["DEATH"])
    for column in ("PROGRESSION_IRC", "RESPONSE", "NEXT_TREATMENT"):
        assert (died[column].fillna(0) <= died["DEATH"] + 1e-9).all(), column


def test_no_progression_is_seen_after_death(files):
    """Time to progression censors a death at the last assessment before it."""
    adtte = files[1]
    ttp = adtte[adtte["PARAMCD"] == "TTP"].set_index("USUBJID")
    os_rows = adtte[adtte["PARAMCD"] == "OS"].set_index("USUBJID").loc[ttp.index]
    dead = os_rows["CNSR"] == 0
    assert (ttp.loc[dead, "AVAL"] <= os_rows.loc[dead, "AVAL"]).all()


def test_convention_figure_refuses_unknown_patient_or_endpoint(files):
    live = tl.convention_live(*files)
    with pytest.raises(ValueError, match="not one of the chapter's examples"):
        live.draw(live.figure, patient="TWIN-9999", convention="PFS")
    with pytest.raises(ValueError, match="Unknown endpoint"):
        live.draw(live.figure, patient=live.controls["patient"].value, convention="PFS2")


def test_convention_figure_draws_every_patient_and_endpoint(files):
    live = tl.convention_live(*files)
    live.on_change()
    for patient in [value for _, value in live.controls["patient"].options]:
        for _, code in live.controls["convention"].options:
            live.controls["patient"].value, live.controls["convention"].value = patient, code
            assert live.message.value == "", (patient, code, live.message.value)
    assert bytes(live.image.value).startswith(b"\x89PNG")


def test_time_machine_counts_equal_a_full_cut():
    twin = generate()
    for cutoff in ("2017-09-01", published.PRIMARY_CUTOFF, "2020-06-01"):
        full = adam.cut_at(twin, cutoff)["adtte"]
        for code, rows in tl.cut_twin(cutoff).items():
            expected = full[full["PARAMCD"] == code]
            assert len(rows) == len(expected) and rows["EVENT"].sum() == (expected["CNSR"] == 0).sum()


def test_events_by_calendar_date_match_each_cut():
    """Counted from the endpoint rules without building rows (adam.events_at): the events
    of the cut at every date the time machine offers."""
    for code, (dates, counts) in tl.events_by_date().items():
        assert (np.diff(counts) >= 0).all(), code
        for cutoff in tl.CUTOFF_DATES:
            assert counts[list(dates).index(np.datetime64(pd.Timestamp(cutoff)))] == \
                tl.cut_twin(cutoff)[code]["EVENT"].sum(), (code, cutoff)


def test_time_machine_offers_both_published_cuts_and_refuses_others():
    assert {published.PRIMARY_CUTOFF, published.FINAL_OS_CUTOFF} <= set(tl.CUTOFF_DATES)
    chart = tl.TimeMachineFigure()
    with pytest.raises(ValueError, match="not offered"):
        chart.draw(Figure(), cutoff="2030-01-01", endpoint="PFS")
    with pytest.raises(ValueError, match="Endpoint must be"):
        chart.draw(Figure(), cutoff=published.PRIMARY_CUTOFF, endpoint="DFS")


def test_time_machine_reaches_the_planned_deaths_at_the_final_cut():
    summary = tl.TimeMachineFigure().draw(Figure(figsize=(11, 4.8)), cutoff=published.FINAL_OS_CUTOFF,
                                          endpoint="OS").extra
    assert abs(summary["events"] - 220) <= 4
    assert summary["information fraction"] == pytest.approx(summary["events"] / 220)
