"""Probe the package with faulty data, environments and calls; print one line per case
and a tally: loads-same / notice / refused / deep / silent.

    .venv/bin/python scripts/probe_data_faults.py            # every case (a few minutes)
    .venv/bin/python scripts/probe_data_faults.py --only data  # data | environment | calls

- **loads-same**: an honest re-save loads, no notice, the same content as the book's;
- **notice**: loads, with the notice that the file is not the book's data;
- **refused**: one message of the package (DataFileError or ArgumentError);
- **deep**: any other exception (a traceback in a notebook); the package's own errors
  show their message alone (``_render_traceback_``);
- **silent**: loads (or returns) a different or empty answer without a word.

A corruption should be refused (or, when no rule can decide, load with the notice);
an honest re-save should load the same; an edit made on purpose loads with the
notice. The representative slice of these cases runs in tests/test_corrupted_data.py
and tests/test_bad_calls.py; every call of ``issue33_calls`` (each public analysis
function a chapter calls, with the bad calls of issue 33) runs there with its message.
To measure another copy of the package (before a change), run with
PYTHONPATH=/path/to/that/copy.
"""

import argparse
import contextlib
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

import icaria
from icaria import data

PACKAGE_ROOT = Path(icaria.__file__).resolve().parent.parent
BOOK_DATA = PACKAGE_ROOT / "data"
KNOWN = ("DataFileError", "ArgumentError", "DataArgumentError")   # the package's one-line errors


def table(folder, name):
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def save(frame, folder, name):
    frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")


def edit(name, change):
    """A case that edits ``name``'s table with ``change(frame, folder)``."""
    def apply(folder):
        save(change(table(folder, name), folder), folder, name)
    return name, apply


def text_edit(name, change):
    def apply(folder):
        path = folder / f"{name}.csv"
        path.write_bytes(change(path.read_bytes()))
    return name, apply


def swap_header(name, first, second):
    def change(raw):
        header, rest = raw.split(b"\n", 1)
        cells = header.split(b",")
        i, j = cells.index(first.encode()), cells.index(second.encode())
        cells[i], cells[j] = cells[j], cells[i]
        return b",".join(cells) + b"\n" + rest
    return text_edit(name, change)


def rename_header(name, old, new):
    return text_edit(name, lambda raw: raw.replace(old.encode(), new.encode(), 1))


def set_where(name, column, value, where):
    def change(frame, folder):
        frame.loc[pick(frame, where(frame)), column] = value
        return frame
    return edit(name, change)


def pfs_event(frame):
    return (frame["PARAMCD"] == "PFS") & (frame["CNSR"] == "0")


def pfs_censored(frame):
    return (frame["PARAMCD"] == "PFS") & (frame["CNSR"] == "1")


def untreated(folder):
    adsl = table(folder, "adsl")
    return adsl.loc[adsl["SAFFL"] == "N", "USUBJID"].iloc[0]


def shift_adt(frame, days, keep_aval):
    row = pick(frame, pfs_event(frame))
    frame.loc[row, "ADT"] = (pd.Timestamp(frame.loc[row, "ADT"]) + pd.Timedelta(days=days)).strftime("%Y-%m-%d")
    if keep_aval:
        frame.loc[row, "AVAL"] = str(int(frame.loc[row, "AVAL"]) + days)
    return frame


def overwrite_patient(frame, folder):
    first, second = frame["USUBJID"].unique()[:2]
    columns = ["PARAMCD", "PARAM", "AVAL", "CNSR", "STARTDT", "ADT", "EVNTDESC", "CNSDTDSC"]
    source = frame[frame["USUBJID"] == second].set_index("PARAMCD")
    for index in frame.index[frame["USUBJID"] == first]:
        code = frame.loc[index, "PARAMCD"]
        if code in source.index:
            frame.loc[index, columns[1:]] = source.loc[code, columns[1:]].to_numpy()
    return frame


def add_ae_for_untreated(frame, folder):
    patient = untreated(folder)
    adsl = table(folder, "adsl").set_index("USUBJID")
    row = frame.iloc[[0]].assign(USUBJID=patient, TRT01P=adsl.loc[patient, "TRT01P"])
    return pd.concat([frame, row], ignore_index=True)


def copy_from_cut(name):
    def apply(folder):
        shutil.copy(folder / "final-os" / f"{name}.csv", folder / f"{name}.csv")
    return name, apply


def one_more_progression(frame, folder):
    row = pick(frame, pfs_censored(frame) & (frame["TRT01P"] == "Pd"))
    frame.loc[row, ["CNSR", "EVNTDESC", "CNSDTDSC"]] = ["0", "Progressive disease", ""]
    return frame


def drop_lines(name, count):
    return text_edit(name, lambda raw: b"".join(raw.splitlines(keepends=True)[:-count]))


def pick(frame, condition):
    return frame.index[condition][0]


def os_event_censored(frame, folder):
    row = pick(frame, (frame["PARAMCD"] == "OS") & (frame["CNSR"] == "0"))
    frame.loc[row, ["CNSR", "EVNTDESC", "CNSDTDSC"]] = ["1", "", "Alive at the cutoff"]
    return frame


def late_start(frame, folder):
    row = pick(frame, frame["PARAMCD"] == "PFS")
    frame.loc[row, "STARTDT"] = (pd.Timestamp(frame.loc[row, "STARTDT"]) + pd.Timedelta(days=7)).strftime("%Y-%m-%d")
    frame.loc[row, "AVAL"] = str(int(frame.loc[row, "AVAL"]) - 7)
    return frame


def dated_after_death(paramcd):
    """The first ``paramcd`` event of a patient who died before August 2018, dated (ADT and
    AVAL alike) 30 days after the death."""
    def change(frame, folder):
        adsl = table(folder, "adsl").set_index("USUBJID")
        died = adsl.index[(adsl["DTHFL"] == "Y") & (pd.to_datetime(adsl["LSTALVDT"]) < pd.Timestamp("2018-08-01"))]
        row = pick(frame, (frame["PARAMCD"] == paramcd) & (frame["CNSR"] == "0") & frame["USUBJID"].isin(died))
        late = pd.Timestamp(adsl.loc[frame.loc[row, "USUBJID"], "LSTALVDT"]) + pd.Timedelta(days=30)
        frame.loc[row, "AVAL"] = str((late - pd.Timestamp(frame.loc[row, "STARTDT"])).days + 1)
        frame.loc[row, "ADT"] = late.strftime("%Y-%m-%d")
        return frame
    return edit("adtte", change)


