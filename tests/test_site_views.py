"""Live figures on the static site (icaria.site_views, _assets/live-views.js): every view
a reader can pick is drawn at build by the chart's own code, and every control of every
live figure on every page swaps its figure to that view, with no kernel."""

import hashlib
import json
import re

import ipywidgets as widgets
import pytest
from conftest import SITE_DIR
from test_browser import close, open_page

from icaria import site_views
from icaria.arguments import ArgumentError
from icaria.live import (
    FULL_GRID_LIMIT,
    SITE_POSITIONS,
    Chart,
    LiveFigure,
    dropdown,
    float_slider,
    int_slider,
    site_form,
    site_values,
    value_label,
    view_name,
)
from icaria.live import site_views as views_of
from icaria.live_figures import LIVE_FIGURES


class StepChart(Chart):
    """A chart a contributor might add: one dropdown, one slider, one line."""

    figsize = (4, 2)

    def controls(self):
        return {"shape": dropdown("Shape", {"Flat": "flat", "Rising": "rising"}, "flat"),
                "level": float_slider("Level", 0.0, 1.0, 0.25, 0.5)}

    def build(self, figure):
        axes = figure.add_subplot()
        axes.set_ylim(0, 2)
        return {"line": axes.plot([0, 1], [0, 0])[0], "title": axes.set_title("")}

    def update(self, shape="flat", level=0.5):
        if shape not in ("flat", "rising"):
            raise ArgumentError(f"Unknown shape {shape!r}.")
        self.artists["line"].set_ydata([level, level + (shape == "rising")])
        self.artists["title"].set_text(f"{shape} from {level:.2f}")

    def caption(self, shape="flat", level=0.5):
        return f"A {shape} line from {level:.2f}."


def step_live():
    return LiveFigure(StepChart())


# ---------------------------------------------------------------------------
# The values and views the site offers

def test_a_decimal_slider_offers_exact_values_shown_as_its_readout():
    slider = float_slider("Power", 0.7, 0.95, 0.05, 0.9)
    assert site_values(slider) == [0.7, 0.75, 0.8, 0.85, 0.9, 0.95]
    assert [value_label(slider, value) for value in site_values(slider)][-2:] == ["0.90", "0.95"]


def test_a_long_slider_is_thinned_to_round_steps_keeping_its_ends_and_default():
    slider = float_slider("Target HR", 0.4, 0.9, 0.01, 0.6)
    assert site_values(slider) == [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]
    odd = int_slider("Days", 1, 100, 37)
    values = site_values(odd)
    assert len(values) <= SITE_POSITIONS + 1 and {1, 37, 100} <= set(values) and values == sorted(values)


def test_every_site_control_keeps_its_default_and_has_few_enough_positions():
    for name, (_, factory) in LIVE_FIGURES.items():
        for control in factory().controls.values():
            values = site_values(control)
            assert control.value in values, name
            assert len(values) <= SITE_POSITIONS + 1 or isinstance(control, widgets.Dropdown), name


def test_a_small_panel_offers_every_combination_and_a_large_one_each_control_alone():
    mode, keys = views_of(step_live().controls)
    assert mode == "grid" and len(keys) == 2 * 5
    big = {f"c{i}": int_slider(f"C{i}", 1, 9, 5) for i in range(4)}     # 9**4 > FULL_GRID_LIMIT
    mode, keys = views_of(big)
    assert 9 ** 4 > FULL_GRID_LIMIT and mode == "star"
    assert len(keys) == len(set(keys)) == 1 + 4 * 8
    assert all(sum(index != 4 for index in key) <= 1 for key in keys)


def test_the_form_offers_each_control_with_its_label_and_values():
    form = site_form(step_live())
    assert '<label for="live-StepChart-shape">Shape</label>' in form
    assert re.search(r'<option value="0" selected>Flat</option><option value="1">Rising</option>', form)
    assert 'min="0" max="4"' in form and 'value="2" data-default="2" aria-valuetext="0.50"' in form
    assert "data-labels='[\"0.00\", \"0.25\", \"0.50\", \"0.75\", \"1.00\"]'" in form


def test_a_notebook_gets_the_widgets_and_the_site_gets_the_form():
    bundle = step_live().widget()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<div class="live-views" data-chart="StepChart" data-mode="grid">')


