"""Boxes-and-arrows diagrams drawn with matplotlib (no extra dependency)."""


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


# The CONSORT diagram's size (inches): narrow enough that its 10 pt type shows at 9 CSS px or
# more in a phone's column (style.PHONE_COLUMN_PX; tests/test_figures.py measures it).
CONSORT_FIGSIZE = (5.2, 6.6)
CONSORT_PAD = 0.45          # space between a box's edge and its text, in units of the font size


def _consort_box(ax, x, y, text, colour=OKABE_ITO["grey"], ha="center", lines="center"):
    """A box sized by its text (the text can never leave it), at (x, y); ``lines``
    aligns the lines of the text within the box."""
    frame = {"boxstyle": f"round,pad={CONSORT_PAD}", "facecolor": "white", "edgecolor": colour, "lw": 1.5}
    return ax.text(x, y, text, ha=ha, va="center", fontsize=SMALL_TEXT, multialignment=lines, bbox=frame)


def _consort_arrow(ax, start, end, start_at=(0.5, 0), end_at=(0.5, 1), style="-|>"):
    """An arrow from a point of box ``start`` to a point of box ``end``, each given as a
    fraction of the box's frame (default: bottom centre to top centre), so the arrowhead
    stops on the box's edge, outside its text. ``start`` may also be a data point."""
    start_coords = "data" if isinstance(start, tuple) else start.get_bbox_patch()
    xytext = start if isinstance(start, tuple) else start_at
    return ax.annotate("", xy=end_at, xycoords=end.get_bbox_patch(), xytext=xytext, textcoords=start_coords,
                       arrowprops={"arrowstyle": style, "color": OKABE_ITO["black"], "lw": 1,
                                   "shrinkA": 0, "shrinkB": 0})


def draw_consort(ax, counts, screened=published.SCREENED):
    """A CONSORT flow diagram: screening, randomisation, allocation, treatment status
    at the cutoff with reasons for stopping, and analysis, one column per arm. Each
    box is drawn around its text and each arrow ends on a box's edge, so no text leaves
    its box and no arrowhead covers a word at any size (tests/test_figures.py measures
    it); drawn for ``CONSORT_FIGSIZE``."""
    whole("screened", screened, sum(counts[arm]["randomised"] for arm in ARMS), 100_000)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    randomised = sum(c["randomised"] for c in counts.values())
    top = _consort_box(ax, 0.5, 0.95, f"Screened (trial registry):\n{screened}")
    side = _consort_box(ax, 0.98, 0.835, f"Not randomised:\n{screened - randomised}", ha="right")
    middle = _consort_box(ax, 0.5, 0.72, f"Randomised: {randomised}")
    boxes = {"screened": top, "not randomised": side, "randomised": middle}
    _consort_arrow(ax, top, middle)
    ax.figure.draw_without_rendering()   # lays out the boxes, for the side branch below
    _consort_arrow(ax, (0.5, 0.835), side, end_at=(0, 0.5))
    for x, arm in zip((0.25, 0.75), ARMS):
        c = counts[arm]
        colour = ARM_COLOURS[arm]
        assigned = _consort_box(ax, x, 0.585, f"Assigned to {arm}: {c['randomised']}\nreceived treatment: "
                                f"{c['treated']}\nnot treated: {c['not treated']}", colour=colour)
        reasons = "\n".join(f"  {reason.lower()}: {c[reason]}" for reason in population.DISCONTINUATION_REASONS)
        status = _consort_box(ax, x, 0.33, f"At the cutoff:\n{c['ongoing']} still on treatment\n"
                              f"{c['discontinued']} stopped treatment:\n{reasons}", colour=colour, lines="left")
        analysed = _consort_box(ax, x, 0.07, f"Analysed (ITT): {c['analysed (ITT)']}\nsafety: {c['treated']}",
                                colour=colour)
        _consort_arrow(ax, middle, assigned, start_at=(0.5 + (x - 0.5) * 0.6, 0))
        _consort_arrow(ax, assigned, status)
        _consort_arrow(ax, status, analysed)
        boxes.update({f"{arm} assigned": assigned, f"{arm} status": status, f"{arm} analysed": analysed})
    return boxes
