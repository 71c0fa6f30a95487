"""Randomisation schemes compared by simulation: simple, permuted blocks, and
permuted blocks within strata; and an interactive response system that hands out
ICARIA-MM's assignments one patient at a time.

Assignments are coded 1 for Isa-Pd and 0 for Pd. Simulations run many trials at
once (one row per trial).
"""

from functools import lru_cache

import numpy as np

from icaria.arguments import ArgumentError, generator, numbers, one_of, whole
from icaria.live import Changed, Chart, LiveFigure, dropdown, int_slider
from icaria.numbers import plural
from icaria.published import BLOCK
from icaria.style import OKABE_ITO, SMALL_TEXT

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "04-randomisation"

SCHEMES = ("simple", "blocked", "stratified blocks")


def check_block_size(block_size):
    """Raise an ArgumentError unless ``block_size`` is an even whole number of at least 2."""
    if not isinstance(block_size, (int, np.integer)) or block_size < 2 or block_size % 2:
        raise ArgumentError(f"Block size must be an even number of at least 2; got {block_size}.")


def check_settings(patients, strata, block_size, trials):
    """Raise an ArgumentError naming the first setting a simulation cannot use."""
    whole("Enrolment (patients)", patients, 20, 2000)
    whole("Number of strata", strata, 1, 16)
    check_block_size(block_size)
    whole("Number of simulated trials", trials, 1, 100_000)


