"""What a target, a budget, a calorie level, a diet or an exclusion costs: one parameter swept over values.

    >>> from planner import PlanRequest
    >>> from planner.sweep import sweep
    >>> frame = sweep(PlanRequest(cheapest=True), "magnesium", [80, 100, 150, 200])   # doctest: +SKIP

`parameter` is a nutrient (`magnesium`, `vitamin D`: its floor as % of the RDA or AI, never
above its UL), `budget` (dollars a day), `kcal` (calories a day), `diet` (omnivore ...
vegan) or `exclude` (a tag or food id, or a list of them, added to the request's). Each
setting is solved on one of three models:

- `meals` (default): one day's relaxed menu LP (`average_day.relaxed_menu`): every meal rule,
  food-group bound and ceiling, with fractional servings: what a day of meals costs at least.
- `plain`: the plain diet problem (`planner.diet_lp`): grams of each food, no meals.
- `plan`: a whole plan per setting (`make_plan`, `request.days` days of real meals): slow.

The LP models stay in their solver between settings: a floor, a budget or a calorie
level moves bounds, right-hand sides and costs, and HiGHS starts from the last optimum.
A diet or an exclusion changes which foods the meal rules see, so `meals` rebuilds for
it; `plain` closes the foods a setting leaves out. Floors are hard where they can be met
together; where not, the closest plan is taken (each floor's shortfall weighted per unit of
it) and the row says what is short. The result is one row per setting: the setting, the
cost a day (stand-in prices for unpriced foods, as the optimizer counts them), each
floor's % of the request's own floor, the shortfalls and the foods used.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from planner import nutrients
from planner.average_day import relaxed_menu
from planner.calcium import table_for
from planner.day_data import DayState, ModelData
from planner.diet_lp import diet_model, solve_hard_then_closest
from planner.errors import InputError
from planner.foods import DIETS, FoodTable, allowed_foods
from planner.milp import INF, Status
from planner.model import GOAL_WEIGHT, PORTION_WEIGHT, SHORTFALL_PENALTY
from planner.planning import make_plan
from planner.pricing import cost_per_100g
from planner.request import Budget, PlanRequest
from planner.sources import load_foods
from planner.targets import needed_columns, share_parts, target_value, targets_for_request

MODELS = ("meals", "plain", "plan")
SETTINGS = ("budget", "kcal", "diet", "exclude")


@dataclass(frozen=True)
class Setting:
    """One point of a sweep: its value, and the request, targets, budget and foods it stands for."""

    value: object
    request: PlanRequest
    targets: pd.DataFrame
    budget: float | None          # dollars a day
    food_ids: frozenset[str]      # the foods the request allows
    nutrient: str | None = None   # the swept floor's column (nutrient sweeps)
    floor: float = np.nan
    reference: tuple[float, float] = (np.nan, np.nan)   # its RDA or AI, and its UL

    @cached_property
    def bounds(self) -> dict[str, tuple[float, float, float, str]]:
        """Each target's (min, max, goal, unit), for moving a model without pandas look-ups."""
        t = self.targets
        return dict(zip(t["nutrient"].tolist(),
                        zip(t["min"].tolist(), t["max"].tolist(), t["goal"].tolist(), t["unit"].tolist())))


def sweep(request: PlanRequest, parameter: str, values, foods: FoodTable | None = None, model: str = "meals",
          reuse: bool = True) -> pd.DataFrame:
    """One row per value of `parameter`; `reuse=False` builds the model again at every setting (to compare)."""
    if model not in MODELS:
        raise InputError(f"expected one of {', '.join(MODELS)}, got '{model}'", field="model")
    foods = table_for(request, load_foods(request.foods) if foods is None else foods)
    table = targets_for_request(request).for_columns(foods.nutrients_with_values).table
    base = {t.nutrient: float(t.min) for t in table.itertuples(index=False) if pd.notna(t.min) and t.min > 0}
    values = [values] if isinstance(values, (str, int, float)) else list(values)   # one value is one setting
    if parameter not in ("diet", "exclude"):   # a floor's %, a budget or calories: a number >= 0, or no setting
        bad = [v for v in values if isinstance(v, bool) or not isinstance(v, (int, float, np.number))
               or not np.isfinite(v) or v < 0]
        if bad:
            raise InputError(f"expected numbers >= 0 for {parameter}, got {bad[0]!r}", field="values")
    settings = settings_of(request, parameter, values, foods, table)
    if not settings:
        raise InputError("expected at least one value to sweep", field="values")
    rows = []
    held: _Held | None = None
    for s in settings:
        started = time.perf_counter()
        if model == "plan":
            rows.append(_plan_row(s, foods, base, started))
            continue
        if held is None or not reuse or not held.take(s):
            # `plain` is built once over every setting's foods and closes the ones a setting leaves out.
            held = _Held.build(model, s, foods, settings if model == "plain" and reuse else [s])
            held.take(s)
        rows.append(held.row(s, foods, base, started))
    frame = pd.DataFrame(rows)
    for column in ("cost", "objective", "shortfalls", "foods", "n_foods"):   # there when no setting has a plan too
        if column not in frame:
            frame[column] = np.nan
    frame.insert(0, "parameter", parameter)
    frame.attrs["title"] = f"Sweep of {parameter} ({model} model)"
    frame.attrs["stand_in_prices"] = bool(foods.data["price_per_100g"].isna().any())   # costs count stand-ins
    return frame


