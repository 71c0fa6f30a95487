"""Stratified permuted-block randomisation, as ICARIA-MM's interactive response
system did it: blocks of 4 (two Isa-Pd, two Pd in random order) within each of
the four strata of age (<75, >=75) and previous lines (2-3, >3).

The twin must end with the published arm sizes per stratum factor (Table 1: 32
and 29 patients aged 75 or over; 52 and 52 with more than three lines). So it
first finds stratum sizes that a block-of-4 scheme can produce and that fit
those margins, then draws the blocks; only the last, incomplete block of each
stratum is drawn among the orders that give those sizes.
"""

import itertools

from icaria import published
from icaria.published import ARMS, BLOCK

STRATA = tuple(itertools.product(published.STRATIFICATION_FACTORS["Age (years)"],
                                 published.STRATIFICATION_FACTORS["Previous lines of treatment"]))


def feasible(n_isa, n_pd):
    """Can permuted blocks of 4 end with these arm sizes in one stratum?"""
    full, rest = divmod(n_isa + n_pd, 4)
    first_of_last_block = n_isa - 2 * full
    return 0 <= first_of_last_block <= min(rest, 2) and 0 <= n_pd - 2 * full <= min(rest, 2)


def stratum_sizes():
    """Patients per (age, lines) stratum and arm, matching Table 1's margins.

    Among feasible tables, the one closest to independence of age and lines.
    """
    best = None
    for arm_counts in itertools.product(range(0, 33), range(0, 30)):
        table = {}
        for arm, old_many in zip(ARMS, arm_counts):
            old = published.TABLE1_AGE_GROUPS[arm][">=75"]
            many = published.PREVIOUS_LINES_GROUPS[arm][">3"]
            total = sum(published.TABLE1_AGE_GROUPS[arm].values())
            table[arm] = {(">=75", ">3"): old_many, (">=75", "2-3"): old - old_many,
                          ("<75", ">3"): many - old_many, ("<75", "2-3"): total - old - many + old_many}
        if any(n < 0 for cells in table.values() for n in cells.values()):
            continue
        if not all(feasible(table["Isa-Pd"][s], table["Pd"][s]) for s in STRATA):
            continue
        distance = sum(abs(table[arm][(">=75", ">3")] - expected_old_many(arm)) for arm in table)
        if best is None or distance < best[0]:
            best = (distance, table)
    return best[1]


def expected_old_many(arm):
    """Patients expected in the stratum aged 75 or over with more than 3 previous lines,
    if the two factors were independent."""
    total = sum(published.TABLE1_AGE_GROUPS[arm].values())
    return published.TABLE1_AGE_GROUPS[arm][">=75"] * published.PREVIOUS_LINES_GROUPS[arm][">3"] / total


def allocation_list(n_isa, n_pd, rng):
    """The stratum's assignments in order: full blocks, then a matching last block."""
    full, rest = divmod(n_isa + n_pd, 4)
    assignments = []
    for _ in range(full):
        assignments += [str(arm) for arm in rng.permutation(BLOCK)]
    if rest:
        orders = [order for order in set(itertools.permutations(BLOCK))
                  if order[:rest].count("Isa-Pd") == n_isa - 2 * full]
        assignments += list(sorted(orders)[rng.integers(len(orders))][:rest])
    return assignments
