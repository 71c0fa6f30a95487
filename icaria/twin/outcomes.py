"""Latent outcome times of the twin: what would happen to each patient if the
trial were followed for ever. Cutting the trial at a date (:mod:`icaria.twin.adam`)
turns them into observed, censored data.

All times are days from randomisation (day 0). The model, in words:

* Best response (IRC) has Table 3's exact counts per arm. Patients with a higher
  latent sensitivity (less baseline risk, plus chance) get deeper responses; the
  investigator's best response is a noisier copy with the counts the paper implies.
* Responders first respond at a monthly assessment (cycle day 1); Isa-Pd works
  faster. Time to progression then follows a Weibull distribution whose scale
  depends on the depth of response, on the arm, and on baseline risk factors.
  The investigators' progression differs by a random factor; when they see it
  first, the committee usually confirms it at the same assessment.
* Death before progression (rare, and not before a responder's next assessment),
  post-progression survival (shorter with a worse risk profile, after early failure
  and after Isa-Pd, longer with subsequent daratumumab), loss to follow-up,
  treatment discontinuation for adverse events or other reasons, and the start of
  the next treatment are further latent times. The next treatment never starts before
  the assessment that records a responder's first response (no response is assessed
  once it starts); it contains daratumumab more often in a patient with a better
  prognosis (lower log-hazard), fit enough for more therapy.

The order of the random draws is part of the data: each stream (progression,
survival, treatment; one generator per arm) is read in the order the code below
reads it, so moving, adding or removing a draw changes every later value of that
stream and the committed data with it. ``python -m icaria.twin --out DIR`` and the
checksums in ``data-sha256.json`` show whether a change kept the data.
"""

import numpy as np
import pandas as pd
from scipy.stats import norm

from icaria import published
from icaria.published import DAYS_PER_MONTH

ASSESSMENT_INTERVAL = 28

# Twin choices for the investigator's best response: the paper gives only 97 and 49
# responders, 52 and 11 with VGPR or better.
INVESTIGATOR_BEST_RESPONSE = {
    "Isa-Pd": {"sCR": 1, "CR": 11, "VGPR": 40, "PR": 45, "MR": 8, "SD": 32, "NPD": 3, "PD": 6, "UPD": 0, "NE": 8},
    "Pd": {"sCR": 0, "CR": 3, "VGPR": 8, "PR": 38, "MR": 15, "SD": 48, "NPD": 2, "PD": 15, "UPD": 3, "NE": 21},
}
RESPONDER = ("sCR", "CR", "VGPR", "PR")

