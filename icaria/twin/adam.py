"""Cut the twin at a calendar date and derive ADaM-shaped datasets.

The latent times say what would happen to each patient; :func:`cut_at` keeps
what was known on the cutoff date and applies the censoring rules of the
paper's analyses:

* PFS (IRC, primary): progression or death; a patient who starts further
  anti-myeloma treatment first is censored at the last assessment before it;
  otherwise censored at the last assessment before the cutoff or loss to
  follow-up; a patient never assessed is censored on the day of randomisation.
* Sensitivity analyses: ``PFSNC`` does not censor at further treatment;
  ``PFSNT`` counts the start of further treatment as an event; ``PFSINV`` uses the
  investigator's progression; ``PFSINVSD`` adds symptomatic deterioration.
* TTP: as PFS, but deaths without progression are censored.
* OS: death from any cause; censored at the last date known alive or the cutoff.
* DOR (responders): from first response to progression or death, censored as PFS.
* TTR (responders): days to first response.
* TTNT: start of further treatment; censored at death or last contact.

The trial sees whole days: a latent time becomes the date ``RANDDT + floor(day)``,
and an event is known at a cut when that date is on or before the cutoff (or the day
of the loss to follow-up) (:func:`seen`), so an event in the afternoon of the cutoff
day counts. A patient lost to follow-up while on study treatment stops it that day
(``DCTREAS`` ``Other``): no patient is on treatment without visits.

``AVAL`` is in days, counted as ``ADT - STARTDT + 1``; months are days / 30.4375.
"""

import numpy as np
import pandas as pd

from icaria import vocabulary
from icaria.twin.outcomes import ASSESSMENT_INTERVAL, RESPONDER

ADSL_COLUMNS = ["USUBJID", "TRT01P", "ITTFL", "SAFFL", "RANDDT", "AGE", "AGEGR1", "SEX", "STRAT1R", "STRAT2R",
                "EGFRGR1", "ASTHCOPD", "PRIORASCT", "YRSDIAG", "MMTYPE", "ISSDIAG", "ISSENTRY", "CYTORISK",
                "PRIORLINES", "PRIORALK", "PRIORDARA", "REFLAST", "REFIMID", "REFLEN", "REFPI", "REFLENPI",
                "REFLENLST", "MRDNEG", "EOTSTT", "DCTREAS", "TRTDURD", "POMRED", "DEXRED", "RDIISA", "RDIPOM",
                "RDIDEX", "DTHFL", "LSTALVDT", "NTDARA"]
ADTTE_COLUMNS = ["USUBJID", "TRT01P", "STRAT1R", "STRAT2R", "PARAMCD", "PARAM", "AVAL", "CNSR", "STARTDT", "ADT",
                 "EVNTDESC", "CNSDTDSC"]
PARAMS = vocabulary.PARAMETER_NAMES["adtte"]   # the data dictionary's descriptions

FURTHER_THERAPY_CENSORING = "Last adequate assessment before further anti-myeloma treatment"


def last_assessment(limit_day, assessed):
    """Day of the last monthly assessment on or before ``limit_day`` (0 if none)."""
    days = np.floor(np.maximum(limit_day, 0) / ASSESSMENT_INTERVAL) * ASSESSMENT_INTERVAL
    return np.where(assessed, days, 0.0)


def horizon_of(latent, available):
    """The last whole day the trial could see each patient: the cutoff or the day of
    the loss to follow-up."""
    return np.minimum(available, np.floor(latent["LOST_DAY"].to_numpy()))


def seen(day, horizon):
    """Whether a latent time ``day`` falls on a date on or before day ``horizon``
    (whole days from randomisation): its date is ``RANDDT + floor(day)``."""
    return np.floor(day) <= horizon


