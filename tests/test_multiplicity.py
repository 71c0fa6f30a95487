"""Chapter 12's numbers against exact cases: the graphical procedure against Holm's
procedure and hand-worked alphas, the simulation of familywise error against
1 - (1 - alpha)^k and the spending function, conditional power against a hand-worked
case, a Brownian-motion simulation and the identity that its average is the power."""

import numpy as np
import pytest
from scipy import integrate, stats
from statsmodels.stats.multitest import multipletests

from icaria import design, multiplicity, published
from icaria.arguments import ArgumentError

ALPHA = 0.025


def test_the_book_graph_passes_alpha_as_the_chapter_table_shows():
    assert multiplicity.alphas_after([]) == {"PFS": ALPHA, "ORR": 0.0, "OS": 0.0}
    assert multiplicity.alphas_after(["PFS"]) == pytest.approx({"ORR": ALPHA / 2, "OS": ALPHA / 2})
    assert multiplicity.alphas_after(["PFS", "ORR"]) == pytest.approx({"OS": ALPHA})
    assert multiplicity.alphas_after(["PFS", "OS"], to_orr=0.3) == pytest.approx({"ORR": ALPHA})
    assert multiplicity.alphas_after(["PFS"], to_orr=1.0) == pytest.approx({"ORR": ALPHA, "OS": 0.0})


def test_the_update_redraws_the_edges_as_bretz_algorithm_1():
    """Holm's procedure for three hypotheses as a graph (Bretz et al. 2009, figure 2):
    after rejecting H1, H2 and H3 hold alpha/2 each and pass all to each other."""
    half = {"H1": {"H2": 0.5, "H3": 0.5}, "H2": {"H1": 0.5, "H3": 0.5}, "H3": {"H1": 0.5, "H2": 0.5}}
    alphas, graph = multiplicity.reject({h: ALPHA / 3 for h in half}, half, "H1")
    assert alphas == pytest.approx({"H2": ALPHA / 2, "H3": ALPHA / 2})
    assert graph == {"H2": {"H3": pytest.approx(1.0)}, "H3": {"H2": pytest.approx(1.0)}}
    with pytest.raises(ArgumentError):
        multiplicity.reject(alphas, graph, "H1")


def test_graph_rejections_follow_the_gate():
    assert multiplicity.graph_rejects({"PFS": 0.03, "ORR": 1e-6, "OS": 1e-6}) == []
    assert multiplicity.graph_rejects({"PFS": 0.001, "ORR": 1e-5, "OS": 0.02}) == ["PFS", "ORR", "OS"]
    assert multiplicity.graph_rejects({"PFS": 0.001, "ORR": 0.2, "OS": 0.02}) == ["PFS"]


def test_the_chapters_vectorised_holm_equals_statsmodels(monkeypatch):
    """The three lines chapter 12 uses for 200,000 trials at once, against multipletests.
    Its Holm branch calls gc.collect() on every call, which sweeps the whole test
    session's heap (two minutes for 300 calls late in the suite); the sweep changes no
    result, so it is skipped here."""
    import gc

    monkeypatch.setattr(gc, "collect", lambda generation=2: 0)
    p = np.random.default_rng(7).uniform(0, 0.05, size=(300, 3))
    steps = np.sort(p, axis=1) * np.array([3, 2, 1]) <= ALPHA
    holm_count = np.cumprod(steps, axis=1).sum(axis=1)
    rank = p.argsort(axis=1).argsort(axis=1)
    vectorised = rank < holm_count[:, None]
    reference = np.array([multipletests(row, ALPHA, method="holm")[0] for row in p])
    assert (vectorised == reference).all()
    assert ((p * 3 <= ALPHA) == np.array([multipletests(row, ALPHA, method="bonferroni")[0] for row in p])).all()


def standard_error(p, trials):
    return np.sqrt(p * (1 - p) / trials)


def test_simulated_familywise_error_of_independent_tests_is_one_minus_the_product():
    trials = 200_000
    z = np.random.default_rng(1).standard_normal((trials, 3))
    simulated = (stats.norm.sf(z) <= ALPHA).any(axis=1).mean()
    exact = 1 - (1 - ALPHA) ** 3
    assert abs(simulated - exact) < 4 * standard_error(exact, trials)


