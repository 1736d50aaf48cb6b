"""Day plans through the CLI, checked by `planner check` and by totals recomputed here from foods.csv."""

from __future__ import annotations

import dataclasses
import json
import math
import re

import pandas as pd
import pytest

from cli import cli
from conftest import FOODS_CSV, make_runner
from planner import make_plan, read_plan, render
from planner.request import request_from_options
from planner.targets import SHARES

FOODS = pd.read_csv(FOODS_CSV).set_index("food_id")
# The Dietary Guidelines' pattern counts beans, peas and lentils as vegetables; FPED's vegetables leave them out.
FOODS["vegetables_with_beans_cup_eq"] = FOODS["vegetables_cup_eq"] + FOODS["legumes_cup_eq"]
TAGS = FOODS["tags"].fillna("").str.split("|")
VEGAN_WOMAN = ["--age", "40", "--sex", "female", "--diet", "vegan", "--deficient", "calcium,vitamin_d,vitamin_b12"]
# A vegetable the default plan does not use (chosen after it is made), so --include has to force it in.
CANDIDATES = ["collards_cooked", "turnip_greens_cooked", "asparagus_cooked", "brussels_sprouts"]
NEEDS = {
    "default": [],
    "vegan_woman": VEGAN_WOMAN,
    "exact": ["--portions", "exact"],
    "no_nuts_with_include": ["--exclude", "nuts", "--include", "<chosen>"],
    "cbc": ["--solver", "cbc"],
    "short": ["--diet", "vegan", "--exclude", "soy,fortified", "--deficient", "vitamin_b12"],
}


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    """Each plan made once: name -> (exit code, stderr, path of the JSON plan, parsed JSON)."""
    folder = tmp_path_factory.mktemp("plans")
    runner = make_runner()
    cache = {}

    def get(name):
        if name not in cache:
            path = folder / f"{name}.json"
            args = NEEDS[name]
            if "<chosen>" in args:
                used = {i["food_id"] for i in get("default")[3]["days"][0]["items"]}
                cache["included"] = next(f for f in CANDIDATES if f not in used)
                args = [cache["included"] if a == "<chosen>" else a for a in args]
            result = runner.invoke(cli, ["day", *args, "--format", "json", "-o", str(path)])
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
            doc = json.loads(path.read_text()) if path.exists() else None
            cache[name] = (result.exit_code, result.stderr, path, doc)
        return cache[name]

    get.included = lambda: cache["included"]
    return get


def check(path, *extra):
    return make_runner().invoke(cli, ["check", str(path), *extra])


def recompute(doc) -> list[dict[str, float]]:
    """Totals per day from foods.csv: grams x value per 100 g / 100, missing counted as 0."""
    out = []
    for day in doc["days"]:
        items = pd.DataFrame(day["items"])
        values = FOODS.loc[items["food_id"], list(day["totals"])].fillna(0.0)
        out.append((values.mul(items["grams"].to_numpy() / 100.0, axis=0)).sum().to_dict())
    return out


def value_for(totals, nutrient):
    """A target's value from recomputed totals: a plain total, or a share (numerator / whole, as the
    targets define it)."""
    if nutrient not in SHARES:
        return totals[nutrient]
    numerator, whole, factor = SHARES[nutrient]
    return 100.0 * factor * totals[numerator] / totals[whole] if totals[whole] else 0.0


