"""The package, scripts and tests pass ruff (configured in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is not installed (it is in requirements-dev.txt)"
    result = subprocess.run([ruff, "check", "."], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_package_keeps_its_layers():
    """The import contracts of pyproject.toml (import-linter): the twin depends on the
    published facts only, analysis never reaches into the twin, and so on."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint_imports, "import-linter is not installed (it is in requirements-dev.txt)"
    result = subprocess.run([lint_imports], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