def follow_up(latent, randomised, cutoff):
    """What the cutoff allows: days of follow-up, observed death, last contact day.

    A living patient's last contact is the later of a survival follow-up call (a few
    days before the cutoff or the loss to follow-up) and the last day the trial saw
    the patient for anything else, so no date of any dataset falls after it."""
    available = (pd.Timestamp(cutoff) - randomised).dt.days.to_numpy(dtype=float)
    lost = latent["LOST_DAY"].to_numpy()
    death = latent["DEATH_DAY"].to_numpy()
    horizon = horizon_of(latent, available)
    dead = seen(death, horizon)
    called = np.maximum(0.0, np.minimum(lost, available - latent["CONTACT_LAG_DAYS"]))
    contact = np.where(dead, death, np.maximum(called, last_seen(latent, horizon)))
    return available, dead, contact


SEEN_ON = ("PROGRESSION_DAY", "PROGRESSION_INV_DAY", "PROGRESSION_SD_DAY", "RESPONSE_DAY", "NEXT_TREATMENT_DAY")


def last_seen(latent, horizon):
    """The last day up to ``horizon`` on which the trial saw the patient: a tumour
    assessment, a progression, a response, a day on study treatment (untreated
    patients end it on day 0) or the start of the next treatment."""
    days = [last_assessment(horizon, latent["BOR"].to_numpy() != "NE"),
            np.minimum(latent["TREATMENT_END_DAY"].to_numpy(dtype=float), horizon)]
    for column in SEEN_ON:
        day = latent[column].to_numpy(dtype=float)
        days.append(np.where(seen(day, horizon), day, 0.0))
    return np.max(days, axis=0)


def event_or_censor(event_day, observable, censor_day, event_text, censor_text):
    """Combine: an event where observable, else censoring at ``censor_day``."""
    event = observable & np.isfinite(event_day)
    day = np.where(event, event_day, censor_day)
    return day, np.where(event, 0, 1), np.where(event, event_text, ""), np.where(event, "", censor_text)


def pfs_like(latent, available, dead, contact, progression, *, death_counts=True, further="censor"):
    """Day, CNSR, event text and censoring text of a PFS-type endpoint."""
    death = np.where(dead, latent["DEATH_DAY"], np.inf)
    assessed = latent["BOR"].to_numpy() != "NE"
    progression = np.where(assessed, progression, np.inf)
    horizon = horizon_of(latent, available)
    progression_seen = np.where(seen(progression, horizon) & (progression < death), progression, np.inf)
    further_day = latent["NEXT_TREATMENT_DAY"].to_numpy()
    further_day = np.where(seen(further_day, horizon), further_day, np.inf)
    candidates = {"Progressive disease": progression_seen}
    if death_counts:
        candidates["Death"] = death
    if further == "event":
        candidates["Further anti-myeloma treatment"] = further_day
    names = list(candidates)
    stacked = np.vstack([candidates[k] for k in names])
    first = np.argmin(stacked, axis=0)
    event_day = stacked[first, np.arange(len(first))]
    event_text = np.array(names, dtype=object)[first]
    censor_day = last_assessment(horizon, assessed)
    censor_text = np.where(assessed, "Last adequate assessment before cutoff or loss to follow-up",
                           "Randomisation date (no adequate assessment)")
    if not death_counts:
        died_first = np.isfinite(death) & (death < progression_seen)
        censor_day = np.where(died_first, last_assessment(death, assessed), censor_day)
        censor_text = np.where(died_first, "Last adequate assessment before death", censor_text)
    if further == "censor":
        treated_first = further_day < event_day
        censor_day = np.where(treated_first, last_assessment(further_day - 1, assessed), censor_day)
        censor_text = np.where(treated_first, FURTHER_THERAPY_CENSORING, censor_text)
        event_day = np.where(treated_first, np.inf, event_day)
    return event_or_censor(event_day, np.isfinite(event_day), censor_day, event_text, censor_text)


