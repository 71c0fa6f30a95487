"""Safety data of the twin at the primary cutoff: adverse events (ADAE), worst
laboratory grades (ADLB), dose reductions and dose intensity (ADSL columns).

Every count of Table 4 and Table 2's dose reductions is exact. Which patients
carry an event is random, weighted towards longer time on treatment. Beyond
Table 4, the twin adds what the paper reports only as totals: fatal adverse
events (12 and 14 patients, on patients who died during or soon after
treatment), and grade 3-4 neutropenia reported as an adverse event, added until
the number of patients with any grade 3 or worse event equals the paper's (132
and 105). Per-term counts of those additions are the twin's own, not published.
"""

import numpy as np
import pandas as pd

from icaria import published

FATAL_TERMS = ("Sepsis", "Septic shock", "Respiratory failure", "Cardiac failure",
               "General physical health deterioration", "Multiple organ dysfunction syndrome", "Sudden death")
TREATMENT_RELATED_DEATHS = {"Isa-Pd": ("Sepsis",), "Pd": ("Pneumonia", "Urinary tract infection")}
FILL_TERM = "Neutropenia"


def choose(rng, candidates, how_many, weight):
    """``how_many`` of ``candidates`` without replacement, more likely with more ``weight``."""
    if how_many > len(candidates):
        raise ValueError(f"cannot choose {how_many} of {len(candidates)} patients")
    p = weight[candidates] / weight[candidates].sum()
    return list(rng.choice(candidates, size=how_many, replace=False, p=p))


def low_grades(rng, count, term):
    """Grades 1 or 2 for ``count`` events of ``term`` (infusion reactions more often grade 2)."""
    share_grade_2 = 0.7 if term == "Infusion reaction" else 0.4
    return list(np.where(rng.random(count) < share_grade_2, 2, 1))


def onset_day(rng, term, exposure_days):
    """Day of onset: an infusion reaction at an infusion (mostly the first), other events any day on treatment."""
    if term == "Infusion reaction":
        return int(rng.choice([1, 8, 15], p=[0.9, 0.06, 0.04]))
    return int(rng.integers(1, max(int(exposure_days), 1) + 1))


def arm_events(rng, patients, exposure, fatal, arm):
    """Rows (patient, term, grade, onset day) for one arm's treated patients."""
    weight = np.sqrt(np.maximum(exposure, 1.0))
    rows = []
    fatal_terms = dict(zip(fatal, assign_fatal_terms(rng, len(fatal), arm)))
    for term, by_arm in published.TABLE4_ADVERSE_EVENTS.items():
        total, grade3, grade4 = by_arm[arm]
        if total == 0:
            continue
        forced = [p for p, t in fatal_terms.items() if t == term]
        others = np.setdiff1d(np.arange(len(patients)), forced)
        chosen = forced + choose(rng, others, total - len(forced), weight)
        if grade3 is None:  # second primary malignancy: grades not published
            grades = list(rng.choice([2, 3], size=total, p=[0.5, 0.5]))
        else:
            grades = [5] * len(forced) + [4] * grade4 + [3] * grade3
            grades += low_grades(rng, total - len(grades), term)
            free = chosen[len(forced):]
            chosen = forced + list(rng.permutation(free))
        rows += [(c, term, int(g), onset_day(rng, term, exposure[c])) for c, g in zip(chosen, grades)]
    for patient, term in fatal_terms.items():
        if term not in published.TABLE4_ADVERSE_EVENTS:
            rows.append((patient, term, 5, max(1, int(exposure[patient]))))
    return rows


def assign_fatal_terms(rng, how_many, arm):
    """Terms of an arm's fatal events: the treatment-related deaths first, then drawn terms."""
    related = list(TREATMENT_RELATED_DEATHS[arm])
    return related + list(rng.choice(FATAL_TERMS, size=how_many - len(related)))


def fill_grade3(rng, rows, n_patients, target, exposure):
    """Add grade 3-4 neutropenia events until ``target`` patients have grade >= 3."""
    severe = {p for p, _, g, _ in rows if g >= 3}
    if len(severe) > target:
        raise ValueError(f"{len(severe)} patients already have grade >= 3 events; the paper has {target}")
    candidates = np.array(sorted(set(range(n_patients)) - severe))
    added = choose(rng, candidates, target - len(severe), np.sqrt(np.maximum(exposure, 1.0)))
    return rows + [(p, FILL_TERM, int(rng.choice([3, 4], p=[0.45, 0.55])), onset_day(rng, FILL_TERM, exposure[p]))
                   for p in added]


