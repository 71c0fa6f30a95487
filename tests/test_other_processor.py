"""The stored outputs hold on another processor than the developers'.

nbval compares a chapter's stored outputs with a fresh run as text. A reader's CPU and
BLAS differ from ours in the 15th or 16th significant digit of a fitted value, so what a
chapter stores must not reach that far (glued values keep 10 significant digits:
``icaria.scorecard.GLUE_DIGITS``). The slice here re-runs the chapters whose values come
from iterative fits (Cox models, logistic regressions, IPCW) with OpenBLAS and numpy forced
onto other code paths; ``scripts/check_other_processor.py`` re-runs every chapter.
"""

import importlib.util
import subprocess
import sys

import pytest
from conftest import REPO_ROOT, in_background

from icaria import scorecard

SCRIPT = REPO_ROOT / "scripts" / "check_other_processor.py"
spec = importlib.util.spec_from_file_location("check_other_processor", SCRIPT)
check_other_processor = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_other_processor)

# Chapters with iterative fits whose results the chapter glues (they failed on an AMD EPYC
# before glued values were rounded).
FITTED_CHAPTERS = ["07-progression-free-survival", "09-overall-survival"]


@pytest.mark.parametrize("value, stored", [
    (0.5955905875548801, 0.5955905876),
    (0.5955905875548796, 0.5955905876),
    (0.0005517231293221734, 0.0005517231293),
    (36.8421052631579, 36.84210526),
    (307.0, 307.0),
])
def test_glued_floats_keep_ten_significant_digits(value, stored):
    assert scorecard.glue_value(value) == stored
    assert scorecard.glue_value(float.fromhex(value.hex()) * (1 + 2e-16)) == stored   # a last-digit neighbour


def test_what_is_not_a_finite_float_is_glued_as_it_is():
    assert scorecard.glue_value(307) == 307
    assert scorecard.glue_value("not reached") == "not reached"
    assert scorecard.glue_value(float("inf")) == float("inf")


def test_the_other_processor_really_runs_other_code_paths():
    """Under the script's environment numpy runs none of this CPU's dispatch targets beyond
    its baseline, and OpenBLAS is told to use its Prescott kernels."""
    env = check_other_processor.other_processor_env()
    assert env["OPENBLAS_CORETYPE"] == "Prescott"
    probe = ("from numpy._core._multiarray_umath import __cpu_baseline__ as b, __cpu_dispatch__ as d, "
             "__cpu_features__ as f; print([n for n in d if f.get(n) and n not in b])")
    output = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"


def prestart(fixturenames, factory):
    """Called by conftest once the session has collected: the fitted chapters' nbval run
    (a pytest of its own) starts in the background, with the environment as it is now
    and a home folder of its own (its check of the home must not see this session's)."""
    if "fitted_chapters_run" in fixturenames:
        fitted_run_job(factory)


FITTED_RUN = []


def fitted_run_job(factory):
    if not FITTED_RUN:
        env = {**check_other_processor.other_processor_env(), "HOME": str(factory.mktemp("other-processor-home"))}
        FITTED_RUN.append(in_background("fitted chapters on another processor", check_other_processor.run_nbval,
                                        check_other_processor.notebook_paths(FITTED_CHAPTERS), env))
    return FITTED_RUN[0]


@pytest.fixture(scope="session")
def fitted_chapters_run(tmp_path_factory):
    return fitted_run_job(tmp_path_factory).result()


def test_fitted_chapters_hold_on_another_processor(fitted_chapters_run):
    status, output = fitted_chapters_run
    assert status == 0, output[-6000:]


def sanitised(text):
    """``text`` as nbval compares it, after the book's sanitising patterns."""
    import re

    from nbval.plugin import get_sanitize_patterns

    for regex, replace in get_sanitize_patterns((REPO_ROOT / "tests" / "nbval-sanitize.cfg").read_text()):
        text = re.sub(regex, replace, text)
    return text


def test_only_full_precision_tails_are_left_out_of_the_comparison():
    assert sanitised("0.0005517231293221734") == sanitised("0.0005517231293221743")
    assert sanitised("(0.5767920401983492, 12)") == sanitised("(0.5767920401983497, 12)")
    for printed in ("0.5956", "155", "HR 0.596 (0.44-0.81)", "p = 0.001", "11.53 vs 6.47", "2019-04-11"):
        assert sanitised(printed) == printed
    assert sanitised("0.5767920401983492") != sanitised("0.5767920501983492")   # the 8th decimal still counts
