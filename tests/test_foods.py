"""Loading and validating food tables."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from conftest import FOODS_CSV, extract_row
from planner.errors import InputError
from planner.foods import DEFAULT_MAX_SERVINGS, SLOTS, FoodChoice, allowed_foods, parse_foods, plausible_max
from planner.sources import load_foods


@pytest.fixture(scope="module")
def foods():
    return load_foods()


def test_embedded_table_loads(foods):
    assert len(foods) >= 80
    assert "magnesium_mg" in foods.nutrients and "vitamin_b12_mcg" in foods.nutrients
    assert foods.data.index.is_unique


def test_embedded_values_match_csv(foods):
    with FOODS_CSV.open(newline="", encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert foods.data.loc[first["food_id"], "magnesium_mg"] == float(first["magnesium_mg"])


def test_minimal_table_with_extra_nutrient_columns(tiny_foods_csv):
    path = tiny_foods_csv(nutrients=("magnesium_mg", "energy_kcal", "vitamin_b6_mg"))
    table = load_foods(path)
    assert table.nutrients == ("magnesium_mg", "energy_kcal", "vitamin_b6_mg")
    assert len(table) == 6


def test_missing_values_are_nan_not_zero(tiny_foods_csv):
    # SR Legacy has no vitamin D value for many foods; find one among ours and one with a value.
    fdc_ids = [168462, 170567, 172421, 173944, 171287, 175168]
    empty = [f for f in fdc_ids if extract_row(f)["vitamin_d_mcg"] == ""]
    path = tiny_foods_csv(foods=[{"fdc_id": f} for f in fdc_ids] + [{"fdc_id": 168462, "food_id": "blank",
                                                                      "magnesium_mg": ""}])
    table = load_foods(path)
    assert np.isnan(table.data.loc["blank", "magnesium_mg"])
    for f in empty:
        assert np.isnan(table.data.loc[f"fdc_{f}", "vitamin_d_mcg"])
    # per_serving keeps NaN too
    assert np.isnan(table.per_serving("magnesium_mg")["blank"])


def test_no_slots_means_any_slot(tiny_foods_csv):
    table = load_foods(tiny_foods_csv())
    assert all(slots == SLOTS for slots in table.data["slots"])


def test_empty_slots_cell_means_any_slot(tiny_foods_csv):
    table = load_foods(tiny_foods_csv(foods=[{"fdc_id": 168462, "slots": ""},
                                             {"fdc_id": 170567, "slots": "snack"}]))
    assert table.data.loc["fdc_168462", "slots"] == SLOTS
    assert table.data.loc["fdc_170567", "slots"] == ("snack",)


def test_package_size_and_price_derive_price_per_100g(tiny_foods_csv):
    table = load_foods(tiny_foods_csv(foods=[
        {"fdc_id": 168462, "package_g": "250", "package_price": "3.00"},
        {"fdc_id": 170567, "package_g": "", "package_price": ""},
    ]))
    assert table.data.loc["fdc_168462", "price_per_100g"] == pytest.approx(1.20)
    assert np.isnan(table.data.loc["fdc_170567", "price_per_100g"])


def test_explicit_price_wins_over_package(tiny_foods_csv):
    table = load_foods(tiny_foods_csv(foods=[
        {"fdc_id": 168462, "package_g": "250", "package_price": "3.00", "price_per_100g": "2"}]))
    assert table.data.loc["fdc_168462", "price_per_100g"] == 2


def test_defaults_for_serving_and_max_servings(tiny_foods_csv):
    table = load_foods(tiny_foods_csv())
    assert (table.data["serving_g"] == 100).all()
    assert (table.data["max_servings"] == DEFAULT_MAX_SERVINGS).all()
    assert (table.data["serving_label"] == "100 g").all()


def test_fingerprint_depends_on_values(tiny_foods_csv):
    a = load_foods(tiny_foods_csv(name="a.csv"))
    b = load_foods(tiny_foods_csv(name="b.csv", foods=[{"fdc_id": 168462, "magnesium_mg": "80"}]))
    a2 = load_foods(tiny_foods_csv(name="a2.csv"))
    assert a.fingerprint == a2.fingerprint
    assert a.fingerprint != b.fingerprint


def _table_text(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(",".join(r) for r in [header, *rows]) + "\n"


def _mg(fdc_id: int) -> str:
    return extract_row(fdc_id)["magnesium_mg"]


def _kcal(fdc_id: int) -> str:
    return extract_row(fdc_id)["energy_kcal"]


GOOD = ["a", "Spinach", _mg(168462), _kcal(168462)]
HEADER = ["food_id", "name", "magnesium_mg", "energy_kcal"]

BAD_TABLES = {
    "missing name column": (_table_text(["food_id", "magnesium_mg"], [["a", _mg(168462)]]), None, "name"),
    "missing food_id column": (_table_text(["name", "magnesium_mg"], [["A", _mg(168462)]]), None, "food_id"),
    "word in number": (_table_text(HEADER, [GOOD, ["b", "B", "lots", _kcal(170567)]]), 3, "magnesium_mg"),
    "negative value": (_table_text(HEADER, [GOOD, ["b", "B", "-" + _mg(170567), _kcal(170567)]]), 3,
                       "magnesium_mg"),
    "absurd value": (_table_text(HEADER, [GOOD, ["b", "B", "5000", _kcal(170567)]]), 3, "magnesium_mg"),
    "absurd kcal": (_table_text(HEADER, [GOOD, ["b", "B", _mg(170567), "5000"]]), 3, "energy_kcal"),
    "duplicate ids": (_table_text(HEADER, [GOOD, GOOD]), 3, "food_id"),
    "empty id": (_table_text(HEADER, [GOOD, ["", "B", _mg(170567), _kcal(170567)]]), 3, "food_id"),
    "infinite value": (_table_text(HEADER, [GOOD, ["b", "B", "inf", _kcal(170567)]]), 3, "magnesium_mg"),
    "no nutrient columns": (_table_text(["food_id", "name"], [["a", "A"]]), None, None),
    "unknown tag": (_table_text(HEADER + ["tags"], [GOOD + ["paleo"]]), 2, "tags"),
    "unknown slot": (_table_text(HEADER + ["slots"], [GOOD + ["brunch"]]), 2, "slots"),
    "unknown role": (_table_text(HEADER + ["role"], [GOOD + ["dessert"]]), 2, "role"),
    "zero serving": (_table_text(HEADER + ["serving_g"], [GOOD + ["0"]]), 2, "serving_g"),
    "bad price": (_table_text(HEADER + ["price_per_100g"], [GOOD + ["$1"]]), 2, "price_per_100g"),
    "bad fdc_id": (_table_text(HEADER + ["fdc_id"], [GOOD + ["abc"]]), 2, "fdc_id"),
    "fractional fdc_id": (_table_text(HEADER + ["fdc_id"], [GOOD + ["168462.5"]]), 2, "fdc_id"),
    "negative fdc_id": (_table_text(HEADER + ["fdc_id"], [GOOD + ["-168462"]]), 2, "fdc_id"),
    "huge serving": (_table_text(HEADER + ["serving_g"], [GOOD + ["1e9"]]), 2, "serving_g"),
    "duplicate nutrient column": (_table_text(HEADER + ["magnesium_mg"], [GOOD + [_mg(168462)]]), 1, "magnesium_mg"),
    "header only": (_table_text(HEADER, []), None, None),
    "same_as an unknown food": (_table_text(HEADER + ["same_as"], [GOOD + [""], ["b", "B", _mg(170567),
                                                                             _kcal(170567), "z"]]), 3, "same_as"),
    "same_as itself": (_table_text(HEADER + ["same_as"], [GOOD + ["a"]]), 2, "same_as"),
    "same_as a food that names another": (_table_text(HEADER + ["same_as"], [
        GOOD + [""], ["b", "B", _mg(170567), _kcal(170567), "a"], ["c", "C", _mg(170567), _kcal(170567), "b"]]), 4,
        "same_as"),
}


def test_same_as_names_the_food_a_week_counts_days_by():
    text = _table_text(HEADER + ["same_as"], [GOOD + [""], ["b", "B", _mg(170567), _kcal(170567), "a"],
                                              ["c", "C", _mg(170567), _kcal(170567), ""]])
    assert parse_foods(text).same_food().to_dict() == {"a": "a", "b": "a", "c": "c"}
    assert parse_foods(_table_text(HEADER, [GOOD])).same_food().to_dict() == {"a": "a"}   # no column: each its own


def test_absurd_value_is_above_the_limit():
    assert 5000 > plausible_max()["magnesium_mg"]


@pytest.mark.parametrize("case", BAD_TABLES)
def test_bad_tables_name_file_row_and_field(case, tmp_path):
    text, row, field = BAD_TABLES[case]
    path = tmp_path / "mine.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_foods(path)
    message = str(info.value)
    assert "mine.csv" in message
    assert "\n" not in message
    if row is not None:
        assert f"row {row}" in message and info.value.row == row
    if field is not None:
        assert field in message


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_foods(tmp_path / "nope.csv")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(_table_text(HEADER, [["a", "Jalape\xf1o", _mg(168462), _kcal(168462)]]).encode("latin-1"))
    with pytest.raises(InputError, match="latin.csv"):
        load_foods(path)


def test_header_only_table_says_so(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(_table_text(HEADER, []), encoding="utf-8")
    with pytest.raises(InputError, match="header but no foods"):
        load_foods(path)


def test_binary_file_is_not_read_as_text(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary"):
        load_foods(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty.csv"):
        load_foods(path)


def test_the_patterns_vegetables_count_beans():
    """FPED's vegetables leave beans out; the Dietary Guidelines' pattern counts them as vegetables. Missing stays
    missing, and a table with no beans column counts its vegetables alone."""
    foods = parse_foods("food_id,name,energy_kcal,vegetables_cup_eq,legumes_cup_eq\n"
                        "chili,Chili with beans,120,0.2,0.3\nkale,Kale,35,1.5,0\nodd,Odd,50,,0.4\n", source="t.csv")
    assert "vegetables_with_beans_cup_eq" in foods.nutrients
    counted = foods.data["vegetables_with_beans_cup_eq"]
    assert counted["chili"] == pytest.approx(0.5) and counted["kale"] == pytest.approx(1.5)
    assert np.isnan(counted["odd"])
    alone = parse_foods("food_id,name,energy_kcal,vegetables_cup_eq\nkale,Kale,35,1.5\n", source="t.csv")
    assert alone.data.at["kale", "vegetables_with_beans_cup_eq"] == pytest.approx(1.5)
    plain = parse_foods("food_id,name,energy_kcal\nx,X,1\n", source="t.csv")
    assert "vegetables_with_beans_cup_eq" not in plain.nutrients


def test_parse_foods_accepts_bom_and_spaces():
    table = parse_foods("\ufeff" + _table_text([" food_id", "name ", "magnesium_mg"], [[" a ", " A ", " 5 "]]))
    assert list(table.data.index) == ["a"]
    assert table.data.loc["a", "name"] == "A"


# --- choosing foods -------------------------------------------------------------------------------


@pytest.mark.parametrize("diet,allowed_tags", [
    ("vegan", {"vegan"}),
    ("vegetarian", {"vegan", "vegetarian"}),
])
def test_diet_keeps_only_tagged_foods(foods, diet, allowed_tags):
    kept = allowed_foods(foods, FoodChoice(diet=diet))
    assert len(kept) > 10
    assert all(set(t) & allowed_tags for t in kept.data["tags"])


def test_pescatarian_drops_meat(foods):
    kept = allowed_foods(foods, FoodChoice(diet="pescatarian"))
    assert not any("meat" in t for t in kept.data["tags"])
    assert any("fish" in t for t in kept.data["tags"])


def test_exclude_tag_and_id(foods):
    food_id = foods.data.index[0]
    kept = allowed_foods(foods, FoodChoice(exclude=("nuts", food_id)))
    assert not any("nuts" in t for t in kept.data["tags"])
    assert food_id not in kept.data.index
    assert len(kept) < len(foods)


@pytest.mark.parametrize("field", ["exclude", "include", "like"])
def test_unknown_choices_name_the_field(foods, field):
    with pytest.raises(InputError, match="pizza") as info:
        allowed_foods(foods, FoodChoice(**{field: ("pizza",)}))
    assert info.value.field == field


def test_unknown_diet_is_refused_when_chosen():
    with pytest.raises(InputError, match="keto") as info:
        FoodChoice(diet="keto")
    assert info.value.field == "diet"


@pytest.mark.parametrize("field", ["include", "like"])
def test_a_food_asked_for_but_not_allowed_by_the_diet_is_refused(foods, field):
    meat = next(i for i, t in foods.data["tags"].items() if "meat" in t)
    with pytest.raises(InputError, match=meat) as refused:
        allowed_foods(foods, FoodChoice(diet="vegan", **{field: (meat,)}))
    assert refused.value.field == field


def test_embedded_table_has_tags_roles_and_servings(foods):
    data = foods.data
    assert (data["role"] != "").all()
    assert data["serving_g"].gt(0).all()
    assert not data["price_per_100g"].isna().all()
    assert pd.api.types.is_float_dtype(data["magnesium_mg"])


def test_each_major_food_allergen_has_a_tag(foods):
    """The nine of US law (FD&C Act 201(qq), sesame since the FASTER Act): excluding one is never refused."""
    for tag in ("dairy", "egg", "fish", "shellfish", "nuts", "peanuts", "wheat", "soy", "sesame"):
        kept = allowed_foods(foods, FoodChoice(exclude=(tag,)))
        assert not any(tag in t for t in kept.data["tags"])


def test_shellfish_goes_with_its_own_tag_and_fish_takes_it_too(foods):
    tags = foods.data["tags"]
    shellfish = set(foods.data.index[tags.map(lambda t: "shellfish" in t)])
    assert {"shrimp_baked", "shrimp_vegetables"} <= shellfish
    assert all("fish" in tags[f] for f in shellfish)
    without_shellfish = allowed_foods(foods, FoodChoice(exclude=("shellfish",))).data.index
    assert "salmon_baked" in without_shellfish and not shellfish & set(without_shellfish)
    assert not shellfish & set(allowed_foods(foods, FoodChoice(exclude=("fish",))).data.index)


def test_every_gluten_food_is_wheat_but_plain_barley(foods):
    tags = foods.data["tags"]
    gluten = set(foods.data.index[tags.map(lambda t: "gluten" in t)])
    wheat = set(foods.data.index[tags.map(lambda t: "wheat" in t)])
    assert wheat <= gluten and gluten - wheat == {"barley"}
    assert "barley" in allowed_foods(foods, FoodChoice(exclude=("wheat",))).data.index


def test_a_choice_given_as_one_text_is_a_list_not_its_letters(foods):
    """FoodChoice(exclude="dairy") had asked for the tags 'd', 'a', 'i', ...; a plan file's "exclude": "dairy" was
    read the same way without a word."""
    assert FoodChoice(exclude="dairy").exclude == ("dairy",)
    assert FoodChoice(like="fish; soy").like == ("fish", "soy")
    assert FoodChoice.from_dict({"exclude": "dairy"}).exclude == ("dairy",)
    kept = allowed_foods(foods, FoodChoice(exclude="dairy"))
    assert len(kept) < len(foods) and not any("dairy" in t for t in kept.data["tags"])
    with pytest.raises(InputError) as refused:
        FoodChoice.from_dict({"exclude": 5})
    assert refused.value.field == "exclude"
