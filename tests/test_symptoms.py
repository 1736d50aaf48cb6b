"""Symptom guidance: free text in a person's words, red flags first, the mapping, and the link to targets."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from planner import symptom_text, symptoms
from planner.closing import beyond_food
from planner.errors import InputError
from planner.files import data_path as _data_path
from planner.symptom_text import match_all, match_symptom, read_text
from planner.symptoms import DEFAULT_MAX_CAFFEINE_MG, Guidance, RedFlag, guidance, vitamin_d_note, vocabulary
from planner.request import deficient_columns, make_profile, request_from_options
from planner.targets import deficient_from_dri_names, read_targets_file, targets_for, targets_for_request

SOURCES = Path("/work/shared/sources")


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(_data_path(name), dtype=str, keep_default_na=False)


def _flag_ids(g: Guidance) -> set[str]:
    return {f.flag for f in g.red_flags} - {"general"}


# --- a person's own words -------------------------------------------------------------------------

# (text, kinds, places, red flags besides the general line, urgent)
PHRASINGS = [
    # an arm and a leg on one side is a stroke's sign; "severe", "constant" and "getting worse" are the sources'
    # reasons to see a doctor; a heart that skips a beat, and falling over, are everyday words for theirs
    ("my left arm and left leg went numb", {"numbness"}, set(), {"stroke", "numbness"}, True),
    ("numb right arm and leg", {"numbness"}, set(), {"stroke", "numbness"}, True),
    ("left leg cramps", {"cramps"}, {"legs"}, set(), False),
    ("severe twitching", {"twitching"}, set(), {"severe_or_worse"}, False),
    ("constant twitching that is getting worse", {"twitching"}, set(), {"severe_or_worse"}, False),
    ("persistent cramps", {"cramps"}, set(), {"severe_or_worse"}, False),
    ("my heart skips a beat", {"irregular_heartbeat"}, set(), {"irregular_heartbeat"}, False),
    ("I keep falling over", {"poor_coordination"}, set(), {"poor_coordination"}, False),
    # everyday
    ("eyelid twitching", {"twitching"}, {"eyelid"}, set(), False),
    ("my eye keeps jumping", {"twitching"}, {"eyelid"}, set(), False),
    ("My left eye keeps twitching", {"twitching"}, {"eyelid"}, set(), False),
    ("calf cramps at night", {"cramps"}, {"calves"}, set(), False),
    ("cramp in my calves", {"cramps"}, {"calves"}, set(), False),
    ("Charley horse in the thigh", {"cramps"}, {"legs"}, set(), False),
    ("tingling around the mouth", {"tingling"}, {"mouth"}, {"tingling"}, False),
    ("pins and needles in my feet", {"tingling"}, {"feet"}, {"tingling"}, False),
    ("pins-and-needles, feet", {"tingling"}, {"feet"}, {"tingling"}, False),
    ("muscle cramps", {"cramps"}, set(), set(), False),
    ("twitching all over", {"twitching"}, {"widespread"}, {"widespread"}, False),
    ("twitches everywhere", {"twitching"}, {"widespread"}, {"widespread"}, False),
    ("twitching in several places for three weeks with muscle weakness", {"twitching", "weakness"}, set(),
     {"several_places", "over_two_weeks", "weakness"}, False),
    ("leg cramps after exercise", {"cramps"}, {"legs"}, set(), False),
    ("shaky hands", {"tremor"}, {"hands"}, {"tremor"}, False),
    ("tired all the time", {"fatigue"}, set(), set(), False),
    ("constipated and tired", {"fatigue", "constipation"}, set(), set(), False),
    ("aching bones", {"bone_pain"}, set(), {"bone_pain"}, False),
    ("clumsy and dropping things", {"poor_coordination"}, set(), {"poor_coordination"}, False),
    ("eye twitching on and off for a few days", {"twitching"}, {"eyelid"}, set(), False),
    ("cramps for 10 days", {"cramps"}, set(), set(), False),
    ("twitching since last month", {"twitching"}, set(), {"over_two_weeks"}, False),
    ("calf cramps for 2 weeks", {"cramps"}, {"calves"}, set(), False),
    ("calf cramps for a month", {"cramps"}, {"calves"}, {"over_two_weeks"}, False),
    ("numb toes for over two weeks", {"numbness"}, {"feet"}, {"numbness", "over_two_weeks"}, False),
    ("twitching, stumbling and dizzy for six weeks", {"twitching", "dizziness", "poor_coordination"}, set(),
     {"over_two_weeks", "dizziness", "poor_coordination"}, False),
    # with words it does not know
    ("twitching in my elbow", {"twitching"}, set(), set(), False),
    ("cramps in my calves, the weirdest feeling", {"cramps"}, {"calves"}, set(), False),
    ("blacked out in the shower", set(), set(), {"fainting"}, True),
    # misspelled
    ("twiching eyelid", {"twitching"}, {"eyelid"}, set(), False),
    ("cramping calfs", {"cramps"}, {"calves"}, set(), False),
    ("tinglng fingers", {"tingling"}, {"fingers"}, {"tingling"}, False),
    ("numbess in my feet", {"numbness"}, {"feet"}, {"numbness"}, False),
    ("dizy spells", {"dizziness"}, set(), {"dizziness"}, False),
    ("palpatations", {"irregular_heartbeat"}, set(), {"irregular_heartbeat"}, False),
    ("fasiculations in my legs", {"twitching"}, {"legs"}, set(), False),
    ("weekness in my arms", {"weakness"}, {"arms"}, {"weakness"}, False),
    ("eyelid twiching and tingly lips", {"twitching", "tingling"}, {"eyelid", "mouth"},
     {"several_places", "tingling"}, False),
    ("siezure", set(), set(), {"seizure"}, True),
    ("chest pian", set(), set(), {"chest_pain"}, True),
    # negations: a negated red-flag word raises nothing
    ("eyelid twitching, no weakness", {"twitching"}, {"eyelid"}, set(), False),
    ("cramps without numbness", {"cramps"}, set(), set(), False),
    ("not dizzy, just twitchy", {"twitching"}, set(), set(), False),
    ("no weakness or numbness, only calf cramps", {"cramps"}, {"calves"}, set(), False),
    ("twitching but no pain", {"twitching"}, set(), set(), False),
    ("I have never had a seizure, only cramps", {"cramps"}, set(), set(), False),
    ("no chest pain, eyelid twitching", {"twitching"}, {"eyelid"}, set(), False),
    ("no weakness until I climb stairs", {"weakness"}, set(), {"weakness"}, False),
    # a place said with a negated symptom is no place of another one, across "but", a comma or "and"; one that
    # names no place of its own shares it, so a warning sign said that way stays
    ("my eyelid hasn't twitched, but my calves cramp", {"cramps"}, {"calves"}, set(), False),
    ("my eye doesn't jump anymore but my calf cramps at night", {"cramps"}, {"calves"}, set(), False),
    ("my eyelid isn't twitching, my calves cramp", {"cramps"}, {"calves"}, set(), False),
    ("my eye and calf don't twitch and my arm cramps", {"cramps"}, {"arms"}, set(), False),
    ("no twitching in my eye, only cramps in my legs", {"cramps"}, {"legs"}, set(), False),
    ("twitching in my eye and my calf, no cramps", {"twitching"}, {"eyelid", "calves"}, {"several_places"}, False),
    ("my legs don't cramp but twitch", {"twitching"}, {"legs"}, set(), False),
    ("my chest doesn't cramp but it hurts", {"aches"}, {"chest"}, {"chest_pain", "pain"}, True),
    # a list after "no" closed by "or" is negated whole; a comma with no "or" to close a list ends the "no"
    ("twitching but no chest pain, fainting or seizures", {"twitching"}, set(), set(), False),
    ("no chest pain, fainting, or seizures, just twitching", {"twitching"}, set(), set(), False),
    ("no chest pain, fainted twice today", set(), set(), {"fainting"}, True),
    ("no dizziness, chest pain and a seizure or two", set(), set(), {"chest_pain", "seizure"}, True),
    # every red flag inside a longer sentence
    ("it started last week and yesterday I had a seizure at work", set(), set(), {"seizure"}, True),
    ("twitching then I had a fit", {"twitching"}, set(), {"seizure"}, True),
    ("had convulsions last night", set(), set(), {"seizure"}, True),
    ("I passed out after my calf cramped", {"cramps"}, {"calves"}, {"fainting"}, True),
    ("fainted twice this week", set(), set(), {"fainting"}, True),
    ("sharp chest pain and twitching", {"twitching"}, set(), {"chest_pain"}, True),
    ("pain in my chest when I walk", set(), set(), {"chest_pain"}, True),
    ("my chest hurts and my arm twitches", {"twitching"}, {"arms"}, {"chest_pain"}, True),
    ("palpitations and feeling faint", {"irregular_heartbeat", "dizziness"}, set(),
     {"irregular_heartbeat", "palpitations_faint", "dizziness"}, True),
    ("heart racing and dizzy", {"irregular_heartbeat", "dizziness"}, set(),
     {"irregular_heartbeat", "palpitations_faint", "dizziness"}, True),
    ("sudden weakness in my left arm", {"weakness"}, {"arms"}, {"stroke", "weakness"}, True),
    ("numbness on one side of my face", {"numbness"}, {"face"}, {"numbness", "stroke"}, True),
    ("face drooping and slurred speech", set(), set(), {"stroke"}, True),
    ("I cant breathe properly and my hands cramp", {"cramps"}, {"hands"}, {"breathing"}, True),
    ("short of breath with cramps", {"cramps"}, set(), {"breathing"}, True),
    ("trouble swallowing and twitching in my throat", {"twitching"}, set(), {"swallowing"}, True),
]


@pytest.mark.parametrize("text, kinds, places, flags, urgent", PHRASINGS)
def test_phrasings(text, kinds, places, flags, urgent):
    g = guidance([text])
    reading = g.readings[0]
    assert set(reading.kinds) == kinds
    assert set(reading.locations) == places
    assert _flag_ids(g) == flags
    assert g.urgent is urgent
    assert g.red_flags[-1].flag == "general"


def test_there_are_enough_phrasings_and_every_urgent_flag_is_reached():
    assert len(PHRASINGS) >= 60
    urgent = set(_csv("red_flags.csv").query("urgent == 'yes'")["flag"])
    assert urgent <= {f for *_, flags, _ in PHRASINGS for f in flags}


def test_eye_jumping_is_eyelid_twitching_and_night_is_a_time():
    assert [m.describe() for m in guidance(["my eye keeps jumping"]).matches] == ["twitching (eyelid)"]
    g = guidance(["calf cramps at night"])
    assert [m.describe() for m in g.matches] == ["cramps (calves)"]
    assert g.times == ("at_night",)
    assert "Read 'calf cramps at night' as: cramps (calves), at night." in g.notes


@pytest.mark.parametrize("text, days", [
    ("for three weeks", 21), ("since last month", 30), ("2 weeks", 14), ("on and off for a few days", 3),
    ("for 10 days", 10), ("a month", 30), ("for more than two weeks", 15), ("3wks", 21), ("for weeks", 21),
    ("since yesterday", 1), ("no duration here", None),
    ("for sixteen days", 16), ("for two and a half weeks", 17.5), ("for 2 and a half weeks", 17.5),
    ("for half a year", 182.5), ("for a year and a half", 547.5), ("for a week and a half", 10.5),
])
def test_durations(text, days):
    assert read_text(f"cramps {text}").duration_days == days


@pytest.mark.parametrize(("text", "read"), [("since yesterday", "for about 1 day."),
                                           ("for 10 days", "for about 10 days.")])
def test_a_duration_is_said_in_plain_words(text, read):
    assert any(note.endswith(read) for note in guidance([f"cramps {text}"]).notes)


def test_two_durations_that_differ_say_which_one_counts():
    g = guidance(["eyelid twitching for 3 days"], duration_days=30)
    assert g.notes[-1] == "Counted as lasting about 30 days, the longest of --duration-days (30) and the text (3)."
    assert not any(n.startswith("Counted as") for n in guidance(["eyelid twitching"], duration_days=30).notes)


def test_a_duration_in_the_text_counts_like_the_argument_and_the_larger_wins():
    assert "over_two_weeks" in _flag_ids(guidance(["eyelid twitching for three weeks"]))
    assert guidance(["eyelid twitching for three weeks"], duration_days=5).duration_days == 21
    g = guidance(["eyelid twitching for 3 days"], duration_days=20)
    assert g.duration_days == 20 and "over_two_weeks" in _flag_ids(g)


@pytest.mark.parametrize("text, present, absent", [
    ("eyelid twitching, no weakness", {"twitching"}, {"weakness"}),
    ("without numbness or tingling, cramps at night", {"cramps"}, {"numbness", "tingling"}),
    ("not dizzy", set(), {"dizziness"}),
    ("I don't have any weakness but my calves cramp", {"cramps"}, {"weakness"}),
    ("no weakness and numbness in my toes", {"numbness"}, {"weakness"}),
    ("no pain with the twitching", {"twitching"}, {"aches"}),
])
def test_negations_are_reported_as_absent_and_raise_nothing(text, present, absent):
    g = guidance([text])
    assert set(g.readings[0].kinds) == present
    assert set(g.absent) == absent
    assert not _flag_ids(g) & absent
    assert any(line.startswith("Understood as absent:") for line in g.notes)


def test_never_before_is_a_first_time_not_an_absence():
    """A first seizure is an emergency: "never ... before" says it happened now, so the URGENT line stays."""
    g = guidance(["never had a seizure before today"])
    assert g.urgent and "seizure" not in g.absent


@pytest.mark.parametrize("text", ["not only cramps but also chest pain", "not just cramps, chest pain too",
                                  "it's never just the cramps, there is chest pain"])
def test_not_only_names_both(text):
    """"Not only X but also Y" says X is there: the cramps are read, not marked absent, and the chest pain's URGENT
    line stays."""
    g = guidance([text])
    assert "cramps" in g.readings[0].kinds and "cramps" not in g.absent
    assert g.urgent


@pytest.mark.parametrize(("text", "parts"), [
    ("eyelid twitching and numb feet", ["eyelid twitching", "numb feet"]),
    ("cramps in my calves and twitching in my eyelid", ["cramps in my calves", "twitching in my eyelid"]),
    ("numbness and tingling in my feet", ["numbness in my feet", "tingling in my feet"]),
    ("my eyelid hasn't twitched, but my calves cramp", ["my calves cramp"]),
    # places in a part of their own go with the symptom said before them: the legs twitched, not tingled
    ("twitching all over my body, both legs and arms, tingling in my feet",
     ["twitching all over my body", "twitching in both legs and arms", "tingling in my feet"]),
])
def test_each_symptom_goes_with_its_own_place_as_if_said_apart(text, parts):
    """One text naming two symptoms and two places reads as the two said apart: numb feet are not numbness of the
    eyelid, and raise what numb feet raise."""
    together, apart = guidance([text]), guidance(parts)
    assert {m.describe() for m in together.matches} == {m.describe() for m in apart.matches}
    assert set(together.nutrients) == set(apart.nutrients)


@pytest.mark.parametrize(("text", "read", "absent"), [
    ("my eyelid hasn't twitched, but my calves cramp", ["cramps (calves)"], {"twitching", "eyelid"}),
    ("my eye doesn't jump anymore but my calf cramps at night", ["cramps (calves)"], {"twitching", "eyelid"}),
    ("my eyelid doesn't twitch and my calves cramp", ["cramps (calves)"], {"twitching", "eyelid"}),
    ("my eyelid isn't twitching, my calves cramp", ["cramps (calves)"], {"twitching", "eyelid"}),
    ("my eye and calf don't twitch, but my arm cramps", ["cramps (arms)"], {"twitching", "eyelid", "calves"}),
    ("no twitching in my eye, only cramps in my legs", ["cramps (legs)"], {"twitching", "eyelid"}),
])
def test_a_place_said_with_a_negated_symptom_is_absent_and_counts_as_no_place(text, read, absent):
    """The eyelid that has not twitched is not where the calves cramp: it raises no floor for cramps of the eyelid,
    is reported as absent, and makes no second place for the "more than one place" line."""
    g = guidance([text])
    assert [m.describe() for m in g.matches] == read
    assert set(g.absent) == absent
    assert _flag_ids(g) == set()
    assert f"Read '{text}' as: {read[0]}" in " ".join(g.notes)


def test_a_name_present_in_one_text_is_not_absent():
    g = guidance(["no weakness", "legs feel weak"])
    assert "weakness" not in g.absent
    assert "weakness" in _flag_ids(g)


def test_unknown_words_never_block_and_are_reported():
    g = guidance(["twitching in my elbow since the marathon"])
    assert [m.describe() for m in g.matches] == ["twitching"]
    assert g.ignored == ("elbow", "marathon")
    assert "Words not understood, so ignored: elbow, marathon." in g.notes


@pytest.mark.parametrize("text", ["headache", "eyelid", "asdf qwerty", "for 10 days"])
def test_nothing_recognised_gives_suggestions_and_the_general_line(text):
    g = guidance([text])
    assert g.nutrients == ()
    assert g.suggestions
    assert [f.flag for f in g.red_flags] == ["general"]
    assert any(line.startswith(f"No symptom recognised in '{text}'") for line in g.notes)


@pytest.mark.parametrize(("text", "absent"), [
    ("no cramps, no twitching", "cramps, twitching"), ("no numbness", "numbness"), ("not dizzy", "dizziness"),
    ("never had a seizure", "seizure"), ("my hands and feet, no numbness", "hands, feet, numbness"),
])
def test_only_absent_symptoms_say_so_and_suggest_no_other_words(text, absent):
    """A text that names only what the person does not have was understood: it is not "no symptom recognised", and
    no other words are suggested. The general line is still printed."""
    g = guidance([text])
    assert g.nutrients == () and g.suggestions == ()
    assert [f.flag for f in g.red_flags] == ["general"]
    assert g.notes == (f"Read '{text}' as naming only symptoms you do not have, so it raises no nutrient.",
                       f"Understood as absent: {absent}.")


def test_suggestions_are_the_nearest_known_kinds():
    assert guidance(["headache"]).suggestions == ("aches",)
    assert guidance(["eyelid"]).suggestions == symptoms.DEFAULT_SUGGESTIONS
    assert "names eyelid but not what you feel" in guidance(["eyelid"]).notes[0]


def test_seizure_alone_is_urgent_not_an_error():
    g = guidance(["seizure"])
    assert g.doctor_lines()[0].startswith("URGENT: A seizure")
    assert g.matches == () and g.nutrients == ()


# --- fuzzy matching -------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, meant", [
    ("twiching", "twitching"), ("tinglng", "tingling"), ("numbess", "numbness"), ("siezure", "seizure"),
    ("dizy", "dizzy"), ("pian", "pain"), ("fiant", "faint"), ("palpatations", "palpitations"),
])
def test_misspellings_are_read_as_the_nearest_word(typed, meant):
    assert symptom_text._nearest(typed) == meant


@pytest.mark.parametrize("word", ["painted", "within", "number", "rain", "gain", "wear", "fit", "work", "severely"])
def test_real_words_and_short_words_are_not_taken_for_misspellings(word):
    assert symptom_text._nearest(word) is None


def test_a_red_flag_word_wins_over_a_plain_word_at_the_same_distance():
    red, plain = symptom_text._vocabulary_words()
    assert "seizure" in red and "fainted" in red and "pain" in red
    assert "twitching" in plain and "cramps" in plain
    assert not red & plain


def test_corrections_are_reported():
    g = guidance(["twiching eyelid"])
    assert g.readings[0].corrected == (("twiching", "twitching"),)
    assert "Took 'twiching' to mean 'twitching'." in g.notes


def test_not_misspellings_are_not_vocabulary():
    listed = set(_csv("not_misspellings.csv")["word"])
    assert listed and not listed & set(symptom_text._all_words())


# --- matching helpers -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, location", [
    ("eyelid twitching", "twitching", "eyelid"),
    ("twitching eyelid", "twitching", "eyelid"),
    ("calf cramps", "cramps", "calves"),
    ("pins-and-needles, feet", "tingling", "feet"),
    ("muscle cramps", "cramps", "any"),
    ("twitching in my elbow", "twitching", "any"),
])
def test_match_symptom(text, kind, location):
    match = match_symptom(text)
    assert (match.kind, match.location) == (kind, location)
    assert match.text == text


def test_match_all_gives_every_kind_and_place():
    pairs = [(m.kind, m.location) for m in match_all("tingling and numbness in hands and feet")]
    assert pairs == [("tingling", "hands"), ("tingling", "feet"), ("numbness", "hands"), ("numbness", "feet")]


@pytest.mark.parametrize("text", ["headache", "eyelid", "", "   ", "seizure", "x" * 12000])
def test_match_all_without_a_kind_is_an_error(text):
    with pytest.raises(InputError, match="symptoms") as info:
        match_symptom(text)
    assert "known kinds: twitching" in str(info.value) and info.value.field == "symptoms"
    assert len(str(info.value)) < 1000


# --- the mapping ----------------------------------------------------------------------------------

def test_eyelid_twitching_is_magnesium_first_then_vitamin_d():
    g = guidance(["eyelid twitching"])
    assert g.nutrients[0] == "magnesium"
    assert "vitamin_d" in g.nutrients
    assert g.reasons[0].startswith("magnesium: ") and g.reasons[0].endswith("(eyelid twitching)")
    assert any(r.startswith("vitamin D: ") for r in g.reasons)
    assert len(g.reasons) == len(g.nutrients)


def test_tingling_around_mouth_is_calcium_first():
    assert guidance(["tingling around the mouth"]).nutrients[0] == "calcium"


def test_numbness_in_feet_is_b12_and_calcium():
    g = guidance(["numbness in feet"])
    assert g.nutrients[0] == "vitamin_b12"
    assert "calcium" in g.nutrients
    assert g.reasons[0].startswith("B12: ")


def test_widespread_twitching_with_weakness_is_potassium_and_a_red_flag():
    g = guidance(["widespread twitching with weakness"])
    assert g.nutrients[0] == "potassium"
    assert {"weakness", "widespread"} <= _flag_ids(g)


def test_nutrients_are_unique_and_reasons_name_every_symptom():
    g = guidance(["calf cramps", "eyelid twitching"])
    assert len(set(g.nutrients)) == len(g.nutrients)
    magnesium = next(r for r in g.reasons if r.startswith("magnesium:"))
    assert "(calf cramps; eyelid twitching)" in magnesium


def test_a_long_text_is_named_in_reasons_by_what_was_read_not_repeated_whole():
    text = ("I have had eyelid twitching and cramps in my calves at night and tingling around my mouth for about "
            "three weeks now, it gets worse after coffee")
    g = guidance([text])
    assert g.reasons and not any(text in r for r in g.reasons)
    magnesium = next(r for r in g.reasons if r.startswith("magnesium:"))
    assert "twitching in the eyelid" in magnesium and "cramps in the calves" in magnesium
    assert any("tingling around the mouth" in r for r in g.reasons)


LONG_TEXT = ("my calves cramp at night and my eyelid twitches " * 250).strip()


@pytest.mark.parametrize("text", [LONG_TEXT, "asdf " * 2400, "x" * 12000, "no cramps " * 1200])
def test_a_long_text_is_quoted_by_its_first_words_and_its_length_never_whole(text):
    """Pasting a page gets it read in full, but each message quotes its first words and says how long it was."""
    g = guidance([text])
    said = " ".join(text.split())
    assert sum(map(len, g.notes)) < 600
    assert any(f"' ({len(said):,} characters)" in line for line in g.notes)
    assert any(f"'{said[:20]}" in line for line in g.notes)


def test_a_long_list_of_words_from_the_text_says_how_many_more():
    g = guidance(["cramps " + " ".join(f"zq{i}" for i in range(2000))])
    ignored = next(line for line in g.notes if line.startswith("Words not understood"))
    assert ignored.startswith("Words not understood, so ignored: zq0, zq1, ") and ignored.endswith(" more.")
    assert len(ignored) < 160
    assert len(g.ignored) == 2000


def test_dizziness_raises_no_nutrient_but_a_flag():
    g = guidance(["dizziness"])
    assert g.nutrients == ()
    assert _flag_ids(g) == {"dizziness"}


# --- red flags ------------------------------------------------------------------------------------

GENERAL = _csv("red_flags.csv").query("rule == 'always'")["message"].iloc[0]


def test_any_symptom_prints_the_general_line():
    g = guidance(["constipation"])
    assert [f.message for f in g.red_flags] == [GENERAL]
    assert "two weeks" in GENERAL and "blood test" in GENERAL and "emergency" in GENERAL


def test_no_symptom_no_guidance():
    for texts in ([], [""], ["  "]):
        g = guidance(texts)
        assert (g.matches, g.nutrients, g.red_flags, g.lifestyle, g.max_caffeine_mg) == ((), (), (), (), None)


def test_red_flags_are_typed_and_urgent_lines_come_first():
    g = guidance(["weak legs for a month", "palpitations and feeling faint", "twitching in my hands and feet"])
    assert all(isinstance(f, RedFlag) for f in g.red_flags)
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.red_flags[0].urgent = False
    urgency = [f.urgent for f in g.red_flags]
    assert urgency == sorted(urgency, reverse=True) and urgency[0] and not urgency[-1]
    lines = g.doctor_lines()
    assert lines[0].startswith("URGENT: ")
    assert lines[-1] == f"SEE A DOCTOR: {GENERAL}"
    assert [line.startswith("URGENT: ") for line in lines] == urgency
    assert all(line.startswith(("URGENT: ", "SEE A DOCTOR: ")) for line in lines)


def test_each_flag_is_raised_once():
    g = guidance(["seizure", "had a fit", "weakness", "weak arms"])
    assert len({f.flag for f in g.red_flags}) == len(g.red_flags)


@pytest.mark.parametrize("texts, flag", [
    (["twitching with weakness"], "weakness"),
    (["numb fingers"], "numbness"),
    (["poor coordination"], "poor_coordination"),
    (["eyelid twitching", "calf cramps"], "several_places"),
    (["twitching in hands and feet"], "several_places"),
    (["cramps spreading up my legs"], "several_places"),
    (["twitching in my eye and my calf"], "several_places"),
    (["cramps in legs and arms"], "several_places"),
    (["twitching all over"], "widespread"),
    (["my eye doesn't twitch, but my calf and my arm cramp"], "several_places"),
])
def test_red_flags(texts, flag):
    assert flag in _flag_ids(guidance(texts))


def test_one_place_no_extra_flag():
    assert _flag_ids(guidance(["eyelid twitching", "eye twitch"])) == set()


@pytest.mark.parametrize("days, flagged", [(None, False), (14, False), (15, True), (30.5, True)])
def test_duration_flag(days, flagged):
    assert ("over_two_weeks" in _flag_ids(guidance(["eyelid twitching"], duration_days=days))) is flagged


def test_bad_duration():
    with pytest.raises(InputError, match="duration_days") as info:
        guidance(["eyelid twitching"], duration_days=-1)
    assert info.value.field == "duration_days"
    with pytest.raises(InputError, match="duration_days.*symptom"):
        guidance([], duration_days=20)


# --- words for people -----------------------------------------------------------------------------

COLUMN_NAMES = re.compile(r"_mg\b|_mcg\b|vitamin_d|vitamin_b12|_")


def _people_strings(g: Guidance) -> list[str]:
    return [*g.reasons, *g.doctor_lines(), *g.lifestyle, *g.notes, *g.suggestions,
            *(m.describe() for m in g.matches), str(g.red_flags[0]) if g.red_flags else ""]


@pytest.mark.parametrize("texts", [
    ["eyelid twitching", "numbness in feet", "calf cramps", "aching bones", "weak legs for a month"],
    ["tingling around the mouth, no weakness", "twiching hands", "constipated and tired"],
    ["poor coordination at night", "heart racing and dizzy", "seizure"], ["headache"], ["eyelid"],
])
def test_no_user_facing_string_names_a_column(texts):
    g = guidance(texts)
    assert g.nutrients or g.suggestions
    for line in _people_strings(g) + [vitamin_d_note()]:
        assert not COLUMN_NAMES.search(line), line


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


@pytest.mark.parametrize("options, held", [
    ({}, DEFAULT_MAX_CAFFEINE_MG), ({"age": 30, "sex": "female", "pregnant": True}, 300),
    ({"age": 2, "sex": "male"}, 30), ({"max_caffeine": 100}, 100), ({"max_caffeine": 500}, 500),
])
def test_caffeine_line_names_the_ceiling_the_targets_hold(options, held):
    """A pregnancy's, a child's or the person's own limit is what the plan holds, and what the line says."""
    targets = targets_for_request(request_from_options(symptoms=("leg cramps",), **options))
    assert targets.table.set_index("nutrient").at["caffeine_mg", "max"] == held
    line = next(line for line in targets.guidance.lifestyle if line.startswith("Caffeine"))
    assert f" {held:g} mg a day, " in line
    assert ("mg a day, your limit" in line) is ("max_caffeine" in options)