def test_a_simulated_group_sequential_test_spends_what_its_function_says():
    looks = np.array([99 / 220, 0.75, 1.0])
    bounds = design.boundaries(looks, ALPHA)[0]
    correlation = np.sqrt(np.minimum.outer(looks, looks) / np.maximum.outer(looks, looks))
    trials = 200_000
    z = stats.multivariate_normal(cov=correlation).rvs(trials, random_state=np.random.default_rng(2))
    for k in (1, 2, 3):
        exact = float(design.spending(looks[k - 1], ALPHA))
        simulated = (z[:, :k] >= bounds[:k]).any(axis=1).mean()
        assert abs(simulated - exact) < 4 * standard_error(exact, trials), (k, simulated, exact)


def test_conditional_power_matches_a_hand_worked_case():
    """t = 0.5, Z = 1, c = 1.96, no drift: B = 0.7071, (1.96 - 0.7071) / 0.7071 = 1.7719,
    and 1 - Phi(1.7719) = 0.0382 from a normal table (Phi(1.77) = 0.96164, Phi(1.78) = 0.96246)."""
    assert multiplicity.conditional_power(1.0, 0.5, 0.0, 1.96) == pytest.approx(0.0382, abs=1e-4)
    # Under the trend (drift B/t) the formula collapses to 1 - Phi((c - Z/sqrt(t)) / sqrt(1 - t)).
    trend = multiplicity.trend_drift(1.0, 0.5)
    assert multiplicity.conditional_power(1.0, 0.5, trend, 1.96) == pytest.approx(
        stats.norm.sf((1.96 - 1 / np.sqrt(0.5)) / np.sqrt(0.5)), abs=1e-12)


def test_conditional_power_averaged_over_the_interim_is_the_power():
    """E[CP(theta; Z(t))] over Z(t) ~ N(theta sqrt(t), 1) = P(Z(1) >= c) = 1 - Phi(c - theta)."""
    theta, t, c = multiplicity.drift(0.685, 220), 0.45, 1.96
    average, _ = integrate.quad(
        lambda z: multiplicity.conditional_power(z, t, theta, c) * stats.norm.pdf(z - theta * np.sqrt(t)), -10, 15)
    assert average == pytest.approx(stats.norm.sf(c - theta), abs=1e-8)
    assert stats.norm.sf(c - theta) == pytest.approx(0.80, abs=0.005)   # the design's 80% power


def test_conditional_power_agrees_with_simulated_brownian_motion():
    rng = np.random.default_rng(3)
    t, z, theta, c = 0.45, 1.85, 2.8, 2.0
    b_rest = rng.normal(theta * (1 - t), np.sqrt(1 - t), 400_000)
    simulated = (z * np.sqrt(t) + b_rest >= c).mean()
    exact = multiplicity.conditional_power(z, t, theta, c)
    assert abs(simulated - exact) < 4 * standard_error(exact, 400_000)


def test_the_futility_threshold_gives_its_conditional_power():
    t, c = 99 / 220, 1.97
    z = multiplicity.futility_z(t, c, 0.1)
    assert multiplicity.conditional_power(z, t, multiplicity.trend_drift(z, t), c) == pytest.approx(0.1, abs=1e-12)


def test_the_chapters_interim_numbers_equal_the_reference():
    interim = published.INTERIM_OS
    se = (np.log(interim["high"]) - np.log(interim["low"])) / (2 * stats.norm.ppf(0.975))
    z = -np.log(interim["hr"]) / se
    t = sum(published.INTERIM_DEATHS.values()) / 220
    c = design.boundaries([t, 1.0], ALPHA)[0][-1]
    b = z * np.sqrt(t)
    theta = np.sqrt(220 / 4) * abs(np.log(0.685))
    chapter = stats.norm.sf((c - b - theta * (1 - t)) / np.sqrt(1 - t))
    assert chapter == pytest.approx(multiplicity.conditional_power(z, t, multiplicity.drift(0.685, 220), c),
                                    abs=1e-12)
    assert 0.8 < chapter < 0.9


def test_the_response_p_values_are_below_what_the_paper_prints():
    for count_isapd, count_pd in ((93, 54), (49, 13)):
        table = [[count_isapd, 154 - count_isapd], [count_pd, 153 - count_pd]]
        assert stats.chi2_contingency(table, correction=False)[1] < published.BY_ID["orr_p_value"].value
        assert stats.fisher_exact(table)[1] < 0.0001