# Model parameters (months unless said otherwise): first set by hand, then tuned by
# the parameter search of scripts/calibrate_twin.py (--parameters); the seed search
# then picks one seed per stream.
PARAMETERS = {
    "progression_shape": 0.922,
    "progression_scale": {"sCR": 31.44, "CR": 28.58, "VGPR": 20.96, "PR": 16.19, "MR": 14.0, "SD": 10.0, "NPD": 10.96},
    "isa_progression_factor": {"responder": 1.419, "non-responder": 1.087},
    "risk_log_hazard": {"ISSENTRY_III": 0.45, "ISSENTRY_II": 0.2, "CYTORISK_High": 0.35, "STRAT1R_>=75": 0.1,
                        "STRAT2R_>3": 0.2, "EGFR_below_60": 0.1, "REFLENLST_Y": 0.15},
    "frailty_sd": 0.3,
    "first_response_cycle": {"Isa-Pd": {2: 0.62, 3: 0.16, 4: 0.12, 5: 0.10},
                             "Pd": {2: 0.38, 3: 0.30, 4: 0.20, 5: 0.12}},
    "death_before_progression_rate": {"Isa-Pd": 0.005322, "Pd": 0.009275},
    "post_progression_median": 5.421,
    "post_progression_shape": 0.5346,
    "post_progression_risk_effect": 1.189,  # multiplies the log-hazard of progression
    "daratumumab_survival_factor": 1.735,
    "post_progression_arm_factor": {"Isa-Pd": 0.8407, "Pd": 1.0},  # disease after Isa-Pd may be harder to treat
    "post_progression_factor_early_failure": 0.677,  # best response PD, UPD or NE
    "loss_to_follow_up_rate": 0.002,
    "discontinuation_ae_rate": {"Isa-Pd": 0.009923, "Pd": 0.02009},
    "discontinuation_other_rate": {"Isa-Pd": 0.004801, "Pd": 0.006693},
    "next_treatment_probability": {"Isa-Pd": {"progression": 0.85, "other": 0.8},
                                   "Pd": {"progression": 0.97, "other": 0.9}},
    "next_treatment_gap_days": {"progression": 18.0, "other": 20.0},
    "daratumumab_probability": {"Isa-Pd": 0.09, "Pd": 0.55},  # at an average prognosis (log-hazard 0)
    "daratumumab_prognosis_effect": 1.886,    # log-odds of daratumumab per unit of lower log-hazard
    "daratumumab_after_adverse_event": 1.166,  # odds ratio of daratumumab after stopping for an adverse event
    "investigator_noise_sd": 0.1397,
    "committee_confirms_share": 0.3163,
    "symptomatic_deterioration_share": 0.08,
    "not_treated": {"Isa-Pd": 2, "Pd": 4},
    # Set by hand and never tuned:
    "sensitivity_noise_sd": 0.8,             # chance in the latent sensitivity to treatment
    "investigator_response_noise_sd": 0.35,  # the investigator's reading of that sensitivity
    "assessment_jitter_days": 7,             # a visit falls 0-6 days after its scheduled day
    "symptomatic_timing": (0.6, 0.95),       # deterioration comes at this share of the way to progression
    "death_risk_effect": 0.5,                # multiplies the log-hazard of progression for death before it
    "contact_lag_max_days": 20,              # last contact before a cutoff, up to this many days
}


class ArmStreams:
    """One draw per patient, each arm's drawn from that arm's own NumPy generator, so
    that each arm's outcomes have a seed of their own. The methods read like NumPy's;
    ``size``, where given, must be the number of patients (one value each)."""

    def __init__(self, generators, arms):
        self.generators = generators
        self.arms = np.asarray(arms)

    def draw(self, method, *args, size=None):
        """One value per patient from ``method`` of each arm's generator."""
        if size is not None and size != len(self.arms):
            raise ValueError(f"ArmStreams draws one value per patient ({len(self.arms)}); got size={size}.")
        values = np.empty(len(self.arms))
        for arm, generator in self.generators.items():
            members = self.arms == arm
            values[members] = getattr(generator, method)(*args, size=int(members.sum()))
        return values

    def random(self, size=None):
        """Uniform(0, 1), one per patient."""
        return self.draw("random", size=size)

    def normal(self, loc, scale, size=None):
        """Normal(loc, scale), one per patient."""
        return self.draw("normal", loc, scale, size=size)

    def uniform(self, low, high, size=None):
        """Uniform(low, high), one per patient."""
        return self.draw("uniform", low, high, size=size)

    def integers(self, low, high, size=None):
        """Whole numbers from low to high - 1, one per patient."""
        return self.draw("integers", low, high, size=size).astype(int)


def balanced_uniforms(draws, groups):
    """Uniform(0, 1) draws spread evenly within each group (an arm, or an arm and a
    best response): a group's n draws fill its n equal slices of (0, 1) once each,
    in random order. Compared with plain draws this removes most chance imbalance
    between groups, so a twin's summaries sit close to what the model implies and
    the seed search only fine-tunes."""
    uniforms = np.empty(len(groups))
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        generator = draws.generators[draws.arms[members[0]]]
        uniforms[members] = (generator.permutation(len(members)) + generator.random(len(members))) / len(members)
    return uniforms


def weibull(uniforms, shape, scale_days):
    """Weibull times from uniforms (inverse of the distribution function)."""
    return scale_days * (-np.log1p(-uniforms)) ** (1 / shape)


def exponential(uniforms, mean):
    """Exponential times with mean ``mean`` from uniforms."""
    return -mean * np.log1p(-uniforms)


