"""Baseline characteristics of the twin's patients (ADSL's Table 1 columns).

Every category count of Table 1 is reproduced exactly, per arm. Characteristics
that go together in real patients are linked through one latent "risk" score per
patient: a category with a worse prognosis (ISS III, high-risk cytogenetics, low
eGFR, many previous lines, lenalidomide-refractory at last line) goes
preferentially, not always, to patients with a higher score. The outcome model
then uses the observed characteristics, so subgroups behave plausibly.
"""

import numpy as np
import pandas as pd

from icaria import published

# Twin choices where the paper gives only a median (IQR) and range: how many
# patients had each number of previous lines (they give median 3, IQR 2-4, ranges
# 2-11 and 2-10, and the 2-3 / >3 split exactly).
PRIOR_LINES_COUNTS = {
    "Isa-Pd": {2: 45, 3: 57, 4: 24, 5: 12, 6: 7, 7: 4, 8: 2, 9: 1, 10: 1, 11: 1},
    "Pd": {2: 44, 3: 57, 4: 24, 5: 13, 6: 7, 7: 4, 8: 2, 9: 1, 10: 1},
}
# Order of categories from better to worse prognosis (for the latent link).
PROGNOSTIC_ORDER = {
    "EGFRGR1": (">=60", "30-<60", "<30"),
    "ISSDIAG": ("I", "II", "III"),
    "ISSENTRY": ("I", "II", "III"),
    "CYTORISK": ("Standard", "High"),
}
LINK_NOISE = 1.0  # larger: weaker link between characteristics


def ordered_assignment(risk, counts, order, rng):
    """Give each patient a category so that counts are exact and worse categories
    tend to go to higher ``risk``. Categories outside ``order`` (missing, unknown)
    go to patients at random."""
    n = len(risk)
    labels = np.empty(n, dtype=object)
    unordered = [c for c in counts if c not in order]
    free = rng.permutation(n)
    start = 0
    for category in unordered:
        labels[free[start:start + counts[category]]] = category
        start += counts[category]
    rest = free[start:]
    noisy = risk[rest] + rng.normal(0, LINK_NOISE, len(rest))
    ranked = rest[np.argsort(noisy, kind="stable")]
    start = 0
    for category in order:
        labels[ranked[start:start + counts[category]]] = category
        start += counts[category]
    return labels


def random_assignment(counts, rng):
    """The categories of ``counts`` (category -> how many) in random order."""
    labels = np.concatenate([[category] * count for category, count in counts.items()])
    return rng.permutation(labels)


def ages(age_groups, rng):
    """Whole-year ages inside each Table 1 age group."""
    result = np.empty(len(age_groups), dtype=int)
    youngest, oldest = published.AGE_RANGE
    groups = {"<65": (youngest, 64, 60), "65-74": (65, 74, 69), ">=75": (75, oldest, 76)}
    for group, (low, high, mode) in groups.items():
        members = np.flatnonzero(age_groups == group)
        result[members] = np.clip(np.round(rng.triangular(low - 0.5, mode, high + 0.5, len(members))), low, high)
    return result


def refractory_flags(arm, rng, risk):
    """Refractory categories of Table 1, consistent with each other:
    lenalidomide-refractory implies IMiD-refractory, 'lenalidomide and PI' is the
    overlap, lenalidomide at last line implies lenalidomide-refractory and last-line
    refractory."""
    n = len(risk)
    counts = published.TABLE1_REFRACTORY
    both = counts["REFLENPI"][arm]
    len_only = counts["REFLEN"][arm] - both
    pi_only = counts["REFPI"][arm] - both
    groups = random_assignment({"both": both, "len": len_only, "pi": pi_only,
                                "none": n - both - len_only - pi_only}, rng)
    flags = pd.DataFrame(index=range(n))
    flags["REFLEN"] = np.isin(groups, ["both", "len"])
    flags["REFPI"] = np.isin(groups, ["both", "pi"])
    flags["REFLENPI"] = groups == "both"
    flags["REFIMID"] = flags["REFLEN"] | pick(~flags["REFLEN"], counts["REFIMID"][arm] - counts["REFLEN"][arm], rng)
    len_refractory = np.flatnonzero(flags["REFLEN"])
    last_line = len_refractory[np.argsort(-risk[len_refractory] + rng.normal(0, LINK_NOISE, len(len_refractory)))]
    flags["REFLENLST"] = False
    flags.loc[last_line[:counts["REFLENLST"][arm]], "REFLENLST"] = True
    others = counts["REFLAST"][arm] - counts["REFLENLST"][arm]
    flags["REFLAST"] = flags["REFLENLST"] | pick(~flags["REFLENLST"], others, rng)
    return flags.replace({True: "Y", False: "N"})


def pick(eligible, how_many, rng):
    """A boolean mask choosing ``how_many`` of the ``eligible`` positions at random."""
    chosen = np.zeros(len(eligible), dtype=bool)
    chosen[rng.choice(np.flatnonzero(eligible), size=how_many, replace=False)] = True
    return chosen


def arm_baseline(arm, strata, rng):
    """Table 1 columns for one arm's patients, given their (age, lines) strata."""
    n = len(strata)
    risk = rng.normal(size=n)
    table = pd.DataFrame({"STRAT1R": [s[0] for s in strata], "STRAT2R": [s[1] for s in strata]})
    young = np.flatnonzero(table["STRAT1R"] == "<75")
    age_groups = np.full(n, ">=75", dtype=object)
    under75 = {g: c for g, c in published.TABLE1_AGE_GROUPS[arm].items() if g != ">=75"}
    age_groups[young] = ordered_assignment(risk[young], under75, ("<65", "65-74"), rng)
    table["AGEGR1"] = age_groups
    table["AGE"] = ages(age_groups, rng)
    table["SEX"] = random_assignment(published.TABLE1_SEX[arm], rng)
    table["PRIORLINES"] = prior_lines(arm, table["STRAT2R"].to_numpy(), risk, rng)
    for column, by_arm in published.TABLE1_CATEGORIES.items():
        order = PROGNOSTIC_ORDER.get(column)
        table[column] = (ordered_assignment(risk, by_arm[arm], order, rng) if order
                         else random_assignment(by_arm[arm], rng))
    table = table.join(refractory_flags(arm, rng, risk))
    table["PRIORDARA"] = "N"
    table.loc[rng.choice(n, published.PREVIOUS_DARATUMUMAB[arm], replace=False), "PRIORDARA"] = "Y"
    table["YRSDIAG"] = np.round(np.exp(rng.normal(np.log(4.3), 0.72, n)).clip(0.6, 25), 2)
    table["RISKSCORE"] = risk
    return table


def prior_lines(arm, line_groups, risk, rng):
    """Number of previous lines: exact counts per value, inside each patient's stratum."""
    lines = np.empty(len(line_groups), dtype=int)
    for group, values in {"2-3": (2, 3), ">3": tuple(v for v in PRIOR_LINES_COUNTS[arm] if v > 3)}.items():
        members = np.flatnonzero(line_groups == group)
        counts = {v: PRIOR_LINES_COUNTS[arm][v] for v in values}
        lines[members] = ordered_assignment(risk[members], counts, values, rng).astype(int)
    return lines
