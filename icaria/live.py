"""Plumbing for the book's live figures: a control panel that redraws one figure.

Every live figure of the book follows one protocol, :class:`Chart`: the chart
says what its controls are, lays the figure out once and then only updates its
artists for each view. :class:`LiveFigure` turns a chart into a control panel.
The same :class:`matplotlib.figure.Figure` is redrawn on every change and sent to
the browser as a PNG in an ``ipywidgets.Image``, which keeps a callback fast.
Nothing is drawn until a control moves (the image joins the panel then): the
chapter shows the default view as an ordinary static figure above the controls.
The chapter's static figure and the live figure start from one view: a live
figure refuses to start from other values than those its chart last drew for the
chapter (see :meth:`Chart.draw`).

On the website there is no kernel. There the panel shows as a plain HTML form
(:func:`site_form`, the ``text/html`` part of what :meth:`LiveFigure.widget`
displays): native controls over the values of :func:`site_values`, whose every
view the book's build draws with this same code (``icaria.site_views``); a small
script (``_assets/live-views.js``) swaps the chapter's figure for the view the
reader picks. A notebook front end shows the ipywidgets panel instead.
A ``draw`` that raises shows its message (any error, not only ``ValueError``) and
keeps the last good figure, never a traceback.
Each view is drawn once: its PNG is kept, so returning to it costs nothing.

A draw may return :class:`Changed`: the artists that differ between views, and a
layout key. The figure is then drawn in full once per layout, its background
kept, and later views only redraw the changed artists on top of it (blitting),
which keeps a busy figure (a Kaplan-Meier plot with its risk table) fast.
"""

import html
import itertools
import json
import math
import struct
import zlib
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from icaria.arguments import ArgumentError
from icaria.style import TEXT_COLUMN_PX

OFFLINE_HINT = ("Live controls: this front end shows no widgets. Run the chapter in JupyterLab, "
                "Binder or Colab, or read it on the book's website, where the controls work without a kernel.")
LIVE_HINT = ("<i>Live controls: they need a running kernel (JupyterLab, Binder or Colab). "
             "The figure above shows the default settings; change a control to redraw.</i>")


@dataclass
class Changed:
    """What a draw changed: ``artists`` to redraw over the background of ``layout``."""

    artists: list
    layout: object = None
    extra: dict = field(default_factory=dict)


class Chart:
    """The protocol every live figure of the book follows.

    A chart keeps its artists on itself (never on the matplotlib figure) and provides:

    - ``figsize``: the figure's size in inches (the chapter's static figure uses it too);
    - ``controls()``: control name -> widget; every name is a keyword of ``update``,
      and where ``update`` gives a default, the widget starts at that value;
    - ``build(figure)``: lays out an empty figure once and returns its artists;
    - ``update(**values)``: checks the values (an :class:`~icaria.arguments.ArgumentError`
      that names the bad one), sets the artists for this view, and returns
      :class:`Changed` (only those artists are redrawn) or ``None`` (a full redraw);
    - ``caption(**values)``: the caption of a view, computed from its values alone
      (the website swaps it with the picture);
    - ``warm_up``: views drawn before the reader asks, each a dict of the values that
      differ from the defaults (``{}`` is the default view).

    ``draw(figure, **values)`` builds on a figure it has not seen, then updates: a
    chapter's static figure calls it. :class:`LiveFigure` calls ``draw_view``, the
    same without remembering the view as the chapter's.
    """

    figsize = (8, 4)
    warm_up = ()
    figure = None
    artists = None

    def controls(self):
        """Control name -> widget (see the class's text)."""
        raise NotImplementedError

    def build(self, figure):
        """Lay out an empty figure and return its artists."""
        raise NotImplementedError

    def update(self, **values):
        """Check ``values``, set the artists for this view; return Changed or None."""
        raise NotImplementedError

    def caption(self, **values):
        """The caption of the view ``values``, written from those values alone (the
        website shows it under that view's picture)."""
        raise NotImplementedError

    def draw(self, figure, **values):
        """Build on a figure not seen before, then update it for ``values``; remember
        ``values`` as the view the chapter shows, which the chart's live figure must
        start from."""
        changed = self.draw_view(figure, **values)
        CHAPTER_VIEWS[type(self)] = values
        return changed

    def draw_view(self, figure, **values):
        """Build on a figure not seen before, then update it for ``values``."""
        if self.figure is not figure:
            self.artists = self.build(figure)
            self.figure = figure
        return self.update(**values)