def risk_index(adsl):
    """Log-hazard of progression from baseline characteristics (centred)."""
    weights = PARAMETERS["risk_log_hazard"]
    index = (weights["ISSENTRY_III"] * (adsl["ISSENTRY"] == "III") + weights["ISSENTRY_II"] * (adsl["ISSENTRY"] == "II")
             + weights["CYTORISK_High"] * (adsl["CYTORISK"] == "High")
             + weights["STRAT1R_>=75"] * (adsl["STRAT1R"] == ">=75") + weights["STRAT2R_>3"] * (adsl["STRAT2R"] == ">3")
             + weights["EGFR_below_60"] * adsl["EGFRGR1"].isin(["<30", "30-<60"])
             + weights["REFLENLST_Y"] * (adsl["REFLENLST"] == "Y"))
    return (index - index.mean()).to_numpy(dtype=float)


def best_responses(adsl, draws):
    """IRC and investigator best response, exact counts per arm; untreated patients are NE."""
    irc = np.empty(len(adsl), dtype=object)
    inv = np.empty(len(adsl), dtype=object)
    sensitivity = -risk_index(adsl) + draws.normal(0, PARAMETERS["sensitivity_noise_sd"], len(adsl))
    for arm in published.TABLE3_BEST_RESPONSE:
        members = np.flatnonzero((adsl["TRT01P"] == arm).to_numpy())
        treated = members[(adsl["SAFFL"].to_numpy()[members] == "Y")]
        untreated = np.setdiff1d(members, treated)
        irc_counts = dict(published.TABLE3_BEST_RESPONSE[arm])
        irc_counts["NE"] += published.TWIN_NE_ADDED[arm]
        irc[members] = ranked_categories(sensitivity, treated, untreated, irc_counts)
        noisy = sensitivity + draws.normal(0, PARAMETERS["investigator_response_noise_sd"], len(adsl))
        inv[members] = ranked_categories(noisy, treated, untreated, INVESTIGATOR_BEST_RESPONSE[arm])
    return irc, inv, sensitivity


def ranked_categories(score, treated, untreated, counts):
    """Best categories to the highest scores; untreated patients first take NE places."""
    labels = {}
    ne_left = counts["NE"] - len(untreated)
    for patient in untreated:
        labels[patient] = "NE"
    order = treated[np.argsort(-score[treated], kind="stable")]
    position = 0
    for category in published.BEST_RESPONSE_ORDER:
        how_many = ne_left if category == "NE" else counts[category]
        for patient in order[position:position + how_many]:
            labels[patient] = category
        position += how_many
    return [labels[p] for p in sorted(labels)]


def first_response_day(arms, draws):
    """Day of first response: an assessment cycle drawn per arm, plus the visit's jitter."""
    days = np.empty(len(arms))
    for arm, distribution in PARAMETERS["first_response_cycle"].items():
        members = np.flatnonzero(arms == arm)
        generator = draws.generators[arm]
        cycles = generator.choice(list(distribution), p=list(distribution.values()), size=len(members))
        days[members] = (ASSESSMENT_INTERVAL * (cycles - 1)
                         + generator.integers(0, PARAMETERS["assessment_jitter_days"], len(members)))
    return days


def progression_days(adsl, bor, response_day, draws):
    """Latent day of progression by the IRC (infinite for never-assessed patients)."""
    n = len(adsl)
    shape = PARAMETERS["progression_shape"]
    arms = adsl["TRT01P"].to_numpy()
    log_hazard = risk_index(adsl) + PARAMETERS["frailty_sd"] * norm.ppf(balanced_uniforms(draws, arms))
    scale = np.array([PARAMETERS["progression_scale"].get(b, 1.0) for b in bor]) * DAYS_PER_MONTH
    factor = np.where(np.isin(bor, RESPONDER), PARAMETERS["isa_progression_factor"]["responder"],
                      PARAMETERS["isa_progression_factor"]["non-responder"])
    scale *= np.where(arms == "Isa-Pd", factor, 1.0)
    scale *= np.exp(-log_hazard / shape)
    days = weibull(balanced_uniforms(draws, arms + "/" + bor.astype(str)), shape, scale)
    responders = np.isin(bor, RESPONDER)
    days[responders] += response_day[responders]
    days = np.maximum(days, ASSESSMENT_INTERVAL + 1)
    early = draws.integers(0, PARAMETERS["assessment_jitter_days"], n)
    days[bor == "PD"] = ASSESSMENT_INTERVAL + early[bor == "PD"]
    days[bor == "UPD"] = 2 * ASSESSMENT_INTERVAL + early[bor == "UPD"]
    days[bor == "NE"] = np.inf
    return days, log_hazard


