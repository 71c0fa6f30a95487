import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.figure import Figure

from icaria.regimens import MAX_CYCLES, DosingCalendarFigure, dosing_schedule


def doses(schedule, drug, cycle=None):
    rows = schedule[schedule["drug"] == drug]
    return rows if cycle is None else rows[rows["cycle"] == cycle]


def test_isatuximab_weekly_in_cycle_one_then_every_two_weeks():
    schedule = dosing_schedule("Isa-Pd", 3, "<75")
    assert list(doses(schedule, "Isatuximab", 1)["cycle_day"]) == [1, 8, 15, 22]
    assert list(doses(schedule, "Isatuximab", 2)["cycle_day"]) == [1, 15]
    assert list(doses(schedule, "Isatuximab", 3)["study_day"]) == [57, 71]


def test_pomalidomide_days_1_to_21_and_weekly_dexamethasone():
    schedule = dosing_schedule("Pd", 2, "<75")
    assert list(doses(schedule, "Pomalidomide", 2)["cycle_day"]) == list(range(1, 22))
    assert list(doses(schedule, "Dexamethasone", 1)["cycle_day"]) == [1, 8, 15, 22]
    assert doses(schedule, "Isatuximab").empty


def test_dexamethasone_halves_at_75():
    assert set(doses(dosing_schedule("Pd", 1, "<75"), "Dexamethasone")["dose"]) == {40}
    assert set(doses(dosing_schedule("Pd", 1, ">=75"), "Dexamethasone")["dose"]) == {20}


@pytest.mark.parametrize("arm, cycles, age, message", [
    ("Isa", 3, "<75", "Arm must be one of Isa-Pd, Pd"),
    ("Pd", 0, "<75", "whole number from 1 to 12"),
    ("Pd", MAX_CYCLES + 1, "<75", "whole number from 1 to 12"),
    ("Pd", 2.5, "<75", "whole number"),
    ("Pd", 2, "80", "Age group must be one of <75, >=75"),
])
def test_bad_choices_get_a_clear_message(arm, cycles, age, message):
    with pytest.raises(ValueError, match=message):
        dosing_schedule(arm, cycles, age)


def test_calendar_redraw_reuses_the_same_axes():
    figure, chart = Figure(), DosingCalendarFigure()
    first = chart.draw(figure, arm="Isa-Pd", cycles=3, age_group="<75")
    ax = chart.artists["ax"]
    second = chart.draw(figure, arm="Pd", cycles=12, age_group=">=75")
    assert chart.artists["ax"] is ax and figure.axes == [ax]
    assert first.artists == second.artists and first.layout == 3 and second.layout == 12   # moved, none made
    assert ax.get_title(loc="left").startswith("Pd: first 12 cycles")
