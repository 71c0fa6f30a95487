"""The data dictionary's controlled values: every text a coded column of the twin may hold.

``data/README.md`` describes them for readers; :mod:`icaria.data` refuses a file whose
coded column holds anything else (a misspelt term, a description with a stray space
the loader could not make plain), so a count never falls to zero in silence.
``tests/test_data_loading.py`` checks that the twin's generator writes only these
values, for the book's two data cuts and for students' twins.
"""

from icaria import published

# adtte: what ended a time-to-event parameter (EVNTDESC) or where it was censored (CNSDTDSC).
EVENT_DESCRIPTIONS = (
    "Progressive disease",
    "Death",
    "Further anti-myeloma treatment",
    "First response (PR or better)",
    "Start of further anti-myeloma treatment",
)
CENSOR_DESCRIPTIONS = (
    "Last adequate assessment before cutoff or loss to follow-up",
    "Last adequate assessment before further anti-myeloma treatment",
    "Last adequate assessment before death",
    "Randomisation date (no adequate assessment)",
    "Last date known alive",
    "Death before further treatment",
    "Last contact",
)
# adae: MedDRA preferred terms the twin uses: Table 4's, the terms of fatal events the
# paper reports only as totals, and neutropenia reported as an adverse event.
FATAL_EVENT_TERMS = ("Sepsis", "Septic shock", "Respiratory failure", "Cardiac failure",
                     "General physical health deterioration", "Multiple organ dysfunction syndrome",
                     "Sudden death", "Pneumonia", "Urinary tract infection")
AE_TERMS = tuple(dict.fromkeys([*published.TABLE4_ADVERSE_EVENTS, *FATAL_EVENT_TERMS, "Neutropenia"]))
# Which events end each time-to-event parameter (an OS event is a death, never a progression).
PFS_EVENTS = ("Progressive disease", "Death")
EVENTS_BY_PARAMETER = {
    "PFS": PFS_EVENTS, "PFSNC": PFS_EVENTS, "PFSINV": PFS_EVENTS, "PFSINVSD": PFS_EVENTS, "DOR": PFS_EVENTS,
    "PFSNT": (*PFS_EVENTS, "Further anti-myeloma treatment"),
    "TTP": ("Progressive disease",),
    "OS": ("Death",),
    "TTR": ("First response (PR or better)",),
    "TTNT": ("Start of further anti-myeloma treatment",),
}

# The description (PARAM) of each parameter code (PARAMCD), file by file: a row whose
# PARAM names another parameter (a copy-paste between blocks of rows) is refused.
PARAMETER_NAMES = {
    "adtte": {
        "PFS": "Progression-free survival, IRC (days)",
        "PFSNC": "PFS, IRC, not censored at further anti-myeloma treatment (days)",
        "PFSNT": "PFS, IRC, further anti-myeloma treatment counted as an event (days)",
        "PFSINV": "Progression-free survival, investigator (days)",
        "PFSINVSD": "PFS, investigator, symptomatic deterioration counted as progression (days)",
        "TTP": "Time to progression, IRC (days)",
        "OS": "Overall survival (days)",
        "DOR": "Duration of response, IRC (days)",
        "TTR": "Time to first response, IRC (days)",
        "TTNT": "Time to next anti-myeloma treatment (days)",
    },
    "adrs": {"BOR": "Best overall response, IRC", "BORINV": "Best overall response, investigator"},
    "adlb": dict(published.LAB_NAMES),
}