def latent_outcomes(adsl, streams):
    """One row per patient: every latent time the ADaM cut needs (days from randomisation).

    ``streams`` holds three :class:`ArmStreams`, so that each part of the model has
    its own seed per arm: ``progression`` (responses and progression), ``treatment``
    (discontinuation and next treatment) and ``survival`` (deaths and follow-up).
    Each is read in a fixed order (see the module's text): the order is part of the data.
    """
    draws = streams["progression"]
    n = len(adsl)
    arms = adsl["TRT01P"].to_numpy()
    bor, bor_inv, sensitivity = best_responses(adsl, draws)
    bor, bor_inv = np.asarray(bor, dtype=object), np.asarray(bor_inv, dtype=object)
    response_day = np.where(np.isin(bor, RESPONDER), first_response_day(arms, draws), np.nan)
    progression, log_hazard = progression_days(adsl, bor, np.nan_to_num(response_day), draws)

    investigator = progression * np.exp(draws.normal(0, PARAMETERS["investigator_noise_sd"], n))
    investigator = np.maximum(investigator, ASSESSMENT_INTERVAL)
    deteriorates = draws.random(n) < PARAMETERS["symptomatic_deterioration_share"]
    symptomatic = np.where(deteriorates, investigator * draws.uniform(*PARAMETERS["symptomatic_timing"], n),
                           investigator)
    # Committee and investigators read the same central laboratory results: when the
    # investigators see progression first, the committee usually confirms it then.
    confirms = (investigator < progression) & (draws.random(n) < PARAMETERS["committee_confirms_share"])
    confirms &= ~(investigator <= np.nan_to_num(response_day))   # never before the patient's response
    progression = np.where(confirms, investigator, progression)

    draws = streams["survival"]
    rate = (np.array([PARAMETERS["death_before_progression_rate"][a] for a in arms])
            * np.exp(PARAMETERS["death_risk_effect"] * log_hazard))
    death_before = exponential(balanced_uniforms(draws, arms), DAYS_PER_MONTH / rate)
    # A responder lives at least to the assessment after the first response.
    responders = np.isin(bor, RESPONDER)
    death_before[responders] = np.maximum(death_before[responders], response_day[responders] + ASSESSMENT_INTERVAL)
    survival_uniforms = (balanced_uniforms(draws, arms), draws.random(n),
                         draws.uniform(0, PARAMETERS["contact_lag_max_days"], n))
    draws = streams["treatment"]
    ends = {
        "ae": exponential(balanced_uniforms(draws, arms),
                          DAYS_PER_MONTH / np.array([PARAMETERS["discontinuation_ae_rate"][a] for a in arms])),
        "other": exponential(balanced_uniforms(draws, arms),
                             DAYS_PER_MONTH / np.array([PARAMETERS["discontinuation_other_rate"][a] for a in arms])),
    }
    treated = adsl["SAFFL"].to_numpy() == "Y"
    # Treatment stops for death only in a patient who dies before progressing.
    progression_first = np.minimum(progression, investigator) < death_before
    dies_first = np.where(progression_first, np.inf, death_before)
    treatment_end, reason = treatment_course(investigator, dies_first, ends, treated)

    next_start, daratumumab = next_treatment(arms, treatment_end, reason, log_hazard, draws)
    next_start = after_response_assessment(next_start, response_day)
    survival_median = (PARAMETERS["post_progression_median"] * DAYS_PER_MONTH
                       * np.exp(-PARAMETERS["post_progression_risk_effect"] * log_hazard))
    survival_median = survival_median * np.array([PARAMETERS["post_progression_arm_factor"][a] for a in arms])
    survival_median = np.where(daratumumab, survival_median * PARAMETERS["daratumumab_survival_factor"],
                               survival_median)
    early_failure = np.isin(bor, ["PD", "UPD", "NE"])
    survival_median = np.where(early_failure, survival_median * PARAMETERS["post_progression_factor_early_failure"],
                               survival_median)
    shape = PARAMETERS["post_progression_shape"]
    post_progression = survival_median * (-np.log(survival_uniforms[0]) / np.log(2)) ** (1 / shape)
    death = np.where(progression_first, np.minimum(progression, investigator) + post_progression, death_before)
    next_start = np.where(next_start < death, next_start, np.inf)
    daratumumab &= np.isfinite(next_start)
    # Treatment cannot outlast the patient. A patient whose progression was seen before
    # death keeps progression as the reason; any other stop after death becomes death.
    died_on_treatment = treated & (treatment_end > death)
    treatment_end = np.where(died_on_treatment, death, treatment_end)
    progressed_before = (reason == "Progressive disease") & progression_first
    reason = np.where(died_on_treatment & ~progressed_before, "Death", reason).astype(object)

    return pd.DataFrame({
        "USUBJID": adsl["USUBJID"], "TRT01P": arms, "BOR": bor, "BORINV": bor_inv, "SENSITIVITY": sensitivity,
        "RESPONSE_DAY": response_day, "PROGRESSION_DAY": progression, "PROGRESSION_INV_DAY": investigator,
        "PROGRESSION_SD_DAY": symptomatic, "DEATH_DAY": death, "TREATMENT_END_DAY": treatment_end,
        "TREATMENT_END_REASON": reason, "NEXT_TREATMENT_DAY": next_start, "NEXT_IS_DARATUMUMAB": daratumumab,
        "LOST_DAY": -np.log(survival_uniforms[1]) * DAYS_PER_MONTH / PARAMETERS["loss_to_follow_up_rate"],
        "CONTACT_LAG_DAYS": survival_uniforms[2], "LOG_HAZARD": log_hazard,
    })


