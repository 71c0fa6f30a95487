"""Exact-count checks of the twin's files against the paper's tables.

One row per published count: which table, which row, which arm, the paper's
count and the twin's. Used by the calibration chapter and the tests.
"""

import pandas as pd

from icaria import published


def _count_rows(table_name, counts_by_arm, twin_counts):
    return [{"table": table_name, "row": row, "arm": arm, "published": count,
             "twin": int(twin_counts.get((arm, row), 0))}
            for arm, counts in counts_by_arm.items() for row, count in counts.items()]


def table1_checks(adsl):
    """Table 1 counts: published against the twin's adsl."""
    rows = []
    for column, by_arm in {"AGEGR1": published.TABLE1_AGE_GROUPS, "SEX": published.TABLE1_SEX,
                           **published.TABLE1_CATEGORIES}.items():
        counts = adsl.groupby(["TRT01P", column]).size().to_dict()
        rows += _count_rows(f"Table 1: {column}", by_arm, counts)
    for column, by_arm in published.TABLE1_REFRACTORY.items():
        counts = adsl[adsl[column] == "Y"].groupby("TRT01P").size()
        rows += _count_rows("Table 1: refractory", {arm: {column: n} for arm, n in by_arm.items()},
                            {(arm, column): n for arm, n in counts.items()})
    lines = adsl.groupby(["TRT01P", "STRAT2R"]).size().to_dict()
    rows += _count_rows("Previous lines (strata)", published.PREVIOUS_LINES_GROUPS, lines)
    return rows


def population_checks(adsl):
    """Randomised, treated and dose-reduction counts: published against the twin."""
    randomised = {arm: {"ITT": sum(published.TABLE1_SEX[arm].values())} for arm in published.TREATED}
    rows = _count_rows("Randomised", randomised,
                       {(arm, "ITT"): n for arm, n in adsl.groupby("TRT01P").size().items()})
    treated = adsl[adsl["SAFFL"] == "Y"].groupby("TRT01P").size()
    rows += _count_rows("Safety population", {arm: {"treated": n} for arm, n in published.TREATED.items()},
                        {(arm, "treated"): n for arm, n in treated.items()})
    for column, drug in (("POMRED", "POM"), ("DEXRED", "DEX")):
        reduced = adsl[adsl[column] == "Y"].groupby("TRT01P").size()
        expected = {arm: {column: n} for arm, n in published.DOSE_REDUCTIONS[drug].items()}
        rows += _count_rows("Table 2: dose reductions", expected,
                            {(arm, column): n for arm, n in reduced.items()})
    mrd = adsl[adsl["MRDNEG"] == "Y"].groupby("TRT01P").size()
    rows += _count_rows("MRD negative", {arm: {"MRD-": n} for arm, n in published.MRD_NEGATIVE.items()},
                        {(arm, "MRD-"): n for arm, n in mrd.items()})
    return rows


def table3_checks(adrs):
    """Table 3 best responses (IRC): published against the twin's adrs."""
    expected = {arm: {c: n + (published.TWIN_NE_ADDED[arm] if c == "NE" else 0) for c, n in counts.items()}
                for arm, counts in published.TABLE3_BEST_RESPONSE.items()}
    bor = adrs[adrs["PARAMCD"] == "BOR"].groupby(["TRT01P", "AVALC"]).size().to_dict()
    return _count_rows("Table 3: best response (IRC)", expected, bor)


def table4_checks(adae, adlb):
    """Table 4 events and laboratory grades: published against the twin's adae and adlb."""
    rows = []
    for term, by_arm in published.TABLE4_ADVERSE_EVENTS.items():
        events = adae[adae["AEDECOD"] == term]
        for arm, (total, grade3, grade4) in by_arm.items():
            grades = events.loc[events["TRT01P"] == arm, "AETOXGR"]
            pairs = {"all grades": (total, len(grades)), "grade 3": (grade3, int((grades == 3).sum())),
                     "grade 4": (grade4, int((grades == 4).sum()))}
            rows += [{"table": "Table 4: adverse events", "row": f"{term}, {label}", "arm": arm,
                      "published": expected, "twin": twin}
                     for label, (expected, twin) in pairs.items() if expected is not None]
    for paramcd, by_arm in published.TABLE4_LABORATORY.items():
        values = adlb[adlb["PARAMCD"] == paramcd]
        for arm, (evaluable, any_grade, grade3, grade4) in by_arm.items():
            grades = values.loc[values["TRT01P"] == arm, "ATOXGR"]
            pairs = {"evaluable": (evaluable, len(grades)), "all grades": (any_grade, int((grades >= 1).sum())),
                     "grade 3": (grade3, int((grades == 3).sum())), "grade 4": (grade4, int((grades == 4).sum()))}
            rows += [{"table": "Table 4: laboratory", "row": f"{published.LAB_NAMES[paramcd]}, {label}", "arm": arm,
                      "published": expected, "twin": twin} for label, (expected, twin) in pairs.items()]
    worst = adae.groupby(["TRT01P", "USUBJID"])["AETOXGR"].max()
    for label, counts, twin in (
            ("any grade >= 3", published.GRADE3_PLUS_ANY, (worst >= 3).groupby("TRT01P").sum()),
            ("fatal (grade 5)", published.FATAL_AE, (worst == 5).groupby("TRT01P").sum()),
            ("serious", published.SERIOUS_ANY, adae[adae["AESER"] == "Y"].groupby("TRT01P")["USUBJID"].nunique())):
        rows += [{"table": "Safety text", "row": f"Patients with an event, {label}", "arm": arm, "published": n,
                  "twin": int(twin.get(arm, 0))} for arm, n in counts.items()]
    return rows


def exact_checks(datasets):
    """Every exact count of the paper beside the twin's, for one cut's datasets."""
    rows = (population_checks(datasets["adsl"]) + table1_checks(datasets["adsl"]) + table3_checks(datasets["adrs"])
            + table4_checks(datasets["adae"], datasets["adlb"]))
    table = pd.DataFrame(rows)
    table["equal"] = table["published"] == table["twin"]
    return table
