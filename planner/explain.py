"""Why each food is in a plan: where each nutrient comes from, how close each day runs to its
bounds, and what each target costs at the margin.

A view: it reads a plan and its food table, never the optimizer. The prices are
the ones the plan recorded when it was made (the duals of the week's average-day LP).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.check import below, plan_table
from planner.foods import FoodTable
from planner.plan import Plan

TOP_SOURCES = 3
# A day within this share of a bound counts as running at it.
AT_BOUND = 0.02
AT_BOUNDS = ("floor", "ceiling")   # what `at` says of a total on a bound; "below" is under its floor


@dataclass(frozen=True)
class Explanation:
    sources: pd.DataFrame      # nutrient, food_id, name, amount, unit, share_pct
    closeness: pd.DataFrame    # day, nutrient, unit, total, min, max, pct_of_min, pct_of_max, at
    prices: pd.DataFrame       # nutrient, unit, bound, value, step, cost_per_step, holds_from, holds_to

    def to_dict(self) -> dict:
        return {name: json.loads(getattr(self, name).to_json(orient="records", double_precision=15))
                for name in ("sources", "closeness", "prices")}


def explain(plan: Plan, foods: FoodTable | str | None = None, top: int = TOP_SOURCES) -> Explanation:
    """Explain a plan against the food table it was made from (by default the one it names)."""
    foods = plan_table(plan, foods)
    items = plan.items_frame()
    grams = items.groupby("food_id")["grams"].sum()
    targets = plan.targets
    units = targets.set_index("nutrient")["unit"]
    sources = []
    for nutrient in (n for n in targets["nutrient"] if n in foods.nutrients):
        amounts = (foods.data.loc[grams.index, nutrient].fillna(0.0) * grams / 100.0).sort_values(ascending=False)
        total = amounts.sum()
        for food_id, amount in amounts.head(top).items():
            if amount > 0:
                sources.append({"nutrient": nutrient, "food_id": food_id, "name": foods.data.loc[food_id, "name"],
                                "amount": amount, "unit": units[nutrient],
                                "share_pct": 100.0 * amount / total if total else np.nan})
    closeness = plan.coverage()
    closeness["pct_of_max"] = 100.0 * closeness["total"] / closeness["max"]
    # A day below its floor (vitamin D or B12, met on the week's average) is not "at" it: below as check counts it.
    under = below(closeness["total"], closeness["min"])
    at_floor = closeness["total"] <= closeness["min"] * (1 + AT_BOUND)
    at_ceiling = closeness["total"] >= closeness["max"] * (1 - AT_BOUND)
    closeness["at"] = np.where(under, "below", np.where(at_floor, "floor", np.where(at_ceiling, "ceiling", "")))
    prices = plan.prices_frame()
    prices["unit"] = prices["nutrient"].map(units)
    prices["step"] = [_step(v) for v in prices["value"]]
    prices["cost_per_step"] = prices["price_per_unit"] * prices["step"]
    prices = prices[["nutrient", "unit", "bound", "value", "step", "cost_per_step", "holds_from", "holds_to"]]
    source_columns = ["nutrient", "food_id", "name", "amount", "unit", "share_pct"]
    return Explanation(pd.DataFrame(sources, columns=source_columns), closeness, prices)


def _step(value: float) -> float:
    """A round step to price a floor in: 100 mg for magnesium, 1 mcg for vitamin D, 0.1 mg for thiamin."""
    return 10.0 ** math.floor(math.log10(value / 3.0)) if value > 0 else 1.0
