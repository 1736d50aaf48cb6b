"""What a plan says to the person beside its numbers: what would close a gap, and its notes.

Notes come in this order: doctor lines for the symptoms named (red flags first),
what the symptoms raised and why, values missing from the food table, foods
with no sourced price, slots outside their calorie band, and the lifestyle
notes that go with the symptoms. No dose of anything, ever.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd

from planner import calcium, nutrients
from planner.files import data_path
from planner.foods import ALLERGEN_TAGS, SLOTS, FoodChoice, FoodTable
from planner.household import measure_of, portion_words
from planner.plan import Plan
from planner.portions import PortionScale
from planner.pricing import NO_PRICES_PER_100G
from planner.request import MADE_UP, RELAXATIONS, VARIETY_FOR, MealRules, PlanRequest
from planner.symptoms import Guidance, vitamin_d_note
from planner.targets import (CHILD_SODIUM_SECONDARY, OLDER_B12_ADVICE, RAISED_DEFICIENT, Targets, dri_rows,
                              life_stage_caffeine, life_stage_kcal, older_b12_rda, share_parts, targets_for_request)
from planner.under_two import FROM_AGE as UNDER_TWO_AGE


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


# Said of a ceiling a planned food has no value for: the total it holds is a floor of the true one.
CEILING_ON_KNOWN_VALUES = "; its ceiling is kept on the known values only"
# Default ceilings for health that are not ULs: a targets file that does not name them drops them.
HEALTH_CEILINGS = ("sodium_mg", "caffeine_mg")
# A day's budget, as one more ceiling a suggestion keeps under: what is left of it, over the price per 100 g.
BUDGET = "price_per_100g"

# What closes a gap in calories, fiber or a food group that the allowed foods cannot: no supplement is for those.
MORE_FOODS = "allow more foods (fewer exclusions, or a larger food table)"


def _beyond(nutrient: str) -> str:
    advice = beyond_food()
    dri_name = nutrients.registry()[nutrient].dri_name if nutrient in nutrients.registry() else ""
    if not dri_name:   # a nutrient the DRI table does not name may have a row of its own (B12 added to foods)
        return advice.get(nutrient.rsplit("_", 1)[0], MORE_FOODS)
    return advice.get(dri_name, advice["any"])


def what_closes(nutrient: str, gap: float, allowed: FoodTable, foods: FoodTable, served: pd.Series | None = None,
                most_g: pd.Series | None = None, headroom: dict[str, float] | None = None,
                share_ceilings: dict[str, float] | None = None, kept_off: frozenset[str] = frozenset()) -> str:
    """One sentence on what would close a gap, within what a person eats of a food in a day.

    `most_g` is the most of each allowed food a day, in grams (the table's `max_servings` servings unless given:
    a child's are smaller); `served` is what the plan already serves of each, which comes off it. `headroom` is
    what the day's ceilings leave: a plain amount's (sodium, calories, a UL, the budget's dollars as `BUDGET`) by
    column, and a share's (fat % of kcal) by its name, as its numerator may still grow beside the ceiling's part
    of the whole (`share_room`), with the ceiling in % in `share_ceilings`. No suggestion passes one, nor names a
    food in `kept_off` (the variety rule's: its days this week are used up). One food when one can close the gap,
    else a few together; when the allowed foods cannot, what the health sources advise.
    """
    if nutrient not in foods.nutrients:
        return "a different mix of foods (this is a share of a whole); try another calorie level or fewer exclusions"
    data = allowed.data
    per_g = (data[nutrient] / 100.0).where(data["role"] != "ingredient").dropna()
    per_g = per_g[per_g > 0]
    if per_g.empty:
        others = foods.per_serving(nutrient).drop(data.index, errors="ignore").dropna()
        others = others[(others > 0) & (foods.data.loc[others.index, "role"] != "ingredient")]
        others = others.sort_values(ascending=False)
        if others.empty:
            return f"no food in this table supplies it: {_beyond(nutrient)}"
        names = ", ".join(foods.data.loc[others.index[:3], "name"])
        return (f"no food your diet and exclusions allow supplies it (foods they leave out do: {names}): "
                f"{_beyond(nutrient)}")
    most = (most_g if most_g is not None else data["max_servings"] * data["serving_g"]).reindex(per_g.index)
    already = (served if served is not None else pd.Series(dtype=float)).reindex(per_g.index).fillna(0.0)
    room = (most - already).clip(lower=0.0)
    every_day_room = room.copy()
    room[room.index.intersection(list(kept_off))] = 0.0
    # What each ceiling leaves, and how much of it a gram of each food takes.
    contents = {c: _content(data.loc[per_g.index], c, (share_ceilings or {}).get(c)) for c in headroom or {}}
    left_under = {c: max(float(v), 0.0) for c, v in (headroom or {}).items() if contents[c] is not None and pd.notna(v)}
    contents = {c: contents[c] for c in left_under}
    bound_by: set[str] = set()

    def most_of(f: str) -> float:
        """The most of food f a day, within what people eat of it and what every ceiling still leaves."""
        most_f = float(room[f])
        for c, content in contents.items():
            if content[f] > 0 and left_under[c] / content[f] <= most_f:
                most_f = left_under[c] / content[f]
                bound_by.add(c)
        return most_f

    supply = pd.Series({f: most_of(f) for f in per_g.index}, dtype=float) * per_g
    richest = (per_g * data.loc[per_g.index, "serving_g"]).sort_values(ascending=False).index
    alone = [f for f in richest if supply[f] >= gap]
    if alone:
        return f"{_amount(alone[0], gap / per_g[alone[0]], supply[alone[0]] / per_g[alone[0]], data)[0]} a day"
    unit = nutrients.unit(nutrient)
    reach = _most_added(per_g, room, contents, left_under)
    # The variety rule is named only where it holds the foods back: they would add more on a day they were free.
    variety = _most_added(per_g, every_day_room, contents, left_under) > reach * (1 + 1e-6) + 1e-9
    # The richest foods first, each as much as it may be (the first few as said, rounded to a step), until the
    # gap closes or no allowed food can add more: how many foods it takes, and how much all of them reach.
    picked, left, kinds, used = [], gap, set(), 0
    daily = data["max_days"].ge(7) if "max_days" in data else pd.Series(False, index=data.index)
    for f in supply.sort_values(ascending=False).index:
        if left <= gap * 1e-6:
            break
        # Foods people have daily (the milks) are one of a kind: more of one milk, never a cup of each.
        kind = data.at[f, "role"] if daily.get(f, False) else None
        if kind is not None and kind in kinds:
            continue
        most_f = most_of(f)   # foods named together share what each ceiling leaves
        if most_f * per_g[f] <= gap * 1e-6:
            continue
        if len(picked) < MOST_FOODS_COMBINED:
            text, grams = _amount(f, min(most_f, left / per_g[f]), most_f, data)
            picked.append(text)
        else:
            grams = min(most_f, left / per_g[f])
        left -= grams * per_g[f]   # as said: rounded to the step, so no crumb of a third food follows
        for c, content in contents.items():
            left_under[c] -= grams * content[f]
        kinds.add(kind)
        used += 1
    ceilings = _listed(["the budget" if c == BUDGET else nutrients.label(c) for c in sorted(bound_by)]) \
        if bound_by else ""
    within = _listed(["what people eat of it a day", *(["the days this week leaves each food"] if variety else []),
                      *([f"under the ceilings on {ceilings}"] if ceilings else [])])
    if reach < gap * (1 - 1e-6):
        added = ("every allowed food that has it is already at what people eat of it a day"
                 + (" or on as many days this week as it may be" if variety else "")
                 + (f" or held back by the ceilings on {ceilings}" if ceilings else "") if reach <= gap * 1e-6 else
                 f"within {within}, the allowed foods add at most {nutrients.amount_text(reach)} {unit} of the "
                 f"{nutrients.amount_text(gap)} {unit} "
                 "missing")
        raise_budget = "a larger budget, or " if BUDGET in bound_by else ""
        return f"no food mix allowed closes it ({added}): {raise_budget}{_beyond(nutrient)}"
    if used <= MOST_FOODS_COMBINED and left <= gap * 1e-6:
        return f"no one food closes it within {within}; together: {', '.join(picked)} a day"
    return (f"no {MOST_FOODS_COMBINED} foods close it within {within}; the most of it comes "
            f"from {', '.join(picked)} a day, and more foods beside")


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


def _most_added(per_g: pd.Series, room: pd.Series, contents: dict[str, pd.Series], left: dict[str, float]) -> float:
    """The most of a nutrient any mix of the foods can add (an upper bound): each food within its `room` grams,
    and under each ceiling on its own the richest foods per unit of it first (with every ceiling at once, a mix
    adds no more than under the tightest of them alone). A food that makes room under a ceiling (a lean food
    under fat's share) is taken whole and its room added first."""
    most = float((room * per_g).sum())
    for column, content in contents.items():
        free = content <= 0
        added = float((room[free] * per_g[free]).sum())
        budget = left[column] - float((room[free] * content[free]).sum())
        for f in (per_g[~free] / content[~free]).sort_values(ascending=False).index:
            if budget <= 0:
                break
            grams = min(float(room[f]), budget / content[f])
            added += grams * per_g[f]
            budget -= grams * content[f]
        most = min(most, added)
    return most


def _listed(words: list[str]) -> str:
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
        amount = min(grams, room)
        said = max(1, round(amount)) if amount >= 1 else round(amount, 1)
        return f"about {said:g} g more of {food['name']}", float(said)
    servings = steps * SERVING_STEP
    words = portion_words(servings, food["serving_label"])
    if measure_of(food["serving_label"]) != "g":
        words += f" ({servings * food['serving_g']:.0f} g)"
    said = f"about {words} more of {food['name']}"
    return said, servings * float(food["serving_g"])


def missing_value_notes(allowed: FoodTable, used: list[str], targets: pd.DataFrame,
                        ceilings_only: bool = False) -> list[str]:
    """For each targeted nutrient, the planned foods with no value for it: their totals may be too low.
    `ceilings_only`: only the notes on ceilings those foods leave held on the known values (what `check` says)."""
    data = allowed.data.loc[list(dict.fromkeys(used))]
    ceilings = targets.set_index("nutrient")["max"] if "max" in targets else pd.Series(dtype=float)
    notes = []
    for n in targets["nutrient"]:
        share = share_parts(n)
        part, whole = (share[0], share[1]) if share else (n, None)
        if part not in data:
            continue
        # A share's missing part makes it look lower; its missing whole, higher (whole grains of grains).
        low = data[part].isna()
        high = data[whole].isna() if whole in data else pd.Series(False, index=data.index)
        ids = data.index[low | high].tolist()
        if ids:
            names = ", ".join(allowed.data.loc[ids, "name"].head(4))
            more = f" and {len(ids) - 4} more" if len(ids) > 4 else ""
            truth = ("higher or lower" if low.any() and high.any() else "lower" if high.any() else "higher")
            # A ceiling is kept on what is known: a UL cannot be promised for a value nobody measured.
            kept = CEILING_ON_KNOWN_VALUES if truth != "lower" and pd.notna(ceilings.get(n, float("nan"))) else ""
            if ceilings_only and not kept:
                continue
            notes.append(f"{nutrients.label(n)}: no value in the food table for {names}{more}; counted as 0, so the "
                         f"true {'share' if share else 'total'} may be {truth}{kept}")
    return notes


def unpriced_notes(allowed: FoodTable, used: list[str], unpriced: pd.Series) -> list[str]:
    priced_out = sorted(set(used) & set(unpriced.index[unpriced]))
    if not priced_out:
        return []
    names = ", ".join(allowed.data.loc[priced_out, "name"].head(6))
    more = f" and {len(priced_out) - 6} more" if len(priced_out) > 6 else ""
    if unpriced.all():
        return [f"no sourced price for {names}{more}: the cost shown leaves them out. No food in this table has "
                f"one, so the optimizer counted every food at the one stand-in price of ${NO_PRICES_PER_100G:g} per "
                "100 g: it favours light foods, not cheap ones"]
    return [f"no sourced price for {names}{more}: the cost shown leaves them out (the optimizer counted each at "
            "the median price per 100 g of priced foods in its aisle)"]


def slot_kcal_shares(plan: Plan, foods: FoodTable) -> pd.DataFrame:
    """Each day's calories per slot as a share of the day's (rows: days, columns: slots)."""
    items = plan.items_frame()
    if items.empty or "energy_kcal" not in foods.data:
        return pd.DataFrame()
    kcal = items["grams"] * items["food_id"].map(foods.data["energy_kcal"]).fillna(0.0) / 100.0
    table = kcal.groupby([items["day"], items["slot"]]).sum().unstack(fill_value=0.0)
    return table.div(table.sum(axis=1).replace(0.0, np.nan), axis=0).reindex(columns=list(SLOTS), fill_value=0.0)


def added_sugars_under_two(plan: Plan, foods: FoodTable) -> list[str]:
    """Under 2 the Guidelines advise no added sugars, yet only sweet categories stay out (`under_two`): the
    plan's foods that still hold some, and the most a day, in FPED teaspoons."""
    column = "added_sugars_tsp_eq"
    if plan.request.profile.age >= UNDER_TWO_AGE or column not in foods.data:
        return []
    tsp = foods.data[column].fillna(0.0)
    per_day = [sum(i.grams / 100.0 * tsp[i.food_id] for i in d.items) for d in plan.days]
    sweet = [f for f in dict.fromkeys(i.food_id for d in plan.days for i in d.items) if tsp[f] > 0]
    if not sweet:
        return []
    return [f"Under {UNDER_TWO_AGE}, the Dietary Guidelines advise no added sugars; these foods of the plan still "
            f"hold some: {', '.join(foods.data.loc[sweet, 'name'])} (at most {max(per_day):.1f} teaspoons a day, "
            "FPED): swap them for unsweetened ones where you can"]


def percent_beside(share: float, *edges: float) -> str:
    """A share in whole percent, or to a tenth where whole percent would read as one of `edges`: 45.3 % beside a
    band that ends at 45 % is "45.3%", not "45%"."""
    return f"{share:.0%}" if f"{share:.0%}" not in {f"{e:.0%}" for e in edges} else f"{share:.1%}"


def slot_band_notes(plan: Plan, foods: FoodTable, meals: MealRules) -> list[str]:
    """A note for each slot whose calories fall outside its band (only when no menu within the bands was found)."""
    notes = []
    for day, shares in slot_kcal_shares(plan, foods).iterrows():
        for slot, share in shares.items():
            lo, hi = meals.slot_range(slot)
            if not lo - 1e-6 <= share <= hi + 1e-6:
                notes.append(f"day {day}: {slot} has {percent_beside(share, lo, hi)} of the day's kcal, outside "
                             f"its {lo:.0%}-{hi:.0%} band; no menu within the bands was found")
    return notes


def relaxation_notes(plan: Plan) -> list[str]:
    """For each day whose meal rules were relaxed: which, and why."""
    words = dict(RELAXATIONS)
    by_day: dict[int, list[str]] = {}
    missing: dict[int, list[str]] = {}
    floors: dict[int, str] = {}
    made_up: dict[int, list[str]] = {}
    for day, rule in plan.report.relaxed:
        if rule.startswith(MADE_UP):
            made_up.setdefault(day, []).append(nutrients.label(rule.removeprefix(MADE_UP)))
        elif rule.startswith("missing "):
            missing.setdefault(day, []).append(rule.removeprefix("missing "))
        elif rule.startswith(VARIETY_FOR):
            floors[day] = _listed([nutrients.label(n) for n in rule.removeprefix(VARIETY_FOR).split(",")])
        else:
            by_day.setdefault(day, []).append(words.get(rule, rule))
    notes = [f"day {day}: no menu of the foods allowed fitted every meal rule, so {'; '.join(rules)}"
             for day, rules in by_day.items()]
    # A day planned again once the week was done was kept apart from every other day, later ones too.
    notes += [f"day {day}: the foods the week had left, each kept apart from the other days, fell short of {labels}, "
              "so the day shares more than half its foods with another day" if day in made_up else
              f"day {day}: the foods the week had left, each kept apart from earlier days, fell short of {labels}, "
              f"so {words['variety']}" for day, labels in floors.items()]
    notes += [f"day {day}: {', '.join(parts)} left out: every food allowed for it is used up on other days or "
              "excluded" for day, parts in missing.items()]
    notes += [f"day {day}: planned again once the week was done, the other days kept, to make up {_listed(labels)} "
              "the week fell short of" for day, labels in made_up.items()]
    return notes


def profile_line(request: PlanRequest, targets: Targets, diet: bool = True) -> str:
    """Who the plan is for: the profile, its life stage and what that does to calories, the diet, what is raised."""
    profile = request.profile
    _, stage_words, _ = life_stage_kcal(profile)
    line = f"Profile: {profile.describe()}" + (f" ({stage_words})" if stage_words else "")
    if diet:
        line += f"; diet {request.choice.diet}"
    raised = ", ".join(nutrients.label(n) for n in targets.raised)
    return line + (f"; raising: {raised}" if raised else "")


def target_notes(request: PlanRequest, targets: Targets) -> list[str]:
    """What the targets' table does not say by itself. Beside floors raised because the person marked nutrients
    deficient: a blood test confirms a deficiency. Beside a raised magnesium floor, for any reason: its UL is on
    supplements, which the sources say a doctor may suggest. Beside a targets file: the default health ceilings
    it leaves out. From 51: B12 from fortified foods, and whether the plan could hold it."""
    marked = [n for n in targets.table.loc[targets.table["raised"] == RAISED_DEFICIENT, "nutrient"]]
    others = _magnesium_supplement_note(request, targets) + _own_targets_note(request) + \
        _older_b12_note(request, targets) + _caffeine_above_limit_note(request)
    if not marked:
        return others
    names = ", ".join(nutrients.label(n) for n in marked)
    # Absorbed calcium's floor is the DRI times milk's absorbed fraction, not the DRI itself.
    base = "the DRI" if calcium.COLUMN not in marked else \
        "the DRI (for absorbable calcium, the DRI x the absorbed fraction)"
    return [f"You marked {names} as deficient, so {'its floor is' if len(marked) == 1 else 'their floors are'} "
            f"raised to {request.deficient_factor:g} x {base}. The health sources advise confirming a deficiency "
            "with a blood test before changing your diet for it: ask your doctor for one.", *others]


def _caffeine_above_limit_note(request: PlanRequest) -> list[str]:
    """A caffeine ceiling the person set above the one Health Canada gives their age or life stage: the plan holds
    theirs, and says so."""
    limit, source = life_stage_caffeine(request.profile)
    if request.max_caffeine_mg is None or limit is None or request.max_caffeine_mg <= limit:
        return []
    return [f"Caffeine: the plan holds your limit of {request.max_caffeine_mg:g} mg a day, above the {limit:g} mg "
            f"a day Health Canada gives for this age or life stage ({source.split(': ')[0]})."]


def _own_targets_note(request: PlanRequest) -> list[str]:
    """A targets file replaces every default target; ULs are added back, but sodium's ceiling (a CDRR, not a UL)
    and caffeine's are not: say which of them no longer hold."""
    if request.custom_targets is None:
        return []
    named = {r["nutrient"] for r in request.custom_targets}
    defaults = targets_for_request(replace(request, custom_targets=None)).table
    left_out = defaults[defaults["nutrient"].isin(HEALTH_CEILINGS) & defaults["max"].notna()
                        & ~defaults["nutrient"].isin(named)]
    if left_out.empty:
        return []
    said = ", ".join(f"{nutrients.label(r.nutrient)} {r.max:,.0f} {r.unit} a day" for r in left_out.itertuples())
    return [f"Your targets file replaces the default targets. ULs still hold, but these default ceilings for this "
            f"profile do not, as the file does not name them: {said} (planner targets without --targets gives their "
            "sources). Add a row for each to keep it."]


def _older_b12_note(request: PlanRequest, targets: Targets) -> list[str]:
    """Where the DRI table marks the B12 RDA with its footnote on older adults' absorption (ages 51 and up)."""
    if "vitamin_b12_mcg" not in set(targets.table["nutrient"]) or older_b12_rda(request.profile) is None:
        return []
    if "vitamin_b12_added_mcg" in set(targets.table["nutrient"]):
        held = "this plan holds at least half the RDA as B12 added to foods (fortified cereals and plant drinks)"
    else:
        held = ("this plan counts all B12 alike, as its food table has no values for B12 added to foods (--like "
                "fortified favours fortified foods)")
    return [f"B12 after 50: {OLDER_B12_ADVICE}; {held}. A supplement is for your doctor to advise."]


def _magnesium_supplement_note(request: PlanRequest, targets: Targets) -> list[str]:
    if "magnesium_mg" not in targets.raised or request.custom_targets is not None:
        return []
    upper = dri_rows(request.profile).set_index("nutrient").at["magnesium", "ul"]
    if pd.isna(upper):
        return []
    return [f"Magnesium from food has no upper limit, so the plan sets none; from supplements and medicines it does: "
            f"{upper:g} mg a day at this age (DRI). Ask your doctor before taking a magnesium supplement."]


def secondary_source_notes(targets: pd.DataFrame) -> list[str]:
    """A note for each target whose figure comes from a page restating its source, not from the source itself."""
    marked = targets[targets["source"].astype(object).fillna("").astype(str).str.contains(CHILD_SODIUM_SECONDARY,
                                                                                         regex=False)]
    return [f"{nutrients.label(r.nutrient)}: the ceiling of {r.max:,.0f} {r.unit} for a child this age is the "
            "NASEM 2019 figure as a secondary page restates it (the report itself could not be read to check it); "
            "ask your clinician if it matters for this child" for r in marked.itertuples()]


def doctor_lines(advice: Guidance | None) -> list[str]:
    """The doctor lines for the symptoms named: `URGENT: ...` first, then `SEE A DOCTOR: ...`, the general last."""
    return list(advice.doctor_lines()) if advice else []


def symptom_lines(advice: Guidance | None) -> list[str]:
    """How the symptom texts were read, then which nutrients they raise and why."""
    return [*advice.notes, *(f"Raising {line}" for line in advice.reasons)] if advice else []


def allergen_notes(choice: FoodChoice) -> list[str]:
    """What leaving out an allergen by its tag can and cannot promise."""
    avoided = [t for t in choice.exclude if t in ALLERGEN_TAGS]
    if not avoided:
        return []
    return [f"Left out by tag ({', '.join(avoided)}): a food's tags say what its description and recipe in the food "
            "table name, not what the label of the product you buy says. With an allergy, read each label: it names "
            "what a description may not (sesame seeds on a bun, for one)."]


def plan_notes(plan: Plan, allowed: FoodTable, unpriced: pd.Series, targets: Targets,
               portions: PortionScale | None = None) -> tuple[str, ...]:
    used = [i.food_id for d in plan.days for i in d.items]
    advice = targets.guidance
    notes = doctor_lines(advice) + target_notes(plan.request, targets)
    if portions is not None and portions.is_child:
        notes.append(portions.note())
    notes += secondary_source_notes(plan.targets)
    notes += allergen_notes(plan.request.choice)
    if targets.dropped:
        notes.append(f"{allowed.name} has no values for {', '.join(nutrients.label(n) for n in targets.dropped)}: "
                     "the targets on them were not applied")
    notes += missing_value_notes(allowed, used, plan.targets)
    notes += unpriced_notes(allowed, used, unpriced)
    notes += added_sugars_under_two(plan, allowed)
    notes += relaxation_notes(plan)
    if plan.request.amounts_only:
        notes.append("amounts only (meals none): the plain diet problem, the least cost at the table's prices "
                     "(stand-ins for unpriced foods) for every floor and ceiling; no meals, portions, food-group "
                     "goals or variety" + (", so every day is the same" if len(plan.days) > 1 else ""))
    else:
        notes += slot_band_notes(plan, allowed, plan.request.meals)
    empty = [str(d.day) for d in plan.days if not d.items]
    if empty:
        notes.append(f"Day {', '.join(empty)} serves nothing: no amount of the foods allowed keeps within every "
                     "ceiling (the ULs, and the most of the day's calories that protein, fat, carbohydrate, saturated "
                     "fat or added sugars may give) and the meal rules (a food served is at least one serving; a "
                     "cereal needs milk or yogurt beside it); allow more foods")
    if any(s.nutrient == "vitamin_d_mcg" for s in plan.shortfalls):
        notes.append(vitamin_d_note())
    if advice:
        notes += list(advice.lifestyle)
    return tuple(notes)
