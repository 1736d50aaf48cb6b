"""The shopping list of a plan: the foods summed, in the packages a shop sells, grouped by aisle, with the cost.

Every amount is in grams of the food as eaten (cooked beans, boiled spinach), as the plan
and the food table give them: a table's `package_g` is how much food one purchase unit
makes (a pound of dry beans makes 1,120 g cooked, by USDA ERS's yield; the embedded table
states where each came from in `package_source`). So a package holds what it is bought for,
no more than one package is left over, and the cost is the plan's own price per 100 g as
eaten times what the packages make. A dish (a burrito, a soup, oatmeal made with milk) is
named as one: buy it ready-made or make it; its ingredients are not itemised, because the
FNDDS recipes are not in the table.

Foods the table gives one `purchase` (raw and cooked carrots: "Carrots, fresh") are one item:
each food uses `buy_g / package_g` of a package, their sum is rounded up once, and what the
packages make is shared between the foods in proportion (so are leftovers and cost). The
purchase's count of packages is on its first row; its other rows have none of their own.

`eaten_g` is the plan's grams (times `people`); `pantry_g` what you already have, `buy_g`
what is left to buy, `leftover_g` what the packages leave.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.check import plan_table
from planner.errors import InputError
from planner.files import read_csv_text, read_user_text
from planner.foods import FoodTable
from planner.household import portion_words
from planner.plan import Plan

COLUMNS = ["aisle", "food_id", "name", "dish", "eaten_g", "pantry_g", "buy_g", "packages", "package_label",
           "package_g", "purchase", "leftover_g", "servings", "serving_label", "cost", "price_source"]
# A food that is a dish people cook or buy ready-made, rather than an ingredient a shop sells as is:
# by its name, or by its WWEIA category ("Meat mixed dishes", "Bean, pea, legume dishes").
DISH_WORDS = re.compile(r"\b(?:made with|soup|stew|salad|sandwich|burrito|taco|quesadilla|pizza|casserole|curry|"
                        r"stir-fry|lasagna|chili|omelet|smoothie)\b", re.IGNORECASE)
DISH_CATEGORIES = re.compile(r"\b(?:dishes|mixtures)\b", re.IGNORECASE)
DISH_NOTE = " (a dish: buy it ready-made, or make it)"
PANTRY_AMOUNTS = ("grams", "servings", "packages")
# A pantry holding more than a tonne of one food is a typing slip (1e308 g reads as "nothing to buy"): our bound.
MAX_PANTRY_G = 1_000_000.0


def is_dish(foods: FoodTable) -> pd.Series:
    """Whether each food is a dish: a main dish by role, a mixed dish by WWEIA category, or named as one."""
    data = foods.data
    category = data["wweia_category"] if "wweia_category" in data.columns else pd.Series("", index=data.index)
    return ((data["role"] == "main") | data["name"].str.contains(DISH_WORDS)
            | category.fillna("").str.contains(DISH_CATEGORIES))


def load_pantry(path: str, foods: FoodTable) -> pd.DataFrame:
    """What the user already has: a CSV with `food_id` and `grams` (of the food as eaten, as the plan and the
    table count it: a cooked food's cooked weight), `servings` (household servings) or `packages` (as a shopping
    list buys them: a 1-lb bag of dry lentils is the 1,120 g cooked it makes).

    A file may have several of these columns, with one of them filled on each row. Rows of the
    same food add up. Returns columns `food_id, grams` (as eaten), one row per food.
    """
    expected = "columns food_id and one of grams, servings, packages"
    header, records = read_csv_text(read_user_text(path, "pantry"), path, expected)
    raw = pd.DataFrame(records, columns=header, dtype=object)
    if "food_id" not in raw.columns:
        raise InputError(f"missing column 'food_id' (expected {expected})", source=path)
    amounts = [c for c in PANTRY_AMOUNTS if c in raw.columns]
    if not amounts:
        raise InputError(f"missing column 'grams', 'servings' or 'packages' (expected {expected})", source=path)
    rows: dict[str, float] = {}
    for position, r in enumerate(raw.to_dict("records")):
        row = position + 2  # the header is row 1
        food_id = r["food_id"].strip()
        if food_id not in foods.data.index:
            raise InputError(f"unknown food '{food_id}' (not in {foods.name}; use its food_id "
                             "column)", source=path, row=row, field="food_id")
        filled = [c for c in amounts if r[c].strip()]
        if not filled:
            raise InputError(f"expected an amount in {' or '.join(amounts)}, got an empty cell", source=path,
                             row=row, field=amounts[0])
        if len(filled) > 1:
            raise InputError(f"give one of {', '.join(filled)}, not {len(filled)}", source=path, row=row,
                             field=filled[-1])
        field = filled[0]
        cell = r[field].strip()
        try:
            value = float(cell)
        except ValueError:
            raise InputError(f"expected a number >= 0, got '{cell}'", source=path, row=row, field=field) from None
        if not math.isfinite(value) or value < 0:
            raise InputError(f"expected a number >= 0, got {cell}", source=path, row=row, field=field)
        if field == "servings":
            value = value * foods.data.at[food_id, "serving_g"]
        if field == "packages":
            package = foods.data.at[food_id, "package_g"]
            if pd.isna(package):
                raise InputError(f"{food_id} has no package size in the food table; give grams or servings",
                                 source=path, row=row, field=field)
            value = value * package
        if value > MAX_PANTRY_G:
            raise InputError(f"{cell} {field} is {value / 1000:g} kg, more than a home keeps (expected at most "
                             f"{MAX_PANTRY_G / 1000:g} kg)", source=path, row=row, field=field)
        rows[food_id] = rows.get(food_id, 0.0) + value
    return pd.DataFrame({"food_id": list(rows), "grams": list(rows.values())}, columns=["food_id", "grams"])


@dataclass(frozen=True)
class ShoppingLine:
    """One item as words: what to buy, the food, notes (pantry, leftovers), the price."""

    to_buy: bool
    what: str
    name: str
    notes: str
    price: str


@dataclass(frozen=True)
class ShoppingList:
    """What to buy for a plan (`frame`: one row per food, `COLUMNS`), for `people` over `days` (many people's
    plans of different lengths: `fewest_days` to `days`)."""

    frame: pd.DataFrame
    days: int
    people: int
    fewest_days: int | None = None

    @property
    def title(self) -> str:
        days = (f"{self.days} day(s)" if self.fewest_days in (None, self.days)
                else f"plans of {self.fewest_days} to {self.days} days")
        return f"Shopping list: {days}, {self.people} {'person' if self.people == 1 else 'people'}"

    def total(self) -> tuple[float, list[str]]:
        """Cost of what is bought (priced foods only), and the names of the foods to buy that have no price."""
        to_buy = self.frame["buy_g"] > 0
        unpriced = self.frame.loc[to_buy & self.frame["cost"].isna(), "name"].tolist()
        return float(self.frame.loc[to_buy, "cost"].sum()), unpriced

    def total_line(self) -> str:
        cost, unpriced = self.total()
        bought = self.frame["buy_g"] > 0
        priced = _items(self.frame)[bought & self.frame["cost"].notna()].nunique()
        if unpriced and not priced:
            return f"Total: unknown: none of the {len(unpriced)} item(s) to buy has a sourced price."
        line = f"Total: ${cost:,.2f} for {priced} priced item(s)"
        if unpriced:
            line += (f"; {len(unpriced)} item(s) have no sourced price and are not in the total: "
                     f"{', '.join(unpriced)}")
        return line + "."

    def by_aisle(self) -> list[tuple[str, list[ShoppingLine]]]:
        """The items as words, grouped by aisle in the frame's order; foods of one purchase make one line."""
        out = []
        for aisle, group in self.frame.groupby("aisle", sort=False):
            lines = []
            for _, rows in group.groupby(_items(group), sort=False):
                if len(rows) > 1 and (rows["buy_g"] > 0).any():
                    lines.append(_shared_line(rows))
                    continue
                for r in rows.itertuples(index=False):
                    lines.append(ShoppingLine(r.buy_g > 0, _what(r) if r.buy_g > 0 else "covered by your pantry",
                                              r.name + (DISH_NOTE if r.dish else ""), _notes(r),
                                              _price(r) if r.buy_g > 0 else ""))
            out.append((str(aisle), lines))
        return out


