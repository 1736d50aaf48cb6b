"""The one library call behind `planner day` and `planner week`: a request in, a Plan out.

    >>> from planner import PlanRequest, make_plan, make_profile
    >>> plan = make_plan(PlanRequest(make_profile(age=40, sex="female"), deficient=("magnesium",)))  # doctest: +SKIP

Steps: load the food table, targets for the request, the foods the person
allows, the week solved day by day (`planner.week`), the days as plan items,
shortfalls recomputed by the same code as `check`, and the notes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from planner.advice import allergen_notes, doctor_lines, plan_notes, profile_line, symptom_lines, target_notes
from planner.caffeine import without_caffeinated_drinks
from planner.calcium import calcium_notes, table_for
from planner.check import recomputed_totals, target_failures
from planner.choking import for_young_children
from planner.closing import BUDGET, share_room, what_closes
from planner.diet_lp import solve_amounts
from planner.errors import InputError
from planner.foods import SLOTS, FoodTable, allowed_foods
from planner.meals import meal_patterns
from planner.model import DayResult
from planner.plan import DayPlan, Plan, PlanItem, Shortfall, SolveReport, SolveStatus
from planner.portions import least_added_g, most_grams, portion_scale, sized_for
from planner.pricing import cost_per_100g
from planner.request import DAYS_PER_WEEK, PlanRequest, week_lengths, week_of
from planner.sources import load_foods, table_reference
from planner.targets import estimated_kcal, needed_columns, share_parts, targets_for_request
from planner.week import solve_week


def make_plan(request: PlanRequest, foods: FoodTable | str | None = None,
              say: Callable[[str], None] | None = None) -> Plan:
    """Plan `request.days` days of meals for the request, over `foods` (default: the table it names).

    Unmet floors do not raise: the closest plan comes back with `shortfalls`, each
    saying what would close it. Ceilings are never passed. `say` receives what a
    person should read before the plan, as soon as it is known: the doctor lines for
    any symptoms named (always first), the nutrients raised, the profile.
    """
    if not isinstance(request, PlanRequest):
        raise InputError(f"expected a PlanRequest, got {type(request).__name__}", field="request")
    say = say or (lambda line: None)
    requested = targets_for_request(request)
    for line in [*doctor_lines(requested.guidance), *symptom_lines(requested.guidance)]:
        say(line)
    if not isinstance(foods, FoodTable):   # None: the request's table; a name or path, as check and explain take
        named = request.foods if foods is None else foods
        foods, request = load_foods(named), replace(request, foods=table_reference(named))
    foods = table_for(request, foods)
    check_custom_targets(request, foods)
    targets = requested.for_columns(foods.nutrients_with_values)
    allowed, kept_out_notes = for_young_children(allowed_foods(foods, request.choice), request.profile,
                                              request.choice.include)
    allowed, calm_notes = without_caffeinated_drinks(allowed, request, requested.guidance)
    kept_out_notes += (*calm_notes, *allergen_notes(foods, request.choice))
    if allowed.data["role"].ne("ingredient").sum() == 0:
        if foods.data["role"].ne("ingredient").sum() == 0:   # not the options' doing
            raise InputError("no food in the table can be served in a meal: every one has the role ingredient (a "
                             "table imported without household portions has only those)", source=foods.name,
                             field="role")
        raise InputError("no food is left to plan with after the diet and exclusions given",
                         source=foods.name, field="exclude")
    if not request.amounts_only:
        check_enough_foods(request, allowed)
    cost, unpriced = cost_per_100g(allowed)
    scale = portion_scale(request.profile, estimated_kcal(request.profile))

    def ready() -> None:
        """Who the plan is for, once the table and options are known to be usable (a budget no day can
        keep included): a bad one gets its one line."""
        for line in [profile_line(request, requested), *target_notes(request, targets)]:
            say(line)
        if scale.is_child and not request.amounts_only:
            say(scale.note())
        for note in kept_out_notes:
            say(note)

    if request.amounts_only:
        sized = allowed
        ready()
        week = solve_amounts(allowed, targets.table, request, cost)
    else:
        # The solver portions a child's plan from the sized table; the plan states servings of the table's own.
        sized = sized_for(allowed, scale)
        week = solve_week(sized, targets.table, request, cost, ready)
    needed = needed_columns(targets.table)
    # Amounts only sit on their bounds exactly: grams to the microgram, so a check recomputes them within its tolerance.
    digits = 6 if request.amounts_only else 2
    days = tuple(_day_plan(day, result, allowed, unpriced, needed, digits)
                 for day, result in enumerate(week.days, start=1))
    model_cost = sum(float((r.amounts["grams"] * r.amounts["food_id"].map(cost)).sum()) / 100.0 for r in week.days)
    report = SolveReport(
        solver=request.solver.name,
        status=SolveStatus.STOPPED if week.stopped else SolveStatus.OPTIMAL,
        day_gap=0.0 if request.amounts_only else request.solver.gap, model_cost=model_cost, objective=week.objective,
        lower_bound=float(week.lower_bound) if np.isfinite(week.lower_bound) else None,
        seconds=week.seconds, stopped_days=week.stopped,
        relaxed=tuple((day, rule) for day, r in enumerate(week.days, start=1) for rule in r.relaxed))
    served = sorted({i.food_id for d in days for i in d.items})
    dates = allowed.data["price_date"].reindex(served) if "price_date" in allowed.data else pd.Series(dtype=str)
    prices_from = ", ".join(sorted({str(d) for d in dates.dropna() if str(d).strip()}))
    plan = Plan(request, targets.table, days, (), foods.source, foods.fingerprint, report, week.prices.prices,
                prices_from=prices_from)
    totals = [recomputed_totals(d, allowed, needed) for d in days]
    failures = target_failures([d.day for d in days], totals, targets.table)
    share_ceilings = {n: float(m) for n, m in zip(targets.table["nutrient"], targets.table["max"])
                      if share_parts(n) and pd.notna(m)}
    budget = request.budget.per_day() if request.budget is not None else None
    # A suggestion is a portion the plan would serve; amounts only are planned in grams, from half a serving.
    portions = "exact" if request.amounts_only else request.meals.portions
    shortfalls = tuple(
        Shortfall(f.nutrient, f.unit, float(f.expected), float(f.found), None if pd.isna(f.day) else int(f.day),
                  what_closes(f.nutrient, f.expected - f.found, allowed, foods, _served(days, f.day),
                              most_grams(sized), _headroom(targets.table, days, totals, f.day, budget),
                              share_ceilings, _kept_off(f.day, days, allowed, request),
                              least_added_g(sized.data, portions, _served(days, f.day))),
                  int(f.week) if pd.notna(f.week) and len(days) > DAYS_PER_WEEK else None)
        for f in failures.itertuples(index=False) if f.check == "min")
    plan = replace(plan, shortfalls=shortfalls)
    notes = plan_notes(plan, allowed, unpriced, targets, scale) + kept_out_notes
    if request.absorbable_calcium:
        notes += tuple(calcium_notes(plan.items_frame(), allowed))
    return replace(plan, notes=notes)


def _headroom(targets: pd.DataFrame, days: tuple[DayPlan, ...], totals: list[dict[str, float]],
              day: float | None, budget: float | None = None) -> dict[str, float]:
    """What each ceiling leaves on `day`, or on every day (day NaN/None: the least of them); a share's (fat % of
    kcal) as `closing.share_room` counts it, and a budget a day's in dollars (`closing.BUDGET`)."""
    picked = [(d, t) for d, t in zip(days, totals) if pd.isna(day) or d.day == day]
    chosen = [t for _, t in picked]
    out = {}
    if budget is not None and picked:
        out[BUDGET] = min(budget - d.cost for d, _ in picked)
    for n, most in zip(targets["nutrient"], targets["max"]):
        share = share_parts(n)
        if pd.notna(most) and chosen:
            out[n] = min(share_room(float(most), share[2], t.get(share[0], 0.0), t.get(share[1], 0.0)) if share
                         else float(most) - t.get(n, 0.0) for t in chosen)
    return out


