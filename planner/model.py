"""The day-menu model: which foods and how much, then which meal each goes in.

A day is solved in two small steps instead of one large one:

1. The menu: a MILP over the day's candidate foods, with whole household
   units (half servings by default), a minimum portion, every nutrient target
   and the variety rules of the week. Slots are not variables here; instead
   the menu must pass every condition a slot assignment needs (for each set of
   slots: enough foods that fit it, not too many that fit only it, and a
   calorie share it can hold), which are linear in the foods chosen.
2. The meals: a tiny assignment MILP puts each chosen food in one slot, with
   the calorie shares, the cap on foods per slot, one food of each kind per
   slot, and a protein and a vegetable at lunch and dinner. Should it find no
   assignment, that menu is cut off and step 1 runs again.

With more foods than `Rules.candidates`, the relaxed menu LP runs first and
step 1 only sees the foods with the best reduced costs (and the best few of
each kind). Floors are elastic (a shortfall costs `SHORTFALL_PENALTY`, so
there is always a closest plan); ceilings are hard, so a plan never passes a
UL. Models are arrays (`planner.milp`); HiGHS solves them by default.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.errors import SolverError
from planner.foods import SLOTS, FoodTable
from planner.milp import SOLVERS, Milp, Status
from planner.targets import share_parts

__all__ = ["SOLVERS", "Status", "Rules", "ModelData", "DayState", "DayResult", "solve_day", "floor_prices"]

# Dollars of objective per 100 % shortfall of one floor: far above any day's food
# cost, so the model first closes every gap it can, then minimises cost.
SHORTFALL_PENALTY = 1000.0
# A liked food's cost counts at this fraction in the objective, and each day it is served
# earns LIKE_BONUS dollars: a liked food appears unless it costs far more than the others.
LIKE_FACTOR = 0.5
LIKE_BONUS = 0.5
# Shares of the day's calories per slot (stated defaults; `--slot-kcal` changes them).
DEFAULT_SLOT_SHARES = {"breakfast": 0.25, "lunch": 0.30, "dinner": 0.35, "snack": 0.10}
SLOT_SHARE_TOLERANCE = 0.10
MAX_FOODS_PER_SLOT = 4
# The fewest foods that make a meal of each slot (a snack may be one food).
MIN_FOODS_PER_SLOT = {"breakfast": 2, "lunch": 2, "dinner": 2, "snack": 0}
# Foods of one kind per slot: one protein, one starch, one dairy ... but two vegetables or fruits.
ROLE_CAP_PER_SLOT = {"vegetable": 2, "fruit": 2}
# Kinds each of these slots must have one of.
SLOT_NEEDS = {"lunch": ("protein", "vegetable"), "dinner": ("protein", "vegetable")}
# The menu MILP sees this many foods with the best reduced costs, plus the best few of each kind.
CANDIDATES = 4
CANDIDATES_PER_ROLE = 2
# ... and one more by reduced cost for every this many open foods.
CANDIDATES_MORE_PER = 250
# Dollars added to the objective for serving a food eaten the day before: spreads repeats out.
REPEAT_COST = 0.25
# A day shares at most this fraction of any earlier day's foods: no two days alike.
MAX_SHARED_WITH_EARLIER_DAY = 0.5
PORTIONS = ("half", "whole", "exact")
# The model aims this far inside every floor and ceiling, so grams rounded to 0.01 g in a
# plan (and exact-gram plans sitting on a bound) still pass an independent check.
BOUND_MARGIN = 1e-3
# When no menu fits the calorie bands exactly, a kcal outside a slot's band costs this many kcal
# off its share.
OUTSIDE_BAND_PENALTY = 100.0
# Menus cut off because no slot assignment fits them, before a day gives up.
MAX_MENU_TRIES = 4


@dataclass(frozen=True)
class Rules:
    """How a day's menu is shaped. Defaults are the stated ones."""

    portions: str = "half"
    slot_shares: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SLOT_SHARES))
    slot_share_tolerance: float = SLOT_SHARE_TOLERANCE
    max_foods_per_slot: int = MAX_FOODS_PER_SLOT
    budget_per_day: float | None = None
    solver: str = "highs"
    time_limit: float = 10.0
    gap: float = 0.05
    candidates: int | None = CANDIDATES
    candidates_per_role: int = CANDIDATES_PER_ROLE

    def slot_range(self, slot: str) -> tuple[float, float]:
        share = self.slot_shares.get(slot, 0.0)
        return max(0.0, share - self.slot_share_tolerance), min(1.0, share + self.slot_share_tolerance)


