"""The day-menu model: which foods and how much, then which meal each goes in.

A day is solved in two small steps instead of one large one:

1. The menu: a MILP over the day's candidate foods, with whole household
   units (half servings by default), a minimum portion, every nutrient target
   and the variety rules of the week. Slots are not variables here; instead
   the menu must pass every condition a slot assignment needs (for each set of
   slots: enough foods that fit it, not too many that fit only it, and a
   calorie share it can hold), which are linear in the foods chosen.
2. The meals (`planner.meals`): a tiny assignment MILP puts each chosen food
   in one slot, with the calorie shares, the cap on foods per slot, one food
   of each kind per slot, and a protein and a vegetable at lunch and dinner.
   Should it find no assignment, the portions are refitted to the closest one;
   failing that, the menu is cut off and step 1 runs again.

With more foods than `Rules.candidates`, the relaxed menu LP runs first and
step 1 only sees the foods with the best reduced costs (and the best few of
each kind). Floors are elastic (a shortfall costs `SHORTFALL_PENALTY`, so
there is always a closest plan); ceilings are hard, so a plan never passes a
UL. Models are arrays (`planner.milp`); HiGHS solves them by default.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.day_data import DayState, ModelData
from planner.foods import SLOTS
from planner.meals import MealShape, assign_slots, meal_conditions
from planner.milp import Milp, Status
from planner.plan import FloorPrice
from planner.request import RELAXATIONS, MealRules, SolverSettings
from planner.targets import share_parts

__all__ = ["DayResult", "FloorPrice", "floor_prices", "solve_day"]

# Dollars of objective per 100 % shortfall of one floor: far above any day's food
# cost, so the model first closes every gap it can, then minimises cost.
SHORTFALL_PENALTY = 1000.0
# How far a day departs from how people eat, in dollars beside its cost: a portion twice (or none
# of) the usual amount of its food, and a food group twice (or none of) the pattern's amount.
# `--cheapest` sets both to 0 for the minimum-cost plan.
PORTION_WEIGHT = 0.5
GOAL_WEIGHT = 2.0
# A liked food's cost counts at this fraction in the objective, and each day it is served
# earns LIKE_BONUS dollars: a liked food appears unless it costs far more than the others.
LIKE_FACTOR = 0.5
LIKE_BONUS = 0.5
# For every this many open foods the menu MILP sees one more candidate by reduced cost.
CANDIDATES_MORE_PER = 250
# Menus cut off because no slot assignment fits them, before a day gives up.
MAX_MENU_TRIES = 4
# Dollars added to the objective for serving a food eaten the day before: spreads repeats out.
REPEAT_COST = 0.25
# A day shares at most this fraction of any earlier day's foods: no two days alike.
MAX_SHARED_WITH_EARLIER_DAY = 0.5
# The model aims this far inside every floor and ceiling, so grams rounded to 0.01 g in a
# plan (and exact-gram plans sitting on a bound) still pass an independent check.
BOUND_MARGIN = 1e-3
# A shortfall of a share is counted against the share of a usual day's whole: 2,000 kcal, 6 oz-eq of grains.
USUAL_WHOLE = {"energy_kcal": 2000.0, "grains_oz_eq": 6.0}


@dataclass(frozen=True)
class DayResult:
    """One solved day: units per (food, slot), the shortfall per floor, and how it was solved."""

    amounts: pd.DataFrame       # columns food_id, slot, units, grams
    shortfall: dict[str, float]
    status: Status
    objective: float
    bound: float
    seconds: float
    relaxed: tuple[str, ...] = ()   # meal rules dropped because no menu fitted them (meals.RELAXATIONS)


@dataclass
class _Menu:
    """A menu model and where its columns and rows are."""

    milp: Milp
    foods: np.ndarray                    # food index of each x / u column
    x: np.ndarray                        # units of each food
    u: np.ndarray                        # food is served today (binary in the MILP)
    shortfall: dict[str, int]            # nutrient -> column
    bound_rows: list[tuple[str, str, float, int]] = field(default_factory=list)  # nutrient, min|max, value, row


def solve_day(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
              state: DayState = DayState()) -> DayResult:
    """Solve one day's menu. Never raises for unmet targets: they come back as shortfalls.

    When no menu of the candidate foods fits the meal rules, all open foods are tried; then
    the meal rules are relaxed one at a time (`meals.RELAXATIONS`), and the result says which.
    """
    started = time.perf_counter()
    foods = _open_foods(data, state)
    needs = MealShape.of(data, foods)
    pools = [foods]
    relaxed, lp, unavoidable = _relaxed_day(data, targets, meals, solver, state, foods, needs)
    if solver.candidates and len(foods) > solver.candidates:
        pools.insert(0, _candidates(relaxed, lp, data, targets, solver, state, foods, needs))
    ladder = [(pool, needs) for pool in pools]
    for rule, _ in RELAXATIONS:
        needs = needs.relax(rule)
        ladder.append((foods, needs))
    for pool, needs in ladder:
        found = _menu_in_slots(data, targets, meals, solver, state, pool, needs, unavoidable)
        if found is not None:
            menu, solution, slots = found
            return _result(data, menu, solution, slots, needs.relaxed + tuple(f"missing {u}" for u in needs.unfillable),
                           started)
    return DayResult(pd.DataFrame(columns=["food_id", "slot", "units", "grams"]), {}, Status.NO_PLAN,
                     np.nan, np.nan, time.perf_counter() - started)


def _menu_in_slots(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                   state: DayState, foods: np.ndarray, needs: MealShape, unavoidable: float = 0.0):
    """The best menu over `foods` that fits `needs`, with its slots; None when no menu does.

    `unavoidable` is what the shortfalls cost in the relaxed LP: taken off the objective as a
    constant, so the MIP gap measures what the menu can still change, not a shortfall no food closes.
    """
    cuts: list[np.ndarray] = []
    first = None
    for _ in range(MAX_MENU_TRIES):
        menu = _menu(data, targets, meals, state, foods, needs, cuts=cuts)
        menu.milp.offset = -unavoidable
        solution = menu.milp.solve(solver.name, solver.time_limit, solver.gap)
        if solution.status is Status.NO_PLAN:
            break
        units = _units(data, menu, solution)
        served = units > 1e-9
        chosen = menu.foods[served]
        first = first or (menu, solution, chosen, units[served])
        slots = assign_slots(data, meals, solver, state, needs, chosen, units[served])
        if slots is None:
            # Same foods, other portions: the slots closest to the bands, then portions that fit them.
            slots = assign_slots(data, meals, solver, state, needs, chosen, units[served], soft=True)
            if slots is not None:
                refit_menu, refit = _refit(data, targets, meals, solver, state, needs, chosen, slots)
                # Refitted portions may not open a shortfall the menu did not have.
                if refit.status is Status.NO_PLAN or _penalty(refit_menu, refit) > _penalty(menu, solution) + 1e-6:
                    slots = None
                else:
                    menu, solution = refit_menu, refit
        if slots is not None:
            return menu, solution, slots
        cuts.append(chosen)
    if first is not None:
        # No menu near the best fits the calorie bands: serve the best one with the bands as
        # targets rather than limits; the plan says which slot runs outside its band.
        menu, solution, chosen, units = first
        slots = assign_slots(data, meals, solver, state, needs, chosen, units, soft=True)
        if slots is not None:
            return menu, solution, slots
    return None


def _penalty(menu: _Menu, solution) -> float:
    """What the solution's shortfalls cost in the objective."""
    return sum(menu.milp.cost[c] * solution.values[c] for c in menu.shortfall.values())


