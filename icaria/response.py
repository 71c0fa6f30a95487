"""The response chapter's live figure: response rates at any depth of response,
with the confidence-interval method of your choice, recomputed from the counts of
the paper's Table 3 (the exact route: no simulated data).

Small counts are where interval methods part ways: at "complete response or better"
the Wald interval of the Pd arm, p ± 1.96 standard errors, reaches below zero, which no
proportion can (statsmodels clips it at 0; the figure says so).
"""

import numpy as np
from scipy.stats.contingency import odds_ratio
from statsmodels.stats.proportion import proportion_confint

from icaria import published
from icaria.arguments import ArgumentError, one_of
from icaria.live import Changed, Chart, LiveFigure, dropdown
from icaria.style import ARM_COLOURS, ARMS, OKABE_ITO, SMALL_TEXT

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "08-response"

DEPTHS = {"PR or better (overall response)": "PR", "VGPR or better": "VGPR", "CR or better": "CR",
          "MR or better (clinical benefit)": "MR"}
CI_METHODS = {"Clopper-Pearson (exact)": "beta", "Wilson": "wilson", "Jeffreys": "jeffreys",
              "Wald (normal approximation)": "normal"}


def responders_at_least(depth):
    """Patients per arm whose best response is ``depth`` or deeper (Table 3 counts)."""
    counts = published.TABLE3_BEST_RESPONSE
    one_of("Depth", depth, published.BEST_RESPONSE_ORDER)
    deep_enough = published.BEST_RESPONSE_ORDER[:published.BEST_RESPONSE_ORDER.index(depth) + 1]
    return {arm: sum(counts[arm][category] for category in deep_enough) for arm in ARMS}


def response_summary(depth, method):
    """Per arm: responders, denominator, proportion and its 95% CI; and the sample
    odds ratio with its exact conditional 95% CI."""
    one_of("Interval method", method, CI_METHODS.values())
    responders, randomised = responders_at_least(depth), published.RANDOMISED
    arms = {arm: (responders[arm], randomised[arm], responders[arm] / randomised[arm],
                  *proportion_confint(responders[arm], randomised[arm], method=method)) for arm in ARMS}
    table = [[responders[arm], randomised[arm] - responders[arm]] for arm in ARMS]
    exact = odds_ratio(table, kind="conditional").confidence_interval(0.95)
    return arms, (odds_ratio(table, kind="sample").statistic, exact.low, exact.high)


class ResponseFigure(Chart):
    """One horizontal bar per arm (the response rate) with its 95% interval, and a text
    panel with the counts, the intervals and the odds ratio. Axes stay fixed, so a
    live figure redraws only the bars and the texts. The text panel sits under the bars:
    5.2 inches wide, its 10 pt type shows at 9 CSS px on a 390 px phone."""

    figsize = (5.2, 4.4)
    warm_up = [{}]

    def __init__(self):
        self.summaries = {(depth, method): response_summary(depth, method)
                          for depth in DEPTHS.values() for method in CI_METHODS.values()}

    def controls(self):
        return {"depth": dropdown("Depth of response", DEPTHS, "PR", width="360px"),
                "method": dropdown("Interval", CI_METHODS, "beta", width="340px")}

    def build(self, figure):
        figure.clear()
        figure.subplots_adjust(left=0.16, right=0.95, top=0.9, bottom=0.44)
        ax = figure.add_subplot()
        lanes = {arm: lane for lane, arm in enumerate(reversed(ARMS))}
        bars = {arm: ax.barh(lanes[arm], 0, height=0.5, color=ARM_COLOURS[arm], alpha=0.85)[0] for arm in ARMS}
        intervals = {arm: ax.plot([], [], color=OKABE_ITO["black"], lw=2, marker="|", ms=14)[0] for arm in ARMS}
        ax.axvline(0, color=OKABE_ITO["grey"], lw=1)
        ax.set_xlim(-5, 100)
        ax.set_ylim(-0.6, len(ARMS) - 0.4)
        ax.set_yticks(list(lanes.values()), list(lanes))
        ax.set_xlabel("Patients responding, % of the randomised (95% CI)", fontsize=SMALL_TEXT)
        title = figure.text(0.02, 0.98, "", ha="left", va="top", fontsize=SMALL_TEXT, fontweight="bold")
        stats = figure.text(0.02, 0.01, "", ha="left", va="bottom", fontsize=SMALL_TEXT, family="monospace")
        return {"bars": bars, "intervals": intervals, "title": title, "stats": stats, "lanes": lanes}

    def update(self, depth="PR", method="beta"):
        if (depth, method) not in self.summaries:
            raise ArgumentError(f"Choose a depth from {', '.join(DEPTHS.values())} and a method from "
                             f"{', '.join(CI_METHODS.values())}; got {depth!r} and {method!r}.")
        a = self.artists
        arms, (odds, odds_low, odds_high) = self.summaries[depth, method]
        method_name = next(name for name, code in CI_METHODS.items() if code == method)
        lines = [f"{depth} or better, {method_name}"]
        for arm, (count, total, rate, low, high) in arms.items():
            a["bars"][arm].set_width(100 * rate)
            a["intervals"][arm].set_data([100 * low, 100 * high], [a["lanes"][arm]] * 2)
            lines.append(f"{arm:7s}{count:3d}/{total}  {100 * rate:5.1f}% ({100 * low:.1f} to {100 * high:.1f})")
        lines += [f"Odds ratio, Isa-Pd vs Pd: {odds:.2f} (exact 95% CI {odds_low:.2f}-{odds_high:.2f})"]
        below_zero = [arm for arm, (count, total, rate, *_) in arms.items()
                      if method == "normal" and rate - 1.96 * np.sqrt(rate * (1 - rate) / total) < 0]
        if below_zero:
            lines += [f"Wald's lower limit for {' and '.join(below_zero)} was clipped at 0%:",
                      "the method ignores that a proportion cannot be negative."]
        a["stats"].set_text("\n".join(lines))
        a["title"].set_text(f"Best response {depth} or better, Table 3 counts (published)")
        return Changed([*a["bars"].values(), *a["intervals"].values(), a["stats"], a["title"]])

    def caption(self, depth="PR", method="beta"):
        if (depth, method) not in self.summaries:
            raise ArgumentError(f"Choose a depth from {', '.join(DEPTHS.values())} and a method from "
                                f"{', '.join(CI_METHODS.values())}; got {depth!r} and {method!r}.")
        arms, (odds, odds_low, odds_high) = self.summaries[depth, method]
        method_name = next(name for name, code in CI_METHODS.items() if code == method)
        rates = "; ".join(f"{arm} {count}/{total} ({100 * rate:.1f}%, 95% CI {100 * low:.1f} to {100 * high:.1f})"
                          for arm, (count, total, rate, low, high) in arms.items())
        return (f"Patients whose best response was {depth} or better, per arm, from the published Table 3 counts, "
                f"with {method_name} 95% intervals: {rates}. Odds ratio Isa-Pd vs Pd {odds:.2f} (exact 95% CI "
                f"{odds_low:.2f} to {odds_high:.2f}).")


def response_live():
    """Chapter 8's live figure of response depth and interval method."""
    return LiveFigure(ResponseFigure())
