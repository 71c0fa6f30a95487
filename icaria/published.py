"""Every published number the book discusses, in one registry.

Each entry says where it appears in the paper (Attal et al., Lancet
2019;394:2096-107, unless the source names another publication), how many
decimals the paper prints, and the route by which the book obtains its own value
(:data:`ROUTES`):

- ``exact``: recomputed from counts and design parameters printed in the paper;
- ``built``: a count the simulated twin was constructed to contain (tolerance 0),
  so its agreement shows only that the generator works;
- ``calibrated``: a statistic of the twin tuned to the paper, within a tolerance;
- ``emergent``: a statistic of the twin that was neither built nor tuned (an
  interval, a quartile, a secondary analysis), shown with its difference as a
  measure of how far the model carries.

An entry's ``basis`` is ``exact`` or ``twin``; for a twin entry the tolerance
decides the route (0: built; a number: calibrated; None: emergent). Where the paper
contradicts itself, ``inconsistent`` explains and ``expected`` holds what the
paper's own counts give, which the book's value must equal. Chapters compute their
values in the open and hand them to :func:`icaria.scorecard.show`; the scorecard
command collects them from the executed notebooks.

Published inputs that chapters compute from (Table 1 counts, the design
parameters) also live here, so each fact is written once.
"""

from dataclasses import dataclass, replace
from functools import partial

# Days in a month, the convention of SAS and of the paper's month figures (365.25 / 12).
DAYS_PER_MONTH = 30.4375

# Chapter id -> title, in reading order. A chapter's id is its page's name: the book
# shows it as notebooks/<id> (tests/test_scorecard.py checks them against the numbered
# parts of _toc.yml). The appendix notebooks/93-how-the-twin-was-built, in the
# unnumbered part "How the numbers were checked", prints no published number.
CHAPTERS = {
    "01-trial-at-a-glance": "The trial at a glance",
    "03-sample-size-and-interim-looks": "Sample size, power and interim looks",
    "04-randomisation": "Randomisation",
    "05-endpoints-and-censoring": "Endpoints and censoring",
    "06-who-was-in-the-trial": "Who was in the trial",
    "07-progression-free-survival": "Progression-free survival: the primary analysis",
    "08-response": "Response",
    "09-overall-survival": "Overall survival: an immature result and its later cut",
    "11-treatment-switching": "Treatment switching: daratumumab and IPCW",
    "10-safety": "Safety",
    "12-multiplicity-and-monitoring": "Multiplicity and monitoring",
    "13-estimands-and-bias": "Estimands, non-proportional hazards and bias",
    "14-regulators-and-reporting": "Regulators, quality of life and reporting",
    "90-checks-pfs": "How the PFS numbers were checked",
    "93-how-the-twin-was-built": "How the twin was built",
}


def chapter_page(chapter):
    """The book's page of a chapter id (a Sphinx docname)."""
    return f"notebooks/{chapter}"


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

# The rest of Table 1, as counts per arm and category. Categories of one
# characteristic add up to the arm size; "Missing"/"Unknown" fill any gap the
# paper leaves (ISS at entry: 151 and 150 printed; eGFR: 142 and 145 assessed).
TABLE1_CATEGORIES = {
    "EGFRGR1": {"Isa-Pd": {"<30": 1, "30-<60": 54, ">=60": 87, "Missing": 12},
                "Pd": {"<30": 1, "30-<60": 48, ">=60": 96, "Missing": 8}},
    "ASTHCOPD": {"Isa-Pd": {"Y": 16, "N": 138}, "Pd": {"Y": 17, "N": 136}},
    "PRIORASCT": {"Isa-Pd": {"Y": 83, "N": 71}, "Pd": {"Y": 90, "N": 63}},
    "MMTYPE": {"Isa-Pd": {"IgA": 34, "IgG": 102, "Light chain": 15, "Other": 3},
               "Pd": {"IgA": 41, "IgG": 100, "Light chain": 11, "Other": 1}},
    "ISSDIAG": {"Isa-Pd": {"I": 36, "II": 49, "III": 42, "Unknown": 27},
                "Pd": {"I": 41, "II": 48, "III": 44, "Unknown": 20}},
    "ISSENTRY": {"Isa-Pd": {"I": 64, "II": 53, "III": 34, "Unknown": 3},
                 "Pd": {"I": 51, "II": 56, "III": 43, "Unknown": 3}},
    "CYTORISK": {"Isa-Pd": {"High": 24, "Standard": 103, "Missing": 27},
                 "Pd": {"High": 36, "Standard": 78, "Missing": 39}},
    "PRIORALK": {"Isa-Pd": {"Y": 139, "N": 15}, "Pd": {"Y": 148, "N": 5}},
}
# Row labels of Table 1, by adsl column (categories are the adsl codes).
TABLE1_LABELS = {
    "AGEGR1": "Age group (years)", "SEX": "Sex", "EGFRGR1": "eGFR (mL/min per 1.73 m²)",
    "ASTHCOPD": "History of asthma or COPD", "PRIORASCT": "Previous autologous transplant",
    "MMTYPE": "Myeloma type at diagnosis", "ISSDIAG": "ISS stage at diagnosis", "ISSENTRY": "ISS stage at study entry",
    "CYTORISK": "Cytogenetic risk", "PRIORALK": "Previous alkylating agent",
    "REFLAST": "Refractory to the last line", "REFIMID": "Refractory to an immunomodulatory drug",
    "REFLEN": "Refractory to lenalidomide", "REFPI": "Refractory to a proteasome inhibitor",
    "REFLENPI": "Refractory to lenalidomide and a proteasome inhibitor",
    "REFLENLST": "Refractory to lenalidomide at the last line",
}
# Categories the paper does not print (they fill the gap to the arm size).
UNPRINTED_CATEGORIES = ("Missing", "Unknown")
# Refractory categories of Table 1 (counts of "Y" per arm).
TABLE1_REFRACTORY = {
    "REFLAST": {"Isa-Pd": 150, "Pd": 151},
    "REFIMID": {"Isa-Pd": 147, "Pd": 144},
    "REFLEN": {"Isa-Pd": 144, "Pd": 140},
    "REFPI": {"Isa-Pd": 118, "Pd": 115},
    "REFLENPI": {"Isa-Pd": 111, "Pd": 107},
    "REFLENLST": {"Isa-Pd": 93, "Pd": 88},
}
TABLE1_MEDIANS = {  # median (IQR)
    "AGE": {"Isa-Pd": (68, 60, 74), "Pd": (66, 59, 71)},
    "YRSDIAG": {"Isa-Pd": (4.46, 2.6, 7.2), "Pd": (4.09, 2.9, 7.0)},
    "PRIORLINES": {"Isa-Pd": (3, 2, 4), "Pd": (3, 2, 4)},
}
AGE_RANGE = (36, 86)  # whole trial (EHA 2019 abstract)
PRIOR_LINES_RANGE = {"Isa-Pd": (2, 11), "Pd": (2, 10)}
# Previous lines 2-3 vs >3 per arm (Results: response by previous lines, 102 + 52 and 101 + 52).
PREVIOUS_LINES_GROUPS = {"Isa-Pd": {"2-3": 102, ">3": 52}, "Pd": {"2-3": 101, ">3": 52}}
PREVIOUS_DARATUMUMAB = {"Isa-Pd": 1, "Pd": 0}

# Populations and disposition at the primary cutoff (Results, Figure 1, Tables 2 and 4).
ARMS = ("Isa-Pd", "Pd")   # experimental arm first, as in the paper's tables
BLOCK = ("Isa-Pd", "Isa-Pd", "Pd", "Pd")   # one permuted block of four, allocation 1:1
RANDOMISED = {"Isa-Pd": 154, "Pd": 153}
TREATED = {"Isa-Pd": 152, "Pd": 149}
ONGOING_AT_CUTOFF = {"Isa-Pd": 65, "Pd": 35}
DISCONTINUED_FOR_PD = {"Isa-Pd": 66, "Pd": 88}
# Figure 1's footnote counts a patient as without recent contact when more than 8 weeks
# separate the last contact from the cutoff; visits are on days 1 and 15 of every cycle.
NO_RECENT_CONTACT_DAYS = 8 * 7
# Methods: safety assessments at 30 and 60 days after the last administration; adverse
# events are treatment-emergent up to the first of these visits.
SAFETY_FOLLOW_UP_DAYS = 30

# Table 2: dose reductions (treated patients).
DOSE_REDUCTIONS = {"POM": {"Isa-Pd": 65, "Pd": 36}, "DEX": {"Isa-Pd": 50, "Pd": 38}}
RELATIVE_DOSE_INTENSITY = {"ISA": {"Isa-Pd": 92.3}, "POM": {"Isa-Pd": 85.1, "Pd": 93.3},
                           "DEX": {"Isa-Pd": 87.8, "Pd": 96.3}}  # medians (%)
TREATMENT_WEEKS = {"Isa-Pd": (41.0, 19.1, 52.3), "Pd": (24.0, 11.1, 48.0)}  # median (IQR)