def shopping_list(plan: Plan, foods: FoodTable | str | None = None, people: int = 1,
                  pantry: pd.DataFrame | str | None = None) -> ShoppingList:
    """Every food of the plan, summed over its days and scaled by `people`, less the pantry, in packages.

    `packages` is ceil(buy_g / package_g) where the table has a package size;
    otherwise it is NaN and `buy_g` (with `servings` as a hint) is what to buy.
    `cost` is NaN for foods with no sourced price. Sorted by aisle, then name.
    """
    if isinstance(people, bool) or not isinstance(people, (int, np.integer)) or people < 1:
        raise InputError(f"expected a whole number of people >= 1, got {people!r}", field="people")
    foods = plan_table(plan, foods)
    if isinstance(pantry, str):
        pantry = load_pantry(pantry, foods)
    items = [(i.food_id, i.grams) for d in plan.days for i in d.items]
    eaten = (pd.Series([g for _, g in items], index=[f for f, _ in items], dtype=float)
             .groupby(level=0).sum() * people)
    return list_for_grams(eaten, foods, len(plan.days), people, pantry)


def list_for_grams(eaten: pd.Series, foods: FoodTable, days: int, people: int,
                   pantry: pd.DataFrame | None = None, fewest_days: int | None = None) -> ShoppingList:
    """What to buy for `eaten` grams of each food (a Series by food id) over `days` (`fewest_days` to `days`
    for plans of different lengths) for `people`.

    One plan's list goes through here, and so does one list for many people's plans at once
    (the sum of their grams): packages are then rounded up once, for everybody.
    """
    data = foods.data.loc[eaten.index]
    have = pd.Series(0.0, index=eaten.index)
    if pantry is not None and not pantry.empty:
        given = pantry.groupby("food_id")["grams"].sum()
        have = given.reindex(eaten.index).fillna(0.0)

    size = data["package_g"]
    packaged = size.notna()
    purchase = data["purchase"].where(packaged, "")
    item = _item_keys(purchase, data["package_label"], eaten.index.to_series())
    # What the pantry has spare of one form of a purchase (raw carrots) covers another (cooked), in packages' worth.
    short, spare = (eaten - have).clip(lower=0.0), (have - eaten).clip(lower=0.0)
    need_worth = (short / size).where(packaged, 0.0).groupby(item).transform("sum")
    spare_worth = (spare / size).where(packaged, 0.0).groupby(item).transform("sum")
    covered = (spare_worth / need_worth.where(need_worth > 0)).clip(upper=1.0).fillna(0.0)
    given = spare * (need_worth / spare_worth.where(spare_worth > 0)).clip(upper=1.0).fillna(0.0)
    buy = (short * (1.0 - covered)).round(1)
    received = short - buy
    used = (buy / size).where(packaged)                 # packages' worth each food takes
    together = used.groupby(item).transform("sum")
    packages = pd.Series(np.nan, index=eaten.index)
    packages[packaged] = np.ceil(together[packaged].round(6))
    alone = item.groupby(item).transform("size") == 1
    # A food bought alone gets whole packages; foods sharing one get what it makes in proportion to their use.
    shared = packages * size * (used / together.where(together > 0, 1.0))
    bought = packages.mul(size).where(alone, shared).where(packaged, buy)
    leftover = (bought + have + received - eaten - given).clip(lower=0.0).round(1)
    cost = bought / 100.0 * data["price_per_100g"]

    frame = pd.DataFrame({
        "aisle": data["aisle"], "food_id": eaten.index, "name": data["name"], "dish": is_dish(foods).loc[eaten.index],
        "eaten_g": eaten.round(1), "pantry_g": have.round(1), "buy_g": buy,
        "packages": packages.astype("Int64"), "package_label": data["package_label"].where(packaged, ""),
        "package_g": size, "purchase": purchase, "leftover_g": leftover,
        "servings": (buy / data["serving_g"]).round(1), "serving_label": data["serving_label"],
        "cost": cost, "price_source": data["price_source"],
    }, columns=COLUMNS)
    frame = frame.sort_values(["aisle", "name", "food_id"]).reset_index(drop=True)
    frame.loc[_items(frame).duplicated(), "packages"] = pd.NA      # a purchase's packages are counted once
    return ShoppingList(frame, days, people, fewest_days)


