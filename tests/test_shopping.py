"""The shopping list: aggregation, packages, pantry, rendering, and refusing bad input."""

from __future__ import annotations

import csv
import json
import math
import re

import pandas as pd
import pytest

import cli
from conftest import ROOT, make_runner
from planner import InputError, load_foods, read_plan
from planner.render import render
from planner.shopping import is_dish, list_for_grams, load_pantry, shopping_list


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory):
    """One 3-day plan from the embedded table, made once for the module."""
    path = tmp_path_factory.mktemp("shop") / "plan.json"
    result = make_runner().invoke(cli.cli, ["week", "--days", "3", "--format", "json", "-o", str(path)])
    assert path.exists(), result.output
    return path


@pytest.fixture(scope="module")
def foods():
    return load_foods()


@pytest.fixture(scope="module")
def plan(plan_path):
    return read_plan(plan_path)


def _planned_grams(plan) -> pd.Series:
    items = [(i.food_id, i.grams) for d in plan.days for i in d.items]
    return pd.Series([g for _, g in items], index=[f for f, _ in items]).groupby(level=0).sum()


@pytest.mark.parametrize("people", [1, 3])
def test_aggregation_sums_every_food_over_the_days_times_people(plan, foods, people):
    frame = shopping_list(plan, foods, people=people).frame
    grams = _planned_grams(plan)
    assert sorted(frame["food_id"]) == sorted(grams.index)
    assert not frame["food_id"].duplicated().any()
    got = frame.set_index("food_id")["eaten_g"]
    for food_id, g in grams.items():
        assert got[food_id] == pytest.approx(g * people, abs=0.06)
    # Nothing in the pantry: what is bought is what is eaten, in grams as eaten.
    assert (frame["buy_g"] == frame["eaten_g"]).all()
    assert list(frame.columns[:3]) == ["aisle", "food_id", "name"]
    assert frame[["aisle", "name"]].equals(frame[["aisle", "name"]].sort_values(["aisle", "name"]))


def test_packages_cover_what_is_bought_and_no_more_than_one_extra(plan, foods):
    frame = shopping_list(plan, foods, people=2).frame
    packaged = frame[frame["package_g"].notna() & (frame["purchase"] == "")]   # shared purchases: the next test
    assert not packaged.empty
    for r in packaged.itertuples():
        assert int(r.packages) * r.package_g >= r.buy_g
        assert (int(r.packages) - 1) * r.package_g < r.buy_g
        assert r.leftover_g == pytest.approx(int(r.packages) * r.package_g - r.buy_g, abs=0.1)
        if not math.isnan(r.cost):
            assert r.cost > 0
    loose = frame[frame["package_g"].isna()]
    assert loose["packages"].isna().all()
    assert (loose["buy_g"] == loose["eaten_g"]).all()
    assert (loose["servings"] > 0).all()


@pytest.mark.parametrize("grams", [{"carrots_raw": 270.0, "carrots_cooked": 341.0},
                                   {"carrots_raw": 100.0, "carrots_cooked": 100.0},
                                   {"egg_boiled": 150.0, "egg_scrambled": 165.0, "egg_fried": 400.0, "banana": 126.0}])
def test_foods_of_one_purchase_share_its_packages(foods, grams):
    """Raw and cooked carrots are one bag of fresh carrots: their use of a package is summed and rounded up once."""
    eaten = pd.Series(grams)
    shop = list_for_grams(eaten, foods, 7, 1)
    frame = shop.frame.set_index("food_id")
    for purchase, rows in frame[frame["purchase"] != ""].groupby("purchase"):
        used = (rows["buy_g"] / rows["package_g"]).sum()
        count = rows["packages"].dropna()
        assert len(count) == 1 and rows["packages"].iloc[0] == count.iloc[0]   # counted once, on the first row
        assert used <= int(count.iloc[0]) < used + 1
        # What the packages make is shared in proportion: each food's share of it is its share of the use.
        made = (rows["buy_g"] + rows["leftover_g"]) / rows["package_g"]
        assert made.sum() == pytest.approx(int(count.iloc[0]), abs=1e-3)
        price = foods.data.loc[rows.index, "price_per_100g"]
        assert rows["cost"].to_numpy() == pytest.approx((rows["buy_g"] + rows["leftover_g"]).to_numpy() / 100
                                                        * price.to_numpy(), abs=0.01)
        text = render(shop, "table")
        assert sum(purchase in line for line in text.splitlines()) == 1
        assert all(name in text for name in rows["name"])
    items = 2 if "banana" in grams else 1
    assert shop.total_line().startswith(f"Total: ${shop.frame['cost'].sum():,.2f} for {items} priced item(s)")


