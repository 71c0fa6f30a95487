import matplotlib

matplotlib.use("Agg")

import re

import ipywidgets as widgets
import numpy as np
import pytest
import traitlets

from icaria.arguments import ArgumentError
from icaria.live import LIVE_HINT, Chart, LiveFigure, dropdown, int_slider
from icaria.live_figures import LIVE_FIGURES
from icaria.regimens import MAX_CYCLES, dosing_calendar_live


def test_panel_starts_without_an_image_and_with_the_live_hint():
    live = dosing_calendar_live()
    assert live.image not in live.widget().children
    assert live.message.value == LIVE_HINT


def test_a_control_change_draws_the_figure():
    live = dosing_calendar_live()
    live.controls["cycles"].value = 5
    assert live.image in live.widget().children
    assert bytes(live.image.value).startswith(b"\x89PNG")
    assert live.message.value == ""


def test_returning_to_a_view_reuses_its_png():
    live = dosing_calendar_live()
    drawn = []
    draw = live.draw
    live.draw = lambda figure, **values: drawn.append(values) or draw(figure, **values)
    live.controls["arm"].value = "Pd"
    first = bytes(live.image.value)
    live.controls["arm"].value = "Isa-Pd"
    live.controls["arm"].value = "Pd"
    assert len(drawn) == 2 and bytes(live.image.value) == first


def test_slider_refuses_a_value_outside_its_range_instead_of_clamping():
    """Issue 33: ipywidgets clamps a slider set outside its range; the book's refuse,
    with one message naming the control and its range, and the value stays."""
    live = dosing_calendar_live()
    for bad in (99, MAX_CYCLES + 1, 0, -3):
        with pytest.raises(traitlets.TraitError, match=rf"^Cycles must be between 1 and {MAX_CYCLES}; got {bad},"):
            live.controls["cycles"].value = bad
        assert live.controls["cycles"].value == 3
    live.controls["cycles"].value = MAX_CYCLES          # the ends are in range
    assert live.controls["cycles"].value == MAX_CYCLES


def outside_values(control):
    """Values just outside a control's range (a slider's ends +- a step, an option it lacks)."""
    if isinstance(control, (widgets.Dropdown, widgets.SelectionSlider)):
        return ["no such option"]
    step = control.step
    return [control.min - step, control.max + step]


@pytest.mark.parametrize("name", list(LIVE_FIGURES))
def test_every_live_figure_refuses_out_of_range_values_with_one_message(name):
    """Through the widget (a value set by a program) and through the live figure's Python
    API (``show`` and ``render``): one ArgumentError or TraitError naming the control and
    its range; nothing is clamped, nothing moves, no figure is drawn."""
    from icaria.live import control_label, range_text

    live = LIVE_FIGURES[name][1]()
    before = live.values()
    for key, control in live.controls.items():
        for bad in outside_values(control):
            expected = re.escape(f"{control_label(control)} must be {range_text(control)}; got {bad!r}")
            with pytest.raises(traitlets.TraitError, match=expected):
                control.value = bad
            with pytest.raises(ArgumentError, match=expected):
                live.show(**{key: bad})
            with pytest.raises(ArgumentError, match=expected):
                live.render(**{**before, key: bad})
            assert live.values() == before
    assert live.message.value == LIVE_HINT and live.image not in live.panel.children


def test_show_moves_the_controls_and_redraws_once():
    live = dosing_calendar_live()
    live.show(cycles=5, age_group=">=75")
    assert live.values()["cycles"] == 5 and live.values()["age_group"] == ">=75"
    assert live.message.value == "" and live.image in live.panel.children
    with pytest.raises(ArgumentError, match="no such control"):
        live.show(colour="red")


def test_dropdown_refuses_a_value_it_does_not_offer():
    live = dosing_calendar_live()
    with pytest.raises(traitlets.TraitError):
        live.controls["arm"].value = "Placebo"
    assert live.controls["arm"].value == "Isa-Pd"


def level_chart(draw):
    """A one-slider chart whose whole drawing is ``draw(figure, level)``."""

    class LevelChart(Chart):
        def controls(self):
            return {"level": int_slider("Level", 1, 3, 1)}

        def build(self, figure):
            return {}

        def update(self, level=1):
            return draw(self.figure, level)

    return LevelChart()


def test_a_view_that_cannot_be_drawn_shows_a_message_not_a_traceback():
    def refuse(figure, level):
        raise ValueError(f"level {level} is not available")

    live = LiveFigure(level_chart(refuse))
    live.controls["level"].value = 2
    assert "Cannot draw this view" in live.message.value and "level 2" in live.message.value
    assert live.image not in live.widget().children


