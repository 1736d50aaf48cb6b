"""Daily targets from the Dietary Reference Intakes, for one person's profile.

Floors are the RDA (or AI where no RDA exists); ceilings are the UL, which a
plan never exceeds. Calories sit in a band around the Dietary Guidelines'
estimate and macronutrients within the AMDR. Nutrients the user marks
deficient get a floor raised by `DEFICIENT_FACTOR`, never past the UL.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError, ProfileError
from planner.foods import FoodTable, _data_path, nutrient_unit, read_text

# Raising a deficient nutrient's floor by a quarter is our stated choice, not a DRI:
# enough to move a plan toward the richest foods without leaving ordinary meals.
DEFICIENT_FACTOR = 1.25
# Calories may sit 10 % either side of the Dietary Guidelines' estimate (or of --kcal).
KCAL_TOLERANCE = 0.10
# Vitamin D and B12 are stored by the body, so a week may meet them on average.
STORED_NUTRIENTS = frozenset({"vitamin_d_mcg", "vitamin_b12_mcg"})
# General Atwater factors, kcal per gram, for macronutrient shares of energy.
KCAL_PER_GRAM = {"protein_g": 4.0, "carbohydrate_g": 4.0, "fat_g": 9.0}
SHARE_SUFFIX = "_pct_kcal"

TARGET_COLUMNS = ["nutrient", "unit", "min", "max", "source"]
DEFAULT_PROFILE_TEXT = "adult woman, 35, not pregnant or lactating (the default: give --age and --sex for yours)"


@dataclass(frozen=True)
class Profile:
    """Who the plan is for. The defaults are the profile printed when the user gives none."""

    age: float = 35
    sex: str = "female"
    pregnant: bool = False
    lactating: bool = False
    kcal: float | None = None
    is_default: bool = False

    def describe(self) -> str:
        if self.is_default:
            return DEFAULT_PROFILE_TEXT
        stage = " pregnant" if self.pregnant else " lactating" if self.lactating else ""
        who = {"female": "woman", "male": "man"}[self.sex] if self.age >= 19 else \
            {"female": "girl", "male": "boy"}[self.sex]
        return f"{who}, {self.age:g}{stage}"

    def as_dict(self) -> dict:
        return asdict(self)


def make_profile(age: float | None = None, sex: str | None = None, pregnant: bool = False,
                 lactating: bool = False, kcal: float | None = None) -> Profile:
    """A checked profile; no age and no sex gives the stated default."""
    is_default = age is None and sex is None and not pregnant and not lactating
    profile = Profile(
        age=Profile.age if age is None else age,
        sex=Profile.sex if sex is None else sex,
        pregnant=pregnant, lactating=lactating, kcal=kcal, is_default=is_default,
    )
    if profile.sex not in ("female", "male"):
        raise ProfileError(f"--sex: expected female or male, got '{profile.sex}'")
    if not 1 <= profile.age <= 120:
        raise ProfileError(f"--age: expected an age in years from 1 to 120 (the DRI tables start at 1), "
                           f"got {profile.age:g}")
    if pregnant and lactating:
        raise ProfileError("--pregnant and --lactating: choose one (the DRI tables have a row for each)")
    if (pregnant or lactating) and profile.sex != "female":
        raise ProfileError("--pregnant/--lactating: the DRI pregnancy and lactation rows are for --sex female")
    if (pregnant or lactating) and not 14 <= profile.age <= 50:
        raise ProfileError(f"--age: the DRI pregnancy and lactation rows cover ages 14 to 50, got {profile.age:g}")
    if kcal is not None and not 800 <= kcal <= 6000:
        raise ProfileError(f"--kcal: expected calories a day between 800 and 6000, got {kcal:g}")
    return profile


@cache
def _table(name: str) -> pd.DataFrame:
    return pd.read_csv(_data_path(name), dtype={"source": str, "notes": str})


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


def deficient_columns(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """`magnesium` or `magnesium_mg` -> `magnesium_mg`, checked against the DRI table."""
    known = {f"{r.nutrient}_{r.unit}": r.nutrient for r in _table("dri.csv").drop_duplicates("nutrient").itertuples()}
    out = []
    for name in names:
        name = name.strip().lower().replace(" ", "_").replace("-", "_")
        column = name if name in known else next((c for c, short in known.items() if short == name), None)
        if column is None:
            raise InputError("--deficient", f"unknown nutrient '{name}' (expected some of: "
                                            f"{', '.join(sorted(known.values()))})")
        out.append(column)
    return tuple(dict.fromkeys(out))


def targets_for(profile: Profile, deficient: tuple[str, ...] = (), max_caffeine_mg: float | None = None,
                caffeine_source: str = "your limit (--max-caffeine)") -> pd.DataFrame:
    """The targets a plan must meet, one row per nutrient.

    Columns: `nutrient` (a food table column, or `<macro>_pct_kcal` for an
    AMDR share), `unit`, `min`, `max` (NaN = no bound), `source`.
    """
    deficient_cols = deficient_columns(deficient)
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
        if column in deficient_cols and pd.notna(floor):
            raised = floor * DEFICIENT_FACTOR
            if pd.notna(ceiling):
                raised = min(raised, ceiling)
            source = f"marked deficient: {DEFICIENT_FACTOR:g} x {source}" + \
                (" (held at the UL)" if pd.notna(ceiling) and raised == ceiling else "")
            floor = raised
        if pd.notna(floor) or pd.notna(ceiling):
            rows.append({"nutrient": column, "unit": r.unit, "min": floor, "max": ceiling, "source": source})

    low, high, energy_source = _energy_band(profile)
    rows.append({"nutrient": "energy_kcal", "unit": "kcal", "min": low, "max": high, "source": energy_source})
    amdr = _table("amdr.csv")
    for r in amdr[_in_age(amdr, profile.age)].itertuples():
        rows.append({"nutrient": f"{r.nutrient}{SHARE_SUFFIX}", "unit": "% kcal", "min": float(r.min_pct_kcal),
                     "max": float(r.max_pct_kcal), "source": f"AMDR {_ages(r)}: {r.source}"})
    if max_caffeine_mg is not None:
        if max_caffeine_mg < 0:
            raise InputError("--max-caffeine", f"expected mg a day >= 0, got {max_caffeine_mg:g}")
        rows.append({"nutrient": "caffeine_mg", "unit": "mg", "min": np.nan, "max": float(max_caffeine_mg),
                     "source": caffeine_source})
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _ages(r) -> str:
    return f"{r.age_min:g}+ y" if pd.isna(r.age_max) else f"{r.age_min:g}-{r.age_max:g} y"


def _energy_band(profile: Profile) -> tuple[float, float, str]:
    if profile.kcal is not None:
        low = high = profile.kcal
        source = f"your --kcal {profile.kcal:g}"
    else:
        energy = _table("energy.csv")
        row = energy[(energy["sex"] == profile.sex) & _in_age(energy, profile.age)].iloc[0]
        low, high = float(row.kcal_low), float(row.kcal_high)
        source = row.source
        if profile.pregnant or profile.lactating:
            source += "; pregnancy and lactation raise this: set --kcal with your clinician's figure"
    band = f"{KCAL_TOLERANCE:.0%} either side of {low:g}" + (f"-{high:g}" if high != low else "")
    return low * (1 - KCAL_TOLERANCE), high * (1 + KCAL_TOLERANCE), f"{band} kcal: {source}"


def load_targets(path: str, foods: FoodTable) -> pd.DataFrame:
    """A user's targets file (`nutrient,min,max`, either bound may be empty); it replaces all defaults."""
    text = read_text(Path(path))
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        raise InputError(path, "not a readable CSV table (expected columns nutrient,min,max)") from None
    for column in ("nutrient", "min", "max"):
        if column not in raw.columns:
            raise InputError(path, f"missing column '{column}' (expected columns nutrient,min,max)")
    known = set(foods.nutrients) | {f"{m[:-2]}{SHARE_SUFFIX}" for m in KCAL_PER_GRAM}
    rows = []
    for position, r in enumerate(raw.itertuples(index=False)):
        row = position + 2
        nutrient = r.nutrient.strip()
        if nutrient not in known:
            raise InputError(path, f"unknown nutrient '{nutrient}' (the food table has: "
                                   f"{', '.join(foods.nutrients)})", row, "nutrient")
        bounds = {}
        for field in ("min", "max"):
            cell = getattr(r, field).strip()
            try:
                bounds[field] = float(cell) if cell else np.nan
            except ValueError:
                raise InputError(path, f"expected a number or an empty cell, got '{cell}'", row, field) from None
            if bounds[field] < 0:
                raise InputError(path, f"expected a number >= 0, got {cell}", row, field)
        if np.isnan(bounds["min"]) and np.isnan(bounds["max"]):
            raise InputError(path, "expected a min, a max or both; got neither", row, "min")
        if bounds["min"] > bounds["max"]:
            raise InputError(path, f"min {bounds['min']:g} is above max {bounds['max']:g}", row, "min")
        unit = "% kcal" if nutrient.endswith(SHARE_SUFFIX) else nutrient_unit(nutrient)
        rows.append({"nutrient": nutrient, "unit": unit, **bounds, "source": f"{path} row {row}"})
    if not rows:
        raise InputError(path, "no targets in the file")
    targets = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    if targets["nutrient"].duplicated().any():
        dup = targets["nutrient"][targets["nutrient"].duplicated()].iloc[0]
        raise InputError(path, f"nutrient '{dup}' appears twice", None, "nutrient")
    return targets


def share_parts(nutrient: str) -> tuple[str, float] | None:
    """`protein_pct_kcal` -> (`protein_g`, 4.0); None for a plain nutrient."""
    if not nutrient.endswith(SHARE_SUFFIX):
        return None
    grams = nutrient[: -len(SHARE_SUFFIX)] + "_g"
    return grams, KCAL_PER_GRAM[grams]
