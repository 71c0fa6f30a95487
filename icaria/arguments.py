"""Argument checks shared by the package's public functions: a value outside its range
raises a ValueError that names the argument and the range, never a plausible wrong
number further down."""

import numpy as np


class MessageOnly:
    """Mixin for the package's errors: IPython and Jupyter show the message alone, with
    no traceback through the package (a plain Python prints the usual traceback)."""

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


class ArgumentError(MessageOnly, ValueError):
    """An argument outside its range; the message names the argument and the range."""


def between(name, value, low, high, *, closed=(False, False)):
    """``value`` if it lies between ``low`` and ``high`` (ends included as ``closed``
    says); else a ValueError naming the argument and its range."""
    value = np.asarray(value, dtype=float)
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
