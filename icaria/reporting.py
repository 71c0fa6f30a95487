"""Checklists and one simulated variable for the chapter on regulators and reporting.

The checklists are the book's short paraphrases of published reporting and credibility
guidance (CONSORT 2010, its 2004 extension for harms, the subgroup-credibility criteria
of Sun and colleagues); read the originals for their exact wording. The quality-of-life
variable is SIMULATED from a documented, seeded model on top of the twin's treatment
times: the paper prints no patient-level or summary QLQ-C30 numbers in its main text,
and this model was tuned to nothing. It never enters the book's data files.
"""

import numpy as np
import pandas as pd

from icaria.arguments import ArgumentError, between, once_each, table_with
from icaria.published import DAYS_PER_MONTH

CHAPTER = "14-regulators-and-reporting"

# CONSORT 2010 (Schulz, Altman, Moher, BMJ 2010;340:c332): item, section, what it asks
# for, in the book's words.
CONSORT_2010 = [
    ("1a", "Title and abstract", "the title says the trial was randomised"),
    ("1b", "Title and abstract", "a structured summary of design, methods, results and conclusions"),
    ("2a", "Introduction", "the scientific background and why the trial was done"),
    ("2b", "Introduction", "the specific objectives or hypotheses"),
    ("3a", "Methods: design", "the design (parallel, crossover...) and the allocation ratio"),
    ("3b", "Methods: design", "important changes to the methods after the start, and why"),
    ("4a", "Methods: participants", "who could enter the trial"),
    ("4b", "Methods: participants", "where, and in what settings, data were collected"),
    ("5", "Methods: interventions", "each arm's treatment, in enough detail to repeat it"),
    ("6a", "Methods: outcomes", "primary and secondary outcomes, defined, with how and when measured"),
    ("6b", "Methods: outcomes", "changes to the outcomes after the start, and why"),
    ("7a", "Methods: sample size", "how the sample size was decided"),
    ("7b", "Methods: sample size", "interim analyses and stopping rules"),
    ("8a", "Methods: randomisation", "how the allocation sequence was generated"),
    ("8b", "Methods: randomisation", "the type of randomisation and any restriction (blocks, strata)"),
    ("9", "Methods: randomisation", "how the sequence was concealed until assignment"),
    ("10", "Methods: randomisation", "who generated the sequence, enrolled and assigned patients"),
    ("11a", "Methods: blinding", "who was blinded after assignment, and how"),
    ("11b", "Methods: blinding", "how similar the interventions were, if relevant"),
    ("12a", "Methods: statistics", "the methods comparing arms on primary and secondary outcomes"),
    ("12b", "Methods: statistics", "methods of additional analyses (subgroups, adjusted analyses)"),
    ("13a", "Results: flow", "per arm, the numbers randomised, treated and analysed (a diagram)"),
    ("13b", "Results: flow", "per arm, losses and exclusions after randomisation, with reasons"),
    ("14a", "Results: recruitment", "dates of recruitment and of follow-up"),
    ("14b", "Results: recruitment", "why the trial ended or was stopped"),
    ("15", "Results: baseline", "a table of baseline characteristics per arm"),
    ("16", "Results: numbers analysed", "per arm, the number in each analysis, by assigned arm or not"),
    ("17a", "Results: outcomes", "per arm, each outcome's result, the effect and its precision"),
    ("17b", "Results: outcomes", "for binary outcomes, both absolute and relative effects"),
    ("18", "Results: ancillary analyses", "other analyses, saying which were prespecified"),
    ("19", "Results: harms", "all important harms or unintended effects in each arm"),
    ("20", "Discussion", "limitations: sources of bias, imprecision, multiplicity"),
    ("21", "Discussion", "generalisability of the findings"),
    ("22", "Discussion", "an interpretation consistent with the results, weighing benefits and harms"),
    ("23", "Other information", "registration number and registry"),
    ("24", "Other information", "where the full protocol can be read"),
    ("25", "Other information", "sources of funding and the funders' role"),
]

# The CONSORT extension for harms (Ioannidis et al., Ann Intern Med 2004;141:781-8):
# its recommendations, in the book's words.
CONSORT_HARMS_2004 = [
    ("H1", "Title and abstract", "say whether the trial reports harms as well as benefits"),
    ("H2", "Introduction", "say whether harms are a question the trial was set up to answer"),
    ("H3", "Methods", "list the adverse events addressed, with their definitions and grading scale"),
    ("H4", "Methods", "say how harms were collected: when, by whom, with what attribution"),
    ("H5", "Methods", "describe how harms will be presented and analysed, recurrent events included"),
    ("H6", "Results", "give the withdrawals for harms in each arm"),
    ("H7", "Results", "give the denominators of the harms analyses"),
    ("H8", "Results", "give each arm's absolute risk of each adverse event, by type, grade and seriousness"),
    ("H9", "Results", "describe any subgroup or exploratory analyses of harms"),
    ("H10", "Discussion", "discuss benefits and harms together, with the limits of the harms data"),
]

