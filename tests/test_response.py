"""The response chapter's live figure and its exact-route numbers."""

import matplotlib

matplotlib.use("Agg")

import pytest

from icaria import published
from icaria.response import responders_at_least, response_live, response_summary


def test_depths_count_the_deeper_categories():
    assert responders_at_least("PR") == {"Isa-Pd": 93, "Pd": 54}
    assert responders_at_least("VGPR") == {"Isa-Pd": 49, "Pd": 13}
    assert responders_at_least("CR") == {"Isa-Pd": 7, "Pd": 3}
    with pytest.raises(ValueError, match="Depth must be one of"):
        responders_at_least("excellent")


def test_overall_response_reproduces_the_published_interval_and_odds_ratio():
    arms, (odds, low, high) = response_summary("PR", "beta")
    count, total, rate, ci_low, ci_high = arms["Isa-Pd"]
    assert (count, total) == (93, published.RANDOMISED["Isa-Pd"])
    assert round(ci_low, 3) == 0.522 and round(ci_high, 3) == 0.682
    assert round(odds, 3) == 2.795 and round(high, 2) == 4.56


def test_unknown_interval_method_is_refused():
    with pytest.raises(ValueError, match="Interval method"):
        response_summary("PR", "bootstrap")


def test_response_live_figure_redraws_and_explains_bad_values():
    live = response_live()
    live.controls["method"].value = "normal"
    live.controls["depth"].value = "CR"
    assert bytes(live.image.value).startswith(b"\x89PNG")
    assert "clipped" in live.draw.__self__.artists["stats"].get_text()
    with pytest.raises(ValueError, match="Choose a depth"):
        live.draw(live.figure, depth="CR", method="exact")