def _kept_off(day: float | None, days: tuple[DayPlan, ...], allowed: FoodTable, request: PlanRequest) -> frozenset[str]:
    """The foods the variety rule keeps off `day`: not on it, and (or another form of them) already on as many
    other days of its week as they may be. None for a week's average, which any day may close."""
    if pd.isna(day) or request.amounts_only:
        return frozenset()
    same = allowed.same_food()
    on_day = {i.food_id for d in days if d.day == day for i in d.items}
    others = [{same[i.food_id] for i in d.items} for d in days if d.day != day and week_of(d.day) == week_of(day)]
    days_of = pd.Series([f for served in others for f in served], dtype=object).value_counts()
    most_days = allowed.days_a_week(request.max_days)
    used = (same.map(days_of).fillna(0) >= most_days) & ~same.index.isin([*on_day, *request.choice.include])
    return frozenset(same.index[used])


def _served(days: tuple[DayPlan, ...], day: float | None) -> pd.Series:
    """Grams of each food a day of the plan serves: on `day`, or on average over the days (day NaN/None)."""
    chosen = [d for d in days if pd.isna(day) or d.day == day]
    grams = pd.Series([i.grams for d in chosen for i in d.items], index=[i.food_id for d in chosen for i in d.items],
                      dtype=float)
    return grams.groupby(level=0).sum() / max(len(chosen), 1)


