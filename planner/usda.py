"""USDA FoodData Central (FDC): the API client, nutrient mapping, bulk CSV import, all of SR Legacy.

Everything that turns FDC data into rows of our food table lives here (and only here
`requests`/`requests_cache` are imported):

* `FdcClient`: `GET /v1/food/{id}`, `POST /v1/foods` (20 ids a call), `GET /v1/foods/search`;
  the key travels in the `X-Api-Key` header (never in a URL, a cache key or a message);
  retries 429/5xx/timeouts with exponential backoff; answers are cached on disk.
* `food_values`: FDC nutrients -> our 14 columns, **by FDC nutrient id** (or nutrient
  number in the abridged shape), never by name; a unit other than ours leaves the cell empty.
* `add_foods`, `enrich_table`: the online commands (`planner foods add|enrich`).
* `import_bulk`: FDC's bulk CSV download (zip or folder; SR Legacy and Foundation rows).
* `sr_legacy_table`: all 7,793 SR Legacy foods from the shipped extract (`--foods sr-legacy`).

Slots, role and tags are *guessed* from the FDC food category and the description
(`classify`); every guess is stated in the row's `serving_source` cell, e.g.
"FDC portion seq 1 (1 cup); slots/role/tags guessed from category 'Legumes and Legume
Products'", so a person reading the table knows what to check and edit.

Foods nobody serves as a meal item (baby foods, raw meat, flours, fats and oils, sauces,
instant powders, candy, ...) are kept in the table but given role `ingredient`, which the
planner never serves; the reason is in `serving_source` ("kept out: raw (a cooked form
exists)"). See `classify`.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import math
import os
import re
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pandas as pd

from planner.errors import FdcError, InputError
from planner.foods import FoodTable, _data_path, default_foods_path, parse_foods, read_text

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.nal.usda.gov/fdc"
DEMO_KEY = "DEMO_KEY"
DEMO_KEY_WARNING = ("DEMO_KEY allows only 30 requests an hour and 50 a day per IP address; "
                    "get a free key at https://fdc.nal.usda.gov/api-key-signup")
BATCH_SIZE = 20  # POST /v1/foods takes 1-20 ids
LOW_REMAINING = 10  # warn when X-RateLimit-Remaining drops below this

NUTRIENTS: tuple[str, ...] = (
    "energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "fiber_g", "magnesium_mg", "calcium_mg",
    "potassium_mg", "sodium_mg", "vitamin_d_mcg", "vitamin_b12_mcg", "thiamin_mg", "vitamin_b6_mg",
    "caffeine_mg",
)
TARGETED: tuple[str, ...] = ("magnesium_mg", "calcium_mg", "potassium_mg", "vitamin_d_mcg", "vitamin_b12_mcg")
# The column order of foods.csv: tables we create are written in it.
FOOD_COLUMNS: tuple[str, ...] = (
    ("food_id", "name", "fdc_id", "usda_description") + NUTRIENTS
    + ("nutrient_source", "serving_g", "serving_label", "serving_source", "slots", "role", "tags", "aisle",
       "max_servings", "package_g", "package_label", "package_price", "price_per_100g", "price_source",
       "price_date")
)

# FDC nutrient id -> column. Energy: 1008 (kcal); Foundation foods often carry only the
# Atwater energies 2048 (specific factors) / 2047 (general factors): used when 1008 is absent.
NUTRIENT_IDS: dict[int, str] = {
    1008: "energy_kcal", 1003: "protein_g", 1004: "fat_g", 1005: "carbohydrate_g", 1079: "fiber_g",
    1090: "magnesium_mg", 1087: "calcium_mg", 1092: "potassium_mg", 1093: "sodium_mg",
    1114: "vitamin_d_mcg", 1178: "vitamin_b12_mcg", 1165: "thiamin_mg", 1175: "vitamin_b6_mg",
    1057: "caffeine_mg",
}
ENERGY_FALLBACK_IDS = (2048, 2047)
# The abridged shape names nutrients by their (SR) number instead of the id.
NUTRIENT_NUMBERS: dict[str, str] = {
    "208": "energy_kcal", "203": "protein_g", "204": "fat_g", "205": "carbohydrate_g", "291": "fiber_g",
    "304": "magnesium_mg", "301": "calcium_mg", "306": "potassium_mg", "307": "sodium_mg",
    "328": "vitamin_d_mcg", "418": "vitamin_b12_mcg", "404": "thiamin_mg", "415": "vitamin_b6_mg",
    "262": "caffeine_mg",
}
ENERGY_FALLBACK_NUMBERS = ("958", "957")  # = ids 2048, 2047
_PRIORITY = {**{i: 0 for i in NUTRIENT_IDS}, 2048: 1, 2047: 2}
_NUMBER_PRIORITY = {**{n: 0 for n in NUTRIENT_NUMBERS}, "958": 1, "957": 2}
_ID_OF_NUMBER = {"958": 2048, "957": 2047}


def _unit(name: str) -> str:
    """FDC spells units `UG`, `µg`, `mcg`, `KCAL`, `kcal`, `MG`: one spelling each."""
    text = str(name or "").strip().lower().replace("µ", "u").replace("μ", "u")
    return {"mcg": "ug"}.get(text, text)


def _expected_unit(column: str) -> str:
    return {"kcal": "kcal", "g": "g", "mg": "mg", "mcg": "ug"}[column.rsplit("_", 1)[1]]


def _fmt(value: float) -> str:
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
            column, priority = NUTRIENT_IDS.get(nid, "energy_kcal"), _PRIORITY[nid]
        elif nid is None and number is not None:
            number = str(number).strip()
            if number in NUTRIENT_NUMBERS or number in ENERGY_FALLBACK_NUMBERS:
                column, priority = NUTRIENT_NUMBERS.get(number, "energy_kcal"), _NUMBER_PRIORITY[number]
        if column is None or amount is None:
            continue
        try:
            value = float(amount)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(value) or value < 0:
            continue
        if _unit(unit) != _expected_unit(column):
            notes.append(f"{column}: FDC gives it in {unit}, not {_expected_unit(column)}; left empty")
            continue
        if column not in best or priority < best[column][0]:
            best[column] = (priority, value)
    return {c: _fmt(v) for c, (p, v) in best.items()}, notes


# --------------------------------------------------------------------------- portions, guesses

@dataclass(frozen=True)
class Portion:
    seq: int
    amount: float | None
    unit: str
    description: str
    modifier: str
    grams: float

    @property
    def label(self) -> str:
        description = self.description.strip()
        if description and description[0].isdigit():  # Survey style: "1 cup"
            return description
        amount = self.amount if self.amount else 1.0
        amount_text = {0.25: "1/4", 0.5: "1/2", 0.75: "3/4"}.get(amount, _fmt(amount))
        unit = "" if self.unit.strip().lower() in ("", "undetermined") else self.unit.strip()
        words = ", ".join(p for p in (unit, description, self.modifier.strip()) if p)
        return f"{amount_text} {words}".strip()


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
MIN_SERVING_G = 10  # a household serving lighter than this is a garnish (1 tsp of sauce, 1 cherry)


def choose_serving(portions: list[Portion], role: str) -> Portion | None:
    """The first household portion (cup, tbsp, oz, slice, medium, ...) weighing 5-400 g,
    preferring one in the role's usual range (3 oz of meat rather than 1 oz, 1/2 cup of carrots
    rather than 1 tbsp; at least 10 g for any role without a range)."""
    household = [p for p in sorted(portions, key=lambda p: p.seq)
                 if 5 <= p.grams <= 400 and HOUSEHOLD.search(f"{p.unit} {p.description} {p.modifier}")]
    low, high = ROLE_GRAMS.get(role, (MIN_SERVING_G, 400))
    for portion in household:
        if low <= portion.grams <= high:
            return portion
    if role == "fat":  # a fat is served by the tablespoon or not at all
        return None
    # none in the usual range: the nearest by ratio (for seeds, 1 tbsp is nearer an ounce than 1 cup is)
    return min(household, key=lambda p: max(low / p.grams, p.grams / high), default=None)


@dataclass(frozen=True)
class Guess:
    slots: tuple[str, ...]
    role: str
    tags: tuple[str, ...]
    basis: str  # what the guess rests on, for the note


VEG = ("vegan", "vegetarian")
_MAIN = ("lunch", "dinner")
_WORDS = lambda *w: re.compile(r"\b(" + "|".join(w) + r")", re.IGNORECASE)  # noqa: E731
GLUTEN = _WORDS("wheat", "barley", "rye", "semolina", "couscous", "bulgur", "spelt", "durum", "farina", "malt",
                "seitan", "pasta", "macaroni", "spaghetti", "noodles", "bran flakes", "cream of wheat")
MEAT = _WORDS("beef", "pork", "chicken", "turkey", "ham\\b", "bacon", "sausage", "lamb", "veal", "meat",
              "frankfurter", "pepperoni", "salami", "bologna", "venison", "duck", "goose", "bison", "caribou",
              "moose", "elk", "deer", "whale", "seal", "walrus", "ptarmigan", "squirrel", "rabbit", "gelatin",
              "burger", "hamburger", "cheeseburger", "big mac", "whopper", "nugget", "hot dog", "meatball")
FISH = _WORDS("fish", "salmon", "tuna", "cod\\b", "shrimp", "crab", "clam", "oyster", "mussel", "scallop",
              "lobster", "anchov", "sardine", "herring", "trout", "halibut", "pollock", "tilapia", "catfish",
              "mackerel", "smelt", "roe\\b", "squid", "octopus")
SOY = _WORDS("soy", "tofu", "tempeh", "miso", "natto", "edamame")
PEANUT = _WORDS("peanut")
EGG = re.compile(r"^(egg|eggs)\b|\begg (white|yolk|substitute)", re.IGNORECASE)
DAIRY = _WORDS("milk", "cheese", "yogurt", "cream", "butter\\b", "whey", "kefir")
FORTIFIED = _WORDS("fortified", "with added vitamin d", "with added calcium", "vitamin d added")
RAW = re.compile(r"\braw\b", re.IGNORECASE)
DRY = re.compile(r"\b(dry(?![- ]roasted)|dry mix|mix, dry|powder|powdered|uncooked|unprepared)\b", re.IGNORECASE)
FLOUR = _WORDS("flour", "meal\\b", "cornmeal", "leavening", "baking powder", "baking soda", "yeast", "salt, table",
               "cornstarch", "starch", "vital wheat gluten", "gelatin", "pectin", "cocoa, dry")
DEHYDRATED = _WORDS("dehydrated", "freeze-dried", "freeze dried")
ALCOHOL = _WORDS("alcoholic", "beer", "wine\\b", "liqueur", "whiskey", "vodka", "rum\\b", "gin\\b",
                 "distilled", "sake\\b", "hard cider")
BABY = _WORDS("babyfood", "baby food", "infant formula", "toddler", "infant", "milk, human")
SWEETENER = re.compile(r"^(sugars?|sweeteners?|syrups?)\b", re.IGNORECASE)
RAW_GROUPS = {"Beef Products", "Pork Products", "Poultry Products", "Finfish and Shellfish Products",
              "Lamb, Veal, and Game Products", "Sausages and Luncheon Meats"}
# "prepared" and its kin, but not "not reconstituted" or "unprepared": the form as eaten.
PREPARED = re.compile(r"(?<!not )\b(prepared|reconstituted|diluted|cooked|boiled|stewed|baked)\b|from concentrate",
                      re.IGNORECASE)
# Sold as a powder, granules or concentrate (evaporated and condensed milk too): the values are for that form.
INSTANT = re.compile(r"\b(instant|powder|powdered|mix|crystals|concentrate|undiluted)\b|^milk, (canned|evaporated)\b",
                     re.IGNORECASE)
SNACK_MIX = re.compile(  # eaten as sold
    r"\b(trail|snack|oriental|party) mix\b", re.IGNORECASE)
PROTEIN_CONCENTRATE = re.compile(r"\bprotein,? (isolate|concentrate)|\b(meat extender|textured vegetable protein|"
                                 r"whey protein|protein powder)\b", re.IGNORECASE)
SUPPLEMENT = re.compile(r"\b(nutritional (supplement|shake|drink)|supplement|ensure|muscle milk|meal replacement|"
                        r"spirulina|tablets|seed gums)\b", re.IGNORECASE)
# A condiment is the food itself, not a dish "with" or "in" it: matched on the first part of the
# description ("Sauce, hoisin", "Cranberry sauce", "Pickle relish"), skipping "Spaghetti with meat sauce".
CONDIMENT_HEAD = re.compile(
    r"^(sauce|gravy|dip|pickles?|pickle relish|soy sauce|lemon juice|lime juice|maraschino|miso|wasabi|catsup|"
    r"ketchup|mustard(?! greens| spinach)|mayonnaise|horseradish|vinegar|jams?|jellies|marmalade|molasses|"
    r"honey(?! roll)|toppings?|frostings?|"
    r"pie fillings?|croutons|olives|capers|pimento|salsa|dulce de leche)\b"
    r"|\b(sauce|gravy|dressing|relish|topping|creamer|sour cream|sandwich spread|hazelnut spread|bacon bits|preserves|"
    r"fruit butters|syrup|peel|garlic|ginger root|lemon grass)$", re.IGNORECASE)
# ... and the few whose condiment word comes later.
CONDIMENT_ANYWHERE = re.compile(r"^tomato products, canned, (sauce|paste)|^beverages, chocolate syrup$|\(fuyu\)"
                                r"|topping$", re.IGNORECASE)
DISH = re.compile(r"\b(with|in|w/|loaf|and gravy)\b|&", re.IGNORECASE)
CANDY = re.compile(r"^(candies|candy|chewing gum|formulated bar|baking chocolate|chocolate, dark)\b|\bcand(y|ies)\b"
                   r"|\b(protein|energy|clif|luna|power|zone perfect|tiger's milk) bar\b|^snack, balance\b",
                   re.IGNORECASE)
FAT = re.compile(r"^(lard|shortening|margarine|fat, |fish oil|oil, |butter oil|ghee|vegetable oil)", re.IGNORECASE)
FAT_TRIM = re.compile(r"\b(separable fat|external fat|seam fat|fat only|rendered fat|skin only|suet|backfat|fatback|"
                      r"salt pork)\b", re.IGNORECASE)  # cut from meat and poultry
# Dried fruit and nuts are eaten as sold; dried vegetables, mushrooms, tofu and salt fish are soaked first.
DRIED = re.compile(r"\b(dried|sun-dried|dried-frozen)\b", re.IGNORECASE)
DRIED_GROUPS = {"Vegetables and Vegetable Products", "Legumes and Legume Products", "Finfish and Shellfish Products"}
# Not "ready-to-bake or -fry" tortillas: those are eaten as sold, warmed.
UNBAKED = re.compile(r"\b(refrigerated dough|frozen, ready-to-bake|unbaked)\b(?!.*\bbaked\b)", re.IGNORECASE)
FAST_FOOD = re.compile(r"\bfast[- ]food\b", re.IGNORECASE)
DRY_GROUPS = {"Cereal Grains and Pasta", "Breakfast Cereals", "Soups, Sauces, and Gravies", "Beverages", "Sweets",
              "Baked Products", "Dairy and Egg Products", "Legumes and Legume Products", "Snacks",
              "Meals, Entrees, and Side Dishes", "Vegetables and Vegetable Products"}
# Category descriptions FDC uses (SR Legacy's 25 food groups plus the rest of food_category.csv).
CATEGORIES: tuple[str, ...] = (
    "Dairy and Egg Products", "Spices and Herbs", "Baby Foods", "Fats and Oils", "Poultry Products",
    "Soups, Sauces, and Gravies", "Sausages and Luncheon Meats", "Breakfast Cereals", "Fruits and Fruit Juices",
    "Pork Products", "Vegetables and Vegetable Products", "Nut and Seed Products", "Beef Products", "Beverages",
    "Finfish and Shellfish Products", "Legumes and Legume Products", "Lamb, Veal, and Game Products",
    "Baked Products", "Sweets", "Cereal Grains and Pasta", "Fast Foods", "Meals, Entrees, and Side Dishes",
    "Snacks", "American Indian/Alaska Native Foods", "Restaurant Foods", "Alcoholic Beverages",
)
# With no category (the abridged answer), a first word of the description picks one.
_FIRST_WORD = [
    (r"^(cheese|milk|yogurt|egg|cream|kefir)", "Dairy and Egg Products"),
    (r"^(beans|lentils|chickpeas|peas, split|tofu|tempeh|soy|peanut|hummus)", "Legumes and Legume Products"),
    (r"^(fish|crustaceans|mollusks|salmon|tuna)", "Finfish and Shellfish Products"),
    (r"^(chicken|turkey|duck)", "Poultry Products"), (r"^beef", "Beef Products"), (r"^pork", "Pork Products"),
    (r"^(nuts|seeds|almond)", "Nut and Seed Products"), (r"^(rice|pasta|oats|quinoa|bulgur)", "Cereal Grains and Pasta"),
    (r"^(bread|rolls|bagels|crackers)", "Baked Products"), (r"^(oil|butter|margarine)", "Fats and Oils"),
]


def _dish(description: str) -> tuple[str, tuple[str, ...]]:
    """Role and tags of a mixed dish (soups, entrees, fast food) from its words."""
    tags = tuple(t for t, pattern in (("meat", MEAT), ("fish", FISH), ("dairy", DAIRY)) if pattern.search(description))
    protein = bool(MEAT.search(description) or FISH.search(description) or EGG.search(description)
                   or re.search(r"\b(bean|lentil|chili|tofu)", description, re.IGNORECASE))
    return ("protein" if protein else "starch"), tags


def _base_guess(category: str, d: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """slots, role, tags for a food of this FDC category and description."""
    lower = d.lower()
    if category == "Dairy and Egg Products":
        if EGG.search(d):
            return ("breakfast", "lunch"), "protein", ("vegetarian", "egg")
        if re.match(r"(butter|cream|sour cream)\b", lower) and "cheese" not in lower:
            return ("breakfast", "lunch", "dinner"), "fat", ("vegetarian", "dairy")
        return ("breakfast", "snack"), "dairy", ("vegetarian", "dairy")
    if category == "Legumes and Legume Products":
        tags = VEG + (("soy",) if SOY.search(d) else ()) + (("peanuts",) if PEANUT.search(d) else ())
        if re.search(r"soymilk|soy milk|\bmilk\b", lower):
            return ("breakfast", "snack"), "drink", tags
        if PEANUT.search(d):
            return ("breakfast", "snack"), "snack", tags
        return _MAIN, "protein", tags
    if category == "Finfish and Shellfish Products":
        return _MAIN, "protein", ("fish",)
    if category in ("Beef Products", "Pork Products", "Poultry Products", "Lamb, Veal, and Game Products"):
        return _MAIN, "protein", ("meat",)
    if category == "Sausages and Luncheon Meats":
        if re.search(r"meatless|vegetarian", lower):
            return ("breakfast", "lunch", "dinner"), "protein", ("vegetarian",) + (("soy",) if SOY.search(d) else ())
        return ("breakfast", "lunch", "dinner"), "protein", ("meat",)
    if category == "Breakfast Cereals":
        tags = ("vegetarian", "dairy") if "milk" in lower else VEG
        tags += (("gluten",) if GLUTEN.search(d) else ()) + (("fortified",) if FORTIFIED.search(d) else ())
        return ("breakfast",), "starch", tags
    if category == "Nut and Seed Products":
        tags = VEG + (("peanuts",) if PEANUT.search(d) else ("nuts",) if not lower.startswith("seeds") else ())
        return ("breakfast", "snack"), "snack", tags
    if category == "Vegetables and Vegetable Products":
        role = "starch" if re.match(r"potato(es)?\b", lower) else "vegetable"
        return _MAIN, role, VEG + (("soy",) if SOY.search(d) else ())
    if category == "Fruits and Fruit Juices":
        if re.search(r"\b(juice|nectar|drink)\b", lower):
            return ("breakfast", "snack"), "drink", VEG + (("fortified",) if FORTIFIED.search(d) else ())
        return ("breakfast", "snack"), "fruit", VEG
    if category in ("Beverages", "Alcoholic Beverages"):
        plant = re.search(r"\b(coffee|tea|water|carbonated|juice|almond milk|soy milk|soymilk|rice milk|oat milk|"
                          r"coconut milk)\b", lower) and not DAIRY.search(lower.replace("almond milk", "")
                                                                           .replace("soy milk", "")
                                                                           .replace("rice milk", "")
                                                                           .replace("oat milk", "")
                                                                           .replace("coconut milk", ""))
        tags = (VEG if plant else ()) + (("soy",) if SOY.search(d) else ()) \
            + (("nuts",) if "almond" in lower else ()) + (("fortified",) if FORTIFIED.search(d) else ())
        return ("breakfast", "snack"), "drink", tags
    if category == "Fats and Oils":
        tags = ("vegetarian", "dairy") if re.match(r"butter\b", lower) else VEG if lower.startswith("oil") else ()
        return ("breakfast", "lunch", "dinner"), "fat", tags
    if category in ("Cereal Grains and Pasta", "Baked Products"):
        sweet = re.search(r"\b(cake|cookie|pie|pastry|pastries|doughnut|brownie|danish|sweet roll|cheesecake)",
                          lower)
        gluten = GLUTEN.search(d) or (category == "Baked Products" and not re.search(
            r"gluten-free|\bcorn\b|\brice\b", lower))
        egg = ("egg",) if re.search(r"\begg\b", lower) else ()
        tags = (("vegetarian",) if category == "Baked Products" or egg else VEG) + egg \
            + (("gluten",) if gluten else ()) + (("fortified",) if re.search(r"\benriched\b|fortified", lower) else ())
        if sweet:
            return ("snack",), "snack", tags
        if category == "Baked Products":
            return ("breakfast", "lunch"), "starch", tags
        return _MAIN, "starch", tags
    if category in ("Sweets", "Snacks"):
        return ("snack",), "snack", (("meat",) if MEAT.search(d) else ()) + (("gluten",) if GLUTEN.search(d) else ())
    if category in ("Soups, Sauces, and Gravies", "Meals, Entrees, and Side Dishes", "Fast Foods",
                    "Restaurant Foods", "American Indian/Alaska Native Foods"):
        role, tags = _dish(d)
        if category == "Soups, Sauces, and Gravies" and role == "starch":
            role = "vegetable"
        return _MAIN, role, tags + (("gluten",) if GLUTEN.search(d) else ())
    if category == "Spices and Herbs":
        return _MAIN, "ingredient", VEG
    if category == "Baby Foods":
        return ("breakfast", "snack"), "ingredient", ()
    return (), "", ()


def classify(category: str, description: str, *, serving_g: float | None = None, has_portion: bool = True,
             targeted_empty: bool = False, explicit: bool = False) -> tuple[Guess, str]:
    """Guess slots, role and tags from the FDC category; return the guess and why it is kept out ('' if not).

    A plan should read like meals, so foods nobody serves as a meal item are kept out: they
    stay in the table (look-ups by id still work) with role `ingredient`, which the planner
    never serves, and the reason is stated in `serving_source`. The first matching reason wins:

    * what it is: baby foods, infant formula and human milk; restaurant and fast foods;
      American Indian/Alaska Native foods (a regional, mostly wild-harvested niche);
      alcoholic beverages; spices and herbs; supplements and nutrition drinks; protein
      concentrates and isolates;
    * the form it is in: raw flours, starches, leavening and salt; dehydrated and
      freeze-dried foods; dry mixes, powders and instant mixes or concentrates not
      prepared; raw meat, fish, poultry, sausages and eggs, dry raw beans and lentils,
      uncooked grains, unbaked dough (a cooked form exists); dried vegetables, mushrooms,
      tofu and fish (eaten rehydrated, a little at a time);
    * how it is eaten: sugars and syrups; sauces, gravies, dressings, dips, pickles and
      relishes, jams, toppings, frostings, creamers, garnishes (maraschino cherries, olives,
      peel) and seasonings (garlic, ginger root); fats and oils of every kind (oils, lard,
      tallow, shortening, margarine, butter, cream, fat trimmed from meat, poultry skin);
      candies and formulated bars;
    * what the data lack: a value for any targeted nutrient; a household portion of
      5-400 g (the food would be served by "100 g"); a serving of at least 10 g.

    Words are matched on word boundaries; condiments on the first part of the description
    only, so "Sauce, hoisin" is kept out and "Spaghetti with meat sauce" is not.
    `explicit` (a food a person added by id) does not keep out restaurant, fast or
    American Indian/Alaska Native foods: someone asked for them.
    """
    category = (category or "").strip()
    basis = f"category '{category}'"
    if category not in CATEGORIES:
        for pattern, guess in _FIRST_WORD:
            if re.match(pattern, description.strip(), re.IGNORECASE):
                basis = f"description (no known FDC category{f' in {category!r}' if category else ''}; " \
                        f"read as '{guess}')"
                category = guess
                break
    slots, role, tags = _base_guess(category, description)
    if not role:
        basis = f"nothing (FDC category '{category}' unknown): set slots/role/tags yourself" if category \
            else "nothing (no FDC category): set slots/role/tags yourself"
    guess = Guess(slots, role, tags, basis)
    d = description
    head = re.sub(r"\s*\([^)]*\)", "", d.split(",")[0]).strip()  # "Lemon grass (citronella), raw": "Lemon grass"
    reasons = [
        (category == "Baby Foods" or BABY.search(d), "baby food or infant formula"),
        ((category in ("Fast Foods", "Restaurant Foods") or FAST_FOOD.search(d)) and not explicit,
         "restaurant or fast food"),
        (category == "American Indian/Alaska Native Foods" and not explicit,
         "American Indian/Alaska Native food (regional, mostly wild-harvested)"),
        (category == "Alcoholic Beverages" or (category == "Beverages" and ALCOHOL.search(d)), "alcoholic beverage"),
        (category == "Spices and Herbs", "spice or herb"),
        (SUPPLEMENT.search(d), "supplement or nutrition drink"),
        (PROTEIN_CONCENTRATE.search(d), "protein concentrate or isolate"),
        (FLOUR.search(d) and not re.search(r"\b(cooked|prepared|baked)\b", d, re.I)
         and not re.search(r"\b(bread|muffins?|cakes?|cookies?|crackers?|rolls?|biscuits?|pancakes?|waffles?)\b",
                           d.split(",")[0], re.I), "raw flour, starch, leavening or salt"),
        (DEHYDRATED.search(d), "dehydrated or freeze-dried"),
        (category in DRY_GROUPS and DRY.search(d) and not re.search(r"(?<!not )\b(cooked|prepared|reconstituted)\b",
                                                                     d, re.I), "dry mix, powder or uncooked"),
        (category == "Dairy and Egg Products" and re.search(r"\bdried\b", d, re.I), "dry mix, powder or uncooked"),
        (INSTANT.search(d) and not PREPARED.search(d) and not SNACK_MIX.search(d),
         "instant mix, powder or concentrate, not prepared"),
        (category in RAW_GROUPS and re.search(r"\b(raw|unprepared)\b", d, re.I), "raw (a cooked form exists)"),
        (category == "Dairy and Egg Products" and EGG.search(d) and RAW.search(d), "raw egg (a cooked form exists)"),
        (category == "Legumes and Legume Products" and re.search(r"mature seeds, raw|^lentils\b.*\braw\b", d, re.I),
         "dry raw beans (a cooked form exists)"),
        # grains are sold dry: only a cooked (or puffed, canned) grain is served
        (category == "Cereal Grains and Pasta" and (RAW.search(d) or not re.search(
            r"\b(cooked|prepared|canned|boiled|steamed|puffed|restaurant)\b", d, re.I)),
         "uncooked grain (a cooked form exists)"),
        (category == "Baked Products" and UNBAKED.search(d), "unbaked dough (a baked form exists)"),
        (category in DRIED_GROUPS and DRIED.search(d) and not re.search(r"\b(cooked|boiled|stewed|rehydrated)\b", d,
                                                                         re.I), "dried (eaten rehydrated, a little)"),
        (SWEETENER.search(d), "sugar or syrup"),
        (CANDY.search(d) and not FAT.search(d), "candy or formulated bar"),  # not "oil for candy coatings"
        ((CONDIMENT_HEAD.search(head) and not DISH.search(head)) or CONDIMENT_ANYWHERE.search(d),
         "sauce, condiment, spread or garnish"),
        (role == "fat" or FAT.search(d) or (category in RAW_GROUPS and FAT_TRIM.search(d)),
         "fat or oil (cooked with or spread, not a dish)"),
        (targeted_empty, "no value for any of magnesium, calcium, potassium, vitamin D, B12"),
        (not has_portion, "no household portion of 5-400 g in FDC (it would be served by 100 g)"),
        (serving_g is not None and serving_g < MIN_SERVING_G, f"household serving under {MIN_SERVING_G} g"),
    ]
    reason = next((why for hit, why in reasons if hit), "")
    return guess, reason


def make_row(fdc_id: int | str, description: str, category: str, values: dict[str, str],
             portions: list[Portion], nutrient_source: str, *, explicit: bool = False,
             portion_source: str = "FDC portion", portions_known: bool = True) -> dict[str, str]:
    """One row of our food table (all cells text) for an FDC food."""
    targeted_empty = all(not values.get(c) for c in TARGETED)
    guess, _ = classify(category, description)
    serving = choose_serving(portions, guess.role)
    # an abridged API answer sends no portions: that is no evidence the food has none
    guess, reason = classify(category, description, serving_g=serving.grams if serving else None,
                             has_portion=serving is not None or not portions_known, targeted_empty=targeted_empty,
                             explicit=explicit)
    row = dict.fromkeys(FOOD_COLUMNS, "")
    row.update(food_id=f"fdc_{fdc_id}", name=description, fdc_id=str(fdc_id), usda_description=description,
               nutrient_source=nutrient_source)
    row.update({c: values.get(c, "") for c in NUTRIENTS})
    notes = []
    if serving is not None:
        row["serving_g"] = _fmt(serving.grams)
        row["serving_label"] = serving.label
        notes.append(f"{portion_source} seq {serving.seq} ({serving.label})")
    else:
        notes.append("no household portion of 5-400 g in FDC: 100 g")
    notes.append(f"slots/role/tags guessed from {guess.basis}")
    if reason:
        notes.append(f"kept out: {reason}")
    row["serving_source"] = "; ".join(notes)
    row["role"] = "ingredient" if reason else guess.role
    row["slots"] = "|".join(guess.slots)
    row["tags"] = "|".join(t for t in ("vegan", "vegetarian", "dairy", "egg", "fish", "meat", "nuts", "peanuts",
                                       "soy", "gluten", "fortified") if t in guess.tags)
    return row


def _table_text(rows: Iterable[dict[str, str]], columns: tuple[str, ...] = FOOD_COLUMNS,
                lineterminator: str = "\n", header: bool = True) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator=lineterminator, extrasaction="ignore")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


# --------------------------------------------------------------------------- the HTTP client

class FdcNotFound(FdcError):
    """FoodData Central knows no food with this id."""


def default_cache_dir() -> Path:
    return Path(os.environ.get("PLANNER_CACHE_DIR") or Path.home() / ".cache" / "planner")


def _json_ok(response) -> bool:
    try:
        response.json()
        return True
    except ValueError:
        return False


class FdcClient:
    """A small FoodData Central client: header auth, bounded retries, an on-disk cache.

    `backoff` is the first retry delay in seconds (doubling each try); tests set it tiny.
    `warn` receives warnings (low rate limit, DEMO_KEY); by default they are logged.
    """

    def __init__(self, api_key: str | None, base_url: str | None = None, *, cache_dir: str | Path | None = None,
                 use_cache: bool = True, timeout: float = 15.0, tries: int = 4, backoff: float = 0.5,
                 warn: Callable[[str], None] | None = None, max_retry_after: float = 60.0):
        import requests

        self._requests = requests
        if not api_key or not api_key.strip():
            raise FdcError("no FoodData Central API key: pass --api-key or set FDC_API_KEY (a free key: "
                           "https://fdc.nal.usda.gov/api-key-signup; DEMO_KEY works for a few requests)")
        self._key = api_key.strip()
        self.base_url = (base_url or os.environ.get("FDC_API_URL") or DEFAULT_API_URL).rstrip("/")
        if not re.match(r"^https?://", self.base_url):
            raise InputError("--api-url", f"expected an http(s) URL, got '{self._scrub(self.base_url)}'")
        self.timeout, self.tries, self.backoff = float(timeout), max(1, int(tries)), float(backoff)
        self.max_retry_after = max_retry_after
        self.warn = warn or log.warning
        self.requests_made = 0
        self._warned_low = False
        if self._key == DEMO_KEY:
            self.warn(DEMO_KEY_WARNING)
        if use_cache:
            import requests_cache

            folder = Path(cache_dir) if cache_dir else default_cache_dir()
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(str(folder), f"cannot create the cache folder ({exc.strerror})") from None
            self.cache_path = folder / "fdc_http_cache.sqlite"
            self.session = requests_cache.CachedSession(
                str(self.cache_path), backend="sqlite", expire_after=timedelta(days=30),
                allowable_methods=("GET", "POST"), allowable_codes=(200,),
                ignored_parameters=["api_key", "X-Api-Key"], match_headers=False, filter_fn=_json_ok)
        else:
            self.cache_path = None
            self.session = requests.Session()
        self.session.headers["X-Api-Key"] = self._key
        self.session.headers["Accept"] = "application/json"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> FdcClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _scrub(self, text: str) -> str:
        text = re.sub(r"(api_key=)[^&\s]+", r"\1***", str(text), flags=re.IGNORECASE)
        return text.replace(self._key, "***") if getattr(self, "_key", "") else text

    def _error(self, message: str, cls: type[FdcError] = FdcError) -> FdcError:
        return cls(self._scrub(message))

    def _request(self, method: str, path: str, *, params=None, json_body=None):
        """One call with retries on 429, 5xx, timeouts and dropped connections."""
        requests = self._requests
        label = f"{method} {path}"
        last = ""
        for attempt in range(self.tries):
            if attempt:
                delay = self.backoff * 2 ** (attempt - 1)
                time.sleep(delay)
            try:
                response = self.session.request(method, self.base_url + path, params=params, json=json_body,
                                                timeout=self.timeout)
            except requests.Timeout:
                last = f"no answer within {self.timeout:g} s"
                continue
            except requests.ConnectionError:
                last = f"cannot connect to {self.base_url}"
                continue
            except requests.RequestException as exc:
                raise self._error(f"FoodData Central {label}: {exc.__class__.__name__}") from None
            if not getattr(response, "from_cache", False):
                self.requests_made += 1
                self._check_remaining(response)
            status = response.status_code
            if status == 429 or status >= 500:
                last = f"HTTP {status}" + (" (rate limit exceeded)" if status == 429 else "")
                retry_after = response.headers.get("Retry-After", "")
                if status == 429 and retry_after.strip().isdigit() and float(retry_after) > self.max_retry_after:
                    raise self._error(f"FoodData Central {label}: rate limit exceeded; it asks to wait "
                                      f"{int(retry_after)} s (DEMO_KEY: 30 requests an hour)")
                continue
            return response
        raise self._error(f"FoodData Central {label}: {last} (gave up after {self.tries} tries)")

    def _check_remaining(self, response) -> None:
        remaining = response.headers.get("X-RateLimit-Remaining", "").strip()
        if remaining.isdigit() and int(remaining) < LOW_REMAINING and not self._warned_low:
            self._warned_low = True
            self.warn(f"FoodData Central rate limit nearly used up: {remaining} requests left this hour")

    def _json(self, response, label: str):
        status = response.status_code
        if status == 403:
            code = ""
            try:
                code = str(response.json().get("error", {}).get("code", ""))
            except (ValueError, AttributeError):
                pass
            raise self._error(f"FoodData Central refused the API key ({code or 'HTTP 403'}) for {label}: "
                              "check --api-key or FDC_API_KEY")
        if status == 404:
            raise self._error(f"FoodData Central {label}: not found (HTTP 404)", FdcNotFound)
        if status >= 400:
            raise self._error(f"FoodData Central {label}: HTTP {status} {response.reason or ''}".rstrip())
        try:
            return response.json()
        except ValueError:
            snippet = response.text[:40].replace("\n", " ")
            raise self._error(f"FoodData Central {label}: the answer is not valid JSON "
                              f"({len(response.content)} bytes, starting {snippet!r})") from None

    def get_food(self, fdc_id: int) -> dict:
        """One food, full format; abridged when full answers 404 (some Foundation foods do)."""
        path = f"/v1/food/{int(fdc_id)}"
        try:
            food = self._json(self._request("GET", path, params={"format": "full"}), f"GET {path}")
        except FdcNotFound:
            food = self._json(self._request("GET", path, params={"format": "abridged"}),
                              f"GET {path}?format=abridged")
        if not isinstance(food, dict) or "fdcId" not in food:
            raise self._error(f"FoodData Central GET {path}: the answer is not a food object")
        return food

    def get_foods(self, fdc_ids: Iterable[int], progress: Callable[[int, int], None] | None = None
                  ) -> tuple[dict[int, dict], list[int]]:
        """Many foods, 20 per `POST /v1/foods`; ids missing from a batch answer are asked one by
        one (full, then abridged). Returns the foods by id and the ids FDC does not know."""
        ids = list(dict.fromkeys(int(i) for i in fdc_ids))
        found: dict[int, dict] = {}
        missing: list[int] = []
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start:start + BATCH_SIZE]
            try:
                answer = self._json(self._request("POST", "/v1/foods", json_body={"fdcIds": batch, "format": "full"}),
                                    "POST /v1/foods")
            except FdcNotFound:
                answer = []
            if not isinstance(answer, list):
                raise self._error("FoodData Central POST /v1/foods: expected a list of foods, got "
                                  f"{type(answer).__name__}")
            for food in answer:
                if isinstance(food, dict) and str(food.get("fdcId", "")).isdigit():
                    found[int(food["fdcId"])] = food
            for fdc_id in batch:
                if fdc_id not in found:
                    try:
                        found[fdc_id] = self.get_food(fdc_id)
                    except FdcNotFound:
                        missing.append(fdc_id)
            if progress:
                progress(len(batch), len(ids))
        return found, missing

    def search(self, query: str, data_types: Iterable[str] = ("Foundation", "SR Legacy"), page: int = 1,
               page_size: int = 25) -> SearchPage:
        if not query.strip():
            raise InputError("QUERY", "expected words to search for")
        if not 1 <= page_size <= 200:
            raise InputError("--page-size", f"expected 1-200, got {page_size}")
        if page < 1:
            raise InputError("--page", f"expected a page number >= 1, got {page}")
        types = [normalise_data_type(t) for t in data_types]
        params = {"query": query, "pageNumber": page, "pageSize": page_size}
        if types:
            params["dataType"] = ",".join(types)
        answer = self._json(self._request("GET", "/v1/foods/search", params=params), "GET /v1/foods/search")
        if not isinstance(answer, dict) or not isinstance(answer.get("foods", []), list):
            raise self._error("FoodData Central GET /v1/foods/search: the answer has no list of foods")
        return search_page(answer, page, page_size)


DATA_TYPES = ("Foundation", "SR Legacy", "Survey (FNDDS)", "Branded")


def normalise_data_type(text: str) -> str:
    key = re.sub(r"[^a-z]", "", text.lower())
    aliases = {"foundation": "Foundation", "srlegacy": "SR Legacy", "sr": "SR Legacy", "legacy": "SR Legacy",
               "surveyfndds": "Survey (FNDDS)", "survey": "Survey (FNDDS)", "fndds": "Survey (FNDDS)",
               "branded": "Branded"}
    if key not in aliases:
        raise InputError("--data-type", f"unknown data type '{text}' (expected some of: {', '.join(DATA_TYPES)})")
    return aliases[key]


@dataclass(frozen=True)
class SearchPage:
    foods: pd.DataFrame  # fdc_id, description, data_type, category + the five targeted nutrients
    page: int
    total_pages: int
    total_hits: int

    def summary(self) -> str:
        return f"page {self.page} of {self.total_pages}, {self.total_hits:,} hits"


def search_page(answer: dict, page: int = 1, page_size: int = 25) -> SearchPage:
    """A search answer (2019 shape without nutrients, or today's with them) as a table."""
    rows = []
    for food in answer.get("foods") or []:
        if not isinstance(food, dict):
            continue
        values, _ = food_values(food)
        category = food.get("foodCategory") or ""
        if isinstance(category, dict):
            category = category.get("description", "")
        row = {"fdc_id": food.get("fdcId"), "description": food.get("description", ""),
               "data_type": food.get("dataType", ""), "category": str(category)}
        for column in TARGETED:
            row[column] = float(values[column]) if column in values else float("nan")
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["fdc_id", "description", "data_type", "category", *TARGETED])
    hits = int(answer.get("totalHits") or len(rows))
    pages = answer.get("totalPages")
    pages = int(pages) if isinstance(pages, int) or str(pages).isdigit() else max(1, math.ceil(hits / page_size))
    return SearchPage(frame, int(answer.get("currentPage") or page), pages, hits)