# Criteria for the credibility of a subgroup effect (Sun et al., BMJ 2010;340:c117, used
# in their review of trial reports, BMJ 2012;344:e1553), in the book's words.
SUBGROUP_CREDIBILITY = [
    ("Design", "the subgroup variable was measured at baseline, not after randomisation"),
    ("Design", "the effect comes from comparisons within one trial, not between trials"),
    ("Design", "the subgroup hypothesis was stated before the analysis"),
    ("Design", "its direction was stated before the analysis"),
    ("Design", "it was one of a small number of subgroup hypotheses tested"),
    ("Analysis", "an interaction test makes chance an unlikely explanation"),
    ("Analysis", "the effect is independent of other subgroup effects"),
    ("Context", "the size of the subgroup effect is large"),
    ("Context", "the effect is consistent across related trials"),
    ("Context", "the effect is consistent across closely related outcomes of the trial"),
    ("Context", "indirect evidence (biology, mechanism) supports it"),
]

# The simulated QLQ-C30 Global Health Status model: every parameter is an illustrative
# choice, tuned to no published number. Scores run from 0 to 100 (higher is better).
QOL_MODEL = {
    "seed": 2019,
    "baseline_mean": 60.0,        # points
    "baseline_sd": 18.0,
    "slope_sd": 0.6,              # points per month, between patients (mean 0: flat on treatment)
    "visit_sd": 8.0,              # visit-to-visit noise
    "before_stop": 6.0,           # decline over the last two cycles before treatment stops
    "after_stop": 12.0,           # further decline once treatment has stopped (progression)
    "answered_on_treatment": 0.9,  # chance a questionnaire is returned at a cycle's day 1
    "answered_after_stop": 0.6,   # ... at the visits 30 and 60 days after the last dose
}
CYCLE_DAYS = 28
LAST_CYCLE = 13                   # questionnaires at cycles 1 to 13 (about one year)


def simulate_ghs(adsl, os_rows, model=None):
    """A SIMULATED QLQ-C30 Global Health Status for each randomised patient of a twin.

    One row per patient and scheduled visit up to cycle ``LAST_CYCLE`` (day 1 of each
    28-day cycle, from randomisation) while alive: ``GHS_TRUE`` is the score the model
    gives at that visit; ``GHS`` is what was collected (NaN when no questionnaire was
    returned). Questionnaires are collected on treatment and at the two visits after the
    last dose (the trial's 30- and 60-day visits), never later, as in the trial's schedule; the model's
    decline after treatment stops is therefore almost never observed. ``os_rows`` are
    overall-survival rows (``survival.endpoint(adtte, "OS")``), to stop at death.
    """
    once_each("adsl", table_with("adsl", adsl, ["USUBJID", "TRT01P", "TRTDURD"]), ["USUBJID"])
    once_each("os_rows", table_with("os_rows (from survival.endpoint)", os_rows, ["USUBJID", "AVAL", "CNSR"]),
              ["USUBJID"])
    unknown = sorted(set(model or {}) - set(QOL_MODEL))
    if unknown:
        raise ArgumentError(f"model: unknown parameter(s) {', '.join(map(repr, unknown))}; the model has "
                            f"{', '.join(QOL_MODEL)}.")
    model = {**QOL_MODEL, **(model or {})}
    for chance in ("answered_on_treatment", "answered_after_stop"):
        between(f"model[{chance!r}]", model[chance], 0, 1, closed=(True, True))
    rng = np.random.default_rng(model["seed"])
    patients = adsl[["USUBJID", "TRT01P", "TRTDURD"]].merge(
        os_rows[["USUBJID", "AVAL", "CNSR"]], on="USUBJID"
    ).sort_values("USUBJID")
    rows = []
    for patient in patients.itertuples(index=False):
        level = rng.normal(model["baseline_mean"], model["baseline_sd"])
        slope = rng.normal(0.0, model["slope_sd"])
        stop = patient.TRTDURD if np.isfinite(patient.TRTDURD) else -1.0   # never treated
        visits_after_stop = 0
        for cycle in range(1, LAST_CYCLE + 1):
            day = CYCLE_DAYS * (cycle - 1)
            noise = rng.normal(0.0, model["visit_sd"])
            answered = rng.random()
            if day > patient.AVAL:          # dead, or beyond follow-up at the cutoff
                continue
            true = level + slope * day / DAYS_PER_MONTH + noise
            true -= model["before_stop"] * min(max(0.0, 1 - (stop - day) / (2 * CYCLE_DAYS)), 1.0)
            if day > stop:
                true -= model["after_stop"]
            on_treatment = day <= stop
            visits_after_stop = 0 if on_treatment else visits_after_stop + 1
            # the first two scheduled visits after the last dose stand for the trial's
            # 30- and 60-day visits; nothing is collected after them
            chance = model["answered_on_treatment"] if on_treatment else (
                model["answered_after_stop"] if visits_after_stop <= 2 else 0.0)
            true = float(np.clip(true, 0, 100))
            rows.append({"USUBJID": patient.USUBJID, "TRT01P": patient.TRT01P, "CYCLE": cycle, "DAY": day,
                         "ON_TREATMENT": on_treatment, "GHS_TRUE": true,
                         "GHS": true if answered < chance else np.nan})
    return pd.DataFrame(rows)
