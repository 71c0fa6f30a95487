"""Loading the twin's data files, with one clear message when something is wrong.

The files under ``data/`` are simulated (see ``data/README.md``). :func:`load`
checks that a file exists, reads as CSV, has the columns the book relies on, holds
values of the right kind in them, and means what the data dictionary says (the
rules a reviewer runs across ADaM datasets: days agree with dates, no date after
the cutoff, censoring agrees with its descriptions, every patient has every
expected row, flags agree with each other); otherwise it raises
:class:`DataFileError` naming the file and the rule. A file that passes but whose
content is not the book's (an edit made on purpose) loads with a notice, printed
under the cell: numbers will differ from the book's.
"""

import csv
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from icaria import cache, paths, provenance, published
from icaria.arguments import DataArgumentError, DataFileError
from icaria.published import ARMS
from icaria.vocabulary import AE_TERMS, CENSOR_DESCRIPTIONS, EVENT_DESCRIPTIONS, EVENTS_BY_PARAMETER, PARAMETER_NAMES

CUTS = {"primary": "", "final-os": "final-os"}
CUTOFFS = {"primary": published.PRIMARY_CUTOFF, "final-os": published.FINAL_OS_CUTOFF}

# Columns each file must have, and what each may hold: a kind ("text", "arm", "flag",
# "date", "number", "optional", "optional number"; "if present": a column no analysis
# needs, checked when the file has it), a tuple of the allowed codes, or a Range. Every
# column any chapter reads is here.
@dataclass(frozen=True)
class Range:
    """Numbers from ``low`` to ``high``; ``whole``: integers only."""

    low: float
    high: float
    whole: bool = False
    optional: bool = False


AGE_GROUPS = ("<65", "65-74", ">=75")
STRAT_AGE, STRAT_LINES = ("<75", ">=75"), ("2-3", ">3")
TTE_PARAMS = ("PFS", "PFSNC", "PFSNT", "PFSINV", "PFSINVSD", "TTP", "OS", "DOR", "TTR", "TTNT")
EVERY_PATIENT_PARAMS = ("PFS", "PFSNC", "PFSNT", "PFSINV", "PFSINVSD", "TTP", "OS", "TTNT")
STOP_REASONS = ("Progressive disease", "Adverse event", "Death", "Other")
DAYS = Range(0, 20_000, whole=True)
VGPR_OR_BETTER = published.BEST_RESPONSE_ORDER[:3]
LISTED_CODES = 12   # a message lists the allowed codes of a column up to this many
SCHEMAS = {
    "adsl": {"USUBJID": "text", "TRT01P": "arm", "ITTFL": "flag", "SAFFL": "flag", "RANDDT": "date",
             "AGE": Range(18, 100), "AGEGR1": AGE_GROUPS, "SEX": ("F", "M"), "STRAT1R": STRAT_AGE,
             "STRAT2R": STRAT_LINES, "PRIORLINES": Range(1, 20, whole=True), "YRSDIAG": Range(0, 60),
             "CYTORISK": ("High", "Standard", "Missing"), "ISSENTRY": ("I", "II", "III", "Unknown"),
             "MRDNEG": "flag", "DTHFL": "flag", "LSTALVDT": "date", "EGFRGR1": ("<30", "30-<60", ">=60", "Missing"),
             "MMTYPE": ("IgA", "IgG", "Light chain", "Other"), "ISSDIAG": ("I", "II", "III", "Unknown"),
             "ASTHCOPD": "flag", "PRIORASCT": "flag", "PRIORALK": "flag", "PRIORDARA": "flag", "REFLAST": "flag",
             "REFIMID": "flag", "REFLEN": "flag", "REFPI": "flag", "REFLENPI": "flag", "REFLENLST": "flag",
             "POMRED": ("Y", "N", ""), "DEXRED": ("Y", "N", ""),
             "EOTSTT": ("ONGOING", "DISCONTINUED", "NOT TREATED"),
             "DCTREAS": STOP_REASONS + ("",), "TRTDURD": DAYS, "RDIISA": Range(0, 500, optional=True),
             "RDIPOM": Range(0, 500, optional=True), "RDIDEX": Range(0, 500, optional=True),
             "NTDARA": ("Y", "N", "")},
    "adtte": {"USUBJID": "text", "TRT01P": "arm", "STRAT1R": STRAT_AGE, "STRAT2R": STRAT_LINES,
              "PARAMCD": TTE_PARAMS, "PARAM": "if present", "AVAL": DAYS, "CNSR": (0, 1),
              "STARTDT": "date", "ADT": "date", "EVNTDESC": EVENT_DESCRIPTIONS + ("",),
              "CNSDTDSC": CENSOR_DESCRIPTIONS + ("",)},
    "adrs": {"USUBJID": "text", "TRT01P": "arm", "PARAMCD": ("BOR", "BORINV"),
             "PARAM": "if present", "AVALC": published.BEST_RESPONSE_ORDER},
    "adae": {"USUBJID": "text", "TRT01P": "arm", "AEDECOD": AE_TERMS, "AETOXGR": Range(1, 5, whole=True),
             "TRTEMFL": "flag", "ASTDY": DAYS, "AESER": "flag"},
    "adlb": {"USUBJID": "text", "TRT01P": "arm", "PARAMCD": ("NEUT", "PLAT", "HGB"),
             "PARAM": "if present", "ATOXGR": Range(0, 4, whole=True)},
}
# Files that belong to no data cut: the twin's randomisation list.
UNCUT_SCHEMAS = {
    "allocation": {"USUBJID": "text", "RANDDT": "date", "STRAT1R": STRAT_AGE, "STRAT2R": STRAT_LINES,
                   "STRATUM_SEQ": Range(1, 1000, whole=True), "BLOCK": Range(1, 1000, whole=True), "TRT01P": "arm"},
}
# What identifies a row: no two rows of a file may share it.
KEYS = {"adsl": ["USUBJID"], "adtte": ["USUBJID", "PARAMCD"], "adrs": ["USUBJID", "PARAMCD"],
        "adae": ["USUBJID", "AEDECOD"], "adlb": ["USUBJID", "PARAMCD"], "allocation": ["USUBJID"]}


