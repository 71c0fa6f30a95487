"""Public functions refuse arguments outside their range with a message that names the
argument, instead of returning a plausible wrong number."""

import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from icaria import (
    adverse_events,
    allocation,
    data,
    design,
    diagrams,
    ipcw,
    landmark,
    plots,
    population,
    regimens,
    timelines,
)
from icaria import survival as sv
from icaria.arguments import ArgumentError
from icaria.pfs import draw_forest

ADTTE = data.load("adtte")
PFS = sv.endpoint(ADTTE, "PFS")
OS = sv.endpoint(ADTTE, "OS")
RESPONDED = landmark.response_months_from(ADTTE)
TREATED = {"Isa-Pd": 152, "Pd": 149}


def incidence(**arguments):
    return lambda: adverse_events.incidence(data.load("adae"), **{"treated": TREATED, **arguments})

BAD_CALLS = {
    "allocation 1.5": (lambda: design.schoenfeld_events(0.6, allocation=1.5), r"allocation must lie in \(0, 1\)"),
    "allocation 0": (lambda: design.schoenfeld_events(0.6, allocation=0), r"allocation"),
    "hazard ratio 1": (lambda: design.schoenfeld_events(1.0), r"hazard_ratio must differ from 1"),
    "hazard ratio -0.6": (lambda: design.schoenfeld_events(-0.6), r"hazard_ratio must lie in \(0, inf\)"),
    "power 1.2": (lambda: design.schoenfeld_events(0.6, power=1.2), r"power must lie in \(0, 1\)"),
    "alpha 1.5 (events)": (lambda: design.schoenfeld_events(0.6, alpha_one_sided=1.5), r"alpha_one_sided"),
    "dropout -0.5": (lambda: design.expected_events(12, 13, 307, [6.5, 10.8], dropout_rate=-0.5),
                     r"dropout_rate must lie in \[0, inf\)"),
    "no patients": (lambda: design.expected_events(12, 13, 0, [6.5, 10.8]), r"patients must lie in"),
    "median 0": (lambda: design.expected_events(12, 13, 300, [0, 10.8]), r"median_by_arm"),
    "accrual 0": (lambda: design.expected_events(12, 0, 300, [6.5, 10.8]), r"accrual_months"),
    "spending at 1.7": (lambda: design.spending(1.7), r"fraction must lie in \[0, 1\]"),
    "spending alpha 0.7": (lambda: design.spending(0.5, alpha_one_sided=0.7), r"alpha_one_sided"),
    "boundaries decreasing": (lambda: design.boundaries([0.5, 0.4]), r"fractions must increase"),
    "boundaries past 1": (lambda: design.boundaries([0.5, 1.2]), r"fractions must lie in \(0, 1\]"),
    "power alpha 1.5": (lambda: design.simulated_power(0.6, 162, 150, 10, np.random.default_rng(1),
                                                       alpha_one_sided=1.5), r"alpha_one_sided"),
    "more events than patients": (lambda: design.simulated_power(0.6, 400, 150, 10, np.random.default_rng(1)),
                                  r"events must lie in"),
    "median of Placebo": (lambda: sv.median_with_ci(PFS, "Placebo"), r"No rows for arm 'Placebo'"),
    "km median of Placebo": (lambda: sv.km_median(PFS, "Placebo"), r"No rows for arm 'Placebo'"),
    "hazard ratio on no rows": (lambda: sv.cox_hr_ci(PFS.iloc[0:0]), r"No rows for arm"),
    "hazard ratio without Pd events": (lambda: sv.cox_hr_ci(PFS[(PFS["TRT01P"] == "Isa-Pd") | (PFS["EVENT"] == 0)]),
                                       r"No events in arm Pd"),
    "unknown spending family": (lambda: design.spending(0.5, family="haybittle"), r"Spending family"),
    "no simulated trials": (lambda: allocation.simulate("simple", trials=0), r"simulated trials must be a whole"),
    "20.5 patients": (lambda: allocation.simulate("simple", patients=20.5, trials=2), r"Enrolment \(patients\)"),
    "odd block size": (lambda: allocation.simulate("blocked", block_size=3, trials=2),
                       r"Block size must be an even number"),
    "grade 7": (incidence(min_grade=7), r"min_grade must be a whole number from 1 to 5"),
    "no treated patients": (incidence(treated={"Isa-Pd": 0, "Pd": 149}), r"treated\['Isa-Pd'\] must lie in"),
    "unknown adverse event": (incidence(terms=["Headache-x"]), r"'Headache-x' never appear in adae"),
    "landmark past follow-up": (lambda: landmark.landmark_groups(sv.endpoint(ADTTE, "OS"), {}, 100),
                                r"No patient is alive and followed beyond the landmark of 100 months"),
    "negative months": (lambda: plots.kaplan_meier([-1, 2, 3], [1, 0, 1]), r"months must lie in \[0, inf\)"),
    "event code 2": (lambda: plots.kaplan_meier([1, 2, 3], [2, 0, 1]), r"events must be 1 \(event\) or 0"),
    "months and events differ in length": (lambda: plots.kaplan_meier([1, 2, 3], [1, 0]), r"same length"),
    "unknown endpoint": (lambda: sv.endpoint(ADTTE, "pfs"), r"paramcd must be one of DOR, OS, PFS"),
    "cut before the trial": (lambda: timelines.cut_twin("1990-01-01"), r"cutoff must lie from 2017-01-10"),
    "cut after the final analysis": (lambda: timelines.cut_twin("2100-01-01"), r"cutoff must lie from"),
    "no cycles": (lambda: regimens.dosing_schedule("Isa-Pd", 0, "<75"), r"Number of cycles must be a whole"),
    "forest without columns": (lambda: draw_forest(Figure().subplots(), PFS), r"needs the columns label, hr"),
    "forest axis reversed": (lambda: draw_forest(Figure().subplots(), PFS.assign(label="", hr=1, low=1, high=1),
                                                 xlim=(2, 0.2)), r"xlim must be two positive hazard ratios"),
    "fewer screened than randomised": (lambda: diagrams.draw_consort(Figure().subplots(), population.consort_counts(
        data.load("adsl")), screened=0), r"screened must be a whole number from 307"),
    # issue 24: calls that gave a traceback deep in a library, or a silent answer
    "load(['adsl'])": (lambda: data.load(["adsl"]), r"Unknown dataset \['adsl'\]"),
    "endpoint of adsl": (lambda: sv.endpoint(data.load("adsl"), "PFS"),
                         r"adtte needs the column\(s\) PARAMCD, AVAL"),
    "km median in DAYS": (lambda: sv.km_median(PFS, "Pd", unit="DAYS"), r"unit must be one of MONTHS, AVAL"),
    "treated without Pd": (incidence(treated={"Isa-Pd": 152}), r"treated must give a value for each of .* 'Pd'"),
    "cut at 'not a date'": (lambda: timelines.cut_twin("not a date"),
                            r"cutoff must lie from 2017-01-10 .* 'not a date'"),
    "power as text": (lambda: design.schoenfeld_events(0.6, power="0.9"), r"power must be a number, not text"),
    "landmark NaN": (lambda: landmark.landmark_groups(OS, RESPONDED, np.nan), r"landmark must be a number of months"),
    "expected events at NaN months": (lambda: design.expected_events(np.nan, 13, 307, [6.5, 10.8]),
                                      r"months must lie in \[0, inf\); got nan"),
    "boundaries of no looks": (lambda: design.boundaries([]), r"fractions must hold at least one number"),
    # more of the same kind
    "data folder 123": (lambda: data.load("adsl", data_dir=123), r"data_dir must name a folder"),
    "cut as a list": (lambda: data.load("adsl", cut=["primary"]), r"Unknown data cut \['primary'\]"),
    "endpoint of a file name": (lambda: sv.endpoint("adtte", "PFS"), r"adtte must be a table \(pandas DataFrame\)"),
    "km median of all endpoints": (lambda: sv.km_median(ADTTE, "Pd"), r"rows .* needs the column\(s\) MONTHS, EVENT"),
    "cox of adsl": (lambda: sv.cox_hr_ci(data.load("adsl")), r"needs the column\(s\) MONTHS, EVENT, ISAPD"),
    "follow-up of adsl": (lambda: sv.reverse_km_median_follow_up(data.load("adsl")), r"needs the column\(s\) MONTHS"),
    "spending at '0.5'": (lambda: design.spending("0.5"), r"fraction must be a number, not text"),
    "expected events at -5 months": (lambda: design.expected_events(-5, 13, 307, [6.5, 10.8]), r"months must lie in"),
    "one median for two arms": (lambda: design.expected_events(12, 13, 307, 10.8), r"median_by_arm must be a list"),
    "no medians": (lambda: design.expected_events(12, 13, 307, []), r"median_by_arm must hold at least one number"),
    "no random generator": (lambda: design.simulated_power(0.6, 162, 150, 10, None), r"rng must be a random generator"),
    "162.5 events": (lambda: design.simulated_power(0.6, 162.5, 150, 10, np.random.default_rng(1)),
                     r"events must be a whole number"),
    "incidence of adsl": (lambda: adverse_events.incidence(data.load("adsl"), TREATED), r"adae needs the column"),
    "one term as a string": (incidence(terms="Anaemia"), r"terms must be a list of names, e\.g\. \['Anaemia'\]"),
    "landmark '3'": (lambda: landmark.landmark_groups(OS, RESPONDED, "3"), r"landmark must be a number, not text"),
    "landmark rows of adsl": (lambda: landmark.landmark_groups(data.load("adsl"), RESPONDED, 3),
                              r"os_rows .* needs the column\(s\) MONTHS, EVENT"),
    "no response months": (lambda: landmark.landmark_groups(OS, None, 3), r"response_months must give months"),
    "cut at None": (lambda: timelines.cut_twin(None), r"cutoff must lie from"),
    "timelines with swapped tables": (lambda: timelines.patient_timelines(ADTTE, data.load("adsl")),
                                      r"adsl needs the column\(s\) SAFFL"),
    "consort of adtte": (lambda: population.consort_counts(ADTTE), r"adsl needs the column\(s\) SAFFL, EOTSTT"),
    "table 1 of adtte": (lambda: population.table1_comparison(ADTTE), r"adsl needs the column\(s\) AGEGR1"),
    "ipcw with swapped tables": (lambda: ipcw.ipcw_hazard_ratio(ADTTE, data.load("adsl")),
                                 r"adsl needs the column\(s\) ISSENTRY, NTDARA"),
    # Calls that returned a plausible number before (issue: "Silent numbers").
    "log-rank with one missing time": (lambda: sv.stratified_logrank_one_sided(with_cell(PFS, 3, "MONTHS", np.nan)),
                                       r"rows: patient TWIN-\d+ has no time \(MONTHS is missing\)"),
    "hazard ratio with a negative time": (lambda: sv.cox_hr_ci(with_cell(PFS, 5, "MONTHS", -2.0)),
                                          r"has a negative time"),
    "median with EVENT 2": (lambda: sv.median_with_ci(with_cell(PFS, 0, "EVENT", 2), "Isa-Pd"),
                            r"has EVENT other than 0 or 1"),
    "hazard ratio of duplicated rows": (lambda: sv.cox_hr_ci(PFS.iloc[[*range(len(PFS)), 0, 1]]),
                                        r"patient TWIN-\d+ appears twice: an endpoint has one row per patient"),
    "log-rank, all censored": (lambda: sv.stratified_logrank_one_sided(PFS.assign(EVENT=0)),
                               r"No events in arm Isa-Pd: arms cannot be compared"),
    "log-rank of one arm": (lambda: sv.stratified_logrank_one_sided(PFS[PFS["TRT01P"] == "Pd"]),
                            r"No rows for arm 'Isa-Pd'; the rows hold Pd"),
    "stratified hazard ratio, a stratum missing": (lambda: sv.cox_hr_ci(with_cell(PFS, 7, "STRAT1R", np.nan)),
                                                   r"has no stratum"),
    "ties 'Efron' in the PH test": (lambda: sv.ph_score_test(PFS["MONTHS"], PFS["EVENT"], PFS["ISAPD"],
                                                             PFS["STRAT1R"], 0.5, ties="Efron"),
                                    r"ties must be one of efron, breslow; got 'Efron'"),
    "level 95": (lambda: sv.first_time_at_or_below(np.arange(3.0), np.ones(3), 95), r"level must lie in \(0, 1\)"),
    "negative tau": (lambda: sv.rmst_with_se(PFS["MONTHS"], PFS["EVENT"], -1), r"tau must lie in \(0, inf\)"),
    "RMST with a missing time": (lambda: sv.rmst_with_se([1.0, np.nan], [1, 0], 12),
                                 r"months must be numbers of at least 0 for every patient; position 1"),
    "a day-first cutoff": (lambda: timelines.cut_twin("11/10/2018"),
                           r"cutoff must lie from .* written year-month-day such as '2018-10-11'; got '11/10/2018' "
                           r"\(day and month in this order are ambiguous\)"),
}


