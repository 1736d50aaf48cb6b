"""Symptom guidance: from "my eye keeps jumping" to red flags first, then the nutrients a plan should raise.

Everything the guidance knows lives in data files in `planner/data/`, each
restating its sources in our own words:

`symptom_words.csv` (`word, type, canonical`)
    The vocabulary: what a person may type ("pins and needles", "calf",
    "passed out", "at night") and the name it stands for. `type` is `kind`
    (what is felt: twitching, cramps, tingling, ...), `location` (where:
    eyelid, calves, chest, widespread, ...), `sign` (what only raises red flags:
    seizure, fainting, chest_pain, breathing, swallowing, one_side, sudden,
    face_droop, slurred_speech), `time` (at_night, with_exercise, ...) or
    `count` (several_places: "in several places", "spreading").

`symptoms.csv` (`kind, location, nutrient, rationale, source_article`)
    The mapping from a kind at a location (`any` for every location) to a DRI
    nutrient name, in priority order, citing the five articles in
    `shared/sources/`. No row raises vitamin B6: large B6 doses can themselves
    cause twitching and nerve damage, so B6 keeps its DRI ceiling and no more.

`not_misspellings.csv` (`word`)
    English words that sit close to a vocabulary word ("painted" to "fainted",
    "number" to "numbed") and so are never read as its misspelling: every
    lowercase word of 4+ letters in Debian's `wamerican` list that the fuzzy
    match below would otherwise have corrected. Rebuild it when the vocabulary grows.

`red_flags.csv` (`flag, rule, value, urgent, message, source`)
    When to see a doctor, one flag a row. `rule` is `always` (whenever any
    symptom text is given), `names` (`value` lists alternatives split by `|`,
    each a `+`-joined set of names that must all be present: `chest_pain|aches+chest`),
    `places_over` (more than `value` distinct places, or words such as
    "several places") or `days_over` (lasting more than `value` days). `urgent`
    is `yes` for emergency care, `no` for an appointment. `source` is `|`-separated:
    an article file name or `Title <URL>`.

Reading free text (`read_text`): the text is lowered and split into words;
durations ("for three weeks", "since last month", "10 days") are read first;
then phrases are matched longest first, forgiving a plural `s` and small glue
words inside a phrase ("pain in the chest" matches "pain in my chest"); a word of
4+ letters that is not known is matched to the nearest vocabulary word with
`difflib` (see `FUZZY_CUTOFF`). Negations ("no weakness", "without numbness
or tingling", "not dizzy") mark what follows as absent up to the next comma,
"and", "but", "with" or unknown word; "until", "unless" or "except" later in
the text cancel a negation, because a red flag is never lost on a doubt.
Any word still unknown is reported in `Guidance.ignored` and never blocks
what was understood; `guidance()` never raises for the text itself.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from planner.errors import InputError
from planner.foods import _data_path

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

# Misspellings (words of FUZZY_MIN_LETTERS or more that are not known): difflib's ratio is
# 2*matches/(len(a)+len(b)). 0.8 accepts one slip (a letter missing, extra or wrong) in a word of
# five letters or more ("twiching", "tinglng", "numbess", "siezure", "dizy" for "dizzy") and two in
# words of ten or more, but not a wrong letter in a four-letter word, where real words sit that
# close ("pain"/"rain"/"gain", "weak"/"wear"); 0.75, tried first, read "surprised" as "slurred"
# and "allowing" as "swallowing". Two swapped neighbours are accepted at any length ("pian").
# The first letter must match, and English words listed in not_misspellings.csv are never
# corrected. A misspelling is never read less safely than a plain word: red-flag words are tried
# first with the same cutoff, so when both are that close the red-flag word wins.
FUZZY_CUTOFF = 0.8
FUZZY_MIN_LETTERS = 4
FUZZY_PHRASE_LETTERS = 7  # words inside phrases are candidates only from this length ("shortness")

# Words that carry no symptom, place or time: skipped, never reported as ignored.
FILLER = frozenset("""
    a an the my me i im ive id have has had got get gets getting keep keeps keeping kept am is are was were
    be been being do does did in on at of around round near by to from into across over under along through
    both either left right upper lower inner outer side sides some little lot lots very bit slight slightly
    mild moderate severe bad badly terrible awful really quite so too just constant constantly frequent
    frequently occasional occasionally sometimes often always again recently lately since until till then
    when whenever while day days daily week weeks weekly month months year years for about after during
    it its this that these those there like few couple and or with plus also muscle muscles body area areas
    part parts feel feeling feels felt sensation sensations started start starts starting began begun begin
    ago past last now today tonight yesterday every each once twice times per any real obvious noticeable
    sign signs think maybe probably kind sort thing things stuff worse worst strong extreme extremely
    but though although however yet except unless because whole only properly sharp dull
