"""The day-menu optimization model, built from arrays, solved with PuLP.

One model serves every command: a day's menu over the allowed foods, with
meal slots, household servings (half-serving steps), a minimum portion, a cap
on foods per slot, calories per slot, and every nutrient target. Floors are
elastic (a shortfall is allowed at a large penalty, so the model is never
"infeasible" and the closest plan is found); ceilings are hard, so a plan
never passes a UL. The week planner calls it once per day with the state of
the days before (`DayState`).

Only this module imports pulp.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pulp

from planner.errors import SolverError
from planner.foods import SLOTS, FoodTable
from planner.targets import share_parts

SOLVERS = ("highs", "cbc")
# Dollars of objective per 100 % shortfall of one floor: far above any day's food
# cost, so the model first closes every gap it can, then minimises cost.
SHORTFALL_PENALTY = 1000.0
# A liked food's cost counts at this fraction in the objective, so likes win ties.
LIKE_FACTOR = 0.5
# Shares of the day's calories per slot (stated defaults; `--slot-kcal` changes them).
DEFAULT_SLOT_SHARES = {"breakfast": 0.25, "lunch": 0.30, "dinner": 0.35, "snack": 0.10}
SLOT_SHARE_TOLERANCE = 0.10
MAX_FOODS_PER_SLOT = 4
# Foods of one kind per slot: one protein, one starch, one dairy ... but two vegetables or fruits.
ROLE_CAP_PER_SLOT = {"vegetable": 2, "fruit": 2}
# With more foods than this, the MILP sees only the best candidates of the day's LP relaxation.
CANDIDATES = 25
# Dollars added to the objective for serving a food eaten the day before: spreads repeats out.
REPEAT_COST = 0.25
# A day shares at most this fraction of any earlier day's foods: no two days alike.
MAX_SHARED_WITH_EARLIER_DAY = 0.5
CANDIDATES_PER_ROLE = 4
PORTIONS = ("half", "whole", "exact")
# The model aims this far inside every floor and ceiling, so grams rounded to 0.01 g in a
# plan (and exact-gram plans sitting on a bound) still pass an independent check.
BOUND_MARGIN = 1e-3


class Status(enum.Enum):
    OPTIMAL = "optimal"
    STOPPED = "stopped at the time limit with a plan"  # gap to the bound is reported
    NO_PLAN = "no plan found"


@dataclass(frozen=True)
class Rules:
    """How a day's menu is shaped. Defaults are the stated ones."""

    portions: str = "half"
    slot_shares: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SLOT_SHARES))
    slot_share_tolerance: float = SLOT_SHARE_TOLERANCE
    max_foods_per_slot: int = MAX_FOODS_PER_SLOT
    use_slots: bool = True
    budget_per_day: float | None = None
    solver: str = "highs"
    time_limit: float = 10.0
    gap: float = 0.02
    candidates: int | None = CANDIDATES


@dataclass(frozen=True)
class ModelData:
    """The arrays a model is built from (one column per allowed food)."""

    food_ids: tuple[str, ...]
    nutrients: tuple[str, ...]
    per_unit: np.ndarray          # nutrients x foods: amount in one unit (NaN -> 0)
    unit_g: np.ndarray            # grams in one unit (half a serving, a serving, or 1 g)
    cost_per_unit: np.ndarray     # objective cost of one unit (stand-in price where unpriced)
    max_units: np.ndarray         # per food and day
    min_units: np.ndarray         # the smallest portion when a food is used
    slot_ok: np.ndarray           # foods x slots, bool
    is_protein: np.ndarray        # bool: role == protein
    role: np.ndarray              # the part of a meal each food plays
    liked: np.ndarray             # bool

    @classmethod
    def from_foods(cls, foods: FoodTable, nutrients: tuple[str, ...], cost_per_100g: pd.Series,
                   portions: str = "half", like: tuple[str, ...] = ()) -> ModelData:
        data = foods.data
        if portions not in PORTIONS:
            raise SolverError(f"--portions: expected one of {', '.join(PORTIONS)}, got '{portions}'")
        serving = data["serving_g"].to_numpy(float)
        unit_g = {"half": serving / 2, "whole": serving, "exact": np.ones(len(data))}[portions]
        per_100g = data[list(nutrients)].to_numpy(float).T
        max_units = np.floor(data["max_servings"].to_numpy(float) * serving / unit_g + 1e-9)
        min_units = np.where(portions == "exact", 0.0, np.ceil(serving / unit_g - 1e-9))
        return cls(
            food_ids=tuple(data.index),
            nutrients=nutrients,
            per_unit=np.nan_to_num(per_100g) * unit_g / 100.0,
            unit_g=unit_g,
            cost_per_unit=cost_per_100g.loc[data.index].to_numpy(float) * unit_g / 100.0,
            max_units=max_units,
            min_units=np.broadcast_to(min_units, serving.shape).astype(float),
            slot_ok=np.array([[s in slots for s in SLOTS] for slots in data["slots"]], dtype=bool),
            is_protein=(data["role"] == "protein").to_numpy(bool),
            role=data["role"].to_numpy(object),
            liked=data.index.isin(like),
        )


