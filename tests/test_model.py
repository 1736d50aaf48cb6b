"""The day-menu model (planner.model) on a tiny table: floors, ceilings, shortfalls, variety inputs, budget.

Every check recomputes the day from the table's values and the grams served, not from the solver.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from builders import tiny_model_data, tiny_table, tiny_targets

from planner.average_day import floor_prices
from planner.day_data import DayState
from planner.meals import MealShape
from planner.milp import Status
from planner.model import DAILY_FLOOR_WEIGHT, menu_model, open_foods, solve_day
from planner.request import MealRules, SolverSettings

TABLE = tiny_table()
MEALS, SOLVER = MealRules(), SolverSettings()


def _totals(result, columns) -> dict[str, float]:
    grams = result.amounts.groupby("food_id")["grams"].sum()
    return TABLE.totals(grams, columns)


def _cost(result) -> float:
    grams = result.amounts.groupby("food_id")["grams"].sum()
    return float((grams * TABLE.data.loc[grams.index, "price_per_100g"]).sum() / 100)


def test_a_feasible_day_meets_every_floor_and_ceiling():
    data, targets = tiny_model_data()
    result = solve_day(data, targets, MEALS, SOLVER)
    assert result.status is Status.OPTIMAL and result.shortfall == {}
    totals = _totals(result, list(targets["nutrient"]))
    for t in targets.itertuples():
        if pd.notna(t.min):
            assert totals[t.nutrient] >= t.min * (1 - 1e-9), t.nutrient
        if pd.notna(t.max):
            assert totals[t.nutrient] <= t.max * (1 + 1e-9), t.nutrient
    # whole half-servings, at least one serving of each food served
    units = result.amounts["units"].to_numpy()
    assert np.allclose(units, np.round(units)) and (units >= 2).all()


def test_an_unreachable_floor_is_a_shortfall_and_ceilings_still_hold():
    targets = tiny_targets(vitamin_d_mcg=(50, None), calcium_mg=(800, 1000), energy_kcal=(1600, 2400))
    data, targets = tiny_model_data(targets=targets)
    result = solve_day(data, targets, MEALS, SOLVER)
    assert result.status is not Status.NO_PLAN
    totals = _totals(result, ["vitamin_d_mcg", "calcium_mg", "energy_kcal"])
    assert result.shortfall["vitamin_d_mcg"] == pytest.approx(50 * 1.001 - totals["vitamin_d_mcg"], rel=1e-3)
    assert totals["calcium_mg"] <= 1000 and totals["energy_kcal"] <= 2400


def test_required_foods_appear_and_blocked_foods_do_not():
    data, targets = tiny_model_data()
    plain = set(solve_day(data, targets, MEALS, SOLVER).amounts["food_id"])
    absent = next(f for f in ("almonds", "yogurt", "broccoli", "banana") if f not in plain)
    # block a food with a stand-in of its kind (the tiny table has only two proteins and two vegetables)
    blocked = next(f for f in ("milk", "yogurt", "banana", "almonds") if f in plain and f != absent)
    state = DayState(required=frozenset({absent}), blocked=frozenset({blocked}))
    served = set(solve_day(data, targets, MEALS, SOLVER, state).amounts["food_id"])
    assert absent in served and blocked not in served


def test_meal_rules_give_way_one_at_a_time_when_no_menu_fits_them():
    """One vegetable, which dinner needs: lunch's side falls to the other foods; with no snack food either,
    the parts give way and the plan names the rule dropped."""
    from builders import TINY_FOODS

    sparse = tiny_table(foods=[f for f in TINY_FOODS if f[0] in ("oats", "milk", "banana", "lentils", "salmon",
                                                                "spinach", "rice")])
    data, targets = tiny_model_data(sparse)
    result = solve_day(data, targets, MEALS, SOLVER)
    assert result.status is not Status.NO_PLAN
    assert result.relaxed and result.relaxed[-1] in ("parts", "foods_per_meal")
    assert result.relaxed == ("extra", "parts", "foods_per_meal")[: len(result.relaxed)]


def test_a_day_differs_from_an_earlier_one():
    data, targets = tiny_model_data()
    first = frozenset(solve_day(data, targets, MEALS, SOLVER).amounts["food_id"])
    second = frozenset(solve_day(data, targets, MEALS, SOLVER, DayState(earlier_menus=(first,))).amounts["food_id"])
    assert len(first & second) <= len(first) // 2


def test_budget_holds():
    data, targets = tiny_model_data()
    cheapest = _cost(solve_day(data, targets, MEALS, SOLVER))
    budget = cheapest * 1.05
    result = solve_day(data, targets, MEALS, SOLVER, DayState(budget=budget))
    assert _cost(result) <= budget + 1e-9
    # a budget far below any full day of meals holds too: the meal rules give way (and say so), not the budget
    tight = solve_day(data, targets, MEALS, SOLVER, DayState(budget=cheapest * 0.2))
    assert tight.relaxed and _cost(tight) <= cheapest * 0.2 + 1e-9


def test_the_average_day_lp_bounds_the_day_and_prices_its_floors():
    data, targets = tiny_model_data()
    prices = floor_prices(data, targets, MEALS, SOLVER)
    day = solve_day(data, targets, MEALS, SOLVER)
    assert prices.lp_cost <= _cost(day) + 1e-9
    by_bound = {(p.nutrient, p.bound): p.price_per_unit for p in prices.prices}
    assert set(by_bound) >= {("magnesium_mg", "min"), ("calcium_mg", "min"), ("calcium_mg", "max")}
    assert all(v >= -1e-9 for (n, b), v in by_bound.items() if b == "min")


def test_in_a_week_a_floor_the_day_must_meet_costs_more_to_miss_than_one_judged_on_the_week():
    """A day of a week may still make up vitamin D (judged on the week's average), never its calories."""
    targets = tiny_targets(vitamin_d_mcg=(15, None), magnesium_mg=(300, None), energy_kcal=(1600, 2400))
    data, targets = tiny_model_data(targets=targets)

    def cost_per_percent(state: DayState) -> dict[str, float]:
        foods = open_foods(data, state)
        menu = menu_model(data, targets, MEALS, state, foods, MealShape.of(data, foods))
        # a shortfall column counts units of the nutrient: 1 % of the floor is floor / 100 of them
        return {n: menu.milp.cost[col] * float(targets.set_index("nutrient").at[n, "min"]) / 100
                for n, col in menu.shortfall.items()}

    alone = cost_per_percent(DayState())
    in_week = cost_per_percent(DayState(floors={"vitamin_d_mcg": 15.0}))
    assert alone["energy_kcal"] == pytest.approx(alone["vitamin_d_mcg"])
    assert alone["magnesium_mg"] == pytest.approx(alone["vitamin_d_mcg"])
    assert in_week["vitamin_d_mcg"] == pytest.approx(alone["vitamin_d_mcg"])
    assert in_week["energy_kcal"] == pytest.approx(DAILY_FLOOR_WEIGHT * in_week["vitamin_d_mcg"])
    assert in_week["magnesium_mg"] == pytest.approx(DAILY_FLOOR_WEIGHT * in_week["vitamin_d_mcg"])
    assert DAILY_FLOOR_WEIGHT > 1


def test_a_day_stops_at_its_time_limit_with_the_best_menu_it_has():
    """`--time-limit` is the day's, not each model's. At $1.60 a day no menu the rules allow fits the budget in
    whole servings, and each menu MILP takes a second or more: the day used to try eleven of them (27 s), each
    under its own limit. Now it goes to its loosest rules when its time is up, and says it stopped."""
    from planner import make_plan
    from planner.request import request_from_options

    plan = make_plan(request_from_options(budget=1.6, time_limit=2.0))
    assert plan.report.stopped_days == (1,)
    assert plan.days[0].items and plan.days[0].cost <= 1.6 + 1e-9
    assert plan.report.seconds < 3 * 2.0, plan.report.seconds