# Chart class -> the values its last static figure was drawn with (see Chart.draw).
CHAPTER_VIEWS = {}


def check_one_default(chart, defaults):
    """Refuse a live figure whose controls start elsewhere than the static figure of
    the same chart that the chapter drew last: the page would show two defaults."""
    drawn = CHAPTER_VIEWS.pop(type(chart), {})
    differ = {name: value for name, value in drawn.items() if name in defaults and defaults[name] != value}
    if differ:
        shown = ", ".join(f"{name}={value!r}" for name, value in differ.items())
        starts = ", ".join(f"{name}={defaults[name]!r}" for name in differ)
        raise ArgumentError(f"The figure above shows {shown} but its live figure starts at {starts}: "
                            "draw the static figure with the controls' defaults.")


class LiveFigure:
    """A chart's controls plus its figure, redrawn in place whenever a control changes."""

    def __init__(self, chart, scale=1, warm_up=True):
        """Draws the chart's ``warm_up`` views now, so a reader's first moves to them
        are instant. The figure is rendered as wide as the text column, times
        ``scale`` (the website's views are drawn at 2, for sharp screens)."""
        self.chart = chart
        self.draw = chart.draw_view
        self.controls = chart.controls()
        check_one_default(chart, self.values())
        self.dpi = TEXT_COLUMN_PX * scale / chart.figsize[0]
        self.figure = Figure(figsize=chart.figsize, dpi=self.dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.backgrounds = {}
        self.sprites = Sprites()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.message = widgets.HTML(value=LIVE_HINT)
        controls_row = widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.panel = widgets.VBox([controls_row, self.message])
        self.png_cache = {}
        for control in self.controls.values():
            control.observe(self.on_change, names="value")
        for changes in chart.warm_up if warm_up else ():
            self.render(**{**self.values(), **changes})

    def values(self):
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def check(self, values):
        """Refuse a value outside its control's range (or an unknown control) with an
        ArgumentError naming the control and its range: a live figure never clamps."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ArgumentError(f"{', '.join(sorted(unknown))}: no such control; the controls are "
                                f"{', '.join(self.controls)}.")
        for name, value in values.items():
            message = out_of_range(self.controls[name], value)
            if message:
                raise ArgumentError(message)

    def show(self, **values):
        """Move the named controls to ``values`` (checked all at once first: a value
        outside a control's range is refused and nothing moves), then redraw."""
        self.check(values)
        for name, value in values.items():
            self.controls[name].unobserve(self.on_change, names="value")
            self.controls[name].value = value
            self.controls[name].observe(self.on_change, names="value")
        self.on_change()

    def render(self, **values):
        """The figure for ``values`` as PNG bytes, drawn on first request only; a value
        outside its control's range is refused (see :meth:`check`)."""
        self.check(values)
        key = tuple(sorted(values.items()))
        if key not in self.png_cache:
            self.png_cache[key] = self.draw_png(**values)
        return self.png_cache[key]

    def draw_png(self, **values):
        """Draw the figure for ``values`` now and return it as PNG bytes."""
        artists = self.chart.artists
        changed = self.draw(self.figure, **values)
        if self.chart.artists is not artists:     # built anew (the chart drew another figure meanwhile)
            self.sprites = Sprites()
        if isinstance(changed, Changed):
            self.blit(changed)
        else:
            self.canvas.draw()
        return self.png()

    def blit(self, changed):
        """Draw the layout's background with only the changed artists on it (texts and
        legends drawn before on the same pixels are pasted: see :class:`Sprites`)."""
        if changed.layout not in self.backgrounds:
            for artist in changed.artists:
                artist.set_animated(True)
            self.canvas.draw()
            self.backgrounds[changed.layout] = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self.backgrounds[changed.layout])
        for artist in changed.artists:
            if artist.get_visible():
                self.sprites.draw(self.canvas, artist, changed.layout)

    def png(self):
        """The canvas as an opaque PNG, quickly compressed (see :func:`fast_png`)."""
        return fast_png(numpy.asarray(self.canvas.buffer_rgba()))

    def on_change(self, change=None):
        """Redraw for the controls' values, or show why this view cannot be drawn."""
        try:
            self.image.value = self.render(**self.values())
            self.message.value = ""
            if self.image not in self.panel.children:
                self.panel.children = (*self.panel.children, self.image)
        except Exception as error:
            detail = str(error) if isinstance(error, ValueError) else f"{type(error).__name__}: {error}"
            self.message.value = (f"<b>Cannot draw this view:</b> {html.escape(detail)}. "
                                  "The figure shows the last view that could be drawn.")

    def widget(self):
        """What a chapter displays: in a notebook the panel (controls, message and,
        after a first move, the figure); on the website the same controls as a form."""
        return Panel(self)


def fast_png(rgba):
    """An RGBA pixel array (rows top first) as an opaque RGB PNG: every row unfiltered,
    deflated at zlib level 1. On the book's flat-coloured figures this takes half the time
    of Pillow's level 1 (which tries a filter per row) for a file no larger; savefig's RGBA
    at level 6 takes four times as long."""
    height, width = rgba.shape[:2]
    rows = numpy.zeros((height, 1 + 3 * width), numpy.uint8)     # each row: filter 0, then R, G, B...
    rows[:, 1:] = rgba[:, :, :3].reshape(height, 3 * width)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)     # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + chunk(b"IEND", b""))


