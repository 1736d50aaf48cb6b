"""The diet and allergen tags of an FNDDS food, read from its description by stated word rules."""

from __future__ import annotations

import re

from planner.foods import TAGS

WORD = re.compile(r"[a-z0-9'+]+(?:-[a-z0-9'+]+)*")


class Words:
    """A rule's words and phrases ('|'-separated), matched whole in a lower-case description.

    `set_aside` phrases are blanked out before this rule looks ("peanut butter" says nothing
    of dairy, "soy nuts" nothing of tree nuts).
    """

    def __init__(self, terms: str, set_aside: tuple[str, ...] = ()) -> None:
        self.terms = frozenset(t.strip() for t in terms.split("|"))
        self.set_aside = re.compile("|".join(map(re.escape, set_aside))) if set_aside else None


MEAT = Words("beef|pork|ham|hams|bacon|sausage|sausages|chicken|turkey|duck|goose|lamb|goat|mutton|veal|venison|"
             "bison|rabbit|meat|meats|meatball|meatballs|meatloaf|frankfurter|frankfurters|franks|hot dog|hot dogs|"
             "wiener|wieners|bologna|salami|pepperoni|chorizo|liver|gizzard|gizzards|giblets|poultry|hamburger|"
             "hamburgers|cheeseburger|cheeseburgers|lard|pastrami|brisket|ribs|jerky|prosciutto|carnitas|barbacoa|"
             "chicharron|chicharrones|cracklings|kielbasa|bratwurst|oxtail|tripe|menudo|pozole|cobb|pho|spam|steak|"
             "cuban sandwich", set_aside=("salmon steak", "tuna steak", "fish steak", "swordfish steak"))
FISH = Words("fish|salmon|tuna|cod|codfish|tilapia|catfish|trout|sardine|sardines|anchovy|anchovies|herring|"
             "mackerel|pollock|halibut|flounder|sole|haddock|perch|whiting|snapper|swordfish|bass|carp|porgy|shrimp|"
             "prawn|prawns|crab|crabs|lobster|clam|clams|oyster|oysters|mussel|mussels|scallop|scallops|squid|"
             "calamari|octopus|crawfish|crayfish|seafood|shellfish|roe|caviar|surimi|bouillabaisse|gefilte|ceviche",
             set_aside=("crackers, oyster", "oyster crackers"))
# Crustaceans and molluscs: `shellfish` as well as `fish`. By words, not by the WWEIA category "Shellfish", which
# holds frog legs and turtle too.
SHELLFISH = Words("shrimp|prawn|prawns|crab|crabs|lobster|clam|clams|oyster|oysters|mussel|mussels|scallop|"
                  "scallops|squid|calamari|octopus|crawfish|crayfish|conch|abalone|snail|snails|escargot|seafood|"
                  "shellfish|surimi|bouillabaisse|scampi",
                  set_aside=("not tuna or lobster", "crackers, oyster", "oyster crackers"))
# Words saying a dish has no meat or fish; they override the meat and fish words ("Bacon strip, meatless").
MEATLESS = Words("meatless|vegetarian|vegan|without meat|no meat|meat substitute|veggie")
EGG = Words("egg|eggs|omelet|omelets|quiche|frittata|french toast|mayonnaise|eggnog|souffle|custard|meringue",
            set_aside=("easter egg",))
DAIRY = Words("milk|milks|cheese|cheeses|cheddar|mozzarella|parmesan|ricotta|paneer|queso|yogurt|kefir|cream|"
              "creamed|creamy|butter|buttermilk|ghee|whey|casein|custard|pudding|alfredo|au gratin|latte|"
              "cappuccino|macchiato|cafe con leche|mocha|malted|eggnog|dairy|pre-lightened|caesar|quesadilla|"
              "quesadillas|lasagna",
              set_aside=("non-dairy milk", "non-dairy", "no dairy", "dairy-free", "soy milk", "almond milk",
                         "rice milk", "coconut milk", "oat milk", "coconut cream", "soy yogurt", "yogurt, soy",
                         "peanut butter", "almond butter", "cashew butter", "nut butter", "seed butter",
                         "sunflower butter", "apple butter", "cocoa butter", "cream of wheat"))