def settings_of(request: PlanRequest, parameter: str, values: list, foods: FoodTable,
                targets: pd.DataFrame | None = None) -> list[Setting]:
    """Every value's setting. A floor or a budget leaves the targets and foods alone: computed once.
    `targets`: the request's own, where already known."""
    if parameter == "budget" and values:
        first = setting(request, parameter, values[0], foods, targets)
        return [replace(first, value=float(v), budget=float(v),
                        request=replace(first.request, budget=Budget(float(v), "day"))) for v in values]
    if parameter not in SETTINGS and values:
        first = setting(request, parameter, values[0], foods, targets)
        swept = (first.targets["nutrient"] == first.nutrient).to_numpy()
        out = []
        for v in values:
            floor = _floor(first.reference, float(v))
            mins = first.targets["min"].to_numpy(copy=True)
            mins[swept] = floor
            out.append(replace(first, value=float(v), targets=first.targets.assign(min=mins), floor=floor))
        return out
    return [setting(request, parameter, v, foods) for v in values]


def setting(request: PlanRequest, parameter: str, value, foods: FoodTable,
            targets: pd.DataFrame | None = None) -> Setting:
    """The request, targets, budget and foods of one value of `parameter`. `targets`: the request's
    own, where already known (a budget or a floor leaves them as they are)."""
    if parameter == "budget":
        return _setting(replace(request, budget=Budget(float(value), "day")), float(value), foods, targets)
    if parameter == "kcal":
        profile = replace(request.profile, kcal=float(value), is_default=False)
        return _setting(replace(request, profile=profile), float(value), foods)
    if parameter == "diet":
        value = value.strip().casefold() if isinstance(value, str) else value   # as the command reads a diet
        if value not in DIETS:
            raise InputError(f"unknown diet '{value}' (expected one of: {', '.join(DIETS)})", field="diet")
        return _setting(replace(request, choice=replace(request.choice, diet=value)), value, foods)
    if parameter == "exclude":
        extra = () if value in (None, "", ()) else (value,) if isinstance(value, str) else tuple(value)
        choice = replace(request.choice, exclude=request.choice.exclude + extra)
        return _setting(replace(request, choice=choice), ", ".join(extra) or "none", foods)
    column = nutrients.by_word(parameter)
    if column is None:
        raise InputError(f"unknown parameter '{parameter}' (expected a nutrient, or one of: {', '.join(SETTINGS)})",
                         field="parameter")
    # The reference is the request's floor before any raising: the RDA or AI (or a targets file's floor).
    unraised = replace(request, deficient=(), symptoms=(), duration_days=None)
    reference = targets if targets is not None and unraised == request else targets_for_request(unraised).table
    row = reference.set_index("nutrient").reindex([column]).iloc[0]
    if not (pd.notna(row["min"]) and row["min"] > 0):
        raise InputError(f"{nutrients.label(column)} has no floor to sweep", field="parameter")
    bounds = (float(row["min"]), float(row["max"]))
    floor = _floor(bounds, float(value))
    point = _setting(request, float(value), foods, targets)
    targets = point.targets.copy()
    targets.loc[targets["nutrient"] == column, "min"] = floor
    return replace(point, targets=targets, nutrient=column, floor=floor, reference=bounds)


def _floor(reference: tuple[float, float], pct: float) -> float:
    """`pct` % of the reference floor, never above its UL."""
    floor = pct / 100.0 * reference[0]
    return min(floor, reference[1]) if np.isfinite(reference[1]) else floor


def _setting(request: PlanRequest, value, foods: FoodTable, targets: pd.DataFrame | None = None) -> Setting:
    if targets is None:
        targets = targets_for_request(request).for_columns(foods.nutrients_with_values).table
    budget = request.budget.per_day() if request.budget else None
    allowed = frozenset(allowed_foods(foods, request.choice).data.index)
    return Setting(value, request, targets, budget, allowed)


