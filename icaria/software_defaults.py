"""The software-defaults page (notebooks/92-software-defaults.md): for each estimator the
book uses, the value SAS, R and Python's libraries (lifelines, statsmodels, scipy) give
on the twin with their defaults.

The Python columns call the libraries with their defaults. The SAS column is computed in
Python: with the book's reference code where SAS's convention differs from the libraries'
(log-log band, Brookmeyer-Crowley limits, the midpoint rule, definition 5 quantiles,
Breslow ties), with a library call where it is the same estimator (named in
:data:`DEFAULTS`). The R column is frozen from a real R run of
``scripts/software_defaults.R`` in :data:`icaria.paths.SOFTWARE_DEFAULTS_R_CSV`;
``tests/test_software_defaults.py`` reruns R and compares.
"""

import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.exceptions import ApproximationWarning
from lifelines.statistics import logrank_test
from lifelines.utils import qth_survival_times, restricted_mean_survival_time
from scipy.stats import binomtest, chi2
from scipy.stats.contingency import odds_ratio
from scipy.stats.mstats import mquantiles
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.stats.contingency_tables import StratifiedTable, Table2x2
from statsmodels.stats.proportion import proportion_confint

from icaria import ipcw
from icaria import survival as sv
from icaria.paths import REPO_ROOT, SOFTWARE_DEFAULTS_R_CSV
from icaria.published import ARMS

R_SCRIPT = REPO_ROOT / "scripts" / "software_defaults.R"
RESPONSE = ["sCR", "CR", "VGPR", "PR"]
LANDMARK_MONTHS = 12
RMST_TAU = 15

# One row per estimator: the defaults, what the book prints and why, and PHUSE CAMIS's
# page comparing SAS and R for it (generic data; https://psiaims.github.io/CAMIS/).
DEFAULTS = pd.DataFrame([
    ("km_band", "Kaplan-Meier 95% band", "log-log (CONFTYPE=LOGLOG)", "log (conf.type = \"log\")",
     "lifelines: log-log; statsmodels: none pointwise", "log-log", "the paper's software", "Comp/r-sas_survival"),
    ("median_ci", "Median and quartile CIs", "Brookmeyer-Crowley on the log-log band; midpoint where S sits at p",
     "the same rule on the log band", "lifelines: first time at or below p, log-log band; statsmodels: cloglog",
     "SAS's", "the paper's software; the midpoint rule is SAS's and R's", "Comp/r-sas_survival"),
    ("quantile", "Sample quantile", "definition 5 (PCTLDEF=5)", "type 7", "pandas, NumPy: linear (type 7); "
     "scipy mquantiles: alphap = betap = 0.4", "definition 5", "the paper's software", "Comp/r-sas-summary-stats"),
    ("cox_ties", "Cox model ties", "Breslow", "Efron", "lifelines: Efron; statsmodels: Breslow", "Breslow",
     "the paper's software (Efron shown beside it in chapter 7)", "Comp/r-sas_survival"),
    ("logrank", "Stratified log-rank test", "STRATA / GROUP=", "survdiff with strata()",
     "statsmodels survdiff(strata=); lifelines: no strata", "stratified", "the paper's primary test",
     "Comp/r-sas_survival"),
    ("interaction", "Treatment-by-factor interaction", "PHREG Type 3: Wald chi-square, Breslow",
     "anova(): likelihood ratio, Efron", "lifelines: Wald in the summary; statsmodels: Wald",
     "likelihood ratio, Breslow", "a likelihood-ratio test is the better-behaved test of a product term",
     "(no CAMIS page)"),
    ("binomial", "Proportion 95% CI", "BINOMIAL: Wald and exact (Clopper-Pearson) both printed",
     "binom.test: Clopper-Pearson", "statsmodels proportion_confint: normal (Wald); scipy binomtest: exact",
     "Clopper-Pearson", "the paper's exact intervals", "Comp/r-sas_ci_for_prop"),
    ("odds_ratio", "Odds ratio and 95% CI", "sample odds ratio, Wald (logit) CI; EXACT OR: exact conditional",
     "fisher.test: conditional MLE, exact conditional CI", "scipy odds_ratio: conditional MLE and exact CI; "
     "statsmodels Table2x2: sample, Wald", "sample odds ratio with exact conditional CI",
     "the paper's (SAS PROC FREQ with EXACT OR)", "Comp/r-sas_ci_for_2indep_prop"),
    ("cmh", "Cochran-Mantel-Haenszel test", "no continuity correction", "mantelhaen.test: correct = TRUE",
     "statsmodels StratifiedTable: no correction", "uncorrected", "the paper's software", "Comp/r-sas_cmh"),
    ("rmst", "Restricted mean survival time", "LIFETEST RMST: tau = largest time; Greenwood-type SE",
     "survfit: tau = largest time of any curve", "lifelines: tau required", "tau = 15 months, survRM2's SE",
     "tau chosen before looking, inside both arms' follow-up", "SAS/rmst"),
    ("follow_up", "Reverse Kaplan-Meier follow-up", "LIFETEST with the censoring flag reversed",
     "survfit(Surv(time, 1 - status))", "lifelines: KaplanMeierFitter on 1 - event", "SAS's (midpoint rule)",
     "the paper's software", "Comp/r-sas_survival"),
    ("ipcw", "IPCW hazard ratio's variance", "PHREG COVS(AGGREGATE) with ID, Breslow",
     "coxph with cluster(id): robust, Efron", "lifelines CoxPHFitter(robust=True) with cluster_col, Efron",
     "robust by patient, Breslow", "the usual choice; it treats the weights as known", "(no CAMIS page)"),
], columns=["key", "estimator", "SAS default", "R default", "Python default", "book prints", "why", "CAMIS"])


