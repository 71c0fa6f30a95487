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
