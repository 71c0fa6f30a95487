"""How long each chapter takes to run from a clean kernel, and how much memory its
kernel needs at its peak: the figures behind the hub sizing in the instructor guide.

Prints the wall time, the kernel's CPU time (which other jobs on a shared machine do
not inflate; on an idle machine the two are close) and its peak memory; exits with
status 3 when a chapter's CPU time passes the budget of 10 s.

Usage: ``python scripts/measure_chapters.py [--runs N] [--write CSV] [NAME ...]``
(default: every chapter and audit page, once). ``--write book/chapter-run-times.csv``
writes the table the instructor guide shows (each page's runs, its peak memory, the
machine's load average as the page was measured, and the time); pages not measured
keep their rows.
Linux only (it reads the kernel's peak resident memory, VmHWM, and CPU time from /proc).
"""

import argparse
import csv
import datetime
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


def load_average():
    """The machine's load average over the last minute."""
    return os.getloadavg()[0]


def write_table(path, rows):
    """The run-time table of the instructor guide, as CSV: the pages just measured
    replace their rows, the others keep theirs (so a slow page can be re-run alone at a
    quiet moment); rows in page order."""
    kept = {}
    if path.exists():
        with open(path, newline="", encoding="utf-8") as file:
            kept = {row[0]: row for row in list(csv.reader(file))[1:]}
    kept.update({row[0]: row for row in rows})
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["Page", "Wall s", "CPU s", "Peak MB", "Load", "UTC"])
        writer.writerows(kept[page] for page in sorted(kept))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="chapter names, e.g. 07-progression-free-survival")
    parser.add_argument("--runs", type=int, default=1, help="runs of each page, each in a fresh kernel")
    parser.add_argument("--write", type=Path, help="write the table as CSV to this file")
    args = parser.parse_args(argv)
    paths = [NOTEBOOKS_DIR / f"{name}.ipynb" for name in args.names] or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    print(f"{'chapter':40s} {'seconds':>8s} {'CPU s':>6s} {'peak MB':>8s} {'load':>5s}")
    over, rows = [], []
    for path in paths:
        walls, cpus, peaks, loads = [], [], [], []
        for _ in range(args.runs):
            loads.append(load_average())
            seconds, cpu, peak = measure(path)
            walls.append(seconds), cpus.append(cpu), peaks.append(peak)
            print(f"{path.stem:40s} {seconds:8.1f} {cpu:6.1f} {peak:8.0f} {loads[-1]:5.1f}", flush=True)
        if max(cpus) > BUDGET_SECONDS:
            over.append(path.stem)
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
        rows.append([path.stem, ", ".join(f"{s:.1f}" for s in walls), ", ".join(f"{s:.1f}" for s in cpus),
                     f"{max(peaks):.0f}", ", ".join(f"{load:.1f}" for load in loads), now])
    if args.write:
        write_table(args.write, rows)
    print(f"Budget: {BUDGET_SECONDS} s of CPU per chapter. Over budget: {', '.join(over) or 'none'}.")
    return OVER_BUDGET if over else 0


if __name__ == "__main__":
    sys.exit(main())
