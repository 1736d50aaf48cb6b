"""What an FDC food is in a meal: slots, role and tags guessed from its category and words, and
why a food nobody serves as a meal item is kept out of plans.

Slots, role and tags are *guessed* from the FDC food category and the description
(`classify`); every guess is stated in the row's `serving_source` cell, e.g.
"FDC portion seq 1 (1 cup); slots/role/tags guessed from category 'Legumes and Legume
Products'", so a person reading the table knows what to check and edit.

Foods nobody serves as a meal item (baby foods, raw meat, flours, fats and oils, sauces,
instant powders, candy, ...) are kept in the table but given role `ingredient`, which the
planner never serves; the reason is in `serving_source` ("kept out: raw (a cooked form
exists)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_SERVING_G = 10  # a household serving lighter than this is a garnish (1 tsp of sauce, 1 cherry)


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
# Crustaceans and molluscs ("Crustaceans, shrimp, ...", "Mollusks, clam, ..."): `shellfish` beside `fish`.
SHELLFISH = _WORDS("crustacean", "mollus", "shrimp", "prawns?\\b", "crabs?\\b", "lobster", "crayfish", "crawfish",
                   "clams?\\b", "oysters?\\b", "mussels?\\b", "scallops?\\b", "squid", "octopus", "cuttlefish",
                   "whelk", "conch", "abalone", "snails?\\b", "seafood", "shellfish", "surimi")
# Namesakes: oyster mushrooms, scallop (pattypan) squash, salsify ("vegetable oyster"), oyster crackers, and the
# oyster cut of beef, emu and ostrich.
NOT_SHELLFISH = re.compile(r"\bmushrooms?\b|\bsquash\b|vegetable oyster|includes oyster|oyster blade|^(emu|ostrich)\b",
                           re.IGNORECASE)
SESAME = _WORDS("sesame", "tahini", "hummus", "halva", "benne")
# Barley is the one gluten grain a description names without wheat; rye and malt keep `wheat` (the words do not
# say whether wheat flour is in it too, and a missed allergen is the worse error).
NOT_WHEAT = re.compile(r"\bbarley\b", re.IGNORECASE)
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
# Cut from meat and poultry: "Beef, New Zealand, imported, subcutaneous fat, cooked", "Chicken, skin (drumsticks and
# thighs), cooked, roasted" (a part ", skin", not "meat and skin", "with skin" or ", skin and bone removed").
FAT_TRIM = re.compile(r"\b(separable fat|external fat|seam fat|subcutaneous fat|intermuscular fat|fat only|rendered fat|"
                      r"skin only|suet|backfat|fatback|salt pork)\b|,\s*skin\b(?![^,]*\bremoved\b)", re.IGNORECASE)
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


def _pours(lower: str) -> tuple[str, ...]:
    """`milk` for a plain milk or plant milk one pours on cereal, `yogurt` for a yogurt (meal_pairings.csv)."""
    if re.search(r"\byogh?urt\b", lower):
        return ("yogurt",)
    if re.search(r"\b(milk|soymilk)\b", lower) and not re.search(
            r"\b(chocolate|cocoa|strawberry|flavored|dry|powder|condensed|evaporated|shake|buttermilk|cheese|"
            r"human|canned)\b", lower):
        return ("milk",)
    return ()


def _spread(lower: str) -> tuple[str, ...]:
    """A nut or seed butter ("Peanut butter, smooth style", "Seeds, sesame butter, tahini") is a spread, eaten with
    something (planner/data/meal_pairings.csv)."""
    return ("spread",) if re.search(r"\bbutter\b|\btahini\b", lower) else ()


def _dish(description: str) -> tuple[str, tuple[str, ...]]:
    """Role and tags of a mixed dish (soups, entrees, fast food) from its words."""
    tags = tuple(t for t, pattern in (("meat", MEAT), ("fish", FISH), ("dairy", DAIRY)) if pattern.search(description))
    protein = bool(MEAT.search(description) or FISH.search(description) or EGG.search(description)
                   or re.search(r"\b(bean|lentil|chili|tofu)", description, re.IGNORECASE))
    return ("protein" if protein else "starch"), tags


def _allergens(tags: tuple[str, ...], d: str) -> tuple[str, ...]:
    """The allergen tags the category's guess leaves to the words: shellfish, sesame, and wheat beside gluten."""
    more = []
    shellfish = SHELLFISH.search(d) and not NOT_SHELLFISH.search(d)
    if shellfish:
        more += [t for t in ("fish", "shellfish") if t not in tags]
    if SESAME.search(d):
        more.append("sesame")
    if "gluten" in tags and (not NOT_WHEAT.search(d) or GLUTEN.search(NOT_WHEAT.sub(" ", d))):
        more.append("wheat")
    return tuple(t for t in tags if not (shellfish and t in VEG)) + tuple(more)