# Table 3: best overall response by the IRC. The paper's Pd column adds up to 152,
# not 153; the twin gives the missing patient "not evaluable" (16 -> 17), which keeps
# every printed percentage and the 54 responders unchanged.
BEST_RESPONSE_ORDER = ("sCR", "CR", "VGPR", "PR", "MR", "SD", "NPD", "PD", "UPD", "NE")
TABLE3_BEST_RESPONSE = {
    "Isa-Pd": {"sCR": 0, "CR": 7, "VGPR": 42, "PR": 44, "MR": 10, "SD": 33, "NPD": 4, "PD": 6, "UPD": 1, "NE": 7},
    "Pd": {"sCR": 1, "CR": 2, "VGPR": 10, "PR": 41, "MR": 17, "SD": 45, "NPD": 2, "PD": 14, "UPD": 4, "NE": 16},
}
TWIN_NE_ADDED = {"Isa-Pd": 0, "Pd": 1}
# Percentages as Tables 1 and 3 print them ("<1" where the paper prints "<1%"). Their
# counts are the ones above; denominators are the arm sizes, except eGFR (patients
# assessed). ("EGFRGR1", "<60") is the paper's combined row of "<30" and "30-<60".
TABLE1_PRINTED_PERCENT = {
    ("AGEGR1", "<65"): {"Isa-Pd": 35, "Pd": 46}, ("AGEGR1", "65-74"): {"Isa-Pd": 44, "Pd": 35},
    ("AGEGR1", ">=75"): {"Isa-Pd": 21, "Pd": 19},
    ("SEX", "F"): {"Isa-Pd": 42, "Pd": 54}, ("SEX", "M"): {"Isa-Pd": 58, "Pd": 46},
    ("ASTHCOPD", "Y"): {"Isa-Pd": 10, "Pd": 11},
    ("EGFRGR1", "<60"): {"Isa-Pd": 39, "Pd": 34}, ("EGFRGR1", "30-<60"): {"Isa-Pd": 38, "Pd": 33},
    ("PRIORASCT", "Y"): {"Isa-Pd": 54, "Pd": 59},
    ("MMTYPE", "IgA"): {"Isa-Pd": 22, "Pd": 27}, ("MMTYPE", "IgG"): {"Isa-Pd": 66, "Pd": 65},
    ("MMTYPE", "Light chain"): {"Isa-Pd": 10, "Pd": 7}, ("MMTYPE", "Other"): {"Isa-Pd": "<1", "Pd": "<1"},
    ("ISSDIAG", "I"): {"Isa-Pd": 23, "Pd": 27}, ("ISSDIAG", "II"): {"Isa-Pd": 32, "Pd": 31},
    ("ISSDIAG", "III"): {"Isa-Pd": 27, "Pd": 29}, ("ISSDIAG", "Unknown"): {"Isa-Pd": 18, "Pd": 13},
    ("ISSENTRY", "I"): {"Isa-Pd": 42, "Pd": 33}, ("ISSENTRY", "II"): {"Isa-Pd": 34, "Pd": 37},
    ("ISSENTRY", "III"): {"Isa-Pd": 22, "Pd": 28},
    ("CYTORISK", "High"): {"Isa-Pd": 16, "Pd": 24}, ("CYTORISK", "Standard"): {"Isa-Pd": 67, "Pd": 51},
    ("CYTORISK", "Missing"): {"Isa-Pd": 18, "Pd": 26},
    ("PRIORALK", "Y"): {"Isa-Pd": 90, "Pd": 97},
    ("REFLAST", "Y"): {"Isa-Pd": 97, "Pd": 99}, ("REFIMID", "Y"): {"Isa-Pd": 96, "Pd": 94},
    ("REFLEN", "Y"): {"Isa-Pd": 94, "Pd": 92}, ("REFPI", "Y"): {"Isa-Pd": 77, "Pd": 75},
    ("REFLENPI", "Y"): {"Isa-Pd": 72, "Pd": 70}, ("REFLENLST", "Y"): {"Isa-Pd": 60, "Pd": 58},
}
TABLE3_PRINTED_PERCENT = {
    "CR": {"Isa-Pd": 5, "Pd": 1}, "sCR": {"Pd": "<1"}, "VGPR": {"Isa-Pd": 27, "Pd": 7},
    "PR": {"Isa-Pd": 29, "Pd": 27}, "MR": {"Isa-Pd": 7, "Pd": 11}, "SD": {"Isa-Pd": 21, "Pd": 29},
    "NPD": {"Isa-Pd": 3, "Pd": 2}, "PD": {"Isa-Pd": 4, "Pd": 9}, "UPD": {"Isa-Pd": "<1", "Pd": 3},
    "NE": {"Isa-Pd": 5, "Pd": 11},
}
# Investigator-assessed response (Results): responders and VGPR or better.
INVESTIGATOR_RESPONSE = {"Isa-Pd": {"responders": 97, "vgpr_or_better": 52},
                         "Pd": {"responders": 49, "vgpr_or_better": 11}}
MRD_NEGATIVE = {"Isa-Pd": 8, "Pd": 0}
# Overall response by previous lines (Results): responders / patients.
RESPONSE_BY_LINES = {"2-3": {"Isa-Pd": (58, 102), "Pd": (39, 101)}, ">3": {"Isa-Pd": (35, 52), "Pd": (15, 52)}}
# Overall survival at the interim (Results).
INTERIM_OS = {"hr": 0.687, "low": 0.461, "high": 1.023, "p_one_sided": 0.0631}
IPCW_OS = {"hr": 0.708, "low": 0.451, "high": 1.111}

# Table 4: treatment-emergent adverse events, patients by worst grade (safety population).
TABLE4_ADVERSE_EVENTS = {  # term: {arm: (all grades, grade 3, grade 4)}
    "Infusion reaction": {"Isa-Pd": (56, 2, 2), "Pd": (0, 0, 0)},
    "Upper respiratory tract infection": {"Isa-Pd": (43, 5, 0), "Pd": (26, 1, 0)},
    "Diarrhoea": {"Isa-Pd": (39, 3, 0), "Pd": (29, 1, 0)},
    "Bronchitis": {"Isa-Pd": (36, 5, 0), "Pd": (13, 1, 0)},
    "Pneumonia": {"Isa-Pd": (31, 23, 2), "Pd": (26, 20, 2)},
    "Fatigue": {"Isa-Pd": (26, 6, 0), "Pd": (32, 0, 0)},
    "Back pain": {"Isa-Pd": (25, 3, 0), "Pd": (22, 2, 0)},
    "Constipation": {"Isa-Pd": (24, 0, 0), "Pd": (26, 0, 0)},
    "Asthenia": {"Isa-Pd": (23, 5, 0), "Pd": (27, 4, 0)},
    "Dyspnoea": {"Isa-Pd": (23, 6, 0), "Pd": (15, 2, 0)},
    "Nausea": {"Isa-Pd": (23, 0, 0), "Pd": (14, 0, 0)},
    "Second primary malignancy": {"Isa-Pd": (6, None, None), "Pd": (1, None, None)},
}
# Haematological laboratory abnormalities, worst grade in evaluable patients.
TABLE4_LABORATORY = {  # PARAMCD: {arm: (evaluable, all grades, grade 3, grade 4)}
    "NEUT": {"Isa-Pd": (152, 146, 37, 92), "Pd": (147, 137, 57, 46)},
    "PLAT": {"Isa-Pd": (152, 127, 22, 25), "Pd": (147, 118, 14, 22)},
    "HGB": {"Isa-Pd": (152, 151, 48, 0), "Pd": (147, 145, 41, 0)},
}
LAB_NAMES = {"NEUT": "Neutropenia", "PLAT": "Thrombocytopenia", "HGB": "Anaemia"}
# Their percentages as printed, of the evaluable: (all grades, grade 3, grade 4); None
# where the paper prints 0 without a percentage.
TABLE4_LABORATORY_PRINTED_PERCENT = {
    "NEUT": {"Isa-Pd": (96, 24, 61), "Pd": (93, 39, 31)},
    "PLAT": {"Isa-Pd": (84, 15, 16), "Pd": (80, 10, 15)},
    "HGB": {"Isa-Pd": (99, 32, None), "Pd": (99, 28, None)},
}
# Table 4 percentages of the all-grades column as printed (of 152 and 149 treated).
TABLE4_PRINTED_PERCENT = {
    "Infusion reaction": {"Isa-Pd": 38}, "Upper respiratory tract infection": {"Isa-Pd": 28, "Pd": 17},
    "Diarrhoea": {"Isa-Pd": 26, "Pd": 20}, "Bronchitis": {"Isa-Pd": 24, "Pd": 9},
    "Pneumonia": {"Isa-Pd": 20, "Pd": 17}, "Fatigue": {"Isa-Pd": 17, "Pd": 22}, "Back pain": {"Isa-Pd": 16, "Pd": 15},
    "Constipation": {"Isa-Pd": 16, "Pd": 17}, "Asthenia": {"Isa-Pd": 15, "Pd": 18},
    "Dyspnoea": {"Isa-Pd": 15, "Pd": 10}, "Nausea": {"Isa-Pd": 15, "Pd": 9},
    "Second primary malignancy": {"Isa-Pd": 4},
}
# Where a printed percentage does not follow from its count and the safety population.
# Safety text of the Results.
GRADE3_PLUS_ANY = {"Isa-Pd": 132, "Pd": 105}
SERIOUS_ANY = {"Isa-Pd": 94, "Pd": 80}
# Granulocyte-colony stimulating factor use (Results, safety): patients and printed %.
GCSF_USE = {"Isa-Pd": (105, 69), "Pd": (79, 53)}
FATAL_AE = {"Isa-Pd": 12, "Pd": 14}
SAE_RATE_PER_PATIENT_YEAR = {"Isa-Pd": 1.36, "Pd": 1.30}

# OS deaths at the primary cutoff (Results).
INTERIM_DEATHS = {"Isa-Pd": 43, "Pd": 56}

# Key dates (Results; final OS: Richardson et al., Haematologica 2024; second
# interim OS: Richardson et al., Lancet Oncol 2022).
FINAL_OS_CUTOFF = "2022-01-27"
SECOND_INTERIM_CUTOFF = "2020-10-01"
FINAL_OS_DEATHS = {"Isa-Pd": 106, "Pd": 114}
SUBSEQUENT_THERAPY_DATE = "2018-11-22"
SUBSEQUENT_THERAPY = {"Isa-Pd": 60, "Pd": 83}
SUBSEQUENT_DARATUMUMAB = {"Isa-Pd": 6, "Pd": 45}
# By the final OS cut: daratumumab among patients with further therapy (final OS abstract,
# REGULATORY_SOURCES["final_abstract"]): (with daratumumab, with further therapy).
FINAL_SUBSEQUENT_DARATUMUMAB = {"Isa-Pd": (23, 102), "Pd": (71, 119)}


@dataclass(frozen=True)
class Published:
    """One published number and how the book checks it."""

    id: str
    chapter: str
    quantity: str
    value: float
    decimals: int
    source: str
    basis: str  # "exact" or "twin"
    tolerance: float | None = None
    inconsistent: str = ""
    note: str = ""
    expected: float | None = None  # with ``inconsistent``: what the paper's own counts give
    below: bool = False  # the paper prints "<value" (as in "<1%")
    section: str = ""  # where in its chapter a calibration target is shown

    @property
    def route(self):
        """``exact``, ``built``, ``calibrated`` or ``emergent`` (see the module's text)."""
        if self.basis == "exact":
            return "exact"
        if self.tolerance is None:
            return "emergent"
        return "built" if self.tolerance == 0 else "calibrated"


