"""The one registry of nutrients: `planner/data/nutrients.csv`.

Each row is a column a food table may hold, per 100 g: a nutrient (`kind`
nutrient) or a USDA food-pattern group (`kind` food_group: cup, ounce or
teaspoon equivalents from FPED). A row gives the unit, the words a person uses for
it (`label`: "vitamin D", "B12", "whole grains"), its name in the DRI table, its
FoodData Central nutrient id and number, its FNDDS header (or FPED variable),
whether it is one of the five the plan is about (`headline`) and whether the body
stores it so a week may meet it on average (`stored`). Adding a nutrient is a row
here plus its data.

A user's table may carry other nutrient columns (`zinc_mg`): they are planned
with like any other, and named by their column.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from planner.files import data_path

# A nutrient or food-group column of a user's table: a lower-case name ending in its unit.
NUTRIENT_COLUMN = re.compile(r"^[a-z][a-z0-9_]*_(kcal|g|mg|mcg|cup_eq|oz_eq|tsp_eq)$")
GRAMS_PER_UNIT = {"g": 1.0, "mg": 1e-3, "mcg": 1e-6}
UNITS = ("kcal", "g", "mg", "mcg", "cup_eq", "oz_eq", "tsp_eq")
# What a name comes down to when compared: no case, no spaces, '_', '-' or '.' (`Vitamin B-12`, `b 12`, `vit. b12`).
NOT_COMPARED = re.compile(r"[\s_.\-]+")
# How alike a misspelling and a name must be to suggest the name (difflib's ratio): `magnesum` is 0.94 like magnesium,
# `mag` 0.8 like mg; a word like no name (`zinc`) gets no suggestion. Names behind the nearest by more than AS_NEAR
# are left out, so that one near name is not drowned in others: `vitamin e` is 0.88 like vitamin D, 0.82 like B6.
NEAR = 0.8
AS_NEAR = 0.05


@dataclass(frozen=True)
class Nutrient:
    column: str             # magnesium_mg
    unit: str               # mg
    label: str              # magnesium, vitamin D, B12
    dri_name: str           # the name in dri.csv ('' when the DRI table has none)
    fdc_id: int | None      # FoodData Central nutrient id (1090)
    fdc_number: str         # FoodData Central / SR nutrient number ('304')
    fndds_header: str       # the FNDDS 2017-2018 column header
    headline: bool          # one of the five the plan is about
    stored: bool            # the body stores it: a week may meet it on average
    words: tuple[str, ...]  # what people type for it
    kind: str = "nutrient"  # nutrient or food_group


@cache
def registry() -> dict[str, Nutrient]:
    """Every known nutrient by column, in the registry's order."""
    with data_path("nutrients.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {r["column"]: Nutrient(
        column=r["column"], unit=r["unit"], label=r["label"], dri_name=r["dri_name"],
        fdc_id=int(r["fdc_id"]) if r["fdc_id"] else None, fdc_number=r["fdc_number"],
        fndds_header=r["fndds_header"], headline=r["headline"] == "yes", stored=r["stored"] == "yes",
        words=tuple(w.strip() for w in r["words"].split("|") if w.strip()), kind=r["kind"],
    ) for r in rows}


def columns(kind: str | None = "nutrient") -> tuple[str, ...]:
    """The registry's columns of one kind (`nutrient`, `food_group`, or None for all), in order."""
    return tuple(c for c, n in registry().items() if kind is None or n.kind == kind)


def headline() -> tuple[str, ...]:
    """The five the plan is about, in the order summaries show them."""
    return tuple(c for c, n in registry().items() if n.headline)


# Nutrients held under a ceiling only: a floor on sodium would reward salty foods (salt is added in cooking).
CEILING_ONLY = frozenset({"sodium_mg"})


def stored() -> frozenset[str]:
    """Nutrients a week may meet on average (vitamin D, B12)."""
    return frozenset(c for c, n in registry().items() if n.stored)


def unit(column: str) -> str:
    """`magnesium_mg` -> `mg`; `dairy_cup_eq` -> `cup_eq` (from the name for columns the registry lacks)."""
    known = registry().get(column)
    if known:
        return known.unit
    return next((u for u in UNITS if column.endswith("_" + u) and "_" in u), column.rsplit("_", 1)[1])


def label(column: str) -> str:
    """What people call it: `vitamin_d_mcg` -> `vitamin D`; a share of calories reads `protein % of kcal`."""
    known = registry().get(column)
    if known:
        return known.label
    for suffix, whole in (("_pct_kcal", "kcal"), ("_pct_grains", "grains")):
        if column.endswith(suffix):
            base = column[: -len(suffix)] + "_"
            part = next((c for c in registry() if c.startswith(base)), None)
            return f"{label(part) if part else base.rstrip('_').replace('_', ' ')} % of {whole}"
    return column


def amount_text(value: float) -> str:
    """An amount to three significant figures, never in powers of ten: `1,410`, `18.8`, `0.123`."""
    return f"{value:,.0f}" if abs(value) >= 99.95 else f"{value:.3g}"


def by_word(word: str) -> str | None:
    """The column a person means: `magnesium`, `vitamin D`, `b12`, `Vitamin B-12`, `vitamin_b12_mcg`, `D3`."""
    return _names().get(_compared(word))


def nearest(word: str, among: Iterable[str], most: int = 3) -> tuple[str, ...]:
    """The columns of `among` whose names come nearest to a word that names none of them, nearest first: what a
    misspelling (`magnesum`) may have meant (magnesium_mg). Empty when no name is near."""
    among, key = set(among), _compared(word)
    alike: dict[str, float] = {}
    for name, column in _names().items():
        if column in among:
            alike[column] = max(alike.get(column, 0.0), difflib.SequenceMatcher(None, key, name).ratio())
    cutoff = max(NEAR, max(alike.values(), default=0.0) - AS_NEAR)
    return tuple(sorted((c for c, ratio in alike.items() if ratio >= cutoff), key=lambda c: -alike[c]))[:most]


def _compared(name: str) -> str:
    return NOT_COMPARED.sub("", name.casefold())


@cache
def _names() -> dict[str, str]:
    """Each name a column goes by (the column, its label, its DRI name, its words), as compared -> the column."""
    names: dict[str, str] = {}
    for column, n in registry().items():
        for name in (column, n.label, n.dri_name, *n.words):
            if name.strip():
                names.setdefault(_compared(name), column)
    return names
