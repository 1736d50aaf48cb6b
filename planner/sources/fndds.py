"""USDA FNDDS 2017-2018 foods as eaten, as rows of a food table: `--foods fndds`.

The shipped extract (`planner/data/fndds/`, see its README) holds, per FNDDS food code,
the nutrients, the FPED food-group amounts and the PP-NAP 2017/2018 price, plus the
household portions people report. `planner/data/wweia_categories.csv` gives every WWEIA
category a role, slots, diet tags, the aisle a shopping list puts its foods in and, for
foods nobody plans a meal with, the reason they are kept out. This module turns the two
into the food table (`fndds_table_text`).

Three rules live here because the curated table (`scripts/build_foods.py`) uses
them too:

* the serving rule (`choose_serving`, `day_cap`, `max_servings`): a household portion
  near the amount people usually report, and a daily ceiling of about twice that amount
  that also caps beans, dairy and protein foods by their food-group equivalents;
* the tag rules (`fndds_tags.food_tags`): diet and allergen tags from the category's
  defaults and the words of the description;
* the keep-out rules (`keep_out_reason`).

Building the whole table takes about 0.6 s; its columns and vocabularies come from the
registry (`planner.nutrients`) and the food-table schema (`planner.foods`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from planner import nutrients
from planner.foods import AISLES, ROLES, SLOTS, TAGS, one_food_forms
from planner.sources.fndds_tags import RECIPE_GROUPS, food_tags

# Our column -> the FNDDS `nutrient_values.csv` header, and -> the FPED 2017-2018 variable (FPED headers
# add the unit: "F_TOTAL (cup eq.)"), one to one, from the registry (planner/data/nutrients.csv).
NUTRIENT_HEADERS: dict[str, str] = {c: nutrients.registry()[c].fndds_header for c in nutrients.columns("nutrient")}
FOOD_GROUP_HEADERS: dict[str, str] = {c: nutrients.registry()[c].fndds_header
                                      for c in nutrients.columns("food_group")}
NUTRIENTS: tuple[str, ...] = tuple(NUTRIENT_HEADERS)
FOOD_GROUPS: tuple[str, ...] = tuple(FOOD_GROUP_HEADERS)
EXTRACT_FOOD_COLUMNS: tuple[str, ...] = (
    ("food_code", "description", "wweia_code", "wweia_category") + NUTRIENTS + FOOD_GROUPS
    + ("price_per_100g", "price_method")
)
EXTRACT_PORTION_COLUMNS: tuple[str, ...] = ("food_code", "seq", "portion", "grams")
# The food-table schema both FNDDS tables are written in.
TABLE_COLUMNS: tuple[str, ...] = (
    ("food_id", "name", "food_code", "usda_description", "wweia_code", "wweia_category") + NUTRIENTS
    + ("nutrient_source",) + FOOD_GROUPS
    + ("food_group_source", "serving_g", "serving_label", "usual_g", "max_servings", "max_days", "same_as",
       "serving_source", "slots", "role", "tags", "aisle", "package_g", "package_label", "package_source", "purchase",
       "price_per_100g", "price_source", "price_date")
)
CATEGORY_COLUMNS: tuple[str, ...] = ("wweia_code", "wweia_category", "role", "slots", "tags", "aisle", "max_days",
                                     "keep_out", "note")

PRICE_DATE = "2017-2018"
PRICE_YEAR = "2017/2018"

# Reasons a food is never planned, in the order they are tried. The category ones are named in
# wweia_categories.csv (`keep_out`); the last three are read from the food itself.
BABY = "infant formula or baby food"
HUMAN_MILK = "human milk"
ALCOHOL = "alcoholic drink"
SUPPLEMENT = "supplement, meal replacement, or protein drink, powder or bar"
CONDIMENT = "condiment, sauce, dressing or gravy on its own"
SUGAR = "sugar, sweetener, jam or syrup on its own"
FAT = "fat or oil on its own (butter, margarine, oil, cream)"
WATER = "plain water"
INGREDIENT = "ingredient or garnish, not a food on its own"
NFS = "not further specified (NFS, NS as to ...): stands in for specific foods"
NO_PRICE = "no PP-NAP 2017/2018 price"
NO_PORTION = "no household portion within the serving rule"
CATEGORY_REASONS: tuple[str, ...] = (BABY, HUMAN_MILK, ALCOHOL, SUPPLEMENT, CONDIMENT, SUGAR, FAT, WATER, INGREDIENT)
REASONS: tuple[str, ...] = CATEGORY_REASONS + (NFS, NO_PRICE, NO_PORTION)


class FnddsDataError(Exception):
    """A shipped FNDDS file does not have the shape this module expects."""


# --------------------------------------------------------------------------- the shipped files

def _shipped_text(*parts: str) -> str:
    return resources.files("planner").joinpath("data", *parts).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Category:
    """A WWEIA category's planning data: what part of a meal its foods play and where they go."""

    code: str
    name: str
    role: str
    slots: tuple[str, ...]
    tags: tuple[str, ...]
    aisle: str            # where a shop keeps its foods, one of the embedded table's aisles
    max_days: str         # "7" for plain milks, as in the embedded table: one may be drunk every day
    keep_out: str
    note: str