@pytest.mark.parametrize("options, asks_less, pregnancy", [
    ({}, False, False),                                        # no drink served: no call for a lower limit
    ({"max_caffeine": 200}, True, True),                       # her own limit: drinks served under it
    ({"max_caffeine": 200, "age": 13, "sex": "male"}, True, False),   # a boy is not asked about a pregnancy
    ({"max_caffeine": 200, "age": 60}, True, False),
    ({"max_caffeine": 200, "age": 30, "pregnant": True}, True, False),   # her limit is already a pregnancy's
])
def test_the_caffeine_line_agrees_with_the_plan_and_the_person(options, asks_less, pregnancy, tmp_path):
    """With twitching named and no limit of the person's own, the plan serves no caffeinated drink: the line had
    still asked for "a lower caffeine limit if you can", and told a boy of 13 to ask about his limit if pregnant."""
    targets = targets_for_request(request_from_options(symptoms=("eyelid twitching",), **options))
    line = next(line for line in targets.guidance.lifestyle if line.startswith("Caffeine"))
    assert ("set a lower caffeine limit" in line) is asks_less
    assert ("if pregnant" in line) is pregnancy
    assert "cutting back" in line
    # under a targets file's ceiling too (a boy of 13 had been told to ask about his limit if pregnant)
    own = tmp_path / "t.csv"
    own.write_text("nutrient,min,max\ncaffeine_mg,,100\n", encoding="utf-8")
    options = {k: v for k, v in options.items() if k != "max_caffeine"}
    request = request_from_options(symptoms=("eyelid twitching",), custom_targets=read_targets_file(str(own)),
                                   **options)
    line = next(line for line in targets_for_request(request).guidance.lifestyle if line.startswith("Caffeine"))
    assert ("if pregnant" in line) is request.profile.may_be_pregnant is (options.get("sex") != "male"
                                                                          and options.get("age", 35) < 50
                                                                          and not options.get("pregnant"))


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