@dataclass(frozen=True)
class ModelData:
    """The arrays a model is built from (one entry per allowed food)."""

    food_ids: tuple[str, ...]
    nutrients: tuple[str, ...]
    per_unit: np.ndarray          # nutrients x foods: amount in one unit (NaN -> 0)
    kcal_per_unit: np.ndarray     # NaN -> 0; zeros when the table has no energy column
    unit_g: np.ndarray            # grams in one unit (half a serving, a serving, or 1 g)
    cost_per_unit: np.ndarray     # objective cost of one unit (stand-in price where unpriced)
    max_units: np.ndarray         # per food and day
    min_units: np.ndarray         # the smallest portion when a food is used
    slot_ok: np.ndarray           # foods x slots, bool
    role: np.ndarray              # the part of a meal each food plays
    liked: np.ndarray             # bool
    integer: bool                 # units are whole (half or whole servings), not grams

    @classmethod
    def from_foods(cls, foods: FoodTable, nutrients: tuple[str, ...], cost_per_100g: pd.Series,
                   portions: str = "half", like: tuple[str, ...] = ()) -> ModelData:
        data = foods.data
        if portions not in PORTIONS:
            raise SolverError(f"--portions: expected one of {', '.join(PORTIONS)}, got '{portions}'")
        serving = data["serving_g"].to_numpy(float)
        unit_g = {"half": serving / 2, "whole": serving, "exact": np.ones(len(data))}[portions]
        per_100g = data[list(nutrients)].to_numpy(float).T
        kcal = data["energy_kcal"].to_numpy(float) if "energy_kcal" in data else np.zeros(len(data))
        # Exact grams still have a smallest portion: half a serving.
        min_g = serving / 2 if portions == "exact" else serving
        max_units = np.floor(data["max_servings"].to_numpy(float) * serving / unit_g + 1e-9)
        return cls(
            food_ids=tuple(data.index),
            nutrients=nutrients,
            per_unit=np.nan_to_num(per_100g) * unit_g / 100.0,
            kcal_per_unit=np.nan_to_num(kcal) * unit_g / 100.0,
            unit_g=unit_g,
            cost_per_unit=cost_per_100g.loc[data.index].to_numpy(float) * unit_g / 100.0,
            max_units=max_units,
            min_units=np.minimum(np.ceil(min_g / unit_g - 1e-9), max_units),
            slot_ok=np.array([[s in slots for s in SLOTS] for slots in data["slots"]], dtype=bool),
            role=data["role"].to_numpy(object),
            liked=data.index.isin(like),
            integer=portions != "exact",
        )


@dataclass(frozen=True)
class DayState:
    """What earlier days of a week decide for this one."""

    floors: dict[str, float] = field(default_factory=dict)   # overrides of target floors
    bank: dict[str, tuple[float, float]] = field(default_factory=dict)  # nutrient -> (reward per unit above
    #                                                                     its floor, most units rewarded)
    blocked: frozenset[str] = frozenset()                   # used on as many days as allowed
    blocked_dinner: frozenset[str] = frozenset()            # yesterday's dinner protein
    earlier_menus: tuple[frozenset[str], ...] = ()          # no day may repeat one of these
    yesterday: frozenset[str] = frozenset()                 # foods served the day before
    required: frozenset[str] = frozenset()                  # --include: must appear


