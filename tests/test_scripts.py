"""The helper scripts run (their timings are printed, not asserted)."""

import subprocess
import sys

from conftest import REPO_ROOT


def test_benchmark_script_times_every_live_figure():
    result = subprocess.run([sys.executable, "scripts/benchmark_widgets.py", "--repeat", "1"], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True)
    assert "dosing calendar" in result.stdout and "median ms" in result.stdout


def test_scorecard_check_mode_reports_fresh():
    result = subprocess.run([sys.executable, "-m", "icaria.scorecard", "--check"], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
