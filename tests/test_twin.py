"""The simulated twin: file contract, exact counts, calibration tolerances,
determinism, and clear failures on damaged files."""

import json

import numpy as np
import pandas as pd
import pytest

from icaria import calibration, data, paths, published
from icaria.twin import CHECKSUMS, adam, checksums, generate, randomisation, write_files, write_twin
from icaria.twin.checks import exact_checks
from icaria.twin.outcomes import ASSESSMENT_INTERVAL

CUTS = ("primary", "final-os")
BEST_RESPONSES = set(published.BEST_RESPONSE_ORDER)
BOOK_DATA = paths.REPO_ROOT / "data"


@pytest.fixture(scope="module")
def cuts():
    return {cut: {name: data.load(name, cut=cut) for name in data.SCHEMAS} for cut in CUTS}


@pytest.mark.parametrize("cut", CUTS)
def test_every_file_loads_with_its_schema(cuts, cut):
    for name, table in cuts[cut].items():
        assert len(table), name
        assert set(table["TRT01P"]) == {"Isa-Pd", "Pd"}, name


@pytest.mark.parametrize("cut", CUTS)
def test_codes_and_keys(cuts, cut):
    adsl, adtte, adrs = cuts[cut]["adsl"], cuts[cut]["adtte"], cuts[cut]["adrs"]
    assert len(adsl) == 307 and adsl["USUBJID"].is_unique
    assert set(adsl["AGEGR1"]) == {"<65", "65-74", ">=75"} and set(adsl["SEX"]) == {"F", "M"}
    assert set(adsl["STRAT1R"]) == {"<75", ">=75"} and set(adsl["STRAT2R"]) == {"2-3", ">3"}
    assert ((adsl["AGEGR1"] == ">=75") == (adsl["STRAT1R"] == ">=75")).all()
    assert ((adsl["PRIORLINES"] > 3) == (adsl["STRAT2R"] == ">3")).all()
    assert set(adtte["CNSR"]) <= {0, 1} and (adtte["AVAL"] >= 1).all()
    assert set(adtte["PARAMCD"]) == set(adam.PARAMS)
    for code in ("PFS", "PFSINV", "OS", "TTP", "TTNT", "PFSNC", "PFSNT", "PFSINVSD"):
        assert adtte.loc[adtte["PARAMCD"] == code, "USUBJID"].is_unique and (adtte["PARAMCD"] == code).sum() == 307
    responders = set(adrs.loc[(adrs["PARAMCD"] == "BOR") & adrs["AVALC"].isin(["sCR", "CR", "VGPR", "PR"]), "USUBJID"])
    assert set(adtte.loc[adtte["PARAMCD"] == "DOR", "USUBJID"]) == responders
    assert set(adrs["AVALC"]) <= BEST_RESPONSES
    assert set(cuts[cut]["adae"]["AETOXGR"]) <= {1, 2, 3, 4, 5}
    assert set(cuts[cut]["adlb"]["ATOXGR"]) <= {0, 1, 2, 3, 4}
    assert set(cuts[cut]["adae"]["USUBJID"]) <= set(adsl.loc[adsl["SAFFL"] == "Y", "USUBJID"])


def test_every_column_is_in_the_data_dictionary(cuts):
    dictionary = (BOOK_DATA / "README.md").read_text(encoding="utf-8")
    for name, table in cuts["primary"].items():
        for column in table.columns:
            assert f"`{column}`" in dictionary, f"{name}.{column} is not documented in data/README.md"


def test_dates_follow_the_trial(cuts):
    adsl = cuts["primary"]["adsl"]
    assert adsl["RANDDT"].min() == pd.Timestamp("2017-01-10") and adsl["RANDDT"].max() == pd.Timestamp("2018-02-02")
    adt = pd.to_datetime(cuts["primary"]["adtte"]["ADT"])
    assert adt.max() <= pd.Timestamp(published.PRIMARY_CUTOFF)
    assert pd.to_datetime(cuts["final-os"]["adtte"]["ADT"]).max() <= pd.Timestamp(published.FINAL_OS_CUTOFF)


@pytest.mark.parametrize("cut", CUTS)
def test_every_published_count_is_exact(cuts, cut):
    checks = exact_checks(cuts[cut])
    wrong = checks[~checks["equal"]]
    assert wrong.empty, wrong.to_string()
    assert len(checks) >= 200


def test_ages_and_previous_lines_keep_to_the_published_ranges(cuts):
    """The EHA abstract gives ages 36-86 (whole trial): the twin's lie inside; Table 1
    gives 2-11 and 2-10 previous lines: the twin's span them."""
    adsl = cuts["primary"]["adsl"]
    low, high = published.AGE_RANGE
    assert low <= adsl["AGE"].min() and adsl["AGE"].max() <= high
    for arm, (low, high) in published.PRIOR_LINES_RANGE.items():
        lines = adsl.loc[adsl["TRT01P"] == arm, "PRIORLINES"]
        assert (lines.min(), lines.max()) == (low, high), arm