# --------------------------------------------------------------------------- API foods -> rows

def _category(food: dict) -> str:
    for key in ("foodCategory", "wweiaFoodCategory", "brandedFoodCategory"):
        value = food.get(key)
        if isinstance(value, dict):
            value = value.get("description") or value.get("wweiaFoodCategoryDescription")
        if value:
            return str(value)
    return ""


def api_portions(food: dict) -> list[Portion]:
    out = []
    for position, p in enumerate(food.get("foodPortions") or []):
        try:
            grams = float(p.get("gramWeight"))
        except (TypeError, ValueError):
            continue
        unit = p.get("measureUnit") or {}
        try:
            amount = float(p["amount"]) if p.get("amount") is not None else None
        except (TypeError, ValueError):
            amount = None
        out.append(Portion(int(p.get("sequenceNumber") or position + 1), amount,
                           str(unit.get("name", "") if isinstance(unit, dict) else unit),
                           str(p.get("portionDescription") or ""), str(p.get("modifier") or ""), grams))
    return out


def _api_source(food: dict) -> str:
    published = food.get("publicationDate") or food.get("publishedDate") or ""
    return (f"USDA FoodData Central {food.get('dataType', '')} fdc_id {food.get('fdcId')} (API"
            + (f", published {published}" if published else "") + ")").replace("  ", " ")