def test_any_error_in_a_view_is_reported_and_the_last_figure_kept():
    def draw(figure, level):
        if level == 3:
            raise KeyError("CYTORISK")
        figure.clear()
        figure.add_subplot().plot([0, level])

    live = LiveFigure(level_chart(draw))
    live.controls["level"].value = 2
    shown = live.image.value
    live.controls["level"].value = 3
    assert "Cannot draw this view" in live.message.value and "KeyError" in live.message.value
    assert live.image.value == shown


def test_dropdown_helper_keeps_options_and_default():
    control = dropdown("Arm", ["Isa-Pd", "Pd"], "Pd")
    assert control.value == "Pd" and list(control.options) == ["Isa-Pd", "Pd"]


def test_blitted_views_equal_full_redraws():
    """A view drawn over a kept background looks like the same view drawn in full."""
    import io

    from PIL import Image

    from icaria.timelines import time_machine_live

    live = time_machine_live()
    live.controls["cutoff"].value = "2019-06-01"
    blitted = Image.open(io.BytesIO(bytes(live.image.value))).convert("RGB")
    buffer = io.BytesIO()
    live.canvas.draw()  # animated artists are left out of a full draw, so draw them over it
    for artist in live.draw(live.figure, cutoff="2019-06-01", endpoint="PFS").artists:
        live.figure.draw_artist(artist)
    Image.frombuffer("RGBA", live.canvas.get_width_height(), live.canvas.buffer_rgba()).convert("RGB").save(buffer,
                                                                                                            "png")
    full = Image.open(buffer)
    assert blitted.size == full.size
    difference = np.abs(np.asarray(blitted, dtype=int) - np.asarray(full, dtype=int))
    assert difference.max() == 0


def test_warm_up_draws_views_before_the_reader_asks():
    from icaria.timelines import time_machine_live

    live = time_machine_live()
    assert len(live.png_cache) == 2
    drawn = []
    draw = live.draw
    live.draw = lambda figure, **values: drawn.append(values) or draw(figure, **values)
    live.controls["endpoint"].value = "OS"
    assert drawn == [] and live.message.value == ""
    assert bytes(live.image.value) == live.png_cache[tuple(sorted(live.values().items()))]


def test_a_symptomatic_deterioration_has_its_own_mark_and_legend_entry():
    """Issue 32: the patient whose symptomatic deterioration came first shows it as its
    own marker (before the investigator's progression), named in the legend."""
    from icaria.timelines import MARKERS, convention_live

    live = convention_live()
    patient = live.chart.examples["symptomatic deterioration first"]
    live.show(patient=patient, convention="PFSINVSD")
    marks = live.chart.artists["markers"]
    (deterioration,), (progression,) = marks["SYMPTOMATIC"].get_xdata(), marks["PROGRESSION_INV"].get_xdata()
    assert deterioration < progression
    legend = [text.get_text() for text in live.chart.artists["ax"].get_legend().get_texts()]
    assert MARKERS["SYMPTOMATIC"][0] == "Symptomatic deterioration" and "Symptomatic deterioration" in legend


@pytest.mark.parametrize("chart", ["PfsFigure", "ComparisonFigure"])
def test_a_view_drawn_after_others_is_the_picture_drawn_without_kept_pixels(chart):
    """The pixels of texts, legends and axes a live figure keeps (live.Sprites) are pasted
    only where drawing them would give the same pixels: every view, in any order and
    again, equals the same view drawn with nothing kept (a survival panel with its legends
    and risk table; axes whose range moves with a control)."""
    from icaria import data
    from icaria.allocation import ComparisonFigure
    from icaria.live_figures import control_values
    from icaria.pfs import PfsFigure

    def make():
        return PfsFigure(data.load("adtte")) if chart == "PfsFigure" else ComparisonFigure()

    kept, plain = LiveFigure(make(), warm_up=False), LiveFigure(make(), warm_up=False)
    plain.sprites.draw = lambda canvas, artist, layout: artist.figure.draw_artist(artist)
    views = [{**kept.values(), name: value} for name, control in kept.controls.items()
             for value in control_values(control)]
    for values in [*views, *reversed(views)]:
        assert kept.draw_png(**values) == plain.draw_png(**values), values
    assert any(kept.sprites.drawn.values())


def test_the_fast_png_holds_the_canvas_pixels():
    """live.fast_png writes a PNG any reader decodes to the canvas's RGB pixels."""
    import io

    from PIL import Image

    from icaria.live import fast_png

    rgba = np.random.default_rng(1).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    image = Image.open(io.BytesIO(fast_png(rgba)))
    assert image.mode == "RGB" and image.size == (5, 7)
    assert np.array_equal(np.asarray(image), rgba[:, :, :3])
