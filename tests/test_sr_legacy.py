"""All of SR Legacy as a food table: what a plan may serve, and what is kept out and why.

The table is built from the shipped extract (planner/data/usda_sr_legacy_*.csv); the foods
named here are looked up by their FDC id and their description is checked too, so a failure
names the food.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from planner.foods import parse_foods
from planner.sources import fdc_bulk, fdc_classify, fdc_rows


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return fdc_bulk.sr_legacy_table().data


@pytest.fixture(scope="module")
def served(table) -> pd.DataFrame:
    return table[table.role != "ingredient"]


def reason_of(food: pd.Series) -> str:
    match = re.search(r"kept out: (.*)$", food.serving_source)
    return match.group(1) if match else ""


# --------------------------------------------------------------------------- what a plan never serves

KEPT_OUT_KINDS = {
    "fish oil": r"\bfish oil\b",
    "lard, tallow, shortening, margarine, cooking oil":
        r"^(?:lard|shortening|margarine|oil, |fat, |vegetable oil)|\btallow\b",
    "butter, cream, sour cream": r"^(?:butter|cream|sour cream)(?:,|$)",
    "instant powder in dry form": r"\binstant\b(?!.*\b(?:prepared|cooked)\b)",
    "not reconstituted or undiluted": r"\bnot reconstituted\b|\bundiluted\b",
    "protein isolate or concentrate": r"\bprotein (?:isolate|concentrate)\b",
    "sauce, gravy, dressing": r"^(?:sauce|gravy|salad dressing|soy sauce|catsup|mayonnaise)\b",
    "pickles and relish": r"^(?:pickles?|pickle relish)(?:,|$)",
    "jam, jelly, syrup, honey": r"^(?:jams?|jellies|marmalade|honey|syrups?|molasses)(?:,|$)",
    "topping or frosting": r"^toppings?\b|\btopping$|(?:whipped|dessert) topping|^frostings?\b",
    "garnish": r"^maraschino|\bbacon bits\b|^olives\b",
    "candy": r"^candies\b|\bcandy bar\b",
    "formulated or protein bar": r"^formulated bar\b|\bprotein bar\b",
    "supplement or nutrition drink": r"\bnutritional (?:supplement|shake|drink)\b|\bENSURE\b",
    "baby food or infant formula": r"babyfood|infant formula|^milk, human",
    "leavening, baking powder, baking soda": r"\bleavening\b|\bbaking (?:powder|soda)\b",
    "flour": r"^[^,]*\bflour\b",
    "American Indian/Alaska Native":
        r"\((?:northern plains indians|alaska native|hopi|navajo|apache|shoshone bannock|klamath)\)",
    "dried-frozen tofu, dried mushrooms": r"koyadofu|^(?:mushrooms|fungi|pepeao)\b.*\bdried\b",
    "raw meat, fish, poultry": r"^(?:beef|pork|chicken|turkey|lamb|veal|fish),.*\braw\b",
    "restaurant or fast food": r"\bfast[- ]foods?\b|^(?:mcdonald's|burger king|wendy's|kfc|taco bell)\b",
}


@pytest.mark.parametrize("kind", sorted(KEPT_OUT_KINDS))
def test_served_part_has_none_of_the_kept_out_kinds(served, kind):
    hits = served[served.name.str.contains(KEPT_OUT_KINDS[kind], case=False, regex=True)]
    assert hits.empty, f"{kind}: {len(hits)} served, e.g. {list(hits.name[:5])}"


def test_the_patterns_above_do_find_those_foods_in_the_whole_table(table):
    """Guards the test above: each pattern matches foods of the extract, all kept out."""
    for kind, pattern in KEPT_OUT_KINDS.items():
        hits = table[table.name.str.contains(pattern, case=False, regex=True)]
        assert len(hits) >= 2, kind
        assert (hits.role == "ingredient").all(), kind


def test_every_served_food_has_a_household_serving_of_at_least_10_g(served):
    assert (served.serving_g >= fdc_classify.MIN_SERVING_G).all()
    assert not served.serving_source.str.startswith("no household portion").any()
    assert not served.serving_label.str.fullmatch(r"100 g").any()  # the default when no portion was used


# The foods the issue saw served, each with what now happens to it.
ISSUE_EXAMPLES = [
    (172342, "Fish oil, menhaden, fully hydrogenated", "fat or oil"),
    (173577, "Fish oil, cod liver", "fat or oil"),
    (171400, "Fat, beef tallow", "fat or oil"),
    (171401, "Lard", "fat or oil"),
    (174126, "Beverages, coffee, instant, regular, half the caffeine", "instant mix, powder or concentrate"),
    (169073, "Beverage, instant breakfast powder, chocolate, not reconstituted", "dry mix, powder"),
    (174135, "Beverages, coffee, instant, mocha, sweetened", "instant mix, powder or concentrate"),
    (174127, "Beverages, coffee and cocoa, instant, decaffeinated", "instant mix, powder or concentrate"),
    (173228, "Beverages, tea, instant, decaffeinated, lemon, diet", "instant mix, powder or concentrate"),
    (None, "Soy protein concentrate, produced by alcohol extraction", "protein concentrate or isolate"),
    (None, "Soy protein isolate, potassium type", "protein concentrate or isolate"),
    (171833, "Sauce, horseradish", "sauce, condiment"),
    (171186, "Sauce, hot chile, sriracha", "sauce, condiment"),
    (169380, "Pickles, cucumber, sweet, low sodium", "sauce, condiment"),
    (167766, "Maraschino cherries, canned, drained", "sauce, condiment"),
    (172206, "Parmesan cheese topping, fat free", "sauce, condiment"),
    (169893, "Bacon bits, meatless", "sauce, condiment"),
    (None, "Tofu, dried-frozen (koyadofu)", "dried (eaten rehydrated"),
    (None, "Pepeao, dried", "dried (eaten rehydrated"),
    (None, "Candies, MARS SNACKFOOD US, COCOAVIA", "candy or formulated bar"),
    (None, "Formulated bar, MARS SNACKFOOD US, SNICKERS", "candy or formulated bar"),
    (None, "Crunchmaster, Multi-Grain Crisps", "no household portion"),
    (None, "Leavening agents, baking powder", "raw flour, starch, leavening or salt"),
    (169827, "Hazelnuts, beaked (Northern Plains Indians)", "American Indian/Alaska Native food"),
]


@pytest.mark.parametrize("fdc_id, description, reason", ISSUE_EXAMPLES, ids=[e[1][:40] for e in ISSUE_EXAMPLES])
def test_the_issue_examples_are_kept_out_with_a_stated_reason(table, fdc_id, description, reason):
    if fdc_id is None:
        foods = table[table.name.str.startswith(description)]
        assert len(foods) >= 1, description
    else:
        foods = table.loc[[f"fdc_{fdc_id}"]]
        assert foods.name.iloc[0].startswith(description)
    for _, food in foods.iterrows():
        assert food.role == "ingredient", food["name"]
        assert reason_of(food).startswith(reason), (food["name"], reason_of(food))


@pytest.mark.parametrize("fdc_id, description, label, grams", [
    (169382, "Mushrooms, enoki, raw", "1 cup whole", 64),                    # was 1 large (5 g)
    (170394, "Carrots, cooked, boiled, drained, without salt", "1/2 cup slices", 78),  # was 1 tbsp (9.7 g)
    (None, "Crackers, saltines, fat-free, low-sodium", "3 saltines", 15),  # was 100 g
    (None, "Frankfurter, beef, heated", "1 frankfurter", 48),              # was 100 g
])
def test_foods_the_issue_saw_by_a_tiny_or_100_g_serving_now_have_a_household_serving(
        table, fdc_id, description, label, grams):
    food = table.loc[f"fdc_{fdc_id}"] if fdc_id else table[table.name == description].iloc[0]
    assert food["name"] == description
    assert (food.role != "ingredient", food.serving_label, food.serving_g) == (True, label, grams)


# --------------------------------------------------------------------------- what a plan may still serve

REAL_FOODS = [
    (168463, "Spinach, cooked, boiled, drained, without salt", "vegetable"),
    (169967, "Broccoli, cooked, boiled, drained, without salt", "vegetable"),
    (168483, "Sweet potato, cooked, baked in skin, flesh, without salt", "vegetable"),
    (172421, "Lentils, mature seeds, cooked, boiled, without salt", "protein"),
    (173735, "Beans, black, mature seeds, cooked, boiled, without salt", "protein"),
    (172448, "Tofu, firm, prepared with calcium sulfate and magnesium chloride (nigari)", "protein"),
    (173693, "Fish, salmon, sockeye, canned, drained solids", "protein"),
    (171477, "Chicken, broilers or fryers, breast, meat only, cooked, roasted", "protein"),
    (173424, "Egg, whole, cooked, hard-boiled", "protein"),
    (170886, "Yogurt, plain, low fat", "dairy"),
    (171265, "Milk, whole, 3.25% milkfat, with added vitamin D", "dairy"),
    (173414, "Cheese, cheddar", "dairy"),
    (170567, "Nuts, almonds", "snack"),
    (173944, "Bananas, raw", "fruit"),
    (169098, "Orange juice, raw", "drink"),
    (172456, "Soymilk, original and vanilla, with added calcium, vitamins A and D", "drink"),
    (169704, "Rice, brown, long-grain, cooked", "starch"),
    (172688, "Bread, whole-wheat, commercially prepared", "starch"),
    (173912, "Cereals ready-to-eat, rice, puffed, fortified", "cereal"),
]


@pytest.mark.parametrize("fdc_id, description, role", REAL_FOODS, ids=[f[1][:40] for f in REAL_FOODS])
def test_real_meal_foods_stay_servable(table, fdc_id, description, role):
    food = table.loc[f"fdc_{fdc_id}"]
    assert food["name"].startswith(description)
    assert (food.role, reason_of(food)) == (role, "")
    assert food.serving_g >= fdc_classify.MIN_SERVING_G and food.serving_label != "100 g"


def test_nuts_are_served_by_the_ounce_and_the_cereal_is_fortified(table):
    assert table.loc["fdc_170567", ["serving_label", "serving_g"]].tolist() == ["1 oz (23 whole kernels)", 28.35]
    assert "fortified" in table.loc["fdc_173912", "tags"]


def test_every_kind_of_meal_food_is_still_plentiful(served):
    roles = served.role.value_counts()
    for role, at_least in {"protein": 1000, "vegetable": 500, "starch": 300, "cereal": 50, "fruit": 150,
                           "dairy": 100, "drink": 200, "snack": 300}.items():
        assert roles.get(role, 0) >= at_least, (role, roles.get(role, 0))
    assert "fat" not in roles  # a fat is cooked with or spread, never served as a dish


# --------------------------------------------------------------------------- how many, and why

# A snapshot: when a rule changes, look at the foods that moved before updating these numbers.
KEPT_OUT_COUNTS = {
    "raw (a cooked form exists)": 950,
    "restaurant or fast food": 424,
    "baby food or infant formula": 346,
    "dry mix, powder or uncooked": 310,
    "sauce, condiment, spread or garnish": 240,
    "fat or oil (cooked with or spread, not a dish)": 200,
    "no household portion of 5-400 g in FDC (it would be served by 100 g)": 165,
    "American Indian/Alaska Native food (regional, mostly wild-harvested)": 165,
    "candy or formulated bar": 163,
    "raw flour, starch, leavening or salt": 144,
    "alcoholic beverage": 76,
    "spice or herb": 63,
    "instant mix, powder or concentrate, not prepared": 50,
    "uncooked grain (a cooked form exists)": 35,
    "sugar or syrup": 34,
    "dry raw beans (a cooked form exists)": 34,
    "dehydrated or freeze-dried": 25,
    "unbaked dough (a baked form exists)": 19,
    "no value for any of magnesium, calcium, potassium, vitamin D, B12": 16,
    "supplement or nutrition drink": 15,
    "dried (eaten rehydrated, a little)": 15,
    "raw egg (a cooked form exists)": 13,
    "household serving under 10 g": 12,
    "protein concentrate or isolate": 10,
}


def test_kept_out_counts_per_reason(table):
    reasons = table.apply(reason_of, axis=1)
    assert ((reasons == "") == (table.role != "ingredient")).all()  # every kept-out food says why
    assert reasons[reasons != ""].value_counts().to_dict() == KEPT_OUT_COUNTS
    assert (reasons == "").sum() == 7793 - sum(KEPT_OUT_COUNTS.values()) == 4269


# --------------------------------------------------------------------------- the rules, one food at a time

@pytest.mark.parametrize("category, description, reason", [
    ("Meals, Entrees, and Side Dishes", "Spaghetti with meat sauce, frozen entree", ""),
    ("Poultry Products", "Turkey and gravy, frozen", ""),
    ("Vegetables and Vegetable Products", "Mustard greens, cooked, boiled, drained, without salt", ""),
    ("Sausages and Luncheon Meats", "Honey roll sausage, beef", ""),
    ("Snacks", "Snacks, trail mix, regular", ""),
    ("Baked Products", "Tortillas, ready-to-bake or -fry, corn", ""),
    ("Beverages", "Beverages, coffee, instant, regular, prepared with water", ""),
    ("Fruits and Fruit Juices", "Orange juice, frozen concentrate, unsweetened, diluted with 3 volume water", ""),
    ("Fruits and Fruit Juices", "Orange juice, frozen concentrate, unsweetened, undiluted", "instant mix"),
    ("Beverages", "Beverages, coffee, instant, regular, powder", "dry mix, powder"),
    ("Beverages", "Beverages, KRAFT, coffee, instant, French Vanilla Cafe", "instant mix"),
    ("Soups, Sauces, and Gravies", "Sauce, pasta, spaghetti/marinara, ready-to-serve", "sauce, condiment"),
    ("Fruits and Fruit Juices", "Cranberry sauce, whole, canned, OCEAN SPRAY", "sauce, condiment"),
    ("Vegetables and Vegetable Products", "Tomato products, canned, sauce", "sauce, condiment"),
    ("Fats and Oils", "Oil, olive, salad or cooking", "fat or oil"),
    ("Dairy and Egg Products", "Butter, without salt", "fat or oil"),
    ("Pork Products", "Pork, fresh, separable fat, cooked", "fat or oil"),
    ("Beef Products", "Beef, New Zealand, imported, subcutaneous fat, cooked", "fat or oil"),
    ("Lamb, Veal, and Game Products", "Lamb, New Zealand, imported, Intermuscular fat, cooked", "fat or oil"),
    ("Poultry Products", "Chicken, skin (drumsticks and thighs), cooked, roasted", "fat or oil"),
    ("Poultry Products", "Turkey, whole, skin (light and dark), roasted", "fat or oil"),
    ("Poultry Products", "Chicken, broiler, rotisserie, BBQ, skin", "fat or oil"),
    ("Poultry Products", "Chicken, broilers or fryers, thigh, meat and skin, cooked, roasted", ""),
    ("Poultry Products", "Turkey, wing, smoked, cooked, with skin, bone removed", ""),
    ("Poultry Products", "Turkey, light or dark meat, smoked, cooked, skin and bone removed", ""),
    ("Vegetables and Vegetable Products", "Potatoes, baked, skin only, with salt", ""),  # a skin, not a fat
    ("Sweets", "Candies, MARS SNACKFOOD US, SNICKERS Bar", "candy"),
    ("Snacks", "Formulated bar, POWER BAR, chocolate", "candy"),
    ("Snacks", "Snacks, granola bars, hard, plain", ""),
    ("Beverages", "Beverages, ABBOTT, ENSURE PLUS, ready-to-drink", "supplement"),
    ("Legumes and Legume Products", "Soy protein isolate", "protein concentrate"),
    ("Legumes and Legume Products", "Tofu, dried-frozen (koyadofu), prepared with calcium sulfate", "dried"),
    ("Fruits and Fruit Juices", "Apricots, dried, sulfured, uncooked", ""),
    ("Sausages and Luncheon Meats", "Sausage, Italian, pork, mild, raw", "raw"),
    ("Cereal Grains and Pasta", "Wheat, hard red winter", "uncooked grain"),
    ("Cereal Grains and Pasta", "Quinoa, cooked", ""),
    ("Baked Products", "Biscuits, plain or buttermilk, refrigerated dough, higher fat", "unbaked dough"),
    ("American Indian/Alaska Native Foods", "Hazelnuts, beaked (Northern Plains Indians)", "American Indian"),
    ("Dairy and Egg Products", "Milk, human, mature, fluid", "baby food"),
    ("Beverages", "Beverages, shake, fast food, strawberry", "restaurant or fast food"),
])
def test_classify(category, description, reason):
    _, why = fdc_classify.classify(category, description)
    assert why.startswith(reason) and bool(why) == bool(reason), why


@pytest.mark.parametrize(("category", "description", "spread"), [
    ("Legumes and Legume Products", "Peanut butter, smooth style, with salt", True),
    ("Nut and Seed Products", "Seeds, sesame butter, tahini, from roasted and toasted kernels", True),
    ("Nut and Seed Products", "Nuts, almond butter, plain, without salt added", True),
    ("Nut and Seed Products", "Nuts, butternuts, dried", False),
    ("Legumes and Legume Products", "Peanuts, all types, dry-roasted, without salt", False),
])
def test_a_nut_or_seed_butter_is_a_spread(category, description, spread):
    guess, _ = fdc_classify.classify(category, description)
    assert guess.role == "snack" and ("spread" in guess.tags) is spread


@pytest.mark.parametrize(("category", "description", "present", "absent"), [
    ("Finfish and Shellfish Products", "Crustaceans, shrimp, cooked", {"fish", "shellfish"}, set()),
    ("Finfish and Shellfish Products", "Mollusks, clam, mixed species, canned, drained solids", {"fish", "shellfish"},
     set()),
    ("Finfish and Shellfish Products", "Fish, salmon, Atlantic, farmed, cooked, dry heat", {"fish"}, {"shellfish"}),
    ("Soups, Sauces, and Gravies", "Soup, clam chowder, new england, canned, ready-to-serve", {"fish", "shellfish"},
     set()),
    # a drink named for its clams was vegan
    ("Beverages", "Beverages, Clam and tomato juice, canned", {"fish", "shellfish"}, {"vegan", "vegetarian"}),
    # namesakes: a mushroom, a squash, salsify, oyster crackers, a cut of beef
    ("Vegetables and Vegetable Products", "Mushrooms, oyster, raw", {"vegan"}, {"fish", "shellfish"}),
    ("Vegetables and Vegetable Products", "Squash, summer, scallop, cooked, boiled, drained, without salt", {"vegan"},
     {"shellfish"}),
    ("Vegetables and Vegetable Products", "Salsify, (vegetable oyster), raw", {"vegan"}, {"shellfish"}),
    ("Baked Products", "Crackers, saltines (includes oyster, soda, soup)", {"gluten", "wheat"}, {"shellfish"}),
    ("Beef Products", "Beef, New Zealand, imported, oyster blade, separable lean only, cooked, braised", {"meat"},
     {"shellfish"}),
    ("Nut and Seed Products", "Seeds, sesame butter, tahini, from roasted and toasted kernels", {"sesame"}, {"nuts"}),
    ("Legumes and Legume Products", "Hummus, commercial", {"sesame", "vegan"}, set()),
    ("Baked Products", "Bread, whole-wheat, commercially prepared", {"gluten", "wheat"}, set()),
    ("Cereal Grains and Pasta", "Barley, pearled, cooked", {"gluten"}, {"wheat"}),
    ("Soups, Sauces, and Gravies", "Soup, beef barley, ready to serve", {"gluten"}, {"wheat"}),
    ("Baked Products", "Bread, rye", {"gluten", "wheat"}, set()),   # the words do not rule wheat flour out
])
def test_allergen_tags(category, description, present, absent):
    tags = set(fdc_classify.classify(category, description)[0].tags)
    assert present <= tags and not absent & tags, tags


def test_classify_serving_rules_and_explicit_foods():
    fruit = ("Fruits and Fruit Juices", "Bananas, raw")
    assert fdc_classify.classify(*fruit, serving_g=225)[1] == ""
    assert fdc_classify.classify(*fruit, serving_g=5)[1] == "household serving under 10 g"
    assert fdc_classify.classify(*fruit, has_portion=False)[1].startswith("no household portion")
    niche = ("American Indian/Alaska Native Foods", "Hazelnuts, beaked (Northern Plains Indians)")
    assert fdc_classify.classify(*niche, explicit=True)[1] == ""  # someone asked for it by id


def portion(seq: int, amount: float, unit: str, grams: float) -> fdc_rows.Portion:
    return fdc_rows.Portion(seq, amount, "undetermined", "", unit, grams)


@pytest.mark.parametrize("role, portions, chosen", [
    ("vegetable", [portion(1, 1, "tbsp", 9.7), portion(2, 0.5, "cup slices", 78)], 78),
    ("vegetable", [portion(1, 1, "cup", 30), portion(2, 1, "bunch", 340)], 30),
    ("snack", [portion(1, 1, "cup", 144), portion(2, 1, "tbsp", 9)], 9),        # seeds: nearer an ounce
    ("protein", [portion(1, 1, "serving", 283), portion(2, 1, "oz", 28.35)], 283),  # an entree, not 1 oz
    ("dairy", [portion(1, 1, "tbsp", 5), portion(2, 1, "oz", 28.35)], 28.35),
    ("dairy", [portion(1, 1, "unit (yield from 1 lb)", 50)], None),
])
def test_choose_serving(role, portions, chosen):
    serving = fdc_rows.choose_serving(portions, role)
    assert (serving.grams if serving else None) == chosen


@pytest.mark.parametrize("role, kcal_per_100g, portions, label, grams", [
    # cheddar: a cup diced holds 539 kcal, an ounce 116
    ("dairy", 408, [portion(1, 1, "cup, diced", 132), portion(2, 1, "oz", 28.35)], "1 oz", 28.35),
    # mixed nuts, listed only by the cup (834 kcal): a quarter of it
    ("snack", 632, [portion(1, 1, "cup", 132)], "1/4 cup", 33),
    # a cup of dry roasted soybeans (417 kcal): half of it
    ("protein", 449, [portion(1, 1, "cup", 93)], "1/2 cup", 46.5),
    # a pot pie is served whole, however rich (616 kcal)
    ("protein", 204, [portion(1, 1, "pie", 302)], "1 pie", 302),
    # without an energy value nothing is known to be too rich
    ("snack", None, [portion(1, 1, "cup", 132)], "1 cup", 132),
    # goat milk lists a fluid ounce first: a drink is measured by it, served by the cup
    ("dairy", 69, [portion(1, 1, "fl oz", 30.5), portion(2, 1, "cup", 244)], "1 cup", 244),
    # espresso: a fluid ounce is all there is
    ("drink", 2, [portion(1, 1, "fl oz", 29.6)], "1 fl oz", 29.6),
])
def test_a_serving_holds_at_most_400_kcal_where_a_portion_or_a_share_of_a_measure_allows_and_is_no_fluid_ounce(
        role, kcal_per_100g, portions, label, grams):
    serving = fdc_rows.choose_serving(portions, role, kcal_per_100g)
    assert (serving.label, serving.grams) == (label, grams)


@pytest.mark.parametrize("whole, share, label", [
    (portion(1, 1, "cup, diced", 132), 0.5, "1/2 cup, diced"),
    (portion(1, 3, "oz", 85), 0.5, "1.5 oz"),
    # a size or a count in the words is the whole portion's: the share is named apart
    (portion(1, 1, "cup (8 fl oz)", 263), 0.5, "1/2 of 1 cup (8 fl oz)"),
    (fdc_rows.Portion(1, None, "", "1 cup", "", 240), 0.25, "1/4 of 1 cup"),   # Survey style
    (portion(1, 0.5, "cup slices", 78), 0.25, "1/4 of 1/2 cup slices"),         # not 0.125 cup
])
def test_a_share_of_a_portion_is_labelled_in_household_words(whole, share, label):
    assert dataclasses.replace(whole, share=share).label == label


@pytest.mark.parametrize("fdc_id, label, grams", [
    (174300, "1/4 cup", 43),       # roasted soybeans: SR Legacy lists only 1 cup (172 g, 807 kcal)
    (170181, "1/4 cup", 33),       # mixed nuts: only 1 cup (132 g, 834 kcal)
    (173414, "1 oz", 28.35),       # cheddar: 1 cup diced (132 g, 533 kcal) is listed first
    (171278, "1 cup", 244),        # goat milk: 1 fl oz is listed first
])
def test_sr_legacy_serves_a_share_of_a_rich_cup_and_a_drink_by_the_cup(table, fdc_id, label, grams):
    food = table.loc[f"fdc_{fdc_id}"]
    assert (food.serving_label, food.serving_g) == (label, grams)
    assert food.serving_g * food.energy_kcal / 100 <= fdc_rows.MAX_SERVING_KCAL


def test_a_food_added_from_an_abridged_api_answer_is_not_kept_out_for_lacking_portions():
    values = {"calcium_mg": "707"}
    row = fdc_rows.make_row(328637, "Cheese, cheddar", "Dairy and Egg Products", values, [], "FDC API",
                        explicit=True, portions_known=False)
    assert row["role"] == "dairy" and "kept out" not in row["serving_source"]
    row = fdc_rows.make_row(328637, "Cheese, cheddar", "Dairy and Egg Products", values, [], "FDC bulk")
    assert row["role"] == "ingredient" and "kept out: no household portion" in row["serving_source"]


def test_a_food_fdc_gives_no_description_is_named_by_its_id_so_the_table_reads_back():
    """A table with a nameless food is refused on reading; the import had written one."""
    row = fdc_rows.make_row(328637, " ", "Dairy and Egg Products", {"calcium_mg": "707"}, [], "FDC bulk")
    assert row["name"] == "FDC food 328637 (no description in FDC)" and row["usda_description"] == " "
    text = fdc_rows.table_text([row])
    assert parse_foods(text, "imported.csv").data.at["fdc_328637", "name"] == row["name"]


# --------------------------------------------------------------------------- a week over all of it

def test_a_week_over_all_of_sr_legacy_passes_check_and_serves_no_kept_out_food(table, tmp_path):
    """The issue's acceptance: a 7-day plan over the 7,793 foods meets its targets on recompute (`check`)
    and every food in it is servable and of none of the kept-out kinds."""
    import json

    from click.testing import CliRunner

    from cli import cli

    path = tmp_path / "week.json"
    made = CliRunner().invoke(cli, ["week", "--foods", "sr-legacy", "--format", "json", "-o", str(path)])
    assert made.exit_code == 0, made.output
    checked = CliRunner().invoke(cli, ["check", str(path), "--foods", "sr-legacy"])
    assert checked.exit_code == 0, checked.output
    items = [i for day in json.loads(path.read_text())["days"] for i in day["items"]]
    assert len({i["food_id"] for i in items}) >= 20
    for item in items:
        food = table.loc[item["food_id"]]
        assert food.role != "ingredient", (food.name, reason_of(food))
        for kind, pattern in KEPT_OUT_KINDS.items():
            assert not re.search(pattern, food["name"], re.IGNORECASE), (kind, food["name"])
        assert item["grams"] >= 10


def test_foods_that_differ_only_in_salt_are_one_food_for_a_weeks_variety(table):
    # roasted soybeans, salted and not: one food, whose days a week counts together
    assert table.loc["fdc_174300", "same_as"] == "fdc_172440" and table.loc["fdc_172440", "same_as"] == ""
    assert table.loc["fdc_169313", "same_as"] == "fdc_168390"   # asparagus, boiled, with salt and without
    assert table.loc["fdc_172441", "same_as"] == ""              # dry roasted soybeans: another way of roasting


def test_mark_one_food_forms_names_the_first_food_of_each_group():
    rows = [{"food_id": f"f{i}", "usda_description": d} for i, d in enumerate([
        "Peanuts, all types, dry-roasted, with salt", "Peanuts, all types, dry-roasted, without salt",
        "Ham, boneless, low sodium, extra lean", "Ham, boneless, extra lean", "Peanuts, all types, raw",
        "Unsalted butter", "Butter, salted"])]
    columns = fdc_rows.mark_one_food_forms(rows)
    assert [row["same_as"] for row in rows] == ["", "f0", "", "f2", "", "", ""]
    assert columns == (*fdc_rows.FOOD_COLUMNS, "same_as")
    alone = [{"food_id": "f0", "usda_description": "Bananas, raw"}]
    assert fdc_rows.mark_one_food_forms(alone) == fdc_rows.FOOD_COLUMNS and alone[0]["same_as"] == ""


def test_every_sr_legacy_food_is_listed_in_the_aisle_of_its_food_group(table):
    """SR Legacy had listed every food under "other". Each food group names an aisle of the embedded table (read
    from foods.csv), but for the American Indian/Alaska Native foods, which range from whale to berries."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    embedded = set(pd.read_csv(root / "foods.csv", dtype=str, keep_default_na=False)["aisle"])
    assert set(fdc_classify.AISLE_BY_CATEGORY.values()) <= embedded
    extract = pd.read_csv(root / "planner" / "data" / "usda_sr_legacy_nutrients.csv", dtype=str,
                          usecols=["fdc_id", "food_group"])
    group = pd.Series(extract["food_group"].to_numpy(), index="fdc_" + extract["fdc_id"]).reindex(table.index)
    assert ((table["aisle"] == "other") == (group == "American Indian/Alaska Native Foods")).all()
    assert set(table["aisle"]) == set(fdc_classify.AISLE_BY_CATEGORY.values()) | {"other"}   # no frozen group
    where_a_cook_looks = {"fdc_171265": "dairy & eggs", "fdc_171688": "produce", "fdc_169098": "beverages",
                          "fdc_172688": "bakery", "fdc_168878": "grains & pasta"}
    assert table.loc[list(where_a_cook_looks), "aisle"].to_dict() == where_a_cook_looks