def in_patients(flag, value):
    """Rows of patients whose adsl ``flag`` is ``value`` (the table's folder is read)."""
    def where(frame, folder):
        adsl = table(folder, "adsl")
        return frame["USUBJID"].isin(adsl.loc[adsl[flag] == value, "USUBJID"])
    return where


def set_where_in(name, column, value, where, among):
    """``set_where`` limited to the rows ``among(frame, folder)`` picks."""
    def change(frame, folder):
        frame.loc[pick(frame, where(frame) & among(frame, folder)), column] = value
        return frame
    return edit(name, change)


# name: (expected, dataset loaded, cut loaded, the change)
DATA_CASES = {
    # honest re-saves (expected: loads-same)
    "CRLF line ends": ("loads-same", "adtte", text_edit("adtte", lambda raw: raw.replace(b"\n", b"\r\n"))),
    "byte-order mark": ("loads-same", "adsl", text_edit("adsl", lambda raw: b"\xef\xbb\xbf" + raw)),
    "every field quoted": ("loads-same", "adrs", ("adrs", lambda folder: table(folder, "adrs").to_csv(
        folder / "adrs.csv", index=False, quoting=csv.QUOTE_ALL))),
    "1.50 for 1.5": ("loads-same", "adsl", text_edit("adsl", lambda raw: raw.replace(b",1.5,", b",1.50,"))),
    "columns shuffled": ("loads-same", "adtte", edit("adtte", lambda f, _: f[list(reversed(f.columns))])),
    "a column added": ("loads-same", "adtte", edit("adtte", lambda f, _: f.assign(NOTE="checked"))),
    "rows re-sorted": ("loads-same", "adtte", edit("adtte", lambda f, _: f.sort_values(["PARAMCD", "AVAL"]))),
    "two rows of bare commas at the end": ("loads-same", "adtte", text_edit(
        "adtte", lambda raw: raw + b",,,,,,,,,,,\n" * 2)),
    "blank lines at the end": ("loads-same", "adae", text_edit("adae", lambda raw: raw + b"\n\n\n")),
    "final-os file re-saved with CRLF": ("loads-same", ("adtte", "final-os"), text_edit(
        "final-os/adtte", lambda raw: raw.replace(b"\n", b"\r\n"))),
    # edits made on purpose (expected: notice)
    "one more Pd progression": ("notice", "adtte", edit("adtte", one_more_progression)),
    "one adverse event less": ("notice", "adae", drop_lines("adae", 1)),
    "last 100 lines of adae dropped": ("notice", "adae", drop_lines("adae", 100)),
    "RDIPOM and RDIDEX headers swapped": ("notice", "adsl", swap_header("adsl", "RDIPOM", "RDIDEX")),
    # the issue's corruptions (expected: refused)
    "adtte copied from the final-os cut": ("refused", "adtte", copy_from_cut("adtte")),
    "adsl copied from the final-os cut": ("refused", "adsl", copy_from_cut("adsl")),
    "one patient's adtte rows deleted": ("refused", "adtte", edit(
        "adtte", lambda f, _: f[f["USUBJID"] != "TWIN-0007"])),
    "one patient's rows overwritten with another's": ("refused", "adtte", edit("adtte", overwrite_patient)),
    "AVAL 0 on a PFS event": ("refused", "adtte", set_where("adtte", "AVAL", "0", pfs_event)),
    "AVAL 19999 on a PFS event": ("refused", "adtte", set_where("adtte", "AVAL", "19999", pfs_event)),
    "censored row made an event, no description": ("refused", "adtte", set_where(
        "adtte", "CNSR", "0", pfs_censored)),
    "ADT moved past the cutoff (AVAL too)": ("refused", "adtte", edit(
        "adtte", lambda f, _: shift_adt(f, 400, keep_aval=True))),
    "ADT moved, AVAL kept": ("refused", "adtte", edit("adtte", lambda f, _: shift_adt(f, 30, keep_aval=False))),
    "a second AVAL column (first)": ("refused", "adtte", text_edit("adtte", lambda raw: b"\n".join(
        (b"AVAL," if i == 0 else b"1,") + line if line else line for i, line in enumerate(raw.split(b"\n"))))),
    "ITTFL and SAFFL headers swapped": ("refused", "adsl", swap_header("adsl", "ITTFL", "SAFFL")),
    "STARTDT and ADT headers swapped": ("refused", "adtte", swap_header("adtte", "STARTDT", "ADT")),
    "EVNTDESC and CNSDTDSC headers swapped": ("refused", "adtte", swap_header("adtte", "EVNTDESC", "CNSDTDSC")),
    "STRATUM_SEQ and BLOCK headers swapped": ("refused", "allocation", swap_header(
        "allocation", "STRATUM_SEQ", "BLOCK")),
    "last 50 lines of adrs dropped": ("refused", "adrs", drop_lines("adrs", 50)),
    "an adverse event for an untreated patient": ("refused", "adae", edit("adae", add_ae_for_untreated)),
    "AGE 88 in AGEGR1 <65": ("refused", "adsl", set_where("adsl", "AGE", "88", lambda f: f["AGEGR1"] == "<65")),
    "lower-case iii in ISSENTRY": ("refused", "adsl", set_where("adsl", "ISSENTRY", "iii",
                                                                lambda f: f["ISSENTRY"] == "III")),
    "ISSENTRY renamed": ("refused", "adsl", rename_header("adsl", "ISSENTRY", "ISS_ENTRY")),
    "MRDNEG renamed": ("refused", "adsl", rename_header("adsl", "MRDNEG", "MRD")),
    # more corruptions (expected: refused)
    "TRTDURD 0 for a treated patient": ("refused", "adsl", set_where(
        "adsl", "TRTDURD", "0", lambda f: f["SAFFL"] == "Y")),
    "RDIISA given to a Pd patient": ("refused", "adsl", set_where(
        "adsl", "RDIISA", "95", lambda f: (f["TRT01P"] == "Pd") & (f["SAFFL"] == "Y"))),
    "SAFFL N for a patient on treatment": ("refused", "adsl", set_where(
        "adsl", "SAFFL", "N", lambda f: f["EOTSTT"] == "ONGOING")),
    "AGEGR1 >=75 for a 60-year-old": ("refused", "adsl", set_where(
        "adsl", "AGEGR1", ">=75", lambda f: f["AGEGR1"] == "<65")),
    "age stratum >=75 for a 60-year-old (adsl only)": ("refused", "adsl", set_where(
        "adsl", "STRAT1R", ">=75", lambda f: f["AGEGR1"] == "<65")),
    "LSTALVDT after the cutoff": ("refused", "adsl", set_where("adsl", "LSTALVDT", "2019-05-01",
                                                                lambda f: f["DTHFL"] == "N")),
    "DTHFL Y for a living patient": ("refused", "adtte", set_where("adsl", "DTHFL", "Y",
                                                                   lambda f: f["DTHFL"] == "N")),
    "an OS event made censored": ("refused", "adtte", edit("adtte", os_event_censored)),
    "PFS clock started a week late (AVAL agrees)": ("refused", "adtte", edit("adtte", late_start)),
    "a censored row with an event description": ("refused", "adtte", set_where(
        "adtte", "EVNTDESC", "Death", pfs_censored)),
    "one patient without BORINV": ("refused", "adrs", edit("adrs", lambda f, _: f.drop(
        pick(f, f["PARAMCD"] == "BORINV")))),
    "BLOCK off by one": ("refused", "allocation", set_where("allocation", "BLOCK", "2",
                                                            lambda f: f["STRATUM_SEQ"] == "1")),
    "a second USUBJID column": ("refused", "adrs", text_edit("adrs", lambda raw: raw.replace(
        b"USUBJID,TRT01P", b"USUBJID,USUBJID", 1))),
    "adtte of the primary cut copied into final-os": ("refused", ("adtte", "final-os"), (
        "adtte", lambda folder: shutil.copy(folder / "adtte.csv", folder / "final-os" / "adtte.csv"))),
    "rows of bare commas in the middle": ("refused", "adlb", text_edit("adlb", lambda raw: raw.replace(
        b"\n", b"\n,,,,\n", 3))),
    "a 0-byte adtte": ("refused", "adtte", text_edit("adtte", lambda raw: b"")),
    # issue 33: free text, and the rule gaps that loaded with only the generic notice
    "a non-breaking space after every Pneumonia": ("loads-same", "adae", text_edit("adae", lambda raw: raw.replace(
        b",Pneumonia,", ",Pneumonia\u00a0,".encode()))),
    "a trailing space on every progression": ("loads-same", "adtte", text_edit("adtte", lambda raw: raw.replace(
        b",Progressive disease,", b",Progressive disease ,"))),
    "a tab before every censoring description": ("loads-same", "adtte", text_edit("adtte", lambda raw: raw.replace(
        b",Last contact", b",\tLast contact"))),
    "a non-breaking space inside every OS description": ("loads-same", "adtte", text_edit(
        "adtte", lambda raw: raw.replace(b"Overall survival (days)", "Overall\u00a0survival (days)".encode()))),
    "a misspelt adverse-event term": ("refused", "adae", text_edit("adae", lambda raw: raw.replace(
        b",Pneumonia,", b",Pneumonai,", 1))),
    "an event description in capitals": ("refused", "adtte", text_edit("adtte", lambda raw: raw.replace(
        b",Progressive disease,", b",PROGRESSIVE DISEASE,", 1))),
    "lower-case parameter code": ("refused", "adtte", set_where("adtte", "PARAMCD", "pfs", pfs_event)),
    "response code 'cr'": ("refused", "adrs", set_where("adrs", "AVALC", "cr", lambda f: f["AVALC"] == "CR")),
    "a PFS row described as overall survival": ("refused", "adtte", set_where(
        "adtte", "PARAM", "Overall survival (days)", pfs_event)),
    "a laboratory row named after another parameter": ("refused", "adlb", set_where(
        "adlb", "PARAM", "Anaemia", lambda f: f["PARAMCD"] == "NEUT")),
    "a response dated after death": ("refused", "adtte", dated_after_death("TTR")),
    "a PFS date after death": ("refused", "adtte", dated_after_death("PFS")),
    "an adverse event on day 5000": ("refused", "adae", set_where("adae", "ASTDY", "5000",
                                                                   lambda f: f["AETOXGR"] == "1")),
    "an OS event described as progression": ("refused", "adtte", set_where(
        "adtte", "EVNTDESC", "Progressive disease", lambda f: (f["PARAMCD"] == "OS") & (f["CNSR"] == "0"))),
    "a grade-5 adverse event in a living patient": ("refused", "adae", set_where_in(
        "adae", "AETOXGR", "5", lambda f: f["AETOXGR"] != "5", in_patients("DTHFL", "N"))),
    "an MRD-negative patient with PD": ("refused", "adrs", set_where_in(
        "adrs", "AVALC", "PD", lambda f: f["PARAMCD"] == "BOR", in_patients("MRDNEG", "Y"))),
}


