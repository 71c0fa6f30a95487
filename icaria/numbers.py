"""Numbers as a reader expects them, in one place: counts as whole numbers, a median
the curve never reaches as "not reached", p-values as "< 0.001" below a thousandth.

Chapters compute with full precision and use these only to show a result.
"""

import math

import numpy as np

from icaria.arguments import ArgumentError, between, numbers, whole

NOT_REACHED = "not reached"


def shown(value, decimals=3):
    """A number as text: a whole number without decimals, infinity or NaN (a median or
    limit never reached) as "not reached", anything else rounded to ``decimals``."""
    value = float(numbers("value", value).reshape(-1)[0]) if np.ndim(value) == 0 else _one_number(value)
    if math.isnan(value) or math.isinf(value):
        return NOT_REACHED
    if value.is_integer():
        return str(int(value))
    return f"{value:.{decimals}f}"


def _one_number(value):
    raise ArgumentError(f"One number is shown at a time; got {value!r}.")


def p_value(p, decimals=3):
    """A p-value as text, the book's one formatter: ``decimals`` decimals, or "< 0.001"
    (with ``decimals`` = 3) below the smallest value they show; never "0.000"."""
    p = float(numbers("p", p).reshape(-1)[0]) if np.ndim(p) == 0 else _one_number(p)
    if math.isnan(p):
        return ""
    between("p", p, 0, 1, closed=(True, True))
    smallest = 10.0 ** -decimals
    return f"< {smallest:.{decimals}f}" if p < smallest else f"{p:.{decimals}f}"


def p_equation(p, decimals=3, name="p"):
    """'p = 0.012' or 'p < 0.0001': :func:`p_value` after the p."""
    text = p_value(p, decimals)
    return f"{name} {text}" if text.startswith("<") else f"{name} = {text}"


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def threshold_text(value, digits=2):
    """A small threshold (a nominal significance level): four decimals, or below 0.0001
    ``digits`` significant digits times a power of ten (1.3 × 10⁻⁹), never 0.0000."""
    value = float(value)
    if value >= 1e-4 or value == 0:
        return f"{value:.4f}"
    exponent = math.floor(math.log10(value))
    mantissa = f"{value / 10 ** exponent:.{digits - 1}f}"
    return f"{mantissa} × 10{str(exponent).translate(SUPERSCRIPTS)}"


def shown_table(table, decimals=3, p_columns=()):
    """A copy of ``table`` with every number shown as :func:`shown` (``p_columns`` as
    :func:`p_value`); text and flags are left as they are."""
    whole("decimals", decimals, 0, 15)
    missing = [column for column in p_columns if column not in table.columns]
    if missing:
        raise ArgumentError(f"p_columns: {', '.join(map(repr, missing))} not in the table's columns "
                            f"({', '.join(map(str, table.columns))}).")
    out = table.copy().astype(object)
    for column in out.columns:
        format_one = p_value if column in p_columns else (lambda v: shown(v, decimals))
        out[column] = [format_one(v) if isinstance(v, (int, float, np.integer, np.floating))
                       and not isinstance(v, (bool, np.bool_)) else v for v in table[column]]
    return out


def shown_rows(table, decimals, as_printed=("published",), extra=1):
    """A copy of ``table`` with one decimal rule for every row: the columns in
    ``as_printed`` at that row's ``decimals`` (as the paper prints the number), the
    other numbers at ``extra`` more places; whole numbers stay whole (:func:`shown`)."""
    if len(decimals) != len(table):
        raise ArgumentError(f"decimals must give one number of decimals per row ({len(table)}); got {len(decimals)}.")
    for places in decimals:
        whole("decimals", places, 0, 15)
    out = table.copy().astype(object)
    for row, places in zip(out.index, decimals):
        for column in out.columns:
            value = table.at[row, column]
            if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
                out.at[row, column] = shown(value, places if column in as_printed else places + extra)
    return out


def series_html(series):
    """A pandas Series as the HTML table a DataFrame is shown as: one row per entry,
    without the ``Name: ..., dtype: float64`` footer of its text form."""
    return series.to_frame(name="value" if series.name is None else series.name)._repr_html_()


def show_series_as_tables():
    """In a notebook, show every pandas Series as a table (:func:`series_html`)."""
    import pandas as pd
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.Series, series_html)


PLURALS = {"stratum": "strata"}     # nouns whose plural is not the noun + "s"


def plural(count, noun):
    """'1 stratum', '4 strata', '1 dose', '21 doses': a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else PLURALS.get(noun, noun + 's')}"