""".split())
# Small words that may sit inside a phrase: "pain in my chest" matches "pain chest".
GLUE = frozenset({"is", "was", "were", "are", "am", "be", "been", "my", "the", "its", "it", "to", "of", "in",
                  "with", "keeps", "keep", "kept", "has", "have"})
NEGATORS = frozenset({"no", "not", "without", "never", "nor", "neither", "dont", "doesnt", "didnt", "havent",
                      "hasnt", "hadnt", "isnt", "wasnt", "arent", "werent", "wont"})
SCOPE_ENDS = frozenset({"and", "with", "but", "though", "although", "however", "yet", "except"})
SCOPE_GOES_ON = frozenset({"or", "nor"})
CANCEL_NEGATION = frozenset({"until", "till", "unless", "except"})
BREAK = ","
DURATION_MARK = "_dur_"

WORD_TYPES = ("kind", "location", "sign", "time", "count")
WORD_COLUMNS = ["word", "type", "canonical"]
SYMPTOM_COLUMNS = ["kind", "location", "nutrient", "rationale", "source_article"]
RED_FLAG_COLUMNS = ["flag", "rule", "value", "urgent", "message", "source"]
RED_FLAG_RULES = ("always", "names", "places_over", "days_over")
DEFAULT_SUGGESTIONS = ("twitching", "cramps", "tingling", "numbness", "weakness")
# Nutrient names as people say them; symptoms.csv keeps DRI names.
NUTRIENT_WORDS = {"vitamin_d": "vitamin D", "vitamin_b12": "B12", "thiamin": "thiamin (B1)"}


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


@dataclass(frozen=True)
class Reading:
    """What one free text was understood to say; names are canonical (see symptom_words.csv)."""

    text: str
    kinds: tuple[str, ...]
    locations: tuple[str, ...]
    signs: tuple[str, ...]
    times: tuple[str, ...]
    several_places: bool
    duration_days: float | None
    absent: tuple[str, ...]                    # named but negated: "no weakness"
    ignored: tuple[str, ...]                   # words not understood
    corrected: tuple[tuple[str, str], ...]     # (typed, read as): ("twiching", "twitching")

    @property
    def names(self) -> frozenset[str]:
        return frozenset((*self.kinds, *self.locations, *self.signs, *self.times)
                         + (("several_places",) if self.several_places else ()))

    @property
    def recognised(self) -> bool:
        """Whether it names something felt (a kind or a sign), not only a place, time or duration."""
        return bool(self.kinds or self.signs)


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
    suggestions: tuple[str, ...] = ()   # known terms near what was typed, when a text named no symptom
    notes: tuple[str, ...] = ()         # what was understood, absent, ignored or not recognised, for people

    @property
    def urgent(self) -> bool:
        return any(flag.urgent for flag in self.red_flags)

    def doctor_lines(self) -> tuple[str, ...]:
        """The red flags as lines to print first: `URGENT: ...` lines, then `SEE A DOCTOR: ...` lines."""
        return tuple(flag.line for flag in self.red_flags)


# --- data -----------------------------------------------------------------------------------------

def _read(name: str, columns: list[str]) -> pd.DataFrame:
    path = _data_path(name)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != columns:
        raise InputError(str(path), f"expected columns {','.join(columns)}, got {','.join(table.columns)}")
    for column in columns:
        table[column] = table[column].str.strip()
    return table


@cache
def _words() -> pd.DataFrame:
    table = _read("symptom_words.csv", WORD_COLUMNS)
    path = str(_data_path("symptom_words.csv"))
    table["key"] = [_phrase_key(w) for w in table["word"]]
    for row, r in enumerate(table.itertuples(), start=2):
        if r.type not in WORD_TYPES:
            raise InputError(path, f"expected one of {', '.join(WORD_TYPES)}, got '{r.type}'", row, "type")
        if not r.key or not r.canonical:
            raise InputError(path, "expected a word and its canonical name", row, "word")
    if table["key"].duplicated().any():
        raise InputError(path, f"word '{table['word'][table['key'].duplicated()].iloc[0]}' appears twice")
    return table


@cache
def _mapping() -> pd.DataFrame:
    table = _read("symptoms.csv", SYMPTOM_COLUMNS)
    path = str(_data_path("symptoms.csv"))
    kinds, locations = set(_canonical("kind")), set(_canonical("location")) | {ANY}
    for row, r in enumerate(table.itertuples(), start=2):
        if r.kind not in kinds:
            raise InputError(path, f"kind '{r.kind}' is not in symptom_words.csv", row, "kind")
        if r.location not in locations:
            raise InputError(path, f"location '{r.location}' is not in symptom_words.csv (or 'any')", row,
                             "location")
        for field in ("nutrient", "rationale", "source_article"):
            if not getattr(r, field):
                raise InputError(path, "expected a value", row, field)
    if table.duplicated(["kind", "location", "nutrient"]).any():
        raise InputError(path, "a kind, location and nutrient appear together twice")
    return table


@cache
def _red_flags() -> pd.DataFrame:
    table = _read("red_flags.csv", RED_FLAG_COLUMNS)
    path = str(_data_path("red_flags.csv"))
    names = set(_words()["canonical"])
    for row, r in enumerate(table.itertuples(), start=2):
        if r.rule not in RED_FLAG_RULES:
            raise InputError(path, f"expected one of {', '.join(RED_FLAG_RULES)}, got '{r.rule}'", row, "rule")
        if r.rule in ("places_over", "days_over"):
            try:
                float(r.value)
            except ValueError:
                raise InputError(path, f"expected a number, got '{r.value}'", row, "value") from None
        if r.rule == "names":
            unknown = {n for group in _alternatives(r.value) for n in group} - names
            if unknown:
                raise InputError(path, f"'{min(unknown)}' is not in symptom_words.csv", row, "value")
        if r.urgent not in ("yes", "no"):
            raise InputError(path, f"expected yes or no, got '{r.urgent}'", row, "urgent")
        for field in ("flag", "message", "source"):
            if not getattr(r, field):
                raise InputError(path, "expected a value", row, field)
    if table["flag"].duplicated().any():
        raise InputError(path, f"flag '{table['flag'][table['flag'].duplicated()].iloc[0]}' appears twice")
    return table


def _alternatives(value: str) -> list[frozenset[str]]:
    """`"chest_pain|aches+chest"` -> [{chest_pain}, {aches, chest}]."""
    return [frozenset(n.strip() for n in group.split("+")) for group in value.split("|") if group.strip()]


def _canonical(word_type: str) -> list[str]:
    words = _words()
    return list(dict.fromkeys(words.loc[words["type"] == word_type, "canonical"]))


def vocabulary() -> pd.DataFrame:
    """The known names by type, for help text and docs.

    Columns: `type` (kind, location, sign, time, count), `name` (canonical),
    `words` (what a person may type for it), `nutrients` (every nutrient a
    symptom with it may raise, in priority order), `red_flag` (naming it alone
    raises a red flag).
    """
    words, mapping, flags = _words(), _mapping(), _red_flags()
    alone = {next(iter(g)) for v in flags.loc[flags["rule"] == "names", "value"] for g in _alternatives(v)
             if len(g) == 1}
    rows = []
    for word_type in WORD_TYPES:
        for name in _canonical(word_type):
            typed = words.loc[(words["type"] == word_type) & (words["canonical"] == name), "word"]
            nutrients = (mapping.loc[mapping[word_type] == name, "nutrient"]
                         if word_type in ("kind", "location") else [])
            rows.append({"type": word_type, "name": name, "words": ", ".join(typed),
                         "nutrients": ", ".join(dict.fromkeys(nutrients)), "red_flag": name in alone})
    return pd.DataFrame(rows, columns=["type", "name", "words", "nutrients", "red_flag"])


def _known_text() -> str:
    kinds = ", ".join(k.replace("_", " ") for k in _canonical("kind"))
    return f"known kinds: {kinds}; known locations: {', '.join(_canonical('location'))}"


def _say(name: str) -> str:
    """A canonical or DRI name as people say it: `vitamin_b12` -> `B12`, `at_night` -> `at night`."""
    return NUTRIENT_WORDS.get(name, name.replace("_", " "))


# --- reading free text ----------------------------------------------------------------------------

NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                "thirty": 30, "a few": 3, "few": 3, "a couple of": 2, "a couple": 2, "couple of": 2,
                "several": 3, "many": 4}
UNIT_DAYS = {"day": 1, "night": 1, "week": 7, "wk": 7, "fortnight": 14, "month": 30, "mo": 30, "year": 365,
             "yr": 365}
# "for weeks" says more than one week and is read as three, to lean towards the two-week flag.
BARE_UNIT_DAYS = {"days": 3, "weeks": 21, "months": 60, "years": 730}
LAST_DAYS = {"yesterday": 1, "last week": 7, "last month": 30, "last year": 365}
_NUMBER = "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True))
_DURATION = re.compile(
    rf"\b(?:(?P<more>more than|longer than|over|beyond) )?(?P<n>\d+(?:\.\d+)?|{_NUMBER}) "
    rf"(?P<unit>days?|nights?|weeks?|wks?|fortnights?|months?|mos?|years?|yrs?)\b"
    rf"|\b(?:for|since|over) (?P<bare>days|weeks|months|years)\b"
    rf"|\b(?:since|started|began|from) (?P<last>yesterday|last week|last month|last year)\b"
    rf"|\bfor (?:ages|a long time)\b")


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("'", "")
    text = re.sub(r"(\d)([a-z])", r"\1 \2", text)
    text = re.sub(r"(?:[,;:!?()\[\]]|\.(?!\d))+", f" {BREAK} ", text)
    return " ".join(re.sub(r"[^a-z0-9., ]+", " ", text).split())


def _durations(text: str) -> tuple[str, list[float]]:
    """Normalised text with each duration replaced by a mark, and the days each stands for."""
    days: list[float] = []

    def read(match: re.Match) -> str:
        if match["unit"]:
            n = float(match["n"]) if match["n"][0].isdigit() else NUMBER_WORDS[match["n"]]
            days.append(float(n * UNIT_DAYS[match["unit"].rstrip("s")] + (1 if match["more"] else 0)))
        elif match["bare"]:
            days.append(float(BARE_UNIT_DAYS[match["bare"]]))
        elif match["last"]:
            days.append(float(LAST_DAYS[match["last"]]))
        else:
            days.append(30.0)
        return f" {DURATION_MARK} "

    return " ".join(_DURATION.sub(read, text).split()), days


def _phrase_key(word: str) -> tuple[str, ...]:
    """A vocabulary phrase as words, glue dropped after the first ("pain in my chest" -> pain, chest)."""
    words = _normalise(word).split()
    return tuple(words[:1] + [w for w in words[1:] if w not in GLUE])


@cache
def _lexicon() -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """First word -> [(phrase words, type, canonical)], longest phrase first."""
    lexicon: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for r in _words().itertuples():
        lexicon.setdefault(r.key[0], []).append((r.key, r.type, r.canonical))
    for entries in lexicon.values():
        entries.sort(key=lambda e: -len(e[0]))
    return lexicon


@cache
def _vocabulary_words() -> tuple[frozenset[str], frozenset[str]]:
    """Single words of 4+ letters in the vocabulary: (those that can raise a red flag, the others)."""
    flagged = {n for v in _red_flags().loc[_red_flags()["rule"] == "names", "value"]
               for group in _alternatives(v) for n in group}
    red, plain = set(), set()
    for r in _words().itertuples():
        for word in r.key:
            if (len(r.key) == 1 or len(word) >= FUZZY_PHRASE_LETTERS) and len(word) >= FUZZY_MIN_LETTERS:
                (red if r.canonical in flagged else plain).add(word)
    return frozenset(red), frozenset(plain - red)


@cache
def _all_words() -> frozenset[str]:
    return frozenset(word for key in _words()["key"] for word in key)


def _known(word: str) -> bool:
    words = _all_words()
    return (word in words or (word.endswith("s") and word[:-1] in words) or word in FILLER or word in NEGATORS
            or word in (BREAK, DURATION_MARK) or word[0].isdigit())


@cache
def _not_misspellings() -> frozenset[str]:
    return frozenset(_read("not_misspellings.csv", ["word"])["word"])


def _nearest(word: str) -> str | None:
    """The vocabulary word a misspelling stands for (see FUZZY_CUTOFF), or None."""
    if len(word) < FUZZY_MIN_LETTERS or not word.isalpha() or _known(word) or word in _not_misspellings():
        return None
    red, plain = _vocabulary_words()

    def best(candidates: frozenset[str]) -> tuple[float, str]:
        return max(((difflib.SequenceMatcher(None, word, c).ratio(), c) for c in candidates), default=(0.0, ""))

    for candidates in (red, plain):
        swapped = [c for c in candidates if _swapped(word, c)]
        if swapped:
            return min(swapped)
    # A slip rarely changes the first letter; keeping it stops "within" reading as "twitching".
    red, plain = (frozenset(c for c in group if c[0] == word[0]) for group in (red, plain))
    for candidates in (red, plain):
        ratio, nearest = best(candidates)
        if ratio >= FUZZY_CUTOFF:
            return nearest
    return None


def _swapped(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with two neighbouring letters swapped ("pian" for "pain")."""
    if len(typed) != len(word) or typed == word:
        return False
    diff = [k for k in range(len(word)) if typed[k] != word[k]]
    if len(diff) != 2 or diff[1] != diff[0] + 1:
        return False
    k = diff[0]
    return typed[k:k + 2] == word[k + 1] + word[k]