def camis_url(page):
    """The PHUSE CAMIS page of a ``DEFAULTS`` entry (None when there is none)."""
    return None if page.startswith("(") else f"https://psiaims.github.io/CAMIS/{page}.html"


def python_column(adsl, adtte, adrs):
    """Every value of the SAS and Python columns on a twin: a table of estimator,
    quantity, software and value."""
    pfs = sv.endpoint(adtte, "PFS")
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ApproximationWarning)   # lifelines' percentile reads its step function
        for function in (km_band, median_ci, quantile_definition, cox_ties, logrank, interaction, rmst):
            rows += function(adtte if function is quantile_definition else pfs)
        rows += follow_up(sv.endpoint(adtte, "OS"))
    rows += response_rows(adsl, adrs)
    rows += ipcw_rows(adsl, adtte)
    return pd.DataFrame(rows, columns=["estimator", "quantity", "software", "value"]).astype({"value": float})


def km_band(pfs):
    """Survival at 12 months with its 95% band, each arm."""
    rows = []
    for arm in ARMS:
        chosen = pfs[pfs["TRT01P"] == arm]
        sas = sv.km_at(chosen["MONTHS"], chosen["EVENT"], LANDMARK_MONTHS)
        fitter = KaplanMeierFitter().fit(chosen["MONTHS"], chosen["EVENT"])
        band = fitter.confidence_interval_survival_function_
        at = band.index.searchsorted(LANDMARK_MONTHS, side="right") - 1
        lifelines = (float(fitter.survival_function_at_times(LANDMARK_MONTHS).iloc[0]), *band.iloc[at])
        for name, values in (("SAS", sas), ("lifelines", lifelines)):
            rows += [("km_band", f"{arm} {label}", name, value) for label, value in
                     zip((f"PFS at {LANDMARK_MONTHS} months", "lower", "upper"), values)]
    return rows


def median_ci(pfs):
    """Median and first quartile of PFS with their 95% CIs, each arm."""
    rows = []
    for arm in ARMS:
        chosen = pfs[pfs["TRT01P"] == arm]
        band = sv.km_confidence(chosen["MONTHS"], chosen["EVENT"])
        fitter = KaplanMeierFitter().fit(chosen["MONTHS"], chosen["EVENT"])
        statsmodels = SurvfuncRight(chosen["MONTHS"].to_numpy(), chosen["EVENT"].to_numpy())
        for name, survival in (("median", 0.5), ("first quartile", 0.75)):
            sas = sv.median_ci_from_band(band, survival)
            limits = qth_survival_times(survival, fitter.confidence_interval_).to_numpy()[0]
            lifelines = (fitter.percentile(survival), *limits)
            smodels = (statsmodels.quantile(1 - survival), *statsmodels.quantile_ci(1 - survival))
            for software, values in (("SAS", sas), ("lifelines", lifelines), ("statsmodels", smodels)):
                rows += [("median_ci", f"{arm} {name}{suffix}", software, _finite(value))
                         for suffix, value in zip(("", " lower", " upper"), values)]
    return rows