def test_a_new_chart_in_the_catalog_gets_its_views_with_no_other_change(tmp_path):
    counts = site_views.draw_views(tmp_path, {"Steps: a new figure": ("99-new", step_live)}, workers=1)
    assert counts == {"StepChart": 10}
    manifest = json.loads((tmp_path / "StepChart" / "views.json").read_text())
    assert manifest["mode"] == "grid" and manifest["default"] == "0-2"
    for key, view in manifest["views"].items():
        png = (tmp_path / "StepChart" / f"{key}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and hashlib.sha256(png).hexdigest() == view["sha256"]
    assert manifest["views"]["1-4"]["alt"] == "Steps: a new figure (Shape: Rising; Level: 1.00). rising from 1.00"


def test_a_view_is_drawn_the_same_every_time():
    live = site_views.site_live_figure(step_live)
    first = site_views.view_png(live, (1, 3))[1]
    site_views.view_png(live, (0, 0))
    assert site_views.view_png(site_views.site_live_figure(step_live), (1, 3))[1] == first


# ---------------------------------------------------------------------------
# One default: the chapter's figure and its live figure start from the same view

def test_a_live_figure_refuses_to_start_elsewhere_than_the_chapters_figure():
    from matplotlib.figure import Figure

    StepChart().draw(Figure(), shape="rising", level=0.5)
    with pytest.raises(ArgumentError, match="shows shape='rising' but its live figure starts at shape='flat'"):
        step_live()
    StepChart().draw(Figure(), shape="flat", level=0.5)
    step_live()


# ---------------------------------------------------------------------------
# Linking each form to the figure above it

def test_a_form_is_linked_to_the_nearest_figure_above_it(tmp_path):
    (tmp_path / "StepChart").mkdir()
    (tmp_path / "StepChart" / "views.json").write_text("{}")
    page = ('<figure id="fig-a"><img></figure><figure id="fig-b"><img></figure>'
            '<div class="live-views" data-chart="StepChart" data-mode="grid"></div>')
    assert 'data-chart="StepChart" data-figure="fig-b"' in site_views.link_forms(page, tmp_path)
    with pytest.raises(site_views.UnlinkedForm, match="no figure above it"):
        site_views.link_forms(page[page.index("<div"):], tmp_path)
    with pytest.raises(site_views.UnlinkedForm, match="no views were drawn for Other"):
        site_views.link_forms(page.replace("StepChart", "Other"), tmp_path)


# ---------------------------------------------------------------------------
# The built site

def forms_on_site():
    """(page, chart, figure id) of every live figure's form on the built site."""
    found = []
    for page in sorted(SITE_DIR.joinpath("notebooks").glob("*.html")):
        for match in re.finditer(r'<div class="live-views" data-chart="(\w+)" data-figure="([^"]+)"',
                                 page.read_text(encoding="utf-8")):
            found.append((page.name, *match.groups()))
    return found


def test_every_live_figure_of_the_catalog_is_on_the_site_with_its_views(site):
    charts = {chart for _, chart, _ in forms_on_site()}
    expected = {type(factory().chart).__name__ for _, factory in LIVE_FIGURES.values()}
    assert charts == expected
    for chart in charts:
        manifest = json.loads((site / site_views.VIEWS / chart / "views.json").read_text())
        for key, view in manifest["views"].items():
            png = (site / site_views.VIEWS / chart / f"{key}.png").read_bytes()
            assert hashlib.sha256(png).hexdigest() == view["sha256"], f"{chart}/{key}"
            assert view["alt"].startswith(manifest["name"]) and view["caption"]


def test_the_site_views_are_what_the_chart_draws(site):
    """A sample of views (the last one and one in the middle) redrawn here by the
    chart's code equals the picture on the site, byte for byte."""
    for name, (_, factory) in LIVE_FIGURES.items():
        live = site_views.site_live_figure(factory)
        chart = type(live.chart).__name__
        manifest = json.loads((site / site_views.VIEWS / chart / "views.json").read_text())
        _, keys = views_of(live.controls)
        for key in (keys[-1], keys[len(keys) // 2]):
            png = site_views.view_png(live, key)[1]
            assert hashlib.sha256(png).hexdigest() == manifest["views"][view_name(key)]["sha256"], f"{name} {key}"


SHOWN = """([id, src]) => { const figure = document.getElementById(id); const img = figure.querySelector('img');
  const caption = figure.querySelector('figcaption .caption-text') || figure.querySelector('figcaption');
  return img.getAttribute('src').endsWith(src) && img.complete && img.naturalWidth > 0
    ? {alt: img.alt, caption: caption.textContent} : null; }"""
BACK_TO_DEFAULT = """c => { c.value = c.dataset.default;
  c.dispatchEvent(new Event('input', {bubbles: true})); }"""


def wait_for_view(page, figure, chart, key, default, chapter_src):
    """Wait until the figure shows the view ``key`` (the chapter's own picture for the
    default settings); return its alt text and caption."""
    src = chapter_src if key == default else f"/{chart}/{view_name(key)}.png"
    return page.wait_for_function(SHOWN, arg=[figure, src], timeout=5000).json_value()


def test_every_control_of_every_live_figure_redraws_its_figure(site, served_site, browser):
    """In Chromium over HTTP: each control moved through each of its site values, by
    keyboard (arrow keys on sliders and menus) and by mouse (a click at the end of a
    slider), shows the view the build drew for those settings, with its alt text and its
    own caption (issue 32); the default settings show the chapter's own figure and caption
    again. No console error."""
    problems = []
    page = None
    moves = 0
    for name in sorted({page_name for page_name, _, _ in forms_on_site()}):
        if page is not None:
            close(page)
        page = open_page(browser, f"{served_site}/notebooks/{name}", problems, served_site)
        for _, chart, figure in [form for form in forms_on_site() if form[0] == name]:
            box = page.locator(f'.live-views[data-chart="{chart}"]')
            box.locator(".live-views-panel").wait_for(state="visible", timeout=5000)
            chapter_src = page.eval_on_selector(f"#{figure} img", "img => img.getAttribute('src')")
            chapter_caption = page.eval_on_selector(f"#{figure} figcaption .caption-text", "c => c.textContent")
            manifest = json.loads((site / site_views.VIEWS / chart / "views.json").read_text())
            star = manifest["mode"] == "star"
            controls = box.locator("select, input[type=range]")
            default = tuple(int(controls.nth(i).get_attribute("data-default")) for i in range(controls.count()))
            for position in range(controls.count()):
                control = controls.nth(position)
                menu = control.evaluate("c => c.tagName") == "SELECT"
                count = control.locator("option").count() if menu else int(control.get_attribute("max")) + 1
                control.focus()
                control.press("Home")
                state = list(default) if star else [int(controls.nth(i).input_value()) for i in range(controls.count())]
                for index in range(count):
                    if index:
                        control.press("ArrowDown" if menu else "ArrowRight")
                    state[position] = index
                    shown = wait_for_view(page, figure, chart, tuple(state), default, chapter_src)
                    if tuple(state) != default:
                        view = manifest["views"][view_name(tuple(state))]
                        assert (shown["alt"], shown["caption"]) == (view["alt"], view["caption"])
                    else:
                        assert shown["caption"] == chapter_caption
                    moves += 1
                if not menu:   # the mouse: a click at the slider's far end
                    control.press("Home")
                    where = control.bounding_box()
                    page.mouse.click(where["x"] + where["width"] - 2, where["y"] + where["height"] / 2)
                    state[position] = count - 1
                    wait_for_view(page, figure, chart, tuple(state), default, chapter_src)
                control.evaluate(BACK_TO_DEFAULT)   # before the next control
    close(page)
    assert moves >= 150, moves
    assert not problems, problems


@pytest.mark.parametrize("failure", ["script", "server"])
def test_live_code_says_when_it_cannot_start(site, served_site, browser, failure):
    """The Live Code button (Thebe) says why it cannot start, instead of 'Loading thebe
    from CDN...' for ever: at once when its script cannot be downloaded, and after a
    wait (20 s on the site, shortened here) when Binder does not answer."""
    context = browser.new_context()
    context.add_init_script("window.ICARIA_THEBE_WAIT_MS = 1500;")
    page = context.new_page()
    if failure == "script":
        page.route("**/thebe*/**", lambda route: route.abort())
    else:   # a Thebe that loads but never hears from a server
        page.route("**/thebe*/**", lambda route: route.fulfill(
            content_type="application/javascript",
            body="window.thebelab = {on: function () {}, bootstrap: function () {}};"))
    page.goto(f"{served_site}/notebooks/01-trial-at-a-glance.html", wait_until="networkidle")
    page.evaluate("() => document.querySelector('.btn-launch-thebe').click()")
    note = page.wait_for_selector(".thebe-unavailable", timeout=10000).inner_text()
    context.close()
    expected = "script could not be downloaded" if failure == "script" else "Binder server did not answer"
    assert expected in note and "Binder or Colab launch button" in note


# ---------------------------------------------------------------------------
# Issue 32: captions, alt text, legends and labels follow the view

def star_values(live):
    """The default view and every view one control away from it (what every site offers)."""
    values = [site_values(control) for control in live.controls.values()]
    default = {name: control.value for name, control in live.controls.items()}
    views = [default]
    for (name, _), options in zip(live.controls.items(), values):
        views += [{**default, name: value} for value in options if value != default[name]]
    return views


def visible_texts(figure):
    """Every visible, non-empty text a drawn figure shows: the figure's texts and legends,
    and on each visible axes its titles, texts, legend and, where its axis is drawn, the
    axis labels and the tick labels matplotlib draws (inside the axis's limits)."""
    texts = [*figure.texts, *(text for legend in figure.legends for text in legend.get_texts())]
    for axes in (axes for axes in figure.axes if axes.get_visible()):
        texts += [axes.title, axes._left_title, axes._right_title, *axes.texts]
        if axes.get_legend() is not None:
            texts += [*axes.get_legend().get_texts(), axes.get_legend().get_title()]
        if axes.axison:
            for axis in (axes.xaxis, axes.yaxis):
                texts += [axis.label, axis.offsetText]
                texts += [text for tick in axis._update_ticks() for text in (tick.label1, tick.label2)
                          if tick.get_visible()]
    return [text for text in texts if text.get_visible() and text.get_text().strip()]


@pytest.fixture(params=list(LIVE_FIGURES), ids=lambda name: name.split(": ")[1].replace(" ", "-"))
def site_live(request):
    return request.param, site_views.site_live_figure(LIVE_FIGURES[request.param][1])


def test_each_views_caption_and_alt_text_come_from_that_view_alone(site_live):
    """Issue 32: a view's caption is computed from its own values (the default's caption
    is not kept under another picture), and its alt text is what a figure drawing that
    view first would say: nothing carried over from the view drawn before it."""
    name, live = site_live
    views = star_values(live)
    captions = {}
    for values in views:
        live.draw_png(**values)
        after_others = site_views.describe(name, live, values), live.chart.caption(**values)
        alone = LiveFigure(live.chart, scale=site_views.SCALE, warm_up=False)
        alone.draw_png(**values)
        assert (site_views.describe(name, alone, values), live.chart.caption(**values)) == after_others, values
        captions[tuple(sorted(values.items()))] = after_others[1]
    assert len(set(captions.values())) == len(views), f"{name}: views share a caption"


BAD_LABELS = {
    r"\b1 (strata|doses|cycles|events|months|patients|deaths)\b": "a singular count with a plural noun",
    r"p [<=] 0\.0+\b(?![1-9])": "a p-value printed as zero",
    r"[<>]=": "'>=' or '<=' where the text writes 'or over' / 'or under'",
    r"\b\d+\.0:1\b": "an allocation ratio as a decimal",
}
# A control's option: also no bare decimal where the text writes a ratio ("2:1", not "2.0").
BAD_OPTIONS = {**BAD_LABELS, r"^\d\.\d$": "a ratio or count as a bare decimal"}


def test_no_view_has_a_clipped_or_unreadable_label(site_live):
    """Issue 32: every visible text of every view (the default and each control's every
    site value) lies inside the picture, and reads like the text: '2:1' not '2.0',
    '75 or over' not '>=75', '1 stratum', 'p < 0.0001' never 'p < 0.0000'; a control's
    options too."""
    name, live = site_live
    for control in live.controls.values():
        for label in getattr(control, "_options_labels", ()):
            for pattern, why in BAD_OPTIONS.items():
                assert not re.search(pattern, label), f"{name}: option {label!r}: {why}"
    for values in star_values(live):
        live.draw_png(**values)
        renderer = live.canvas.get_renderer()
        frame = live.figure.bbox
        for text in visible_texts(live.figure):
            box = text.get_window_extent(renderer)
            assert (box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1 and box.y0 >= frame.y0 - 1
                    and box.y1 <= frame.y1 + 1), f"{name} {values}: {text.get_text()!r} is cut off at the edge"
            for pattern, why in BAD_LABELS.items():
                assert not re.search(pattern, text.get_text()), f"{name} {values}: {text.get_text()!r}: {why}"


def test_a_hidden_arm_leaves_the_legend():
    """Issue 32: showing one arm of the PFS explorer drops the other from the legend."""
    live = site_views.site_live_figure(LIVE_FIGURES["PFS: primary analysis explorer"][1])
    for arms, expected in (("both", ["Isa-Pd", "Pd"]), ("Pd", ["Pd"]), ("Isa-Pd", ["Isa-Pd"])):
        live.draw_png(**{**live.values(), "arms": arms})
        legend = live.chart.artists["panel"].legend
        assert [text.get_text().split(":")[0] for text in legend.get_texts()] == expected, arms
