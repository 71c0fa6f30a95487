"""Search the twin's seeds so that its summaries land near the paper's.

A single arbitrary seed scatters far from the published summaries (the trial
is one draw; so is the twin). This script keeps the model fixed and searches
seeds, one random stream at a time (coordinate descent over the outcome
streams: progression, survival and treatment, each with one seed per arm),
minimising first the number of targets outside their tolerance, then the
distance of :mod:`icaria.twin.calibration`: the sum over every calibration
target of ((twin - published) / tolerance)². It starts from the current
``SEEDS`` and prints the best seeds; copy them into ``SEEDS`` in
``icaria/twin/__init__.py`` and run ``python -m icaria.twin``.

Usage: ``python scripts/calibrate_twin.py [--candidates 100] [--rounds 2]``
"""

import argparse
import sys
import time

from icaria import published
from icaria.twin import OUTCOME_STREAMS, SEEDS, calibration, generate

STREAMS = tuple(f"{component}/{arm}" for component in OUTCOME_STREAMS for arm in published.TREATED)


def score(seeds):
    """(targets failing, distance) of the twin these seeds make, and its values."""
    values = calibration.measure_twin(generate(seeds))
    failing = int((~calibration.report(values)["pass"]).sum())
    return (failing, calibration.distance(values)), values


def search(seeds, stream, candidates, first):
    best, _ = score(seeds)
    best_seed = seeds[stream]
    for candidate in range(first, first + candidates):
        trial = {**seeds, stream: candidate}
        trial_score, _ = score(trial)
        if trial_score < best:
            best, best_seed = trial_score, candidate
            print(f"  {stream} = {candidate}: {best[0]} failing, distance {best[1]:.2f}", flush=True)
    return {**seeds, stream: best_seed}, best


def main(argv=None):
    parser = argparse.ArgumentParser(description="Search the twin's seeds.")
    parser.add_argument("--candidates", type=int, default=100, help="seeds tried per stream and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--first", type=int, default=1, help="first candidate seed")
    parser.add_argument("--streams", nargs="*", default=list(STREAMS), choices=STREAMS, help="streams to search")
    parser.add_argument("--max-minutes", type=float, default=None, help="stop after this long")
    args = parser.parse_args(argv)
    seeds = dict(SEEDS)
    started = time.monotonic()
    best = score(seeds)[0]
    for round_number in range(1, args.rounds + 1):
        for stream in args.streams:
            if best[0] == 0 or (args.max_minutes and time.monotonic() - started > 60 * args.max_minutes):
                break
            print(f"round {round_number}, stream {stream}", flush=True)
            first = args.first + (round_number - 1) * args.candidates
            seeds, best = search(seeds, stream, args.candidates, first)
    (_, distance), values = score(seeds)
    table = calibration.report(values)
    print(table.to_string())
    print(f"\nBest seeds: {seeds}\nDistance {distance:.2f}; targets passing: {int(table['pass'].sum())} of {len(table)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
