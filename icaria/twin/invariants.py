"""What a CDISC reviewer checks across the twin's datasets, as rules.

Each rule compares dates or flags of one patient across ADSL, ADTTE and ADRS (and
ADAE against treatment exposure). :func:`violations` returns one row per broken
rule and patient; the tests require none, at both data cuts. :func:`events_missed`
compares a cut with a later one (or with the twin followed for ever): every event
dated on or before the cutoff, the cutoff day included, is an event of the cut.
"""

import pandas as pd

from icaria import published
from icaria.twin.adam import FURTHER_THERAPY_CENSORING
from icaria.twin.outcomes import RESPONDER

RULES = (
    "a date falls before randomisation",
    "a date falls after the cutoff",
    "an analysis date after the last date known alive",
    "the OS date is not the last date known alive",
    "DTHFL disagrees with the OS event",
    "an event after death",
    "stopped treatment for death but alive",
    "treatment after the last date known alive",
    "a responder without a time to response",
    "a response after progression or death",
    "a response after further anti-myeloma therapy started",
    "a duplicate patient and parameter",
    "an adverse event of an untreated patient",
    "on treatment at the cutoff without a contact in the last 8 weeks",
    "an adverse event after treatment end and its safety follow-up",
)
PROGRESSION_TYPE = ("PFS", "PFSNC", "PFSNT", "PFSINV", "PFSINVSD", "TTP", "DOR")


def violations(adsl, adtte, adrs, adae, cutoff):
    """One row per (rule, patient) that does not hold."""
    cutoff = pd.Timestamp(cutoff)
    patients = adsl.set_index("USUBJID")
    randomised = pd.to_datetime(patients["RANDDT"])
    alive_until = pd.to_datetime(patients["LSTALVDT"])
    dead = patients["DTHFL"] == "Y"
    end = pd.to_datetime(adtte["ADT"])
    start = pd.to_datetime(adtte["STARTDT"])
    by_patient = adtte["USUBJID"]
    wide = adtte.pivot(index="USUBJID", columns="PARAMCD", values="ADT").apply(pd.to_datetime)
    cnsr = adtte.pivot(index="USUBJID", columns="PARAMCD", values="CNSR")
    best = adrs[adrs["PARAMCD"] == "BOR"].set_index("USUBJID")["AVALC"]
    rules = {
        "a date falls before randomisation": by_patient[(start < randomised.reindex(by_patient).to_numpy())],
        "a date falls after the cutoff": by_patient[end > cutoff],
        "an analysis date after the last date known alive":
            by_patient[end > alive_until.reindex(by_patient).to_numpy()],
        "the OS date is not the last date known alive": _index(wide["OS"] != alive_until.reindex(wide.index)),
        "DTHFL disagrees with the OS event": _index((cnsr["OS"] == 0) != dead.reindex(cnsr.index)),
        "an event after death": _index(_event_after(wide, cnsr, dead)),
        "stopped treatment for death but alive": _index((patients["DCTREAS"] == "Death") & ~dead),
        "treatment after the last date known alive": _index(
            randomised + pd.to_timedelta(patients["TRTDURD"] - 1, unit="D") > alive_until),
        "a responder without a time to response": _index(best.isin(RESPONDER) & ~best.index.isin(
            adtte.loc[adtte["PARAMCD"] == "TTR", "USUBJID"])),
        "a response after progression or death": _index(_response_after_pfs_event(wide, cnsr)),
        "a response after further anti-myeloma therapy started": _index(_response_after_further_therapy(
            adtte, wide, cnsr)),
        "a duplicate patient and parameter": adtte.loc[adtte.duplicated(["USUBJID", "PARAMCD"]), "USUBJID"],
        "an adverse event of an untreated patient": adae.loc[
            adae["USUBJID"].map(patients["SAFFL"]) != "Y", "USUBJID"],
        "on treatment at the cutoff without a contact in the last 8 weeks": _index(
            (patients["EOTSTT"] == "ONGOING") & ((cutoff - alive_until).dt.days > published.NO_RECENT_CONTACT_DAYS)),
        "an adverse event after treatment end and its safety follow-up": adae.loc[
            adae["ASTDY"] > adae["USUBJID"].map(patients["TRTDURD"]) + published.SAFETY_FOLLOW_UP_DAYS, "USUBJID"],
    }
    rows = [{"rule": rule, "USUBJID": patient} for rule, ids in rules.items() for patient in pd.unique(ids)]
    return pd.DataFrame(rows, columns=["rule", "USUBJID"])


def _index(mask):
    return mask[mask.fillna(False).astype(bool)].index.to_series()


def _event_after(wide, cnsr, dead):
    """An event date of a progression-type endpoint later than the OS (death) date."""
    later = pd.Series(False, index=wide.index)
    for code in PROGRESSION_TYPE:
        if code in wide:
            later |= (cnsr[code] == 0) & dead.reindex(wide.index) & (wide[code] > wide["OS"])
    return later


def _response_after_pfs_event(wide, cnsr):
    if "TTR" not in wide:
        return pd.Series(False, index=wide.index)
    return wide["TTR"].notna() & (cnsr["PFS"] == 0) & (wide["TTR"] > wide["PFS"])


def _response_after_further_therapy(adtte, wide, cnsr):
    """No response is assessed once further therapy starts: a first response (TTR) on
    or after the start of further therapy (TTNT), or after the last assessment before it,
    where PFS is censored."""
    if not {"TTR", "PFS", "TTNT"} <= set(wide):
        return pd.Series(False, index=wide.index)
    pfs = adtte[adtte["PARAMCD"] == "PFS"].set_index("USUBJID")["CNSDTDSC"].reindex(wide.index)
    censored_for_therapy = (cnsr["PFS"] == 1) & (pfs == FURTHER_THERAPY_CENSORING)
    started = cnsr["TTNT"] == 0
    return wide["TTR"].notna() & ((censored_for_therapy & (wide["TTR"] > wide["PFS"]))
                                  | (started & (wide["TTR"] >= wide["TTNT"])))


def events_missed(adtte, later, cutoff):
    """Rows of ``later`` (ADTTE of a later cut, or of the twin followed for ever) whose
    event is dated on or before ``cutoff`` but is not the same event, on the same date,
    in ``adtte`` (the cut at ``cutoff``). A cut that drops an event of its last day, or
    dates one otherwise, has some; the twin has none."""
    due = later[(later["CNSR"] == 0) & (pd.to_datetime(later["ADT"]) <= pd.Timestamp(cutoff))
                & later["USUBJID"].isin(adtte["USUBJID"])]
    known = adtte.loc[adtte["CNSR"] == 0, ["USUBJID", "PARAMCD", "ADT"]]
    matched = due[["USUBJID", "PARAMCD"]].assign(ADT=pd.to_datetime(due["ADT"])).merge(
        known.assign(ADT=pd.to_datetime(known["ADT"])), on=["USUBJID", "PARAMCD", "ADT"], how="left", indicator=True)
    return due[(matched["_merge"] == "left_only").to_numpy()].reset_index(drop=True)
