"""Daily targets from the Dietary Reference Intakes, for one person's request.

Floors are the RDA (or AI where no RDA exists); ceilings are the UL, which a
plan never exceeds. Calories sit in a band around the Dietary Guidelines'
estimate and macronutrients within the AMDR. Nutrients the user marks
deficient, or that their symptoms point to, get a floor raised by
`DEFICIENT_FACTOR`, never past the UL.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from planner import nutrients
from planner.errors import InputError
from planner.files import data_path, read_user_text
from planner.request import DEFICIENT_FACTOR, PlanRequest, Profile
from planner.symptoms import CAFFEINE_SOURCE, Guidance, guidance

# Calories may sit 10 % either side of the Dietary Guidelines' estimate (or of --kcal).
KCAL_TOLERANCE = 0.10
# General Atwater factors, kcal per gram, for macronutrient shares of energy.
KCAL_PER_GRAM = {"protein_g": 4.0, "carbohydrate_g": 4.0, "fat_g": 9.0}
SHARE_SUFFIX = "_pct_kcal"
# Why a floor sits above the DRI: the user marked the nutrient deficient, or their symptoms point to it.
RAISED_DEFICIENT = "deficient"
RAISED_SYMPTOMS = "symptoms"

TARGET_COLUMNS = ["nutrient", "unit", "min", "max", "source", "raised"]


@dataclass(frozen=True)
class Targets:
    """A request's targets (one row per nutrient) and what its symptoms mean (None without symptoms)."""

    table: pd.DataFrame
    guidance: Guidance | None = None

    @property
    def raised(self) -> tuple[str, ...]:
        """Columns whose floor is raised, for any reason."""
        return tuple(self.table.loc[self.table["raised"] != "", "nutrient"])


def targets_for_request(request: PlanRequest) -> Targets:
    """The targets a plan for `request` must meet: its own file's, or the DRIs raised for what it names.

    Symptoms raise the nutrients the health sources link to them, and twitching or
    cramps bring a caffeine ceiling unless the request sets one.
    """
    if request.custom_targets is not None:
        return Targets(custom_table(request.custom_targets))
    advice = guidance(list(request.symptoms), request.duration_days) if request.symptoms else None
    from_symptoms = deficient_from_dri_names(advice.nutrients) if advice else ()
    caffeine, caffeine_source = request.max_caffeine_mg, "your limit (max caffeine)"
    if caffeine is None and advice is not None and advice.max_caffeine_mg is not None:
        caffeine = advice.max_caffeine_mg
        caffeine_source = f"default when twitching or cramps are named: {CAFFEINE_SOURCE}"
    table = targets_for(request.profile, request.deficient, caffeine, caffeine_source, from_symptoms,
                        request.deficient_factor)
    return Targets(table, advice)


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
    `symptoms` or empty). `deficient` and `from_symptoms` hold columns; their floors
    are `factor` x the DRI, never above the UL.
    """
    rows: list[dict] = []
    for r in dri_rows(profile).itertuples():
        column = f"{r.nutrient}_{r.unit}"
        floor, ceiling = float(r.value), float(r.ul) if pd.notna(r.ul) else np.nan
        source = f"{r.kind} {r.value:g} {r.unit}, {r.group} {_ages(r)}: {r.source}"
        if r.nutrient == "magnesium":
            ceiling = np.nan  # its UL is for supplements only (dri.csv notes), not for food
        if r.nutrient == "sodium":
            # A floor on sodium would reward salty foods; salt is added in cooking anyway.
            floor = np.nan
            source = (f"CDRR {ceiling:g} mg (reduce intake above it), ages 14+: {r.source}" if pd.notna(ceiling)
                      else f"no ceiling for this age: {r.source}")
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
            rows.append({"nutrient": column, "unit": r.unit, "min": floor, "max": ceiling, "source": source,
                         "raised": raised})

    low, high, energy_source = _energy_band(profile)
    rows.append({"nutrient": "energy_kcal", "unit": "kcal", "min": low, "max": high, "source": energy_source,
                 "raised": ""})
    amdr = _table("amdr.csv")
    for r in amdr[_in_age(amdr, profile.age)].itertuples():
        rows.append({"nutrient": f"{r.nutrient}{SHARE_SUFFIX}", "unit": "% kcal", "min": float(r.min_pct_kcal),
                     "max": float(r.max_pct_kcal), "source": f"AMDR {_ages(r)}: {r.source}", "raised": ""})
    if max_caffeine_mg is not None:
        rows.append({"nutrient": "caffeine_mg", "unit": "mg", "min": np.nan, "max": float(max_caffeine_mg),
                     "source": caffeine_source, "raised": ""})
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _ages(r) -> str:
    return f"{r.age_min:g}+ y" if pd.isna(r.age_max) else f"{r.age_min:g}-{r.age_max:g} y"


def _energy_band(profile: Profile) -> tuple[float, float, str]:
    if profile.kcal is not None:
        low = high = profile.kcal
        source = f"your kcal {profile.kcal:g}"
    else:
        energy = _table("energy.csv")
        row = energy[(energy["sex"] == profile.sex) & _in_age(energy, profile.age)].iloc[0]
        low, high = float(row.kcal_low), float(row.kcal_high)
        source = row.source
        if profile.pregnant or profile.lactating:
            source += "; pregnancy and lactation raise this: set kcal with your clinician's figure"
    band = f"{KCAL_TOLERANCE:.0%} either side of {low:g}" + (f"-{high:g}" if high != low else "")
    return low * (1 - KCAL_TOLERANCE), high * (1 + KCAL_TOLERANCE), f"{band} kcal: {source}"


def share_parts(nutrient: str) -> tuple[str, float] | None:
    """`protein_pct_kcal` -> (`protein_g`, 4.0); None for a plain nutrient."""
    if not nutrient.endswith(SHARE_SUFFIX):
        return None
    grams = nutrient[: -len(SHARE_SUFFIX)] + "_g"
    return grams, KCAL_PER_GRAM[grams]


def needed_columns(targets: pd.DataFrame) -> list[str]:
    """The food-table columns the targets read: each nutrient, and grams and kcal for a share of energy."""
    out = []
    for n in targets["nutrient"]:
        share = share_parts(n)
        out.extend([share[0], "energy_kcal"] if share else [n])
    return list(dict.fromkeys(out))


def target_value(totals: dict[str, float], nutrient: str) -> float:
    """A total for a target row: a plain nutrient, or a macronutrient's share of kcal in %."""
    share = share_parts(nutrient)
    if not share:
        return totals.get(nutrient, 0.0)
    grams, kcal_per_g = share
    energy = totals.get("energy_kcal", 0.0)
    return 100.0 * kcal_per_g * totals.get(grams, 0.0) / energy if energy else 0.0


