"""Why each food is in a plan: where each nutrient comes from, how close each day runs to its
bounds, and what each target costs at the margin (the dual prices of the day LP)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.foods import FoodChoice, FoodTable, allowed_foods
from planner.model import ModelData, floor_prices
from planner.plan import Plan, cost_per_100g, needed_nutrients, require_same_table
from planner.report import short
from planner.week import day_summary

TOP_SOURCES = 3
# A day within this share of a bound counts as running at it.
AT_BOUND = 0.02


@dataclass(frozen=True)
class Explanation:
    sources: pd.DataFrame      # nutrient, food_id, name, amount, unit, share_pct
    closeness: pd.DataFrame    # day, nutrient, unit, total, min, max, pct_of_min, pct_of_max, at
    prices: pd.DataFrame       # nutrient, unit, bound, value, step, cost_per_step, holds_from, holds_to


def explain(plan: Plan, foods: FoodTable, top: int = TOP_SOURCES) -> Explanation:
    """Explain a plan against the food table it was made from."""
    require_same_table(plan, foods)
    items = plan.items_frame()
    grams = items.groupby("food_id")["grams"].sum()
    targets = plan.targets
    plain = [n for n in targets["nutrient"] if n in foods.nutrients]
    sources = []
    for nutrient in plain:
        amounts = (foods.data.loc[grams.index, nutrient].fillna(0.0) * grams / 100.0).sort_values(ascending=False)
        total = amounts.sum()
        for food_id, amount in amounts.head(top).items():
            if amount > 0:
                sources.append({"nutrient": nutrient, "food_id": food_id, "name": foods.data.loc[food_id, "name"],
                                "amount": amount, "unit": targets.set_index("nutrient").loc[nutrient, "unit"],
                                "share_pct": 100.0 * amount / total if total else np.nan})
    closeness = day_summary(plan)
    closeness["pct_of_max"] = 100.0 * closeness["total"] / closeness["max"]
    closeness["at"] = np.where(closeness["total"] <= closeness["min"] * (1 + AT_BOUND), "floor",
                               np.where(closeness["total"] >= closeness["max"] * (1 - AT_BOUND), "ceiling", ""))

    profile = plan.profile
    choice = FoodChoice(profile.get("diet", "omnivore"), tuple(profile.get("exclude", ())))
    allowed = allowed_foods(foods, choice)
    cost, _ = cost_per_100g(allowed)
    data = ModelData.from_foods(allowed, tuple(needed_nutrients(targets)), cost, "exact")
    prices = floor_prices(data, targets, plan.solver.get("name", "highs"))
    units = targets.set_index("nutrient")["unit"]
    prices["unit"] = prices["nutrient"].map(units)
    prices["step"] = [_step(v) for v in prices["value"]]
    prices["cost_per_step"] = prices["price_per_unit"] * prices["step"]
    prices = prices[["nutrient", "unit", "bound", "value", "step", "cost_per_step", "holds_from", "holds_to"]]
    return Explanation(pd.DataFrame(sources), closeness, prices)


def _step(value: float) -> float:
    """A round step to price a floor in: 100 mg for magnesium, 1 mcg for vitamin D, 0.1 mg for thiamin."""
    return 10.0 ** math.floor(math.log10(value / 3.0)) if value > 0 else 1.0


def render_explanation(ex: Explanation) -> str:
    """Short and plain: what a person reads to decide."""
    out = ["Where each nutrient comes from (the whole plan):"]
    for nutrient, rows in ex.sources.groupby("nutrient", sort=False):
        parts = [f"{r.name} {r.share_pct:.0f}%" for r in rows.itertuples()]
        out.append(f"  {short(nutrient):<12} " + ", ".join(parts))
    out += ["", "How close each day runs to its bounds (% of the floor; * = at the floor or ceiling):"]
    for nutrient, rows in ex.closeness.groupby("nutrient", sort=False):
        cells = []
        for r in rows.itertuples():
            mark = "*" if r.at else ""
            cells.append(f"{r.pct_of_min:.0f}%{mark}" if pd.notna(r.pct_of_min)
                         else f"{r.pct_of_max:.0f}% of max{mark}" if pd.notna(r.pct_of_max) else "")
        out.append(f"  {short(nutrient):<14} " + "  ".join(cells))
    out += ["", "What each target costs (a one-day LP over the foods you allow; the cheapest way, not your menu):"]
    for r in ex.prices.itertuples():
        step = f"{r.step:g} {r.unit}"
        if r.bound == "min":
            if abs(r.cost_per_step) < 1e-9:
                out.append(f"  +{step} {short(r.nutrient)} a day costs nothing extra (not binding: other "
                           "targets' foods already cover it)")
            elif abs(r.cost_per_step) < 0.005:
                out.append(f"  +{step} {short(r.nutrient)} a day costs under a cent (binding, but cheap)")
            else:
                held = (f", while the floor stays within {r.holds_from:,.4g}-{r.holds_to:,.4g} {r.unit}"
                        if pd.notna(r.holds_from) else "")
                out.append(f"  +{step} {short(r.nutrient)} a day costs about ${r.cost_per_step:.2f}{held} (binding)")
        elif abs(r.cost_per_step) >= 0.005:
            out.append(f"  the ceiling on {short(r.nutrient)} ({r.value:g} {r.unit}) binds: lifting it by {step} "
                       f"would save about ${-r.cost_per_step:.2f} a day")
    return "\n".join(out) + "\n"
