"""The chapters' words about the twin's results stay true of the committed data.

Prose cannot compute, so where a chapter describes a twin result in words ("close",
"shrinks", "a little lower"), a test here checks it; regenerating the twin with
other seeds or parameters then cannot silently make the text wrong.
"""

import pytest

from icaria import data, design
from icaria import survival as sv
from icaria.landmark import landmark_groups, responder_hazard_ratio, response_months_from


@pytest.fixture(scope="module")
def primary():
    return {name: data.load(name) for name in ("adsl", "adtte", "adae")}


def test_os_is_about_45_percent_of_its_deaths_at_the_primary_cut(primary):
    """Chapter 5: 'overall survival is still young (about 45% of its deaths)'."""
    deaths = sv.endpoint(primary["adtte"], "OS")["EVENT"].sum()
    assert 0.40 <= deaths / 220 <= 0.50


def test_stratified_and_unstratified_pfs_results_are_close(primary):
    """Chapter 7: 'Stratified and unstratified results are close here'."""
    pfs = sv.endpoint(primary["adtte"], "PFS")
    stratified, unstratified = sv.cox_hr_ci(pfs, True)[0], sv.cox_hr_ci(pfs, False)[0]
    assert abs(stratified - unstratified) < 0.03
    assert max(sv.logrank_one_sided(pfs, True), sv.logrank_one_sided(pfs, False)) < 0.005


def test_interim_os_does_not_come_close_to_its_boundary(primary):
    """Chapter 9: 'Neither the twin nor the trial came close' to p < 0.0008."""
    overall = sv.endpoint(primary["adtte"], "OS")
    _, boundary = design.boundaries([overall["EVENT"].sum() / 220])
    assert sv.logrank_one_sided(overall) > 10 * boundary[0]


def test_a_landmark_shrinks_the_apparent_benefit_of_responding(primary):
    """Chapter 9: at a 3-month landmark 'the apparent benefit of responding shrinks'."""
    overall = sv.endpoint(primary["adtte"], "OS")
    response = response_months_from(primary["adtte"])
    naive = responder_hazard_ratio(landmark_groups(overall, response, 0))[0]
    landmark = responder_hazard_ratio(landmark_groups(overall, response, 3))[0]
    assert naive < landmark < 1


def test_final_os_medians_are_about_seven_months_apart():
    """Chapter 9's figure text: the Isa-Pd curve reaches one half about 7 months later."""
    final_os = sv.endpoint(data.load("adtte", "final-os"), "OS")
    assert 6 <= sv.km_median(final_os, "Isa-Pd") - sv.km_median(final_os, "Pd") <= 8


def test_serious_event_rate_per_patient_year_is_a_little_lower_with_isapd(primary):
    """Chapter 10: 'in the twin the rate per patient-year is even a little lower with Isa-Pd'."""
    treated = primary["adsl"][primary["adsl"]["SAFFL"] == "Y"]
    years = treated.groupby("TRT01P")["TRTDURD"].sum() / 365.25
    serious = primary["adae"][primary["adae"]["AESER"] == "Y"].groupby("TRT01P").size()
    rate = serious / years
    assert rate["Isa-Pd"] < rate["Pd"] < 1.2 * rate["Isa-Pd"]


def test_ipcw_moves_the_twin_hazard_ratio_further_below_one():
    """Chapter 9: censoring at daratumumab moves 'the twin's adjusted hazard ratio further
    below 1 than its ITT one' (values as the executed chapter recorded them)."""
    from icaria import scorecard

    values = scorecard.collect()
    assert values["ipcw_hr"] < values["twin_os_hr"] < 1