def data_path(name, cut="primary", data_dir=None):
    """Path of dataset ``name`` at data cut ``cut`` (a DataFileError names an unknown one)."""
    if not isinstance(name, str) or (name not in SCHEMAS and name not in UNCUT_SCHEMAS):
        raise DataArgumentError(f"Unknown dataset {name!r}; the book has {', '.join([*SCHEMAS, *UNCUT_SCHEMAS])}.")
    if not isinstance(cut, str) or cut not in CUTS:
        raise DataArgumentError(f"Unknown data cut {cut!r}; the book has {', '.join(CUTS)}.")
    if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
        raise DataArgumentError(f"data_dir must name a folder (a str or Path); got {data_dir!r}.")
    folder = Path(data_dir or cache.data_dir())
    return folder / f"{name}.csv" if name in UNCUT_SCHEMAS else folder / CUTS[cut] / f"{name}.csv"


def load(name, cut="primary", data_dir=None):
    """Read one dataset (``adsl``, ``adtte``, ``adrs``, ``adae``, ``adlb`` of a data cut,
    or the randomisation list ``allocation``), checked against its schema, its meaning
    and, when the folder has one, ``adsl.csv`` (the same patients, arms and strata).
    A file whose content is not the book's loads with a printed notice."""
    path = data_path(name, cut, data_dir)
    shown = _shown(path)
    cells = read_cells(path, shown)
    notice = provenance_notice(name, cut, cells, shown, by_variable=data_dir is None)
    table = checked(name, cut, cells.copy(), path, shown)
    if notice:
        print(notice, file=sys.stderr, flush=True)
        table.attrs["notice"] = notice
    return table


def provenance_notice(name, cut, cells, shown, by_variable):
    """None if the file holds the book's data (its content, however re-saved); a notice
    if it differs; a DataFileError naming the other cut if it is that cut's file."""
    book, other = book_content(name, cut), book_content(name, other_cut(cut))
    if book is None or provenance.fingerprint(cells, book["columns"]) == book["sha256"]:
        return None
    if other is not None and other["sha256"] != book["sha256"] and \
            provenance.fingerprint(cells, other["columns"]) == other["sha256"]:
        where = f" ({paths.DATA_ENV} names the wrong folder)" if by_variable and os.environ.get(paths.DATA_ENV) else ""
        raise DataFileError(f"{shown}: this is {name}.csv of the {other_cut(cut)} data cut (cutoff "
                            f"{CUTOFFS[other_cut(cut)]}), not of the {cut} cut{where}; restore the book's file "
                            "(git checkout -- data).")
    return f"Note: {shown} is not the book's data: numbers will differ from the book's."


