"""Symptom guidance: from "eyelid twitching" to the nutrients a plan should raise.

Everything the guidance knows lives in three data files in `planner/data/`,
each restating the five health articles in `shared/sources/` in our own words:

`symptom_words.csv` (`word, type, canonical`)
    The vocabulary. `type` is `kind` (what the symptom is: twitching, cramps,
    spasms, tremor, tingling, numbness, weakness, fatigue, aches, bone_pain,
    poor_coordination, irregular_heartbeat, constipation, dizziness) or
    `location` (where: eyelid, mouth, face, hands, fingers, feet, legs, calves,
    arms, widespread). `word` is a word or phrase a person may type
    ("pins and needles", "calf", "all over"); `canonical` is the name it stands for.

`symptoms.csv` (`kind, location, nutrient, rationale, source_article`)
    The mapping. A row applies to a symptom of that kind at that location;
    `location` `any` applies at every location (and when none is given).
    `nutrient` is a DRI nutrient name (`magnesium`, `calcium`, `potassium`,
    `vitamin_d`, `vitamin_b12`, `thiamin`, ...), `rationale` one short line,
    `source_article` the article file name(s), `|`-separated. Row order is
    priority: a symptom's nutrients come in the order of its rows in the file.
    No row raises vitamin B6: large B6 doses can themselves cause twitching and
    nerve damage, so B6 keeps its DRI ceiling (the UL) and nothing more.
    A kind with no row here (dizziness) only raises red flags.

`red_flags.csv` (`rule, value, message, source_article`)
    When to see a doctor. `rule` is `always` (printed whenever a symptom is
    given), `kind` (that kind is named), `location` (that location is named),
    `locations_over` (more than `value` distinct locations across all the
    symptoms) or `days_over` (`duration_days` above `value`).

Free text is matched word by word: hyphens and punctuation become spaces,
phrases are tried longest first (so "pins and needles" is one word, not
"pins" + "and"), a trailing plural `s` is forgiven, and small grammar words
("my", "in", "around", "left", ...) are skipped. Anything else that is not in
the vocabulary is an error naming it, never silently dropped.
One text may name several kinds and places ("tingling and numbness in hands
and feet"): `match_all` gives every kind x place pair; `match_symptom` gives
the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from planner.errors import InputError
from planner.files import data_path

OPTION = "--symptom"
ANY = "any"

# The articles advise cutting caffeine when muscles twitch but give no figure. 400 mg a day is
# the FDA's figure for healthy adults, as reported by the International Food Information Council
# (https://caffeine.foodinsight.org/safety: "According to the FDA, the European Food Safety
# Authority and Health Canada, caffeine consumption of up to 400 mg daily is not associated with
# adverse health effects in the general, healthy population of adults").
DEFAULT_MAX_CAFFEINE_MG = 400.0
CAFFEINE_SOURCE = "FDA figure for healthy adults (via IFIC, caffeine.foodinsight.org/safety)"
# Kinds that bring the default caffeine ceiling: the articles name caffeine as a trigger of these.
CAFFEINE_KINDS = frozenset({"twitching", "cramps", "spasms"})

# Grammar words skipped in free text: they carry no symptom or place.
FILLER = frozenset("""
    a an the my me i i'm im have has had got get getting keep keeps keeping kept am is are be been
    in on at of around round near by to from into across over under along through both either left right
    upper lower inner outer side sides some little lot lots very bit slight slightly mild constant constantly
    frequent frequently occasional occasionally sometimes often always again recently lately since day days
    week weeks month months for about when after during while it its this that like few couple and or with
    plus also muscle muscles body area areas part parts feel feeling feels sensation sensations
