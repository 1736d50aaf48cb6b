"""FNDDS 2017-2018 foods: the shipped extract, the whole-FNDDS table and the curated table.

The curated table and the whole table are checked against the shipped extract cell for
cell; the extract is checked against the USDA files in `<repo>/../shared/data` when that
folder exists (the only test that needs it). The serving rule is restated here with its
own numbers, so a change to the rule in `planner/sources/fndds.py` fails until this file and
`scripts/FOODS.md` say the same.
"""

from __future__ import annotations

import csv
import io
import math
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from planner.sources import fndds, fndds_tags

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
EXTRACT = ROOT / "planner" / "data" / "fndds"
CURATED = ROOT / "foods.csv"
SPEC = ROOT / "scripts" / "foods_spec.csv"
BUILDER = ROOT / "scripts" / "build_foods.py"
CATEGORY_FILE = ROOT / "planner" / "data" / "wweia_categories.csv"

# The serving rule as scripts/FOODS.md states it.
USUAL_FACTOR = 2
GROUP_CAPS = {"legumes_cup_eq": 1.5, "dairy_cup_eq": 1.5, "protein_foods_oz_eq": 6}
TOLERANCE = 0.01
MIN_SHARE = 0.1


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


EXTRACT_FOODS = {row["food_code"]: row for row in read(EXTRACT / "fndds_foods.csv")}
PORTIONS: dict[str, list[dict[str, str]]] = {}
for _row in read(EXTRACT / "fndds_portions.csv"):
    PORTIONS.setdefault(_row["food_code"], []).append(_row)
CURATED_ROWS = read(CURATED)
WHOLE_ROWS = fndds.fndds_rows()
PLANNED_WHOLE = [row for row in WHOLE_ROWS if row["role"] != "ingredient"]


def usual_g(code: str) -> float:
    return next(float(p["grams"]) for p in PORTIONS[code] if p["portion"] == "Quantity not specified")


def day_cap(row: dict[str, str]) -> float:
    food = EXTRACT_FOODS[row["food_code"]]
    caps = [USUAL_FACTOR * usual_g(row["food_code"])]
    caps += [limit / float(food[column]) * 100 for column, limit in GROUP_CAPS.items() if float(food[column]) > 0]
    return min(caps)


# --------------------------------------------------------------------------- the curated table

def test_curated_table_size_and_columns():
    assert 150 <= len(CURATED_ROWS) <= 220
    assert tuple(CURATED_ROWS[0]) == fndds.TABLE_COLUMNS
    assert len({r["food_id"] for r in CURATED_ROWS}) == len(CURATED_ROWS)
    assert len({r["food_code"] for r in CURATED_ROWS}) == len(CURATED_ROWS)


@pytest.mark.parametrize("rows", [CURATED_ROWS, PLANNED_WHOLE], ids=["curated", "whole"])
def test_nutrients_and_food_groups_equal_the_extract(rows):
    for row in rows:
        food = EXTRACT_FOODS[row["food_code"]]
        for column in fndds.NUTRIENTS + fndds.FOOD_GROUPS:
            assert row[column] == food[column], (row["food_id"], column)
        assert row["usda_description"] == food["description"]
        assert (row["wweia_code"], row["wweia_category"]) == (food["wweia_code"], food["wweia_category"])
        assert row["nutrient_source"] == f"USDA FNDDS 2017-2018 food code {row['food_code']}"
        assert row["food_group_source"] == f"USDA FPED 2017-2018 food code {row['food_code']}"


@pytest.mark.parametrize("rows", [CURATED_ROWS, PLANNED_WHOLE], ids=["curated", "whole"])
def test_every_planned_food_has_the_pp_nap_price_of_its_code(rows):
    for row in rows:
        food = EXTRACT_FOODS[row["food_code"]]
        assert row["price_per_100g"] and float(row["price_per_100g"]) > 0, row["food_id"]
        assert row["price_per_100g"] == food["price_per_100g"], row["food_id"]
        assert row["price_source"] == (f"USDA ERS PP-NAP 2017/2018, food code {row['food_code']}, "
                                       f"{food['price_method']}")
        assert row["price_date"] == "2017-2018"


