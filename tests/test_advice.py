"""What a plan says beside its numbers: what closes a gap (within what a person eats of a food a day), the
profile line, the note on deficiencies. Amounts are recomputed here from the tiny food table."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from builders import tiny_table
from conftest import ROOT
from planner.advice import (allergen_notes, missing_value_notes, percent_beside, profile_line, target_notes,
                            unnamed_fat_note, unpriced_notes, unsourced_notes)
from planner.closing import BUDGET, beyond_food, what_closes
from planner.foods import FoodChoice, FoodTable, allowed_foods, parse_foods
from planner.pricing import NO_PRICES_PER_100G, cost_per_100g
from planner.sources import load_foods
from planner.nutrients import amount_text
from planner.request import PlanRequest, make_profile
from planner.targets import targets_for_request

SOURCES = ROOT.parent / "shared" / "sources"


@pytest.fixture(scope="module")
def table():
    return tiny_table()


def _per_serving(table, nutrient: str) -> pd.Series:
    return table.data[nutrient] * table.data["serving_g"] / 100.0


def _most_g(table) -> pd.Series:
    return table.data["max_servings"] * table.data["serving_g"]


def _grams_named(text: str, name: str) -> float:
    """The grams a suggestion gives for the food called `name`."""
    found = re.search(r"\((\d+) g\) more of " + re.escape(name), text) or \
        re.search(r"about (\d+) g more of " + re.escape(name), text)
    assert found, (name, text)
    return float(found.group(1))


def test_one_food_closes_a_small_gap_with_the_richest_per_serving(table):
    """Half a serving's gap: a food the day does not serve comes in a whole serving, the least a plan serves of it;
    one it serves already may gain half a serving, as a plan's portions move."""
    per = _per_serving(table, "magnesium_mg")
    best = per.idxmax()
    name, serving = table.data.loc[best, "name"], table.data.loc[best, "serving_g"]
    text = what_closes("magnesium_mg", per[best] / 2, table, table)
    assert name in text and _grams_named(text, name) == pytest.approx(serving, abs=0.5), text
    text = what_closes("magnesium_mg", per[best] / 2, table, table, pd.Series({best: serving}))
    assert name in text
    assert _grams_named(text, name) == pytest.approx(serving / 2, abs=0.5)
    # Half a serving said in the serving's own measure, and its grams once.
    assert re.search(r"about 0.5 x |about \d+ g more of ", text) and text.count(" g") == 1, text


