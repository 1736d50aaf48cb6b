"""A plan's amounts read in household words: servings of a measure are said in that measure, and of an item
in its count."""

from __future__ import annotations

import re
from fractions import Fraction

import pandas as pd
import pytest

from planner import PlanRequest, make_plan, make_profile, render
from planner.closing import what_closes
from planner.household import portion_words
from planner.sources import load_foods


@pytest.mark.parametrize("servings, label, words", [
    (1, "1 cup", "1 cup"),
    (1, "1 small can (3.25 oz), drained", "1 small can (3.25 oz), drained"),
    (2, "1 cup", "2 cups"),
    (0.75, "1 cup", "3/4 cup"),
    (1.5, "1 cup, cooked", "1 1/2 cups, cooked"),
    (1.5, "1/4 cup", "3/8 cup"),
    (2, "1/2 cup", "1 cup"),
    (1.5, "1/2 cup, packed", "3/4 cup, packed"),
    (1.5, "1-1/2 cup", "2 1/4 cups"),
    (2, "1 1/2 cups", "3 cups"),
    (1.5, "3 oz", "4.5 oz"),
    (1.5, "1/2 oz", "0.75 oz"),
    (1.5, "1 oz, without shell", "1.5 oz, without shell"),
    (6.5, "1 fl oz (no ice)", "6.5 fl oz (no ice)"),
    (2, "5 tbsp", "10 tbsp"),
    (0.3, "1 tsp", "0.3 tsp"),   # no half, third or eighth of a spoon: decimals
    (2.5, "100 g", "250 g"),
    # Items in their count, where the label is plain words of a noun the tables' servings use.
    (2, "1 banana", "2 bananas"),
    (2, "1 regular carrot", "2 regular carrots"),
    (1.5, "1 sandwich", "1 1/2 sandwiches"),
    (0.5, "1 large or thick slice", "1/2 large or thick slice"),
    (2.5, "1 leaf", "2 1/2 leaves"),
    (2, "1 medium patty", "2 medium patties"),
    (2, "1 medium", "2 medium"),
    (2, "1 order", "2 x 1 order"),
    # FNDDS's "not further specified" is the survey's note, not the cook's.
    (1.5, "1 piece, NFS", "1 1/2 pieces"),
    (1, "1 piece, NFS", "1 piece"),
    (2, "1 jar, NFS", "2 jars"),
    (1.5, "1 oz, without shell, NS as to form", "1.5 oz, without shell"),
    (1, "1 oz, without shell, NS as to form", "1 oz, without shell"),
    (1.5, "10 strip", "1.5 x 10 strip"),
    (1.5, "16 crackers 1 serving", "1.5 x 16 crackers 1 serving"),
    # An item with its size: the count scales, the size stays each one's.
    (1.5, "1 small can (3.25 oz), drained", "1 1/2 small cans (3.25 oz each), drained"),
    (0.5, "1 small can (3.25 oz), drained", "1/2 of a small can (3.25 oz), drained"),
    (2, "1 bottle (8 fl oz)", "2 bottles (8 fl oz each)"),
    (1.5, "1 6 oz container", "1 1/2 containers (6 oz each)"),
    (0.5, "1 5.3 oz container", "1/2 of a 5.3 oz container"),
    (2, "1 cubic inch", "2 cubic inches"),
    (2, "1 juice box/pouch (6.75 fl oz)", "2 juice boxes/pouches (6.75 fl oz each)"),
    (3.5, "1 slice/chunk", "3 1/2 slices/chunks"),
    (2, '1 medium (2-3/4" dia)', '2 x 1 medium (2-3/4" dia)'),   # a size said alone, its bracket no amount of it
    # Numbers in the other words would be misstated once scaled.
    (1.5, "3/4 cup (1 NLEA serving)", "1.5 x 3/4 cup (1 NLEA serving)"),
    # The same amount in another measure is scaled too, where it says something plain.
    (1.5, "1 cup (8 fl oz)", "1 1/2 cups (12 fl oz)"),
    (2, "1/2 cup (4 fl oz)", "1 cup (8 fl oz)"),
    (2, "2 tbsp (1/8 cup)", "4 tbsp (1/4 cup)"),
    (0.5, "2 tbsp (1/8 cup)", "1 tbsp"),
    (1.5, "3 oz (3 oz)", "4.5 oz"),
    # The size of the pieces stays.
    (1.5, '1 cup (1" pieces)', '1 1/2 cups (1" pieces)'),
    (2, "1 tablespoon", "2 tablespoons"),
    (0.5, "1 tablespoon", "1/2 tablespoon"),
    (1.5, "5 tbsp", "7 1/2 tbsp"),
    (1.5, "1 tbsp chopped", "1 1/2 tbsp chopped"),
    (1.5, "1 oz (22 whole kernels)", "1.5 x 1 oz (22 whole kernels)"),
    (1.5, "1/2 cup From 19211", "1.5 x 1/2 cup From 19211"),
    # Counted though words follow, or two nouns name it; a pound is a measure (had read "0.5 x 1 quesadilla, any
    # size", "1 1/2 cake or patties", "1 x 1 lb").
    (0.5, "1 quesadilla, any size", "1/2 quesadilla, any size"),
    (1.5, "1 medium wedge/slice", "1 1/2 medium wedges/slices"),
    (1.5, "1 cake or patty", "1 1/2 cakes or patties"),
    (2, "1 lb", "2 lb"),
    (0.5, "1 lb", "1/2 lb"),
    (2, "1 large taco or tostada", "2 large tacos or tostadas"),
    (1.5, "1 order, with sauce", "1.5 x 1 order, with sauce"),
    # A cup that is no eighth or third of one: no cook measures 6.3 cups.
    (6.3, "1 cup", "6.3 x 1 cup"),
])
def test_portion_words(servings, label, words):
    assert portion_words(servings, label) == words