@pytest.mark.parametrize("rows", [CURATED_ROWS, PLANNED_WHOLE], ids=["curated", "whole"])
def test_every_serving_is_an_fndds_portion_of_its_food(rows):
    for row in rows:
        portions = {(p["portion"], p["grams"]) for p in PORTIONS[row["food_code"]]}
        assert (row["serving_label"], row["serving_g"]) in portions, row["food_id"]
        assert row["usual_g"] == next(p["grams"] for p in PORTIONS[row["food_code"]]
                                      if p["portion"] == "Quantity not specified")
        assert not row["serving_label"].startswith(("Quantity not specified", "Guideline amount"))


@pytest.mark.parametrize("rows", [CURATED_ROWS, PLANNED_WHOLE], ids=["curated", "whole"])
def test_every_food_obeys_the_serving_rule(rows):
    """Whole servings fit the day's cap; half a serving more would not; a serving is 1/10 of usual or more."""
    for row in rows:
        cap = day_cap(row) * (1 + TOLERANCE)
        serving, most = float(row["serving_g"]), float(row["max_servings"])
        assert most >= 1 and (most * 2).is_integer(), row["food_id"]
        assert most * serving <= cap + 1e-9, row["food_id"]
        assert (most + 0.5) * serving > cap, row["food_id"]
        assert serving >= MIN_SHARE * usual_g(row["food_code"]), row["food_id"]


def cup_g(code: str) -> float:
    """The food's FNDDS "1 cup" weight (infinite when FNDDS has no cup of it: papad, soy nuts by the oz)."""
    return next((float(p["grams"]) for p in PORTIONS[code] if p["portion"] == "1 cup"), math.inf)


def test_the_food_list_in_foods_md_gives_each_foods_serving():
    """scripts/FOODS.md lists every food with its serving and the most servings a day, as the table has them."""
    text = (ROOT / "scripts" / "FOODS.md").read_text(encoding="utf-8")
    for row in CURATED_ROWS:
        entry = f"{row['name']} ({row['serving_label']} {float(row['serving_g']):g} g, max {float(row['max_servings']):g})"
        assert entry in text, entry


@pytest.mark.parametrize("rows", [CURATED_ROWS, PLANNED_WHOLE], ids=["curated", "whole"])
def test_beans_and_milk_stay_within_sensible_amounts(rows):
    """The goal of the rule: never 700 g of beans or 3 cups of milk in a day."""
    for row in rows:
        most_g = float(row["serving_g"]) * float(row["max_servings"])
        if row["wweia_code"] == "2802":  # beans, peas, lentils: a cup a day at most
            assert most_g <= cup_g(row["food_code"]), row["food_id"]
        if row["wweia_code"] in ("1002", "1004", "1006", "1008"):  # milk: a cup and a half (FPED dairy)
            assert most_g <= 1.5 * cup_g(row["food_code"]), row["food_id"]


def test_unchosen_servings_are_the_portion_nearest_the_usual_amount():
    chosen = {r["food_id"] for r in read(SPEC) if r["serving_portion"]}
    for row in CURATED_ROWS + PLANNED_WHOLE:
        if row["food_id"] in chosen:
            assert "chosen in the spec" in row["serving_source"]
            continue
        usual, cap = usual_g(row["food_code"]), day_cap(row) * (1 + TOLERANCE)
        distance = abs(math.log(float(row["serving_g"]) / usual))
        for portion in PORTIONS[row["food_code"]]:
            grams = float(portion["grams"])
            if fndds.is_serving(portion["portion"]) and MIN_SHARE * usual <= grams <= cap:
                assert abs(math.log(grams / usual)) >= distance - 1e-12, (row["food_id"], portion["portion"])