def test_default_day_passes_check(plans):
    code, stderr, path, doc = plans("default")
    assert code == 0, stderr
    result = check(path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK")
    assert doc["shortfalls"] == []
    assert doc["request"]["profile"]["age"] == 35 and doc["request"]["profile"]["sex"] == "female"
    assert "default" in stderr


@pytest.mark.parametrize("name", ["default", "vegan_woman", "exact", "no_nuts_with_include", "cbc", "short"])
def test_totals_recomputed_independently(plans, name):
    _, _, _, doc = plans(name)
    assert doc["days"] and doc["days"][0]["items"]
    for day, mine in zip(doc["days"], recompute(doc)):
        for nutrient, value in day["totals"].items():
            assert value == pytest.approx(mine[nutrient], rel=1e-6, abs=1e-4), nutrient


@pytest.mark.parametrize("name", ["default", "vegan_woman", "exact", "no_nuts_with_include", "cbc", "short"])
def test_ceilings_never_exceeded(plans, name):
    _, _, _, doc = plans(name)
    for mine in recompute(doc):
        for t in doc["targets"]:
            if t["max"] is not None:
                assert value_for(mine, t["nutrient"]) <= t["max"] * (1 + 1e-6) + 1e-6, t["nutrient"]


@pytest.mark.parametrize("name", ["default", "vegan_woman", "exact", "no_nuts_with_include", "cbc", "short"])
def test_shortfalls_agree_with_check(plans, name):
    """Either the plan passes check, or it exits 1 and its shortfalls are exactly check's failing floors."""
    code, stderr, path, doc = plans(name)
    result = check(path, "--format", "json")
    if code == 0:
        assert doc["shortfalls"] == []
        assert result.exit_code == 0, result.output
        return
    assert code == 1
    assert result.exit_code == 1
    failures = json.loads(result.stdout)["failures"]
    failing = {r["nutrient"] for r in failures if r["check"] == "min"}
    assert {s["nutrient"] for s in doc["shortfalls"]} == failing
    assert {r["check"] for r in failures} == {"min"}


def test_vegan_woman_targets_raised(plans):
    _, _, _, doc = plans("vegan_woman")
    targets = {t["nutrient"]: t for t in doc["targets"]}
    for nutrient in ("calcium_mg", "vitamin_d_mcg", "vitamin_b12_mcg"):
        assert "deficient" in targets[nutrient]["source"]
    assert doc["request"]["deficient"] == ["calcium_mg", "vitamin_d_mcg", "vitamin_b12_mcg"]
    assert doc["request"]["choice"]["diet"] == "vegan"


@pytest.mark.parametrize("name", ["vegan_woman", "short"])
def test_vegan_plan_uses_only_vegan_foods(plans, name):
    _, _, _, doc = plans(name)
    for day in doc["days"]:
        for item in day["items"]:
            assert "vegan" in TAGS[item["food_id"]], item["food_id"]


def test_exclude_nuts(plans):
    _, _, _, doc = plans("no_nuts_with_include")
    for item in doc["days"][0]["items"]:
        assert "nuts" not in TAGS[item["food_id"]], item["food_id"]


def test_include_appears(plans):
    code, stderr, _, doc = plans("no_nuts_with_include")
    assert code == 0, stderr
    included = plans.included()
    assert included in {i["food_id"] for i in doc["days"][0]["items"]}
    # the default plan does not have it, so --include did something
    assert included not in {i["food_id"] for i in plans("default")[3]["days"][0]["items"]}


@pytest.mark.parametrize("include, which", [("latte", "leave it out"), ("latte,banana", "leave some out")])
def test_an_include_no_menu_can_serve_is_blamed_not_the_food_table(include, which):
    """A latte for a 2-year-old passes the caffeine ceiling (30 mg) in any amount: the option is at fault."""
    result = make_runner().invoke(cli, ["day", "--age", "2", "--sex", "male", "--include", include])
    assert result.exit_code == 2
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "--include" in error[0] and "latte" in error[0] and "slots" not in error[0]
    assert f"{which} of --include" in error[0]


def test_exact_portions(plans):
    code, stderr, path, doc = plans("exact")
    servings = [i["servings"] for i in doc["days"][0]["items"]]
    assert any(abs(2 * s - round(2 * s)) > 1e-6 for s in servings), servings
    assert code == 0, stderr
    result = check(path)
    assert result.exit_code == 0, result.output


def test_half_servings_by_default(plans):
    _, _, _, doc = plans("default")
    for item in doc["days"][0]["items"]:
        assert 2 * item["servings"] == pytest.approx(round(2 * item["servings"]))
        assert item["servings"] >= 1 - 1e-9  # at least one serving when used


def test_cbc_solver(plans):
    code, stderr, path, doc = plans("cbc")
    assert code == 0, stderr
    assert doc["report"]["solver"] == "cbc" and doc["request"]["solver"]["name"] == "cbc"
    assert check(path).exit_code == 0


def test_json_schema(plans):
    _, _, _, doc = plans("vegan_woman")
    assert {"age", "sex", "pregnant", "lactating"} <= set(doc["request"]["profile"])
    assert {"diet", "exclude", "include", "like"} <= set(doc["request"]["choice"])
    for t in doc["targets"]:
        assert {"nutrient", "unit", "min", "max", "source"} <= set(t)
    for day in doc["days"]:
        assert {"items", "totals", "cost"} <= set(day)
        assert isinstance(day["cost"], (int, float)) and day["cost"] >= 0
        for item in day["items"]:
            assert {"food_id", "food_code", "fdc_id", "name", "slot", "servings", "grams", "cost"} <= set(item)
            assert item["food_code"] == str(FOODS.loc[item["food_id"], "food_code"]) and item["fdc_id"] is None
            assert item["slot"] in ("breakfast", "lunch", "dinner", "snack")
            assert item["grams"] > 0
        for value in day["totals"].values():
            assert value is None or math.isfinite(value)
    assert isinstance(doc["shortfalls"], list)


def test_item_cost_is_grams_times_price(plans):
    _, _, _, doc = plans("default")
    day = doc["days"][0]
    priced = 0.0
    for item in day["items"]:
        price = FOODS.loc[item["food_id"], "price_per_100g"]
        if pd.isna(price):
            assert item["cost"] is None
        else:
            assert item["cost"] == pytest.approx(item["grams"] / 100 * price, abs=1e-3)
            priced += item["cost"]
    assert day["cost"] == pytest.approx(priced, rel=1e-12)


def test_short_plan_exits_1_writes_plan_and_says_what_closes_it(plans):
    code, stderr, path, doc = plans("short")
    assert code == 1
    assert path.exists() and doc is not None
    short = [s for s in doc["shortfalls"] if s["nutrient"] == "vitamin_b12_mcg"]
    assert short and short[0]["gap"] > 0
    assert short[0]["closes_it"]
    assert "B12" in stderr and "vitamin_b12" not in stderr
    assert "Would close it" in stderr, stderr
    assert f"{short[0]['gap']:.1f}" in stderr, stderr


def test_short_plan_in_table_format():
    result = make_runner().invoke(cli, ["day", *NEEDS["short"]])
    assert result.exit_code == 1
    assert "SHORT B12" in result.stdout
    assert "Would close it" in result.stdout


@pytest.mark.parametrize("fmt,marker", [("table", "Day 1"), ("csv", "food_id"), ("md", "# Meal plan")])
def test_other_formats(fmt, marker, tmp_path):
    out = tmp_path / f"plan.{fmt}"
    result = make_runner().invoke(cli, ["day", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.strip() and marker in text
    if fmt == "csv":
        frame = pd.read_csv(out)
        assert len(frame) > 3 and set(frame["food_id"]) <= set(FOODS.index)


def test_check_other_food_table_refused(plans, tiny_foods_csv):
    _, _, path, _ = plans("default")
    result = check(path, "--foods", str(tiny_foods_csv()))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "foods.csv" in result.stderr and "not the food table" in result.stderr


@pytest.mark.parametrize("command", ["check", "explain", "shop"])
def test_a_plan_from_another_version_of_the_embedded_table_says_to_plan_again(plans, tmp_path, command):
    """A plan saved before an upgrade changed the embedded table names it by fingerprint: reading it says the
    plan came from another version of planner and what to do, not only "give that table" (which is gone)."""
    _, _, path, _ = plans("default")
    doc = json.loads(path.read_text())
    doc["foods"]["fingerprint"] = "0123456789abcdef"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc))
    result = make_runner().invoke(cli, [command, str(old)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), lines
    assert "another version of planner's embedded food table" in lines[0]
    assert "make the plan again with this version" in lines[0] and "--foods" in lines[0]


def test_check_says_which_table_it_recomputed_from_in_words(plans):
    _, _, path, _ = plans("default")
    result = check(path)
    assert result.exit_code == 0
    assert "every total recomputed from the embedded food table; all hold" in result.stdout


def test_check_finds_a_broken_plan(plans, tmp_path):
    """Halving every item's grams must make check fail on floors: it recomputes and does not trust totals."""
    _, _, _, doc = plans("default")
    broken = json.loads(json.dumps(doc))
    for item in broken["days"][0]["items"]:
        item["grams"] /= 2
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    result = check(path, "--format", "json")
    assert result.exit_code == 1
    failing = json.loads(result.stdout)["failures"]
    assert {"magnesium_mg", "calcium_mg"} & {r["nutrient"] for r in failing if r["check"] == "min"}
    # the totals the plan states are no longer what its foods add up to: that fails too
    assert {r["check"] for r in failing} >= {"min", "total"}


def test_a_long_name_is_whole_in_a_file_and_cut_at_a_word_on_a_terminal(plans):
    """A food's name and portion are cut to fit a terminal's columns (at a word, with an ellipsis), never in
    Markdown or HTML, where a reader has room for them."""
    _, _, path, _ = plans("default")
    plan = read_plan(path)
    long_name = "Peanut butter and jelly sandwich, whole wheat bread, with extra crunchy peanut butter"
    first = plan.days[0]
    plan = dataclasses.replace(plan, days=(dataclasses.replace(first, items=(
        dataclasses.replace(first.items[0], name=long_name), *first.items[1:])), *plan.days[1:]))
    assert long_name in render(plan, "md") and long_name in render(plan, "html")
    row = next(line for line in render(plan, "table").splitlines() if "Peanut butter and jelly" in line)
    cut = next(part.strip() for part in row.split("  ") if part.strip().startswith("Peanut"))
    assert cut.endswith("…") and long_name.startswith(cut[:-1]) and long_name[len(cut) - 1] in " ,", cut


@pytest.mark.parametrize("food_id", ["lentils", "black_beans_canned"])
def test_a_cup_of_plain_beans_fits_under_the_beans_ceiling(food_id):
    """A plain bean food is served by the cup (its smallest portion): 1.03 cup-eq in FPED, so the default
    ceiling lets one cup in. It was held at 1.0, and no default plan could serve plain beans at all."""
    plan = make_plan(request_from_options(include=(food_id,)))
    foods = pd.read_csv(FOODS_CSV).set_index("food_id")
    grams = {i.food_id: i.grams for i in plan.days[0].items}
    legumes = sum(g / 100 * foods.at[f, "legumes_cup_eq"] for f, g in grams.items()
                  if pd.notna(foods.at[f, "legumes_cup_eq"]))
    assert grams[food_id] >= foods.at[food_id, "serving_g"]
    assert legumes <= plan.targets.set_index("nutrient").at["legumes_cup_eq", "max"] + 1e-6


def test_plans_and_requests_compare_and_hash_as_values():
    """A plan read back from its JSON equals the plan; another plan does not. Equal requests hash alike, so a
    notebook can key results by request (a dict of shares and rows of targets inside do not stop it)."""
    from planner import plan_from_dict
    plan = make_plan(request_from_options(days=1))
    assert plan_from_dict(json.loads(json.dumps(plan.to_dict()))) == plan
    assert make_plan(request_from_options(days=1, diet="vegan")) != plan
    shares = {"breakfast": 0.3, "lunch": 0.3, "dinner": 0.3, "snack": 0.1}
    own = [{"nutrient": "magnesium_mg", "min": 400.0, "max": None}]
    first = request_from_options(slot_shares=shares, days=2)
    same = request_from_options(slot_shares=dict(shares), days=2)
    assert first == same and hash(first) == hash(same)
    assert {first: "plan"}[same] == "plan"
    assert len({first, request_from_options(days=2)}) == 2
    targeted = dataclasses.replace(first, custom_targets=tuple(own))
    assert hash(targeted) == hash(dataclasses.replace(first, custom_targets=tuple(dict(r) for r in own)))
    rows = [dict(r) for r in own]
    held = dataclasses.replace(first, custom_targets=tuple(rows))
    rows[0]["min"] = 10.0   # the caller's rows change after the request was made: the request does not
    assert held.custom_targets[0]["min"] == 400.0 and held == targeted


def test_a_range_is_shown_as_its_range_not_as_a_share_of_its_floor():
    """Calories and shares of energy or grains are held within a range, so the day's totals line shows the range
    (18% protein is not "182%" of anything a reader can use); a plain floor keeps its percent."""
    plan = make_plan(request_from_options(days=1))
    line = next(x for x in render(plan, "table").splitlines() if x.strip().startswith("totals:"))
    targets = plan.targets.set_index("nutrient")
    totals = plan.days[0].totals
    protein = 100 * 4 * totals["protein_g"] / totals["energy_kcal"]
    low, high = targets.loc["protein_pct_kcal", ["min", "max"]]
    assert f"protein % of kcal {protein:.0f}% ({low:g}-{high:g})," in line
    low, high = targets.loc["energy_kcal", ["min", "max"]]
    assert f"calories {totals['energy_kcal']:,.0f} kcal ({low:,.0f}-{high:,.0f})," in line
    assert "% grains" not in line and "% kcal" not in line
    magnesium = 100 * totals["magnesium_mg"] / targets.loc["magnesium_mg", "min"]
    assert f"magnesium {totals['magnesium_mg']:,.0f} mg {magnesium:.0f}%," in line


def test_a_shortfall_line_never_says_a_floor_of_itself_is_short():
    """319.6 mg against 320 mg rounds to "320 mg of 320 mg, 0.4 mg short": the line shows the decimals that tell
    the two apart; a gap that whole numbers show keeps whole numbers."""
    from planner.plan import Shortfall
    from planner.render import shortfall_lines
    plan = make_plan(request_from_options(days=1))
    near = dataclasses.replace(plan, shortfalls=(Shortfall("magnesium_mg", "mg", 320.0, 319.6, 1, "more beans"),))
    assert "319.6 mg of 320.0 mg, 0.4 mg short" in shortfall_lines(near)[0]
    far = dataclasses.replace(plan, shortfalls=(Shortfall("magnesium_mg", "mg", 320.0, 250.0, 1, "more beans"),))
    assert "250 mg of 320 mg, 70 mg short" in shortfall_lines(far)[0]


def test_the_cheapest_plan_states_its_cost_against_the_bound_not_how_people_eat():
    """`--cheapest` drops the terms on how people eat: the Solver line compares the cost alone with the bound."""
    result = make_runner().invoke(cli, ["day", "--cheapest"])
    solver = next(line for line in result.stdout.splitlines() if line.startswith("Solver:"))
    assert re.search(r"; the cost \(\$\d+\.\d\d\) is within \d+% of its lower bound", solver), solver
    assert "depart" not in solver


@pytest.mark.parametrize("args, heading, hint", [
    ([], "for adult woman, 35, not pregnant or lactating (the default profile)", "give --age and --sex for yours"),
    (["--age", "40"], "for woman, 40 (sex assumed)", "give --sex for yours"),
])
def test_what_to_give_for_ones_own_profile_is_said_once_not_again_in_the_heading(args, heading, hint):
    result = make_runner().invoke(cli, ["day", *args])
    title = result.stdout.splitlines()[0]
    assert title.startswith("Meal plan: 1 day(s) ") and title.endswith(heading), title
    assert hint not in result.stdout and hint in result.stderr


def test_a_meal_part_no_allowed_food_fills_is_said_once_for_every_day():
    """With no vegan milk or soy allowed, no food goes in breakfast's protein or dairy on any day: said once, and not
    blamed on foods "used up on other days" (a vegan SR Legacy week said that on all 7 days)."""
    result = make_runner().invoke(cli, ["week", "--days", "2", "--diet", "vegan", "--exclude",
                                        "soy,peanuts,nuts,fortified,sesame,milk"])
    notes = [line for line in result.stdout.splitlines() if line.startswith("Note:") and "left out" in line]
    assert notes == ["Note: every day: breakfast: protein or dairy left out: no food allowed (by the diet, the "
                     "exclusions and the food table) goes in that meal"], notes
    # recomputed from the table: no vegan food left by those exclusions is a breakfast protein or dairy food
    allowed = FOODS[TAGS.map(lambda t: "vegan" in t and not {"soy", "peanuts", "nuts", "fortified", "sesame",
                                                             "milk"} & set(t))]
    assert not (allowed["role"].isin(["dairy", "protein"]) & allowed["slots"].str.contains("breakfast")).any()