def test_a_package_is_what_one_purchase_makes_as_eaten():
    """A 1 lb bag of dry lentils makes 1,120 g cooked (ERS yield), so 1,000 g cooked is one bag."""
    foods = load_foods()
    data = foods.data
    assert data.at["lentils", "package_g"] == pytest.approx(1120)
    assert "Dried" in data.at["lentils", "package_source"]
    assert data.at["milk_whole", "package_label"] == "1 gallon"
    packaged = data[data["package_g"].notna()]
    assert (packaged["package_source"].str.len() > 0).all()
    assert (packaged["package_label"].str.len() > 0).all()


def test_dishes_are_named_as_dishes_not_ingredients():
    dish = is_dish(load_foods())
    assert dish["lentil_curry"] and dish["bean_burrito"] and dish["oatmeal_milk"] and dish["tomato_soup_milk"]
    assert not dish["lentils"] and not dish["milk_whole"] and not dish["spinach_cooked"] and not dish["almonds"]


def test_pantry_covering_a_food_buys_none_and_partial_reduces(plan, foods, tmp_path):
    base_list = shopping_list(plan, foods)
    base = base_list.frame.set_index("food_id")
    packaged = base[base["package_g"].notna() & (base["purchase"] == "")].index
    full, partial = packaged[0], packaged[-1]
    half = base.at[partial, "eaten_g"] / 2
    path = tmp_path / "pantry.csv"
    path.write_text(f"food_id,grams\n{full},{base.at[full, 'eaten_g'] + 50}\n{partial},{half}\n"
                    "sardines_canned,10\n")  # a known food the plan may not use: ignored
    pantry = load_pantry(str(path), foods)
    covered = shopping_list(plan, foods, pantry=pantry)
    frame = covered.frame.set_index("food_id")
    assert frame.at[full, "buy_g"] == 0
    assert frame.at[full, "packages"] == 0
    assert frame.at[full, "leftover_g"] == pytest.approx(50, abs=0.1)
    assert frame.at[full, "cost"] == 0
    assert frame.at[partial, "pantry_g"] == pytest.approx(half, abs=0.1)
    assert frame.at[partial, "buy_g"] == pytest.approx(base.at[partial, "eaten_g"] - half, abs=0.1)
    assert frame.at[partial, "packages"] <= base.at[partial, "packages"]
    assert sorted(frame.index) == sorted(base.index)      # still every food of the plan
    cost, _ = covered.total()
    assert cost <= base_list.total()[0]
    md = render(covered, "md")
    assert "- [x] " in md and "covered by your pantry" in md


@pytest.mark.parametrize("pantry_row", ["carrots_raw,453.6,", "carrots_raw,,1"])
def test_what_the_pantry_has_of_one_form_covers_another_of_the_same_purchase(foods, tmp_path, pantry_row):
    """A pound of fresh carrots in the pantry (as grams as eaten, or as the one package) covers 150 g raw and
    217 g cooked (0.96 lb, by the table's yields): nothing to buy, and what is left is the rest of that pound."""
    path = tmp_path / "pantry.csv"
    path.write_text(f"food_id,grams,packages\n{pantry_row}\n")
    eaten = pd.Series({"carrots_cooked": 217.0, "carrots_raw": 150.0})
    listing = list_for_grams(eaten, foods, 3, 1, load_pantry(str(path), foods)).frame.set_index("food_id")
    data = foods.data
    assert (listing["buy_g"] == 0).all() and listing["packages"].fillna(0).sum() == 0
    have = 453.6 if pantry_row.endswith(",") else data.at["carrots_raw", "package_g"]
    spare_worth = (have - 150.0) / data.at["carrots_raw", "package_g"] - 217.0 / data.at["carrots_cooked", "package_g"]
    assert listing.at["carrots_raw", "leftover_g"] == pytest.approx(spare_worth * data.at["carrots_raw", "package_g"],
                                                                    abs=0.1)
    assert listing.at["carrots_cooked", "leftover_g"] == 0


