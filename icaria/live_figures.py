"""Every live figure of the book, with the chapter that shows it.

One catalog for the benchmark (``scripts/benchmark_widgets.py``), the tests that
run every live figure through its controls (``tests/test_live_protocol.py``) and
the website's build, which draws every view a reader can pick (``icaria.site_views``).
Each factory returns a :class:`icaria.live.LiveFigure` built on a
:class:`icaria.live.Chart`; a test fails on a ``*_live`` factory missing here.
"""

from icaria.adverse_events import dot_plot_live
from icaria.allocation import comparison_live
from icaria.design_figures import events_needed_live, spending_live
from icaria.landmark import landmark_live
from icaria.live import site_values
from icaria.multiplicity_figures import alpha_graph_live
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
    "Multiplicity: alpha along the testing graph": ("12-multiplicity-and-monitoring", alpha_graph_live),
}


def control_values(control):
    """The values a reader can pick: every option, and a slider's positions (thinned to
    round steps on a long slider), the same the website offers (icaria.live.site_values)."""
    return site_values(control)