def fatal_patients(rng, latent_arm, how_many):
    """The ``how_many`` patients whose death came nearest to the end of their treatment
    (during it or soon after), nearest first."""
    death = latent_arm["DEATH_OBSERVED_DAY"].to_numpy()
    end = latent_arm["TREATMENT_END_DAY"].to_numpy()
    gap = np.where(np.isfinite(death), death - end, np.inf)
    order = np.argsort(gap, kind="stable")
    return [int(i) for i in order[:how_many]]


def adae(base, latent, exposure, rng):
    """ADAE: every treated patient's adverse events, built to Table 4's counts per arm."""
    frames = []
    for arm in published.TREATED:
        mask = ((base["TRT01P"] == arm) & (base["SAFFL"] == "Y")).to_numpy()
        patients = base.loc[mask, "USUBJID"].to_numpy()
        arm_exposure = exposure[mask]
        fatal = fatal_patients(rng, latent[mask], published.FATAL_AE[arm])
        rows = arm_events(rng, patients, arm_exposure, fatal, arm)
        rows = fill_grade3(rng, rows, len(patients), published.GRADE3_PLUS_ANY[arm], arm_exposure)
        frames.append(pd.DataFrame({
            "USUBJID": [patients[p] for p, *_ in rows], "TRT01P": arm, "AEDECOD": [t for _, t, _, _ in rows],
            "AETOXGR": [g for *_, g, _ in rows], "ASTDY": [d for *_, d in rows], "TRTEMFL": "Y",
        }))
    table = pd.concat(frames, ignore_index=True)
    table["AESER"] = serious_flags(table, rng)
    return table.sort_values(["USUBJID", "AEDECOD"], kind="stable").reset_index(drop=True)


def serious_flags(table, rng):
    """Mark each patient's worst event serious for exactly the paper's number of patients."""
    flags = np.full(len(table), "N", dtype=object)
    worst = table.sort_values("AETOXGR", ascending=False, kind="stable").groupby("USUBJID").head(1)
    for arm, target in published.SERIOUS_ANY.items():
        rows = worst[worst["TRT01P"] == arm]
        priority = rows["AETOXGR"].to_numpy() + rng.random(len(rows))
        chosen = rows.index.to_numpy()[np.argsort(-priority, kind="stable")[:target]]
        flags[chosen] = "Y"
    return flags


def adlb(base, rng):
    """ADLB: worst grades of neutropenia, thrombocytopenia and anaemia, built to Table 4's counts."""
    frames = []
    for arm in published.TREATED:
        treated = base.loc[(base["TRT01P"] == arm) & (base["SAFFL"] == "Y"), "USUBJID"].to_numpy()
        evaluable = np.sort(rng.choice(treated, size=published.TABLE4_LABORATORY["NEUT"][arm][0], replace=False))
        for paramcd, by_arm in published.TABLE4_LABORATORY.items():
            _, any_grade, grade3, grade4 = by_arm[arm]
            low = any_grade - grade3 - grade4
            grade1 = low // 2
            grades = [4] * grade4 + [3] * grade3 + [2] * (low - grade1) + [1] * grade1
            grades += [0] * (len(evaluable) - len(grades))
            frames.append(pd.DataFrame({"USUBJID": evaluable, "TRT01P": arm, "PARAMCD": paramcd,
                                        "PARAM": published.LAB_NAMES[paramcd], "ATOXGR": rng.permutation(grades)}))
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["USUBJID", "PARAMCD"], kind="stable").reset_index(drop=True)


def exposure_columns(base, exposure, rng):
    """Dose reductions (exact Table 2 counts) and relative dose intensity (%)."""
    columns = pd.DataFrame(index=base.index, data={"POMRED": "", "DEXRED": "", "RDIISA": np.nan,
                                                   "RDIPOM": np.nan, "RDIDEX": np.nan})
    for arm in published.TREATED:
        mask = ((base["TRT01P"] == arm) & (base["SAFFL"] == "Y")).to_numpy()
        index = np.flatnonzero(mask)
        weight = np.maximum(exposure[mask], 1.0)
        for column, drug in (("POMRED", "POM"), ("DEXRED", "DEX")):
            reduced = set(choose(rng, np.arange(len(index)), published.DOSE_REDUCTIONS[drug][arm], weight))
            columns.iloc[index, columns.columns.get_loc(column)] = ["Y" if i in reduced else "N"
                                                                    for i in range(len(index))]
        for drug, medians in published.RELATIVE_DOSE_INTENSITY.items():
            if arm in medians:
                columns.iloc[index, columns.columns.get_loc(f"RDI{drug}")] = np.round(
                    np.clip(rng.normal(medians[arm], 12, len(index)), 15, 130), 1)
    return columns
