"""How long each chapter takes to run from a clean kernel, and how much memory its
kernel needs at its peak: the figures behind the hub sizing in the instructor guide.

Usage: ``python scripts/measure_chapters.py [NAME ...]`` (default: every chapter).
Linux only (it reads the kernel's peak resident memory, VmHWM, from /proc).
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def peak_memory_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(path):
    """(seconds, peak MB) of one chapter run top to bottom in a fresh kernel."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        peak = peak_memory_mb(pid)
    return time.perf_counter() - start, peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="chapter names, e.g. 07-progression-free-survival")
    args = parser.parse_args(argv)
    paths = [NOTEBOOKS_DIR / f"{name}.ipynb" for name in args.names] or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    print(f"{'chapter':40s} {'seconds':>8s} {'peak MB':>8s}")
    for path in paths:
        seconds, peak = measure(path)
        print(f"{path.stem:40s} {seconds:8.1f} {peak:8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
