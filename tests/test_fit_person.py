"""Advice that fits the person, through the command: the life stage and its calories on the profile line, the
blood-test note beside floors marked deficient, children's weeks checked independently, symptom texts."""

from __future__ import annotations

import json
import re

import pytest

from cli import cli
from conftest import make_runner
from planner import check_plan, load_foods, make_plan, make_profile, read_plan
from planner.foods import FoodChoice
from planner.portions import portion_scale
from planner.request import PlanRequest
from planner.targets import estimated_kcal


def _run(*args):
    result = make_runner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def _profile_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("Profile:")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize("args,words", [
    (["--pregnant", "--trimester", "3"], ["pregnant, 3rd trimester", "+452 kcal a day"]),
    (["--pregnant"], ["pregnant", "give its trimester"]),
    (["--lactating"], ["lactating", "no calories added for lactation"]),
])
def test_the_profile_line_names_the_stage(args, words):
    result = _run("targets", "--age", "29", "--sex", "female", *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    line = _profile_line(result.stderr)
    for word in words:
        assert word in line, line


def test_the_blood_test_note_comes_once_beside_the_raised_floors(tmp_path):
    out = tmp_path / "day.json"
    result = _run("day", "--deficient", "magnesium,vitamin_d", "--format", "json", "-o", str(out))
    assert result.exit_code in (0, 1), result.output
    lines = result.stderr.splitlines()
    notes = [i for i, line in enumerate(lines) if "blood test" in line and "marked" in line]
    assert len(notes) == 1, result.stderr
    assert lines[notes[0] - 1].startswith("Profile:") and "raising: magnesium, vitamin D" in lines[notes[0] - 1]
    doc = json.loads(out.read_text())
    assert sum("blood test" in n and "marked" in n for n in doc["notes"]) == 1


def _honest(plan) -> None:
    """`check` agrees with the plan: every failing check is a floor the plan names as a shortfall, with what
    closes it; no ceiling, stated target or stated total fails."""
    failures = check_plan(plan, load_foods()).failures
    assert set(failures["check"]) <= {"min"}, failures
    named = {(s.nutrient, s.day) for s in plan.shortfalls}
    for f in failures.itertuples():
        assert (f.nutrient, None if f.day is None or f.day != f.day else int(f.day)) in named
    assert all(s.closes_it for s in plan.shortfalls)


@pytest.mark.parametrize("args", [["--age", "1", "--sex", "female"],
                                  ["--age", "2", "--sex", "male", "--diet", "vegetarian"]])
def test_a_young_childs_days_pass_check(args, tmp_path):
    out = tmp_path / "week.json"
    result = _run("week", "--days", "2", *args, "--format", "json", "-o", str(out))
    assert result.exit_code in (0, 1), result.output
    assert "Portions are a child's" in result.stderr
    plan = read_plan(out)
    _honest(plan)
    checked = _run("check", str(out))
    assert checked.exit_code == (0 if plan.is_ok else 1), checked.output
    foods = load_foods().data
    for day in plan.days:
        for item in day.items:
            most = foods.loc[item.food_id, "max_servings"] * foods.loc[item.food_id, "serving_g"]
            assert item.grams <= most + 0.01, item
    # No latte for a toddler: Health Canada's 2.5 mg per kg caps caffeine at 30 mg a day for ages 1-3.
    assert plan.targets.set_index("nutrient").at["caffeine_mg", "max"] == 30.0
    assert all(day.totals["caffeine_mg"] <= 30.0 + 1e-6 for day in plan.days)


# Every age a child's targets change at, each as an omnivore and a vegetarian, the sexes taking turns.
CHILDREN = [(age, sex, diet) for k, age in enumerate([1, 2, 3, 4, 6, 9, 13])
            for sex, diet in ((("female", "omnivore"), ("male", "vegetarian")) if k % 2 == 0
                              else (("male", "omnivore"), ("female", "vegetarian")))]


@pytest.mark.slow
@pytest.mark.parametrize("age,sex,diet", CHILDREN)
def test_every_childs_week_passes_check_or_names_its_shortfalls(age, sex, diet):
    plan = make_plan(PlanRequest(make_profile(age=age, sex=sex), choice=FoodChoice(diet)))
    assert len(plan.days) == 7
    _honest(plan)
    sodium = plan.targets.set_index("nutrient").loc["sodium_mg"]
    assert "secondary source" in sodium["source"]
    assert all(d.totals["sodium_mg"] <= sodium["max"] for d in plan.days)
    caffeine = plan.targets.set_index("nutrient").at["caffeine_mg", "max"]
    assert all(d.totals["caffeine_mg"] <= caffeine + 1e-6 for d in plan.days)
    child = portion_scale(plan.request.profile, estimated_kcal(plan.request.profile)).is_child
    assert child == (age < 13 or sex == "female")  # a boy of 13 needs 2,200 kcal: an adult's portions
    assert child == any("Portions are a child's" in n for n in plan.notes)


SYMPTOMS = [
    (["targets", "--symptom", "twitching in several places for three weeks with muscle weakness"], "SEE A DOCTOR"),
    (["week", "--days", "2", "--symptom", "my eye keeps jumping"], "SEE A DOCTOR"),
    (["week", "--days", "2", "--symptom", "calf cramps at night"], "SEE A DOCTOR"),
    (["targets", "--symptom", "seizure"], "URGENT"),
]


@pytest.mark.parametrize("args,first", SYMPTOMS, ids=[a[-1] for a, _ in SYMPTOMS])
def test_symptom_texts_print_a_doctor_line_first_and_the_data(args, first, tmp_path):
    out = tmp_path / "out.json"
    result = _run(*args, "--format", "json", "-o", str(out))
    assert result.exit_code in ((0, 1) if args[0] == "week" else (0,)), result.output
    assert result.stderr.splitlines()[0].startswith(first), result.stderr
    assert "Traceback" not in result.output
    doc = json.loads(out.read_text())
    assert doc  # a plan or the targets
    if args[0] == "week":
        assert len(doc["days"]) == 2 and doc["notes"][0].startswith("SEE A DOCTOR")
        _honest(read_plan(out))


COLUMN_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:mg|mcg|g|kcal|cup_eq|oz_eq|tsp_eq|pct_kcal|pct_grains)\b")


def test_what_people_read_names_nutrients_in_their_words(tmp_path):
    out = tmp_path / "day.json"
    made = _run("day", "--age", "3", "--sex", "female", "--diet", "vegan", "--exclude", "fortified",
                "--deficient", "vitamin_d,vitamin_b12", "--symptom", "calf cramps", "--format", "json", "-o", str(out))
    assert made.exit_code == 1, made.output
    doc = json.loads(out.read_text())
    readings = [made.stderr, *doc["notes"], *(s["closes_it"] for s in doc["shortfalls"])]
    for args in (["day", "--age", "30", "--sex", "female", "--pregnant", "--trimester", "2", "--deficient",
                  "magnesium"],
                 ["targets", "--age", "2", "--sex", "male", "--symptom", "eyelid twitching"],
                 ["explain", str(out)], ["check", str(out)]):
        result = _run(*args)
        readings += [result.stdout, result.stderr]
    for text in readings:
        assert not COLUMN_NAME.search(text), COLUMN_NAME.search(text).group(0) + " in: " + text[:300]
