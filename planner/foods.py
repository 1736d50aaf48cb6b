"""The food table: schema, loading, validation, and choosing the foods a person allows.

A table needs only `food_id`, `name` and nutrient columns per 100 g (names end in
their unit: `magnesium_mg`, `vitamin_d_mcg`, `energy_kcal`, `protein_g`); every
other column is optional. Missing values stay missing (NaN), never 0.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError

SLOTS: tuple[str, ...] = ("breakfast", "lunch", "dinner", "snack")
# `ingredient`: kept in the table (for recipes and look-ups) but never served as a plan item.
ROLES: tuple[str, ...] = ("protein", "starch", "vegetable", "fruit", "dairy", "drink", "fat", "snack", "ingredient")
TAGS: tuple[str, ...] = (
    "vegan", "vegetarian", "dairy", "egg", "fish", "meat", "nuts", "peanuts", "soy", "gluten", "fortified",
)
DIETS: tuple[str, ...] = ("omnivore", "pescatarian", "vegetarian", "vegan")

NUTRIENT_COLUMN = re.compile(r"^[a-z][a-z0-9_]*_(kcal|g|mg|mcg)$")
# Columns whose names look like nutrients but describe the food, not its content.
NOT_NUTRIENTS = frozenset({"serving_g", "package_g"})
REQUIRED = ("food_id", "name")
NUMERIC_OPTIONAL = ("serving_g", "max_servings", "package_g", "package_price", "price_per_100g", "max_days")
GRAMS_PER_UNIT = {"g": 1.0, "mg": 1e-3, "mcg": 1e-6}

DEFAULT_MAX_SERVINGS = 2.0
SR_LEGACY = "sr-legacy"


def _data_path(name: str) -> Path:
    return Path(str(resources.files("planner") / "data" / name))


def default_foods_path() -> Path:
    """The embedded table: inside the installed package, or at the top of a source checkout."""
    packaged = _data_path("foods.csv")
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "foods.csv"


def nutrient_unit(column: str) -> str:
    """`magnesium_mg` -> `mg`; `energy_kcal` -> `kcal`."""
    return column.rsplit("_", 1)[1]


@dataclass(frozen=True)
class FoodTable:
    """A validated food table.

    `data` is indexed by `food_id`; nutrient columns are floats per 100 g with NaN
    for missing; `slots` and `tags` are tuples; `price_per_100g` is NaN when no
    sourced price exists.
    """

    data: pd.DataFrame
    source: str
    nutrients: tuple[str, ...]

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of ids and nutrient values: a plan records it, `check` compares it.

        Computed once per table (tables are not changed after loading)."""
        frame = self.data[list(self.nutrients)].sort_index()
        text = frame.to_csv(float_format="%.6g")
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.data)

    def per_serving(self, nutrient: str) -> pd.Series:
        """The nutrient in one household serving of each food (NaN where missing)."""
        return self.data[nutrient] * self.data["serving_g"] / 100.0

    def subset(self, food_ids: list[str] | pd.Index) -> FoodTable:
        return FoodTable(self.data.loc[list(food_ids)], self.source, self.nutrients)


def plausible_max() -> dict[str, float]:
    """Highest value per 100 g we accept per known nutrient: twice the highest in all of SR Legacy.

    `nutrient_limits.csv` is derived from the shipped SR Legacy extract by
    `scripts/nutrient_limits.py`; a test re-derives it.
    """
    with _data_path("nutrient_limits.csv").open(newline="") as handle:
        return {row["nutrient"]: float(row["plausible_max"]) for row in csv.DictReader(handle)}


def load_foods(path: str | Path | None = None) -> FoodTable:
    """Read and validate a food table; `None` gives the embedded one, `"sr-legacy"` all of SR Legacy.

    >>> foods = load_foods()
    >>> foods.data.loc["spinach_raw", "magnesium_mg"]  # doctest: +SKIP
    79.0
    """
    if path is None:
        path = default_foods_path()
    elif str(path) == SR_LEGACY:
        from planner.fdc_bulk import sr_legacy_table  # deferred: only this choice needs it

        return sr_legacy_table()
    path = Path(path)
    return parse_foods(read_text(path), source=str(path))


