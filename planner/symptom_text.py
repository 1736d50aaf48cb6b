"""Reading what a person types about a symptom: "my eye keeps jumping", "calf cramps at night for 3 weeks".

The vocabulary is `planner/data/symptom_words.csv` (`word, type, canonical`):
what a person may type ("pins and needles", "calf", "passed out", "at night")
and the name it stands for. `type` is `kind` (what is felt: twitching, cramps,
tingling, ...), `location` (where: eyelid, calves, chest, widespread, ...),
`sign` (what only raises red flags: seizure, fainting, chest_pain, breathing,
swallowing, one_side, sudden, face_droop, slurred_speech), `time` (at_night,
with_exercise, ...) or `count` (several_places: "in several places", "spreading").
`not_misspellings.csv` (`word`) lists English words that sit close to a
vocabulary word ("painted" to "fainted") and so are never read as its
misspelling: every lowercase word of 4+ letters in Debian's `wamerican` list
that the fuzzy match would otherwise have corrected. Rebuild it when the
vocabulary grows.

`read_text`: the text is lowered and split into words; durations ("for three
weeks", "since last month", "10 days") are read first; then phrases are matched
longest first, forgiving a plural `s` and small glue words inside a phrase
("pain in the chest" matches "pain in my chest"); a word of 4+ letters that is
not known is matched to the nearest vocabulary word with `difflib` (see
`FUZZY_CUTOFF`). Negations ("no weakness", "without numbness or tingling", "not
dizzy") mark what follows as absent up to the next comma, "and", "but", "with"
or unknown word; "until", "unless" or "except" later in the text cancel a
negation, because a red flag is never lost on a doubt. Which place goes with
which kind is `planner.symptom_places`: a place said with a negated kind ("my
eyelid hasn't twitched") is absent too. Any word still unknown is reported and
never blocks what was understood.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from planner.durations import DURATION_MARK, durations
from planner.errors import InputError
from planner.files import data_path
from planner.symptom_places import places_of

ANY = "any"

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
    mild moderate bad badly really quite so too just frequent
    frequently occasional occasionally sometimes often always again recently lately since until till before then
    when whenever while day days daily week weeks weekly month months year years for about after during
    it its this that these those there like few couple and or with plus also muscle muscles body area areas
    part parts feel feeling feels felt sensation sensations started start starts starting began begun begin
    ago past last now today tonight yesterday every each once twice times per any real obvious noticeable
    sign signs think maybe probably kind sort thing things stuff strong
    but though although however yet except unless because whole only properly sharp dull
""".split())
# Small words that may sit inside a phrase: "pain in my chest" matches "pain chest".
GLUE = frozenset({"is", "was", "were", "are", "am", "be", "been", "my", "the", "its", "it", "to", "of", "in",
                  "with", "keeps", "keep", "kept", "has", "have"})
NEGATORS = frozenset({"no", "not", "without", "never", "nor", "neither", "dont", "doesnt", "didnt", "havent",
                      "hasnt", "hadnt", "isnt", "wasnt", "arent", "werent", "wont"})
SCOPE_ENDS = frozenset({"and", "with", "but", "though", "although", "however", "yet", "except"})
SCOPE_GOES_ON = frozenset({"or", "nor"})
CANCEL_NEGATION = frozenset({"until", "till", "unless", "except", "before"})   # "never had a seizure before"
# "Not only cramps but also ...", "never just the cramps": a negator right before these names what follows.
NOT_A_NEGATION_BEFORE = frozenset({"only", "just", "merely", "simply"})
BREAK = ","

WORD_TYPES = ("kind", "location", "sign", "time", "count")
WORD_COLUMNS = ["word", "type", "canonical"]
RED_FLAG_RULES = ("always", "names", "places_over", "days_over")
RED_FLAG_COLUMNS = ["flag", "rule", "value", "urgent", "message", "source"]
# How a place follows a symptom in a phrase ("in the" otherwise); "widespread" is said "all over".
PLACE_PHRASES = {"mouth": "around the", "widespread": "all over"}
# Nutrient names as people say them; symptoms.csv keeps DRI names.
NUTRIENT_WORDS = {"vitamin_d": "vitamin D", "vitamin_b12": "B12", "thiamin": "thiamin (B1)"}
# A message quotes the person's text, or lists words from it, up to this length: a sentence or two to check how it
# was read, never a pasted page (the whole text is still read).
QUOTED_TEXT_CHARS = 100


