"""The naive week model, built with PuLP's lpSum and solved by CBC, against planner's week.

The naive model is the one the issue measured: days x slots x foods integer
amounts (half servings), a binary "used" per food and day, a food on at most 3
days, and the same targets and meal rules as planner's (calorie share per
slot, two foods per meal, a protein and a vegetable at lunch and dinner, one
slot per food a day, vitamin D and B12 on the week's average). It has fewer
rules than planner's (no "half the foods differ from every earlier day", no
dinner protein rule, no one-of-each-kind per meal), so its cost can be lower.
It prints both models' time and cost, and the ratios. Not part of the test run.

Usage: python benchmarks/bench_naive.py [--time-limit 60] [--days 7] [--foods PATH|sr-legacy]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import pulp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import PlanRequest, allowed_foods, load_foods, make_plan, make_profile, targets_for  # noqa: E402
from planner.day_data import ModelData  # noqa: E402
from planner.foods import SLOTS, FoodChoice  # noqa: E402
from planner.nutrients import stored  # noqa: E402
from planner.pricing import cost_per_100g  # noqa: E402
from planner.request import DEFAULT_SLOT_SHARES, SLOT_SHARE_TOLERANCE  # noqa: E402
from planner.targets import needed_columns, share_parts  # noqa: E402

STORED_NUTRIENTS = stored()

MAX_DAYS = 3


def naive_week(data: ModelData, targets, days: int, time_limit: float) -> dict:
    started = time.perf_counter()
    prob = pulp.LpProblem("naive_week", pulp.LpMinimize)
    foods = [f for f in range(len(data.food_ids)) if data.role[f] != "ingredient"]
    x, used = {}, {}
    for d in range(days):
        for f in foods:
            used[d, f] = pulp.LpVariable(f"used_{d}_{f}", cat="Binary")
            for s, slot in enumerate(SLOTS):
                if data.slot_ok[f, s]:
                    x[d, s, f] = pulp.LpVariable(f"x_{d}_{s}_{f}", 0, data.max_units[f], cat="Integer")
    in_slot = {}
    for (d, s, f), var in x.items():
        in_slot[d, s, f] = pulp.LpVariable(f"in_{d}_{s}_{f}", cat="Binary")
        prob += var <= data.max_units[f] * in_slot[d, s, f]
        prob += var >= data.min_units[f] * in_slot[d, s, f]
    for d in range(days):
        for f in foods:
            slots_of_f = [in_slot[d, s, f] for s in range(len(SLOTS)) if (d, s, f) in in_slot]
            prob += pulp.lpSum(slots_of_f) == used[d, f]
    for f in foods:
        prob += pulp.lpSum(used[d, f] for d in range(days)) <= MAX_DAYS
    row = {n: data.per_unit[k] for k, n in enumerate(data.nutrients)}

    def total(values, d, slot=None):
        return pulp.lpSum(values[f] * var for (dd, s, f), var in x.items() if dd == d and (slot is None or s == slot))

    for t in targets.itertuples(index=False):
        share = share_parts(t.nutrient)
        for d in range(days):
            if share:
                # a share of a whole (protein's of kcal, whole grains' of grains): linear in the amounts
                part, whole, factor = share
                if t.min == t.min and t.min > 0:
                    prob += total(row[part] * factor - row[whole] * t.min / 100, d) >= 0
                if t.max == t.max:
                    prob += total(row[part] * factor - row[whole] * t.max / 100, d) <= 0
                continue
            if t.max == t.max:
                prob += total(row[t.nutrient], d) <= t.max
            if t.min == t.min and t.min > 0 and t.nutrient not in STORED_NUTRIENTS:
                prob += total(row[t.nutrient], d) >= t.min
        if not share and t.min == t.min and t.min > 0 and t.nutrient in STORED_NUTRIENTS:
            prob += pulp.lpSum(total(row[t.nutrient], d) for d in range(days)) >= days * t.min
    kcal = row["energy_kcal"]
    for d in range(days):
        for s, slot in enumerate(SLOTS):
            share = DEFAULT_SLOT_SHARES[slot]
            prob += total(kcal, d, s) >= (share - SLOT_SHARE_TOLERANCE) * total(kcal, d)
            prob += total(kcal, d, s) <= (share + SLOT_SHARE_TOLERANCE) * total(kcal, d)
            here = [(f, v) for (dd, ss, f), v in in_slot.items() if dd == d and ss == s]
            prob += pulp.lpSum(v for _, v in here) <= 4
            if slot != "snack":
                prob += pulp.lpSum(v for _, v in here) >= 2
            if slot in ("lunch", "dinner"):
                for role in ("protein", "vegetable"):
                    prob += pulp.lpSum(v for f, v in here if data.role[f] == role) >= 1
    prob += pulp.lpSum(data.cost_per_unit[f] * var for (d, s, f), var in x.items())
    built = time.perf_counter()
    prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, threads=1))
    solved = time.perf_counter()
    has_plan = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    # PuLP calls a CBC run stopped by its time limit "Optimal"; the solution status and the clock tell.
    stopped = prob.sol_status == pulp.LpSolutionIntegerFeasible or solved - built >= time_limit
    status = ("stopped at the time limit with a plan" if has_plan else "stopped at the time limit, no plan") \
        if stopped else ("optimal" if has_plan else pulp.LpStatus[prob.status])
    return {"build_s": built - started, "solve_s": solved - built, "status": status,
            "has_plan": has_plan, "cost": pulp.value(prob.objective) if has_plan else float("nan"),
            "variables": len(prob.variables()), "constraints": len(prob.constraints)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--foods", default=None)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"PuLP {pulp.__version__}")
    foods = load_foods(args.foods)
    profile = make_profile()
    targets = targets_for(profile)
    allowed = allowed_foods(foods, FoodChoice())
    cost, _ = cost_per_100g(allowed)
    data = ModelData.from_foods(allowed, tuple(needed_columns(targets)), cost, "half")

    started = time.perf_counter()
    plan = make_plan(PlanRequest(profile, days=args.days), foods)
    ours_s = time.perf_counter() - started
    ours_cost = plan.report.model_cost
    print(f"planner week ({len(allowed)} foods, {args.days} days): {ours_s:.2f} s in the library, cost "
          f"${ours_cost:.2f}, objective {plan.report.objective:.2f} (cost plus how far the days depart from how "
          f"people eat) and its lower bound {plan.report.lower_bound:.2f}, shortfalls {len(plan.shortfalls)}")

    naive = naive_week(data, targets, args.days, args.time_limit)
    total = naive["build_s"] + naive["solve_s"]
    print(f"naive PuLP+CBC week: {naive['variables']:,} variables, {naive['constraints']:,} constraints; "
          f"build {naive['build_s']:.2f} s (lpSum), CBC {naive['solve_s']:.2f} s (limit {args.time_limit:g} s); "
          f"status {naive['status']}; " + (f"cost ${naive['cost']:.2f}" if naive["has_plan"] else "no plan"))
    ratio = f"{total / ours_s:.0f}x" if naive["has_plan"] else f"> {total / ours_s:.0f}x (no plan)"
    print(f"time ratio naive / planner: {ratio}" + (
        f"; cost ratio naive / planner: {naive['cost'] / ours_cost:.2f}" if naive["has_plan"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
