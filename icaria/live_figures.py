"""Every live figure of the book, with the chapter that shows it.

One catalog for the benchmark (``scripts/benchmark_widgets.py``) and the tests
that run every live figure through its controls (``tests/test_live_protocol.py``).
Each factory returns a :class:`icaria.live.LiveFigure` built on a
:class:`icaria.live.Chart`; a test fails on a ``*_live`` factory missing here.
"""

import ipywidgets as widgets
import numpy as np

from icaria.adverse_events import dot_plot_live
from icaria.allocation import comparison_live
from icaria.design_figures import events_needed_live, spending_live
from icaria.landmark import landmark_live
from icaria.pfs import pfs_live
from icaria.regimens import dosing_calendar_live
from icaria.response import response_live
from icaria.timelines import convention_live, time_machine_live

# Name -> (chapter page, factory), in reading order.
LIVE_FIGURES = {
    "Trial at a glance: dosing calendar": ("01-trial-at-a-glance", dosing_calendar_live),
    "Sample size: events needed": ("03-sample-size-and-interim-looks", events_needed_live),
    "Sample size: alpha spending": ("03-sample-size-and-interim-looks", spending_live),
    "Randomisation: schemes compared": ("04-randomisation", comparison_live),
    "Endpoints: one patient, each rule": ("05-endpoints-and-censoring", convention_live),
    "Endpoints: data-cut time machine": ("05-endpoints-and-censoring", time_machine_live),
    "PFS: primary analysis explorer": ("07-progression-free-survival", pfs_live),
    "Response: depth and interval method": ("08-response", response_live),
    "Overall survival: landmark explorer": ("09-overall-survival", landmark_live),
    "Safety: adverse-event dot plot": ("10-safety", dot_plot_live),
}


def control_values(control):
    """The values a reader can pick: every option, or min, middle and max of a slider."""
    if isinstance(control, widgets.SelectionSlider):
        options = list(control.options)
        return [options[i] for i in np.linspace(0, len(options) - 1, 7).astype(int)]
    if isinstance(control, widgets.Dropdown):
        options = list(control.options)
        return [value for _, value in options] if isinstance(options[0], tuple) else options
    if isinstance(control, widgets.IntSlider):
        return sorted({control.min, (control.min + control.max) // 2, control.max})
    if isinstance(control, widgets.FloatSlider):
        return [round(value, 4) for value in np.linspace(control.min, control.max, 5)]
    raise TypeError(f"No values to try for control type {type(control).__name__}.")