def _units(data: ModelData, menu: _Menu, solution) -> np.ndarray:
    return np.round(solution.values[menu.x]) if data.integer else solution.values[menu.x]


def _result(data: ModelData, menu: _Menu, solution, slots: list[str], relaxed: tuple[str, ...],
            started: float) -> DayResult:
    units = _units(data, menu, solution)
    served = units > 1e-9
    food = menu.foods[served]
    amounts = pd.DataFrame({"food_id": [data.food_ids[f] for f in food], "slot": slots,
                            "units": units[served], "grams": units[served] * data.unit_g[food]})
    shortfall = {n: float(solution.values[c]) for n, c in menu.shortfall.items() if solution.values[c] > 1e-6}
    return DayResult(amounts, shortfall, solution.status, solution.objective, solution.bound,
                     time.perf_counter() - started, relaxed)


def _refit(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings, state: DayState,
           needs: MealShape, foods: np.ndarray, slots: list[str]):
    """The menu re-solved over exactly `foods`, each in its given slot, with every slot inside its calorie band."""
    fixed = replace(state, required=state.required | {data.food_ids[f] for f in foods})
    menu = _menu(data, targets, meals, fixed, foods, needs)
    kcal = data.kcal_per_unit[foods]
    where = np.array(slots)
    for slot in SLOTS:
        lo, hi = meals.slot_range(slot)
        here = (where == slot).astype(float)
        menu.milp.add_row(f"kcal_min_{slot}", menu.x, kcal * here - lo * kcal, lower=0.0)
        menu.milp.add_row(f"kcal_max_{slot}", menu.x, kcal * here - hi * kcal, upper=0.0)
    return menu, menu.milp.solve(solver.name, solver.time_limit, solver.gap)


