"""A plan of one or more days: the day model solved day by day, with variety across the week.

The naive week model (days x slots x foods, all integer, with "at most k days
a week" per food) is too hard to solve in seconds. Instead each day is a small
menu MILP solved in turn (`planner.model`), given what the earlier days
decided: foods used on `max_days` days of the week are blocked (a food's other
forms, its `same_as`, count with it: raw carrots on 3 days block cooked ones),
yesterday's dinner protein is barred from dinner, no day shares more than half
its foods with an earlier day, and nutrients the body stores (vitamin D, B12)
only need the week's average, so a day owes what the earlier days of its week
left; once every day is planned, the day with the least of a stored nutrient the
week still lacks is planned again with the others fixed (`_make_up`). A plan longer
than a week counts days 1-7, 8-14, ... apart. The lower
bound is days x the cost of the relaxed average-day LP (no whole servings, no
variety; its meal conditions kept; each food on at most its share of the days),
loosened where the plan itself gave way (`_proven_bound`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner import nutrients
from planner.average_day import FloorPrices, average_day, cheapest_day, day_objective
from planner.day_data import DayState, ModelData
from planner.errors import InputError
from planner.foods import FoodTable
from planner.meals import MealShape, meal_patterns, slots_outside_bands
from planner.milp import Status
from planner.model import (GOAL_WEIGHT, MAX_SHARED_WITH_EARLIER_DAY, PORTION_WEIGHT, DayResult, RelaxedDay, open_foods,
                           solve_day)
from planner.request import (DAYS_PER_WEEK, MADE_UP, MEAL_RULES, MealRules, PlanRequest, SolverSettings,
                             week_lengths, week_of)
from planner.targets import needed_columns, target_value

# A day getting ahead on a stored nutrient is rewarded at this multiple of its LP price.
AHEAD_PRICE_FACTOR = 1.5
# Days planned again, at most, for each stored nutrient a week falls short of (those with the least of it first).
MAKE_UP_TRIES = 2


@dataclass(frozen=True)
class WeekResult:
    """The solved days (amounts per food and slot), what the floors cost, and the proven bound."""

    days: tuple[DayResult, ...]
    prices: FloorPrices
    objective: float              # the days' objective terms (`average_day.day_objective`), summed
    lower_bound: float            # on `objective`, over all days (NaN when the LP has no plan)
    stopped: tuple[int, ...]      # days whose solver stopped at the time limit
    seconds: float


def solve_week(allowed: FoodTable, targets: pd.DataFrame, request: PlanRequest, cost: pd.Series,
               ready: Callable[[], None] = lambda: None) -> WeekResult:
    """Solve `request.days` days over `allowed` foods, with `cost` per 100 g as the objective's prices.

    Unmet floors do not raise: the closest days come back with their shortfalls.
    """
    started = time.perf_counter()
    needed = needed_columns(targets)
    absent = [n for n in needed if n not in allowed.nutrients]
    if absent:
        raise InputError(f"no column '{absent[0]}' for the target on {absent[0]}", source=allowed.source)
    # The food groups a meal must hold some of (meal_patterns.csv), where the table has them.
    needed += [p.group for p in meal_patterns() if p.group in allowed.data.columns and p.group not in needed]
    meals, solver, choice = request.meals, request.solver, request.choice
    weights = (0.0, 0.0) if request.cheapest else (PORTION_WEIGHT, GOAL_WEIGHT)
    data = ModelData.from_foods(allowed, tuple(needed), cost, meals.portions, choice.like, *weights,
                                skipped_slots=meals.skipped_slots)
    max_days = allowed.days_a_week(request.max_days)
    budget = request.budget.per_day() if request.budget else None

    # A plan longer than a week is planned a week at a time: each food's days, and the stored nutrients the
    # days owe, count within its week. Required foods are never blocked, so they may be served every day.
    weeks = week_lengths(request.days)
    allowed_days = sum(np.minimum(length, max_days) for length in weeks)
    days_share = (allowed_days / request.days).where(~max_days.index.isin(choice.include), 1.0)
    if budget is not None:
        least = cheapest_day(data, targets, meals, solver)
        if np.isfinite(least) and budget < least - 1e-9:
            raise InputError(f"${budget:.2f} a day cannot buy a day of meals from the foods allowed: the cheapest "
                             f"day under the meal rules costs at least ${least:.2f}", field="budget")
    ready()   # the request is one a week can be planned for: the command may say who it is for
    share = days_share.loc[list(data.food_ids)].to_numpy(float)
    # A stored nutrient the week cannot reach on average is owed only as far as it can be reached: later
    # days would otherwise trade other targets for a gap no day can close (the plan still reports it).
    prices, reachable = average_day(data, targets, meals, solver, share)
    floor_price = {p.nutrient: p.price_per_unit for p in prices.prices if p.bound == "min"}
    stored = nutrients.stored()
    # What a day of the week owes of each stored nutrient on average: its floor, or as much as the average day reaches.
    weekly = {t.nutrient: min(t.min, reachable.get(t.nutrient, t.min)) for t in targets.itertuples(index=False)
              if t.nutrient in stored and pd.notna(t.min)}
    results: list[DayResult] = []
    stored_totals: list[dict[str, float]] = []   # each solved day's stored nutrients, as the plan states them
    used_days = pd.Series(0, index=allowed.data.index)        # over the plan: what is bought, its one milk
    same = allowed.same_food()
    same_days = pd.Series(0, index=pd.Index(same.unique()))   # this week's days a food or another form was served
    kept = None
    # Foods the table allows every day (a milk): having them again is no repeat.
    daily = frozenset(allowed.data.index[allowed.data["max_days"] >= 7])
    one_of = tuple(frozenset(g.index) for _, g in allowed.data.loc[sorted(daily)].groupby("role") if len(g) > 1)
    for day in range(1, request.days + 1):
        first = (week_of(day) - 1) * DAYS_PER_WEEK + 1      # the first and last day of this day's week
        last = min(first + DAYS_PER_WEEK - 1, request.days)
        if day == first:
            same_days[:] = 0
        floors, bank = {}, {}
        for t in targets.itertuples(index=False):
            if t.nutrient in weekly and last > first:
                owed = (last - first + 1) * weekly[t.nutrient] \
                    - sum(eaten[t.nutrient] for eaten in stored_totals[first - 1:])
                floors[t.nutrient] = max(0.0, owed / (last - day + 1))
                # Foods rich in a stored nutrient run out of days: a day may get ahead of its share
                # when that costs less than the nutrient's price at the margin across the plan (the
                # average-day LP's; later days pay more than that, in whole servings).
                if day < last and floor_price.get(t.nutrient, 0.0) > 0:
                    bank[t.nutrient] = (AHEAD_PRICE_FACTOR * floor_price[t.nutrient],
                                        max(0.0, owed - floors[t.nutrient]))
        # A week's budget is spent over its days: what the days before saved, this one may spend.
        week_budget = request.budget.for_week(last - first + 1) if request.budget is not None else None
        if week_budget is not None:
            budget = (week_budget - sum(data.cost_of(r.amounts) for r in results[first - 1:])) / (last - day + 1)
        previous = results[-1].amounts if results else None
        state = DayState(
            floors=floors,
            bank=bank,
            blocked=_used_up(same, same_days, max_days) | _other_staples(allowed, daily, used_days),
            blocked_dinner=frozenset(previous.loc[previous["slot"] == "dinner", "food_id"])
            if previous is not None else frozenset(),
            earlier_menus=tuple(frozenset(r.amounts["food_id"]) - daily for r in results),
            yesterday=frozenset(previous["food_id"]) - daily if previous is not None else frozenset(),
            bought=frozenset(used_days.index[used_days > 0]),
            one_of=one_of,
            required=frozenset(choice.include),
            budget=budget,
        )
        if kept is None:
            kept = RelaxedDay.build(data, targets, meals, solver, replace(state, budget=None))
        result = _within_budget(data, targets, meals, solver, state, kept)
        if result.status is Status.NO_PLAN and budget is not None:
            raise InputError(f"no menu for day {day} fits a budget of ${budget:.2f} a day; raise it", field="budget")
        if result.status is Status.NO_PLAN and choice.include:
            # Foods that must be served are the one thing no rung of the ladder lets go of.
            raise InputError(f"no menu for day {day} can serve {', '.join(choice.include)} within the day's ceilings "
                             f"(a UL, caffeine, calories) and meal rules; leave "
                             f"{'it' if len(choice.include) == 1 else 'some'} out of --include", field="include")
        if result.status is Status.NO_PLAN:
            # Every meal rule can be relaxed, so only a table whose foods fit no slot gets here.
            raise InputError(f"no menu for day {day}: none of the foods allowed can go in any meal "
                             "(check the slots column)", source=allowed.source, field="slots")
        results.append(result)
        stored_totals.append(_stated_totals(allowed, result, tuple(n for n in stored if n in needed)))
        used_days[result.amounts["food_id"].unique()] += 1
        same_days[same[result.amounts["food_id"].unique()].unique()] += 1
    for first in range(1, request.days + 1, DAYS_PER_WEEK):
        block = range(first, min(first + DAYS_PER_WEEK - 1, request.days) + 1)
        # Only what some food can give is made up: a nutrient no food in the table holds is owed nothing.
        for nutrient in (n for n, need in weekly.items() if need > 0) if len(block) > 1 else ():
            week_budget = request.budget.for_week(len(block)) if request.budget is not None else None
            _make_up(allowed, data, targets, meals, solver, results, stored_totals, block, weekly, nutrient,
                     DayState(one_of=one_of, required=frozenset(choice.include), budget=budget), daily, same, max_days,
                     week_budget)
    bound = _proven_bound(data, targets, meals, solver, share, results, prices.lp_cost)
    stopped = tuple(d for d, r in enumerate(results, start=1) if r.status is Status.STOPPED)
    objective = sum(day_objective(data, targets, r.amounts) for r in results)
    return WeekResult(tuple(results), prices, objective, bound, stopped, time.perf_counter() - started)


def _make_up(allowed: FoodTable, data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
             results: list[DayResult], totals: list[dict[str, float]], block: range, weekly: dict[str, float],
             nutrient: str, base: DayState, daily: frozenset[str], same: pd.Series, max_days: pd.Series,
             week_budget: float | None = None) -> None:
    """Once every day is planned: a day of `block` planned again, the other days fixed, to make up what the week
    lacks of a stored `nutrient`. Day by day, a day that falls behind in whole servings leaves the rest to the
    days after it, and the last day cannot always make it up. The day with the least of it is planned again to
    bring its own share and the week's lack, holding all the other days decided (the foods they use up, their
    dinners beside it, the half-shared rule both ways, the one milk); it is kept only when the week falls less
    short. Changes `results` and `totals` in place."""
    def lacking(rows: list[dict[str, float]]) -> float:
        return sum(max(0.0, len(block) * need - sum(r[n] for r in rows)) / need for n, need in weekly.items()
                   if need > 0)

    week = [d - 1 for d in block]
    before = lacking([totals[i] for i in week])
    if sum(totals[i][nutrient] for i in week) >= len(block) * weekly[nutrient] - 1e-9:
        return
    for i in sorted(week, key=lambda i: totals[i][nutrient])[:MAKE_UP_TRIES]:
        others = [j for j in week if j != i]
        foods = [frozenset(results[j].amounts["food_id"]) for j in range(len(results)) if j != i]
        served = pd.Series(0, index=allowed.data.index)
        for j in others:
            served[results[j].amounts["food_id"].unique()] += 1
        neighbours = [results[j].amounts for j in (i - 1, i + 1) if 0 <= j < len(results)]
        state = replace(
            base,
            floors={n: max(0.0, len(block) * need - sum(totals[j][n] for j in others)) for n, need in weekly.items()},
            blocked=_used_up(same, served.groupby(same).sum(), max_days) | _other_staples(allowed, daily, served),
            blocked_dinner=frozenset(f for a in neighbours for f in a.loc[a["slot"] == "dinner", "food_id"]),
            earlier_menus=tuple(f - daily for f in foods),
            yesterday=frozenset(f for a in neighbours for f in a["food_id"]) - daily,
            bought=frozenset(served.index[served > 0]),
            # a week's budget: what the other days leave of it
            budget=base.budget if week_budget is None else week_budget - sum(data.cost_of(results[j].amounts)
                                                                            for j in others))
        again = solve_day(data, targets, meals, solver, state)
        if again.status is Status.NO_PLAN:
            continue
        new = frozenset(again.amounts["food_id"]) - daily
        # The half-shared rule holds for the later days too: each shares at most half of this day's foods.
        if any(len(f & new) > int(np.floor(MAX_SHARED_WITH_EARLIER_DAY * len(new))) for f in foods[i:]):
            continue
        stated = _stated_totals(allowed, again, tuple(totals[i]))
        shape = MealShape.of(data, open_foods(data, state))
        if lacking([stated if j == i else totals[j] for j in week]) < before - 1e-9 and \
                set(again.shortfall) - set(weekly) <= set(results[i].shortfall) - set(weekly) and \
                _outside(data, meals, shape, again) <= _outside(data, meals, shape, results[i]):
            results[i] = replace(again, relaxed=(*again.relaxed, MADE_UP + nutrient))
            totals[i] = stated
            return


def _proven_bound(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                  share: np.ndarray, results: list[DayResult], lp_cost: float) -> float:
    """Days x the average day's LP, over what the plan itself holds to: a proven bound on its objective.

    The average-day LP bounds a plan whose every day keeps the meal rules and whose average meets every
    floor. A day that gave way on a rule, or ran a meal outside its calorie band, and a floor the plan
    falls short of on average, would leave the plan outside that LP, and the bound unproven (an 80-year-old
    vegan's week, short of vitamin D, had none). The bound is then the LP with those rules dropped and
    those floors lowered to what the plan's average day holds, which that average day meets.
    """
    shape = MealShape.of(data, open_foods(data, DayState()))
    gave_way = set()
    held = np.zeros(len(data.nutrients))
    for r in results:
        gave_way |= {"parts" if rule.startswith("missing ") else rule for rule in r.relaxed}
        if _outside(data, meals, shape, r):
            gave_way.add("slot_kcal")
        held += data.per_unit[:, data.rows_of(r.amounts["food_id"])] @ r.amounts["units"].to_numpy(float)
    average = dict(zip(data.nutrients, held / len(results)))
    lowered = targets.copy()
    for i, t in enumerate(targets.itertuples(index=False)):
        if pd.isna(t.min) or t.min <= 0:
            continue
        amount = target_value(average, t.nutrient)
        if amount < t.min:
            lowered.iloc[i, lowered.columns.get_loc("min")] = max(0.0, amount * (1 - 1e-6))
    relaxed = tuple(rule for rule in MEAL_RULES if rule in gave_way)
    if not relaxed and lowered["min"].equals(targets["min"]):
        cost = lp_cost
    else:
        cost = average_day(data, lowered, meals, solver, share, relaxed)[0].lp_cost
    return len(results) * cost if np.isfinite(cost) else np.nan


def _outside(data: ModelData, meals: MealRules, shape: MealShape, result: DayResult) -> int:
    """How many of a solved day's meals fall outside their calorie bands."""
    slots = list(result.amounts["slot"])
    kcal = result.amounts["units"].to_numpy(float) * data.kcal_per_unit[data.rows_of(result.amounts["food_id"])]
    return len(set(np.asarray(slots)[slots_outside_bands(meals, shape, kcal, slots)]))


def _used_up(same: pd.Series, form_days: pd.Series, max_days: pd.Series) -> frozenset[str]:
    """The foods served, with their other forms (`same`: each food's form group), on as many days as they may be."""
    return frozenset(same.index[form_days.reindex(same).to_numpy() >= max_days.to_numpy()])


def _other_staples(foods: FoodTable, daily: frozenset[str], used_days: pd.Series) -> frozenset[str]:
    """Once a week serves a food allowed every day (a milk), the others of its role are not served: one
    milk for the week, bought once, rather than a carton of each."""
    served = [f for f in daily if used_days[f] > 0]
    roles = set(foods.data.loc[served, "role"])
    return frozenset(f for f in daily if f not in served and foods.data.at[f, "role"] in roles)


def _within_budget(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                   state: DayState, kept: RelaxedDay) -> DayResult:
    """A budget is a limit, not a nudge: the day is planned without it, and again within it only when that menu
    costs more, so a budget the day does not reach leaves the plan as it was."""
    free = solve_day(data, targets, meals, solver, replace(state, budget=None), kept)
    if state.budget is None or (free.status is not Status.NO_PLAN and
                                data.cost_of(free.amounts) <= state.budget + 1e-9):
        return free
    # The kept LP has no budget row: the relaxed LP is built anew with it, to rank the foods the budget can buy.
    within = solve_day(data, targets, meals, solver, state)
    return replace(within, seconds=free.seconds + within.seconds)


def stated_grams(result: DayResult) -> pd.Series:
    """A solved day's grams per food as a plan states them (to 0.01 g), so every total is recomputable."""
    grams = [round(float(g), 2) for g in result.amounts["grams"]]
    return pd.Series(grams, index=result.amounts["food_id"].to_numpy(), dtype=float).groupby(level=0).sum()


def _stated_totals(foods: FoodTable, result: DayResult, columns: tuple[str, ...]) -> dict[str, float]:
    return foods.totals(stated_grams(result), columns)