@dataclass(frozen=True)
class DayResult:
    """One solved day: units per (food, slot), the shortfall per floor, and how it was solved."""

    amounts: pd.DataFrame       # columns food_id, slot, units, grams
    shortfall: dict[str, float]
    status: Status
    objective: float
    bound: float
    seconds: float

    @property
    def gap(self) -> float:
        if self.status is Status.NO_PLAN or self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))


@dataclass
class _Menu:
    """A menu model and where its columns and rows are."""

    milp: Milp
    foods: np.ndarray                    # food index of each x / u column
    x: np.ndarray                        # units of each food
    u: np.ndarray                        # food is served today (binary in the MILP)
    shortfall: dict[str, int]            # nutrient -> column
    bound_rows: list[tuple[str, str, float, int]] = field(default_factory=list)  # nutrient, min|max, value, row


def solve_day(data: ModelData, targets: pd.DataFrame, rules: Rules, state: DayState = DayState(),
              name: str = "day") -> DayResult:
    """Solve one day's menu. Never raises for unmet targets: they come back as shortfalls."""
    started = time.perf_counter()
    foods = _open_foods(data, state)
    needs = _MealNeeds.of(data, foods)
    if rules.candidates and len(foods) > rules.candidates:
        foods = _candidates(data, targets, rules, state, foods, needs)
    cuts: list[np.ndarray] = []
    first = None
    for _ in range(MAX_MENU_TRIES):
        menu = _menu(data, targets, rules, state, foods, needs, cuts=cuts)
        solution = menu.milp.solve(rules.solver, rules.time_limit, rules.gap)
        if solution.status is Status.NO_PLAN:
            break
        first = first or (menu, solution)
        units = _units(data, menu, solution)
        served = units > 1e-9
        chosen = menu.foods[served]
        slots = _assign_slots(data, rules, state, needs, chosen, units[served])
        if slots is None:
            # Same foods, other portions: the slots closest to the bands, then portions that fit them.
            slots = _assign_slots(data, rules, state, needs, chosen, units[served], soft=True)
            if slots is not None:
                refit_menu, refit = _refit(data, targets, rules, state, needs, chosen, slots)
                # Refitted portions may not open a shortfall the menu did not have.
                if refit.status is Status.NO_PLAN or _penalty(refit_menu, refit) > _penalty(menu, solution) + 1e-6:
                    slots = None
                else:
                    menu, solution = refit_menu, refit
        if slots is not None:
            return _result(data, menu, solution, slots, started)
        cuts.append(chosen)
    if first is not None:
        # No menu near the best fits the calorie bands: serve the best one with the bands as
        # targets rather than limits; the plan says which slot runs outside its band.
        menu, solution = first
        units = _units(data, menu, solution)
        served = units > 1e-9
        slots = _assign_slots(data, rules, state, needs, menu.foods[served], units[served], soft=True)
        if slots is not None:
            return _result(data, menu, solution, slots, started)
    return DayResult(pd.DataFrame(columns=["food_id", "slot", "units", "grams"]), {}, Status.NO_PLAN,
                     np.nan, np.nan, time.perf_counter() - started)


def _penalty(menu: _Menu, solution) -> float:
    """What the solution's shortfalls cost in the objective."""
    return sum(menu.milp.cost[c] * solution.values[c] for c in menu.shortfall.values())


def _units(data: ModelData, menu: _Menu, solution) -> np.ndarray:
    return np.round(solution.values[menu.x]) if data.integer else solution.values[menu.x]


def _result(data: ModelData, menu: _Menu, solution, slots: list[str], started: float) -> DayResult:
    units = _units(data, menu, solution)
    served = units > 1e-9
    food = menu.foods[served]
    amounts = pd.DataFrame({"food_id": [data.food_ids[f] for f in food], "slot": slots,
                            "units": units[served], "grams": units[served] * data.unit_g[food]})
    shortfall = {n: float(solution.values[c]) for n, c in menu.shortfall.items() if solution.values[c] > 1e-6}
    return DayResult(amounts, shortfall, solution.status, solution.objective, solution.bound,
                     time.perf_counter() - started)


