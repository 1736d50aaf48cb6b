"""Where the week's printed gap comes from: the bound's fractional servings, or the week itself.

The plan prints its gap to days x the average-day LP (`planner.average_day`). This script measures,
on one request (the default week unless options say otherwise), in one run:

- the week as planned: its objective and the printed bound;
- a bound with whole servings kept: the average day as a MILP (whole units, every meal condition),
  with what the days share priced by the LP's duals instead of held as rows (the stored nutrients'
  weekly floors, each food's share of the days). For any prices >= 0 that is a Lagrangian bound:
  every day of a week that keeps the rules lies in the MILP's set, so days x its proven bound (plus the
  priced rows' constant) is at most the week's best objective. Its solve time says why the plan
  does not print it;
- the same week with each day's menu solved to a proven optimum rather than within 10 %.

Not part of the test run. Usage: python benchmarks/bench_gap.py [--age 35 --sex female ...]
(age, sex, diet, foods, days, max-days, as `planner week` takes them).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import planner.week  # noqa: E402
from planner import load_foods, make_plan  # noqa: E402
from planner.day_data import DayState  # noqa: E402
from planner.meals import MealShape  # noqa: E402
from planner.model import menu_model, open_foods  # noqa: E402
from planner.nutrients import stored  # noqa: E402
from planner.request import request_from_options  # noqa: E402

TIME_LIMIT = 120.0


def planned_week(request, foods):
    """The plan, and the model data its average day was given (built inside `solve_week`, so taken there)."""
    seen = {}
    average_day = planner.week.average_day

    def keep(data, targets, meals, solver, share):
        seen.update(data=data, targets=targets, meals=meals, share=share)
        return average_day(data, targets, meals, solver, share)

    planner.week.average_day = keep
    try:
        started = time.perf_counter()
        plan = make_plan(request, foods)
        return plan, time.perf_counter() - started, seen
    finally:
        planner.week.average_day = average_day


def whole_servings_bound(seen: dict, days: int) -> tuple[float, float, str]:
    """Days x the average day in whole servings, the shared rows priced by the LP's duals; its time and status."""
    data, targets, meals, share = seen["data"], seen["targets"], seen["meals"], seen["share"]
    foods = open_foods(data, DayState())
    needs = MealShape.of(data, foods)
    lp = menu_model(data, targets, meals, DayState(), foods, needs, relax=True, margin=0.0)
    caps = {col: data.max_units[f] * min(1.0, float(share[f])) for col, f in zip(lp.x, foods)}
    for col, cap in caps.items():
        lp.milp.upper[col] = cap
    solution = lp.milp.solve("highs", TIME_LIMIT)
    weekly = {n: float(solution.row_duals[r]) for n, b, _, r in lp.bound_rows if b == "min" and n in stored()}
    # A food held to its share of the days: the dual of that cap is its column's reduced cost at the cap.
    capped = {f: max(0.0, -float(solution.reduced_costs[col])) for col, f in zip(lp.x, foods)
              if share[f] < 1 and solution.values[col] > caps[col] - 1e-9}

    day = menu_model(data, targets, meals, DayState(), foods, needs, margin=0.0)
    m, constant = day.milp, 0.0
    floors = dict(zip(targets["nutrient"], targets["min"]))
    for nutrient, bound, _, row in day.bound_rows:
        if bound == "min" and nutrient in weekly:
            m.row_lower[row] = -np.inf          # owed over the week: priced, not held each day
            m.cost[day.shortfall[nutrient]] = 0.0
            m.upper[day.shortfall[nutrient]] = 0.0
            k = data.nutrients.index(nutrient)
            for col, f in zip(day.x, foods):
                m.cost[col] -= weekly[nutrient] * data.per_unit[k, f]
            constant += weekly[nutrient] * floors[nutrient]
    for col, f in zip(day.x, foods):
        if f in capped:
            m.cost[col] += capped[f]
            constant -= capped[f] * data.max_units[f] * share[f]
    started = time.perf_counter()
    result = m.solve("highs", TIME_LIMIT, 0.0)
    return days * (result.bound + constant), time.perf_counter() - started, result.status.value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--age", type=float)
    parser.add_argument("--sex")
    parser.add_argument("--diet")
    parser.add_argument("--foods")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--max-days", type=int, default=3)   # as `planner week`
    args = parser.parse_args()
    options = {k: v for k, v in vars(args).items() if v is not None}
    request = request_from_options(**options)
    foods = load_foods(request.foods)
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; request: {options}")

    plan, seconds, seen = planned_week(request, foods)
    objective, lp_bound = plan.report.objective, plan.report.lower_bound
    print(f"the week as planned (days within {request.solver.gap:.0%}): objective {objective:.2f} in {seconds:.2f} s")
    print(f"printed bound, days x the average-day LP: {lp_bound:.2f}, gap {(objective - lp_bound) / objective:.1%}")
    bound, bound_seconds, status = whole_servings_bound(seen, request.days)
    print(f"days x the average day in whole servings: {bound:.2f} ({status}, {bound_seconds:.2f} s), "
          f"gap {(objective - bound) / objective:.1%}; whole servings are "
          f"{(bound - lp_bound) / (objective - lp_bound):.0%} of the printed difference")
    exact = replace(request, solver=replace(request.solver, gap=0.0))
    exact_plan, exact_seconds, _ = planned_week(exact, foods)
    print(f"each day solved to a proven optimum: objective {exact_plan.report.objective:.2f} in {exact_seconds:.2f} s "
          f"({(exact_plan.report.objective - objective) / objective:+.1%})")


if __name__ == "__main__":
    main()
