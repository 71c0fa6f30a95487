"""Argument checks shared by the package's public functions: a value outside its range
(NaN, text where a number belongs, an empty list, a table without the columns the
function reads) raises a ValueError that names the argument and the range, never a
plausible wrong number or a traceback further down."""

import functools
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class MessageOnly:
    """Mixin for the package's errors: IPython and Jupyter show the message alone, with
    no traceback through the package (a plain Python prints the usual traceback)."""

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


class ArgumentError(MessageOnly, ValueError):
    """An argument outside its range; the message names the argument and the range."""


class DataFileError(MessageOnly, Exception):
    """A data file or folder is missing, unreadable, or not shaped as the book expects
    (raised by :mod:`icaria.data` and :mod:`icaria.paths`)."""


class DataArgumentError(ArgumentError, DataFileError):
    """A dataset, data cut or folder the loader does not know: a bad argument about data."""


def between(name, value, low, high, *, closed=(False, False)):
    """``value`` if it lies between ``low`` and ``high`` (ends included as ``closed``
    says); else a ValueError naming the argument and its range."""
    value = numbers(name, value)
    above = value >= low if closed[0] else value > low
    below = value <= high if closed[1] else value < high
    if not np.all(above & below):
        ends = f"{'[' if closed[0] else '('}{low:g}, {high:g}{']' if closed[1] else ')'}"
        got = value.tolist() if value.size <= 5 else f"{value[~(above & below)][:5].tolist()} among others"
        raise ArgumentError(f"{name} must lie in {ends}; got {got}.")
    return value


def whole(name, value, low, high):
    """``value`` if it is a whole number from ``low`` to ``high``; else a ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ArgumentError(f"{name} must be a whole number from {low:g} to {high:g}; got {value!r}.")
    return int(value)


def one_of(name, value, allowed):
    """``value`` if it is one of ``allowed``; else a ValueError listing them."""
    if value not in allowed:
        raise ArgumentError(f"{name} must be one of {', '.join(map(str, allowed))}; got {value!r}.")
    return value


def numbers(name, value):
    """``value`` as an array of floats; an ArgumentError for text, an empty list, or
    anything that is not a number or a list of numbers."""
    numeric = isinstance(value, (np.ndarray, pd.Series)) and value.dtype.kind in "biuf"
    cells = [] if numeric else np.ravel(np.asarray(value, dtype=object)) if np.ndim(value) > 0 else [value]
    if any(isinstance(cell, (str, bytes)) for cell in cells):
        raise ArgumentError(f"{name} must be a number, not text; got {value!r}.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ArgumentError(f"{name} must be a number or a list of numbers; got {value!r}.") from None
    if array.size == 0:
        raise ArgumentError(f"{name} must hold at least one number; got an empty list.")
    return array


def table_with(name, value, columns):
    """``value`` if it is a table (pandas DataFrame) with ``columns``; else an ArgumentError
    naming what is missing (e.g. adsl passed where adtte belongs)."""
    if not isinstance(value, pd.DataFrame):
        raise ArgumentError(f"{name} must be a table (pandas DataFrame) with columns {', '.join(columns)}; "
                            f"got {type(value).__name__}.")
    missing = [column for column in columns if column not in value.columns]
    if missing:
        raise ArgumentError(f"{name} needs the column(s) {', '.join(missing)}; this table has "
                            f"{', '.join(map(str, value.columns[:8]))}{', ...' if len(value.columns) > 8 else ''}.")
    return value


def mapping(name, value, keys):
    """``value`` if it is a dict (or Series) with every one of ``keys``; else an ArgumentError."""
    if not isinstance(value, (Mapping, pd.Series)):
        raise ArgumentError(f"{name} must be a dict with keys {', '.join(map(repr, keys))}; got "
                            f"{type(value).__name__}.")
    missing = [key for key in keys if key not in value]
    if missing:
        raise ArgumentError(f"{name} must give a value for each of {', '.join(map(repr, keys))}; "
                            f"missing {', '.join(map(repr, missing))}.")
    return value


def texts(name, value):
    """``value`` if it is a list of strings (a lone string is refused: it is not a list)."""
    if isinstance(value, str) or not all(isinstance(item, str) for item in np.ravel(np.asarray(value, dtype=object))):
        raise ArgumentError(f"{name} must be a list of names, e.g. [{value!r}]; got {value!r}.")
    return value


def date(name, value, first, last):
    """``value`` as a Timestamp from ``first`` to ``last``; else an ArgumentError. Text must
    be year-month-day (``'2018-10-11'``): ``'11/10/2018'`` is 11 October in Europe and
    10 November in the United States, and pandas would silently pick the second."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value.strip()):
        why = " (day and month in this order are ambiguous)" if re.search(r"\d[/.]\d", value) else ""
        raise ArgumentError(f"{name} must lie from {first} to {last}, written year-month-day such as '2018-10-11'; "
                            f"got {value!r}{why}.")
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp) or not pd.Timestamp(first) <= stamp <= pd.Timestamp(last):
        raise ArgumentError(f"{name} must lie from {first} to {last} (a date such as '2018-10-11'); got {value!r}.")
    return stamp


