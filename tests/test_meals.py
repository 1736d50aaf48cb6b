"""Meal rules as data: the parts of each meal, what foods bring with them, and putting a day in meals."""

from __future__ import annotations

import numpy as np
import pytest

from builders import TINY_FOODS, tiny_model_data, tiny_table, tiny_targets
from planner import load_foods
from planner.day_data import OWN_GRAINS, DayState, ModelData
from planner.foods import ROLES, SLOTS
from planner.meals import MealShape, assign_slots, meal_pairings, meal_patterns, open_slots
from planner.milp import Status
from planner.model import menu_model
from planner.portions import portion_scale, sized_for
from planner.pricing import cost_per_100g
from planner.request import MealRules, SolverSettings, make_profile
from planner.targets import estimated_kcal

RULES, SOLVER = MealRules(), SolverSettings()


def _index(data, *food_ids):
    return np.array([data.food_ids.index(f) for f in food_ids])


def _shape(table=None):
    data, _ = tiny_model_data(table)
    return data, MealShape.of(data, np.arange(len(data.food_ids)))


def test_every_meal_has_parts_from_the_vocabularies():
    parts = meal_patterns()
    assert {p.slot for p in parts} == set(SLOTS)
    assert all(set(p.roles) <= set(ROLES) and 0 <= p.min <= p.max for p in parts)
    # no meal serves a fat or an ingredient on its own
    assert not {"fat", "ingredient"} & {r for p in parts for r in p.roles}
    assert {(p.role, p.needs_tags) for p in meal_pairings()} >= {("cereal", ("milk", "yogurt"))}


def test_a_part_no_open_food_can_fill_asks_for_nothing():
    data, shape = _shape()
    assert next(p for p in shape.parts if p.slot == "breakfast" and p.name == "fruit").min == 1
    no_fruit = tiny_table(foods=[f for f in TINY_FOODS if f[3] != "fruit"])
    data, shape = _shape(no_fruit)
    assert next(p for p in shape.parts if p.slot == "breakfast" and p.name == "fruit").min == 0


def test_a_cereal_without_any_milk_or_yogurt_is_never_served():
    no_partner = tiny_table(foods=[f for f in TINY_FOODS if f[0] not in ("milk", "yogurt")])
    data, shape = _shape(no_partner)
    assert ("cereal", "any") in {(p.role, p.slot) for p in shape.unpaired}
    ok = open_slots(data, DayState(), shape, np.arange(len(data.food_ids)))
    assert not ok[data.food_ids.index("cheerios")].any()


def test_a_protein_dish_without_a_starch_stays_out_of_dinner_only():
    # The starch a protein dish asks for is a dinner rule: with no starch open, lentils still make a lunch.
    no_starch = tiny_table(foods=[f for f in TINY_FOODS if f[3] != "starch"])
    data, shape = _shape(no_starch)
    assert ("protein", "dinner") in {(p.role, p.slot) for p in shape.unpaired}
    ok = open_slots(data, DayState(), shape, np.arange(len(data.food_ids)))
    lentils = data.food_ids.index("lentils")
    assert ok[lentils, SLOTS.index("lunch")] and not ok[lentils, SLOTS.index("dinner")]
    assert next(p for p in shape.parts if p.slot == "lunch" and p.name == "main").min == 1


def test_a_spread_is_no_snack_on_its_own():
    # Almonds tagged as a spread: the pairing asks that only of snacks tagged so, and with no fruit,
    # vegetable or starch open they stay out of the snack; untagged, they are a snack alone.
    spread = tuple((*f[:4], f"{f[4]}|spread", *f[5:]) if f[0] == "almonds" else f for f in TINY_FOODS)
    alone = tiny_table(foods=[f for f in spread if f[3] not in ("fruit", "vegetable", "starch")])
    data, shape = _shape(alone)
    assert ("snack", "any") in {(p.role, p.slot) for p in shape.unpaired}
    ok = open_slots(data, DayState(), shape, np.arange(len(data.food_ids)))
    assert not ok[data.food_ids.index("almonds")].any()
    data, shape = _shape(tiny_table(foods=[f for f in TINY_FOODS if f[3] not in ("fruit", "vegetable", "starch")]))
    ok = open_slots(data, DayState(), shape, np.arange(len(data.food_ids)))
    assert ok[data.food_ids.index("almonds"), SLOTS.index("snack")]
    data, shape = _shape(tiny_table(foods=spread))
    assert ("snack", "any") in {(p.role, p.slot) for p in shape.pairings}


def test_yesterdays_dinner_dish_may_not_go_to_dinner():
    data, shape = _shape()
    foods = _index(data, "salmon", "lentils")
    ok = open_slots(data, DayState(blocked_dinner=frozenset({"salmon"})), shape, foods)
    dinner = SLOTS.index("dinner")
    assert not ok[0, dinner] and ok[0, SLOTS.index("lunch")] and ok[1, dinner]