def _refit(data: ModelData, targets: pd.DataFrame, rules: Rules, state: DayState, needs: _MealNeeds,
           foods: np.ndarray, slots: list[str]):
    """The menu re-solved over exactly `foods`, each in its given slot, with every slot inside its calorie band."""
    fixed = replace(state, required=state.required | {data.food_ids[f] for f in foods})
    menu = _menu(data, targets, rules, fixed, foods, needs)
    kcal = data.kcal_per_unit[foods]
    where = np.array(slots)
    for slot in SLOTS:
        lo, hi = rules.slot_range(slot)
        here = (where == slot).astype(float)
        menu.milp.add_row(f"kcal_min_{slot}", menu.x, kcal * here - lo * kcal, lower=0.0)
        menu.milp.add_row(f"kcal_max_{slot}", menu.x, kcal * here - hi * kcal, upper=0.0)
    return menu, menu.milp.solve(rules.solver, rules.time_limit, rules.gap)


def _open_foods(data: ModelData, state: DayState) -> np.ndarray:
    blocked = state.blocked - state.required
    return np.array([f for f, food_id in enumerate(data.food_ids)
                     if food_id not in blocked and data.role[f] != "ingredient"
                     and data.max_units[f] >= max(data.min_units[f], 1e-9)], dtype=int)


@dataclass(frozen=True)
class _MealNeeds:
    """The meal rules that a day's open foods can meet: a table without proteins asks for none."""

    min_foods: dict[str, int]
    roles: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, data: ModelData, foods: np.ndarray) -> _MealNeeds:
        ok = data.slot_ok[foods]
        roles = data.role[foods]
        return cls({slot: min(MIN_FOODS_PER_SLOT.get(slot, 0), int(ok[:, s].sum())) for s, slot in enumerate(SLOTS)},
                   {slot: tuple(r for r in SLOT_NEEDS.get(slot, ()) if (ok[:, s] & (roles == r)).any())
                    for s, slot in enumerate(SLOTS)})


def _candidates(data: ModelData, targets: pd.DataFrame, rules: Rules, state: DayState,
                foods: np.ndarray, needs: _MealNeeds) -> np.ndarray:
    """The foods the relaxed menu LP uses, then the best by reduced cost, then the best few of each kind."""
    menu = _menu(data, targets, rules, state, foods, needs, relax=True)
    solution = menu.milp.solve(rules.solver, rules.time_limit)
    if solution.status is Status.NO_PLAN:
        return foods
    used = solution.values[menu.x] > 1e-7
    score = np.where(used, -np.inf, solution.reduced_costs[menu.x])
    ranked = menu.foods[np.lexsort((menu.foods, score))]
    # Large tables (all of SR Legacy) have more good foods near the LP's choice: look further.
    best = rules.candidates + len(foods) // CANDIDATES_MORE_PER
    keep = set(ranked[:best].tolist()) | set(menu.foods[used].tolist())
    keep |= {f for f in foods if data.food_ids[f] in state.required or data.liked[f]}
    for kind in sorted(set(data.role[ranked])):
        keep.update([f for f in ranked if data.role[f] == kind][: rules.candidates_per_role])
    # Twice the foods a day's meals need, at least, so the meal rules always have a choice.
    enough = 2 * sum(needs.min_foods.values())
    for f in ranked:
        if len(keep) >= enough:
            break
        keep.add(f)
    return np.array(sorted(keep), dtype=int)