def checked_first(check):
    """Run ``check`` on a function's arguments before the function. Applied by
    assignment after the ``def`` (not with ``@``), the function's source, which a
    chapter may print with ``inspect.getsource``, stays the analysis alone."""
    def decorate(function):
        @functools.wraps(function)
        def checked(*args, **kwargs):
            check(*args, **kwargs)
            return function(*args, **kwargs)
        return checked
    return decorate


def flag(name, value):
    """``value`` if it is True or False (``stratified="yes"`` would count as True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentError(f"{name} must be True or False; got {value!r}.")
    return bool(value)


def generator(name, value, *, optional=False):
    """``value`` if it is a NumPy random generator (or None when ``optional``)."""
    if not (isinstance(value, np.random.Generator) or (optional and value is None)):
        raise ArgumentError(f"{name} must be a random generator, e.g. np.random.default_rng(1); got {value!r}.")
    return value


def rows_in(name, table):
    """``table`` if it has at least one row."""
    if len(table) == 0:
        raise ArgumentError(f"{name} has no rows; an analysis needs at least one.")
    return table


def refuse_rows(name, bad, rows, what, key="USUBJID"):
    """An ArgumentError naming the first row of ``rows`` where ``bad`` holds (by ``key``
    when the table has it, else by position)."""
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        who = f"patient {rows[key].iloc[first]}" if key in rows.columns else f"row {first + 1}"
        raise ArgumentError(f"{name}: {who} {what} ({int(bad.sum())} row(s) in all).")


def once_each(name, rows, key):
    """``rows`` if no two rows share ``key`` (a list of columns): a patient counted twice
    would count as two patients."""
    table_with(name, rows, key)
    refuse_rows(name, rows.duplicated(key).to_numpy(), rows,
                f"appears twice: the table has one row per {' and '.join(key)}", key=key[0])
    return rows


def time_rows(name, rows, months="MONTHS", event="EVENT", key="USUBJID"):
    """``rows`` if each has a time (``months``) of at least 0 and an ``event`` 0 or 1,
    and each patient (``key``, when the table has it) appears once."""
    table_with(name, rows, [months, event])
    times = pd.to_numeric(rows[months], errors="coerce").to_numpy(dtype=float)
    refuse_rows(name, ~np.isfinite(times), rows, f"has no time ({months} is missing)", key)
    refuse_rows(name, times < 0, rows, "has a negative time", key)
    refuse_rows(name, ~pd.to_numeric(rows[event], errors="coerce").isin([0, 1]).to_numpy(), rows,
                f"has {event} other than 0 or 1", key)
    if key in rows.columns:
        refuse_rows(name, rows[key].duplicated().to_numpy(), rows,
                    "appears twice: an endpoint has one row per patient", key)
    return rows


def same_length(**arrays):
    """The arrays (as NumPy arrays) if all have as many rows; else an ArgumentError."""
    lengths = {name: len(np.atleast_1d(np.asarray(values))) for name, values in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ArgumentError(f"{', '.join(lengths)} must be as long as each other; got "
                            f"{', '.join(f'{name} {length}' for name, length in lengths.items())}.")
    return [np.asarray(values) for values in arrays.values()]


def arms_in(name, table, arms):
    """``table`` if its ``TRT01P`` holds only ``arms``, each at least once (e.g. 'isa-pd'
    would leave Isa-Pd with no patients)."""
    table_with(name, table, ["TRT01P"])
    held = set(table["TRT01P"].dropna().unique())
    unknown, absent = sorted(map(str, held - set(arms))), [arm for arm in arms if arm not in held]
    if unknown or absent:
        raise ArgumentError(f"{name}: TRT01P must hold the arms {', '.join(arms)} (each at least once); "
                            f"{'it holds ' + ', '.join(map(repr, unknown)) if unknown else 'no ' + ', '.join(absent)}.")
    return table
