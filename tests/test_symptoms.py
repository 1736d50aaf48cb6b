"""Symptom guidance: the mapping, matching free text, red flags, and the link to targets."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from planner import symptoms
from planner.errors import InputError
from planner.files import data_path as _data_path
from planner.symptoms import DEFAULT_MAX_CAFFEINE_MG, guidance, match_all, match_symptom, vitamin_d_note, vocabulary
from planner.request import deficient_columns, make_profile
from planner.targets import targets_for

SOURCES = Path("/work/shared/sources")


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(_data_path(name), dtype=str, keep_default_na=False)


# --- matching free text ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, location", [
    ("eyelid twitching", "twitching", "eyelid"),
    ("twitching eyelid", "twitching", "eyelid"),
    ("My left eye keeps twitching", "twitching", "eyelid"),
    ("calf cramps", "cramps", "calves"),
    ("cramp in my calves", "cramps", "calves"),
    ("tingling around the mouth", "tingling", "mouth"),
    ("pins and needles in my feet", "tingling", "feet"),
    ("pins-and-needles, feet", "tingling", "feet"),
    ("twitching all over", "twitching", "widespread"),
    ("muscle cramps", "cramps", "any"),
    ("Charley horse in the thigh", "cramps", "legs"),
])
def test_match_symptom(text, kind, location):
    match = match_symptom(text)
    assert (match.kind, match.location) == (kind, location)
    assert match.text == text


def test_match_all_gives_every_kind_and_place():
    pairs = [(m.kind, m.location) for m in match_all("tingling and numbness in hands and feet")]
    assert pairs == [("tingling", "hands"), ("tingling", "feet"), ("numbness", "hands"), ("numbness", "feet")]


def test_unknown_word_is_named_with_the_vocabulary():
    with pytest.raises(InputError) as info:
        match_symptom("twitching in my elbow")
    message = str(info.value)
    assert message.startswith("symptoms: 'twitching in my elbow'") and info.value.field == "symptoms"
    assert "'elbow'" in message
    for kind in ("twitching", "cramps", "tingling", "numbness", "poor coordination"):
        assert kind in message
    assert "eyelid" in message and "calves" in message


@pytest.mark.parametrize("text", ["headache", "eyelid", "", "   "])
def test_no_kind_is_an_error(text):
    with pytest.raises(InputError, match="symptoms") as info:
        match_symptom(text)
    assert "known kinds: twitching" in str(info.value)


# --- the mapping ----------------------------------------------------------------------------------

def test_eyelid_twitching_is_magnesium_first_then_vitamin_d():
    g = guidance(["eyelid twitching"])
    assert g.nutrients[0] == "magnesium"
    assert "vitamin_d" in g.nutrients
    assert g.reasons[0].startswith("magnesium: ") and g.reasons[0].endswith("(eyelid twitching)")
    assert len(g.reasons) == len(g.nutrients)


def test_tingling_around_mouth_is_calcium_first():
    assert guidance(["tingling around the mouth"]).nutrients[0] == "calcium"


def test_numbness_in_feet_is_b12_and_calcium():
    nutrients = guidance(["numbness in feet"]).nutrients
    assert nutrients[0] == "vitamin_b12"
    assert "calcium" in nutrients


def test_widespread_twitching_with_weakness_is_potassium_and_a_red_flag():
    g = guidance(["widespread twitching with weakness"])
    assert g.nutrients[0] == "potassium"
    assert any(line.startswith("Weakness") for line in g.red_flags)
    assert any("all over the body" in line for line in g.red_flags)


def test_nutrients_are_unique_and_reasons_name_every_symptom():
    g = guidance(["calf cramps", "eyelid twitching"])
    assert len(set(g.nutrients)) == len(g.nutrients)
    magnesium = next(r for r in g.reasons if r.startswith("magnesium:"))
    assert "(calf cramps; eyelid twitching)" in magnesium


def test_dizziness_raises_no_nutrient_but_a_flag():
    g = guidance(["dizziness"])
    assert g.nutrients == ()
    assert any(line.startswith("Dizziness") for line in g.red_flags)


# --- red flags ------------------------------------------------------------------------------------

GENERAL = _csv("red_flags.csv").query("rule == 'always'")["message"].iloc[0]


def test_any_symptom_prints_the_general_line_first():
    g = guidance(["constipation"])
    assert g.red_flags == (GENERAL,)
    assert "two weeks" in GENERAL and "blood test" in GENERAL


def test_no_symptom_no_guidance():
    g = guidance([])
    assert (g.matches, g.nutrients, g.red_flags, g.lifestyle, g.max_caffeine_mg) == ((), (), (), (), None)


@pytest.mark.parametrize("texts, starts", [
    (["twitching with weakness"], "Weakness"),
    (["numb fingers"], "Numbness"),
    (["poor coordination"], "Poor coordination"),
    (["eyelid twitching", "calf cramps"], "Symptoms in more than one place"),
    (["twitching in hands and feet"], "Symptoms in more than one place"),
])
def test_red_flags(texts, starts):
    flags = guidance(texts).red_flags
    assert flags[0] == GENERAL
    assert any(line.startswith(starts) for line in flags[1:])


def test_one_place_no_extra_flag():
    assert guidance(["eyelid twitching", "eye twitch"]).red_flags == (GENERAL,)


@pytest.mark.parametrize("days, flagged", [(None, False), (14, False), (15, True), (30.5, True)])
def test_duration_flag(days, flagged):
    flags = guidance(["eyelid twitching"], duration_days=days).red_flags
    assert any("more than two weeks" in line for line in flags) is flagged


def test_bad_duration():
    with pytest.raises(InputError, match="duration_days"):
        guidance(["eyelid twitching"], duration_days=-1)
    with pytest.raises(InputError, match="duration_days.*symptom"):
        guidance([], duration_days=20)


# --- lifestyle ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, ceiling", [
    ("eyelid twitching", DEFAULT_MAX_CAFFEINE_MG), ("calf cramps", DEFAULT_MAX_CAFFEINE_MG),
    ("spasms", DEFAULT_MAX_CAFFEINE_MG), ("fatigue", None), ("numb feet", None),
])
def test_caffeine_ceiling_for_twitching_cramps_spasms(text, ceiling):
    g = guidance([text])
    assert g.max_caffeine_mg == ceiling
    assert any(line.startswith("Caffeine") for line in g.lifestyle) is (ceiling is not None)
    assert g.lifestyle[0].startswith("Water")


def test_b12_note_only_when_b12_is_raised():
    assert any("vegans" in line for line in guidance(["tingling feet"]).lifestyle)
    assert not any("vegans" in line for line in guidance(["constipation"]).lifestyle)


def test_vitamin_d_note_names_sun_and_fortified_foods_without_a_dose():
    note = vitamin_d_note().lower()
    assert "sun" in note and "fortified" in note
    assert not re.search(r"\d+\s*(iu|mcg|µg|ug|mg)\b", note)


# --- the data files -------------------------------------------------------------------------------

def test_every_nutrient_is_a_dri_nutrient():
    nutrients = sorted(set(_csv("symptoms.csv")["nutrient"]))
    assert len(deficient_columns(nutrients)) == len(nutrients)


def test_no_row_raises_vitamin_b6():
    assert "vitamin_b6" not in set(_csv("symptoms.csv")["nutrient"])


def test_vocabulary_lists_kinds_and_locations_used_by_the_mapping():
    vocab = vocabulary()
    mapping = _csv("symptoms.csv")
    kinds = set(vocab.query("type == 'kind'")["name"])
    locations = set(vocab.query("type == 'location'")["name"])
    assert set(mapping["kind"]) <= kinds
    assert set(mapping["location"]) - {"any"} <= locations
    assert {"twitching", "cramps", "tingling", "numbness", "weakness", "poor_coordination"} <= kinds
    assert {"eyelid", "mouth", "hands", "feet", "calves", "widespread"} <= locations
    flag_kinds = set(_csv("red_flags.csv").query("rule == 'kind'")["value"])
    assert flag_kinds <= kinds


def test_words_are_unique():
    words = _csv("symptom_words.csv")["word"].str.lower()
    assert not words.duplicated().any()


def _articles() -> dict[str, str]:
    if not SOURCES.is_dir():
        pytest.skip(f"{SOURCES} is absent")
    return {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt")}


@pytest.mark.parametrize("name", ["symptoms.csv", "red_flags.csv"])
def test_every_source_article_exists(name):
    articles = _articles()
    cited = {a for cell in _csv(name)["source_article"] for a in cell.split("|")}
    assert cited and cited <= set(articles), cited - set(articles)


NAMED_AS = {"magnesium": ["magnesium"], "calcium": ["calcium"], "potassium": ["potassium"],
            "vitamin_d": ["vitamin d"], "vitamin_b12": ["b12"], "thiamin": ["thiamine", "b1"]}


def test_each_cited_article_names_the_nutrient():
    articles = {name: text.lower() for name, text in _articles().items()}
    for r in _csv("symptoms.csv").itertuples():
        for article in r.source_article.split("|"):
            assert any(word in articles[article] for word in NAMED_AS[r.nutrient]), (r.nutrient, article)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _our_lines() -> list[str]:
    g = guidance(["widespread twitching with weakness", "tingling feet"], duration_days=30)
    return (list(_csv("symptoms.csv")["rationale"]) + list(_csv("red_flags.csv")["message"])
            + list(g.lifestyle) + [vitamin_d_note()])


def _copied_runs(line: str, articles: list[str]) -> list[str]:
    """Every 8-word run of `line` that appears verbatim in an article (punctuation and case ignored)."""
    texts = [" " + " ".join(_words(text)) + " " for text in articles]
    words = _words(line)
    runs = (" ".join(words[i:i + 8]) for i in range(len(words) - 7))
    return [run for run in runs if any(f" {run} " in text for text in texts)]


def test_no_line_copies_an_article():
    articles = list(_articles().values())
    copied = {line: runs for line in _our_lines() if (runs := _copied_runs(line, articles))}
    assert not copied


def test_copy_check_catches_a_copied_sentence():
    articles = _articles()
    article = articles["001_717db9555b758cac.txt"] if "001_717db9555b758cac.txt" in articles else next(iter(articles.values()))
    sentence = article.split(".")[3]
    assert _copied_runs("Says: " + sentence.upper() + "!", list(articles.values()))


# --- end to end with targets ----------------------------------------------------------------------

def test_targets_keep_b6_ceiling_and_add_caffeine_ceiling():
    g = guidance(["eyelid twitching", "numbness in feet"])
    targets = targets_for(make_profile(), deficient=deficient_columns(g.nutrients),
                          max_caffeine_mg=g.max_caffeine_mg).set_index("nutrient")
    plain = targets_for(make_profile()).set_index("nutrient")
    b6 = targets.loc["vitamin_b6_mg"]
    assert not math.isnan(b6["max"]) and b6["min"] == plain.loc["vitamin_b6_mg", "min"]
    assert targets.loc["caffeine_mg", "max"] == DEFAULT_MAX_CAFFEINE_MG
    for column in deficient_columns(g.nutrients):
        assert targets.loc[column, "min"] > plain.loc[column, "min"]
        assert targets.loc[column, "source"].startswith("marked deficient")


def test_data_is_read_from_the_package():
    assert symptoms._mapping().shape[0] == _csv("symptoms.csv").shape[0]