@dataclass(frozen=True)
class SymptomMatch:
    """What the user typed and what it matched: a canonical kind and location (`any` when none given)."""

    text: str
    kind: str
    location: str

    def describe(self) -> str:
        kind = self.kind.replace("_", " ")
        return kind if self.location == ANY else f"{kind} ({self.location})"

    def in_words(self) -> str:
        """The match as a phrase: "cramps in the calves", "tingling around the mouth", "twitching all over"."""
        kind = self.kind.replace("_", " ")
        if self.location == ANY:
            return kind
        return f"{kind} {PLACE_PHRASES.get(self.location, 'in the')} {self.location}".replace(" widespread", "")


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
    places_of: tuple[tuple[str, tuple[str, ...]], ...] = ()   # each kind's own places, by where the text says them

    @property
    def names(self) -> frozenset[str]:
        return frozenset((*self.kinds, *self.locations, *self.signs, *self.times)
                         + (("several_places",) if self.several_places else ()))

    @property
    def recognised(self) -> bool:
        """Whether it names something felt (a kind or a sign), not only a place, time or duration."""
        return bool(self.kinds or self.signs)

    @property
    def only_absent(self) -> bool:
        """Whether everything felt that it names is negated ("no cramps, no twitching"): nothing to raise, and
        nothing that other words would have found."""
        felt = {*canonical_names("kind"), *canonical_names("sign")}
        return not self.recognised and not felt.isdisjoint(self.absent)


# --- the vocabulary --------------------------------------------------------------------------------

def read_table(name: str, columns: list[str]) -> pd.DataFrame:
    path = data_path(name)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != columns:
        raise InputError(f"expected columns {','.join(columns)}, got {','.join(table.columns)}", source=str(path))
    for column in columns:
        table[column] = table[column].str.strip()
    return table


@cache
def words_table() -> pd.DataFrame:
    table = read_table("symptom_words.csv", WORD_COLUMNS)
    path = str(data_path("symptom_words.csv"))
    table["key"] = [_phrase_key(w) for w in table["word"]]
    for row, r in enumerate(table.itertuples(), start=2):
        if r.type not in WORD_TYPES:
            raise InputError(f"expected one of {', '.join(WORD_TYPES)}, got '{r.type}'", source=path, row=row, field="type")
        if not r.key or not r.canonical:
            raise InputError("expected a word and its canonical name", source=path, row=row, field="word")
    if table["key"].duplicated().any():
        raise InputError(f"word '{table['word'][table['key'].duplicated()].iloc[0]}' appears twice", source=path)
    return table


@cache
def red_flags_table() -> pd.DataFrame:
    table = read_table("red_flags.csv", RED_FLAG_COLUMNS)
    path = str(data_path("red_flags.csv"))
    names = set(words_table()["canonical"])
    for row, r in enumerate(table.itertuples(), start=2):
        if r.rule not in RED_FLAG_RULES:
            raise InputError(f"expected one of {', '.join(RED_FLAG_RULES)}, got '{r.rule}'", source=path, row=row, field="rule")
        if r.rule in ("places_over", "days_over"):
            try:
                float(r.value)
            except ValueError:
                raise InputError(f"expected a number, got '{r.value}'", source=path, row=row, field="value") from None
        if r.rule == "names":
            unknown = {n for group in alternatives(r.value) for n in group} - names
            if unknown:
                raise InputError(f"'{min(unknown)}' is not in symptom_words.csv", source=path, row=row, field="value")
        if r.urgent not in ("yes", "no"):
            raise InputError(f"expected yes or no, got '{r.urgent}'", source=path, row=row, field="urgent")
        for field in ("flag", "message", "source"):
            if not getattr(r, field):
                raise InputError("expected a value", source=path, row=row, field=field)
    if table["flag"].duplicated().any():
        raise InputError(f"flag '{table['flag'][table['flag'].duplicated()].iloc[0]}' appears twice", source=path)
    return table


