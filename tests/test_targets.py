"""DRI targets: every number is compared with planner/data/dri.csv (or amdr.csv, energy.csv) read here."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from planner.advice import target_notes
from planner.errors import InputError, ProfileError
from planner.request import DEFICIENT_FACTOR, MealRules, PlanRequest, Profile, deficient_columns, make_profile
from planner.targets import KCAL_TOLERANCE, read_targets_file, targets_for, targets_for_request

DATA = ROOT / "planner" / "data"
DRI = pd.read_csv(DATA / "dri.csv")
AMDR = pd.read_csv(DATA / "amdr.csv")
ENERGY = pd.read_csv(DATA / "energy.csv")
LIFE_STAGE = pd.read_csv(DATA / "energy_life_stage.csv").set_index("stage")
CHILD_SODIUM = pd.read_csv(DATA / "sodium_cdrr_children.csv")
# Every DRI nutrient a person may mark deficient: all but sodium, which has a ceiling only.
ALL_DRI_NUTRIENTS = sorted(set(DRI["nutrient"]) - {"sodium"})


def dri(nutrient: str, group: str, age: float) -> pd.Series:
    rows = DRI[(DRI["nutrient"] == nutrient) & (DRI["group"] == group) & (DRI["age_min"] <= age)
               & (DRI["age_max"].fillna(np.inf) >= age)]
    assert len(rows) == 1, (nutrient, group, age)
    return rows.iloc[0]


def row(targets: pd.DataFrame, nutrient: str) -> pd.Series:
    found = targets[targets["nutrient"] == nutrient]
    assert len(found) == 1, f"{nutrient}: {len(found)} target rows"
    return found.iloc[0]


# (profile kwargs, dri group, nutrient column) for plain lookups: floor = RDA/AI, ceiling = UL.
LOOKUPS = [
    (dict(age=40, sex="female"), "females", "calcium_mg"),
    (dict(age=40, sex="female"), "females", "vitamin_d_mcg"),
    (dict(age=75, sex="male"), "males", "vitamin_d_mcg"),
    (dict(age=75, sex="male"), "males", "calcium_mg"),
    (dict(age=25, sex="female", pregnant=True), "pregnancy", "calcium_mg"),
    (dict(age=25, sex="female", pregnant=True), "pregnancy", "vitamin_b12_mcg"),
    (dict(age=25, sex="female", pregnant=True), "pregnancy", "vitamin_b6_mg"),
    (dict(age=33, sex="female", lactating=True), "lactation", "vitamin_b12_mcg"),
    (dict(age=16, sex="male"), "males", "calcium_mg"),
    (dict(age=16, sex="female"), "females", "vitamin_b6_mg"),
    (dict(age=16, sex="female", pregnant=True), "pregnancy", "calcium_mg"),
    (dict(age=5, sex="female"), "children", "calcium_mg"),
]


@pytest.mark.parametrize("kwargs,group,column", LOOKUPS)
def test_floor_and_ceiling_come_from_dri_csv(kwargs, group, column):
    nutrient = column.rsplit("_", 1)[0]
    expected = dri(nutrient, group, kwargs["age"])
    target = row(targets_for(make_profile(**kwargs)), column)
    assert target["min"] == pytest.approx(float(expected["value"]))
    if pd.isna(expected["ul"]):
        assert pd.isna(target["max"])
    else:
        assert target["max"] == pytest.approx(float(expected["ul"]))
    assert target["unit"] == expected["unit"]


def test_women_31_50_magnesium_floor_without_a_ceiling():
    expected = dri("magnesium", "females", 40)
    target = row(targets_for(make_profile(age=40, sex="female")), "magnesium_mg")
    assert target["min"] == float(expected["value"]) == 320
    assert pd.notna(expected["ul"]), "dri.csv has a (supplement-only) magnesium UL"
    assert pd.isna(target["max"]), "the magnesium UL is for supplements only and must not cap food"


def test_calcium_has_a_ul_ceiling():
    target = row(targets_for(make_profile(age=40, sex="female")), "calcium_mg")
    assert pd.notna(target["max"]) and target["max"] > target["min"]


def test_men_over_70_vitamin_d_is_20():
    assert row(targets_for(make_profile(age=72, sex="male")), "vitamin_d_mcg")["min"] == \
        float(dri("vitamin_d", "males", 72)["value"]) == 20


def test_pregnancy_rows_differ_and_are_used():
    """The pregnancy rows must actually be what the planner uses (they differ from the non-pregnant ones)."""
    pregnant = targets_for(make_profile(age=25, sex="female", pregnant=True)).set_index("nutrient")
    differs = 0
    for nutrient in ALL_DRI_NUTRIENTS:
        expected = dri(nutrient, "pregnancy", 25)
        column = f"{nutrient}_{expected['unit']}"
        if nutrient == "sodium":
            continue
        assert pregnant.loc[column, "min"] == pytest.approx(float(expected["value"])), column
        differs += float(expected["value"]) != float(dri(nutrient, "females", 25)["value"])
    assert differs > 0


@pytest.mark.parametrize("age", [14, 16, 18])
@pytest.mark.parametrize("sex,group", [("female", "females"), ("male", "males")])
def test_teen_rows(age, sex, group):
    targets = targets_for(make_profile(age=age, sex=sex)).set_index("nutrient")
    for nutrient in ("calcium", "magnesium", "vitamin_d", "potassium"):
        expected = dri(nutrient, group, age)
        assert expected["age_min"] == 14 and expected["age_max"] == 18
        assert targets.loc[f"{nutrient}_{expected['unit']}", "min"] == pytest.approx(float(expected["value"]))


def test_fractional_age_uses_whole_year_groups():
    assert row(targets_for(make_profile(age=30.5, sex="female")), "magnesium_mg")["min"] == \
        float(dri("magnesium", "females", 30)["value"])


def _profiles():
    out = []
    for age, sex in itertools.product([1, 2, 3, 4, 8, 9, 13, 14, 18, 19, 30, 31, 50, 51, 70, 71, 95, 120],
                                      ["female", "male"]):
        out.append(dict(age=age, sex=sex))
    for age in (14, 18, 19, 30, 31, 50):
        out += [dict(age=age, sex="female", pregnant=True), dict(age=age, sex="female", lactating=True)]
    return out


PROFILES = _profiles()


@pytest.mark.parametrize("kwargs", PROFILES, ids=lambda k: "-".join(str(v) for v in k.values()))
def test_deficient_raises_floor_by_factor_never_past_ul(kwargs):
    profile = make_profile(**kwargs)
    plain = targets_for(profile).set_index("nutrient")
    raised = targets_for(profile, deficient_columns(ALL_DRI_NUTRIENTS)).set_index("nutrient")
    assert list(plain.index) == list(raised.index)
    for column in plain.index:
        lo, hi = raised.loc[column, "min"], raised.loc[column, "max"]
        if pd.notna(lo) and pd.notna(hi):
            assert lo <= hi, f"{column}: floor {lo} above ceiling {hi} for {kwargs}"
        base = plain.loc[column, "min"]
        if column.rsplit("_", 1)[0] in ALL_DRI_NUTRIENTS and pd.notna(base):
            expected = base * DEFICIENT_FACTOR
            if pd.notna(hi):
                expected = min(expected, hi)
            assert lo == pytest.approx(expected), column
            assert lo >= base
        else:
            assert lo == base or (pd.isna(lo) and pd.isna(base)), column


@pytest.mark.parametrize("kwargs", [dict(age=40, sex="female"), dict(age=2, sex="male"),
                                    dict(age=25, sex="female", pregnant=True)])
def test_a_raised_floor_is_held_at_the_ceiling(kwargs):
    """No real profile has 1.25 x RDA above a food UL, so the cap is tested with a factor that crosses every UL."""
    profile = make_profile(**kwargs)
    plain = targets_for(profile).set_index("nutrient")
    with_ul = [c for c in plain.index if pd.notna(plain.loc[c, "min"]) and pd.notna(plain.loc[c, "max"])
               and c.rsplit("_", 1)[0] in ALL_DRI_NUTRIENTS]
    assert with_ul, "a profile with floors and ceilings"
    factor = 1.01 * max(plain.loc[c, "max"] / plain.loc[c, "min"] for c in with_ul)
    raised = targets_for(profile, tuple(with_ul), factor=factor).set_index("nutrient")
    for column in with_ul:
        assert raised.loc[column, "min"] == raised.loc[column, "max"] == plain.loc[column, "max"]
        assert "held at the UL" in raised.loc[column, "source"]


def test_deficient_accepts_column_names_and_short_names():
    profile = make_profile(age=40, sex="female")
    a = targets_for(profile, deficient_columns(("vitamin_d",))).set_index("nutrient")
    b = targets_for(profile, deficient_columns(("vitamin D",))).set_index("nutrient")
    assert a.loc["vitamin_d_mcg", "min"] == b.loc["vitamin_d_mcg", "min"]
    assert "marked deficient" in a.loc["vitamin_d_mcg", "source"]


def test_a_ceiling_only_nutrient_cannot_be_marked_deficient():
    """Sodium has no floor to raise: asking is refused, and it is not offered among the names that work."""
    with pytest.raises(InputError, match="sodium has no floor") as refused:
        deficient_columns(("sodium",))
    assert refused.value.field == "deficient"
    with pytest.raises(InputError) as unknown:
        deficient_columns(("zinc",))
    assert "sodium" not in str(unknown.value) and "magnesium" in str(unknown.value)


@pytest.mark.parametrize("age,sex", [(25, "female"), (45, "male"), (80, "female")])
def test_sodium_is_a_ceiling_only(age, sex):
    group = {"female": "females", "male": "males"}[sex]
    target = row(targets_for(make_profile(age=age, sex=sex)), "sodium_mg")
    assert pd.isna(target["min"])
    assert target["max"] == float(dri("sodium", group, age)["ul"]) == 2300


@pytest.mark.parametrize("age,sex", [(1, "female"), (3, "male"), (4, "female"), (8, "male"), (9, "female"),
                                     (13, "male")])
def test_a_childs_sodium_ceiling_is_the_secondary_cdrr_and_says_so(age, sex):
    cdrr = CHILD_SODIUM[(CHILD_SODIUM["age_min"] <= age) & (CHILD_SODIUM["age_max"] >= age)]
    assert len(cdrr) == 1
    target = row(targets_for(make_profile(age=age, sex=sex)), "sodium_mg")
    assert pd.isna(target["min"]) and target["max"] == float(cdrr["cdrr_mg"].iloc[0])
    assert "secondary source" in target["source"] and "ntro.it.com" in target["source"]


def _energy_row(age: float, sex: str) -> pd.Series:
    return ENERGY[(ENERGY["sex"] == sex) & (ENERGY["age_min"] <= age)
                  & (ENERGY["age_max"].fillna(np.inf) >= age)].iloc[0]


@pytest.mark.parametrize("trimester,stage", [(1, "pregnancy_1st_trimester"), (2, "pregnancy_2nd_trimester"),
                                              (3, "pregnancy_3rd_trimester")])
@pytest.mark.parametrize("age", [17, 28, 40])
def test_a_trimester_adds_its_sourced_calories(trimester, stage, age):
    added = float(LIFE_STAGE.loc[stage, "kcal_added"])
    energy = _energy_row(age, "female")
    target = row(targets_for(make_profile(age=age, sex="female", pregnant=True, trimester=trimester)), "energy_kcal")
    assert target["min"] == pytest.approx((energy["kcal_low"] + added) * (1 - KCAL_TOLERANCE))
    assert target["max"] == pytest.approx((energy["kcal_high"] + added) * (1 + KCAL_TOLERANCE))
    assert LIFE_STAGE.loc[stage, "source"] in target["source"]


@pytest.mark.parametrize("kwargs,words", [(dict(pregnant=True), "give its trimester"),
                                          (dict(lactating=True), "no sourced figure")])
def test_without_a_sourced_figure_no_calories_are_added_and_the_source_says_why(kwargs, words):
    energy = _energy_row(30, "female")
    target = row(targets_for(make_profile(age=30, sex="female", **kwargs)), "energy_kcal")
    assert target["min"] == pytest.approx(energy["kcal_low"] * (1 - KCAL_TOLERANCE))
    assert target["max"] == pytest.approx(energy["kcal_high"] * (1 + KCAL_TOLERANCE))
    assert words in target["source"] and "no calories added" in target["source"]


def test_own_kcal_wins_over_the_trimester():
    target = row(targets_for(make_profile(age=30, sex="female", pregnant=True, trimester=3, kcal=2500)),
                 "energy_kcal")
    assert target["max"] == pytest.approx(2500 * (1 + KCAL_TOLERANCE))


def test_the_profile_names_its_stage_and_keeps_it_through_json():
    profile = make_profile(age=30, sex="female", pregnant=True, trimester=2)
    assert profile.describe() == "woman, 30, pregnant, 2nd trimester"
    assert make_profile(age=30, sex="female", lactating=True).describe() == "woman, 30, lactating"
    assert type(profile).from_dict(profile.to_dict()) == profile


@pytest.mark.parametrize("age,sex", [(40, "female"), (20, "male"), (8, "female"), (75, "male")])
def test_kcal_band(age, sex):
    energy = ENERGY[(ENERGY["sex"] == sex) & (ENERGY["age_min"] <= age)
                    & (ENERGY["age_max"].fillna(np.inf) >= age)].iloc[0]
    target = row(targets_for(make_profile(age=age, sex=sex)), "energy_kcal")
    assert target["min"] == pytest.approx(energy["kcal_low"] * (1 - KCAL_TOLERANCE))
    assert target["max"] == pytest.approx(energy["kcal_high"] * (1 + KCAL_TOLERANCE))


def test_kcal_option_sets_the_band():
    target = row(targets_for(make_profile(age=40, sex="female", kcal=2500)), "energy_kcal")
    assert target["min"] == pytest.approx(2500 * (1 - KCAL_TOLERANCE))
    assert target["max"] == pytest.approx(2500 * (1 + KCAL_TOLERANCE))


@pytest.mark.parametrize("age", [2, 10, 40])
def test_amdr_rows(age):
    targets = targets_for(make_profile(age=age, sex="female")).set_index("nutrient")
    amdr = AMDR[(AMDR["age_min"] <= age) & (AMDR["age_max"].fillna(np.inf) >= age)]
    assert len(amdr) == 3
    for r in amdr.itertuples():
        t = targets.loc[f"{r.nutrient}_pct_kcal"]
        assert (t["min"], t["max"]) == (r.min_pct_kcal, r.max_pct_kcal)
        assert t["unit"] == "% kcal"


@pytest.mark.parametrize("kwargs", [
    dict(age=30, sex="male", pregnant=True),
    dict(age=30, sex="male", lactating=True),
    dict(age=200, sex="female"),
    dict(age=-3, sex="female"),
    dict(age=0.5, sex="female"),
    dict(age=60, sex="female", pregnant=True),
    dict(age=10, sex="female", pregnant=True),
    dict(age=30, sex="female", pregnant=True, lactating=True),
    dict(age=30, sex="other"),
    dict(age=30, sex="female", kcal=100),
    dict(age=30, sex="female", trimester=2),
    dict(age=30, sex="female", pregnant=True, trimester=4),
    dict(age=30, sex="female", pregnant=True, trimester=0),
    dict(age=30, sex="female", lactating=True, trimester=1),
])
def test_impossible_profiles(kwargs):
    with pytest.raises(ProfileError):
        make_profile(**kwargs)


def test_default_profile_is_flagged_and_described():
    profile = make_profile()
    assert profile.is_default
    text = profile.describe()
    assert "default" in text and "35" in text and "woman" in text
    assert not make_profile(age=35, sex="female").is_default
    assert "default" not in make_profile(age=35, sex="female").describe()


def test_every_profile_has_all_nutrients():
    for kwargs in PROFILES:
        targets = targets_for(make_profile(**kwargs))
        columns = set(targets["nutrient"])
        for nutrient in ALL_DRI_NUTRIENTS:
            unit = DRI.loc[DRI["nutrient"] == nutrient, "unit"].iloc[0]
            assert f"{nutrient}_{unit}" in columns, (nutrient, kwargs)
        assert "energy_kcal" in columns


def _caffeine_ceiling(request) -> float | None:
    from planner.targets import targets_for_request

    table = targets_for_request(request).table.set_index("nutrient")
    return float(table.at["caffeine_mg", "max"]) if "caffeine_mg" in table.index else None


@pytest.mark.parametrize(("age", "sex", "pregnant", "expected"), [
    (2, "male", False, 2.5 * 12),      # Health Canada's 2.5 mg/kg x the DRI reference weight, 1-3
    (5, "female", False, 45.0), (8, "male", False, 62.5), (11, "female", False, 85.0),
    (13, "male", False, 2.5 * 36), (16, "female", False, 2.5 * 54),
    (30, "female", True, 300.0), (30, "female", False, None), (70, "male", False, None)])
def test_children_teens_and_pregnancy_get_a_sourced_caffeine_ceiling(age, sex, pregnant, expected):
    from planner import PlanRequest

    request = PlanRequest(make_profile(age, sex, pregnant=pregnant))
    assert _caffeine_ceiling(request) == expected
    data = pd.read_csv(ROOT / "planner" / "data" / "caffeine_limits.csv")
    assert data["source"].str.contains("Health Canada").all() and data["quote"].notna().all()


@pytest.mark.parametrize(("age", "fl_oz"), [(1, 4), (3.9, 4), (4, 6), (6.5, 6), (7, 8), (18.5, 8), (19, None),
                                             (40, None)])
def test_a_childs_fruit_juice_is_held_to_the_aaps_most_for_the_age(age, fl_oz):
    """AAP 2017: 4 fl oz a day at 1-3, 4-6 fl oz at 4-6 (the upper end held), 8 fl oz at 7-18; as FPED cup-eq,
    8 fl oz to the cup. Ages count in whole years, as the DRI groups do."""
    targets = targets_for(make_profile(age, "female")).set_index("nutrient")
    if fl_oz is None:
        assert "fruit_juice_cup_eq" not in targets.index
        return
    juice = targets.loc["fruit_juice_cup_eq"]
    assert juice["max"] == fl_oz / 8 and np.isnan(juice["min"]) and juice["kind"] == "limit"
    assert f"at most {fl_oz} fl oz a day" in juice["source"] and "American Academy of Pediatrics" in juice["source"]


def test_a_childs_caffeine_ceiling_is_kept_under_the_adult_symptom_default_and_a_set_limit_wins():
    from planner import PlanRequest

    assert _caffeine_ceiling(PlanRequest(make_profile(6, "female"), symptoms=("leg cramps",))) == 45.0
    assert _caffeine_ceiling(PlanRequest(make_profile(40, "male"), symptoms=("leg cramps",))) == 400.0
    assert _caffeine_ceiling(PlanRequest(make_profile(6, "female"), max_caffeine_mg=10.0)) == 10.0


def _file_rows(tmp_path, text: str):
    path = tmp_path / "mine.csv"
    path.write_text(text, encoding="utf-8")
    return read_targets_file(path), str(path)


def test_a_targets_file_is_held_under_the_profiles_upper_limits(tmp_path):
    """A plan never passes a UL: a file's ceiling above one, or none, is lowered to it, and the ULs it does
    not name are added as ceilings (the DRI table's, recomputed here)."""
    rows, _ = _file_rows(tmp_path, "nutrient,min,max\ncalcium_mg,1200,\nvitamin_d_mcg,20,500\nmagnesium_mg,400,\n")
    profile = make_profile(age=40, sex="female")
    dri = targets_for(profile).set_index("nutrient")
    table = targets_for_request(PlanRequest(profile, custom_targets=rows)).table.set_index("nutrient")
    for nutrient in ("calcium_mg", "vitamin_d_mcg"):
        assert table.at[nutrient, "max"] == dri.at[nutrient, "max"] and "held at the UL" in table.at[nutrient, "source"]
    assert table.at["calcium_mg", "min"] == 1200 and table.at["vitamin_d_mcg", "min"] == 20
    assert pd.isna(table.at["magnesium_mg", "max"])        # its UL is for supplements, not food
    added = table[table["kind"] == "upper limit"]
    assert "vitamin_b6_mg" in added.index and added["min"].isna().all()
    assert (added["max"] == dri.loc[added.index, "max"]).all()


def test_a_floor_above_a_upper_limit_is_refused_naming_the_file_and_row(tmp_path):
    rows, path = _file_rows(tmp_path, "nutrient,min,max\nmagnesium_mg,400,\ncalcium_mg,5000,\n")
    with pytest.raises(InputError) as info:
        targets_for_request(PlanRequest(make_profile(age=40, sex="female"), custom_targets=rows))
    assert (info.value.source, info.value.row, info.value.field) == (path, 3, "min")
    ul = targets_for(make_profile(age=40, sex="female")).set_index("nutrient").at["calcium_mg", "max"]
    assert f"a floor of 5000 mg is above the UL, {ul:g} mg a day" in str(info.value)


def test_a_targets_file_keeps_a_symptoms_warnings_but_raises_no_floor(tmp_path):
    """A file's targets stand (the symptoms raise none of them), but URGENT and SEE A DOCTOR lines are still said:
    they were dropped with every other word on the symptoms."""
    rows, _ = _file_rows(tmp_path, "nutrient,min,max\ncalcium_mg,1000,\nmagnesium_mg,400,\n")
    result = targets_for_request(PlanRequest(custom_targets=rows, symptoms=("crushing chest pain and I fainted",)))
    assert result.guidance is not None and result.guidance.urgent
    assert any(line.startswith("URGENT: Chest pain") for line in result.guidance.doctor_lines())
    assert result.table.set_index("nutrient").at["magnesium_mg", "min"] == 400
    twitching = targets_for_request(PlanRequest(custom_targets=rows, symptoms=("eyelid twitching",))).guidance
    assert twitching.reasons == () and any("would raise magnesium" in n for n in twitching.notes)
    assert not any("Caffeine: held to" in line for line in twitching.lifestyle)   # the file holds no caffeine
    with pytest.raises(InputError, match="a targets file sets every floor") as info:
        PlanRequest(custom_targets=rows, deficient=("magnesium",))
    assert info.value.field == "deficient"


def test_a_request_takes_one_text_as_one_item_and_keeps_its_own_meal_rules():
    assert PlanRequest(symptoms="eyelid twitching").symptoms == ("eyelid twitching",)
    assert PlanRequest(deficient="magnesium").deficient == ("magnesium_mg",)
    first = PlanRequest()
    first.meals.slot_shares["breakfast"] = 0.6          # a caller changing one request's rules ...
    assert PlanRequest().meals.slot_shares["breakfast"] == 0.25   # ... changes no other request's
    shares = {"breakfast": 0.25, "lunch": 0.30, "dinner": 0.35, "snack": 0.10}
    rules = PlanRequest(meals=MealRules(slot_shares=shares)).meals
    shares["breakfast"] = 0.9
    assert rules.slot_shares["breakfast"] == 0.25


@pytest.mark.parametrize(("options", "said"), [
    ({"age": 70}, "woman, 70 (sex not given, so female: give --sex for yours)"),
    ({"sex": "male"}, "man, 35 (age not given, so 35: give --age for yours)"),
    ({"pregnant": True}, "woman, 35, pregnant (age not given, so 35: give --age for yours)"),
    ({"age": 40, "sex": "male"}, "man, 40"),
])
def test_a_profile_says_what_it_assumed(options, said):
    """The sex changes the DRIs (magnesium 320 or 420 mg) and the age the whole table: one left out is said."""
    assert make_profile(**options).describe() == said


@pytest.mark.parametrize("age", [2, 6, 35, 75])
def test_magnesium_has_no_ceiling_on_food_and_says_its_ul_is_for_supplements(age):
    """dri.csv: magnesium's UL is for supplements and medicines only. The target has no ceiling, its source says
    why and gives the UL; when its floor is raised, a note says a supplement has that limit."""
    dri = pd.read_csv(ROOT / "planner" / "data" / "dri.csv")
    row = dri[(dri.nutrient == "magnesium") & (dri.sex.isin(["both", "female"])) & (dri.group != "pregnancy")
              & (dri.group != "lactation") & (dri.age_min <= age) & (dri.age_max.fillna(200) >= age)].iloc[0]
    plain = PlanRequest(make_profile(age, "female"))
    magnesium = targets_for_request(plain).table.set_index("nutrient").loc["magnesium_mg"]
    assert pd.isna(magnesium["max"])
    assert f"the UL of {row.ul:g} mg is for supplements and medicines only" in magnesium["source"]
    assert not any("magnesium supplement" in n for n in target_notes(plain, targets_for_request(plain)))
    raised = PlanRequest(make_profile(age, "female"), symptoms=("calf cramps",))
    (note,) = [n for n in target_notes(raised, targets_for_request(raised)) if "magnesium supplement" in n]
    assert f"{row.ul:g} mg a day" in note


def test_a_targets_file_says_which_default_health_ceilings_it_drops(tmp_path):
    """A file replaces every default target; ULs are added back, sodium's CDRR and a child's caffeine limit are
    not, so the note names them with the default figures (recomputed here from the default targets)."""
    path = tmp_path / "t.csv"
    path.write_text("nutrient,min,max\nvitamin_d_mcg,15,\ncalcium_mg,700,\nenergy_kcal,900,1300\n")
    child = make_profile(2, "male")
    defaults = targets_for_request(PlanRequest(child)).table.set_index("nutrient")["max"]
    request = PlanRequest(child, custom_targets=read_targets_file(path))
    (note,) = [n for n in target_notes(request, targets_for_request(request)) if "targets file" in n]
    assert f"sodium {defaults['sodium_mg']:,.0f} mg a day" in note
    assert f"caffeine {defaults['caffeine_mg']:,.0f} mg a day" in note
    path.write_text("nutrient,min,max\nvitamin_d_mcg,15,\nsodium_mg,,1000\ncaffeine_mg,,0\n")
    named = PlanRequest(child, custom_targets=read_targets_file(path))
    assert not any("targets file" in n for n in target_notes(named, targets_for_request(named)))
    plain = PlanRequest(child)
    assert not any("targets file" in n for n in target_notes(plain, targets_for_request(plain)))


def test_a_profile_needs_an_age_and_counts_it_in_whole_years_for_pregnancy():
    with pytest.raises(ProfileError, match="age"):
        Profile(age=None)
    assert make_profile(50.5, "female", pregnant=True).age == 50.5   # still 31-50, as a woman of 50.5 is
    with pytest.raises(ProfileError, match="14 to 50"):
        make_profile(51, "female", pregnant=True)
    with pytest.raises(ProfileError, match="ask a clinician about feeding an infant"):
        make_profile(0.5, "female")


def test_targets_carry_no_float_noise():
    """1.1 x 1,400 kcal is shown as 1540, and twice 19.6 g of fiber as 39.2."""
    table = targets_for_request(PlanRequest(make_profile(6, "female"))).table.set_index("nutrient")
    assert repr(float(table.at["energy_kcal", "max"])) == "1540.0"
    assert repr(float(table.at["fiber_g", "min"])) == "19.6" and repr(float(table.at["fiber_g", "max"])) == "39.2"


@pytest.mark.parametrize("age, said", [(45, False), (51, True), (75, True)])
def test_after_50_b12_is_advised_from_fortified_foods_where_the_dri_table_marks_it(age, said):
    """dri.csv marks the B12 RDA from 51 with the footnote on older adults' absorption; only there is the note
    given, with its source."""
    dri = pd.read_csv(ROOT / "planner" / "data" / "dri.csv")
    marked = dri[(dri.nutrient == "vitamin_b12") & (dri.sex == "male") & (dri.age_min <= age)
                 & (dri.age_max.fillna(200) >= age)]["notes"].str.contains("B12 absorption").iloc[0]
    request = PlanRequest(make_profile(age, "male"))
    notes = [n for n in target_notes(request, targets_for_request(request)) if n.startswith("B12 after 50")]
    assert bool(notes) == said == marked
    assert not notes or "doi:10.1016/S0002-8223(99)00174-1" in notes[0]
    # a week owes it as its average (as B12 itself), and the note says so; one day holds it that day
    assert not notes or ("on average over each week" in notes[0]) is (request.days > 1)
    day = replace(request, days=1)
    assert not any("on average" in n for n in target_notes(day, targets_for_request(day)) if n.startswith("B12"))
    # and there, at least half the RDA as B12 added to foods, whatever raises the B12 floor itself
    rda = dri[(dri.nutrient == "vitamin_b12") & (dri.sex == "male") & (dri.age_min <= age)
              & (dri.age_max.fillna(200) >= age)]["value"].iloc[0]
    for deficient in ((), ("vitamin_b12",)):
        table = targets_for_request(PlanRequest(make_profile(age, "male"), deficient=deficient)).table
        added = table.loc[table["nutrient"] == "vitamin_b12_added_mcg", "min"]
        assert list(added) == ([rda / 2] if said else [])


@pytest.mark.parametrize("stage", [{"pregnant": True, "trimester": 2}, {"lactating": True}])
def test_a_pregnant_or_breastfeeding_teen_keeps_the_lower_caffeine_limit(stage):
    """Health Canada's 300 mg in pregnancy does not lift a teen's 2.5 mg/kg: the lower of the two holds."""
    table = pd.read_csv(DATA / "caffeine_limits.csv")
    teen = table[(table.age_min == 14) & (table.sex == "female") & table.group.isna()]["max_mg"].iloc[0]
    adult = table[table.group == ("pregnancy" if "pregnant" in stage else "lactation")]["max_mg"].iloc[0]

    def caffeine(age):
        t = targets_for_request(PlanRequest(make_profile(age, "female", **stage))).table
        return t.set_index("nutrient").at["caffeine_mg", "max"]
    assert teen < adult and caffeine(16) == teen and caffeine(30) == adult


def test_a_caffeine_limit_set_above_the_life_stages_is_said():
    """--max-caffeine 200 for a child of 2 holds, as asked, but the note names Health Canada's 30 mg; a limit
    below the life stage's, or an adult's, says nothing."""
    table = pd.read_csv(DATA / "caffeine_limits.csv")
    toddler = table[(table.age_min == 1) & table.group.isna()]["max_mg"].iloc[0]

    def said(age, limit):
        request = PlanRequest(make_profile(age, "male"), max_caffeine_mg=limit)
        return [n for n in target_notes(request, targets_for_request(request)) if n.startswith("Caffeine:")]
    (note,) = said(2, 200.0)
    assert f"above the {toddler:g} mg" in note
    assert said(2, 10.0) == [] and said(35, 600.0) == []


def test_a_dri_source_names_the_tables_first_and_the_data_file_after():
    """A terminal cuts a long source: what it shows first is whose figures they are, not a data file's name."""
    table = targets_for(make_profile(age=35, sex="female"))
    source = table.set_index("nutrient").at["magnesium_mg", "source"]
    assert source.startswith("RDA 320 mg, females 31-50 y: NASEM/IOM DRI tables via NAL"), source
    assert "(data: cfree14/nutriR@8a77416 data/dris.rda)" in source


def test_a_targets_file_takes_a_nutrient_by_the_name_people_use(tmp_path):
    """`--deficient` reads "vitamin D" and "B12": a targets file does too, as well as the column names."""
    path = tmp_path / "mine.csv"
    path.write_text("nutrient,min,max\nmagnesium,400,\nvitamin D,15,100\nB12,2.4,\nprotein_pct_kcal,10,35\n")
    rows = read_targets_file(path)
    assert [r["nutrient"] for r in rows] == ["magnesium_mg", "vitamin_d_mcg", "vitamin_b12_mcg", "protein_pct_kcal"]
    path.write_text("nutrient,min,max\nmagnesium,400,\nmagnesium_mg,300,\n")
    with pytest.raises(InputError, match="'magnesium_mg' appears twice"):
        read_targets_file(path)


def test_a_targets_file_row_naming_no_nutrient_says_what_it_may_name(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("nutrient,min,max\nmagnesum,400,\n")
    with pytest.raises(InputError, match=r"unknown nutrient 'magnesum' \(did you mean magnesium\? expected a nutrient "
                                         r"by name, such as magnesium or vitamin D"):
        read_targets_file(path)


def test_targets_for_reads_nutrients_as_a_request_does():
    """`targets_for(p, deficient=("magnesium",))` left magnesium at the RDA; an unknown name was ignored."""
    from planner.errors import InputError
    profile = make_profile(35, "female")
    plain = targets_for(profile).set_index("nutrient").at["magnesium_mg", "min"]
    raised = targets_for(profile, deficient=("magnesium",)).set_index("nutrient").at["magnesium_mg", "min"]
    assert raised == pytest.approx(plain * 1.25)
    with pytest.raises(InputError, match="unobtainium"):
        targets_for(profile, deficient=("unobtainium",))