def _entries():
    glance = "01-trial-at-a-glance"
    procedures = "Methods, Procedures"
    return [
        Published(id="randomised_isapd", chapter=glance, quantity="Patients randomised to Isa-Pd", value=154,
            decimals=0, source="Abstract; Results; Table 1 header", basis="exact",
            note="Sum of the Isa-Pd age groups of Table 1 (<65, 65-74, >=75)."),
        Published(id="randomised_pd", chapter=glance, quantity="Patients randomised to Pd", value=153, decimals=0,
            source="Abstract; Results; Table 1 header", basis="exact", note="Sum of the Pd age groups of Table 1."),
        Published(id="randomised_total", chapter=glance, quantity="Patients randomised in all", value=307, decimals=0,
            source="Abstract; Results", basis="exact", note="Sum of the two arms."),
        Published(id="strata_count", chapter=glance, quantity="Randomisation strata", value=4, decimals=0,
            source="Methods, Randomisation (two factors, two levels each)", basis="exact",
            note="Product of the levels of the two stratification factors."),
        Published(id="cycle_length_days", chapter=glance, quantity="Cycle length (days)", value=28, decimals=0,
            source=procedures, basis="exact",
            note="Days from cycle 1 day 1 to cycle 2 day 1 in the book's dosing calendar."),
        Published(id="isa_dose_mg_per_kg", chapter=glance, quantity="Isatuximab dose (mg/kg)", value=10, decimals=0,
            source=procedures, basis="exact", note="From the dosing calendar."),
        Published(id="isa_infusions_cycle1", chapter=glance, quantity="Isatuximab infusions in cycle 1", value=4,
            decimals=0, source=procedures + " (days 1, 8, 15, 22)", basis="exact",
            note="Counted in the dosing calendar."),
        Published(id="isa_infusions_later_cycle", chapter=glance, quantity="Isatuximab infusions per later cycle",
            value=2, decimals=0, source=procedures + " (days 1 and 15)", basis="exact",
            note="Counted in cycle 2 of the dosing calendar."),
        Published(id="pom_dose_mg", chapter=glance, quantity="Pomalidomide dose (mg)", value=4, decimals=0,
            source=procedures, basis="exact", note="From the dosing calendar."),
        Published(id="pom_days_per_cycle", chapter=glance, quantity="Pomalidomide dosing days per cycle", value=21,
            decimals=0, source=procedures + " (days 1-21)", basis="exact",
            note="Counted in cycle 1 of the dosing calendar."),
        Published(id="dex_doses_per_cycle", chapter=glance, quantity="Dexamethasone doses per cycle", value=4,
            decimals=0, source=procedures + " (days 1, 8, 15, 22)", basis="exact",
            note="Counted in cycle 1 of the dosing calendar."),
        Published(id="dex_dose_under75_mg", chapter=glance, quantity="Dexamethasone dose under 75 years (mg)",
            value=40, decimals=0, source=procedures, basis="exact", note="From the dosing calendar, age group <75."),
        Published(id="dex_dose_75plus_mg", chapter=glance, quantity="Dexamethasone dose at 75 years or over (mg)",
            value=20, decimals=0, source=procedures, basis="exact", note="From the dosing calendar, age group >=75."),
        Published(id="randomisation_block_size", chapter="04-randomisation",
            quantity="Block size of the randomisation", value=4, decimals=0, source="Methods, Randomisation",
            basis="twin", tolerance=0, note="Largest block in the twin's allocation list (simulated)."),
        Published(id="randomisation_ratio", chapter="04-randomisation",
            quantity="Allocation ratio Isa-Pd : Pd within complete blocks", value=1, decimals=0,
            source="Methods, Randomisation (1:1)", basis="twin", tolerance=0,
            note="Isa-Pd over Pd assignments in the complete blocks of the twin's list (simulated)."),
    ] + (
        _design_entries()
        + _endpoint_entries()
        + _population_entries()
        + _table1_percent_entries()
        + _safety_entries()
        + _response_entries()
        + _table3_percent_entries()
        + _survival_entries()
        + _reporting_entries()
        + _multiplicity_entries()
    )


def _design_entries():
    """Design figures of the Statistical analysis section, recomputed exactly."""
    chapter = "03-sample-size-and-interim-looks"
    methods = "Methods, Statistical analysis"
    entries = [
        Published(id="design_pfs_events", chapter=chapter,
            quantity="PFS events needed (HR 0.6, one-sided alpha 0.025, power 90%)", value=162, decimals=0,
            source=methods, basis="exact", note="Schoenfeld formula, rounded up."),
        Published(id="design_pfs_power", chapter=chapter, quantity="Power of the PFS analysis", value=0.90,
            decimals=2, source=methods, basis="exact",
            note="Power of a log-rank test with 162 events for HR 0.6 at one-sided alpha 0.025."),
        Published(id="design_pfs_hazard_ratio", chapter=chapter, quantity="PFS hazard ratio the design detects",
            value=0.6, decimals=1, source=methods, basis="exact",
            note="Hazard ratio that 162 events detect with 90% power at one-sided alpha 0.025."),
        Published(id="design_os_deaths", chapter=chapter,
            quantity="Deaths needed for OS (HR 0.685, one-sided alpha 0.025, power 80%)", value=220, decimals=0,
            source=methods, basis="exact", note="Schoenfeld formula, rounded up."),
        Published(id="design_os_power", chapter=chapter, quantity="Power of the OS analysis", value=0.80, decimals=2,
            source=methods, basis="exact", note="Power of a log-rank test with 220 deaths for HR 0.685."),
        Published(id="design_os_hazard_ratio", chapter=chapter, quantity="OS hazard ratio the design detects",
            value=0.685, decimals=3, source=methods, basis="exact",
            note="Hazard ratio that 220 deaths detect with 80% power."),
        Published(id="design_interim_deaths", chapter=chapter, quantity="Deaths at the OS interim (PFS cutoff)",
            value=99, decimals=0, source="Results", basis="exact",
            note="Sum of the deaths per arm printed in the Results (43 + 56)."),
        Published(id="design_interim_fraction", chapter=chapter, quantity="Information fraction of the OS interim",
            value=0.45, decimals=2, source="Results", basis="exact", note="99 deaths of the 220 planned."),
        Published(id="design_interim_boundary", chapter=chapter,
            quantity="One-sided nominal boundary at the OS interim", value=0.0008, decimals=4, source="Results",
            basis="exact", note="Lan-DeMets O'Brien-Fleming-type spending at information fraction 99/220 "
            "(the paper names no function; this one fits its 0.0008)."),
    ]
    return entries


def _endpoint_entries():
    """Later data cuts, read with the twin's time machine (chapter on endpoints)."""
    chapter = "05-endpoints-and-censoring"
    return [
        Published(id="final_os_deaths_total", chapter=chapter, quantity="Deaths at the final OS cutoff, both arms",
            value=220, decimals=0, source="Richardson et al., Haematologica 2024 (106 + 114)", basis="exact",
            note="Sum of the published deaths per arm; equals the 220 deaths the design planned."),
        Published(
            id="followup_second_interim",
            chapter=chapter,
            quantity="Median follow-up at the second OS interim, 1 Oct 2020 (months)",
            value=35.3,
            decimals=1,
            source="Richardson et al., Lancet Oncol 2022",
            basis="twin",
            tolerance=2.0,
            note="Reverse Kaplan-Meier on the twin cut at 1 Oct 2020; not a calibration target, a check "
            "of the twin's accrual and follow-up (simulated).",
        ),
        Published(id="followup_final", chapter=chapter,
            quantity="Median follow-up at the final OS cutoff, 27 Jan 2022 (months)", value=52.4, decimals=1,
            source="Richardson et al., Haematologica 2024", basis="twin", tolerance=2.0,
            note="Reverse Kaplan-Meier on the twin cut at 27 Jan 2022; not a calibration target (simulated)."),
    ]


def slug(text):
    """A registry id part made of letters, digits and underscores."""
    for old, new in (("<", "lt"), (">=", "ge"), (">", "gt"), ("-", "_"), (" ", "_"), ("Isa_Pd", "isapd")):
        text = text.replace(old, new)
    return text.lower()


def table1_id(column, category, arm):
    """Registry id of a Table 1 count."""
    return f"table1_{slug(column)}_{slug(category)}_{slug(arm)}"


def table1_count(column, category, arm):
    """A Table 1 count from the counts above (the paper's combined eGFR "<60" row included)."""
    if (column, category) == ("EGFRGR1", "<60"):
        return sum(table1_count(column, part, arm) for part in ("<30", "30-<60"))
    if column in TABLE1_REFRACTORY:
        return TABLE1_REFRACTORY[column][arm]
    return {"AGEGR1": TABLE1_AGE_GROUPS, "SEX": TABLE1_SEX, **TABLE1_CATEGORIES}[column][arm][category]


def table1_denominator(column, arm):
    """Patients a Table 1 percentage is of: the arm, or for eGFR those assessed."""
    arm_size = RANDOMISED[arm]
    return arm_size - TABLE1_CATEGORIES["EGFRGR1"][arm]["Missing"] if column == "EGFRGR1" else arm_size


def _printed_percent_entry(key, chapter, quantity, printed, source, note):
    below = printed == "<1"
    return Published(id=key, chapter=chapter, quantity=quantity, value=1 if below else printed, decimals=0,
               source=source, basis="exact", note=note, below=below)


def _table1_percent_entries():
    rows = []
    for (column, category), by_arm in TABLE1_PRINTED_PERCENT.items():
        label = TABLE1_LABELS.get(column, column)
        for arm, printed in by_arm.items():
            count, of = table1_count(column, category, arm), table1_denominator(column, arm)
            rows.append(
                _printed_percent_entry(key=f"table1_percent_{slug(column)}_{slug(category)}_{slug(arm)}",
                    chapter="06-who-was-in-the-trial", quantity=f"{label}: {category} (%), {arm}", printed=printed,
                    source="Table 1", note=f"{count} of {of}.")
            )
    return rows


def _table3_percent_entries():
    return [
        _printed_percent_entry(key=f"table3_percent_{slug(category)}_{slug(arm)}", chapter="08-response",
            quantity=f"Best response {category} (%), {arm}", printed=printed, source="Table 3",
            note=f"{TABLE3_BEST_RESPONSE[arm][category]} of {RANDOMISED[arm]}.")
        for category, by_arm in TABLE3_PRINTED_PERCENT.items()
        for arm, printed in by_arm.items()
    ]


