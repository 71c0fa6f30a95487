"""Numbers shown as a reader expects them."""

import math

import pandas as pd

from icaria.numbers import p_value, shown, shown_table


def test_counts_medians_and_decimals():
    assert shown(307.0) == "307" and shown(98.0) == "98"
    assert shown(math.inf) == "not reached" and shown(float("nan")) == "not reached"
    assert shown(0.71439, 3) == "0.714"


def test_p_values():
    assert p_value(0.0004) == "< 0.001" and p_value(0.0493) == "0.049" and p_value(float("nan")) == ""


def test_tables_keep_text_and_flags():
    table = pd.DataFrame({"deaths": [98.0, 220.0], "median": [math.inf, 25.889], "p": [0.0002, 0.03],
                          "pass": [True, False], "name": ["a", "b"]})
    out = shown_table(table, p_columns=("p",))
    assert list(out["deaths"]) == ["98", "220"] and list(out["median"]) == ["not reached", "25.889"]
    assert list(out["p"]) == ["< 0.001", "0.030"] and list(out["pass"]) == [True, False]


def test_one_p_value_formatter_never_prints_zero():
    """Issue 32: "p < 0.0001", never "p < 0.0000"; thresholds written out, never 0.0000."""
    from icaria.numbers import p_equation, p_value, plural, threshold_text

    assert p_value(0.00004, 4) == "< 0.0001" and p_value(0.0004) == "< 0.001" and p_value(0.01234, 4) == "0.0123"
    assert p_equation(0.00004, 4) == "p < 0.0001" and p_equation(0.0123) == "p = 0.012"
    assert threshold_text(1.3e-9) == "1.3 × 10⁻⁹" and threshold_text(0.00081) == "0.0008"
    assert plural(1, "stratum") == "1 stratum" and plural(4, "stratum") == "4 strata" and plural(1, "dose") == "1 dose"


# A p printed by its own format spec ("p = {p:.4f}") instead of p_value / p_equation.
OWN_P_FORMAT = r"\bp\s*=\s*\{[^}]*:\.\d+f\}"
# Chapter 12 prints Fisher's exact p to 6 decimals; its owner changes it (this list only shrinks).
OWN_P_FORMAT_LEFT = {"12-multiplicity-and-monitoring"}


def test_chapters_print_p_values_with_the_books_formatter():
    """Issue 32: chapter 9 printed its interim p with its own ":.4f"; every chapter
    prints a p through numbers.p_value or p_equation, so it reads "p < 0.0001",
    never "p = 0.0000", the same way on every page."""
    import re

    from conftest import REPO_ROOT

    found = {path.stem: re.findall(OWN_P_FORMAT, path.read_text(encoding="utf-8"))
             for path in sorted((REPO_ROOT / "notebooks").glob("*.md"))}
    assert not {chapter: hits for chapter, hits in found.items() if hits and chapter not in OWN_P_FORMAT_LEFT}
    assert re.findall(OWN_P_FORMAT, 'print(f"one-sided p = {interim_p:.4f}")')
