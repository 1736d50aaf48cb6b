"""What a day's models are built from: the allowed foods as arrays, and what earlier days decided."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.foods import SLOTS, FoodTable
from planner.portions import portion_units

# A dish whose serving holds at least this many ounce-equivalents of grains (FPED) has its own starch: a
# sandwich, pasta, a burrito, beans and rice. Its food gets the tag below, which the meal pairings read; a
# soup with a few noodles (0.4 oz-eq) still goes with bread.
OWN_GRAINS = "own_grains"
OWN_GRAINS_OZ_EQ = 0.5


@dataclass(frozen=True)
class ModelData:
    """The arrays a model is built from (one entry per allowed food)."""

    food_ids: tuple[str, ...]
    nutrients: tuple[str, ...]
    per_unit: np.ndarray          # nutrients x foods: amount in one unit (NaN -> 0)
    kcal_per_unit: np.ndarray     # NaN -> 0; zeros when the table has no energy column
    unit_g: np.ndarray            # grams in one unit (half a serving, a serving, or 1 g)
    cost_per_unit: np.ndarray     # objective cost of one unit (stand-in price where unpriced)
    max_units: np.ndarray         # per food and day
    min_units: np.ndarray         # the smallest portion when a food is used
    slot_ok: np.ndarray           # foods x slots, bool
    role: np.ndarray              # the part of a meal each food plays
    tags: np.ndarray              # each food's tags (tuples): what a pairing looks for
    category: np.ndarray          # each food's WWEIA category ("" where the table has none): dishes alike
    liked: np.ndarray             # bool
    integer: bool                 # units are whole (half or whole servings), not grams
    usual_units: np.ndarray       # the amount people usually eat, in units (NaN where the table has none)
    portion_weight: float = 0.0   # dollars for serving twice (or none of) the usual amount of a food
    goal_weight: float = 0.0      # dollars for a day twice (or none of) a food group's pattern amount
    skipped_slots: tuple[str, ...] = ()   # meals the person does not eat: no food goes there

    @classmethod
    def from_foods(cls, foods: FoodTable, nutrients: tuple[str, ...], cost_per_100g: pd.Series,
                   portions: str = "half", like: tuple[str, ...] = (), portion_weight: float = 0.0,
                   goal_weight: float = 0.0, skipped_slots: tuple[str, ...] = ()) -> ModelData:
        data = foods.data
        unit_g, min_units, max_units = portion_units(data, portions)
        per_100g = data[list(nutrients)].to_numpy(float).T
        kcal = data["energy_kcal"].to_numpy(float) if "energy_kcal" in data else np.zeros(len(data))
        return cls(
            food_ids=tuple(data.index),
            nutrients=nutrients,
            per_unit=np.nan_to_num(per_100g) * unit_g / 100.0,
            kcal_per_unit=np.nan_to_num(kcal) * unit_g / 100.0,
            unit_g=unit_g,
            cost_per_unit=cost_per_100g.loc[data.index].to_numpy(float) * unit_g / 100.0,
            max_units=max_units,
            min_units=min_units,
            slot_ok=np.array([[s in slots and s not in skipped_slots for s in SLOTS] for slots in data["slots"]],
                             dtype=bool),
            role=data["role"].to_numpy(object),
            tags=_with_own_grains(data),
            category=(data["wweia_category"].fillna("").astype(str) if "wweia_category" in data
                      else pd.Series("", index=data.index)).to_numpy(object),
            # A liked tag ("fish") favours every food that carries it.
            liked=data.index.isin(like) | data["tags"].map(lambda tags: any(t in tags for t in like)).to_numpy(bool),
            integer=portions != "exact",
            usual_units=data["usual_g"].to_numpy(float) / unit_g,
            portion_weight=portion_weight,
            goal_weight=goal_weight,
            skipped_slots=tuple(skipped_slots),
        )

    def rows_of(self, food_ids) -> np.ndarray:
        """The index of each of these food ids in the arrays."""
        at = {food_id: f for f, food_id in enumerate(self.food_ids)}
        return np.array([at[food_id] for food_id in food_ids], dtype=int)

    def cost_of(self, amounts: pd.DataFrame) -> float:
        """What a day's amounts (`food_id`, `units`) cost the optimizer, stand-in prices included: what a budget
        holds."""
        return float((self.cost_per_unit[self.rows_of(amounts["food_id"])] * amounts["units"].to_numpy(float)).sum())


def _with_own_grains(data: pd.DataFrame) -> np.ndarray:
    """Each food's tags, with OWN_GRAINS where its serving holds enough grains to be its meal's starch."""
    tags = data["tags"].to_numpy(object)
    if "grains_oz_eq" not in data:
        return tags
    serving = data["household_serving_g"] if "household_serving_g" in data else data["serving_g"]
    grains = (data["grains_oz_eq"] * serving / 100.0).fillna(0.0).to_numpy(float)
    out = np.empty(len(tags), dtype=object)
    out[:] = [(*t, OWN_GRAINS) if g >= OWN_GRAINS_OZ_EQ else t for t, g in zip(tags, grains)]
    return out


@dataclass(frozen=True)
class DayState:
    """What earlier days of a week decide for this one."""

    floors: dict[str, float] = field(default_factory=dict)   # overrides of target floors
    bank: dict[str, tuple[float, float]] = field(default_factory=dict)  # nutrient -> (reward per unit above
    #                                                                     its floor, most units rewarded)
    blocked: frozenset[str] = frozenset()                   # used on as many days as allowed
    blocked_dinner: frozenset[str] = frozenset()            # yesterday's dinner protein
    earlier_menus: tuple[frozenset[str], ...] = ()          # no day may repeat one of these
    yesterday: frozenset[str] = frozenset()                 # foods served the day before (not the daily ones)
    bought: frozenset[str] = frozenset()                    # foods served on an earlier day of the week
    one_of: tuple[frozenset[str], ...] = ()                 # a day serves at most one food of each (one milk)
    required: frozenset[str] = frozenset()                  # --include: must appear
    budget: float | None = None                             # most to spend today
