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
    factors = "; ".join(f"{name} {' vs '.join(levels)}" for name, levels in published.STRATIFICATION_FACTORS.items())
    box(ax, 5, 9.3, f"Screened: {published.SCREENED} patients with relapsed and refractory myeloma,\n"
                    "at least 2 previous lines including lenalidomide and a proteasome inhibitor")
    box(ax, 5, 7.5, f"Randomised 1:1 (n = {total}), interactive response technology\n"
                    f"Permuted blocks of 4 within 4 strata: {factors}", face="#f5f5f5")
    arrow(ax, (5, 8.75), (5, 8.1))
    box(ax, 9.0, 8.4, f"Not randomised:\n{published.SCREENED - total} patients", face="#fafafa")
    arrow(ax, (5, 8.45), (8.1, 8.45))
    regimens = {
        "Isa-Pd": "Isatuximab 10 mg/kg IV + pomalidomide 4 mg\n+ dexamethasone 40 mg (20 mg if 75+)",
        "Pd": "Pomalidomide 4 mg\n+ dexamethasone 40 mg (20 mg if 75+)",
    }
    for x, arm in zip((2.6, 7.4), ARMS):
        box(ax, x, 5.3, f"{arm} (n = {arm_sizes[arm]})\n{regimens[arm]}", edge=ARM_COLOURS[arm])
        arrow(ax, (5 + (x - 5) * 0.35, 6.9), (x, 6.0))
        arrow(ax, (x, 4.6), (x, 3.9))
        box(ax, x, 3.4, "28-day cycles until progression,\nunacceptable toxicity or withdrawal",
            edge=ARM_COLOURS[arm])
        arrow(ax, (x, 2.9), (5 + (x - 5) * 0.35, 2.1))
    box(ax, 5, 1.4, "Follow-up: progression (independent committee), response, survival,\n"
                    f"next treatment. Primary analysis after {published.DESIGN_PFS_EVENTS} PFS events "
                    f"(cutoff {published.PRIMARY_CUTOFF})", face="#f5f5f5")
    return ax