def classify_load(name, cut, folder):
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            loaded = data.load(name, cut=cut, data_dir=folder)
    except Exception as error:   # the probe sorts every exception
        kind = "refused" if hasattr(error, "_render_traceback_") and "\n" not in str(error) else "deep"
        return kind, f"{type(error).__name__}: {str(error)[:150]}"
    if "not the book's data" in err.getvalue() or loaded.attrs.get("notice"):
        return "notice", err.getvalue().strip()[:150]
    book = data.load(name, cut=cut)
    columns = [c for c in book.columns if c in loaded.columns]
    same = (len(book) == len(loaded) and loaded[columns].sort_values(columns).reset_index(drop=True).astype(str)
            .equals(book[columns].sort_values(columns).reset_index(drop=True).astype(str)))
    return ("loads-same" if same else "silent"), ""


def probe_data():
    results = {}
    for case, (expected, target, (edited, change)) in DATA_CASES.items():
        name, cut = target if isinstance(target, tuple) else (target, "primary")
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "data"
            shutil.copytree(BOOK_DATA, folder)
            change(folder)
            results[case] = (expected, *classify_load(name, cut, folder))
    return results


# ---------------------------------------------------------------------------
# Environment faults: each in a fresh Python, away from any copy of the book.

HIDE_BOOK = "import icaria.paths as p; from pathlib import Path; p.REPO_ROOT = Path('/nonexistent'); "
NO_PASSWD = "import pwd; pwd.getpwuid = lambda uid: (_ for _ in ()).throw(KeyError(uid)); "
LOAD = "from icaria import data; t = data.load('adsl'); print('LOADED', len(t))"
PROBE = """
import sys
try:
    {code}
except Exception as error:
    print('RAISED', type(error).__name__, str(error).replace(chr(10), ' | '))
"""