class Sprites:
    """The pixels of texts, legends and axes a live figure drew, reused when it draws them again.

    Most of a redraw's time is matplotlib laying out and rasterising text, and most texts
    of a view (a risk table's counts, a legend) are the same as in a view drawn before.
    Drawing an artist changes only the pixels around it, and the result depends only on
    the artist and on the pixels it is drawn over: so when the same artist, with the same
    text, properties and place, meets the same pixels as before, the pixels it left then
    are pasted instead, and the picture is the same, bit for bit. An artist that drew
    outside the box it was measured in is never pasted."""

    PAD = 4        # pixels around an artist's measured box that its drawing may touch
    AXIS_PAD = 16  # the same for an axis, whose tick marks lie outside its labels' box
    KEEP = 4       # drawings kept per artist (the pixels under it differ between views)
    LIMIT = 48e6   # bytes kept at most (the website's build draws hundreds of views): then start afresh

    def __init__(self):
        self.drawn = {}
        self.bytes = 0

    def draw(self, canvas, artist, layout):
        """Draw ``artist`` on ``canvas`` (as ``Figure.draw_artist``), or paste its pixels."""
        key = sprite_key(artist, layout)
        if key is None:
            artist.figure.draw_artist(artist)
            return
        pixels = numpy.asarray(canvas.buffer_rgba())
        height, width = pixels.shape[:2]
        if key[0] == "axis":      # its box holds the tick labels; the tick marks lie beyond them
            box, pad = artist.get_tightbbox(canvas.get_renderer()), self.AXIS_PAD
        else:
            box, pad = artist.get_window_extent(canvas.get_renderer()), self.PAD
        x0, x1 = max(int(box.x0) - pad, 1), min(int(box.x1) + pad + 1, width - 1)
        y0, y1 = max(height - int(box.y1) - pad - 1, 1), min(height - int(box.y0) + pad, height - 1)
        if x0 >= x1 or y0 >= y1:
            artist.figure.draw_artist(artist)
            return
        key = (*key, x0, x1, y0, y1)
        if self.drawn.get(key) is False:
            artist.figure.draw_artist(artist)
            return
        region = pixels[y0:y1, x0:x1]
        for before, after in self.drawn.get(key, ()):
            if numpy.array_equal(before, region):
                region[...] = after
                return
        frame = pixels[y0 - 1:y1 + 1, x0 - 1:x1 + 1]
        ring_before, before = frame.copy(), region.copy()
        artist.figure.draw_artist(artist)
        ring_after = frame.copy()
        ring_after[1:-1, 1:-1] = ring_before[1:-1, 1:-1]
        if not numpy.array_equal(ring_before, ring_after):
            self.drawn[key] = False      # it drew outside its box: always draw it
            return
        if self.bytes > self.LIMIT:
            self.drawn, self.bytes = {}, 0
        kept = self.drawn.setdefault(key, [])
        kept.append((before, region.copy()))
        self.bytes += 2 * before.nbytes
        del kept[:-self.KEEP]


