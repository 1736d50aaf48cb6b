"""Meal rules: what a day's foods need, and putting each food in one slot (planner.meals)."""

from __future__ import annotations

import numpy as np
import pytest

from builders import TINY_FOODS, tiny_model_data, tiny_table
from planner.day_data import DayState
from planner.foods import SLOTS
from planner.meals import MealNeeds, assign_slots, open_slots
from planner.request import MealRules, SolverSettings

RULES, SOLVER = MealRules(), SolverSettings()


def _index(data, *food_ids):
    return np.array([data.food_ids.index(f) for f in food_ids])


def test_needs_follow_what_the_foods_can_do():
    data, _ = tiny_model_data()
    needs = MealNeeds.of(data, np.arange(len(data.food_ids)))
    assert needs.min_foods == {"breakfast": 2, "lunch": 2, "dinner": 2, "snack": 0}
    assert needs.roles["lunch"] == ("protein", "vegetable") and needs.roles["breakfast"] == ()
    # without a protein in the table, no slot can ask for one
    no_protein = tiny_table(foods=[f for f in TINY_FOODS if f[3] != "protein"])
    data, _ = tiny_model_data(no_protein)
    assert "protein" not in MealNeeds.of(data, np.arange(len(data.food_ids))).roles["dinner"]


def test_yesterdays_dinner_protein_may_not_go_to_dinner():
    data, _ = tiny_model_data()
    foods = _index(data, "salmon", "lentils")
    ok = open_slots(data, DayState(blocked_dinner=frozenset({"salmon"})), foods)
    dinner = SLOTS.index("dinner")
    assert not ok[0, dinner] and ok[0, SLOTS.index("lunch")] and ok[1, dinner]


def test_a_day_goes_into_slots_that_follow_every_rule():
    data, _ = tiny_model_data()
    foods = _index(data, "oats", "milk", "banana", "lentils", "spinach", "rice", "salmon", "broccoli", "yogurt")
    units = np.ones(len(foods)) * 2  # one serving of each (units are half servings)
    needs = MealNeeds.of(data, foods)
    slots = assign_slots(data, RULES, SOLVER, DayState(), needs, foods, units, soft=True)
    assert slots is not None and len(slots) == len(foods)
    for f, slot in zip(foods, slots):
        assert data.slot_ok[f, SLOTS.index(slot)], (data.food_ids[f], slot)
    for slot in ("lunch", "dinner"):
        roles = {data.role[f] for f, s in zip(foods, slots) if s == slot}
        assert {"protein", "vegetable"} <= roles, (slot, roles)
    for slot in SLOTS:
        here = [data.role[f] for f, s in zip(foods, slots) if s == slot]
        assert len(here) <= RULES.max_foods_per_slot
        for role in set(here):
            assert here.count(role) <= (2 if role in ("vegetable", "fruit") else 1)


def test_no_assignment_when_dinner_cannot_have_a_vegetable():
    data, _ = tiny_model_data()
    foods = _index(data, "oats", "milk", "lentils", "spinach", "rice", "salmon")   # one vegetable, two meals need it
    needs = MealNeeds.of(data, foods)
    assert assign_slots(data, RULES, SOLVER, DayState(), needs, foods, np.full(len(foods), 2.0)) is None


def test_hard_calorie_bands_refuse_what_soft_bands_allow():
    data, _ = tiny_model_data()
    # a breakfast far heavier than its 15-35 % band: only soft bands find slots for it
    foods = _index(data, "oats", "milk", "lentils", "spinach", "salmon", "broccoli")
    units = np.array([8.0, 4.0, 2.0, 2.0, 2.0, 2.0])
    needs = MealNeeds.of(data, foods)
    assert assign_slots(data, RULES, SOLVER, DayState(), needs, foods, units) is None
    assert assign_slots(data, RULES, SOLVER, DayState(), needs, foods, units, soft=True) is not None


@pytest.mark.parametrize("shares", [{"breakfast": 0.9, "lunch": 0.9}, {"brunch": 1.0}, {"breakfast": -0.1,
                                                                                         "lunch": 1.1}])
def test_slot_shares_that_cannot_hold_are_refused(shares):
    from planner.errors import InputError

    with pytest.raises(InputError) as info:
        MealRules(slot_shares=shares)
    assert info.value.field == "slot_shares"
