"""Small builders for tests and docs: tiny food tables from real SR Legacy rows, tiny models, tiny requests.

Every nutrient value is copied from the shipped SR Legacy extract by fdc_id (see
`conftest.extract_row`); only the planning columns (slots, role, tags, price,
serving) are chosen here.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from conftest import EXTRACT_NUTRIENTS, extract_row
from planner.day_data import ModelData
from planner.foods import FoodTable, parse_foods
from planner.milp import Milp
from planner.pricing import cost_per_100g
from planner.targets import needed_columns

# A small day's worth of foods: (food_id, fdc_id, slots, role, tags, serving_g, price per 100 g).
# Prices are made up for the model's sake (tests of the optimizer, not of costs people see).
TINY_FOODS = (
    ("spinach", 168463, "lunch|dinner", "vegetable", "vegan|vegetarian", 90, 0.9),
    ("broccoli", 169967, "lunch|dinner", "vegetable", "vegan|vegetarian", 78, 0.8),
    ("lentils", 172421, "lunch|dinner", "protein", "vegan|vegetarian", 198, 0.3),
    ("salmon", 175168, "lunch|dinner", "protein", "fish", 85, 2.0),
    ("rice", 169704, "lunch|dinner", "starch", "vegan|vegetarian", 158, 0.2),
    ("oats", 173905, "breakfast", "starch", "vegan|vegetarian", 234, 0.25),
    ("milk", 171265, "breakfast|snack", "dairy", "vegetarian|dairy|milk", 244, 0.35),
    ("cheerios", 173884, "breakfast|snack", "cereal", "vegan|vegetarian|fortified", 28, 1.2),
    ("yogurt", 170894, "breakfast|snack", "dairy", "vegetarian|dairy", 245, 0.6),
    ("banana", 173944, "breakfast|snack", "fruit", "vegan|vegetarian", 118, 0.5),
    ("almonds", 170567, "snack", "snack", "vegan|vegetarian|nuts", 28, 2.5),
)


def tiny_table_text(foods=TINY_FOODS, nutrients=EXTRACT_NUTRIENTS, max_servings: float = 2.0) -> str:
    out = io.StringIO()
    columns = ["food_id", "name", "fdc_id", *nutrients, "slots", "role", "tags", "serving_g", "max_servings",
               "price_per_100g"]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for food_id, fdc_id, slots, role, tags, serving_g, price in foods:
        row = extract_row(fdc_id)
        writer.writerow({"food_id": food_id, "name": row["description"], "fdc_id": fdc_id,
                         **{n: row[n] for n in nutrients}, "slots": slots, "role": role, "tags": tags,
                         "serving_g": serving_g, "max_servings": max_servings, "price_per_100g": price})
    return out.getvalue()


def csv_rows(path) -> list[dict[str, str]]:
    """A CSV file's rows as text, read with csv (not with the planner)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def tiny_table(**kwargs) -> FoodTable:
    """A validated food table of ten everyday foods."""
    return parse_foods(tiny_table_text(**kwargs), source="tiny")


def tiny_targets(**bounds: tuple[float | None, float | None]) -> pd.DataFrame:
    """A targets table: `tiny_targets(magnesium_mg=(300, None), energy_kcal=(1600, 2400))`."""
    rows = [{"nutrient": n, "unit": n.rsplit("_", 1)[1], "min": np.nan if lo is None else lo,
             "max": np.nan if hi is None else hi, "source": "test", "raised": ""} for n, (lo, hi) in bounds.items()]
    return pd.DataFrame(rows)


def tiny_model_data(table: FoodTable | None = None, targets: pd.DataFrame | None = None,
                    portions: str = "half") -> tuple[ModelData, pd.DataFrame]:
    table = table or tiny_table()
    targets = targets if targets is not None else tiny_targets(magnesium_mg=(300, None), calcium_mg=(800, 2500),
                                                              energy_kcal=(1600, 2400))
    cost, _ = cost_per_100g(table)
    return ModelData.from_foods(table, tuple(needed_columns(targets)), cost, portions), targets


def textbook_lp() -> Milp:
    """min x + y  s.t.  x + 2y >= 4,  3x + y >= 6,  x, y >= 0: optimum x = 1.6, y = 1.2, cost 2.8.

    The duals of the two rows are 0.4 and 0.2 (solve the 2x2 system y1 + 3 y2 = 1, 2 y1 + y2 = 1).
    """
    m = Milp()
    x = m.add_column("x", 1.0)
    y = m.add_column("y", 1.0)
    m.add_row("first", [x, y], [1.0, 2.0], lower=4.0)
    m.add_row("second", [x, y], [3.0, 1.0], lower=6.0)
    return m


def small_knapsack() -> Milp:
    """max 5a + 4b + 3c with 2a + 3b + c <= 5, a, b, c binary, written as a minimum of the negative.

    a + b weighs 5 and is worth 9; a + c is worth 8, b + c 7: the optimum is -9 at a = b = 1, c = 0,
    while the LP relaxation reaches -32/3 (a = c = 1, b = 2/3).
    """
    m = Milp()
    cols = [m.add_column(name, -value, 0.0, 1.0, True) for name, value in (("a", 5.0), ("b", 4.0), ("c", 3.0))]
    m.add_row("weight", cols, [2.0, 3.0, 1.0], upper=5.0)
    return m