def api_row(food: dict) -> tuple[dict[str, str], list[str]]:
    """A table row for a food the API answered, and notes on values left out."""
    values, notes = food_values(food)
    portions = api_portions(food)
    row = make_row(food["fdcId"], str(food.get("description", "")).strip(), _category(food), values, portions,
                   _api_source(food), explicit=True,
                   # an abridged answer sends no portions: that is no evidence the food has none
                   portions_known="foodPortions" in food)
    return row, notes


def check_writable(path: str | Path | None) -> Path:
    """The path to write a table to; refuses the embedded table and 'sr-legacy'."""
    if not path:
        raise InputError("--foods", "give the table to write with --foods PATH (the embedded table is not edited)")
    if str(path) == "sr-legacy":
        raise InputError("--foods", "'sr-legacy' is built in and cannot be written; give a CSV path")
    target = Path(path).expanduser().resolve()
    embedded = default_foods_path().resolve()
    package_data = Path(_data_path("foods.csv")).resolve().parent
    if target == embedded or target.parent == package_data:
        raise InputError(str(path), "this is the planner's embedded table; copy it and give the copy with --foods")
    return target


def _read_table(path: Path) -> tuple[str, list[str], list[dict[str, str]], str]:
    text = read_text(path)
    parse_foods(text, source=str(path))  # the same checks as the planner
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    first_line = text.split("\n", 1)[0]
    return text, list(reader.fieldnames or []), rows, "\r\n" if first_line.endswith("\r") else "\n"


