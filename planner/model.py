"""The day-menu model: which foods, then how much of each and in which meal.

1. The menu: a MILP over the day's candidate foods with continuous portions, every nutrient
   target, the week's variety rules and the conditions any slot assignment needs (linear in the
   foods chosen), so its bound still bounds the day.
2. The portions (`_portions`): exactly those foods in whole household units, each in one slot,
   every meal rule exact (`planner.meals.meal_rows`). Should they not fit, a few more foods (the
   next by the relaxed LP) may join them; should that not fit, the menu (or, where only a calorie
   band was bent, the foods of the meals outside their bands) is cut off and chosen again; when no
   menu fits, the meal rules are relaxed one at a time (`request.RELAXATIONS`) and the day says which.

With more foods than `SolverSettings.candidates`, the relaxed menu LP runs first and step 1 sees
only the foods with the best reduced costs. Floors are elastic (a shortfall costs
`SHORTFALL_PENALTY`: there is always a closest plan); ceilings are hard, so a plan never passes a
UL. Models are arrays (`planner.milp`); HiGHS solves them by default.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner import nutrients
from planner.candidates import candidate_foods, ranked_foods
from planner.day_data import DayState, ModelData
from planner.deadline import DayClock
from planner.meals import MealShape, meal_conditions, meal_rows, near_shares, slots_of, slots_outside_bands
from planner.milp import Milp, Session, Status
from planner.request import RELAXATIONS, VARIETY_FOR, MealRules, SolverSettings
from planner.targets import share_parts

__all__ = ["DayResult", "menu_model", "open_foods", "solve_day"]

# Dollars of objective per 100 % shortfall of one floor: far above any day's food
# cost, so the model first closes every gap it can, then minimises cost.
SHORTFALL_PENALTY = 1000.0
# In a week, times this for a floor the day must meet itself (calories, magnesium): vitamin D and B12
# count over the week's average, so later days can make them up, and a day must not go hungry for them.
DAILY_FLOOR_WEIGHT = 3.0
# How far a day departs from how people eat, in dollars beside its cost: a portion twice (or none
# of) the usual amount of its food, and a food group twice (or none of) the pattern's amount.
# `--cheapest` sets both to 0 for the minimum-cost plan.
PORTION_WEIGHT = 0.5
GOAL_WEIGHT = 2.0
# A liked food's cost counts at this fraction in the objective, and each day it is served
# earns LIKE_BONUS dollars: a liked food appears unless it costs far more than the others.
LIKE_FACTOR = 0.5
LIKE_BONUS = 0.5
# Menus cut off because no slot assignment fits them, before a day gives up.
MAX_MENU_TRIES = 6
# Before a menu whose whole units fit no meals is cut off, this many more foods (the next by the relaxed LP)
# may join it: a small MILP often fits them where a new menu costs a menu MILP (a slot's calories in its band).
EXTRA_FOODS = 8
# Dollars added to the objective for serving a food eaten the day before: spreads repeats out.
REPEAT_COST = 0.25
# Dollars added for a food no earlier day of the week served: one more thing to buy. Small beside
# REPEAT_COST, so a week still varies, but a week drinks one milk rather than four.
NEW_PRODUCT_COST = 0.1
# A day shares at most this fraction of any earlier day's foods: no two days alike.
MAX_SHARED_WITH_EARLIER_DAY = 0.5
# The model aims this far inside every floor and ceiling, so grams rounded to 0.01 g in a
# plan (and exact-gram plans sitting on a bound) still pass an independent check.
BOUND_MARGIN = 1e-3
# The foods are chosen this far inside every floor and ceiling, so their whole units (step 2) still meet them.
ROUNDING_MARGIN = 0.02
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
    relaxed: tuple[str, ...] = ()   # rules dropped because no menu fitted them (request.RELAXATIONS)


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
              state: DayState = DayState(), kept: RelaxedDay | None = None) -> DayResult:
    """Solve one day's menu. Never raises for unmet targets: they come back as shortfalls.

    When no menu of the candidate foods fits the meal rules, all open foods are tried; then the meal
    rules and the week's variety are relaxed one at a time (`request.RELAXATIONS`); the result says which.
    A menu that misses a floor of the day's own which the open foods meet may give up variety too (`VARIETY_FOR`).
    `kept`: the week's relaxed LP, re-solved for this day instead of built anew.

    The day's search stops at `solver.time_limit` seconds with the best menu it has (status STOPPED); a day
    with none by then goes straight to its loosest rules, for one more search of that length at most.
    """
    started = time.perf_counter()
    clock = DayClock.start(solver.time_limit)
    foods = open_foods(data, state)
    needs = MealShape.of(data, foods)
    pools = [foods]
    relaxed, lp, unavoidable = _relaxed_day(data, targets, meals, solver, state, foods, needs, kept)
    ranked, used = ranked_foods(relaxed.foods, relaxed.x, lp, foods)
    if solver.candidates and len(foods) > solver.candidates:
        pools.insert(0, candidate_foods(ranked, used, data, targets, solver, state, foods, needs))
    ladder = [(pool, needs, state) for pool in pools]
    for rule, _ in RELAXATIONS:
        if rule != "variety" and (looser := needs.relax(rule)) is not needs:   # not when nothing is relaxed today
            needs = looser
            ladder.append((foods, needs, state))
        elif rule == "variety" and state.earlier_menus:   # last, in a week: rather than serve nothing, a day may repeat earlier days more
            ladder.append((foods, replace(needs, relaxed=(*needs.relaxed, rule)), replace(state, earlier_menus=())))
    best = None
    for k, (pool, needs, rung) in enumerate(ladder):
        if clock.up() and (best is not None or k < len(ladder) - 1):
            if best is not None:
                break
            continue    # no menu yet: on to the loosest rules, which fit most
        found = _menu_in_slots(data, targets, meals, solver, rung, pool, needs, unavoidable, ranked,
                               clock if k < len(ladder) - 1 else clock.again())
        if found is not None and (best is None or found[2]):
            best = (found, needs)
            if found[2] or not len(foods):  # an empty day fits every rule: while one is left to relax, go on
                break
    if best is None:
        return DayResult(pd.DataFrame(columns=["food_id", "slot", "units", "grams"]), {}, Status.NO_PLAN,
                         np.nan, np.nan, time.perf_counter() - started)
    (menu, solution, slots, chosen_by), needs = best
    # A floor that the open foods meet (the relaxed LP keeps no day apart from another) but no menu did, and no
    # later day can make up (vitamin D counts over the week: on its last day, where it has no bank): the week's
    # variety ran the menus out (a vegan teen's last day went 6 % short of calories). The day may then share
    # more foods with earlier days, where that costs less than the shortfall.
    missed = _short(menu, solution) - (_short(relaxed, lp) if lp.status is not Status.NO_PLAN else set()) \
        - set(state.bank)
    if missed and state.earlier_menus and "variety" not in needs.relaxed and not clock.up():
        looser = replace(needs, relaxed=(*needs.relaxed, VARIETY_FOR + ",".join(sorted(missed))))
        again = _menu_in_slots(data, targets, meals, solver, replace(state, earlier_menus=()), foods, looser,
                               unavoidable, ranked, clock)
        if again is not None and again[1].objective < solution.objective - 1e-6:
            (menu, solution, slots, chosen_by), needs = again, looser
    return _result(data, menu, solution, slots, needs.relaxed + tuple(f"missing {u}" for u in needs.unfillable),
                   started, chosen_by, clock.cut)


def _menu_in_slots(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                   state: DayState, foods: np.ndarray, needs: MealShape, unavoidable: float,
                   ranked: np.ndarray | None, clock: DayClock):
    """The best menu over `foods` that fits `needs`, in whole units and slots; None when no menu does.

    Two steps: which foods (the menu MILP, portions continuous: a third of the time of whole
    units, and its bound still bounds the day), then their whole units and slots together, every
    rule exact (`_portions`). Should the foods not fit the meals, the next `EXTRA_FOODS` of `ranked`
    (the relaxed LP's order) may join them; should that not fit either, the menu is cut off and chosen
    again. `unavoidable` is what the shortfalls cost in the relaxed LP: taken off the objective as
    a constant, so the MIP gap measures what the menu can still change, not a shortfall no food closes.
    `clock`: the day's deadline; once it passes, no further menu is tried.
    """
    cuts: list[np.ndarray] = []
    # Menus in whole units that bend a rule: (opens a shortfall, slots outside their bands, objective, found).
    bent: list[tuple[bool, int, float, tuple]] = []
    for attempt in range(MAX_MENU_TRIES):
        if attempt and clock.up():
            break
        solver = replace(solver, time_limit=clock.left(solver.time_limit))
        menu = menu_model(data, targets, meals, state, foods, needs, cuts=cuts, whole=False, margin=ROUNDING_MARGIN)
        menu.milp.offset = -unavoidable
        solution = menu.milp.solve(solver.name, solver.time_limit, solver.gap)
        if solution.status is Status.NO_PLAN:
            break
        chosen = menu.foods[solution.values[menu.u] > 0.5] if len(menu.u) else \
            menu.foods[solution.values[menu.x] > 1e-9]
        short = _short(menu, solution)
        cut = chosen
        for soft in (False, True):
            found = _portions(data, targets, meals, solver, state, needs, chosen, unavoidable, soft)
            if found is None:
                continue
            opens = not _short(*found[:2]) <= short
            if not opens and not soft:
                return (*found, solution)
            outside = _outside_bands(data, meals, needs, *found)
            bent.append((opens, _slots_in(found, outside), found[1].objective, (*found, solution)))
            if outside.any():
                # The foods fitted only with a band bent: the next menu may not hold all the foods of the slots
                # outside it. Cutting the whole menu, the next one differs by a fruit and fails alike.
                cut = found[0].foods[_units(data, *found[:2]) > 1e-9][outside]
            if not opens:
                break
        extra = () if ranked is None else ranked[np.isin(ranked, foods) & ~np.isin(ranked, chosen)][:EXTRA_FOODS]
        found = _portions(data, targets, meals, solver, state, needs, chosen, unavoidable, extra=extra) if len(extra) else None
        if found is not None and _short(*found[:2]) <= short:
            return (*found, solution)
        cuts.append(cut)
    if bent and min(b[0] for b in bent) and not clock.up():
        # Whole units open a shortfall the foods did not have (a share such as whole grains sat on its
        # bound): choose the foods once more in whole units, as slow as that is.
        whole = menu_model(data, targets, meals, state, foods, needs)
        whole.milp.offset = -unavoidable
        solver = replace(solver, time_limit=clock.left(solver.time_limit))
        exact = whole.milp.solve(solver.name, solver.time_limit, solver.gap)
        if exact.status is not Status.NO_PLAN:
            served = whole.foods[_units(data, whole, exact) > 1e-9]
            short = _short(whole, exact)
            for soft in (False, True):
                found = _portions(data, targets, meals, solver, state, needs, served, unavoidable, soft)
                if found is not None:
                    outside = _outside_bands(data, meals, needs, *found)
                    bent.append((not _short(*found[:2]) <= short, _slots_in(found, outside), found[1].objective,
                                 (*found, exact)))
                    break
    # No menu fits every rule in whole units: the best that opens no shortfall, its calorie bands as
    # targets rather than limits (the plan says which slot runs outside its band), else the best there is.
    return min(bent, key=lambda b: b[:3])[3] if bent else None


def _outside_bands(data: ModelData, meals: MealRules, needs: MealShape, menu: _Menu, solution,
                   slots: list[str]) -> np.ndarray:
    """For each served food: is its slot outside its calorie band?"""
    units = _units(data, menu, solution)
    served = units > 1e-9
    return slots_outside_bands(meals, needs, units[served] * data.kcal_per_unit[menu.foods[served]], slots)


def _slots_in(found: tuple, outside: np.ndarray) -> int:
    """How many slots the served foods marked `outside` sit in."""
    return len(set(np.asarray(found[2])[outside]))


def _portions(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings, state: DayState,
              needs: MealShape, chosen: np.ndarray, unavoidable: float, soft: bool = False, extra=()):
    """The `chosen` foods, and any of `extra` that helps, in whole units, each in one slot, with every meal rule
    exact (`meals.meal_rows`) and every target: the menu, its solution and the slots; None when they cannot fit.
    `soft`: the calorie bands are targets, not limits."""
    fixed = replace(state, required=state.required | {data.food_ids[f] for f in chosen})
    pool = np.union1d(chosen, np.asarray(extra, dtype=int))
    menu = menu_model(data, targets, meals, fixed, pool, needs, conditions=False)
    menu.milp.offset = -unavoidable
    y, z = meal_rows(menu.milp, data, meals, fixed, needs, pool, menu.x, menu.u, soft)
    near_shares(menu.milp, meals, z, data.kcal_per_unit[pool], menu.x)
    solution = menu.milp.solve(solver.name, solver.time_limit, solver.gap)
    if solution.status is Status.NO_PLAN:
        return None
    served = np.flatnonzero(_units(data, menu, solution) > 1e-9)
    return menu, solution, slots_of(y, solution.values, served)


def _short(menu: _Menu, solution) -> set[str]:
    """The targets a solution falls short of (by how much moves with rounding; which ones should not)."""
    return {n for n, c in menu.shortfall.items() if solution.values[c] > 1e-6}


def _units(data: ModelData, menu: _Menu, solution) -> np.ndarray:
    return np.round(solution.values[menu.x]) if data.integer else solution.values[menu.x]


def _result(data: ModelData, menu: _Menu, solution, slots: list[str], relaxed: tuple[str, ...],
            started: float, chosen_by=None, cut: bool = False) -> DayResult:
    units = _units(data, menu, solution)
    served = units > 1e-9
    food = menu.foods[served]
    amounts = pd.DataFrame({"food_id": [data.food_ids[f] for f in food], "slot": slots,
                            "units": units[served], "grams": units[served] * data.unit_g[food]})
    shortfall = {n: float(solution.values[c]) for n, c in menu.shortfall.items() if solution.values[c] > 1e-6}
    stopped = cut or (chosen_by is not None and chosen_by.status is Status.STOPPED)
    status = Status.STOPPED if stopped else solution.status
    return DayResult(amounts, shortfall, status, solution.objective, solution.bound, time.perf_counter() - started,
                     relaxed)


@dataclass
class RelaxedDay:
    """The relaxed menu LP over every food open when the week starts, kept in the solver from day to day.

    Each day moves what it changes (foods used up, floors owed, the stored-nutrient bank,
    yesterday's foods and dinner, what is already bought) and re-solves from the last basis:
    over all of SR Legacy, building the LP anew costs a third of a second a day. The rows
    keeping days apart are left out, so the LP is looser than a fresh one: it still bounds
    the day from below and still ranks the foods for the menu MILP.
    """

    data: ModelData
    menu: _Menu
    session: Session
    dinner: dict[str, tuple[int, float]]     # food id -> its units-at-dinner column and that column's upper bound
    ahead: dict[str, int]                    # stored nutrient -> its "ahead of the floor" column

    @classmethod
    def build(cls, data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
              state: DayState) -> RelaxedDay:
        foods = open_foods(data, state)
        # Every stored nutrient gets its bank column now, closed until a day opens it.
        bank = {n: (0.0, 0.0) for n in targets["nutrient"] if n in nutrients.stored()}
        start = replace(state, bank={**bank, **state.bank}, earlier_menus=(), blocked_dinner=frozenset())
        menu = menu_model(data, targets, meals, start, foods, MealShape.of(data, foods), relax=True)
        names = menu.milp.col_names
        dinner = {n[2:-len("_dinner")]: (c, menu.milp.upper[c]) for c, n in enumerate(names)
                  if n.startswith("z_") and n.endswith("_dinner")}
        ahead = {n[len("ahead_"):]: c for c, n in enumerate(names) if n.startswith("ahead_")}
        return cls(data, menu, Session(menu.milp, solver.name, solver.time_limit), dinner, ahead)

    def solve(self, state: DayState):
        """The relaxed LP of the day `state` describes: its menu model and solution."""
        data, menu, session, m = self.data, self.menu, self.session, self.menu.milp
        blocked = state.blocked - state.required
        cost, _ = _costs(data, state, menu.foods, relax=True)
        for col, f, c in zip(menu.x, menu.foods, cost):
            upper = 0.0 if data.food_ids[f] in blocked else float(data.max_units[f])
            if m.upper[col] != upper:
                session.set_col_bounds(col, min(m.lower[col], upper), upper)
            if m.cost[col] != c:
                session.set_col_cost(col, float(c))
        for food_id, (col, most) in self.dinner.items():
            upper = 0.0 if food_id in state.blocked_dinner else most
            if m.upper[col] != upper:
                session.set_col_bounds(col, 0.0, upper)
        for nutrient, bound, value, row in menu.bound_rows:
            if bound == "min" and nutrient in menu.shortfall and not share_parts(nutrient):
                floor = state.floors.get(nutrient, value) * (1 + BOUND_MARGIN)
                session.set_row_bounds(row, floor, m.row_upper[row])
                session.set_col_bounds(menu.shortfall[nutrient], 0.0, floor)
        for nutrient, col in self.ahead.items():
            price, most = state.bank.get(nutrient, (0.0, 0.0))
            session.set_col_cost(col, -price)
            session.set_col_bounds(col, 0.0, most)
        return menu, session.solve()


def open_foods(data: ModelData, state: DayState) -> np.ndarray:
    blocked = state.blocked - state.required
    return np.array([f for f, food_id in enumerate(data.food_ids)
                     if food_id not in blocked and data.role[f] != "ingredient"
                     and data.max_units[f] >= max(data.min_units[f], 1e-9)], dtype=int)


def _relaxed_day(data: ModelData, targets: pd.DataFrame, meals: MealRules, solver: SolverSettings,
                 state: DayState, foods: np.ndarray, needs: MealShape, kept: RelaxedDay | None = None):
    """The relaxed menu LP over `foods`, and what its shortfalls cost: no menu can miss less."""
    menu = solution = None
    if kept is not None:
        menu, solution = kept.solve(state)
    if solution is None or solution.status is Status.NO_PLAN:   # a part no open food fills: build it anew
        menu = menu_model(data, targets, meals, state, foods, needs, relax=True)
        solution = menu.milp.solve(solver.name, solver.time_limit)
    penalty = 0.0 if solution.status is Status.NO_PLAN else \
        sum(menu.milp.cost[c] * solution.values[c] for c in menu.shortfall.values())
    return menu, solution, penalty


def _costs(data: ModelData, state: DayState, foods: np.ndarray, relax: bool) -> tuple[np.ndarray, np.ndarray]:
    """What each unit of each food costs in the objective, and what serving it at all costs (its use column)."""
    ids = [data.food_ids[f] for f in foods]
    use_cost = np.array([i in state.yesterday for i in ids], dtype=bool) * REPEAT_COST \
        - data.liked[foods] * LIKE_BONUS
    if state.bought:
        use_cost = use_cost + np.array([i not in state.bought for i in ids], dtype=bool) * NEW_PRODUCT_COST
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
    return cost, use_cost


def menu_model(data: ModelData, targets: pd.DataFrame, meals: MealRules, state: DayState, foods: np.ndarray,
          needs: MealShape, relax: bool = False, elastic: bool = True, margin: float = BOUND_MARGIN,
          cuts: list[np.ndarray] = (), whole: bool = True, conditions: bool = True) -> _Menu:
    """The day's menu model over `foods` (indices into `data`). `whole`: units are whole numbers;
    `conditions`: the rows any slot assignment needs (`meals.meal_conditions`)."""
    m = Milp()
    integer = data.integer and not relax and whole
    ids = [data.food_ids[f] for f in foods]
    required = np.array([i in state.required for i in ids], dtype=bool)
    cost, use_cost = _costs(data, state, foods, relax)
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
        penalty = SHORTFALL_PENALTY * (DAILY_FLOOR_WEIGHT if state.floors and t.nutrient not in state.floors else 1)
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
                        f"short_{t.nutrient}", penalty / (floor / 100.0 * USUAL_WHOLE[denominator]))
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
                s = menu.shortfall[t.nutrient] = m.add_column(f"short_{t.nutrient}", penalty / per, 0.0, floor)
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
    if conditions:
        meal_conditions(m, data, meals, state, needs, foods, x, use, not relax)
    for k, menu_ids in enumerate(state.earlier_menus):
        present = np.array([i in menu_ids for i in ids], dtype=float)
        shared = int(np.floor(MAX_SHARED_WITH_EARLIER_DAY * len(menu_ids)))
        if present.sum() > shared:
            use.row(f"differs_from_day_{k + 1}", present, upper=shared)
    for k, group in enumerate(state.one_of):
        present = np.array([i in group for i in ids], dtype=float)
        if present.sum() > 1:
            use.row(f"one_of_{k}", present, upper=1.0)
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
