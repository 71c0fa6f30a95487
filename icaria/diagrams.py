"""Boxes-and-arrows diagrams drawn with matplotlib (no extra dependency)."""


from icaria import population, published
from icaria.arguments import whole
from icaria.style import ARM_COLOURS, ARMS, OKABE_ITO, SMALL_TEXT

BOX_PAD = 0.45          # space between a box's edge and its text, in units of the font size


def _text_box(ax, x, y, text, colour=OKABE_ITO["grey"], ha="center", lines="center"):
    """A box sized by its text (the text can never leave it), at (x, y); ``lines``
    aligns the lines of the text within the box."""
    frame = {"boxstyle": f"round,pad={BOX_PAD}", "facecolor": "white", "edgecolor": colour, "lw": 1.5}
    return ax.text(x, y, text, ha=ha, va="center", fontsize=SMALL_TEXT, multialignment=lines, bbox=frame)


def _edge_arrow(ax, start, end, start_at=(0.5, 0), end_at=(0.5, 1), style="-|>"):
    """An arrow from a point of box ``start`` to a point of box ``end``, each given as a
    fraction of the box's frame (default: bottom centre to top centre), so the arrowhead
    stops on the box's edge, outside its text. ``start`` may also be a data point."""
    start_coords = "data" if isinstance(start, tuple) else start.get_bbox_patch()
    xytext = start if isinstance(start, tuple) else start_at
    return ax.annotate("", xy=end_at, xycoords=end.get_bbox_patch(), xytext=xytext, textcoords=start_coords,
                       arrowprops={"arrowstyle": style, "color": OKABE_ITO["black"], "lw": 1,
                                   "shrinkA": 0, "shrinkB": 0})


# The schema's size (inches): its axes fill the figure, so a notebook shows it this wide plus
# 0.2 in of crop padding: 500 px, and 10 pt type at 9.5 CSS px in a phone's column.
SCHEMA_FIGSIZE = (4.8, 6.6)
# Stratification levels as the text reads them ("75 or over", not ">=75").
LEVEL_WORDS = {"<75": "under 75", ">=75": "75 or over", ">3": "more than 3"}


def draw_trial_schema(ax, arm_sizes):
    """ICARIA-MM from screening to analysis; ``arm_sizes`` maps arm to patients
    randomised. As in :func:`draw_consort`, each box is drawn around its text and each
    arrow ends on a box's edge (tests/test_figures.py measures both diagrams); drawn for
    ``SCHEMA_FIGSIZE``, on axes it stretches over the figure. Returns the boxes (name ->
    text artist)."""
    ax.set_position((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    total = sum(arm_sizes.values())
    strata, factors = 1, []
    for name, levels in published.STRATIFICATION_FACTORS.items():
        strata *= len(levels)
        factors.append(f"{name.split(' (')[0].lower()}: {' / '.join(LEVEL_WORDS.get(lv, lv) for lv in levels)}")
    screened = _text_box(ax, 0.5, 0.916, f"Screened: {published.SCREENED} patients\nwith relapsed and refractory "
                         "myeloma,\nat least 2 previous lines, including\nlenalidomide and a proteasome inhibitor")
    side = _text_box(ax, 0.98, 0.802, f"Not randomised:\n{published.SCREENED - total} patients", ha="right")
    randomised = _text_box(ax, 0.5, 0.674, f"Randomised 1:1 (n = {total})\nin permuted blocks of 4\n"
                           f"within {strata} strata:\n" + "\n".join(factors))
    follow_up = _text_box(ax, 0.5, 0.095, "Follow-up: progression (independent\ncommittee), response, survival "
                          "and\nnext treatment; primary analysis\nplanned at "
                          f"{published.DESIGN_PFS_EVENTS} PFS events\n(cutoff {published.PRIMARY_CUTOFF})")
    boxes = {"screened": screened, "not randomised": side, "randomised": randomised, "follow-up": follow_up}
    _edge_arrow(ax, screened, randomised)
    ax.figure.draw_without_rendering()   # lays out the boxes, for the side branch below
    _edge_arrow(ax, (0.5, 0.802), side, end_at=(0, 0.5))
    dexamethasone = "+ dexamethasone 40 mg\n(20 mg if 75 or over)"
    regimens = {"Isa-Pd": f"isatuximab 10 mg/kg IV\n+ pomalidomide 4 mg\n{dexamethasone}",
                "Pd": f"pomalidomide 4 mg\n{dexamethasone}"}
    for x, arm in zip((0.25, 0.75), ARMS):
        colour = ARM_COLOURS[arm]
        assigned = _text_box(ax, x, 0.473, f"{arm} (n = {arm_sizes[arm]})\n{regimens[arm]}", colour=colour)
        cycles = _text_box(ax, x, 0.284, "28-day cycles until\nprogression,\nunacceptable toxicity\nor withdrawal",
                           colour=colour)
        _edge_arrow(ax, randomised, assigned, start_at=(0.5 + (x - 0.5) * 0.6, 0))
        _edge_arrow(ax, assigned, cycles)
        _edge_arrow(ax, cycles, follow_up, end_at=(0.5 + (x - 0.5) * 0.6, 1))
        boxes.update({f"{arm} assigned": assigned, f"{arm} cycles": cycles})
    return boxes


# The CONSORT diagram's size (inches): narrow enough that its 10 pt type shows at 9 CSS px or
# more in a phone's column (style.PHONE_COLUMN_PX; tests/test_figures.py measures it).
CONSORT_FIGSIZE = (5.2, 6.6)
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
    top = _text_box(ax, 0.5, 0.95, f"Screened (trial registry):\n{screened}")
    side = _text_box(ax, 0.98, 0.835, f"Not randomised:\n{screened - randomised}", ha="right")
    middle = _text_box(ax, 0.5, 0.72, f"Randomised: {randomised}")
    boxes = {"screened": top, "not randomised": side, "randomised": middle}
    _edge_arrow(ax, top, middle)
    ax.figure.draw_without_rendering()   # lays out the boxes, for the side branch below
    _edge_arrow(ax, (0.5, 0.835), side, end_at=(0, 0.5))
    for x, arm in zip((0.25, 0.75), ARMS):
        c = counts[arm]
        colour = ARM_COLOURS[arm]
        assigned = _text_box(ax, x, 0.585, f"Assigned to {arm}: {c['randomised']}\nreceived treatment: "
                                f"{c['treated']}\nnot treated: {c['not treated']}", colour=colour)
        reasons = "\n".join(f"  {reason.lower()}: {c[reason]}" for reason in population.DISCONTINUATION_REASONS)
        status = _text_box(ax, x, 0.33, f"At the cutoff:\n{c['ongoing']} still on treatment\n"
                              f"{c['discontinued']} stopped treatment:\n{reasons}", colour=colour, lines="left")
        analysed = _text_box(ax, x, 0.07, f"Analysed (ITT): {c['analysed (ITT)']}\nsafety: {c['treated']}",
                                colour=colour)
        _edge_arrow(ax, middle, assigned, start_at=(0.5 + (x - 0.5) * 0.6, 0))
        _edge_arrow(ax, assigned, status)
        _edge_arrow(ax, status, analysed)
        boxes.update({f"{arm} assigned": assigned, f"{arm} status": status, f"{arm} analysed": analysed})
    return boxes
