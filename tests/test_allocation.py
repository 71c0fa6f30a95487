import numpy as np
import pytest
from traitlets import TraitError

from icaria.allocation import (
    InteractiveResponseSystem,
    comparison_live,
    convergence_guesses,
    permuted_blocks,
    rank_within_stratum,
    simulate,
    stratum_counts,
)
from icaria.twin.randomisation import STRATA


def test_every_complete_block_is_balanced():
    rows = permuted_blocks(50, 40, 4, np.random.default_rng(1))
    assert (rows.reshape(50, 10, 4).sum(axis=2) == 2).all()


def test_odd_block_size_is_refused():
    with pytest.raises(ValueError, match="even number"):
        permuted_blocks(1, 10, 3, np.random.default_rng(1))


def test_guessing_rate_of_blocks_of_four_is_17_over_24():
    rows = permuted_blocks(20000, 4, 4, np.random.default_rng(2))
    assert convergence_guesses(rows, 4).mean() == pytest.approx(17 / 24, abs=0.005)


def test_stratified_blocks_balance_every_stratum():
    result = simulate("stratified blocks", patients=307, strata=4, block_size=4, trials=300,
                      rng=np.random.default_rng(3))
    assert result["worst stratum imbalance"].max() <= 2
    simple = simulate("simple", patients=307, strata=4, trials=300, rng=np.random.default_rng(3))
    assert np.median(simple["total imbalance"]) > 5 and simple["guessed right"].mean() == 0.5


def test_rank_within_stratum_counts_earlier_patients_of_the_same_stratum():
    stratum = np.random.default_rng(4).integers(0, 5, (6, 40))
    counts = stratum_counts(stratum, 5)
    expected = [[int((row[:j] == row[j]).sum()) for j in range(len(row))] for row in stratum]
    assert (rank_within_stratum(stratum, counts) == expected).all()
    assert (counts.sum(axis=1) == 40).all() and counts[2, 3] == (stratum[2] == 3).sum()


@pytest.mark.parametrize("arguments, message", [
    ({"scheme": "minimisation"}, "Scheme must be one of"), ({"scheme": "simple", "patients": 5}, "Enrolment"),
    ({"scheme": "simple", "strata": 0}, "Number of strata"),
])
def test_bad_simulation_inputs_are_explained(arguments, message):
    with pytest.raises(ValueError, match=message):
        simulate(**arguments)


def test_response_system_balances_each_stratum_list():
    irt = InteractiveResponseSystem(STRATA, np.random.default_rng(4))
    stratum = STRATA[0]
    arms = [irt.assign(stratum) for _ in range(8)]
    assert arms[:4].count("Isa-Pd") == 2 and arms[4:].count("Isa-Pd") == 2
    with pytest.raises(ValueError, match="Unknown stratum"):
        irt.assign(("<75", "many"))


def test_comparison_widget_redraws():
    live = comparison_live()
    before = live.controls["strata"].value
    with pytest.raises(TraitError, match=r"Strata must be between 1 and 16; got 40, which is refused"):
        live.controls["strata"].value = 40   # out of range: refused, never clamped (issue 33)
    assert live.controls["strata"].value == before
    live.controls["strata"].value = 16
    assert bytes(live.image.value).startswith(b"\x89PNG")