class _Held:
    """An LP held in its solver: the foods it covers, its targets as they stand, where its rows are."""

    def __init__(self, kind: str, session, food_ids: tuple[str, ...], grams_per_x: np.ndarray, x: np.ndarray,
                 targets: pd.DataFrame, covered: frozenset[str], goal_weight: float, cost: pd.Series,
                 short_upper: dict[str, float]):
        self.kind, self.session = kind, session
        self.food_ids, self.grams_per_x, self.x = food_ids, grams_per_x, x
        self.targets, self.covered, self.open = targets, covered, covered
        self.bounds_now = {t.nutrient: (t.min, t.max, t.goal, t.unit) for t in targets.itertuples(index=False)}
        self.goal_weight = goal_weight
        self.cost_per_100g = cost.loc[list(food_ids)].to_numpy(float)
        m = session.milp
        self.rows = {name: k for k, name in enumerate(m.row_names)}
        self.cols = {name: k for k, name in enumerate(m.col_names)}
        self.short = {name.removeprefix("short_"): k for name, k in self.cols.items() if name.startswith("short_")}
        self.short_upper = short_upper
        self.bounds = {i: (m.lower[c], m.upper[c]) for i, c in zip(food_ids, x)}
        self.budget = INF
        self.columns: list[str] = []
        self.per_gram = np.zeros((len(food_ids), 0))

    @classmethod
    def build(cls, kind: str, s: Setting, foods: FoodTable, cover: list[Setting]) -> _Held:
        covered = frozenset().union(*(c.food_ids for c in cover))
        allowed = foods.subset([i for i in foods.data.index if i in covered])
        cost, _ = cost_per_100g(allowed)
        solver = s.request.solver
        if kind == "plain":
            model = diet_model(allowed, s.targets, cost, INF, s.request.choice.include)
            return cls(kind, model.milp.session(solver.name, solver.time_limit), model.food_ids,
                       np.ones(len(model.x)), model.x, s.targets, covered, 0.0, cost, dict(model.shortfall_upper))
        weights = (0.0, 0.0) if s.request.cheapest else (PORTION_WEIGHT, GOAL_WEIGHT)
        data = ModelData.from_foods(allowed, tuple(needed_columns(s.targets)), cost, s.request.meals.portions,
                                    s.request.choice.like, *weights, skipped_slots=s.request.meals.skipped_slots)
        menu = relaxed_menu(data, s.targets, s.request.meals,
                            DayState(required=frozenset(s.request.choice.include), budget=INF))
        session = menu.milp.session(solver.name, solver.time_limit)
        floors = s.targets.set_index("nutrient")["min"]
        upper = {n: INF if share_parts(n) else float(floors[n]) for n in menu.shortfall}
        for column in menu.shortfall.values():   # floors hard until they cannot all be met
            session.set_col_bounds(column, 0.0, 0.0)
        return cls(kind, session, tuple(data.food_ids[f] for f in menu.foods), data.unit_g[menu.foods], menu.x,
                   s.targets, covered, data.goal_weight, cost, upper)

    def take(self, s: Setting) -> bool:
        """Move the model to setting `s`; False when bounds and costs alone cannot reach it."""
        if (s.food_ids != self.covered) if self.kind == "meals" else not s.food_ids <= self.covered:
            return False
        if not self._retarget(s):
            return False
        for food_id, column in zip(self.food_ids, self.x) if s.food_ids != self.open else ():
            if (food_id in s.food_ids) != (food_id in self.open):
                lower, upper = self.bounds[food_id] if food_id in s.food_ids else (0.0, 0.0)
                self.session.set_col_bounds(column, lower, upper)
        self.open = s.food_ids
        budget = INF if s.budget is None else s.budget
        if budget != self.budget:
            self.session.set_row_bounds(self.rows["budget"], -INF, budget)
            self.budget = budget
        return True

    def _retarget(self, s: Setting) -> bool:
        old, new = self.bounds_now, s.bounds
        if list(old) != list(new):
            return False
        moves = []
        for n in new:
            if old[n] == new[n]:
                continue
            for k, bound in enumerate(("min", "max", "goal")):
                a, b = old[n][k], new[n][k]
                if pd.isna(a) and pd.isna(b):
                    continue
                if pd.isna(a) != pd.isna(b) or (bound == "min" and (a > 0) != (b > 0)):
                    return False      # a row or column appears or goes: another model
                if a != b:
                    if share_parts(n):
                        return False  # a share's bound sits in its row's coefficients
                    moves.append((n, bound, float(b)))
        for move in moves:
            self._move(*move)
        self.targets, self.bounds_now = s.targets, new
        return True

    def _move(self, nutrient: str, bound: str, value: float) -> None:
        """One target's bound to `value`: its row, and the columns the model prices it with."""
        s = self.session
        if bound == "min" and f"min_{nutrient}" in self.rows:
            s.set_row_bounds(self.rows[f"min_{nutrient}"], value, INF)
            s.set_col_cost(self.short[nutrient], SHORTFALL_PENALTY / value)
            self.short_upper[nutrient] = value
        elif bound == "max" and f"max_{nutrient}" in self.rows:
            s.set_row_bounds(self.rows[f"max_{nutrient}"], -INF, value)
        elif bound == "goal" and f"goal_{nutrient}" in self.rows:
            s.set_row_bounds(self.rows[f"goal_{nutrient}"], value, INF)
            column = self.cols[f"under_{nutrient}"]
            s.set_col_bounds(column, 0.0, value)
            s.set_col_cost(column, self.goal_weight / value)

    def row(self, s: Setting, foods: FoodTable, base: dict[str, float], started: float) -> dict:
        solution, closest = solve_hard_then_closest(self.session, self.short, self.short_upper)
        if solution.status is Status.NO_PLAN:
            return {"setting": s.value, "status": "no plan", "seconds": time.perf_counter() - started}
        amounts = solution.values[self.x] * self.grams_per_x
        columns = needed_columns(s.targets)
        if columns != self.columns:
            self.columns = columns
            self.per_gram = np.nan_to_num(foods.data.loc[list(self.food_ids), columns].to_numpy(float)) / 100.0
        totals = dict(zip(columns, amounts @ self.per_gram))
        served = amounts > 1e-9
        grams = pd.Series(amounts[served], index=np.asarray(self.food_ids, dtype=object)[served])
        cost = float(self.cost_per_100g[served] @ amounts[served] / 100.0)
        out = _summary(s, base, totals, grams, cost, "closest" if closest else "optimal", float(solution.objective))
        if s.nutrient is not None:
            # Dollars a day per unit more of the swept floor, at this setting (0 where it does not bind).
            row = self.rows.get(f"min_{s.nutrient}")   # a floor of 0 is no row: it binds nothing
            price = np.nan if closest or solution.row_duals is None else \
                0.0 if row is None else float(solution.row_duals[row])
            out["floor_price"] = price
        out["seconds"] = time.perf_counter() - started
        return out


