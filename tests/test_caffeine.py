"""With twitching, cramps or spasms named, a plan serves no caffeinated drink, and `check` holds it to that."""

from __future__ import annotations

import json

import pytest

from cli import cli
from conftest import make_runner
from planner import load_foods, make_plan
from planner.caffeine import without_caffeinated_drinks
from planner.request import request_from_options
from planner.targets import targets_for_request

TWITCHING = dict(symptoms=("my eyelid keeps twitching",), diet="vegan")


def _caffeinated_drinks(food_ids) -> set[str]:
    data = load_foods().data
    drinks = data[(data["role"] == "drink") & (data["caffeine_mg"] > 0)].index
    return set(food_ids) & set(drinks)


@pytest.fixture(scope="module")
def twitching_week(tmp_path_factory):
    path = tmp_path_factory.mktemp("caffeine") / "week.json"
    result = make_runner().invoke(cli, ["week", "--symptom", TWITCHING["symptoms"][0], "--diet", "vegan",
                                        "-o", str(path)])
    return result, path


def test_a_week_for_twitching_serves_no_caffeinated_drink_and_says_so(twitching_week):
    """A vegan week for eyelid twitching served coffee on most days, beside the advice to cut back on it."""
    result, path = twitching_week
    doc = json.loads(path.read_text())
    served = {i["food_id"] for d in doc["days"] for i in d["items"]}
    assert not _caffeinated_drinks(served)
    (note,) = [n for n in doc["notes"] if n.startswith("Caffeine: with twitching")]
    assert note.startswith("Caffeine: with twitching, cramps or spasms named, the plan serves no caffeinated drink, "
                           "as the health sources advise cutting back (Coffee, brewed; ")   # the strongest first
    assert "serves no caffeinated drink" in result.stderr


def test_check_finds_a_caffeinated_drink_in_a_plan_for_twitching(twitching_week, tmp_path):
    _, path = twitching_week
    doc = json.loads(path.read_text())
    doc["days"][0]["items"][0]["food_id"] = "coffee"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    result = make_runner().invoke(cli, ["check", str(edited), "--format", "json"])
    assert result.exit_code == 1
    failing = json.loads(result.stdout)["failures"]
    assert any(r["check"] == "food" and r["nutrient"] == "coffee" and "caffeinated drink" in r["note"]
               for r in failing), failing


@pytest.mark.parametrize("options, coffee, tea", [
    (TWITCHING, False, False),
    ({**TWITCHING, "max_caffeine": 200.0}, True, True),      # the person's own limit: their choice
    ({**TWITCHING, "include": ("coffee",)}, True, False),    # asked for by name
    ({"diet": "vegan"}, True, True),                         # no symptom that caffeine triggers
    ({"symptoms": ("tingling in my fingers",), "diet": "vegan"}, True, True),
])
def test_which_requests_keep_the_drinks(options, coffee, tea):
    request = request_from_options(**options)
    foods = load_foods()
    allowed, notes = without_caffeinated_drinks(foods, request, targets_for_request(request).guidance)
    assert ("coffee" in allowed.data.index, "tea" in allowed.data.index) == (coffee, tea)
    assert bool(notes) is not tea
    # chocolate milk's caffeine is incidental: it always stays
    assert "chocolate_milk" in allowed.data.index


def test_make_plan_notes_the_rule_once():
    plan = make_plan(request_from_options(days=1, **TWITCHING))
    assert sum(n.startswith("Caffeine: with twitching") for n in plan.notes) == 1


def test_a_drink_asked_for_is_served_and_the_note_says_so():
    """With --include coffee the plan serves it: the note must not say that no caffeinated drink is served."""
    plan = make_plan(request_from_options(days=1, **{**TWITCHING, "diet": "omnivore", "include": ("coffee",)}))
    assert "coffee" in {i.food_id for d in plan.days for i in d.items}
    (note,) = [n for n in plan.notes if n.startswith("Caffeine: with twitching")]
    assert "no caffeinated drink other than what you asked for (Coffee, brewed)" in note
    assert "Coffee" not in note.split("(", 2)[2]   # not among those that stay out
