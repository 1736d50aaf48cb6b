"""FoodData Central foods as rows of our food table: nutrients, serving, slots/role/tags.

No network, no files: the API client (`fdc_api`), table editing (`fdc_tables`) and the offline
import (`fdc_bulk`) share these.

* `food_values`: FDC nutrients -> the registry's columns (`planner/data/nutrients.csv`),
  **by FDC nutrient id** (or nutrient number in the abridged shape), never by name; a unit
  other than ours leaves the cell empty.
* `Portion`, `choose_serving`: FDC's portions and the household serving we plan with.
* `make_row`: one row of our table (`FOOD_COLUMNS`), all cells text; slots, role and tags
  come from `fdc_classify.classify`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from planner import foods, nutrients
from planner.foods import TAGS
from planner.sources.fdc_classify import MIN_SERVING_G, aisle, classify

NUTRIENTS: tuple[str, ...] = nutrients.columns()
TARGETED: tuple[str, ...] = nutrients.headline()
# The column order of foods.csv: tables we create are written in it.
FOOD_COLUMNS: tuple[str, ...] = (
    ("food_id", "name", "fdc_id", "usda_description") + NUTRIENTS
    + ("nutrient_source", "serving_g", "serving_label", "serving_source", "slots", "role", "tags", "aisle",
       "max_servings", "package_g", "package_label", "package_price", "price_per_100g", "price_source",
       "price_date")
)

# FDC nutrient id (and the abridged shape's number) -> column, from the registry.
NUTRIENT_IDS: dict[int, str] = {n.fdc_id: c for c, n in nutrients.registry().items() if n.fdc_id}
NUTRIENT_NUMBERS: dict[str, str] = {n.fdc_number: c for c, n in nutrients.registry().items() if n.fdc_number}
# Foundation foods often carry only the Atwater energies 2048 (specific factors) / 2047 (general
# factors), numbers 958 / 957: used when 1008 is absent.
ENERGY_FALLBACK_IDS = (2048, 2047)
PRIORITY = {**{i: 0 for i in NUTRIENT_IDS}, 2048: 1, 2047: 2}
# Numbers read when a column's own is absent: the Atwater energies above, and Foundation foods' total sugars,
# number 269.3 "Sugars, Total" (the recorded answer for fdc_id 328637), where SR Legacy gives 269.
FALLBACK_NUMBERS = {"958": ("energy_kcal", 1), "957": ("energy_kcal", 2), "269.3": ("sugars_g", 1)}
COLUMN_OF_NUMBER = {**{n: (c, 0) for n, c in NUTRIENT_NUMBERS.items()}, **FALLBACK_NUMBERS}


def normal_unit(name: str) -> str:
    """FDC spells units `UG`, `µg`, `mcg`, `KCAL`, `kcal`, `MG`: one spelling each."""
    text = str(name or "").strip().lower().replace("µ", "u").replace("μ", "u")
    return {"mcg": "ug"}.get(text, text)


def expected_unit(column: str) -> str:
    return {"kcal": "kcal", "g": "g", "mg": "mg", "mcg": "ug"}[nutrients.unit(column)]


def format_number(value: float) -> str:
    """A number as short text: 20.0 -> '20', 0.098 -> '0.098'."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def food_values(food: dict) -> tuple[dict[str, str], list[str]]:
    """The food's values per 100 g for our columns (as text), and notes on values left out.

    Understands the three shapes FDC uses for `foodNutrients`: full
    (`{nutrient: {id, number, unitName}, amount}`), abridged (`{number, name, amount,
    unitName}`) and search (`{nutrientId, nutrientNumber, unitName, value}`). A value in
    another unit than the column's (vitamin D in IU only, energy in kJ) is left empty, never
    converted; a missing value stays missing (never 0).
    """
    best: dict[str, tuple[int, float]] = {}
    notes: list[str] = []
    for entry in food.get("foodNutrients") or []:
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("nutrient"), dict):  # full
            nutrient = entry["nutrient"]
            nid, number, unit, amount = nutrient.get("id"), nutrient.get("number"), nutrient.get("unitName"), \
                entry.get("amount")
        elif "nutrientId" in entry or "nutrientNumber" in entry:  # search
            nid, number, unit, amount = entry.get("nutrientId"), entry.get("nutrientNumber"), entry.get("unitName"), \
                entry.get("value", entry.get("amount"))
        else:  # abridged
            nid, number, unit, amount = entry.get("nutrientId"), entry.get("number"), entry.get("unitName"), \
                entry.get("amount")
        column, priority = None, 9
        try:
            nid = int(nid) if nid is not None else None
        except (TypeError, ValueError):
            nid = None
        if nid is not None and (nid in NUTRIENT_IDS or nid in ENERGY_FALLBACK_IDS):
            column, priority = NUTRIENT_IDS.get(nid, "energy_kcal"), PRIORITY[nid]
        elif number is not None and str(number).strip() in COLUMN_OF_NUMBER:   # a number is one nutrient's in FDC
            column, priority = COLUMN_OF_NUMBER[str(number).strip()]
        if column is None or amount is None:
            continue
        try:
            value = float(amount)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0:
            notes.append(f"{column}: FDC gives {str(amount)[:20]!r}, not an amount per 100 g; left empty")
            continue
        if normal_unit(unit) != expected_unit(column):
            notes.append(f"{column}: FDC gives it in {unit}, not {expected_unit(column)}; left empty")
            continue
        if column not in best or priority < best[column][0]:
            best[column] = (priority, value)
    return {c: format_number(v) for c, (p, v) in best.items()}, notes


