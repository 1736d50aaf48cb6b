"""Time planner's plans end to end (process start included) and the solver alone.

Prints the median of several runs per case, on this machine. Not part of the
test run. Usage: python benchmarks/bench_plan.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = {
    "default adult": [],
    "vegan woman 31-50, Ca/D/B12 deficient": ["--age", "40", "--sex", "female", "--diet", "vegan",
                                             "--deficient", "calcium,vitamin_d,vitamin_b12"],
    "man over 70": ["--age", "75", "--sex", "male"],
    "pregnant woman 19-30": ["--age", "25", "--sex", "female", "--pregnant"],
    "teen 14-18, no fish or nuts": ["--age", "16", "--sex", "male", "--exclude", "fish,nuts"],
}


def planner_command() -> list[str]:
    exe = shutil.which("planner", path=str(ROOT / ".venv" / "bin")) or shutil.which("planner")
    return [exe] if exe else [sys.executable, str(ROOT / "cli.py")]


def timed(cmd: list[str], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/tmp")
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    base = planner_command()
    rows = [("process start + imports (planner --help)", base + ["--help"]),
            ("day plan, default profile", base + ["day"])]
    rows += [(f"week plan, {name}", base + ["week", *extra]) for name, extra in PROFILES.items()]
    print(f"{'case':<58} {'median s':>9}  runs")
    for label, cmd in rows:
        median, times = timed(cmd, args.runs)
        print(f"{label:<58} {median:9.2f}  {' '.join(f'{t:.2f}' for t in times)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