def _finite(value):
    """NaN for a limit a library reports as infinite or None (not reached)."""
    return float("nan") if value is None or not np.isfinite(value) else float(value)


def quantile_definition(adtte):
    """The Pd upper quartile of days to first response by each definition."""
    days = adtte.loc[(adtte["PARAMCD"] == "TTR") & (adtte["TRT01P"] == "Pd"), "AVAL"].astype(float)
    quantity = "Pd upper quartile of days to response"
    return [("quantile", quantity, "SAS", np.quantile(days, 0.75, method="averaged_inverted_cdf")),
            ("quantile", quantity, "pandas", days.quantile(0.75)),
            ("quantile", quantity, "scipy", mquantiles(days, [0.75])[0])]


def cox_ties(pfs):
    """The stratified PFS hazard ratio with its 95% CI by each default's ties."""
    sas = sv.cox_hr_ci(pfs, ties="breslow")[:3]
    strata = pfs["STRAT1R"] + "/" + pfs["STRAT2R"]
    lifelines = CoxPHFitter().fit(pfs[["MONTHS", "EVENT", "ISAPD"]].assign(STRATUM=strata), "MONTHS", "EVENT",
                                  strata=["STRATUM"]).summary.loc["ISAPD"]
    model = PHReg(pfs["MONTHS"].to_numpy(), pfs[["ISAPD"]].to_numpy(dtype=float), status=pfs["EVENT"].to_numpy(),
                  strata=strata.to_numpy())
    fit = model.fit()
    statsmodels = np.exp([fit.params[0], *fit.conf_int()[0]])
    values = {"SAS": sas, "lifelines": (lifelines["exp(coef)"], lifelines["exp(coef) lower 95%"],
                                        lifelines["exp(coef) upper 95%"]), "statsmodels": statsmodels}
    return [("cox_ties", quantity, software, value) for software, triple in values.items()
            for quantity, value in zip(("hazard ratio", "lower", "upper"), triple)]


def logrank(pfs):
    """The log-rank test of PFS: stratified by age and lines (SAS, statsmodels), and
    lifelines' unstratified one (it has no strata)."""
    strata = (pfs["STRAT1R"] + "/" + pfs["STRAT2R"]).to_numpy()
    statistic, p = survdiff(pfs["MONTHS"].to_numpy(), pfs["EVENT"].to_numpy(), pfs["ISAPD"].to_numpy(),
                            strata=strata)
    isapd = pfs["ISAPD"] == 1
    plain = logrank_test(pfs.loc[isapd, "MONTHS"], pfs.loc[~isapd, "MONTHS"], pfs.loc[isapd, "EVENT"],
                         pfs.loc[~isapd, "EVENT"])
    return [("logrank", "chi-square", "SAS", statistic), ("logrank", "two-sided p", "SAS", p),
            ("logrank", "chi-square", "statsmodels", statistic), ("logrank", "two-sided p", "statsmodels", p),
            ("logrank", "chi-square", "lifelines", plain.test_statistic),
            ("logrank", "two-sided p", "lifelines", plain.p_value)]


def interaction(pfs):
    """Treatment by age (<75, >=75) in an unstratified Cox model of PFS: likelihood-ratio
    and Wald p with Breslow ties (SAS's; PHREG's Type 3 table is the Wald test) and
    lifelines' Efron ties."""
    table = pfs.assign(OLD=(pfs["STRAT1R"] == ">=75").astype(float))
    table["PRODUCT"] = table["ISAPD"] * table["OLD"]
    full, reduced = ["ISAPD", "OLD", "PRODUCT"], ["ISAPD", "OLD"]
    likelihood = {columns[-1]: sv.cox_log_likelihood(table["MONTHS"], table["EVENT"], table[columns])
                  for columns in (full, reduced)}
    sas_lr = chi2.sf(2 * (likelihood["PRODUCT"] - likelihood["OLD"]), 1)
    fit = PHReg(table["MONTHS"].to_numpy(), table[full].to_numpy(), status=table["EVENT"].to_numpy()).fit()
    sas_wald = float(fit.pvalues[2])
    fitters = {len(columns): CoxPHFitter().fit(table[[*columns, "MONTHS", "EVENT"]], "MONTHS", "EVENT")
               for columns in (full, reduced)}
    lifelines_lr = chi2.sf(2 * (fitters[3].log_likelihood_ - fitters[2].log_likelihood_), 1)
    return [("interaction", "likelihood-ratio p", "SAS", sas_lr), ("interaction", "Wald p", "SAS", sas_wald),
            ("interaction", "likelihood-ratio p", "statsmodels", sas_lr),
            ("interaction", "Wald p", "statsmodels", sas_wald),
            ("interaction", "likelihood-ratio p", "lifelines", lifelines_lr),
            ("interaction", "Wald p", "lifelines", fitters[3].summary.loc["PRODUCT", "p"])]