def sprite_key(artist, layout):
    """What decides the pixels a text, a legend or an axis draws (with where it lands), or
    None for an artist whose pixels are not kept (lines, collections, annotations, boxed texts)."""
    from matplotlib.axis import Axis
    from matplotlib.legend import Legend
    from matplotlib.text import Annotation, Text

    if isinstance(artist, Axis):
        return ("axis", id(artist), layout, tuple(artist.get_view_interval()), artist.label.get_text(),
                tuple(artist.get_ticklocs()), tuple(label.get_text() for label in artist.get_ticklabels()))
    if isinstance(artist, Legend):
        handles = tuple((type(handle).__name__, str(getattr(handle, "get_color", str)()),
                         str(getattr(handle, "get_linestyle", str)()), str(getattr(handle, "get_marker", str)()))
                        for handle in artist.legend_handles)
        texts = tuple((text.get_text(), str(text.get_color()), hash(text.get_fontproperties()))
                      for text in artist.texts)
        return ("legend", id(artist), layout, handles, texts, str(artist._loc))
    if type(artist) is not Text or isinstance(artist, Annotation) or artist.get_bbox_patch() is not None \
            or artist.get_path_effects() or artist.get_usetex() or not artist.get_text():
        return None
    x, y = artist.get_transform().transform(artist.get_unitless_position())
    return ("text", id(artist), layout, artist.get_text(), round(float(x), 2), round(float(y), 2),
            str(artist.get_color()), artist.get_alpha(), hash(artist.get_fontproperties()), artist.get_rotation(),
            artist.get_horizontalalignment(), artist.get_verticalalignment(), artist._multialignment,
            artist._linespacing, artist.get_clip_on(), str(artist.get_clip_box()), id(artist.get_clip_path()))


class Panel:
    """A live figure for display: the ipywidgets panel where a kernel runs it, and the
    website's form (``text/html``, chosen by the book's build) in the same output."""

    def __init__(self, live):
        self.live = live

    @property
    def children(self):
        """The panel's widgets now: controls, message and (after a first move) the figure."""
        return self.live.panel.children

    def _repr_mimebundle_(self, include=None, exclude=None):
        panel = self.live.panel
        if hasattr(widgets.Widget, "_repr_mimebundle_"):   # ipywidgets 8
            bundle = panel._repr_mimebundle_()
        else:                                               # ipywidgets 7 (Colab)
            bundle = {"text/plain": repr(panel)[:110],
                      "application/vnd.jupyter.widget-view+json": {
                          "version_major": 2, "version_minor": 0, "model_id": panel._model_id}}
        return {**bundle, "text/html": site_form(self.live)}


# ---------------------------------------------------------------------------
# The website's controls: the values a reader can pick without a kernel

SITE_POSITIONS = 21          # a slider on the website offers at most this many positions
NICE_STRIDES = (1, 2, 5, 10, 20, 50, 100)
FULL_GRID_LIMIT = 400        # more combinations than this: one control at a time


