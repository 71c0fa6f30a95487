"""Time every live-figure callback of the book, as a reader would trigger it.

For each live figure, every control is moved through its values in turn (the
other controls staying put); each move runs the real callback through ipywidgets:
redraw the reused figure and encode the PNG, or reuse the PNG of a view already
drawn. Prints, per live figure, the median and worst time of first views (a
fresh drawing) and of returns to a view already drawn (a cached picture), each
against the book's budget of 100 ms.

Usage: ``python scripts/benchmark_widgets.py [--repeat N]``
"""

import argparse
import statistics
import sys
import time

from icaria.live_figures import LIVE_FIGURES, control_values

BUDGET_MS = 100


def moves(live):
    """A sequence of (control, value) moves that changes one control at a time."""
    plan = []
    for control in live.controls.values():
        default = control.value
        for value in control_values(control) + [default]:
            if value != (plan[-1][1] if plan and plan[-1][0] is control else default):
                plan.append((control, value))
    return plan


def time_live_figure(factory, repeat):
    """Milliseconds: (creation, first views, returns). Creation includes any fits and
    views a live figure prepares before the reader touches it."""
    creation, first_views, returns = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        live = factory()
        creation.append((time.perf_counter() - start) * 1000)
        live.on_change()  # builds the figure, as the reader's first move does
        for control, value in moves(live) * 2:
            fresh = tuple(sorted({**live.values(), live_name(live, control): value}.items())) not in live.png_cache
            start = time.perf_counter()
            control.value = value  # runs the callback through the widget's observer
            elapsed = (time.perf_counter() - start) * 1000
            (first_views if fresh else returns).append(elapsed)
    return creation, first_views, returns


def live_name(live, control):
    return next(name for name, candidate in live.controls.items() if candidate is control)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Time every live-figure callback.")
    parser.add_argument("--repeat", type=int, default=5, help="passes over every control value")
    args = parser.parse_args(argv)
    over = []
    print(f"{'live figure':40s} {'kind':12s} {'moves':>6s} {'median ms':>10s} {'worst ms':>9s}")
    for name, (_, factory) in LIVE_FIGURES.items():
        for kind, times in zip(("creation", "first views", "returns"), time_live_figure(factory, args.repeat)):
            if not times:
                continue
            median, worst = statistics.median(times), max(times)
            print(f"{name:40s} {kind:12s} {len(times):6d} {median:10.1f} {worst:9.1f}")
            if kind != "creation" and median > BUDGET_MS:
                over.append(f"{name} ({kind})")
    print(f"Budget: {BUDGET_MS} ms per callback. Median over budget: {', '.join(over) or 'none'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
