"""Which place goes with which symptom in one text: "eyelid twitching and numb feet", "my eyelid hasn't twitched,
but my calves cramp".

`symptom_text.read_text` turns a text into items, `(type, canonical)` for a word of the vocabulary (`kind`,
`location`, ...) or `("word", token)` for any other word, and knows which of them the person said and which they
negated. `places_of` reads the items as parts, split by "and", "but", "with", "plus" or a comma: a place goes with
the nearest kind of its own part, negated kinds included, because a place said with a symptom that is not there
("my eyelid hasn't twitched") is not where another one is. Such a place counts as no place of a symptom: it raises
no floor and makes no second place for the "more than one place" warning.

A place in a part of its own goes with the symptom said before it ("twitching all over, both legs and arms"), or
the one after where none is. Where the words leave a doubt (such a place, a kind with no place after one that is
negated), a place goes with a symptom that is there: a warning sign is never lost to a negation that may not be
its own.
"""

from __future__ import annotations

import itertools

# Words between two kinds listed together ("numbness and tingling", "cramps, twitching").
LIST_JOINS = frozenset({"and", "or", ",", "&"})
# Words that end a part of a text: a place goes with a kind of its own part where there is one.
PART_ENDS = frozenset({"and", ",", "with", "but", "plus", "&"})
# Words that may sit between places listed together besides LIST_JOINS: "in my left arm and the right leg".
PLACE_LIST_WORDS = frozenset("""
    my the a an in on at of around both left right upper lower inner outer side sides also
""".split())

Item = tuple[str, str]
Places = tuple[tuple[str, tuple[str, ...]], ...]


def places_of(items: list[Item], said: set[int]) -> tuple[Places, set[int]]:
    """Each kind said and its places, by where the text says them; and the positions of places said only of a
    negated kind, which are absent.

    `said` holds the positions of the items the person said (not negated). A place goes with the nearest kind of
    its own part (the earlier one on a tie), so "eyelid twitching and numb feet" is twitching of the eyelid and
    numbness of the feet. A place listed with others ("my eye and my calf") goes with theirs. A kind with none takes
    the places named after the kind it is listed with ("numbness and tingling in my feet"), or those of the negated
    kind just before it ("my legs don't cramp but twitch").

    >>> places_of([("location", "eyelid"), ("word", "hasnt"), ("kind", "twitching"), ("word", "but"),
    ...            ("location", "calves"), ("kind", "cramps")], said={0, 4, 5})
    ((('cramps', ('calves',)),), {0})
    """
    kinds = [i for i, (t, _) in enumerate(items) if t == "kind"]
    if not kinds:
        return (), set()
    places = [i for i, (t, _) in enumerate(items) if t == "location" and i in said]
    holder: dict[int, int] = {}   # a place's position -> its kind's
    for i in places:
        own = [k for k in kinds if not any(t == "word" and c in PART_ENDS for t, c in items[min(k, i) + 1:max(k, i)])]
        if own:
            holder[i] = _nearest(own, i)
    pairs = list(itertools.pairwise(places))
    for i, j in [*pairs, *reversed(pairs)]:
        if _listed_places(items, i, j) and (i in holder) != (j in holder):
            holder[j if i in holder else i] = holder[i if i in holder else j]
    for i in places:
        # A part of places alone goes with the symptom said before it ("twitching all over my body, both legs and
        # arms, tingling in my feet": the legs twitch), else with the one after it ("in my calves, cramps").
        candidates = [k for k in kinds if k in said] or kinds
        holder.setdefault(i, max((k for k in candidates if k < i), default=min(candidates)))
    at = {k: [i for i in places if holder[i] == k] for k in kinds}
    for i, j in reversed(list(itertools.pairwise(kinds))):
        listed = all(t == "word" and c in LIST_JOINS for t, c in items[i + 1:j])
        if not at[i] and listed and at[j] and min(at[j]) > j and (i in said) == (j in said):
            at[i] = list(at[j])
    for i, j in itertools.pairwise(kinds):
        if j in said and i not in said and not at[j]:
            at[j] = list(at[i])
    out: dict[str, list[str]] = {}
    for i in (k for k in kinds if k in said):
        where = out.setdefault(items[i][1], [])
        where += [items[k][1] for k in at[i] if items[k][1] not in where]
    held = {place for k in kinds if k in said for place in at[k]}
    return tuple((kind, tuple(where)) for kind, where in out.items()), set(places) - held


def _nearest(kinds: list[int], place: int) -> int:
    return min(kinds, key=lambda k: (abs(k - place), k > place))


def _listed_places(items: list[Item], i: int, j: int) -> bool:
    """Whether only list words sit between the places at `i` and `j` ("my eye and my calf", "hands, feet"): no
    kind, no negation, no "but"."""
    return all(t == "word" and (c in LIST_JOINS or c in PLACE_LIST_WORDS) for t, c in items[i + 1:j])
