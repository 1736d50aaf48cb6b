"""planner/data/calcium_absorption.csv: cited calcium absorption fractions, first matching row wins."""

from __future__ import annotations

import csv
import re

import pytest

from conftest import ROOT

TABLE = ROOT / "planner" / "data" / "calcium_absorption.csv"
COLUMNS = ["match", "food", "fraction", "study", "read_at", "quote", "note"]


def _rows() -> list[dict[str, str]]:
    with TABLE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows()


def fraction_for(description: str) -> float:
    for row in ROWS:
        if re.search(row["match"], description, re.IGNORECASE):
            return float(row["fraction"])
    raise AssertionError(f"no row matches {description!r}")


def test_columns():
    with TABLE.open(newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == COLUMNS


@pytest.mark.parametrize("row", ROWS, ids=[r["food"] for r in ROWS])
def test_row(row):
    re.compile(row["match"], re.IGNORECASE)
    assert 0 < float(row["fraction"]) <= 1
    assert row["note"].strip()
    if row["match"] != ".*":
        assert row["study"].strip() and row["read_at"].strip() and row["quote"].strip()


def test_default_is_last_and_matches_anything():
    default = ROWS[-1]
    assert default["match"] == ".*"
    assert default["food"] == "default (no study for this food)"
    assert default["study"] == "none: stated default"
    assert [r["match"] for r in ROWS].count(".*") == 1
    for text in ["", "Chard, swiss, cooked", "Beverages, almond milk, unsweetened"]:
        assert re.search(default["match"], text, re.IGNORECASE)


def test_spinach_absorbs_less_than_kale_and_milk():
    spinach = fraction_for("Spinach, cooked, boiled, drained, without salt")
    assert spinach < fraction_for("Kale, cooked, boiled, drained, without salt")
    assert spinach < fraction_for("Milk, whole, 3.25% milkfat, with added vitamin D")


@pytest.mark.parametrize("description, not_food", [
    ("Beverages, almond milk, unsweetened, shelf stable", "almonds"),
    ("Beverages, almond milk, unsweetened, shelf stable", "cow's milk"),
    ("Beans, snap, green, cooked, boiled, drained, without salt", "white beans (incl. navy, great northern)"),
    ("Chinese spinach, cooked", "spinach"),
    ("Oatmeal, regular or quick, made with non-dairy milk, no added fat", "cow's milk"),
])
def test_specific_rows_come_first(description, not_food):
    first = next(r for r in ROWS if re.search(r["match"], description, re.IGNORECASE))
    assert first["food"] != not_food