def _population_entries():
    """Table 1, Table 2 and the population counts of the Results (chapter "Who was in the trial")."""
    chapter = "06-who-was-in-the-trial"
    twin_note = "Counted in the twin's adsl (simulated; exact by construction)."
    rows = []
    categories = {"AGEGR1": TABLE1_AGE_GROUPS, "SEX": TABLE1_SEX, **TABLE1_CATEGORIES}
    for column, by_arm in categories.items():
        for arm, counts in by_arm.items():
            for category, count in counts.items():
                if category not in UNPRINTED_CATEGORIES:
                    rows.append(
                        Published(id=table1_id(column, category, arm), chapter=chapter,
                            quantity=f"{TABLE1_LABELS[column]}: {category}, {arm}", value=count, decimals=0,
                            source="Table 1", basis="twin", tolerance=0, note=twin_note)
                    )
    for column, by_arm in TABLE1_REFRACTORY.items():
        for arm, count in by_arm.items():
            rows.append(
                Published(id=table1_id(column, "Y", arm), chapter=chapter, quantity=f"{TABLE1_LABELS[column]}, {arm}",
                    value=count, decimals=0, source="Table 1", basis="twin", tolerance=0, note=twin_note)
            )
    for arm, count in TREATED.items():
        rows.append(
            Published(id=f"treated_{slug(arm)}", chapter=chapter,
                quantity=f"Patients treated (safety population), {arm}", value=count, decimals=0,
                source="Figure 1; Tables 2 and 4", basis="twin", tolerance=0, note=twin_note)
        )
    for drug, name in (("POM", "pomalidomide"), ("DEX", "dexamethasone")):
        for arm, count in DOSE_REDUCTIONS[drug].items():
            rows.append(
                Published(id=f"table2_{drug.lower()}_reduced_{slug(arm)}", chapter=chapter,
                    quantity=f"Patients with a {name} dose reduction, {arm}", value=count, decimals=0,
                    source="Table 2", basis="twin", tolerance=0, note=twin_note)
            )
    for arm, (median, _, _) in TABLE1_MEDIANS["AGE"].items():
        rows.append(
            Published(id=f"table1_age_median_{slug(arm)}", chapter=chapter, quantity=f"Median age (years), {arm}",
                value=median, decimals=0, source="Table 1", basis="twin", tolerance=1.0,
                note="Median of the twin's ages (simulated).")
        )
    for arm, (median, _, _) in TABLE1_MEDIANS["PRIORLINES"].items():
        rows.append(
            Published(id=f"table1_lines_median_{slug(arm)}", chapter=chapter,
                quantity=f"Median previous lines, {arm}", value=median, decimals=0, source="Table 1", basis="twin",
                tolerance=0, note="Median of the twin's previous lines (simulated).")
        )
    text = "Results, patient characteristics"
    exact_note = "Sum over both arms of the Table 1 counts; percentage of {}."
    rows += [
        Published(id="refractory_lenalidomide_total", chapter=chapter,
            quantity="Refractory to lenalidomide, both arms", value=284, decimals=0, source=text, basis="exact",
            note=exact_note.format("307")),
        Published(id="refractory_lenalidomide_percent", chapter=chapter, quantity="Refractory to lenalidomide (%)",
            value=93, decimals=0, source=text, basis="exact", note=exact_note.format("307")),
        Published(id="refractory_lenalidomide_last_total", chapter=chapter,
            quantity="Refractory to lenalidomide at the last line, both arms", value=181, decimals=0, source=text,
            basis="exact", note=exact_note.format("307")),
        Published(id="refractory_lenalidomide_last_percent", chapter=chapter,
            quantity="Refractory to lenalidomide at the last line (%)", value=59, decimals=0, source=text,
            basis="exact", note=exact_note.format("307")),
        Published(id="refractory_pi_total", chapter=chapter,
            quantity="Refractory to a proteasome inhibitor, both arms", value=233, decimals=0, source=text,
            basis="exact", note=exact_note.format("307")),
        Published(id="refractory_pi_percent", chapter=chapter, quantity="Refractory to a proteasome inhibitor (%)",
            value=76, decimals=0, source=text, basis="exact", note=exact_note.format("307")),
        Published(id="high_risk_total", chapter=chapter, quantity="High-risk cytogenetics, both arms", value=60,
            decimals=0, source=text, basis="exact", note=exact_note.format("307")),
        Published(id="high_risk_percent", chapter=chapter, quantity="High-risk cytogenetics (%)", value=20,
            decimals=0, source=text, basis="exact",
            note=exact_note.format("307 (all randomised, although 66 had no result)")),
        Published(id="renal_impairment_total", chapter=chapter, quantity="eGFR below 60, both arms", value=104,
            decimals=0, source=text, basis="exact",
            note=exact_note.format("the 287 patients with an eGFR (142 + 145)")),
        Published(id="renal_impairment_percent", chapter=chapter, quantity="eGFR below 60 (%)", value=36, decimals=0,
            source=text, basis="exact", note=exact_note.format("the 287 patients with an eGFR (142 + 145)")),
    ]
    return rows


def _table4_entries(table, labels, key, quantity, note, names=None, **fields):
    """Entries of a block of Table 4 (``{row: {arm: values}}``): one per row, arm and
    column ``labels``, none where the value is None (not printed). ``key`` and
    ``quantity`` are formats of ``row``, ``label`` and ``arm`` (slugs in ``key``; the
    row's display name from ``names`` in ``quantity``); ``note(row, arm)``."""
    names = names or {}
    return [Published(id=key.format(row=slug(row), label=slug(label), arm=slug(arm)), chapter="10-safety",
                      quantity=quantity.format(row=names.get(row, row), label=label, arm=arm), value=value,
                      decimals=0, source="Table 4", note=note(row, arm), **fields)
            for row, by_arm in table.items() for arm, values in by_arm.items()
            for label, value in zip(labels, values) if value is not None]


def _safety_entries():
    """Table 4 and the safety text (chapter "Safety")."""
    chapter = "10-safety"
    twin_note = "Counted in the twin's adae/adlb (simulated; exact by construction)."
    rows = _table4_entries(TABLE4_ADVERSE_EVENTS, ("all grades", "grade 3", "grade 4"), "table4_{row}_{label}_{arm}",
                           "{row}, {label}, {arm}", basis="twin", tolerance=0, note=lambda row, arm: twin_note)
    rows += _table4_entries(TABLE4_LABORATORY, ("evaluable", "all grades", "grade 3", "grade 4"),
                            "table4_{row}_{label}_{arm}", "{row}, {label}, {arm}", names=LAB_NAMES, basis="twin",
                            tolerance=0, note=lambda row, arm: twin_note)
    for key, label, counts in (
        ("grade3_any", "Patients with a grade 3 or higher event", GRADE3_PLUS_ANY),
        ("serious_any", "Patients with a serious event", SERIOUS_ANY),
        ("fatal_any", "Patients with a fatal event", FATAL_AE),
    ):
        for arm, count in counts.items():
            rows.append(
                Published(id=f"{key}_{slug(arm)}", chapter=chapter, quantity=f"{label}, {arm}", value=count,
                    decimals=0, source="Results, safety", basis="twin", tolerance=0, note=twin_note)
            )
    for term, by_arm in TABLE4_PRINTED_PERCENT.items():
        for arm, percent in by_arm.items():
            rows.append(
                Published(id=f"table4_percent_{slug(term)}_{slug(arm)}", chapter=chapter,
                    quantity=f"{term}, all grades (%), {arm}", value=percent, decimals=0, source="Table 4",
                    basis="exact", note=f"Published count over the {TREATED[arm]} treated.")
            )
    rows += _table4_entries(TABLE4_LABORATORY_PRINTED_PERCENT, ("all grades", "grade 3", "grade 4"),
                            "table4_percent_{row}_{label}_{arm}", "{row}, {label} (%), {arm}", names=LAB_NAMES,
                            basis="exact", note=lambda row, arm: f"Published count over the "
                                                                  f"{TABLE4_LABORATORY[row][arm][0]} evaluable.")
    for arm, percent in {"Isa-Pd": 62, "Pd": 54}.items():
        rows.append(
            Published(id=f"serious_percent_{slug(arm)}", chapter=chapter,
                quantity=f"Patients with a serious event (%), {arm}", value=percent, decimals=0,
                source="Results, safety", basis="exact", note=f"Published count over the {TREATED[arm]} treated.")
        )
    for arm, (count, percent) in GCSF_USE.items():
        rows.append(
            Published(id=f"gcsf_percent_{slug(arm)}", chapter=chapter, quantity=f"Patients given G-CSF (%), {arm}",
                value=percent, decimals=0, source="Results, safety", basis="exact",
                note=f"{count} of the {TREATED[arm]} treated.")
        )
    return rows


