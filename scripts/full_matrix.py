"""Run the whole matrix of the tests whose suite run is a representative slice.

The suite keeps under ten minutes on two cores by running a slice of each matrix test
(tests/conftest.py: ``representative``): axe-core reads one page of each kind at each
width, the Binder replay runs one chapter of each kind and those using the package's
data files, the public copy's check runs chapter 3's solutions on two students' twins.
With ``ICARIA_FULL_MATRIX=1`` the same tests take every item: axe-core on every page at
1280 px and at 390 px, every chapter in Binder's environment, chapters 0, 1 and 3 on the
students' twins from the public clone. This
script sets it and runs every test file that uses the slicing helper; it prints what
it checked and exits with pytest's status (non-zero on any failure). About 15 minutes
on a quiet two-core machine (a strict build, two environments, every chapter).

Usage: ``python scripts/full_matrix.py [TEST_FILE ...]`` (default: every test file
that calls ``representative``). The other matrices have scripts of their own:
``scripts/grade_matrix.py`` (every assignment for several students) and
``scripts/check_other_processor.py`` (every chapter on other code paths).
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TESTS = REPO_ROOT / "tests"


def sliced_test_files():
    """The test files that choose a slice with conftest's ``representative``."""
    return sorted(path for path in TESTS.glob("test_*.py") if "representative(" in path.read_text(encoding="utf-8"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="test files (default: every file with a slice)")
    args = parser.parse_args(argv)
    files = [Path(name).resolve() for name in args.files] or sliced_test_files()
    print("ICARIA_FULL_MATRIX=1 on:", ", ".join(path.name for path in files), flush=True)
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-rA", "--durations=10", *map(str, files)]
    result = subprocess.run(command, cwd=REPO_ROOT, env={**os.environ, "ICARIA_FULL_MATRIX": "1"},
                            capture_output=True, text=True)
    output = result.stdout + result.stderr
    checked = re.findall(r"^(PASSED|FAILED|ERROR|SKIPPED) (\S+)", output, re.M)
    for outcome, test in checked:
        print(f"{outcome:8} {test}")
    slowest = re.search(r"^=+ slowest 10 durations =+\n(.*?)\n(?:\n|=)", output, re.M | re.S)
    if slowest:
        print("slowest:\n" + slowest.group(1))
    tail = output.strip().splitlines()
    print(tail[-1] if tail else "pytest printed nothing")
    if result.returncode != 0:
        print(output[-8000:])
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
