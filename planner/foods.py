"""The food table: schema, validation, and choosing the foods a person allows.

A table needs only `food_id`, `name` and nutrient columns per 100 g (names end in
their unit: `magnesium_mg`, `vitamin_d_mcg`, `energy_kcal`, `protein_g`); every
other column is optional. Missing values stay missing (NaN), never 0. Where a
table comes from (a file, SR Legacy, FoodData Central) is `planner.sources`.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from planner import nutrients
from planner.errors import InputError
from planner.files import data_path, read_csv_text

SLOTS: tuple[str, ...] = ("breakfast", "lunch", "dinner", "snack")
# The slot of a plan of amounts only (`--meals none`): its foods go in no meal.
NO_SLOT = "any"
# `ingredient`: kept in the table (for recipes and look-ups) but never served as a plan item.
# The part of a meal a food plays (`planner/data/meal_patterns.csv` says which parts make each meal):
# a `main` is a dish that is a meal (sandwich, soup, burrito), a `cereal` a ready-to-eat cereal eaten
# with milk or yogurt. `fat` is cooked with or spread, never served on its own.
ROLES: tuple[str, ...] = ("protein", "main", "starch", "cereal", "vegetable", "fruit", "dairy", "drink", "snack",
                          "fat", "ingredient")
# Diet and allergen tags; `milk` (a milk or plant milk to pour) and `yogurt` say what goes with cereal, and
# `spread` (a nut or seed butter) that a food is eaten on something, not alone (planner/data/meal_pairings.csv).
# The allergen tags cover the nine major food allergens of the Federal Food, Drug, and Cosmetic Act, section
# 201(qq) (21 U.S.C. 321(qq), with sesame added by the FASTER Act of 2021): milk (`dairy`), egg, fish, crustacean
# shellfish, tree nuts (`nuts`), peanuts, wheat, soybeans (`soy`) and sesame. On the safe side, `fish` also
# marks shellfish (a pescatarian's seafood), and `shellfish` marks molluscs (clams, squid) beside crustaceans.
TAGS: tuple[str, ...] = (
    "vegan", "vegetarian", "dairy", "egg", "fish", "shellfish", "meat", "nuts", "peanuts", "soy", "sesame",
    "gluten", "wheat", "fortified", "milk", "yogurt", "spread",
)
# The tags a person avoids for an allergy, or gluten for coeliac disease: the plan's note on reading labels.
ALLERGEN_TAGS = frozenset({"dairy", "egg", "fish", "shellfish", "nuts", "peanuts", "soy", "sesame", "gluten", "wheat"})
DIETS: tuple[str, ...] = ("omnivore", "pescatarian", "vegetarian", "vegan")
# The aisles a shopping list groups by: the embedded table's, which the FNDDS and SR Legacy tables share so that
# a list over any of them reads alike. A table's own file may name others; an empty cell is "other".
AISLES: tuple[str, ...] = (
    "produce", "dairy & eggs", "meat & seafood", "bakery", "grains & pasta", "canned & dry goods", "nuts & snacks",
    "frozen", "beverages", "breakfast & cereal", "deli & prepared",
)

# A list is written with commas or semicolons alike: a shell takes either, and a CSV cell holds a semicolon unquoted.
LIST_SEPARATOR = re.compile(r"[,;]")

# The pattern's vegetables: FPED's vegetables plus its beans, peas and lentils, added to every table (`_with_beans`).
BEANS_IN_VEGETABLES = "vegetables_with_beans_cup_eq"
# Columns whose names look like nutrients but describe the food, not its content.
NOT_NUTRIENTS = frozenset({"serving_g", "package_g", "usual_g"})
REQUIRED = ("food_id", "name")
NUMERIC_OPTIONAL = ("serving_g", "max_servings", "usual_g", "package_g", "package_price", "price_per_100g", "max_days")
TEXT_OPTIONAL = ("aisle", "package_label", "package_source", "purchase", "price_source", "price_date",
                 "nutrient_source", "serving_source", "usda_description", "food_group_source", "food_code",
                 "wweia_category", "same_as")
# A household serving above this is not a serving (the heaviest FDC portions, a whole pie or melon, stay below it).
MAX_SERVING_G = 2000.0
DEFAULT_MAX_SERVINGS = 2.0


def default_foods_path() -> Path:
    """The embedded table: inside the installed package, or at the top of a source checkout."""
    packaged = data_path("foods.csv")
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "foods.csv"


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
        digest = hashlib.sha256("\x1f".join([*frame.index, "", *frame.columns]).encode())
        # Values to the millionth (float noise from arithmetic on a value read is not a change); no
        # nutrient is negative, so -1 stands for a missing value.
        values = np.nan_to_num(np.round(frame.to_numpy(float), 6), nan=-1.0) + 0.0   # + 0.0: no -0.0
        digest.update(np.ascontiguousarray(values).tobytes())
        return digest.hexdigest()[:16]

    @cached_property
    def nutrients_with_values(self) -> tuple[str, ...]:
        """The nutrient columns some food has a value in: a column of empty cells (SR Legacy's saturated fat)
        says nothing about any food, not that each has none."""
        return tuple(c for c in self.nutrients if self.data[c].notna().any())

    @property
    def name(self) -> str:
        """The table as a message names it: the one that comes with planner by what it is, not by the path it was
        installed at; any other by its source."""
        return "the embedded food table" if self.is_embedded else self.source

    @property
    def is_embedded(self) -> bool:
        return self.source == str(default_foods_path())

    def __len__(self) -> int:
        return len(self.data)

    def per_serving(self, nutrient: str) -> pd.Series:
        """The nutrient in one household serving of each food (NaN where missing)."""
        return self.data[nutrient] * self.data["serving_g"] / 100.0

    def totals(self, grams: pd.Series, columns: tuple[str, ...] | list[str]) -> dict[str, float]:
        """Totals of `columns` for foods eaten in `grams` (a Series indexed by food id). Missing counts as 0."""
        columns = list(columns)
        rows = self.data.index.get_indexer(grams.index)
        if (rows < 0).any():
            raise KeyError(f"{list(grams.index[rows < 0])} not in the food table")
        # Summed down each column as pandas sums a frame, so totals agree to the last digit with every
        # earlier version of a plan.
        amounts = np.nan_to_num(self.data[columns].to_numpy(float)[rows]) * (grams.to_numpy(float) / 100.0)[:, None]
        return dict(zip(columns, np.ascontiguousarray(amounts.T).sum(axis=1).tolist()))

    def wweia_categories(self) -> pd.Series | None:
        """Each food's WWEIA category (by name), or None when the table names none (SR Legacy, most own tables):
        what the rules for young children read."""
        if "wweia_category" not in self.data or not self.data["wweia_category"].astype(str).str.strip().ne("").any():
            return None
        return self.data["wweia_category"]

    def days_a_week(self, max_days: int) -> pd.Series:
        """The most days of a week each food may be served: a request's `max_days`, or the table's own where it
        allows more (a staple such as milk)."""
        return self.data["max_days"].fillna(max_days).clip(lower=max_days)

    def same_food(self) -> pd.Series:
        """Each food's id for a week's variety: the food it is another form of (`same_as`: cooked and raw
        carrots, canned and dried beans), else its own. Foods of one id share the days they may be served."""
        return self.data["same_as"].where(self.data["same_as"] != "", self.data.index.to_series())

    def subset(self, food_ids: list[str] | pd.Index) -> FoodTable:
        return FoodTable(self.data.loc[list(food_ids)], self.source, self.nutrients)


# Words that say only how much salt a food holds, or the fat it was made with: with and without them it is one
# food for a week's variety. SR Legacy lists 228 salt pairs among foods a plan may serve ("Asparagus, cooked,
# boiled, drained, with salt"); FNDDS writes the fat ("Oatmeal, regular or quick, made with milk, fat added" and
# "..., no added fat" came on alternate days of one week, oatmeal on 6 of 7).
SALT_ONLY = re.compile(r"with(out)? salt( added)?|(un)?salted|(no )?salt added|(low|reduced)[ -]sodium", re.IGNORECASE)
FAT_ONLY = re.compile(r"(no added|fat added|NS as to) fat( added)?( in cooking)?|fat (not )?added( in cooking)?"
                      r"|NS as to fat( type| added| eaten)?|(made|cooked) with (oil|butter|margarine|butter or "
                      r"margarine|animal fat or meat drippings)|lean (only|and fat) eaten"
                      r"|with (regular|reduced fat) [a-z ]+", re.IGNORECASE)


def one_food_forms(food_ids: list[str], descriptions: list[str]) -> list[str]:
    """Each food's `same_as` by salt or fat alone: the id of the first food whose description equals its own once
    the comma parts that say only salt or the fat it was made with are dropped ("Almonds, salted" and "Almonds,
    unsalted"; "Oatmeal, ..., fat added" and "..., no added fat"), else ''."""
    first: dict[str, str] = {}
    same = []
    for food_id, description in zip(food_ids, descriptions, strict=True):
        parts = (p.strip() for p in description.split(","))
        kept = (p for p in parts if not SALT_ONLY.fullmatch(p) and not FAT_ONLY.fullmatch(p))
        group = first.setdefault(", ".join(kept).lower(), food_id)
        same.append("" if group == food_id else group)
    return same


@cache
def plausible_max() -> dict[str, float]:
    """Highest value per 100 g we accept per known nutrient: twice the highest in all of SR Legacy.

    `nutrient_limits.csv` is derived from the shipped SR Legacy extract by
    `scripts/nutrient_limits.py`; a test re-derives it.
    """
    with data_path("nutrient_limits.csv").open(newline="") as handle:
        return {row["nutrient"]: float(row["plausible_max"]) for row in csv.DictReader(handle)}


def parse_foods(text: str, source: str = "<foods>") -> FoodTable:
    """Validate a food table given as CSV text. Every error names source, row and field."""
    names, records = read_csv_text(text, source, "a CSV table with food_id, name and nutrient columns")
    raw = pd.DataFrame(records, columns=names, dtype=object)
    for column in REQUIRED:
        if column not in raw.columns:
            raise InputError(f"missing column '{column}' (a food table needs food_id, name and nutrient "
                             "columns per 100 g such as magnesium_mg)", source=source)
    found = tuple(c for c in raw.columns if nutrients.NUTRIENT_COLUMN.match(c) and c not in NOT_NUTRIENTS)
    if not found:
        raise InputError("no nutrient columns (names ending in _kcal, _g, _mg or _mcg, per 100 g)", source=source)
    if raw.empty:
        raise InputError("the table has a header but no foods", source=source)
    rows = lambda mask: [i + 2 for i in np.flatnonzero(mask)]  # noqa: E731  header is row 1

    ids = raw["food_id"].str.strip()
    if (ids == "").any():
        raise InputError("expected a food id, got an empty cell", source=source, row=rows(ids == "")[0],
                         field="food_id")
    # A list of foods (--exclude, --include, a people table's cells) splits on these: such an id could not be named.
    unnamable = ids.str.contains(LIST_SEPARATOR)
    if unnamable.any():
        raise InputError(f"expected a food id without ',' or ';', got '{ids[unnamable].iloc[0]}' (lists of foods "
                         "split on them)", source=source, row=rows(unnamable)[0], field="food_id")
    duplicated = ids.duplicated(keep=False)
    if duplicated.any():
        first, second = rows(duplicated)[:2]
        raise InputError(f"duplicate food id '{ids[duplicated].iloc[0]}' (also on row {first})", source=source,
                         row=second, field="food_id")

    names = raw["name"].str.strip()
    if (names == "").any():
        raise InputError("expected the food's name, got an empty cell", source=source, row=rows(names == "")[0],
                         field="name")
    data = pd.DataFrame(index=pd.Index(ids, name="food_id"))
    data["name"] = names.to_numpy()
    plain = _plain_numbers(raw, [*found, *(c for c in (*NUMERIC_OPTIONAL, "fdc_id") if c in raw.columns)])

    def numbers(column: str, expected: str) -> pd.Series:
        return plain[column] if column in plain else _numbers(raw[column], source, column, expected)

    for column in found:
        values = numbers(column, "a number per 100 g, or an empty cell for missing")
        bad = values < 0
        if bad.any():
            raise InputError(f"expected a value >= 0 per 100 g, got {values[bad].iloc[0]:g}", source=source,
                             row=rows(bad)[0], field=column)
        ceiling = nutrient_ceiling(column)
        bad = values > ceiling
        if bad.any():
            raise InputError(f"{values[bad].iloc[0]:g} {nutrients.unit(column)} per 100 g is not plausible "
                             f"(expected at most {ceiling:g})", source=source, row=rows(bad)[0], field=column)
        data[column] = values.to_numpy()

    for column in NUMERIC_OPTIONAL:
        if column in raw.columns:
            values = numbers(column, "a positive number or an empty cell")
            bad = values <= 0
            if bad.any():
                raise InputError(f"expected a positive number, got {values[bad].iloc[0]:g}", source=source,
                                 row=rows(bad)[0], field=column)
            if column == "max_days":
                bad = values.notna() & (values != values.round())
                if bad.any():
                    raise InputError(f"expected a whole number of days, got {values[bad].iloc[0]:g}", source=source,
                                     row=rows(bad)[0], field=column)
            data[column] = values.to_numpy()
        else:
            data[column] = np.nan
    bad = data["serving_g"] > MAX_SERVING_G
    if bad.any():
        raise InputError(f"a serving of {data['serving_g'][bad].iloc[0]:g} g is not plausible (expected at most "
                         f"{MAX_SERVING_G:g} g)", source=source, row=rows(bad)[0], field="serving_g")

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
    data["fdc_id"] = _fdc_ids(raw, source, plain.get("fdc_id"))
    for column in TEXT_OPTIONAL:
        data[column] = raw[column].str.strip().to_numpy() if column in raw.columns else ""
    data["aisle"] = data["aisle"].replace("", "other")
    _check_same_as(data["same_as"], source, rows)
    return FoodTable(data, source, (*found, *_with_beans(data, found)))


def _with_beans(data: pd.DataFrame, found: tuple[str, ...]) -> tuple[str, ...]:
    """Adds `vegetables_with_beans_cup_eq` (what the pattern's vegetables count) where the table has vegetables:
    FPED's vegetable total leaves beans, peas and lentils out, but the Healthy U.S.-Style pattern counts them as a
    vegetable subgroup, as MyPlate counts them for people who eat meat, poultry and seafood. A food missing either
    amount is missing here; a table with no beans column counts its vegetables alone. Returns the column added."""
    if "vegetables_cup_eq" not in found or BEANS_IN_VEGETABLES in found:
        return ()
    beans = data["legumes_cup_eq"] if "legumes_cup_eq" in found else 0.0
    data[BEANS_IN_VEGETABLES] = data["vegetables_cup_eq"] + beans
    return (BEANS_IN_VEGETABLES,)


def _check_same_as(same: pd.Series, source: str, rows: Callable[[pd.Series], list[int]]) -> None:
    """A `same_as` names another food of the table, one that names none itself (one food per group to count by)."""
    named = same != ""
    problems = (
        (named & ~same.isin(same.index), "the food_id of another food in the table"),
        (named & (same == same.index), "another food's id, not the food's own"),
        (named & (same.map(same) != ""), "the id of a food with no same_as of its own"),
    )
    for bad, expected in problems:
        if bad.any():
            raise InputError(f"expected {expected}, got '{same[bad].iloc[0]}'", source=source, row=rows(bad)[0],
                             field="same_as")


def _fdc_ids(raw: pd.DataFrame, source: str, values: pd.Series | None = None) -> pd.api.extensions.ExtensionArray:
    if "fdc_id" not in raw.columns:
        return pd.array([pd.NA] * len(raw), dtype="Int64")
    if values is None:
        values = _numbers(raw["fdc_id"], source, "fdc_id", "a FoodData Central id (a whole number), or an empty cell")
    bad = values.notna() & ((values <= 0) | (values != values.round()) | (values > 2**53))
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"expected a FoodData Central id (a whole number above 0), got '{raw['fdc_id'].iloc[position]}'",
                         source=source, row=position + 2, field="fdc_id")
    return values.astype("Int64").to_numpy()


def nutrient_ceiling(column: str) -> float:
    """The most of a nutrient 100 g of any food can hold: `plausible_max` for the nutrients SR Legacy has,
    all of the 100 g for any other column."""
    return plausible_max().get(column, _physical_max(column))


def _physical_max(column: str) -> float:
    """A column we know nothing about can at most be all of the 100 g (a food-group amount: ten of its units)."""
    unit = nutrients.unit(column)
    if unit == "kcal":
        return 900.0
    return 100.0 / nutrients.GRAMS_PER_UNIT[unit] if unit in nutrients.GRAMS_PER_UNIT else 10.0


def _plain_numbers(raw: pd.DataFrame, columns: list[str]) -> dict[str, pd.Series]:
    """Each column read as `_numbers` reads it, all in one pass, when every cell is a number or empty;
    else nothing (`_numbers` then reads each column and names the first bad cell)."""
    if not columns:
        return {}
    cells = pd.Series(raw[columns].to_numpy(dtype=object).ravel()).str.strip()
    values = pd.to_numeric(cells.replace("", np.nan), errors="coerce")
    if ((values.isna() & (cells != "")) | ~np.isfinite(values.fillna(0.0))).any():
        return {}
    matrix = values.to_numpy(float).reshape(len(raw), len(columns)) + 0.0   # + 0.0: a "-0" cell reads as 0
    return {column: pd.Series(matrix[:, k], index=raw.index) for k, column in enumerate(columns)}


def _numbers(cells: pd.Series, source: str, field: str, expected: str) -> pd.Series:
    stripped = cells.str.strip()
    values = pd.to_numeric(stripped.replace("", np.nan), errors="coerce")
    bad = (values.isna() & (stripped != "")) | ~np.isfinite(values.fillna(0.0))
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"expected {expected}, got '{cells.iloc[position]}'", source=source, row=position + 2,
                         field=field)
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
            raise InputError(f"unknown {column[:-1]} '{unknown[0]}' (expected some of: {', '.join(allowed)}, "
                             "separated by |)", source=source, row=position + 2, field=column)
        out.append(parts or default)
    return out


