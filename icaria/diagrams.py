"""Boxes-and-arrows diagrams drawn with matplotlib (no extra dependency)."""

from icaria import published
from icaria.style import ARM_COLOURS, ARMS, SMALL_TEXT

BOX_STYLE = dict(boxstyle="round,pad=0.5", linewidth=1.2)


def box(ax, x, y, text, edge="#333333", face="white", width=None):
    """A labelled box centred at (x, y) in data coordinates."""
    style = dict(BOX_STYLE, edgecolor=edge, facecolor=face)
    return ax.text(x, y, text, ha="center", va="center", fontsize=SMALL_TEXT, bbox=style, wrap=False)


def arrow(ax, start, end):
    """An arrow from ``start`` to ``end`` (data coordinates)."""
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color="#333333", lw=1.2))


def draw_trial_schema(ax, arm_sizes):
    """ICARIA-MM from screening to analysis; ``arm_sizes`` maps arm to patients randomised."""
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")
    total = sum(arm_sizes.values())
    factors = "\n".join(f"{name} {' vs '.join(levels)}" for name, levels in published.STRATIFICATION_FACTORS.items())
    box(ax, 5, 9.35, f"Screened: {published.SCREENED} patients with relapsed and\n"
                     "refractory myeloma, at least 2 previous lines\n"
                     "including lenalidomide and a proteasome inhibitor")
    box(ax, 5, 7.15, f"Randomised 1:1 (n = {total}),\ninteractive response technology,\n"
                     f"permuted blocks of 4 within 4 strata:\n{factors}", face="#f5f5f5")
    arrow(ax, (5, 8.75), (5, 8.2))
    box(ax, 8.9, 8.15, f"Not randomised:\n{published.SCREENED - total} patients", face="#fafafa")
    arrow(ax, (5, 8.45), (8.0, 8.45))
    regimens = {
        "Isa-Pd": "Isatuximab 10 mg/kg IV\n+ pomalidomide 4 mg\n+ dexamethasone 40 mg (20 mg if 75+)",
        "Pd": "Pomalidomide 4 mg\n+ dexamethasone 40 mg (20 mg if 75+)",
    }
    for x, arm in zip((2.5, 7.5), ARMS):
        box(ax, x, 4.6, f"{arm} (n = {arm_sizes[arm]})\n{regimens[arm]}", edge=ARM_COLOURS[arm])
        arrow(ax, (5 + (x - 5) * 0.35, 6.1), (x, 5.45))
        arrow(ax, (x, 3.75), (x, 3.2))
        box(ax, x, 2.75, "28-day cycles until progression,\nunacceptable toxicity or withdrawal",
            edge=ARM_COLOURS[arm])
        arrow(ax, (x, 2.3), (5 + (x - 5) * 0.35, 1.45))
    box(ax, 5, 0.85, "Follow-up: progression (independent committee), response, survival,\n"
                     f"next treatment. Primary analysis planned at {published.DESIGN_PFS_EVENTS} PFS events\n"
                     f"(cutoff {published.PRIMARY_CUTOFF})", face="#f5f5f5")
    return ax