def test_randomisation_is_blocks_of_four_within_strata():
    allocation = pd.read_csv(BOOK_DATA / "allocation.csv")
    for _, stratum in allocation.groupby(["STRAT1R", "STRAT2R"]):
        stratum = stratum.sort_values("STRATUM_SEQ")
        for _, block in stratum.groupby("BLOCK"):
            if len(block) == 4:
                assert (block["TRT01P"] == "Isa-Pd").sum() == 2
            assert len(block) <= 4
        running = (stratum["TRT01P"] == "Isa-Pd").cumsum() - (stratum["TRT01P"] == "Pd").cumsum()
        assert running.abs().max() <= 2


def test_stratum_sizes_are_feasible_for_blocks():
    sizes = randomisation.stratum_sizes()
    for stratum in randomisation.STRATA:
        assert randomisation.feasible(sizes["Isa-Pd"][stratum], sizes["Pd"][stratum])


@pytest.fixture(scope="module")
def calibration_report(cuts):
    return calibration.report(calibration.measure(cuts["primary"], cuts["final-os"]))


def test_calibration_report_covers_every_target(calibration_report):
    assert set(calibration_report.index) == set(published.TWIN_TARGETS)
    assert calibration_report["twin"].notna().all()


def test_every_calibration_target_is_within_tolerance(calibration_report):
    failing = calibration_report.loc[~calibration_report["pass"], ["published", "twin", "tolerance"]]
    assert failing.empty, f"Calibration targets outside their tolerance:\n{failing.to_string()}"


def test_pfs_p_value_in_the_stated_range(calibration_report):
    low, high = calibration.P_VALUE_RANGE
    assert low <= calibration_report.loc["twin_pfs_p_two_sided", "twin"] <= high


def test_regenerating_gives_byte_identical_files(tmp_path):
    write_files(generate(), tmp_path)
    assert checksums(tmp_path) == checksums(BOOK_DATA)


def test_the_package_knows_the_checksums_of_the_committed_data():
    """A copy generated beside a lone notebook is checked against this list."""
    assert json.loads(CHECKSUMS.read_text(encoding="utf-8")) == checksums(BOOK_DATA)


def test_write_twin_says_whether_the_copy_is_the_books(tmp_path):
    assert write_twin(tmp_path / "copy") is True


def test_cut_before_enrolment_ends_has_fewer_patients():
    datasets = adam.cut_at(generate(), "2017-10-01")
    assert 0 < len(datasets["adsl"]) < 307
    assert (pd.to_datetime(datasets["adsl"]["RANDDT"]) <= pd.Timestamp("2017-10-01")).all()