def _choice(raw: pd.DataFrame, column: str, allowed: tuple[str, ...], source: str) -> np.ndarray:
    if column not in raw.columns:
        return np.full(len(raw), "", dtype=object)
    values = raw[column].str.strip().str.lower()
    bad = (values != "") & ~values.isin(allowed)
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"unknown {column} '{values.iloc[position]}' (expected one of: {', '.join(allowed)})",
                         source=source, row=position + 2, field=column)
    return values.to_numpy(dtype=object)


def split_list(values: str | Iterable[str]) -> tuple[str, ...]:
    """The items of a list as people write it, over one or several values: `("nuts; fish", "tuna")` ->
    `('nuts', 'fish', 'tuna')`, split on commas and semicolons alike, spaces and empty items dropped."""
    texts = (values,) if isinstance(values, str) else values
    return tuple(item.strip() for text in texts for item in LIST_SEPARATOR.split(text) if item.strip())


@dataclass(frozen=True)
class FoodChoice:
    """What a person allows: a diet pattern, exclusions (tags or food ids), inclusions, likes."""

    diet: str = "omnivore"
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    like: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.diet not in DIETS:
            raise InputError(f"unknown diet '{self.diet}' (expected one of: {', '.join(DIETS)})", field="diet")
        for name in ("exclude", "include", "like"):   # one text is a list as people write it, not its letters
            value = getattr(self, name)
            if not isinstance(value, (str, list, tuple)):
                raise InputError(f"expected food ids or tags, got {value!r}"[:80], field=name)
            object.__setattr__(self, name, split_list(value if isinstance(value, str) else [str(v) for v in value]))

    def to_dict(self) -> dict:
        return {"diet": self.diet, "exclude": list(self.exclude), "include": list(self.include),
                "like": list(self.like)}

    @classmethod
    def from_dict(cls, doc: dict) -> FoodChoice:
        return cls(str(doc.get("diet", "omnivore")), *(doc.get(k) or () for k in ("exclude", "include", "like")))