def endpoint_rows(paramcd, base, start_day, result):
    """ADTTE rows of one parameter from days, censoring flags and their descriptions."""
    day, cnsr, event_text, censor_text = result
    start = base["RANDDT"] + pd.to_timedelta(start_day, unit="D")
    end = base["RANDDT"] + pd.to_timedelta(np.floor(day), unit="D")
    return pd.DataFrame({
        "USUBJID": base["USUBJID"].to_numpy(), "TRT01P": base["TRT01P"].to_numpy(),
        "STRAT1R": base["STRAT1R"].to_numpy(), "STRAT2R": base["STRAT2R"].to_numpy(),
        "PARAMCD": paramcd, "PARAM": PARAMS[paramcd],
        "AVAL": (np.floor(day) - start_day + 1).astype(int), "CNSR": cnsr,
        "STARTDT": start.dt.strftime("%Y-%m-%d").to_numpy(), "ADT": end.dt.strftime("%Y-%m-%d").to_numpy(),
        "EVNTDESC": event_text, "CNSDTDSC": censor_text,
    })


def endpoint_results(latent, available, dead, contact, paramcds):
    """Day, CNSR, event text and censoring text of each one-row-per-patient endpoint of
    ``paramcds`` (DOR and TTR, of responders only, are not among them)."""
    irc = latent["PROGRESSION_DAY"].to_numpy()

    def pfs(progression=irc, **rules):
        return pfs_like(latent, available, dead, contact, progression, **rules)

    builders = {
        "PFS": pfs,
        "PFSNC": lambda: pfs(further="ignore"),
        "PFSNT": lambda: pfs(further="event"),
        "PFSINV": lambda: pfs(latent["PROGRESSION_INV_DAY"].to_numpy()),
        "PFSINVSD": lambda: pfs(latent["PROGRESSION_SD_DAY"].to_numpy()),
        "TTP": lambda: pfs(death_counts=False),
        "OS": lambda: event_or_censor(latent["DEATH_DAY"].to_numpy(), dead, contact, "Death", "Last date known alive"),
        "TTNT": lambda: time_to_next_treatment(latent, available, dead, contact),
    }
    return {code: builders[code]() for code in paramcds if code in builders}


def events_at(twin, cutoff, paramcds):
    """Events of each endpoint of ``paramcds`` known on ``cutoff`` (both arms): what
    :func:`endpoints_at` gives, counted without building its rows."""
    base, latent = enrolled_by(twin, cutoff)
    results = endpoint_results(latent, *follow_up(latent, base["RANDDT"], cutoff), paramcds)
    return {code: int(np.sum(cnsr == 0)) for code, (_, cnsr, _, _) in results.items()}


def adtte(base, latent, cutoff, paramcds=tuple(PARAMS)):
    """Rows of the endpoints ``paramcds`` (all by default) as known on ``cutoff``."""
    available, dead, contact = follow_up(latent, base["RANDDT"], cutoff)
    zero = np.zeros(len(base))
    # The primary PFS also gives duration of response: computed once for both.
    wanted = set(paramcds)
    results = endpoint_results(latent, available, dead, contact, [*paramcds, "PFS"] if wanted & {"DOR", "TTR"}
                               else paramcds)
    rows = [endpoint_rows(code, base, zero, results[code]) for code in paramcds if code in results]
    responded = np.isin(latent["BOR"], RESPONDER) & seen(latent["RESPONSE_DAY"].to_numpy(), available)
    if responded.any() and {"DOR", "TTR"} & wanted:
        pfs = results["PFS"]
        response_day = latent["RESPONSE_DAY"].to_numpy()[responded]
        subset = base[responded].reset_index(drop=True)
        dor = [part[responded] for part in pfs]
        dor[0] = np.maximum(dor[0], response_day)
        rows.append(endpoint_rows("DOR", subset, response_day, tuple(dor)))
        rows.append(endpoint_rows("TTR", subset, np.zeros(len(subset)),
                                  (response_day, np.zeros(len(subset), dtype=int),
                                   np.full(len(subset), "First response (PR or better)", dtype=object),
                                   np.full(len(subset), "", dtype=object))))
    order = {code: i for i, code in enumerate(PARAMS)}
    table = pd.concat(rows, ignore_index=True)
    table = table[table["PARAMCD"].isin(wanted)]
    table["_order"] = table["PARAMCD"].map(order)
    table = table.sort_values(["_order", "USUBJID"], kind="stable").reset_index(drop=True)
    return table[ADTTE_COLUMNS]