def test_an_allergen_in_the_recipe_is_tagged():
    """FPED's food groups show what a recipe holds: egg noodles in a soup, milk in a cereal, nuts in granola. A food
    with any egg is tagged `egg`; any dairy, `dairy` (or `soy`: FPED counts fortified soy drinks as dairy); any nut
    or seed, `nuts` or `peanuts`, unless it is seeds (which a nut allergy does not rule out)."""
    for row in CURATED_ROWS:
        tags, group = set(row["tags"].split("|")), {c: float(row[c] or 0) for c in
                                                    ("eggs_oz_eq", "dairy_cup_eq", "nuts_seeds_oz_eq")}
        seeds = "seed" in row["name"].lower() or "multigrain" in row["name"].lower()
        assert group["eggs_oz_eq"] == 0 or "egg" in tags, row["food_id"]
        assert group["dairy_cup_eq"] == 0 or tags & {"dairy", "soy"}, row["food_id"]
        assert group["nuts_seeds_oz_eq"] == 0 or tags & {"nuts", "peanuts"} or seeds, row["food_id"]


def test_vocabularies():
    for row in CURATED_ROWS:
        assert row["role"] in fndds.ROLES and row["role"] != "ingredient", row["food_id"]
        slots = row["slots"].split("|")
        assert slots and set(slots) <= set(fndds.SLOTS), row["food_id"]
        tags = set(row["tags"].split("|")) - {""}
        assert tags <= set(fndds.TAGS), row["food_id"]
        if "vegan" in tags:
            assert "vegetarian" in tags and not tags & {"dairy", "egg", "fish", "meat"}, row["food_id"]
        assert row["aisle"], row["food_id"]
    for row in WHOLE_ROWS:
        assert row["role"] in fndds.ROLES
        assert set(row["slots"].split("|")) - {""} <= set(fndds.SLOTS)
        assert set(row["tags"].split("|")) - {""} <= set(fndds.TAGS)


def test_curated_variety_for_a_vegan_week():
    vegan = Counter(r["role"] for r in CURATED_ROWS if "vegan" in r["tags"].split("|"))
    for role in ("protein", "main", "starch", "cereal", "vegetable", "fruit", "dairy", "drink", "snack"):
        assert vegan[role] >= 3, role
    vegan_milks = [r for r in CURATED_ROWS if {"vegan", "milk", "fortified"} <= set(r["tags"].split("|"))]
    assert vegan_milks


def test_packages_name_their_source_and_are_whole():
    for row in CURATED_ROWS:
        cells = (row["package_g"], row["package_label"], row["package_source"])
        assert all(cells) or not any(cells), row["food_id"]
        if row["package_g"]:
            assert float(row["package_g"]) > 0
            assert row["package_source"].startswith(("USDA ERS Fruit and Vegetable Prices", "BLS average price"))


# --------------------------------------------------------------------------- the whole-FNDDS table

def test_whole_table_covers_every_food_code_in_order():
    assert [r["food_code"] for r in WHOLE_ROWS] == list(EXTRACT_FOODS)
    assert len(WHOLE_ROWS) == 7083
    text = fndds.fndds_table_text()
    assert pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).shape == (7083, len(fndds.TABLE_COLUMNS))


def test_whole_table_plans_no_food_without_price_or_portion():
    for row in PLANNED_WHOLE:
        assert row["price_per_100g"] and row["serving_g"] and row["max_servings"], row["food_id"]
        assert "kept out" not in row["serving_source"]
    for row in WHOLE_ROWS:
        if row["role"] == "ingredient":
            assert "kept out: " in row["serving_source"], row["food_id"]


def test_whole_table_lets_a_plain_milk_come_every_day_and_nothing_else():
    daily = {row["usda_description"] for row in PLANNED_WHOLE if row["max_days"]}
    assert {"Milk, whole", "Milk, low fat (1%)", "Soy milk", "Almond milk, unsweetened"} <= daily
    assert {row["max_days"] for row in PLANNED_WHOLE if row["max_days"]} == {"7"}
    for row in PLANNED_WHOLE:
        if row["max_days"]:
            assert "milk" in row["tags"].split("|") and row["role"] == "dairy", row["food_id"]
    flavoured = [row for row in PLANNED_WHOLE if "chocolate" in row["usda_description"].lower()
                 and "milk" in row["usda_description"].lower()]
    assert flavoured and not any(row["max_days"] for row in flavoured)


