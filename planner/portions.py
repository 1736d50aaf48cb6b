"""Portions that fit the person: a child eats smaller portions of the same foods.

A food table's servings, usual amounts and caps a day are what people of all ages
report eating (FNDDS household portions), which for a young child are adult-sized
plates. For a child the usual amount and the most a day are scaled by the child's
calorie need over an adult's energy intake: the rule the IOM used to carry adult
sodium figures down to children, in proportion to energy (`portion_scaling.csv`
holds its two numbers, each with its source and quote). From the age the IOM treats
as adult (14) nothing changes.

The smallest portion of a food becomes half a household serving, in quarter-serving
steps, so a child's plan still reads in household units ("0.75 x 1 cup"): that
step is our rule, not a guideline's.
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


@cache
def _rules() -> dict[str, float]:
    table = pd.read_csv(data_path("portion_scaling.csv"), dtype={"source": str, "quote": str})
    return dict(zip(table["rule"], table["value"].astype(float)))


@dataclass(frozen=True)
class PortionScale:
    """How a person's portions compare with the food table's: `factor` 1.0 means as the table states."""

    factor: float = 1.0
    kcal: float | None = None       # the calories a day the factor was worked out from

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
                "kcal the IOM takes as an adult's intake when it scales sodium limits to children), and the "
                f"smallest portion is {CHILD_SMALLEST_SERVING:g} of a household serving")


def portion_scale(profile: Profile, kcal: float) -> PortionScale:
    """The portion factor for a person who needs `kcal` a day: below 1 only for a child under the IOM's adult age."""
    rules = _rules()
    if profile.age >= rules["adult_from_age"] or not math.isfinite(kcal) or kcal <= 0:
        return PortionScale()
    factor = min(1.0, kcal / rules["adult_energy_kcal"])
    return PortionScale(factor, kcal) if factor < 1.0 else PortionScale()


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
    data["serving_g"] = serving * CHILD_SMALLEST_SERVING
    data["max_servings"] = most_g / data["serving_g"]
    data["usual_g"] = data["usual_g"] * scale.factor
    return FoodTable(data, foods.source, foods.nutrients)


def most_grams(foods: FoodTable) -> pd.Series:
    """The most of each food a day, in grams: its cap in servings times its serving."""
    return foods.data["max_servings"] * foods.data["serving_g"]
