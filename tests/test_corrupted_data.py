"""Bad data never yields a plausible wrong number: each corrupted copy of a real file
fails on load with one message that names the file, the column or rows, and the rule.

Each case edits one committed file the way an instructor, a student or a spreadsheet
might, then loads it. An honest edit (one more Pd progression) must load and change
the numbers."""

import re

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
                               r"adtte\.csv: (column \w+ is empty on line \d+|parameter|cannot be read as CSV)"),
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
