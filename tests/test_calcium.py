"""Absorbable calcium (planner.calcium, `--absorbable-calcium`): each food's fraction, the target, the plan."""

from __future__ import annotations

import csv
import json
import re

import numpy as np
import pytest

from cli import cli
from conftest import ROOT
from planner import InputError, PlanRequest, check_plan, load_foods, make_plan, parse_foods, targets_for_request
from planner.advice import target_notes
from planner.calcium import COLUMN, fractions, with_absorbable_calcium
from planner.request import request_from_options

with (ROOT / "planner" / "data" / "calcium_absorption.csv").open(newline="", encoding="utf-8") as _handle:
    ROWS = list(csv.DictReader(_handle))
MILK = float(ROWS[-1]["fraction"])          # the stated default, the file's last row


def fraction_of(name: str) -> float:
    """The first row whose pattern is in the name, read here from the file."""
    return next(float(r["fraction"]) for r in ROWS if re.search(r["match"], name, re.IGNORECASE))


FOODS = load_foods()


@pytest.mark.parametrize("food_id, absorbed_as, default", [
    ("spinach_cooked", "spinach", False), ("kale_cooked", "kale", False), ("milk_2pct", "cow's milk", False),
    ("almonds", "almonds", False), ("orange_juice_calcium", "orange juice with added calcium", False),
    ("banana", "default (no study for this food)", True),
])
def test_each_food_gets_the_first_matching_row(food_id, absorbed_as, default):
    got = fractions(FOODS).loc[food_id]
    assert got["absorbed_as"] == absorbed_as and got["default"] == default
    assert got["fraction"] == fraction_of(FOODS.data.loc[food_id, "name"])


def test_the_table_gains_absorbed_calcium_and_keeps_missing_missing():
    table = with_absorbable_calcium(FOODS)
    assert COLUMN in table.nutrients and with_absorbable_calcium(table) is table
    expected = FOODS.data["calcium_mg"] * [fraction_of(n) for n in FOODS.data["name"]]
    np.testing.assert_allclose(table.data[COLUMN], expected)
    assert table.data.loc["spinach_cooked", COLUMN] < table.data.loc["kale_cooked", COLUMN]   # 113 x 5.1% < 265 x 49.3%
    text = "food_id,name,calcium_mg,energy_kcal\nx,\"Kale, raw\",,35\ny,Water,0,0\n"
    mine = with_absorbable_calcium(parse_foods(text, "mine.csv"))
    assert np.isnan(mine.data.loc["x", COLUMN]) and mine.data.loc["y", COLUMN] == 0


def test_a_table_without_calcium_is_refused():
    with pytest.raises(InputError) as caught:
        with_absorbable_calcium(parse_foods("food_id,name,magnesium_mg\na,A,1\n", "mine.csv"))
    assert caught.value.field == "absorbable_calcium" and caught.value.source == "mine.csv"


@pytest.mark.parametrize("deficient, factor", [((), 1.0), (("calcium",), 1.25)])
def test_the_floor_moves_to_absorbed_calcium_and_the_ul_stays_on_calcium_eaten(deficient, factor):
    plain = targets_for_request(PlanRequest(deficient=deficient)).table.set_index("nutrient")
    absorbed = targets_for_request(PlanRequest(deficient=deficient, absorbable_calcium=True)).table.set_index("nutrient")
    assert absorbed.loc[COLUMN, "min"] == pytest.approx(plain.loc["calcium_mg", "min"] * MILK)
    assert absorbed.loc["calcium_mg", "min"] != absorbed.loc["calcium_mg", "min"]          # no floor on calcium eaten
    assert absorbed.loc["calcium_mg", "max"] == plain.loc["calcium_mg", "max"] == 2500
    assert plain.loc["calcium_mg", "min"] == pytest.approx(1000 * factor)
    assert "0.321" in absorbed.loc[COLUMN, "source"] and "not a DRI" in absorbed.loc[COLUMN, "source"]


def test_a_plan_counting_absorbed_calcium_holds_and_names_each_fraction(runner, tmp_path):
    out = tmp_path / "plan.json"
    result = runner.invoke(cli, ["day", "--absorbable-calcium", "--diet", "vegetarian", "--format", "json",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["request"]["absorbable_calcium"] is True
    # recomputed here: grams x calcium per 100 g x the food's fraction, against 1,000 mg x 0.321
    absorbed = sum(i["grams"] / 100 * FOODS.data.loc[i["food_id"], "calcium_mg"] * fraction_of(i["name"])
                   for i in doc["days"][0]["items"])
    assert absorbed >= 1000 * MILK - 1e-6
    assert doc["days"][0]["totals"][COLUMN] == pytest.approx(absorbed)
    notes = " ".join(doc["notes"])
    for item in doc["days"][0]["items"]:
        if FOODS.data.loc[item["food_id"], "calcium_mg"] > 0:
            assert f"{item['name']} {fraction_of(item['name']):.1%}" in notes
    assert "default" in notes and "0.321" in notes
    assert runner.invoke(cli, ["check", str(out)]).exit_code == 0


def test_absorbed_calcium_favours_greens_that_absorb_well():
    plan = make_plan(PlanRequest(days=1, amounts_only=True, absorbable_calcium=True, deficient=("calcium",)))
    assert check_plan(plan).ok
    used = {i.food_id for i in plan.days[0].items}
    assert not used & {"spinach_cooked", "spinach_frozen_cooked", "spinach_canned"}   # 5.1 % of its calcium


def test_a_deficient_note_on_absorbable_calcium_says_what_its_floor_is_a_multiple_of():
    request = request_from_options(absorbable_calcium=True, deficient=("calcium",))
    (note,) = target_notes(request, targets_for_request(request))
    assert "1.25 x the DRI (for absorbable calcium, the DRI x the absorbed fraction)" in note
