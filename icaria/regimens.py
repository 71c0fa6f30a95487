"""The two regimens of ICARIA-MM as data, and the dosing calendar built from them.

Source: Attal et al., Lancet 2019, Methods ("Procedures"). Every cycle lasts 28
days. Isatuximab 10 mg/kg IV on days 1, 8, 15 and 22 of cycle 1, then days 1 and
15; pomalidomide 4 mg orally on days 1-21; dexamethasone 40 mg (20 mg from age
75) orally or IV on days 1, 8, 15 and 22. Pd is the same without isatuximab.
"""

import math
from dataclasses import dataclass

import numpy
import pandas as pd

from icaria.arguments import one_of, whole
from icaria.live import Changed, Chart, LiveFigure, dropdown, int_slider
from icaria.numbers import plural
from icaria.style import ARMS, DRUG_COLOURS, SMALL_TEXT

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "01-trial-at-a-glance"

CYCLE_DAYS = 28
MAX_CYCLES = 12
AGE_GROUPS = ("<75", ">=75")
# How a reader reads each age group (the live figure's options and texts).
AGE_GROUP_LABELS = {"under 75": "<75", "75 or over": ">=75"}
DRUGS = ("Isatuximab", "Pomalidomide", "Dexamethasone")


@dataclass(frozen=True)
class Drug:
    """One drug of the regimens: route, unit and dosing days of the first and later cycles."""

    name: str
    route: str
    unit: str
    first_cycle_days: tuple
    later_cycle_days: tuple

    def dose(self, age_group):
        """Dose per administration for a patient in ``age_group``."""
        if self.name == "Isatuximab":
            return 10
        if self.name == "Pomalidomide":
            return 4
        return 20 if age_group == ">=75" else 40


WEEKLY = (1, 8, 15, 22)
REGIMEN_DRUGS = {
    "Isatuximab": Drug("Isatuximab", "IV infusion", "mg/kg", WEEKLY, (1, 15)),
    "Pomalidomide": Drug("Pomalidomide", "oral", "mg", tuple(range(1, 22)), tuple(range(1, 22))),
    "Dexamethasone": Drug("Dexamethasone", "oral or IV", "mg", WEEKLY, WEEKLY),
}
ARM_DRUGS = {"Isa-Pd": DRUGS, "Pd": ("Pomalidomide", "Dexamethasone")}


def dosing_schedule(arm, cycles, age_group):
    """One row per administration: drug, cycle, day within cycle, study day, dose.

    Study day 1 is the first day of cycle 1.
    """
    one_of("Arm", arm, ARMS)
    whole("Number of cycles", cycles, 1, MAX_CYCLES)
    one_of("Age group", age_group, AGE_GROUPS)
    rows = []
    for drug_name in ARM_DRUGS[arm]:
        drug = REGIMEN_DRUGS[drug_name]
        for cycle in range(1, cycles + 1):
            days = drug.first_cycle_days if cycle == 1 else drug.later_cycle_days
            for day in days:
                rows.append(
                    {
                        "drug": drug.name,
                        "cycle": cycle,
                        "cycle_day": day,
                        "study_day": (cycle - 1) * CYCLE_DAYS + day,
                        "dose": drug.dose(age_group),
                        "unit": drug.unit,
                        "route": drug.route,
                    }
                )
    return pd.DataFrame(rows)


DRUG_MARKERS = {"Isatuximab": "D", "Pomalidomide": "s", "Dexamethasone": "o"}


def dosing_row_label(drug_name, arm, age_group, doses=0):
    """The calendar's row label of a drug: dose, route and the number of ``doses`` drawn,
    or not given in this arm."""
    drug = REGIMEN_DRUGS[drug_name]
    if drug_name not in ARM_DRUGS[arm]:
        return f"{drug.name}: not given in {arm}"
    return f"{drug.name} {drug.dose(age_group)} {drug.unit}, {drug.route}: {plural(doses, 'dose')}"