def _response_entries():
    """Table 3 and the response text, recomputed exactly from the published counts."""
    chapter = "08-response"
    table3 = "Table 3"
    fda = "FDA approval notice (2 Mar 2020)"
    SAMPLE_OR_NOTE = " (SAS PROC FREQ's default estimate; R's fisher.test prints the conditional MLE instead)."
    FISHER_NOTE = "Exact conditional (Fisher) interval (SAS PROC FREQ EXACT OR; R's fisher.test)."
    cp = ("Clopper-Pearson (exact binomial) interval of the published count (SAS PROC FREQ's exact binomial "
          "limits; R's binom.test).")
    entries = [
        Published(id="orr_percent_isapd", chapter=chapter, quantity="Overall response (%), Isa-Pd", value=60.4,
            decimals=1, source=fda + "; Table 3 60%", basis="exact", note="93 of 154."),
        Published(id="orr_percent_pd", chapter=chapter, quantity="Overall response (%), Pd", value=35.3, decimals=1,
            source=fda + "; Table 3 35%", basis="exact", note="54 of 153."),
        Published(id="orr_ci_low_isapd", chapter=chapter, quantity="Overall response, lower 95% limit, Isa-Pd",
            value=0.522, decimals=3, source=table3, basis="exact", note=cp),
        Published(id="orr_ci_high_isapd", chapter=chapter, quantity="Overall response, upper 95% limit, Isa-Pd",
            value=0.682, decimals=3, source=table3, basis="exact", note=cp),
        Published(id="orr_ci_low_pd", chapter=chapter, quantity="Overall response, lower 95% limit, Pd", value=0.278,
            decimals=3, source=table3, basis="exact",
            note=cp + " 0.27749 is 0.2775 at four decimals, which the paper's rounding prints as 0.278."),
        Published(id="orr_ci_high_pd", chapter=chapter, quantity="Overall response, upper 95% limit, Pd", value=0.434,
            decimals=3, source=table3, basis="exact", note=cp),
        Published(id="vgpr_percent_isapd", chapter=chapter, quantity="VGPR or better (%), Isa-Pd", value=31.8,
            decimals=1, source="FDA review; Table 3 32%", basis="exact", note="49 of 154."),
        Published(id="vgpr_percent_pd", chapter=chapter, quantity="VGPR or better (%), Pd", value=8.5, decimals=1,
            source="FDA review; Table 3 9%", basis="exact", note="13 of 153."),
        Published(id="vgpr_ci_low_isapd", chapter=chapter, quantity="VGPR or better, lower 95% limit, Isa-Pd",
            value=0.246, decimals=3, source=table3, basis="exact", note=cp),
        Published(id="vgpr_ci_high_isapd", chapter=chapter, quantity="VGPR or better, upper 95% limit, Isa-Pd",
            value=0.398, decimals=3, source=table3, basis="exact", note=cp),
        Published(id="vgpr_ci_low_pd", chapter=chapter, quantity="VGPR or better, lower 95% limit, Pd", value=0.046,
            decimals=3, source=table3, basis="exact", note=cp),
        Published(id="vgpr_ci_high_pd", chapter=chapter, quantity="VGPR or better, upper 95% limit, Pd", value=0.141,
            decimals=3, source=table3, basis="exact", note=cp),
        Published(id="orr_odds_ratio", chapter=chapter, quantity="Odds ratio of overall response", value=2.795,
            decimals=3, source=table3, basis="exact", note="Sample odds ratio (93 x 99) / (61 x 54)" + SAMPLE_OR_NOTE),
        Published(id="orr_odds_ratio_low", chapter=chapter,
            quantity="Odds ratio of overall response, lower 95% limit", value=1.75, decimals=2, source=table3,
            basis="exact", note=FISHER_NOTE),
        Published(id="orr_odds_ratio_high", chapter=chapter,
            quantity="Odds ratio of overall response, upper 95% limit", value=4.56, decimals=2, source=table3,
            basis="exact", note=FISHER_NOTE),
        Published(id="vgpr_odds_ratio", chapter=chapter, quantity="Odds ratio of VGPR or better", value=5.026,
            decimals=3, source=table3, basis="exact",
            note="Sample odds ratio (49 x 140) / (105 x 13)" + SAMPLE_OR_NOTE),
        Published(id="vgpr_odds_ratio_low", chapter=chapter, quantity="Odds ratio of VGPR or better, lower 95% limit",
            value=2.514, decimals=3, source=table3, basis="exact", note=FISHER_NOTE),
        Published(id="vgpr_odds_ratio_high", chapter=chapter,
            quantity="Odds ratio of VGPR or better, upper 95% limit", value=10.586, decimals=3, source=table3,
            basis="exact", note=FISHER_NOTE),
        Published(id="orr_lines_23_isapd", chapter=chapter,
            quantity="Overall response with 2-3 previous lines (%), Isa-Pd", value=57, decimals=0, source="Results",
            basis="exact", note="58 of 102."),
        Published(id="orr_lines_23_pd", chapter=chapter, quantity="Overall response with 2-3 previous lines (%), Pd",
            value=39, decimals=0, source="Results", basis="exact", note="39 of 101."),
        Published(id="orr_lines_gt3_isapd", chapter=chapter,
            quantity="Overall response with >3 previous lines (%), Isa-Pd", value=67, decimals=0, source="Results",
            basis="exact", note="35 of 52."),
        Published(id="orr_lines_gt3_pd", chapter=chapter, quantity="Overall response with >3 previous lines (%), Pd",
            value=29, decimals=0, source="Results", basis="exact", note="15 of 52."),
        Published(id="orr_investigator_isapd", chapter=chapter,
            quantity="Overall response by the investigator (%), Isa-Pd", value=63, decimals=0, source="Results",
            basis="exact", note="97 of 154."),
        Published(id="orr_investigator_pd", chapter=chapter, quantity="Overall response by the investigator (%), Pd",
            value=32, decimals=0, source="Results", basis="exact", note="49 of 153."),
        Published(id="table3_pd_total", chapter=chapter, quantity="Patients in the Pd column of Table 3", value=153,
            decimals=0, source=table3, basis="exact", note="Sum of the printed best-response counts."),
    ]
    for arm, count in MRD_NEGATIVE.items():
        entries.append(
            Published(id=f"mrd_negative_{slug(arm)}", chapter=chapter, quantity=f"MRD negative at 1e-5, {arm}",
                value=count, decimals=0, source="Results", basis="twin", tolerance=0,
                note="Counted in the twin's adsl (simulated; exact by construction).")
        )
    return entries


def _survival_entries():
    """Overall survival at the interim, recomputed from the published hazard ratio."""
    chapter = "09-overall-survival"
    return [
        Published(id="os_interim_p_one_sided", chapter=chapter, quantity="OS at the interim, one-sided p",
            value=INTERIM_OS["p_one_sided"], decimals=4, source="Results", basis="exact",
            note="One-sided p of the Wald test implied by the published hazard ratio and its 95% CI."),
        Published(id="os_interim_boundary_crossed", chapter=chapter,
            quantity="OS interim crossed its boundary (1 = yes)", value=0, decimals=0, source="Results (not crossed)",
            basis="exact",
            note="Implied one-sided p compared with the O'Brien-Fleming-type boundary at 99/220 deaths."),
    ]


# Where each statement of a regulator, HTA body or later report was read: every one is a
# stored public page (the chapter on regulators and reporting cites them one by one).
REGULATORY_SOURCES = {
    "fda": "FDA approval notice, 2 Mar 2020, as reproduced at "
           "https://onecancerplace.org/newsroom/fda-approves-isatuximab-irfc-for-multiple-myeloma",
    "uspi": "US prescribing information, ICARIA-MM results as summarised on the manufacturer's prescriber "
            "site, https://www.sarclisahcp.com/trial-results",
    "uspi_final": "US prescribing information, final overall survival as summarised by the manufacturer, "
                  "https://pro.campus.sanofi/us/products/sarclisa/icaria-mm-efficacy",
    "chmp": "CHMP positive opinion, 26 Mar 2020, as reported by ESMO, "
            "https://www.esmo.org/oncology-news/ema-recommends-granting-a-marketing-authorisation-for-isatuximab",
    "smpc": "EU summary of product characteristics, section 4.1 (Annex I of the EPAR), "
            "https://docslib.org/doc/1103868/sarclisa-inn-isatuximab",
    "eu_ctr": "EU Clinical Trials Register, results of EudraCT 2016-003097-41, "
              "https://www.clinicaltrialsregister.eu/ctr-search/trial/2016-003097-41/results",
    "nice": "NICE technology appraisal guidance TA658, section 1, "
            "https://www.nice.org.uk/guidance/TA658/chapter/1-Recommendations",
    "nice_date": "Multiple Myeloma Hub news item on TA658, "
                 "https://multiplemyelomahub.com/medical-information/"
                 "nice-recommends-isatuximab-in-combination-with-pomalidomide-and-dexamethasone-for-the-treatment-of-rrmm",
    "nice_review": "NICE consultation on the review of TA658 after managed access, section 1, "
                   "https://www.nice.org.uk/consultations/2506/1",
    "final_abstract": "Final overall survival abstract (cutoff 27 Jan 2022), as reproduced at "
                      "https://discovery.researcher.life/topic/meaningful-survival/3279223?page=4",
}


def _reporting_entries():
    """What regulators and later reports print, recomputed exactly from the paper's
    hazard ratio and the printed counts (chapter on regulators and reporting)."""
    chapter = "14-regulators-and-reporting"
    return [
        Published(id="chmp_risk_reduction_percent", chapter=chapter,
            quantity="Reduction in the hazard of progression or death (%), as the CHMP states it", value=40.4,
            decimals=1, source=REGULATORY_SOURCES["chmp"], basis="exact",
            note="100 x (1 - 0.596), the paper's stratified hazard ratio."),
        Published(id="final_daratumumab_percent_isapd", chapter=chapter,
            quantity="Daratumumab among patients with further therapy by the final cut (%), Isa-Pd",
            value=22.5, decimals=1, source=REGULATORY_SOURCES["final_abstract"], basis="exact",
            note="23 of 102, the printed counts."),
        Published(id="final_daratumumab_percent_pd", chapter=chapter,
            quantity="Daratumumab among patients with further therapy by the final cut (%), Pd",
            value=59.7, decimals=1, source=REGULATORY_SOURCES["final_abstract"], basis="exact",
            note="71 of 119, the printed counts."),
    ]


def _multiplicity_entries():
    """The response p-values the Results print, recomputed from the counts of Table 3."""
    chapter = "12-multiplicity-and-monitoring"
    note = ("Pearson chi-square test of the 2 x 2 table of published counts, without continuity correction "
            "(SAS PROC FREQ CHISQ; R's chisq.test(correct = FALSE)); the paper's stratified CMH test needs the "
            "strata's counts, which it does not print.")
    return [
        Published(id="orr_p_value", chapter=chapter, quantity="Overall response, Isa-Pd vs Pd, p", value=0.0001,
            decimals=4, source="Results; Table 3", basis="exact", below=True, note="93 of 154 vs 54 of 153. " + note),
        Published(id="vgpr_p_value", chapter=chapter, quantity="VGPR or better, Isa-Pd vs Pd, p", value=0.0001,
            decimals=4, source="Results", basis="exact", below=True, note="49 of 154 vs 13 of 153. " + note),
    ]


