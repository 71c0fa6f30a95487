"""Boxes-and-arrows diagrams drawn with matplotlib (no extra dependency)."""

from matplotlib.patches import FancyBboxPatch

from icaria import population, published
from icaria.arguments import whole
from icaria.style import ARM_COLOURS, ARMS, OKABE_ITO, SMALL_TEXT

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


def _consort_box(ax, x, y, text, width=0.3, colour=OKABE_ITO["grey"]):
    ax.add_patch(FancyBboxPatch((x - width / 2, y - 0.045), width, 0.09, boxstyle="round,pad=0.008",
                                facecolor="white", edgecolor=colour, lw=1.5))
    ax.text(x, y, text, ha="center", va="center", fontsize=SMALL_TEXT)


def _consort_arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": OKABE_ITO["black"], "lw": 1})


def draw_consort(ax, counts, screened=published.SCREENED):
    """A CONSORT flow diagram: screening, randomisation, allocation, treatment status
    at the cutoff with reasons for stopping, and analysis, one column per arm."""
    whole("screened", screened, sum(counts[arm]["randomised"] for arm in ARMS), 100_000)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    randomised = sum(c["randomised"] for c in counts.values())
    _consort_box(ax, 0.5, 0.94, f"Screened (trial registry): {screened}", width=0.36)
    _consort_box(ax, 0.82, 0.81, f"Not randomised: {screened - randomised}", width=0.26)
    _consort_arrow(ax, (0.5, 0.895), (0.5, 0.735))
    ax.plot([0.5, 0.69], [0.81, 0.81], color=OKABE_ITO["black"], lw=1)
    _consort_box(ax, 0.5, 0.69, f"Randomised: {randomised}", width=0.3)
    for x, arm in zip((0.25, 0.75), ARMS):
        c = counts[arm]
        colour = ARM_COLOURS[arm]
        _consort_arrow(ax, (0.5, 0.645), (x, 0.595))
        _consort_box(ax, x, 0.55, f"Assigned to {arm}: {c['randomised']}\nreceived treatment: {c['treated']}\n"
                           f"not treated: {c['not treated']}", width=0.36, colour=colour)
        _consort_arrow(ax, (x, 0.505), (x, 0.43))
        reasons = "\n".join(f"  {reason.lower()}: {c[reason]}" for reason in population.DISCONTINUATION_REASONS)
        ax.add_patch(FancyBboxPatch((x - 0.18, 0.2), 0.36, 0.22, boxstyle="round,pad=0.008", facecolor="white",
                                    edgecolor=colour, lw=1.5))
        ax.text(x - 0.165, 0.41, f"At the cutoff: {c['ongoing']} still on treatment\n"
                                 f"{c['discontinued']} stopped treatment:\n{reasons}", ha="left", va="top",
                fontsize=SMALL_TEXT)
        _consort_arrow(ax, (x, 0.195), (x, 0.125))
        _consort_box(ax, x, 0.08, f"Analysed (ITT): {c['analysed (ITT)']}\nsafety: {c['treated']}", width=0.36,
             colour=colour)
    return ax
