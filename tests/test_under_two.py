"""A child under 2 gets no food eaten for its added sugars (planner.under_two), read from the WWEIA category.

The expected foods are found here from foods.csv and the data file with csv, not with the planner."""

from __future__ import annotations

import pytest
from builders import csv_rows, tiny_table
from conftest import FOODS_CSV, ROOT

from planner import FoodChoice, PlanRequest, load_foods, make_plan, make_profile
from planner.under_two import without_sweet_foods

DATA = ROOT / "planner" / "data"


SWEET = {r["wweia_category"] for r in csv_rows(DATA / "sweet_categories.csv")}
EMBEDDED_SWEET = {r["food_id"] for r in csv_rows(FOODS_CSV) if r["wweia_category"] in SWEET}


def test_each_sweet_category_is_a_wweia_category_and_cites_the_guidelines():
    categories = {r["wweia_code"]: r["wweia_category"] for r in csv_rows(DATA / "wweia_categories.csv")}
    for row in csv_rows(DATA / "sweet_categories.csv"):
        assert categories[row["wweia_code"]] == row["wweia_category"], row
        assert "Dietary Guidelines for Americans 2020-2025" in row["source"] and "23 months" in row["source"]


def test_a_one_year_old_gets_no_sweet_food_unless_asked_for_by_name():
    foods = load_foods()
    assert {"chocolate_milk", "dark_chocolate", "graham_crackers", "raisin_bran"} <= EMBEDDED_SWEET
    kept, note = without_sweet_foods(foods, make_profile(age=1, sex="female"))
    assert set(foods.data.index) - set(kept.data.index) == EMBEDDED_SWEET
    assert f"{len(EMBEDDED_SWEET)} sweet food(s) stay out" in note and "added sugars" in note
    kept, _ = without_sweet_foods(foods, make_profile(age=1, sex="female"), include=("chocolate_milk",))
    assert set(foods.data.index) - set(kept.data.index) == EMBEDDED_SWEET - {"chocolate_milk"}
    # from 2 the Guidelines' limit of 10 % of calories applies instead: nothing is kept out, nothing said
    kept, note = without_sweet_foods(foods, make_profile(age=2, sex="female"))
    assert kept is foods and note == ""


def test_a_table_without_wweia_categories_says_its_sweet_foods_could_not_be_kept_out():
    table = tiny_table()
    kept, note = without_sweet_foods(table, make_profile(age=1, sex="male"))
    assert kept is table
    assert "no WWEIA categories" in note and "could not be told apart" in note


@pytest.mark.parametrize("diet", ["omnivore", "vegetarian"])
def test_a_one_year_olds_plan_serves_no_sweet_food_and_says_why(diet):
    plan = make_plan(PlanRequest(make_profile(age=1, sex="female"), choice=FoodChoice(diet), days=2))
    served = {i.food_id for d in plan.days for i in d.items}
    assert served and not served & EMBEDDED_SWEET
    assert any("sweet food(s) stay out" in n for n in plan.notes)


def test_under_two_the_plan_names_its_foods_with_added_sugars_and_the_most_a_day():
    """Only sweet categories stay out under 2, so a jam sandwich or fruit yogurt may remain: the plan names each
    food with added sugars (FPED) and the most teaspoons a day, recomputed here from foods.csv; at 2 it does not."""
    table = {r["food_id"]: r for r in csv_rows(FOODS_CSV)}
    plan = make_plan(PlanRequest(make_profile(1, "female"), days=7))
    tsp = {f: float(r["added_sugars_tsp_eq"] or 0) for f, r in table.items()}
    sweet = {i.food_id for d in plan.days for i in d.items if tsp[i.food_id] > 0}
    most = max(sum(i.grams / 100 * tsp[i.food_id] for i in d.items) for d in plan.days)
    (note,) = [n for n in plan.notes if "advise no added sugars" in n]
    assert sweet and all(table[f]["name"] in note for f in sweet) and f"at most {most:.1f} teaspoons" in note
    older = make_plan(PlanRequest(make_profile(2, "female"), days=2))
    assert not any("advise no added sugars" in n for n in older.notes)