def run_case(code, env, cwd):
    result = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], env=env, cwd=cwd, capture_output=True,
                            text=True, timeout=120)
    last = (result.stdout.strip().splitlines() or [result.stderr.strip()[-200:] or "no output"])[-1]
    if last.startswith("LOADED"):
        return "loads-same", last
    if last.startswith("RAISED"):
        return ("refused" if last.split()[1] in KNOWN else "deep"), last[7:190]
    return "deep", last[:190]


def probe_environment():
    results = {}
    base = {k: v for k, v in os.environ.items() if k not in ("ICARIA_DATA_DIR", "XDG_CACHE_HOME")}
    base["PYTHONPATH"] = str(PACKAGE_ROOT)
    scratch = Path(tempfile.mkdtemp(prefix="icaria-probe-"))
    os.chmod(scratch, 0o755)
    away = scratch / "away"
    away.mkdir()
    cache = scratch / "cache"
    hidden = HIDE_BOOK + LOAD
    a_file = scratch / "a-file"
    a_file.write_text("not a folder")
    loop = scratch / "loop"
    loop.symlink_to(loop)
    readonly = Path("/sys/kernel")   # a folder even root cannot write in (sysfs)
    other_cut = scratch / "copied-final-os"
    shutil.copytree(BOOK_DATA / "final-os", other_cut)
    broken = scratch / "broken-cache"
    shutil.copytree(BOOK_DATA, broken / "icaria-mm" / icaria.__version__ / "data")
    for path in (broken / "icaria-mm" / icaria.__version__ / "data").rglob("*.csv"):
        path.write_bytes(b"")
    cases = {
        "read-only cache folder": ("refused", hidden, {"XDG_CACHE_HOME": str(readonly)}, away),
        "XDG_CACHE_HOME a file": ("refused", hidden, {"XDG_CACHE_HOME": str(a_file)}, away),
        "XDG_CACHE_HOME a symlink loop": ("refused", hidden, {"XDG_CACHE_HOME": str(loop)}, away),
        "no HOME, no passwd entry": ("refused", NO_PASSWD + hidden, {"HOME": None}, away),
        "no HOME, no passwd entry, ICARIA_DATA_DIR set": ("loads-same", NO_PASSWD + LOAD, {
            "HOME": None, "ICARIA_DATA_DIR": str(BOOK_DATA)}, away),
        "deleted working directory, ICARIA_DATA_DIR set": ("loads-same", "import os; os.chdir('gone'); "
                                                           "os.rmdir('../gone'); " + LOAD,
                                                           {"ICARIA_DATA_DIR": str(BOOK_DATA)}, scratch),
        "deleted working directory, in a cache": ("loads-same", "import os; os.chdir('gone2'); os.rmdir('../gone2');"
                                                  " " + hidden, {"XDG_CACHE_HOME": str(cache)}, scratch),
        "ICARIA_DATA_DIR a symlink loop": ("refused", LOAD, {"ICARIA_DATA_DIR": str(loop)}, away),
        "ICARIA_DATA_DIR a file": ("refused", LOAD, {"ICARIA_DATA_DIR": str(a_file)}, away),
        "ICARIA_DATA_DIR missing": ("refused", LOAD, {"ICARIA_DATA_DIR": str(scratch / "nowhere")}, away),
        "ICARIA_DATA_DIR = data/final-os": ("refused", LOAD, {"ICARIA_DATA_DIR": str(BOOK_DATA / "final-os")},
                                            away),
        "ICARIA_DATA_DIR holds a copy of the final-os cut": ("refused", LOAD.replace("'adsl'", "'adtte'"), {
            "ICARIA_DATA_DIR": str(other_cut)}, away),
        "a cache of 0-byte files (killed regeneration)": ("loads-same", hidden, {"XDG_CACHE_HOME": str(broken)},
                                                          away),
        "a fresh cache": ("loads-same", hidden, {"XDG_CACHE_HOME": str(cache)}, away),
    }
    for folder in ("gone", "gone2"):
        (scratch / folder).mkdir()
    for root, _, files in os.walk(scratch):
        for name in files:
            os.chmod(Path(root) / name, 0o644) if not (Path(root) / name).is_symlink() else None
    for case, (expected, code, extra, cwd) in cases.items():
        env = {**base, **{k: v for k, v in extra.items() if v is not None}}
        for key in (k for k, v in extra.items() if v is None):
            env.pop(key, None)
        results[case] = (expected, *run_case(code, env, cwd))
    shutil.rmtree(scratch, ignore_errors=True)
    return results


# ---------------------------------------------------------------------------
# Bad calls to public functions.