def other_cut(cut):
    """The data cut that is not ``cut``."""
    return next(other for other in CUTS if other != cut)


def book_content(name, cut):
    """The book's fingerprint of dataset ``name`` at ``cut`` (None if the package has none)."""
    key = f"{name}.csv" if name in UNCUT_SCHEMAS or not CUTS[cut] else f"{CUTS[cut]}/{name}.csv"
    return provenance.book_fingerprints().get(key)


def read_cells(path, shown):
    """Every cell of the file as text; one message if it is missing or not a CSV file.
    Rows that are wholly empty at the end of the file (a spreadsheet's) are dropped."""
    if not path.is_file():
        book_data = path.parent.parent if path.parent.name == CUTS["final-os"] else path.parent
        raise DataFileError(f"{shown}: file not found. Restore it from the book's repository "
                            "(git checkout -- data), or regenerate the simulated data with "
                            f"`python -m icaria.twin --out {book_data}`.")
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), [])
        table = provenance.read_cells(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, csv.Error) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataFileError(f"{shown}: cannot be read as CSV ({first_line}).") from None
    except OSError as error:
        raise DataFileError(f"{shown}: cannot be read ({error.strerror}).") from None
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        raise DataFileError(f"{shown}: the header names column(s) {', '.join(repeated)} twice; each column "
                            "appears once (pandas would rename the second and read the wrong one).")
    filled = table.notna().any(axis=1).to_numpy()
    table = table.iloc[: (filled.nonzero()[0].max() + 1) if filled.any() else 0]
    if table.empty:
        raise DataFileError(f"{shown}: has a header but no rows (file truncated?).")
    return table


def checked(name, cut, table, path, shown):
    """The table typed by its schema, after every rule of its kind and against adsl."""
    table = check_columns(table, SCHEMAS.get(name) or UNCUT_SCHEMAS[name], shown)
    check_keys(table, KEYS[name], shown)
    if name in ("adsl", "allocation"):
        check_every_randomised_patient(table, shown)
    adsl = None
    companion = path.with_name("adsl.csv")
    if name not in ("adsl", "allocation") and companion.is_file():
        adsl = checked("adsl", cut, read_cells(companion, _shown(companion)), companion, _shown(companion))
        check_against_adsl(table, adsl, shown)
    if name == "adtte":
        check_every_patient_has_each_endpoint(table, shown)
    if name in PARAMETER_NAMES and "PARAM" in table:
        refuse_where(table["PARAM"] != table["PARAMCD"].map(PARAMETER_NAMES[name]), table, shown,
                     "PARAM is the description of its PARAMCD in the data dictionary (icaria/vocabulary.py)")
    RULES.get(name, lambda *_: None)(table, shown, pd.Timestamp(CUTOFFS[cut]))
    if adsl is not None:
        AGAINST_ADSL.get(name, lambda *_: None)(table, adsl, shown, pd.Timestamp(CUTOFFS[cut]))
    return table


def refuse_where(bad, table, shown, rule):
    """One message naming the first row that breaks ``rule`` (its line and patient)."""
    bad = pd.Series(bad, index=table.index).fillna(False).astype(bool)
    if bad.any():
        position = int(bad.to_numpy().argmax())
        patient = table["USUBJID"].iloc[position]
        raise DataFileError(f"{shown}: line {position + 2} (patient {patient}) breaks a rule: {rule} "
                            f"({int(bad.sum())} row(s) break it).")


