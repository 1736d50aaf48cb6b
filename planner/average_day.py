"""The week's average day: one LP over every open food that bounds, prices and sizes the week.

Whole servings and the day-to-day variety rules are dropped; every nutrient and meal
condition is kept (each holds on every day, so on their average), and a food is served on
at most its share of the days. So days x its cost bounds a plan's objective from below, its
duals price each floor at the margin across the plan, its elastic twin says which floors
no week can reach, and with every floor dropped it gives the cheapest day of meals.
`day_objective` prices a served day in the same terms, so the bound and the plan compare.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.day_data import DayState, ModelData
from planner.meals import MealShape
from planner.milp import Status
from planner.model import menu_model, open_foods
from planner.plan import FloorPrice
from planner.request import MealRules, SolverSettings
from planner.targets import share_parts


def cheapest_day(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings) -> float:
    """A lower bound on what any day of meals costs: every meal rule and ceiling held, no floor asked.

    A budget below it cannot buy a day of meals at all (NaN when even this LP has no plan).
    """
    foods = open_foods(data, DayState())
    menu = menu_model(data, targets, meals, DayState(), foods, MealShape.of(data, foods), relax=True)
    # What the foods cost, nothing else: no floor (their shortfalls free and unbounded), no pattern goal,
    # no portion or liking terms.
    menu.milp.cost = [0.0] * menu.milp.num_cols
    for k, name in enumerate(menu.milp.col_names):
        if name.startswith(("short_", "ahead_")):
            menu.milp.upper[k] = np.inf
    for col, f in zip(menu.x, foods):
        menu.milp.cost[col] = float(data.cost_per_unit[f])
    solution = menu.milp.solve(solver.name, solver.time_limit)
    return float(solution.objective) if solution.status is Status.OPTIMAL else np.nan


@dataclass(frozen=True)
class FloorPrices:
    prices: tuple[FloorPrice, ...]
    lp_cost: float        # the average day's LP cost (NaN when it has no plan)


def average_day(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                days_share: np.ndarray | None = None,
                relaxed: tuple[str, ...] = ()) -> tuple[FloorPrices, dict[str, float]]:
    """The week's average day, solved once: what each floor costs, and the floors it cannot reach.

    Whole servings and the day-to-day variety rules are dropped, every nutrient and meal
    condition is kept (each holds on every day, so on their average), and food f is served
    on at most `days_share[f]` of the days (its days allowed / days planned), which caps its
    average amount. So days x its cost is a proven lower bound on a plan's cost, and its
    prices (each floor's dual, and the range of the floor where it holds) reflect foods
    running out of days: what the nutrients cost at the margin across the plan, not what one
    menu change would cost exactly. Ranging needs HiGHS; with CBC the range stays unknown (NaN).

    Its floors are elastic: one it cannot reach even with fractional servings is out of reach
    for the week (the second result: the most of it the average day reaches), and days should
    not trade other targets chasing it. With any floor out of reach there are no prices and no
    bound (the LP with hard floors has no plan); with none, its duals are the hard LP's.
    `relaxed`: meal rules (`request.RELAXATIONS`) dropped, as some day of a plan dropped them.
    """
    foods = open_foods(data, DayState())
    needs = MealShape.of(data, foods)
    for rule in relaxed:
        needs = needs.relax(rule)
    menu = menu_model(data, targets, meals, DayState(), foods, needs, relax=True, margin=0.0)
    if days_share is not None:
        for col, f in zip(menu.x, foods):
            menu.milp.upper[col] = data.max_units[f] * min(1.0, float(days_share[f]))
    solution = menu.milp.solve(solver.name, solver.time_limit, ranging=solver.name == "highs")
    if solution.status is Status.NO_PLAN:
        return FloorPrices((), np.nan), {}
    short = {n: float(solution.values[c]) for n, c in menu.shortfall.items() if solution.values[c] > 1e-6}
    floors = targets.set_index("nutrient")["min"]
    reachable = {n: float(floors[n] - s) for n, s in short.items() if n in floors.index and not share_parts(n)}
    if short:
        return FloorPrices((), np.nan), reachable
    out = []
    for nutrient, bound, value, row in menu.bound_rows:
        price = float(solution.row_duals[row])
        low = high = np.nan
        if solution.ranging is not None and abs(price) > 1e-12:
            low = solution.ranging.row_bound_dn.value_[row]
            high = solution.ranging.row_bound_up.value_[row]
        out.append(FloorPrice(nutrient, bound, float(value), price, float(low), float(high)))
    return FloorPrices(tuple(out), float(solution.objective)), reachable


def floor_prices(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                 days_share: np.ndarray | None = None) -> FloorPrices:
    """What each floor costs on the week's average day (`average_day`)."""
    return average_day(data, targets, meals, solver, days_share)[0]


def reachable_floors(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                     days_share: np.ndarray | None = None) -> dict[str, float]:
    """The most of each floor the week's average day can reach, where that is less than the floor."""
    return average_day(data, targets, meals, solver, days_share)[1]


def relaxed_menu(data: ModelData, targets: pd.DataFrame, meals: MealRules, state: DayState = DayState()):
    """The day's relaxed menu LP over every open food, at the targets exactly (no margin), floors elastic.

    The model a sweep keeps in its solver and changes a bound of between solves (`planner.sweep`):
    `milp`, `x` (units of `foods`, indices into `data`), `shortfall` (nutrient -> column) and
    `bound_rows` (nutrient, min|max, value, row); rows and columns are named after their target.
    """
    foods = open_foods(data, state)
    return menu_model(data, targets, meals, state, foods, MealShape.of(data, foods), relax=True, margin=0.0)


def day_objective(data: ModelData, targets: pd.DataFrame, amounts: pd.DataFrame) -> float:
    """What a served day costs in the objective: its foods at their prices, each usual amount eaten at the
    portion weight, each share of a food group's pattern amount left uneaten at the goal weight.

    The same terms the average-day LP minimises, so days x its cost bounds the sum of these from below
    (that LP also gives liked foods their discount and skips the cost of repeating yesterday's foods)."""
    foods = data.rows_of(amounts["food_id"])
    units = amounts["units"].to_numpy(float)
    usual = data.usual_units[foods]
    total = data.cost_of(amounts)
    known = np.isfinite(usual) & (usual > 0)
    total += data.portion_weight * float((units[known] / usual[known]).sum())
    if data.goal_weight > 0 and "goal" in targets:
        for t in targets.dropna(subset=["goal"]).itertuples(index=False):
            if t.goal > 0 and t.nutrient in data.nutrients:
                amount = float((data.per_unit[data.nutrients.index(t.nutrient), foods] * units).sum())
                total += data.goal_weight * max(0.0, t.goal - amount) / t.goal
    return total
