"""Portions that fit the person: a child eats smaller portions of the same foods.

A food table's servings, usual amounts and caps a day are what people of all ages
report eating (FNDDS household portions), which for a young child are adult-sized
plates. For a child the usual amount and the most a day are scaled by the child's
calorie need over an adult's energy intake: the rule the IOM used to carry adult
sodium figures down to children, in proportion to energy (`portion_scaling.csv`
holds its two numbers, each with its source and quote). From the age the IOM treats
as adult (14) nothing changes.

The smallest portion of a food becomes half a household serving, in quarter-serving
steps, so a child's plan still reads in household units ("3/4 cup"): that
step is our rule, not a guideline's.

Milk is the exception. The Dietary Guidelines set a child's dairy by age, not by calories
(`child_dairy.csv`: 1.5 to 3 cup-eq a day from age 1), and young children get it mostly
by drinking milk, so a milk that counts as dairy may be drunk up to that amount, never
beyond the adult's most a day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from planner.files import data_path
from planner.foods import FoodTable
from planner.request import Profile

# A child's smallest portion is this share of a household serving, and portions move in half of it.
CHILD_SMALLEST_SERVING = 0.5
# FPED gives cup-eq to two decimals (a cup of whole milk, 244 g, is 0.41 per 100 g: 1.0004 cup-eq), so an amount
# of dairy allows this share over, as the FNDDS serving caps do.
FPED_ROUNDING = 0.01


@cache
def _rules() -> dict[str, float]:
    table = pd.read_csv(data_path("portion_scaling.csv"), dtype={"source": str, "quote": str})
    return dict(zip(table["rule"], table["value"].astype(float)))


@cache
def _child_dairy() -> pd.DataFrame:
    return pd.read_csv(data_path("child_dairy.csv"), dtype={"source": str, "quote": str})


def child_dairy_cup_eq(age: float) -> float | None:
    """The Guidelines' dairy a day for a child of this age, in cup-eq (the least of a range); None outside the file."""
    rows = _child_dairy()
    row = rows[(rows["age_min"] <= age) & (age < rows["age_max"] + 1)]
    return float(row["dairy_cup_eq"].iloc[0]) if len(row) else None


@dataclass(frozen=True)
class PortionScale:
    """How a person's portions compare with the food table's: `factor` 1.0 means as the table states."""

    factor: float = 1.0
    kcal: float | None = None       # the calories a day the factor was worked out from
    dairy_cup_eq: float | None = None   # a child's dairy a day by age (`child_dairy.csv`): the most of a milk

    @property
    def is_child(self) -> bool:
        return self.factor < 1.0

    def note(self) -> str:
        """What the scaling means for the person, in words; empty for table portions."""
        if not self.is_child:
            return ""
        adult = _rules()["adult_energy_kcal"]
        return (f"Portions are a child's: the usual amount of each food and the most of it a day are "
                f"{self.factor:.2f} x what the food table gives ({self.kcal:,.0f} kcal a day over the {adult:,.0f} "
                "kcal the IOM takes as an adult's intake when it scales sodium limits to children), but never less "
                "than one household serving a day (a cup of pumpkin, an egg: our rule), and the "
                f"smallest portion is {CHILD_SMALLEST_SERVING:g} of a household serving" + (
                    f"; a milk that counts as dairy may be drunk up to the {self.dairy_cup_eq:g} cups of dairy a "
                    "day the Dietary Guidelines give a child this age (as a secondary page restates them), or the "
                    "table's most a day if less" if self.dairy_cup_eq else ""))


def portion_scale(profile: Profile, kcal: float) -> PortionScale:
    """The portion factor for a person who needs `kcal` a day: below 1 only for a child under the IOM's adult age."""
    rules = _rules()
    if profile.age >= rules["adult_from_age"] or not math.isfinite(kcal) or kcal <= 0:
        return PortionScale()
    factor = min(1.0, kcal / rules["adult_energy_kcal"])
    return PortionScale(factor, kcal, child_dairy_cup_eq(profile.age)) if factor < 1.0 else PortionScale()


def sized_for(foods: FoodTable, scale: PortionScale) -> FoodTable:
    """The table as the planner should portion it for this person: the same foods and values per 100 g, with a
    child's usual amounts and caps, and a smaller serving as the step (see the module's docstring).

    Only the portion columns change, so totals and checks, which read grams, are unaffected; a plan still states
    its servings against the original table's household serving.
    """
    if not scale.is_child:
        return foods
    data = foods.data.copy()
    serving = data["serving_g"]
    # A whole household serving a day stays allowed (a cup of milk, an egg): caps scaled below it are our rule's floor.
    most_g = np.minimum(data["max_servings"] * serving, np.maximum(data["max_servings"] * serving * scale.factor,
                                                                   serving))
    if scale.dairy_cup_eq and "dairy_cup_eq" in data:
        per_g = data["dairy_cup_eq"].fillna(0.0) / 100.0
        milk = data["tags"].map(lambda t: "milk" in t) & (per_g > 0)
        dairy_g = scale.dairy_cup_eq * (1 + FPED_ROUNDING) / per_g.where(milk, 1.0)
        most_g = most_g.where(~milk, np.minimum(data["max_servings"] * serving, np.maximum(most_g, dairy_g)))
    # What a dish is (one with grains of its own: `day_data.OWN_GRAINS`) is read from its household serving.
    data["household_serving_g"] = serving
    data["serving_g"] = serving * CHILD_SMALLEST_SERVING
    data["max_servings"] = most_g / data["serving_g"]
    data["usual_g"] = data["usual_g"] * scale.factor
    return FoodTable(data, foods.source, foods.nutrients)


def portion_units(data: pd.DataFrame, portions: str = "half") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grams in one unit a plan counts each food in (half a serving, a serving, or a gram: `MealRules.portions`),
    and the fewest and the most units of it a day serves when it serves it at all."""
    serving = data["serving_g"].to_numpy(float)
    unit_g = {"half": serving / 2, "whole": serving, "exact": np.ones(len(data))}[portions]
    # Exact grams still have a smallest portion: half a serving. And a portion is at least half what people
    # usually eat of the food (FNDDS's "quantity not specified"), so one saltine is not lunch's side.
    min_g = serving / 2 if portions == "exact" else serving
    if "usual_g" in data:
        min_g = np.fmax(min_g, data["usual_g"].to_numpy(float) / 2)
    max_units = np.floor(data["max_servings"].to_numpy(float) * serving / unit_g + 1e-9)
    return unit_g, np.minimum(np.ceil(min_g / unit_g - 1e-9), max_units), max_units


def least_added_g(data: pd.DataFrame, portions: str = "half", served: pd.Series | None = None) -> pd.Series:
    """The least of each food a day can gain, in grams, as a plan would serve it: what brings it to its smallest
    portion (`portion_units`), and at least one unit (half a serving) more of a food the day serves (`served`)."""
    unit_g, least, _ = portion_units(data, portions)
    already = (served if served is not None else pd.Series(dtype=float)).reindex(data.index).fillna(0.0)
    return (pd.Series(least * unit_g, index=data.index) - already).clip(lower=pd.Series(unit_g, index=data.index))


def most_grams(foods: FoodTable) -> pd.Series:
    """The most of each food a day, in grams: its cap in servings times its serving."""
    return foods.data["max_servings"] * foods.data["serving_g"]
