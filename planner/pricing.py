"""What the optimizer pays for a food: its sourced price, or a stated stand-in where none exists."""

from __future__ import annotations

import pandas as pd

from planner.foods import FoodTable

# What every food costs the optimizer when no food in the table has a price (SR Legacy): ours, not a price.
NO_PRICES_PER_100G = 1.0


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
    overall = price.median() if price.notna().any() else NO_PRICES_PER_100G
    by_aisle = price.groupby(foods.data["aisle"]).median()
    stand_in = foods.data["aisle"].map(by_aisle).fillna(overall)
    return price.fillna(stand_in), unpriced
