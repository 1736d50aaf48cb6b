"""Checking a plan independently of the solver that made it.

`check_plan` trusts nothing written in the plan but its request and its grams:
it recomputes the targets from the request (with the same code the planner
uses), every total from the food table, and tests the totals against the
recomputed targets. A plan whose stated targets or totals differ from the
recomputed ones fails, so an edited plan cannot pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner import nutrients
from planner.advice import missing_value_notes
from planner.caffeine import without_caffeinated_drinks
from planner.calcium import table_for
from planner.choking import for_young_children
from planner.errors import InputError
from planner.foods import FoodTable, allowed_foods
from planner.plan import DayPlan, Plan
from planner.request import week_of
from planner.sources import BUILT_IN, load_foods
from planner.symptoms import Guidance
from planner.targets import needed_columns, target_value, targets_for_request

# Floors and ceilings hold within this relative tolerance (solver round-off).
TOLERANCE = 1e-6
# A stated total or target may differ from the recomputed one by this much (JSON round trips are exact).
STATED_TOLERANCE = 1e-6
CHECK_COLUMNS = ["day", "week", "nutrient", "unit", "check", "expected", "found", "note"]


@dataclass(frozen=True)
class CheckResult:
    """Every failing check of a plan: a target not met, or a stated target or total that is not what it says."""

    failures: pd.DataFrame      # CHECK_COLUMNS; day is None for the week's average and for targets
    days: int
    targets: int
    foods_source: str
    unknown: tuple[str, ...] = ()   # ceilings a served food has no value for: they hold on the values known
    foods_name: str = ""            # the table as a person calls it (`FoodTable.name`), for the summary

    @property
    def ok(self) -> bool:
        return self.failures.empty

    def summary(self) -> str:
        if self.ok:
            known = " on the values known (a served food has no value under a ceiling)" if self.unknown else ""
            return (f"OK: {self.days} day(s), {self.targets} targets recomputed from the plan's request, every "
                    f"total recomputed from {self.foods_name or self.foods_source}; all hold{known}.")
        return f"FAILED: {len(self.failures)} check(s) do not hold."

    def to_dict(self) -> dict:
        return {"ok": self.ok, "days": self.days, "targets": self.targets, "foods": self.foods_source,
                "failures": [{k: _plain(v) for k, v in r.items()} for r in self.failures.to_dict("records")],
                "unknown": list(self.unknown)}


def _plain(value):
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def plan_table(plan: Plan, foods: FoodTable | str | None = None) -> FoodTable:
    """The food table to read a plan against: the one given, or the one the plan was made with."""
    if isinstance(foods, FoodTable):
        table = foods
    elif foods is not None:
        table = load_foods(foods)
    else:
        try:
            table = load_foods(plan.request.foods)
        except InputError as exc:   # a name read from the plan: say where it came from
            raise InputError(f"{exc.message} (the food table the plan was made from; give it, if it has moved)",
                             source=exc.source, row=exc.row, field=exc.field) from None
    table = table_for(plan.request, table)
    require_same_table(plan, table, built_in=foods is None and plan.request.foods in (None, *BUILT_IN))
    return table


def require_same_table(plan: Plan, foods: FoodTable, built_in: bool = False) -> None:
    """A plan is only read against the food table it was made from: same fingerprint, every food in it.
    `built_in`: `foods` is the table that comes with planner (embedded, FNDDS, SR Legacy), read because the plan
    names it; when it differs, the plan was made by another version of planner."""
    if plan.foods_fingerprint != foods.fingerprint:
        what = (f"the plan was made with another version of planner's {plan.request.foods or 'embedded'} food "
                f"table (fingerprint {plan.foods_fingerprint}; this version's: {foods.fingerprint}): make the plan "
                "again with this version, or give the table it was made from with --foods" if built_in else
                f"this is not the food table the plan was made from (plan: {plan.foods_source}, fingerprint "
                f"{plan.foods_fingerprint}; this table: {foods.fingerprint}); give that table")
        raise InputError(what, source=foods.source)
    for day in plan.days:
        unknown = [i.food_id for i in day.items if i.food_id not in foods.data.index]
        if unknown:
            raise InputError(f"plan day {day.day} uses food '{unknown[0]}', which is not in this table",
                             source=foods.source)


def recomputed_totals(day: DayPlan, foods: FoodTable, columns: list[str]) -> dict[str, float]:
    """A day's totals of `columns`, from the table's values per 100 g and the grams the plan states."""
    grams = pd.Series([i.grams for i in day.items], index=[i.food_id for i in day.items], dtype=float)
    return foods.totals(grams.groupby(level=0).sum(), columns)


def below(value, floor):
    """Whether a total (or a Series of them) misses its floor by more than the solver's round-off."""
    return value < floor * (1 - TOLERANCE) - TOLERANCE


