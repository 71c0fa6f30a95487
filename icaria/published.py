"""Every published number the book discusses, in one registry.

Each entry says where it appears in the paper (Attal et al., Lancet
2019;394:2096-107, unless the source names another publication), how many
decimals the paper prints, and which route the book takes to its own value:
``exact`` (recomputed from published counts or design parameters) or ``twin``
(computed on the simulated patient-level data). Chapters compute their values
in the open and hand them to :func:`icaria.scorecard.show`; the scorecard
command collects them from the executed notebooks.

Published inputs that chapters compute from (Table 1 counts, the design
parameters) also live here, so each fact is written once.
"""

from dataclasses import dataclass

PAPER = "Attal et al., Lancet 2019"

# Chapter id -> (title, notebook path without suffix). Order is reading order.
CHAPTERS = {
    "trial-at-a-glance": ("The trial at a glance", "notebooks/01-trial-at-a-glance"),
}

# Trial flow (Results; ClinicalTrials.gov results record NCT02990338 for screening).
SCREENED = 387
DESIGN_PFS_EVENTS = 162
PRIMARY_CUTOFF = "2018-10-11"
RANDOMISATION_PERIOD = ("2017-01-10", "2018-02-02")

# Randomisation strata (Methods, "Randomisation").
STRATIFICATION_FACTORS = {
    "Age (years)": ("<75", ">=75"),
    "Previous lines of treatment": ("2-3", ">3"),
}

# Table 1 counts by arm, used as published inputs.
TABLE1_AGE_GROUPS = {
    "Isa-Pd": {"<65": 54, "65-74": 68, ">=75": 32},
    "Pd": {"<65": 70, "65-74": 54, ">=75": 29},
}
TABLE1_SEX = {
    "Isa-Pd": {"F": 65, "M": 89},
    "Pd": {"F": 83, "M": 70},
}


@dataclass(frozen=True)
class Published:
    """One published number and how the book checks it."""

    id: str
    chapter: str
    quantity: str
    value: float
    decimals: int
    source: str
    route: str
    tolerance: float | None = None
    inconsistent: str = ""
    note: str = ""


def _entries():
    glance = "trial-at-a-glance"
    procedures = "Methods, Procedures"
    return [
        Published("randomised_isapd", glance, "Patients randomised to Isa-Pd", 154, 0,
                  "Abstract; Results; Table 1 header", "exact",
                  note="Sum of the Isa-Pd age groups of Table 1 (<65, 65-74, >=75)."),
        Published("randomised_pd", glance, "Patients randomised to Pd", 153, 0,
                  "Abstract; Results; Table 1 header", "exact",
                  note="Sum of the Pd age groups of Table 1."),
        Published("randomised_total", glance, "Patients randomised in all", 307, 0,
                  "Abstract; Results", "exact",
                  note="Sum of the two arms."),
        Published("strata_count", glance, "Randomisation strata", 4, 0,
                  "Methods, Randomisation (two factors, two levels each)", "exact",
                  note="Product of the levels of the two stratification factors."),
        Published("cycle_length_days", glance, "Cycle length (days)", 28, 0,
                  procedures, "exact",
                  note="Days from cycle 1 day 1 to cycle 2 day 1 in the book's dosing calendar."),
        Published("isa_dose_mg_per_kg", glance, "Isatuximab dose (mg/kg)", 10, 0,
                  procedures, "exact", note="From the dosing calendar."),
        Published("isa_infusions_cycle1", glance, "Isatuximab infusions in cycle 1", 4, 0,
                  procedures + " (days 1, 8, 15, 22)", "exact",
                  note="Counted in the dosing calendar."),
        Published("isa_infusions_later_cycle", glance, "Isatuximab infusions per later cycle", 2, 0,
                  procedures + " (days 1 and 15)", "exact",
                  note="Counted in cycle 2 of the dosing calendar."),
        Published("pom_dose_mg", glance, "Pomalidomide dose (mg)", 4, 0,
                  procedures, "exact", note="From the dosing calendar."),
        Published("pom_days_per_cycle", glance, "Pomalidomide dosing days per cycle", 21, 0,
                  procedures + " (days 1-21)", "exact",
                  note="Counted in cycle 1 of the dosing calendar."),
        Published("dex_doses_per_cycle", glance, "Dexamethasone doses per cycle", 4, 0,
                  procedures + " (days 1, 8, 15, 22)", "exact",
                  note="Counted in cycle 1 of the dosing calendar."),
        Published("dex_dose_under75_mg", glance, "Dexamethasone dose under 75 years (mg)", 40, 0,
                  procedures, "exact", note="From the dosing calendar, age group <75."),
        Published("dex_dose_75plus_mg", glance, "Dexamethasone dose at 75 years or over (mg)", 20, 0,
                  procedures, "exact", note="From the dosing calendar, age group >=75."),
    ]


PUBLISHED = _entries()
BY_ID = {entry.id: entry for entry in PUBLISHED}
ROUTES = ("exact", "twin")
STATUSES = ("match", "within", "off", "paper-inconsistent")