def _items(frame: pd.DataFrame) -> pd.Series:
    return _item_keys(frame["purchase"], frame["package_label"], frame["food_id"])


def _item_keys(purchase: pd.Series, label: pd.Series, food_id: pd.Series) -> pd.Series:
    """What each food is bought as: its purchase (in its package), or the food itself."""
    return pd.Series(np.where(purchase != "", "purchase:" + purchase + "|" + label.astype(str), "food:" + food_id),
                     index=purchase.index)


def _shared_line(rows: pd.DataFrame) -> ShoppingLine:
    """One line for the foods of one purchase: its packages, the foods it is for, what is left, the cost."""
    first = rows.iloc[0]
    count = int(rows["packages"].dropna().sum())
    notes = [f"{_grams(rows['pantry_g'].sum())} from your pantry"] if rows["pantry_g"].sum() > 0 else []
    if rows["leftover_g"].sum() >= 0.5:   # the foods' grams as eaten: the same food, prepared two ways
        notes.append(f"have {_grams(rows['leftover_g'].sum())} left over")
    cost = rows["cost"]
    names = rows["name"].tolist()   # names hold commas: the last is joined with "and", the others with ";"
    return ShoppingLine(True, _packages(count, first.package_label),
                        f"{first.purchase} (for {'; '.join(names[:-1])} and {names[-1]})", "; ".join(notes),
                        f"${cost.sum():,.2f}" if cost.notna().all() else "no price")