def _twin_entries():
    """The published summaries the simulated twin is calibrated to (route ``twin``),
    each with the chapter and section that shows it."""
    fda = "FDA approval notice (2 Mar 2020)"
    final = "Richardson et al., Haematologica 2024"
    target = partial(
        Published,
        basis="twin",
        note="A calibration target of the simulated twin, measured with the book's analysis code.",
    )
    pfs_target = partial(target, chapter="90-checks-pfs", section="primary analysis")
    os_target = partial(target, chapter="93-how-the-twin-was-built", section="overall survival")
    secondary_target = partial(target, chapter="93-how-the-twin-was-built", section="secondary endpoints")
    switching_target = partial(target, chapter="93-how-the-twin-was-built", section="further therapy")
    disposition_target = partial(target, chapter="93-how-the-twin-was-built", section="disposition")
    return [
        pfs_target(id="twin_pfs_median_isapd", quantity="PFS (IRC) median, Isa-Pd (months)", value=11.53, decimals=2,
            source=fda + "; Abstract 11.5", tolerance=0.5),
        pfs_target(id="twin_pfs_median_pd", quantity="PFS (IRC) median, Pd (months)", value=6.47, decimals=2,
            source=fda + "; Abstract 6.5", tolerance=0.5),
        pfs_target(id="twin_pfs_hr", quantity="PFS (IRC) stratified hazard ratio", value=0.596, decimals=3,
            source="Abstract; Figure 2A", tolerance=0.02),
        pfs_target(id="twin_pfs_events", quantity="PFS (IRC) events, both arms (planned; no observed count printed)",
            value=DESIGN_PFS_EVENTS, decimals=0,
            source="Methods (planned); facts file", tolerance=8),
        pfs_target(id="twin_pfs_p_two_sided",
            quantity="PFS stratified log-rank p (printed 0.001, labelled one-sided; read as two-sided)", value=0.001,
            decimals=3, source="Abstract; Figure 2A", tolerance=0.001),
        pfs_target(id="twin_follow_up_median", quantity="Median follow-up (months)", value=11.6, decimals=1,
            source="Abstract; Results", tolerance=0.3),
        os_target(id="twin_os_deaths_isapd", quantity="Deaths at the primary cutoff, Isa-Pd",
            value=INTERIM_DEATHS["Isa-Pd"], decimals=0, source="Results", tolerance=1),
        os_target(id="twin_os_deaths_pd", quantity="Deaths at the primary cutoff, Pd", value=INTERIM_DEATHS["Pd"],
            decimals=0, source="Results", tolerance=1),
        os_target(id="twin_os_hr", quantity="OS stratified hazard ratio, interim", value=0.687, decimals=3,
            source="Results; Figure 2B", tolerance=0.03),
        switching_target(id="twin_ipcw_hr", quantity="OS hazard ratio, IPCW for daratumumab", value=IPCW_OS["hr"],
            decimals=3, source="Results", tolerance=0.04, chapter="11-treatment-switching", section="daratumumab"),
        pfs_target(id="twin_pfsinv_median_isapd", quantity="PFS (investigator) median, Isa-Pd (months)", value=11.1,
            decimals=1, source="Results", tolerance=0.8),
        pfs_target(id="twin_pfsinv_median_pd", quantity="PFS (investigator) median, Pd (months)", value=6.5,
            decimals=1, source="Results", tolerance=0.8),
        pfs_target(id="twin_pfsinv_hr", quantity="PFS (investigator) hazard ratio", value=0.602, decimals=3,
            source="Results", tolerance=0.04),
        secondary_target(id="twin_ttp_median_isapd", quantity="Time to progression median, Isa-Pd (months)",
            value=12.7, decimals=1, source="Results", tolerance=1.0),
        secondary_target(id="twin_ttp_median_pd", quantity="Time to progression median, Pd (months)", value=7.75,
            decimals=2, source="Results", tolerance=1.0),
        secondary_target(id="twin_dor_median_isapd", quantity="Duration of response median, Isa-Pd (months)",
            value=13.3, decimals=1, source="Results", tolerance=1.5),
        secondary_target(id="twin_dor_median_pd", quantity="Duration of response median, Pd (months)", value=11.1,
            decimals=1, source="Results", tolerance=1.5),
        secondary_target(id="twin_ttr_median_isapd", quantity="Time to first response median, Isa-Pd (days)",
            value=35, decimals=0, source="Results", tolerance=7),
        secondary_target(id="twin_ttr_median_pd", quantity="Time to first response median, Pd (days)", value=58,
            decimals=0, source="Results", tolerance=7),
        switching_target(id="twin_subsequent_isapd", quantity="Started further therapy by 22 Nov 2018, Isa-Pd",
            value=SUBSEQUENT_THERAPY["Isa-Pd"], decimals=0, source="Results", tolerance=2),
        switching_target(id="twin_subsequent_pd", quantity="Started further therapy by 22 Nov 2018, Pd",
            value=SUBSEQUENT_THERAPY["Pd"], decimals=0, source="Results", tolerance=2),
        switching_target(id="twin_daratumumab_isapd", quantity="Further therapy with daratumumab, Isa-Pd",
            value=SUBSEQUENT_DARATUMUMAB["Isa-Pd"], decimals=0, source="Results", tolerance=2),
        switching_target(id="twin_daratumumab_pd", quantity="Further therapy with daratumumab, Pd",
            value=SUBSEQUENT_DARATUMUMAB["Pd"], decimals=0, source="Results", tolerance=2),
        secondary_target(id="twin_ttnt_median_pd", quantity="Time to next treatment median, Pd (months)", value=9.1,
            decimals=1, source="Results", tolerance=1.0),
        secondary_target(id="twin_ttnt_hr", quantity="Time to next treatment hazard ratio", value=0.538, decimals=3,
            source="Results", tolerance=0.05),
        pfs_target(id="twin_sensitivity_hr_min", quantity="Lowest hazard ratio of the PFS sensitivity analyses",
            value=0.568, decimals=3, source="Results", tolerance=0.02),
        pfs_target(id="twin_sensitivity_hr_max", quantity="Highest hazard ratio of the PFS sensitivity analyses",
            value=0.602, decimals=3, source="Results", tolerance=0.02),
        os_target(id="twin_final_os_deaths_isapd", quantity="Deaths at the final OS cutoff, Isa-Pd",
            value=FINAL_OS_DEATHS["Isa-Pd"], decimals=0, source=final, tolerance=2),
        os_target(id="twin_final_os_deaths_pd", quantity="Deaths at the final OS cutoff, Pd",
            value=FINAL_OS_DEATHS["Pd"], decimals=0, source=final, tolerance=2),
        os_target(id="twin_final_os_median_isapd", quantity="Final OS median, Isa-Pd (months)", value=24.6,
            decimals=1, source=final, tolerance=1.5),
        os_target(id="twin_final_os_median_pd", quantity="Final OS median, Pd (months)", value=17.7, decimals=1,
            source=final, tolerance=1.5),
        os_target(id="twin_final_os_hr", quantity="Final OS hazard ratio", value=0.776, decimals=3, source=final,
            tolerance=0.04),
        disposition_target(id="twin_ongoing_isapd", quantity="Still on treatment at the primary cutoff, Isa-Pd",
            value=ONGOING_AT_CUTOFF["Isa-Pd"], decimals=0, source="Results; Figure 1", tolerance=5),
        disposition_target(id="twin_ongoing_pd", quantity="Still on treatment at the primary cutoff, Pd",
            value=ONGOING_AT_CUTOFF["Pd"], decimals=0, source="Results; Figure 1", tolerance=5),
        disposition_target(id="twin_stopped_progression_isapd", quantity="Stopped treatment for progression, Isa-Pd",
            value=DISCONTINUED_FOR_PD["Isa-Pd"], decimals=0, source="Results", tolerance=6),
        disposition_target(id="twin_stopped_progression_pd", quantity="Stopped treatment for progression, Pd",
            value=DISCONTINUED_FOR_PD["Pd"], decimals=0, source="Results", tolerance=6),
    ]