@dataclass
class AddResult:
    added: pd.DataFrame
    skipped: list[str] = field(default_factory=list)   # already in the table
    missing: list[int] = field(default_factory=list)    # unknown to FDC
    notes: list[str] = field(default_factory=list)
    created: bool = False


def add_foods(client: FdcClient, fdc_ids: Iterable[int], foods_path: str | Path,
              progress: Callable[[int, int], None] | None = None) -> AddResult:
    """Fetch foods by FDC id and append them to a table (created with our header if absent).

    Rows get `food_id` `fdc_<id>`, nutrients, the household serving and guessed
    slots/role/tags (the guess is stated in `serving_source`). Ids FDC does not know
    are reported in `missing`; the rest is added. The file is replaced atomically and only
    after the new table passes the planner's own checks.
    """
    from planner.report import write_atomic

    path = check_writable(foods_path)
    ids = [int(i) for i in fdc_ids]
    if path.exists():
        text, header, rows, newline = _read_table(path)
        created = False
    else:
        text, header, rows, newline, created = "", list(FOOD_COLUMNS), [], "\n", True
    known = {row.get("fdc_id", "").strip(): row.get("food_id", "") for row in rows}
    existing_ids = {row.get("food_id", "").strip() for row in rows}
    result = AddResult(pd.DataFrame(), created=created)
    wanted = []
    for fdc_id in dict.fromkeys(ids):
        if str(fdc_id) in known or f"fdc_{fdc_id}" in existing_ids:
            result.skipped.append(f"{fdc_id} (already in the table as {known.get(str(fdc_id)) or f'fdc_{fdc_id}'})")
        else:
            wanted.append(fdc_id)
    found, result.missing = client.get_foods(wanted, progress) if wanted else ({}, [])
    new_rows = []
    for fdc_id in wanted:
        if fdc_id in found:
            row, notes = api_row(found[fdc_id])
            new_rows.append(row)
            result.notes += [f"fdc_{fdc_id}: {n}" for n in notes]
    if new_rows:
        if created:
            text = _table_text(new_rows)
        else:
            if text and not text.endswith("\n"):
                text += newline
            text += _table_text(new_rows, tuple(header), newline, header=False)
        parse_foods(text, source=str(path))
        write_atomic(path, text)
    result.added = pd.DataFrame(
        [{"food_id": r["food_id"], "name": r["name"][:50], "serving": f"{r['serving_label'] or '100 g'}",
          "role": r["role"], "slots": r["slots"], "tags": r["tags"],
          **{c: float(r[c]) if r[c] else float("nan") for c in TARGETED}} for r in new_rows],
        columns=["food_id", "name", "serving", "role", "slots", "tags", *TARGETED])
    return result


