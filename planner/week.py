"""A plan of one or more days: the day model solved day by day, with variety across the week.

The naive week model (days x slots x foods, all integer, with "at most k days
a week" per food) is too hard to solve in seconds. Instead each day is a small
menu MILP solved in turn (`planner.model`), given what the earlier days
decided: foods used on `max_days` days are blocked, yesterday's dinner protein
is barred from dinner, no day shares more than half its foods with an earlier
day, and nutrients the body stores (vitamin D, B12) only need the week's
average, so a day owes what the earlier days left. The gap is stated against a
proven lower bound: days x the cost of the relaxed day LP (no whole servings,
no variety; its meal conditions kept).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.foods import SLOTS, FoodChoice, FoodTable, allowed_foods
from planner.model import DayResult, DayState, ModelData, Rules, Status, floor_prices, solve_day
from planner.plan import (DayPlan, Plan, PlanItem, Shortfall, check_plan, cost_per_100g, day_totals,
                          missing_values, needed_nutrients, target_value)
from planner.symptoms import vitamin_d_note
from planner.targets import STORED_NUTRIENTS, Profile

DEFAULT_MAX_DAYS = 3   # a food appears on at most this many days a week, unless the table says more
# A day getting ahead on a stored nutrient is rewarded at this multiple of its LP price.
AHEAD_PRICE_FACTOR = 1.5


@dataclass(frozen=True)
class PlanRequest:
    """Everything a plan depends on besides the food table and targets."""

    profile: Profile
    choice: FoodChoice = FoodChoice()
    rules: Rules = Rules()
    days: int = 1
    max_days: int = DEFAULT_MAX_DAYS
    deficient: tuple[str, ...] = ()
    budget_per_week: float | None = None


def make_plan(foods: FoodTable, targets: pd.DataFrame, request: PlanRequest) -> Plan:
    """Plan `request.days` days of meals that meet `targets` from the allowed foods.

    Unmet floors do not raise: the closest plan comes back with `shortfalls`.
    """
    started = time.perf_counter()
    if request.days < 1 or request.days > 28:
        raise InputError("--days", f"expected 1 to 28 days, got {request.days}")
    if request.max_days < 1:
        raise InputError("--max-days", f"expected at least 1, got {request.max_days}")
    needed = needed_nutrients(targets)
    absent = [n for n in needed if n not in foods.nutrients]
    if absent:
        raise InputError(foods.source, f"no column '{absent[0]}' for the target on {absent[0]}")
    allowed = allowed_foods(foods, request.choice)
    if len(allowed) == 0:
        raise InputError(foods.source, "no food is left after the diet and exclusions given")
    cost, unpriced = cost_per_100g(allowed)
    rules = request.rules
    if request.budget_per_week is not None:
        per_day = request.budget_per_week / request.days
        rules = replace(rules, budget_per_day=min(per_day, rules.budget_per_day or per_day))
    data = ModelData.from_foods(allowed, tuple(needed), cost, rules.portions, request.choice.like)
    max_days = allowed.data["max_days"].fillna(request.max_days).clip(lower=request.max_days)

    # Required foods are never blocked, so they may be served every day.
    days_share = (max_days / request.days).where(~max_days.index.isin(request.choice.include), 1.0)
    prices = floor_prices(data, targets, rules.solver, rules, days_share.loc[list(data.food_ids)].to_numpy(float))
    bound = prices.attrs.get("lp_cost", np.nan)
    floor_price = {r.nutrient: r.price_per_unit for r in prices.itertuples(index=False) if r.bound == "min"}
    results: list[DayResult] = []
    days: list[DayPlan] = []
    used_days = pd.Series(0, index=allowed.data.index)
    for day in range(1, request.days + 1):
        floors, bank = {}, {}
        for t in targets.itertuples(index=False):
            if t.nutrient in STORED_NUTRIENTS and request.days > 1 and pd.notna(t.min):
                owed = request.days * t.min - sum(d.totals.get(t.nutrient, 0.0) for d in days)
                floors[t.nutrient] = max(0.0, owed / (request.days - day + 1))
                # Foods rich in a stored nutrient run out of days: a day may get ahead of its share
                # when that costs less than the nutrient's price at the margin across the plan (the
                # average-day LP's; later days pay more than that, in whole servings).
                if day < request.days and floor_price.get(t.nutrient, 0.0) > 0:
                    bank[t.nutrient] = (AHEAD_PRICE_FACTOR * floor_price[t.nutrient],
                                        max(0.0, owed - floors[t.nutrient]))
        previous = results[-1].amounts if results else None
        state = DayState(
            floors=floors,
            bank=bank,
            blocked=frozenset(used_days.index[used_days >= max_days]),
            blocked_dinner=frozenset(previous.loc[previous["slot"] == "dinner", "food_id"])
            if previous is not None else frozenset(),
            earlier_menus=tuple(frozenset(r.amounts["food_id"]) for r in results),
            yesterday=frozenset(previous["food_id"]) if previous is not None else frozenset(),
            required=frozenset(request.choice.include),
        )
        result = solve_day(data, targets, rules, state)
        if result.status is Status.NO_PLAN and rules.budget_per_day is not None:
            raise InputError("--budget", f"no menu for day {day} fits a budget of ${rules.budget_per_day:.2f} "
                                         "a day with the meal rules; raise it")
        if result.status is Status.NO_PLAN:
            raise InputError(foods.source, f"no menu for day {day} fits the meal rules with the foods allowed "
                                           "(each meal needs at least two foods and lunch and dinner a protein)")
        results.append(result)
        days.append(_day_plan(day, result, allowed, unpriced, needed))
        used_days[result.amounts["food_id"].unique()] += 1

    model_cost = sum(float((r.amounts["grams"] * r.amounts["food_id"].map(cost)).sum()) / 100.0 for r in results)
    seconds = time.perf_counter() - started
    solver = {
        "name": rules.solver,
        "status": "stopped at the time limit" if any(r.status is Status.STOPPED for r in results)
        else f"each day solved to a proven {rules.gap:.0%} gap" if request.days > 1
        else f"solved to a proven {rules.gap:.0%} gap",
        "cost_with_stand_ins": round(model_cost, 2),
        "lower_bound": round(request.days * bound, 2) if np.isfinite(bound) else None,
        "gap_to_bound": round((model_cost - request.days * bound) / model_cost, 4)
        if np.isfinite(bound) and model_cost > 0 else None,
        "seconds": round(seconds, 3),
    }
    profile = {**request.profile.as_dict(), "diet": request.choice.diet,
               "deficient": list(request.deficient), "exclude": list(request.choice.exclude),
               "include": list(request.choice.include), "like": list(request.choice.like)}
    plan = Plan(profile, targets.assign(floor_period=[
        "week" if n in STORED_NUTRIENTS and request.days > 1 else "day" for n in targets["nutrient"]]),
        tuple(days), (), foods.source, foods.fingerprint, solver, ())
    failures = check_plan(plan, foods)
    shortfalls = tuple(_shortfall(f, allowed, foods, targets) for f in failures.itertuples(index=False)
                       if f.bound == "min")
    notes = _notes(plan, allowed, unpriced, targets) + slot_band_notes(plan, allowed, rules)
    if any(s.nutrient == "vitamin_d_mcg" for s in shortfalls):
        notes += (vitamin_d_note(),)
    return replace(plan, shortfalls=shortfalls, notes=notes)


def _day_plan(day: int, result: DayResult, foods: FoodTable, unpriced: pd.Series, needed: list[str]) -> DayPlan:
    order = {slot: k for k, slot in enumerate(SLOTS)}
    amounts = result.amounts.assign(order=result.amounts["slot"].map(order)).sort_values(["order", "food_id"])
    food = foods.data.loc[amounts["food_id"], ["name", "serving_g", "serving_label", "price_per_100g", "fdc_id"]]
    grams = amounts["grams"].to_numpy(float)
    price = food["price_per_100g"].to_numpy(float)
    items = tuple(
        PlanItem(food_id=food_id, name=name, slot=slot, servings=round(g / serving_g, 4), serving_label=label,
                 grams=round(float(g), 2), cost=None if np.isnan(p) else round(float(g) / 100.0 * float(p), 4),
                 fdc_id=None if pd.isna(fdc_id) else int(fdc_id))
        for food_id, slot, g, name, serving_g, label, p, fdc_id in zip(
            amounts["food_id"], amounts["slot"], grams, food["name"], food["serving_g"], food["serving_label"],
            price, food["fdc_id"]))
    # Totals come from the grams the plan states, so a check recomputes exactly these numbers.
    stated = pd.Series([i.grams for i in items], index=[i.food_id for i in items], dtype=float).groupby(level=0).sum()
    totals = day_totals(foods, stated, needed)
    cost = sum(i.cost for i in items if i.cost is not None)
    day_unpriced = tuple(sorted(set(stated.index) & set(unpriced.index[unpriced])))
    return DayPlan(day, items, totals, cost, day_unpriced)


def _shortfall(failure, allowed: FoodTable, foods: FoodTable, targets: pd.DataFrame) -> Shortfall:
    return Shortfall(failure.nutrient, failure.unit, float(failure.target), round(float(failure.recomputed), 4),
                     None if pd.isna(failure.day) else int(failure.day),
                     what_closes(failure.nutrient, failure.target - failure.recomputed, allowed, foods))


def what_closes(nutrient: str, gap: float, allowed: FoodTable, foods: FoodTable) -> str:
    """One sentence on what would close a gap: the richest allowed food, or that none can."""
    if nutrient not in foods.nutrients:
        return "a different mix of foods (this is a share of calories); try another --kcal or fewer exclusions"
    per_serving = allowed.per_serving(nutrient).dropna()
    per_serving = per_serving[(per_serving > 0) & (allowed.data.loc[per_serving.index, "role"] != "ingredient")]
    if per_serving.empty:
        others = foods.per_serving(nutrient).drop(allowed.data.index, errors="ignore").dropna()
        others = others[(others > 0) & (foods.data.loc[others.index, "role"] != "ingredient")].sort_values(ascending=False)
        if others.empty:
            return "no food in this table supplies it"
        names = ", ".join(foods.data.loc[others.index[:3], "name"])
        return f"no allowed food supplies it; foods your diet or exclusions leave out do: {names}"
    best = per_serving.idxmax()
    food = allowed.data.loc[best]
    servings = gap / per_serving[best]
    cap = food["max_servings"]
    if servings < 0.5:
        text = f"about {servings * food['serving_g']:.0f} g more of {food['name']} a day"
    else:
        text = f"about {servings:.1f} more serving(s) of {food['name']} ({food['serving_label']}) a day"
    if servings > cap:
        text += f", beyond its cap of {cap:g} a day: no allowed food closes it alone"
    return text


def _notes(plan: Plan, allowed: FoodTable, unpriced: pd.Series, targets: pd.DataFrame) -> tuple[str, ...]:
    notes = []
    used = [i.food_id for d in plan.days for i in d.items]
    missing = missing_values(allowed, used, [n for n in targets["nutrient"]])
    for nutrient, ids in missing.items():
        names = ", ".join(allowed.data.loc[ids, "name"].head(4))
        more = f" and {len(ids) - 4} more" if len(ids) > 4 else ""
        notes.append(f"{nutrient}: no value in the food table for {names}{more}; counted as 0, so the true "
                     "total may be higher")
    priced_out = sorted(set(used) & set(unpriced.index[unpriced]))
    if priced_out:
        names = ", ".join(allowed.data.loc[priced_out, "name"].head(6))
        more = f" and {len(priced_out) - 6} more" if len(priced_out) > 6 else ""
        notes.append(f"no sourced price for {names}{more}: the cost shown leaves them out (the optimizer "
                     "counted each at the median price per 100 g of priced foods in its aisle)")
    return tuple(notes)


def slot_kcal_shares(plan: Plan, foods: FoodTable) -> pd.DataFrame:
    """Each day's calories per slot as a share of the day's (rows: days, columns: slots)."""
    items = plan.items_frame()
    if items.empty or "energy_kcal" not in foods.data:
        return pd.DataFrame()
    kcal = items["grams"] * items["food_id"].map(foods.data["energy_kcal"]).fillna(0.0) / 100.0
    table = kcal.groupby([items["day"], items["slot"]]).sum().unstack(fill_value=0.0)
    return table.div(table.sum(axis=1).replace(0.0, np.nan), axis=0).reindex(columns=list(SLOTS), fill_value=0.0)


def slot_band_notes(plan: Plan, foods: FoodTable, rules: Rules) -> tuple[str, ...]:
    """A note for each slot whose calories fall outside its band (only when no menu within the bands was found)."""
    notes = []
    for day, shares in slot_kcal_shares(plan, foods).iterrows():
        for slot, share in shares.items():
            lo, hi = rules.slot_range(slot)
            if not lo - 1e-6 <= share <= hi + 1e-6:
                notes.append(f"day {day}: {slot} has {share:.0%} of the day's kcal, outside its {lo:.0%}-{hi:.0%} "
                             "band; no menu within the bands was found")
    return tuple(notes)


def day_summary(plan: Plan) -> pd.DataFrame:
    """Per day and target: the recomputed total and its % of the floor."""
    rows = []
    for day in plan.days:
        for t in plan.targets.itertuples(index=False):
            value = target_value(day.totals, t.nutrient)
            rows.append({"day": day.day, "nutrient": t.nutrient, "unit": t.unit, "total": value,
                         "min": t.min, "max": t.max,
                         "pct_of_min": 100.0 * value / t.min if pd.notna(t.min) and t.min else np.nan})
    return pd.DataFrame(rows)