KEEP_OUT_SNAPSHOT = {
    "infant formula or baby food": 402,
    "human milk": 1,
    "alcoholic drink": 99,
    "supplement, meal replacement, or protein drink, powder or bar": 47,
    "condiment, sauce, dressing or gravy on its own": 198,
    "sugar, sweetener, jam or syrup on its own": 55,
    "fat or oil on its own (butter, margarine, oil, cream)": 75,
    "plain water": 2,
    "ingredient or garnish, not a food on its own": 82,
    "not further specified (NFS, NS as to ...): stands in for specific foods": 650,
    "no PP-NAP 2017/2018 price": 1869,
    "no household portion within the serving rule": 63,
}


def test_keep_out_counts_snapshot():
    counts = fndds.keep_out_counts()
    assert counts == KEEP_OUT_SNAPSHOT
    assert all(n >= 1 for n in counts.values())
    kept = Counter(r["serving_source"].rsplit("kept out: ", 1)[1] for r in WHOLE_ROWS if r["role"] == "ingredient")
    assert kept == Counter(counts)
    assert len(PLANNED_WHOLE) == 7083 - sum(counts.values())


def test_each_keep_out_reason_keeps_out_what_it_says():
    by_reason: dict[str, list[dict[str, str]]] = {}
    for row in WHOLE_ROWS:
        if row["role"] == "ingredient":
            by_reason.setdefault(row["serving_source"].rsplit("kept out: ", 1)[1], []).append(row)
    assert all(not r["price_per_100g"] for r in by_reason[fndds.NO_PRICE])
    assert all(r["price_per_100g"] and not r["serving_g"] for r in by_reason[fndds.NO_PORTION])
    assert all("NFS" in r["name"] or "NS as to" in r["name"] for r in by_reason[fndds.NFS])
    assert {r["wweia_code"] for r in by_reason[fndds.WATER]} == {"7702", "7704"}
    assert {r["name"] for r in by_reason[fndds.FAT]} >= {"Olive oil", "Canola oil"}
    assert all(r["wweia_code"].startswith(("90", "92", "94")) for r in by_reason[fndds.BABY])


def test_categories_cover_fndds_and_use_the_vocabularies():
    cats = fndds.categories()
    assert {(f["wweia_code"], f["wweia_category"]) for f in EXTRACT_FOODS.values()} == \
        {(c.code, c.name) for c in cats.values()}
    for cat in cats.values():
        assert (cat.role == "ingredient") == bool(cat.keep_out)
        assert bool(cat.slots) != bool(cat.keep_out), cat.code


def test_every_wweia_category_has_an_aisle_of_the_embedded_table():
    """A list over FNDDS groups by the aisles a list over the embedded table does (read from foods.csv itself),
    kept-out categories too, so a food a user's own table takes from FNDDS has one."""
    embedded = {row["aisle"] for row in CURATED_ROWS}
    rows = read(CATEGORY_FILE)
    assert [(r["wweia_code"], r.get("aisle")) for r in rows if r.get("aisle") not in embedded] == []
    assert len({r["aisle"] for r in rows}) == len(embedded)   # no aisle of the embedded table goes unused


def test_whole_table_puts_each_food_in_its_categorys_aisle():
    aisle = {r["wweia_code"]: r["aisle"] for r in read(CATEGORY_FILE)}
    assert [row["food_id"] for row in WHOLE_ROWS if row["aisle"] != aisle[row["wweia_code"]]] == []