# --------------------------------------------------------------------------- portions

@dataclass(frozen=True)
class Portion:
    seq: int
    amount: float | None
    unit: str
    description: str
    modifier: str
    grams: float
    share: float = 1.0   # the part of FDC's portion served: 1, or 1/2 or 1/4 of a portion too rich to be one

    @property
    def label(self) -> str:
        description = self.description.strip()
        survey = bool(description) and description[0].isdigit()   # Survey style: "1 cup"
        if self.share != 1.0:
            whole, amount = replace(self, share=1.0).label, (self.amount or 1.0) * self.share
            # "1/4 cup" of a cup; "1/2 of 1 cup (8 fl oz)", since a size or count in the words is the whole's
            if survey or "(" in whole or not (amount in (0.25, 0.75) or float(amount * 2).is_integer()):
                return f"{_amount_words(self.share)} of {whole}"
            return f"{_amount_words(amount)} {self._words}".strip()
        return description if survey else f"{_amount_words(self.amount or 1.0)} {self._words}".strip()

    @property
    def _words(self) -> str:
        unit = "" if self.unit.strip().lower() in ("", "undetermined") else self.unit.strip()
        return ", ".join(p for p in (unit, self.description.strip(), self.modifier.strip()) if p)


def _amount_words(amount: float) -> str:
    return {0.25: "1/4", 0.5: "1/2", 0.75: "3/4"}.get(amount, format_number(amount))


HOUSEHOLD = re.compile(
    r"\b(cups?|tbsp|tablespoons?|tsp|teaspoons?|oz|ounces?|slices?|medium|large|small|extra large|servings?|"
    r"fillets?|pieces?|items?|each|whole|patty|patties|steaks?|chops?|breast|thigh|drumstick|wing|bar|cookies?|"
    r"muffins?|bagels?|rolls?|buns?|tortillas?|links?|containers?|eggs?|fruits?|stalks?|spears?|pats?|sticks?|"
    r"scoops?|packets?|bottles?|cans?|sandwich|cakes?|pancakes?|waffles?|biscuits?|wedges?|halves|florets?|"
    r"leaves|nlea serving|frankfurters?|hot dogs?|dates?|plantains?|pie(?! crust)|pies|burritos?|corndogs?|"
    r"bowls?|blocks?|crackers?|saltines?|wafers?|strips?|legs?|tarts?|eclairs?)\b", re.IGNORECASE)
# The gram range we prefer per role; any household portion of 5-400 g is the fallback.
ROLE_GRAMS = {"protein": (50, 250), "fat": (5, 20), "snack": (15, 60), "drink": (100, 400), "vegetable": (25, 400),
              "fruit": (25, 400)}


# A household portion holding more energy than this is food for several, not one serving: SR Legacy lists
# roasted soybeans and mixed nuts only by the cup (800 kcal), cheddar first as a cup, diced (530 kcal). A meal
# of whole servings cannot hold one beside the rest of the meal within its share of the day's calories.
MAX_SERVING_KCAL = 400.0
ONE_FLUID_OUNCE = re.compile(r"^1 fl oz\b", re.IGNORECASE)
# Measures a cook divides (1/4 cup, 1/2 oz); an item, a sandwich or a pie is served whole, however rich.
DIVISIBLE = re.compile(r"^[\d/.\s]*(cups?|tbsp|tablespoons?|tsp|teaspoons?|oz|ounces?)\b", re.IGNORECASE)


