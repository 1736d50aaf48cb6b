"""The library does everything the command does: for each option set, the command's JSON is the library's plan."""

from __future__ import annotations

import json

import pytest

from cli import cli
from conftest import make_runner
from planner import Budget, FoodChoice, MealRules, PlanRequest, SolverSettings, make_plan, make_profile
from planner.targets import read_targets_file

TARGETS = "nutrient,min,max\nmagnesium_mg,380,\ncalcium_mg,1000,2500\nenergy_kcal,1700,2300\n"


def _cases(targets_path: str) -> dict[str, tuple[list[str], PlanRequest]]:
    return {
        "default": (["--days", "2"], PlanRequest(days=2)),
        "vegan with symptoms": (
            ["--days", "2", "--age", "40", "--sex", "female", "--diet", "vegan", "--deficient", "calcium,vitamin_d",
             "--symptom", "eyelid twitching", "--duration-days", "20"],
            PlanRequest(make_profile(40, "female"), deficient=("calcium", "vitamin_d"),
                        symptoms=("eyelid twitching",), duration_days=20.0, choice=FoodChoice("vegan"), days=2)),
        "foods and budget": (
            ["--days", "3", "--exclude", "nuts", "--include", "spinach_cooked", "--like", "yogurt_plain",
             "--budget", "40", "--budget-per", "week", "--max-caffeine", "100", "--max-days", "2"],
            PlanRequest(choice=FoodChoice(exclude=("nuts",), include=("spinach_cooked",),
                                          like=("yogurt_plain",)),
                        budget=Budget(40.0, "week"), max_caffeine_mg=100.0, days=3, max_days=2)),
        "own targets": (
            ["--days", "1", "--targets", targets_path],
            PlanRequest(custom_targets=read_targets_file(targets_path), days=1)),
        "meal rules and solver": (
            ["--days", "2", "--age", "28", "--sex", "female", "--pregnant", "--kcal", "2400", "--portions", "whole",
             "--slot-kcal", "breakfast=30,lunch=30,dinner=30,snack=10", "--time-limit", "5"],
            PlanRequest(make_profile(28, "female", pregnant=True, kcal=2400.0), days=2,
                        meals=MealRules(portions="whole",
                                        slot_shares={"breakfast": 0.3, "lunch": 0.3, "dinner": 0.3, "snack": 0.1}),
                        solver=SolverSettings(time_limit=5.0))),
    }


def _comparable(doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    doc["report"].pop("seconds")   # the one thing two runs do not share
    return doc


@pytest.mark.parametrize("name", ["default", "vegan with symptoms", "foods and budget", "own targets",
                                  "meal rules and solver"])
def test_command_json_is_the_library_plan(name, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text(TARGETS)
    args, request = _cases(str(targets))[name]
    result = make_runner().invoke(cli, ["week", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    from_command = _comparable(json.loads(result.stdout))
    from_library = _comparable(make_plan(request).to_dict())
    assert from_command == from_library


def test_custom_targets_made_in_pandas_round_trip_through_json():
    """Rows from a DataFrame carry NaN and numpy numbers: the plan made from them could not be written as JSON
    ("Out of range float values are not JSON compliant: nan"), and read back it was not the same plan."""
    import numpy as np
    import pandas as pd

    from planner import plan_from_dict, render
    frame = pd.DataFrame({"nutrient": ["magnesium_mg"], "unit": ["mg"], "min": [np.int64(400)], "max": [np.nan]})
    plan = make_plan(PlanRequest(days=1, custom_targets=tuple(frame.to_dict("records"))))
    doc = json.loads(render(plan, "json"))
    (row,) = doc["request"]["custom_targets"]
    assert (row["min"], row["max"]) == (400.0, None) and "no source named" in row["source"]
    assert plan_from_dict(doc) == plan


@pytest.mark.parametrize("row, words", [
    ({"nutrient": "magnesium_mg", "min": 500, "max": 100}, "above max"),
    ({"nutrient": "magnesium_mg", "min": -5}, ">= 0"),
    ({"nutrient": "magnesium_mg", "min": "x"}, "expected a number"),
    ({"min": 3}, "with a nutrient"),
])
def test_a_custom_target_row_that_cannot_be_one_is_refused_by_the_request(row, words):
    from planner.errors import InputError
    with pytest.raises(InputError, match=words) as refused:
        PlanRequest(days=1, custom_targets=(row,))
    assert refused.value.field == "custom_targets"


def test_numpy_numbers_are_numbers_and_a_text_is_no_flag():
    """make_profile(age=np.int64(40)) was refused ("expected an age ... got 40"), PlanRequest(days=np.int64(7))
    too, and pregnant="no" made a pregnant profile."""
    import numpy as np

    from planner import render
    from planner.errors import ProfileError
    profile = make_profile(age=np.int64(40), sex="female")
    request = PlanRequest(profile, days=np.int64(2))
    assert (profile.age, request.days) == (40.0, 2) and type(request.days) is int
    json.dumps(request.to_dict())   # plain numbers, which JSON writes
    assert json.loads(render(make_plan(PlanRequest(profile)), "json"))["request"]["profile"]["age"] == 40
    with pytest.raises(ProfileError) as refused:
        make_profile(age=30, sex="female", pregnant="no")
    assert refused.value.field == "pregnant"


def test_wrong_arguments_to_the_library_are_its_own_errors(tmp_path):
    """make_plan(None) and make_plan(request, "foods.csv") raised AttributeError from inside; render(plan, "xml")
    a plain ValueError. A table by name is what check_plan and explain take too."""
    from conftest import FOODS_CSV
    from planner import render
    from planner.errors import InputError
    with pytest.raises(InputError) as refused:
        make_plan(None)
    assert refused.value.field == "request"
    mine = tmp_path / "mine.csv"
    mine.write_bytes(FOODS_CSV.read_bytes())
    by_name = make_plan(PlanRequest(days=1), str(mine))
    assert by_name.days[0].items and by_name.request.foods.endswith("mine.csv")   # the plan names its table
    again = make_plan(PlanRequest(days=1, foods=by_name.request.foods))
    assert [d.items for d in by_name.days] == [d.items for d in again.days]
    with pytest.raises(InputError) as refused:
        render(by_name, "xml")
    assert refused.value.field == "format"