def allowed_foods(foods: FoodTable, choice: FoodChoice) -> FoodTable:
    """The foods the person's diet and exclusions allow, in table order.

    `exclude` and `like` take tags (`nuts`, `fish`) or food ids; `include` names foods that must appear in the
    plan (ids only), so they must also be allowed, as must some food of a liked tag.
    """
    data = foods.data
    for field, items in (("exclude", choice.exclude), ("include", choice.include), ("like", choice.like)):
        for item in items:
            if item not in TAGS and item not in data.index:
                raise InputError(f"unknown food or tag '{item}' in {foods.name} (tags: {', '.join(TAGS)}; "
                                 "food ids are in the food_id column)", field=field)
    tags = data["tags"]
    by_tag = [(f, item) for f, items in (("exclude", choice.exclude), ("like", choice.like)) for item in items
              if item in TAGS]
    if choice.diet != "omnivore":
        by_tag.insert(0, ("diet", choice.diet))
    if by_tag and not tags.map(bool).any():
        # With no tag anywhere, a diet or an allergen left out by tag would keep every food and say it had not.
        field, item = by_tag[0]
        raise InputError(f"{foods.name} gives no food a tag (its 'tags' column is missing or empty), so "
                         f"'{item}' cannot be applied: add a tags column (e.g. vegan|nuts, separated by |) or "
                         "name food ids instead", field=field)
    for item in choice.include:
        if item in TAGS and item not in data.index:   # a food that must appear is one food, not a kind
            with_tag = data.index[tags.map(lambda t, item=item: item in t)][:4].tolist()
            raise InputError(f"expected food ids, got the tag '{item}'" + (
                f" (foods with it include {', '.join(with_tag)}): name one, or favour all of them by liking the tag"
                if with_tag else ""), field="include")
    keep = pd.Series(True, index=data.index)
    if choice.diet == "vegan":
        keep &= tags.map(lambda t: "vegan" in t)
    elif choice.diet == "vegetarian":
        keep &= tags.map(lambda t: "vegan" in t or "vegetarian" in t)
    elif choice.diet == "pescatarian":
        keep &= tags.map(lambda t: "meat" not in t)
    for item in choice.exclude:
        keep &= ~(tags.map(lambda t, item=item: item in t) | (data.index == item))
    for field, items in (("include", choice.include), ("like", choice.like)):
        for item in items:
            if item in data.index and not keep[item]:
                raise InputError(f"'{item}' is not allowed by the diet or exclusions given", field=field)
            if item not in data.index and not (keep & tags.map(lambda t, item=item: item in t)).any():
                raise InputError(f"no food tagged '{item}' is allowed by the diet or exclusions given", field=field)
    return foods.subset(data.index[keep])
