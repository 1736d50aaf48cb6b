"""The shipped data: foods.csv against the SR Legacy extract, shared copies, derived limits, build script."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXTRACT_NUTRIENTS, FOODS_CSV, ROOT, extract_row

DATA = ROOT / "planner" / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared data folder at {SHARED}")


def _foods() -> list[dict[str, str]]:
    with FOODS_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


FOODS = _foods()


def _same(a: str, b: str) -> bool:
    if a.strip() == "" or b.strip() == "":
        return a.strip() == b.strip()
    return float(a) == float(b)


@pytest.mark.parametrize("food", FOODS, ids=[f["food_id"] for f in FOODS])
def test_nutrients_equal_the_extract(food):
    source = extract_row(food["fdc_id"])
    wrong = {n: (food[n], source[n]) for n in EXTRACT_NUTRIENTS if not _same(food[n], source[n])}
    assert not wrong, f"{food['food_id']} (fdc_id {food['fdc_id']}): foods.csv vs extract {wrong}"


def test_every_nutrient_column_is_checked():
    columns = set(FOODS[0])
    nutrient_like = {c for c in columns if c.rsplit("_", 1)[-1] in ("kcal", "g", "mg", "mcg")}
    assert nutrient_like - {"serving_g", "package_g"} == set(EXTRACT_NUTRIENTS)


@needs_shared
@pytest.mark.parametrize("name", ["usda_sr_legacy_nutrients.csv", "dri.csv"])
def test_shipped_data_identical_to_shared(name):
    assert (DATA / name).read_bytes() == (SHARED / name).read_bytes(), f"planner/data/{name} differs from shared"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(f"_script_{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_nutrient_limits_match_derivation():
    derived = _load_script("nutrient_limits").derive()
    with (DATA / "nutrient_limits.csv").open(newline="", encoding="utf-8") as handle:
        shipped = list(csv.DictReader(handle))
    assert shipped == derived


def test_every_priced_food_has_a_source_and_date():
    unsourced = [f["food_id"] for f in FOODS if f["price_per_100g"].strip()
                 and not (f["price_source"].strip() and f["price_date"].strip())]
    assert not unsourced
    assert any(f["price_per_100g"].strip() for f in FOODS), "no priced food at all"


def test_at_least_80_foods():
    assert len(FOODS) >= 80


def test_food_ids_unique():
    ids = [f["food_id"] for f in FOODS]
    assert len(ids) == len(set(ids))


NAMED_FOODS = {
    "spinach": ["spinach"], "swiss chard": ["chard"], "kale": ["kale"], "collard": ["collard"],
    "almonds": ["almond"], "cashews": ["cashew"], "pumpkin seeds": ["pumpkin_seed", "pumpkin seed"],
    "chia": ["chia"], "black beans": ["black_bean", "black bean"], "lentils": ["lentil"],
    "oats": ["oat"], "brown rice": ["brown_rice", "brown rice"],
    "whole-wheat bread": ["whole_wheat_bread", "whole-wheat bread", "whole wheat bread"],
    "quinoa": ["quinoa"], "dark chocolate": ["dark_chocolate", "dark chocolate"], "avocado": ["avocado"],
    "milk": ["milk"], "cheese": ["cheese", "cheddar"], "yogurt": ["yogurt"],
    "fortified cereal": ["cereal"], "fortified orange juice": ["orange_juice_fortified"],
    "fortified soy milk": ["soy_milk_fortified"], "tofu": ["tofu"], "soybeans/edamame": ["soybean", "edamame"],
    "banana": ["banana"], "potato": ["potato"], "sweet potato": ["sweet_potato", "sweet potato"],
    "tomato": ["tomato"], "salmon": ["salmon"], "tuna": ["tuna"], "cod": ["cod"], "sardines": ["sardine"],
    "egg": ["egg"], "egg yolk": ["egg_yolk", "egg yolk"], "beef": ["beef"], "chicken": ["chicken"],
}


@pytest.mark.parametrize("food", NAMED_FOODS)
def test_named_food_present(food):
    hits = [f["food_id"] for f in FOODS
            if any(k in f["food_id"].lower() or k in f["name"].lower() for k in NAMED_FOODS[food])]
    if food.startswith("fortified "):
        hits = [h for h in hits if "fortified" in next(f for f in FOODS if f["food_id"] == h)["tags"]]
    assert hits, f"no food for '{food}' in foods.csv"


@needs_shared
def test_build_foods_reproduces_foods_csv(tmp_path):
    out = tmp_path / "foods.csv"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_foods.py"), "--shared", str(SHARED),
                             "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == FOODS_CSV.read_bytes()
