"""Variants of the twin for teaching: documented switches of the generator that give a
dataset in memory. They never write files and never change the book's data (``data/``):
the book's twin is built first, exactly as ``python -m icaria.twin`` builds it, and the
variant changes a copy of its latent times with a random generator of its own.

:func:`informative_censoring` (chapter "Estimands and bias"): patients who stop study
treatment for an adverse event (toxicity) have a worse prognosis from then on, and they
leave follow-up sooner, so the censoring of overall survival depends on something that
also predicts death. The generator still knows every patient's death, so the variant
returns the truth beside what the trial would see.
"""

import numpy as np
import pandas as pd

from icaria import published
from icaria.published import DAYS_PER_MONTH
from icaria.twin import adam

# The switch's settings: the remaining survival after a stop for toxicity is multiplied
# by ``prognosis_factor``; after that stop, follow-up ends at a rate of ``dropout_rate``
# per month (exponential); ``seed`` is the variant's own random generator (seed 5 gives a draw
# near the average of seeds 0-19, so the one example the chapter shows is a typical one).
INFORMATIVE_CENSORING = {"prognosis_factor": 0.3, "dropout_rate": 0.1, "seed": 5}


def informative_censoring(twin, cutoff=published.FINAL_OS_CUTOFF, **settings):
    """Overall survival of a twin variant with informative censoring, one row per patient.

    ``twin`` is what :func:`icaria.twin.generate` returns (it is not changed);
    ``settings`` replace entries of :data:`INFORMATIVE_CENSORING`. Columns: ``USUBJID``,
    ``TRT01P``, ``STRAT1R``, ``STRAT2R``, ``ISAPD``; ``TOXSTOP`` (months to the stop
    for toxicity, NaN if none was seen); what the trial sees, ``MONTHS`` and ``EVENT``
    (1 = death, 0 = censored) with ``DROPOUT`` (1 = censored by leaving follow-up after
    the stop); and the truth the generator knows, ``MONTHS_ALL`` and ``EVENT_ALL``,
    censored only by the cutoff and the twin's own (non-informative) losses.
    """
    unknown = set(settings) - set(INFORMATIVE_CENSORING)
    if unknown:
        raise ValueError(f"Unknown settings {sorted(unknown)}; known: {sorted(INFORMATIVE_CENSORING)}.")
    options = {**INFORMATIVE_CENSORING, **settings}
    base, latent = adam.enrolled_by(twin, cutoff)
    latent = latent.copy()
    stop = latent["TREATMENT_END_DAY"].to_numpy(dtype=float)
    toxic = (latent["TREATMENT_END_REASON"] == "Adverse event").to_numpy()
    death = latent["DEATH_DAY"].to_numpy(dtype=float)
    latent["DEATH_DAY"] = np.where(toxic, stop + (death - stop) * options["prognosis_factor"], death)
    _, dead, contact = adam.follow_up(latent, base["RANDDT"], cutoff)
    day_all = np.floor(np.where(dead, latent["DEATH_DAY"], contact))
    rng = np.random.default_rng(options["seed"])
    gone = rng.exponential(DAYS_PER_MONTH / options["dropout_rate"], len(base)) if options["dropout_rate"] > 0 \
        else np.full(len(base), np.inf)
    leaves = np.floor(np.where(toxic, stop + gone, np.inf))
    dropout = leaves < day_all
    seen_stop = toxic & (stop <= day_all)
    return pd.DataFrame({
        "USUBJID": base["USUBJID"].to_numpy(), "TRT01P": base["TRT01P"].to_numpy(),
        "STRAT1R": base["STRAT1R"].to_numpy(), "STRAT2R": base["STRAT2R"].to_numpy(),
        "ISAPD": (base["TRT01P"] == "Isa-Pd").to_numpy().astype(int),
        "TOXSTOP": np.where(seen_stop, (np.floor(stop) + 1) / DAYS_PER_MONTH, np.nan),
        "MONTHS": (np.where(dropout, leaves, day_all) + 1) / DAYS_PER_MONTH,
        "EVENT": (dead & ~dropout).astype(int), "DROPOUT": dropout.astype(int),
        "MONTHS_ALL": (day_all + 1) / DAYS_PER_MONTH, "EVENT_ALL": dead.astype(int),
    })
