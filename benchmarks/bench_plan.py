"""How fast planner is, as a user runs it: each case beside a baseline measured in the same run.

The baseline is what every command pays before planning: starting Python and importing
pandas and pulp. Each command case runs the installed `planner` in a fresh process, several
times; the table gives the median, the fastest and the slowest run, and the median as a
ratio to the baseline's. In-process cases (the day's LP over all of SR Legacy, one point of
a sweep) are timed inside one process after a warm-up. With `--naive`, the naive PuLP + CBC
week (benchmarks/bench_naive.py, stopped at its 60 s limit) is timed once in the same run.

Not part of the test run. Usage: python benchmarks/bench_plan.py [--runs 5] [--naive]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASELINE = [sys.executable, "-c", "import pandas, pulp"]


def planner_command() -> list[str]:
    exe = shutil.which("planner", path=str(Path(sys.executable).parent)) or shutil.which("planner")
    return [exe] if exe else [sys.executable, str(ROOT / "cli.py")]


def timed(cmd: list[str], runs: int) -> tuple[list[float], dict]:
    """Seconds per run, and the last run's plan report (when the command writes a plan)."""
    times, report = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "plan.json"
        full = cmd + (["--format", "json", "-o", str(out)] if cmd is not BASELINE else [])
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp, check=False)
            times.append(time.perf_counter() - started)
        if out.exists():
            report = json.loads(out.read_text()).get("report", {})
    return times, report


def peak_memory_mb(cmd: list[str]) -> float:
    """The largest resident memory of one run of `cmd`, in MB (a run of its own, not timed)."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=False)
    return int(done.stdout.strip() or 0) / 1024


def in_process(runs: int) -> list[tuple[str, list[float], str]]:
    """The day's relaxed LP over all of SR Legacy (kept in the solver, and built anew), and one sweep point."""
    from planner import PlanRequest, load_foods
    from planner.day_data import DayState, ModelData
    from planner.foods import allowed_foods
    from planner.model import RelaxedDay, menu_model, open_foods
    from planner.meals import MealShape
    from planner.pricing import cost_per_100g
    from planner.sweep import sweep
    from planner.targets import needed_columns, targets_for_request

    request = PlanRequest(foods="sr-legacy")
    foods = allowed_foods(load_foods("sr-legacy"), request.choice)
    targets = targets_for_request(request).for_columns(foods.nutrients).table
    cost, _ = cost_per_100g(foods)
    data = ModelData.from_foods(foods, tuple(needed_columns(targets)), cost, "half")
    out = []
    kept = RelaxedDay.build(data, targets, request.meals, request.solver, DayState())
    kept.solve(DayState())
    resolve = []
    for k in range(runs):
        # A later day: a few foods used up and a floor owed moves, as in a week.
        blocked = frozenset(data.food_ids[f] for f in range(k * 7, k * 7 + 5))
        state = DayState(blocked=blocked, floors={"vitamin_d_mcg": 15.0 + k})
        started = time.perf_counter()
        kept.solve(state)
        resolve.append(time.perf_counter() - started)
    out.append(("day LP over SR Legacy, kept and re-solved (in process)", resolve, "s"))
    built = []
    for _ in range(max(2, runs // 2)):
        started = time.perf_counter()
        open_now = open_foods(data, DayState())
        menu_model(data, targets, request.meals, DayState(), open_now, MealShape.of(data, open_now),
                   relax=True).milp.solve()
        built.append(time.perf_counter() - started)
    out.append(("day LP over SR Legacy, built and solved (in process)", built, "s"))
    embedded = load_foods()
    values = list(range(80, 205, 5))
    sweep(PlanRequest(days=1), "magnesium_mg", values[:3], embedded)      # warm-up
    per_point = []
    for _ in range(runs):
        started = time.perf_counter()
        sweep(PlanRequest(days=1), "magnesium_mg", values, embedded)
        per_point.append((time.perf_counter() - started) / len(values))
    out.append(("one point of a sweep (magnesium 80-200 % of the RDA)", per_point, "s"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--naive", action="store_true", help="also time the naive PuLP + CBC week once")
    args = parser.parse_args()
    cpus = os.cpu_count()
    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {cpus} cores, Python {platform.python_version()}, "
          f"{args.runs} runs a case")
    base = planner_command()
    cases = [("baseline: Python + import pandas, pulp", BASELINE),
             ("day, embedded table", base + ["day"]),
             ("week, embedded table", base + ["week"]),
             ("week over all 7,793 SR Legacy foods", base + ["week", "--foods", "sr-legacy"]),
             ("week over all FNDDS foods", base + ["week", "--foods", "fndds"])]
    # The built tables are cached after their first use: fill the cache first, as a user's second run finds it.
    for label, cmd in cases[3:]:
        subprocess.run(cmd + ["--days", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    print(f"{'case':<58} {'median':>8} {'min':>7} {'max':>7} {'ratio':>6}  notes")
    baseline = None
    for label, cmd in cases:
        times, report = timed(cmd, args.runs)
        median = statistics.median(times)
        baseline = baseline or median
        notes = [f"{peak_memory_mb(cmd):.0f} MB"]
        if report.get("gap_to_bound") is not None:
            notes.append(f"gap to bound {100 * report['gap_to_bound']:.0f}%")
        print(f"{label:<58} {median:7.2f}s {min(times):6.2f}s {max(times):6.2f}s {median / baseline:5.2f}x  "
              + ", ".join(notes))
    for label, times, _ in in_process(args.runs):
        median = statistics.median(times)
        print(f"{label:<58} {1000 * median:6.1f}ms {1000 * min(times):5.1f}ms {1000 * max(times):5.1f}ms")
    if args.naive:
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_naive.py")], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        took = time.perf_counter() - started
        print(f"{'naive PuLP + CBC week (its 60 s limit)':<58} {took:7.2f}s {'':>7} {'':>7} {took / baseline:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
