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