# An amount as the words say it ("2", "1.5", "1 1/2", "3/8"), then a measure or an item's words.
AMOUNT = r"^(?:(\d+(?:\.\d+)?)(?: (\d+)/(\d+))?|(\d+)/(\d+)) "
MEASURE = re.compile(AMOUNT + r"(cups?|tablespoons?|teaspoons?|fl oz|oz|tbsp|tsp|g)\b")
COUNT = re.compile(AMOUNT + r"([a-z])")


def _amount(found: re.Match) -> Fraction:
    whole, num, den, only_num, only_den = found.groups()[:5]
    if only_num:
        return Fraction(int(only_num), int(only_den))
    return Fraction(whole) + (Fraction(int(num), int(den)) if num else 0)


def _read(words: str) -> tuple[Fraction, str] | None:
    """An amount and its measure, read back from words such as '1 1/2 cups, cooked' or '3/8 cup'."""
    found = MEASURE.match(words)
    if not found:
        return None
    unit = found[6]
    return _amount(found), unit[:-1] if unit.endswith("s") and unit != "fl oz" else unit


@pytest.mark.parametrize("table", ["fndds", "sr-legacy"])
def test_the_words_of_a_week_give_back_each_items_grams(table):
    """Read back as a cook would measure it, each amount said in a measure weighs what the plan says (the
    serving's grams per amount of its label): servings are cups, fluid ounces, ounces, grams and items."""
    foods = load_foods(table)
    plan = make_plan(PlanRequest(make_profile(age=35, sex="female"), days=7), foods)
    text = render(plan, "md")   # a terminal table cuts long portions; Markdown has them whole
    said = 0
    for day in plan.days:
        for item in day.items:
            assert item.portion in text
            words, label = _read(item.portion), _read(item.serving_label)
            if item.servings == 1:
                assert item.portion == item.serving_label
            elif words is None:
                # An item: its count read back is the servings, or the servings stand in front of its label.
                count = COUNT.match(item.portion)
                assert item.portion == f"{item.servings:g} x {item.serving_label}" or (
                    count and item.serving_label.startswith("1 ") and _amount(count) == pytest.approx(item.servings)), \
                    (item.portion, item.serving_label, item.servings)
            else:
                assert label is not None and words[1] == label[1], (item.portion, item.serving_label)
                grams = float(words[0] / label[0]) * foods.data.loc[item.food_id, "serving_g"]
                assert grams == pytest.approx(item.grams, abs=0.5), (item.portion, item.serving_label, item.grams)
                said += 1
    assert said >= 5    # the week says some amounts in their measure: the test reads what it means to


def test_what_closes_a_gap_says_a_measure_in_it_and_its_grams_once():
    """A suggestion of milk for calcium reads "about 3/4 cup (183 g) more of ...", not "0.75 x 1 cup"."""
    foods = load_foods()
    allowed = foods.subset(["milk_skim"])
    milk = allowed.data
    per_cup = float(milk["calcium_mg"].iloc[0] * milk["serving_g"].iloc[0] / 100)
    # half a cup served already: the day may gain the 3/4 cup it takes, less than a new portion (a cup)
    text = what_closes("calcium_mg", 0.7 * per_cup, allowed, foods, pd.Series({"milk_skim": 122.0}))
    assert re.search(r"about 3/4 cup \((\d+) g\) more of ", text), text
    assert float(re.search(r"\((\d+) g\)", text).group(1)) == pytest.approx(0.75 * milk["serving_g"].iloc[0], abs=0.5)