def adsl_rules(table, shown, cutoff):
    """Age, its group and its stratum agree; the safety flag agrees with treatment and dose
    intensities; no date after the cutoff; a patient on treatment was seen recently."""
    age = table["AGE"]
    group = pd.cut(age, [-1, 64.999, 74.999, 200], labels=list(AGE_GROUPS)).astype(str)
    refuse_where(group != table["AGEGR1"], table, shown, "AGEGR1 is the group of AGE (<65, 65-74, >=75)")
    refuse_where((age >= 75) != (table["STRAT1R"] == ">=75"), table, shown,
                 "the age stratum STRAT1R agrees with AGE (>=75 or <75)")
    untreated = table["SAFFL"] == "N"
    refuse_where(untreated != (table["EOTSTT"] == "NOT TREATED"), table, shown,
                 "SAFFL is N exactly when EOTSTT is NOT TREATED (the safety population received a dose)")
    refuse_where(untreated != (table["TRTDURD"] == 0), table, shown, "TRTDURD is 0 exactly when SAFFL is N")
    refuse_where((table["TRT01P"] == "Pd") & table["RDIISA"].notna(), table, shown,
                 "RDIISA is empty for Pd (isatuximab is not given in that arm)")
    refuse_where(untreated & table[["RDIISA", "RDIPOM", "RDIDEX"]].notna().any(axis=1), table, shown,
                 "relative dose intensities are empty for a patient never treated")
    for column in ("RANDDT", "LSTALVDT"):
        refuse_where(table[column] > cutoff, table, shown, f"{column} on or before the cutoff {cutoff:%Y-%m-%d}")
    weeks = published.NO_RECENT_CONTACT_DAYS // 7
    refuse_where((table["EOTSTT"] == "ONGOING") & ((cutoff - table["LSTALVDT"]).dt.days
                                                   > published.NO_RECENT_CONTACT_DAYS), table, shown,
                 f"a patient on treatment at the cutoff (EOTSTT ONGOING) was seen in its last {weeks} weeks "
                 "(LSTALVDT)")


def adtte_rules(table, shown, cutoff):
    """AVAL counts the days from STARTDT to ADT; no ADT after the cutoff; CNSR agrees with
    EVNTDESC and CNSDTDSC."""
    days = (table["ADT"] - table["STARTDT"]).dt.days + 1
    refuse_where(table["AVAL"] != days, table, shown, "AVAL equals ADT - STARTDT + 1 days")
    refuse_where(table["ADT"] > cutoff, table, shown, f"ADT on or before the cutoff {cutoff:%Y-%m-%d}")
    event = table["CNSR"] == 0
    refuse_where(event & (table["EVNTDESC"].isna() | table["CNSDTDSC"].notna()), table, shown,
                 "an event (CNSR 0) has an EVNTDESC and no CNSDTDSC")
    refuse_where(~event & (table["CNSDTDSC"].isna() | table["EVNTDESC"].notna()), table, shown,
                 "a censored row (CNSR 1) has a CNSDTDSC and no EVNTDESC")
    for code, allowed in EVENTS_BY_PARAMETER.items():
        refuse_where(event & (table["PARAMCD"] == code) & ~table["EVNTDESC"].isin(allowed), table, shown,
                     f"an event of {code} is {' or '.join(repr(text) for text in allowed)} (EVNTDESC)")


def allocation_rules(table, shown, cutoff):
    """BLOCK is the permuted block that holds STRATUM_SEQ; no randomisation after the cutoff."""
    size = len(published.BLOCK)
    refuse_where(table["BLOCK"] != (table["STRATUM_SEQ"] - 1) // size + 1, table, shown,
                 f"BLOCK is the block of {size} that holds STRATUM_SEQ")
    refuse_where(table["RANDDT"] > cutoff, table, shown, "RANDDT on or before the cutoff")


def adtte_against_adsl(table, adsl, shown, cutoff):
    """Clocks start at randomisation, OS events are the deaths of adsl, and every patient
    has every all-patient endpoint."""
    randomised = table["USUBJID"].map(adsl.set_index("USUBJID")["RANDDT"])
    from_randomisation = table["PARAMCD"].isin(EVERY_PATIENT_PARAMS)
    refuse_where(from_randomisation & (table["STARTDT"] != randomised), table, shown,
                 "STARTDT of an endpoint timed from randomisation is the patient's RANDDT in adsl.csv")
    dead = table["USUBJID"].map(adsl.set_index("USUBJID")["DTHFL"]) == "Y"
    overall = table["PARAMCD"] == "OS"
    refuse_where(overall & (dead != (table["CNSR"] == 0)), table, shown,
                 "an OS event (CNSR 0) is a death flagged DTHFL Y in adsl.csv")
    last_alive = table["USUBJID"].map(adsl.set_index("USUBJID")["LSTALVDT"])
    refuse_where(table["ADT"] > last_alive, table, shown,
                 "no date (ADT) after the patient's death or last date known alive (LSTALVDT in adsl.csv)")
    every_row_of(table, adsl, EVERY_PATIENT_PARAMS, shown)