def _split(cell: str, allowed: tuple[str, ...], what: str, code: str) -> tuple[str, ...]:
    items = tuple(p for p in cell.split("|") if p) if cell else ()
    unknown = [p for p in items if p not in allowed]
    if unknown:
        raise FnddsDataError(f"wweia_categories.csv {code}: {what} {unknown[0]!r} not in {', '.join(allowed)}")
    return items


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    """The shipped WWEIA category table, by category code, checked against the vocabularies."""
    reader = csv.DictReader(io.StringIO(_shipped_text("wweia_categories.csv")))
    if tuple(reader.fieldnames or ()) != CATEGORY_COLUMNS:
        raise FnddsDataError(f"wweia_categories.csv: the columns must be {', '.join(CATEGORY_COLUMNS)}")
    table: dict[str, Category] = {}
    for row in reader:
        code = row["wweia_code"]
        role, keep_out = row["role"], row["keep_out"]
        if role not in ROLES:
            raise FnddsDataError(f"wweia_categories.csv {code}: role {role!r} not in {', '.join(ROLES)}")
        if keep_out and keep_out not in CATEGORY_REASONS:
            raise FnddsDataError(f"wweia_categories.csv {code}: keep_out {keep_out!r} is not a known reason")
        if (role == "ingredient") != bool(keep_out):
            raise FnddsDataError(f"wweia_categories.csv {code}: role ingredient goes with a keep_out reason")
        if row["aisle"] not in AISLES:
            raise FnddsDataError(f"wweia_categories.csv {code}: aisle {row['aisle']!r} not in {', '.join(AISLES)}")
        if row["max_days"] not in ("", "7"):
            raise FnddsDataError(f"wweia_categories.csv {code}: max_days is 7 (a food for every day) or empty")
        table[code] = Category(code, row["wweia_category"], role, _split(row["slots"], SLOTS, "slot", code),
                               _split(row["tags"], TAGS, "tag", code), row["aisle"], row["max_days"], keep_out,
                               row["note"])
    return table


class Portion(NamedTuple):
    """One FNDDS household portion of a food: "1 cup" weighs 180 g."""

    seq: int
    label: str
    grams: float
    grams_text: str  # verbatim, for the table


@lru_cache(maxsize=1)
def extract_portions() -> dict[str, tuple[Portion, ...]]:
    """The shipped portions by food code, in file order."""
    reader = csv.reader(io.StringIO(_shipped_text("fndds", "fndds_portions.csv")))
    if tuple(next(reader)) != EXTRACT_PORTION_COLUMNS:
        raise FnddsDataError("fndds_portions.csv: unexpected columns")
    by_code: dict[str, list[Portion]] = {}
    for code, seq, label, grams in reader:
        by_code.setdefault(code, []).append(Portion(int(seq), label, float(grams), grams))
    return {code: tuple(portions) for code, portions in by_code.items()}


# --------------------------------------------------------------------------- the serving rule