@dataclass
class EnrichResult:
    changes: pd.DataFrame            # food_id, column, old, new
    text: str                        # the refreshed table
    checked: int                     # foods with an fdc_id
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed_foods(self) -> int:
        return self.changes["food_id"].nunique() if not self.changes.empty else 0


def _same(old: str, new: str) -> bool:
    try:
        return math.isclose(float(old), float(new), rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return old.strip() == new.strip()


def enrich_table(client: FdcClient, foods_path: str | Path,
                 progress: Callable[[int, int], None] | None = None) -> EnrichResult:
    """Refresh every food with an `fdc_id` from the API; return the diff and the new table text.

    Refreshed: the 14 nutrient columns the table has, `usda_description`, and
    `nutrient_source` of foods whose values changed. A value FDC does not send is kept
    (an abridged answer lacks many), never blanked. Nothing is written here: `write_enriched`
    does that, so a failure half way leaves the table as it was.
    """
    path = Path(foods_path)
    text, header, rows, newline = _read_table(path)
    by_id: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        cell = (row.get("fdc_id") or "").strip()
        if cell:
            try:
                by_id.setdefault(int(float(cell)), []).append(row)
            except ValueError:
                raise InputError(str(path), f"fdc_id '{cell}' is not a number", field="fdc_id") from None
    found, missing = client.get_foods(list(by_id), progress)
    changes, notes = [], []
    columns = [c for c in NUTRIENTS if c in header]
    for fdc_id, food in found.items():
        values, value_notes = food_values(food)
        description = str(food.get("description", "")).strip()
        for row in by_id[fdc_id]:
            food_id = row["food_id"]
            notes += [f"{food_id}: {n}" for n in value_notes]
            changed = False
            for column in columns:
                new = values.get(column)
                old = (row.get(column) or "").strip()
                if new is not None and not (old and _same(old, new)):
                    changes.append({"food_id": food_id, "column": column, "old": old, "new": new})
                    row[column] = new
                    changed = True
            updates = []
            if "usda_description" in header and description and row.get("usda_description", "").strip() != description:
                updates.append(("usda_description", description))
            if changed and "nutrient_source" in header:
                updates.append(("nutrient_source", _api_source(food)))
            for column, new in updates:
                changes.append({"food_id": food_id, "column": column, "old": row.get(column, ""), "new": new})
                row[column] = new
    for fdc_id in missing:
        for row in by_id[fdc_id]:
            notes.append(f"{row['food_id']}: FoodData Central knows no fdc_id {fdc_id}; left as it was")
    new_text = _table_text(rows, tuple(header), newline) if changes else text
    if changes:
        parse_foods(new_text, source=f"{path} (refreshed)")
    frame = pd.DataFrame(changes, columns=["food_id", "column", "old", "new"])
    return EnrichResult(frame, new_text, sum(len(v) for v in by_id.values()),
                        [f"{by_id[i][0]['food_id']} ({i})" for i in missing], notes)


def write_enriched(result: EnrichResult, foods_path: str | Path) -> None:
    from planner.report import write_atomic

    write_atomic(check_writable(foods_path), result.text)


# --------------------------------------------------------------------------- bulk CSV download

BULK_FILES = ("food.csv", "food_nutrient.csv", "nutrient.csv", "food_portion.csv", "food_category.csv",
              "measure_unit.csv")
BULK_DATA_TYPES = {"sr_legacy_food": "SR Legacy", "foundation_food": "Foundation"}


class _Bulk:
    """The CSV files of an FDC download, in a folder or a zip (possibly one folder deep)."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = None
        if path.is_file() and zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            names = [n for n in self.zip.namelist() if n.rsplit("/", 1)[-1] == "food.csv"]
            if not names:
                raise InputError(str(path), "no food.csv in this zip (expected FDC's CSV download)")
            self.prefix = min(names, key=len)[: -len("food.csv")]
        elif path.is_dir():
            candidates = sorted(path.rglob("food.csv"), key=lambda p: len(p.parts))
            if not candidates:
                raise InputError(str(path), "no food.csv in this folder (expected FDC's CSV download)")
            self.folder = candidates[0].parent
        else:
            raise InputError(str(path), "expected FDC's CSV download: a .zip or its folder")

    def has(self, name: str) -> bool:
        if self.zip:
            return self.prefix + name in self.zip.namelist()
        return (self.folder / name).is_file()

    def open(self, name: str):
        if not self.has(name):
            raise InputError(str(self.path), f"no {name} in the download (need {', '.join(BULK_FILES[:3])})")
        if self.zip:
            return io.TextIOWrapper(self.zip.open(self.prefix + name), encoding="utf-8-sig", newline="")
        return (self.folder / name).open(encoding="utf-8-sig", newline="")

    def rows(self, name: str) -> Iterable[dict[str, str]]:
        with self.open(name) as handle:
            yield from csv.DictReader(handle)


@dataclass
class ImportResult:
    text: str
    foods: int
    kept_out: int
    source: str
    notes: list[str] = field(default_factory=list)


def _summary(rows: list[dict[str, str]], text: str, source: str, notes: list[str]) -> ImportResult:
    parse_foods(text, source=source)
    return ImportResult(text, len(rows), sum(r["role"] == "ingredient" for r in rows), source, notes)


def import_bulk(path: str | Path) -> ImportResult:
    """FDC's bulk CSV download (zip or folder), SR Legacy and Foundation rows, as our table.

    `food_nutrient.csv` (644,125 rows for SR Legacy) is streamed with the csv module,
    keeping only our 14 nutrient ids. Units are checked against `nutrient.csv`.
    A path to the shipped flat extract (`usda_sr_legacy_nutrients.csv`) or `sr-legacy`
    imports that instead.
    """
    if str(path) == "sr-legacy":
        return _summary_from_text(_sr_legacy_text(), "sr-legacy")
    path = Path(path)
    if path.is_file() and not zipfile.is_zipfile(path):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        if "food_group" in header and "magnesium_mg" in header:
            portions = path.with_name(path.name.replace("nutrients", "portions"))
            return _summary_from_text(_extract_text(path, portions if portions != path else None), str(path))
    bulk = _Bulk(path)
    categories = {r["id"]: r["description"] for r in bulk.rows("food_category.csv")} \
        if bulk.has("food_category.csv") else {}
    units = {r["id"]: r["name"] for r in bulk.rows("measure_unit.csv")} if bulk.has("measure_unit.csv") else {}
    wanted_ids = {**{str(i): c for i, c in NUTRIENT_IDS.items()}, "2048": "energy_kcal", "2047": "energy_kcal"}
    priority = {str(k): v for k, v in _PRIORITY.items()}
    notes: list[str] = []
    for r in bulk.rows("nutrient.csv"):
        if r.get("id") in wanted_ids:
            column = wanted_ids[r["id"]]
            if _unit(r.get("unit_name", "")) != _expected_unit(column):
                notes.append(f"nutrient {r['id']} is in {r.get('unit_name')}, not {_expected_unit(column)}: "
                             f"{column} left empty")
                del wanted_ids[r["id"]]
    foods: dict[str, dict[str, str]] = {}
    for r in bulk.rows("food.csv"):
        if r.get("data_type") in BULK_DATA_TYPES:
            foods[r["fdc_id"]] = r
    values: dict[str, dict[str, tuple[int, str]]] = {f: {} for f in foods}
    with bulk.open("food_nutrient.csv") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        try:
            i_food, i_nutrient, i_amount = (header.index(c) for c in ("fdc_id", "nutrient_id", "amount"))
        except ValueError:
            raise InputError(f"{path}: food_nutrient.csv", "expected columns fdc_id, nutrient_id, amount") from None
        for record in reader:
            nutrient = record[i_nutrient]
            if nutrient in wanted_ids:
                food = values.get(record[i_food])
                amount = record[i_amount].strip()
                if food is None or not amount:
                    continue
                column, rank = wanted_ids[nutrient], priority[nutrient]
                if column not in food or rank < food[column][0]:
                    food[column] = (rank, amount)
    portions: dict[str, list[Portion]] = {}
    if bulk.has("food_portion.csv"):
        for r in bulk.rows("food_portion.csv"):
            if r["fdc_id"] not in foods:
                continue
            try:
                grams = float(r["gram_weight"])
                amount = float(r["amount"]) if (r.get("amount") or "").strip() else None
                seq = int(float(r["seq_num"])) if (r.get("seq_num") or "").strip() else 999
            except ValueError:
                continue
            portions.setdefault(r["fdc_id"], []).append(
                Portion(seq, amount, units.get(r.get("measure_unit_id", ""), ""), r.get("portion_description") or "",
                        r.get("modifier") or "", grams))
    rows = []
    for fdc_id, food in foods.items():
        kind = BULK_DATA_TYPES[food["data_type"]]
        date = food.get("publication_date", "")
        source = f"USDA FoodData Central {kind} fdc_id {fdc_id} (bulk CSV" + (f", published {date})" if date else ")")
        found = {c: _fmt(float(v)) for c, (_, v) in values[fdc_id].items() if _is_number(v)}
        rows.append(make_row(fdc_id, food["description"].strip(), categories.get(food.get("food_category_id", ""), ""),
                             found, portions.get(fdc_id, []), source, portion_source="FDC portion"))
    if not rows:
        raise InputError(str(path), "no SR Legacy or Foundation foods in food.csv (data_type sr_legacy_food or "
                                    "foundation_food)")
    return _summary(rows, _table_text(rows), str(path), notes)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text)) and float(text) >= 0
    except ValueError:
        return False


def _summary_from_text(text: str, source: str) -> ImportResult:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return _summary(rows, text, source, [])


def _extract_text(nutrients: Path, portions_path: Path | None) -> str:
    """Our table from the flat SR Legacy extract: nutrient cells verbatim, portions as servings."""
    portions: dict[str, list[Portion]] = {}
    if portions_path is not None and portions_path.is_file():
        with portions_path.open(encoding="utf-8-sig", newline="") as handle:
            for r in csv.DictReader(handle):
                portions.setdefault(r["fdc_id"], []).append(
                    Portion(int(r["seq_num"]), float(r["amount"]) if r["amount"] else None, r["measure_unit"],
                            r["portion_description"], r["modifier"], float(r["gram_weight"])))
    rows = []
    with nutrients.open(encoding="utf-8-sig", newline="") as handle:
        for r in csv.DictReader(handle):
            source = f"USDA FoodData Central SR Legacy fdc_id {r['fdc_id']}"
            source += " (SR28 values)" if r.get("values_from") == "SR28" else " (no values in SR28)"
            if (r.get("fdc_corrected") or "").strip():
                source += f"; corrected from FDC: {r['fdc_corrected'].strip()}"
            values = {c: r[c].strip() for c in NUTRIENTS if (r.get(c) or "").strip()}
            rows.append(make_row(r["fdc_id"], r["description"].strip(), r["food_group"], values,
                                 portions.get(r["fdc_id"], []), source, portion_source="USDA SR Legacy portion"))
    return _table_text(rows)


@functools.lru_cache(maxsize=1)
def _sr_legacy_text() -> str:
    return _extract_text(_data_path("usda_sr_legacy_nutrients.csv"), _data_path("usda_sr_legacy_portions.csv"))


def sr_legacy_table() -> FoodTable:
    """All 7,793 SR Legacy foods as a food table (`--foods sr-legacy`).

    Built from the shipped extract (nutrient values verbatim, the first household
    portion as the serving, slots/role/tags from the food group) once per process; the
    text is cached in memory. Foods nobody serves as a meal item are kept out of plans by
    role `ingredient` (see `classify`), not dropped, so look-ups by id still work.
    """
    return parse_foods(_sr_legacy_text(), source="sr-legacy")