def bad_calls():
    from icaria import adverse_events, design, ipcw, landmark, population, regimens, response, timelines
    from icaria import survival as sv

    adsl, adtte, adae = data.load("adsl"), data.load("adtte"), data.load("adae")
    pfs, os_rows = sv.endpoint(adtte, "PFS"), sv.endpoint(adtte, "OS")
    responded = landmark.response_months_from(adtte)
    treated = {"Isa-Pd": 152, "Pd": 149}
    nan = float("nan")
    issue = {   # the calls the issue names
        "load(['adsl'])": lambda: data.load(["adsl"]),
        "endpoint(adsl, 'PFS')": lambda: sv.endpoint(adsl, "PFS"),
        "km_median(..., unit='DAYS')": lambda: sv.km_median(pfs, "Pd", unit="DAYS"),
        "incidence(adae, {'Isa-Pd': 152})": lambda: adverse_events.incidence(adae, {"Isa-Pd": 152}),
        "cut_twin('not a date')": lambda: timelines.cut_twin("not a date"),
        "schoenfeld_events(0.6, power='0.9')": lambda: design.schoenfeld_events(0.6, power="0.9"),
        "landmark_groups(..., nan)": lambda: landmark.landmark_groups(os_rows, responded, nan),
        "expected_events(nan, ...)": lambda: design.expected_events(nan, 13, 307, [6.5, 10.8]),
        "boundaries([])": lambda: design.boundaries([]),
    }
    more = {
        "load('adsl', data_dir=123)": lambda: data.load("adsl", data_dir=123),
        "load(None)": lambda: data.load(None),
        "load('adsl', cut=['primary'])": lambda: data.load("adsl", cut=["primary"]),
        "endpoint('adtte', 'PFS')": lambda: sv.endpoint("adtte", "PFS"),
        "endpoint(adtte, ['PFS'])": lambda: sv.endpoint(adtte, ["PFS"]),
        "km_median(adtte, 'Pd') (not one endpoint)": lambda: sv.km_median(adtte, "Pd"),
        "median_with_ci(pfs, 'Pd', method='plain')": lambda: sv.median_with_ci(pfs, "Pd", method="plain"),
        "cox_hr_ci(adsl)": lambda: sv.cox_hr_ci(adsl),
        "reverse_km_median_follow_up(adsl)": lambda: sv.reverse_km_median_follow_up(adsl),
        "spending('0.5')": lambda: design.spending("0.5"),
        "spending(nan)": lambda: design.spending(nan),
        "boundaries(0.5)": lambda: design.boundaries(0.5),
        "boundaries([0.5, nan])": lambda: design.boundaries([0.5, nan]),
        "expected_events(-5, ...)": lambda: design.expected_events(-5, 13, 307, [6.5, 10.8]),
        "expected_events(..., median_by_arm=10.8)": lambda: design.expected_events(12, 13, 307, 10.8),
        "expected_events(..., median_by_arm=[])": lambda: design.expected_events(12, 13, 307, []),
        "schoenfeld_events(nan)": lambda: design.schoenfeld_events(nan),
        "schoenfeld_events(None)": lambda: design.schoenfeld_events(None),
        "simulated_power(..., rng=None)": lambda: design.simulated_power(0.6, 162, 150, 10, None),
        "simulated_power(events=162.5)": lambda: design.simulated_power(0.6, 162.5, 150, 10,
                                                                         np.random.default_rng(1)),
        "incidence(adsl, treated)": lambda: adverse_events.incidence(adsl, treated),
        "incidence(..., terms='Anaemia')": lambda: adverse_events.incidence(adae, treated, terms="Anaemia"),
        "incidence(..., treated={'Isa-Pd': nan, 'Pd': 149})": lambda: adverse_events.incidence(
            adae, {"Isa-Pd": nan, "Pd": 149}),
        "incidence(..., min_grade=nan)": lambda: adverse_events.incidence(adae, treated, min_grade=nan),
        "landmark_groups(..., '3')": lambda: landmark.landmark_groups(os_rows, responded, "3"),
        "landmark_groups(adsl, ..., 3)": lambda: landmark.landmark_groups(adsl, responded, 3),
        "landmark_groups(..., None, 3)": lambda: landmark.landmark_groups(os_rows, None, 3),
        "cut_twin(None)": lambda: timelines.cut_twin(None),
        "cut_twin(nan)": lambda: timelines.cut_twin(nan),
        "patient_timelines(adtte, adsl) (swapped)": lambda: timelines.patient_timelines(adtte, adsl),
        "consort_counts(adtte)": lambda: population.consort_counts(adtte),
        "table1_comparison(adtte)": lambda: population.table1_comparison(adtte),
        "ipcw_hazard_ratio(adtte, adsl) (swapped)": lambda: ipcw.ipcw_hazard_ratio(adtte, adsl),
        "response_summary('XX', 'beta')": lambda: response.response_summary("XX", "beta"),
        "dosing_schedule('Isa-Pd', 4, 'old')": lambda: regimens.dosing_schedule("Isa-Pd", 4, "old"),
        "dosing_schedule('Isa-Pd', nan, '<75')": lambda: regimens.dosing_schedule("Isa-Pd", nan, "<75"),
    }
    return issue, more


# ---------------------------------------------------------------------------
# Issue 33: every public analysis function a chapter calls, with the bad calls a careful
# tester tries (NaN or negative times, an arm without events, one arm, all censored,
# duplicated patients, unknown options, levels outside (0, 1), tau or step not
# positive, collinear covariates, missing columns, ambiguous dates, empty tables).

def with_cell(rows, position, column, value):
    """``rows`` with one cell changed (row counted from 0)."""
    changed = rows.copy()
    changed.iloc[position, changed.columns.get_loc(column)] = value
    return changed