def _uncalibrated_entries():
    """Published statistics the chapters compute on the twin although the twin was not
    tuned to them (intervals, quartiles, secondary analyses): route ``twin`` without a
    tolerance. Their difference shows how far an uncalibrated summary lands."""
    fda = "FDA approval notice (2 Mar 2020)"
    final = "Richardson et al., Haematologica 2024"
    emergent = partial(
        Published,
        basis="twin",
        note="Not a calibration target: computed on the simulated twin, which was not tuned to it.",
    )
    pfs_emergent = partial(emergent, chapter="90-checks-pfs")
    os_emergent = partial(emergent, chapter="09-overall-survival")
    switching_emergent = partial(emergent, chapter="11-treatment-switching")
    population_emergent = partial(emergent, chapter="06-who-was-in-the-trial")
    safety_emergent = partial(emergent, chapter="10-safety")
    rows = [
        pfs_emergent(id="pfs_median_ci_low_isapd", quantity="PFS median, lower 95% limit, Isa-Pd (months)",
            value=8.94, decimals=2, source=fda),
        pfs_emergent(id="pfs_median_ci_high_isapd", quantity="PFS median, upper 95% limit, Isa-Pd (months)",
            value=13.90, decimals=2, source=fda),
        pfs_emergent(id="pfs_median_ci_low_pd", quantity="PFS median, lower 95% limit, Pd (months)", value=4.47,
            decimals=2, source=fda),
        pfs_emergent(id="pfs_median_ci_high_pd", quantity="PFS median, upper 95% limit, Pd (months)", value=8.28,
            decimals=2, source=fda),
        pfs_emergent(id="pfs_hr_ci_low", quantity="PFS hazard ratio, lower 95% limit", value=0.44, decimals=2,
            source="Abstract; Results"),
        pfs_emergent(id="pfs_hr_ci_high", quantity="PFS hazard ratio, upper 95% limit", value=0.81, decimals=2,
            source="Abstract; Results"),
        pfs_emergent(id="follow_up_q1", quantity="Follow-up, lower quartile (months)", value=10.1, decimals=1,
            source="Abstract; Results"),
        pfs_emergent(id="follow_up_q3", quantity="Follow-up, upper quartile (months)", value=13.9, decimals=1,
            source="Abstract; Results"),
        pfs_emergent(id="subgroup_hr_cytorisk_high", quantity="PFS hazard ratio, high-risk cytogenetics", value=0.66,
            decimals=2, source="Discussion"),
        pfs_emergent(id="subgroup_hr_cytorisk_standard", quantity="PFS hazard ratio, standard-risk cytogenetics",
            value=0.62, decimals=2, source="Discussion"),
        pfs_emergent(id="pfsinv_median_ci_low_isapd", quantity="PFS (investigator) median, lower 95% limit, Isa-Pd",
            value=7.5, decimals=1, source="Results"),
        pfs_emergent(id="pfsinv_median_ci_high_isapd", quantity="PFS (investigator) median, upper 95% limit, Isa-Pd",
            value=14.8, decimals=1, source="Results"),
        pfs_emergent(id="pfsinv_median_ci_low_pd", quantity="PFS (investigator) median, lower 95% limit, Pd",
            value=4.7, decimals=1, source="Results"),
        pfs_emergent(id="pfsinv_median_ci_high_pd", quantity="PFS (investigator) median, upper 95% limit, Pd",
            value=7.9, decimals=1, source="Results"),
        pfs_emergent(id="pfsinv_hr_ci_low", quantity="PFS (investigator) hazard ratio, lower 95% limit", value=0.444,
            decimals=3, source="Results"),
        pfs_emergent(id="pfsinv_hr_ci_high", quantity="PFS (investigator) hazard ratio, upper 95% limit", value=0.816,
            decimals=3, source="Results"),
        pfs_emergent(id="pfsinv_p_two_sided",
            quantity="PFS (investigator) stratified log-rank p (printed 0.0009; read as two-sided)", value=0.0009,
            decimals=4, source="Results"),
        os_emergent(id="os_hr_ci_low", quantity="OS hazard ratio at the interim, lower 95% limit",
            value=INTERIM_OS["low"], decimals=3, source="Results"),
        os_emergent(id="os_hr_ci_high", quantity="OS hazard ratio at the interim, upper 95% limit",
            value=INTERIM_OS["high"], decimals=3, source="Results"),
        switching_emergent(id="ipcw_hr_ci_low", quantity="OS hazard ratio, IPCW, lower 95% limit",
            value=IPCW_OS["low"], decimals=3, source="Results"),
        switching_emergent(id="ipcw_hr_ci_high", quantity="OS hazard ratio, IPCW, upper 95% limit",
            value=IPCW_OS["high"], decimals=3, source="Results"),
        os_emergent(id="ttp_median_ci_low_isapd", quantity="Time to progression, lower 95% limit, Isa-Pd", value=11.2,
            decimals=1, source="Results"),
        os_emergent(id="ttp_median_ci_high_isapd", quantity="Time to progression, upper 95% limit, Isa-Pd",
            value=15.2, decimals=1, source="Results"),
        os_emergent(id="ttp_median_ci_low_pd", quantity="Time to progression, lower 95% limit, Pd", value=5.0,
            decimals=1, source="Results"),
        os_emergent(id="ttp_median_ci_high_pd", quantity="Time to progression, upper 95% limit, Pd", value=9.8,
            decimals=1, source="Results"),
        os_emergent(id="dor_median_ci_low_isapd", quantity="Duration of response, lower 95% limit, Isa-Pd",
            value=10.6, decimals=1, source="Results"),
        os_emergent(id="dor_median_ci_low_pd", quantity="Duration of response, lower 95% limit, Pd", value=8.5,
            decimals=1, source="Results"),
        os_emergent(id="ttr_q1_isapd", quantity="Time to first response, lower quartile, Isa-Pd (days)", value=32,
            decimals=0, source="Results"),
        os_emergent(id="ttr_q3_isapd", quantity="Time to first response, upper quartile, Isa-Pd (days)", value=60,
            decimals=0, source="Results"),
        os_emergent(id="ttr_q1_pd", quantity="Time to first response, lower quartile, Pd (days)", value=32,
            decimals=0, source="Results"),
        os_emergent(id="ttr_q3_pd", quantity="Time to first response, upper quartile, Pd (days)", value=87,
            decimals=0, source="Results"),
        os_emergent(id="ttnt_hr_ci_low", quantity="Time to next treatment hazard ratio, lower 95% limit", value=0.382,
            decimals=3, source="Results"),
        os_emergent(id="ttnt_hr_ci_high", quantity="Time to next treatment hazard ratio, upper 95% limit",
            value=0.758, decimals=3, source="Results"),
        os_emergent(id="final_os_median_ci_low_isapd", quantity="Final OS median, lower 95% limit, Isa-Pd",
            value=20.3, decimals=1, source=final),
        os_emergent(id="final_os_median_ci_high_isapd", quantity="Final OS median, upper 95% limit, Isa-Pd",
            value=31.3, decimals=1, source=final),
        os_emergent(id="final_os_median_ci_low_pd", quantity="Final OS median, lower 95% limit, Pd", value=14.4,
            decimals=1, source=final),
        os_emergent(id="final_os_median_ci_high_pd", quantity="Final OS median, upper 95% limit, Pd", value=26.2,
            decimals=1, source=final),
        os_emergent(id="final_os_hr_ci_low", quantity="Final OS hazard ratio, lower 95% limit", value=0.59,
            decimals=2, source=final),
        os_emergent(id="final_os_hr_ci_high", quantity="Final OS hazard ratio, upper 95% limit", value=1.02,
            decimals=2, source=final),
        os_emergent(id="final_os_p_one_sided", quantity="Final OS log-rank p, one-sided", value=0.0319, decimals=4,
            source=final),
        population_emergent(id="treatment_weeks_median_isapd", quantity="Treatment duration, median, Isa-Pd (weeks)",
            value=TREATMENT_WEEKS["Isa-Pd"][0], decimals=0, source="Results; Table 2"),
        population_emergent(id="treatment_weeks_median_pd", quantity="Treatment duration, median, Pd (weeks)",
            value=TREATMENT_WEEKS["Pd"][0], decimals=0, source="Results; Table 2"),
        *[
            population_emergent(id=f"treatment_weeks_{quartile}_{slug(arm)}",
                quantity=f"Treatment duration, {name}, {arm} (weeks)", value=TREATMENT_WEEKS[arm][position],
                decimals=1, source="Table 2")
            for arm in TREATED
            for position, (quartile, name) in ((1, ("q1", "lower quartile")), (2, ("q3", "upper quartile")))
        ],
        *[
            population_emergent(id=f"rdi_{drug.lower()}_{slug(arm)}",
                quantity=f"Relative dose intensity, {drug_name}, {arm} (%)", value=value, decimals=1,
                source="Table 2")
            for drug, drug_name in (("ISA", "isatuximab"), ("POM", "pomalidomide"), ("DEX", "dexamethasone"))
            for arm, value in RELATIVE_DOSE_INTENSITY[drug].items()
        ],
        safety_emergent(id="sae_rate_isapd",
            quantity="Serious adverse events per patient-year, Isa-Pd (twin: terms, not episodes)",
            value=SAE_RATE_PER_PATIENT_YEAR["Isa-Pd"], decimals=2, source="Results"),
        safety_emergent(id="sae_rate_pd",
            quantity="Serious adverse events per patient-year, Pd (twin: terms, not episodes)",
            value=SAE_RATE_PER_PATIENT_YEAR["Pd"], decimals=2, source="Results"),
    ]
    return rows


# Where the paper contradicts itself: id -> (what is wrong, what the paper's own counts
# give). The book's value must equal the second (to the scorecard's printed precision),
# or the row is "off". Printed percentages are first compared as the paper rounds
# (see icaria.scorecard.paper_round); these are the ones that do not follow even so.
PAPER_INCONSISTENCIES = {
    "table4_percent_infusion_reaction_isapd": (
        "56 of 152 is 36.84%, which rounds to 36.8 and then 37, not the printed 38% (38% would fit 56 of 148).",
        56 / 152 * 100,
    ),
    "orr_odds_ratio_low": (
        "The exact conditional lower limit is 1.715 (printed 1.71 would fit); the upper limit 4.56 is the exact "
        "one. No standard method gives 1.75 with 4.56 (the Wald interval is 1.76-4.44).",
        1.7148465619834712,
    ),
    "table3_pd_total": (
        "The Pd column adds up to 152, not the 153 of its header; the twin adds the missing patient to "
        "'not evaluable'.",
        152,
    ),
    "table1_percent_mmtype_other_isapd": ("3 of 154 is 1.9%, which rounds to 2%, printed <1%.", 300 / 154),
    "table3_percent_npd_pd": ("2 of 153 is 1.31%, which rounds to 1.3 and then 1%, printed 2%.", 200 / 153),
    "os_interim_p_one_sided": (
        "The printed HR 0.687 (0.461-1.023) implies z = 1.85 and a one-sided p of about 0.032; 0.0631 is close "
        "to the two-sided value (0.065).",
        0.03242946814500089,
    ),
}


# The estimator behind each twin row and the software default it follows (the paper used
# SAS 9.4; R is the reference the book is checked against).
COX_NOTE = ("Cox model stratified by age and previous lines, Breslow ties: SAS PROC PHREG's default (the paper's "
            "software); R's coxph needs ties = \"breslow\". The audit part shows lifelines' Efron (R's default) "
            "beside it.")
COX_CI_NOTE = COX_NOTE + " Wald 95% interval from the model-based standard error (SAS's and R's default)."
KM_MEDIAN_NOTE = ("Kaplan-Meier median, the first time the curve is at or below one half, the midpoint where "
                  "it sits exactly at one half until the next event (SAS PROC LIFETEST's and R's survfit's rule; "
                  "lifelines takes the first time).")
KM_MEDIAN_CI_NOTE = ("Brookmeyer-Crowley interval with the log-log transform: SAS PROC LIFETEST's default "
                     "(CONFTYPE=LOGLOG); R's survfit needs conf.type = \"log-log\" (its default is \"log\").")
LOGRANK_NOTE = ("Log-rank test stratified by age and previous lines (SAS PROC LIFETEST STRATA / GROUP=; R's survdiff "
                "with strata()); the printed p read as two-sided, as in 'The trial at a glance'.")
REVERSE_KM_NOTE = ("Reverse Kaplan-Meier, censorings as events (SAS PROC LIFETEST with the flag reversed; R's "
                   "prodlim with reverse = TRUE).")
DAYS_MEDIAN_NOTE = "Median of the responders' days to first response (SAS PROC UNIVARIATE and R's median agree)."
DAYS_QUARTILE_NOTE = ("Quartile by SAS PROC UNIVARIATE's default, definition 5 (R's quantile type = 2; R's default "
                      "type 7 can differ).")
WEEKS_QUARTILE_NOTE = ("Quartile by SAS PROC UNIVARIATE's default, definition 5 (R's quantile type = 2); "
                       "pandas' and R's default, linear interpolation (type 7), can differ by a day.")
IPCW_NOTE = ("Weighted Cox model on patient-months censored at the switch, stratified, Breslow ties (SAS PROC "
             "PHREG's default); interval from the robust variance summed by patient (SAS COVS(AGGREGATE) with ID; R's "
             "coxph with cluster(id)), which treats the weights as known.")
