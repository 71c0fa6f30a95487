import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy import stats

from icaria import design
from icaria.design_figures import EventsNeededFigure, SpendingFigure, events_needed_live, spending_live


def test_schoenfeld_gives_the_papers_events():
    assert int(np.ceil(design.schoenfeld_events(0.6, 0.025, 0.9))) == 162
    assert int(np.ceil(design.schoenfeld_events(0.685, 0.025, 0.8))) == 220


def test_unequal_allocation_needs_more_events():
    equal = design.schoenfeld_events(0.6)
    assert design.schoenfeld_events(0.6, allocation=2 / 3) == pytest.approx(equal * 0.25 / (2 / 9))


def test_obrien_fleming_spending_matches_the_closed_form_and_the_paper():
    t = 99 / 220
    closed_form = 2 * (1 - stats.norm.cdf(stats.norm.ppf(1 - 0.025 / 2) / np.sqrt(t)))
    assert design.spending(t) == pytest.approx(closed_form)
    assert round(float(design.spending(t)), 4) == 0.0008
    assert design.spending(1.0) == pytest.approx(0.025)
    assert design.spending(1.0, family="pocock") == pytest.approx(0.025)


def test_first_boundary_equals_alpha_spent_and_total_alpha_is_kept():
    z, p = design.boundaries([0.45, 1.0])
    assert p[0] == pytest.approx(design.spending(0.45))
    joint = stats.multivariate_normal(mean=[0, 0], cov=[[1, np.sqrt(0.45)], [np.sqrt(0.45), 1]])
    assert 1 - joint.cdf(z) == pytest.approx(0.025, abs=2e-5)


def test_single_look_boundary_is_the_fixed_design():
    z, p = design.boundaries([1.0])
    assert p[0] == pytest.approx(0.025)


def test_simulated_power_is_close_to_the_formula():
    rng = np.random.default_rng(1)
    assert design.simulated_power(0.6, 162, 150, 4000, rng) == pytest.approx(0.9, abs=0.02)
    assert design.simulated_power(1.0, 162, 150, 4000, rng) == pytest.approx(0.025, abs=0.01)


def test_expected_events_grow_and_stop_at_the_patients():
    months = np.array([0, 6, 12, 24, 120])
    events = design.expected_events(months, 13, 300, [10.8, 6.5])
    assert events[0] == 0 and np.all(np.diff(events) > 0) and events[-1] == pytest.approx(300, rel=0.01)


@pytest.mark.parametrize("arguments, message", [
    ({"hazard_ratio": 1.2}, "Target hazard ratio"), ({"alpha_one_sided": 0.5}, "One-sided alpha"),
    ({"power": 0.3}, "Power"), ({"ratio": 9}, "Allocation ratio"),
])
def test_design_inputs_out_of_range_are_explained(arguments, message):
    with pytest.raises(ValueError, match=message):
        EventsNeededFigure().draw(Figure(), **arguments)


def test_spending_inputs_out_of_range_are_explained():
    with pytest.raises(ValueError, match="Information fraction"):
        SpendingFigure().draw(Figure(), fraction=0)
    with pytest.raises(ValueError, match="Spending family"):
        design.spending(0.5, family="haybittle")


def test_design_widgets_redraw_and_refuse_out_of_range_values():
    """Issue 33: a target HR of 5 is refused with the control's range, never clamped to 0.9."""
    import traitlets

    live = events_needed_live()
    with pytest.raises(traitlets.TraitError, match="Target HR must be between 0.40 and 0.90; got 5.0"):
        live.controls["hazard_ratio"].value = 5.0
    assert live.controls["hazard_ratio"].value == 0.6
    live.controls["hazard_ratio"].value = 0.9
    assert bytes(live.image.value).startswith(b"\x89PNG")
    spending = spending_live()
    spending.controls["family"].value = "pocock"
    assert spending.message.value == ""