def test_a_day_goes_into_meals_with_their_parts_and_pairings():
    data, shape = _shape()
    foods = _index(data, "cheerios", "milk", "banana", "lentils", "spinach", "salmon", "broccoli", "rice", "yogurt",
                   "almonds")
    units = np.full(len(foods), 2.0)  # one serving of each (units are half servings)
    slots = assign_slots(data, RULES, SOLVER, DayState(), shape, foods, units, soft=True)
    assert slots is not None
    where = dict(zip((data.food_ids[f] for f in foods), slots))
    assert where["cheerios"] == where["milk"] or where["cheerios"] == where["yogurt"]
    for part in shape.parts:
        served = [f for f, s in where.items() if s == part.slot and data.role[data.food_ids.index(f)] in part.roles]
        assert part.min <= len(served) <= part.max, (part, served)
    # a protein dish at dinner comes with its starch
    if data.role[data.food_ids.index(next(f for f, s in where.items() if s == "dinner"))]:
        dinner_roles = {data.role[data.food_ids.index(f)] for f, s in where.items() if s == "dinner"}
        assert "protein" not in dinner_roles or "starch" in dinner_roles


def test_no_assignment_when_a_part_cannot_be_filled():
    data, shape = _shape()
    day = ("oats", "milk", "banana", "lentils", "broccoli", "rice", "salmon", "spinach", "almonds")
    foods = _index(data, *day)
    assert assign_slots(data, RULES, SOLVER, DayState(), shape, foods, np.full(len(foods), 2.0), soft=True) \
        is not None
    foods = _index(data, *(f for f in day if f not in ("broccoli", "spinach")))   # dinner needs a vegetable
    assert assign_slots(data, RULES, SOLVER, DayState(), shape, foods, np.full(len(foods), 2.0), soft=True) is None


@pytest.mark.parametrize("rule,check", [
    ("extra", lambda before, after: all(b.max + 1 == a.max for b, a in zip(before.parts, after.parts))),
    ("parts", lambda before, after: all(a.min == 0 for a in after.parts) and after.min_foods),
    ("foods_per_meal", lambda before, after: after.min_foods == {}),
])
def test_each_relaxation_drops_one_rule_and_says_so(rule, check):
    _, shape = _shape()
    relaxed = shape.relax(rule)
    assert check(shape, relaxed) and relaxed.relaxed == (rule,)


def test_hard_calorie_bands_refuse_what_soft_bands_allow():
    data, shape = _shape()
    foods = _index(data, "oats", "milk", "banana", "lentils", "spinach", "rice", "salmon", "broccoli", "almonds")
    units = np.array([4.0, 4.0, 4.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])   # a breakfast of 67 % of the day, above its band
    assert assign_slots(data, RULES, SOLVER, DayState(), shape, foods, units) is None
    assert assign_slots(data, RULES, SOLVER, DayState(), shape, foods, units, soft=True) is not None


@pytest.mark.parametrize("shares", [{"breakfast": 0.9, "lunch": 0.9}, {"brunch": 1.0}, {"breakfast": -0.1,
                                                                                         "lunch": 1.1}])
def test_slot_shares_that_cannot_hold_are_refused(shares):
    from planner.errors import InputError

    with pytest.raises(InputError) as info:
        MealRules(slot_shares=shares)
    assert info.value.field == "slot_shares"


def test_slot_shares_are_read_as_people_write_them():
    from planner.errors import InputError
    from planner.request import parse_slot_shares

    shares = parse_slot_shares("breakfast=25, lunch=30,dinner=35,snack=10")
    assert shares == {"breakfast": 0.25, "lunch": 0.30, "dinner": 0.35, "snack": 0.10}
    assert MealRules(slot_shares=shares).slot_shares == shares
    with pytest.raises(InputError) as info:
        parse_slot_shares("breakfast=a quarter")
    assert info.value.field == "slot_shares"


def test_a_slot_no_food_can_fill_gives_its_calorie_share_to_the_others():
    rules = MealRules()
    assert rules.slot_bands(SLOTS) == {slot: rules.slot_range(slot) for slot in SLOTS}
    bands = rules.slot_bands(["lunch", "dinner"])
    assert set(bands) == {"lunch", "dinner"}
    tolerance = rules.slot_share_tolerance
    lunch = rules.slot_shares["lunch"] / (rules.slot_shares["lunch"] + rules.slot_shares["dinner"])
    assert bands["lunch"] == pytest.approx((lunch - tolerance, lunch + tolerance))
    assert bands["lunch"][1] + bands["dinner"][1] >= 1.0   # the two meals can hold the whole day
    assert rules.slot_bands([]) == {}


