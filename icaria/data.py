"""Loading the twin's data files, with one clear message when something is wrong.

The files under ``data/`` are simulated (see ``data/README.md``). :func:`load`
checks that a file exists, reads as CSV, has the columns the book relies on,
and holds values of the right kind in them; otherwise it raises
:class:`DataFileError` naming the file and the problem.
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from icaria import paths, published
from icaria.arguments import MessageOnly
from icaria.published import ARMS

CUTS = {"primary": "", "final-os": "final-os"}

# Columns each file must have, and what each may hold: a kind ("text", "arm", "flag",
# "date", "number", "optional", "optional number"), a tuple of the allowed codes, or a
# Range. Every column any chapter reads is here.
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
SCHEMAS = {
    "adsl": {"USUBJID": "text", "TRT01P": "arm", "ITTFL": "flag", "SAFFL": "flag", "RANDDT": "date",
             "AGE": Range(18, 100), "AGEGR1": AGE_GROUPS, "SEX": ("F", "M"), "STRAT1R": STRAT_AGE,
             "STRAT2R": STRAT_LINES, "PRIORLINES": Range(1, 20, whole=True), "YRSDIAG": Range(0, 60),
             "CYTORISK": ("High", "Standard", "Missing"), "EOTSTT": ("ONGOING", "DISCONTINUED", "NOT TREATED"),
             "DCTREAS": STOP_REASONS + ("",), "TRTDURD": DAYS, "RDIISA": Range(0, 500, optional=True),
             "RDIPOM": Range(0, 500, optional=True), "RDIDEX": Range(0, 500, optional=True),
             "NTDARA": ("Y", "N", "")},
    "adtte": {"USUBJID": "text", "TRT01P": "arm", "STRAT1R": STRAT_AGE, "STRAT2R": STRAT_LINES,
              "PARAMCD": TTE_PARAMS, "AVAL": DAYS, "CNSR": (0, 1),
              "STARTDT": "date", "ADT": "date", "EVNTDESC": "optional", "CNSDTDSC": "optional"},
    "adrs": {"USUBJID": "text", "TRT01P": "arm", "PARAMCD": ("BOR", "BORINV"), "AVALC": published.BEST_RESPONSE_ORDER},
    "adae": {"USUBJID": "text", "TRT01P": "arm", "AEDECOD": "text", "AETOXGR": Range(1, 5, whole=True),
             "TRTEMFL": "flag", "ASTDY": DAYS, "AESER": "flag"},
    "adlb": {"USUBJID": "text", "TRT01P": "arm", "PARAMCD": ("NEUT", "PLAT", "HGB"),
             "ATOXGR": Range(0, 4, whole=True)},
}
# Files that belong to no data cut: the twin's randomisation list.
UNCUT_SCHEMAS = {
    "allocation": {"USUBJID": "text", "RANDDT": "date", "STRAT1R": STRAT_AGE, "STRAT2R": STRAT_LINES,
                   "STRATUM_SEQ": Range(1, 1000, whole=True), "BLOCK": Range(1, 1000, whole=True), "TRT01P": "arm"},
}
# What identifies a row: no two rows of a file may share it.
KEYS = {"adsl": ["USUBJID"], "adtte": ["USUBJID", "PARAMCD"], "adrs": ["USUBJID", "PARAMCD"],
        "adae": ["USUBJID", "AEDECOD"], "adlb": ["USUBJID", "PARAMCD"], "allocation": ["USUBJID"]}


class DataFileError(MessageOnly, Exception):
    """A data file is missing, unreadable, or not shaped as the book expects."""


def data_path(name, cut="primary", data_dir=None):
    """Path of dataset ``name`` at data cut ``cut`` (a DataFileError names an unknown one)."""
    if name not in SCHEMAS and name not in UNCUT_SCHEMAS:
        raise DataFileError(f"Unknown dataset {name!r}; the book has {', '.join([*SCHEMAS, *UNCUT_SCHEMAS])}.")
    if cut not in CUTS:
        raise DataFileError(f"Unknown data cut {cut!r}; the book has {', '.join(CUTS)}.")
    folder = Path(data_dir or paths.data_dir())
    return folder / f"{name}.csv" if name in UNCUT_SCHEMAS else folder / CUTS[cut] / f"{name}.csv"


def load(name, cut="primary", data_dir=None):
    """Read one dataset (``adsl``, ``adtte``, ``adrs``, ``adae``, ``adlb`` of a data cut,
    or the randomisation list ``allocation``), checked against its schema and, when the
    folder has one, against ``adsl.csv`` (the same patients, arms and strata)."""
    path = data_path(name, cut, data_dir)
    shown = _shown(path)
    if not path.is_file():
        book_data = path.parent.parent if path.parent.name == CUTS["final-os"] else path.parent
        raise DataFileError(f"{shown}: file not found. Restore it from the book's repository "
                            "(git checkout -- data), or regenerate the simulated data with "
                            f"`python -m icaria.twin --out {book_data}`.")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataFileError(f"{shown}: cannot be read as CSV ({first_line}).") from None
    if table.empty:
        raise DataFileError(f"{shown}: has a header but no rows (file truncated?).")
    table = check_columns(table, SCHEMAS.get(name) or UNCUT_SCHEMAS[name], shown)
    check_keys(table, KEYS[name], shown)
    if name in ("adsl", "allocation"):
        check_every_randomised_patient(table, shown)
    if name != "adsl" and path.with_name("adsl.csv").is_file():
        check_against_adsl(table, load("adsl", data_dir=path.parent), shown)
    if name == "adtte":
        check_every_patient_has_each_endpoint(table, shown)
    return table


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
    missing = [column for column in schema if column not in table.columns]
    if missing:
        raise DataFileError(f"{shown}: missing column(s) {', '.join(missing)}.")
    for column, kind in schema.items():
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
        listed = " or ".join(repr(code) if not numeric else str(code) for code in allowed)
        _complain_where(~checked.isin(allowed) & values.notna(), values, column, shown, f"one of {listed}")
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
