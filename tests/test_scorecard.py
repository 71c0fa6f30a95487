"""The registry is well formed, statuses follow the rules, and the committed
scorecard equals what the executed chapters compute."""

import csv
import io

import pytest

from icaria import paths, scorecard
from icaria.published import (
    BASES,
    BY_ID,
    CHAPTERS,
    PAPER_INCONSISTENCIES,
    PUBLISHED,
    ROUTES,
    TWIN_TARGETS,
    Published,
    calibration_targets,
    chapter_page,
)


def test_registry_ids_are_unique_and_complete():
    assert len(BY_ID) == len(PUBLISHED)
    for entry in PUBLISHED:
        assert entry.basis in BASES and entry.route in ROUTES, entry.id
        assert entry.chapter in CHAPTERS, entry.id
        assert entry.source and entry.quantity, entry.id
        assert entry.route != "emergent" or "Not a calibration target" in entry.note, (
            f"{entry.id}: a twin row needs a tolerance, or a note that it is not a calibration target")
        assert bool(entry.inconsistent) == (entry.expected is not None), entry.id


@pytest.mark.parametrize("basis, tolerance, route", [
    ("exact", None, "exact"), ("twin", 0, "built"), ("twin", 0.5, "calibrated"), ("twin", None, "emergent")])
def test_route_follows_basis_and_tolerance(basis, tolerance, route):
    assert Published(id="x", chapter="07-progression-free-survival", quantity="q", value=1.0, decimals=1,
                     source="s", basis=basis, tolerance=tolerance).route == route


def entry(value=0.596, decimals=3, tolerance=0.02, inconsistent="", expected=None):
    return Published(id="x", chapter="01-trial-at-a-glance", quantity="q", value=value, decimals=decimals,
                     source="s", basis="twin", tolerance=tolerance, inconsistent=inconsistent, expected=expected)