class DosingCalendarFigure(Chart):
    """One arm's administrations day by day, one row per drug, cycles shaded.

    The figure is built once with every artist (for up to ``MAX_CYCLES`` cycles);
    each view only moves and relabels them, which keeps a live redraw fast. The axes
    depend on the number of cycles only: a change of arm or age group redraws the
    doses and labels over a kept background.
    """

    figsize = (5.2, 3.8)

    def controls(self):
        return {
            "arm": dropdown("Arm", list(ARM_DRUGS), "Isa-Pd"),
            "cycles": int_slider("Cycles", 1, MAX_CYCLES, 3),
            "age_group": dropdown("Age group", AGE_GROUP_LABELS, "<75"),
        }

    def build(self, figure):
        figure.clear()
        # 5.2 inches wide (10 pt type shows at 9 CSS px on a 390 px phone): each drug's
        # label and dose count sit above its row, not beside it.
        figure.subplots_adjust(left=0.04, right=0.96, bottom=0.2, top=0.88)
        ax = figure.add_subplot()
        rows = {}
        for y, drug_name in enumerate(reversed(DRUGS)):
            rows[drug_name] = {
                "y": y,
                "points": ax.scatter([], [], marker=DRUG_MARKERS[drug_name], s=36, zorder=3,
                                     color=DRUG_COLOURS[drug_name], edgecolor="black", linewidth=0.5),
                "label": ax.text(0.01, y + 0.22, "", transform=ax.get_yaxis_transform(), ha="left", va="bottom",
                                 fontsize=SMALL_TEXT, zorder=4),
            }
        cycles = []
        for cycle in range(1, MAX_CYCLES + 1):
            start = (cycle - 1) * CYCLE_DAYS + 0.5
            shade = "#eeeeee" if cycle % 2 else "white"
            cycles.append((ax.axvspan(start, start + CYCLE_DAYS, color=shade, zorder=0),
                           ax.text(start + CYCLE_DAYS / 2, len(DRUGS) - 0.12, f"C{cycle}", ha="center",
                                   fontsize=SMALL_TEXT, color="#444444")))
        ax.set_ylim(-0.3, len(DRUGS) + 0.1)
        ax.set_yticks([])
        ax.set_xlabel("Study day (C1, C2, ...: 28-day cycles)", fontsize=SMALL_TEXT)
        ax.spines["left"].set_visible(False)
        return {"ax": ax, "rows": rows, "cycles": cycles}

    def update(self, arm="Isa-Pd", cycles=3, age_group="<75"):
        schedule = dosing_schedule(arm, cycles, age_group)
        a = self.artists
        for drug_name in DRUGS:
            days = schedule.loc[schedule["drug"] == drug_name, "study_day"].to_numpy()
            row = a["rows"][drug_name]
            row["points"].set_offsets([(day, row["y"]) for day in days] or numpy.empty((0, 2)))
            row["label"].set_text(dosing_row_label(drug_name, arm, age_group, len(days)))
        for cycle, (span, text) in enumerate(a["cycles"], start=1):
            span.set_visible(cycle <= cycles)
            text.set_visible(cycle <= cycles)
        a["ax"].set_xlim(0.5, cycles * CYCLE_DAYS + 0.5)
        stride = math.ceil(cycles / 6)   # at most 6 ticks, each on a cycle's first day
        a["ax"].set_xticks([1 + CYCLE_DAYS * cycle for cycle in range(0, cycles, stride)])
        age_text = "aged " + {value: label for label, value in AGE_GROUP_LABELS.items()}[age_group]
        title = a["ax"].set_title(f"{arm}: first {plural(cycles, 'cycle')}, patient {age_text}", loc="left")
        rows = a["rows"].values()
        return Changed([*(row[part] for row in rows for part in ("points", "label")), title], layout=cycles)

    def caption(self, arm="Isa-Pd", cycles=3, age_group="<75"):
        schedule = dosing_schedule(arm, cycles, age_group)
        counts = schedule.groupby("drug").size()
        doses = ", ".join(f"{drug.lower()} {plural(int(counts.get(drug, 0)), 'dose')}" for drug in ARM_DRUGS[arm])
        age_text = {value: label for label, value in AGE_GROUP_LABELS.items()}[age_group]
        return (f"Dosing calendar of {arm} over the first {plural(cycles, 'cycle')} ({cycles * CYCLE_DAYS} days) "
                f"for a patient aged {age_text}: {doses}. Each marker is one administration; "
                "grey and white bands are the 28-day cycles.")


def dosing_calendar_live():
    """The chapter's live dosing calendar: arm, number of cycles and age group."""
    return LiveFigure(DosingCalendarFigure())