def adrs_against_adsl(table, adsl, shown, cutoff):
    """Every patient has a best response by the committee and by the investigator; minimal
    residual disease is negative only in a patient with VGPR or better."""
    every_row_of(table, adsl, SCHEMAS["adrs"]["PARAMCD"], shown)
    mrd_negative = table["USUBJID"].map(adsl.set_index("USUBJID")["MRDNEG"]) == "Y"
    refuse_where(mrd_negative & (table["PARAMCD"] == "BOR") & ~table["AVALC"].isin(VGPR_OR_BETTER), table, shown,
                 "a patient MRD-negative in adsl.csv (MRDNEG Y) has a committee best response of VGPR or better "
                 "(MRD is assessed only then)")


def adae_against_adsl(table, adsl, shown, cutoff):
    """Adverse events belong to treated patients, start by the cutoff and within the
    safety follow-up after treatment, and are fatal only in patients who died."""
    patients = adsl.set_index("USUBJID")
    treated = table["USUBJID"].map(patients["SAFFL"]) == "Y"
    refuse_where(~treated, table, shown, "an adverse event belongs to a treated patient (SAFFL Y in adsl.csv)")
    days_to_cutoff = (cutoff - table["USUBJID"].map(patients["RANDDT"])).dt.days + 1
    refuse_where(table["ASTDY"] > days_to_cutoff, table, shown,
                 f"an adverse event starts by the cutoff {cutoff:%Y-%m-%d} (ASTDY at most the days from RANDDT in "
                 "adsl.csv to the cutoff)")
    window = published.SAFETY_FOLLOW_UP_DAYS
    refuse_where(table["ASTDY"] > table["USUBJID"].map(patients["TRTDURD"]) + window, table, shown,
                 f"an adverse event starts by {window} days after the last day of treatment (ASTDY at most "
                 f"TRTDURD + {window} in adsl.csv)")
    dead = table["USUBJID"].map(patients["DTHFL"]) == "Y"
    refuse_where((table["AETOXGR"] == 5) & ~dead, table, shown,
                 "a grade 5 (fatal) adverse event belongs to a patient who died (DTHFL Y in adsl.csv)")


def every_row_of(table, adsl, codes, shown):
    """Every adsl patient has a row for each of ``codes``."""
    for code in codes:
        missing = sorted(set(adsl["USUBJID"]) - set(table.loc[table["PARAMCD"] == code, "USUBJID"]))
        if missing:
            raise DataFileError(f"{shown}: {len(missing)} patient(s) of adsl.csv have no {code} row (for example "
                                f"{', '.join(missing[:3])}); every randomised patient has one.")


RULES = {"adsl": adsl_rules, "adtte": adtte_rules, "allocation": allocation_rules}
AGAINST_ADSL = {"adtte": adtte_against_adsl, "adrs": adrs_against_adsl, "adae": adae_against_adsl}


def check_against_adsl(table, adsl, shown):
    """Every patient of a file is an adsl patient, with the same arm and strata."""
    patients = adsl.set_index("USUBJID")
    unknown = ~table["USUBJID"].isin(patients.index)
    if unknown.any():
        line = int(unknown.to_numpy().argmax()) + 2
        raise DataFileError(f"{shown}: line {line} names patient {table['USUBJID'][unknown].iloc[0]}, who is not in "
                            "adsl.csv (every file describes the same randomised patients).")
    for column in ("TRT01P", "STRAT1R", "STRAT2R"):
        if column in table:
            differs = table[column].to_numpy() != patients.loc[table["USUBJID"], column].to_numpy()
            if differs.any():
                line = int(differs.argmax()) + 2
                patient = table["USUBJID"].iloc[line - 2]
                raise DataFileError(f"{shown}: line {line} gives patient {patient} {column} "
                                    f"{table[column].iloc[line - 2]!r}, but adsl.csv gives "
                                    f"{patients.loc[patient, column]!r}; a patient's arm and strata are the same "
                                    "in every file.")


def check_every_randomised_patient(table, shown):
    """The patient-level list holds every randomised patient of each arm (the trial's
    154 and 153): a file that lost patients would give other numbers quietly."""
    counts = table["TRT01P"].value_counts()
    if any(counts.get(arm, 0) != size for arm, size in published.RANDOMISED.items()):
        found = " and ".join(f"{counts.get(arm, 0)} {arm}" for arm in published.RANDOMISED)
        wanted = " and ".join(f"{size} {arm}" for arm, size in published.RANDOMISED.items())
        raise DataFileError(f"{shown}: holds {found} patients; the trial randomised {wanted}, one row each.")