@pytest.mark.parametrize("description, defaults, b12, expected", [
    ("Bacon strip, meatless", ("vegetarian", "soy"), "0", ("vegetarian", "soy")),
    ("Pizza with pepperoni, from frozen, thin crust", ("vegetarian", "dairy", "gluten"), "0.5",
     ("dairy", "meat", "gluten", "wheat")),
    ("Pizza, cheese, gluten-free thin crust", ("vegetarian", "dairy", "gluten"), "0.5", ("vegetarian", "dairy")),
    ("Soy milk", ("vegan", "vegetarian", "milk"), "0.85", ("vegan", "vegetarian", "soy", "fortified", "milk")),
    ("Soy milk, chocolate", ("vegan", "vegetarian", "milk"), "0.7", ("vegan", "vegetarian", "soy", "fortified")),
    ("Oatmeal, regular or quick, made with non-dairy milk, no added fat", ("vegan", "vegetarian"), "0.28",
     ("vegan", "vegetarian")),
    ("Oatmeal, regular or quick, made with milk, no added fat", ("vegan", "vegetarian"), "0.54",
     ("vegetarian", "dairy")),
    ("Peanut butter", ("vegan", "vegetarian"), "0", ("vegan", "vegetarian", "peanuts")),
    ("Mixed nuts, without peanuts, salted", ("vegan", "vegetarian"), "0", ("vegan", "vegetarian", "nuts")),
    ("Soy nuts", ("vegan", "vegetarian"), "0", ("vegan", "vegetarian", "soy")),
    ("Spaghetti squash, cooked", ("vegan", "vegetarian"), "0", ("vegan", "vegetarian")),
    ("Chicken wing, baked, coated", ("meat",), "0.3", ("meat", "gluten", "wheat")),
    ("Almonds, chocolate covered", ("vegetarian", "dairy"), "0", ("vegetarian", "dairy", "nuts")),
    ("Egg omelet or scrambled egg, with meat, made with butter", ("vegetarian", "egg"), "0.7",
     ("dairy", "egg", "meat")),
    ("Fruit salad, excluding citrus fruits, with marshmallows", ("vegan", "vegetarian"), "0.02", ()),
    ("Cereal (General Mills Cheerios)", ("vegan", "vegetarian"), "6.77", ("vegan", "vegetarian", "fortified")),
    ("Bread, white", ("vegetarian", "gluten"), "0.2", ("vegetarian", "gluten", "wheat")),
    # the nine major allergens: shellfish beside fish, sesame, wheat beside gluten unless barley is all
    ("Shrimp, baked or broiled, made with oil", ("fish",), "1.1", ("fish", "shellfish")),
    ("Clam chowder, New England, prepared with milk", (), "5", ("dairy", "fish", "shellfish")),
    ("Frog legs, steamed", ("fish",), "0.5", ("fish",)),   # the WWEIA category "Shellfish" holds frog legs too
    ("Fish with cream or white sauce, not tuna or lobster", ("fish",), "1", ("dairy", "fish")),
    ("Crackers, oyster", ("vegetarian", "gluten"), "0", ("vegetarian", "gluten", "wheat")),
    ("Hummus, plain", ("vegan", "vegetarian"), "0", ("vegan", "vegetarian", "sesame")),
    ("Sesame chicken", ("meat",), "0.2", ("meat", "sesame")),
    ("Barley soup, home recipe, canned, or ready-to-serve", ("vegan", "vegetarian"), "0",
     ("vegan", "vegetarian", "gluten")),
    ("Bread, rye", ("vegetarian", "gluten"), "0", ("vegetarian", "gluten", "wheat")),
    ("Cream of wheat, made with milk", ("vegetarian",), "0.3", ("vegetarian", "dairy", "gluten", "wheat")),
    ("Soybean curd", ("vegetarian", "soy"), "0", ("vegan", "vegetarian", "soy")),
    ("Orange juice, 100%, with calcium added, canned, bottled or in a carton", ("vegan", "vegetarian"), "0",
     ("vegan", "vegetarian", "fortified")),
])
def test_tag_rules(description, defaults, b12, expected):
    assert fndds_tags.food_tags(defaults, description, b12) == expected


