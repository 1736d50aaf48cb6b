"""Many people's weeks at once: how long each takes, and what a change to the model did to the plans.

A change that makes one week faster can make another slower, or its plan worse: a meal outside its
calorie band, a new shortfall, a higher objective. This plans 38 weeks on the embedded table (ten
ages and both sexes, each omnivore, vegetarian and vegan, and eight people the sources describe) in
one process, after one warm-up week, and prints one row each: seconds (and as a ratio to the
default week, planned first in the same run), objective, gap to the bound, cost, meals outside
their bands, shortfalls and the rules a day gave way on.

`--save FILE` keeps the rows (JSON lines); `--against FILE` puts a saved run beside this one, marks
every week whose plan differs and sums up: time, and how many weeks got more shortfalls or more
meals outside their bands. Run it on the old commit with `--save`, then on the new one with `--against`.

Not part of the test run. Usage: python benchmarks/bench_profiles.py [--only 0,4,11] [--days 7]
[--save FILE] [--against FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner import load_foods, make_plan  # noqa: E402
from planner.request import DEFAULT_MAX_DAYS, request_from_options  # noqa: E402

AGES = [(3, "male"), (5, "male"), (10, "female"), (15, "male"), (17, "female"), (25, "female"), (35, "male"),
        (50, "female"), (65, "male"), (80, "female")]
PEOPLE = [
    {"age": 35, "sex": "female", "deficient": ("magnesium", "calcium", "potassium", "vitamin_d", "vitamin_b12")},
    {"age": 50, "sex": "female", "diet": "vegetarian", "symptoms": ("leg cramps at night",)},
    {"age": 30, "sex": "female", "pregnant": True, "trimester": 2, "diet": "pescatarian"},
    {"age": 40, "sex": "male", "exclude": ("dairy", "nuts")},
    {"age": 3, "sex": "male", "exclude": ("milk", "soy")},
    {"age": 35, "sex": "female", "cheapest": True},
    {"age": 70, "sex": "female", "diet": "vegan", "deficient": ("vitamin_d", "calcium")},
    {"age": 35, "sex": "male", "budget": 6.0},
]
PROFILES = [{"age": a, "sex": s, "diet": d} for a, s in AGES for d in ("omnivore", "vegetarian", "vegan")] + PEOPLE
# The words of a plan's note on a meal outside its calorie band (advice.slot_band_notes).
OUTSIDE_BAND = "outside its"


def plan_row(number: int, options: dict, days: int, foods) -> dict:
    request = request_from_options(**options, days=days, max_days=min(days, DEFAULT_MAX_DAYS))
    started = time.perf_counter()
    plan = make_plan(request, foods)
    seconds = time.perf_counter() - started
    return {"profile": number, "options": options, "seconds": round(seconds, 3),
            "objective": round(plan.report.objective, 3), "gap": plan.report.gap_to_bound,
            "cost": round(plan.cost, 2), "outside_band": sum(OUTSIDE_BAND in n for n in plan.notes),
            "shortfalls": sorted(f"{s.nutrient}{'' if s.day is None else f' day {s.day}'} {s.gap / s.target:.1%}"
                                 for s in plan.shortfalls),
            "gave_way": [f"day {day}: {rule}" for day, rule in plan.report.relaxed]}


def described(options: dict) -> str:
    return " ".join(f"{k}={','.join(v) if isinstance(v, tuple) else v}" for k, v in options.items())


def gap(row: dict) -> str:
    """The gap to the bound; none where the average day cannot reach a floor (a vegan's vitamin D)."""
    return "   -" if row["gap"] is None else f"{row['gap']:4.0%}"


def differs(row: dict, old: dict) -> bool:
    return any(row[k] != old[k] for k in ("objective", "outside_band", "shortfalls", "gave_way"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="profile numbers, comma-separated (default: all)")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--save", type=Path, help="write the rows here (JSON lines)")
    parser.add_argument("--against", type=Path, help="a run saved with --save, to compare with")
    args = parser.parse_args()
    numbers = [int(n) for n in args.only.split(",")] if args.only else list(range(len(PROFILES)))
    old = {}
    if args.against:
        if not args.against.is_file():
            parser.error(f"--against {args.against}: no such file (write one with --save)")
        old = {r["profile"]: r for r in map(json.loads, args.against.read_text().splitlines()) if r}
    foods = load_foods(None)
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {args.days}-day plans, embedded table")
    plan_row(-1, {}, args.days, foods)   # warm-up: caches, imports done lazily, HiGHS loaded
    default = plan_row(-1, {}, args.days, foods)["seconds"]
    print(f"# the default week, planned after a warm-up: {default:.2f} s (the ratios below are to it)")
    rows = []
    for number in numbers:
        row = plan_row(number, PROFILES[number], args.days, foods)
        rows.append(row)
        line = (f"{number:2d} {described(row['options'])[:58]:58s} {row['seconds']:6.2f} s "
                f"{row['seconds'] / default:5.1f}x  obj {row['objective']:8.3f}  gap {gap(row)}  "
                f"${row['cost']:6.2f}  outside band {row['outside_band']}  gave way {len(row['gave_way'])}  "
                f"short: {'; '.join(row['shortfalls']) or '-'}")
        if number in old:
            before = old[number]
            line += (f"  | before {before['seconds']:6.2f} s obj {before['objective']:8.3f}"
                     + ("  CHANGED" if differs(row, before) else ""))
        print(line, flush=True)
    if args.save:
        args.save.write_text("".join(json.dumps(r) + "\n" for r in rows))
    both = [r for r in rows if r["profile"] in old]
    if both:
        now, then = sum(r["seconds"] for r in both), sum(old[r["profile"]]["seconds"] for r in both)
        changed = [r for r in both if differs(r, old[r["profile"]])]
        worse = [r for r in changed if len(r["shortfalls"]) > len(old[r["profile"]]["shortfalls"])
                 or r["outside_band"] > old[r["profile"]]["outside_band"]]
        print(f"# against {args.against}: {len(both)} weeks in {now:.1f} s, before {then:.1f} s ({now / then:.2f}x); "
              f"{len(changed)} plans changed, {len(worse)} with more shortfalls or meals outside their bands")


if __name__ == "__main__":
    main()