def rmst(pfs):
    """RMST of PFS to 15 months with its standard error, each arm: SAS's Greenwood-type
    SE (the book's :func:`icaria.survival.rmst_with_se`, as survRM2) and lifelines' area.
    (lifelines' ``return_variance`` is the variance of min(T, tau) among patients, not the
    estimate's; it is left out.)"""
    rows = []
    for arm in ARMS:
        chosen = pfs[pfs["TRT01P"] == arm]
        area, se = sv.rmst_with_se(chosen["MONTHS"], chosen["EVENT"], RMST_TAU)
        fitter = KaplanMeierFitter().fit(chosen["MONTHS"], chosen["EVENT"])
        rows += [("rmst", f"{arm} RMST", "SAS", area), ("rmst", f"{arm} SE", "SAS", se),
                 ("rmst", f"{arm} RMST", "lifelines", restricted_mean_survival_time(fitter, t=RMST_TAU))]
    return rows


def follow_up(overall):
    """Quartiles of follow-up by the reverse Kaplan-Meier method (OS, censorings as events)."""
    sas = sv.reverse_km_follow_up_quartiles(overall)
    fitter = KaplanMeierFitter().fit(overall["MONTHS"], 1 - overall["EVENT"])
    lifelines = [fitter.percentile(share) for share in (0.75, 0.5, 0.25)]
    names = ("first quartile", "median", "third quartile")
    return ([("follow_up", name, "SAS", value) for name, value in zip(names, sas)]
            + [("follow_up", name, "lifelines", value) for name, value in zip(names, lifelines)])


def best_responses(adsl, adrs):
    """Each patient's best overall response with arm, strata and responder (PR or better)."""
    best = adrs[adrs["PARAMCD"] == "BOR"].merge(adsl[["USUBJID", "STRAT1R", "STRAT2R"]], on="USUBJID")
    return best.assign(responder=best["AVALC"].isin(RESPONSE))


def response_rows(adsl, adrs):
    """Overall response: each arm's 95% CI, the odds ratio Isa-Pd vs Pd with its CI, and
    the CMH test stratified by age and lines."""
    best = best_responses(adsl, adrs)
    rows = []
    for arm in ARMS:
        in_arm = best["TRT01P"] == arm
        responders, patients = int(best.loc[in_arm, "responder"].sum()), int(in_arm.sum())
        exact = binomtest(responders, patients).proportion_ci()
        for software, (low, high) in (("SAS", sv_exact_binomial(responders, patients)),
                                      ("statsmodels", proportion_confint(responders, patients)),
                                      ("scipy", (exact.low, exact.high))):
            rows += [("binomial", f"{arm} lower", software, low), ("binomial", f"{arm} upper", software, high)]
    table = (pd.crosstab(best["TRT01P"], best["responder"]).reindex(index=list(ARMS), columns=[True, False])
             .to_numpy())
    sample, conditional = odds_ratio(table, kind="sample"), odds_ratio(table, kind="conditional")
    exact = conditional.confidence_interval(0.95)
    wald = Table2x2(table)
    for software, values in (("SAS", (sample.statistic, *sample.confidence_interval(0.95))),
                             ("SAS, EXACT OR", (sample.statistic, exact.low, exact.high)),
                             ("statsmodels", (wald.oddsratio, *wald.oddsratio_confint())),
                             ("scipy", (conditional.statistic, exact.low, exact.high))):
        rows += [("odds_ratio", quantity, software, value)
                 for quantity, value in zip(("odds ratio", "lower", "upper"), values)]
    tables = [pd.crosstab(group["TRT01P"], group["responder"]).reindex(index=list(ARMS), columns=[True, False],
                                                                        fill_value=0).to_numpy()
              for _, group in best.groupby(["STRAT1R", "STRAT2R"])]
    cmh = StratifiedTable(tables).test_null_odds()
    for software in ("SAS", "statsmodels"):
        rows += [("cmh", "chi-square", software, cmh.statistic), ("cmh", "two-sided p", software, cmh.pvalue)]
    return rows


