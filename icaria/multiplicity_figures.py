"""Live figure of chapter 12 (multiplicity and monitoring): the trial's testing
strategy as a graph, with the one-sided alpha each hypothesis holds after the
rejections a reader picks. The arithmetic is :mod:`icaria.multiplicity`'s; the
interim boundary of overall survival is :mod:`icaria.design`'s spending function.
"""

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from icaria import published
from icaria.arguments import ArgumentError, between
from icaria.design import spending
from icaria.live import Chart, LiveFigure, dropdown, float_slider
from icaria.multiplicity import alphas_after, hierarchy_graph
from icaria.style import OKABE_ITO

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "12-multiplicity-and-monitoring"

# Rejections a reader can pick, in the order the graph would make them.
REJECTIONS = {
    "none yet": "",
    "PFS": "PFS",
    "PFS, then ORR": "PFS ORR",
    "PFS, then OS": "PFS OS",
}
NODES = {"PFS": (0.5, 0.8), "ORR": (0.185, 0.26), "OS": (0.815, 0.26)}
LABELS = {"PFS": "PFS (primary)", "ORR": "Response (ORR)", "OS": "Overall survival"}
EDGES = (("PFS", "ORR", -0.15), ("PFS", "OS", 0.15), ("ORR", "OS", 0.18), ("OS", "ORR", 0.18))
TEXT = 11                 # 11 pt on 5.2 inches shows at 10 CSS px on a 390 px phone
INTERIM_FRACTION = sum(published.INTERIM_DEATHS.values()) / 220


class AlphaGraphFigure(Chart):
    """Three boxes (PFS, ORR, OS) joined by weighted arrows; each box shows the alpha
    its hypothesis holds, or "rejected"; the OS box adds the interim boundary its
    alpha allows at 99 of 220 deaths. A note lists what holds no alpha at all."""

    figsize = (5.2, 3.9)
    warm_up = [{}, {"rejected": "PFS"}]

    def __init__(self, alpha=0.025):
        self.alpha = alpha

    def controls(self):
        return {
            "to_orr": float_slider("Share of PFS's alpha to ORR", 0.0, 1.0, 0.1, 0.5),
            "rejected": dropdown("Rejected so far", REJECTIONS, ""),
        }

    def build(self, figure):
        figure.clear()
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        boxes, texts = {}, {}
        for name, (x, y) in NODES.items():
            boxes[name] = FancyBboxPatch((x - 0.16, y - 0.13), 0.32, 0.26, boxstyle="round,pad=0.01",
                                         linewidth=2, edgecolor=OKABE_ITO["blue"], facecolor="white")
            ax.add_patch(boxes[name])
            texts[name] = ax.text(x, y, "", ha="center", va="center", fontsize=TEXT)
        arrows, weights = {}, {}
        for source, target, bend in EDGES:
            (x0, y0), (x1, y1) = NODES[source], NODES[target]
            shift = 0.035 if source == "OS" else (-0.035 if source == "ORR" else 0.0)
            start = (x0, y0 - 0.13) if source == "PFS" else (x0 - 0.16 if x0 > x1 else x0 + 0.16, y0 + shift)
            end = (x1 + (0.1 if x1 < x0 else -0.1), y1 + 0.13) if source == "PFS" else (
                x1 + 0.16 if x1 < x0 else x1 - 0.16, y1 + shift)
            arrows[(source, target)] = FancyArrowPatch(start, end, connectionstyle=f"arc3,rad={bend}",
                                                       arrowstyle="-|>", mutation_scale=22, lw=2,
                                                       color=OKABE_ITO["grey"])
            ax.add_patch(arrows[(source, target)])
            mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            offset = {("PFS", "ORR"): (-0.07, 0.03), ("PFS", "OS"): (0.07, 0.03),
                      ("ORR", "OS"): (0, -0.075), ("OS", "ORR"): (0, 0.075)}[(source, target)]
            weights[(source, target)] = ax.text(mid[0] + offset[0], mid[1] + offset[1], "", ha="center",
                                                va="center", fontsize=TEXT, color=OKABE_ITO["black"])
        note = ax.text(0.5, 0.0, "Other endpoints (VGPR, duration of response, TTP...):\nalpha 0, descriptive",
                       ha="center", va="bottom", fontsize=TEXT - 1, color=OKABE_ITO["black"])
        return {"ax": ax, "boxes": boxes, "texts": texts, "arrows": arrows, "weights": weights, "note": note}

    def alphas_after_rejections(self, to_orr, rejected):
        """The hypotheses rejected so far, in order, and every hypothesis's alpha after them."""
        between("Share of PFS's alpha to ORR", to_orr, 0, 1, closed=(True, True))
        if rejected not in REJECTIONS.values():
            raise ArgumentError(f"Rejected so far must be one of {list(REJECTIONS.values())}; got {rejected!r}.")
        order = rejected.split()
        return order, alphas_after(order, to_orr, self.alpha)

    def update(self, to_orr=0.5, rejected=""):
        order, alphas = self.alphas_after_rejections(to_orr, rejected)
        graph = hierarchy_graph(to_orr)
        a = self.artists
        for name in NODES:
            done = name in order
            if done:
                body = "rejected"
            elif alphas[name] > 0:
                body = f"alpha {alphas[name]:.4f}"
            else:
                body = "alpha 0: waits"
            if name == "OS" and not done and alphas[name] > 0:
                body += f"\ninterim p < {float(spending(INTERIM_FRACTION, alphas[name])):.5f}"
            a["texts"][name].set_text(f"{LABELS[name]}\n{body}")
            a["boxes"][name].set_facecolor(OKABE_ITO["sky_blue"] if done else "white")
            a["boxes"][name].set_linestyle("--" if not done and alphas[name] == 0 else "-")
        for (source, target), arrow in a["arrows"].items():
            live = source not in order and target not in order
            weight = graph[source].get(target, 0.0)
            arrow.set_alpha(1.0 if live else 0.25)
            a["weights"][(source, target)].set_text(f"{weight:g}" if live else "")
        return None

    def caption(self, to_orr=0.5, rejected=""):
        order, alphas = self.alphas_after_rejections(to_orr, rejected)
        done = " then ".join(order) + " rejected" if order else "nothing rejected yet"
        held = ", ".join(f"{name} {alphas[name]:.4f}" if alphas[name] > 0 else f"{name} 0 (it waits)"
                         for name in NODES if name not in order)
        return (f"The testing graph with {to_orr:.0%} of PFS's one-sided alpha {self.alpha:g} passed to ORR and "
                f"{1 - to_orr:.0%} to OS, {done}. Alpha each open hypothesis holds: {held}. Arrows carry the "
                "weights along which a rejected hypothesis passes its alpha on.")


def alpha_graph_live():
    """Chapter 12's live figure of alpha passing along the testing graph."""
    return LiveFigure(AlphaGraphFigure())