@dataclass(frozen=True)
class DayState:
    """What earlier days of a week decide for this one."""

    floors: dict[str, float] = field(default_factory=dict)   # overrides of target floors
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


def _expr(pairs: list[tuple[pulp.LpVariable, float]]) -> pulp.LpAffineExpression:
    # Building from (variable, coefficient) pairs is several times faster than lpSum.
    return pulp.LpAffineExpression([(v, float(c)) for v, c in pairs if c != 0])


def solve_day(data: ModelData, targets: pd.DataFrame, rules: Rules, state: DayState = DayState(),
              name: str = "day") -> DayResult:
    """Solve one day's menu. Never raises for unmet targets: they come back as shortfalls.

    With more foods than `rules.candidates`, the day's LP relaxation runs first
    and the MILP only sees the foods with the best reduced costs (plus those
    the LP uses and those the user requires): a small MILP solves in a fraction
    of the time and, on our tables, to the same menus.
    """
    started = time.perf_counter()
    only = None
    if rules.candidates and rules.portions != "exact" and len(data.food_ids) > rules.candidates:
        only = _candidates(data, targets, rules, state, name)
    result = _solve(data, targets, rules, state, name, only=only)
    return replace(result, seconds=time.perf_counter() - started)


def _candidates(data: ModelData, targets: pd.DataFrame, rules: Rules, state: DayState, name: str) -> frozenset[str]:
    prob, x, _ = _build(data, targets, rules, state, name, relax=True)
    status, _, _ = _run(prob, replace(rules, time_limit=max(1.0, rules.time_limit)), mip=False)
    if status is Status.NO_PLAN:
        return frozenset(data.food_ids)
    best: dict[str, float] = {}
    for (f, s), var in x.items():
        food_id = data.food_ids[f]
        score = -np.inf if (var.value() or 0.0) > 1e-7 else (var.dj or 0.0)
        best[food_id] = min(best.get(food_id, np.inf), score)
    ranked = sorted(best, key=best.get)
    keep = set(ranked[: rules.candidates]) | state.required
    # The best few of every kind too, so each meal rule keeps foods to choose from.
    role = dict(zip(data.food_ids, data.role))
    for kind in set(role.values()):
        keep.update([f for f in ranked if role[f] == kind][:CANDIDATES_PER_ROLE])
    return frozenset(keep)


def _solve(data: ModelData, targets: pd.DataFrame, rules: Rules, state: DayState, name: str,
           only: frozenset[str] | None) -> DayResult:
    prob, x, short = _build(data, targets, rules, state, name, only=only)
    integer = rules.portions != "exact"
    status, objective_value, bound = _run(prob, rules)
    if status is Status.NO_PLAN:
        return DayResult(pd.DataFrame(columns=["food_id", "slot", "units", "grams"]), {}, status,
                         np.nan, np.nan, 0.0)
    slots = SLOTS if rules.use_slots else ("any",)
    rows = []
    for (f, s), var in x.items():
        units = var.value() or 0.0
        if integer:
            units = round(units)
        if units > 1e-6:
            rows.append({"food_id": data.food_ids[f], "slot": slots[s], "units": units,
                         "grams": units * data.unit_g[f]})
    amounts = pd.DataFrame(rows, columns=["food_id", "slot", "units", "grams"])
    shortfall = {n: s.value() for n, s in short.items() if (s.value() or 0) > 1e-6}
    return DayResult(amounts, shortfall, status, objective_value, bound, 0.0)


