"""How long each lesson (and each solved exercise notebook) takes to execute, against the 10 s target.

    python benchmarks/bench_lessons.py [notebooks/*.ipynb solutions/*.ipynb]

Each notebook runs top to bottom in a fresh kernel with static figures (``LESSONS_STATIC=1``, as in the
tests), timed two ways: its code cells alone (first cell sent to last reply, from nbclient's recorded
cell timings) and the whole run including the kernel's start-up. The slowest cell is named, since
that is where a speed-up would go. Target: every lesson and solution under 10 s with kernel start-up,
on 2 otherwise idle cores.
"""
import argparse
import datetime
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TARGET = 10.0


def _seconds(first, last):
    """Seconds from the start of cell ``first`` to the reply of cell ``last`` (nbclient's timings)."""
    def at(cell, key):
        return datetime.datetime.fromisoformat(cell.metadata.execution[key].replace("Z", "+00:00"))
    return (at(last, "shell.execute_reply") - at(first, "iopub.execute_input")).total_seconds()


def time_notebook(path):
    """(seconds for the code cells, seconds with kernel start-up, (slowest cell index, its seconds))."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=True,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    whole = time.perf_counter() - start
    timed = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and "execution" in c.metadata]
    cells = _seconds(timed[0][1], timed[-1][1])
    slowest = max(((i, _seconds(c, c)) for i, c in timed), key=lambda item: item[1])
    return cells, whole, slowest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks to time (default: every lesson and solution)")
    args = parser.parse_args()
    paths = args.paths or sorted(map(str, [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")]))
    os.environ["LESSONS_STATIC"] = "1"
    print(f"{'notebook':48s} {'cells s':>8s} {'with start-up s':>16s}  slowest cell")
    worst = 0.0
    for path in paths:
        cells, whole, (index, seconds) = time_notebook(path)
        worst = max(worst, whole)
        name = str(Path(path).resolve().relative_to(ROOT))
        print(f"{name:48s} {cells:8.2f} {whole:16.2f}  cell {index} ({seconds:.2f} s)", flush=True)
    verdict = "met" if worst <= TARGET else "NOT met"
    print(f"\nslowest notebook {worst:.1f} s with kernel start-up (target {TARGET:g} s: {verdict}); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