HONEY = Words("honey|gelatin|marshmallow|marshmallows", set_aside=("excluding honey",))  # not vegan
GELATIN = Words("gelatin|marshmallow|marshmallows")  # not vegetarian either
# Soy nuts and corn nuts are no tree nuts, nor is a water chestnut.
NUTS = Words("almond|almonds|walnut|walnuts|pecan|pecans|cashew|cashews|pistachio|pistachios|hazelnut|hazelnuts|"
             "filbert|filberts|macadamia|macadamias|brazil nut|brazil nuts|pine nut|pine nuts|chestnut|chestnuts|"
             "nut|nuts|praline|marzipan|nutella", set_aside=("soy nuts", "corn nuts", "water chestnut"))
PEANUTS = Words("peanut|peanuts|reese's|snickers", set_aside=("without peanuts",))
SOY = Words("soy|soya|soybean|soybeans|tofu|tempeh|edamame|miso|natto|textured vegetable protein|teriyaki|soy-based")
GLUTEN_FREE = Words("gluten-free|gluten free|rice noodle|rice noodles|corn tortilla|corn tortillas|tortilla, corn|"
                    "rice cake|rice cakes|glutinous rice|rice flour")
# ", coated" is breading ("Chicken wing, baked, coated"); "chocolate coated" is not.
GLUTEN_SET_ASIDE = ("gluten-free", "gluten free", "rice noodle", "corn tortilla", "tortilla, corn", "rice cake",
                    "glutinous rice", "rice flour", "corn flour", "fruit roll", "sushi roll", "spaghetti squash")
GLUTEN = Words("wheat|bread|breads|breaded|bun|buns|roll|rolls|bagel|bagels|english muffin|english muffins|pasta|"
               "macaroni|spaghetti|lasagna|ravioli|tortellini|noodle|noodles|couscous|bulgur|barley|rye|semolina|"
               "farina|seitan|malt|malted|graham|pretzel|pretzels|cracker|crackers|croutons|stuffing|biscuit|"
               "biscuits|muffin|muffins|pancake|pancakes|waffle|waffles|french toast|cake|cakes|cupcake|cupcakes|"
               "cookie|cookies|brownie|brownies|pie|pies|pastry|pastries|doughnut|doughnuts|croissant|croissants|"
               "dumpling|dumplings|wonton|wontons|egg roll|egg rolls|pizza|calzone|sandwich|burrito|burritos|nugget|"
               "nuggets|quesadilla|quesadillas|wrap|wraps|pita|naan|gravy|batter|battered|, coated|crust|flour|"
               "bran flakes|raisin bran|shredded wheat|wheaties|grape-nuts|frosted mini-wheats|stroganoff|pot pie|"
               "tempura",
               set_aside=GLUTEN_SET_ASIDE)
# A gluten food is `wheat` too unless barley is its only grain word ("Barley, cooked", "beef barley soup"). Rye
# and malt keep `wheat`: the description does not say whether wheat flour is in it too, and a missed allergen is
# the worse error.
BARLEY = Words("barley")
WHEAT = Words("|".join(sorted(GLUTEN.terms - {"barley"})), set_aside=GLUTEN_SET_ASIDE)
SESAME = Words("sesame|tahini|hummus|halva|halvah|benne|baba ghanoush|baba ganoush")
FORTIFIED = Words("fortified|enriched|with added vitamin|with added vitamins|with added calcium|calcium fortified|"
                  "calcium added|with calcium")
