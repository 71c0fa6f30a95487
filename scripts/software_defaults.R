# The R column of the software-defaults page (notebooks/92-software-defaults.md): each
# estimator the book uses, computed with R's defaults (and, where named, the option that
# gives SAS's) on the twin's CSVs. Run by tests/test_software_defaults.py; its output is
# frozen in icaria/software-defaults-r.csv, which the page reads.
#
#   Rscript scripts/software_defaults.R DATA_DIR IPCW_MONTHS_CSV OUT_CSV
#
# IPCW_MONTHS_CSV: the person-month rows of chapter 9 with their stabilised weights
# (written by icaria.software_defaults.write_ipcw_months), so that R fits the same
# weighted Cox model and only the variance is compared.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
data_dir <- args[1]; months_csv <- args[2]; out_csv <- args[3]
DAYS_PER_MONTH <- 30.4375
ARMS <- c("Isa-Pd", "Pd")
rows <- list()
put <- function(estimator, quantity, software, value) {
  rows[[length(rows) + 1]] <<- data.frame(estimator = estimator, quantity = quantity, software = software,
                                          value = as.numeric(value))
}

adtte <- read.csv(file.path(data_dir, "adtte.csv"), stringsAsFactors = FALSE)
endpoint <- function(code) {
  x <- adtte[adtte$PARAMCD == code, ]
  x$months <- x$AVAL / DAYS_PER_MONTH
  x$event <- 1 - x$CNSR
  x$isapd <- as.integer(x$TRT01P == "Isa-Pd")
  x
}
pfs <- endpoint("PFS")

# Kaplan-Meier band (default conf.type = "log") at 12 months; median and quartile CIs.
for (arm in ARMS) {
  fit <- survfit(Surv(months, event) ~ 1, data = pfs[pfs$TRT01P == arm, ])
  at <- summary(fit, times = 12)
  put("km_band", paste(arm, "PFS at 12 months"), "R", at$surv)
  put("km_band", paste(arm, "lower"), "R", at$lower)
  put("km_band", paste(arm, "upper"), "R", at$upper)
  for (share in c(0.5, 0.25)) {
    q <- quantile(fit, probs = share)
    name <- if (share == 0.5) "median" else "first quartile"
    put("median_ci", paste(arm, name), "R", q$quantile)
    put("median_ci", paste(arm, name, "lower"), "R", q$lower)
    put("median_ci", paste(arm, name, "upper"), "R", q$upper)
  }
}

# Quantile definition: the Pd upper quartile of days to first response.
ttr <- adtte[adtte$PARAMCD == "TTR" & adtte$TRT01P == "Pd", "AVAL"]
put("quantile", "Pd upper quartile of days to response", "R", quantile(ttr, 0.75))
put("quantile", "Pd upper quartile of days to response", "R, type = 2", quantile(ttr, 0.75, type = 2))

# Cox ties: stratified PFS hazard ratio, default (Efron) and Breslow.
for (ties in c("efron", "breslow")) {
  fit <- coxph(Surv(months, event) ~ isapd + strata(STRAT1R, STRAT2R), data = pfs, ties = ties)
  ci <- exp(confint(fit))
  software <- if (ties == "efron") "R" else "R, ties = \"breslow\""
  put("cox_ties", "hazard ratio", software, exp(coef(fit)))
  put("cox_ties", "lower", software, ci[1])
  put("cox_ties", "upper", software, ci[2])
}

# Stratified log-rank test.
test <- survdiff(Surv(months, event) ~ TRT01P + strata(STRAT1R, STRAT2R), data = pfs)
put("logrank", "chi-square", "R", test$chisq)
put("logrank", "two-sided p", "R", pchisq(test$chisq, 1, lower.tail = FALSE))

# Interaction of treatment and age (<75, >=75) in an unstratified Cox model of PFS.
pfs$old <- as.integer(pfs$STRAT1R == ">=75")
for (ties in c("efron", "breslow")) {
  reduced <- coxph(Surv(months, event) ~ isapd + old, data = pfs, ties = ties)
  full <- coxph(Surv(months, event) ~ isapd * old, data = pfs, ties = ties)
  lr <- anova(reduced, full)
  wald <- (coef(full)["isapd:old"])^2 / vcov(full)["isapd:old", "isapd:old"]
  software <- if (ties == "efron") "R" else "R, ties = \"breslow\""
  put("interaction", "likelihood-ratio p", software, lr[2, "Pr(>|Chi|)"])
  put("interaction", "Wald p", software, pchisq(wald, 1, lower.tail = FALSE))
}