def issue33_calls():
    from matplotlib.figure import Figure

    from icaria import (
        adverse_events,
        allocation,
        design,
        ipcw,
        landmark,
        multiplicity,
        numbers,
        plots,
        population,
        regimens,
        reporting,
        response,
        timelines,
    )
    from icaria import survival as sv

    adsl, adtte, adae = data.load("adsl"), data.load("adtte"), data.load("adae")
    pfs, os_rows = sv.endpoint(adtte, "PFS"), sv.endpoint(adtte, "OS")
    responded = landmark.response_months_from(adtte)
    months, events = pfs["MONTHS"].to_numpy(), pfs["EVENT"].to_numpy()
    nan_time = with_cell(pfs, 3, "MONTHS", np.nan)
    negative = with_cell(pfs, 5, "MONTHS", -2.0)
    no_pd_events = pfs.assign(EVENT=np.where(pfs["TRT01P"] == "Pd", 0, pfs["EVENT"]))
    one_arm = pfs[pfs["TRT01P"] == "Pd"]
    censored = pfs.assign(EVENT=0)
    doubled = pd.concat([pfs, pfs.iloc[:2]])
    empty = pfs.iloc[0:0]
    band = sv.km_confidence(months, events)
    person = ipcw.person_months(adsl, adtte)
    landmarked = landmark.landmark_groups(os_rows, responded, 3)
    flat = np.column_stack([pfs["ISAPD"], pfs["ISAPD"]])
    strata = pfs["STRAT1R"].to_numpy()
    forms = {
        # survival: the rows a chapter passes
        "km_median: a missing time": lambda: sv.km_median(nan_time, "Isa-Pd"),
        "median_with_ci: method 'LOG-LOG'": lambda: sv.median_with_ci(pfs, "Pd", method="LOG-LOG"),
        "median_with_ci: empty rows": lambda: sv.median_with_ci(empty, "Pd"),
        "cox_hr_ci: ties 'Efron'": lambda: sv.cox_hr_ci(pfs, ties="Efron"),
        "cox_hr_ci: stratified 'yes'": lambda: sv.cox_hr_ci(pfs, stratified="yes"),
        "cox_hr_ci: Pd without events": lambda: sv.cox_hr_ci(no_pd_events),
        "cox_hr_ci: one arm": lambda: sv.cox_hr_ci(one_arm),
        "cox_hr_ci: a negative time": lambda: sv.cox_hr_ci(negative),
        "stratified_cox_hr: all censored": lambda: sv.stratified_cox_hr(censored),
        "logrank_one_sided (unstratified): one arm": lambda: sv.logrank_one_sided(one_arm, stratified=False),
        "logrank_one_sided: all censored": lambda: sv.logrank_one_sided(censored, stratified=False),
        "logrank_two_sided: duplicated patients": lambda: sv.logrank_two_sided(doubled),
        "logrank_two_sided: empty rows": lambda: sv.logrank_two_sided(empty),
        "hazard_ratios_by_ties: rows, not a dict": lambda: sv.hazard_ratios_by_ties(pfs),
        "hazard_ratios_by_ties: Pd without events": lambda: sv.hazard_ratios_by_ties({"PFS": no_pd_events}),
        "reverse_km_median_follow_up: a missing time": lambda: sv.reverse_km_median_follow_up(nan_time),
        "reverse_km_follow_up_quartiles: empty rows": lambda: sv.reverse_km_follow_up_quartiles(empty),
        "reverse_km_follow_up_quartiles: duplicated": lambda: sv.reverse_km_follow_up_quartiles(doubled),
        "endpoint: empty adtte": lambda: sv.endpoint(adtte.iloc[0:0], "PFS"),
        "endpoint: 'Pfs'": lambda: sv.endpoint(adtte, "Pfs"),
        # survival: arrays
        "rmst_with_se: tau 0": lambda: sv.rmst_with_se(months, events, 0),
        "rmst_with_se: tau nan": lambda: sv.rmst_with_se(months, events, np.nan),
        "rmst_with_se: tau '15'": lambda: sv.rmst_with_se(months, events, "15"),
        "rmst_with_se: tau past the last follow-up": lambda: sv.rmst_with_se(months, np.zeros_like(events), 100),
        "km_steps: a missing time": lambda: sv.km_steps([1.0, np.nan, 3.0], [1, 1, 0]),
        "km_steps: a negative time": lambda: sv.km_steps([1.0, -2.0, 3.0], [1, 1, 0]),
        "km_steps: EVENT 2": lambda: sv.km_steps([1.0, 2.0, 3.0], [1, 2, 0]),
        "km_steps: no patients": lambda: sv.km_steps([], []),
        "km_confidence: method 'Log'": lambda: sv.km_confidence(months, events, method="Log"),
        "km_confidence: a missing time": lambda: sv.km_confidence([1.0, np.nan, 3.0], [1, 1, 0]),
        "km_confidence: lengths differ": lambda: sv.km_confidence([1.0, 2.0, 3.0], [1, 0]),
        "km_at: at -1": lambda: sv.km_at(months, events, -1),
        "km_at: at nan": lambda: sv.km_at(months, events, np.nan),
        "km_at: at '12'": lambda: sv.km_at(months, events, "12"),
        "km_quantile: level 50": lambda: sv.km_quantile(band[0], band[1], 50),
        "km_quantile: level nan": lambda: sv.km_quantile(band[0], band[1], np.nan),
        "km_quantile: times and curve differ in length": lambda: sv.km_quantile(band[0], band[1][:-3], 0.5),
        "median_ci_from_band: level 95": lambda: sv.median_ci_from_band(band, level=95),
        "median_ci_from_band: not a band": lambda: sv.median_ci_from_band(pfs),
        "first_time_at_or_below: level 0": lambda: sv.first_time_at_or_below(band[0], band[1], 0),
        "ph_score_test: a missing time": lambda: sv.ph_score_test(nan_time["MONTHS"], pfs["EVENT"], pfs["ISAPD"],
                                                                  strata, -0.5),
        "ph_score_test: transform 'KM'": lambda: sv.ph_score_test(months, events, pfs["ISAPD"], strata, -0.5,
                                                                  transform="KM"),
        "ph_score_test: beta nan": lambda: sv.ph_score_test(months, events, pfs["ISAPD"], strata, np.nan),
        "ph_score_test: one arm (a constant covariate)": lambda: sv.ph_score_test(
            months, events, np.ones(len(months)), strata, 0.0),
        "ph_score_test: all censored": lambda: sv.ph_score_test(months, 0 * events, pfs["ISAPD"], strata, 0.0),
        "weighted_cox: stop before start": lambda: sv.weighted_cox(months, months - 1, events, pfs["ISAPD"]),
        "weighted_cox: negative weights": lambda: sv.weighted_cox(0 * months, months, events, pfs["ISAPD"],
                                                                  weights=-np.ones(len(months))),
        "weighted_cox: Pd without events": lambda: sv.weighted_cox(0 * months, months, no_pd_events["EVENT"],
                                                                   pfs["ISAPD"]),
        "weighted_cox: a missing time": lambda: sv.weighted_cox(0 * months, nan_time["MONTHS"], events,
                                                                pfs["ISAPD"]),
        "cox_by_group: ties 'Breslow'": lambda: sv.cox_by_group(months, events, pfs["ISAPD"],
                                                               np.zeros(len(months)), ties="Breslow"),
        "cox_by_group: a group without events": lambda: sv.cox_by_group(months, no_pd_events["EVENT"],
                                                                        pfs["ISAPD"], pfs["ISAPD"]),
        "cox_by_group: a missing time": lambda: sv.cox_by_group(nan_time["MONTHS"], events, pfs["ISAPD"],
                                                                np.zeros(len(months))),
        "cox_log_likelihood: collinear covariates": lambda: sv.cox_log_likelihood(months, events, flat),
        "cox_log_likelihood: all censored": lambda: sv.cox_log_likelihood(months, 0 * events, pfs["ISAPD"]),
        "cox_log_likelihood: a negative time": lambda: sv.cox_log_likelihood(negative["MONTHS"], events,
                                                                             pfs["ISAPD"]),
        "cox_log_likelihood: covariates of another length": lambda: sv.cox_log_likelihood(
            months, events, pfs["ISAPD"].to_numpy()[:-1]),
        # plots: the Kaplan-Meier figure with its risk table
        "km_with_risk_table: step 0": lambda: plots.km_with_risk_table(Figure().subplots(), pfs, step=0),
        "km_with_risk_table: xmax -5": lambda: plots.km_with_risk_table(Figure().subplots(), pfs, xmax=-5),
        "km_with_risk_table: a missing time": lambda: plots.km_with_risk_table(Figure().subplots(), nan_time),
        "km_with_risk_table: duplicated patients": lambda: plots.km_with_risk_table(Figure().subplots(), doubled),
        # design and multiplicity
        "spending: family 'Pocock'": lambda: design.spending(0.5, family="Pocock"),
        "boundaries: family 'OBrien-Fleming'": lambda: design.boundaries([0.5, 1], family="OBrien-Fleming"),
        "boundaries: alpha 2.5 (a percentage)": lambda: design.boundaries([0.5, 1], alpha_one_sided=2.5),
        "schoenfeld_events: power 90": lambda: design.schoenfeld_events(0.6, power=90),
        "simulated_power: 0 trials": lambda: design.simulated_power(0.6, 162, 150, 0, np.random.default_rng(1)),
        "expected_events: a median nan": lambda: design.expected_events(12, 13, 307, [6.5, np.nan]),
        "drift: events -1": lambda: multiplicity.drift(0.6, -1),
        "drift: allocation 50": lambda: multiplicity.drift(0.6, 162, allocation=50),
        "conditional_power: fraction 85": lambda: multiplicity.conditional_power(2.0, 85, 3.0, 1.96),
        "futility_z: threshold 10": lambda: multiplicity.futility_z(0.5, 1.96, threshold=10),
        "alphas_after: 'pfs' (case)": lambda: multiplicity.alphas_after(["pfs"]),
        "graph_rejects: a p-value missing": lambda: multiplicity.graph_rejects({"PFS": 0.001, "ORR": 0.01}),
        "graph_rejects: p 5": lambda: multiplicity.graph_rejects({"PFS": 5, "ORR": 0.01, "OS": 0.01}),
        # ipcw
        "ipcw_hazard_ratio: empty adsl": lambda: ipcw.ipcw_hazard_ratio(adsl.iloc[0:0], adtte),
        "ipcw_hazard_ratio: a patient twice in adsl": lambda: ipcw.ipcw_hazard_ratio(
            pd.concat([adsl, adsl.iloc[:1]]), adtte),
        "ipcw_hazard_ratio: a patient twice in adtte": lambda: ipcw.ipcw_hazard_ratio(
            adsl, pd.concat([adtte, adtte.iloc[:1]])),
        "ipcw_hazard_ratio: a missing OS time": lambda: ipcw.ipcw_hazard_ratio(
            adsl, adtte.assign(AVAL=np.where((adtte["PARAMCD"] == "OS") & (adtte.index == adtte.index[
                adtte["PARAMCD"] == "OS"][0]), np.nan, adtte["AVAL"]))),
        "person_months: lag -1": lambda: ipcw.person_months(adsl, adtte, lag=-1),
        "person_months: lag nan": lambda: ipcw.person_months(adsl, adtte, lag=np.nan),
        "person_months: adtte without TTNT": lambda: ipcw.person_months(adsl, adtte[adtte["PARAMCD"] != "TTNT"]),
        "switchers: tables swapped": lambda: ipcw.switchers(adtte, adsl),
        "stabilised_weights: adsl": lambda: ipcw.stabilised_weights(adsl),
        "stabilised_weights: nobody switches": lambda: ipcw.stabilised_weights(person.assign(switch=0)),
        "censored_cox: weights of another length": lambda: ipcw.censored_cox(person, np.ones(3)),
        "censored_cox: negative weights": lambda: ipcw.censored_cox(person, -np.ones(len(person))),
        "censored_cox: no deaths": lambda: ipcw.censored_cox(person.assign(death=0)),
        "with_robust_ci: level 95": lambda: ipcw.with_robust_ci((-0.3, 0.2, 0.21), level=95),
        "with_robust_ci: a fit of two numbers": lambda: ipcw.with_robust_ci((-0.3, 0.2)),
        "bootstrap_hazard_ratios: 0 replicates": lambda: ipcw.bootstrap_hazard_ratios(person, replicates=0),
        "bootstrap_hazard_ratios: 2.5 replicates": lambda: ipcw.bootstrap_hazard_ratios(person, replicates=2.5),
        # landmark
        "landmark_groups: a missing time": lambda: landmark.landmark_groups(
            with_cell(os_rows, 3, "MONTHS", np.nan), responded, 3),
        "landmark_groups: duplicated patients": lambda: landmark.landmark_groups(
            pd.concat([os_rows, os_rows.iloc[:2]]), responded, 3),
        "landmark_groups: a negative response time": lambda: landmark.landmark_groups(
            os_rows, responded.where(responded.index != responded.index[0], -1.0), 3),
        "responder_hazard_ratio: adsl": lambda: landmark.responder_hazard_ratio(adsl),
        "responder_hazard_ratio: collinear (everyone a responder)": lambda: landmark.responder_hazard_ratio(
            landmarked.assign(responder=1)),
        "responder_hazard_ratio: a missing time": lambda: landmark.responder_hazard_ratio(
            with_cell(landmarked, 0, "MONTHS", np.nan)),
        "response_months_from: adsl": lambda: landmark.response_months_from(adsl),
        # response
        "response_summary: method 'Wilson'": lambda: response.response_summary("PR", "Wilson"),
        "response_summary: depth 'pr'": lambda: response.response_summary("pr", "wilson"),
        "responders_at_least: 'vgpr'": lambda: response.responders_at_least("vgpr"),
        # adverse events
        "incidence: min_grade '3'": lambda: adverse_events.incidence(adae, {"Isa-Pd": 152, "Pd": 149}, min_grade="3"),
        "incidence: empty adae": lambda: adverse_events.incidence(adae.iloc[0:0], {"Isa-Pd": 152, "Pd": 149}),
        "incidence: fewer treated than patients with the term": lambda: adverse_events.incidence(
            adae, {"Isa-Pd": 5, "Pd": 149}),
        "incidence: a term twice for a patient": lambda: adverse_events.incidence(
            pd.concat([adae, adae.iloc[:1]]), {"Isa-Pd": 152, "Pd": 149}),
        "incidence: 152.5 treated": lambda: adverse_events.incidence(adae, {"Isa-Pd": 152.5, "Pd": 149}),
        "sort_table: order 'Difference'": lambda: adverse_events.sort_table(
            adverse_events.incidence(adae, {"Isa-Pd": 152, "Pd": 149}), "Difference"),
        "sort_table: a table without the columns": lambda: adverse_events.sort_table(adae, "difference"),
        # population
        "consort_counts: ITTFL missing": lambda: population.consort_counts(adsl.drop(columns="ITTFL")),
        "consort_counts: empty adsl": lambda: population.consort_counts(adsl.iloc[0:0]),
        "consort_counts: a patient twice": lambda: population.consort_counts(pd.concat([adsl, adsl.iloc[:1]])),
        "consort_counts: arm 'isa-pd'": lambda: population.consort_counts(
            adsl.assign(TRT01P=adsl["TRT01P"].replace({"Isa-Pd": "isa-pd"}))),
        "table1_comparison: empty adsl": lambda: population.table1_comparison(adsl.iloc[0:0]),
        "table1_comparison: a patient twice": lambda: population.table1_comparison(pd.concat([adsl, adsl.iloc[:1]])),
        # allocation
        "simulate: scheme 'Simple'": lambda: allocation.simulate("Simple", trials=2),
        "simulate: rng 1": lambda: allocation.simulate("simple", trials=2, rng=1),
        "right_guesses: block size 0": lambda: allocation.right_guesses(np.ones((2, 8), dtype=int), 0),
        "right_guesses: assignments of 2": lambda: allocation.right_guesses(np.full((2, 8), 2), 4),
        "right_guesses: one list, not rows": lambda: allocation.right_guesses(np.ones(8, dtype=int), 4),
        # timelines
        "cut_twin: '10/11/2018'": lambda: timelines.cut_twin("10/11/2018"),
        "cut_twin: '2018-13-01'": lambda: timelines.cut_twin("2018-13-01"),
        "cut_twin: '11.10.2018'": lambda: timelines.cut_twin("11.10.2018"),
        "cut_twin: 20181011": lambda: timelines.cut_twin(20181011),
        "patient_timelines: a patient twice in adtte": lambda: timelines.patient_timelines(
            adsl, pd.concat([adtte, adtte.iloc[:1]])),
        "patient_timelines: empty adtte": lambda: timelines.patient_timelines(adsl, adtte.iloc[0:0]),
        "patient_timelines: adtte without OS": lambda: timelines.patient_timelines(
            adsl, adtte[adtte["PARAMCD"] != "OS"]),
        "pick_examples: adsl": lambda: timelines.pick_examples(adsl),
        # regimens
        "dosing_schedule: arm 'isa-pd'": lambda: regimens.dosing_schedule("isa-pd", 4, "<75"),
        "dosing_schedule: 4.0 cycles": lambda: regimens.dosing_schedule("Isa-Pd", 4.0, "<75"),
        # reporting
        "simulate_ghs: tables swapped": lambda: reporting.simulate_ghs(os_rows, adsl),
        "simulate_ghs: an unknown model parameter": lambda: reporting.simulate_ghs(adsl, os_rows,
                                                                                  model={"slope": 1}),
        "simulate_ghs: a patient twice": lambda: reporting.simulate_ghs(adsl, pd.concat([os_rows, os_rows.iloc[:1]])),
        "simulate_ghs: answered 1.5": lambda: reporting.simulate_ghs(adsl, os_rows,
                                                                    model={"answered_on_treatment": 1.5}),
        # numbers
        "p_value: 1.5": lambda: numbers.p_value(1.5),
        "p_value: -0.01": lambda: numbers.p_value(-0.01),
        "shown: 'abc'": lambda: numbers.shown("abc"),
        "shown_table: decimals -1": lambda: numbers.shown_table(pd.DataFrame({"x": [1.25]}), decimals=-1),
        "shown_table: a p column that is not there": lambda: numbers.shown_table(pd.DataFrame({"x": [0.01]}),
                                                                                 p_columns=("p",)),
        "shown_rows: fewer decimals than rows": lambda: numbers.shown_rows(pd.DataFrame({"x": [1.25, 2.5]}), [1]),
    }
    return forms


