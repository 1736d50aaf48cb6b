"""Symptom guidance: red flags first, then the nutrients a plan should raise, for symptoms in a person's words.

How the words are read is `planner.symptom_text`. What they mean lives in data
files in `planner/data/`, each restating its sources in our own words:

`symptoms.csv` (`kind, location, nutrient, rationale, source_article`)
    The mapping from a kind at a location (`any` for every location) to a DRI
    nutrient name, in priority order, citing the five articles in
    `shared/sources/`. No row raises vitamin B6: large B6 doses can themselves
    cause twitching and nerve damage, so B6 keeps its DRI ceiling and no more.

`red_flags.csv` (`flag, rule, value, urgent, message, source`)
    When to see a doctor, one flag a row. `rule` is `always` (whenever any
    symptom text is given), `names` (`value` lists alternatives split by `|`,
    each a `+`-joined set of names that must all be present: `chest_pain|aches+chest`),
    `places_over` (more than `value` distinct places, or words such as
    "several places") or `days_over` (lasting more than `value` days). `urgent`
    is `yes` for emergency care, `no` for an appointment. `source` is `|`-separated:
    an article file name or `Title <URL>`.

`guidance()` never raises for the text itself: whatever is not understood is
listed in `Guidance.ignored`, and red flags are never lost.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

import pandas as pd

from planner import nutrients
from planner.errors import InputError
from planner.files import data_path
from planner.symptom_text import (ANY, QUOTED_TEXT_CHARS, WORD_TYPES, Reading, SymptomMatch, alternatives,
                                  canonical_names, cut, pairs, quote, read_table, read_text, red_flags_table,
                                  say_name, words_table)


# The articles advise cutting caffeine when muscles twitch but give no figure. 400 mg a day is
# the FDA's figure for healthy adults, as reported by the International Food Information Council
# (https://caffeine.foodinsight.org/safety: "According to the FDA, the European Food Safety
# Authority and Health Canada, caffeine consumption of up to 400 mg daily is not associated with
# adverse health effects in the general, healthy population of adults").
DEFAULT_MAX_CAFFEINE_MG = 400.0
CAFFEINE_SOURCE = "FDA figure for healthy adults (via IFIC, caffeine.foodinsight.org/safety)"
# Kinds that bring the default caffeine ceiling: the articles name caffeine as a trigger of these.
CAFFEINE_KINDS = frozenset({"twitching", "cramps", "spasms"})
# A reason quotes the person's text up to this length; a longer one is named by what was read in it.
CITED_TEXT_CHARS = 40
SYMPTOM_COLUMNS = ["kind", "location", "nutrient", "rationale", "source_article"]
DEFAULT_SUGGESTIONS = ("twitching", "cramps", "tingling", "numbness", "weakness")



@dataclass(frozen=True)
class RedFlag:
    """One reason to see a doctor; `urgent` means emergency care now, not an appointment."""

    flag: str
    message: str
    urgent: bool
    source: str

    @property
    def line(self) -> str:
        """The line to print: `URGENT: ...` or `SEE A DOCTOR: ...`."""
        return f"{'URGENT' if self.urgent else 'SEE A DOCTOR'}: {self.message}"

    def __str__(self) -> str:
        return self.message


# How a red flag's line begins (`RedFlag.line`): what every output puts first.
DOCTOR_PREFIXES = ("URGENT: ", "SEE A DOCTOR: ")


@dataclass(frozen=True)
class Guidance:
    """What symptom texts mean: red flags first, then nutrients; every field is empty/None for no symptom."""

    matches: tuple[SymptomMatch, ...]
    nutrients: tuple[str, ...]          # DRI names to raise: targets_for(..., deficient=nutrients)
    reasons: tuple[str, ...]            # one line per nutrient: "vitamin D: <rationale> (eyelid twitching)"
    red_flags: tuple[RedFlag, ...]      # urgent first, then specific, then the general line
    max_caffeine_mg: float | None       # DEFAULT_MAX_CAFFEINE_MG when twitching/cramps/spasms named
    lifestyle: tuple[str, ...]          # water, caffeine, other triggers
    readings: tuple[Reading, ...] = ()  # one per text, in order
    absent: tuple[str, ...] = ()        # names understood as absent in every text that named them
    times: tuple[str, ...] = ()         # at_night, with_exercise, ...
    duration_days: float | None = None  # the larger of the argument and any duration in the texts
    ignored: tuple[str, ...] = ()       # words not understood, never blocking
    suggestions: tuple[str, ...] = ()   # known terms near what was typed, when a text named no symptom, absent or not
    notes: tuple[str, ...] = ()         # what was understood, absent, ignored or not recognised, for people

    @property
    def urgent(self) -> bool:
        return any(flag.urgent for flag in self.red_flags)

    def doctor_lines(self) -> tuple[str, ...]:
        """The red flags as lines to print first: `URGENT: ...` lines, then `SEE A DOCTOR: ...` lines."""
        return tuple(flag.line for flag in self.red_flags)


# --- data -----------------------------------------------------------------------------------------

@cache
def _mapping() -> pd.DataFrame:
    table = read_table("symptoms.csv", SYMPTOM_COLUMNS)
    path = str(data_path("symptoms.csv"))
    kinds, locations = set(canonical_names("kind")), set(canonical_names("location")) | {ANY}
    for row, r in enumerate(table.itertuples(), start=2):
        if r.kind not in kinds:
            raise InputError(f"kind '{r.kind}' is not in symptom_words.csv", source=path, row=row, field="kind")
        if r.location not in locations:
            raise InputError(f"location '{r.location}' is not in symptom_words.csv (or 'any')", source=path, row=row, field="location")
        for field in ("nutrient", "rationale", "source_article"):
            if not getattr(r, field):
                raise InputError("expected a value", source=path, row=row, field=field)
    if table.duplicated(["kind", "location", "nutrient"]).any():
        raise InputError("a kind, location and nutrient appear together twice", source=path)
    return table


def vocabulary() -> pd.DataFrame:
    """The known names by type, for help text and docs.

    Columns: `type` (kind, location, sign, time, count), `name` (canonical),
    `words` (what a person may type for it), `nutrients` (every nutrient a
    symptom with it may raise, in priority order), `red_flag` (naming it alone
    raises a red flag).
    """
    words, mapping, flags = words_table(), _mapping(), red_flags_table()
    alone = {next(iter(g)) for v in flags.loc[flags["rule"] == "names", "value"] for g in alternatives(v)
             if len(g) == 1}
    rows = []
    for word_type in WORD_TYPES:
        for name in canonical_names(word_type):
            typed = words.loc[(words["type"] == word_type) & (words["canonical"] == name), "word"]
            nutrients = (mapping.loc[mapping[word_type] == name, "nutrient"]
                         if word_type in ("kind", "location") else [])
            rows.append({"type": word_type, "name": name, "words": ", ".join(typed),
                         "nutrients": ", ".join(dict.fromkeys(nutrients)), "red_flag": name in alone})
    return pd.DataFrame(rows, columns=["type", "name", "words", "nutrients", "red_flag"])


# --- guidance -------------------------------------------------------------------------------------

def _rows_for(match: SymptomMatch) -> pd.DataFrame:
    mapping = _mapping()
    return mapping[(mapping["kind"] == match.kind) & mapping["location"].isin([match.location, ANY])]


def guidance(symptoms: list[str], duration_days: float | None = None) -> Guidance:
    """Red flags, nutrients to raise, reasons and lifestyle notes for symptoms in a person's own words.

    `symptoms` holds free texts, one per `--symptom`; `duration_days` is how long
    they have lasted (a duration in the text counts too; the larger wins). No
    symptom gives an empty Guidance. Never raises for the text itself: whatever
    is not understood is listed in `ignored`, and a text naming no symptom still
    gets the general "see a doctor if ..." line, with `suggestions`; one naming
    only symptoms that are absent ("no cramps") gets that line and no suggestions.

    >>> g = guidance(["it started last week and yesterday I had a seizure at work"])
    >>> g.doctor_lines()[0].startswith("URGENT: A seizure")
    True
    """
    if duration_days is not None and not duration_days >= 0:
        raise InputError(f"expected days >= 0, got {duration_days:g}", field="duration_days")
    texts = [s for s in symptoms if s is not None and s.strip()]
    if not texts:
        if duration_days is not None:
            raise InputError("give the symptom it applies to", field="duration_days")
        return Guidance((), (), (), (), None, ())

    readings = tuple(read_text(text) for text in texts)
    matches = tuple(m for r in readings for m in pairs(r))
    rationale: dict[str, str] = {}
    cited_by: dict[str, list[str]] = {}
    for match in matches:
        for r in _rows_for(match).itertuples():
            rationale.setdefault(r.nutrient, r.rationale)
            # The person's own words when short; a long text is named by what was read in it, once per line.
            said = match.text if len(match.text) <= CITED_TEXT_CHARS else match.in_words()
            texts_for = cited_by.setdefault(r.nutrient, [])
            if said not in texts_for:
                texts_for.append(said)
    nutrients = tuple(rationale)
    reasons = tuple(f"{say_name(n)}: {rationale[n]} ({'; '.join(cited_by[n])})" for n in nutrients)

    durations = [d for d in (duration_days, *(r.duration_days for r in readings)) if d is not None]
    days = max(durations) if durations else None
    present = frozenset().union(*(r.names for r in readings))
    places = {loc for r in readings for loc in r.locations}
    several = any(r.several_places for r in readings)
    suggestions = _suggestions(readings)
    kinds = {k for r in readings for k in r.kinds}
    caffeine = DEFAULT_MAX_CAFFEINE_MG if kinds & CAFFEINE_KINDS else None
    return Guidance(
        matches, nutrients, reasons, _flags(present, max(len(places), 2 if several else 0), days), caffeine,
        _lifestyle(nutrients, caffeine), readings,
        tuple(dict.fromkeys(a for r in readings for a in r.absent if a not in present)),
        tuple(dict.fromkeys(t for r in readings for t in r.times)), days,
        tuple(dict.fromkeys(w for r in readings for w in r.ignored)), suggestions,
        _notes(readings, suggestions) + _duration_note(duration_days, readings, days))


def _flags(names: frozenset[str], places: int, days: float | None) -> tuple[RedFlag, ...]:
    """Every red flag raised, urgent ones first, the general line last, each once."""
    raised = []
    for r in red_flags_table().itertuples():
        if (r.rule == "always"
                or (r.rule == "names" and any(group <= names for group in alternatives(r.value)))
                or (r.rule == "places_over" and places > float(r.value))
                or (r.rule == "days_over" and days is not None and days > float(r.value))):
            raised.append(RedFlag(r.flag, r.message, r.urgent == "yes", r.source))
    return tuple(sorted(raised, key=lambda f: (not f.urgent, f.flag == "general")))


def _suggestions(readings: tuple[Reading, ...]) -> tuple[str, ...]:
    """Known terms near the words of texts that named no symptom (or the commonest kinds)."""
    lost = [r for r in readings if not r.recognised and not r.only_absent]
    if not lost:
        return ()
    words = words_table()
    kinds = {k[0]: c for k, t, c in zip(words["key"], words["type"], words["canonical"]) if t == "kind" and len(k) == 1}
    near = [kinds[w] for r in lost for typed in r.ignored
            for w in difflib.get_close_matches(typed, list(kinds), n=3, cutoff=0.6)]
    return tuple(dict.fromkeys(say_name(n) for n in near)) or DEFAULT_SUGGESTIONS


def _duration_note(given: float | None, readings: tuple[Reading, ...], days: float | None) -> tuple[str, ...]:
    """When --duration-days and a text say different lengths, which one the warning signs count by: the longer."""
    said = {r.duration_days for r in readings if r.duration_days is not None}
    if given is None or not said or said == {given}:
        return ()
    return (f"Counted as lasting about {days:g} days, the longest of --duration-days ({given:g}) and the "
            f"text{'s' if len(said) > 1 else ''} ({', '.join(f'{d:g}' for d in sorted(said))}).",)


def _notes(readings: tuple[Reading, ...], suggestions: tuple[str, ...]) -> tuple[str, ...]:
    """One line per text saying how it was read, for a person to check."""
    lines = []
    for r in readings:
        if r.only_absent:
            lines.append(f"Read {quote(r.text)} as naming only symptoms you do not have, so it raises no nutrient.")
        elif not r.recognised:
            where = f" (it names {', '.join(map(say_name, r.locations))} but not what you feel)" if r.locations else ""
            lines.append(f"No symptom recognised in {quote(r.text)}{where}; try words such as "
                         f"{', '.join(suggestions)}.")
        else:
            parts = [m.describe() for m in pairs(r)] + [say_name(s) for s in r.signs] + [say_name(t) for t in r.times]
            if r.several_places:
                parts.append("in several places")
            if r.duration_days is not None:
                parts.append(f"for about {r.duration_days:g} day{'' if r.duration_days == 1 else 's'}")
            lines.append(f"Read {quote(r.text)} as: {', '.join(parts)}.")
        if r.absent:
            lines.append(f"Understood as absent: {', '.join(map(say_name, r.absent))}.")
        if r.corrected:
            lines.append("Took " + _listed(f"'{a}' to mean '{b}'" for a, b in r.corrected) + ".")
    # A text that named nothing felt has its unknown words turned into suggestions instead.
    ignored = tuple(dict.fromkeys(w for r in readings if r.recognised or r.only_absent for w in r.ignored))
    if ignored:
        lines.append(f"Words not understood, so ignored: {_listed(ignored)}.")
    return tuple(lines)


def _listed(words: Iterable[str], most: int = QUOTED_TEXT_CHARS) -> str:
    """Words from the person's text in about `most` characters, and how many more: "elbow, marathon and 40 more"."""
    words = list(words)
    shown: list[str] = []
    for word in words:
        if shown and len(", ".join([*shown, word])) > most:
            break
        shown.append(cut(word, most))
    rest = len(words) - len(shown)
    return ", ".join(shown) + (f" and {rest:,} more" if rest else "")