def _base_guess(category: str, d: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """slots, role, tags for a food of this FDC category and description."""
    lower = d.lower()
    if category == "Dairy and Egg Products":
        if EGG.search(d):
            return ("breakfast", "lunch"), "protein", ("vegetarian", "egg")
        if re.match(r"(butter|cream|sour cream)\b", lower) and "cheese" not in lower:
            return ("breakfast", "lunch", "dinner"), "fat", ("vegetarian", "dairy")
        return ("breakfast", "snack"), "dairy", ("vegetarian", "dairy") + _pours(lower)
    if category == "Legumes and Legume Products":
        tags = VEG + (("soy",) if SOY.search(d) else ()) + (("peanuts",) if PEANUT.search(d) else ())
        if re.search(r"soymilk|soy milk|\bmilk\b", lower):
            return ("breakfast", "snack"), "drink", tags + _pours(lower)
        if PEANUT.search(d):
            return ("breakfast", "snack"), "snack", tags + _spread(lower)
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
        # A ready-to-eat cereal is eaten with milk or yogurt (planner/data/meal_pairings.csv); a cooked one is a dish.
        return ("breakfast",), "cereal" if "ready-to-eat" in lower else "starch", tags
    if category == "Nut and Seed Products":
        tags = VEG + (("peanuts",) if PEANUT.search(d) else ("nuts",) if not lower.startswith("seeds") else ())
        return ("breakfast", "snack"), "snack", tags + _spread(lower)
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
            + (("nuts",) if "almond" in lower else ()) + (("fortified",) if FORTIFIED.search(d) else ()) \
            + _pours(lower)
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


# The shopping list's aisle (the embedded table's, `planner.foods.AISLES`) by FDC food category, which SR Legacy
# and Foundation foods share. "American Indian/Alaska Native Foods" holds both whale meat and berries, so its foods
# stay under "other"; a category's canned or frozen forms go where its fresh ones do, as in the FNDDS table.
AISLE_BY_CATEGORY: dict[str, str] = {
    "Dairy and Egg Products": "dairy & eggs",
    "Beef Products": "meat & seafood", "Pork Products": "meat & seafood", "Poultry Products": "meat & seafood",
    "Lamb, Veal, and Game Products": "meat & seafood", "Finfish and Shellfish Products": "meat & seafood",
    "Sausages and Luncheon Meats": "meat & seafood",
    "Vegetables and Vegetable Products": "produce", "Fruits and Fruit Juices": "produce",
    "Baked Products": "bakery", "Cereal Grains and Pasta": "grains & pasta", "Breakfast Cereals": "breakfast & cereal",
    "Legumes and Legume Products": "canned & dry goods", "Soups, Sauces, and Gravies": "canned & dry goods",
    "Fats and Oils": "canned & dry goods", "Spices and Herbs": "canned & dry goods", "Baby Foods": "canned & dry goods",
    "Nut and Seed Products": "nuts & snacks", "Snacks": "nuts & snacks", "Sweets": "nuts & snacks",
    "Beverages": "beverages", "Alcoholic Beverages": "beverages",
    "Fast Foods": "deli & prepared", "Restaurant Foods": "deli & prepared",
    "Meals, Entrees, and Side Dishes": "deli & prepared",
}


def aisle(category: str, role: str) -> str:
    """The aisle a shop keeps a food of this FDC category in ('' when the category says nothing of it).

    A fruit juice is shelved with the drinks, not the fresh fruit its category lumps it with.
    """
    if category == "Fruits and Fruit Juices" and role == "drink":
        return "beverages"
    return AISLE_BY_CATEGORY.get(category, "")


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
    tags = _allergens(tags, description)
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