def alternatives(value: str) -> list[frozenset[str]]:
    """`"chest_pain|aches+chest"` -> [{chest_pain}, {aches, chest}]."""
    return [frozenset(n.strip() for n in group.split("+")) for group in value.split("|") if group.strip()]


def canonical_names(word_type: str) -> list[str]:
    words = words_table()
    return list(dict.fromkeys(words.loc[words["type"] == word_type, "canonical"]))


def known_text() -> str:
    kinds = ", ".join(k.replace("_", " ") for k in canonical_names("kind"))
    return f"known kinds: {kinds}; known locations: {', '.join(canonical_names('location'))}"


def say_name(name: str) -> str:
    """A canonical or DRI name as people say it: `vitamin_b12` -> `B12`, `at_night` -> `at night`."""
    return NUTRIENT_WORDS.get(name, name.replace("_", " "))


def cut(text: str, most: int = QUOTED_TEXT_CHARS) -> str:
    """`text` in at most `most` characters: cut after a word, with an ellipsis, when longer."""
    if len(text) <= most:
        return text
    head = text[:most - 1]
    words = head.rsplit(" ", 1)[0].rstrip(" ,;") if " " in head else head
    return (words if len(words) >= most // 2 else head) + "…"


def quote(text: str, most: int = QUOTED_TEXT_CHARS) -> str:
    """The person's text in quotes for a message; a long one by its first words and its length.

    >>> quote("calf cramps at night")
    "'calf cramps at night'"
    >>> quote("calf cramps at night, " * 600, most=30)
    "'calf cramps at night, calf…' (13,199 characters)"
    """
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= most else f"'{cut(text, most)}' ({len(text):,} characters)"


# --- reading free text ----------------------------------------------------------------------------

def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("'", "")
    text = re.sub(r"(\d)([a-z])", r"\1 \2", text)
    text = re.sub(r"(?:[,;:!?()\[\]]|\.(?!\d))+", f" {BREAK} ", text)
    return " ".join(re.sub(r"[^a-z0-9., ]+", " ", text).split())


def _phrase_key(word: str) -> tuple[str, ...]:
    """A vocabulary phrase as words, glue dropped after the first ("pain in my chest" -> pain, chest)."""
    words = _normalise(word).split()
    return tuple(words[:1] + [w for w in words[1:] if w not in GLUE])


@cache
def _lexicon() -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """First word -> [(phrase words, type, canonical)], longest phrase first."""
    lexicon: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for r in words_table().itertuples():
        lexicon.setdefault(r.key[0], []).append((r.key, r.type, r.canonical))
    for entries in lexicon.values():
        entries.sort(key=lambda e: -len(e[0]))
    return lexicon


@cache
def _vocabulary_words() -> tuple[frozenset[str], frozenset[str]]:
    """Single words of 4+ letters in the vocabulary: (those that can raise a red flag, the others)."""
    flagged = {n for v in red_flags_table().loc[red_flags_table()["rule"] == "names", "value"]
               for group in alternatives(v) for n in group}
    red, plain = set(), set()
    for r in words_table().itertuples():
        for word in r.key:
            if (len(r.key) == 1 or len(word) >= FUZZY_PHRASE_LETTERS) and len(word) >= FUZZY_MIN_LETTERS:
                (red if r.canonical in flagged else plain).add(word)
    return frozenset(red), frozenset(plain - red)


@cache
def _all_words() -> frozenset[str]:
    return frozenset(word for key in words_table()["key"] for word in key)


def _known(word: str) -> bool:
    words = _all_words()
    return (word in words or (word.endswith("s") and word[:-1] in words) or word in FILLER or word in NEGATORS
            or word in (BREAK, DURATION_MARK) or word[0].isdigit())


@cache
def _not_misspellings() -> frozenset[str]:
    return frozenset(read_table("not_misspellings.csv", ["word"])["word"])


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
    normal, days = durations(_normalise(text))
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

    said, denied = _negations(items)
    where, unsaid = places_of(items, said)
    said, denied = said - unsaid, denied | unsaid
    present = {items[k][1] for k in said}
    absent = {items[k][1] for k in denied} - present
    ordered = [(t, c) for t, c in items if t != "word" and c in present]

    def names(word_type: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for t, c in ordered if t == word_type))

    return Reading(" ".join(text.split()), names("kind"), names("location"), names("sign"), names("time"),
                   bool(names("count")), max(days) if days else None,
                   tuple(dict.fromkeys(c for t, c in items if c in absent)),
                   tuple(dict.fromkeys(ignored)), tuple(dict.fromkeys(used)), where)


