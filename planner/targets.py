"""Daily targets from the Dietary Reference Intakes, for one person's request.

Floors are the RDA (or AI where no RDA exists); ceilings are the UL, which a
plan never exceeds. Calories sit in a band around the Dietary Guidelines'
estimate and macronutrients within the AMDR. Nutrients the user marks
deficient, or that their symptoms point to, get a floor raised by
`DEFICIENT_FACTOR`, never past the UL.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from planner import nutrients
from planner.calcium import absorbable_targets
from planner.errors import InputError
from planner.files import data_path, read_csv_text, read_user_text
from planner.foods import nutrient_ceiling
from planner.request import DEFICIENT_FACTOR, TRIMESTERS, PlanRequest, Profile, deficient_columns, ordinal
from planner.symptoms import CAFFEINE_SOURCE, Guidance, guidance, under_own_targets, with_caffeine_ceiling

# Calories may sit 10 % either side of the Dietary Guidelines' estimate (or of --kcal).
KCAL_TOLERANCE = 0.10
# General Atwater factors, kcal per gram, for macronutrient shares of energy.
KCAL_PER_GRAM = {"protein_g": 4.0, "carbohydrate_g": 4.0, "fat_g": 9.0}
# One teaspoon equivalent of added sugars is 4.2 g of sugar (USDA ARS, Bowman 2017, "Added sugars:
# definition and estimation in the USDA Food Patterns Equivalents Databases", J Food Compos Anal,
# doi:10.1016/j.jfca.2017.07.013), at the general factor for carbohydrate.
KCAL_PER_TSP_ADDED_SUGARS = 4.2 * KCAL_PER_GRAM["carbohydrate_g"]
# A share target: 100 x factor x numerator / denominator, in %.
SHARES: dict[str, tuple[str, str, float]] = {
    "protein_pct_kcal": ("protein_g", "energy_kcal", KCAL_PER_GRAM["protein_g"]),
    "fat_pct_kcal": ("fat_g", "energy_kcal", KCAL_PER_GRAM["fat_g"]),
    "carbohydrate_pct_kcal": ("carbohydrate_g", "energy_kcal", KCAL_PER_GRAM["carbohydrate_g"]),
    "saturated_fat_pct_kcal": ("saturated_fat_g", "energy_kcal", KCAL_PER_GRAM["fat_g"]),
    "added_sugars_pct_kcal": ("added_sugars_tsp_eq", "energy_kcal", KCAL_PER_TSP_ADDED_SUGARS),
    "whole_grains_pct_grains": ("whole_grains_oz_eq", "grains_oz_eq", 1.0),
}
SHARE_UNITS = {"energy_kcal": "% kcal", "grains_oz_eq": "% grains"}
# Why a floor sits above the DRI: the user marked the nutrient deficient, or their symptoms point to it.
RAISED_DEFICIENT = "deficient"
RAISED_SYMPTOMS = "symptoms"

TARGET_COLUMNS = ["nutrient", "unit", "min", "max", "goal", "source", "raised", "kind"]
# Kinds of target a table without their columns goes without (a user's table, SR Legacy): the
# Dietary Guidelines' pattern and its limits, the ULs a targets file adds, and B12 added to foods.
# Every other target needs its column.
OPTIONAL_KINDS = ("pattern", "limit", "upper limit", "added b12")
# dri.csv marks the B12 RDA from 51 with the DRI table's footnote on absorption; what that footnote advises, as a
# dietetics journal restates the IOM's recommendation. "Most" of the floor is our reading: at least half of it.
OLDER_B12_MARK = "older adults and B12 absorption"
OLDER_B12_ADVICE = ("the IOM advises meeting most of the RDA with B12 added to foods or taken as a supplement, as "
                    "10 to 30 % of people over 50 absorb the B12 bound in food (meat, fish, eggs, milk) poorly "
                    "(J Am Diet Assoc 1999;99:725-7, doi:10.1016/S0002-8223(99)00174-1)")
ADDED_B12_SHARE = 0.5
# No one eats 10 kg of food a day: a target beyond what that much of the richest food holds is a mistake
# (and a bound of 1e308 is no number a solver can hold). Our stated bound, not a guideline.
MAX_FOOD_G_A_DAY = 10_000.0
# Below the Dietary Guidelines' lowest calorie level the pattern is scaled down in proportion:
# its levels under 1,600 kcal are not staged (shared/data README section 7), so this is our rule.
LOWEST_PATTERN_KCAL = 1600


@dataclass(frozen=True)
class Targets:
    """A request's targets (one row per nutrient) and what its symptoms mean (None without symptoms).

    `dropped` names the optional targets (`OPTIONAL_KINDS`) left out because the food table has no values for them.
    """

    table: pd.DataFrame
    guidance: Guidance | None = None
    dropped: tuple[str, ...] = ()

    @property
    def raised(self) -> tuple[str, ...]:
        """Columns whose floor is raised, for any reason."""
        return tuple(self.table.loc[self.table["raised"] != "", "nutrient"])

    def for_columns(self, columns: tuple[str, ...]) -> Targets:
        """These targets for a food table with values in these columns (`FoodTable.nutrients_with_values`): the
        pattern and limit rows it cannot count are left out (and named in `dropped`); every other row stays, so a
        missing column is an error."""
        needs = [share_parts(n)[:2] if share_parts(n) else (n,) for n in self.table["nutrient"]]
        lacking = [not set(cols) <= set(columns) and kind in OPTIONAL_KINDS
                   for cols, kind in zip(needs, self.table["kind"])]
        keep = ~pd.Series(lacking, index=self.table.index)
        return Targets(self.table[keep].reset_index(drop=True), self.guidance,
                       self.dropped + tuple(self.table.loc[~keep, "nutrient"]))


def targets_for_request(request: PlanRequest) -> Targets:
    """The targets a plan for `request` must meet: its own file's, or the DRIs raised for what it names.

    Symptoms raise the nutrients the health sources link to them, and twitching or
    cramps bring a caffeine ceiling unless the request sets one.
    """
    advice = guidance(list(request.symptoms), request.duration_days) if request.symptoms else None
    if request.custom_targets is not None:
        table = custom_table(held_under_upper_limits(request.custom_targets, request.profile))
        if advice is not None:   # the file's targets stand, but a symptom's warning signs are still said
            caffeine = table.loc[table["nutrient"] == "caffeine_mg", "max"].dropna()
            advice = under_own_targets(advice, float(caffeine.iloc[0]) if len(caffeine) else None,
                                       request.profile.may_be_pregnant)
        return Targets(absorbable_targets(table) if request.absorbable_calcium else table, advice)
    from_symptoms = deficient_from_dri_names(advice.nutrients) if advice else ()
    caffeine, caffeine_source = request.max_caffeine_mg, "your limit (max caffeine)"
    if caffeine is None:
        caffeine, caffeine_source = life_stage_caffeine(request.profile)
        symptom_limit = advice.max_caffeine_mg if advice is not None else None
        if symptom_limit is not None and (caffeine is None or caffeine > symptom_limit):
            caffeine = symptom_limit
            caffeine_source = f"default when twitching or cramps are named: {CAFFEINE_SOURCE}"
    table = targets_for(request.profile, request.deficient, caffeine, caffeine_source, from_symptoms,
                        request.deficient_factor)
    if advice is not None:   # its caffeine line says the ceiling held: the basis of a life stage's, or yours
        advice = with_caffeine_ceiling(advice, caffeine, caffeine_source.split(": ")[0],
                                       drinks_out=request.max_caffeine_mg is None,
                                       may_be_pregnant=request.profile.may_be_pregnant)
    return Targets(absorbable_targets(table) if request.absorbable_calcium else table, advice)


# dri.csv (a copy of the shared file) names the data file first and the tables it holds after it:
# "owner/repo@commit path (NASEM/IOM DRI tables via ...)".
_DATA_THEN_AUTHORITY = re.compile(r"^(?P<data>\S+@\S+ \S+) \((?P<authority>[^()]+)\)$")


def _authority_first(source: str) -> str:
    """A source as a reader looks for it: whose figures they are, then the file that carries them (a terminal
    cuts a long source, and "cfree14/nutriR@8a77416 data/dris.rda..." says nothing)."""
    found = _DATA_THEN_AUTHORITY.match(source)
    return f"{found['authority']} (data: {found['data']})" if found else source


def older_b12_rda(profile: Profile) -> float | None:
    """The profile's B12 RDA where dri.csv marks it with the DRI table's footnote on older adults' absorption
    (from 51); None elsewhere."""
    dri = dri_rows(profile).set_index("nutrient")
    if "vitamin_b12" not in dri.index or OLDER_B12_MARK not in str(dri.at["vitamin_b12", "notes"]):
        return None
    return float(dri.at["vitamin_b12", "value"])


def _added_b12_rows(profile: Profile, rows: list[dict]) -> list[dict]:
    """Where the footnote applies (`older_b12_rda`): at least half the RDA as B12 added to foods (a raised B12
    floor leaves it as it is). A table with no values for added B12 goes without (the plan says so)."""
    rda = older_b12_rda(profile)
    if rda is None or not any(r["nutrient"] == "vitamin_b12_mcg" for r in rows):
        return []
    return [{"nutrient": "vitamin_b12_added_mcg", "unit": "mcg", "min": ADDED_B12_SHARE * rda, "max": np.nan,
             "goal": np.nan, "source": f"at least half the RDA of {rda:g} mcg as B12 added to foods, our reading of "
             f"'most': {OLDER_B12_ADVICE}", "raised": "", "kind": "added b12"}]


def deficient_from_dri_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """DRI names (`vitamin_d`) -> columns (`vitamin_d_mcg`)."""
    by_dri = {n.dri_name: c for c, n in nutrients.registry().items() if n.dri_name}
    return tuple(by_dri[name] for name in names if name in by_dri)


@cache
def _table(name: str) -> pd.DataFrame:
    return pd.read_csv(data_path(name), dtype={"source": str, "notes": str})


def _in_age(table: pd.DataFrame, age: float) -> pd.Series:
    upper = table["age_max"].fillna(np.inf)
    # DRI groups name whole years ("19-30"): someone aged 30.5 is still in 19-30.
    return (table["age_min"] <= age) & (np.floor(age) <= upper)


def dri_rows(profile: Profile) -> pd.DataFrame:
    """The DRI rows (one per nutrient) that apply to this profile."""
    dri = _table("dri.csv")
    group = "pregnancy" if profile.pregnant else "lactation" if profile.lactating else None
    if group:
        rows = dri[(dri["group"] == group) & _in_age(dri, profile.age)]
    elif profile.age < 9:
        rows = dri[(dri["sex"] == "both") & _in_age(dri, profile.age)]
    else:
        rows = dri[(dri["sex"] == profile.sex) & ~dri["group"].isin(["pregnancy", "lactation"])
                   & _in_age(dri, profile.age)]
    return rows.drop_duplicates("nutrient")


def targets_for(profile: Profile, deficient: tuple[str, ...] = (), max_caffeine_mg: float | None = None,
                caffeine_source: str = "your limit (max caffeine)",
                from_symptoms: tuple[str, ...] = (), factor: float = DEFICIENT_FACTOR) -> pd.DataFrame:
    """The targets a plan must meet, one row per nutrient.

    Columns: `nutrient` (a food table column, or `<macro>_pct_kcal` for an AMDR
    share), `unit`, `min`, `max` (NaN = no bound), `source`, `raised` (`deficient`,
    `symptoms` or empty). `deficient` and `from_symptoms` name nutrients as a request does (`magnesium` had been
    ignored without a word; an unknown one is refused); their floors are `factor` x the DRI, never above the UL."""
    deficient, from_symptoms = deficient_columns(tuple(deficient)), deficient_columns(tuple(from_symptoms))
    rows: list[dict] = []
    for r in dri_rows(profile).itertuples():
        column = f"{r.nutrient}_{r.unit}"
        floor, ceiling = float(r.value), float(r.ul) if pd.notna(r.ul) else np.nan
        source = f"{r.kind} {r.value:g} {r.unit}, {r.group} {_ages(r)}: {_authority_first(r.source)}"
        if r.nutrient == "magnesium" and pd.notna(ceiling):
            ceiling = np.nan  # its UL is for supplements only (dri.csv notes), not for food
            source += f"; no ceiling on food: the UL of {r.ul:g} mg is for supplements and medicines only"
        if column in nutrients.CEILING_ONLY:
            floor = np.nan
            if pd.notna(ceiling):
                source = f"CDRR {ceiling:g} mg (reduce intake above it), ages 14+: {r.source}"
            else:
                ceiling, source = child_sodium_ceiling(profile.age)
        raised = RAISED_DEFICIENT if column in deficient else RAISED_SYMPTOMS if column in from_symptoms else ""
        if raised and pd.notna(floor):
            higher = floor * factor
            if pd.notna(ceiling):
                higher = min(higher, ceiling)
            why = "marked deficient" if raised == RAISED_DEFICIENT else "linked to your symptoms"
            source = f"{why}: {factor:g} x {source}" + \
                (" (held at the UL)" if pd.notna(ceiling) and higher == ceiling else "")
            floor = higher
        elif pd.isna(floor):
            raised = ""
        if pd.notna(floor) or pd.notna(ceiling):
            rows.append({"nutrient": column, "unit": r.unit, "min": floor, "max": ceiling, "goal": np.nan,
                         "source": source, "raised": raised, "kind": "dri"})

    low, high, energy_source = _energy_band(profile)
    rows.append({"nutrient": "energy_kcal", "unit": "kcal", "min": low, "max": high, "goal": np.nan,
                 "source": energy_source, "raised": "", "kind": "energy"})
    amdr = _table("amdr.csv")
    for r in amdr[_in_age(amdr, profile.age)].itertuples():
        rows.append({"nutrient": f"{r.nutrient}_pct_kcal", "unit": "% kcal", "min": float(r.min_pct_kcal),
                     "max": float(r.max_pct_kcal), "goal": np.nan, "source": f"AMDR {_ages(r)}: {r.source}",
                     "raised": "", "kind": "amdr"})
    kcal = (low + high) / 2
    rows += _pattern_rows(profile, kcal) + _limit_rows(profile, kcal, set(deficient) | set(from_symptoms))
    rows += _added_b12_rows(profile, rows)
    if max_caffeine_mg is not None:
        rows.append({"nutrient": "caffeine_mg", "unit": "mg", "min": np.nan, "max": float(max_caffeine_mg),
                     "goal": np.nan, "source": caffeine_source, "raised": "", "kind": "caffeine"})
    # 10 % above 1,400 kcal is 1540, not 1540.0000000000002: figures a person reads carry no float noise.
    return pd.DataFrame(rows, columns=TARGET_COLUMNS).round({"min": 6, "max": 6, "goal": 6})


def _pattern_rows(profile: Profile, kcal: float) -> list[dict]:
    """Each food group's daily amount in the Dietary Guidelines' pattern at this calorie level, as a goal
    the plan stays near, and a ceiling it may not pass (`food_groups.csv`)."""
    pattern = _table("dga_healthy_us_pattern.csv").set_index("calorie_level_kcal")
    level = min(pattern.index, key=lambda k: abs(k - kcal))
    scale, how = 1.0, f"at {level:,} kcal"
    if kcal < LOWEST_PATTERN_KCAL:
        level, scale = LOWEST_PATTERN_KCAL, kcal / LOWEST_PATTERN_KCAL
        how = f"at {LOWEST_PATTERN_KCAL:,} kcal scaled to {kcal:,.0f} kcal (lower levels are not staged: our rule)"
    rows = []
    for g in _table("food_groups.csv").itertuples():
        if profile.age < g.min_age:
            continue
        amount = float(pattern.loc[level, g.pattern_column]) * scale
        rows.append({"nutrient": g.column, "unit": nutrients.unit(g.column).replace("_", "-"), "min": np.nan,
                     "max": amount * g.max_factor, "goal": amount,
                     "source": f"Dietary Guidelines 2020-2025 Healthy U.S.-Style pattern {how}: {amount:.3g} a day "
                               f"as the goal, at most {g.max_factor:g} x that (our bound)", "raised": "",
                     "kind": "pattern"})
    return rows


def _limit_rows(profile: Profile, kcal: float, raised: set[str]) -> list[dict]:
    """The Guidelines' limits (saturated fat, added sugars, whole grains), fiber, beans and a child's fruit juice
    (`diet_limits.csv`)."""
    rows: dict[str, dict] = {}
    more_beans = bool(raised & {"magnesium_mg", "potassium_mg"})
    limits = _table("diet_limits.csv")
    for r in limits[_in_age(limits, profile.age)].itertuples():
        if r.bound == "max_when_raised" and not more_beans:
            continue
        row = rows.setdefault(r.target, {"nutrient": r.target, "unit": _unit(r.target), "min": np.nan,
                                         "max": np.nan, "goal": np.nan, "source": "", "raised": "",
                                         "kind": "limit"})
        value = float(r.value) * (kcal / 1000.0 if r.bound.endswith("per_1000_kcal") else 1.0)
        bound = "min" if r.bound.startswith("min") else "max"
        row[bound] = value
        row["source"] = "; ".join(filter(None, [row["source"], f"{bound} {value:.3g}: {r.source}"]))
    return list(rows.values())


def _unit(target: str) -> str:
    share = SHARES.get(target)
    return SHARE_UNITS[share[1]] if share else nutrients.unit(target).replace("_", "-")


def _ages(r) -> str:
    return f"{r.age_min:g}+ y" if pd.isna(r.age_max) else f"{r.age_min:g}-{r.age_max:g} y"


def _estimate(profile: Profile) -> tuple[float, float, str]:
    """The calories a day a person needs, low and high, before any tolerance, and their source."""
    if profile.kcal is not None:
        return profile.kcal, profile.kcal, f"your kcal {profile.kcal:g}"
    energy = _table("energy.csv")
    row = energy[(energy["sex"] == profile.sex) & _in_age(energy, profile.age)].iloc[0]
    added, words, stage_source = life_stage_kcal(profile)
    source = "; ".join(filter(None, [row.source, f"{words}: {stage_source}" if stage_source else words]))
    return float(row.kcal_low) + added, float(row.kcal_high) + added, source


def estimated_kcal(profile: Profile) -> float:
    """The calories a day a person needs: the middle of the Dietary Guidelines' estimate (or their own kcal)."""
    low, high, _ = _estimate(profile)
    return (low + high) / 2