def test_vocabulary_lists_every_name_used_by_the_mapping_and_the_flags():
    vocab = vocabulary()
    mapping = _csv("symptoms.csv")
    kinds = set(vocab.query("type == 'kind'")["name"])
    locations = set(vocab.query("type == 'location'")["name"])
    assert set(mapping["kind"]) <= kinds
    assert set(mapping["location"]) - {"any"} <= locations
    assert {"twitching", "cramps", "tingling", "numbness", "weakness", "poor_coordination"} <= kinds
    assert {"eyelid", "mouth", "hands", "feet", "calves", "widespread"} <= locations
    flags = _csv("red_flags.csv").query("rule == 'names'")["value"]
    used = {n for value in flags for group in value.split("|") for n in group.split("+")}
    assert used <= set(vocab["name"])
    assert set(vocab.query("red_flag")["name"]) >= {"seizure", "fainting", "chest_pain", "weakness"}


def test_words_are_unique():
    words = _csv("symptom_words.csv")["word"].str.lower()
    assert not words.duplicated().any()


def _articles() -> dict[str, str]:
    if not SOURCES.is_dir():
        pytest.skip(f"{SOURCES} is absent")
    return {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt")}


def _cited(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


WEB_SOURCE = re.compile(r"^[^<>]+ <https://[^\s<>]+>$")


def test_every_red_flag_row_has_a_source():
    flags = _csv("red_flags.csv")
    assert (flags["source"].str.strip() != "").all()
    for row in flags.itertuples():
        for source in _cited(row.source):
            assert source.endswith(".txt") or WEB_SOURCE.match(source), (row.flag, source)
        if row.urgent == "yes":
            assert any(WEB_SOURCE.match(s) for s in _cited(row.source)), row.flag
        elif row.flag != "general":
            assert all(s.endswith(".txt") for s in _cited(row.source)), row.flag


def test_red_flags_data_has_the_urgent_cases():
    flags = _csv("red_flags.csv").set_index("flag")
    assert set(flags.query("urgent == 'yes'").index) == {
        "seizure", "fainting", "chest_pain", "palpitations_faint", "stroke", "breathing", "swallowing"}
    assert set(flags["urgent"]) == {"yes", "no"}


@pytest.mark.parametrize("name, column", [("symptoms.csv", "source_article"), ("red_flags.csv", "source")])
def test_every_source_article_exists(name, column):
    articles = _articles()
    cited = {a for cell in _csv(name)[column] for a in _cited(cell) if a.endswith(".txt")}
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
    g = guidance(["widespread twitching with weakness", "tingling feet", "seizure"], duration_days=30)
    return (list(_csv("symptoms.csv")["rationale"]) + list(_csv("red_flags.csv")["message"])
            + list(g.lifestyle) + list(g.notes) + [vitamin_d_note()] + list(beyond_food().values()))


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


# --- research data for targets (wired in elsewhere) -----------------------------------------------

@pytest.mark.parametrize("name, columns, number", [
    ("sodium_cdrr_children.csv", ["age_min", "age_max", "cdrr_mg", "source", "quote"], "cdrr_mg"),
    ("energy_life_stage.csv", ["stage", "kcal_added", "source", "quote"], "kcal_added"),
])
def test_research_files_quote_their_source(name, columns, number):
    table = _csv(name)
    assert list(table.columns) == columns
    for row in table.itertuples():
        value = getattr(row, number)
        assert re.search(r"<https?://\S+>", row.source) or row.source.startswith("none found"), row
        if value:
            assert f"{float(value):,.0f}" in row.quote or f"{float(value):.0f}" in row.quote, row


# --- end to end with targets ----------------------------------------------------------------------

def test_targets_keep_b6_ceiling_and_add_caffeine_ceiling():
    g = guidance(["eyelid twitching", "numbness in feet"])
    targets = targets_for(make_profile(), deficient=deficient_from_dri_names(g.nutrients),
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
    assert symptom_text.red_flags_table().shape[0] == _csv("red_flags.csv").shape[0]
