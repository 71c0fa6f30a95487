"""Figures the chapters share: Kaplan-Meier curves with a numbers-at-risk table.

Arms keep the colours, order and labels of :mod:`icaria.style` on every figure.
"""

import numpy as np
from lifelines import KaplanMeierFitter
from lifelines.plotting import add_at_risk_counts

from icaria.style import ARM_COLOURS, ARMS

RISK_TABLE_ROWS = ["At risk"]


def km_fitters(rows, time="MONTHS", event="EVENT"):
    """One fitted Kaplan-Meier estimator per arm, in the book's arm order."""
    fitters = []
    for arm in ARMS:
        arm_rows = rows[rows["TRT01P"] == arm]
        fitters.append(KaplanMeierFitter(label=arm).fit(arm_rows[time], arm_rows[event]))
    return fitters


def km_with_risk_table(ax, rows, *, xlabel="Months since randomisation", ylabel="Probability", step=3, xmax=None):
    """Kaplan-Meier curves of both arms with censoring marks and, under the
    plot, the number of patients still at risk every ``step`` months."""
    fitters = km_fitters(rows)
    xmax = xmax or float(np.ceil(rows["MONTHS"].max() / step) * step)
    for fitter in fitters:
        fitter.plot_survival_function(ax=ax, ci_show=False, show_censors=True, color=ARM_COLOURS[fitter._label],
                                      censor_styles={"marker": "|", "ms": 6, "mew": 1})
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, 1.02)
    ax.set_xticks(np.arange(0, xmax + 0.01, step))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper right")
    add_at_risk_counts(*fitters, ax=ax, rows_to_show=RISK_TABLE_ROWS, xticks=list(np.arange(0, xmax + 0.01, step)))
    return fitters
