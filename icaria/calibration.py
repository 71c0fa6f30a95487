"""How close the twin is to the paper: every calibration target, measured with
the book's own analysis code (:mod:`icaria.survival`) on the twin's datasets. It
uses both the twin and the analysis, so it sits above both (the twin itself depends
on the published facts only; ``pyproject.toml``'s import contracts hold that).

A target is an entry of ``TWIN_TARGETS`` in :mod:`icaria.published` (route
``twin``), with its tolerance. The distance the seed search minimises is the sum over targets
of ((twin - published) / tolerance)²; a twin passes when every target is inside
its tolerance and the PFS log-rank p-value lies between 0.0005 and 0.002 (the abstract's
0.001, read as two-sided as chapter 1 explains).

Every Cox hazard ratio is fitted as the paper's software fits it, SAS PROC PHREG with
its default Breslow ties (:data:`icaria.survival.SAS_TIES`); the IPCW hazard ratio is
chapter 9's analysis (:mod:`icaria.ipcw`).
"""

import numpy as np
import pandas as pd

from icaria import ipcw, published
from icaria import survival as sv
from icaria.population import consort_counts
from icaria.twin import adam

P_VALUE_RANGE = (0.0005, 0.002)
SENSITIVITY_PARAMCDS = ("PFSNC", "PFSNT", "PFSINV", "PFSINVSD")


def cox_hr(rows):
    """Stratified hazard ratio Isa-Pd vs Pd with SAS's default (Breslow) ties."""
    return sv.stratified_cox_hr(rows, ties=sv.SAS_TIES)


def per_arm(series_by_arm):
    """A per-arm series as (Isa-Pd, Pd) floats, 0 for an arm that is missing."""
    return float(series_by_arm.get("Isa-Pd", 0)), float(series_by_arm.get("Pd", 0))


def measure(primary, final):
    """Every calibration target's value (a dict of id -> number).

    ``primary`` and ``final`` are the datasets of the two cuts (dicts with at
    least ``adtte`` and ``adsl``), from :func:`icaria.twin.adam.cut_at` or read
    from ``data/`` with :func:`icaria.data.load`.
    """
    values = {}
    pfs = sv.endpoint(primary["adtte"], "PFS")
    values["twin_pfs_median_isapd"], values["twin_pfs_median_pd"] = sv.km_median(pfs, "Isa-Pd"), sv.km_median(pfs, "Pd")
    values["twin_pfs_hr"] = cox_hr(pfs)
    values["twin_pfs_events"] = float(pfs["EVENT"].sum())
    values["twin_pfs_p_two_sided"] = sv.logrank_two_sided(pfs)
    overall = sv.endpoint(primary["adtte"], "OS")
    values["twin_follow_up_median"] = sv.reverse_km_median_follow_up(overall)
    values["twin_os_deaths_isapd"], values["twin_os_deaths_pd"] = per_arm(overall.groupby("TRT01P")["EVENT"].sum())
    values["twin_os_hr"] = cox_hr(overall)
    values["twin_ipcw_hr"] = float(ipcw.ipcw_hazard_ratio(primary["adsl"], primary["adtte"])[0])
    for code, key in (("PFSINV", "pfsinv"), ("TTP", "ttp"), ("DOR", "dor")):
        rows = sv.endpoint(primary["adtte"], code)
        values[f"twin_{key}_median_isapd"], values[f"twin_{key}_median_pd"] = (sv.km_median(rows, "Isa-Pd"),
                                                                             sv.km_median(rows, "Pd"))
    values["twin_pfsinv_hr"] = cox_hr(sv.endpoint(primary["adtte"], "PFSINV"))
    ttr = sv.endpoint(primary["adtte"], "TTR")
    values["twin_ttr_median_isapd"], values["twin_ttr_median_pd"] = per_arm(ttr.groupby("TRT01P")["AVAL"].median())
    values.update(subsequent_therapy(final))
    values.update(disposition(primary["adsl"]))
    ttnt = sv.endpoint(primary["adtte"], "TTNT")
    values["twin_ttnt_median_pd"], values["twin_ttnt_hr"] = sv.km_median(ttnt, "Pd"), cox_hr(ttnt)
    sensitivity = [cox_hr(sv.endpoint(primary["adtte"], code)) for code in SENSITIVITY_PARAMCDS]
    values["twin_sensitivity_hr_min"], values["twin_sensitivity_hr_max"] = min(sensitivity), max(sensitivity)
    final_os = sv.endpoint(final["adtte"], "OS")
    values["twin_final_os_deaths_isapd"], values["twin_final_os_deaths_pd"] = per_arm(
        final_os.groupby("TRT01P")["EVENT"].sum())
    values["twin_final_os_median_isapd"] = sv.km_median(final_os, "Isa-Pd")
    values["twin_final_os_median_pd"] = sv.km_median(final_os, "Pd")
    values["twin_final_os_hr"] = cox_hr(final_os)
    return values


def measure_twin(twin):
    """:func:`measure` on a freshly generated twin, cut in memory."""
    return measure(adam.cut_at(twin, published.PRIMARY_CUTOFF), adam.cut_at(twin, published.FINAL_OS_CUTOFF))


def subsequent_therapy(final):
    """Patients who had started further therapy (and daratumumab) by the paper's date
    (22 Nov 2018), read from the final cut's start dates."""
    ttnt = final["adtte"][final["adtte"]["PARAMCD"] == "TTNT"]
    by_date = pd.to_datetime(ttnt["ADT"]) <= pd.Timestamp(published.SUBSEQUENT_THERAPY_DATE)
    started = ttnt[(ttnt["CNSR"] == 0) & by_date]
    daratumumab = final["adsl"].set_index("USUBJID").loc[started["USUBJID"], "NTDARA"].to_numpy() == "Y"
    values = {}
    values["twin_subsequent_isapd"], values["twin_subsequent_pd"] = per_arm(started.groupby("TRT01P").size())
    values["twin_daratumumab_isapd"], values["twin_daratumumab_pd"] = per_arm(
        started[daratumumab].groupby("TRT01P").size())
    return values


def disposition(adsl):
    """Patients still on treatment, and stopped for progression, at the cutoff (the
    flow diagram's counts)."""
    flow = consort_counts(adsl)
    return {"twin_ongoing_isapd": flow["Isa-Pd"]["ongoing"], "twin_ongoing_pd": flow["Pd"]["ongoing"],
            "twin_stopped_progression_isapd": flow["Isa-Pd"]["Progressive disease"],
            "twin_stopped_progression_pd": flow["Pd"]["Progressive disease"]}


def report(values):
    """One row per target: published, twin, difference, tolerance, pass."""
    rows = []
    for key, value in values.items():
        entry = published.TWIN_TARGETS[key]
        ok = np.isfinite(value) and abs(value - entry.value) <= entry.tolerance + 1e-12
        if key == "twin_pfs_p_two_sided":
            ok = P_VALUE_RANGE[0] <= value <= P_VALUE_RANGE[1]
        rows.append({"target": entry.quantity, "published": entry.value, "twin": value,
                     "difference": value - entry.value, "tolerance": entry.tolerance, "pass": bool(ok)})
    return pd.DataFrame(rows, index=pd.Index(list(values), name="id"))


NOT_REACHED_PENALTY = 100.0


def distance(values):
    """Sum of squared standardised misses; a median not reached costs a fixed penalty."""
    total = 0.0
    for key, value in values.items():
        entry = published.TWIN_TARGETS[key]
        total += ((value - entry.value) / entry.tolerance) ** 2 if np.isfinite(value) else NOT_REACHED_PENALTY
    return total