def test_truncated_real_file_fails_with_file_and_column(tmp_path):
    text = (BOOK_DATA / "adtte.csv").read_text(encoding="utf-8")
    (tmp_path / "adtte.csv").write_text(text[: len(text) // 2].rsplit(",", 3)[0], encoding="utf-8")
    with pytest.raises(data.DataFileError, match=r"adtte\.csv: column \w+ is empty on line \d+"):
        data.load("adtte", data_dir=tmp_path)


def test_corrupted_real_file_fails_clearly(tmp_path):
    raw = bytearray((BOOK_DATA / "adsl.csv").read_bytes())
    raw[200:260] = b"\x00\xff" * 30
    (tmp_path / "adsl.csv").write_bytes(bytes(raw))
    with pytest.raises(data.DataFileError, match=r"adsl\.csv"):
        data.load("adsl", data_dir=tmp_path)


def test_twin_is_labelled_simulated_wherever_it_is_used():
    assert "simulated" in (BOOK_DATA / "README.md").read_text(encoding="utf-8").lower()
    for notebook in paths.NOTEBOOKS_DIR.glob("*.md"):
        text = notebook.read_text(encoding="utf-8")
        if any(use in text for use in ("data.load(", "generate(", "cut_twin(", "icaria.timelines")):
            assert "Simulated data" in text, f"{notebook.name} uses the twin without the simulated-data notice"


@pytest.mark.parametrize("cut, cutoff", [("primary", published.PRIMARY_CUTOFF),
                                         ("final-os", published.FINAL_OS_CUTOFF)])
def test_datasets_agree_with_each_other_as_a_cdisc_reviewer_checks(cuts, cut, cutoff):
    """Dates ordered within a patient and across datasets, no analysis date after the
    last date known alive, no event after death, treatment stop reasons consistent
    with outcomes, every responder's response before progression."""
    from icaria.twin.invariants import violations

    files = cuts[cut]
    broken = violations(files["adsl"], files["adtte"], files["adrs"], files["adae"], cutoff)
    assert broken.empty, broken.groupby("rule")["USUBJID"].apply(lambda ids: ", ".join(ids[:5])).to_string()


def test_each_cross_dataset_rule_is_named_and_fires(cuts):
    """RULES names every check, and breaking the data breaks the rule meant to catch it."""
    from icaria.twin.invariants import RULES, violations

    files = {name: table.copy() for name, table in cuts["primary"].items()}
    alive = files["adsl"].index[files["adsl"]["DTHFL"] == "N"][0]
    files["adsl"].loc[alive, "DCTREAS"] = "Death"
    pfs = files["adtte"].index[files["adtte"]["PARAMCD"] == "PFS"][0]
    files["adtte"].loc[pfs, "ADT"] = "2018-10-30"
    broken = violations(files["adsl"], files["adtte"], files["adrs"], files["adae"], published.PRIMARY_CUTOFF)
    assert set(broken["rule"]) <= set(RULES)
    assert {"stopped treatment for death but alive", "a date falls after the cutoff",
            "an analysis date after the last date known alive"} <= set(broken["rule"])


def test_a_response_after_further_therapy_started_is_caught(cuts):
    """No response is assessed once further anti-myeloma therapy starts: a first response
    dated on or after the start of further therapy (so after PFS was censored for it)
    breaks the rule, and the twin has none."""
    from icaria.twin.invariants import violations

    files = {name: table.copy() for name, table in cuts["primary"].items()}
    adtte = files["adtte"]
    rule = "a response after further anti-myeloma therapy started"
    responders = set(adtte.loc[adtte["PARAMCD"] == "TTR", "USUBJID"])
    started = adtte[(adtte["PARAMCD"] == "TTNT") & (adtte["CNSR"] == 0) & adtte["USUBJID"].isin(responders)]
    patient, start = started.iloc[0][["USUBJID", "ADT"]]
    ttr = adtte.index[(adtte["PARAMCD"] == "TTR") & (adtte["USUBJID"] == patient)]
    adtte.loc[ttr, "ADT"] = start
    broken = violations(files["adsl"], adtte, files["adrs"], files["adae"], published.PRIMARY_CUTOFF)
    assert patient in set(broken.loc[broken["rule"] == rule, "USUBJID"])


def test_daratumumab_goes_more_often_to_patients_with_a_better_prognosis():
    """The generator's switch to daratumumab needs a patient fit enough for more therapy:
    among patients who start further therapy, those given daratumumab have a lower
    latent log-hazard in each arm, and some switch after stopping for an adverse event."""
    latent = generate()["latent"]
    further = latent[np.isfinite(latent["NEXT_TREATMENT_DAY"])]
    for _, arm in further.groupby("TRT01P"):
        by_choice = arm.groupby("NEXT_IS_DARATUMUMAB")["LOG_HAZARD"].mean()
        assert by_choice[True] < by_choice[False]
    daratumumab = further[further["NEXT_IS_DARATUMUMAB"]]
    assert (daratumumab["TREATMENT_END_REASON"] == "Adverse event").any()


def test_a_responders_next_treatment_waits_for_the_assessment_recording_the_response():
    latent = generate()["latent"]
    responders = latent[latent["RESPONSE_DAY"].notna() & np.isfinite(latent["NEXT_TREATMENT_DAY"])]
    recorded = np.ceil(responders["RESPONSE_DAY"] / ASSESSMENT_INTERVAL) * ASSESSMENT_INTERVAL
    assert (responders["NEXT_TREATMENT_DAY"] > recorded).all()


# The twin's defects of issue 32: an event on the cutoff day left out of the cut, a patient
# "on treatment" whose last contact was years before the cut, adverse events after the
# end of treatment. Each is a rule of icaria.twin.invariants, checked at both cuts.
CUTOFFS = {"primary": published.PRIMARY_CUTOFF, "final-os": published.FINAL_OS_CUTOFF}
NEW_RULES = ("on treatment at the cutoff without a contact in the last 8 weeks",
             "an adverse event after treatment end and its safety follow-up")
# Students whose twins are checked: named ones, and a slice of 20 made-up IDs.
STUDENTS = ("alice", "bob", "carol", "s001", *(f"student-{n:03d}" for n in range(100, 120)))


@pytest.mark.parametrize("cut, later", [("primary", "final-os"), ("final-os", "for ever")])
def test_every_event_dated_on_or_before_the_cutoff_is_in_the_cut(cuts, cut, later):
    """An event of a later cut (or of the twin followed for ever) dated on or before this
    cut's cutoff, the cutoff day included, is the same event on the same date here."""
    from icaria.twin import FOLLOWED_FOR_EVER
    from icaria.twin.invariants import events_missed

    reference = (cuts[later]["adtte"] if later in cuts
                 else adam.cut_at(generate(), FOLLOWED_FOR_EVER)["adtte"])
    missed = events_missed(cuts[cut]["adtte"], reference, CUTOFFS[cut])
    assert missed.empty, missed[["USUBJID", "PARAMCD", "ADT"]].to_string()


def test_a_death_in_the_afternoon_of_the_cutoff_day_is_a_death_of_that_cut():
    """The latent death times are fractional days; cut on the date each falls on (its
    floor), the death is an event of that cut, dated that day."""
    twin = generate()
    base, latent = twin["base"], twin["latent"]
    deaths = latent.index[np.isfinite(latent["DEATH_DAY"]) & (latent["DEATH_DAY"] % 1 > 0)
                          & (latent["DEATH_DAY"] < latent["LOST_DAY"])][:12]
    assert len(deaths) == 12
    for row in deaths:
        date = base.loc[row, "RANDDT"] + pd.Timedelta(days=int(np.floor(latent.loc[row, "DEATH_DAY"])))
        os_rows = adam.endpoints_at(twin, date.strftime("%Y-%m-%d"), ["OS"]).set_index("USUBJID")
        patient = base.loc[row, "USUBJID"]
        assert os_rows.loc[patient, "CNSR"] == 0 and os_rows.loc[patient, "ADT"] == date.strftime("%Y-%m-%d")


@pytest.mark.parametrize("cut", CUTS)
def test_a_patient_on_treatment_was_seen_within_8_weeks_and_no_event_outlives_treatment(cuts, cut):
    """ONGOING at the cutoff means a last contact at most 8 weeks before it (Figure 1's
    definition of no recent contact; visits come every two weeks), and no adverse event
    starts after the last day of treatment (the twin draws every onset on a day of
    treatment; the rule allows the 30 days of the safety follow-up)."""
    adsl, adae = cuts[cut]["adsl"], cuts[cut]["adae"]
    ongoing = adsl[adsl["EOTSTT"] == "ONGOING"]
    gap = (pd.Timestamp(CUTOFFS[cut]) - pd.to_datetime(ongoing["LSTALVDT"])).dt.days
    assert gap.max() <= published.NO_RECENT_CONTACT_DAYS
    onset_limit = adae["USUBJID"].map(adsl.set_index("USUBJID")["TRTDURD"])
    assert (adae["ASTDY"] <= onset_limit).all()


def test_the_new_rules_fire_on_the_old_defects(cuts):
    """A patient left ONGOING after a loss to follow-up months before the cutoff, and an
    adverse event 31 days after the last day of treatment, break their rules."""
    from icaria.twin.invariants import violations

    files = {name: table.copy() for name, table in cuts["primary"].items()}
    adsl, adae = files["adsl"], files["adae"]
    ongoing = adsl.index[adsl["EOTSTT"] == "ONGOING"][0]
    adsl.loc[ongoing, "LSTALVDT"] = pd.Timestamp(published.PRIMARY_CUTOFF) - pd.Timedelta(days=57)
    adae.loc[0, "ASTDY"] = adsl.set_index("USUBJID").loc[adae.loc[0, "USUBJID"], "TRTDURD"] + 31
    broken = violations(adsl, files["adtte"], files["adrs"], adae, published.PRIMARY_CUTOFF)
    assert set(NEW_RULES) <= set(broken["rule"])
    assert adsl.loc[ongoing, "USUBJID"] in set(broken.loc[broken["rule"] == NEW_RULES[0], "USUBJID"])


@pytest.mark.parametrize("student", STUDENTS)
def test_students_twins_keep_the_cutoff_and_treatment_rules(student):
    """Every draw a student's twin may come from (here the first), not only the draw kept:
    no event on or before a cutoff left out, no patient on treatment without recent
    contact, no adverse event after treatment and its safety follow-up, at both cuts;
    and the student's own twin keeps every rule."""
    from icaria.twin import FOLLOWED_FOR_EVER, draw_seeds, keeps_invariants, student_twin
    from icaria.twin.invariants import events_missed, violations

    twin = generate(draw_seeds(student, 0))
    cutoffs = (published.PRIMARY_CUTOFF, published.FINAL_OS_CUTOFF, FOLLOWED_FOR_EVER)
    datasets = [adam.cut_at(twin, cutoff) for cutoff in cutoffs]
    for cutoff, cut, later in zip(cutoffs, datasets, datasets[1:]):
        broken = violations(cut["adsl"], cut["adtte"], cut["adrs"], cut["adae"], cutoff)
        assert not set(broken["rule"]) & set(NEW_RULES), broken.to_string()
        assert events_missed(cut["adtte"], later["adtte"], cutoff).empty
    assert keeps_invariants(student_twin(student))
