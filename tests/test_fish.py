"""Fish against the EPA and FDA advice for a pregnancy, breastfeeding and children (planner.fish)."""

from __future__ import annotations

import csv

import pytest

from conftest import ROOT
from planner import load_foods, make_plan
from planner.fish import advice_for, fish_notes
from planner.request import make_profile, request_from_options

ADVICE = ROOT / "planner" / "data" / "fish_advice.csv"


def _rows() -> list[dict[str, str]]:
    with ADVICE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_row_names_its_source_and_quotes_it():
    for row in _rows():
        assert "epa.gov/fish-tech/epa-fda-advice-about-eating-fish-and-shellfish" in row["source"]
        assert row["quote"] and row["servings_a_week"] in row["quote"].replace("2 to 3", "3")


@pytest.mark.parametrize("profile, servings", [
    (dict(age=30, sex="female", pregnant=True), 3), (dict(age=30, sex="female", lactating=True), 3),
    (dict(age=2, sex="male"), 2), (dict(age=10, sex="female"), 2),
    (dict(age=11, sex="female"), None), (dict(age=35, sex="male"), None),
])
def test_the_advice_is_the_row_for_the_person(profile, servings):
    row = advice_for(make_profile(**profile))
    assert (None if row is None else int(row["servings_a_week"])) == servings


def test_a_week_serving_fish_more_often_than_a_child_is_advised_says_so():
    """A boy of 2 was served fish on every day of his week, with no word of the advice."""
    foods = load_foods()
    plan = make_plan(request_from_options(age=2, sex="male", days=7), foods)
    fish = set(foods.data.index[foods.data["tags"].map(lambda t: "fish" in t)])
    served = sum(item.food_id in fish for day in plan.days for item in day.items)   # recomputed from the table
    notes = [n for n in plan.notes if n.startswith("Fish:")]
    assert bool(notes) == (served > 2), (served, notes)
    assert not notes or (f"serves fish {served} times in the week" in notes[0] and "epa.gov" in notes[0])
    adult = make_plan(request_from_options(age=35, sex="male", days=7), foods)
    assert fish_notes(adult, foods) == []


def test_a_short_plan_says_the_days_it_has_not_a_week():
    """A one-day plan with three fish dishes said "3 times in the week"."""
    foods = load_foods()
    plan = make_plan(request_from_options(age=6, sex="male", days=1,
                                          include=("salmon_canned", "sardines_canned", "tuna_salad")), foods)
    (note,) = [n for n in plan.notes if n.startswith("Fish:")]
    assert "serves fish 3 times in its one day" in note and "in the week" not in note