def _energy_band(profile: Profile) -> tuple[float, float, str]:
    low, high, source = _estimate(profile)
    band = f"{KCAL_TOLERANCE:.0%} either side of {low:g}" + (f"-{high:g}" if high != low else "")
    return low * (1 - KCAL_TOLERANCE), high * (1 + KCAL_TOLERANCE), f"{band} kcal: {source}"


def life_stage_kcal(profile: Profile) -> tuple[float, str, str]:
    """Calories a day a pregnancy or lactation adds to the estimate (`energy_life_stage.csv`): the amount, what
    it is in words, and its source ('' when nothing is added).

    A pregnancy adds by trimester (IOM); without a trimester nothing is added and the words say so.
    Lactation has no sourced figure in our data, so nothing is added and the words say that too.
    """
    stages = _table("energy_life_stage.csv").set_index("stage")
    if profile.kcal is not None:
        return 0.0, "", ""
    if profile.pregnant and profile.trimester:
        row = stages.loc[f"pregnancy_{ordinal(profile.trimester)}_trimester"]
        return float(row.kcal_added), f"+{row.kcal_added:g} kcal a day, IOM 2009", row.source
    if profile.pregnant:
        by = ", ".join(f"+{stages.loc[f'pregnancy_{ordinal(n)}_trimester', 'kcal_added']:g}" for n in TRIMESTERS)
        return 0.0, (f"no calories added for the pregnancy: give its trimester (IOM 2009 adds {by} kcal a day in "
                     "the 1st, 2nd and 3rd)"), ""
    if profile.lactating:
        return 0.0, ("no calories added for lactation: no sourced figure for what it adds was found, so set kcal "
                     "with your clinician's figure"), ""
    return 0.0, "", ""


