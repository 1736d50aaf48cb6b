"""`check` verifies a plan independently: targets from the plan's request, totals from the food table.

Each tampered plan of issue 9 must fail, with one clear line or a failing row, never pass as "OK".
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from cli import cli
from conftest import FOODS_CSV, make_runner
from planner.check import target_failures

EMBEDDED = pd.read_csv(FOODS_CSV, dtype={"food_code": str}).set_index("food_id")


@pytest.fixture(scope="module")
def plan_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("check") / "plan.json"
    result = make_runner().invoke(cli, ["week", "--days", "2", "--format", "json", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text())


def _quartered(doc):
    for day in doc["days"]:
        for item in day["items"]:
            item["grams"] /= 4
            item["servings"] /= 4
        day["totals"] = {k: v / 4 for k, v in day["totals"].items()}
    for t in doc["targets"]:
        t["min"] = None if t["min"] is None else t["min"] / 4
        t["max"] = None if t["max"] is None else t["max"] / 4


def _without_calcium(doc):
    doc["targets"] = [t for t in doc["targets"] if t["nutrient"] != "calcium_mg"]


def _edited_total(doc):
    doc["days"][0]["totals"]["magnesium_mg"] += 100


# name -> (edit, exit code, what the failing rows or the one error line must say)
TAMPERED = {
    "amounts and floors divided by 4": (_quartered, 1, ["target min", "calcium_mg"]),
    "calcium target deleted": (_without_calcium, 1, ["missing from the plan's targets", "calcium_mg"]),
    "edited total": (_edited_total, 1, ["the plan states another total", "magnesium_mg"]),
    "age 200": (lambda d: d["request"]["profile"].update(age=200), 1, ["request field 'age'", "200"]),
    "no days": (lambda d: d.update(days=[]), 1, ["days", "no days"]),
    "negative servings": (lambda d: d["days"][0]["items"][0].update(servings=-1), 1, ["servings", ">= 0"]),
    "negative grams": (lambda d: d["days"][0]["items"][0].update(grams=-500), 1, ["grams", ">= 0"]),
    "grams as words": (lambda d: d["days"][0]["items"][0].update(grams="abc"), 1, ["grams", "expected a number"]),
    "absurd grams": (lambda d: d["days"][0]["items"][0].update(grams=1e308), 1, ["grams", "<= 5000"]),
    "duplicate days": (lambda d: d["days"][1].update(day=1), 1, ["day 1", "appears twice"]),
    "empty items": (lambda d: d["days"][0].update(items=[]), 1, ["items", "no foods"]),
    "unknown food": (lambda d: d["days"][0]["items"][0].update(food_id="unobtainium"), 1, ["unobtainium"]),
    "fractional fdc_id": (lambda d: d["days"][0]["items"][0].update(fdc_id=1.5), 1, ["fdc_id", "whole number"]),
    "prices as words": (lambda d: d.update(prices=[{"nutrient": "magnesium_mg", "bound": "min", "value": "x"}]), 1,
                        ["price 1 value", "expected a number"]),
    "unpriced as a number": (lambda d: d["days"][0].update(unpriced=5), 1, ["day 1 unpriced", "expected a list"]),
    "its food table gone": (lambda d: d["request"].update(foods="gone.csv"), 1,
                            ["gone.csv", "no such file", "the food table the plan was made from"]),
    # what the request asks beyond its targets
    "a served food excluded": (lambda d: d["request"]["choice"].update(exclude=[d["days"][1]["items"][0]["food_id"]]),
                               1, ["do not allow it"]),
    "made vegan": (lambda d: d["request"]["choice"].update(diet="vegan"), 1, ["diet (vegan)", "do not allow it"]),
    "a budget below its days": (lambda d: d["request"].update(budget={"amount": 1.0, "per": "day"}), 1,
                                ["above the request's budget"]),
    "a week's budget below its days": (lambda d: d["request"].update(budget={"amount": 7.0, "per": "week"}), 1,
                                       ["budget of week 1", "above the request's budget a week"]),
    "edited item cost": (lambda d: d["days"][0]["items"][0].update(cost=100.0), 1, ["another cost than the table"]),
    "edited day cost": (lambda d: d["days"][1].update(cost=0.5), 1, ["another cost than its foods add up to"]),
    "edited plan cost": (lambda d: d.update(cost=1.0), 1, ["another cost than its days add up to"]),
    "a food on more days than max-days allows": (lambda d: _repeated(d), 1, ["variety", "on at most 1"]),
    "popcorn for a 3-year-old": (lambda d: _for_a_toddler(d, "popcorn"), 1, ["popcorn", "kept from young children"]),
}
REQUEST_ONLY = ("a served food excluded", "made vegan", "a budget below its days", "a week's budget below its days",
                "edited item cost", "edited day cost",
                "edited plan cost", "a food on more days than max-days allows", "popcorn for a 3-year-old")


def _repeated(doc):
    """One day's food served the next day too, in a plan whose request allows each food on one day a week."""
    doc["request"]["max_days"] = 1
    item = next(i for i in doc["days"][0]["items"] if pd.isna(EMBEDDED.at[i["food_id"], "max_days"]))
    doc["days"][1]["items"].append(dict(item, slot="snack"))


def _for_a_toddler(doc, food_id):
    doc["request"]["profile"].update(age=3, is_default=False)
    doc["days"][0]["items"].append({**doc["days"][0]["items"][0], "food_id": food_id,
                                    "name": EMBEDDED.at[food_id, "name"], "food_code": None})