# Response: exact binomial intervals, odds ratio, CMH.
adsl <- read.csv(file.path(data_dir, "adsl.csv"), stringsAsFactors = FALSE)
adrs <- read.csv(file.path(data_dir, "adrs.csv"), stringsAsFactors = FALSE)
best <- merge(adrs[adrs$PARAMCD == "BOR", c("USUBJID", "AVALC")], adsl[, c("USUBJID", "TRT01P", "STRAT1R", "STRAT2R")])
best$responder <- best$AVALC %in% c("sCR", "CR", "VGPR", "PR")
for (arm in ARMS) {
  k <- sum(best$responder[best$TRT01P == arm]); n <- sum(best$TRT01P == arm)
  ci <- binom.test(k, n)$conf.int
  put("binomial", paste(arm, "lower"), "R", ci[1])
  put("binomial", paste(arm, "upper"), "R", ci[2])
}
table <- table(factor(best$TRT01P, levels = ARMS), factor(best$responder, levels = c(TRUE, FALSE)))
fisher <- fisher.test(table)
put("odds_ratio", "odds ratio", "R", fisher$estimate)
put("odds_ratio", "lower", "R", fisher$conf.int[1])
put("odds_ratio", "upper", "R", fisher$conf.int[2])
strata <- table(factor(best$TRT01P, levels = ARMS), factor(best$responder, levels = c(TRUE, FALSE)),
                paste(best$STRAT1R, best$STRAT2R))
for (correct in c(TRUE, FALSE)) {
  cmh <- mantelhaen.test(strata, correct = correct)
  software <- if (correct) "R" else "R, correct = FALSE"
  put("cmh", "chi-square", software, cmh$statistic)
  put("cmh", "two-sided p", software, cmh$p.value)
}

# RMST of PFS: survfit's default upper limit (the largest time of any curve) and tau = 15.
fit <- survfit(Surv(months, event) ~ TRT01P, data = pfs)
for (tau in c(NA, 15)) {
  table <- if (is.na(tau)) summary(fit)$table else summary(fit, rmean = tau)$table
  software <- if (is.na(tau)) "R" else "R, rmean = 15"
  for (index in seq_along(ARMS)) {
    put("rmst", paste(ARMS[index], "RMST"), software, table[index, "rmean"])
    put("rmst", paste(ARMS[index], "SE"), software, table[index, "se(rmean)"])
  }
}

# Reverse Kaplan-Meier follow-up of OS (censorings as events), quartiles.
os <- endpoint("OS")
reverse <- survfit(Surv(months, 1 - event) ~ 1, data = os)
quartiles <- quantile(reverse, probs = c(0.25, 0.5, 0.75), conf.int = FALSE)
put("follow_up", "first quartile", "R", quartiles[1])
put("follow_up", "median", "R", quartiles[2])
put("follow_up", "third quartile", "R", quartiles[3])

# IPCW: the weighted, stratified Cox model on the person-months, robust variance by patient.
months <- read.csv(months_csv, stringsAsFactors = FALSE)
for (ties in c("efron", "breslow")) {
  fit <- coxph(Surv(start, stop, death) ~ isapd + strata(STRAT1R, STRAT2R), data = months,
               weights = weight, cluster = USUBJID, ties = ties)
  software <- if (ties == "efron") "R" else "R, ties = \"breslow\""
  put("ipcw", "hazard ratio", software, exp(coef(fit)))
  put("ipcw", "robust SE of log HR", software, sqrt(fit$var[1, 1]))
  put("ipcw", "model-based SE of log HR", software, sqrt(fit$naive.var[1, 1]))
}

out <- do.call(rbind, rows)
out$r_version <- paste0("R ", R.version$major, ".", R.version$minor, ", survival ", packageVersion("survival"))
write.csv(out, out_csv, row.names = FALSE)
