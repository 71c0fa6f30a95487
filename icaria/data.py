"""Loading the twin's data files, with one clear message when something is wrong.

The files under ``data/`` are simulated (see ``data/README.md``). :func:`load`
checks that a file exists, reads as CSV, has the columns the book relies on,
and holds values of the right kind in them; otherwise it raises
:class:`DataFileError` naming the file and the problem.
"""

from pathlib import Path

import pandas as pd

from icaria import paths
from icaria.style import ARMS

CUTS = {"primary": "", "final-os": "final-os"}

# Columns each file must have, and the kind of value each holds.
SCHEMAS = {
    "adsl": {"USUBJID": "text", "TRT01P": "arm", "ITTFL": "flag", "SAFFL": "flag", "RANDDT": "date",
             "AGE": "number", "AGEGR1": "text", "SEX": "text", "STRAT1R": "text", "STRAT2R": "text",
             "PRIORLINES": "number", "YRSDIAG": "number", "EOTSTT": "text", "DCTREAS": "optional",
             "TRTDURD": "number", "RDIISA": "optional number", "RDIPOM": "optional number",
             "RDIDEX": "optional number", "NTDARA": "optional"},
    "adtte": {"USUBJID": "text", "TRT01P": "arm", "PARAMCD": "text", "AVAL": "number", "CNSR": "number",
              "STARTDT": "date", "ADT": "date", "EVNTDESC": "optional", "CNSDTDSC": "optional"},
    "adrs": {"USUBJID": "text", "TRT01P": "arm", "PARAMCD": "text", "AVALC": "text"},
    "adae": {"USUBJID": "text", "TRT01P": "arm", "AEDECOD": "text", "AETOXGR": "number", "TRTEMFL": "flag",
             "ASTDY": "number", "AESER": "flag"},
    "adlb": {"USUBJID": "text", "TRT01P": "arm", "PARAMCD": "text", "ATOXGR": "number"},
}
# Files that belong to no data cut: the twin's randomisation list.
UNCUT_SCHEMAS = {
    "allocation": {"USUBJID": "text", "RANDDT": "date", "STRAT1R": "text", "STRAT2R": "text",
                   "STRATUM_SEQ": "number", "BLOCK": "number", "TRT01P": "arm"},
}


class DataFileError(Exception):
    """A data file is missing, unreadable, or not shaped as the book expects."""


def data_path(name, cut="primary", data_dir=None):
    if name not in SCHEMAS and name not in UNCUT_SCHEMAS:
        raise DataFileError(f"Unknown dataset {name!r}; the book has {', '.join([*SCHEMAS, *UNCUT_SCHEMAS])}.")
    if cut not in CUTS:
        raise DataFileError(f"Unknown data cut {cut!r}; the book has {', '.join(CUTS)}.")
    folder = Path(data_dir or paths.data_dir())
    return folder / f"{name}.csv" if name in UNCUT_SCHEMAS else folder / CUTS[cut] / f"{name}.csv"


def load(name, cut="primary", data_dir=None):
    """Read one dataset (``adsl``, ``adtte``, ``adrs``, ``adae``, ``adlb`` of a data cut,
    or the randomisation list ``allocation``)."""
    path = data_path(name, cut, data_dir)
    shown = _shown(path)
    if not path.is_file():
        raise DataFileError(f"{shown}: file not found. Restore it from the book's repository "
                            "(git checkout -- data), or regenerate the simulated data with "
                            f"`python -m icaria.twin --out {path.parent if path.parent.name != CUTS['final-os'] else path.parent.parent}`.")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataFileError(f"{shown}: cannot be read as CSV ({first_line}).") from None
    return check_columns(table, SCHEMAS.get(name) or UNCUT_SCHEMAS[name], shown)


def check_columns(table, schema, shown):
    """Check presence and kind of every schema column; return the table with typed columns."""
    missing = [column for column in schema if column not in table.columns]
    if missing:
        raise DataFileError(f"{shown}: missing column(s) {', '.join(missing)}.")
    for column, kind in schema.items():
        values = table[column]
        if not kind.startswith("optional") and values.isna().any():
            row = int(values.isna().to_numpy().argmax()) + 2
            raise DataFileError(f"{shown}: column {column} is empty on line {row} (file truncated?).")
        table[column] = _typed(values, kind, column, shown)
    return table


def _typed(values, kind, column, shown):
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
