"""How long each chapter takes to run from a clean kernel, and how much memory its
kernel needs at its peak: the figures behind the hub sizing in the instructor guide.

Prints the wall time, the kernel's CPU time (which other jobs on a shared machine do
not inflate; on an idle machine the two are close) and its peak memory; exits with
status 3 when a chapter's CPU time passes the budget of 10 s.

Usage: ``python scripts/measure_chapters.py [NAME ...]`` (default: every chapter).
Linux only (it reads the kernel's peak resident memory, VmHWM, and CPU time from /proc).
"""

import argparse
import os
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


BUDGET_SECONDS = 10
OVER_BUDGET = 3   # exit status when a chapter passes the budget


def cpu_seconds(pid):
    """User and system CPU time of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(path):
    """(wall seconds, kernel CPU seconds, peak MB) of one chapter run top to bottom in a
    fresh kernel."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        peak, cpu = peak_memory_mb(pid), cpu_seconds(pid)
    return time.perf_counter() - start, cpu, peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="chapter names, e.g. 07-progression-free-survival")
    args = parser.parse_args(argv)
    paths = [NOTEBOOKS_DIR / f"{name}.ipynb" for name in args.names] or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    print(f"{'chapter':40s} {'seconds':>8s} {'CPU s':>6s} {'peak MB':>8s}")
    over = []
    for path in paths:
        seconds, cpu, peak = measure(path)
        print(f"{path.stem:40s} {seconds:8.1f} {cpu:6.1f} {peak:8.0f}", flush=True)
        if cpu > BUDGET_SECONDS:
            over.append(path.stem)
    print(f"Budget: {BUDGET_SECONDS} s of CPU per chapter. Over budget: {', '.join(over) or 'none'}.")
    return OVER_BUDGET if over else 0


if __name__ == "__main__":
    sys.exit(main())