def _packages(count: int, label: str) -> str:
    """"1 gallon", not "1 x 1 gallon"; but "6 x 8 oz": packages are counted, never summed into "48 oz"."""
    return label if count == 1 else f"{count} x {label}"


def _grams(value: float) -> str:
    return f"{value / 1000:,.2f} kg" if value >= 10000 else f"{value:,.0f} g"


def _what(r) -> str:
    """`2 x 1 lb (as purchased)` or `340 g as eaten (about 12 x 1 oz)`: with no package, the weight is the
    food's as eaten, a cooked food's cooked weight (the table has no yield to turn it into raw)."""
    if pd.notna(r.packages):
        package = r.package_label or _grams(r.package_g)
        return _packages(int(r.packages), package)
    # "About": to the nearest quarter serving, which a cook measures ("4 1/4 cups", not "4.2 x 1 cup").
    about = max(round(r.servings * 4) / 4, 0.25) if pd.notna(r.servings) and r.servings > 0 else None
    hint = f" (about {portion_words(about, r.serving_label)})" if about else ""
    return f"{_grams(r.buy_g)} as eaten{hint}"


def _notes(r) -> str:
    notes = []
    if r.pantry_g > 0:
        notes.append(f"{_grams(r.pantry_g)} from your pantry")
    if r.leftover_g >= 0.5:
        notes.append(f"have {_grams(r.leftover_g)} left over")
    return "; ".join(notes)


def _price(r) -> str:
    return f"${r.cost:,.2f}" if pd.notna(r.cost) else "no price"