def _open_foods(data: ModelData, state: DayState) -> np.ndarray:
    blocked = state.blocked - state.required
    return np.array([f for f, food_id in enumerate(data.food_ids)
                     if food_id not in blocked and data.role[f] != "ingredient"
                     and data.max_units[f] >= max(data.min_units[f], 1e-9)], dtype=int)


def _relaxed_day(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                 state: DayState, foods: np.ndarray, needs: MealShape):
    """The relaxed menu LP over `foods`, and what its shortfalls cost: no menu can miss less."""
    menu = _menu(data, targets, meals, state, foods, needs, relax=True)
    solution = menu.milp.solve(solver.name, solver.time_limit)
    penalty = _penalty(menu, solution) if solution.status is not Status.NO_PLAN else 0.0
    return menu, solution, penalty


def _candidates(menu: _Menu, solution, data: ModelData, targets: pd.DataFrame, solver: SolverSettings,
                state: DayState, foods: np.ndarray, needs: MealShape) -> np.ndarray:
    """The foods the relaxed menu LP uses, then the best by reduced cost, then the best few of each kind."""
    if solution.status is Status.NO_PLAN:
        return foods
    used = solution.values[menu.x] > 1e-7
    score = np.where(used, -np.inf, solution.reduced_costs[menu.x])
    ranked = menu.foods[np.lexsort((menu.foods, score))]
    # Large tables (all of SR Legacy) have more good foods near the LP's choice: look further.
    best = solver.candidates + len(foods) // CANDIDATES_MORE_PER
    keep = set(ranked[:best].tolist()) | set(menu.foods[used].tolist())
    keep |= {f for f in foods if data.food_ids[f] in state.required or data.liked[f]}
    for kind in sorted(set(data.role[ranked])):
        keep.update([f for f in ranked if data.role[f] == kind][: solver.candidates_per_role])
    # The richest few in each nutrient with a floor, so no floor depends on the LP's one mix.
    for k in _floored(data, targets):
        richest = foods[np.argsort(-data.per_unit[k, foods] / data.unit_g[foods], kind="stable")]
        keep.add(int(richest[0]))
    # Twice the foods a day's meals need, at least, so the meal rules always have a choice.
    enough = 2 * needs.least_foods()
    for f in ranked:
        if len(keep) >= enough:
            break
        keep.add(f)
    return np.array(sorted(keep), dtype=int)


def _floored(data: ModelData, targets: pd.DataFrame) -> list[int]:
    """Rows of `data.nutrients` that a floor asks for (a share's numerator for a share's floor)."""
    out = []
    for t in targets.dropna(subset=["min"]).itertuples(index=False):
        share = share_parts(t.nutrient)
        column = share[0] if share else t.nutrient
        if column in data.nutrients and t.min > 0:
            out.append(data.nutrients.index(column))
    return list(dict.fromkeys(out))