# Sodium ceilings for ages 1-13 come from a page restating the NASEM 2019 report, not from the report.
CHILD_SODIUM_SECONDARY = "from a secondary source, not checked against the NASEM 2019 report"


def life_stage_caffeine(profile: Profile) -> tuple[float | None, str]:
    """The most caffeine a day Health Canada gives for a child, a teen, or in pregnancy or breastfeeding
    (`caffeine_limits.csv`), and its source; None for other adults, who get a ceiling only when they
    set one or name twitching or cramps. Where two apply (a pregnant teen), the lower holds: a pregnancy's
    300 mg does not lift a teen's limit."""
    table = _table("caffeine_limits.csv")
    group = "pregnancy" if profile.pregnant else "lactation" if profile.lactating else None
    rows = table[_in_age(table, profile.age) & table["sex"].isin(["both", profile.sex])
                 & (table["group"].isna() | (table["group"] == group))]
    if rows.empty:
        return None, ""
    r = rows.loc[rows["max_mg"].idxmin()]
    return float(r.max_mg), f"{r.basis}: {r.source}"


def child_sodium_ceiling(age: float) -> tuple[float, str]:
    """The sodium CDRR for a child (`sodium_cdrr_children.csv`) and its source, marked as secondary; NaN over 13."""
    table = _table("sodium_cdrr_children.csv")
    rows = table[_in_age(table, age)]
    if rows.empty:
        return np.nan, "no sodium ceiling for this age in our data"
    r = rows.iloc[0]
    return float(r.cdrr_mg), (f"CDRR {r.cdrr_mg:g} mg (reduce intake above it), ages {_ages(r)} "
                              f"({CHILD_SODIUM_SECONDARY}): {r.source}")