def _same(token: str, word: str) -> bool:
    return token == word or (token.endswith("s") and token[:-1] == word)


def _match_at(tokens: list[str], i: int) -> tuple[int, str, str] | None:
    """The longest phrase starting at tokens[i]: (tokens used, type, canonical); glue may sit inside."""
    candidates = _lexicon().get(tokens[i], []) + _lexicon().get(tokens[i][:-1], [])
    for key, word_type, canonical in sorted(candidates, key=lambda c: -len(c[0])):
        if not _same(tokens[i], key[0]):
            continue
        j = i + 1
        for word in key[1:]:
            while j < len(tokens) and tokens[j] in GLUE and not _same(tokens[j], word):
                j += 1
            if j >= len(tokens) or not _same(tokens[j], word):
                break
            j += 1
        else:
            return j - i, word_type, canonical
    return None


def read_text(text: str) -> Reading:
    """What one free text says: kinds, places, signs, times, duration, what is absent and what was ignored.

    >>> r = read_text("calf cramps at night, no weakness, for three weeks")
    >>> r.kinds, r.locations, r.times, r.absent, r.duration_days
    (('cramps',), ('calves',), ('at_night',), ('weakness',), 21.0)
    """
    normal, days = _durations(_normalise(text))
    typed = normal.split()
    corrections = {i: near for i, word in enumerate(typed) if (near := _nearest(word))}
    tokens = [corrections.get(i, word) for i, word in enumerate(typed)]

    items: list[tuple[str, str]] = []          # (type or "word", canonical or token)
    used: list[tuple[str, str]] = []
    ignored: list[str] = []
    i = 0
    while i < len(tokens):
        hit = _match_at(tokens, i)
        if hit:
            size, word_type, canonical = hit
            items.append((word_type, canonical))
            used += [(typed[k], tokens[k]) for k in range(i, i + size) if k in corrections]
            i += size
            continue
        if not _known(typed[i]):
            ignored.append(typed[i])
        items.append(("word", typed[i]))
        i += 1

    present, absent = _negations(items)
    absent -= present
    ordered = [(t, c) for t, c in items if t != "word" and c in present]

    def names(word_type: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for t, c in ordered if t == word_type))

    return Reading(" ".join(text.split()), names("kind"), names("location"), names("sign"), names("time"),
                   bool(names("count")), max(days) if days else None,
                   tuple(dict.fromkeys(c for t, c in items if c in absent)),
                   tuple(dict.fromkeys(ignored)), tuple(dict.fromkeys(used)))