def classify_call(call):
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            answer = call()
    except Exception as error:   # the probe sorts every exception
        kind = "refused" if hasattr(error, "_render_traceback_") and "\n" not in str(error) else "deep"
        return kind, f"{type(error).__name__}: {str(error)[:150]}"
    return "silent", f"returned {str(answer)[:80]!r}".replace("\n", " ")


def probe_calls():
    issue, more = bad_calls()
    results = {f"[issue] {name}": ("refused", *classify_call(call)) for name, call in issue.items()}
    results.update({name: ("refused", *classify_call(call)) for name, call in more.items()})
    results.update({f"[33] {name}": ("refused", *classify_call(call)) for name, call in issue33_calls().items()})
    return results


def report(title, results):
    print(f"\n## {title}")
    for case, (expected, got, detail) in results.items():
        mark = "  " if got == expected else "!!"
        print(f"{mark} {got:<10} (want {expected:<10}) {case}: {detail}")
    tally = Counter(got for _, got, _ in results.values())
    print("tally: " + " / ".join(f"{kind} {tally.get(kind, 0)}"
                                 for kind in ("loads-same", "notice", "refused", "deep", "silent")))
    return tally


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("data", "environment", "calls"))
    args = parser.parse_args(argv)
    total = Counter()
    probes = {"data": probe_data, "environment": probe_environment, "calls": probe_calls}
    for name, probe in probes.items():
        if args.only in (None, name):
            total += report(name, probe())
    print("\nall: " + " / ".join(f"{kind} {total.get(kind, 0)}"
                                 for kind in ("loads-same", "notice", "refused", "deep", "silent")))


if __name__ == "__main__":
    main()
