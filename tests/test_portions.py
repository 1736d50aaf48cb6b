"""A child's portions: the usual amount and the most a day scale with the child's calories (IOM's rule, cited in
planner/data/portion_scaling.csv); every figure is compared with that file and the food table read here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from planner import load_foods
from planner.portions import CHILD_SMALLEST_SERVING, PortionScale, most_grams, portion_scale, sized_for
from planner.request import make_profile
from planner.targets import estimated_kcal

RULES = pd.read_csv(ROOT / "planner" / "data" / "portion_scaling.csv").set_index("rule")
ADULT_KCAL = float(RULES.loc["adult_energy_kcal", "value"])
ADULT_AGE = float(RULES.loc["adult_from_age", "value"])


def test_the_rules_quote_their_source():
    for rule in RULES.itertuples():
        assert "<http" in rule.source and rule.quote
        assert f"{rule.value:,.0f}" in rule.quote or rule.value == ADULT_AGE


@pytest.mark.parametrize("age,sex", [(1, "female"), (2, "male"), (3, "female"), (6, "male"), (9, "female"),
                                     (13, "male")])
def test_a_child_scales_by_calories_over_the_adult_intake(age, sex):
    profile = make_profile(age=age, sex=sex)
    kcal = estimated_kcal(profile)
    scale = portion_scale(profile, kcal)
    assert scale.factor == pytest.approx(min(1.0, kcal / ADULT_KCAL))
    assert scale.is_child == (kcal < ADULT_KCAL)


@pytest.mark.parametrize("age,sex", [(14, "female"), (35, "female"), (80, "male")])
def test_from_the_adult_age_portions_are_the_tables(age, sex):
    profile = make_profile(age=age, sex=sex)
    assert age >= ADULT_AGE
    scale = portion_scale(profile, estimated_kcal(profile))
    assert scale == PortionScale() and not scale.is_child and scale.note() == ""


def test_own_kcal_sets_the_childs_factor():
    profile = make_profile(age=4, sex="female", kcal=1075)
    assert portion_scale(profile, estimated_kcal(profile)).factor == pytest.approx(1075 / ADULT_KCAL)


def test_sized_table_keeps_values_and_scales_only_portions():
    foods = load_foods()
    scale = PortionScale(0.5, 1075.0)
    sized = sized_for(foods, scale)
    assert sized.fingerprint == foods.fingerprint
    pd.testing.assert_frame_equal(sized.data[list(foods.nutrients)], foods.data[list(foods.nutrients)])
    adult_most = foods.data["max_servings"] * foods.data["serving_g"]
    serving = foods.data["serving_g"]
    expected_most = np.minimum(adult_most, np.maximum(0.5 * adult_most, serving))
    np.testing.assert_allclose(most_grams(sized), expected_most)
    assert (most_grams(sized) <= adult_most + 1e-9).all()
    np.testing.assert_allclose(sized.data["serving_g"], serving * CHILD_SMALLEST_SERVING)
    np.testing.assert_allclose(sized.data["usual_g"], foods.data["usual_g"] * 0.5)
    assert sized_for(foods, PortionScale()) is foods


def test_the_note_says_what_was_scaled_and_why():
    note = PortionScale(0.47, 1000.0).note()
    assert "0.47" in note and "1,000 kcal" in note and f"{ADULT_KCAL:,.0f}" in note and "IOM" in note
    # the floor the scaled most a day keeps (checked just above) is said too, or "0.47 x" would be untrue of it
    assert "never less than one household serving a day" in note


DAIRY = pd.read_csv(ROOT / "planner" / "data" / "child_dairy.csv")


def test_a_childs_dairy_by_age_quotes_its_source_and_covers_every_child_age():
    ages = [a for row in DAIRY.itertuples() for a in range(row.age_min, row.age_max + 1)]
    assert ages == list(range(1, int(ADULT_AGE)))
    for row in DAIRY.itertuples():
        assert "<http" in row.source and "Dietary Guidelines" in row.source
        assert f"{row.dairy_cup_eq:g}" in row.quote or f"{row.dairy_cup_eq:g}".replace("3", "three") in row.quote


@pytest.mark.parametrize("age", [1, 2, 6])
def test_a_childs_milk_may_reach_the_guidelines_dairy_for_the_age(age):
    foods = load_foods()
    profile = make_profile(age=age, sex="female")
    scale = portion_scale(profile, estimated_kcal(profile))
    row = DAIRY[(DAIRY["age_min"] <= age) & (DAIRY["age_max"] >= age)].iloc[0]
    assert scale.dairy_cup_eq == row.dairy_cup_eq and f"{row.dairy_cup_eq:g} cups of dairy" in scale.note()
    data = foods.data
    adult_most = data["max_servings"] * data["serving_g"]
    scaled_most = np.minimum(adult_most, np.maximum(scale.factor * adult_most, data["serving_g"]))
    milk = data["tags"].map(lambda t: "milk" in t) & (data["dairy_cup_eq"] > 0)
    assert {"milk_whole", "soy_milk"} <= set(data.index[milk]) and "almond_milk" not in set(data.index[milk])
    dairy_g = row.dairy_cup_eq * 1.01 / (data["dairy_cup_eq"] / 100.0)
    expected = scaled_most.where(~milk, np.minimum(adult_most, np.maximum(scaled_most, dairy_g)))
    np.testing.assert_allclose(most_grams(sized_for(foods, scale)), expected)
    # a cup and a half of milk a day, the adult's most, for every child from age 1
    assert most_grams(sized_for(foods, scale))["milk_whole"] == pytest.approx(1.5 * data.at["milk_whole", "serving_g"])