def _negations(items: list[tuple[str, str]]) -> tuple[set[str], set[str]]:
    """(present names, absent names) after applying "no", "not", "without", ... to what follows them."""
    present: set[str] = set()
    absent: set[str] = set()
    negated_at: list[tuple[int, str]] = []
    scope, expect = False, False
    for position, (word_type, value) in enumerate(items):
        if word_type == "word":
            if value in NEGATORS:
                scope, expect = True, True
            elif value in SCOPE_GOES_ON and scope:
                expect = True
            elif value in SCOPE_ENDS or value in (BREAK, DURATION_MARK) or not _known(value):
                scope = False
            continue
        if scope and word_type in ("kind", "sign") and not expect:
            scope = False
        if scope:
            negated_at.append((position, value))
            expect = expect and word_type not in ("kind", "sign")
        else:
            present.add(value)
    for position, value in negated_at:
        later = {v for t, v in items[position + 1:] if t == "word"}
        (present if later & CANCEL_NEGATION else absent).add(value)
    return present, absent


def match_all(text: str) -> tuple[SymptomMatch, ...]:
    """Every kind x location pair `text` names, in the order typed; words not understood are skipped.

    Raises `InputError("--symptom", ...)` only when no kind of symptom is named at all;
    `guidance()` never raises for the text.

    >>> [m.describe() for m in match_all("tingling and numbness in my feet")]
    ['tingling (feet)', 'numbness (feet)']
    """
    reading = read_text(text or "")
    if not reading.kinds:
        raise InputError(OPTION, f"'{' '.join((text or '').split())}': names no kind of symptom ({_known_text()})")
    return _pairs(reading)