def with_caffeine_ceiling(advice: Guidance, ceiling: float | None, why: str, *, drinks_out: bool,
                          may_be_pregnant: bool) -> Guidance:
    """`advice` with its caffeine line naming the ceiling the targets hold (`why`: the symptoms' default, a
    child's, a pregnancy's or the person's own limit) and what the plan does about it: `drinks_out` when it
    serves no caffeinated drink (`planner.caffeine`), so the line does not also ask for a lower limit;
    `may_be_pregnant` for a woman of an age the pregnancy rows cover who is not planned as pregnant."""
    if advice.max_caffeine_mg is None or ceiling is None:
        return advice
    return replace(advice, lifestyle=_lifestyle(advice.nutrients, ceiling, why, drinks_out, may_be_pregnant))


def under_own_targets(advice: Guidance, caffeine: float | None, may_be_pregnant: bool = True) -> Guidance:
    """`advice` for a person whose own targets file sets every floor: the warning signs and how the texts were
    read stay, but no floor is raised, and the caffeine line names the file's ceiling (or none)."""
    labels = {n.dri_name: n.label for n in nutrients.registry().values() if n.dri_name}
    said = (f"Your targets file sets every floor, so the symptoms raise none of them (they would raise "
            f"{', '.join(labels.get(n, n) for n in advice.nutrients)})." if advice.nutrients else None)
    return replace(advice, nutrients=(), reasons=(), notes=(*advice.notes, *([said] if said else [])),
                   lifestyle=_lifestyle(advice.nutrients, caffeine, "your targets file's ceiling",
                                        may_be_pregnant=may_be_pregnant),
                   max_caffeine_mg=caffeine)


def _lifestyle(nutrients: tuple[str, ...], caffeine: float | None, why: str = f"the {CAFFEINE_SOURCE}",
               drinks_out: bool = False, may_be_pregnant: bool = True) -> tuple[str, ...]:
    lines = ["Water: drink through the day and more when you sweat; losing fluid also drains "
             "magnesium, calcium and potassium."]
    if caffeine is not None and drinks_out:
        # Which drinks stay out is the plan's own note (`planner.caffeine`); this line does not ask for less.
        lines.append(f"Caffeine: the articles advise cutting back when muscles twitch; what the plan serves "
                     f"holds at most {caffeine:g} mg a day, {why}.")
    elif caffeine is not None:
        lines.append(f"Caffeine: held to {caffeine:g} mg a day, {why}. The articles advise "
                     "cutting back when muscles twitch, so set a lower caffeine limit if you can"
                     + ("; if pregnant, ask your clinician for your limit." if may_be_pregnant else "."))
    if caffeine is not None:
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
