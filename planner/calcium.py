"""Calcium counted as absorbed (`--absorbable-calcium`): each food's calcium times the share the body takes up.

Each food gets the fraction of the first row of `planner/data/calcium_absorption.csv`
whose `match` pattern is found in the food's name (case-insensitive; the file puts
specific rows before general ones and ends with `.*`, the stated default: milk's 0.321,
for foods no study covers). The table gains `absorbable_calcium_mg` = `calcium_mg` x
fraction (missing stays missing), and the fraction and its study beside it.

The target: the RDA is an intake, set for a mixed diet, not an amount absorbed. Our
scaling, stated in every plan: the absorbed floor is the calcium floor x the default
fraction (milk's), so a day whose calcium absorbs like milk's meets it exactly when it
meets the RDA; foods that absorb better (kale, broccoli, bok choy) count for more, and
oxalate- or phytate-rich ones (spinach, rhubarb, beans) for less. The UL still caps total
calcium eaten: absorption does not change what the UL is about.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.files import data_path
from planner.foods import FoodTable
from planner.request import PlanRequest

COLUMN = "absorbable_calcium_mg"
TABLE = "calcium_absorption.csv"


@cache
def absorption_rows() -> pd.DataFrame:
    """The cited fractions, in the file's order (first match wins); the last row is the default."""
    rows = pd.read_csv(data_path(TABLE), dtype=str, keep_default_na=False)
    rows["fraction"] = rows["fraction"].astype(float)
    return rows


def default_fraction() -> float:
    """The fraction a food no study covers gets (milk's, the file's `.*` row)."""
    rows = absorption_rows()
    return float(rows.loc[rows["match"] == ".*", "fraction"].iloc[-1])


def cite(study: str) -> str:
    """A study as one short reference: up to its DOI where it has one."""
    found = re.search(r"doi:\s*\S+?(?=[,;)]|\s|$)", study)
    text = study[: found.end()] if found else study
    return text if len(text) <= 160 else text[:157] + "..."


def fractions(foods: FoodTable) -> pd.DataFrame:
    """Per food: the fraction, the row it came from (`absorbed_as`), its study, and whether it is the default."""
    rows = absorption_rows()
    patterns = [(re.compile(r.match, re.IGNORECASE), r) for r in rows.itertuples(index=False)]
    out = []
    for food_id, name in foods.data["name"].items():
        row = next(r for pattern, r in patterns if pattern.search(name))
        out.append({"food_id": food_id, "fraction": row.fraction, "absorbed_as": row.food,
                    "study": row.study, "default": row.match == ".*"})
    return pd.DataFrame(out).set_index("food_id")


def with_absorbable_calcium(foods: FoodTable) -> FoodTable:
    """The table with `absorbable_calcium_mg` (and each food's fraction and study); unchanged if it has it."""
    if COLUMN in foods.nutrients:
        return foods
    if "calcium_mg" not in foods.nutrients:
        raise InputError("counting absorbable calcium needs a calcium_mg column", source=foods.source,
                         field="absorbable_calcium")
    share = fractions(foods)
    data = foods.data.copy()
    data[COLUMN] = data["calcium_mg"] * share["fraction"]
    data["calcium_fraction"] = share["fraction"]
    data["calcium_fraction_source"] = share["absorbed_as"] + ": " + share["study"].map(cite)
    return FoodTable(data, foods.source, (*foods.nutrients, COLUMN))


def absorbable_targets(table: pd.DataFrame) -> pd.DataFrame:
    """Calcium's floor moved to absorbed calcium (x the default fraction); its UL stays on calcium eaten."""
    rows = table.to_dict("records")
    at = next((k for k, r in enumerate(rows) if r["nutrient"] == "calcium_mg"), None)
    if at is None or pd.isna(rows[at]["min"]) or any(r["nutrient"] == COLUMN for r in rows):
        return table
    calcium, fraction = rows[at], default_fraction()
    absorbed = {**calcium, "nutrient": COLUMN, "min": float(calcium["min"]) * fraction, "max": np.nan,
                "source": f"absorbed calcium: the calcium floor {calcium['min']:g} mg x {fraction:g} (milk's "
                          f"absorption, the stated default of {TABLE}; our scaling, not a DRI) from {calcium['source']}"}
    if pd.isna(calcium["max"]):
        rows[at] = absorbed
    else:
        rows[at] = {**calcium, "min": np.nan, "raised": "",
                    "source": f"UL on calcium eaten (the floor is on absorbed calcium): {calcium['source']}"}
        rows.insert(at + 1, absorbed)
    return pd.DataFrame(rows, columns=table.columns).astype({"min": float, "max": float})


def calcium_notes(items: pd.DataFrame, foods: FoodTable) -> list[str]:
    """What a plan counting absorbed calcium says: the rule, then each planned food's fraction and its source."""
    fraction = default_fraction()
    notes = [f"calcium counted as absorbed: each food's calcium x its fraction ({TABLE}, the first row whose "
             f"pattern is in the food's name); foods no study covers take {fraction:g}, milk's, named as the default; "
             f"the floor is the calcium floor x {fraction:g} and the UL still caps calcium eaten"]
    share = fractions(foods.subset(list(dict.fromkeys(items["food_id"]))))
    with_calcium = foods.data.loc[share.index, "calcium_mg"].fillna(0.0) > 0
    parts = [f"{foods.data.loc[i, 'name']} {r.fraction:.1%} "
             + ("(default: no study for this food)" if r.default else f"({r.absorbed_as}: {cite(r.study)})")
             for i, r in share[with_calcium].iterrows()]
    if parts:
        notes.append("absorption fractions: " + "; ".join(parts))
    return notes


def table_for(request: PlanRequest, foods: FoodTable) -> FoodTable:
    """The food table a request plans over: with absorbable calcium when the request counts it."""
    return with_absorbable_calcium(foods) if request.absorbable_calcium else foods
