"""Sweeps (planner.sweep): a model kept in its solver gives what a model built anew gives, at every setting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner import FoodChoice, InputError, PlanRequest, load_foods, make_plan
from planner.sweep import sweep
from planner.targets import targets_for_request

FOODS = load_foods()
CHEAPEST = PlanRequest(cheapest=True, days=1)


def same_rows(kept: pd.DataFrame, rebuilt: pd.DataFrame) -> None:
    assert list(kept["status"]) == list(rebuilt["status"])
    np.testing.assert_allclose(kept["cost"], rebuilt["cost"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(kept["objective"], rebuilt["objective"], rtol=1e-6, atol=1e-9)
    assert list(kept["shortfalls"]) == list(rebuilt["shortfalls"])


@pytest.mark.parametrize("model", ["meals", "plain"])
def test_floor_sweep_kept_equals_rebuilt_and_cost_rises(model):
    percents = [80, 100, 130, 160, 200]
    kept = sweep(CHEAPEST, "magnesium", percents, FOODS, model=model)
    rebuilt = sweep(CHEAPEST, "magnesium", percents, FOODS, model=model, reuse=False)
    same_rows(kept, rebuilt)
    rda = targets_for_request(CHEAPEST).table.set_index("nutrient").loc["magnesium_mg", "min"]
    assert kept["floor"].tolist() == pytest.approx([p / 100 * rda for p in percents])
    assert (np.diff(kept["cost"]) >= -1e-9).all()            # a higher floor never costs less
    assert (kept["magnesium_mg_pct"] >= np.array(percents) - 1e-6).all()
    # where the floor binds it has a price; where it does not, none
    binding = kept["magnesium_mg_pct"] <= np.array(percents) + 1e-6
    assert (kept.loc[binding, "floor_price"] > 0).all() and (kept.loc[~binding, "floor_price"].abs() < 1e-9).all()


def test_plain_sweep_point_is_the_amounts_only_plan():
    row = sweep(CHEAPEST, "magnesium", [100], FOODS, model="plain").iloc[0]
    plan = make_plan(PlanRequest(days=1, amounts_only=True), FOODS)
    assert row["cost"] == pytest.approx(plan.report.model_cost, rel=1e-6)
    assert row["n_foods"] == len(plan.days[0].items)


def test_budget_sweep_closes_in_on_the_cheapest_day():
    frame = sweep(CHEAPEST, "budget", [1.0, 2.0, 2.3, 5.0], FOODS)
    by = frame.set_index("setting")
    assert by.loc[1.0, "status"] == "no plan"           # not even a day of meals fits $1
    assert by.loc[2.0, "status"] == "closest" and by.loc[2.0, "shortfalls"]
    assert by.loc[2.0, "cost"] == pytest.approx(2.0, rel=1e-6)
    assert by.loc[5.0, "status"] == "optimal" and by.loc[5.0, "shortfalls"] == ""
    assert by.loc[5.0, "cost"] < 5.0
    # more money, less missing: the budget sweep traces a frontier
    same_rows(frame, sweep(CHEAPEST, "budget", [1.0, 2.0, 2.3, 5.0], FOODS, reuse=False))


def test_kcal_sweep_moves_pattern_goals_and_limits_without_a_new_model():
    request = PlanRequest(days=1)          # the usual objective: the pattern's goals are in it
    kept = sweep(request, "kcal", [1600, 2000, 2400], FOODS)
    same_rows(kept, sweep(request, "kcal", [1600, 2000, 2400], FOODS, reuse=False))
    assert kept["status"].eq("optimal").all()
    assert kept["energy_kcal_pct"].iloc[-1] > kept["energy_kcal_pct"].iloc[0]


@pytest.mark.parametrize("model", ["meals", "plain"])
def test_diet_and_exclusion_sweeps(model):
    diets = sweep(CHEAPEST, "diet", ["omnivore", "vegetarian", "vegan"], FOODS, model=model)
    same_rows(diets, sweep(CHEAPEST, "diet", ["omnivore", "vegetarian", "vegan"], FOODS, model=model, reuse=False))
    assert (np.diff(diets["cost"]) >= -1e-9).all()              # fewer foods never cost less
    excluded = sweep(CHEAPEST, "exclude", [None, "dairy", ["dairy", "fortified"]], FOODS, model=model)
    assert excluded["setting"].tolist() == ["none", "dairy", "dairy, fortified"]
    assert not excluded["foods"].iloc[1].count("milk_")        # no milk once dairy is out
    assert (np.diff(excluded["cost"]) >= -1e-9).all()


def test_floor_never_passes_the_ul():
    frame = sweep(CHEAPEST, "calcium", [100, 300], FOODS, model="plain")
    assert frame["floor"].tolist() == [1000.0, 2500.0]         # the RDA, then held at the UL of 2,500 mg


def test_plan_model_makes_a_real_plan_per_setting():
    frame = sweep(CHEAPEST, "magnesium", [125], FOODS, model="plan")
    assert frame["status"].iloc[0] == "optimal"
    assert frame["magnesium_mg_pct"].iloc[0] >= 125 - 1e-6


@pytest.mark.parametrize("parameter, values, field", [
    ("zinc", [100], "parameter"), ("sodium", [100], "parameter"), ("diet", ["keto"], "diet"), ("kcal", [], "values"),
    # had raised KeyError or TypeError from inside, or planned "no plan" at inf
    ("magnesium", [-50], "values"), ("magnesium", [float("nan")], "values"), ("magnesium", ["100"], "values"),
    ("magnesium", [float("inf")], "values"), ("budget", [None], "values"),
])
def test_bad_sweeps_are_refused(parameter, values, field):
    with pytest.raises(InputError) as caught:
        sweep(CHEAPEST, parameter, values, FOODS)
    assert caught.value.field == field


def test_a_user_choice_is_kept_under_the_sweep():
    frame = sweep(PlanRequest(cheapest=True, choice=FoodChoice("vegan")), "vitamin D", [50, 100], FOODS, model="plain")
    assert frame["status"].tolist() == ["optimal", "optimal"]


def test_floor_sweep_of_a_deficient_request_counts_from_the_rda_not_the_raised_floor():
    raised = PlanRequest(cheapest=True, days=1, deficient=("magnesium_mg",))
    rda = targets_for_request(CHEAPEST).table.set_index("nutrient").loc["magnesium_mg", "min"]
    floor = targets_for_request(raised).table.set_index("nutrient").loc["magnesium_mg", "min"]
    assert floor > rda
    frame = sweep(raised, "magnesium", [100, 150], FOODS)
    assert frame["floor"].tolist() == pytest.approx([rda, 1.5 * rda])
    # each floor's % is of the request's own (raised) floor
    assert (frame["magnesium_mg_pct"] >= 100 * frame["floor"] / floor - 1e-6).all()


@pytest.mark.parametrize("model", ["meals", "plain"])
def test_a_floor_swept_from_0_percent_costs_nothing_at_0(model):
    """0 % starts a range naturally; it raised KeyError: 'min_magnesium_mg' (a floor of 0 is no row)."""
    frame = sweep(CHEAPEST, "magnesium", [0, 100], FOODS, model=model)
    assert list(frame["status"]) == ["optimal", "optimal"]
    assert frame["floor_price"].iloc[0] == 0.0


def test_one_value_and_a_diet_in_any_case_are_read_as_the_command_reads_them():
    assert list(sweep(CHEAPEST, "magnesium", 120, FOODS)["setting"]) == [120.0]
    assert list(sweep(CHEAPEST, "diet", ["Vegan"], FOODS)["setting"]) == ["vegan"]


def test_a_sweep_with_no_plan_at_any_setting_has_the_same_columns():
    """frame["cost"] raised KeyError when no setting had a plan (a budget below the cheapest day)."""
    frame = sweep(CHEAPEST, "budget", [0.5], FOODS)
    assert list(frame["status"]) == ["no plan"]
    assert frame["cost"].isna().all() and {"objective", "shortfalls", "foods", "n_foods"} <= set(frame.columns)