def _smallest_portion_g(food: pd.Series) -> float:
    """What the README says a plan serves of a food at once: at least a serving and half its usual amount, in half
    servings."""
    half = food["serving_g"] / 2
    usual = food["usual_g"] / 2 if pd.notna(food["usual_g"]) else 0.0
    return max(food["serving_g"], -(-usual // half) * half)


def test_a_suggestion_is_a_portion_a_plan_would_serve_and_keeps_within_the_budget():
    """`planner day --budget 1.6` left a cent of its budget and said "about 0.4 g more of All-Bran" for 0.05 mg of
    B6: no one adds 0.4 g of a cereal. A suggestion is at least the smallest portion a plan serves, within what the
    budget leaves; a food whose portion the budget cannot buy is not named."""
    foods = load_foods()
    bran = foods.subset(["all_bran"])
    food = bran.data.loc["all_bran"]
    portion = _smallest_portion_g(food)
    portion_cost = portion * food["price_per_100g"] / 100
    text = what_closes("vitamin_b6_mg", 0.05, bran, foods, headroom={BUDGET: portion_cost * 1.05})
    assert _grams_named(text, food["name"]) == pytest.approx(portion, abs=0.5), text
    assert portion * food["vitamin_b6_mg"] / 100 >= 0.05
    text = what_closes("vitamin_b6_mg", 0.05, bran, foods, headroom={BUDGET: portion_cost * 0.9})
    assert text.startswith("no food mix allowed closes it") and "held back by the budget" in text, text
    # what a larger budget would buy is said, and what it costs beyond what is left
    more = math.ceil(100 * portion_cost * 0.1) / 100
    assert f"a larger budget (about 1 cup (62 g) more of {food['name']} a day closes it for ${more:.2f} more a day)" \
        in text, text
    # served already, it may gain half a serving: a plan's next portion of it
    text = what_closes("vitamin_b6_mg", 0.05, bran, foods, pd.Series({"all_bran": portion}))
    assert _grams_named(text, food["name"]) == pytest.approx(food["serving_g"] / 2, abs=0.5), text
    # a food whose usual amount is more than two servings: at least half of it (2 1/2 prunes, not one)
    prunes = foods.subset(["prunes"])
    food = prunes.data.loc["prunes"]
    assert food["usual_g"] / 2 > food["serving_g"]
    text = what_closes("potassium_mg", 1.0, prunes, foods)
    assert _grams_named(text, food["name"]) >= _smallest_portion_g(food) - 0.5, text


def test_a_larger_budget_names_the_cheapest_food_that_closes_it_within_the_other_ceilings():
    """With nothing left of the budget, the line says what a larger one would buy: the food that closes the gap for
    least, never one past another ceiling (sodium here), and what it costs."""
    foods = parse_foods("food_id,name,magnesium_mg,sodium_mg,serving_g,max_servings,price_per_100g,role\n"
                        "salty,Salty,100,500,100,2,0.10,snack\ndear,Dear,100,0,100,2,1.00,snack\n"
                        "dearer,Dearer,200,0,100,2,3.00,snack\n")
    text = what_closes("magnesium_mg", 50, foods, foods, headroom={BUDGET: 0.05})
    # a serving is the least a plan serves: Salty's costs $0.10, $0.05 more than is left
    assert "a larger budget (about 100 g more of Salty a day closes it for $0.05 more a day)" in text, text
    text = what_closes("magnesium_mg", 50, foods, foods, headroom={BUDGET: 0.05, "sodium_mg": 100})
    assert "a larger budget (about 100 g more of Dear a day closes it for $0.95 more a day)" in text, text
    # a gap no food closes alone (Dearer's most is 400 mg): the most magnesium a dollar buys first, $2 + $3.75
    text = what_closes("magnesium_mg", 450, foods, foods, headroom={BUDGET: 0.0, "sodium_mg": 0})
    assert "a larger budget (about 200 g more of Dear, about 125 g more of Dearer a day close it for $5.75 more" \
        in text, text


def test_a_food_whose_amount_would_read_as_0_g_is_not_named():
    """`planner day --kcal 6000` named "about 0 g more of Almonds, unsalted" among three foods: a food the
    ceilings leave a crumb of is no part of what closes a gap."""
    foods = parse_foods("food_id,name,energy_kcal,sodium_mg,serving_g,max_servings,role\n"
                        "a,Food A,100,100,100,1,snack\nb,Food B,100,1000,100,1,snack\nc,Food C,40,0,100,2,snack\n")
    # A takes 100 mg of the 100.3 mg of sodium left: B may have 0.03 g beside it
    text = what_closes("energy_kcal", 180.02, foods, foods, headroom={"sodium_mg": 100.3},
                       least_g=pd.Series(0.0, index=foods.data.index))
    assert "Food A" in text and "Food C" in text, text
    assert "Food B" not in text and not re.search(r"about 0 g", text), text
    # the two foods left add 180 of the 180.02 kcal: the line says so, and claims no more foods beside that close it
    assert text.startswith("no food mix found closes it") and not re.search(r"more foods? beside|\d more food", text), text
    assert "add about 99% of the 180 kcal missing" in text, text


def test_foods_beside_the_three_named_are_counted():
    """Four foods close the gap: three are named and the fourth counted, "and 1 more food beside"."""
    foods = parse_foods("food_id,name,energy_kcal,serving_g,max_servings,role\n"
                        + "".join(f"{f},Food {f.upper()},{100 - i},100,1,snack\n" for i, f in enumerate("abcd")))
    text = what_closes("energy_kcal", 390, foods, foods)
    assert text.startswith("no 3 foods close it") and text.endswith("a day, and 1 more food beside"), text
    assert all(f"Food {f}" in text for f in "ABC") and "Food D" not in text, text


def _named(text: str, table) -> list[tuple[str, float]]:
    """Each food a suggestion names, with the grams it says."""
    by_name = {name: food for food, name in table.data["name"].items()}
    out = []
    for words, name in re.findall(r"about (.+?) more of (.+?)(?=, about | a day)", text):
        grams = re.search(r"\((\d+) g\)$", words) or re.fullmatch(r"([\d.]+) g", words)
        out.append((by_name[name], float(grams.group(1))))
    return out


@pytest.mark.parametrize("options", [{"budget": 1.6}, {"kcal": 6000}, {"age": 4, "sex": "female", "diet": "vegan"}])
def test_a_plans_suggestions_are_portions_within_what_its_day_leaves(options):
    """Each food a shortfall names is at least the smallest portion a plan serves of it (half a serving more of one
    the day serves already), and what they cost stays within the budget the day leaves; recomputed from the table
    and the plan's items."""
    from planner import make_plan
    from planner.portions import portion_scale, sized_for
    from planner.request import request_from_options
    from planner.targets import estimated_kcal

    request = request_from_options(days=1, **options)
    plan = make_plan(request)
    foods = load_foods()
    # a child's portions are the planner's own: half a household serving is a child's serving
    sized = sized_for(foods, portion_scale(request.profile, estimated_kcal(request.profile))).data
    served = pd.Series([i.grams for i in plan.days[0].items], [i.food_id for i in plan.days[0].items]).groupby(
        level=0).sum()
    spent = sum(i.grams * foods.data.loc[i.food_id, "price_per_100g"] / 100 for i in plan.days[0].items)
    assert plan.shortfalls
    for s in plan.shortfalls:
        assert not re.search(r"about 0 g", s.closes_it), s.closes_it
        named = _named(s.closes_it, foods)
        for food, grams in named:
            least = _smallest_portion_g(sized.loc[food]) - served.get(food, 0.0)
            assert grams >= max(least, sized.loc[food, "serving_g"] / 2) - 0.5, (food, grams, s.closes_it)
        if "budget" not in options:
            continue
        within, _, larger = s.closes_it.partition("a larger budget (")
        cost = sum(g * foods.data.loc[f, "price_per_100g"] / 100 for f, g in _named(within, foods))
        assert spent + cost <= options["budget"] + 0.005, s.closes_it
        if larger:   # what it says a larger budget buys costs what it says beyond what is left
            more = float(re.search(r"for \$([\d.]+) more a day\)", larger).group(1))
            cost = sum(g * foods.data.loc[f, "price_per_100g"] / 100 for f, g in _named(larger, foods))
            assert more == pytest.approx(cost - (options["budget"] - spent), abs=0.011), s.closes_it


def test_a_food_already_at_its_cap_is_not_suggested(table):
    per = _per_serving(table, "magnesium_mg")
    best = per.idxmax()
    served = pd.Series({best: _most_g(table)[best]})
    text = what_closes("magnesium_mg", per[best] / 2, table, table, served)
    assert table.data.loc[best, "name"] not in text
    second = per.drop(best).idxmax()
    assert table.data.loc[second, "name"] in text


def test_no_suggestion_passes_what_a_person_eats_of_a_food(table):
    most = _most_g(table)
    supply = most * table.data["magnesium_mg"] / 100.0
    gap = supply.max() * 1.5  # more than any one food holds at its cap, less than all of them
    text = what_closes("magnesium_mg", gap, table, table)
    assert text.startswith("no one food closes it") and "together" in text
    named = [f for f in table.data.index if table.data.loc[f, "name"] in text]
    assert 2 <= len(named) <= 3
    for food in named:
        assert _grams_named(text, table.data.loc[food, "name"]) <= most[food] + 0.5


def test_a_childs_smaller_cap_is_kept(table):
    per = _per_serving(table, "magnesium_mg")
    best = per.idxmax()
    small = _most_g(table) * 0.25
    gap = per[best]  # one adult serving: more than a quarter of the cap of any food
    text = what_closes("magnesium_mg", gap, table, table, most_g=small)
    for food in table.data.index:
        name = table.data.loc[food, "name"]
        if name in text:
            assert _grams_named(text, name) <= small[food] + 0.5


def test_no_suggestion_passes_what_a_ceiling_leaves(table):
    per = _per_serving(table, "magnesium_mg")
    best = per.idxmax()
    sodium_per_g = table.data["sodium_mg"].fillna(0) / 100.0
    assert sodium_per_g[best] > 0
    # the day's sodium leaves room for a tenth of the richest food's serving: it can no longer be the answer
    left = sodium_per_g[best] * table.data.loc[best, "serving_g"] / 10
    gap = per[best] / 2
    text = what_closes("magnesium_mg", gap, table, table, headroom={"sodium_mg": left})
    assert table.data.loc[best, "name"] not in text or "under the ceilings on sodium" in text
    # every food it names keeps within the sodium left, recomputed from the table
    named = [f for f in table.data.index if table.data.loc[f, "name"] in text]
    assert named
    assert sum(_grams_named(text, table.data.loc[f, "name"]) * sodium_per_g[f] for f in named) <= left * 1.01 + 1
    # foods named together share the sodium left: 60 % of what the unbounded answer adds
    gap = (_most_g(table) * table.data["magnesium_mg"] / 100.0).max() * 1.5

    def sodium_added(text: str) -> float:
        named = [f for f in table.data.index if table.data.loc[f, "name"] in text]
        assert len(named) >= 2, text
        return sum(_grams_named(text, table.data.loc[f, "name"]) * sodium_per_g[f] for f in named)

    left = 0.6 * sodium_added(what_closes("magnesium_mg", gap, table, table))
    assert sodium_added(what_closes("magnesium_mg", gap, table, table, headroom={"sodium_mg": left})) <= left + 1
    # with no sodium left at all, only foods without sodium can close it
    text = what_closes("magnesium_mg", gap, table, table, headroom={"sodium_mg": 0.0})
    for food in table.data.index:
        if table.data.loc[food, "name"] in text:
            assert sodium_per_g[food] == 0


def test_no_suggestion_passes_what_the_budget_leaves(table):
    """A day's budget is one more ceiling: what each named food costs, from the table's prices, stays within it."""
    price_per_g = table.data["price_per_100g"] / 100.0
    gap = (_most_g(table) * table.data["magnesium_mg"] / 100.0).max() * 1.5
    free = what_closes("magnesium_mg", gap, table, table)
    named = [f for f in table.data.index if table.data.loc[f, "name"] in free]
    spent = sum(_grams_named(free, table.data.loc[f, "name"]) * price_per_g[f] for f in named)
    left = spent / 3
    text = what_closes("magnesium_mg", gap, table, table, headroom={BUDGET: left})
    assert "the budget" in text
    within = text.split("a larger budget")[0]   # what the budget buys, not what a larger one would
    named = [f for f in table.data.index if table.data.loc[f, "name"] in within]
    assert sum(_grams_named(within, table.data.loc[f, "name"]) * price_per_g[f] for f in named) <= left * 1.01 + 0.01
    broke = what_closes("magnesium_mg", gap, table, table, headroom={BUDGET: 0.0})
    assert broke.startswith("no food mix allowed closes it") and "a larger budget (" in broke, broke


def test_foods_sharing_a_ceiling_that_cannot_close_the_gap_together_say_so():
    two = parse_foods("food_id,name,magnesium_mg,sodium_mg,serving_g,max_servings,role\n"
                      "a,Food A,50,100,100,1,snack\nb,Food B,50,100,100,1,snack\n")
    # each food alone may add 50 mg under 100 mg of sodium; both together still only 50 mg
    text = what_closes("magnesium_mg", 80, two, two, headroom={"sodium_mg": 100})
    assert text.startswith("no food mix allowed closes it") and "under the ceilings on sodium" in text
    assert "at most 50 mg of the 80 mg missing" in text
    # with room for both, they close it together
    text = what_closes("magnesium_mg", 80, two, two, headroom={"sodium_mg": 200})
    assert "together" in text and "Food A" in text and "Food B" in text


def test_a_gap_no_mix_can_close_says_what_the_sources_advise(table):
    supply = _most_g(table) * table.data["vitamin_d_mcg"].fillna(0) / 100.0
    text = what_closes("vitamin_d_mcg", supply.sum() * 2, table, table)
    assert text.startswith("no food mix allowed closes it")
    assert text.endswith(beyond_food()["vitamin_d"])


def test_a_large_gap_is_said_in_plain_figures(table):
    supply = _most_g(table) * table.data["energy_kcal"] / 100.0
    text = what_closes("energy_kcal", supply.sum() + 2000, table, table)
    assert "e+" not in text and re.search(r"of the \d,\d{3} kcal missing", text), text
    assert [amount_text(v) for v in (14100.4, 1410, 999.6, 123.4, 18.75, 0.1234)] == [
        "14,100", "1,410", "1,000", "123", "18.8", "0.123"]


def test_no_allowed_food_with_b12_names_fortified_foods_or_a_doctor(table):
    vegan = allowed_foods(table, FoodChoice("vegan", exclude=("fortified",)))
    assert (vegan.data["vitamin_b12_mcg"].fillna(0) == 0).all()
    text = what_closes("vitamin_b12_mcg", 1.0, vegan, table)
    assert "fortified" in text and "doctor" in text
    assert table.data.loc["salmon", "name"] in text  # what the diet leaves out is named


def test_added_b12_no_allowed_food_holds_names_fortified_foods_or_a_doctor():
    """Past 50 with fortified foods excluded, no food holds added B12: what closes the gap is what the sources
    advise for B12, not "allow more foods"."""
    foods = load_foods()
    kept = allowed_foods(foods, FoodChoice(exclude=("fortified",)))
    supply = (kept.data["vitamin_b12_added_mcg"].fillna(0) * _most_g(kept) / 100.0).sum()
    text = what_closes("vitamin_b12_added_mcg", supply + 1.0, kept, foods)
    assert text.startswith("no food mix allowed closes it")
    assert text.endswith(beyond_food()["vitamin_b12_added"] + " (your exclusions keep the fortified foods out)")
    assert "fortified" in text and "doctor" in text


def test_advice_beyond_food_never_gives_a_dose():
    for advice in beyond_food().values():
        assert not re.search(r"\d\s*(mg|mcg|µg|ug|iu|units?|g|tablets?|drops?)\b", advice, re.IGNORECASE), advice
        assert "doctor" in advice


def test_advice_beyond_food_cites_the_articles():
    table = pd.read_csv(ROOT / "planner" / "data" / "beyond_food.csv", dtype=str)
    assert "any" in set(table["nutrient"])
    if SOURCES.is_dir():
        for cell in table["source_article"]:
            for name in cell.split("|"):
                assert (SOURCES / name).is_file(), name


def test_a_share_is_closed_by_another_mix(table):
    assert what_closes("fat_pct_kcal", 1.0, table, table).startswith("a different mix of foods")


def test_profile_line_names_the_life_stage_and_the_calories_it_adds():
    request = PlanRequest(make_profile(age=30, sex="female", pregnant=True, trimester=2))
    line = profile_line(request, targets_for_request(request))
    assert "pregnant, 2nd trimester" in line and "+340 kcal" in line
    request = PlanRequest(make_profile(age=30, sex="female", lactating=True))
    line = profile_line(request, targets_for_request(request))
    assert "lactating" in line and "no calories added for lactation" in line


def test_the_deficiency_note_asks_for_a_blood_test_only_when_marked():
    marked = PlanRequest(deficient=("magnesium", "vitamin D"))
    note = target_notes(marked, targets_for_request(marked))
    assert len(note) == 2 and "blood test" in note[0] and "magnesium, vitamin D" in note[0]
    assert "vitamin_d" not in note[0] and "magnesium supplement" in note[1]
    assert target_notes(PlanRequest(), targets_for_request(PlanRequest())) == []
    from_symptoms = PlanRequest(symptoms=("eyelid twitching",))
    assert not any("blood test" in n for n in target_notes(from_symptoms, targets_for_request(from_symptoms)))


def test_a_day_that_can_serve_nothing_says_why(tmp_path):
    """Cooked spinach alone gives over half its calories as protein (AMDR: at most 35 %): no amount of it keeps
    within the ceilings, so the closest day is empty, and the plan says so rather than printing a bare day."""
    from planner import PlanRequest, make_plan, make_profile
    from planner.sources import load_foods

    text = (ROOT / "foods.csv").read_text(encoding="utf-8").splitlines()
    one = tmp_path / "one.csv"
    one.write_text("\n".join([text[0], *(line for line in text if line.startswith("spinach_cooked,"))]) + "\n",
                   encoding="utf-8")
    plan = make_plan(PlanRequest(make_profile(35, "female"), days=1, max_days=1), load_foods(one))
    assert not plan.days[0].items and not plan.is_ok
    assert any(note.startswith("Day 1 serves nothing") for note in plan.notes)


def test_foods_together_name_one_milk_and_no_crumbs():
    """Milks are had daily and one at a time: a gap that needs several foods gets more of one milk beside other
    foods, never a cup of each milk, and no food for the last gram or two after rounding up."""
    from planner.sources import load_foods

    foods = load_foods()
    data = foods.data
    dairy = data.index[data["role"].eq("dairy") & data["vitamin_d_mcg"].gt(0)]
    table = type(foods)(data.loc[dairy], foods.source, foods.nutrients)
    per_day_most = (table.data["max_servings"] * table.data["serving_g"] * table.data["vitamin_d_mcg"] / 100)
    gap = float(per_day_most.max()) * 1.5      # more than any one food gives: several together
    text = what_closes("vitamin_d_mcg", gap, table, foods)
    assert "together" in text or "the most of it comes from" in text, text
    milks = [name for name in table.data.loc[table.data["max_days"].ge(7), "name"] if f"of {name}" in text]
    assert len(milks) == 1, text
    assert not re.search(r"about \d+ g more", text), text


def _fat_share(table, text: str, kcal: float, fat_g: float) -> float:
    """Fat's % of calories once the foods the text names are added to a day of `kcal` and `fat_g`."""
    for food in table.data.index:
        if table.data.loc[food, "name"] in text:
            grams = _grams_named(text, table.data.loc[food, "name"])
            kcal += grams * table.data.loc[food, "energy_kcal"] / 100
            fat_g += grams * table.data.loc[food, "fat_g"] / 100
    return 100 * 9 * fat_g / kcal


def test_no_suggestion_passes_what_a_share_ceiling_leaves_and_a_lean_food_makes_room():
    # made-up foods: "nuts" are 75 % fat by calories, "bread" 11 %; the day sits on fat's 35 % ceiling
    foods = parse_foods("food_id,name,energy_kcal,fat_g,serving_g,max_servings,role\n"
                        "nuts,Nuts,600,50,30,3,snack\nbread,Bread,250,3,40,3,starch\n")
    day_kcal, day_fat = 1800.0, 70.0
    fat = {"headroom": {"fat_pct_kcal": 0.35 * day_kcal - 9 * day_fat}, "share_ceilings": {"fat_pct_kcal": 35.0}}
    # unbounded, nuts close 100 kcal alone; under the ceiling they cannot, and bread does
    assert "Nuts" in what_closes("energy_kcal", 100, foods, foods)
    text = what_closes("energy_kcal", 100, foods, foods, **fat)
    assert "Bread" in text and "Nuts" not in text, text
    assert _fat_share(foods, text, day_kcal, day_fat) <= 35 + 1e-9
    # 400 kcal is more than bread's most (300 kcal); the room bread makes lets some nuts in beside it
    text = what_closes("energy_kcal", 400, foods, foods, **fat)
    assert "together" in text and "Bread" in text and "Nuts" in text, text
    assert _fat_share(foods, text, day_kcal, day_fat) <= 35 + 1e-9
    # beyond what bread and the nuts its room allows can add (300 + 72.6 / 2.4 x 6 kcal), no mix closes it
    text = what_closes("energy_kcal", 600, foods, foods, **fat)
    assert text.startswith("no food mix allowed closes it") and "under the ceilings on fat % of kcal" in text, text
    assert "at most 482 kcal" in text, text
    # calories are not a deficiency a supplement is for: more foods close them
    assert text.endswith("allow more foods (fewer exclusions, or a larger food table)"), text
    assert "supplement" not in text


def test_a_missing_value_says_which_way_it_moves_a_total_or_a_share():
    """A food with no grains counted as 0 of them makes whole grains' share of grains look higher than it is;
    with no whole grains, lower; an amount (magnesium) only ever lower."""
    table = load_foods()
    data = table.data.copy()
    grains = data.index[data["grains_oz_eq"].fillna(0) > 0][:2]
    data.loc[grains[0], "grains_oz_eq"] = None
    data.loc[grains[1], "whole_grains_oz_eq"] = None
    data.loc[grains[1], "magnesium_mg"] = None
    edited = FoodTable(data, table.source, table.nutrients)
    targets = pd.DataFrame({"nutrient": ["whole_grains_pct_grains", "magnesium_mg"]})
    first, second, both = (missing_value_notes(edited, used, targets) for used in ([grains[0]], [grains[1]],
                                                                                   list(grains)))
    name = data.at[grains[0], "name"]
    expected = f"whole grains % of grains: no value in the food table for {name}; counted as 0, so the true share "
    assert first == [expected + "may be lower"]
    assert second[0].endswith("true share may be higher") and second[1].endswith("true total may be higher")
    assert both[0].endswith("true share may be higher or lower")


def test_a_table_with_no_prices_says_every_food_had_one_stand_in_price(table):
    data = table.data.assign(price_per_100g=float("nan"))
    unpriced = FoodTable(data, table.source, table.nutrients)
    cost, missing = cost_per_100g(unpriced)
    assert (cost == NO_PRICES_PER_100G).all()
    (note,) = unpriced_notes(unpriced, list(data.index[:2]), missing)
    assert f"the one stand-in price of ${NO_PRICES_PER_100G:g} per 100 g" in note and "aisle" not in note


def test_a_column_with_no_value_at_all_is_not_a_limit_met_at_0(tmp_path):
    """SR Legacy's extract has no saturated fat: a column of empty cells is not 0 g in every food. Its limit is
    left out and said to be, as for a column the table lacks, and no day's total claims 0 g of it."""
    from planner import make_plan
    from planner.request import request_from_options
    data = pd.read_csv(ROOT / "foods.csv", dtype=str, keep_default_na=False)
    data["saturated_fat_g"] = ""
    path = tmp_path / "no_saturated_fat.csv"
    data.to_csv(path, index=False)
    plan = make_plan(request_from_options(days=1, foods=str(path)))
    assert "saturated_fat_pct_kcal" not in set(plan.targets["nutrient"])
    assert any("has no values for saturated fat % of kcal" in n for n in plan.notes), plan.notes
    assert not any(n.startswith("saturated fat") for n in plan.notes)
    assert all("saturated_fat_g" not in d.totals for d in plan.days)


def test_a_missing_value_under_a_ceiling_says_the_ceiling_holds_on_known_values_only():
    """Vitamin D has a UL: a planned food with no value for it leaves the UL kept on the values known, and the note
    says so; magnesium from food has no ceiling, so its note does not."""
    table = load_foods()
    data = table.data.copy()
    food = data.index[data["vitamin_d_mcg"].fillna(0) > 0][0]
    data.loc[food, ["vitamin_d_mcg", "magnesium_mg"]] = None
    edited = FoodTable(data, table.source, table.nutrients)
    targets = targets_for_request(PlanRequest()).table
    notes = missing_value_notes(edited, [food], targets)
    vitamin_d = next(n for n in notes if n.startswith("vitamin D:"))
    magnesium = next(n for n in notes if n.startswith("magnesium:"))
    assert vitamin_d.endswith("may be higher; its ceiling is kept on the known values only")
    assert magnesium.endswith("true total may be higher")


def test_a_share_outside_a_band_never_reads_as_its_edge():
    assert percent_beside(0.453, 0.25, 0.45) == "45.3%"
    assert percent_beside(0.47, 0.25, 0.45) == "47%"
    assert percent_beside(0.246, 0.25, 0.45) == "24.6%"


def test_what_the_foods_add_is_said_to_the_decimals_of_the_short_figure():
    """0.0539 mg of B6 missing reads "0.1 mg short" on the SHORT line: the foods' 0.0509 mg is not said to three
    figures beside it, nor as "0.1 mg of the 0.1 mg", which would read as closing it: it is a share of the gap."""
    one = parse_foods("food_id,name,vitamin_b6_mg,serving_g,max_servings,role\nbran,Bran,0.0509,100,1,snack\n")
    text = what_closes("vitamin_b6_mg", 0.0539, one, one)
    assert text.startswith("no food mix allowed closes it"), text
    percent = int(100 * 0.0509 / 0.0539)
    assert f"add at most {percent}% of the 0.1 mg missing" in text and "0.05" not in text, text
    # a part that reads apart from the gap keeps its figure, to the same decimals: 24.47 mg short reads "24 mg"
    text = what_closes("vitamin_b6_mg", 24.47, parse_foods(
        "food_id,name,vitamin_b6_mg,serving_g,max_servings,role\nbran,Bran,15.68,100,1,snack\n"), one)
    assert "add at most 16 mg of the 24 mg missing" in text, text


def test_a_short_line_says_the_missing_amount_as_its_short_figure():
    """A vegan girl of 4: vitamin D "6.2 mcg short" was "6.21 mcg missing" in the same line, beside "at most 4.53
    mcg" (`planner day --budget 2.5` had B6 "0.1 mg short" beside "0.0539 mg missing")."""
    from planner import make_plan
    from planner.render import shortfall_lines
    from planner.request import request_from_options

    plan = make_plan(request_from_options(age=4, sex="female", diet="vegan", days=1))
    lines = [line for line in shortfall_lines(plan) if "missing" in line]
    assert lines, shortfall_lines(plan)
    for line in lines:
        short = re.search(r", ([\d,.]+ \w+) short\. ", line).group(1)
        missing = re.search(r"of the ([\d,.]+ \w+) missing", line).group(1)
        assert missing == short, line
        most = re.search(r"add at most ([\d,.]+) \w+ of", line)
        if most:   # to a tenth below 10, as the SHORT figures are, or to the short figure's decimals
            decimals = len(short.split()[0].partition(".")[2])
            assert len(most.group(1).partition(".")[2]) <= max(1, decimals), line


def test_advice_of_fortified_foods_says_when_the_exclusions_keep_them_out():
    """The sources' first advice for vitamin D and B12 is fortified foods: a person who excluded them is told so."""
    from planner import make_plan
    from planner.request import request_from_options
    plan = make_plan(request_from_options(days=1, diet="vegan", exclude=("soy", "fortified")))
    lines = {s.nutrient: s.closes_it for s in plan.shortfalls}
    assert lines["vitamin_d_mcg"].startswith("no food mix allowed closes it") and "foods fortified with vitamin D" in \
        lines["vitamin_d_mcg"]
    assert lines["vitamin_d_mcg"].endswith("(your exclusions keep the fortified foods out)")
    kept = make_plan(request_from_options(days=1, diet="vegan", exclude=("soy",)))
    assert not any("your exclusions keep" in s.closes_it for s in kept.shortfalls)


def test_with_dairy_left_out_a_food_cooked_with_an_unnamed_solid_fat_says_to_cook_it_with_oil():
    """"Kale, cooked, fat added" carries no dairy tag, yet USDA's recipe holds solid fat (FPED), perhaps butter;
    split peas "fat added" hold none, and "Brown rice, cooked with oil" names its fat."""
    table = load_foods()
    data = table.data
    assert data.at["kale_cooked", "solid_fats_g"] > 0 and "dairy" not in data.at["kale_cooked", "tags"]
    assert data.at["split_peas", "solid_fats_g"] == 0
    # an omelet's solid fat is mostly the egg's own (FPED counts it too): no word on butter for it
    assert data.at["omelet_greens", "solid_fats_g"] > 0 and "fat added" in data.at["omelet_greens", "usda_description"]
    used = ["kale_cooked", "split_peas", "brown_rice", "kale_cooked", "omelet_greens"]
    (note,) = unnamed_fat_note(FoodChoice(exclude=("dairy",)), table, used)
    assert note.startswith(f"Cooked with a fat not named ({data.at['kale_cooked', 'name']}):"), note
    assert "cook with oil" in note
    assert unnamed_fat_note(FoodChoice(exclude=("nuts",)), table, used) == []


def test_a_served_food_whose_values_have_no_source_is_named():
    """Every value has a source: a table may leave one out, and a plan resting on it says so (it had not)."""
    table = load_foods()
    assert unsourced_notes(table, list(table.data.index)) == []   # the embedded table sources every value
    data = table.data.copy()
    data.loc["salmon_canned", ["nutrient_source", "food_code", "price_source"]] = ""
    data.loc["tofu", "price_source"] = ""
    edited = FoodTable(data, "mine.csv", table.nutrients)
    nutrient_note, price_note = unsourced_notes(edited, ["salmon_canned", "tofu", "banana"])
    salmon, tofu = data.at["salmon_canned", "name"], data.at["tofu", "name"]
    assert nutrient_note.startswith(f"mine.csv gives no source for the nutrient values of {salmon} (")
    assert price_note.startswith(f"mine.csv gives no source for the price of {salmon}; {tofu} (")
    assert price_note.endswith("rests on them unchecked")
    data.loc["salmon_canned", "food_code"] = table.data.at["salmon_canned", "food_code"]   # an id is a source
    assert len(unsourced_notes(FoodTable(data, "mine.csv", table.nutrients), ["salmon_canned"])) == 1


def test_where_no_food_can_be_taken_under_the_ceilings_no_empty_mix_is_said():
    """Each food's least portion passes what sodium or vitamin D leave: "( a day add less than 1% of the 0.2 mg
    missing)" had been said, a mix of no foods."""
    foods = load_foods()
    allowed = foods.subset(["greek_yogurt_fruit", "grilled_cheese", "shrimp_vegetables", "cottage_cheese",
                            "raisin_bran", "baked_potato"])
    text = what_closes("magnesium_mg", 0.2, allowed, foods, headroom={"sodium_mg": 50.0, "vitamin_d_mcg": 1.0})
    assert text.startswith("no food mix found closes it within what people eat of it a day and under the ceilings "
                           "on sodium and vitamin D: "), text
    assert "( a day" not in text and " add " not in text


def test_a_tag_no_food_carries_is_said_to_remove_nothing_and_not_said_left_out():
    """A table tagged for other things served peanut butter with --exclude peanuts, saying peanuts were left out."""
    table = load_foods()
    data = table.data.copy()
    data["tags"] = [tuple(t for t in tags if t != "peanuts") for tags in data["tags"]]
    untagged = FoodTable(data, "mine.csv", table.nutrients)
    notes = allergen_notes(untagged, FoodChoice(exclude=("peanuts", "fish")))
    assert notes[0].startswith("No food in mine.csv is tagged 'peanuts', so leaving it out removed nothing")
    assert notes[1].startswith("Left out by tag (fish):"), notes
    assert len(notes) == 2
    assert allergen_notes(table, FoodChoice(exclude=("peanuts",)))[0].startswith("Left out by tag (peanuts):")
    pescatarian = FoodTable(data.assign(tags=[tuple(t for t in tags if t != "meat") for tags in data["tags"]]),
                            "mine.csv", table.nutrients)
    assert allergen_notes(pescatarian, FoodChoice(diet="pescatarian"))[0].startswith(
        "No food in mine.csv is tagged 'meat'")
