"""The simulated twin of ICARIA-MM: seeded, calibrated, patient-level, and not real.

``python -m icaria.twin`` regenerates every file under ``data/`` from the chosen
seeds (byte-identical each time, in seconds): the primary cut (11 Oct 2018),
the final overall-survival cut (27 Jan 2022) under ``data/final-os/``, and the
randomisation list ``data/allocation.csv``. ``--out DIR`` writes them elsewhere;
``--student ID`` writes a student's own twin instead (seeds derived from the ID, the
same calibrated model, the same twin for the same ID). Two students' twins have other
patients and other results, but they differ far less than two runs of the real trial
would: the generator's balanced draws (``outcomes.balanced_uniforms``) keep every twin
near the published summaries. ``scripts/student_spread.py`` measures by how much.
The SHA-256 of every file is kept in ``icaria/twin/data-sha256.json``, so a copy
made anywhere (a cache beside a lone notebook) can be checked against the book's,
and the fingerprint of every file's content (:mod:`icaria.provenance`) in
``icaria/twin/data-content-sha256.json``: a loaded file whose content differs is named
in a notice. Both are rewritten when this command writes the book's own ``data/``.

How the twin is built is told in the book's chapter "How the twin was built";
the seed search is ``scripts/calibrate_twin.py``.
"""

import argparse
import functools
import hashlib
import json
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from icaria import paths, provenance, published
from icaria.arguments import ArgumentError
from icaria.twin import adam, baseline, invariants, outcomes, randomisation, safety

# Chosen by scripts/calibrate_twin.py (see its docstring for targets and distance).
SEEDS = {"randomisation": 20170110, "baseline": 1, "safety": 1,
         "progression/Isa-Pd": 7, "progression/Pd": 23, "survival/Isa-Pd": 44, "survival/Pd": 262,
         "treatment/Isa-Pd": 2242, "treatment/Pd": 5161}
OUTCOME_STREAMS = ("progression", "survival", "treatment")
PRIMARY_CUTOFF = published.PRIMARY_CUTOFF
FINAL_OS_CUTOFF = published.FINAL_OS_CUTOFF
ACCRUAL = published.RANDOMISATION_PERIOD


def randomisation_dates(n, rng):
    """Accrual that starts slowly and gathers pace (density rising linearly), with
    the first and last patients on the published dates."""
    start, end = (pd.Timestamp(d) for d in ACCRUAL)
    span = (end - start).days
    fractions = np.sort(np.sqrt(rng.random(n - 2)))
    days = np.concatenate([[0], np.round(fractions * span), [span]])
    return start + pd.to_timedelta(days, unit="D")