def test_foods_for_only_some_meals_still_make_a_day_of_those_meals():
    """Every tag excluded leaves soups and beans, for lunch and dinner only: the closest plan serves them
    (each slot's calorie band over the meals it can fill), not an empty day."""
    from planner import PlanRequest, make_plan, make_profile
    from planner.foods import FoodChoice

    tags = ("vegan", "vegetarian", "dairy", "egg", "fish", "meat", "nuts", "peanuts", "soy", "gluten", "fortified",
            "milk", "yogurt")
    plan = make_plan(PlanRequest(make_profile(35, "female"), choice=FoodChoice("omnivore", tags), days=1,
                                 max_days=1))
    items = plan.days[0].items
    assert items and {i.slot for i in items} <= {"lunch", "dinner"}
    assert plan.shortfalls   # said, not hidden


def test_a_dish_with_grains_of_its_own_is_its_meals_starch():
    table = load_foods()
    cost, _ = cost_per_100g(table)
    data = ModelData.from_foods(table, ("energy_kcal",), cost)
    tags = dict(zip(data.food_ids, data.tags))
    # FPED grains a serving: a sandwich 2.1 oz-eq, pasta with meat sauce 1.8, beans and rice 0.8; chili none, and
    # chicken noodle soup 0.4, which still goes with bread
    assert all(OWN_GRAINS in tags[f] for f in ("pb_sandwich", "pasta_meat_sauce", "beans_and_rice"))
    assert not any(OWN_GRAINS in tags[f] for f in ("chili_con_carne", "chicken_noodle_soup", "salmon_baked"))
    pairing = {(p.slot, p.role): p for p in meal_pairings()}
    for slot in ("lunch", "dinner"):
        starch = pairing[slot, "starch"]
        assert starch.subject("starch", tags["brown_rice"])
        assert not starch.partner("main", tags["pasta_meat_sauce"]) and starch.partner("main", tags["chili_con_carne"])
        assert starch.partner("protein", tags["salmon_baked"])
    # beans and rice needs no starch at dinner; salmon does
    protein = pairing["dinner", "protein"]
    assert not protein.subject("protein", tags["beans_and_rice"]) and protein.subject("protein", tags["salmon_baked"])
    # what a dish is does not change with who eats it: a 3-year-old's smaller serving of beans and rice still
    # holds its rice
    scale = portion_scale(make_profile(3, "female"), estimated_kcal(make_profile(3, "female")))
    child = ModelData.from_foods(sized_for(table, scale), ("energy_kcal",), cost)
    child_tags = dict(zip(child.food_ids, child.tags))
    assert child.unit_g[child.food_ids.index("beans_and_rice")] < data.unit_g[data.food_ids.index("beans_and_rice")]
    assert all((OWN_GRAINS in child_tags[f]) == (OWN_GRAINS in tags[f]) for f in data.food_ids)


def test_a_part_one_food_fills_takes_whole_units_enough_in_the_menu_too():
    """The menu MILP chooses foods with continuous units; the meals take whole ones. A 3-year-old's granola holds
    0.48 oz-eq of grain a unit, so the 1 oz-eq of grain breakfast asks of its one grain food takes 3 units (447 kcal,
    a third of his day), not 2.1: chosen at 2.1, his week without milk or soy had 5 meals outside their calorie
    bands."""
    table = load_foods()
    profile = make_profile(3, "male")
    cost, _ = cost_per_100g(table)
    data = ModelData.from_foods(sized_for(table, portion_scale(profile, estimated_kcal(profile))),
                                ("energy_kcal", "grains_oz_eq", "fruits_cup_eq"), cost)
    foods = _index(data, "granola", "apple", "yogurt_plain", "banana", "pear", "chili_con_carne", "salmon_baked",
                   "brown_rice", "carrots_raw")
    grain = data.per_unit[data.nutrients.index("grains_oz_eq"), foods[0]]
    grain_part = next(p for p in meal_patterns() if (p.slot, p.group) == ("breakfast", "grains_oz_eq"))
    assert grain_part.max == 1 and 0 < 2 * grain < grain_part.at_least    # the one grain food; 2 units too few
    menu = menu_model(data, tiny_targets(energy_kcal=(None, 2000)), RULES, DayState(required=frozenset({"granola"})),
                      foods, MealShape.of(data, foods), whole=False)
    solution = menu.milp.solve(SOLVER.name, SOLVER.time_limit, 0.0)
    assert solution.status is Status.OPTIMAL
    assert solution.values[menu.x[0]] == pytest.approx(np.ceil(grain_part.at_least / grain))