VEGAN_FOOD = Words("vegan|soybean curd|tofu|tempeh")
# FPED counts fortified soy drinks as dairy: a description naming a plant milk keeps its FPED dairy from making it
# `dairy`. Seeds are in FPED's nuts and seeds, but a nut allergy does not rule them out.
PLANT_MILK = Words("non-dairy|dairy-free|soy milk|almond milk|rice milk|coconut milk|oat milk|soy yogurt|soy|"
                   "soymilk|soy beverage")
SEEDS = Words("seed|seeds|sesame|tahini|flaxseed|flaxseeds|chia|sunflower|pumpkin seeds|pepitas|granola bar")
# Flavoured milks are drunk, not poured on cereal.
NOT_CEREAL_MILK = Words("chocolate|cocoa|strawberry|flavored|used in cooking|cream")
# A nut or seed butter is eaten on or with something (a `spread`); only in the nut-and-seed category, where
# "peanut butter" names the food itself and not a sandwich's or a cookie's filling.
SPREAD = Words("peanut butter|almond butter|cashew butter|nut butter|seed butter|sunflower butter|sesame butter|"
               "tahini")
SPREAD_CATEGORIES = frozenset({"2804"})   # WWEIA "Nuts and seeds"
ANIMAL = frozenset({"meat", "fish", "egg", "dairy"})
# B12 occurs only in animal foods. A vegetarian food without egg or dairy words that has this much
# per 100 g had it added; below it, traces from an unnamed ingredient (milk in bread) are common.
B12_ADDED = 0.5
RULES: dict[str, Words] = {
    "meat": MEAT, "fish": FISH, "meatless": MEATLESS, "egg": EGG, "dairy": DAIRY, "honey": HONEY,
    "gelatin": GELATIN, "nuts": NUTS, "peanuts": PEANUTS, "soy": SOY, "gluten_free": GLUTEN_FREE, "gluten": GLUTEN,
    "fortified": FORTIFIED, "vegan_food": VEGAN_FOOD, "not_cereal_milk": NOT_CEREAL_MILK, "spread": SPREAD,
    "plant_milk": PLANT_MILK, "seeds": SEEDS, "shellfish": SHELLFISH, "barley": BARLEY, "wheat": WHEAT,
    "sesame": SESAME,
}
# FPED's food groups that show an allergen a description may not name (a dip made with mayonnaise, tzatziki).
RECIPE_GROUPS = {"egg": "eggs_oz_eq", "dairy": "dairy_cup_eq", "nuts": "nuts_seeds_oz_eq"}
# Every term to the rules it belongs to, and every multi-word term in one regex (longest first):
# a description is scanned once for all rules.
_TERM_RULES: dict[str, tuple[str, ...]] = {}
for _name, _rule in RULES.items():
    for _term in _rule.terms:
        _TERM_RULES[_term] = _TERM_RULES.get(_term, ()) + (_name,)
_PHRASES = re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(
    (t for t in _TERM_RULES if not WORD.fullmatch(t)), key=len, reverse=True)) + r")\b")
_SET_ASIDE = tuple((name, rule.set_aside) for name, rule in RULES.items() if rule.set_aside is not None)
_ANY_SET_ASIDE = re.compile("|".join(pattern.pattern for _, pattern in _SET_ASIDE))


def _found(text: str) -> set[str]:
    return set(WORD.findall(text)) | set(_PHRASES.findall(text))


def rule_hits(description: str) -> set[str]:
    """The names of the `RULES` whose words the description holds (after each rule's set-asides)."""
    text = description.lower()
    hits = {name for term in _found(text) for name in _TERM_RULES.get(term, ())}
    if _ANY_SET_ASIDE.search(text):
        for name, set_aside in _SET_ASIDE:
            if set_aside.search(text):
                hits.discard(name)
                if not _found(set_aside.sub(" | ", text)).isdisjoint(RULES[name].terms):
                    hits.add(name)
    return hits