def above(value, ceiling):
    """Whether a total (or a Series of them) passes its ceiling by more than the solver's round-off."""
    return value > ceiling * (1 + TOLERANCE) + TOLERANCE


def target_failures(days: list[int], totals: list[dict[str, float]], targets: pd.DataFrame) -> pd.DataFrame:
    """Each floor and ceiling that recomputed totals miss. Stored nutrients' floors hold on each week's average
    (days 1-7, 8-14, ...; `week` says which, `day` is None)."""
    failures = []
    stored = nutrients.stored()
    weeks = [week_of(day) for day in days]
    for t in targets.itertuples(index=False):
        values = [target_value(day_totals, t.nutrient) for day_totals in totals]
        if pd.notna(t.min):
            if t.nutrient in stored and len(values) > 1:
                checks = [(None, week, float(np.mean([v for v, w in zip(values, weeks) if w == week])))
                          for week in sorted(set(weeks))]
            else:
                checks = [(day, None, value) for day, value in zip(days, values)]
            for day, week, value in checks:
                if below(value, t.min):
                    failures.append({"day": day, "week": week, "nutrient": t.nutrient, "unit": t.unit, "check": "min",
                                     "expected": t.min, "found": value, "note": "below the floor"})
        if pd.notna(t.max):
            for day, value in zip(days, values):
                if above(value, t.max):
                    failures.append({"day": day, "nutrient": t.nutrient, "unit": t.unit, "check": "max",
                                     "expected": t.max, "found": value, "note": "above the ceiling"})
    return pd.DataFrame(failures, columns=CHECK_COLUMNS)


def _stated_target_failures(plan: Plan, recomputed: pd.DataFrame) -> list[dict]:
    stated = plan.targets.set_index("nutrient")
    expected = recomputed.set_index("nutrient")
    out = []
    for nutrient in expected.index.union(stated.index, sort=False):
        if nutrient not in stated.index:
            out.append({"day": None, "nutrient": nutrient, "unit": expected.loc[nutrient, "unit"], "check": "target",
                        "expected": np.nan, "found": np.nan, "note": "missing from the plan's targets"})
            continue
        if nutrient not in expected.index:
            out.append({"day": None, "nutrient": nutrient, "unit": stated.loc[nutrient, "unit"], "check": "target",
                        "expected": np.nan, "found": np.nan, "note": "not a target of the plan's request"})
            continue
        for bound in ("min", "max", "goal"):
            want, have = expected.loc[nutrient, bound], stated.loc[nutrient, bound]
            if pd.isna(want) and pd.isna(have):
                continue
            if pd.isna(want) != pd.isna(have) or not np.isclose(want, have, rtol=STATED_TOLERANCE, atol=1e-9):
                out.append({"day": None, "nutrient": nutrient, "unit": expected.loc[nutrient, "unit"],
                            "check": f"target {bound}", "expected": want, "found": have,
                            "note": "the plan states another target than its request gives"})
    return out