def _plan_row(s: Setting, foods: FoodTable, base: dict[str, float], started: float) -> dict:
    """A whole plan at this setting; a swept floor goes in as the request's own targets."""
    request = s.request
    if s.nutrient is not None:
        rows = [{k: v for k, v in r.items() if k in ("nutrient", "unit", "min", "max", "goal", "source")}
                for r in s.targets.to_dict("records")]
        request = replace(request, custom_targets=tuple(
            {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()} for r in rows))
    plan = make_plan(request, foods)
    grams = plan.items_frame().groupby("food_id")["grams"].sum() / len(plan.days)
    days = len(plan.days)
    out = _summary(s, base, foods.totals(grams, needed_columns(s.targets)), grams, plan.report.model_cost / days,
                   "optimal" if plan.is_ok else "closest", plan.report.objective / days)
    out["seconds"] = time.perf_counter() - started
    return out


def _summary(s: Setting, base: dict[str, float], totals: dict[str, float], grams: pd.Series, cost: float, status: str,
             objective: float) -> dict:
    """A setting's row: cost a day, each floor's % of the request's own floor, what is short, the foods."""
    out: dict = {"setting": s.value, "status": status, "cost": cost, "objective": objective}
    if s.nutrient is not None:
        out["floor"] = s.floor
    for nutrient, floor in base.items():
        out[f"{nutrient}_pct"] = 100.0 * target_value(totals, nutrient) / floor
    short = []
    for nutrient, (floor, _, _, unit) in s.bounds.items():
        value = target_value(totals, nutrient)
        if pd.notna(floor) and value < floor * (1 - 1e-6) - 1e-6:
            short.append(f"{nutrients.label(nutrient)} {nutrients.amount_text(floor - value)} {unit}")
    out["shortfalls"] = "; ".join(short)
    ordered = grams.sort_values(ascending=False)
    out["foods"] = ", ".join(f"{i} {g:.0f} g" for i, g in ordered.items())
    out["n_foods"] = len(ordered)
    return out