def match_symptom(text: str) -> SymptomMatch:
    """The first kind and location `text` names.

    >>> match_symptom("twitching eyelid")
    SymptomMatch(text='twitching eyelid', kind='twitching', location='eyelid')
    """
    return match_all(text)[0]


def _pairs(reading: Reading) -> tuple[SymptomMatch, ...]:
    locations = list(reading.locations) or [ANY]
    return tuple(SymptomMatch(reading.text, kind, location) for kind in reading.kinds for location in locations)


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
    gets the general "see a doctor if ..." line, with `suggestions`.

    >>> g = guidance(["it started last week and yesterday I had a seizure at work"])
    >>> g.doctor_lines()[0].startswith("URGENT: A seizure")
    True
    """
    if duration_days is not None and not duration_days >= 0:
        raise InputError("--duration-days", f"expected days >= 0, got {duration_days:g}")
    texts = [s for s in symptoms if s is not None and s.strip()]
    if not texts:
        if duration_days is not None:
            raise InputError("--duration-days", "give the symptom it applies to with --symptom")
        return Guidance((), (), (), (), None, ())

    readings = tuple(read_text(text) for text in texts)
    matches = tuple(m for r in readings for m in _pairs(r))
    rationale: dict[str, str] = {}
    cited_by: dict[str, list[str]] = {}
    for match in matches:
        for r in _rows_for(match).itertuples():
            rationale.setdefault(r.nutrient, r.rationale)
            texts_for = cited_by.setdefault(r.nutrient, [])
            if match.text not in texts_for:
                texts_for.append(match.text)
    nutrients = tuple(rationale)
    reasons = tuple(f"{_say(n)}: {rationale[n]} ({'; '.join(cited_by[n])})" for n in nutrients)

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
        _lifestyle(kinds, nutrients, caffeine), readings,
        tuple(dict.fromkeys(a for r in readings for a in r.absent if a not in present)),
        tuple(dict.fromkeys(t for r in readings for t in r.times)), days,
        tuple(dict.fromkeys(w for r in readings for w in r.ignored)), suggestions,
        _notes(readings, suggestions))


def _flags(names: frozenset[str], places: int, days: float | None) -> tuple[RedFlag, ...]:
    """Every red flag raised, urgent ones first, the general line last, each once."""
    raised = []
    for r in _red_flags().itertuples():
        if (r.rule == "always"
                or (r.rule == "names" and any(group <= names for group in _alternatives(r.value)))
                or (r.rule == "places_over" and places > float(r.value))
                or (r.rule == "days_over" and days is not None and days > float(r.value))):
            raised.append(RedFlag(r.flag, r.message, r.urgent == "yes", r.source))
    return tuple(sorted(raised, key=lambda f: (not f.urgent, f.flag == "general")))


def _suggestions(readings: tuple[Reading, ...]) -> tuple[str, ...]:
    """Known terms near the words of texts that named no symptom (or the commonest kinds)."""
    lost = [r for r in readings if not r.recognised]
    if not lost:
        return ()
    words = _words()
    kinds = {k[0]: c for k, t, c in zip(words["key"], words["type"], words["canonical"]) if t == "kind" and len(k) == 1}
    near = [kinds[w] for r in lost for typed in r.ignored
            for w in difflib.get_close_matches(typed, list(kinds), n=3, cutoff=0.6)]
    return tuple(dict.fromkeys(_say(n) for n in near)) or DEFAULT_SUGGESTIONS


def _notes(readings: tuple[Reading, ...], suggestions: tuple[str, ...]) -> tuple[str, ...]:
    """One line per text saying how it was read, for a person to check."""
    lines = []
    for r in readings:
        if not r.recognised:
            where = f" (it names {', '.join(map(_say, r.locations))} but not what you feel)" if r.locations else ""
            lines.append(f"No symptom recognised in '{r.text}'{where}; try words such as "
                         f"{', '.join(suggestions)}.")
        else:
            parts = [m.describe() for m in _pairs(r)] + [_say(s) for s in r.signs] + [_say(t) for t in r.times]
            if r.several_places:
                parts.append("in several places")
            if r.duration_days is not None:
                parts.append(f"for about {r.duration_days:g} days")
            lines.append(f"Read '{r.text}' as: {', '.join(parts)}.")
        if r.absent:
            lines.append(f"Understood as absent: {', '.join(map(_say, r.absent))}.")
        if r.corrected:
            lines.append("Took " + ", ".join(f"'{a}' to mean '{b}'" for a, b in r.corrected) + ".")
    ignored = tuple(dict.fromkeys(w for r in readings if r.recognised for w in r.ignored))
    if ignored:
        lines.append(f"Words not understood, so ignored: {', '.join(ignored)}.")
    return tuple(lines)


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
