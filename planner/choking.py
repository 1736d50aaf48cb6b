"""A child under 4 is not served the foods that most often choke young children.

Caring for Our Children (standard 4.5.0.10) asks that children under four not be offered
foods associated with choking: nuts, seeds, peanuts, spoonfuls of peanut butter, popcorn,
chips, hard pretzels, hard candy, marshmallows, hot dogs. Which foods those are is read
from each food's WWEIA category (`planner/data/choking_categories.csv`), so it works on the
embedded table and on all of FNDDS; a peanut butter sandwich (its own category) stays, and so
does a nut butter, which a meal serves on bread or with fruit, not by the spoon.
What the same standard says of the other foods, cut small, goes in the plan's note; a table
without WWEIA categories keeps its foods, and the note says which to leave out.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from planner.files import data_path
from planner.foods import FoodTable
from planner.request import Profile
from planner.under_two import without_sweet_foods

# The standard's age: "children under four years of age".
FROM_AGE = 4
PREPARE = ("spread nut butters thinly, never by the spoonful; cut what is served into pieces of half an inch or less "
           "(grapes cut up, raw carrots in thin strips rather than rounds, meat in small bits); and have the child "
           "sit, and be watched, while eating")


@cache
def choking_categories() -> frozenset[str]:
    """The WWEIA categories (by name) of foods not offered to a child under 4."""
    table = pd.read_csv(data_path("choking_categories.csv"), dtype=str)
    return frozenset(table["wweia_category"])


def without_choking_hazards(allowed: FoodTable, profile: Profile,
                            include: tuple[str, ...] = ()) -> tuple[FoodTable, str]:
    """The foods a child under 4 may be served, and a note on what stayed out and how to serve the rest
    (empty from age 4). Foods the person asked for by name (`include`) stay."""
    if profile.age >= FROM_AGE:
        return allowed, ""
    categories = allowed.wweia_categories()
    if categories is None:
        return allowed, (f"Under {FROM_AGE}, foods that often choke young children are not offered (Caring for Our "
                         f"Children 4.5.0.10); {allowed.name} has no WWEIA categories, so they could not be told "
                         f"apart and kept out: leave out nuts, seeds, popcorn, chips, hard pretzels, hard candy and "
                         f"hot dogs; {PREPARE}.")
    # A nut butter (tagged `spread`) is served with bread, fruit or a vegetable (meal_pairings.csv): spread
    # thinly, not by the spoonful the standard names.
    spread = allowed.data["tags"].map(lambda tags: "spread" in tags)
    hazard = categories.isin(choking_categories()) & ~spread & ~allowed.data.index.isin(include)
    kept_out = (f"{int(hazard.sum())} food(s) stay out (nuts, seeds, popcorn, chips, pretzels, hard candy, hot dogs, "
                "by their WWEIA category); " if hazard.any() else "")
    return allowed.subset(allowed.data.index[~hazard]) if hazard.any() else allowed, (
        f"Under {FROM_AGE}, foods that often choke young children are not offered (Caring for Our Children "
        f"4.5.0.10): {kept_out}{PREPARE}.")


def for_young_children(allowed: FoodTable, profile: Profile,
                       include: tuple[str, ...] = ()) -> tuple[FoodTable, tuple[str, ...]]:
    """The foods a young child may be served: no sweet foods under 2 (`under_two`), no choking hazards under 4;
    and the notes on what stayed out. The planner and `check` both ask it."""
    allowed, sweets_note = without_sweet_foods(allowed, profile, include)
    allowed, choking_note = without_choking_hazards(allowed, profile, include)
    return allowed, tuple(note for note in (sweets_note, choking_note) if note)