def _stated_total_failures(day: DayPlan, recomputed: dict[str, float]) -> list[dict]:
    out = []
    for nutrient, value in recomputed.items():
        stated = day.totals.get(nutrient)
        if stated is None or not np.isclose(stated, value, rtol=STATED_TOLERANCE, atol=1e-6):
            out.append({"day": day.day, "nutrient": nutrient, "unit": nutrients.unit(nutrient), "check": "total",
                        "expected": value, "found": np.nan if stated is None else stated,
                        "note": "the plan states another total than its foods add up to"})
    return out


def _request_failures(plan: Plan, foods: FoodTable, advice: Guidance | None) -> list[dict]:
    """What the plan's request asks beyond its targets: only foods its diet and exclusions allow, each day within
    its budget, and the costs the plan states. Costs are recomputed at the table's sourced prices (an unpriced
    food adds nothing: the optimizer's stand-in price only ever adds, so a plan within budget passes)."""
    out = []
    choice = plan.request.choice
    try:
        allowed = allowed_foods(foods, choice)
    except InputError as exc:   # a field of the plan's request, not an option of `check`
        raise InputError(exc.message, source="the plan's request", field=exc.field) from None
    young, _ = for_young_children(allowed, plan.request.profile, choice.include)
    kept_from_child = allowed.data.index.difference(young.data.index)
    calm, _ = without_caffeinated_drinks(young, plan.request, advice)
    kept_for_twitching = young.data.index.difference(calm.data.index)
    allowed = allowed.data.index
    price = foods.data["price_per_100g"]
    request_budget = plan.request.budget
    # A budget a day holds each day; a week's, each week's days together (a day spends what earlier ones saved).
    budget = request_budget.per_day() if request_budget is not None and request_budget.per == "day" else None
    spent: dict[int, float] = {}
    for day in plan.days:
        for food_id in dict.fromkeys(i.food_id for i in day.items if i.food_id not in allowed):
            out.append({"day": day.day, "nutrient": food_id, "unit": "", "check": "food", "expected": np.nan,
                        "found": np.nan, "note": f"served, but the request's diet ({choice.diet}) or exclusions "
                                                 f"({', '.join(choice.exclude) or 'none'}) do not allow it"})
        for food_id in dict.fromkeys(i.food_id for i in day.items if i.food_id in kept_from_child):
            out.append({"day": day.day, "nutrient": food_id, "unit": "", "check": "food", "expected": np.nan,
                        "found": np.nan, "note": f"served to a child of {plan.request.profile.age:g}, but kept from "
                                                 "young children (a sweet food under 2, a choking hazard under 4)"})
        for food_id in dict.fromkeys(i.food_id for i in day.items if i.food_id in kept_for_twitching):
            out.append({"day": day.day, "nutrient": food_id, "unit": "", "check": "food", "expected": np.nan,
                        "found": np.nan, "note": "a caffeinated drink, served although the request names twitching, "
                                                 "cramps or spasms and sets no caffeine limit of its own"})
        costs = [i.grams / 100.0 * price[i.food_id] for i in day.items]
        for item, cost in zip(day.items, costs):
            stated = np.nan if item.cost is None else item.cost
            if np.isnan(cost) != np.isnan(stated) or not np.isclose(cost, stated, rtol=STATED_TOLERANCE, atol=1e-6,
                                                                     equal_nan=True):
                out.append({"day": day.day, "nutrient": "cost", "unit": "$", "check": f"cost of {item.food_id}",
                            "expected": cost, "found": stated, "note": "the plan states another cost than the "
                                                                      "table's price gives"})
        total = float(np.nansum(costs))
        if not np.isclose(total, day.cost, rtol=STATED_TOLERANCE, atol=1e-6):
            out.append({"day": day.day, "nutrient": "cost", "unit": "$", "check": "day cost", "expected": total,
                        "found": day.cost, "note": "the plan states another cost than its foods add up to"})
        spent[week_of(day.day)] = spent.get(week_of(day.day), 0.0) + total
        if budget is not None and above(total, budget):
            out.append({"day": day.day, "nutrient": "cost", "unit": "$", "check": "budget", "expected": budget,
                        "found": total, "note": "above the request's budget a day"})
    for week, total in spent.items() if budget is None and request_budget is not None else ():
        most = request_budget.for_week(sum(week_of(d.day) == week for d in plan.days))
        if above(total, most):
            out.append({"day": None, "nutrient": "cost", "unit": "$", "check": f"budget of week {week}",
                        "expected": most, "found": total, "note": "above the request's budget a week"})
    if plan.stated_cost is not None and not np.isclose(plan.stated_cost, plan.cost, rtol=STATED_TOLERANCE, atol=1e-6):
        out.append({"day": None, "nutrient": "cost", "unit": "$", "check": "plan cost", "expected": plan.cost,
                    "found": plan.stated_cost, "note": "the plan states another cost than its days add up to"})
    return out + _variety_failures(plan, foods)