def share_parts(nutrient: str) -> tuple[str, str, float] | None:
    """`protein_pct_kcal` -> (`protein_g`, `energy_kcal`, 4.0): numerator, denominator, factor; None for a plain one."""
    return SHARES.get(nutrient)


def needed_columns(targets: pd.DataFrame) -> list[str]:
    """The food-table columns the targets read: each nutrient, and grams and kcal for a share of energy."""
    out = []
    for n in targets["nutrient"]:
        share = share_parts(n)
        out.extend(share[:2] if share else [n])
    return list(dict.fromkeys(out))


def target_value(totals: dict[str, float], nutrient: str) -> float:
    """A total for a target row: a plain nutrient, or a macronutrient's share of kcal in %."""
    share = share_parts(nutrient)
    if not share:
        return totals.get(nutrient, 0.0)
    numerator, denominator, factor = share
    whole = totals.get(denominator, 0.0)
    return 100.0 * factor * totals.get(numerator, 0.0) / whole if whole else 0.0


def read_targets_file(path: str | Path) -> tuple[dict, ...]:
    """A user's targets file (`nutrient,min,max`; either bound may be empty) as rows for a request.

    Nutrients are columns of a food table (`magnesium_mg`, or a user's own such as `zinc_mg`), the names people use
    for the registry's (`magnesium`, `vitamin D`) or shares of energy (`protein_pct_kcal`); the planner checks them
    against the table it plans with.
    """
    path = str(path)
    header, records = read_csv_text(read_user_text(path, "custom_targets"), path, "columns nutrient,min,max")
    for column in ("nutrient", "min", "max"):
        if column not in header:
            raise InputError(f"missing column '{column}' (expected columns nutrient,min,max)", source=path)
    raw = pd.DataFrame(records, columns=header, dtype=object)
    shares = set(SHARES)
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for position, r in enumerate(raw.fillna("").itertuples(index=False)):
        row = position + 2
        nutrient = r.nutrient.strip()
        if nutrient not in shares and nutrient not in nutrients.registry():
            # A nutrient by the name people use ("magnesium", "vitamin D", "B12"), as --deficient reads it.
            nutrient = nutrients.by_word(nutrient) or nutrient
        if nutrient not in shares and not nutrients.NUTRIENT_COLUMN.match(nutrient):
            near = nutrients.nearest(nutrient, nutrients.registry())
            hint = f"did you mean {' or '.join(nutrients.label(c) for c in near)}? " if near else ""
            raise InputError(f"unknown nutrient '{nutrient}' ({hint}expected a nutrient by name, such as magnesium or "
                             "vitamin D, a food table column, such as zinc_mg, or a share of energy, such as "
                             "protein_pct_kcal)", source=path, row=row, field="nutrient")
        if nutrient in seen:
            raise InputError(f"nutrient '{nutrient}' appears twice (also on row {seen[nutrient]})", source=path,
                             row=row, field="nutrient")
        seen[nutrient] = row
        bounds: dict[str, float | None] = {}
        for field in ("min", "max"):
            cell = getattr(r, field).strip()
            try:
                value = float(cell) if cell else None
            except ValueError:
                raise InputError(f"expected a number or an empty cell, got '{cell}'", source=path, row=row,
                                 field=field) from None
            if value is not None and (not math.isfinite(value) or value < 0):
                raise InputError(f"expected a number >= 0, got '{cell}'", source=path, row=row, field=field)
            if value is not None and value > largest_target(nutrient):
                raise InputError(f"{cell} {_unit(nutrient)} a day is more than any day's food can hold (expected at "
                                 f"most {largest_target(nutrient):g})", source=path, row=row, field=field)
            bounds[field] = value
        if bounds["min"] is None and bounds["max"] is None:
            raise InputError("expected a min, a max or both; got neither", source=path, row=row, field="min")
        if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
            raise InputError(f"min {bounds['min']:g} is above max {bounds['max']:g}", source=path, row=row,
                             field="min")
        unit = _unit(nutrient)
        rows.append({"nutrient": nutrient, "unit": unit, **bounds, "goal": None, "source": f"{path} row {row}",
                     "file": path, "row": row})
    if not rows:
        raise InputError("no targets in the file", source=path)
    return tuple(rows)