def _menu(data: ModelData, targets: pd.DataFrame, meals: MealRules, state: DayState, foods: np.ndarray,
          needs: MealShape, relax: bool = False, elastic: bool = True, margin: float = BOUND_MARGIN,
          cuts: list[np.ndarray] = ()) -> _Menu:
    """The day's menu model over `foods` (indices into `data`)."""
    m = Milp()
    integer = data.integer and not relax
    ids = [data.food_ids[f] for f in foods]
    required = np.array([i in state.required for i in ids], dtype=bool)
    use_cost = np.array([i in state.yesterday for i in ids], dtype=bool) * REPEAT_COST \
        - data.liked[foods] * LIKE_BONUS
    cost = data.cost_per_unit[foods] * np.where(data.liked[foods], LIKE_FACTOR, 1.0)
    # A served food has at least one serving, near the amount people usually eat (the table's serving
    # rule); each usual amount more of it costs `portion_weight`, so portions stay near the usual.
    # Charged per unit rather than on |amount - usual|, whose relaxation says nothing.
    usual = data.usual_units[foods]
    cost = cost + np.where(np.isfinite(usual) & (usual > 0), data.portion_weight / np.where(usual > 0, usual, 1.0), 0.0)
    if relax:
        # No use columns: each row on "food is served" reads x / max_units or x / min_units,
        # whichever loosens it (see `_Use`), so this LP still bounds the MILP from below.
        cost = cost + np.where(use_cost > 0, use_cost / data.max_units[foods],
                               use_cost / np.maximum(data.min_units[foods], 1.0))
    x = np.array([m.add_column(f"x_{i}", c, data.min_units[f] if r else 0.0, data.max_units[f], integer)
                  for i, c, f, r in zip(ids, cost, foods, required)], dtype=int)
    u = np.zeros(0, dtype=int) if relax else np.array(
        [m.add_column(f"use_{i}", c, float(r), 1.0, True) for i, c, r in zip(ids, use_cost, required)], dtype=int)
    for i, f in enumerate(foods[: len(u)]):
        m.add_row(f"portion_max_{ids[i]}", (x[i], u[i]), (1.0, -data.max_units[f]), upper=0.0)
        m.add_row(f"portion_min_{ids[i]}", (x[i], u[i]), (1.0, -data.min_units[f]), lower=0.0)
    menu = _Menu(m, foods, x, u, {})

    rows = {name: data.per_unit[k, foods] for k, name in enumerate(data.nutrients)}
    for t in targets.itertuples(index=False):
        floor = state.floors.get(t.nutrient, t.min)
        floor = floor * (1 + margin) if pd.notna(floor) and floor > 0 else None
        ceiling = t.max * (1 - margin) if pd.notna(t.max) else None
        share = share_parts(t.nutrient)
        if share:
            # A share of a whole (kcal, grains) against its bound: linear in the amounts.
            numerator, denominator, factor = share
            if floor is not None:
                row = rows[numerator] * factor - rows[denominator] * floor / 100.0
                if elastic:
                    # Normalised by the share of a usual day's whole.
                    s = menu.shortfall[t.nutrient] = m.add_column(
                        f"short_{t.nutrient}", SHORTFALL_PENALTY / (floor / 100.0 * USUAL_WHOLE[denominator]))
                    m.add_row(f"min_{t.nutrient}", [*x, s], [*row, 1.0], lower=0.0)
                else:
                    m.add_row(f"min_{t.nutrient}", x, row, lower=0.0)
            if ceiling is not None:
                row = rows[numerator] * factor - rows[denominator] * ceiling / 100.0
                m.add_row(f"max_{t.nutrient}", x, row, upper=0.0)
            continue
        if floor is not None:
            if elastic:
                # Per unit of the target's own floor: a day owing more of a stored nutrient (what earlier
                # days left) must not make each unit of it cheaper to miss than a unit of anything else.
                per = t.min if pd.notna(t.min) and t.min > 0 else floor
                s = menu.shortfall[t.nutrient] = m.add_column(f"short_{t.nutrient}", SHORTFALL_PENALTY / per,
                                                              0.0, floor)
                extra_cols, extra_coefs = [s], [1.0]
                if t.nutrient in state.bank:
                    price, most = state.bank[t.nutrient]
                    extra_cols.append(m.add_column(f"ahead_{t.nutrient}", -price, 0.0, most))
                    extra_coefs.append(-1.0)
                r = m.add_row(f"min_{t.nutrient}", [*x, *extra_cols], [*rows[t.nutrient], *extra_coefs], lower=floor)
            else:
                r = m.add_row(f"min_{t.nutrient}", x, rows[t.nutrient], lower=floor)
            menu.bound_rows.append((t.nutrient, "min", t.min, r))
        if ceiling is not None:
            r = m.add_row(f"max_{t.nutrient}", x, rows[t.nutrient], upper=ceiling)
            menu.bound_rows.append((t.nutrient, "max", t.max, r))
        if pd.notna(getattr(t, "goal", np.nan)) and t.goal > 0 and data.goal_weight > 0:
            # How far the day falls short of the pattern's amount: a share of it costs the weight. Above
            # the goal only the ceiling holds; a two-sided charge made the day's MILP twice as slow.
            d = m.add_column(f"under_{t.nutrient}", data.goal_weight / t.goal, 0.0, t.goal)
            m.add_row(f"goal_{t.nutrient}", [*x, d], [*rows[t.nutrient], 1.0], lower=t.goal)

    use = _Use(m, x, u, data.min_units[foods], data.max_units[foods])
    meal_conditions(m, data, meals, state, needs, foods, x, use, integer)
    for k, menu_ids in enumerate(state.earlier_menus):
        present = np.array([i in menu_ids for i in ids], dtype=float)
        shared = int(np.floor(MAX_SHARED_WITH_EARLIER_DAY * len(menu_ids)))
        if present.sum() > shared:
            use.row(f"differs_from_day_{k + 1}", present, upper=shared)
    for k, cut in enumerate(cuts):
        use.row(f"no_meals_fit_{k}", np.isin(foods, cut).astype(float), upper=len(cut) - 1)
    if state.budget is not None:
        m.add_row("budget", x, data.cost_per_unit[foods], upper=state.budget)
    return menu


