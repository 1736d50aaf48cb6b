"""Time a sweep per point: the LP kept in its solver (bounds moved) against a model built anew at each point.

Two measures, both in one run so their ratio is fair on a shared machine:

- the LP alone: the day's relaxed menu LP (`average_day.relaxed_menu`) and the plain diet LP
  (`diet_lp.diet_model`), the magnesium floor moved over 80-200 % of the RDA; kept: one
  `Session`, `set_row_bounds` and `solve`; rebuilt: the model built and solved at each point;
- `planner.sweep.sweep` end to end (settings, solve, the row of results), `reuse` on and off.

Prints medians in ms per point. Not part of the test run. Usage: python benchmarks/bench_sweep.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner import PlanRequest, load_foods  # noqa: E402
from planner.average_day import relaxed_menu  # noqa: E402
from planner.day_data import DayState, ModelData  # noqa: E402
from planner.diet_lp import diet_model  # noqa: E402
from planner.milp import INF, Status  # noqa: E402
from planner.pricing import cost_per_100g  # noqa: E402
from planner.sweep import sweep  # noqa: E402
from planner.targets import needed_columns, targets_for_request  # noqa: E402

PERCENTS = list(range(80, 205, 5))   # 25 points


def models(foods, targets, request):
    """Builders of the two LPs: each returns (milp, row of the magnesium floor)."""
    cost, _ = cost_per_100g(foods)
    data = ModelData.from_foods(foods, tuple(needed_columns(targets)), cost, "half")

    def menu():
        m = relaxed_menu(data, targets, request.meals, DayState()).milp
        for k, name in enumerate(m.col_names):    # floors hard, as a sweep solves them first
            if name.startswith("short_"):
                m.upper[k] = 0.0
        return m, m.row_names.index("min_magnesium_mg")

    def plain():
        m = diet_model(foods, targets, cost).milp
        return m, m.row_names.index("min_magnesium_mg")

    return {"day menu LP (meal rules)": menu, "plain diet LP": plain}


def per_point(build, floors: list[float]) -> tuple[float, float, list[float], list[float]]:
    """ms per point kept and rebuilt, and the two sets of optima (they must agree)."""
    m, row = build()
    session = m.session()
    kept, started = [], time.perf_counter()
    for floor in floors:
        session.set_row_bounds(row, floor, INF)
        solution = session.solve()
        kept.append(solution.objective if solution.status is Status.OPTIMAL else float("nan"))
    kept_ms = (time.perf_counter() - started) * 1000 / len(floors)
    rebuilt, started = [], time.perf_counter()
    for floor in floors:
        m, row = build()
        m.row_lower[row] = floor
        solution = m.solve()
        rebuilt.append(solution.objective if solution.status is Status.OPTIMAL else float("nan"))
    rebuilt_ms = (time.perf_counter() - started) * 1000 / len(floors)
    return kept_ms, rebuilt_ms, kept, rebuilt


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    foods = load_foods()
    request = PlanRequest(cheapest=True)
    targets = targets_for_request(request).for_columns(foods.nutrients).table
    rda = float(targets.set_index("nutrient").loc["magnesium_mg", "min"])
    floors = [p / 100 * rda for p in PERCENTS]
    print(f"magnesium floor over {PERCENTS[0]}-{PERCENTS[-1]} % of the RDA ({len(floors)} points), "
          f"median of {args.runs} runs, ms per point")
    print(f"{'model':<28}{'kept':>8}{'rebuilt':>10}{'ratio':>8}")
    for name, build in models(foods, targets, request).items():
        kept, rebuilt = [], []
        for _ in range(args.runs):
            k, r, a, b = per_point(build, floors)
            assert all(abs(x - y) <= 1e-6 * max(1.0, abs(y)) for x, y in zip(a, b)), (name, a, b)
            kept.append(k)
            rebuilt.append(r)
        k, r = statistics.median(kept), statistics.median(rebuilt)
        print(f"{name:<28}{k:>8.2f}{r:>10.2f}{r / k:>7.1f}x")
    print("sweep() end to end (settings, solve, the row of results), ms per point")
    print(f"{'model':<28}{'reuse':>8}{'rebuild':>10}{'ratio':>8}")
    for model in ("meals", "plain"):
        times = {True: [], False: []}
        for _ in range(args.runs):
            for reuse in (True, False):
                started = time.perf_counter()
                sweep(request, "magnesium", PERCENTS, foods=foods, model=model, reuse=reuse)
                times[reuse].append((time.perf_counter() - started) * 1000 / len(PERCENTS))
        k, r = statistics.median(times[True]), statistics.median(times[False])
        print(f"{model:<28}{k:>8.2f}{r:>10.2f}{r / k:>7.1f}x")


if __name__ == "__main__":
    main()