def read_targets_file(path: str | Path) -> tuple[dict, ...]:
    """A user's targets file (`nutrient,min,max`; either bound may be empty) as rows for a request.

    Nutrients are columns of a food table (`magnesium_mg`, or a user's own such as `zinc_mg`) or
    shares of energy (`protein_pct_kcal`); the planner checks them against the table it plans with.
    """
    path = str(path)
    text = read_user_text(path)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        raise InputError("not a readable CSV table (expected columns nutrient,min,max)", source=path) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    for column in ("nutrient", "min", "max"):
        if column not in raw.columns:
            raise InputError(f"missing column '{column}' (expected columns nutrient,min,max)", source=path)
    shares = {f"{m[:-2]}{SHARE_SUFFIX}" for m in KCAL_PER_GRAM}
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for position, r in enumerate(raw.fillna("").itertuples(index=False)):
        row = position + 2
        nutrient = r.nutrient.strip()
        if nutrient not in shares and not nutrients.NUTRIENT_COLUMN.match(nutrient):
            raise InputError(f"unknown nutrient '{nutrient}' (expected a food table column such as magnesium_mg, "
                             "or a share of energy such as protein_pct_kcal)", source=path, row=row,
                             field="nutrient")
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
            bounds[field] = value
        if bounds["min"] is None and bounds["max"] is None:
            raise InputError("expected a min, a max or both; got neither", source=path, row=row, field="min")
        if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
            raise InputError(f"min {bounds['min']:g} is above max {bounds['max']:g}", source=path, row=row,
                             field="min")
        unit = "% kcal" if nutrient in shares else nutrients.unit(nutrient)
        rows.append({"nutrient": nutrient, "unit": unit, **bounds, "source": f"{path} row {row}", "file": path,
                     "row": row})
    if not rows:
        raise InputError("no targets in the file", source=path)
    return tuple(rows)


def custom_table(rows: tuple[dict, ...]) -> pd.DataFrame:
    """Custom target rows (from a file, kept in the request) as a targets table."""
    frame = pd.DataFrame([{**r, "raised": ""} for r in rows], columns=TARGET_COLUMNS)
    return frame.astype({"min": float, "max": float})