def _build(data: ModelData, targets: pd.DataFrame, rules: Rules, state: DayState, name: str,
           only: frozenset[str] | None = None, relax: bool = False):
    """The day problem, its x variables by (food, slot), and the shortfall variables by nutrient."""
    prob = pulp.LpProblem(name, pulp.LpMinimize)
    n_foods = len(data.food_ids)
    integer = rules.portions != "exact"
    cat = pulp.LpInteger if integer else pulp.LpContinuous
    use_slots = rules.use_slots
    slots = SLOTS if use_slots else ("any",)
    slot_ok = data.slot_ok if use_slots else np.ones((n_foods, 1), dtype=bool)
    blocked = state.blocked - state.required

    # x[f, s]: units of food f in slot s; u[f, s]: food f is served in slot s.
    x: dict[tuple[int, int], pulp.LpVariable] = {}
    u: dict[tuple[int, int], pulp.LpVariable] = {}
    for f, food_id in enumerate(data.food_ids):
        if food_id in blocked or data.role[f] == "ingredient" or data.max_units[f] < max(data.min_units[f], 1e-9) \
                or (only is not None and food_id not in only):
            continue
        for s, slot in enumerate(slots):
            if not slot_ok[f, s] or (slot == "dinner" and food_id in state.blocked_dinner
                                     and data.is_protein[f]):
                continue
            x[f, s] = prob.add_variable(f"x_{food_id}_{slot}", 0, data.max_units[f],
                                        cat=pulp.LpContinuous if relax else cat)
            if integer:
                u[f, s] = prob.add_variable(f"use_{food_id}_{slot}", 0, 1,
                                            cat=pulp.LpContinuous if relax else pulp.LpInteger)
                prob += x[f, s] <= data.max_units[f] * u[f, s], f"portion_max_{food_id}_{slot}"
                prob += x[f, s] >= data.min_units[f] * u[f, s], f"portion_min_{food_id}_{slot}"
    by_food: dict[int, list[pulp.LpVariable]] = {}
    for (f, s), var in x.items():
        by_food.setdefault(f, []).append(var)
    for f, vars_ in by_food.items():
        if len(vars_) > 1:
            prob += _expr([(v, 1) for v in vars_]) <= data.max_units[f], f"day_max_{data.food_ids[f]}"

    def total(row: np.ndarray, slot: int | None = None) -> pulp.LpAffineExpression:
        return _expr([(v, row[f]) for (f, s), v in x.items() if slot is None or s == slot])

    nutrient_row = {n: data.per_unit[i] for i, n in enumerate(data.nutrients)}
    inside = lambda bound, side: bound * (1 + side * BOUND_MARGIN)  # noqa: E731
    objective: list[tuple[pulp.LpVariable, float]] = [
        (v, data.cost_per_unit[f] * (LIKE_FACTOR if data.liked[f] else 1.0)) for (f, s), v in x.items()
    ]
    objective += [(v, REPEAT_COST) for (f, s), v in u.items() if data.food_ids[f] in state.yesterday]
    short: dict[str, pulp.LpVariable] = {}
    for t in targets.itertuples(index=False):
        floor = inside(state.floors.get(t.nutrient, t.min), +1)
        ceiling = inside(t.max, -1)
        share = share_parts(t.nutrient)
        if share:
            grams, kcal_per_g = share
            # kcal from the macro vs. its share of all kcal: linear in the amounts.
            row_lo = nutrient_row[grams] * kcal_per_g - nutrient_row["energy_kcal"] * (floor / 100.0 if pd.notna(floor) else 0)
            row_hi = nutrient_row[grams] * kcal_per_g - nutrient_row["energy_kcal"] * (ceiling / 100.0 if pd.notna(ceiling) else 0)
            if pd.notna(floor) and floor > 0:
                short[t.nutrient] = s = prob.add_variable(f"short_{t.nutrient}", 0)
                prob += total(row_lo) + s >= 0, f"min_{t.nutrient}"
                # Normalised by the share of a 2,000 kcal day, in kcal.
                objective.append((s, SHORTFALL_PENALTY / (floor / 100.0 * 2000.0)))
            if pd.notna(ceiling):
                prob += total(row_hi) <= 0, f"max_{t.nutrient}"
            continue
        row = nutrient_row[t.nutrient]
        if pd.notna(floor) and floor > 0:
            short[t.nutrient] = s = prob.add_variable(f"short_{t.nutrient}", 0, floor)
            prob += total(row) + s >= floor, f"min_{t.nutrient}"
            objective.append((s, SHORTFALL_PENALTY / floor))
        if pd.notna(ceiling):
            prob += total(row) <= ceiling, f"max_{t.nutrient}"

    if use_slots and "energy_kcal" in nutrient_row:
        energy = nutrient_row["energy_kcal"]
        day_energy = total(energy)
        for s, slot in enumerate(slots):
            share = rules.slot_shares.get(slot, 0.0)
            slot_energy = total(energy, s)
            lo, hi = max(0.0, share - rules.slot_share_tolerance), share + rules.slot_share_tolerance
            prob += slot_energy - lo * day_energy >= 0, f"slot_kcal_min_{slot}"
            prob += slot_energy - hi * day_energy <= 0, f"slot_kcal_max_{slot}"
    if integer:
        _meal_structure(prob, data, x, u, slots, rules, state)
    if rules.budget_per_day is not None:
        prob += _expr([(v, data.cost_per_unit[f]) for (f, s), v in x.items()]) <= rules.budget_per_day, "budget"
    prob += _expr(objective)
    return prob, x, short