def food_tags(defaults: tuple[str, ...], description: str, vitamin_b12_mcg: str,
              wweia_code: str = "", groups: dict[str, str] | None = None) -> tuple[str, ...]:
    """Diet and allergen tags: the category's defaults, then what the description says.

    Words are whole words or phrases, any case:

    * meat or fish words add `meat`/`fish` and take away `vegan` and `vegetarian`, unless a
      "meatless" word says otherwise (which also takes away a category's `meat`/`fish` and
      makes the food vegetarian);
    * egg words (egg, omelet, mayonnaise, custard, ...) add `egg` and take away `vegan`;
    * dairy words (milk, cheese, cream, butter, latte, ...) add `dairy` and take away
      `vegan`, once plant milks ("non-dairy milk", "soy milk") and look-alikes ("peanut
      butter", "cream of wheat") are set aside; honey and gelatin take away `vegan` too,
      gelatin and marshmallows `vegetarian` as well;
    * crustacean and mollusc words (shrimp, crab, clam, squid, seafood, ...) add `shellfish`
      and `fish`, as fish words do;
    * tree-nut, peanut, soy and sesame words add `nuts`, `peanuts`, `soy`, `sesame` (soy nuts
      and corn nuts are no tree nuts; tahini and hummus are sesame); grain words (wheat, bread,
      pasta, noodles, pizza, breaded, ...) add `gluten`, and "gluten-free", corn tortillas,
      rice noodles and rice flour take it away; a gluten food is `wheat` as well unless barley
      is its only grain word;
    * FPED's food groups (`groups`, by column) add what a recipe holds and its description does not say: any
      egg adds `egg`; any dairy `dairy`, unless a plant milk is named (FPED counts soy drinks as dairy); any
      nut or seed `nuts`, unless peanuts or seeds are named;
    * "tofu", "tempeh" or "vegan" make a food with no animal tag vegan;
    * `fortified`: the description says fortified, enriched or "with added vitamins", or a
      vegetarian food with no egg or dairy tag has at least `B12_ADDED` mcg of vitamin B12
      per 100 g (B12 occurs only in animal foods, so a plant food with that much had it added);
    * `milk` (poured on cereal) is dropped from flavoured milks (chocolate, strawberry);
    * `spread`: a nut or seed butter (peanut, almond or cashew butter, tahini) of the WWEIA
      category "Nuts and seeds" (`wweia_code` 2804).
    """
    tags = set(defaults)
    hits = rule_hits(description)
    if "meatless" in hits:
        tags -= {"meat", "fish", "shellfish"}
        tags.add("vegetarian")
    else:
        tags |= hits & {"meat", "fish", "shellfish"}
        if "shellfish" in tags:
            tags.add("fish")
        if tags & {"meat", "fish"}:
            tags -= {"vegan", "vegetarian"}
    tags |= hits & {"egg", "dairy", "nuts", "peanuts", "soy", "sesame", "gluten"}
    held = {tag for tag, column in RECIPE_GROUPS.items() if float((groups or {}).get(column) or 0) > 0}
    if "plant_milk" in hits:
        held.discard("dairy")
    if hits & {"peanuts", "seeds"}:
        held.discard("nuts")
    tags |= held
    if "honey" in hits or tags & {"egg", "dairy"}:
        tags.discard("vegan")
    if "gelatin" in hits:
        tags.discard("vegetarian")
    if "gluten_free" in hits:
        tags.discard("gluten")
    if "gluten" in tags and ("wheat" in hits or "barley" not in hits):
        tags.add("wheat")
    animal = tags & ANIMAL
    if not animal and "honey" not in hits and "vegan_food" in hits:
        tags |= {"vegan", "vegetarian"}
    if "fortified" in hits or ("vegetarian" in tags and not animal and vitamin_b12_mcg
                               and float(vitamin_b12_mcg) >= B12_ADDED):
        tags.add("fortified")
    if "milk" in tags and "not_cereal_milk" in hits:
        tags.discard("milk")
    if "spread" in hits and wweia_code in SPREAD_CATEGORIES:
        tags.add("spread")
    return tuple(t for t in TAGS if t in tags)


