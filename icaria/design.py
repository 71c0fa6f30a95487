"""Design calculations of a two-arm time-to-event trial: events needed, patients
needed, and group-sequential boundaries from alpha-spending functions.

Everything here is exact arithmetic on the design parameters (no simulated
data): the route ``exact`` of the scorecard.
"""

import numpy as np
from scipy import integrate, stats

from icaria.arguments import ArgumentError, between, whole


def schoenfeld_events(hazard_ratio, alpha_one_sided=0.025, power=0.9, allocation=0.5):
    """Events a log-rank test needs (Schoenfeld 1983), before rounding up.

    ``allocation`` is the share of patients in the experimental arm.
    """
    between("hazard_ratio", hazard_ratio, 0, np.inf)
    if np.any(np.asarray(hazard_ratio) == 1):
        raise ArgumentError("hazard_ratio must differ from 1: no number of events detects no effect.")
    between("alpha_one_sided", alpha_one_sided, 0, 0.5)
    between("power", power, 0, 1)
    between("allocation", allocation, 0, 1)
    z = stats.norm.ppf(1 - alpha_one_sided) + stats.norm.ppf(power)
    return z ** 2 / (allocation * (1 - allocation) * np.log(hazard_ratio) ** 2)


def spending(fraction, alpha_one_sided=0.025, family="obrien-fleming"):
    """Cumulative one-sided alpha spent at information ``fraction`` (Lan-DeMets types)."""
    between("alpha_one_sided", alpha_one_sided, 0, 0.5)
    t = np.clip(between("fraction", fraction, 0, 1, closed=(True, True)), 1e-12, 1.0)
    if family == "obrien-fleming":
        return 2 * (1 - stats.norm.cdf(stats.norm.ppf(1 - alpha_one_sided / 2) / np.sqrt(t)))
    if family == "pocock":
        return alpha_one_sided * np.log(1 + (np.e - 1) * t)
    raise ArgumentError(f"Spending family must be 'obrien-fleming' or 'pocock'; got {family!r}.")


def boundaries(fractions, alpha_one_sided=0.025, family="obrien-fleming"):
    """One-sided efficacy boundaries (z and nominal p) at each look.

    The first look's nominal p equals the alpha spent there. Later looks solve
    P(no earlier crossing, cross now) = alpha spent in between, with the
    canonical joint normal of the test statistics (correlation sqrt(t_i / t_j)).
    """
    fractions = between("fractions", fractions, 0, 1, closed=(False, True))
    if fractions.ndim != 1 or np.any(np.diff(fractions) <= 0):
        raise ArgumentError(f"fractions must increase from look to look; got {fractions.tolist()}.")
    cumulative = spending(fractions, alpha_one_sided, family)
    z_bounds = []
    for k, t in enumerate(fractions):
        increment = cumulative[k] - (cumulative[k - 1] if k else 0.0)
        if k == 0:
            z_bounds.append(stats.norm.isf(increment))
            continue
        z_bounds.append(_next_boundary(fractions[: k + 1], z_bounds, increment))
    z_bounds = np.array(z_bounds)
    return z_bounds, stats.norm.sf(z_bounds)


def _next_boundary(fractions, earlier, increment):
    from scipy.optimize import brentq

    correlation = np.sqrt(np.minimum.outer(fractions, fractions) / np.maximum.outer(fractions, fractions))
    # From three looks on, SciPy integrates by randomised quasi-Monte Carlo: a fixed seed
    # makes the boundaries reproducible (two looks use an exact bivariate method).
    previous = stats.multivariate_normal(mean=np.zeros(len(fractions) - 1), cov=correlation[:-1, :-1], seed=0)
    joint = stats.multivariate_normal(mean=np.zeros(len(fractions)), cov=correlation, seed=0)
    below_earlier = previous.cdf(np.array(earlier))

    def excess(z):
        return below_earlier - joint.cdf(np.array([*earlier, z])) - increment

    return brentq(excess, 0.5, 8.0)