def sv_exact_binomial(successes, trials):
    """The Clopper-Pearson (exact) 95% interval SAS PROC FREQ's BINOMIAL prints beside
    the Wald one (statsmodels' ``beta`` method)."""
    return proportion_confint(successes, trials, method="beta")


def ipcw_months(adsl, adtte):
    """Chapter 9's patient-months, censored at the switch, with their stabilised weights."""
    months = ipcw.person_months(adsl, adtte)
    return months.assign(weight=ipcw.stabilised_weights(months))


def ipcw_rows(adsl, adtte):
    """The IPCW hazard ratio with its robust (by patient) and model-based SE: SAS's
    Breslow ties (the book's :func:`icaria.ipcw.censored_cox`) and lifelines' robust
    fit with Efron ties."""
    months = ipcw_months(adsl, adtte)
    log_hr, model_se, robust_se = ipcw.censored_cox(months, months["weight"])
    table = months.assign(STRATUM=months["STRAT1R"] + "/" + months["STRAT2R"])[
        ["start", "stop", "death", "isapd", "weight", "STRATUM", "USUBJID"]]
    fitter = CoxPHFitter().fit(table, "stop", "death", entry_col="start", weights_col="weight",
                               cluster_col="USUBJID", strata=["STRATUM"], robust=True)
    quantities = ("hazard ratio", "robust SE of log HR")
    return ([("ipcw", quantity, "SAS", value) for quantity, value in zip(quantities, (np.exp(log_hr), robust_se))]
            + [("ipcw", "model-based SE of log HR", "SAS", model_se)]
            + [("ipcw", quantity, "lifelines", value) for quantity, value in
               zip(quantities, (float(np.exp(fitter.params_["isapd"])), float(fitter.standard_errors_["isapd"])))])


def r_column(path=SOFTWARE_DEFAULTS_R_CSV):
    """The R column, frozen from a real run of ``scripts/software_defaults.R``."""
    return pd.read_csv(path)


def run_r(data_dir, out_csv, adsl, adtte):
    """Run ``scripts/software_defaults.R`` on the twin's CSVs in ``data_dir`` (and the
    IPCW patient-months computed from ``adsl`` and ``adtte``); the R column it writes."""
    months_csv = Path(out_csv).with_name("ipcw-months.csv")
    ipcw_months(adsl, adtte).to_csv(months_csv, index=False)
    subprocess.run(["Rscript", str(R_SCRIPT), str(data_dir), str(months_csv), str(out_csv)], check=True,
                   capture_output=True, text=True)
    return pd.read_csv(out_csv)


def freeze_r_column():
    """Rerun R on the book's twin and write the R column the page shows (after a change
    of the twin or of ``scripts/software_defaults.R``); then re-execute the page."""
    import tempfile

    from icaria import data

    with tempfile.TemporaryDirectory() as folder:
        r = run_r(REPO_ROOT / "data", Path(folder) / "r.csv", data.load("adsl"), data.load("adtte"))
    r.to_csv(SOFTWARE_DEFAULTS_R_CSV, index=False)
    return r


def side_by_side(python, r, estimator):
    """One estimator's values: a row per quantity, a column per software (SAS first);
    NaN where the software reports the value not evaluable or does not offer it (see
    :func:`offered`)."""
    return _pivot(python, r, estimator, "mean")


def offered(python, r, estimator):
    """True where the software of :func:`side_by_side` reports the value (NE included)."""
    return _pivot(python, r, estimator, "size").fillna(0) > 0


def _pivot(python, r, estimator, how):
    both = pd.concat([python, r.drop(columns="r_version", errors="ignore")])
    chosen = both[both["estimator"] == estimator]
    table = chosen.pivot_table(index="quantity", columns="software", values="value", aggfunc=how, sort=False,
                               dropna=False)
    names = list(chosen["software"].drop_duplicates())
    order = [name for name in names if name.startswith("SAS")] + [name for name in names if not name.startswith("SAS")]
    return table[order].reindex(chosen["quantity"].drop_duplicates())