def read_text(path: Path) -> str:
    """A user's file as text, or an InputError naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"cannot read it as UTF-8 text ({exc.__class__.__name__})") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read it ({exc.strerror})") from None


def parse_foods(text: str, source: str = "<foods>") -> FoodTable:
    """Validate a food table given as CSV text. Every error names source, row and field."""
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(source, f"not a readable CSV table ({str(exc).strip().splitlines()[-1]})") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    for column in REQUIRED:
        if column not in raw.columns:
            raise InputError(source, f"missing column '{column}' (a food table needs food_id, name and "
                                     "nutrient columns per 100 g such as magnesium_mg)")
    nutrients = tuple(c for c in raw.columns if NUTRIENT_COLUMN.match(c) and c not in NOT_NUTRIENTS)
    if not nutrients:
        raise InputError(source, "no nutrient columns (names ending in _kcal, _g, _mg or _mcg, per 100 g)")
    limits = plausible_max()
    rows = lambda mask: [i + 2 for i in np.flatnonzero(mask)]  # noqa: E731  header is row 1

    ids = raw["food_id"].str.strip()
    if (ids == "").any():
        raise InputError(source, "expected a food id, got an empty cell", rows(ids == "")[0], "food_id")
    duplicated = ids.duplicated(keep=False)
    if duplicated.any():
        first, second = rows(duplicated)[:2]
        raise InputError(source, f"duplicate food id '{ids[duplicated].iloc[0]}' (also on row {first})",
                         second, "food_id")

    data = pd.DataFrame(index=pd.Index(ids, name="food_id"))
    data["name"] = raw["name"].str.strip().to_numpy()
    for column in nutrients:
        values = _numbers(raw[column], source, column, "a number per 100 g, or an empty cell for missing")
        bad = values < 0
        if bad.any():
            raise InputError(source, f"expected a value >= 0 per 100 g, got {values[bad].iloc[0]:g}",
                             rows(bad)[0], column)
        ceiling = limits.get(column, _physical_max(column))
        bad = values > ceiling
        if bad.any():
            raise InputError(source, f"{values[bad].iloc[0]:g} {nutrient_unit(column)} per 100 g is not "
                                     f"plausible (expected at most {ceiling:g})", rows(bad)[0], column)
        data[column] = values.to_numpy()

    for column in NUMERIC_OPTIONAL:
        if column in raw.columns:
            values = _numbers(raw[column], source, column, "a positive number or an empty cell")
            bad = values <= 0
            if bad.any():
                raise InputError(source, f"expected a positive number, got {values[bad].iloc[0]:g}",
                                 rows(bad)[0], column)
            data[column] = values.to_numpy()
        else:
            data[column] = np.nan

    # No serving means grams: a 100 g "serving" keeps every food plannable.
    no_serving = data["serving_g"].isna()
    data["serving_g"] = data["serving_g"].fillna(100.0)
    labels = raw["serving_label"].str.strip() if "serving_label" in raw.columns else pd.Series("", index=raw.index)
    data["serving_label"] = np.where(no_serving.to_numpy() | (labels == "").to_numpy(),
                                     [f"{g:g} g" for g in data["serving_g"]], labels.to_numpy())
    data["max_servings"] = data["max_servings"].fillna(DEFAULT_MAX_SERVINGS)
    derived = data["price_per_100g"].isna() & data["package_g"].notna() & data["package_price"].notna()
    data.loc[derived, "price_per_100g"] = data["package_price"] / data["package_g"] * 100.0

    data["slots"] = _vocabulary(raw, "slots", SLOTS, source, default=SLOTS)
    data["tags"] = _vocabulary(raw, "tags", TAGS, source, default=())
    data["role"] = _choice(raw, "role", ROLES, source)
    if "fdc_id" in raw.columns:
        data["fdc_id"] = _numbers(raw["fdc_id"], source, "fdc_id", "a FoodData Central id (a whole number)") \
            .astype("Int64").to_numpy()
    else:
        data["fdc_id"] = pd.array([pd.NA] * len(data), dtype="Int64")
    for column in ("aisle", "package_label", "price_source", "price_date", "nutrient_source", "serving_source",
                   "usda_description"):
        data[column] = raw[column].str.strip().to_numpy() if column in raw.columns else ""
    data["aisle"] = data["aisle"].replace("", "other")
    return FoodTable(data, source, nutrients)


def _physical_max(column: str) -> float:
    """A column we know nothing about can at most be all of the 100 g."""
    unit = nutrient_unit(column)
    return 900.0 if unit == "kcal" else 100.0 / GRAMS_PER_UNIT[unit]


def _numbers(cells: pd.Series, source: str, field: str, expected: str) -> pd.Series:
    stripped = cells.str.strip()
    values = pd.to_numeric(stripped.replace("", np.nan), errors="coerce")
    bad = values.isna() & (stripped != "")
    if not bad.any():
        bad = ~np.isfinite(values.fillna(0.0))
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(source, f"expected {expected}, got '{cells.iloc[position]}'", position + 2, field)
    return values.astype(float)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in re.split(r"[|;]", cell) if part.strip())


def _vocabulary(raw: pd.DataFrame, column: str, allowed: tuple[str, ...], source: str,
                default: tuple[str, ...]) -> list[tuple[str, ...]]:
    if column not in raw.columns:
        return [default] * len(raw)
    out: list[tuple[str, ...]] = []
    for position, cell in enumerate(raw[column]):
        parts = _split(cell)
        unknown = [p for p in parts if p not in allowed]
        if unknown:
            raise InputError(source, f"unknown {column[:-1]} '{unknown[0]}' (expected some of: "
                                     f"{', '.join(allowed)}, separated by |)", position + 2, column)
        out.append(parts or default)
    return out


def _choice(raw: pd.DataFrame, column: str, allowed: tuple[str, ...], source: str) -> np.ndarray:
    if column not in raw.columns:
        return np.full(len(raw), "", dtype=object)
    values = raw[column].str.strip().str.lower()
    bad = (values != "") & ~values.isin(allowed)
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(source, f"unknown {column} '{values.iloc[position]}' (expected one of: "
                                 f"{', '.join(allowed)})", position + 2, column)
    return values.to_numpy(dtype=object)


@dataclass(frozen=True)
class FoodChoice:
    """What a person allows: a diet pattern, exclusions (tags or food ids), inclusions, likes."""

    diet: str = "omnivore"
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    like: tuple[str, ...] = ()


def allowed_foods(foods: FoodTable, choice: FoodChoice) -> FoodTable:
    """The foods the person's diet and exclusions allow, in table order.

    `exclude` and `include` take tags (`nuts`, `fish`) or food ids; `include`
    names foods that must appear in the plan, so they must also be allowed.
    """
    if choice.diet not in DIETS:
        raise InputError("--diet", f"unknown diet '{choice.diet}' (expected one of: {', '.join(DIETS)})")
    data = foods.data
    for item in (*choice.exclude, *choice.include, *choice.like):
        if item not in TAGS and item not in data.index:
            raise InputError(foods.source, f"unknown food or tag '{item}' (tags: {', '.join(TAGS)}; "
                                           "food ids are in the food_id column)")
    tags = data["tags"]
    keep = pd.Series(True, index=data.index)
    if choice.diet == "vegan":
        keep &= tags.map(lambda t: "vegan" in t)
    elif choice.diet == "vegetarian":
        keep &= tags.map(lambda t: "vegan" in t or "vegetarian" in t)
    elif choice.diet == "pescatarian":
        keep &= tags.map(lambda t: "meat" not in t)
    for item in choice.exclude:
        keep &= ~(tags.map(lambda t, item=item: item in t) | (data.index == item))
    for item in choice.include:
        if item in data.index and not keep[item]:
            raise InputError("--include", f"'{item}' is not allowed by the diet or exclusions given")
    return foods.subset(data.index[keep])