@pytest.mark.parametrize(("description", "groups", "expected"), [
    # what FPED says the recipe holds, where the words do not: tzatziki's yogurt, a dip's mayonnaise
    ("Tzatziki dip", {"dairy_cup_eq": "0.31"}, ("vegetarian", "dairy")),
    ("Onion dip, regular", {"eggs_oz_eq": "0.02"}, ("vegetarian", "egg")),
    ("Yogurt, Greek, with oats", {"nuts_seeds_oz_eq": "0.1"}, ("vegetarian", "dairy", "nuts")),
    # FPED counts soy drinks as dairy, and seeds and peanuts as nuts: the words say which
    ("Soy milk", {"dairy_cup_eq": "0.9"}, ("vegan", "vegetarian", "soy")),
    ("Peanuts, roasted, salted", {"nuts_seeds_oz_eq": "7"}, ("vegan", "vegetarian", "peanuts")),
    ("Sesame sticks", {"nuts_seeds_oz_eq": "2"}, ("vegan", "vegetarian", "sesame")),
])
def test_fped_groups_tag_what_a_recipe_holds(description, groups, expected):
    assert fndds_tags.food_tags(("vegan", "vegetarian"), description, "0", "", groups) == expected


def test_every_fndds_food_is_tagged_for_the_egg_dairy_and_nuts_fped_shows():
    for row in WHOLE_ROWS:
        tags, held = set(row["tags"].split("|")), {c: float(row[c] or 0) for c in fndds_tags.RECIPE_GROUPS.values()}
        plant_milk = "plant_milk" in fndds_tags.rule_hits(row["name"])
        assert held["eggs_oz_eq"] == 0 or "egg" in tags, row["name"]
        assert held["dairy_cup_eq"] == 0 or "dairy" in tags or plant_milk, row["name"]


@pytest.mark.parametrize(("description", "wweia_code", "spread"), [
    ("Peanut butter", "2804", True),
    ("Almond butter, lower sodium", "2804", True),
    ("Tahini", "2804", True),
    ("Peanuts, dry roasted, salted", "2804", False),
    # the filling of a sandwich, not the food: another category
    ("Peanut butter sandwich, with regular peanut butter, on white bread", "3722", False),
])
def test_a_nut_or_seed_butter_is_a_spread(description, wweia_code, spread):
    assert ("spread" in fndds_tags.food_tags(("vegan", "vegetarian"), description, "0", wweia_code)) is spread


def test_oils_in_the_dressing_category_count_as_fats():
    dressings = fndds.categories()["8012"]
    assert fndds.category_reason(dressings, "Olive oil") == fndds.FAT
    assert fndds.category_reason(dressings, "Italian dressing, made with vinegar and oil") == fndds.CONDIMENT


# --------------------------------------------------------------------------- the builder and the sources

def run_builder(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BUILDER), *args], capture_output=True, text=True, cwd=ROOT)


def test_builder_output_is_byte_identical_twice(tmp_path):
    spec = tmp_path / "spec.csv"
    # no package keys: this spec builds without the shared price files
    rows = [r for r in read(SPEC) if not r["package_key"]][:20]
    with spec.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    outs = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for out in outs:
        result = run_builder("table", "--spec", str(spec), "--out", str(out), "--shared", str(tmp_path / "none"))
        assert result.returncode == 0, result.stderr
    assert outs[0].read_bytes() == outs[1].read_bytes()
    built = read(outs[0])
    assert built == [r for r in CURATED_ROWS if r["food_id"] in {s["food_id"] for s in rows}]
    if SHARED.is_dir():  # the real spec, with its package units, rebuilds the committed table exactly
        assert run_builder("table", "--out", str(outs[0])).returncode == 0
        assert outs[0].read_bytes() == CURATED.read_bytes()


