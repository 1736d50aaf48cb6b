"""The plain diet problem: how many grams of each food, at the least cost, for every floor and ceiling.

Stigler's problem over a food table (`--meals none`, `PlanRequest.amounts_only`): one
amount per food in grams, from 0 to the table's own cap (`max_servings` x `serving_g`);
every target a linear row (a nutrient between its floor and its ceiling, a share of
calories as numerator x factor - share x calories >= 0); the objective is the cost at the
table's prices and nothing else (foods with no sourced price count at their aisle's
stand-in, `planner.pricing`). No meals, slots, household portions, pattern goals, liking
or variety: the Dietary Guidelines' food-group amounts keep only their ceilings. A plan
of several days repeats the one optimal day.

Floors are hard; only when they cannot all be met together does the model open a
shortfall column on each (a share of the floor costs `SHORTFALL_PENALTY` per 100 %)
and serve the closest plan. The same rows and names as the day menu (`min_<nutrient>`,
`max_<nutrient>`, `short_<nutrient>`, `budget`), so `planner.sweep` moves either.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.average_day import FloorPrices
from planner.errors import InputError
from planner.foods import NO_SLOT, FoodTable
from planner.milp import INF, Milp, Session, Solution, Status
from planner.model import SHORTFALL_PENALTY, USUAL_WHOLE, DayResult
from planner.plan import FloorPrice
from planner.request import PlanRequest
from planner.targets import share_parts
from planner.week import WeekResult


@dataclass
class DietModel:
    """The plain diet LP and where its columns and rows are."""

    milp: Milp
    food_ids: tuple[str, ...]
    x: np.ndarray                          # grams of each food
    shortfall: dict[str, int]              # target -> its shortfall column (closed until needed)
    shortfall_upper: dict[str, float]      # how far each may open
    bound_rows: list[tuple[str, str, float, int]] = field(default_factory=list)  # nutrient, min|max, value, row
    budget_row: int | None = None


def diet_model(foods: FoodTable, targets: pd.DataFrame, cost_per_100g: pd.Series, budget: float | None = None,
               required: tuple[str, ...] = ()) -> DietModel:
    """The plain diet LP over `foods` (every food but ingredients), hard floors, shortfalls closed.

    A required food (`--include`) gets at least one serving, or its cap where that is less.
    """
    data = foods.data[foods.data["role"] != "ingredient"]
    m = Milp()
    cap = (data["max_servings"] * data["serving_g"]).to_numpy(float)
    least = np.where(data.index.isin(required), np.minimum(data["serving_g"].to_numpy(float), cap), 0.0)
    price = cost_per_100g.loc[data.index].to_numpy(float) / 100.0
    x = np.array([m.add_column(f"x_{i}", c, lo, hi) for i, c, lo, hi in zip(data.index, price, least, cap)],
                 dtype=int)
    model = DietModel(m, tuple(data.index), x, {}, {})

    def per_gram(column: str) -> np.ndarray:
        return np.nan_to_num(data[column].to_numpy(float)) / 100.0

    for t in targets.itertuples(index=False):
        floor = t.min if pd.notna(t.min) and t.min > 0 else None
        ceiling = t.max if pd.notna(t.max) else None
        share = share_parts(t.nutrient)
        if share:
            numerator, denominator, factor = share
            for bound, value in (("min", floor), ("max", ceiling)):
                if value is None:
                    continue
                row = per_gram(numerator) * factor - per_gram(denominator) * value / 100.0
                if bound == "min":
                    # A shortfall of a share counts against the share of a usual day's whole (2,000 kcal).
                    s = _shortfall(model, t.nutrient, SHORTFALL_PENALTY / (value / 100.0 * USUAL_WHOLE[denominator]),
                                   INF)
                    m.add_row(f"min_{t.nutrient}", [*x, s], [*row, 1.0], lower=0.0)
                else:
                    m.add_row(f"max_{t.nutrient}", x, row, upper=0.0)
            continue
        if floor is not None:
            s = _shortfall(model, t.nutrient, SHORTFALL_PENALTY / floor, floor)
            model.bound_rows.append((t.nutrient, "min", floor, m.add_row(f"min_{t.nutrient}", [*x, s],
                                                                          [*per_gram(t.nutrient), 1.0], lower=floor)))
        if ceiling is not None:
            model.bound_rows.append((t.nutrient, "max", ceiling, m.add_row(f"max_{t.nutrient}", x,
                                                                            per_gram(t.nutrient), upper=ceiling)))
    model.budget_row = m.add_row("budget", x, price, upper=INF if budget is None else budget)
    return model


def _shortfall(model: DietModel, nutrient: str, cost: float, upper: float) -> int:
    column = model.milp.add_column(f"short_{nutrient}", cost, 0.0, 0.0)
    model.shortfall[nutrient] = column
    model.shortfall_upper[nutrient] = upper
    return column


def solve_hard_then_closest(session: Session, shortfall: dict[str, int], upper: dict[str, float],
                            ranging: bool = False) -> tuple[Solution, bool]:
    """Solve with every floor hard; when no plan meets them all, the closest plan. Says which it was.

    Opening the shortfall columns only when needed keeps the optimum exactly the plain LP's
    whenever the floors can be met (a penalty, however large, could otherwise undercut a dear floor).
    """
    solution = session.solve(ranging)
    if solution.status is not Status.NO_PLAN or not shortfall:
        return solution, False
    for nutrient, column in shortfall.items():
        session.set_col_bounds(column, 0.0, upper[nutrient])
    closest = session.solve()
    for column in shortfall.values():
        session.set_col_bounds(column, 0.0, 0.0)
    return closest, True


def solve_amounts(allowed: FoodTable, targets: pd.DataFrame, request: PlanRequest, cost: pd.Series) -> WeekResult:
    """The plain diet problem for `request` as the days of a plan: the one optimal day, `request.days` times."""
    started = time.perf_counter()
    absent = [c for t in targets["nutrient"] for c in (share_parts(t)[:2] if share_parts(t) else (t,))
              if c not in allowed.nutrients]
    if absent:
        raise InputError(f"no column '{absent[0]}' for the target on {absent[0]}", source=allowed.source)
    budget = request.budget.per_day() if request.budget else None
    model = diet_model(allowed, targets, cost, budget, request.choice.include)
    session = model.milp.session(request.solver.name, request.solver.time_limit)
    solution, short = solve_hard_then_closest(session, model.shortfall, model.shortfall_upper,
                                              ranging=request.solver.name == "highs")
    if solution.status is Status.NO_PLAN:
        raise InputError("no amounts of the foods allowed fit the budget and the foods that must appear",
                         field="budget" if budget is not None else "include")
    grams = solution.values[model.x]
    used = grams > 1e-9
    amounts = pd.DataFrame({"food_id": np.array(model.food_ids, dtype=object)[used], "slot": NO_SLOT,
                            "units": grams[used], "grams": grams[used]})
    gaps = {n: float(solution.values[c]) for n, c in model.shortfall.items() if solution.values[c] > 1e-9}
    food_cost = float(np.dot(np.asarray(model.milp.cost)[model.x], grams))
    seconds = time.perf_counter() - started
    day = DayResult(amounts, gaps, Status.OPTIMAL, food_cost, food_cost, seconds)
    prices = FloorPrices((), np.nan) if short else FloorPrices(_prices(model, solution), food_cost)
    return WeekResult(tuple(day for _ in range(request.days)), prices, request.days * food_cost,
                      request.days * food_cost, (), seconds)


def _prices(model: DietModel, solution: Solution) -> tuple[FloorPrice, ...]:
    """Each bound's dual (dollars a day per unit) and, with HiGHS, the range of the bound where it holds."""
    out = []
    for nutrient, bound, value, row in model.bound_rows:
        price = float(solution.row_duals[row])
        low = high = np.nan
        if solution.ranging is not None and abs(price) > 1e-12:
            low = float(solution.ranging.row_bound_dn.value_[row])
            high = float(solution.ranging.row_bound_up.value_[row])
        out.append(FloorPrice(nutrient, bound, float(value), price, low, high))
    return tuple(out)