def treatment_course(investigator_progression, death_before, ends, treated):
    """When and why study treatment stops (never started for untreated patients)."""
    candidates = np.vstack([np.ceil(investigator_progression / ASSESSMENT_INTERVAL) * ASSESSMENT_INTERVAL,
                            death_before, ends["ae"], ends["other"]])
    reasons = np.array(["Progressive disease", "Death", "Adverse event", "Other"])
    first = np.argmin(candidates, axis=0)
    end = candidates[first, np.arange(candidates.shape[1])]
    reason = reasons[first].astype(object)
    end[~treated] = 0.0
    reason[~treated] = "Not treated"
    return end, reason


def next_treatment(arms, treatment_end, reason, log_hazard, draws):
    """Start day of the next treatment (infinite if none) and whether it contains
    daratumumab: more likely in a patient fit enough for more therapy (a lower
    log-hazard ``log_hazard``), and after stopping for an adverse event as after progression."""
    after_progression = reason == "Progressive disease"
    kind = np.where(after_progression, "progression", "other")
    probability = np.array([PARAMETERS["next_treatment_probability"][a][k] for a, k in zip(arms, kind)])
    gap = exponential(draws.random(), np.array([PARAMETERS["next_treatment_gap_days"][k] for k in kind]))
    starts = balanced_uniforms(draws, arms) < probability
    start = np.where(starts & (reason != "Death"), treatment_end + 1 + gap, np.inf)
    odds = np.array([PARAMETERS["daratumumab_probability"][a] for a in arms])
    odds = odds / (1 - odds) * np.exp(-PARAMETERS["daratumumab_prognosis_effect"] * log_hazard)
    odds *= np.where(reason == "Adverse event", PARAMETERS["daratumumab_after_adverse_event"], 1.0)
    return start, (balanced_uniforms(draws, arms) < odds / (1 + odds)) & np.isfinite(start)


def after_response_assessment(next_start, response_day):
    """No response is assessed after further therapy starts: a responder's next
    treatment waits until the assessment that records the response has been made (the
    last assessment before further therapy, where PFS is censored, is on or after it)."""
    recorded = np.ceil(np.nan_to_num(response_day) / ASSESSMENT_INTERVAL) * ASSESSMENT_INTERVAL + 1
    return np.where(np.isfinite(response_day), np.maximum(next_start, recorded), next_start)