@dataclass
class _Use:
    """Rows on "food is served": on the use binaries in the MILP; in the relaxed LP, on the amounts.

    A served food has min_units <= x <= max_units, so its use lies in [x / max_units, x / min_units]
    in any relaxation. Each row takes the end that loosens it, so the x-only LP is a relaxation of
    the MILP: its optimum is a proven lower bound and its duals price the floors.
    """

    m: Milp
    x: np.ndarray
    u: np.ndarray          # empty in the relaxed LP
    min_units: np.ndarray
    max_units: np.ndarray

    def equal(self, name: str, coefs: np.ndarray, extra: tuple = ((), ())) -> None:
        """`coefs . use + extra = 0`: one row in the MILP, its two loosened halves in the relaxed LP."""
        if len(self.u):
            self.row(name, coefs, 0.0, 0.0, extra)
        else:
            self.row(f"{name}_min", coefs, lower=0.0, extra=extra)
            self.row(f"{name}_max", coefs, upper=0.0, extra=extra)

    def row(self, name: str, coefs: np.ndarray, lower: float = -np.inf, upper: float = np.inf,
            extra: tuple = ((), ())) -> int:
        if len(self.u):
            return self.m.add_row(name, [*self.u, *extra[0]], [*coefs, *extra[1]], lower, upper)
        # A <= row is loosest with the smallest positive and the largest negative terms, a >= row the reverse.
        at_max = (coefs > 0) == np.isfinite(upper)
        per_x = coefs / np.where(at_max, self.max_units, np.maximum(self.min_units, 1.0))
        return self.m.add_row(name, [*self.x, *extra[0]], [*per_x, *extra[1]], lower, upper)


def day_objective(data: ModelData, targets: pd.DataFrame, amounts: pd.DataFrame) -> float:
    """What a served day costs in the objective: its foods at their prices, each usual amount eaten at the
    portion weight, each share of a food group's pattern amount left uneaten at the goal weight.

    The same terms the average-day LP minimises, so days x its cost bounds the sum of these from below
    (that LP also gives liked foods their discount and skips the cost of repeating yesterday's foods)."""
    index = {food_id: f for f, food_id in enumerate(data.food_ids)}
    foods = np.array([index[i] for i in amounts["food_id"]], dtype=int)
    units = amounts["units"].to_numpy(float)
    usual = data.usual_units[foods]
    total = float((data.cost_per_unit[foods] * units).sum())
    known = np.isfinite(usual) & (usual > 0)
    total += data.portion_weight * float((units[known] / usual[known]).sum())
    if data.goal_weight > 0 and "goal" in targets:
        for t in targets.dropna(subset=["goal"]).itertuples(index=False):
            if t.goal > 0 and t.nutrient in data.nutrients:
                amount = float((data.per_unit[data.nutrients.index(t.nutrient), foods] * units).sum())
                total += data.goal_weight * max(0.0, t.goal - amount) / t.goal
    return total


