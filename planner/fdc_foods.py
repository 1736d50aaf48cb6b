"""FoodData Central foods as rows of our food table: nutrients, serving, slots/role/tags.

No network, no files: the API client (`fdc_client`) and the offline import (`fdc_bulk`) share these.

* `food_values`: FDC nutrients -> our 14 columns, **by FDC nutrient id** (or nutrient
  number in the abridged shape), never by name; a unit other than ours leaves the cell empty.
* `Portion`, `choose_serving`: FDC's portions and the household serving we plan with.
* `classify`: slots, role and tags guessed from the category, and why a food is kept out.
* `make_row`: one row of our table (`FOOD_COLUMNS`), all cells text.

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
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

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