def _variety_failures(plan: Plan, foods: FoodTable) -> list[dict]:
    """Each food (with its other forms: `same_as`) on more days of a week than the request's `max_days`, or the
    table's own for a staple, allows. A food the request includes may come every day, and so may its forms."""
    request = plan.request
    if request.amounts_only:   # the plain diet problem has no variety rule
        return []
    same = foods.same_food()
    most = foods.days_a_week(request.max_days)
    served: dict[tuple[int, str], set[int]] = {}
    limit: dict[tuple[int, str], float] = {}
    for day in plan.days:
        week = week_of(day.day)
        for item in day.items:
            key = (week, same[item.food_id])
            served.setdefault(key, set()).add(day.day)
            # A group's limit is its most generous food's (a staple's forms); an included food lifts it.
            allowed = math.inf if item.food_id in request.choice.include else float(most[item.food_id])
            limit[key] = max(limit.get(key, 0.0), allowed)
    return [{"day": None, "week": week, "nutrient": food, "unit": "days", "check": "variety",
             "expected": limit[(week, food)], "found": float(len(days)),
             "note": f"on {len(days)} days of week {week}: the request allows a food (with its other forms) on at "
                     f"most {limit[(week, food)]:g}"}
            for (week, food), days in served.items() if len(days) > limit[(week, food)]]


def check_plan(plan: Plan, foods: FoodTable | str | None = None) -> CheckResult:
    """Recompute a plan's targets and totals and test them. An empty `failures` means every check holds.

    `foods` is the table (or where to load it from); by default the one the plan was made with.
    """
    foods = plan_table(plan, foods)
    requested = targets_for_request(plan.request)
    targets = requested.for_columns(foods.nutrients_with_values).table
    needed = needed_columns(targets)
    missing = [n for n in needed if n not in foods.nutrients]
    if missing:
        raise InputError(f"no column '{missing[0]}' for a target of the plan", source=foods.source)
    totals = [recomputed_totals(day, foods, needed) for day in plan.days]
    rows = _stated_target_failures(plan, targets)
    for day, day_totals in zip(plan.days, totals):
        rows += _stated_total_failures(day, day_totals)
    rows += target_failures([d.day for d in plan.days], totals, targets).to_dict("records")
    rows += _request_failures(plan, foods, requested.guidance)
    return CheckResult(pd.DataFrame(rows, columns=CHECK_COLUMNS), len(plan.days), len(targets), foods.source,
                       _unknown_under_ceilings(plan, foods, targets), foods.name)


def _unknown_under_ceilings(plan: Plan, foods: FoodTable, targets: pd.DataFrame) -> tuple[str, ...]:
    """The plan's notes on ceilings a served food has no value for (counted as 0, the true total may be higher)."""
    served = list(dict.fromkeys(i.food_id for d in plan.days for i in d.items))
    return tuple(missing_value_notes(foods, served, targets, ceilings_only=True))