USUAL = "Quantity not specified"
# The usual amount (and its variants "..., if in beverage"), recipe helpers, and ounces or cups
# weighed before cooking ("1 oz, boneless, raw (yield after cooking)", "1 cup, dry, yields") are
# no serving; a piece weighed raw ("1 small or thin cut (3 oz, with bone, raw) (yield ...)") is.
NOT_A_SERVING = re.compile(r"^Quantity not specified|^Guideline amount"
                           r"|^1 (oz|cup|packet)\b[^(]*\b(raw|dry|unpopped|in shell|with shell)\b.*\byields?\b",
                           re.IGNORECASE)
USUAL_FACTOR = 2.0
# A serving weighs at least this share of the usual amount: 1 prune (8 g of a usual 40 g) or
# 1 fl oz of juice (31 g of 248 g) can be counted out, a single pea or blueberry cannot.
MIN_SHARE = 0.1
# (column, most per food per day, in words). FPED units: 1 cup-eq of legumes is about 1 cup of
# cooked beans (FPED counts FNDDS's 180 g cup of chickpeas as 1.03), 1 cup-eq of dairy 1 cup of
# milk or yogurt. Plain beans are held to 1 cup by twice their usual half cup; the legumes cap
# keeps bean dishes (refried beans, chili, burritos) to 1.5 cups of beans.
GROUP_CAPS: tuple[tuple[str, float, str], ...] = (
    ("legumes_cup_eq", 1.5, "1.5 cup-eq of beans, peas and lentils"),
    ("dairy_cup_eq", 1.5, "1.5 cup-eq of dairy"),
    ("protein_foods_oz_eq", 6.0, "6 oz-eq of meat, poultry, seafood, eggs, nuts, seeds and soy"),
)
# FPED values have two decimals: 1.5 cups of milk come to 1.5006 cup-eq. Caps allow 1 % over.
TOLERANCE = 0.01


@cache
def is_serving(label: str) -> bool:
    """Whether a portion is an amount one serves (labels repeat: "1 cup" thousands of times)."""
    return not NOT_A_SERVING.search(label)


def usual_grams(portions: tuple[Portion, ...]) -> Portion | None:
    """FNDDS's "Quantity not specified" portion: the amount people report when they give none."""
    return next((p for p in portions if p.label == USUAL and p.grams > 0), None)


def day_cap(usual_g: float, groups: dict[str, float]) -> tuple[float, str]:
    """Most grams of one food a day, and why: twice the usual amount, or less where a food-group cap binds."""
    cap, why = USUAL_FACTOR * usual_g, f"twice the usual {usual_g:g} g"
    for column, limit, words in GROUP_CAPS:
        per_100g = groups.get(column, 0.0)
        if per_100g > 0 and limit / per_100g * 100 < cap:
            cap, why = limit / per_100g * 100, words
    return cap, why


def max_servings(serving_g: float, cap_g: float) -> float:
    """The most servings, in half steps, whose weight stays within the day's cap."""
    return math.floor(cap_g * (1 + TOLERANCE) / serving_g * 2 + 1e-9) / 2


def serving_candidates(portions: tuple[Portion, ...], usual_g: float, cap_g: float) -> list[Portion]:
    """Portions a food can be served in: household amounts of at least `MIN_SHARE` of the usual
    amount that fit within the day's cap."""
    return [p for p in portions
            if is_serving(p.label) and MIN_SHARE * usual_g <= p.grams <= cap_g * (1 + TOLERANCE)]


def choose_serving(portions: tuple[Portion, ...], usual_g: float, cap_g: float) -> Portion | None:
    """The household portion nearest the usual amount (by ratio), among those within the cap.

    By ratio, so half and twice the usual amount are equally far; on a tie, the portion FNDDS
    lists first. Beans usually eaten by the half cup (90 g) with portions "1 cup" (180 g)
    and "1 oz dry, yield after cooking" (not a serving) are served by the cup, once a day.
    """
    candidates = serving_candidates(portions, usual_g, cap_g)
    if not candidates:
        return None
    return min(candidates, key=lambda p: abs(math.log(p.grams / usual_g)))


def capped_groups(row: dict[str, str]) -> dict[str, float]:
    """The food-group amounts per 100 g of an extract row that the serving rule caps."""
    return {column: float(row[column]) for column, _, _ in GROUP_CAPS if row[column]}


