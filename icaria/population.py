"""Who was in the trial: the CONSORT flow counted from adsl rows, and Table 1 of
the twin beside the paper's.

The flow diagram's numbers all come from :func:`consort_counts` (rows of the
twin's adsl) except the screening count, which the twin does not model and is
taken from the trial registry (``published.SCREENED``). The diagram itself is drawn
by :func:`icaria.diagrams.draw_consort`: analysis knows no styles.
"""

import pandas as pd

from icaria import published
from icaria.arguments import arms_in, once_each, rows_in, table_with
from icaria.published import ARMS

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "06-who-was-in-the-trial"

DISCONTINUATION_REASONS = ("Progressive disease", "Adverse event", "Death", "Other")


def check_adsl(adsl, columns):
    """adsl with ``columns``, one row per patient, and patients in both arms (spelt as the book spells them)."""
    table_with("adsl", adsl, ["USUBJID", "TRT01P", *columns])
    once_each("adsl", rows_in("adsl", adsl), ["USUBJID"])
    arms_in("adsl", adsl, ARMS)


def consort_counts(adsl):
    """Every number of the flow diagram, counted from adsl: a dict of arm -> counts."""
    check_adsl(adsl, ["SAFFL", "EOTSTT", "DCTREAS", "ITTFL"])
    counts = {}
    for arm in ARMS:
        rows = adsl[adsl["TRT01P"] == arm]
        stopped = rows[rows["EOTSTT"] == "DISCONTINUED"]
        counts[arm] = {
            "randomised": len(rows),
            "treated": int((rows["SAFFL"] == "Y").sum()),
            "not treated": int((rows["SAFFL"] == "N").sum()),
            "ongoing": int((rows["EOTSTT"] == "ONGOING").sum()),
            "discontinued": len(stopped),
            **{reason: int((stopped["DCTREAS"] == reason).sum()) for reason in DISCONTINUATION_REASONS},
            "analysed (ITT)": int((rows["ITTFL"] == "Y").sum()),
        }
    return counts


def table1_comparison(adsl):
    """One row per printed Table 1 category and arm: the paper's count, the twin's count, and the difference."""
    check_adsl(adsl, ["AGEGR1", "SEX", *published.TABLE1_CATEGORIES, *published.TABLE1_REFRACTORY])
    rows = []
    categories = {"AGEGR1": published.TABLE1_AGE_GROUPS, "SEX": published.TABLE1_SEX,
                  **published.TABLE1_CATEGORIES,
                  **{column: {arm: {"Y": n} for arm, n in by_arm.items()}
                     for column, by_arm in published.TABLE1_REFRACTORY.items()}}
    for column, by_arm in categories.items():
        twin_counts = adsl.groupby(["TRT01P", column]).size()
        for arm, counts in by_arm.items():
            for category, count in counts.items():
                if category in published.UNPRINTED_CATEGORIES:
                    continue
                twin = int(twin_counts.get((arm, category), 0))
                rows.append({"characteristic": published.TABLE1_LABELS[column], "category": category, "arm": arm,
                             "id": published.table1_id(column, category, arm), "paper": count, "twin": twin,
                             "difference": twin - count})
    return pd.DataFrame(rows)