def test_pantry_packages_of_a_food_with_no_package_size_are_refused(foods, tmp_path):
    path = tmp_path / "pantry.csv"
    unpackaged = foods.data.index[foods.data["package_g"].isna()][0]
    path.write_text(f"food_id,packages\n{unpackaged},1\n")
    with pytest.raises(InputError, match="no package size") as info:
        load_pantry(str(path), foods)
    assert (info.value.row, info.value.field) == (2, "packages")


def test_pantry_in_servings_and_repeated_rows_add_up(foods, tmp_path):
    path = tmp_path / "pantry.csv"
    path.write_text("food_id,grams,servings\nmilk_whole,100,\nmilk_whole,,2\n")
    pantry = load_pantry(str(path), foods)
    assert pantry.set_index("food_id").at["milk_whole", "grams"] == pytest.approx(100 + 2 * 244)


@pytest.mark.parametrize("text, row, field, words", [
    ("food_id,grams\nmilk_whole,100\nunobtainium,5\n", 3, "food_id", "unknown food 'unobtainium'"),
    ("food_id,grams\nmilk_whole,-1\n", 2, "grams", ">= 0"),
    ("food_id,servings\nmilk_whole,lots\n", 2, "servings", "'lots'"),
    ("food_id,grams\nmilk_whole,\n", 2, "grams", "empty"),
    ("food_id,grams\nmilk_whole,1e308\n", 2, "grams", "more than a home keeps"),
    ("food_id,servings\nmilk_whole,1e9\n", 2, "servings", "more than a home keeps"),
    # a short row would otherwise read as an empty amount, a repeated column as its first copy
    ("food_id,grams\nmilk_whole,100\nmilk_whole\n", 3, "grams", "the row ends after 1 of the header's 2 cells"),
    ("food_id,grams,grams\nmilk_whole,100,200\n", 1, "grams", "appears twice"),
])
def test_pantry_errors_name_row_and_field(foods, tmp_path, text, row, field, words):
    path = tmp_path / "pantry.csv"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_pantry(str(path), foods)
    assert (info.value.row, info.value.field) == (row, field)
    assert words in str(info.value) and str(path) in str(info.value)


def test_pantry_without_an_amount_column_is_refused(foods, tmp_path):
    path = tmp_path / "pantry.csv"
    path.write_text("food_id,kilos\nmilk_whole,1\n")
    with pytest.raises(InputError, match="'grams', 'servings' or 'packages'"):
        load_pantry(str(path), foods)


def test_people_must_be_a_whole_number_of_at_least_one(plan, foods):
    with pytest.raises(InputError):
        shopping_list(plan, foods, people=0)
    result = make_runner().invoke(cli.cli, ["shop", "x.json", "--people", "0"])
    assert result.exit_code == 2


