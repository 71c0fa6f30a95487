"""Bad data never yields a plausible wrong number: each corrupted copy of a real file
fails on load with one message that names the file, the column or rows, and the rule.

Each case edits one committed file the way an instructor, a student or a spreadsheet
might, then loads it. An honest edit (one more Pd progression) must load and change
the numbers."""

import csv
import re
import shutil

import pandas as pd
import pytest

from icaria import data, paths
from icaria import survival as sv

BOOK_DATA = paths.REPO_ROOT / "data"


def lines_of(name):
    return (BOOK_DATA / f"{name}.csv").read_text(encoding="utf-8").splitlines(keepends=True)


def set_cell(name, column, row, value):
    """Lines of ``name`` with one cell (row counted from 0 after the header) replaced."""
    table = pd.read_csv(BOOK_DATA / f"{name}.csv", dtype=str, keep_default_na=False)
    table.loc[row, column] = value
    return table.to_csv(index=False, lineterminator="\n")


def rename_header(name, old, new):
    text = "".join(lines_of(name))
    header, rest = text.split("\n", 1)
    return header.replace(old, new) + "\n" + rest


def swap_headers(name, first, second):
    text = "".join(lines_of(name))
    header, rest = text.split("\n", 1)
    return header.replace(first, "@").replace(second, first).replace("@", second) + "\n" + rest


def first_pfs_row():
    return int(pd.read_csv(BOOK_DATA / "adtte.csv", usecols=["PARAMCD"])["PARAMCD"].eq("PFS").idxmax())