def options(control):
    """(label, value) of every option of a dropdown or a selection slider."""
    return list(zip(control._options_labels, control._options_values))


def slider_positions(control):
    """Every value a slider can take, in order."""
    if isinstance(control, widgets.SelectionSlider):
        return [value for _, value in options(control)]
    count = round((control.max - control.min) / control.step)
    if isinstance(control, widgets.IntSlider):
        return [control.min + i * control.step for i in range(count + 1)]
    return [round(control.min + i * control.step, 10) for i in range(count + 1)]


def site_values(control):
    """The values a reader can pick on the website: every option of a dropdown; a
    slider's positions, thinned to a round stride when there are more than
    :data:`SITE_POSITIONS`, always with its ends and its default."""
    if isinstance(control, widgets.Dropdown):
        return [value for _, value in options(control)]
    positions = slider_positions(control)
    stride = next(stride for stride in NICE_STRIDES if math.ceil(len(positions) / stride) <= SITE_POSITIONS)
    chosen = {*positions[::stride], positions[-1], control.value}
    return [value for value in positions if value in chosen]


def value_label(control, value):
    """A value as the reader sees it: the option's label, or the slider's readout."""
    if isinstance(control, (widgets.Dropdown, widgets.SelectionSlider)):
        return dict((v, label) for label, v in reversed(options(control)))[value]
    if isinstance(control, widgets.FloatSlider):
        return format(value, control.readout_format)
    return str(value)


def control_label(control):
    """A control's description, as its label."""
    return control.description.rstrip(": ") or "Setting"


def site_views(controls):
    """The website's views of a panel: ``("grid", keys)`` for every combination of the
    controls' site values, or ``("star", keys)`` (the default and every view one
    control away from it) when the grid would exceed :data:`FULL_GRID_LIMIT`. A key is
    the tuple of each control's index into its site values."""
    values = [site_values(control) for control in controls.values()]
    default = tuple(options.index(control.value) for options, control in zip(values, controls.values()))
    if math.prod(len(options) for options in values) <= FULL_GRID_LIMIT:
        return "grid", list(itertools.product(*(range(len(options)) for options in values)))
    keys = [default]
    for position, options in enumerate(values):
        keys += [default[:position] + (index,) + default[position + 1:]
                 for index in range(len(options)) if index != default[position]]
    return "star", keys


def view_name(key):
    """The file stem of a view: its indices joined by '-'."""
    return "-".join(str(index) for index in key)


def form_name(controls):
    """The form's accessible name: what it sets (unique on a page, as axe-core asks of
    named landmarks)."""
    return "Settings of the figure above: " + ", ".join(control_label(control) for control in controls.values())


def site_form(live):
    """The website's form for a live figure: a labelled native control per control,
    over its site values (see :func:`site_views`). Hidden until the book's script
    wires it to the figure above it; a notebook front end shows the widgets instead."""
    chart = type(live.chart).__name__
    mode, _ = site_views(live.controls)
    parts = [f'<div class="live-views" data-chart="{chart}" data-mode="{mode}">',
             f'<p class="live-views-offline">{OFFLINE_HINT}</p>',
             '<div class="live-views-panel" hidden>',
             f'<form class="live-views-form" aria-label="{html.escape(form_name(live.controls))}">']
    for name, control in live.controls.items():
        values = site_values(control)
        labels = [value_label(control, value) for value in values]
        default = values.index(control.value)
        ident = f"live-{chart}-{name}"
        label = html.escape(control_label(control))
        if isinstance(control, widgets.Dropdown):
            choices = "".join(f'<option value="{i}"{" selected" if i == default else ""}>{html.escape(text)}</option>'
                              for i, text in enumerate(labels))
            field_html = f'<select id="{ident}" name="{name}" data-default="{default}">{choices}</select>'
        else:
            field_html = (f'<input type="range" id="{ident}" name="{name}" min="0" max="{len(values) - 1}" step="1" '
                          f'value="{default}" data-default="{default}" aria-valuetext="{html.escape(labels[default])}" '
                          f"data-labels='{html.escape(json.dumps(labels), quote=False)}'>"
                          f'<output for="{ident}">{html.escape(labels[default])}</output>')
        parts.append(f'<div class="live-control"><label for="{ident}">{label}</label>{field_html}</div>')
    parts.append("</form>")
    if mode == "star":
        parts.append('<p class="live-views-note">This page offers every setting of one control at a time, '
                     "the others at their defaults; moving a control puts the others back. "
                     "A running notebook draws any combination.</p>")
    parts.append('<p class="live-views-status" role="status" aria-live="polite"></p></div></div>')
    return "".join(parts)


