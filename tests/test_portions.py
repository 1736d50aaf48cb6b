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
