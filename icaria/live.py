"""Plumbing for the book's live figures: a control panel that redraws one figure.

Every live figure of the book follows one protocol, :class:`Chart`: the chart
says what its controls are, lays the figure out once and then only updates its
artists for each view. :class:`LiveFigure` turns a chart into a control panel.
The same :class:`matplotlib.figure.Figure` is redrawn on every change and sent to
the browser as a PNG in an ``ipywidgets.Image``, which keeps a callback fast.
Nothing is drawn until a control moves (the image joins the panel then): the
chapter shows the default view as an ordinary static figure above the controls,
so the website needs no kernel and shows no empty image.
A ``draw`` that raises shows its message (any error, not only ``ValueError``) and
keeps the last good figure, never a traceback.
Each view is drawn once: its PNG is kept, so returning to it costs nothing.

A draw may return :class:`Changed`: the artists that differ between views, and a
layout key. The figure is then drawn in full once per layout, its background
kept, and later views only redraw the changed artists on top of it (blitting),
which keeps a busy figure (a Kaplan-Meier plot with its risk table) fast.
"""

import html
import io
import time
from dataclasses import dataclass, field

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from icaria.style import TEXT_COLUMN_PX

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
    - ``warm_up``: views drawn before the reader asks, each a dict of the values that
      differ from the defaults (``{}`` is the default view).

    ``draw(figure, **values)`` builds on a figure it has not seen, then updates: a
    chapter's static figure calls it, and so does :class:`LiveFigure` on every move.
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

    def draw(self, figure, **values):
        """Build on a figure not seen before, then update it for ``values``."""
        if self.figure is not figure:
            self.artists = self.build(figure)
            self.figure = figure
        return self.update(**values)


class LiveFigure:
    """A chart's controls plus its figure, redrawn in place whenever a control changes."""

    def __init__(self, chart):
        """Draws the chart's ``warm_up`` views now, so a reader's first moves to them
        are instant. The figure is rendered as wide as the text column."""
        self.chart = chart
        self.draw = chart.draw
        self.controls = chart.controls()
        self.dpi = TEXT_COLUMN_PX / chart.figsize[0]
        self.figure = Figure(figsize=chart.figsize, dpi=self.dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.backgrounds = {}
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.message = widgets.HTML(value=LIVE_HINT)
        controls_row = widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.panel = widgets.VBox([controls_row, self.message])
        self.last_seconds = None
        self.png_cache = {}
        for control in self.controls.values():
            control.observe(self.on_change, names="value")
        for changes in chart.warm_up:
            self.render(**{**self.values(), **changes})

    def values(self):
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def render(self, **values):
        """The figure for ``values`` as PNG bytes, drawn on first request only."""
        key = tuple(sorted(values.items()))
        if key not in self.png_cache:
            changed = self.draw(self.figure, **values)
            if isinstance(changed, Changed):
                self.png_cache[key] = self.blit(changed)
            else:
                buffer = io.BytesIO()
                self.figure.savefig(buffer, format="png", dpi=self.dpi)
                self.png_cache[key] = buffer.getvalue()
        return self.png_cache[key]

    def blit(self, changed):
        """PNG of the layout's background with only the changed artists drawn on it."""
        if changed.layout not in self.backgrounds:
            for artist in changed.artists:
                artist.set_animated(True)
            self.canvas.draw()
            self.backgrounds[changed.layout] = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self.backgrounds[changed.layout])
        for artist in changed.artists:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba()).save(
            buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def on_change(self, change=None):
        """Redraw for the controls' values, or show why this view cannot be drawn."""
        start = time.perf_counter()
        try:
            self.image.value = self.render(**self.values())
            self.message.value = ""
            if self.image not in self.panel.children:
                self.panel.children = (*self.panel.children, self.image)
        except Exception as error:
            detail = str(error) if isinstance(error, ValueError) else f"{type(error).__name__}: {error}"
            self.message.value = (f"<b>Cannot draw this view:</b> {html.escape(detail)}. "
                                  "The figure shows the last view that could be drawn.")
        self.last_seconds = time.perf_counter() - start

    def widget(self):
        """The panel to display: controls, message and (after a first move) the figure."""
        return self.panel


def dropdown(description, options, value, width=None):
    """A dropdown offering only ``options`` (a list, or a dict of label -> value);
    ``width`` (CSS, e.g. ``"420px"``) widens it for long labels."""
    if isinstance(options, dict):
        options = list(options.items())
    layout = widgets.Layout(width=width) if width else widgets.Layout()
    return widgets.Dropdown(description=description, options=options, value=value,
                            style={"description_width": "initial"}, layout=layout)


def int_slider(description, low, high, value):
    """An integer slider; ipywidgets clamps any value set outside [low, high]."""
    return widgets.IntSlider(description=description, min=low, max=high, value=value,
                             continuous_update=False, style={"description_width": "initial"})


def float_slider(description, low, high, step, value):
    """A decimal slider; ipywidgets clamps any value set outside [low, high]."""
    return widgets.FloatSlider(description=description, min=low, max=high, step=step, value=value,
                               continuous_update=False, readout_format=".2f", style={"description_width": "initial"})
