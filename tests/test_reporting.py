"""The chapter on regulators and reporting: its registry of regulators' statements, the
interaction test it shows, and its simulated quality-of-life variable."""

import html
import re

import nbformat
import pandas as pd
import pytest
from lifelines import CoxPHFitter
from scipy.stats import chi2
from statsmodels.duration.hazard_regression import PHReg

from icaria import data, published, reporting
from icaria import survival as sv
from icaria.paths import REPO_ROOT

CHAPTER = "14-regulators-and-reporting"
TEXT = (REPO_ROOT / "notebooks" / f"{CHAPTER}.md").read_text(encoding="utf-8")
FACTS = list(published.REGULATORY.values())


def prose(text):
    """The chapter's text outside code cells and front matter."""
    text = re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)
    return text.split("---", 2)[-1]


def test_every_regulatory_fact_names_a_stored_page_it_was_read_on():
    assert len({fact.id for fact in FACTS}) == len(FACTS)
    for fact in FACTS:
        assert fact.body and fact.quantity, fact.id
        assert fact.source in published.REGULATORY_SOURCES.values(), fact.id
        assert re.search(r"https://\S+", fact.source), fact.id
        assert fact.value not in ("", None), fact.id
        if isinstance(fact.value, float):
            assert fact.decimals is not None, fact.id


def test_a_number_in_both_registries_is_the_same_number():
    """One place for each fact: a regulator's number that is also a published or
    calibration value of the book equals it."""
    linked = [fact for fact in FACTS if fact.registry]
    assert len(linked) >= 8
    for fact in linked:
        assert published.BY_ID[fact.registry].value == pytest.approx(fact.value, abs=1e-12), fact.id


def test_every_regulatory_fact_is_shown_by_the_chapter():
    notebook = nbformat.read(REPO_ROOT / "notebooks" / f"{CHAPTER}.ipynb", as_version=4)
    shown = " ".join(
        html.unescape(output.get("data", {}).get("text/html", ""))
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    for fact in FACTS:
        assert fact.quantity in shown, fact.id


def test_no_regulators_number_is_typed_into_the_chapters_prose():
    """Numbers of the label and the HTA documents reach the page from the registry only."""
    text = prose(TEXT)
    for fact in FACTS:
        if isinstance(fact.value, float) and fact.decimals:
            assert f"{fact.value:.{fact.decimals}f}" not in text, fact.id
        elif isinstance(fact.value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", fact.value):
            assert fact.value not in text, fact.id


def test_the_exact_rows_follow_from_the_printed_numbers():
    hr = published.BY_ID["twin_pfs_hr"].value
    assert round(100 * (1 - hr), 1) == published.BY_ID["chmp_risk_reduction_percent"].value
    for arm, key in (("Isa-Pd", "final_daratumumab_percent_isapd"), ("Pd", "final_daratumumab_percent_pd")):
        with_daratumumab, treated = published.FINAL_SUBSEQUENT_DARATUMUMAB[arm]
        assert round(100 * with_daratumumab / treated, 1) == published.BY_ID[key].value


@pytest.fixture(scope="module")
def patients():
    pfs = sv.endpoint(data.load("adtte"), "PFS")
    rows = pfs.merge(data.load("adsl")[["USUBJID"]], on="USUBJID")
    rows["OLD"] = (rows["STRAT1R"] == ">=75").astype(int)
    return rows


def test_the_chapters_likelihood_ratio_test_equals_the_books_reference(patients):
    """statsmodels' PHReg (Breslow ties), as the chapter calls it, against the book's own
    partial likelihood (icaria.survival.cox_log_likelihood): equal to 1e-6."""
    x = patients[["ISAPD", "OLD"]].assign(PRODUCT=patients["ISAPD"] * patients["OLD"])
    full = PHReg(patients["MONTHS"], x, status=patients["EVENT"]).fit()
    reduced = PHReg(patients["MONTHS"], x[["ISAPD", "OLD"]], status=patients["EVENT"]).fit()
    ours = [sv.cox_log_likelihood(patients["MONTHS"], patients["EVENT"], cols.to_numpy())
            for cols in (x, x[["ISAPD", "OLD"]])]
    assert full.llf == pytest.approx(ours[0], abs=1e-6)
    assert reduced.llf == pytest.approx(ours[1], abs=1e-6)
    p = chi2.sf(2 * (full.llf - reduced.llf), df=1)
    assert p == pytest.approx(chi2.sf(2 * (ours[0] - ours[1]), df=1), abs=1e-6)


def test_lifelines_interaction_model_equals_statsmodels_with_efron_ties(patients):
    x = patients[["ISAPD", "OLD"]].assign(PRODUCT=patients["ISAPD"] * patients["OLD"])
    fitted = CoxPHFitter().fit(pd.concat([patients[["MONTHS", "EVENT"]], x], axis=1),
                               duration_col="MONTHS", event_col="EVENT")
    reference = PHReg(patients["MONTHS"], x, status=patients["EVENT"], ties="efron").fit()
    assert fitted.params_.to_numpy() == pytest.approx(reference.params, abs=1e-5)
    assert fitted.standard_errors_.to_numpy() == pytest.approx(reference.bse, abs=1e-5)


@pytest.fixture(scope="module")
def qol():
    adsl = data.load("adsl")
    os_rows = sv.endpoint(data.load("adtte"), "OS")
    return reporting.simulate_ghs(adsl, os_rows), adsl, os_rows


def test_the_simulated_scores_are_seeded_and_on_the_questionnaires_scale(qol):
    scores, adsl, os_rows = qol
    pd.testing.assert_frame_equal(scores, reporting.simulate_ghs(adsl, os_rows))
    assert scores["GHS_TRUE"].between(0, 100).all()
    assert not scores.equals(reporting.simulate_ghs(adsl, os_rows, {"seed": 7}))


def test_no_score_is_collected_after_death_or_the_second_visit_off_treatment(qol):
    scores, adsl, os_rows = qol
    rows = scores.merge(adsl[["USUBJID", "TRTDURD"]], on="USUBJID").merge(
        os_rows[["USUBJID", "AVAL"]], on="USUBJID")
    assert (rows["DAY"] <= rows["AVAL"]).all()
    off = rows[~rows["ON_TREATMENT"]].sort_values("DAY")
    order = off.groupby("USUBJID").cumcount()
    assert off.loc[order >= 2, "GHS"].isna().all()
    assert off.loc[order < 2, "GHS"].notna().any()
    on = rows[rows["ON_TREATMENT"]]
    assert 0.85 < on["GHS"].notna().mean() < 0.95


@pytest.mark.kit
def test_the_checklists_have_every_item():
    items = [item for item, _, _ in reporting.CONSORT_2010]
    assert len(items) == len(set(items)) == 37
    assert {str(n) for n in range(1, 26)} <= {re.sub(r"[ab]$", "", item) for item in items}
    assert len(reporting.CONSORT_HARMS_2004) == 10
    assert len(reporting.SUBGROUP_CREDIBILITY) == 11
    key = (REPO_ROOT / "instructor" / "consort-key.md").read_text(encoding="utf-8")
    for item in items + [item for item, _, _ in reporting.CONSORT_HARMS_2004]:
        assert re.search(rf"^\| {item} \| (yes|partly|no|not applicable) \|", key, re.M), item