def fmt(value: float) -> str:
    """A number as short text: 2.0 -> '2', 1.5 -> '1.5'."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------- keep-out rules

NOT_SPECIFIED = re.compile(r"\bNFS\b|\bNS as to\b")
OIL = re.compile(r"\boils?\b", re.IGNORECASE)


def category_reason(category: Category, description: str) -> str:
    """The category's keep-out reason; in a dressings-and-oils category an oil counts as a fat."""
    if category.keep_out == CONDIMENT and OIL.search(description) and "dressing" not in description.lower():
        return FAT
    return category.keep_out


def keep_out_reason(category: Category, description: str, priced: bool, serving: Serving | None) -> str:
    """Why a food is never planned ('' when it may be). The first reason that holds is given."""
    reason = category_reason(category, description)
    if reason:
        return reason
    if NOT_SPECIFIED.search(description):
        return NFS
    if not priced:
        return NO_PRICE
    if serving is None:
        return NO_PORTION
    return ""


# --------------------------------------------------------------------------- the table

def sources(code: str, method: str) -> dict[str, str]:
    """The source cells every FNDDS row carries (the price ones only when it is priced)."""
    out = {"nutrient_source": f"USDA FNDDS 2017-2018 food code {code}",
           "food_group_source": f"USDA FPED 2017-2018 food code {code}"}
    if method:
        out["price_source"] = f"USDA ERS PP-NAP {PRICE_YEAR}, food code {code}, {method}"
        out["price_date"] = PRICE_DATE
    return out


@dataclass(frozen=True)
class Serving:
    """A food's serving under the serving rule."""

    portion: Portion
    usual: Portion
    max_servings: float
    why: str  # what caps the day's amount
    chosen: bool = False  # named by a curated spec rather than the nearest to the usual amount

    @property
    def source(self) -> str:
        how = "chosen in the spec" if self.chosen else "nearest the usual amount"
        count = fmt(self.max_servings)
        return (f"FNDDS portion seq {self.portion.seq} ({self.portion.label}; {how}); usual amount "
                f"{self.usual.grams_text} g (FNDDS '{USUAL}'); at most {count} serving{'' if count == '1' else 's'} "
                f"a day (cap: {self.why})")


def serving_for(code: str, capped: dict[str, float], portions: tuple[Portion, ...],
                wanted: str = "") -> Serving | None:
    """The serving rule for one food (`capped`: its `capped_groups`); `wanted` names the portion to use.

    Raises ValueError when `wanted` is not a household portion of the food or does not fit
    the day's cap.
    """
    usual = usual_grams(portions)
    if usual is None:
        if wanted:
            raise ValueError(f"food code {code} has no usual amount ('{USUAL}') in FNDDS")
        return None
    cap_g, why = day_cap(usual.grams, capped)
    if wanted:
        portion = next((p for p in portions if p.label == wanted and is_serving(p.label)), None)
        if portion is None:
            raise ValueError(f"'{wanted}' is not an FNDDS household portion of food code {code}")
        if portion not in serving_candidates(portions, usual.grams, cap_g):
            raise ValueError(f"'{wanted}' ({portion.grams_text} g) is not between a tenth of the usual "
                             f"{usual.grams_text} g and the day's cap of {cap_g:.0f} g ({why})")
    else:
        portion = choose_serving(portions, usual.grams, cap_g)
        if portion is None:
            return None
    return Serving(portion, usual, max_servings(portion.grams, cap_g), why, chosen=bool(wanted))


# Positions in an extract record (EXTRACT_FOOD_COLUMNS) that the table needs.
_AT = {column: i for i, column in enumerate(EXTRACT_FOOD_COLUMNS)}
_NUTRIENTS = slice(_AT[NUTRIENTS[0]], _AT[NUTRIENTS[-1]] + 1)
_GROUPS = slice(_AT[FOOD_GROUPS[0]], _AT[FOOD_GROUPS[-1]] + 1)
_CAPPED = tuple((column, _AT[column]) for column, _, _ in GROUP_CAPS)


