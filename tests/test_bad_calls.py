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


# ---------------------------------------------------------------------------
# Issue 33: every public analysis function a chapter calls, with the bad calls a careful
# tester tries. The calls are the probe's (scripts/probe_data_faults.py, one place for
# them); each must give one message naming the argument and the rule. Before this change
# 53 of them returned a number silently and 32 ended in a traceback deep in a library.

def probe_module():
    import importlib.util

    from icaria.paths import REPO_ROOT

    spec = importlib.util.spec_from_file_location("probe_data_faults", REPO_ROOT / "scripts" / "probe_data_faults.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ISSUE33_MESSAGES = {
    'km_median: a missing time': r"rows: patient TWIN-0004 has no time \(MONTHS is missing\) \(1 row\(s\) in all\)\.",
    "median_with_ci: method 'LOG-LOG'": r"method must be one of log-log, log, linear; got 'LOG-LOG'\.",
    'median_with_ci: empty rows': r"No rows for arm 'Pd'; the rows hold none\.",
    "cox_hr_ci: ties 'Efron'": r"ties must be one of efron, breslow; got 'Efron'\.",
    "cox_hr_ci: stratified 'yes'": r"stratified must be True or False; got 'yes'\.",
    'cox_hr_ci: Pd without events': r"No events in arm Pd: arms cannot be compared \(a hazard ratio or a log-rank",
    'cox_hr_ci: one arm': r"No rows for arm 'Isa-Pd'; the rows hold Pd\.",
    'cox_hr_ci: a negative time': r"rows: patient TWIN-0006 has a negative time \(1 row\(s\) in all\)\.",
    'stratified_cox_hr: all censored': r"No events in arm Isa-Pd: arms cannot be compared \(a hazard ratio or a",
    'logrank_one_sided (unstratified): one arm': r"No rows for arm 'Isa-Pd'; the rows hold Pd\.",
    'logrank_one_sided: all censored': r"No events in arm Isa-Pd: arms cannot be compared \(a hazard ratio or a",
    'logrank_two_sided: duplicated patients':
        r"rows: patient TWIN-0001 appears twice: an endpoint has one row per patient",
    'logrank_two_sided: empty rows': r"No rows for arm 'Isa-Pd'; the rows hold none\.",
    'hazard_ratios_by_ties: rows, not a dict': r"endpoints must be a dict of endpoint name -> rows \(from",
    'hazard_ratios_by_ties: Pd without events':
        r"No events in arm Pd: arms cannot be compared \(a hazard ratio or a log-rank",
    'reverse_km_median_follow_up: a missing time':
        r"rows: patient TWIN-0004 has no time \(MONTHS is missing\) \(1 row\(s\) in all\)\.",
    'reverse_km_follow_up_quartiles: empty rows': r"rows has no rows; an analysis needs at least one\.",
    'reverse_km_follow_up_quartiles: duplicated':
        r"rows: patient TWIN-0001 appears twice: an endpoint has one row per patient",
    'endpoint: empty adtte': r"adtte has no rows; an analysis needs at least one\.",
    "endpoint: 'Pfs'": r"paramcd must be one of DOR, OS, PFS, PFSINV, PFSINVSD, PFSNC, PFSNT, TTNT,",
    'rmst_with_se: tau 0': r"tau must lie in \(0, inf\); got 0\.0\.",
    'rmst_with_se: tau nan': r"tau must lie in \(0, inf\); got nan\.",
    "rmst_with_se: tau '15'": r"tau must be a number, not text; got '15'\.",
    'rmst_with_se: tau past the last follow-up':
        r"tau must be at most the last follow-up time \(17\.51 months\): past it the",
    'km_steps: a missing time': r"months must be numbers of at least 0 for every patient; position 1 has nan\.",
    'km_steps: a negative time': r"months must be numbers of at least 0 for every patient; position 1 has",
    'km_steps: EVENT 2': r"events must be 0 \(censored\) or 1 \(event\) for every patient; got \[2\.0\]\.",
    'km_steps: no patients': r"months must hold at least one number; got an empty list\.",
    "km_confidence: method 'Log'": r"method must be one of log-log, log, linear; got 'Log'\.",
    'km_confidence: a missing time': r"months must be numbers of at least 0 for every patient; position 1 has nan\.",
    'km_confidence: lengths differ': r"months and events must be as long as each other; got 3 and 2\.",
    'km_at: at -1': r"at must lie in \[0, inf\); got -1\.0\.",
    'km_at: at nan': r"at must lie in \[0, inf\); got nan\.",
    "km_at: at '12'": r"at must be a number, not text; got '12'\.",
    'km_quantile: level 50': r"level must lie in \(0, 1\); got 50\.0\.",
    'km_quantile: level nan': r"level must lie in \(0, 1\); got nan\.",
    'km_quantile: times and curve differ in length':
        r"step_times, curve must be as long as each other; got step_times \d+, curve \d+\.",
    'median_ci_from_band: level 95': r"level must lie in \(0, 1\); got 95\.0\.",
    'median_ci_from_band: not a band': r"band must be the four arrays km_confidence returns \(times, survival,",
    'first_time_at_or_below: level 0': r"level must lie in \(0, 1\); got 0\.0\.",
    'ph_score_test: a missing time': r"months must be numbers of at least 0 for every patient; position 3 has nan\.",
    "ph_score_test: transform 'KM'": r"transform must be one of km, rank, identity; got 'KM'\.",
    'ph_score_test: beta nan': r"beta must lie in \(-inf, inf\); got nan\.",
    'ph_score_test: one arm (a constant covariate)':
        r"covariate takes one value \(1\) in every row \(one arm only\?\): there is",
    'ph_score_test: all censored': r"events: no events \(every row censored\): there is nothing to test\.",
    'weighted_cox: stop before start': r"start and stop must be times with 0 <= start < stop for every row;",
    'weighted_cox: negative weights':
        r"weights must lie in \[0, inf\); got \[-1\.0, -1\.0, -1\.0, -1\.0, -1\.0\] among",
    'weighted_cox: Pd without events': r"No events where covariate is 0: the hazard ratio cannot be estimated \(one",
    'weighted_cox: a missing time': r"start and stop must be times with 0 <= start < stop for every row;",
    "cox_by_group: ties 'Breslow'": r"ties must be one of breslow, efron; got 'Breslow'\.",
    'cox_by_group: a group without events': r"No events where covariate is 0 in group 0: the hazard ratio cannot be",
    'cox_by_group: a missing time': r"months must be numbers of at least 0 for every patient; position 3 has nan\.",
    'cox_log_likelihood: collinear covariates':
        r"covariates: the 2 columns are collinear \(one is constant or a combination",
    'cox_log_likelihood: all censored': r"event: no events \(every row censored\): a Cox model needs at least one\.",
    'cox_log_likelihood: a negative time': r"months must be numbers of at least 0 for every patient; position 5 has",
    'cox_log_likelihood: covariates of another length':
        r"covariates must be numbers, one row per patient \(307\); got 306 values\.",
    'km_with_risk_table: step 0': r"step must lie in \(0, inf\); got 0\.0\.",
    'km_with_risk_table: xmax -5': r"xmax must lie in \(0, inf\); got -5\.0\.",
    'km_with_risk_table: a missing time': r"rows: patient TWIN-0004 has no time \(MONTHS is missing\)",
    'km_with_risk_table: duplicated patients': r"rows: patient TWIN-0001 appears twice: an endpoint has one row per",
    "spending: family 'Pocock'": r"Spending family must be 'obrien-fleming' or 'pocock'; got 'Pocock'\.",
    "boundaries: family 'OBrien-Fleming'":
        r"Spending family must be 'obrien-fleming' or 'pocock'; got 'OBrien-Fleming'\.",
    'boundaries: alpha 2.5 (a percentage)': r"alpha_one_sided must lie in \(0, 0\.5\); got 2\.5\.",
    'schoenfeld_events: power 90': r"power must lie in \(0, 1\); got 90\.0\.",
    'simulated_power: 0 trials': r"trials must lie in \(0, inf\); got 0\.0\.",
    'expected_events: a median nan': r"median_by_arm must lie in \(0, inf\); got \[6\.5, nan\]\.",
    'drift: events -1': r"events must lie in \(0, inf\); got -1\.0\.",
    'drift: allocation 50': r"allocation must lie in \(0, 1\); got 50\.0\.",
    'conditional_power: fraction 85': r"fraction must lie in \(0, 1\); got 85\.0\.",
    'futility_z: threshold 10': r"threshold must lie in \(0, 1\); got 10\.0\.",
    "alphas_after: 'pfs' (case)": r"'pfs' is not a hypothesis still in the graph: \['ORR', 'OS', 'PFS'\]\.",
    'graph_rejects: a p-value missing': r"p_values must give a value for each of 'PFS', 'ORR', 'OS'; missing 'OS'\.",
    'graph_rejects: p 5': r"p_values\['PFS'\] must lie in \[0, 1\]; got 5\.0\.",
    'ipcw_hazard_ratio: empty adsl': r"adsl has no rows; an analysis needs at least one\.",
    'ipcw_hazard_ratio: a patient twice in adsl':
        r"adsl: patient TWIN-0001 appears twice: the table has one row per USUBJID",
    'ipcw_hazard_ratio: a patient twice in adtte':
        r"adtte: patient TWIN-0001 appears twice: the table has one row per USUBJID",
    'ipcw_hazard_ratio: a missing OS time':
        r"adtte's OS rows: patient TWIN-0001 has no time \(AVAL is missing\) \(1 row\(s\)",
    'person_months: lag -1': r"lag must lie in \[0, inf\); got -1\.0\.",
    'person_months: lag nan': r"lag must lie in \[0, inf\); got nan\.",
    'person_months: adtte without TTNT': r"adtte: 307 patient\(s\) of adsl have no TTNT row \(for example TWIN-0001,",
    'switchers: tables swapped': r"adsl needs the column\(s\) ISSENTRY, NTDARA; this table has USUBJID, TRT01P,",
    'stabilised_weights: adsl': r"months \(from ipcw\.person_months\) needs the column\(s\) start, stop, isapd,",
    'stabilised_weights: nobody switches':
        r"months: switch is 0 in every row, so no model of switching can be fitted",
    'censored_cox: weights of another length':
        r"start, stop, event, covariate, weights, strata, clusters must be as long",
    'censored_cox: negative weights':
        r"weights must lie in \[0, inf\); got \[-1\.0, -1\.0, -1\.0, -1\.0, -1\.0\] among",
    'censored_cox: no deaths': r"event: no events \(every row censored\): a Cox model needs at least one\.",
    'with_robust_ci: level 95': r"level must lie in \(0, 1\); got 95\.0\.",
    'with_robust_ci: a fit of two numbers':
        r"fit must be the \(log HR, model-based SE, robust SE\) that censored_cox",
    'bootstrap_hazard_ratios: 0 replicates': r"replicates must be a whole number from 1 to 100000; got 0\.",
    'bootstrap_hazard_ratios: 2.5 replicates': r"replicates must be a whole number from 1 to 100000; got 2\.5\.",
    'landmark_groups: a missing time':
        r"os_rows: patient TWIN-0004 has no time \(MONTHS is missing\) \(1 row\(s\) in",
    'landmark_groups: duplicated patients': r"os_rows: patient TWIN-0001 appears twice: an endpoint has one row per",
    'landmark_groups: a negative response time':
        r"response_months must lie in \[0, inf\); got \[-1\.0\] among others\.",
    'responder_hazard_ratio: adsl': r"rows \(from landmark_groups\) needs the column\(s\) MONTHS, EVENT, responder;",
    'responder_hazard_ratio: collinear (everyone a responder)':
        r"No deaths among the non-responders \(responder 0\): the hazard ratio cannot",
    'responder_hazard_ratio: a missing time':
        r"rows: patient TWIN-0001 has no time \(MONTHS is missing\) \(1 row\(s\) in all\)\.",
    'response_months_from: adsl': r"adtte needs the column\(s\) PARAMCD, AVAL, CNSR; this table has USUBJID,",
    "response_summary: method 'Wilson'": r"Interval method must be one of beta, wilson, jeffreys, normal; got",
    "response_summary: depth 'pr'": r"Depth must be one of sCR, CR, VGPR, PR, MR, SD, NPD, PD, UPD, NE; got 'pr'\.",
    "responders_at_least: 'vgpr'": r"Depth must be one of sCR, CR, VGPR, PR, MR, SD, NPD, PD, UPD, NE; got",
    "incidence: min_grade '3'": r"min_grade must be a whole number from 1 to 5; got '3'\.",
    'incidence: empty adae': r"adae has no rows; an analysis needs at least one\.",
    'incidence: fewer treated than patients with the term':
        r"treated\['Isa-Pd'\] is 5, but \d+ Isa-Pd patients have an adverse event in",
    'incidence: a term twice for a patient':
        r"adae: patient TWIN-0001 appears twice: the table has one row per USUBJID",
    'incidence: 152.5 treated': r"treated\['Isa-Pd'\] must be a whole number from 1 to 1e\+06; got 152\.5\.",
    "sort_table: order 'Difference'": r"Sort order must be one of difference, Isa-Pd, term; got 'Difference'\.",
    'sort_table: a table without the columns':
        r"table \(from incidence\) needs the column\(s\) term, % Isa-Pd, difference;",
    'consort_counts: ITTFL missing': r"adsl needs the column\(s\) ITTFL; this table has USUBJID, TRT01P, SAFFL,",
    'consort_counts: empty adsl': r"adsl has no rows; an analysis needs at least one\.",
    'consort_counts: a patient twice': r"adsl: patient TWIN-0001 appears twice: the table has one row per USUBJID",
    "consort_counts: arm 'isa-pd'": r"adsl: TRT01P must hold the arms Isa-Pd, Pd \(each at least once\); it holds",
    'table1_comparison: empty adsl': r"adsl has no rows; an analysis needs at least one\.",
    'table1_comparison: a patient twice': r"adsl: patient TWIN-0001 appears twice: the table has one row per USUBJID",
    "simulate: scheme 'Simple'": r"Scheme must be one of simple, blocked, stratified blocks; got 'Simple'\.",
    'simulate: rng 1': r"rng must be a random generator, e\.g\. np\.random\.default_rng\(1\); got 1\.",
    'right_guesses: block size 0': r"Block size must be an even number of at least 2; got 0\.",
    'right_guesses: assignments of 2':
        r"assignments must be rows of 0 \(Pd\) and 1 \(Isa-Pd\), one row per simulated",
    'right_guesses: one list, not rows':
        r"assignments must be rows of 0 \(Pd\) and 1 \(Isa-Pd\), one row per simulated",
    "cut_twin: '10/11/2018'": r"cutoff must lie from 2017-01-10 to 2022-01-27, written year-month-day such",
    "cut_twin: '2018-13-01'": r"cutoff must lie from 2017-01-10 to 2022-01-27 \(a date such as",
    "cut_twin: '11.10.2018'": r"cutoff must lie from 2017-01-10 to 2022-01-27, written year-month-day such",
    'cut_twin: 20181011': r"cutoff must lie from 2017-01-10 to 2022-01-27 \(a date such as",
    'patient_timelines: a patient twice in adtte':
        r"adtte: patient TWIN-0001 appears twice: the table has one row per USUBJID",
    'patient_timelines: empty adtte': r"adtte: 307 patient\(s\) of adsl have no OS row \(for example TWIN-0001,",
    'patient_timelines: adtte without OS': r"adtte: 307 patient\(s\) of adsl have no OS row \(for example TWIN-0001,",
    'pick_examples: adsl': r"timelines \(from patient_timelines\) needs the column\(s\) PFS_EVENT,",
    "dosing_schedule: arm 'isa-pd'": r"Arm must be one of Isa-Pd, Pd; got 'isa-pd'\.",
    'dosing_schedule: 4.0 cycles': r"Number of cycles must be a whole number from 1 to 12; got 4\.0\.",
    'simulate_ghs: tables swapped': r"adsl needs the column\(s\) TRTDURD; this table has USUBJID, TRT01P, STRAT1R,",
    'simulate_ghs: an unknown model parameter':
        r"model: unknown parameter\(s\) 'slope'; the model has seed, baseline_mean,",
    'simulate_ghs: a patient twice': r"os_rows: patient TWIN-0001 appears twice: the table has one row per",
    'simulate_ghs: answered 1.5': r"model\['answered_on_treatment'\] must lie in \[0, 1\]; got 1\.5\.",
    'p_value: 1.5': r"p must lie in \[0, 1\]; got 1\.5\.",
    'p_value: -0.01': r"p must lie in \[0, 1\]; got -0\.01\.",
    "shown: 'abc'": r"value must be a number, not text; got 'abc'\.",
    'shown_table: decimals -1': r"decimals must be a whole number from 0 to 15; got -1\.",
    'shown_table: a p column that is not there': r"p_columns: 'p' not in the table's columns \(x\)\.",
    'shown_rows: fewer decimals than rows': r"decimals must give one number of decimals per row \(2\); got 1\.",
}


@pytest.fixture(scope="module")
def issue33_calls():
    return probe_module().issue33_calls()


def test_every_probe_case_of_issue_33_has_its_message_here(issue33_calls):
    assert set(issue33_calls) == set(ISSUE33_MESSAGES)


@pytest.mark.parametrize("case", ISSUE33_MESSAGES)
def test_a_bad_call_of_a_chapter_function_gives_one_message(case, issue33_calls):
    with pytest.raises(ArgumentError) as raised:
        issue33_calls[case]()
    message = str(raised.value)
    assert re.search(ISSUE33_MESSAGES[case], message), message
    assert "\n" not in message and raised.value._render_traceback_() == [f"ArgumentError: {message}"]