def _negations(items: list[tuple[str, str]]) -> tuple[set[int], set[int]]:
    """(positions said, positions negated) of every name, after applying "no", "not", "without", ... to what
    follows them."""
    present: set[int] = set()
    absent: set[int] = set()
    negated_at: list[int] = []
    scope, expect = False, False
    for position, (word_type, value) in enumerate(items):
        if word_type == "word":
            following = items[position + 1] if position + 1 < len(items) else None
            if value in NEGATORS and following not in {("word", w) for w in NOT_A_NEGATION_BEFORE}:
                scope, expect = True, True
            elif value in SCOPE_GOES_ON and scope:
                expect = True
            elif value == BREAK and scope and _list_closed_by_or(items, position + 1):
                expect = True   # "no chest pain, fainting or seizures": the list after "no" is negated whole
            elif value in SCOPE_ENDS or value in (BREAK, DURATION_MARK) or not _known(value):
                scope = False
            continue
        if scope and word_type in ("kind", "sign") and not expect:
            scope = False
        if scope:
            negated_at.append(position)
            expect = expect and word_type not in ("kind", "sign")
        else:
            present.add(position)
    for position in negated_at:
        later = {v for t, v in items[position + 1:] if t == "word"}
        (present if later & CANCEL_NEGATION else absent).add(position)
    return present, absent


def _list_closed_by_or(items: list[tuple[str, str]], start: int) -> bool:
    """From `start`, only symptoms and commas up to an "or" (or "nor") and one more symptom: the rest of a list
    ("fainting or seizures", "fainting, or seizures"). Anything else after a comma ("fainted twice today", "and a
    seizure") and the comma ends what "no" denies: a warning sign is never lost on a doubt."""
    for k in range(start, len(items)):
        word_type, value = items[k]
        if word_type in ("kind", "sign") or value == BREAK:
            continue
        return (word_type == "word" and value in SCOPE_GOES_ON and k + 1 < len(items)
                and items[k + 1][0] in ("kind", "sign"))
    return False


def match_all(text: str) -> tuple[SymptomMatch, ...]:
    """Every kind x location pair `text` names, in the order typed; words not understood are skipped.

    Raises `InputError(..., field="symptoms")` only when no kind of symptom is named at all;
    `guidance()` never raises for the text.

    >>> [m.describe() for m in match_all("tingling and numbness in my feet")]
    ['tingling (feet)', 'numbness (feet)']
    """
    reading = read_text(text or "")
    if not reading.kinds:
        raise InputError(f"{quote(text or '')}: names no kind of symptom ({known_text()})", field="symptoms")
    return pairs(reading)


def match_symptom(text: str) -> SymptomMatch:
    """The first kind and location `text` names.

    >>> match_symptom("twitching eyelid")
    SymptomMatch(text='twitching eyelid', kind='twitching', location='eyelid')
    """
    return match_all(text)[0]


def pairs(reading: Reading) -> tuple[SymptomMatch, ...]:
    if reading.places_of:
        return tuple(SymptomMatch(reading.text, kind, location) for kind, where in reading.places_of
                     for location in (where or (ANY,)))
    locations = list(reading.locations) or [ANY]
    return tuple(SymptomMatch(reading.text, kind, location) for kind in reading.kinds for location in locations)


