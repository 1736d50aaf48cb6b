"""Plans as plain data: what a plan holds, its JSON form, and checking it against a food table.

`check_plan` never trusts the solver: it recomputes every total from the food
table's values per 100 g and the grams in the plan.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.foods import FoodTable
from planner.targets import STORED_NUTRIENTS, share_parts

# Floors and ceilings hold within this relative tolerance (solver round-off).
TOLERANCE = 1e-6
DISCLAIMER = ("For information only, not medical advice. See a doctor if twitching lasts more than about two "
              "weeks, spreads, or comes with weakness, numbness, poor coordination, dizziness or pain; a blood "
              "test can confirm a deficiency.")


@dataclass(frozen=True)
class PlanItem:
    food_id: str
    name: str
    slot: str
    servings: float
    serving_label: str
    grams: float
    cost: float | None          # None: the food has no sourced price
    fdc_id: int | None = None


@dataclass(frozen=True)
class Shortfall:
    """A floor the plan does not reach: by how much, on which day (None = the week's average), and why."""

    nutrient: str
    unit: str
    target: float
    achieved: float
    day: int | None
    closes_it: str

    @property
    def gap(self) -> float:
        return self.target - self.achieved


@dataclass(frozen=True)
class DayPlan:
    day: int
    items: tuple[PlanItem, ...]
    totals: dict[str, float]
    cost: float                 # priced items only
    unpriced: tuple[str, ...]   # food ids in this day with no sourced price


@dataclass(frozen=True)
class Plan:
    profile: dict
    targets: pd.DataFrame
    days: tuple[DayPlan, ...]
    shortfalls: tuple[Shortfall, ...]
    foods_source: str
    foods_fingerprint: str
    solver: dict = field(default_factory=dict)     # status, gap, bound, seconds
    notes: tuple[str, ...] = ()

    @property
    def is_ok(self) -> bool:
        return not self.shortfalls

    @property
    def cost(self) -> float:
        return sum(d.cost for d in self.days)

    def items_frame(self) -> pd.DataFrame:
        """One row per item and day: the plan as a table for notebooks and CSV."""
        rows = [{"day": d.day, **asdict(i)} for d in self.days for i in d.items]
        return pd.DataFrame(rows, columns=["day", *PlanItem.__dataclass_fields__])

    def totals_frame(self) -> pd.DataFrame:
        """Nutrient totals, one row per day."""
        return pd.DataFrame([d.totals for d in self.days], index=pd.Index([d.day for d in self.days], name="day"))

    def to_dict(self) -> dict:
        return {
            "disclaimer": DISCLAIMER,
            "profile": self.profile,
            "foods": {"source": self.foods_source, "fingerprint": self.foods_fingerprint},
            "targets": [_clean(r) for r in self.targets.to_dict("records")],
            "days": [{"day": d.day, "items": [_clean(asdict(i)) for i in d.items],
                      "totals": _clean(d.totals), "cost": round(d.cost, 2), "unpriced": list(d.unpriced)}
                     for d in self.days],
            "cost": round(self.cost, 2),
            "shortfalls": [{**_clean(asdict(s)), "gap": _num(s.gap)} for s in self.shortfalls],
            "solver": _clean(self.solver),
            "notes": list(self.notes),
        }


def _num(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return round(float(value), 4)
    return value


def _clean(mapping: dict) -> dict:
    return {k: _num(v) for k, v in mapping.items()}


def plan_from_dict(doc: dict, source: str = "<plan>") -> Plan:
    """Read a plan back from its JSON form, checking the shape on the way."""
    try:
        targets = pd.DataFrame(doc["targets"]).astype({"min": float, "max": float})
        days = tuple(
            DayPlan(int(d["day"]), tuple(PlanItem(**i) for i in d["items"]),
                    {k: float(v) for k, v in d["totals"].items() if v is not None},
                    float(d["cost"]), tuple(d.get("unpriced", ())))
            for d in doc["days"]
        )
        shortfalls = tuple(Shortfall(**{k: v for k, v in s.items() if k != "gap"}) for s in doc["shortfalls"])
        return Plan(doc["profile"], targets, days, shortfalls, doc["foods"]["source"],
                    doc["foods"]["fingerprint"], doc.get("solver", {}), tuple(doc.get("notes", ())))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(source, f"not a plan written by planner (missing or malformed {exc})") from None


def read_plan(path: str | Path) -> Plan:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"not readable as a JSON plan ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(doc, dict):
        raise InputError(str(path), "not a plan written by planner (expected a JSON object)")
    return plan_from_dict(doc, str(path))


def day_totals(foods: FoodTable, grams: pd.Series, nutrients: tuple[str, ...] | list[str]) -> dict[str, float]:
    """Totals of `nutrients` for foods eaten in `grams` (a Series indexed by food id). Missing counts as 0."""
    table = foods.data.loc[grams.index, list(nutrients)].fillna(0.0)
    return (table.mul(grams.to_numpy() / 100.0, axis=0)).sum().to_dict()


def missing_values(foods: FoodTable, food_ids: list[str], nutrients: list[str]) -> dict[str, list[str]]:
    """For each targeted nutrient, the planned foods whose value for it is missing in the table."""
    data = foods.data.loc[list(dict.fromkeys(food_ids))]
    out = {}
    for n in nutrients:
        column = share_parts(n)[0] if share_parts(n) else n
        if column in data:
            missing = data.index[data[column].isna()].tolist()
            if missing:
                out[n] = missing
    return out


def target_value(totals: dict[str, float], nutrient: str) -> float:
    """A total for a target row: a plain nutrient, or a macronutrient's share of kcal in %."""
    share = share_parts(nutrient)
    if not share:
        return totals.get(nutrient, 0.0)
    grams, kcal_per_g = share
    energy = totals.get("energy_kcal", 0.0)
    return 100.0 * kcal_per_g * totals.get(grams, 0.0) / energy if energy else 0.0


def needed_nutrients(targets: pd.DataFrame) -> list[str]:
    out = []
    for n in targets["nutrient"]:
        share = share_parts(n)
        out.extend([share[0], "energy_kcal"] if share else [n])
    return list(dict.fromkeys(out))


def require_same_table(plan: Plan, foods: FoodTable) -> None:
    """A plan is only read against the food table it was made from: same fingerprint, every food in it."""
    if plan.foods_fingerprint != foods.fingerprint:
        raise InputError(foods.source, f"this is not the food table the plan was made from "
                                       f"(plan: {plan.foods_source}, fingerprint {plan.foods_fingerprint}; "
                                       f"this table: {foods.fingerprint}); pass it with --foods")
    for day in plan.days:
        unknown = [i.food_id for i in day.items if i.food_id not in foods.data.index]
        if unknown:
            raise InputError(foods.source, f"plan day {day.day} uses food '{unknown[0]}', which is not in this table")


def check_plan(plan: Plan, foods: FoodTable) -> pd.DataFrame:
    """Recompute a plan from the food table and test it against its own targets.

    Returns one row per failing (day, nutrient): empty means every target holds.
    Floors of nutrients the body stores hold on the plan's average; everything
    else, and every ceiling, holds on each day.
    """
    require_same_table(plan, foods)
    needed = needed_nutrients(plan.targets)
    unknown_nutrients = [n for n in needed if n not in foods.nutrients]
    if unknown_nutrients:
        raise InputError(foods.source, f"no column '{unknown_nutrients[0]}' for a target of the plan")
    per_day = []
    for day in plan.days:
        ids = [i.food_id for i in day.items]
        grams = pd.Series([i.grams for i in day.items], index=ids).groupby(level=0).sum()
        per_day.append(day_totals(foods, grams, needed))
    failures = []
    for t in plan.targets.itertuples(index=False):
        values = [target_value(totals, t.nutrient) for totals in per_day]
        weekly = t.nutrient in STORED_NUTRIENTS and len(values) > 1
        if pd.notna(t.min):
            checks = [(None, float(np.mean(values)))] if weekly else list(zip([d.day for d in plan.days], values))
            for day, value in checks:
                if value < t.min * (1 - TOLERANCE) - TOLERANCE:
                    failures.append({"day": day, "nutrient": t.nutrient, "unit": t.unit, "bound": "min",
                                     "target": t.min, "recomputed": value})
        if pd.notna(t.max):
            for day, value in zip([d.day for d in plan.days], values):
                if value > t.max * (1 + TOLERANCE) + TOLERANCE:
                    failures.append({"day": day, "nutrient": t.nutrient, "unit": t.unit, "bound": "max",
                                     "target": t.max, "recomputed": value})
    return pd.DataFrame(failures, columns=["day", "nutrient", "unit", "bound", "target", "recomputed"])


def cost_per_100g(foods: FoodTable) -> tuple[pd.Series, pd.Series]:
    """Price per 100 g for the optimizer, and which foods have no sourced price.

    A food without a sourced price is neither free nor forbidden: the optimizer
    counts it at the median price per 100 g of the priced foods in its aisle
    (or of all priced foods when its aisle has none). Plans report such foods as
    unpriced and never add a stand-in to a cost they print.
    """
    price = foods.data["price_per_100g"]
    unpriced = price.isna()
    if not unpriced.any():
        return price, unpriced
    overall = price.median() if price.notna().any() else 1.0
    by_aisle = price.groupby(foods.data["aisle"]).median()
    stand_in = foods.data["aisle"].map(by_aisle).fillna(overall)
    return price.fillna(stand_in), unpriced