def test_builder_rejects_a_food_without_price(tmp_path):
    unpriced = next(code for code, f in EXTRACT_FOODS.items() if not f["price_per_100g"] and code in PORTIONS)
    spec = tmp_path / "spec.csv"
    spec.write_text(",".join(("food_id", "food_code", "name", "slots", "role", "tags", "aisle", "serving_portion",
                              "max_days", "same_as", "package_key", "purchase"))
                    + f"\nx,{unpriced},X,lunch,main,,deli & prepared,,,,,\n")
    result = run_builder("table", "--spec", str(spec), "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 1
    assert "line 2 (x): food_code" in result.stderr and "no PP-NAP" in result.stderr


def test_builder_shares_a_purchase_only_between_packaged_foods(tmp_path):
    row = dict(next(r for r in read(SPEC) if not r["package_key"]), purchase="Something")
    spec = tmp_path / "spec.csv"
    with spec.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row), lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
    result = run_builder("table", "--spec", str(spec), "--out", str(tmp_path / "x.csv"), "--shared", str(tmp_path))
    assert result.returncode == 1
    assert f"line 2 ({row['food_id']}): purchase: only a food with a package_key" in result.stderr
    # In the table, the foods sharing a purchase are bought in the same unit.
    shared = [r for r in CURATED_ROWS if r["purchase"]]
    assert {r["food_id"] for r in shared} == {"carrots_raw", "carrots_cooked", "egg_boiled", "egg_scrambled",
                                              "egg_fried"}
    for purchase in {r["purchase"] for r in shared}:
        assert len({r["package_label"] for r in shared if r["purchase"] == purchase}) == 1


def test_builder_counts_a_food_with_the_other_form_it_names(tmp_path):
    rows = {r["food_id"]: {**r, "package_key": "", "purchase": ""} for r in read(SPEC)}   # no price files needed
    spec = tmp_path / "spec.csv"
    for chosen in (["carrots_cooked"], ["carrots_raw", "carrots_cooked"]):
        with spec.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows["carrots_raw"]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows[f] for f in chosen)
        result = run_builder("table", "--spec", str(spec), "--out", str(tmp_path / "x.csv"), "--shared", str(tmp_path))
        if len(chosen) == 1:   # the food it names is not in the spec
            assert result.returncode == 1
            assert "(carrots_cooked): same_as: expected the id of another food" in result.stderr
    assert result.returncode == 0, result.stderr
    assert [r["same_as"] for r in read(tmp_path / "x.csv")] == ["", "carrots_raw"]
    # In the table, every same_as names a food that names none itself.
    named = {r["food_id"]: r["same_as"] for r in CURATED_ROWS}
    assert all(named.get(other) == "" for other in named.values() if other)