def time_to_next_treatment(latent, available, dead, contact):
    """Start of further anti-myeloma treatment; deaths before it are censored."""
    further = latent["NEXT_TREATMENT_DAY"].to_numpy()
    further = np.where(seen(further, horizon_of(latent, available)), further, np.inf)
    censor_text = np.where(dead, "Death before further treatment", "Last contact")
    return event_or_censor(further, np.isfinite(further), contact, "Start of further anti-myeloma treatment",
                           censor_text)


def lost_on_treatment(latent, available):
    """Whether each patient was lost to follow-up before the cutoff while still on study
    treatment: treatment stops on the day of the loss (``DCTREAS`` ``Other``)."""
    lost = np.floor(latent["LOST_DAY"].to_numpy()) < available
    return lost & ~seen(latent["TREATMENT_END_DAY"].to_numpy(), horizon_of(latent, available))


def adsl_at(base, latent, cutoff):
    """ADSL as known on ``cutoff``: treatment status, death flag, last date known alive."""
    available, dead, contact = follow_up(latent, base["RANDDT"], cutoff)
    end = latent["TREATMENT_END_DAY"].to_numpy()
    treated = base["SAFFL"].to_numpy() == "Y"
    horizon = horizon_of(latent, available)
    lost = treated & lost_on_treatment(latent, available)
    stopped = treated & seen(end, horizon) | lost
    table = base.copy()
    table["EOTSTT"] = np.where(~treated, "NOT TREATED", np.where(stopped, "DISCONTINUED", "ONGOING"))
    table["DCTREAS"] = np.where(lost, "Other", np.where(stopped, latent["TREATMENT_END_REASON"], ""))
    table["TRTDURD"] = np.where(treated, np.floor(np.minimum(end, horizon)) + 1, 0).astype(int)
    table["DTHFL"] = np.where(dead, "Y", "N")
    table["LSTALVDT"] = (base["RANDDT"] + pd.to_timedelta(np.floor(contact), unit="D")).dt.strftime("%Y-%m-%d")
    further = seen(latent["NEXT_TREATMENT_DAY"].to_numpy(), horizon)
    table["NTDARA"] = np.where(further, np.where(latent["NEXT_IS_DARATUMUMAB"], "Y", "N"), "")
    table["RANDDT"] = base["RANDDT"].dt.strftime("%Y-%m-%d")
    return table[ADSL_COLUMNS]


def adrs(base, latent):
    """ADRS: the best overall response by the committee and by the investigator."""
    rows = []
    for paramcd, label in vocabulary.PARAMETER_NAMES["adrs"].items():
        rows.append(pd.DataFrame({"USUBJID": base["USUBJID"], "TRT01P": base["TRT01P"], "PARAMCD": paramcd,
                                  "PARAM": label, "AVALC": latent[paramcd].to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def enrolled_by(twin, cutoff):
    """Baseline and latent rows of the patients randomised on or before ``cutoff``."""
    enrolled = (twin["base"]["RANDDT"] <= pd.Timestamp(cutoff)).to_numpy()
    return twin["base"][enrolled].reset_index(drop=True), twin["latent"][enrolled].reset_index(drop=True)


def endpoints_at(twin, cutoff, paramcds):
    """Only the adtte rows of ``paramcds`` as known on ``cutoff`` (faster than :func:`cut_at`)."""
    return adtte(*enrolled_by(twin, cutoff), cutoff, paramcds)


def cut_at(twin, cutoff):
    """The five ADaM datasets as known on ``cutoff`` (an ISO date string).

    Patients randomised after the cutoff are not in the trial yet. Safety data are
    modelled at the primary cutoff only and are returned as they are.
    """
    base, latent = enrolled_by(twin, cutoff)
    patients = set(base["USUBJID"])
    return {
        "adsl": adsl_at(base, latent, cutoff),
        "adtte": adtte(base, latent, cutoff),
        "adrs": adrs(base, latent),
        "adae": twin["adae"][twin["adae"]["USUBJID"].isin(patients)].reset_index(drop=True),
        "adlb": twin["adlb"][twin["adlb"]["USUBJID"].isin(patients)].reset_index(drop=True),
    }
