"""The chapters' words about the twin's results stay true of the committed data.

Prose cannot compute, so where a chapter describes a twin result in words ("close",
"shrinks", "a little lower"), a test here checks it; regenerating the twin with
other seeds or parameters then cannot silently make the text wrong.
"""

import json
import re

import pytest

from icaria import data, design, paths
from icaria import survival as sv
from icaria.landmark import landmark_groups, responder_hazard_ratio, response_months_from
from icaria.scorecard import recorded_values


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


def test_ipcw_interval_uses_the_robust_variance_and_excludes_one():
    """With the robust (sandwich) variance summed by patient, as R and SAS compute it,
    the twin's IPCW interval stays below 1 (lifelines' robust option gave 0.39-1.05)."""
    values = recorded_values(paths.NOTEBOOKS_DIR / "09-overall-survival.ipynb")
    assert values["ipcw_hr_ci_low"] < values["ipcw_hr"] < values["ipcw_hr_ci_high"] < 1
    text = (paths.NOTEBOOKS_DIR / "09-overall-survival.md").read_text(encoding="utf-8")
    assert "stays below 1" in text and "robust (sandwich) variance" in text


def test_expected_events_alt_text_names_the_months_the_code_computes():
    notebook = json.loads((paths.NOTEBOOKS_DIR / "03-sample-size-and-interim-looks.ipynb").read_text(encoding="utf-8"))
    glued = {output["metadata"]["scrapbook"]["name"]: output["data"]
             for cell in notebook["cells"] for output in cell.get("outputs", [])
             if "scrapbook" in output.get("metadata", {})}
    months = [int(glued[name]["application/papermill.record/text/plain"]) for name in ("reach_pfs", "reach_os")]
    source = (paths.NOTEBOOKS_DIR / "03-sample-size-and-interim-looks.md").read_text(encoding="utf-8")
    alt = re.search(r"alt: Two rising curves.*?\n---", source, re.S).group(0)
    assert [int(m) for m in re.findall(r"around month (\d+)", alt)] == months


CORRECTED_CLAIMS = [
    # (file, wrong wording that must not come back, why)
    ("book/glossary.md", "lower risk of the event", "a hazard ratio compares hazards, not risks"),
    ("book/glossary.md", "patients are censored at it", "censoring is at the last assessment or contact"),
    ("book/glossary.md", "drops by the share", "the curve is multiplied by (1 - d/n)"),
    ("notebooks/07-progression-free-survival.md", "*any* difference", "log-rank is the Cox score test"),
    ("notebooks/07-progression-free-survival.md", "because randomisation balanced",
     "stratified and unstratified agree because the strata are weakly prognostic"),
    ("notebooks/07-progression-free-survival.md", "no subgroup truly benefits more or less",
     "a constant effect on the latent scale is not constant on the HR scale"),
    ("notebooks/02-how-the-twin-was-built.md", "the same treatment effect in every subgroup",
     "a constant effect on the latent scale is not constant on the HR scale"),
    ("notebooks/02-how-the-twin-was-built.md", "every printed percentage unchanged",
     "Pd NPD 2/153 is 1.3%, printed 2%"),
    ("data/README.md", "keeps every printed percentage", "Pd NPD 2/153 is 1.3%, printed 2%"),
    ("notebooks/05-endpoints-and-censoring.md", "has its planned events", "the twin has fewer than 162 PFS events"),
    ("notebooks/09-overall-survival.md", "0.0247 once the interim look has spent its alpha",
     "a second interim look (Oct 2020) lowers the final boundary"),
]


@pytest.mark.parametrize("path, wrong, why", CORRECTED_CLAIMS)
def test_corrected_claims_stay_corrected(path, wrong, why):
    text = " ".join((paths.REPO_ROOT / path).read_text(encoding="utf-8").split())
    assert wrong not in text, f"{path}: '{wrong}' is wrong ({why})"


def test_twin_pfs_events_fall_short_of_the_planned_162(primary):
    """Chapter 5 says the twin's PFS is close to, not at, its planned events."""
    events = sv.endpoint(primary["adtte"], "PFS")["EVENT"].sum()
    assert 150 <= events < 162


def test_final_os_boundary_with_the_second_interim_look_is_between_0020_and_0024():
    """Chapter 9: 'the final boundary lies between about 0.020 and 0.024' for a second
    look at 60% to 90% of the deaths."""
    finals = [design.boundaries([99 / 220, share, 1.0])[1][2] for share in (0.6, 0.7, 0.8, 0.9)]
    assert 0.0195 <= min(finals) and max(finals) <= 0.0245 < design.boundaries([99 / 220, 1.0])[1][1]


def test_twin_cytogenetic_subgroups_land_in_the_other_order_than_the_paper():
    """Chapter 7: 'in the twin they land in the other order' (paper: high 0.66, standard 0.62)."""
    values = recorded_values(paths.NOTEBOOKS_DIR / "07-progression-free-survival.ipynb")
    assert values["subgroup_hr_cytorisk_high"] < values["subgroup_hr_cytorisk_standard"]
