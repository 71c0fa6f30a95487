"""Who was in the trial: the CONSORT flow counted from adsl rows, and Table 1 of
the twin beside the paper's.

The flow diagram's numbers all come from :func:`consort_counts` (rows of the
twin's adsl) except the screening count, which the twin does not model and is
taken from the trial registry (``published.SCREENED``).
"""

import pandas as pd
from matplotlib.patches import FancyBboxPatch

from icaria import published
from icaria.arguments import table_with, whole
from icaria.style import ARM_COLOURS, ARMS, OKABE_ITO, SMALL_TEXT

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "06-who-was-in-the-trial"

DISCONTINUATION_REASONS = ("Progressive disease", "Adverse event", "Death", "Other")


def consort_counts(adsl):
    """Every number of the flow diagram, counted from adsl: a dict of arm -> counts."""
    table_with("adsl", adsl, ["TRT01P", "SAFFL", "EOTSTT", "DCTREAS"])
    counts = {}
    for arm in ARMS:
        rows = adsl[adsl["TRT01P"] == arm]
        stopped = rows[rows["EOTSTT"] == "DISCONTINUED"]
        counts[arm] = {
            "randomised": len(rows),
            "treated": int((rows["SAFFL"] == "Y").sum()),
            "not treated": int((rows["SAFFL"] == "N").sum()),
            "ongoing": int((rows["EOTSTT"] == "ONGOING").sum()),
            "discontinued": len(stopped),
            **{reason: int((stopped["DCTREAS"] == reason).sum()) for reason in DISCONTINUATION_REASONS},
            "analysed (ITT)": int((rows["ITTFL"] == "Y").sum()),
        }
    return counts


def _box(ax, x, y, text, width=0.3, colour=OKABE_ITO["grey"]):
    ax.add_patch(FancyBboxPatch((x - width / 2, y - 0.045), width, 0.09, boxstyle="round,pad=0.008",
                                facecolor="white", edgecolor=colour, lw=1.5))
    ax.text(x, y, text, ha="center", va="center", fontsize=SMALL_TEXT)


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": OKABE_ITO["black"], "lw": 1})


def draw_consort(ax, counts, screened=published.SCREENED):
    """A CONSORT flow diagram: screening, randomisation, allocation, treatment status
    at the cutoff with reasons for stopping, and analysis, one column per arm."""
    whole("screened", screened, sum(counts[arm]["randomised"] for arm in ARMS), 100_000)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    randomised = sum(c["randomised"] for c in counts.values())
    _box(ax, 0.5, 0.94, f"Screened (trial registry): {screened}", width=0.36)
    _box(ax, 0.82, 0.81, f"Not randomised: {screened - randomised}", width=0.26)
    _arrow(ax, (0.5, 0.895), (0.5, 0.735))
    ax.plot([0.5, 0.69], [0.81, 0.81], color=OKABE_ITO["black"], lw=1)
    _box(ax, 0.5, 0.69, f"Randomised: {randomised}", width=0.3)
    for x, arm in zip((0.25, 0.75), ARMS):
        c = counts[arm]
        colour = ARM_COLOURS[arm]
        _arrow(ax, (0.5, 0.645), (x, 0.595))
        _box(ax, x, 0.55, f"Assigned to {arm}: {c['randomised']}\nreceived treatment: {c['treated']}\n"
                           f"not treated: {c['not treated']}", width=0.36, colour=colour)
        _arrow(ax, (x, 0.505), (x, 0.43))
        reasons = "\n".join(f"  {reason.lower()}: {c[reason]}" for reason in DISCONTINUATION_REASONS)
        ax.add_patch(FancyBboxPatch((x - 0.18, 0.2), 0.36, 0.22, boxstyle="round,pad=0.008", facecolor="white",
                                    edgecolor=colour, lw=1.5))
        ax.text(x - 0.165, 0.41, f"At the cutoff: {c['ongoing']} still on treatment\n"
                                 f"{c['discontinued']} stopped treatment:\n{reasons}", ha="left", va="top",
                fontsize=SMALL_TEXT)
        _arrow(ax, (x, 0.195), (x, 0.125))
        _box(ax, x, 0.08, f"Analysed (ITT): {c['analysed (ITT)']}\nsafety: {c['treated']}", width=0.36,
             colour=colour)
    return ax


def table1_comparison(adsl):
    """One row per printed Table 1 category and arm: the paper's count, the twin's count, and the difference."""
    table_with("adsl", adsl, ["TRT01P", "AGEGR1", "SEX", *published.TABLE1_CATEGORIES, *published.TABLE1_REFRACTORY])
    rows = []
    categories = {"AGEGR1": published.TABLE1_AGE_GROUPS, "SEX": published.TABLE1_SEX,
                  **published.TABLE1_CATEGORIES,
                  **{column: {arm: {"Y": n} for arm, n in by_arm.items()}
                     for column, by_arm in published.TABLE1_REFRACTORY.items()}}
    for column, by_arm in categories.items():
        twin_counts = adsl.groupby(["TRT01P", column]).size()
        for arm, counts in by_arm.items():
            for category, count in counts.items():
                if category in published.UNPRINTED_CATEGORIES:
                    continue
                twin = int(twin_counts.get((arm, category), 0))
                rows.append({"characteristic": published.TABLE1_LABELS[column], "category": category, "arm": arm,
                             "id": published.table1_id(column, category, arm), "paper": count, "twin": twin,
                             "difference": twin - count})
    return pd.DataFrame(rows)