def _menu(data: ModelData, targets: pd.DataFrame, rules: Rules, state: DayState, foods: np.ndarray,
          needs: _MealNeeds, relax: bool = False, elastic: bool = True, margin: float = BOUND_MARGIN,
          cuts: list[np.ndarray] = ()) -> _Menu:
    """The day's menu model over `foods` (indices into `data`)."""
    m = Milp()
    integer = data.integer and not relax
    ids = [data.food_ids[f] for f in foods]
    required = np.array([i in state.required for i in ids], dtype=bool)
    use_cost = np.array([i in state.yesterday for i in ids], dtype=bool) * REPEAT_COST \
        - data.liked[foods] * LIKE_BONUS
    cost = data.cost_per_unit[foods] * np.where(data.liked[foods], LIKE_FACTOR, 1.0)
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
            # kcal from the macro vs. its share of all kcal: linear in the amounts.
            grams, kcal_per_g = share
            if floor is not None:
                row = rows[grams] * kcal_per_g - rows["energy_kcal"] * floor / 100.0
                if elastic:
                    s = menu.shortfall[t.nutrient] = m.add_column(
                        f"short_{t.nutrient}", SHORTFALL_PENALTY / (floor / 100.0 * 2000.0))
                    # Normalised by the share of a 2,000 kcal day, in kcal.
                    m.add_row(f"min_{t.nutrient}", [*x, s], [*row, 1.0], lower=0.0)
                else:
                    m.add_row(f"min_{t.nutrient}", x, row, lower=0.0)
            if ceiling is not None:
                row = rows[grams] * kcal_per_g - rows["energy_kcal"] * ceiling / 100.0
                m.add_row(f"max_{t.nutrient}", x, row, upper=0.0)
            continue
        if floor is not None:
            if elastic:
                s = menu.shortfall[t.nutrient] = m.add_column(f"short_{t.nutrient}", SHORTFALL_PENALTY / floor,
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

    use = _Use(m, x, u, data.min_units[foods], data.max_units[foods])
    _meal_conditions(m, data, rules, state, needs, foods, x, use)
    for k, menu_ids in enumerate(state.earlier_menus):
        present = np.array([i in menu_ids for i in ids], dtype=float)
        shared = int(np.floor(MAX_SHARED_WITH_EARLIER_DAY * len(menu_ids)))
        if present.sum() > shared:
            use.row(f"differs_from_day_{k + 1}", present, upper=shared)
    for k, cut in enumerate(cuts):
        use.row(f"no_meals_fit_{k}", np.isin(foods, cut).astype(float), upper=len(cut) - 1)
    if rules.budget_per_day is not None:
        m.add_row("budget", x, data.cost_per_unit[foods], upper=rules.budget_per_day)
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

    def row(self, name: str, coefs: np.ndarray, lower: float = -np.inf, upper: float = np.inf,
            extra: tuple = ((), ())) -> int:
        if len(self.u):
            return self.m.add_row(name, [*self.u, *extra[0]], [*coefs, *extra[1]], lower, upper)
        # A <= row is loosest with the smallest positive and the largest negative terms, a >= row the reverse.
        at_max = (coefs > 0) == np.isfinite(upper)
        per_x = coefs / np.where(at_max, self.max_units, np.maximum(self.min_units, 1.0))
        return self.m.add_row(name, [*self.x, *extra[0]], [*per_x, *extra[1]], lower, upper)


def _meal_conditions(m: Milp, data: ModelData, rules: Rules, state: DayState, needs: _MealNeeds,
                     foods: np.ndarray, x: np.ndarray, use: _Use) -> None:
    """What any assignment of the menu to slots needs, for every set of slots T (Hall's condition):

    - the foods that can go in T number at least the foods T needs, and those
      that fit only in T at most what T holds, for all foods and for each kind;
    - the foods that fit only in T bring at most T's largest calorie share, and
      those that can go in T at least its smallest;
    - lunch and dinner find a protein and a vegetable each.
    """
    ok = data.slot_ok[foods].copy()
    dinner = SLOTS.index("dinner")
    barred = np.array([data.food_ids[f] in state.blocked_dinner and data.role[f] == "protein" for f in foods],
                      dtype=bool)
    ok[barred, dinner] = False
    roles = data.role[foods]
    kcal = data.kcal_per_unit[foods]
    for size in range(1, len(SLOTS) + 1):
        for subset in itertools.combinations(range(len(SLOTS)), size):
            names = [SLOTS[s] for s in subset]
            label = "+".join(names)
            others = [s for s in range(len(SLOTS)) if s not in subset]
            only_here = ~ok[:, others].any(axis=1) if others else np.ones(len(foods), dtype=bool)
            can_go = ok[:, list(subset)].any(axis=1)
            lo = sum(rules.slot_range(s)[0] for s in names)
            hi = sum(rules.slot_range(s)[1] for s in names)
            if kcal.any():
                if hi < 1 and only_here.any():
                    m.add_row(f"kcal_max_{label}", x, kcal * only_here - hi * kcal, upper=0.0)
                if lo > 0 and not can_go.all():
                    m.add_row(f"kcal_min_{label}", x, kcal * can_go - lo * kcal, lower=0.0)
            need = sum(needs.min_foods[s] for s in names)
            if need and size > 1:
                use.row(f"foods_min_{label}", can_go.astype(float), lower=need)
            elif need:
                # Enough foods that can go in the slot, counting each kind only up to what it holds of it.
                counted = []
                for role in sorted(set(roles[can_go])):
                    mine = can_go & (roles == role)
                    v = m.add_column(f"count_{label}_{role}", 0.0, 0.0, _role_cap(role, rules) * size)
                    use.row(f"count_{label}_{role}", -mine.astype(float), upper=0.0, extra=([v], [1.0]))
                    counted.append(v)
                m.add_row(f"foods_min_{label}", counted, [1.0] * len(counted), lower=need)
            holds = rules.max_foods_per_slot * size
            if only_here.sum() > holds:
                use.row(f"foods_max_{label}", only_here.astype(float), upper=holds)
            for role in sorted(set(roles) - {""}):
                mine = roles == role
                cap = _role_cap(role, rules) * size
                if (only_here & mine).sum() > cap:
                    use.row(f"role_max_{label}_{role}", (only_here & mine).astype(float), upper=cap)
                need_role = sum(role in needs.roles[s] for s in names)
                if need_role:
                    use.row(f"role_min_{label}_{role}", (can_go & mine).astype(float), lower=need_role)


def _role_cap(role: str, rules: Rules) -> int:
    """Foods of one kind a slot holds; foods of no stated kind only count against the slot's cap."""
    return ROLE_CAP_PER_SLOT.get(role, 1) if role else rules.max_foods_per_slot


def _assign_slots(data: ModelData, rules: Rules, state: DayState, needs: _MealNeeds, foods: np.ndarray,
                  units: np.ndarray, soft: bool = False) -> list[str] | None:
    """Each chosen food's slot, closest to the calorie shares, or None when the meal rules cannot hold.

    `soft` turns each slot's calorie band from a limit into a target (a kcal outside it costs
    `OUTSIDE_BAND_PENALTY` times one inside)."""
    m = Milp()
    kcal = data.kcal_per_unit[foods] * units
    day_kcal = float(kcal.sum())
    y: dict[tuple[int, int], int] = {}
    for i, f in enumerate(foods):
        for s, slot in enumerate(SLOTS):
            if not data.slot_ok[f, s]:
                continue
            if slot == "dinner" and data.role[f] == "protein" and data.food_ids[f] in state.blocked_dinner:
                continue
            y[i, s] = m.add_column(f"y_{data.food_ids[f]}_{slot}", 0.0, 0.0, 1.0, True)
        cols = [c for (k, _), c in y.items() if k == i]
        if not cols:
            return None
        m.add_row(f"one_slot_{data.food_ids[f]}", cols, [1.0] * len(cols), lower=1.0, upper=1.0)
    roles = data.role[foods]
    for s, slot in enumerate(SLOTS):
        here = [(i, c) for (i, k), c in y.items() if k == s]
        cols = [c for _, c in here]
        m.add_row(f"foods_{slot}", cols, [1.0] * len(cols), lower=needs.min_foods[slot],
                  upper=rules.max_foods_per_slot)
        for role in sorted(set(roles[[i for i, _ in here]]) - {""}):
            same = [c for i, c in here if roles[i] == role]
            lower = 1.0 if role in needs.roles[slot] else 0.0
            m.add_row(f"role_{slot}_{role}", same, [1.0] * len(same), lower=lower,
                      upper=_role_cap(role, rules))
        for role in needs.roles[slot]:
            if not any(roles[i] == role for i, _ in here):
                return None
        if day_kcal > 0:
            lo, hi = rules.slot_range(slot)
            share = rules.slot_shares.get(slot, 0.0)
            coefs = [kcal[i] for i, _ in here]
            if soft:
                out = m.add_column(f"outside_{slot}", OUTSIDE_BAND_PENALTY / day_kcal)
                m.add_row(f"kcal_max_{slot}", [*cols, out], [*coefs, -1.0], upper=hi * day_kcal)
                m.add_row(f"kcal_min_{slot}", [*cols, out], [*coefs, 1.0], lower=lo * day_kcal)
            else:
                m.add_row(f"kcal_{slot}", cols, coefs, lower=lo * day_kcal, upper=hi * day_kcal)
            # Off the stated share by d kcal, either way: the assignment closest to the shares wins.
            d = m.add_column(f"off_{slot}", 1.0 / day_kcal)
            m.add_row(f"off_above_{slot}", [*cols, d], [*coefs, -1.0], upper=share * day_kcal)
            m.add_row(f"off_below_{slot}", [*cols, d], [*coefs, 1.0], lower=share * day_kcal)
    solution = m.solve(rules.solver, rules.time_limit)
    if solution.status is Status.NO_PLAN:
        return None
    slot_of = {i: SLOTS[s] for (i, s), c in y.items() if solution.values[c] > 0.5}
    return [slot_of[i] for i in range(len(foods))]


def floor_prices(data: ModelData, targets: pd.DataFrame, solver: str = "highs",
                 rules: Rules | None = None, days_share: np.ndarray | None = None) -> pd.DataFrame:
    """What each floor costs: the relaxed menu LP's dual per unit, and the range of the floor where it holds.

    The LP is the week's average day: whole servings and the day-to-day variety
    rules are dropped, every nutrient and meal condition is kept (each holds on
    every day, so on their average), and food f is served on at most
    `days_share[f]` of the days (its days allowed / days planned), which caps its
    average amount. So days x its cost (`frame.attrs["lp_cost"]`) is a proven
    lower bound on a plan's cost, and its prices reflect foods running out of
    days: what the nutrients cost at the margin across the plan, not what one
    menu change would cost exactly. Ranging needs HiGHS; with CBC the range
    columns stay empty.
    """
    rules = replace(rules or Rules(), solver=solver)
    foods = _open_foods(data, DayState())
    menu = _menu(data, targets, rules, DayState(), foods, _MealNeeds.of(data, foods), relax=True, elastic=False,
                 margin=0.0)
    if days_share is not None:
        for col, f in zip(menu.x, foods):
            menu.milp.upper[col] = data.max_units[f] * min(1.0, float(days_share[f]))
    solution = menu.milp.solve(solver, rules.time_limit, ranging=solver == "highs")
    columns = ["nutrient", "bound", "value", "price_per_unit", "holds_from", "holds_to"]
    if solution.status is Status.NO_PLAN:
        return pd.DataFrame(columns=columns)
    out = []
    for nutrient, bound, value, row in menu.bound_rows:
        price = float(solution.row_duals[row])
        low = high = np.nan
        if solution.ranging is not None and abs(price) > 1e-12:
            low = solution.ranging.row_bound_dn.value_[row]
            high = solution.ranging.row_bound_up.value_[row]
        out.append((nutrient, bound, value, price, low, high))
    frame = pd.DataFrame(out, columns=columns)
    frame.attrs["lp_cost"] = solution.objective
    return frame