def optional(kind):
    """Whether a schema column of this kind may be empty."""
    return (kind in ("optional", "optional number") or (isinstance(kind, Range) and kind.optional)
            or (isinstance(kind, tuple) and "" in kind))


def check_columns(table, schema, shown):
    """Check presence, kind and allowed values of every schema column; return the table
    with typed columns."""
    missing = [column for column, kind in schema.items() if column not in table.columns and kind != "if present"]
    if missing:
        raise DataFileError(f"{shown}: missing column(s) {', '.join(missing)}.")
    for column, kind in schema.items():
        if column not in table.columns:
            continue
        values = table[column]
        if not optional(kind) and values.isna().any():
            row = int(values.isna().to_numpy().argmax()) + 2
            raise DataFileError(f"{shown}: column {column} is empty on line {row} (file truncated?).")
        table[column] = _typed(values, kind, column, shown)
    return table


def check_keys(table, key, shown):
    """No two rows may describe the same patient (and parameter, or term)."""
    repeated = table.duplicated(key, keep=False)
    if repeated.any():
        lines = [str(i + 2) for i in table.index[repeated][:2]]
        what = ", ".join(f"{column} {table.loc[table.index[repeated][0], column]}" for column in key)
        raise DataFileError(f"{shown}: lines {' and '.join(lines)} both describe {what}; the file has one row "
                            f"per {' and '.join(key)}.")


def check_every_patient_has_each_endpoint(table, shown):
    """Endpoints defined for every randomised patient have the same patients (a file cut
    short, or edited in one place only, breaks this)."""
    patients = {code: set(table.loc[table["PARAMCD"] == code, "USUBJID"]) for code in EVERY_PATIENT_PARAMS}
    everyone = set().union(*patients.values())
    for code, members in patients.items():
        if members != everyone:
            gone = sorted(everyone - members)
            raise DataFileError(f"{shown}: parameter {code} has {len(members)} patients, {len(gone)} fewer than the "
                                f"file names (for example {', '.join(gone[:3])}); every patient has a row for each "
                                "of " + ", ".join(EVERY_PATIENT_PARAMS) + ".")


def _typed(values, kind, column, shown):
    if isinstance(kind, Range):
        numbers = pd.to_numeric(values, errors="coerce")
        expected = f"{'a whole number' if kind.whole else 'a number'} from {kind.low:g} to {kind.high:g}"
        outside = ((numbers < kind.low) | (numbers > kind.high) | (kind.whole & (numbers % 1 != 0))) & numbers.notna()
        _complain_where((numbers.isna() & values.notna()) | outside, values, column, shown, expected)
        return numbers
    if isinstance(kind, tuple):
        allowed = [code for code in kind if code != ""]
        numeric = all(isinstance(code, int) for code in allowed)
        checked = pd.to_numeric(values, errors="coerce") if numeric else values
        expected = "one of " + " or ".join(repr(code) if not numeric else str(code) for code in allowed)
        if len(allowed) > LISTED_CODES:
            expected = (f"one of the {len(allowed)} values the data dictionary (data/README.md) lists for it, "
                        f"e.g. {allowed[0]!r}")
        _complain_where(~checked.isin(allowed) & values.notna(), values, column, shown, expected)
        return checked
    if kind in ("number", "optional number"):
        numbers = pd.to_numeric(values, errors="coerce")
        _complain_where(numbers.isna() & values.notna(), values, column, shown, "a number")
        return numbers
    if kind == "date":
        dates = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
        _complain_where(dates.isna(), values, column, shown, "a date (YYYY-MM-DD)")
        return dates
    if kind == "flag":
        _complain_where(~values.isin(["Y", "N"]), values, column, shown, "Y or N")
    if kind == "arm":
        _complain_where(~values.isin(ARMS), values, column, shown, " or ".join(ARMS))
    return values


def _complain_where(bad, values, column, shown, expected):
    if bad.any():
        position = int(bad.to_numpy().argmax())
        raise DataFileError(f"{shown}: column {column} should hold {expected}, "
                            f"but line {position + 2} has {values.iloc[position]!r}.")


def _shown(path):
    """The file as a reader should see it: relative to its copy of the book, if any."""
    book = paths.find_book(path.parent)
    return str(path.relative_to(book)) if book and path.is_relative_to(book) else str(path)
