"""A child under 4 gets no food that often chokes young children (planner.choking), read from the WWEIA category.

The expected foods are found here from foods.csv and the data file with csv, not with the planner."""

from __future__ import annotations

from builders import csv_rows, tiny_table
from conftest import FOODS_CSV, ROOT

from planner import PlanRequest, load_foods, make_plan, make_profile
from planner.choking import without_choking_hazards

DATA = ROOT / "planner" / "data"


HAZARD = {r["wweia_category"] for r in csv_rows(DATA / "choking_categories.csv")}
# Nut butters are served spread, with bread or fruit, never by the spoon: they stay.
EMBEDDED_HAZARD = {r["food_id"] for r in csv_rows(FOODS_CSV)
                   if r["wweia_category"] in HAZARD and "spread" not in r["tags"].split("|")}


def test_each_category_is_a_wweia_category_and_cites_the_standard():
    categories = {r["wweia_code"]: r["wweia_category"] for r in csv_rows(DATA / "wweia_categories.csv")}
    for row in csv_rows(DATA / "choking_categories.csv"):
        assert categories[row["wweia_code"]] == row["wweia_category"], row
        assert "Caring for Our Children" in row["source"] and "4.5.0.10" in row["source"] and row["hazard"]


def test_a_three_year_old_gets_no_nuts_seeds_or_popcorn_unless_asked_for_by_name():
    foods = load_foods()
    assert {"almonds", "walnuts", "peanuts", "pumpkin_seeds", "trail_mix", "popcorn"} <= EMBEDDED_HAZARD
    assert not {"peanut_butter", "almond_butter", "pb_sandwich"} & EMBEDDED_HAZARD
    kept, note = without_choking_hazards(foods, make_profile(age=3.5, sex="female"))
    assert set(foods.data.index) - set(kept.data.index) == EMBEDDED_HAZARD
    assert f"{len(EMBEDDED_HAZARD)} food(s) stay out" in note and "half an inch" in note
    kept, _ = without_choking_hazards(foods, make_profile(age=3, sex="female"), include=("walnuts",))
    assert set(foods.data.index) - set(kept.data.index) == EMBEDDED_HAZARD - {"walnuts"}
    # the standard is for children under four: from 4, nothing is kept out and nothing said
    kept, note = without_choking_hazards(foods, make_profile(age=4, sex="female"))
    assert kept is foods and note == ""


def test_a_table_without_wweia_categories_says_what_to_leave_out():
    table = tiny_table()
    kept, note = without_choking_hazards(table, make_profile(age=2, sex="male"))
    assert kept is table
    assert "no WWEIA categories" in note and "leave out nuts, seeds, popcorn" in note


def test_a_two_year_olds_plan_serves_no_choking_hazard_and_says_how_to_serve_the_rest():
    plan = make_plan(PlanRequest(make_profile(age=2, sex="male"), days=2))
    served = {i.food_id for d in plan.days for i in d.items}
    assert served and not served & EMBEDDED_HAZARD
    assert any("Caring for Our Children" in n and "never by the spoonful" in n for n in plan.notes)