def _meal_structure(prob: pulp.LpProblem, data: ModelData, x: dict, u: dict, slots: tuple[str, ...],
                    rules: Rules, state: DayState) -> None:
    """Rules that make a day read like meals: a few foods per slot, one of each kind (two vegetables
    or fruits), and a protein with a vegetable at lunch and dinner."""
    for s, slot in enumerate(slots):
        served = [(f, v) for (f, si), v in u.items() if si == s]
        if not served:
            continue
        prob += _expr([(v, 1) for f, v in served]) <= rules.max_foods_per_slot, f"foods_max_{slot}"
        if slot in ("breakfast", "lunch", "dinner"):
            prob += _expr([(v, 1) for f, v in served]) >= 2, f"foods_min_{slot}"
        for role in sorted(set(data.role[f] for f, v in served) - {""}):
            same = [v for f, v in served if data.role[f] == role]
            cap = ROLE_CAP_PER_SLOT.get(role, 1)
            if len(same) > cap:
                prob += _expr([(v, 1) for v in same]) <= cap, f"role_max_{slot}_{role or 'none'}"
            if slot in ("lunch", "dinner") and role in ("protein", "vegetable"):
                prob += _expr([(v, 1) for v in same]) >= 1, f"role_min_{slot}_{role}"
    # A food is served in one slot a day at most; its use binaries then sum to "used today".
    foods_used: dict[int, list[pulp.LpVariable]] = {}
    for (f, s), v in u.items():
        foods_used.setdefault(f, []).append(v)
    z = {data.food_ids[f]: _expr([(v, 1) for v in vars_]) for f, vars_ in foods_used.items()}
    for food_id, used in z.items():
        if len(used) > 1:
            prob += used <= 1, f"one_slot_{food_id}"
    for food_id in sorted(state.required):
        if food_id in z:
            prob += z[food_id] >= 1, f"include_{food_id}"
    for k, menu in enumerate(state.earlier_menus):
        present = [z[f] for f in sorted(menu) if f in z]
        shared = int(np.floor(MAX_SHARED_WITH_EARLIER_DAY * len(menu)))
        if len(present) > shared:
            prob += pulp.lpSum(present) <= shared, f"differs_from_day_{k + 1}"