def allocate(rng):
    """Patients in order of randomisation, with stratum and assigned arm; the allocation list."""
    sizes = randomisation.stratum_sizes()
    strata = [s for s in randomisation.STRATA for _ in range(sizes["Isa-Pd"][s] + sizes["Pd"][s])]
    strata = [strata[i] for i in rng.permutation(len(strata))]
    dates = randomisation_dates(len(strata), rng)
    lists = {s: randomisation.allocation_list(sizes["Isa-Pd"][s], sizes["Pd"][s], rng) for s in randomisation.STRATA}
    position = {s: 0 for s in randomisation.STRATA}
    rows = []
    for number, (stratum, date) in enumerate(zip(strata, dates), start=1):
        index = position[stratum]
        position[stratum] += 1
        rows.append({"USUBJID": f"TWIN-{number:04d}", "RANDDT": date, "STRAT1R": stratum[0], "STRAT2R": stratum[1],
                     "STRATUM_SEQ": index + 1, "BLOCK": index // 4 + 1, "TRT01P": lists[stratum][index]})
    return pd.DataFrame(rows)


def baseline_table(allocation, rng):
    """Each randomised patient's allocation joined to a generated baseline (Table 1 columns)."""
    parts = []
    for arm in published.TREATED:
        members = allocation[allocation["TRT01P"] == arm].reset_index(drop=True)
        strata = list(zip(members["STRAT1R"], members["STRAT2R"]))
        table = baseline.arm_baseline(arm, strata, rng).drop(columns=["STRAT1R", "STRAT2R"])
        parts.append(pd.concat([members, table], axis=1))
    base = pd.concat(parts).sort_values("USUBJID").reset_index(drop=True)
    base["ITTFL"] = "Y"
    base["SAFFL"] = "Y"
    for arm, count in outcomes.PARAMETERS["not_treated"].items():
        members = base.index[base["TRT01P"] == arm]
        base.loc[rng.choice(members, size=count, replace=False), "SAFFL"] = "N"
    return base


def mrd_negative(base, latent):
    """MRD-negative at 1e-5: the deepest IRC responders, 8 in Isa-Pd and 0 in Pd."""
    flags = np.full(len(base), "N", dtype=object)
    for arm, count in published.MRD_NEGATIVE.items():
        deep = latent[(latent["TRT01P"] == arm) & latent["BOR"].isin(["sCR", "CR", "VGPR"])]
        flags[deep.sort_values("SENSITIVITY", ascending=False).index[:count]] = "Y"
    return flags


def checked_seeds(seeds):
    """The book's seeds with ``seeds`` (stream name -> whole number) in their place; an
    ArgumentError names an unknown stream or a seed that is not a whole number >= 0."""
    seeds = {} if seeds is None else seeds
    if not isinstance(seeds, dict):
        raise ArgumentError(f"seeds must be a dict of stream name -> seed; got {seeds!r}.")
    unknown = [name for name in seeds if name not in SEEDS]
    if unknown:
        raise ArgumentError(f"Unknown seed key {unknown[0]!r}; the twin's streams are {', '.join(SEEDS)}.")
    for name, seed in seeds.items():
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ArgumentError(f"The seed of {name!r} must be a whole number >= 0; got {seed!r}.")
    return {**SEEDS, **seeds}


def draw_seeds(student, draw):
    """Every stream's seed of draw ``draw`` for student ``student``: the first 8 bytes
    of the SHA-256 of the ID (UTF-8 of its Unicode NFC form: one twin however the ID's
    accents were typed), the draw and the stream's name."""
    if not isinstance(student, str) or not student.strip() or student != student.strip():
        raise ArgumentError(f"A student ID must be non-empty text without surrounding spaces; got {student!r}.")
    student = unicodedata.normalize("NFC", student)
    return {name: int.from_bytes(hashlib.sha256(f"{student}/{draw}/{name}".encode()).digest()[:8], "big")
            for name in SEEDS}


STUDENT_DRAWS = 50


# A cut so late that every latent event of the twin has happened: the twin followed for ever.
FOLLOWED_FOR_EVER = "2100-01-01"


def keeps_invariants(twin):
    """True when the twin's datasets keep every rule of :mod:`icaria.twin.invariants`
    at both cuts, and each cut has every event dated on or before its cutoff."""
    cutoffs = (PRIMARY_CUTOFF, FINAL_OS_CUTOFF, FOLLOWED_FOR_EVER)
    cuts = [adam.cut_at(twin, cutoff) for cutoff in cutoffs]
    for cutoff, cut, later in zip(cutoffs, cuts, cuts[1:]):
        if not invariants.violations(*(cut[name] for name in ("adsl", "adtte", "adrs", "adae")), cutoff).empty:
            return False
        if not invariants.events_missed(cut["adtte"], later["adtte"], cutoff).empty:
            return False
    return True


@functools.lru_cache(maxsize=64)
def student_seeds(student):
    """The seeds of student ``student``'s own twin: the first of their draws
    (:func:`draw_seeds`) whose twin keeps the invariants (some draws of the model date a
    response after a patient's last contact; those are skipped)."""
    for draw in range(STUDENT_DRAWS):
        seeds = draw_seeds(student, draw)
        if keeps_invariants(generate(seeds)):
            return seeds
    raise ArgumentError(f"No draw of {STUDENT_DRAWS} for student {student!r} keeps the twin's rules.")


def student_twin(student):
    """Student ``student``'s own twin: the same calibrated model as the book's, with
    the student's seeds (other patients and results, kept near the published summaries
    like every twin; the same for the same ID)."""
    return generate(student_seeds(student))


def generate(seeds=None):
    """Build the twin: baseline, latent outcomes and safety data (a dict of tables).
    ``seeds`` replaces some of the book's seeds (keys of ``SEEDS``; others refused)."""
    seeds = checked_seeds(seeds)
    rng = {name: np.random.default_rng(seed) for name, seed in seeds.items()}
    allocation = allocate(rng["randomisation"])
    base = baseline_table(allocation, rng["baseline"])
    streams = {component: outcomes.ArmStreams({arm: rng[f"{component}/{arm}"] for arm in published.TREATED},
                                              base["TRT01P"].to_numpy())
               for component in OUTCOME_STREAMS}
    latent = outcomes.latent_outcomes(base, streams)
    base["MRDNEG"] = mrd_negative(base, latent)
    available, dead, _ = adam.follow_up(latent, base["RANDDT"], PRIMARY_CUTOFF)
    # Days on treatment by the primary cutoff, or by the day of a loss to follow-up.
    on_treatment = np.minimum(latent["TREATMENT_END_DAY"], adam.horizon_of(latent, available))
    exposure = np.where(base["SAFFL"] == "Y", on_treatment + 1, 0.0)
    latent["DEATH_OBSERVED_DAY"] = np.where(dead, latent["DEATH_DAY"], np.inf)
    base = base.join(safety.exposure_columns(base, exposure, rng["safety"]))
    return {"allocation": allocation, "base": base, "latent": latent,
            "adae": safety.adae(base, latent, exposure, rng["safety"]), "adlb": safety.adlb(base, rng["safety"])}


CHECKSUMS = Path(__file__).with_name("data-sha256.json")


def write_files(twin, data_dir):
    """Write both cuts and the allocation list as CSV (deterministic formatting)."""
    data_dir = Path(data_dir)
    for cut, cutoff in (("", PRIMARY_CUTOFF), ("final-os", FINAL_OS_CUTOFF)):
        folder = data_dir / cut
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in adam.cut_at(twin, cutoff).items():
            table.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", float_format="%.6g")
    allocation = twin["allocation"].assign(RANDDT=twin["allocation"]["RANDDT"].dt.strftime("%Y-%m-%d"))
    allocation.to_csv(data_dir / "allocation.csv", index=False, lineterminator="\n")


def checksums(data_dir):
    """SHA-256 of every CSV file under ``data_dir``, by relative path."""
    data_dir = Path(data_dir)
    return {path.relative_to(data_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(data_dir.rglob("*.csv"))}


def write_twin(data_dir, quiet=True):
    """Generate the twin into ``data_dir``; return True when the files are the book's
    own, byte for byte (they are with the pinned library versions)."""
    if not quiet:
        print(f"Generating the simulated twin into {data_dir} (a few seconds)...", flush=True)
    write_files(generate(), data_dir)
    identical = checksums(data_dir) == json.loads(CHECKSUMS.read_text(encoding="utf-8"))
    if not quiet and not identical:
        print("Note: these files differ from the book's data/ (other library versions); numbers may "
              "differ slightly from the website's.", flush=True)
    return identical


def main(argv=None):
    """Command line: regenerate the twin's files (python -m icaria.twin), or write a
    student's own twin (--student ID --out DIR)."""
    parser = argparse.ArgumentParser(prog="python -m icaria.twin", description="Regenerate the simulated twin.")
    parser.add_argument("--out", type=Path, help="folder to write (default: data/ of this copy of the book)")
    parser.add_argument("--student", help="write this student's own twin (seeds derived from the ID; needs --out)")
    args = parser.parse_args(argv)
    book = paths.find_book()
    out = args.out or (book / "data" if book else None)
    book_data = (paths.REPO_ROOT / "data").resolve()
    if args.student is not None and (args.out is None or args.out.resolve() == book_data):
        parser.error("--student needs --out DIR, a folder other than the book's data/")
    if out is None:
        parser.error("no copy of the book here (a folder with _toc.yml and data/); name a folder with --out")
    try:
        write_files(generate() if args.student is None else student_twin(args.student), out)
    except ArgumentError as error:
        parser.error(str(error))
    except OSError as error:   # a folder that cannot be written: one line, no traceback
        parser.error(f"cannot write the twin into {out} ({error.strerror or type(error).__name__})")
    if args.student is not None:
        print(f"Wrote student {args.student}'s simulated twin to {out}.")
        return 0
    if out.resolve() == book_data:   # the book's own data: keep their checksums
        CHECKSUMS.write_text(json.dumps(checksums(out), indent=1) + "\n", encoding="utf-8")
        provenance.write_book_fingerprints(out)   # the content, for the loader's provenance notice
    print(f"Wrote the simulated twin to {out} (seeds {SEEDS}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
