"""Every live figure follows the protocol of :class:`icaria.live.Chart`, and every
control of every live figure can be moved to its extremes and through every option
without an error message. Speed is measured by scripts/benchmark_widgets.py, never asserted here."""

import inspect
import io

import ipywidgets as widgets
import pytest
from conftest import REPO_ROOT
from PIL import Image

from icaria.live import Chart, LiveFigure
from icaria.live_figures import LIVE_FIGURES, control_values
from icaria.style import MAX_FIGURE_WIDTH, TEXT_COLUMN_PX


@pytest.fixture(scope="module", params=list(LIVE_FIGURES), ids=lambda name: name.split(": ")[1].replace(" ", "-"))
def live(request):
    return LIVE_FIGURES[request.param][1]()


def test_a_factory_gives_a_live_figure_built_on_a_chart(live):
    assert isinstance(live, LiveFigure) and isinstance(live.chart, Chart)
    assert type(live.chart).update is not Chart.update and type(live.chart).build is not Chart.build
    assert live.chart.figsize[0] <= MAX_FIGURE_WIDTH


def test_the_controls_are_the_keywords_of_update_and_start_at_its_defaults(live):
    parameters = inspect.signature(live.chart.update).parameters
    assert list(live.controls) == list(parameters)
    for name, control in live.controls.items():
        default = parameters[name].default
        if default is not None:   # None: the chart picks its default from its data
            assert control.value == default, f"{name}: control starts at {control.value!r}, update at {default!r}"


def test_the_chart_keeps_its_artists_off_the_figure(live):
    live.on_change()
    own = set(vars(live.figure)) - set(vars(type(live.figure)(figsize=(1, 1))))
    assert not own, f"attributes hung on the matplotlib figure: {sorted(own)}"


def test_every_control_reaches_its_extremes_without_a_message(live):
    for name, control in live.controls.items():
        default = control.value
        for value in control_values(control):
            control.value = value
            assert live.message.value == "", f"{name}={value!r}: {live.message.value}"
        control.value = default
    image = Image.open(io.BytesIO(bytes(live.image.value)))
    assert image.width == round(TEXT_COLUMN_PX), image.size


def outside(control):
    """A value of the control's type that no chart can draw: an unknown name, or a
    negative number (None for a yes/no choice, where both values are valid)."""
    if isinstance(control, widgets.SelectionSlider) or isinstance(control.value, str):
        return "no such value"
    if isinstance(control.value, bool):
        return None
    return -1


def test_a_value_no_control_offers_is_refused_with_a_message(live):
    """What a caller of ``draw`` (a chapter, a student) gets for a value off the controls:
    an ArgumentError naming it, which a live figure shows as its message."""
    from icaria.arguments import ArgumentError

    for name, control in live.controls.items():
        value = outside(control)
        if value is None:
            continue
        with pytest.raises(ArgumentError):
            live.chart.draw(live.figure, **{**live.values(), name: value})


def test_every_live_figure_is_shown_by_its_chapter():
    for name, (chapter, factory) in LIVE_FIGURES.items():
        source = (REPO_ROOT / "notebooks" / f"{chapter}.md").read_text(encoding="utf-8")
        assert f"{factory.__name__}(" in source, f"{name}: {chapter} does not call {factory.__name__}"
