"""Time every live figure of the book against its budgets, as a reader meets it.

For each live figure: its creation (the fits and views it prepares before the
reader touches it), then every control moved through its values in turn (the
other controls staying put), each move running the real callback through
ipywidgets: redraw the reused figure and encode the PNG (a first view), or reuse
the PNG of a view already drawn (a return). Three passes by default, each on a
freshly created figure. Prints, per live figure, the median and worst time of
creation and first views against the budgets below, and exits with status 3 when
a figure misses one (the worst time counts: a reader notices the slowest move).

Times are the process's CPU time, which other jobs on a shared machine do not
inflate (on an idle machine it is the wall time); the worst wall time is printed
beside it.

Usage: ``python scripts/benchmark_widgets.py [--repeat N] [WORD ...]`` (only the figures
whose name contains a WORD, e.g. ``landmark``).
"""

import argparse
import statistics
import sys
import time

from icaria.live_figures import LIVE_FIGURES, control_values

# Budgets (ms), for the worst of all passes.
BUDGETS_MS = {"creation": 500, "first views": 50}
OVER_BUDGET = 3   # exit status when a budget is missed (1 and 2: a crash, a bad argument)


def moves(live):
    """A sequence of (control, value) moves that changes one control at a time."""
    plan = []
    for control in live.controls.values():
        default = control.value
        for value in control_values(control) + [default]:
            if value != (plan[-1][1] if plan and plan[-1][0] is control else default):
                plan.append((control, value))
    return plan


class Stopwatch:
    """CPU and wall milliseconds of the block it times."""

    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exception):
        self.cpu = (time.process_time() - self.cpu) * 1000
        self.wall = (time.perf_counter() - self.wall) * 1000


def time_live_figure(factory, repeat):
    """{"creation": [...], "first views": [...], "returns": [...]} of (CPU ms, wall ms)."""
    times = {"creation": [], "first views": [], "returns": []}
    for _ in range(repeat):
        with Stopwatch() as watch:
            live = factory()
        times["creation"].append((watch.cpu, watch.wall))
        live.on_change()  # the reader's first move shows the default view
        for control, value in moves(live) * 2:
            fresh = view_key(live, control, value) not in live.png_cache
            with Stopwatch() as watch:
                control.value = value  # runs the callback through the widget's observer
            times["first views" if fresh else "returns"].append((watch.cpu, watch.wall))
    return times


def view_key(live, control, value):
    """The key of the PNG cache for the view after moving ``control`` to ``value``."""
    name = next(name for name, candidate in live.controls.items() if candidate is control)
    return tuple(sorted({**live.values(), name: value}.items()))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Time every live figure against its budgets.")
    parser.add_argument("--repeat", type=int, default=3, help="passes, each on a new live figure")
    parser.add_argument("words", nargs="*", help="only the figures whose name contains one of these")
    args = parser.parse_args(argv)
    over = []
    print(f"{'live figure':40s} {'kind':12s} {'count':>6s} {'median ms':>10s} {'worst ms':>9s} {'budget':>7s}"
          f"      {'worst wall ms':>13s}")
    for name, (_, factory) in LIVE_FIGURES.items():
        if args.words and not any(word.lower() in name.lower() for word in args.words):
            continue
        for kind, times in time_live_figure(factory, args.repeat).items():
            if not times:
                continue
            cpu = [cpu for cpu, _ in times]
            median, worst = statistics.median(cpu), max(cpu)
            budget = BUDGETS_MS.get(kind)
            verdict = f"{'':12s}" if budget is None else f"{budget:7d}" + (" OVER" if worst > budget else "   ok")
            print(f"{name:40s} {kind:12s} {len(times):6d} {median:10.1f} {worst:9.1f} {verdict} "
                  f"{max(wall for _, wall in times):13.1f}", flush=True)
            if budget is not None and worst > budget:
                over.append(f"{name} ({kind} {worst:.0f} ms > {budget} ms)")
    budgets = ", ".join(f"{kind} {ms} ms" for kind, ms in BUDGETS_MS.items())
    print(f"Budgets (worst CPU time of {args.repeat} passes): {budgets}. Over budget: {'; '.join(over) or 'none'}.")
    return OVER_BUDGET if over else 0


if __name__ == "__main__":
    sys.exit(main())