def _record_row(record: list[str], category: Category, portions: tuple[Portion, ...]) -> tuple[list[str], str]:
    """One table row (cells in TABLE_COLUMNS order) and its keep-out reason."""
    code, description, wweia_code, wweia_name = record[:4]
    price, method = record[_AT["price_per_100g"]], record[_AT["price_method"]]
    serving = serving_for(code, {c: float(record[i]) for c, i in _CAPPED if record[i]}, portions)
    reason = keep_out_reason(category, description, bool(price), serving)
    notes = [serving.source if serving else "no FNDDS household portion fits the serving rule",
             f"role/slots/tags from WWEIA category {category.code} ({category.name})"]
    if reason:
        notes.append(f"kept out: {reason}")
    tags = food_tags(category.tags, description, record[_AT["vitamin_b12_mcg"]], wweia_code,
                     {column: record[_AT[column]] for column in RECIPE_GROUPS.values()})
    # A plain milk may come every day; a flavoured one (its milk tag taken away) is a treat like any other food.
    max_days = category.max_days if "milk" in tags and not reason else ""
    if max_days:
        notes.append("a plain milk: may be served every day, one milk a day")
    cells = sources(code, method if price else "")
    return ([f"fndds_{code}", description, code, description, wweia_code, wweia_name] + record[_NUTRIENTS]
            + [cells["nutrient_source"]] + record[_GROUPS]
            + [cells["food_group_source"], serving.portion.grams_text if serving else "",
               serving.portion.label if serving else "", serving.usual.grams_text if serving else "",
               fmt(serving.max_servings) if serving else "", max_days, "", "; ".join(notes), "|".join(category.slots),
               "ingredient" if reason else category.role, "|".join(tags), category.aisle, "", "", "", "", price,
               cells.get("price_source", ""), cells.get("price_date", "")]), reason


@lru_cache(maxsize=1)
def _extract_records() -> tuple[list[str], ...]:
    reader = csv.reader(io.StringIO(_shipped_text("fndds", "fndds_foods.csv")))
    if tuple(next(reader)) != EXTRACT_FOOD_COLUMNS:
        raise FnddsDataError("fndds_foods.csv: unexpected columns")
    return tuple(reader)


def extract_foods() -> list[dict[str, str]]:
    """Rows of the shipped `fndds_foods.csv`, all cells text as in the USDA files."""
    return [dict(zip(EXTRACT_FOOD_COLUMNS, record, strict=True)) for record in _extract_records()]


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[list[str], ...], tuple[tuple[str, int], ...]]:
    cats, portions = categories(), extract_portions()
    rows, reasons = [], Counter()
    for record in _extract_records():
        category = cats.get(record[_AT["wweia_code"]])
        if category is None:
            raise FnddsDataError(f"fndds_foods.csv: food code {record[0]} has WWEIA category "
                                 f"{record[_AT['wweia_code']]}, which wweia_categories.csv lacks")
        row, reason = _record_row(record, category, portions.get(record[0], ()))
        rows.append(row)
        if reason:
            reasons[reason] += 1
    # "Almonds, salted" and "Almonds, unsalted", oatmeal with and without fat added: one food, whose days a week
    # counts together.
    at_id, at_name, at_same = (TABLE_COLUMNS.index(c) for c in ("food_id", "name", "same_as"))
    for row, same in zip(rows, one_food_forms([r[at_id] for r in rows], [r[at_name] for r in rows])):
        row[at_same] = row[at_same] or same
    return tuple(rows), tuple((r, reasons[r]) for r in REASONS)


def fndds_rows() -> list[dict[str, str]]:
    """Every FNDDS 2017-2018 food as a row of the food table (all cells text)."""
    return [dict(zip(TABLE_COLUMNS, row, strict=True)) for row in _table()[0]]


def fndds_table_text() -> str:
    """The whole FNDDS table as CSV text in the food-table schema (`TABLE_COLUMNS`).

    Foods nobody plans a meal with are in it too, with role `ingredient` and the reason
    in `serving_source` ("kept out: plain water").
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    writer.writerows(_table()[0])
    return out.getvalue()


def keep_out_counts() -> dict[str, int]:
    """How many FNDDS foods are kept out, per reason (every reason listed, in rule order)."""
    return dict(_table()[1])