def with_cell(rows, position, column, value):
    """``rows`` with one cell changed (row counted from 0)."""
    changed = rows.copy()
    changed.iloc[position, changed.columns.get_loc(column)] = value
    return changed


@pytest.mark.parametrize("case", BAD_CALLS)
def test_a_bad_call_names_the_argument(case):
    call, pattern = BAD_CALLS[case]
    with pytest.raises(ValueError) as raised:
        call()
    assert re.search(pattern, str(raised.value)), str(raised.value)
    assert isinstance(raised.value, ArgumentError), "a notebook would show a traceback, not the message alone"


def test_titles_use_the_values_passed():
    from matplotlib.figure import Figure

    from icaria.design_figures import SpendingFigure

    chart = SpendingFigure(alpha_one_sided=0.05)
    chart.draw(Figure())
    assert "0.05" in chart.artists["ax"].get_title(loc="left")


def test_a_notebook_shows_the_message_alone():
    """IPython calls ``_render_traceback_`` on an exception that has one: the package's
    errors show one line, the message, and no traceback through the package."""
    from icaria import plots
    from icaria.data import DataFileError

    with pytest.raises(ValueError) as raised:
        plots.kaplan_meier([-1, 2], [1, 0])
    assert raised.value._render_traceback_() == ["ArgumentError: months must lie in [0, inf); got [-1.0, 2.0]."]
    assert DataFileError("adsl.csv: file not found.")._render_traceback_() == [
        "DataFileError: adsl.csv: file not found."]
