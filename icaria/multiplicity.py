"""Multiplicity and monitoring: alpha passed along a graph of hypotheses, and the
conditional power of a group-sequential test at an interim look.

Reference implementations for chapter 12, which shows the same arithmetic in the
open with SciPy, statsmodels and pandas; the tests check one against the other and
against hand-worked cases. Everything here is exact arithmetic on design
parameters (route ``exact``); nothing is drawn and nothing reads the twin.

- The graphical procedure of Bretz et al. (Stat Med 2009): each hypothesis holds a
  share of the one-sided alpha; when one is rejected its alpha passes along the
  graph's edges, and the edges are redrawn around it.
- The B-value of Lan and Wittes (Biometrics 1988): B(t) = Z(t) sqrt(t) behaves as a
  Brownian motion with drift theta, so the conditional power of crossing the final
  boundary c, given Z(t) at information fraction t, is
  1 - Phi((c - B(t) - theta (1 - t)) / sqrt(1 - t)).
"""

import numpy as np
from scipy import stats

from icaria.arguments import ArgumentError, between, mapping

# The testing strategy of ICARIA-MM as the book draws it: PFS first; its alpha passes
# to the two key secondary endpoints; either passes its alpha to the other when rejected.
HYPOTHESES = ("PFS", "ORR", "OS")


def hierarchy_graph(to_orr=0.5):
    """Transition weights of the book's graph: PFS passes ``to_orr`` of its alpha to
    ORR and the rest to OS; ORR and OS pass all of theirs to each other."""
    between("to_orr", to_orr, 0, 1, closed=(True, True))
    return {"PFS": {"ORR": to_orr, "OS": 1 - to_orr}, "ORR": {"OS": 1.0}, "OS": {"ORR": 1.0}}


def reject(alphas, graph, rejected):
    """Alphas and graph after rejecting ``rejected`` (Bretz et al. 2009, algorithm 1):
    its alpha passes along its edges; an edge l -> k becomes
    (g_lk + g_lj g_jk) / (1 - g_lj g_jl), and j leaves the graph."""
    if rejected not in alphas:
        raise ArgumentError(f"{rejected!r} is not a hypothesis still in the graph: {sorted(alphas)}.")
    out = graph.get(rejected, {})
    new_alphas = {h: a + alphas[rejected] * out.get(h, 0.0) for h, a in alphas.items() if h != rejected}
    new_graph = {}
    for source in new_alphas:
        g = graph.get(source, {})
        to_j, from_j = g.get(rejected, 0.0), out.get(source, 0.0)
        denominator = 1 - to_j * from_j
        new_graph[source] = {
            target: (g.get(target, 0.0) + to_j * out.get(target, 0.0)) / denominator if denominator > 0 else 0.0
            for target in new_alphas if target != source
        }
    return new_alphas, new_graph


def alphas_after(rejections, to_orr=0.5, alpha=0.025):
    """The one-sided alpha each remaining hypothesis may use after ``rejections`` (in
    order), starting from all of ``alpha`` on PFS."""
    alphas = {"PFS": alpha, "ORR": 0.0, "OS": 0.0}
    graph = hierarchy_graph(to_orr)
    for hypothesis in rejections:
        alphas, graph = reject(alphas, graph, hypothesis)
    return alphas


def graph_rejects(p_values, to_orr=0.5, alpha=0.025):
    """Which hypotheses the graph rejects for one trial's one-sided p-values (a dict),
    rejecting any hypothesis whose p is at or below its current alpha until none is."""
    mapping("p_values", p_values, HYPOTHESES)
    for hypothesis in HYPOTHESES:
        between(f"p_values[{hypothesis!r}]", p_values[hypothesis], 0, 1, closed=(True, True))
    alphas, graph = {"PFS": alpha, "ORR": 0.0, "OS": 0.0}, hierarchy_graph(to_orr)
    rejected = []
    while True:
        ready = [h for h in alphas if alphas[h] > 0 and p_values[h] <= alphas[h]]
        if not ready:
            return rejected
        rejected.append(ready[0])
        alphas, graph = reject(alphas, graph, ready[0])


def drift(hazard_ratio, events, allocation=0.5):
    """Expected final z of a log-rank test (theta of the B-value): sqrt(p (1 - p) d) |log HR|."""
    between("hazard_ratio", hazard_ratio, 0, np.inf)
    between("events", events, 0, np.inf)
    between("allocation", allocation, 0, 1)
    return float(np.sqrt(allocation * (1 - allocation) * events) * abs(np.log(hazard_ratio)))


def conditional_power(z, fraction, theta, final_z):
    """Probability that the final z reaches ``final_z`` given ``z`` at information
    ``fraction``, when the drift from now on is ``theta`` (Lan and Wittes 1988)."""
    t = between("fraction", fraction, 0, 1)
    b = np.asarray(z) * np.sqrt(t)
    return stats.norm.sf((final_z - b - np.asarray(theta) * (1 - t)) / np.sqrt(1 - t))


def trend_drift(z, fraction):
    """The drift the data so far suggest: B(t) / t = Z(t) / sqrt(t)."""
    return np.asarray(z) / np.sqrt(between("fraction", fraction, 0, 1, closed=(False, True)))


def futility_z(fraction, final_z, threshold=0.1):
    """The interim z below which conditional power under the current trend is below
    ``threshold``: solves 1 - Phi((c - z / sqrt(t)) / sqrt(1 - t)) = threshold."""
    t = between("fraction", fraction, 0, 1)
    between("threshold", threshold, 0, 1)
    return float(np.sqrt(t) * (final_z - np.sqrt(1 - t) * stats.norm.isf(threshold)))