@pytest.mark.parametrize("name", TAMPERED)
@pytest.mark.parametrize("command", ["check", "shop", "explain"])
def test_tampered_plans_never_pass(plan_doc, tmp_path, name, command):
    edit, code, words = TAMPERED[name]
    doc = json.loads(json.dumps(plan_doc))
    edit(doc)
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(doc))
    result = make_runner().invoke(cli, [command, str(path), "--format", "json"])
    assert "Traceback" not in result.output
    if command != "check" and result.exit_code == 0:
        # shop and explain read a plan's foods, not its targets: an edit of targets or totals is check's to find
        assert name in ("amounts and floors divided by 4", "calcium target deleted", "edited total", *REQUEST_ONLY)
        return
    assert result.exit_code == code, result.output
    text = result.stdout + result.stderr
    for word in words:
        assert word in text, (word, text[-400:])


def test_an_untouched_plan_passes(plan_doc, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_doc))
    result = make_runner().invoke(cli, ["check", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"ok": True, "days": 2, "targets": len(plan_doc["targets"]),
                                        "foods": plan_doc["foods"]["source"], "failures": [], "unknown": []}


@pytest.mark.parametrize(("fmt", "expected"), [("md", "OK: 2 day(s)"), ("html", "OK: 2 day(s)"),
                                               ("json", '"ok": true'), ("csv", "day,week,nutrient")])
def test_a_passing_plans_written_report_says_so(plan_doc, tmp_path, fmt, expected):
    """A report written to a file carries its verdict (a passing plan's Markdown was an empty file)."""
    path, report = tmp_path / "plan.json", tmp_path / f"check.{fmt}"
    path.write_text(json.dumps(plan_doc))
    result = make_runner().invoke(cli, ["check", str(path), "-o", str(report)])
    assert result.exit_code == 0, result.output
    assert expected in report.read_text()
    assert "OK: 2 day(s)" in result.stderr


def test_the_verdict_is_said_once_on_a_terminal(plan_doc, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_doc))
    result = make_runner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 2 day(s)") and "OK:" not in result.stderr


@pytest.mark.parametrize("command", ["check", "shop", "explain"])
def test_a_plan_with_a_byte_order_mark_is_read(plan_doc, tmp_path, command):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(plan_doc).encode())
    result = make_runner().invoke(cli, [command, str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)


def test_check_never_writes_over_its_own_input(plan_doc, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_doc))
    before = path.read_bytes()
    result = make_runner().invoke(cli, ["check", str(path), "-o", str(path)])
    assert result.exit_code == 1 and "also an input" in result.stderr
    assert path.read_bytes() == before


def test_stored_nutrients_are_judged_on_each_weeks_average():
    """Eight days of vitamin D: a week well above the floor does not carry day 8, the next week's only day."""
    targets = pd.DataFrame([{"nutrient": "vitamin_d_mcg", "unit": "mcg", "min": 15.0, "max": float("nan")}])
    totals = [{"vitamin_d_mcg": 30.0}] * 7 + [{"vitamin_d_mcg": 5.0}]
    failures = target_failures(list(range(1, 9)), totals, targets)
    assert failures[["day", "week", "found"]].to_dict("records") == [{"day": None, "week": 2, "found": 5.0}]
    assert target_failures(list(range(1, 8)), totals[:7], targets).empty


def test_a_ceiling_resting_on_missing_values_is_said_to_hold_on_the_values_known(tmp_path):
    """A food with no vitamin D value counts as 0 towards the UL: `check` still passes the plan, but says the
    ceiling holds on the values known and names the food, in every format; a plan with no such food says nothing."""
    from planner import check_plan, make_plan, render
    from planner.request import request_from_options
    plan = make_plan(request_from_options(days=1))
    foods = pd.read_csv(FOODS_CSV, dtype=str, keep_default_na=False).set_index("food_id")
    # A served food with none: blanked, the model (which counts it as 0) and so the plan stay as they were.
    served = next(i.food_id for i in plan.days[0].items if float(foods.at[i.food_id, "vitamin_d_mcg"]) == 0)
    assert check_plan(plan).unknown == ()
    foods.loc[served, "vitamin_d_mcg"] = ""
    edited = tmp_path / "foods.csv"
    foods.reset_index().to_csv(edited, index=False)
    blanked = make_plan(request_from_options(days=1, foods=str(edited)))
    result = check_plan(blanked)
    name = foods.at[served, "name"]
    assert result.ok and any(line.startswith("vitamin D") and name in line for line in result.unknown), result.unknown
    assert "on the values known" in result.summary()
    for fmt in ("table", "md", "json"):
        assert name in render(result, fmt), fmt


def test_a_request_the_table_cannot_apply_is_named_as_the_plans_not_as_an_option_of_check(tmp_path):
    """Checked against a table with no tags, a plan that left out peanuts was refused as "--exclude: ...", an
    option `check` does not have."""
    runner = make_runner()
    plan = tmp_path / "plan.json"
    assert runner.invoke(cli, ["day", "--exclude", "peanuts", "-o", str(plan)]).exit_code == 0
    lines = FOODS_CSV.read_text(encoding="utf-8").splitlines()
    at = lines[0].split(",").index("tags")
    rows = list(csv.reader(lines))
    untagged = tmp_path / "untagged.csv"
    with untagged.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:at] + r[at + 1:] for r in rows])
    result = runner.invoke(cli, ["check", str(plan), "--foods", str(untagged)])
    assert result.exit_code == 1, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("Error: the plan's request, field 'exclude': ") and "--exclude" not in line, line