def expected_events(months, accrual_months, patients, median_by_arm, dropout_rate=0.0):
    """Expected events by calendar time ``months`` after the first randomisation,
    with uniform accrual and exponential event times in each arm (equal shares)."""
    between("months", months, 0, np.inf, closed=(True, False))
    if np.ndim(median_by_arm) != 1:
        raise ArgumentError(f"median_by_arm must be a list of medians, one per arm; got {median_by_arm!r}.")
    between("accrual_months", accrual_months, 0, np.inf)
    between("patients", patients, 0, np.inf)
    between("median_by_arm", median_by_arm, 0, np.inf)
    between("dropout_rate", dropout_rate, 0, np.inf, closed=(True, False))
    months = np.atleast_1d(np.asarray(months, dtype=float))
    total = np.zeros_like(months)
    for median in median_by_arm:
        rate = np.log(2) / median + dropout_rate
        share = np.log(2) / median / rate

        def probability(calendar):
            def integrand(start):
                return 1 - np.exp(-rate * max(calendar - start, 0.0))
            upper = min(calendar, accrual_months)
            return integrate.quad(integrand, 0, upper)[0] / accrual_months if upper > 0 else 0.0

        total += np.array([probability(m) for m in months]) * share * patients / len(median_by_arm)
    return total


def allocation_share(ratio):
    """Share of patients in the experimental arm for an allocation ``ratio`` (experimental : control = ratio : 1)."""
    return ratio / (1 + ratio)


def check_design(hazard_ratio, alpha_one_sided, power, ratio):
    """Raise an ArgumentError that says which input is out of range."""
    between("Target hazard ratio", hazard_ratio, 0.2, 0.95, closed=(True, True))
    between("One-sided alpha", alpha_one_sided, 0.001, 0.1, closed=(True, True))
    between("Power", power, 0.5, 0.99, closed=(True, True))
    between("Allocation ratio", ratio, 0.25, 4, closed=(True, True))


def simulated_power(hazard_ratio, events, patients_per_arm, trials, rng, alpha_one_sided=0.025):
    """Share of simulated trials whose log-rank test rejects at the final analysis.

    Each trial: exponential event times in two equal arms (control rate 1), the
    analysis at the ``events``-th event; the log-rank statistic is computed for all
    trials at once (vectorised over trials).
    """
    between("hazard_ratio", hazard_ratio, 0, np.inf)
    between("alpha_one_sided", alpha_one_sided, 0, 0.5)
    between("patients_per_arm", patients_per_arm, 0, np.inf)
    between("events", events, 0, 2 * patients_per_arm, closed=(False, True))
    between("trials", trials, 0, np.inf)
    whole("events", events, 1, 2 * patients_per_arm)
    whole("patients_per_arm", patients_per_arm, 1, 10**6)
    whole("trials", trials, 1, 10**7)
    if not isinstance(rng, np.random.Generator):
        raise ArgumentError(f"rng must be a random generator, e.g. np.random.default_rng(1); got {rng!r}.")
    control = rng.exponential(1.0, (trials, patients_per_arm))
    experimental = rng.exponential(1.0 / hazard_ratio, (trials, patients_per_arm))
    times = np.concatenate([experimental, control], axis=1)
    is_experimental = np.concatenate([np.ones(patients_per_arm), np.zeros(patients_per_arm)])
    order = np.argsort(times, axis=1)[:, :events]
    event_is_experimental = is_experimental[order]
    earlier_experimental = np.cumsum(event_is_experimental, axis=1) - event_is_experimental
    at_risk_experimental = patients_per_arm - earlier_experimental
    at_risk = 2 * patients_per_arm - np.arange(events)
    expected = at_risk_experimental / at_risk
    observed_minus_expected = (event_is_experimental - expected).sum(axis=1)
    variance = (expected * (1 - expected)).sum(axis=1)
    z = observed_minus_expected / np.sqrt(variance)
    return float(np.mean(z < stats.norm.ppf(alpha_one_sided)))