def cheapest_day(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings) -> float:
    """A lower bound on what any day of meals costs: every meal rule and ceiling held, no floor asked.

    A budget below it cannot buy a day of meals at all (NaN when even this LP has no plan).
    """
    foods = _open_foods(data, DayState())
    menu = _menu(data, targets, meals, DayState(), foods, MealShape.of(data, foods), relax=True)
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


def reachable_floors(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                     days_share: np.ndarray | None = None) -> dict[str, float]:
    """The most of each floor the week's average day can reach, where that is less than the floor.

    The average-day LP of `floor_prices`, with elastic floors: a floor it cannot reach even with
    fractional servings is out of reach for the week, and days should not trade other targets
    chasing it."""
    foods = _open_foods(data, DayState())
    menu = _menu(data, targets, meals, DayState(), foods, MealShape.of(data, foods), relax=True, margin=0.0)
    if days_share is not None:
        for col, f in zip(menu.x, foods):
            menu.milp.upper[col] = data.max_units[f] * min(1.0, float(days_share[f]))
    solution = menu.milp.solve(solver.name, solver.time_limit)
    if solution.status is Status.NO_PLAN:
        return {}
    floors = targets.set_index("nutrient")["min"]
    return {n: float(floors[n] - solution.values[c]) for n, c in menu.shortfall.items()
            if solution.values[c] > 1e-6 and n in floors.index and not share_parts(n)}


def floor_prices(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                 days_share: np.ndarray | None = None) -> FloorPrices:
    """What each floor costs: the relaxed menu LP's dual per unit, and the range of the floor where it holds.

    The LP is the week's average day: whole servings and the day-to-day variety
    rules are dropped, every nutrient and meal condition is kept (each holds on
    every day, so on their average), and food f is served on at most
    `days_share[f]` of the days (its days allowed / days planned), which caps its
    average amount. So days x its cost is a proven lower bound on a plan's cost,
    and its prices reflect foods running out of days: what the nutrients cost at
    the margin across the plan, not what one menu change would cost exactly.
    Ranging needs HiGHS; with CBC the range stays unknown (NaN).
    """
    foods = _open_foods(data, DayState())
    menu = _menu(data, targets, meals, DayState(), foods, MealShape.of(data, foods), relax=True, elastic=False,
                 margin=0.0)
    if days_share is not None:
        for col, f in zip(menu.x, foods):
            menu.milp.upper[col] = data.max_units[f] * min(1.0, float(days_share[f]))
    solution = menu.milp.solve(solver.name, solver.time_limit, ranging=solver.name == "highs")
    if solution.status is Status.NO_PLAN:
        return FloorPrices((), np.nan)
    out = []
    for nutrient, bound, value, row in menu.bound_rows:
        price = float(solution.row_duals[row])
        low = high = np.nan
        if solution.ranging is not None and abs(price) > 1e-12:
            low = solution.ranging.row_bound_dn.value_[row]
            high = solution.ranging.row_bound_up.value_[row]
        out.append(FloorPrice(nutrient, bound, float(value), price, float(low), float(high)))
    return FloorPrices(tuple(out), float(solution.objective))


def relaxed_menu(data: ModelData, targets: pd.DataFrame, meals: MealRules, state: DayState = DayState()) -> _Menu:
    """The day's relaxed menu LP over every open food, at the targets exactly (no margin), floors elastic.

    The model a sweep keeps in its solver and changes a bound of between solves (`planner.sweep`):
    `milp`, `x` (units of `foods`, indices into `data`), `shortfall` (nutrient -> column) and
    `bound_rows` (nutrient, min|max, value, row); rows and columns are named after their target.
    """
    foods = _open_foods(data, state)
    return _menu(data, targets, meals, state, foods, MealShape.of(data, foods), relax=True, margin=0.0)