""".split())

WORD_COLUMNS = ["word", "type", "canonical"]
SYMPTOM_COLUMNS = ["kind", "location", "nutrient", "rationale", "source_article"]
RED_FLAG_COLUMNS = ["rule", "value", "message", "source_article"]
RED_FLAG_RULES = ("always", "kind", "location", "locations_over", "days_over")


@dataclass(frozen=True)
class SymptomMatch:
    """What the user typed and what it matched: a canonical kind and location (`any` when none given)."""

    text: str
    kind: str
    location: str

    def describe(self) -> str:
        kind = self.kind.replace("_", " ")
        return kind if self.location == ANY else f"{kind} ({self.location})"


@dataclass(frozen=True)
class Guidance:
    """What a list of symptoms means for a plan; every field is empty/None when no symptom is given."""

    matches: tuple[SymptomMatch, ...]
    nutrients: tuple[str, ...]          # DRI names to raise: targets_for(..., deficient=nutrients)
    reasons: tuple[str, ...]            # one line per nutrient: "magnesium: <rationale> (eyelid twitching)"
    red_flags: tuple[str, ...]          # "see a doctor" lines, most general first
    max_caffeine_mg: float | None       # DEFAULT_MAX_CAFFEINE_MG when twitching/cramps/spasms named
    lifestyle: tuple[str, ...]          # water, caffeine, other triggers


# --- data -----------------------------------------------------------------------------------------

def _read(name: str, columns: list[str]) -> pd.DataFrame:
    path = data_path(name)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != columns:
        raise InputError(f"expected columns {','.join(columns)}, got {','.join(table.columns)}", source=str(path))
    for column in columns:
        table[column] = table[column].str.strip()
    return table


@cache
def _words() -> pd.DataFrame:
    table = _read("symptom_words.csv", WORD_COLUMNS)
    path = str(data_path("symptom_words.csv"))
    table["word"] = table["word"].map(_normalise)
    for row, r in enumerate(table.itertuples(), start=2):
        if r.type not in ("kind", "location"):
            raise InputError(f"expected kind or location, got '{r.type}'", source=path, row=row, field="type")
        if not r.word or not r.canonical:
            raise InputError("expected a word and its canonical name", source=path, row=row, field="word")
    if table["word"].duplicated().any():
        raise InputError(f"word '{table['word'][table['word'].duplicated()].iloc[0]}' appears twice", source=path)
    return table


@cache
def _mapping() -> pd.DataFrame:
    table = _read("symptoms.csv", SYMPTOM_COLUMNS)
    path = str(data_path("symptoms.csv"))
    words = _words()
    kinds = set(words.loc[words["type"] == "kind", "canonical"])
    locations = set(words.loc[words["type"] == "location", "canonical"]) | {ANY}
    for row, r in enumerate(table.itertuples(), start=2):
        if r.kind not in kinds:
            raise InputError(f"kind '{r.kind}' is not in symptom_words.csv", source=path, row=row, field="kind")
        if r.location not in locations:
            raise InputError(f"location '{r.location}' is not in symptom_words.csv (or 'any')", source=path,
                             row=row, field="location")
        for field in ("nutrient", "rationale", "source_article"):
            if not getattr(r, field):
                raise InputError("expected a value", source=path, row=row, field=field)
    if table.duplicated(["kind", "location", "nutrient"]).any():
        raise InputError("a kind, location and nutrient appear together twice", source=path)
    return table


@cache
def _red_flags() -> pd.DataFrame:
    table = _read("red_flags.csv", RED_FLAG_COLUMNS)
    path = str(data_path("red_flags.csv"))
    for row, r in enumerate(table.itertuples(), start=2):
        if r.rule not in RED_FLAG_RULES:
            raise InputError(f"expected one of {', '.join(RED_FLAG_RULES)}, got '{r.rule}'", source=path, row=row, field="rule")
        if r.rule in ("locations_over", "days_over"):
            try:
                float(r.value)
            except ValueError:
                raise InputError(f"expected a number, got '{r.value}'", source=path, row=row, field="value") from None
        if not r.message:
            raise InputError("expected a message", source=path, row=row, field="message")
    return table


def _canonical(kind_or_location: str) -> list[str]:
    words = _words()
    return list(dict.fromkeys(words.loc[words["type"] == kind_or_location, "canonical"]))


def vocabulary() -> pd.DataFrame:
    """The known kinds and locations, for help text and docs.

    Columns: `type` (kind or location), `name` (canonical), `words` (what a
    person may type for it), `nutrients` (every nutrient a symptom with it may
    raise, in priority order; empty for a kind that only raises red flags),
    `red_flag` (naming it alone prints a "see a doctor" line).
    """
    words, mapping, flags = _words(), _mapping(), _red_flags()
    rows = []
    for kind_or_location in ("kind", "location"):
        column = kind_or_location
        for name in _canonical(kind_or_location):
            typed = words.loc[(words["type"] == kind_or_location) & (words["canonical"] == name), "word"]
            nutrients = mapping.loc[mapping[column] == name, "nutrient"]
            flagged = ((flags["rule"] == kind_or_location) & (flags["value"] == name)).any()
            rows.append({"type": kind_or_location, "name": name, "words": ", ".join(typed),
                         "nutrients": ", ".join(dict.fromkeys(nutrients)), "red_flag": bool(flagged)})
    return pd.DataFrame(rows, columns=["type", "name", "words", "nutrients", "red_flag"])


def _known_text() -> str:
    kinds = ", ".join(k.replace("_", " ") for k in _canonical("kind"))
    locations = ", ".join(_canonical("location"))
    return f"known kinds: {kinds}; known locations: {locations}"


# --- matching -------------------------------------------------------------------------------------

def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return " ".join(text.replace("'", "").split())


@cache
def _lexicon() -> tuple[dict[tuple[str, ...], tuple[str, str]], int]:
    """Word tuples -> (type, canonical), and the longest phrase length."""
    lexicon = {tuple(r.word.split()): (r.type, r.canonical) for r in _words().itertuples()}
    return lexicon, max(len(key) for key in lexicon)


def _tokens(text: str) -> list[tuple[str, str]]:
    """The (type, canonical) found in text, in order; raises on any word outside vocabulary and filler."""
    lexicon, longest = _lexicon()
    words = _normalise(text).split()
    found: list[tuple[str, str]] = []
    unknown: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i:i + size])
            hit = lexicon.get(phrase)
            if hit is None and phrase[-1].endswith("s"):
                hit = lexicon.get(phrase[:-1] + (phrase[-1][:-1],))
            if hit is not None:
                found.append(hit)
                i += size
                break
        else:
            if words[i] not in FILLER and not words[i].isdigit():
                unknown.append(words[i])
            i += 1
    if unknown:
        names = ", ".join(f"'{w}'" for w in dict.fromkeys(unknown))
        raise InputError(f"'{text}': did not understand {names} ({_known_text()})", field="symptoms")
    return found


def match_all(text: str) -> tuple[SymptomMatch, ...]:
    """Every kind x location pair that `text` names, kinds and places in the order typed.

    >>> [m.describe() for m in match_all("tingling and numbness in my feet")]
    ['tingling (feet)', 'numbness (feet)']
    """
    if not text or not text.strip():
        raise InputError(f"expected a symptom such as 'eyelid twitching' ({_known_text()})", field="symptoms")
    found = _tokens(text)
    kinds = list(dict.fromkeys(c for t, c in found if t == "kind"))
    locations = list(dict.fromkeys(c for t, c in found if t == "location")) or [ANY]
    if not kinds:
        raise InputError(f"'{text}': names no kind of symptom, only where ({_known_text()})"
                         if found else f"'{text}': no symptom I know ({_known_text()})", field="symptoms")
    label = " ".join(text.split())
    return tuple(SymptomMatch(label, kind, location) for kind in kinds for location in locations)


def match_symptom(text: str) -> SymptomMatch:
    """The first kind and location `text` names; raises `InputError("--symptom", ...)` for anything unknown.

    >>> match_symptom("twitching eyelid")
    SymptomMatch(text='twitching eyelid', kind='twitching', location='eyelid')
    """
    return match_all(text)[0]


# --- guidance -------------------------------------------------------------------------------------

def _rows_for(match: SymptomMatch) -> pd.DataFrame:
    mapping = _mapping()
    return mapping[(mapping["kind"] == match.kind) & mapping["location"].isin([match.location, ANY])]


def guidance(symptoms: list[str], duration_days: float | None = None) -> Guidance:
    """Nutrients to raise, reasons, red flags and lifestyle notes for the symptoms a person names.

    `symptoms` holds free texts, one per `--symptom`; `duration_days` is how long
    they have lasted. No symptoms gives an empty Guidance.
    """
    if duration_days is not None and not duration_days >= 0:
        raise InputError(f"expected days >= 0, got {duration_days:g}", field="duration_days")
    symptoms = [s for s in symptoms if s is not None]
    if not symptoms:
        if duration_days is not None:
            raise InputError("give the symptom it applies to", field="duration_days")
        return Guidance((), (), (), (), None, ())

    matches = tuple(m for text in symptoms for m in match_all(text))
    rationale: dict[str, str] = {}
    cited_by: dict[str, list[str]] = {}
    for match in matches:
        for r in _rows_for(match).itertuples():
            rationale.setdefault(r.nutrient, r.rationale)
            texts = cited_by.setdefault(r.nutrient, [])
            if match.text not in texts:
                texts.append(match.text)
    nutrients = tuple(rationale)
    reasons = tuple(f"{n}: {rationale[n]} ({'; '.join(cited_by[n])})" for n in nutrients)

    kinds = {m.kind for m in matches}
    caffeine = DEFAULT_MAX_CAFFEINE_MG if kinds & CAFFEINE_KINDS else None
    return Guidance(matches, nutrients, reasons, _flags(matches, duration_days), caffeine,
                    _lifestyle(kinds, nutrients, caffeine))


def _flags(matches: tuple[SymptomMatch, ...], duration_days: float | None) -> tuple[str, ...]:
    kinds = {m.kind for m in matches}
    locations = {m.location for m in matches} - {ANY}
    lines = []
    for r in _red_flags().itertuples():
        if (r.rule == "always"
                or (r.rule == "kind" and r.value in kinds)
                or (r.rule == "location" and r.value in locations)
                or (r.rule == "locations_over" and len(locations) > float(r.value))
                or (r.rule == "days_over" and duration_days is not None and duration_days > float(r.value))):
            lines.append(r.message)
    return tuple(dict.fromkeys(lines))


def _lifestyle(kinds: set[str], nutrients: tuple[str, ...], caffeine: float | None) -> tuple[str, ...]:
    lines = ["Water: drink through the day and more when you sweat; losing fluid also drains "
             "magnesium, calcium and potassium."]
    if caffeine is not None:
        lines.append(f"Caffeine: held to {caffeine:g} mg a day, the {CAFFEINE_SOURCE}. The articles advise "
                     "cutting back when muscles twitch, so set --max-caffeine lower if you can; "
                     "if pregnant, ask your clinician for your limit.")
        lines.append("Other triggers: nicotine, stress, short sleep and hard exercise can all set muscles "
                     "twitching, as can some medicines (diuretics, corticosteroids): ask your doctor "
                     "before changing a prescription.")
        lines.append("Vitamin B6 stays under its upper limit: big B6 doses can cause twitching and "
                     "nerve damage of their own.")
    if "vitamin_b12" in nutrients:
        lines.append("B12 comes almost only from animal foods and fortified products: vegans and "
                     "vegetarians run low most often.")
    return tuple(lines)


def vitamin_d_note() -> str:
    """What to say when a plan falls short on vitamin D: sunlight is not a food. No dosing advice."""
    return ("Vitamin D: few foods hold much of it (fatty fish, egg yolks, and fortified milk, plant drinks "
            "or cereals), and the skin makes it in sunlight, which no meal plan can count. "
            "A gap here is for time outdoors, or a blood test and your doctor's advice, "
            "not for a dose chosen by this tool.")