def range_text(control):
    """A control's range as the reader reads it: 'from 0.40 to 0.90' or 'one of a, b, c'."""
    if isinstance(control, (widgets.Dropdown, widgets.SelectionSlider)):
        labels = [label for label, _ in options(control)]
        shown = labels if len(labels) <= 8 else [*labels[:3], "...", *labels[-2:]]
        return "one of " + ", ".join(shown)
    return f"between {value_label(control, control.min)} and {value_label(control, control.max)}"


def out_of_range(control, value):
    """The message for ``value`` outside ``control``'s range: the control's name, its
    range and the value, in one line (``None`` when the control offers the value)."""
    if isinstance(control, (widgets.Dropdown, widgets.SelectionSlider)):
        inside = value in [option for _, option in options(control)]
    else:
        inside = isinstance(value, (int, float)) and not isinstance(value, bool) and control.min <= value <= control.max
    if inside:
        return None
    return (f"{control_label(control)} must be {range_text(control)}; got {value!r}, which is refused "
            "(never clamped); the figure is unchanged.")


class CheckedValue:
    """A control that refuses a value outside its range, set by a program or a reader,
    with one message naming it and its range (ipywidgets clamps a slider silently)."""

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if isinstance(self, (widgets.Dropdown, widgets.SelectionSlider)) and not self._options_values:
            return value                # ipywidgets sets the value before the options
        message = out_of_range(self, value)
        if message:
            raise traitlets.TraitError(message)
        return value


class Dropdown(CheckedValue, widgets.Dropdown):
    """A dropdown that refuses a value it does not offer, naming itself and its options."""


class IntSlider(CheckedValue, widgets.IntSlider):
    """An integer slider that refuses a value outside its range instead of clamping it."""


class FloatSlider(CheckedValue, widgets.FloatSlider):
    """A decimal slider that refuses a value outside its range instead of clamping it."""


class SelectionSlider(CheckedValue, widgets.SelectionSlider):
    """A slider over options that refuses a value it does not offer, naming its range."""


def dropdown(description, options, value, width=None):
    """A dropdown offering only ``options`` (a list, or a dict of label -> value);
    ``width`` (CSS, e.g. ``"420px"``) widens it for long labels."""
    if isinstance(options, dict):
        options = list(options.items())
    layout = widgets.Layout(width=width) if width else widgets.Layout()
    return Dropdown(description=description, options=options, value=value,
                    style={"description_width": "initial"}, layout=layout)


def int_slider(description, low, high, value):
    """An integer slider over [low, high]; a value outside is refused, never clamped."""
    return IntSlider(description=description, min=low, max=high, value=value,
                     continuous_update=False, style={"description_width": "initial"})


def float_slider(description, low, high, step, value):
    """A decimal slider over [low, high]; a value outside is refused, never clamped."""
    return FloatSlider(description=description, min=low, max=high, step=step, value=value,
                       continuous_update=False, readout_format=".2f", style={"description_width": "initial"})


def selection_slider(description, options, value, width=None):
    """A slider over ``options`` (a list of values); a value it does not offer is refused."""
    layout = widgets.Layout(width=width) if width else widgets.Layout()
    return SelectionSlider(description=description, options=options, value=value, continuous_update=False,
                           style={"description_width": "initial"}, layout=layout)
