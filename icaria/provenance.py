"""Is a data file the book's own? A fingerprint of its content, not of its bytes.

A file re-saved honestly (CRLF line ends, a byte-order mark, quoted fields, ``1.50``
for ``1.5``, columns in another order or added, rows re-sorted) still holds the
book's data; an edit of one cell does not. :func:`fingerprint` reads the file's
cells as text, keeps the book's columns in the book's order, writes each number in
one way, sorts the rows and hashes the result.

The book's fingerprints are kept in ``icaria/twin/data-content-sha256.json``,
written by ``python -m icaria.twin`` together with ``data-sha256.json`` (the bytes);
``tests/test_twin.py`` fails when either is stale.
"""

import hashlib
import json
import re

import numpy as np
import pandas as pd

from icaria import paths

BOOK_CONTENT = paths.PACKAGE_DIR / "twin" / "data-content-sha256.json"


def canonical(table, columns):
    """The cells of ``columns`` as text, numbers written one way, rows sorted."""
    cells = table[columns].fillna("").astype(str).apply(lambda column: column.str.strip())
    for column in columns:
        numbers = pd.to_numeric(cells[column], errors="coerce")
        written = numbers.notna()
        if written.any():
            cells.loc[written, column] = numbers[written].map(lambda value: format(value, ".12g"))
    return cells.sort_values(columns, kind="stable").reset_index(drop=True)


def fingerprint(table, columns):
    """SHA-256 of the canonical content of ``columns`` (None if one is missing)."""
    if any(column not in table.columns for column in columns):
        return None
    text = canonical(table, list(columns)).to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# White space a spreadsheet or a copy from a web page leaves in a cell: Unicode spaces
# (non-breaking, thin, tabs) and the invisible zero-width ones.
SPACES = re.compile(r"[\s\u200b\u2060\ufeff]+")


def plain_text(values):
    """Text with plain white space: every run of spaces of any kind is one space, and
    leading and trailing spaces go (``"Pneumonia\u00a0"`` is ``"Pneumonia"``)."""
    return values.str.replace(SPACES, " ", regex=True).str.strip()


def read_cells(path):
    """Every cell of a CSV file as text with plain white space (:func:`plain_text`), empty
    cells (and cells of spaces only) as NaN, the way the loader reads it; header names
    likewise."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    table.columns = [SPACES.sub(" ", str(name)).strip() for name in table.columns]
    return table.apply(plain_text).replace("", np.nan)


def fingerprints(data_dir):
    """The content fingerprint and columns of every CSV file under ``data_dir``."""
    data_dir = paths.Path(data_dir)
    found = {}
    for path in sorted(data_dir.rglob("*.csv")):
        table = read_cells(path)
        columns = list(table.columns)
        found[path.relative_to(data_dir).as_posix()] = {"columns": columns, "sha256": fingerprint(table, columns)}
    return found


def book_fingerprints():
    """The fingerprints of the book's data (empty if the package ships none)."""
    try:
        return json.loads(BOOK_CONTENT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_book_fingerprints(data_dir):
    """Record the fingerprints of ``data_dir`` as the book's (``python -m icaria.twin``)."""
    BOOK_CONTENT.write_text(json.dumps(fingerprints(data_dir), indent=1) + "\n", encoding="utf-8")
