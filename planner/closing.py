"""What would close a shortfall: one food or a few together, within what a person eats of a food a day.

A floor the plan misses gets one sentence: the richest food that can close it alone, else
the fewest foods together, each amount in household words (`household.portion_words`) and
within what the day's ceilings leave (sodium, calories, a UL, a share of calories, the
budget). Where no mix of the allowed foods can, what the health sources advise instead
(`beyond_food.csv`): fortified foods, or a supplement chosen with a doctor; never a dose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from planner import nutrients
from planner.blocks import amount, gap_decimals
from planner.files import data_path
from planner.foods import FoodTable
from planner.household import measure_of, portion_words
from planner.portions import least_added_g
from planner.targets import share_parts


# A suggestion in household servings is rounded up to this step; below it, it is given in grams.
SERVING_STEP = 0.25
# A combination that closes a gap names at most this many foods.
MOST_FOODS_COMBINED = 3


@cache
def beyond_food() -> dict[str, str]:
    """What the health sources say closes a gap food cannot (`beyond_food.csv`): DRI name -> advice, `any` for the
    rest. Never a dose."""
    table = pd.read_csv(data_path("beyond_food.csv"), dtype=str, keep_default_na=False)
    return dict(zip(table["nutrient"], table["advice"]))


# A day's budget, as one more ceiling a suggestion keeps under: what is left of it, over the price per 100 g.
BUDGET = "price_per_100g"

# What closes a gap in calories, fiber or a food group that the allowed foods cannot: no supplement is for those.
MORE_FOODS = "allow more foods (fewer exclusions, or a larger food table)"


def _beyond(nutrient: str, fortified_excluded: bool = False) -> str:
    advice = beyond_food()
    dri_name = nutrients.registry()[nutrient].dri_name if nutrient in nutrients.registry() else ""
    if not dri_name:   # a nutrient the DRI table does not name may have a row of its own (B12 added to foods)
        said = advice.get(nutrient.rsplit("_", 1)[0], MORE_FOODS)
    else:
        said = advice.get(dri_name, advice["any"])
    # The sources' first advice is fortified foods: a person who excluded them is told that is what keeps them out.
    if fortified_excluded and said.startswith("foods fortified"):
        said += " (your exclusions keep the fortified foods out)"
    return said


def what_closes(nutrient: str, gap: float, allowed: FoodTable, foods: FoodTable, served: pd.Series | None = None,
                most_g: pd.Series | None = None, headroom: dict[str, float] | None = None,
                share_ceilings: dict[str, float] | None = None, kept_off: frozenset[str] = frozenset(),
                least_g: pd.Series | None = None) -> str:
    """One sentence on what would close a gap, within what a person eats of a food in a day.

    `most_g` is the most of each allowed food a day, in grams (the table's `max_servings` servings unless given:
    a child's are smaller); `served` is what the plan already serves of each, which comes off it. `headroom` is
    what the day's ceilings leave: a plain amount's (sodium, calories, a UL, the budget's dollars as `BUDGET`) by
    column, and a share's (fat % of kcal) by its name, as its numerator may still grow beside the ceiling's part
    of the whole (`share_room`), with the ceiling in % in `share_ceilings`. No suggestion passes one, nor names a
    food in `kept_off` (the variety rule's: its days this week are used up). `least_g` is the least of each food a
    person would add, in grams: what a plan would serve (`portions.least_added_g`, the default: a portion, not
    0.4 g of a cereal); a food whose least passes what is left of it is not named. One food when one can close the
    gap, else a few together; when the allowed foods cannot, what the health sources advise, and where the budget
    holds them back, what a larger one would buy and for how much more.
    """
    if nutrient not in foods.nutrients:
        return "a different mix of foods (this is a share of a whole); try another calorie level or fewer exclusions"
    data = allowed.data
    fortified = foods.data["tags"].map(lambda tags: "fortified" in tags)
    fortified_excluded = bool(fortified.any()) and not bool(fortified.reindex(data.index).fillna(False).any())
    per_g = (data[nutrient] / 100.0).where(data["role"] != "ingredient").dropna()
    per_g = per_g[per_g > 0]
    if per_g.empty:
        others = foods.per_serving(nutrient).drop(data.index, errors="ignore").dropna()
        others = others[(others > 0) & (foods.data.loc[others.index, "role"] != "ingredient")]
        others = others.sort_values(ascending=False)
        if others.empty:
            return f"no food in this table supplies it: {_beyond(nutrient, fortified_excluded)}"
        names = ", ".join(foods.data.loc[others.index[:3], "name"])
        return (f"no food your diet and exclusions allow supplies it (foods they leave out do: {names}): "
                f"{_beyond(nutrient, fortified_excluded)}")
    most = (most_g if most_g is not None else data["max_servings"] * data["serving_g"]).reindex(per_g.index)
    already = (served if served is not None else pd.Series(dtype=float)).reindex(per_g.index).fillna(0.0)
    least = (least_g if least_g is not None else least_added_g(data, served=already)).reindex(per_g.index).fillna(0.0)
    # Amounts are said in steps of a serving, so the least is one too: no step below it is ever said.
    step_g = SERVING_STEP * data.loc[per_g.index, "serving_g"]
    least = least.where(least <= 0, np.ceil(least / step_g - 1e-9) * step_g)
    room = (most - already).clip(lower=0.0)
    room = room.where(room >= least - 1e-6, 0.0)
    every_day_room = room.copy()
    room[room.index.intersection(list(kept_off))] = 0.0
    # What each ceiling leaves, and how much of it a gram of each food takes.
    contents = {c: _content(data.loc[per_g.index], c, (share_ceilings or {}).get(c)) for c in headroom or {}}
    left_under = {c: max(float(v), 0.0) for c, v in (headroom or {}).items() if contents[c] is not None and pd.notna(v)}
    contents = {c: contents[c] for c in left_under}
    mix = _take(gap, data, per_g, room, least, contents, left_under)
    if mix.alone:
        return f"{mix.said[0]} a day"
    reach = _most_added(per_g, room, least, contents, left_under)
    # The variety rule is named only where it holds the foods back: they would add more on a day they were free.
    variety = _most_added(per_g, every_day_room, least, contents, left_under) > reach * (1 + 1e-6) + 1e-9
    names = [nutrients.label(c) for c in sorted(mix.bound_by - {BUDGET})]
    held = listed([*([f"the ceilings on {listed(names)}"] if names else []),
                   *(["the budget"] if BUDGET in mix.bound_by else [])]) if mix.bound_by else ""
    within = listed(["what people eat of it a day", *(["the days this week leaves each food"] if variety else []),
                     *([f"under {held}"] if held else [])])
    unit = nutrients.unit(nutrient)
    larger_budget = _larger_budget(gap, data, per_g, room, least, contents, left_under) \
        if BUDGET in mix.bound_by else ""
    if reach < gap * (1 - 1e-6):
        added = ("every allowed food that has it is already at what people eat of it a day"
                 + (" or on as many days this week as it may be" if variety else "")
                 + (f" or held back by {held}" if held else "") if reach <= gap * 1e-6 else
                 f"within {within}, the allowed foods add {part_of_gap(reach, gap, unit)} missing")
        return f"no food mix allowed closes it ({added}): {larger_budget}{_beyond(nutrient, fortified_excluded)}"
    beside = len(mix.grams) - len(mix.said)
    foods_beside = f"{beside} more food{'s' if beside > 1 else ''}"
    if mix.left <= gap * 1e-6:
        if not beside:
            return f"no one food closes it within {within}; together: {', '.join(mix.said)} a day"
        return (f"no {MOST_FOODS_COMBINED} foods close it within {within}; the most of it comes "
                f"from {', '.join(mix.said)} a day, and {foods_beside} beside")
    # Taken richest first, the foods share the ceilings out before the gap closes; another mix might close it, so
    # what they add is said, not a bound.
    # Taken none at all (each one's least passes a ceiling), there is no mix to say: "( a day add ...)" was said.
    taken = ", ".join(mix.said) + " a day" + (f" and {foods_beside}" if beside else "")
    added = f" ({taken} add {part_of_gap(gap - mix.left, gap, unit, 'about')} missing)" if mix.grams else ""
    return f"no food mix found closes it within {within}{added}: {larger_budget}{_beyond(nutrient, fortified_excluded)}"


@dataclass
class _Mix:
    """Foods taken for a gap: the first few as said, every one's grams, and what is still missing."""

    said: list[str] = field(default_factory=list)
    grams: dict[str, float] = field(default_factory=dict)
    left: float = 0.0
    alone: bool = False                                    # one food closes it
    bound_by: set[str] = field(default_factory=set)        # the ceilings that held a food back


def _take(gap: float, data: pd.DataFrame, per_g: pd.Series, room: pd.Series, least: pd.Series,
          contents: dict[str, pd.Series], left_under: dict[str, float], price_per_g: pd.Series | None = None) -> _Mix:
    """One food when one closes the gap alone (the richest per serving), else the foods that add the most first,
    each as much as it may be (the first few as said, rounded to a step), until the gap closes or none can add
    more. With `price_per_g`, the cheapest way instead: the food that closes it alone for the least, else the
    foods by how much of it a dollar buys (an unpriced food last, its cost unknown)."""
    left_under = dict(left_under)
    mix = _Mix(left=gap)

    def most_of(f: str) -> float:
        """The most of food f a day, within what people eat of it and what every ceiling still leaves."""
        most_f = float(room[f])
        for c, content in contents.items():
            if content[f] > 0 and left_under[c] / content[f] <= most_f:
                most_f = left_under[c] / content[f]
                mix.bound_by.add(c)
        return most_f if most_f >= least[f] - 1e-6 else 0.0

    supply = pd.Series({f: most_of(f) for f in per_g.index}, dtype=float) * per_g
    if price_per_g is None:
        alone = (per_g * data.loc[per_g.index, "serving_g"]).sort_values(ascending=False).index
        order = supply.sort_values(ascending=False).index
    else:
        alone = (np.maximum(gap / per_g, least) * price_per_g).sort_values(na_position="last").index
        order = (per_g / price_per_g).sort_values(ascending=False, na_position="last").index
    # Said in steps, a food's last step may not fit what is left of it: one whose amount as said closes the gap
    # comes first, else the first that comes within a step of it.
    near = None
    for f in (f for f in alone if supply[f] >= gap):
        text, grams = _amount(f, max(gap / per_g[f], least[f]), supply[f] / per_g[f], data)
        if grams <= 0:
            continue
        one = _Mix([text], {f: grams}, max(gap - grams * per_g[f], 0.0), True, mix.bound_by)
        if one.left <= gap * 1e-6:
            return one
        near = near or one
    if near is not None:
        return near
    kinds = set()
    daily = data["max_days"].ge(7) if "max_days" in data else pd.Series(False, index=data.index)
    for f in order:
        if mix.left <= gap * 1e-6:
            break
        # Foods people have daily (the milks) are one of a kind: more of one milk, never a cup of each.
        kind = data.at[f, "role"] if daily.get(f, False) else None
        if kind is not None and kind in kinds:
            continue
        most_f = most_of(f)   # foods named together share what each ceiling leaves
        if most_f * per_g[f] <= gap * 1e-6:
            continue
        grams = max(min(most_f, mix.left / per_g[f]), least[f])
        if len(mix.said) < MOST_FOODS_COMBINED:
            text, grams = _amount(f, grams, most_f, data)
            if grams <= 0:   # an amount that reads as 0 g adds nothing a person could serve
                continue
            mix.said.append(text)
        mix.left -= grams * per_g[f]   # as said: rounded to the step, so no crumb of a third food follows
        for c, content in contents.items():
            left_under[c] -= grams * content[f]
        mix.grams[f] = grams
        kinds.add(kind)
    return mix


def _larger_budget(gap: float, data: pd.DataFrame, per_g: pd.Series, room: pd.Series, least: pd.Series,
                   contents: dict[str, pd.Series], left_under: dict[str, float]) -> str:
    """Where the budget keeps the foods from closing the gap: what closes it for the least beyond what the budget
    leaves, within every other ceiling (`a larger budget (about 1/2 cup, cooked (82 g) more of White rice a day
    closes it for $0.08 more a day), or `); a budget is the person's to raise, a UL is not. Only `a larger
    budget, or ` when no few priced foods close it."""
    others = {c: content for c, content in contents.items() if c != BUDGET}
    price_per_g = data.loc[per_g.index, BUDGET] / 100.0
    mix = _take(gap, data, per_g, room, least, others, {c: left_under[c] for c in others}, price_per_g)
    if (mix.left > gap * 1e-6 and not mix.alone) or len(mix.grams) > len(mix.said) or \
            price_per_g[list(mix.grams)].isna().any():
        return "a larger budget, or "
    cost = sum(grams * price_per_g[f] for f, grams in mix.grams.items())
    more = math.ceil(100 * max(cost - left_under[BUDGET], 0.0) - 1e-6) / 100
    return (f"a larger budget ({', '.join(mix.said)} a day {'closes' if len(mix.said) == 1 else 'close'} it for "
            f"${more:.2f} more a day), or ")


def part_of_gap(part: float, gap: float, unit: str, how: str = "at most") -> str:
    """`at most 5.7 mg of the 12 mg`: both figures to the decimals the SHORT line gives the gap
    (`blocks.gap_decimals`), so the missing amount reads as it does there. A part that would read as the whole gap
    or as nothing at those decimals is said as a share of it instead: `at most 94% of the 0.1 mg`, not `0.1 mg of
    the 0.1 mg`. `how` is "at most" for a bound, "about" for what a mix found adds."""
    decimals = gap_decimals(gap)
    whole, said = amount(gap, unit, decimals), amount(part, unit, decimals)
    if said not in (whole, amount(0.0, unit, decimals)):
        return f"{how} {said} of the {whole}"
    # Floored: a part short of the gap never reads as 100 %.
    percent = math.floor(100.0 * part / gap)
    return f"{f'{how} {percent}%' if percent >= 1 else 'less than 1%'} of the {whole}"


def share_room(ceiling_pct: float, factor: float, numerator: float, whole: float) -> float:
    """What a share's ceiling leaves (fat at most 35 % of kcal): how much more `factor` x the numerator may grow
    beside `ceiling_pct` % of the whole; a food adds factor x its numerator less the ceiling's part of its whole."""
    return ceiling_pct / 100.0 * whole - factor * numerator


def _content(data: pd.DataFrame, ceiling: str, ceiling_pct: float | None) -> pd.Series | None:
    """How much of what a ceiling leaves a gram of each food takes (less than 0: it makes room); None when the
    table cannot say."""
    share = share_parts(ceiling)
    if share is None:
        return (data[ceiling] / 100.0).fillna(0.0) if ceiling in data else None
    numerator, whole, factor = share
    if ceiling_pct is None or numerator not in data or whole not in data:
        return None
    return -share_room(ceiling_pct, factor, data[numerator].fillna(0.0), data[whole].fillna(0.0)) / 100.0


def _most_added(per_g: pd.Series, room: pd.Series, least: pd.Series, contents: dict[str, pd.Series],
                left: dict[str, float]) -> float:
    """The most of a nutrient any mix of the foods can add (an upper bound): each food within its `room` grams,
    and under each ceiling on its own the richest foods per unit of it first (with every ceiling at once, a mix
    adds no more than under the tightest of them alone). A food that makes room under a ceiling (a lean food
    under fat's share) is taken whole and its room added first; a food whose `least` grams alone pass all a
    ceiling can leave is left out."""
    most = float((room * per_g).sum())
    for column, content in contents.items():
        free = content <= 0
        added = float((room[free] * per_g[free]).sum())
        budget = left[column] - float((room[free] * content[free]).sum())
        fits = least * content <= budget + 1e-9
        for f in (per_g[~free & fits] / content[~free & fits]).sort_values(ascending=False).index:
            if budget <= 0:
                break
            grams = min(float(room[f]), budget / content[f])
            added += grams * per_g[f]
            budget -= grams * content[f]
        most = min(most, added)
    return most


def listed(words: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _amount(food_id: str, grams: float, room: float, data: pd.DataFrame) -> tuple[str, float]:
    """`about 3/4 cup (183 g) more of Milk` and the grams it says: household servings rounded up to a step, or
    down when that would pass `room` grams (the most left of it that day), said as `household.portion_words` says
    them; in grams below a step."""
    food = data.loc[food_id]
    step_g = SERVING_STEP * food["serving_g"]
    steps = math.ceil(grams / step_g - 1e-9)
    if steps * step_g > room + 1e-6:
        steps = math.floor(room / step_g + 1e-9)
    if steps < 1:
        grams = min(grams, room)
        said = max(1, round(grams)) if grams >= 1 else round(grams, 1)
        return f"about {said:g} g more of {food['name']}", float(said)
    servings = steps * SERVING_STEP
    words = portion_words(servings, food["serving_label"])
    if measure_of(food["serving_label"]) != "g":
        words += f" ({servings * food['serving_g']:.0f} g)"
    said = f"about {words} more of {food['name']}"
    return said, servings * float(food["serving_g"])


