"""The guarantee-time (landmark) code of the overall-survival chapter."""

import matplotlib

matplotlib.use("Agg")

import io

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from traitlets import TraitError

from icaria import data
from icaria import survival as sv
from icaria.landmark import landmark_groups, landmark_live, responder_hazard_ratio, response_months_from
from icaria.style import TEXT_COLUMN_PX


@pytest.fixture(scope="module")
def final_adtte():
    return data.load("adtte", "final-os")


def test_naive_comparison_keeps_everyone_and_labels_eventual_responders(final_adtte):
    overall = sv.endpoint(final_adtte, "OS")
    response = response_months_from(final_adtte)
    rows = landmark_groups(overall, response, 0)
    assert len(rows) == len(overall) and rows["responder"].sum() == len(response)
    assert (rows["MONTHS"].to_numpy() == overall["MONTHS"].to_numpy()).all()


def test_landmark_keeps_patients_alive_then_and_restarts_the_clock():
    overall = pd.DataFrame({"USUBJID": ["a", "b", "c", "d"], "MONTHS": [2.0, 5.0, 10.0, 3.0], "EVENT": [1, 1, 0, 0]})
    response = pd.Series({"b": 1.0, "c": 4.0})
    rows = landmark_groups(overall, response, 3)
    assert list(rows["USUBJID"]) == ["b", "c"]
    assert list(rows["MONTHS"]) == [2.0, 7.0]
    assert list(rows["responder"]) == [1, 0]  # c responded only after the landmark
    with pytest.raises(ValueError, match="0 months or later"):
        landmark_groups(overall, response, -1)


def test_hazard_ratio_is_not_estimable_without_deaths_in_a_group():
    """The function refuses with a message (issue 33: no silent NaN); the live figure's
    array fit shows "not estimable" for that view instead."""
    from icaria.landmark import hazard_ratios_by_view

    rows = pd.DataFrame({"MONTHS": [1.0, 2.0, 3.0, 4.0], "EVENT": [1, 1, 0, 0], "responder": [0, 0, 1, 1]})
    with pytest.raises(ValueError, match=r"No deaths among the responders \(responder 1\): the hazard ratio cannot"):
        responder_hazard_ratio(rows)
    assert np.isnan(hazard_ratios_by_view([rows])[0][0])


def test_landmark_live_figure_draws_and_explains_bad_values(final_adtte):
    live = landmark_live(final_adtte)
    with pytest.raises(TraitError, match=r"Landmark \(months\) must be between 0 and 12; got 99, which is refused"):
        live.controls["landmark"].value = 99   # out of range: refused, never clamped (issue 33)
    live.controls["landmark"].value = 12
    assert bytes(live.image.value).startswith(b"\x89PNG")
    live.controls["arms"].value = "Pd"
    assert live.message.value == ""
    image = Image.open(io.BytesIO(bytes(live.image.value)))
    assert image.width == round(TEXT_COLUMN_PX)
    live.draw(live.figure, landmark=0, arms="Pd")
    with pytest.raises(ValueError, match="Choose a landmark"):
        live.draw(live.figure, landmark=2.5, arms="both")
