"""The plain diet problem (planner.diet_lp, `--meals none`): its optimum against LPs built here, independently."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pulp
import pytest
from scipy.optimize import linprog

from cli import cli
from planner import PlanRequest, check_plan, load_foods, make_plan, read_plan, read_targets_file
from planner.foods import FoodChoice, allowed_foods
from planner.pricing import cost_per_100g
from planner.targets import SHARES, targets_for_request

# A user's table with a nutrient planner knows nothing about (zinc). Values per 100 g copied from USDA
# FNDDS 2017-2018 "Nutrient Values" (shared/data/fndds_2017_2018/nutrient_values.csv) by food code;
# prices per 100 g from foods.csv (USDA ERS PP-NAP 2017/18, same food codes).
USER_TABLE = """food_id,name,food_code,energy_kcal,protein_g,magnesium_mg,calcium_mg,zinc_mg,serving_g,max_servings,price_per_100g
black_beans,"Black beans, cooked from dried",41102020,131,8.81,70,27,1.11,180,2,0.313588
milk_whole,"Milk, whole",11111000,60,3.28,12,123,0.41,244,3,0.09828
almonds,"Almonds, unsalted",42101130,607,20.33,271,260,3.21,28.35,2,1.843931
spinach_cooked,"Spinach, cooked with oil",72125217,56,3.26,90,113,0.6,185,2,1.142194
kale_cooked,"Kale, cooked, fat added",72119221,61,3.05,34,265,0.41,135,2,0.725112
oatmeal_milk,"Oatmeal, made with milk",56203066,115,5.57,35,135,1.04,240,2,0.174142
banana,Banana,63107010,89,1.09,27,5,0.15,126,3,0.189998
salmon_canned,"Salmon, canned",26137180,137,20.55,30,220,0.79,92,2,1.657025
cheddar,Cheddar cheese,14104100,408,23.3,27,707,3.67,21,3,1.123084
whole_wheat_bread,Whole wheat bread,51300110,254,12.3,77,163,1.76,36,4,0.490388
"""
USER_TARGETS = "nutrient,min,max\nzinc_mg,8,40\nmagnesium_mg,320,\ncalcium_mg,1000,2500\nenergy_kcal,1800,2200\n" \
               "protein_pct_kcal,10,35\n"


def independent_lp(foods, targets: pd.DataFrame):
    """The same problem written out here: grams per food in [0, cap], each target a row, cost per gram."""
    data = foods.data[foods.data["role"] != "ingredient"]
    price, _ = cost_per_100g(foods)
    cost = price.loc[data.index].to_numpy(float) / 100.0
    per_gram = {c: np.nan_to_num(data[c].to_numpy(float)) / 100.0 for c in foods.nutrients}
    rows, rhs = [], []          # A x <= b
    for t in targets.itertuples(index=False):
        if t.nutrient in SHARES:
            numerator, denominator, factor = SHARES[t.nutrient]
            for bound, sign in (("min", -1.0), ("max", 1.0)):
                value = getattr(t, bound)
                if pd.notna(value) and (bound == "max" or value > 0):
                    rows.append(sign * (per_gram[numerator] * factor - per_gram[denominator] * value / 100.0))
                    rhs.append(0.0)
            continue
        if pd.notna(t.min) and t.min > 0:
            rows.append(-per_gram[t.nutrient])
            rhs.append(-t.min)
        if pd.notna(t.max):
            rows.append(per_gram[t.nutrient])
            rhs.append(t.max)
    caps = (data["max_servings"] * data["serving_g"]).to_numpy(float)
    return cost, np.array(rows), np.array(rhs), caps


def scipy_optimum(foods, targets) -> float:
    cost, a, b, caps = independent_lp(foods, targets)
    result = linprog(cost, A_ub=a, b_ub=b, bounds=list(zip(np.zeros(len(caps)), caps)), method="highs-ipm")
    assert result.status == 0, result.message
    return float(result.fun)


def cbc_optimum(foods, targets) -> float:
    cost, a, b, caps = independent_lp(foods, targets)
    prob = pulp.LpProblem("diet", pulp.LpMinimize)
    x = [prob.add_variable(f"x{j}", 0, caps[j]) for j in range(len(cost))]
    prob += pulp.lpSum(c * v for c, v in zip(cost, x))
    for k, (row, limit) in enumerate(zip(a, b)):
        prob += pulp.lpSum(coef * v for coef, v in zip(row, x) if coef) <= limit, f"row{k}"
    with warnings.catch_warnings():   # PuLP 3.3 warns that 4.0 runs CBC as COIN_CMD
        warnings.simplefilter("ignore", DeprecationWarning)
        cbc = pulp.COIN_CMD if int(pulp.__version__.split(".")[0]) >= 4 else pulp.PULP_CBC_CMD
        prob.solve(cbc(msg=False))
    assert pulp.LpStatus[prob.status] == "Optimal"
    return float(pulp.value(prob.objective))


@pytest.mark.parametrize("diet", ["omnivore", "vegetarian"])
def test_embedded_table_optimum_equals_independent_lps(diet):
    foods = load_foods()
    request = PlanRequest(days=1, amounts_only=True, choice=FoodChoice(diet))
    plan = make_plan(request, foods)
    assert plan.is_ok and check_plan(plan, foods).ok
    allowed = allowed_foods(foods, request.choice)
    targets = targets_for_request(request).for_columns(foods.nutrients).table
    assert plan.report.model_cost == pytest.approx(scipy_optimum(allowed, targets), rel=1e-6)
    assert plan.report.model_cost == pytest.approx(cbc_optimum(allowed, targets), rel=1e-6)
    # the stated cost is the same optimum (every food of the table is priced), from the stated grams
    assert plan.cost == pytest.approx(plan.report.model_cost, rel=1e-6)
    # amounts only: no meals and no household steps, just the table's caps
    items = plan.items_frame().set_index("food_id")
    assert set(items["slot"]) == {"any"}
    assert (items["grams"] <= foods.data.loc[items.index, "max_servings"] * foods.data.loc[items.index, "serving_g"]
            + 1e-6).all()


def test_users_table_with_its_own_nutrient_and_targets(runner, tmp_path):
    table = tmp_path / "mine.csv"
    table.write_text(USER_TABLE)
    targets_file = tmp_path / "t.csv"
    targets_file.write_text(USER_TARGETS)
    out = tmp_path / "plan.json"
    result = runner.invoke(cli, ["day", "--meals", "none", "--foods", str(table), "--targets", str(targets_file),
                                 "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    plan = read_plan(out)
    assert plan.request.amounts_only
    foods = load_foods(str(table))
    # as the plan holds them: the file's rows, and the ULs of the nutrients the table has
    targets = targets_for_request(PlanRequest(custom_targets=read_targets_file(targets_file))).for_columns(
        foods.nutrients).table
    assert plan.report.model_cost == pytest.approx(scipy_optimum(foods, targets), rel=1e-6)
    assert plan.report.model_cost == pytest.approx(cbc_optimum(foods, targets), rel=1e-6)
    assert plan.days[0].totals["zinc_mg"] >= 8 - 1e-6
    assert runner.invoke(cli, ["check", str(out)]).exit_code == 0
    shopping = runner.invoke(cli, ["shop", str(out), "--format", "csv"])
    assert shopping.exit_code == 0, shopping.output


def test_unreachable_floor_gives_the_closest_amounts_and_exit_1(runner, tmp_path):
    table = tmp_path / "mine.csv"
    table.write_text(USER_TABLE)
    targets_file = tmp_path / "t.csv"
    # more zinc than every food at its cap gives (a few dozen mg): no plan meets it
    targets_file.write_text("nutrient,min,max\nzinc_mg,200,\nenergy_kcal,1800,2200\n")
    out = tmp_path / "plan.json"
    result = runner.invoke(cli, ["day", "--meals", "none", "--foods", str(table), "--targets", str(targets_file),
                                 "--format", "json", "-o", str(out)])
    assert result.exit_code == 1
    assert "SHORT zinc_mg" in result.stderr
    plan = read_plan(out)
    assert [s.nutrient for s in plan.shortfalls] == ["zinc_mg"]
    # the closest plan: the most zinc any amounts within the calorie band give (an LP written here)
    foods = load_foods(str(table))
    data = foods.data
    kcal = data["energy_kcal"].to_numpy(float) / 100.0
    # and under the profile's ULs the plan holds too (calcium's, for this table)
    uls = plan.targets[(plan.targets["kind"] == "upper limit") & plan.targets["nutrient"].isin(data.columns)]
    assert "calcium_mg" in set(uls["nutrient"])
    rows = [kcal, -kcal, *(data[n].to_numpy(float) / 100.0 for n in uls["nutrient"])]
    most = linprog(-data["zinc_mg"].to_numpy(float) / 100.0, A_ub=np.array(rows), b_ub=[2200.0, -1800.0, *uls["max"]],
                   bounds=list(zip(np.zeros(len(data)), data["max_servings"] * data["serving_g"])), method="highs-ipm")
    assert plan.days[0].totals["zinc_mg"] == pytest.approx(-most.fun, rel=1e-6)
    assert plan.shortfalls[0].achieved == pytest.approx(-most.fun, rel=1e-6)
    checked = runner.invoke(cli, ["check", str(out)])
    assert checked.exit_code == 1 and "zinc" in checked.stdout


def test_a_week_of_amounts_repeats_the_optimal_day_and_round_trips():
    plan = make_plan(PlanRequest(days=3, amounts_only=True))
    first = plan.days[0].items
    assert all(d.items == first for d in plan.days)
    assert check_plan(plan).ok
    again = PlanRequest.from_dict(json.loads(json.dumps(plan.request.to_dict())))
    assert again == plan.request and again.amounts_only
    # the floors' prices come from the same LP: a binding floor has a price and a range around its value
    binding = plan.prices_frame().query("bound == 'min' and price_per_unit > 1e-9")
    assert not binding.empty
    assert ((binding["holds_from"] <= binding["value"] + 1e-6) & (binding["value"] <= binding["holds_to"] + 1e-6)).all()
