"""What a plan says to the person beside its numbers: its notes (what would close a gap is `planner.closing`).

Notes come in this order: doctor lines for the symptoms named (red flags first),
what the symptoms raised and why, values missing from the food table, foods
with no sourced price, slots outside their calorie band, and the lifestyle
notes that go with the symptoms. No dose of anything, ever.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from planner import calcium, nutrients
from planner.closing import listed
from planner.fish import fish_notes
from planner.foods import ALLERGEN_TAGS, SLOTS, TAGS, FoodChoice, FoodTable
from planner.plan import Plan
from planner.portions import PortionScale
from planner.pricing import NO_PRICES_PER_100G
from planner.request import MADE_UP, RELAXATIONS, VARIETY_FOR, MealRules, PlanRequest
from planner.symptoms import Guidance, vitamin_d_note
from planner.targets import (CHILD_SODIUM_SECONDARY, OLDER_B12_ADVICE, RAISED_DEFICIENT, Targets, dri_rows,
                              life_stage_caffeine, life_stage_kcal, older_b12_rda, share_parts, targets_for_request)
from planner.under_two import FROM_AGE as UNDER_TWO_AGE

# Said of a ceiling a planned food has no value for: the total it holds is a floor of the true one.
CEILING_ON_KNOWN_VALUES = "; its ceiling is kept on the known values only"
# Default ceilings for health that are not ULs: a targets file that does not name them drops them.
HEALTH_CEILINGS = ("sodium_mg", "caffeine_mg")


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
        return [f"no food in this table has a sourced price, so the plan's cost is unknown; the optimizer counted "
                f"every food at the one stand-in price of ${NO_PRICES_PER_100G:g} per 100 g: it favours light foods, "
                "not cheap ones"]
    return [f"no sourced price for {names}{more}: the cost shown leaves them out (the optimizer counted each at "
            "the median price per 100 g of priced foods in its aisle)"]


def unsourced_notes(allowed: FoodTable, used: list[str]) -> list[str]:
    """The served foods whose values the table gives without a source: nutrients with neither a source cell nor a
    USDA id (an SR Legacy fdc_id or an FNDDS food code) to look them up by, a price with no `price_source`."""
    data = allowed.data.loc[sorted(set(used))]
    notes = []
    no_id = data["nutrient_source"].eq("") & data["fdc_id"].isna() & data["food_code"].eq("")
    for what, which, then in (
            ("nutrient values", no_id, "no nutrient_source, fdc_id or food_code): check them against USDA's"),
            ("price", data["price_per_100g"].notna() & data["price_source"].eq(""),
             "no price_source): the plan's cost rests on {it} unchecked")):
        if which.any():
            then = then.format(it="it" if which.sum() == 1 else "them")
            names = "; ".join(data.loc[which, "name"].head(6)) + (f" and {which.sum() - 6} more"
                                                                   if which.sum() > 6 else "")
            notes.append(f"{allowed.name} gives no source for the {what} of {names} ({then}")
    return notes


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
            floors[day] = listed([nutrients.label(n) for n in rule.removeprefix(VARIETY_FOR).split(",")])
        else:
            by_day.setdefault(day, []).append(words.get(rule, rule))
    notes = [f"day {day}: no menu of the foods allowed fitted every meal rule, so {'; '.join(rules)}"
             for day, rules in by_day.items()]
    # A day planned again once the week was done was kept apart from every other day, later ones too.
    notes += [f"day {day}: the foods the week had left, each kept apart from the other days, fell short of {labels}, "
              "so the day shares more than half its foods with another day" if day in made_up else
              f"day {day}: the foods the week had left, each kept apart from earlier days, fell short of {labels}, "
              f"so {words['variety']}" for day, labels in floors.items()]
    # A part no day fills was never fillable: no food the diet, exclusions and table allow goes in that meal.
    always = [part for part in dict.fromkeys(p for parts in missing.values() for p in parts)
              if all(part in missing.get(d.day, ()) for d in plan.days)]
    if always:
        notes.append(f"every day: {', '.join(always)} left out: no food allowed (by the diet, the exclusions and the "
                     "food table) goes in that meal")
    notes += [f"day {day}: {', '.join(rest)} left out: every food allowed for it is used up on other days or "
              "excluded" for day, parts in missing.items() if (rest := [p for p in parts if p not in always])]
    notes += [f"day {day}: planned again once the week was done, the other days kept, to make up {listed(labels)} "
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
        # Like B12 itself it is owed over each week, not each day: a reader takes "holds" for every day otherwise.
        held = ("this plan holds at least half the RDA as B12 added to foods (fortified cereals and plant drinks)"
                + (", on average over each week: a day with a fortified food may carry the days without one"
                   if request.days > 1 else ""))
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


def allergen_notes(foods: FoodTable, choice: FoodChoice) -> list[str]:
    """What leaving out an allergen by its tag can and cannot promise; and a tag left out (or a pescatarian's
    `meat`) that no food of the table carries, so that leaving it out removed nothing: a table tagged for other
    things had served peanut butter with --exclude peanuts, its plan saying peanuts were left out."""
    carried = set().union(*foods.data["tags"])
    avoided = [t for t in choice.exclude if t in ALLERGEN_TAGS and t in carried]
    left_out = [t for t in (*choice.exclude, *(["meat"] if choice.diet == "pescatarian" else [])) if t in TAGS]
    fix = ("its foods' descriptions and recipes name none" if foods.is_embedded else
           "if the table holds such foods, tag them in its tags column, or name them by id")
    notes = [f"No food in {foods.name} is tagged '{tag}', so leaving it out removed nothing: {fix}"
             + ("; with an allergy, read each label all the same" if tag in ALLERGEN_TAGS else "")
             for tag in left_out if tag not in carried]
    if avoided:
        notes.append(f"Left out by tag ({', '.join(avoided)}): a food's tags say what its description and recipe in "
                     "the food table name, not what the label of the product you buy says. With an allergy, read "
                     "each label: it names what a description may not (sesame seeds on a bun, for one).")
    return notes


def unnamed_fat_note(choice: FoodChoice, allowed: FoodTable, used: list[str]) -> list[str]:
    """With dairy left out: the served foods cooked with a fat their description does not name ("Kale, cooked, fat
    added") whose USDA recipe holds solid fat (FPED `solid_fats_g`), which may be butter. Such a food is cooked
    at home, so the cook can choose oil; its tags could not say it holds dairy, nor that it does not."""
    if "dairy" not in choice.exclude or "solid_fats_g" not in allowed.data:
        return []
    data = allowed.data.loc[list(dict.fromkeys(used))]
    text = data["usda_description"].where(data["usda_description"] != "", data["name"]).str.lower()
    unnamed = text.str.contains("fat added") & ~text.str.contains(r"\b(?:oil|butter|margarine)\b")
    # An egg's, milk's or meat's own fat is solid fat in FPED too: only a plant food's says the added fat was solid.
    unnamed &= ~data["tags"].map(lambda t: bool(set(t) & {"egg", "dairy", "meat", "fish", "shellfish"}))
    served = data.loc[unnamed & (data["solid_fats_g"] > 0), "name"]
    if served.empty:
        return []
    return [f"Cooked with a fat not named ({'; '.join(served)}): USDA's recipe holds some solid fat (FPED), which "
            "may be butter. With dairy left out, cook with oil."]


def plan_notes(plan: Plan, allowed: FoodTable, unpriced: pd.Series, targets: Targets,
               portions: PortionScale | None = None) -> tuple[str, ...]:
    used = [i.food_id for d in plan.days for i in d.items]
    advice = targets.guidance
    notes = doctor_lines(advice) + target_notes(plan.request, targets)
    if portions is not None and portions.is_child:
        notes.append(portions.note())
    notes += secondary_source_notes(plan.targets)
    notes += unnamed_fat_note(plan.request.choice, allowed, used)
    notes += fish_notes(plan, allowed)
    if targets.dropped:
        notes.append(f"{allowed.name} has no values for {', '.join(nutrients.label(n) for n in targets.dropped)}: "
                     "the targets on them were not applied")
    notes += missing_value_notes(allowed, used, plan.targets)
    notes += unpriced_notes(allowed, used, unpriced) + unsourced_notes(allowed, used)
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