def _run(prob: pulp.LpProblem, rules: Rules, mip: bool = True) -> tuple[Status, float, float]:
    if rules.solver == "highs":
        solver = pulp.HiGHS(mip=mip, msg=False, timeLimit=rules.time_limit, gapRel=rules.gap, threads=1)
    elif rules.solver == "cbc":
        # PuLP 3.3 bundles CBC as PULP_CBC_CMD; PuLP 4 drops it for COIN_CMD with pulp[cbc].
        cbc = pulp.COIN_CMD if int(pulp.__version__.split(".")[0]) >= 4 else pulp.PULP_CBC_CMD
        solver = cbc(mip=mip, msg=False, timeLimit=rules.time_limit, gapRel=rules.gap)
    else:
        raise SolverError(f"--solver: expected one of {', '.join(SOLVERS)}, got '{rules.solver}'")
    if not solver.available():
        raise SolverError(f"solver '{rules.solver}' is not installed here (pip install highspy for highs)")
    try:
        prob.solve(solver)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"the {rules.solver} solver failed: {exc}") from None
    objective = pulp.value(prob.objective) or 0.0
    if rules.solver == "highs":
        import highspy

        highs = prob.solverModel
        model_status = highs.getModelStatus()
        info = highs.getInfo()
        has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if model_status == highspy.HighsModelStatus.kOptimal:
            bound = info.mip_dual_bound if prob.isMIP() and mip else objective
            return Status.OPTIMAL, objective, bound if np.isfinite(bound) else objective
        if has_plan:
            bound = info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else -np.inf
            return Status.STOPPED, objective, bound
        return Status.NO_PLAN, np.nan, np.nan
    if prob.sol_status == pulp.LpSolutionOptimal:
        return Status.OPTIMAL, objective, objective
    if prob.sol_status == pulp.LpSolutionIntegerFeasible:
        return Status.STOPPED, objective, -np.inf  # CBC through PuLP does not report its bound
    return Status.NO_PLAN, np.nan, np.nan


def floor_prices(data: ModelData, targets: pd.DataFrame, solver: str = "highs") -> pd.DataFrame:
    """What each floor costs: the day LP's dual per unit, and the range of the floor where it holds.

    The LP's cost (`frame.attrs["lp_cost"]`) is also a proven lower bound on any
    day's menu cost, since every menu is a solution of it.

    The LP keeps the nutrient rows and food caps but no servings, meals or
    variety, so its prices are what the nutrients cost at the margin, not what
    a menu change would cost exactly. Ranging needs HiGHS; with CBC the range
    columns stay empty.
    """
    prob = pulp.LpProblem("floor_prices", pulp.LpMinimize)
    grams = data.unit_g
    x = [prob.add_variable(f"g_{fid}", 0, data.max_units[f] * grams[f]) for f, fid in enumerate(data.food_ids)
         if data.role[f] != "ingredient"]
    kept = [f for f in range(len(data.food_ids)) if data.role[f] != "ingredient"]
    rows = []
    for t in targets.itertuples(index=False):
        if share_parts(t.nutrient):
            continue
        per_gram = data.per_unit[data.nutrients.index(t.nutrient)] / grams
        expr = _expr([(x[i], per_gram[f]) for i, f in enumerate(kept)])
        if pd.notna(t.min) and t.min > 0:
            prob += expr >= t.min, f"min_{t.nutrient}"
            rows.append((t.nutrient, "min", t.min))
        if pd.notna(t.max):
            prob += expr <= t.max, f"max_{t.nutrient}"
            rows.append((t.nutrient, "max", t.max))
    prob += _expr([(x[i], data.cost_per_unit[f] / grams[f]) for i, f in enumerate(kept)])
    status, objective, _ = _run(prob, Rules(solver=solver), mip=False)
    columns = ["nutrient", "bound", "value", "price_per_unit", "holds_from", "holds_to"]
    if status is Status.NO_PLAN:
        return pd.DataFrame(columns=columns)
    ranging = None
    if solver == "highs":
        ranging_status, ranging = prob.solverModel.getRanging()
    out = []
    for nutrient, bound, value in rows:
        constraint = prob.get_constraint_by_name(f"{bound}_{nutrient}")
        price = float(constraint.pi or 0.0)
        low = high = np.nan
        if ranging is not None and abs(price) > 1e-12:
            low = ranging.row_bound_dn.value_[constraint.index]
            high = ranging.row_bound_up.value_[constraint.index]
        out.append((nutrient, bound, value, price, low, high))
    frame = pd.DataFrame(out, columns=columns)
    frame.attrs["lp_cost"] = objective
    return frame