def permuted_blocks(trials, patients, block_size, rng):
    """Rows of assignments, each a sequence of random blocks with half of each arm."""
    check_block_size(block_size)
    blocks = -(-patients // block_size)
    keys = rng.random((trials, blocks, block_size))
    order = np.argsort(keys, axis=2)
    assignments = (order < block_size // 2).astype(int)
    return assignments.reshape(trials, blocks * block_size)[:, :patients]


def simple(trials, patients, rng):
    """Rows of assignments by coin toss, one row per simulated trial."""
    return rng.integers(0, 2, (trials, patients))


def convergence_guesses(assignments, block_size):
    """Share of assignments a staff member guesses right who knows the block size and
    always guesses the arm that is behind in the current block (a coin flip when tied)."""
    return right_guesses(assignments, block_size).mean(axis=1)


def right_guesses(assignments, block_size):
    """Probability, for each assignment, that the convergence strategy guesses it."""
    check_block_size(block_size)
    values = numbers("assignments", assignments)
    if values.ndim != 2 or not np.isin(values, (0, 1)).all():
        raise ArgumentError("assignments must be rows of 0 (Pd) and 1 (Isa-Pd), one row per simulated trial; got "
                            f"{values.ndim} dimension(s), values {sorted(set(np.unique(values).tolist()))[:5]}.")
    trials, patients = assignments.shape
    position = np.arange(patients) % block_size
    block_start = np.arange(patients) - position
    cumulative = np.concatenate([np.zeros((trials, 1), dtype=int), np.cumsum(assignments, axis=1)], axis=1)
    isa_so_far = cumulative[:, :-1] - cumulative[:, block_start]
    pd_so_far = position - isa_so_far
    guess_isa = np.where(isa_so_far == pd_so_far, 0.5, (isa_so_far < pd_so_far).astype(float))
    return np.where(assignments == 1, guess_isa, 1 - guess_isa)


def simulate(scheme, patients=307, strata=4, block_size=4, trials=2000, rng=None):
    """Per simulated trial: final imbalance, worst imbalance within a stratum, and the
    share of assignments a staff member could guess (knowing the block size)."""
    one_of("Scheme", scheme, SCHEMES)
    check_settings(patients, strata, block_size, trials)
    generator("rng", rng, optional=True)
    rng = rng or np.random.default_rng()
    stratum = rng.integers(0, strata, (trials, patients))
    assignments = np.empty((trials, patients), dtype=int)
    if scheme == "simple":
        assignments[:] = simple(trials, patients, rng)
        guessed = np.full(trials, 0.5)
    elif scheme == "blocked":
        assignments[:] = permuted_blocks(trials, patients, block_size, rng)
        guessed = convergence_guesses(assignments, block_size)
    else:
        # One list per trial and stratum, as long as the largest stratum; patient j of
        # a stratum takes place j of its list.
        counts = stratum_counts(stratum, strata)
        length = int(counts.max())
        lists = permuted_blocks(trials * strata, length, block_size, rng)
        list_row = np.arange(trials)[:, None] * strata + stratum
        assignments[:] = lists[list_row, rank_within_stratum(stratum, counts)]
        used = np.arange(length)[None, :] < counts.reshape(-1, 1)
        guessed = (right_guesses(lists, block_size) * used).reshape(trials, -1).sum(axis=1) / patients
    total = np.abs(2 * assignments.sum(axis=1) - patients)
    isa_counts = stratum_counts(stratum, strata, weights=assignments)
    within = np.abs(2 * isa_counts - stratum_counts(stratum, strata)).max(axis=1)
    return {"total imbalance": total, "worst stratum imbalance": within, "guessed right": guessed}


def stratum_counts(stratum, strata, weights=None):
    """Patients (or the sum of ``weights``) per trial and stratum: shape (trials, strata)."""
    trials = stratum.shape[0]
    flat = (np.arange(trials)[:, None] * strata + stratum).ravel()
    weights = None if weights is None else weights.ravel()
    return np.bincount(flat, weights=weights, minlength=trials * strata).reshape(trials, strata).astype(int)


def rank_within_stratum(stratum, counts):
    """For each patient, how many earlier patients of the same trial share the stratum."""
    trials, patients = stratum.shape
    order = np.argsort(stratum, axis=1, kind="stable")
    starts = np.cumsum(counts, axis=1) - counts
    sorted_stratum = np.take_along_axis(stratum, order, axis=1)
    rank_sorted = np.arange(patients)[None, :] - np.take_along_axis(starts, sorted_stratum, axis=1)
    rank = np.empty_like(rank_sorted)
    np.put_along_axis(rank, order, rank_sorted, axis=1)
    return rank


class InteractiveResponseSystem:
    """ICARIA-MM's scheme as an interactive response system runs it: one list of
    permuted blocks of 4 per stratum, revealed one assignment at a time."""

    def __init__(self, strata, rng):
        self.rng = rng
        self.lists = {stratum: [] for stratum in strata}

    def assign(self, stratum):
        """The next assignment in ``stratum``'s list, starting a new permuted block when one runs out."""
        if stratum not in self.lists:
            raise ArgumentError(f"Unknown stratum {stratum!r}; the strata are {', '.join(map(str, self.lists))}.")
        if not self.lists[stratum]:
            self.lists[stratum] = [str(arm) for arm in self.rng.permutation(BLOCK)]
        return self.lists[stratum].pop(0)


METRICS = ("total imbalance", "worst stratum imbalance", "guessed right")
METRIC_LABELS = {"total imbalance": "|Isa-Pd − Pd| overall (patients)",
                 "worst stratum imbalance": "|Isa-Pd − Pd| in the worst stratum (patients)",
                 "guessed right": "Share of assignments guessed right"}
WIDGET_TRIALS = 200
ENROLMENTS = (100, 200, 307, 600, 1000)


@lru_cache(maxsize=512)
def comparison(block_size=4, strata=4, patients=307, trials=WIDGET_TRIALS):
    """5th, 50th and 95th percentiles of each metric for each scheme (a fixed seed per setting)."""
    check_settings(patients, strata, block_size, trials)
    rng = np.random.default_rng([block_size, strata, patients, trials])
    summary = {}
    for scheme in SCHEMES:
        results = simulate(scheme, patients, strata, block_size, trials, rng)
        summary[scheme] = {metric: np.percentile(values, [5, 50, 95]) for metric, values in results.items()}
    return summary


def imbalance_axis_limit(patients):
    """A fixed x-axis limit for the imbalance panels at an enrolment: above the 95th
    percentile of simple randomisation (about 2 x sqrt(patients)) in every setting."""
    return max(4.0, 2.6 * np.sqrt(patients))


class ComparisonFigure(Chart):
    """Median and 5th-95th percentile range of each metric, one panel per metric.

    A view redraws the bars, the title and the two imbalance axes (their range follows
    the enrolment) over one kept background; one view per enrolment is drawn before
    the reader asks. The panels are stacked: 5.2 inches wide,
    its 10 pt type shows at 9 CSS px on a 390 px phone."""

    figsize = (5.2, 5.6)
    warm_up = [{"patients": patients} for patients in ENROLMENTS]

    def controls(self):
        return {
            "block_size": dropdown("Block size", [2, 4, 6, 8], 4),
            "strata": int_slider("Strata", 1, 16, 4),
            "patients": dropdown("Enrolment", list(ENROLMENTS), 307),
        }

    def build(self, figure):
        figure.clear()
        figure.subplots_adjust(left=0.3, right=0.95, bottom=0.08, top=0.87, hspace=0.75)
        axes = figure.subplots(3, 1)
        colours = (OKABE_ITO["grey"], OKABE_ITO["sky_blue"], OKABE_ITO["blue"])
        artists = {"axes": axes, "ranges": {}, "medians": {}}
        for ax, metric in zip(axes, METRICS):
            for scheme, colour in zip(SCHEMES, colours):
                artists["ranges"][scheme, metric], = ax.plot([], [], color=colour, lw=4, solid_capstyle="butt")
                artists["medians"][scheme, metric], = ax.plot([], [], "o", color="black", ms=5)
            ax.set_xlabel(METRIC_LABELS[metric], fontsize=SMALL_TEXT)
            ax.set_yticks(range(len(SCHEMES)), SCHEMES, fontsize=SMALL_TEXT)
            ax.set_ylim(-0.6, len(SCHEMES) - 0.4)
            ax.invert_yaxis()
        axes[2].set_xlim(0.45, 1.0)
        return artists

    def update(self, block_size=4, strata=4, patients=307):
        summary = comparison(block_size, strata, patients)
        a = self.artists
        for ax, metric in zip(a["axes"], METRICS):
            for row, scheme in enumerate(SCHEMES):
                low, median, high = summary[scheme][metric]
                a["ranges"][scheme, metric].set_data([low, high], [row, row])
                a["medians"][scheme, metric].set_data([median], [row])
            if metric != "guessed right":
                ax.set_xlim(0, imbalance_axis_limit(patients))
        title = self.figure.suptitle(f"{patients} patients, {plural(strata, 'stratum')}, blocks of {block_size}:\n"
                                     "median and "
                                     f"5th-95th percentile of {WIDGET_TRIALS} simulated trials", fontsize=SMALL_TEXT,
                                     x=0.02, ha="left")
        # The imbalance panels' x axes move with the enrolment: redrawn with the bars, so
        # every view shares one background (one full draw at creation, not one per enrolment).
        return Changed([*a["ranges"].values(), *a["medians"].values(), title, a["axes"][0].xaxis,
                        a["axes"][1].xaxis])

    def caption(self, block_size=4, strata=4, patients=307):
        summary = comparison(block_size, strata, patients)
        median = {scheme: summary[scheme]["worst stratum imbalance"][1] for scheme in SCHEMES}
        return (f"Simple randomisation, permuted blocks of {block_size} and stratified blocks compared over "
                f"{WIDGET_TRIALS} simulated trials of {patients} patients in {plural(strata, 'stratum')}: median "
                "(dot) and 5th-95th percentile (bar) of the overall imbalance, the worst stratum's imbalance and the "
                "share of assignments a recruiter could guess. Median imbalance in the worst stratum: "
                + ", ".join(f"{scheme} {median[scheme]:g}" for scheme in SCHEMES) + ".")


def comparison_live():
    """Chapter 4's live comparison of randomisation schemes."""
    return LiveFigure(ComparisonFigure())