def test_chapter_ids_are_the_pages_of_the_table_of_contents():
    """A chapter's id is its page's name; every chapter with published numbers is in
    _toc.yml, in the same reading order: every numbered chapter page, then the audit
    pages of "How the numbers were checked" that show published numbers."""
    import yaml

    toc = yaml.safe_load((paths.REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [chapter["file"] for part in toc["parts"] if part.get("numbered") for chapter in part["chapters"]]
    audit = [chapter["file"] for part in toc["parts"] if part["caption"] == "How the numbers were checked"
             for chapter in part["chapters"]]
    shown = [chapter_page(chapter) for chapter in CHAPTERS]
    assert shown[:len(pages)] == pages
    assert shown[len(pages):] == [page for page in audit if page in shown[len(pages):]]


def test_every_calibration_target_is_shown_by_its_chapter():
    """Each target has a section, and its chapter shows that section's targets: it asks
    the registry for them, or (a value the chapter computes itself) names the id."""
    for key, target in TWIN_TARGETS.items():
        assert target.section, key
        source = (paths.REPO_ROOT / f"{chapter_page(target.chapter)}.md").read_text(encoding="utf-8")
        asks = f'calibration_targets(\n    "{target.chapter}", "{target.section}"' in source or (
            f'calibration_targets("{target.chapter}", "{target.section}")' in source)
        assert asks or f'"{key}"' in source, f"{key}: not shown in {target.chapter}"


def test_asking_for_an_unknown_section_names_it():
    with pytest.raises(KeyError, match="no such section"):
        calibration_targets("07-progression-free-survival", "no such section")


@pytest.mark.parametrize("book, expected", [
    (0.5964, "match"), (0.5955, "match"), (0.5954, "within"), (0.616, "within"), (0.6161, "off"),
])
def test_status_rules(book, expected):
    assert scorecard.status_of(entry(), book) == expected


def test_half_rounds_up_as_printed():
    assert scorecard.status_of(entry(value=0.6, decimals=1, tolerance=None), 0.55) == "match"
    assert scorecard.status_of(entry(value=2.8, decimals=1, tolerance=None), 2.75) == "match"


@pytest.mark.parametrize("value, decimals, printed", [
    (19.46, 0, 20), (21.48, 0, 22), (36.84, 0, 37), (19.44, 0, 19), (0.27749, 3, 0.278), (0.2774, 3, 0.277)])
def test_the_paper_rounds_to_one_more_decimal_first(value, decimals, printed):
    assert scorecard.paper_round(value, decimals) == printed


def test_twin_number_without_tolerance_is_not_calibrated_unless_equal():
    uncalibrated = entry(value=13.90, decimals=2, tolerance=None)
    assert scorecard.status_of(uncalibrated, 15.61) == "not-calibrated"
    assert scorecard.status_of(uncalibrated, 13.904) == "match"


def test_a_limit_never_reached_is_shown_as_such():
    row = scorecard.scorecard_row(entry(value=15.2, decimals=1, tolerance=None), float("nan"))
    assert (row["book"], row["difference"], row["status"]) == ("not reached", "", "not-calibrated")


def test_paper_inconsistent_needs_the_books_value_to_be_what_the_counts_give():
    flagged = entry(value=153, decimals=0, tolerance=None, inconsistent="sums to 152", expected=152)
    assert scorecard.status_of(flagged, 152) == "paper-inconsistent"
    assert scorecard.status_of(flagged, 151) == "off", "a flag must not hide a wrong book value"


def test_a_tolerance_of_zero_is_shown():
    table = scorecard.comparison_table({"randomised_isapd": 154, "mrd_negative_isapd": 8})
    assert list(table["tolerance"]) == ["", "±0"]


def test_unknown_id_is_refused():
    with pytest.raises(KeyError, match="not in the published registry"):
        scorecard.comparison_table({"no_such_number": 1})


def test_committed_scorecard_is_fresh():
    for path, text in scorecard.generated_files().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run python -m icaria.scorecard"


def committed_rows():
    with open(paths.SCORECARD_CSV, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_scorecard_columns_and_one_row_per_published_number():
    rows = committed_rows()
    assert list(rows[0]) == scorecard.CSV_COLUMNS
    assert [row["id"] for row in rows] == [entry.id for entry in PUBLISHED]


def test_exact_numbers_match_the_paper():
    for row in committed_rows():
        if row["route"] == "exact":
            assert row["status"] in ("match", "paper-inconsistent"), row
            assert row["status"] != "paper-inconsistent" or row["note"], row


def test_twin_numbers_are_within_tolerance():
    """Every twin number with a tolerance (the calibration targets and the counts the
    twin was built to contain) is inside it; emergent ones are shown as not
    calibrated, never as off."""
    for row in committed_rows():
        if row["route"] in ("built", "calibrated"):
            assert row["status"] in ("match", "within"), row
        elif row["route"] == "emergent":
            assert row["status"] in ("match", "not-calibrated"), row


def test_first_chapter_numbers_equal_the_paper_exactly():
    rows = {row["id"]: row for row in committed_rows()}
    expected = {"randomised_isapd": "154", "randomised_pd": "153", "randomised_total": "307",
                "strata_count": "4", "cycle_length_days": "28", "isa_infusions_cycle1": "4",
                "isa_infusions_later_cycle": "2", "pom_days_per_cycle": "21", "dex_doses_per_cycle": "4",
                "dex_dose_under75_mg": "40", "dex_dose_75plus_mg": "20", "pom_dose_mg": "4",
                "isa_dose_mg_per_kg": "10"}
    for key, value in expected.items():
        assert rows[key]["book"] == value and rows[key]["difference"] == "0", rows[key]


def test_every_exact_number_and_count_matches_the_paper():
    """Exact recomputations and counts (tolerance 0) equal the printed value, unless the
    paper is flagged as inconsistent with itself."""
    for row in committed_rows():
        entry = BY_ID[row["id"]]
        if entry.route in ("exact", "built"):
            assert row["status"] in ("match", "paper-inconsistent"), row


def test_paper_inconsistencies_are_the_known_ones():
    flagged = {row["id"] for row in committed_rows() if row["status"] == "paper-inconsistent"}
    assert flagged == set(PAPER_INCONSISTENCIES) == {
        "orr_odds_ratio_low", "table3_pd_total", "os_interim_p_one_sided", "table4_percent_infusion_reaction_isapd",
        "table1_percent_mmtype_other_isapd", "table3_percent_npd_pd"}


def test_every_printed_percentage_of_tables_1_and_3_is_a_row():
    rows = {row["id"] for row in committed_rows()}
    assert sum(row.startswith("table1_percent_") for row in rows) == 60
    assert sum(row.startswith("table3_percent_") for row in rows) == 19


def test_a_value_printed_as_below_a_bound():
    below_one = Published("x", "response", "q", 1, 0, "s", "exact", below=True)
    assert scorecard.status_of(below_one, 0.65) == "match"
    assert scorecard.status_of(below_one, 1.95) == "off"
    assert scorecard.scorecard_row(below_one, 0.65)["published"] == "<1"


def test_no_summary_adds_routes_together():
    """The README and the scorecard page count each route on its own row."""
    page = paths.SCORECARD_PAGE.read_text(encoding="utf-8")
    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for text in (page, readme):
        for route in ROUTES:
            assert f"| `{route}` |" in text, route
        assert "| **all** |" not in text


def test_critical_reading_page_lists_every_inconsistency_of_the_scorecard():
    """The page "Reading the paper critically" is generated from the scorecard rows:
    every flagged row is on it with the book's value, and nothing else is flagged."""
    page = paths.CRITICAL_READING_PAGE.read_text(encoding="utf-8")
    rows = {row["id"]: row for row in committed_rows()}
    for key, (check, _) in PAPER_INCONSISTENCIES.items():
        assert rows[key]["status"] == "paper-inconsistent", key
        line = next(line for line in page.splitlines() if scorecard.markdown_cell(check) in line)
        assert f"| {rows[key]['book']} |" in line, key


def test_double_rounding_lesson_uses_the_papers_rule():
    """Each example of the rounding lesson is a number that one rounding gets wrong and
    the paper's two-step rounding gets right (diarrhoea Pd: 29 of 149 = 19.46 -> 20)."""
    examples = scorecard.double_rounding_rows(committed_rows())
    assert {entry.id for entry, _, _ in examples} >= {"table4_percent_diarrhoea_pd", "table4_percent_fatigue_pd"}
    for entry, book, once in examples:
        assert once != entry.value and scorecard.paper_round(book, entry.decimals) == entry.value


def test_critical_reading_says_the_rounding_rule_is_inferred_and_counts_its_fit():
    """The page calls the paper's two-step rounding inferred, with the number of printed
    percentages each rule explains; Table 4's thrombocytopenia grade 3 (22 of 152 =
    14.47%, printed 15%) is one the inferred rule explains and rounding once does not;
    and the ISS-at-entry columns that add to 151 and 150 say what the book fills in."""
    page = paths.CRITICAL_READING_PAGE.read_text(encoding="utf-8")
    percentages, two_step, once = scorecard.rounding_rule_counts(scorecard.collect())
    assert two_step > once and percentages - two_step <= 3
    assert "inferred" in page and f"Of the {percentages} printed percentages" in page
    assert f"{two_step} follow from their counts under this rule" in " ".join(page.split())
    examples = {entry.id for entry, _, _ in scorecard.double_rounding_rows(committed_rows())}
    assert "table4_percent_plat_grade_3_isapd" in examples
    for arm, printed_sum in (("Isa-Pd", 151), ("Pd", 150)):
        assert f"ISS stage at study entry, {arm}: the printed categories add up to {printed_sum} of" in page
    assert 'the book adds "Unknown" for the other 3' in page


def test_published_numbers_are_shown_as_the_paper_prints_them():
    """The scorecard's published column has exactly the printed decimals: 48.0, not
    48.000; 0.0008, not 0.000800."""
    rows = {row["id"]: row for row in csv.DictReader(paths.SCORECARD_CSV.open(encoding="utf-8"))}
    for key, row in rows.items():
        entry = scorecard.lookup(key)
        text = row["published"].lstrip("<")
        places = len(text.partition(".")[2])
        assert places == entry.decimals and float(text) == entry.value, (key, row["published"], entry.decimals)


def test_every_twin_estimate_names_the_sas_or_r_default_it_follows():
    """A twin number that is not a built count names its estimator and the software
    default it follows (the paper used SAS; the book is checked against R)."""
    for entry in PUBLISHED:
        if entry.basis == "twin" and entry.tolerance != 0 and entry.id not in ESTIMATOR_FREE_COUNTS:
            assert "SAS" in entry.note or "R's" in entry.note, entry.id
    for entry in PUBLISHED:
        if entry.basis == "twin" and ("hazard ratio" in entry.quantity and "IPCW" not in entry.quantity):
            assert "Breslow" in entry.note and "PHREG" in entry.note, entry.id


# Counts, and a rate of counts, have no estimator to name.
ESTIMATOR_FREE_COUNTS = {key for key, entry in BY_ID.items()
                         if entry.basis == "twin" and entry.decimals == 0 and "median" not in entry.quantity
                         and "quartile" not in entry.quantity and "days" not in entry.quantity} | {
    "sae_rate_isapd", "sae_rate_pd"}


def test_scorecard_cox_rows_are_breslow_as_sas_computes_them():
    """The scorecard's Cox rows are SAS PROC PHREG's default fit (Breslow ties): the
    chapters' recorded values equal survival.cox_hr_ci with Breslow ties on the data."""
    from icaria import calibration, data
    from icaria import survival as sv

    adtte, final = data.load("adtte"), data.load("adtte", "final-os")
    values = scorecard.collect()
    fits = {"pfs": sv.endpoint(adtte, "PFS"), "pfsinv": sv.endpoint(adtte, "PFSINV"),
            "os": sv.endpoint(adtte, "OS"), "ttnt": sv.endpoint(adtte, "TTNT"),
            "final_os": sv.endpoint(final, "OS")}
    for prefix, rows in fits.items():
        _, low, high, _ = sv.cox_hr_ci(rows, ties="breslow")
        assert values[f"{prefix}_hr_ci_low"] == pytest.approx(low, rel=1e-9), prefix
        assert values[f"{prefix}_hr_ci_high"] == pytest.approx(high, rel=1e-9), prefix
    assert values["twin_pfs_hr"] == pytest.approx(calibration.cox_hr(fits["pfs"]), rel=1e-9)
    assert calibration.cox_hr(fits["pfs"]) != pytest.approx(sv.stratified_cox_hr(fits["pfs"]), rel=1e-6)


def test_the_printed_pfs_p_values_are_read_as_two_sided_as_chapter_one_does():
    """Issue 25 item 11: the abstract's p = 0.001 is read as two-sided everywhere, so the
    scorecard compares it (and the investigators' 0.0009) with two-sided p-values."""
    assert not [key for key in BY_ID if key.startswith(("twin_pfs_p", "pfsinv_p")) and "one_sided" in key]
    for key in ("twin_pfs_p_two_sided", "pfsinv_p_two_sided"):
        assert "two-sided" in BY_ID[key].quantity


@pytest.mark.parametrize("value, decimals, printed", [
    (0.45, 2, "0.45"), (90.7, 1, "90.7"), (-1.6, 1, "-1.6"), (0.5956, 3, "0.5956"), (155.0, 0, "155"),
    (12.0, 1, "12.0"), (-0.00004, 2, "0.00"), (float("nan"), 1, "not reached"),
])
def test_book_values_are_printed_without_padding(value, decimals, printed):
    """Two more places than the paper's where they carry digits; no zeros padding the end
    (0.4500, 90.700) and no minus sign on a zero."""
    assert scorecard.format_number(value, decimals) == printed


def test_no_book_value_on_the_scorecard_is_padded():
    for row in csv.DictReader(io.StringIO((paths.REPO_ROOT / "book" / "scorecard.csv").read_text(encoding="utf-8"))):
        for column in ("book", "difference"):
            text = row[column]
            if "." in text and len(text.split(".")[1]) > len(row["published"].split(".")[-1]):
                assert not text.endswith("0"), (row["id"], column, text)
