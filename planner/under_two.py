"""A child under 2 is not served foods eaten for their added sugars.

The Dietary Guidelines advise avoiding foods and drinks with added sugars from birth
through 23 months. Which foods those are is read from each food's WWEIA category
(`planner/data/sweet_categories.csv`: flavored milks, sweetened drinks, sweets, desserts,
higher-sugar cereals), so it works on the embedded table and on all of FNDDS. The added
sugars other foods hold (bread, a plain cereal) still count; a table without WWEIA
categories keeps its sweet foods, and the plan says so.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from planner.files import data_path
from planner.foods import FoodTable
from planner.request import Profile

# From this age the Guidelines' added-sugars limit (under 10 % of calories, `diet_limits.csv`) applies instead.
FROM_AGE = 2


@cache
def sweet_categories() -> frozenset[str]:
    """The WWEIA categories (by name) of foods eaten for their added sugars."""
    table = pd.read_csv(data_path("sweet_categories.csv"), dtype=str)
    return frozenset(table["wweia_category"])


def without_sweet_foods(allowed: FoodTable, profile: Profile, include: tuple[str, ...] = ()) -> tuple[FoodTable, str]:
    """The foods a child under 2 may be served, and a note on what stayed out (empty when nothing changed).

    Foods the person asked for by name (`include`) stay."""
    if profile.age >= FROM_AGE:
        return allowed, ""
    categories = allowed.wweia_categories()
    if categories is None:
        return allowed, (f"Under {FROM_AGE}, the Dietary Guidelines advise avoiding foods and drinks with added "
                         f"sugars; {allowed.name} has no WWEIA categories, so its sweet foods could not be told "
                         "apart and kept out: leave out flavored milks, sweets and sweetened drinks")
    sweet = categories.isin(sweet_categories()) & ~allowed.data.index.isin(include)
    if not sweet.any():
        return allowed, ""
    return allowed.subset(allowed.data.index[~sweet]), (
        f"Under {FROM_AGE}, the Dietary Guidelines advise avoiding foods and drinks with added sugars: "
        f"{int(sweet.sum())} sweet food(s) stay out (flavored milks, sweets, desserts, sweetened drinks and "
        "higher-sugar cereals, by their WWEIA category); the little added sugar in other foods (bread, plain cereal) is still counted")