def largest_target(nutrient: str) -> float:
    """The largest bound a target can mean: a share of 100 %, or what `MAX_FOOD_G_A_DAY` of the richest
    food holds (`planner.foods.nutrient_ceiling`). A floor above it can never be met."""
    if nutrient in SHARES:
        return 100.0
    return nutrient_ceiling(nutrient) * MAX_FOOD_G_A_DAY / 100.0


def held_under_upper_limits(rows: tuple[dict, ...], profile: Profile) -> tuple[dict, ...]:
    """A targets file's rows under the profile's ULs, as every plan is: a floor above a UL is refused (file, row),
    a ceiling above one, or none, is lowered to it, and a UL the file does not name is added as a ceiling."""
    dri = targets_for(profile)
    # Sodium's ceiling is a CDRR, not a UL: a file that names sodium sets its own.
    uls = dri[(dri["kind"] == "dri") & dri["max"].notna() & ~dri["nutrient"].isin(nutrients.CEILING_ONLY)]
    uls = uls.set_index("nutrient")
    held = []
    for r in rows:
        if r["nutrient"] in uls.index:
            ul, unit = float(uls.at[r["nutrient"], "max"]), uls.at[r["nutrient"], "unit"]
            why = f"UL, {ul:g} {unit} a day ({_group_and_source(uls.at[r['nutrient'], 'source'])})"
            if r["min"] is not None and r["min"] > ul:
                raise InputError(f"a floor of {r['min']:g} {unit} is above the {why}: a plan never passes a UL",
                                 source=r.get("file"), row=r.get("row"), field="min")
            if r["max"] is None or r["max"] > ul:
                r = {**r, "max": ul, "source": f"{r['source']}; max held at the {why}"}
        held.append(r)
    named = {r["nutrient"] for r in rows}
    held += [{"nutrient": n, "unit": u["unit"], "min": None, "max": float(u["max"]), "goal": None,
              "source": f"UL {u['max']:g} {u['unit']} a day, {_group_and_source(u['source'])}", "kind": "upper limit"}
             for n, u in uls.iterrows() if n not in named]
    return tuple(held)


def _group_and_source(dri_source: str) -> str:
    """`females 31-50 y: <source>` from a DRI row's source (`RDA 1000 mg, females 31-50 y: <source>`)."""
    return dri_source.split(", ", 1)[-1]


def custom_table(rows: tuple[dict, ...]) -> pd.DataFrame:
    """Custom target rows (from a file, kept in the request) as a targets table; a row without a kind is the file's."""
    frame = pd.DataFrame([{"kind": "file", **r, "raised": ""} for r in rows], columns=TARGET_COLUMNS)
    return frame.astype({"min": float, "max": float, "goal": float})