SUBGROUP_NOTE = "Unstratified Cox model within the subgroup, Breslow ties (SAS PROC PHREG's default)."
COUNT_NOTE = "Counted in the twin's datasets."
ESTIMATORS = {
    **dict.fromkeys(["twin_pfs_hr", "twin_os_hr", "twin_pfsinv_hr", "twin_ttnt_hr", "twin_sensitivity_hr_min",
                     "twin_sensitivity_hr_max", "twin_final_os_hr"], COX_NOTE),
    **dict.fromkeys([f"{prefix}_hr_ci_{end}" for prefix in ("pfs", "pfsinv", "os", "ttnt", "final_os")
                     for end in ("low", "high")], COX_CI_NOTE),
    **dict.fromkeys([f"twin_{key}_median_{arm}" for key in ("pfs", "pfsinv", "ttp", "dor", "final_os")
                     for arm in ("isapd", "pd")] + ["twin_ttnt_median_pd"], KM_MEDIAN_NOTE),
    **dict.fromkeys([f"{key}_median_ci_{end}_{arm}" for key in ("pfs", "pfsinv", "ttp", "dor", "final_os")
                     for end in ("low", "high") for arm in ("isapd", "pd") if (key, end) != ("dor", "high")],
                    KM_MEDIAN_CI_NOTE),
    **dict.fromkeys(["twin_pfs_p_two_sided", "pfsinv_p_two_sided"], LOGRANK_NOTE),
    "final_os_p_one_sided": ("Log-rank test stratified by age and previous lines (SAS PROC LIFETEST; R's survdiff), "
                             "halved in the direction of Isa-Pd."),
    **dict.fromkeys(["twin_follow_up_median", "follow_up_q1", "follow_up_q3", "followup_second_interim",
                     "followup_final"], REVERSE_KM_NOTE),
    **dict.fromkeys(["table1_age_median_isapd", "table1_age_median_pd"],
                    "Median age of the twin's patients (SAS PROC UNIVARIATE and R's median agree)."),
    **dict.fromkeys(["twin_ttr_median_isapd", "twin_ttr_median_pd"], DAYS_MEDIAN_NOTE),
    **dict.fromkeys([f"ttr_{q}_{arm}" for q in ("q1", "q3") for arm in ("isapd", "pd")], DAYS_QUARTILE_NOTE),
    **dict.fromkeys([f"treatment_weeks_{q}_{arm}" for q in ("median", "q1", "q3") for arm in ("isapd", "pd")],
                    WEEKS_QUARTILE_NOTE),
    **dict.fromkeys([f"rdi_{drug}_{arm}" for drug in ("isa", "pom", "dex") for arm in ("isapd", "pd")
                     if (drug, arm) != ("isa", "pd")],
                    "Median over treated patients (SAS PROC UNIVARIATE and R's median agree)."),
    **dict.fromkeys(["sae_rate_isapd", "sae_rate_pd"], "Serious event terms over patient-years of exposure."),
    **dict.fromkeys(["twin_ipcw_hr", "ipcw_hr_ci_low", "ipcw_hr_ci_high"], IPCW_NOTE),
    **dict.fromkeys(["subgroup_hr_cytorisk_high", "subgroup_hr_cytorisk_standard"], SUBGROUP_NOTE),
}


def _with_estimators(entries):
    """Each twin row's note names its estimator and the SAS or R default it follows."""
    return [replace(entry, note=f"{entry.note} {ESTIMATORS.get(entry.id, COUNT_NOTE)}")
            if entry.basis == "twin" and entry.tolerance != 0 else entry for entry in entries]


def _with_inconsistencies(entries):
    return [
        replace(entry, inconsistent=PAPER_INCONSISTENCIES[entry.id][0], expected=PAPER_INCONSISTENCIES[entry.id][1])
        if entry.id in PAPER_INCONSISTENCIES
        else entry
        for entry in entries
    ]


# The twin's calibration targets: in the scorecard, and measured together in the
# calibration report of the chapter "How the twin was built".
TWIN_TARGETS = {entry.id: entry for entry in _with_estimators(_twin_entries())}
PUBLISHED = _with_inconsistencies(_with_estimators(_entries()) + list(TWIN_TARGETS.values())
                                  + _with_estimators(_uncalibrated_entries()))
BY_ID = {entry.id: entry for entry in PUBLISHED}


def calibration_targets(chapter, section):
    """Ids of the twin's calibration targets a chapter shows in one section, in registry order."""
    ids = [key for key, entry in TWIN_TARGETS.items() if (entry.chapter, entry.section) == (chapter, section)]
    if not ids:
        raise KeyError(f"No calibration target in chapter {chapter!r}, section {section!r}.")
    return ids


BASES = ("exact", "twin")
ROUTES = ("exact", "built", "calibrated", "emergent")
STATUSES = ("match", "within", "off", "not-calibrated", "paper-inconsistent")


@dataclass(frozen=True)
class RegulatoryFact:
    """One statement about ICARIA-MM by a regulator, an HTA body or a later report, in
    the book's words, with the page it was read on and what the paper prints beside it.
    ``registry`` names the :data:`PUBLISHED` entry holding the same number, whose value
    this one must equal (tests/test_reporting.py checks it)."""

    id: str
    body: str
    quantity: str
    value: float | str
    paper: str
    source: str
    decimals: int | None = None
    registry: str = ""


def _regulatory_facts():
    fact = RegulatoryFact
    src = REGULATORY_SOURCES
    return [
        fact(id="fda_date", body="FDA", quantity="Approval with pomalidomide and dexamethasone",
            value="2020-03-02", paper="", source=src["fda"]),
        fact(id="fda_indication", body="FDA", quantity="Indication (in the book's words)",
            value="at least two prior therapies, including lenalidomide and a proteasome inhibitor",
            paper="eligibility also required disease refractory to the last line (Methods)", source=src["fda"]),
        fact(id="fda_pfs_median_isapd", body="FDA", quantity="Median PFS, Isa-Pd (months)", value=11.53,
            decimals=2, paper="11.5", source=src["fda"], registry="twin_pfs_median_isapd"),
        fact(id="fda_pfs_median_pd", body="FDA", quantity="Median PFS, Pd (months)", value=6.47, decimals=2,
            paper="6.5", source=src["fda"], registry="twin_pfs_median_pd"),
        fact(id="fda_pfs_ci_high_isapd", body="FDA", quantity="Median PFS, upper 95% limit, Isa-Pd (months)",
            value=13.9, decimals=1, paper="13.9", source=src["fda"], registry="pfs_median_ci_high_isapd"),
        fact(id="fda_pfs_hr", body="FDA", quantity="PFS hazard ratio", value=0.596, decimals=3, paper="0.596",
            source=src["fda"], registry="twin_pfs_hr"),
        fact(id="fda_pfs_p", body="FDA", quantity="PFS p-value (sidedness not stated)", value=0.0010,
            decimals=4, paper="0.001, labelled one-sided", source=src["fda"]),
        fact(id="uspi_orr_isapd", body="FDA", quantity="Overall response (%), Isa-Pd (Clopper-Pearson CI 52.2-68.2)",
            value=60.4, decimals=1, paper="60", source=src["uspi"], registry="orr_percent_isapd"),
        fact(id="uspi_orr_pd", body="FDA", quantity="Overall response (%), Pd (Clopper-Pearson CI 27.8-43.4)",
            value=35.3, decimals=1, paper="35", source=src["uspi"], registry="orr_percent_pd"),
        fact(id="uspi_follow_up", body="FDA", quantity="Median follow-up (months)", value=11.6, decimals=1,
            paper="11.6", source=src["uspi"], registry="twin_follow_up_median"),
        fact(id="uspi_os_interim", body="FDA", quantity="Median OS at the interim", value="not reached in either arm",
            paper="not reached in either arm (HR 0.687)", source=src["uspi"]),
        fact(id="uspi_final_os_hr", body="FDA", quantity="Final OS hazard ratio (later label)", value=0.776,
            decimals=3, paper="0.687 at the interim (this paper); 0.78 in the final report",
            source=src["uspi_final"], registry="twin_final_os_hr"),
        fact(id="chmp_date", body="EMA", quantity="CHMP positive opinion", value="2020-03-26", paper="",
            source=src["chmp"]),
        fact(id="chmp_risk_reduction", body="EMA", quantity="Benefit as the CHMP words it: reduction in risk (%)",
            value=40.4, decimals=1, paper="a 40% decrease (Discussion)", source=src["chmp"],
            registry="chmp_risk_reduction_percent"),
        fact(id="eu_indication", body="EMA", quantity="Indication (in the book's words)",
            value="as the FDA's, and the disease must have progressed on the last therapy",
            paper="refractory to the last line was an entry criterion (Methods)", source=src["smpc"]),
        fact(id="eu_ctr_primary_completion", body="EU register", quantity="Primary completion date",
            value="2018-11-22", paper="data cutoff 2018-10-11; further therapy counted to 2018-11-22",
            source=src["eu_ctr"]),
        fact(id="nice_ta658", body="NICE", quantity="TA658 recommendation",
            value="Cancer Drugs Fund only, after 3 previous lines", paper="", source=src["nice"]),
        fact(id="nice_ta658_date", body="NICE", quantity="TA658 published", value="2020-10-15", paper="",
            source=src["nice_date"]),
        fact(id="nice_ta658_reason", body="NICE", quantity="Why managed access (in the book's words)",
            value="trial unfinished: the longer-term survival benefit was uncertain", paper="OS immature at the "
            "interim (99 of 220 deaths)", source=src["nice"]),
        fact(id="nice_review", body="NICE", quantity="Review after managed access (consultation draft)",
            value="not recommended within the marketing authorisation", paper="", source=src["nice_review"]),
        fact(id="final_daratumumab_isapd", body="Final OS report",
            quantity="Daratumumab among patients with further therapy (%), Isa-Pd", value=22.5, decimals=1,
            paper="6 of 60 by 22 Nov 2018", source=src["final_abstract"], registry="final_daratumumab_percent_isapd"),
        fact(id="final_daratumumab_pd", body="Final OS report",
            quantity="Daratumumab among patients with further therapy (%), Pd", value=59.7, decimals=1,
            paper="45 of 83 by 22 Nov 2018", source=src["final_abstract"], registry="final_daratumumab_percent_pd"),
    ]


REGULATORY = {fact.id: fact for fact in _regulatory_facts()}