def test_md_is_a_checklist_by_aisle_with_a_total(plan_path, tmp_path):
    out = tmp_path / "list.md"
    result = make_runner().invoke(cli.cli, ["shop", str(plan_path), "--format", "md", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    lines = text.splitlines()
    assert any(line.startswith("- [ ] ") and " — " in line for line in lines)
    assert any(line.startswith("## ") for line in lines)
    # the total closes the list, and the file then says once what it is not
    assert "Total: $" in [line for line in lines if line][-2] and lines[-1].startswith("*For information only")
    assert "Total: $" in result.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_other_formats(plan_path, plan, fmt):
    result = make_runner().invoke(cli.cli, ["shop", str(plan_path), "--format", fmt, "--people", "2"])
    assert result.exit_code == 0, result.stderr
    n = len(_planned_grams(plan))
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert len(rows) == n and {"packages", "buy_g", "cost", "aisle"} <= set(rows[0])
    elif fmt == "csv":
        assert len(result.stdout.strip().splitlines()) == n + 1
    else:
        assert "Total: $" in result.stdout


def _assert_one_line_error(result, *words):
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and message.startswith("Error: ")
    for word in words:
        assert word in message
    assert "Traceback" not in result.stderr


def test_unreadable_plan_file(tmp_path):
    missing = tmp_path / "nope.json"
    _assert_one_line_error(make_runner().invoke(cli.cli, ["shop", str(missing)]), str(missing))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    out = tmp_path / "out.md"
    result = make_runner().invoke(cli.cli, ["shop", str(broken), "-o", str(out)])
    _assert_one_line_error(result, str(broken))
    assert not out.exists()


def test_plan_from_another_food_table_is_refused(plan_path, tmp_path):
    doc = json.loads(plan_path.read_text())
    doc["foods"]["fingerprint"] = "0123456789abcdef"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    out = tmp_path / "out.csv"
    result = make_runner().invoke(cli.cli, ["shop", str(edited), "--format", "csv", "-o", str(out)])
    _assert_one_line_error(result, "another version of planner's embedded food table", "--foods")
    assert not out.exists()


def test_pantry_with_an_unknown_food_is_refused(plan_path, tmp_path):
    pantry = tmp_path / "pantry.csv"
    pantry.write_text("food_id,grams\nspinach_cooked,70\ndragonfruit,200\n")
    out = tmp_path / "out.md"
    result = make_runner().invoke(cli.cli, ["shop", str(plan_path), "--pantry", str(pantry), "-o", str(out)])
    _assert_one_line_error(result, str(pantry), "row 3", "field 'food_id'", "dragonfruit")
    assert not out.exists()


def test_a_food_with_no_package_is_listed_by_its_weight_as_eaten(plan, foods):
    """With no package (and so no yield) a cooked food's grams are its cooked weight: the line says so."""
    listing = shopping_list(plan, foods)
    loose = listing.frame[listing.frame["packages"].isna() & listing.frame["purchase"].eq("")
                          & (listing.frame["buy_g"] > 0)]
    assert not loose.empty
    text = render(listing, "md")
    for r in loose.itertuples():
        line = next(line for line in text.splitlines() if f" {r.name}" in line and line.startswith("- [ ]"))
        assert f"{r.buy_g:,.0f} g as eaten" in line, line


def test_a_plan_with_no_prices_says_its_cost_is_unknown_not_0(tmp_path):
    """Missing is missing: a table without prices (an own table, SR Legacy) gives a plan whose cost is not known,
    which the plan, its page and its shopping list say, rather than "$0.00"."""
    from conftest import ROOT
    data = pd.read_csv(ROOT / "foods.csv", dtype=str, keep_default_na=False)
    data["price_per_100g"] = data["price_source"] = data["price_date"] = ""
    foods = tmp_path / "unpriced.csv"
    data.to_csv(foods, index=False)
    runner = make_runner()
    plan = tmp_path / "plan.json"
    runner.invoke(cli.cli, ["day", "--foods", str(foods), "-o", str(plan)])
    shown = runner.invoke(cli.cli, ["day", "--foods", str(foods)]).stdout
    page = runner.invoke(cli.cli, ["day", "--foods", str(foods), "--format", "html"]).stdout
    shop = runner.invoke(cli.cli, ["shop", str(plan), "--foods", str(foods)])
    assert "Day 1  (no prices)" in shown and "Cost: unknown: no food in the plan has a sourced price." in shown
    assert "no prices" in page
    total = [line for line in shop.stdout.splitlines() if line.startswith("Total:")]
    assert re.fullmatch(r"Total: unknown: none of the \d+ item\(s\) to buy has a sourced price\.", total[0]), total
    for text in (shown, page, shop.stdout):
        assert "$0.00" not in text


def test_one_package_is_said_by_its_label(foods):
    """"1 gallon", not "1 x 1 gallon"; two are "2 x 1 gallon"."""
    milk = "milk_whole"
    package_g, label = foods.data.at[milk, "package_g"], foods.data.at[milk, "package_label"]
    one = render(list_for_grams(pd.Series({milk: package_g * 0.9}), foods, days=7, people=1), "table")
    two = render(list_for_grams(pd.Series({milk: package_g * 1.5}), foods, days=7, people=1), "table")
    assert f"  {label}  " in one and f"1 x {label}" not in one
    assert f"  2 x {label}  " in two


def test_an_amount_with_no_package_is_said_to_the_nearest_quarter_serving(foods):
    """4.2 servings of a one-cup serving read "4.2 x 1 cup, cooked"; a cook measures "about 4 1/4 cups"."""
    food = "oatmeal_milk"
    serving_g = float(foods.data.at[food, "serving_g"])
    assert foods.data.at[food, "serving_label"] == "1 cup, cooked" and pd.isna(foods.data.at[food, "package_g"])
    shown = render(list_for_grams(pd.Series({food: 4.2 * serving_g}), foods, days=7, people=1), "table")
    assert "as eaten (about 4 1/4 cups, cooked)" in shown, shown


@pytest.fixture(scope="module")
def fndds_plan_path(tmp_path_factory):
    """A week's plan over all FNDDS foods, made once for the module."""
    path = tmp_path_factory.mktemp("shop_fndds") / "plan.json"
    result = make_runner().invoke(cli.cli, ["week", "--foods", "fndds", "-o", str(path)])
    assert path.exists(), result.output
    return path


def _category_aisles() -> dict[str, str]:
    """Each WWEIA category's aisle, by name, as the shipped file gives it (not through the code under test)."""
    with (ROOT / "planner" / "data" / "wweia_categories.csv").open(newline="", encoding="utf-8") as handle:
        return {r["wweia_category"]: r["aisle"] for r in csv.DictReader(handle)}


def test_an_fndds_weeks_list_is_by_aisle_not_all_under_other(fndds_plan_path):
    """Every FNDDS food had been listed under "other": a list of 30 foods in one heap."""
    result = make_runner().invoke(cli.cli, ["shop", str(fndds_plan_path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    aisles = {r["aisle"] for r in rows}
    assert len(aisles) > 1 and "other" not in aisles and "" not in aisles, aisles
    foods = load_foods("fndds")
    by_category = _category_aisles()
    for r in rows:
        assert r["aisle"] == by_category[foods.data.at[r["food_id"], "wweia_category"]], r["name"]
    fruit = foods.data.loc[[r["food_id"] for r in rows], "role"] == "fruit"
    assert fruit.any() and {r["aisle"] for r, f in zip(rows, fruit) if f} == {"produce"}
    shown = make_runner().invoke(cli.cli, ["shop", str(fndds_plan_path)]).stdout
    assert "\nother\n" not in shown and "\nproduce\n" in shown


# FNDDS foods and the aisle a cook looks for them in.
WHERE_A_COOK_LOOKS = {
    "fndds_11111000": "dairy & eggs",        # Milk, whole
    "fndds_63101000": "produce",             # Apple, raw
    "fndds_61119010": "produce",             # Orange, raw
    "fndds_51300110": "bakery",              # Bread, whole wheat
    "fndds_56205008": "grains & pasta",      # Rice, white, cooked
    "fndds_41104080": "canned & dry goods",  # Pinto beans, from canned
    "fndds_42101130": "nuts & snacks",       # Almonds, unsalted
    "fndds_92101000": "beverages",           # Coffee, brewed
}


def test_fndds_foods_are_listed_where_a_cook_looks_for_them():
    foods = load_foods("fndds")
    shop = list_for_grams(pd.Series(100.0, index=list(WHERE_A_COOK_LOOKS)), foods, days=1, people=1)
    got = shop.frame.set_index("food_id")["aisle"].to_dict()
    assert got == WHERE_A_COOK_LOOKS
    by_category = _category_aisles()
    assert all(by_category[foods.data.at[food, "wweia_category"]] == aisle for food, aisle in got.items())


def test_one_package_shared_by_two_foods_is_said_by_its_label(foods):
    """Raw and cooked carrots come from one bag: "1 lb", not "1 x 1 lb"; two bags are "2 x 1 lb", not "2 lb"."""
    label = foods.data.at["carrots_raw", "package_label"]
    package_g = float(foods.data.at["carrots_raw", "package_g"])
    assert foods.data.at["carrots_cooked", "purchase"] == foods.data.at["carrots_raw", "purchase"] != ""
    for share, said in ((0.4, label), (0.8, f"2 x {label}")):   # counted, not summed into "2 lb"
        grams = pd.Series({"carrots_raw": package_g * share, "carrots_cooked": package_g * share})
        shown = render(list_for_grams(grams, foods, days=7, people=1), "table")
        assert f"  {said}  " in shown and f"1 x {label}" not in shown, shown


def test_packages_of_a_measure_are_counted_not_summed(foods):
    """Yogurt comes in 8 oz cups: six are "6 x 8 oz", not "48 oz", which no shop sells."""
    label = foods.data.at["yogurt_plain", "package_label"]
    package_g = float(foods.data.at["yogurt_plain", "package_g"])
    shown = render(list_for_grams(pd.Series({"yogurt_plain": package_g * 5.5}), foods, days=7, people=1), "table")
    assert f"  6 x {label}  " in shown, shown