def choose_serving(portions: list[Portion], role: str, kcal_per_100g: float | None = None) -> Portion | None:
    """The first household portion (cup, tbsp, oz, slice, medium, ...) weighing 5-400 g,
    preferring one in the role's usual range (3 oz of meat rather than 1 oz, 1/2 cup of carrots
    rather than 1 tbsp; at least 10 g for any role without a range; a fluid ounce only when nothing
    else is listed), then one of at most `MAX_SERVING_KCAL` (1 oz of cheddar rather than a cup). When
    every portion holds more, half or a quarter of the one chosen, if it is a measure (1/4 cup of
    mixed nuts; a burger stays whole)."""
    household = [p for p in sorted(portions, key=lambda p: p.seq)
                 if 5 <= p.grams <= 400 and HOUSEHOLD.search(f"{p.unit} {p.description} {p.modifier}")]
    # A fluid ounce is how a drink is measured, not served (SR Legacy lists goat milk's first, before its cup).
    household = [p for p in household if not ONE_FLUID_OUNCE.match(p.label)] or household
    low, high = ROLE_GRAMS.get(role, (MIN_SERVING_G, 400))
    if role == "fat" and not any(low <= p.grams <= high for p in household):
        return None   # a fat is served by the tablespoon or not at all

    def kcal(p: Portion) -> float:
        return p.grams * kcal_per_100g / 100.0 if kcal_per_100g is not None and math.isfinite(kcal_per_100g) else 0.0

    light = [p for p in household if kcal(p) <= MAX_SERVING_KCAL]
    for pool in (light, household):
        in_range = [p for p in pool if low <= p.grams <= high]
        if in_range:
            return _within_kcal(in_range[0], kcal)
    # none in the usual range: the nearest by ratio (for seeds, 1 tbsp is nearer an ounce than 1 cup is)
    nearest = min(light or household, key=lambda p: max(low / p.grams, p.grams / high), default=None)
    return None if nearest is None else _within_kcal(nearest, kcal)


def _within_kcal(portion: Portion, kcal: Callable[[Portion], float]) -> Portion:
    """The portion, or, for a measure, the largest of its half and quarter within `MAX_SERVING_KCAL` (else its
    quarter)."""
    if not DIVISIBLE.match(portion.label):
        return portion
    for share in (1.0, 0.5):
        if kcal(portion) * share <= MAX_SERVING_KCAL:
            break
    else:
        share = 0.25
    return portion if share == 1.0 else replace(portion, grams=portion.grams * share, share=share)


def make_row(fdc_id: int | str, description: str, category: str, values: dict[str, str],
             portions: list[Portion], nutrient_source: str, *, explicit: bool = False,
             portion_source: str = "FDC portion", portions_known: bool = True) -> dict[str, str]:
    """One row of our food table (all cells text) for an FDC food."""
    targeted_empty = all(not values.get(c) for c in TARGETED)
    guess, _ = classify(category, description)
    energy = values.get("energy_kcal", "")
    serving = choose_serving(portions, guess.role, float(energy) if energy else None)
    # an abridged API answer sends no portions: that is no evidence the food has none
    guess, reason = classify(category, description, serving_g=serving.grams if serving else None,
                             has_portion=serving is not None or not portions_known, targeted_empty=targeted_empty,
                             explicit=explicit)
    row = dict.fromkeys(FOOD_COLUMNS, "")
    # A name is what a plan lists the food by; FDC's description is it, and a food FDC gives none keeps its id.
    row.update(food_id=f"fdc_{fdc_id}", name=description.strip() or f"FDC food {fdc_id} (no description in FDC)",
               fdc_id=str(fdc_id), usda_description=description,
               nutrient_source=nutrient_source)
    row.update({c: values.get(c, "") for c in NUTRIENTS})
    notes = []
    if serving is not None:
        row["serving_g"] = format_number(serving.grams)
        row["serving_label"] = serving.label
        notes.append(f"{portion_source} seq {serving.seq} ({serving.label})" if serving.share == 1.0 else
                     f"{portion_source} seq {serving.seq} ({replace(serving, share=1.0).label}, "
                     f"{format_number(serving.grams / serving.share)} g), {_amount_words(serving.share)} of it: "
                     f"the whole is over {format_number(MAX_SERVING_KCAL)} kcal")
    else:
        notes.append("no household portion of 5-400 g in FDC: 100 g")
    notes.append(f"slots/role/tags guessed from {guess.basis}")
    if reason:
        notes.append(f"kept out: {reason}")
    row["serving_source"] = "; ".join(notes)
    row["role"] = "ingredient" if reason else guess.role
    row["slots"] = "|".join(guess.slots)
    row["tags"] = "|".join(t for t in TAGS if t in guess.tags)
    row["aisle"] = aisle(category, guess.role)
    return row


def mark_one_food_forms(rows: list[dict[str, str]]) -> tuple[str, ...]:
    """Marks each food that differs from an earlier one only in salt or fat as a form of it (`same_as`, in place;
    `planner.foods.one_food_forms`), so a week counts their days together; returns the columns to write:
    `FOOD_COLUMNS`, with `same_as` when some food has one."""
    ids, descriptions = [r["food_id"] for r in rows], [r["usda_description"] for r in rows]
    for row, same in zip(rows, foods.one_food_forms(ids, descriptions)):
        row["same_as"] = same
    return (*FOOD_COLUMNS, "same_as") if any(row["same_as"] for row in rows) else FOOD_COLUMNS


def table_text(rows: Iterable[dict[str, str]], columns: tuple[str, ...] = FOOD_COLUMNS,
               lineterminator: str = "\n", header: bool = True) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator=lineterminator, extrasaction="ignore")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