def check_enough_foods(request: PlanRequest, allowed: FoodTable) -> None:
    """Refuse, before solving, a plan whose meals cannot get their foods when no food may come back often enough.

    Each day's meals need their parts (`planner/data/meal_patterns.csv`), and a food may serve on
    `max_days` days of each week (or what the table allows). Too few food-days for that, where a higher
    max-days would give enough, is the option's fault: say what it would need. A table with fewer foods than
    one day's meals need is planned as a single day is, its meal rules relaxed and said.
    """
    if request.days == 1:
        return
    data = allowed.data[(allowed.data["role"] != "ingredient") & allowed.data["slots"].map(bool)]
    table_days = data["max_days"].fillna(0.0).to_numpy()
    roles = data["role"].to_numpy(object)

    def supply(max_days: int, mask) -> float:   # food-days, counted within each week of the plan
        return float(sum(np.minimum(length, np.maximum(max_days, table_days[mask])).sum()
                         for length in week_lengths(request.days)))

    per_day: dict[frozenset[str], int] = {}
    for part in meal_patterns():
        if part.min:
            per_day[frozenset(part.roles)] = per_day.get(frozenset(part.roles), 0) + part.min
    wanted = [("foods", np.ones(len(data), dtype=bool), sum(per_day.values()))]
    wanted += [(" or ".join(sorted(r)) + " foods", np.isin(roles, sorted(r)), n) for r, n in per_day.items()]
    short = []
    for what, mask, n in wanted:
        need = request.days * n
        if 0 < supply(request.max_days, mask) < need:
            higher = range(request.max_days + 1, min(request.days, DAYS_PER_WEEK) + 1)
            enough = next((m for m in higher if supply(m, mask) >= need), None)
            if enough is not None:
                short.append((enough, what, need, supply(request.max_days, mask)))
    if short:
        enough, what, need, have = max(short)
        raise InputError(f"{request.days} days with each food on at most {request.max_days} day(s) a week need {need} "
                         f"{what} in all, and the foods allowed give {have:.0f}: raise it to at least {enough}",
                         field="max_days")


def check_custom_targets(request: PlanRequest, foods: FoodTable) -> None:
    """A targets file's nutrients must be columns of the food table; the error names the file's row."""
    for row in request.custom_targets or ():
        columns = share_parts(row["nutrient"])[:2] if share_parts(row["nutrient"]) else (row["nutrient"],)
        for column in (c for c in columns if c not in foods.nutrients):
            raise InputError(f"unknown nutrient '{row['nutrient']}' (the food table {foods.name} has: "
                             f"{', '.join(foods.nutrients)})", source=row.get("file"), row=row.get("row"),
                             field="nutrient")


def _day_plan(day: int, result: DayResult, foods: FoodTable, unpriced: pd.Series, needed: list[str],
              digits: int = 2) -> DayPlan:
    order = {slot: k for k, slot in enumerate(SLOTS)}
    amounts = result.amounts.assign(order=result.amounts["slot"].map(order)).sort_values(["order", "food_id"])
    food = foods.data.loc[amounts["food_id"], ["name", "serving_g", "serving_label", "price_per_100g", "fdc_id",
                                               "food_code"]]
    grams = amounts["grams"].to_numpy(float)
    price = food["price_per_100g"].to_numpy(float)
    items = tuple(
        PlanItem(food_id=food_id, name=name, slot=slot, servings=round(g / serving_g, 4), serving_label=label,
                 grams=round(float(g), digits),
                 cost=None if np.isnan(p) else round(float(g), digits) / 100.0 * float(p),
                 fdc_id=None if pd.isna(fdc_id) else int(fdc_id), food_code=code or None)
        for food_id, slot, g, name, serving_g, label, p, fdc_id, code in zip(
            amounts["food_id"], amounts["slot"], grams, food["name"], food["serving_g"], food["serving_label"],
            price, food["fdc_id"], food["food_code"]))
    # Totals come from the grams the plan states, so a check recomputes exactly these numbers.
    day_plan = DayPlan(day, items, {}, 0.0, ())
    totals = recomputed_totals(day_plan, foods, needed)
    cost = sum(i.cost for i in items if i.cost is not None)
    stated = {i.food_id for i in items}
    day_unpriced = tuple(sorted(stated & set(unpriced.index[unpriced])))
    return DayPlan(day, items, totals, cost, day_unpriced)