CASES = {
    # name: (file, corrupted text, pattern the message must match)
    "censoring flag 2": ("adtte", lambda: set_cell("adtte", "CNSR", 0, "2"),
                         r"adtte\.csv: column CNSR should hold one of 0 or 1, but line 2 has '2'"),
    "negative analysis value": ("adtte", lambda: set_cell("adtte", "AVAL", 3, "-14"),
                                r"column AVAL should hold a whole number from 0 .* line 5 has '-14'"),
    "AVAL and CNSR headers swapped": ("adtte", lambda: swap_headers("adtte", "AVAL", "CNSR"),
                                      r"column (CNSR|AVAL) should hold"),
    "file cut at a line end": ("adtte", lambda: "".join(lines_of("adtte")[:1276]),
                               r"adtte\.csv: parameter \w+ has \d+ patients, \d+ fewer than the file names"),
    "file cut inside a line": ("adtte", lambda: "".join(lines_of("adtte"))[:150_000],
                               r"adtte\.csv: (column \w+ is empty on line \d+|parameter|cannot be read as CSV|"
                               r"column \w+ should hold .*, but line \d+ has )"),   # a text cut short
    "duplicated row": ("adtte", lambda: "".join(lines_of("adtte") + lines_of("adtte")[1:2]),
                       r"adtte\.csv: lines 2 and \d+ both describe USUBJID TWIN-0001, PARAMCD PFS"),
    "lower-case parameter code": ("adtte", lambda: set_cell("adtte", "PARAMCD", 0, "pfs"),
                                  r"column PARAMCD should hold one of 'PFS' or .* line 2 has 'pfs'"),
    "strata column dropped": ("adtte", lambda: rename_header("adtte", "STRAT1R", "STRAT1"),
                              r"adtte\.csv: missing column\(s\) STRAT1R"),
    "a decimal number of days": ("adtte", lambda: set_cell("adtte", "AVAL", 0, "12.5"),
                                 r"column AVAL should hold a whole number"),
    "date in another format": ("adtte", lambda: set_cell("adtte", "ADT", 0, "22/12/2017"),
                               r"column ADT should hold a date \(YYYY-MM-DD\), but line 2 has '22/12/2017'"),
    "age -5": ("adsl", lambda: set_cell("adsl", "AGE", 0, "-5"), r"adsl\.csv: column AGE should hold a number from 18"),
    "sex X": ("adsl", lambda: set_cell("adsl", "SEX", 4, "X"), r"column SEX should hold one of 'F' or 'M', but line 6"),
    "adsl cut to 250 patients": ("adsl", lambda: "".join(lines_of("adsl")[:251]),
                                 r"adsl\.csv: holds \d+ Isa-Pd and \d+ Pd patients; the trial randomised 154 Isa-Pd"),
    "patient twice in adsl": ("adsl", lambda: "".join(lines_of("adsl") + lines_of("adsl")[5:6]),
                              r"adsl\.csv: lines 6 and 309 both describe USUBJID TWIN-0005"),
    "cytogenetic risk column dropped": ("adsl", lambda: rename_header("adsl", "CYTORISK", "CYTO"),
                                        r"missing column\(s\) CYTORISK"),
    "unknown stratum": ("adsl", lambda: set_cell("adsl", "STRAT1R", 0, "<70"), r"column STRAT1R should hold one of"),
    "unknown stop reason": ("adsl", lambda: set_cell("adsl", "DCTREAS", 0, "Relapse"), r"column DCTREAS should hold"),
    "response code XR": ("adrs", lambda: set_cell("adrs", "AVALC", 0, "XR"),
                         r"adrs\.csv: column AVALC should hold one"),
    "response twice": ("adrs", lambda: "".join(lines_of("adrs") + lines_of("adrs")[1:2]), r"both describe USUBJID"),
    "adverse-event grade 7": ("adae", lambda: set_cell("adae", "AETOXGR", 0, "7"),
                              r"adae\.csv: column AETOXGR should hold a whole number from 1 to 5, but line 2 has '7'"),
    "adverse-event flag yes": ("adae", lambda: set_cell("adae", "AESER", 0, "yes"), r"column AESER should hold Y or N"),
    "laboratory grade 9": ("adlb", lambda: set_cell("adlb", "ATOXGR", 0, "9"), r"adlb\.csv: column ATOXGR"),
    "unknown laboratory parameter": ("adlb", lambda: set_cell("adlb", "PARAMCD", 0, "WBC"), r"column PARAMCD"),
    "Placebo in the allocation list": ("allocation", lambda: set_cell("allocation", "TRT01P", 0, "Placebo"),
                                       r"allocation\.csv: column TRT01P should hold Isa-Pd or Pd"),
    "allocation block 0": ("allocation", lambda: set_cell("allocation", "BLOCK", 0, "0"), r"column BLOCK"),
    "patient twice in the allocation list": ("allocation", lambda: "".join(lines_of("allocation") + lines_of(
        "allocation")[1:2]), r"allocation\.csv: lines 2 and \d+ both describe USUBJID TWIN-0001"),
    "a patient adsl does not know": ("adtte", lambda: set_cell("adtte", "USUBJID", 0, "TWIN-9999"),
                                     r"adtte\.csv: line 2 names patient TWIN-9999, who is not in adsl\.csv"),
    "arm changed in one file only": ("adae", lambda: set_cell("adae", "TRT01P", 0, "Pd"),
                                     r"adae\.csv: line 2 gives patient TWIN-0001 TRT01P 'Pd', but adsl\.csv gives"),
    "stratum changed in one file only": ("adtte", lambda: set_cell("adtte", "STRAT2R", 0, ">3"),
                                         r"adtte\.csv: line 2 gives patient TWIN-0001 STRAT2R"),
    "binary garbage": ("adlb", lambda: b"\xff\xfe\x00\x81garbage", r"adlb\.csv"),
    "empty file": ("adsl", lambda: "", r"adsl\.csv: cannot be read as CSV"),
    # Coded text is checked against the data dictionary's vocabularies (icaria/vocabulary.py).
    "a misspelt adverse-event term": ("adae", lambda: "".join(lines_of("adae")).replace(",Pneumonia,", ",Pneumonai,",
                                                                                          1),
                                      r"adae\.csv: column AEDECOD should hold one of the 21 values the data "
                                      r"dictionary \(data/README\.md\) lists for it, e\.g\. 'Infusion reaction', "
                                      r"but line \d+ has 'Pneumonai'"),
    "a zero-width space inside a term": ("adae", lambda: "".join(lines_of("adae")).replace(",Pneumonia,",
                                                                                          ",Pneu\u200bmonia,", 1),
                                         r"column AEDECOD should hold .* has 'Pneu monia'"),
    "an event description of another dataset": ("adtte", lambda: "".join(lines_of("adtte")).replace(
        ",Progressive disease,", ",Progression,", 1),
        r"adtte\.csv: column EVNTDESC should hold one of 'Progressive disease' or 'Death' or .* has 'Progression'"),
    "a censoring description in capitals": ("adtte", lambda: "".join(lines_of("adtte")).replace(
        ",Last contact", ",LAST CONTACT", 1), r"column CNSDTDSC should hold .* has 'LAST CONTACT'"),
    "header only": ("adtte", lambda: lines_of("adtte")[0], r"adtte\.csv: has a header but no rows"),
    "semicolons (a spreadsheet's export)": ("adlb", lambda: "".join(lines_of("adlb")).replace(",", ";"),
                                            r"adlb\.csv: missing column"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_corrupted_file_fails_with_one_clear_message(case, tmp_path):
    name, corrupt, pattern = CASES[case]
    text = corrupt()
    if name != "adsl":   # the other files are checked against the committed adsl beside them
        (tmp_path / "adsl.csv").write_bytes((BOOK_DATA / "adsl.csv").read_bytes())
    target = tmp_path / f"{name}.csv"
    target.write_bytes(text) if isinstance(text, bytes) else target.write_text(text, encoding="utf-8")
    with pytest.raises(data.DataFileError) as raised:
        data.load(name, data_dir=tmp_path)
    message = str(raised.value)
    assert re.search(pattern, message), message
    assert "\n" not in message and "Traceback" not in message


def test_an_honest_edit_loads_and_changes_the_numbers(tmp_path):
    """One more Pd progression: a censored Pd PFS row becomes an event."""
    table = pd.read_csv(BOOK_DATA / "adtte.csv", dtype=str, keep_default_na=False)
    censored_pd = table.index[(table["PARAMCD"] == "PFS") & (table["TRT01P"] == "Pd") & (table["CNSR"] == "1")][0]
    table.loc[censored_pd, ["CNSR", "EVNTDESC", "CNSDTDSC"]] = ["0", "Progressive disease", ""]
    table.to_csv(tmp_path / "adtte.csv", index=False, lineterminator="\n")
    before = sv.endpoint(data.load("adtte"), "PFS")
    after = sv.endpoint(data.load("adtte", data_dir=tmp_path), "PFS")
    assert after["EVENT"].sum() == before["EVENT"].sum() + 1
    assert sv.stratified_cox_hr(after) < sv.stratified_cox_hr(before)


# ---------------------------------------------------------------------------
# Meaning, not just type: each case edits a copy of the whole data folder (both cuts),
# so the file is checked against its adsl.csv and the book's fingerprints.

def book_table(name):
    return pd.read_csv(BOOK_DATA / f"{name}.csv", dtype=str, keep_default_na=False)


def written(frame):
    return frame.to_csv(index=False, lineterminator="\n")


def edited(name, change):
    """The text of ``name`` after ``change(table)`` (a table of strings, edited in place)."""
    def text():
        frame = book_table(name)
        change(frame)
        return written(frame)
    return text


def first(frame, condition):
    return frame.index[condition][0]


def with_cell(name, column, value, where):
    """The text of ``name`` with ``column`` set to ``value`` on the first row ``where`` picks."""
    def change(frame):
        frame.loc[first(frame, where(frame)), column] = value
    return edited(name, change)


def pfs_event(frame):
    return (frame["PARAMCD"] == "PFS") & (frame["CNSR"] == "0")


def pfs_censored(frame):
    return (frame["PARAMCD"] == "PFS") & (frame["CNSR"] == "1")


def move_adt(frame, days, aval_too):
    row = first(frame, pfs_event(frame))
    frame.loc[row, "ADT"] = (pd.Timestamp(frame.loc[row, "ADT"]) + pd.Timedelta(days=days)).strftime("%Y-%m-%d")
    if aval_too:
        frame.loc[row, "AVAL"] = str(int(frame.loc[row, "AVAL"]) + days)


def overwrite_first_patient(frame):
    """TWIN-0001's endpoint rows take TWIN-0002's values (identifiers, arm and strata kept)."""
    columns = ["AVAL", "CNSR", "STARTDT", "ADT", "EVNTDESC", "CNSDTDSC"]
    source = frame[frame["USUBJID"] == "TWIN-0002"].set_index("PARAMCD")
    for row in frame.index[(frame["USUBJID"] == "TWIN-0001") & frame["PARAMCD"].isin(source.index)]:
        frame.loc[row, columns] = source.loc[frame.loc[row, "PARAMCD"], columns].to_numpy()


def untreated_patient():
    adsl = book_table("adsl")
    return adsl.loc[adsl["SAFFL"] == "N", ["USUBJID", "TRT01P"]].iloc[0]


def swapped(name, one, other):
    return lambda: swap_headers(name, one, other)


def prefixed_column(name, column, value):
    lines = lines_of(name)
    return lambda: f"{column}," + lines[0] + "".join(f"{value}," + line for line in lines[1:])


RULE = r"line \d+ \(patient TWIN-\d+\) breaks a rule: "


def living_patients():
    adsl = book_table("adsl")
    return set(adsl.loc[adsl["DTHFL"] == "N", "USUBJID"])


def mrd_negative_patients():
    adsl = book_table("adsl")
    return set(adsl.loc[adsl["MRDNEG"] == "Y", "USUBJID"])


def after_death(frame, paramcd):
    """The first ``paramcd`` event of a patient who died more than 60 days before the cutoff,
    dated (ADT and AVAL alike) 30 days after the death."""
    adsl = book_table("adsl").set_index("USUBJID")
    died = adsl.index[(adsl["DTHFL"] == "Y") & (pd.to_datetime(adsl["LSTALVDT"]) < pd.Timestamp("2018-08-01"))]
    row = first(frame, (frame["PARAMCD"] == paramcd) & (frame["CNSR"] == "0") & frame["USUBJID"].isin(died))
    late = pd.Timestamp(adsl.loc[frame.loc[row, "USUBJID"], "LSTALVDT"]) + pd.Timedelta(days=30)
    frame.loc[row, "AVAL"] = str((late - pd.Timestamp(frame.loc[row, "STARTDT"])).days + 1)
    frame.loc[row, "ADT"] = late.strftime("%Y-%m-%d")
MEANING_CASES = {
    # name: (file loaded, cut, {file written: its text}, pattern the message must match)
    # the corruptions
    "adtte of the other cut": ("adtte", "primary", {"adtte": lambda: (BOOK_DATA / "final-os/adtte.csv").read_text()},
                               r"adtte\.csv: this is adtte\.csv of the final-os data cut \(cutoff 2022-01-27\)"),
    "one patient's rows deleted": ("adtte", "primary", {"adtte": edited("adtte", lambda f: f.drop(
        f.index[f["USUBJID"] == "TWIN-0007"], inplace=True))}, r"1 patient\(s\) of adsl\.csv have no PFS row"),
    "one patient's rows overwritten with another's": ("adtte", "primary", {"adtte": edited(
        "adtte", overwrite_first_patient)}, RULE + "STARTDT of an endpoint timed from randomisation is the patient's "
                                                  r"RANDDT in adsl\.csv"),
    "AVAL 0 on a PFS event": ("adtte", "primary", {"adtte": with_cell("adtte", "AVAL", "0", pfs_event)},
        RULE + r"AVAL equals ADT - STARTDT \+ 1"),
    "AVAL 19999 on a PFS event": ("adtte", "primary", {"adtte": with_cell("adtte", "AVAL", "19999", pfs_event)},
        RULE + r"AVAL equals ADT - STARTDT"),
    "a censored row made an event, with no description": ("adtte", "primary", {"adtte": with_cell(
        "adtte", "CNSR", "0", pfs_censored)},
        RULE + r"an event \(CNSR 0\) has an EVNTDESC and no CNSDTDSC"),
    "ADT moved past the cutoff": ("adtte", "primary", {"adtte": edited("adtte", lambda f: move_adt(f, 400, True))},
                                  RULE + "ADT on or before the cutoff 2018-10-11"),
    "a second AVAL column": ("adtte", "primary", {"adtte": prefixed_column("adtte", "AVAL", "1")},
                             r"adtte\.csv: the header names column\(s\) AVAL twice"),
    "ITTFL and SAFFL headers swapped": ("adsl", "primary", {"adsl": swapped("adsl", "ITTFL", "SAFFL")},
                                        RULE + "SAFFL is N exactly when EOTSTT is NOT TREATED"),
    "STARTDT and ADT headers swapped": ("adtte", "primary", {"adtte": swapped("adtte", "STARTDT", "ADT")},
                                        RULE + "AVAL equals ADT - STARTDT"),
    "EVNTDESC and CNSDTDSC headers swapped": ("adtte", "primary", {"adtte": swapped("adtte", "EVNTDESC", "CNSDTDSC")},
                                              r"adtte\.csv: column (EVNTDESC|CNSDTDSC) should hold one of "
                                              r"'(Progressive disease|Last adequate assessment[^']*)'"),
    "STRATUM_SEQ and BLOCK headers swapped": ("allocation", "primary", {"allocation": swapped(
        "allocation", "STRATUM_SEQ", "BLOCK")}, RULE + "BLOCK is the block of 4 that holds STRATUM_SEQ"),
    "last 50 lines of adrs dropped": ("adrs", "primary", {"adrs": lambda: "".join(lines_of("adrs")[:-50])},
                                      r"adrs\.csv: 50 patient\(s\) of adsl\.csv have no BORINV row"),
    "an adverse event for an untreated patient": ("adae", "primary", {"adae": lambda: "".join(lines_of("adae")) + (
        "{},{},Fatigue,1,3,Y,N\n".format(*untreated_patient()))},
        RULE + r"an adverse event belongs to a treated patient \(SAFFL Y in adsl\.csv\)"),
    "AGE 88 in AGEGR1 <65": ("adsl", "primary", {
        "adsl": with_cell("adsl", "AGE", "88", lambda f: f["AGEGR1"] == "<65")},
        RULE + "AGEGR1 is the group of AGE"),
    "lower-case iii in ISSENTRY": ("adsl", "primary", {
        "adsl": with_cell("adsl", "ISSENTRY", "iii", lambda f: f["ISSENTRY"] == "III")},
        r"column ISSENTRY should hold one of 'I' or 'II'"),
    "ISSENTRY renamed": ("adsl", "primary", {"adsl": lambda: rename_header("adsl", "ISSENTRY", "ISS_ENTRY")},
                         r"adsl\.csv: missing column\(s\) ISSENTRY"),
    "MRDNEG renamed": ("adsl", "primary", {"adsl": lambda: rename_header("adsl", "MRDNEG", "MRD")},
                       r"adsl\.csv: missing column\(s\) MRDNEG"),
    # more of the same spirit
    "adsl of the other cut": ("adsl", "primary", {"adsl": lambda: (BOOK_DATA / "final-os/adsl.csv").read_text()},
                              r"adsl\.csv: this is adsl\.csv of the final-os data cut"),
    "the primary adtte in final-os": ("adtte", "final-os", {"final-os/adtte": lambda: "".join(lines_of("adtte"))},
                                      r"final-os/adtte\.csv: this is adtte\.csv of the primary data cut"),
    "ADT moved, AVAL kept": ("adtte", "primary", {"adtte": edited("adtte", lambda f: move_adt(f, 30, False))},
                             RULE + "AVAL equals ADT - STARTDT"),
    "a censored row with an event description": ("adtte", "primary", {
        "adtte": with_cell("adtte", "EVNTDESC", "Death", lambda f: pfs_censored(f))},
        RULE + r"a censored row \(CNSR 1\) has a CNSDTDSC and no EVNTDESC"),
    "a PFS clock started a week late": ("adtte", "primary", {
        "adtte": with_cell("adtte", "STARTDT", "2017-01-17", lambda f: f["PARAMCD"] == "PFS")},
        RULE + r"(AVAL equals|STARTDT of an endpoint)"),
    "a living patient flagged dead": ("adtte", "primary", {
        "adsl": with_cell("adsl", "DTHFL", "Y", lambda f: f["DTHFL"] == "N")},
        RULE + r"an OS event \(CNSR 0\) is a death flagged DTHFL Y in adsl\.csv"),
    "TRTDURD 0 for a treated patient": ("adsl", "primary", {
        "adsl": with_cell("adsl", "TRTDURD", "0", lambda f: f["SAFFL"] == "Y")},
        RULE + "TRTDURD is 0 exactly when SAFFL is N"),
    "isatuximab intensity for a Pd patient": ("adsl", "primary", {
        "adsl": with_cell("adsl", "RDIISA", "95", lambda f: (f["TRT01P"] == "Pd") & (f["SAFFL"] == "Y"))},
        RULE + "RDIISA is empty for Pd"),
    "dose intensity for an untreated patient": ("adsl", "primary", {
        "adsl": with_cell("adsl", "RDIPOM", "90", lambda f: f["SAFFL"] == "N")},
        RULE + "relative dose intensities are empty for a patient never treated"),
    "age stratum >=75 for a patient under 65": ("adsl", "primary", {
        "adsl": with_cell("adsl", "STRAT1R", ">=75", lambda f: f["AGEGR1"] == "<65")},
        RULE + "the age stratum STRAT1R agrees with AGE"),
    "last known alive after the cutoff": ("adsl", "primary", {
        "adsl": with_cell("adsl", "LSTALVDT", "2019-05-01", lambda f: f["DTHFL"] == "N")},
        RULE + "LSTALVDT on or before the cutoff 2018-10-11"),
    "one patient without BORINV": ("adrs", "primary", {"adrs": edited("adrs", lambda f: f.drop(
        first(f, f["PARAMCD"] == "BORINV"), inplace=True))}, r"1 patient\(s\) of adsl\.csv have no BORINV row"),
    "BLOCK off by one": ("allocation", "primary", {"allocation": with_cell(
        "allocation", "BLOCK", "2", lambda f: f["STRATUM_SEQ"] == "1")}, RULE + "BLOCK is the block of 4"),
    "a second USUBJID column": ("adrs", "primary", {"adrs": prefixed_column("adrs", "USUBJID", "TWIN-0001")},
                                r"adrs\.csv: the header names column\(s\) USUBJID twice"),
    "bare commas in the middle": ("adlb", "primary", {"adlb": lambda: "".join(lines_of("adlb")[:5]) + ",,,,\n"
                                                              + "".join(lines_of("adlb")[5:])},
                                  r"adlb\.csv: column USUBJID is empty on line 6"),
    # rules of meaning added with the data dictionary's vocabularies
    "an OS event described as progression": ("adtte", "primary", {"adtte": with_cell(
        "adtte", "EVNTDESC", "Progressive disease", lambda f: (f["PARAMCD"] == "OS") & (f["CNSR"] == "0"))},
        RULE + r"an event of OS is 'Death' \(EVNTDESC\)"),
    "a TTP event that is a death": ("adtte", "primary", {"adtte": with_cell(
        "adtte", "EVNTDESC", "Death", lambda f: (f["PARAMCD"] == "TTP") & (f["CNSR"] == "0"))},
        RULE + r"an event of TTP is 'Progressive disease'"),
    "a progression dated after the patient's death": ("adtte", "primary", {"adtte": edited(
        "adtte", lambda f: after_death(f, "PFS"))}, RULE + r"no date \(ADT\) after the patient's death"),
    "a response dated after the patient's death": ("adtte", "primary", {"adtte": edited(
        "adtte", lambda f: after_death(f, "TTR"))}, RULE + r"no date \(ADT\) after the patient's death"),
    "an adverse event on day 5000": ("adae", "primary", {"adae": with_cell("adae", "ASTDY", "5000", lambda f: (
        f["AETOXGR"] == "1"))}, RULE + r"an adverse event starts by the cutoff 2018-10-11"),
    "a fatal adverse event in a living patient": ("adae", "primary", {"adae": with_cell("adae", "AETOXGR", "5", (
        lambda f: f["USUBJID"].isin(living_patients())))}, RULE + r"a grade 5 \(fatal\) adverse event belongs to a "
                                                                  r"patient who died"),
    "an MRD-negative patient with progressive disease": ("adrs", "primary", {"adrs": with_cell(
        "adrs", "AVALC", "PD", lambda f: (f["PARAMCD"] == "BOR") & f["USUBJID"].isin(mrd_negative_patients()))},
        RULE + r"a patient MRD-negative in adsl\.csv \(MRDNEG Y\) has a committee best response of VGPR or "
               r"better"),
    # a parameter's description (PARAM) checked against the data dictionary (icaria/vocabulary.py)
    "a PFS row described as overall survival": ("adtte", "primary", {"adtte": with_cell(
        "adtte", "PARAM", "Overall survival (days)", pfs_event)},
        RULE + r"PARAM is the description of its PARAMCD in the data dictionary \(icaria/vocabulary\.py\)"),
    "a laboratory row named after another parameter": ("adlb", "primary", {"adlb": with_cell(
        "adlb", "PARAM", "Anaemia", lambda f: f["PARAMCD"] == "NEUT")}, RULE + r"PARAM is the description of its "
                                                                              r"PARAMCD"),
    "a misspelt response description": ("adrs", "primary", {"adrs": with_cell(
        "adrs", "PARAM", "Best overall respnse, IRC", lambda f: f["PARAMCD"] == "BOR")},
        RULE + r"PARAM is the description of its PARAMCD"),
    "dose reduced coded yes": ("adsl", "primary", {
        "adsl": with_cell("adsl", "POMRED", "yes", lambda f: f["POMRED"] == "Y")},
        r"column POMRED should hold one of 'Y' or 'N'"),
}


@pytest.mark.parametrize("case", MEANING_CASES)
def test_a_file_that_breaks_a_rule_of_meaning_is_refused_by_name(case, tmp_path):
    name, cut, texts, pattern = MEANING_CASES[case]
    folder = tmp_path / "data"
    shutil.copytree(BOOK_DATA, folder)
    for target, text in texts.items():
        (folder / f"{target}.csv").write_text(text(), encoding="utf-8")
    with pytest.raises(data.DataFileError) as raised:
        data.load(name, cut=cut, data_dir=folder)
    message = str(raised.value)
    assert re.search(pattern, message), message
    assert "\n" not in message


def resaved(name, **to_csv):
    return lambda: book_table(name).to_csv(index=False, **to_csv)


HONEST_RESAVES = {
    # name: (file, cut, its text)
    "CRLF line ends": ("adtte", "primary", lambda: "".join(lines_of("adtte")).replace("\n", "\r\n")),
    "a byte-order mark": ("adsl", "primary", lambda: "\ufeff" + "".join(lines_of("adsl"))),
    "every field quoted": ("adrs", "primary", resaved("adrs", quoting=csv.QUOTE_ALL)),
    "1.50 for 1.5": ("adsl", "primary", lambda: "".join(lines_of("adsl")).replace(",1.5,", ",1.50,")),
    "columns in another order": ("adtte", "primary", lambda: written(book_table("adtte").iloc[:, ::-1])),
    "a column added": ("adtte", "primary", lambda: written(book_table("adtte").assign(NOTE="checked"))),
    "rows re-sorted": ("adtte", "primary", lambda: written(book_table("adtte").sort_values(["PARAMCD", "AVAL"]))),
    "two rows of bare commas at the end": ("adtte", "primary",
                                           lambda: "".join(lines_of("adtte")) + ",,,,,,,,,,,\n" * 2),
    # White space a spreadsheet or a web page leaves: made plain on load and in the fingerprint alike
    # (before: a non-breaking space after "Pneumonia" took the Isa-Pd count from 31 to 0, a trailing
    # space on the committee's progression descriptions took them from 149 to 0, with no notice).
    "a non-breaking space after every Pneumonia": ("adae", "primary", lambda: "".join(lines_of("adae")).replace(
        ",Pneumonia,", ",Pneumonia\u00a0,")),
    "a trailing space on every progression": ("adtte", "primary", lambda: "".join(lines_of("adtte")).replace(
        ",Progressive disease,", ",Progressive disease ,")),
    "a tab before every censoring description": ("adtte", "primary", lambda: "".join(lines_of("adtte")).replace(
        ",Last contact", ",\tLast contact")),
    "a thin space inside a term, a stray space in a header": ("adae", "primary", lambda: "".join(
        lines_of("adae")).replace("Upper respiratory tract", "Upper\u2009respiratory  tract").replace(
        "AEDECOD", " AEDECOD", 1)),
    "a non-breaking space inside every OS description": ("adtte", "primary", lambda: "".join(
        lines_of("adtte")).replace("Overall survival (days)", "Overall\u00a0survival (days)")),
    "spaces only where a cell is empty": ("adtte", "primary", lambda: "".join(lines_of("adtte")).replace(
        ",,", ", ,")),
    "final-os adsl, CRLF": ("adsl", "final-os", lambda: (BOOK_DATA / "final-os/adsl.csv").read_text().replace(
        "\n", "\r\n")),
}


@pytest.mark.parametrize("case", HONEST_RESAVES)
def test_an_honest_resave_loads_the_same_numbers_without_a_notice(case, tmp_path, capsys):
    name, cut, text = HONEST_RESAVES[case]
    folder = tmp_path / "data"
    shutil.copytree(BOOK_DATA, folder)
    (folder / data.CUTS[cut] / f"{name}.csv").write_bytes(text().encode("utf-8"))
    loaded, book = data.load(name, cut, data_dir=folder), data.load(name, cut)
    columns = list(book.columns)
    assert loaded[columns].sort_values(columns, ignore_index=True).equals(book.sort_values(columns, ignore_index=True))
    assert "notice" not in loaded.attrs and "not the book's data" not in capsys.readouterr().err
    if name == "adtte":
        assert sv.stratified_cox_hr(sv.endpoint(loaded, "PFS")) == sv.stratified_cox_hr(sv.endpoint(book, "PFS"))


def test_an_edit_made_on_purpose_loads_with_a_notice(tmp_path, capsys):
    """The notice names the file under the cell that loads it, every time it is loaded."""
    table = book_table("adtte")
    table.loc[first(table, pfs_censored(table) & (table["TRT01P"] == "Pd")), ["CNSR", "EVNTDESC", "CNSDTDSC"]] = [
        "0", "Progressive disease", ""]
    (tmp_path / "adsl.csv").write_bytes((BOOK_DATA / "adsl.csv").read_bytes())
    (tmp_path / "adtte.csv").write_text(written(table), encoding="utf-8")
    for _ in range(2):
        loaded = data.load("adtte", data_dir=tmp_path)
        assert "adtte.csv is not the book's data: numbers will differ from the book's" in capsys.readouterr().err
    assert "adtte.csv is not the book's data" in loaded.attrs["notice"]
    data.load("adtte")
    assert capsys.readouterr().err == ""


def test_the_swap_no_rule_can_decide_still_gets_the_notice(tmp_path, capsys):
    """RDIPOM and RDIDEX hold the same kind of number: only the provenance check sees the swap."""
    (tmp_path / "adsl.csv").write_text(swap_headers("adsl", "RDIPOM", "RDIDEX"), encoding="utf-8")
    data.load("adsl", data_dir=tmp_path)
    assert "adsl.csv is not the book's data" in capsys.readouterr().err


def test_every_column_a_chapter_or_the_package_reads_is_in_the_schema():
    """A quoted column name of a data file in a chapter or a package module is checked
    by the loader (else a renamed column gives a KeyError deep in a chapter)."""
    headers = {}
    for path in BOOK_DATA.rglob("*.csv"):
        for column in pd.read_csv(path, nrows=0).columns:
            headers.setdefault(column, set()).add(path.stem)
    sources = [*paths.NOTEBOOKS_DIR.glob("*.md"), *(paths.REPO_ROOT / "icaria").glob("*.py")]
    quoted = {name for path in sources for name in re.findall(r"""["']([A-Z][A-Z0-9_]+)["']""", path.read_text())}
    schemas = {**data.SCHEMAS, **data.UNCUT_SCHEMAS}
    unchecked = sorted(column for column in quoted & set(headers)
                       if not any(column in schemas[name] for name in headers[column]))
    assert not unchecked, f"columns the chapters read but the loader does not check: {unchecked}"
