"""Re-check the chapters' stored outputs as another processor would compute them.

A reader's processor is not the developers'. OpenBLAS chooses its kernels by CPU, and
numpy dispatches its loops to AVX-512, AVX2 or SSE code by CPU; their results agree
to about 15 significant digits, not always to the last one. This script runs nbval
on chapters with both forced onto other code paths than this machine's own:
OpenBLAS's oldest x86-64 kernels (``OPENBLAS_CORETYPE=Prescott``) and numpy's baseline
loops (``NPY_DISABLE_CPU_FEATURES`` naming every dispatch target this CPU has beyond
the baseline). The stored outputs must hold there too.

Usage: ``python scripts/check_other_processor.py [NAME ...]`` (default: every chapter).
The test suite runs a slice (tests/test_other_processor.py); this runs them all.
Exits with nbval's status.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"


def numpy_targets_beyond_baseline():
    """The numpy dispatch targets this CPU runs beyond numpy's baseline (e.g. X86_V3,
    X86_V4, AVX512_ICL): disabling them sends numpy to its baseline loops."""
    from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__

    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name) and name not in __cpu_baseline__]


def other_processor_env():
    """This environment with OpenBLAS and numpy forced onto other code paths."""
    env = {**os.environ, "OPENBLAS_CORETYPE": "Prescott"}
    env.pop("OPENBLAS_L2_SIZE", None)   # set on some machines for a core type we replace
    targets = numpy_targets_beyond_baseline()
    if targets:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(targets)
    return env


def notebook_paths(names):
    """The executed chapters named (every one when none is), each checked to exist."""
    if not names:
        return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    paths = [NOTEBOOKS_DIR / f"{name}.ipynb" for name in names]
    missing = [path.stem for path in paths if not path.is_file()]
    if missing:
        sys.exit(f"No executed chapter named {', '.join(missing)} in {NOTEBOOKS_DIR}.")
    return paths


def run_nbval(paths, env=None):
    """nbval on ``paths`` under the other processor's code paths (``env``: that of
    :func:`other_processor_env`, made now when not given); return (status, output)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *map(str, paths)]
    result = subprocess.run(command, cwd=REPO_ROOT, env=env or other_processor_env(), capture_output=True,
                            text=True)
    return result.returncode, result.stdout + result.stderr


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="chapters (notebook names without .ipynb); default: all")
    args = parser.parse_args(argv)
    env = other_processor_env()
    print(f"OPENBLAS_CORETYPE={env['OPENBLAS_CORETYPE']} "
          f"NPY_DISABLE_CPU_FEATURES={env.get('NPY_DISABLE_CPU_FEATURES', '(none beyond the baseline)')}")
    status, output = run_nbval(notebook_paths(args.names))
    print(output.strip().splitlines()[-1] if output.strip() else "nbval printed nothing")
    if status != 0:
        print(output[-6000:])
    return status


if __name__ == "__main__":
    sys.exit(main())