def _usda_export(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [" ".join(c.split()) for c in frame.columns]
    return frame


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared data folder at {SHARED}")
def test_shipped_extract_equals_the_shared_usda_files(tmp_path):
    result = run_builder("extract", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("fndds_foods.csv", "fndds_portions.csv"):
        assert (tmp_path / name).read_bytes() == (EXTRACT / name).read_bytes(), name

    base = SHARED / "fndds_2017_2018"
    glance = _usda_export(base / "foods_and_beverages.csv")
    values = _usda_export(base / "nutrient_values.csv").set_index("Food code").to_dict("index")
    fped_frame = pd.read_csv(base / "fped_2017_2018.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    fped_frame.columns = [c.split(" (")[0] for c in fped_frame.columns]
    fped = fped_frame.set_index("FOODCODE").to_dict("index")
    pp = pd.read_csv(SHARED / "prices" / "pp_national_average_prices.csv", dtype=str, keep_default_na=False,
                     encoding="cp1252")
    pp = pp[(pp["year"] == "2017/2018") & pp["mod_code"].isin(["0", "NA"])].set_index("food_code").to_dict("index")

    assert list(EXTRACT_FOODS) == list(glance["Food code"])
    for food in glance.to_dict("records"):
        code = food["Food code"]
        row = EXTRACT_FOODS[code]
        assert row["description"] == food["Main food description"] == values[code]["Main food description"]
        assert (row["wweia_code"], row["wweia_category"]) == (food["WWEIA Category number"],
                                                              food["WWEIA Category description"])
        for column, header in fndds.NUTRIENT_HEADERS.items():
            assert row[column] == values[code][header], (code, column)
        for column, header in fndds.FOOD_GROUP_HEADERS.items():
            assert row[column] == fped[code][header], (code, column)
        price = pp.get(code)
        assert row["price_per_100g"] == (price["price_100gm"] if price else ""), code
        assert row["price_method"] == (price["method_description"] if price else ""), code

    portions = _usda_export(base / "portions_and_weights.csv")
    kept = portions[(portions["Subcode"] == "") & ~portions["Portion description"].str.startswith("Guideline amount")
                    & (portions["Portion weight (g)"].astype(float) > 0)]
    shipped = [(r["food_code"], r["seq"], r["portion"], r["grams"]) for r in read(EXTRACT / "fndds_portions.csv")]
    assert shipped == list(kept[["Food code", "Seq num", "Portion description", "Portion weight (g)"]]
                           .itertuples(index=False, name=None))

    # the README's claim: FPED's vegetable and protein totals leave beans and peas out
    groups = fped_frame.set_index("FOODCODE").drop(columns=["DESCRIPTION"]).astype(float)
    vegetables = groups[["V_DRKGR", "V_REDOR_TOTAL", "V_STARCHY_TOTAL", "V_OTHER"]].sum(axis=1)
    protein = groups[["PF_MPS_TOTAL", "PF_EGGS", "PF_NUTSDS", "PF_SOY"]].sum(axis=1)
    assert ((groups["V_TOTAL"] - vegetables).abs() <= 0.011).all()
    assert ((groups["PF_TOTAL"] - protein).abs() <= 0.011).all()
    beans = groups[groups["V_LEGUMES"] > 0]
    assert ((beans["V_TOTAL"] - vegetables[beans.index] - beans["V_LEGUMES"]).abs() > 0.011).any()

    # package units recomputed from the ERS and BLS files they name
    ers = pd.read_csv(SHARED / "prices" / "ers_fruit_vegetable_prices.csv", dtype=str, keep_default_na=False)
    for row in CURATED_ROWS:
        if row["package_source"].startswith("USDA ERS") and row["package_label"] == "1 lb (as purchased)":
            item, form = row["package_source"].split(": ", 1)[1].split(", per pound")[0].rsplit(", ", 1)
            match = ers[(ers["item"] == item) & (ers["form"] == form)]
            assert len(match) == 1, row["food_id"]
            expected = (Decimal("453.6") * Decimal(match["yield"].iloc[0])).quantize(Decimal("0.1"))
            assert Decimal(row["package_g"]) == expected, row["food_id"]


def test_foods_that_differ_only_in_salt_or_fat_are_one_food_for_a_weeks_variety():
    """A week served oatmeal made with milk on 6 of 7 days: "..., fat added" and "..., no added fat" alternating,
    each within the 3 days a food may have."""
    rows = {row["food_id"]: row for row in fndds.fndds_rows()}
    assert rows["fndds_42101130"]["name"] == "Almonds, unsalted"
    assert (rows["fndds_42101130"]["same_as"], rows["fndds_42101110"]["same_as"]) == ("fndds_42101110", "")
    oatmeal = {k: rows[k]["name"].rsplit(", ", 1)[1] for k in ("fndds_56203065", "fndds_56203066", "fndds_56203067")}
    assert oatmeal == {"fndds_56203065": "NS as to fat", "fndds_56203066": "no added fat",
                       "fndds_56203067": "fat added"}
    assert [rows[k]["same_as"] for k in oatmeal] == ["", "fndds_56203065", "fndds_56203065"]
    assert rows["fndds_56203066"]["role"] != "ingredient"
    # lamb ribs eaten lean or with their fat too; a food named by the fat it holds is another food
    assert rows["fndds_23110050"]["same_as"] == "fndds_23110000"
    assert rows["fndds_14104110"]["name"] == "Cheese, Cheddar, reduced fat" and rows["fndds_14104110"]["same_as"] == ""
    assert rows["fndds_42301125"]["same_as"] == "fndds_42301025"   # with reduced fat or regular peanut butter
    assert sum(1 for row in rows.values() if row["same_as"]) == 734
