"""How an amount reads in a kitchen: `servings` of a household serving, in the serving's own measure where it has one.

A plan states each food as servings of its table's household serving ("1.5 x 1/4 cup"), which
leaves the cook to multiply. Where the serving is an amount of a measure (cup, tablespoon,
teaspoon, ounce, fluid ounce, gram), the amount is said in that measure ("3/8 cup", "7 1/2 tbsp",
"4.5 oz, cooked", "6.5 fl oz (no ice)"), with the same amount in another measure scaled too ("1 1/2
cups (12 fl oz)") and the size of the pieces kept ('1 cup (1" pieces)'). An item in plain words
is counted ("2 regular carrots", "1 1/2 sandwiches") where its noun is one the tables' servings use.
An item with its size counts the items and keeps the size each one's ("1 1/2 small cans (3.25 oz
each), drained", "1/2 of a 6 oz container"). Any other serving keeps the servings in front ("2 x 1
order"), as does a measure whose other words count something ("1.5 x 3/4 cup (1 NLEA serving)").
One serving is its label. FNDDS's notes that a portion was not further specified
("1 piece, NFS", "1 oz, without shell, NS as to form") are the survey's, not the cook's, and are not said.
"""

from __future__ import annotations

import re
from fractions import Fraction

__all__ = ["measure_of", "portion_words"]

# An amount: "1", "1.5", "1/4", "1-1/2" or "1 1/2" (FNDDS and SR Legacy write both).
_AMOUNT = r"(?P<whole>\d+(?:\.\d+)?)?(?:(?:(?<=\d)[- ]|(?<!\d))(?P<num>\d+)/(?P<den>\d+))?"
_UNIT = r"(?P<unit>fl oz|oz|lb|cups?|tablespoons?|teaspoons?|tbsp|tsp|g)\b"
# A measure's amount at the start of a label, and the rest of its words.
_LABEL = re.compile(rf"^{_AMOUNT}\s+{_UNIT}(?P<rest>.*)$")
# The rest may give the same amount in another measure, "1 cup (8 fl oz)": it is scaled too.
_SAME_AMOUNT = re.compile(rf"^\s*\({_AMOUNT}\s+{_UNIT}\)(?P<rest>\D*)$")
# Or the size of the pieces, '1 cup (1" pieces)', which no amount changes.
_PIECE_SIZE = re.compile(r'^,?\s*\(?[\d/ .-]+"\s*(pieces|cubes|slices|dice)\)?\D*$')
# An item in plain words, "1 regular carrot", "1 large or thick slice": said as "2 regular carrots". Only the
# nouns below take a plural (the words of any other are left as they are, "2 x 1 order"), and a size said alone
# stays ("2 medium", the food's name beside it).
_ITEM = re.compile(r"1 ((?:[a-z]+ )*)([a-z]+(?:/[a-z]+)?)(,[^\d]*)?")
# The plurals of the measures said in words and of the items the tables' servings count.
_PLURALS = {
    **{word: word + "s" for word in (
        "cup", "tablespoon", "teaspoon",
        "bagel", "banana", "bar", "biscuit", "breast", "bun", "burrito", "cheeseburger", "chop", "cone", "container",
        "cookie", "cracker", "croissant", "date", "drumstick", "drummette", "egg", "empanada", "fajita", "fig",
        "fillet", "frankfurter", "fritter", "hamburger", "leg", "link", "muffin", "pancake", "piece", "pie", "pita",
        "prune", "roll", "serving", "slice", "stalk", "steak", "stick", "taquito", "thigh", "tostada", "turnover",
        "waffle", "wing", "bag", "can", "carrot", "doughnut", "ear", "jar", "scoop", "bottle", "quesadilla",
        "wedge", "cake", "taco")},
    "inch": "inches", "box": "boxes", "chunk": "chunks", "leaf": "leaves", "patty": "patties", "pastry": "pastries",
    "sandwich": "sandwiches", "pouch": "pouches",
}
# FNDDS's "not further specified" and "not specified as to form": survey coding, said by no cook.
_NOT_SPECIFIED = re.compile(r",\s*(?:NFS|NS as to [a-z ]+)\b")
# An item with its size, in brackets or before it ("1 small can (3.25 oz), drained", "1 6 oz container"): the count
# scales and the size stays each one's ("1 1/2 small cans (3.25 oz each), drained", "1/2 of a 6 oz container").
_SIZED_ITEM = re.compile(r"1 (?P<words>(?:[a-z]+ )*)(?P<noun>[a-z]+(?:/[a-z]+)?) "
                         r"\((?P<size>[\d.]+ (?:fl oz|oz|g))\)(?P<rest>,.*)?")
_ITEM_OF_SIZE = re.compile(r"1 (?P<size>[\d.]+ (?:fl oz|oz|g)) (?P<words>)(?P<noun>[a-z]+)(?P<rest>)")
_SIZES = frozenset({"medium", "small", "large", "regular", "whole", "miniature", "fruit"})
# A cup or a spoon is said in the fractions measuring cups and spoons and recipes use; ounces and grams in decimals.
_SPOONS = frozenset({"tbsp", "tsp", "tablespoon", "teaspoon"})
_EIGHTHS = 8
_THIRDS = 3


def portion_words(servings: float, label: str) -> str:
    """`2 x 1/2 cup` as "1 cup", `6.5 x 1 fl oz` as "6.5 fl oz", `2 x 1 banana` as "2 bananas"."""
    label = _NOT_SPECIFIED.sub("", label).strip()
    if abs(servings - 1) < 1e-9:
        return label
    times = Fraction(servings).limit_denominator(1000)
    match = _LABEL.match(label.strip())
    if match is None:
        return _items(times, label.strip()) or f"{servings:g} x {label}"
    said = _scaled(match, times)
    if said is None:
        return f"{servings:g} x {label}"
    rest = match["rest"]
    if any(c.isdigit() for c in rest):
        same = _SAME_AMOUNT.match(rest)
        if same is not None:
            # Said again only where it adds something: not "4.5 oz (4.5 oz)", nor a cup in sixteenths.
            also = _scaled(same, times)
            rest = same["rest"] if also is None or also == said else f" ({also}){same['rest']}"
        elif not _PIECE_SIZE.match(rest):
            return f"{servings:g} x {label}"
    return f"{said}{rest}"


def _items(times: Fraction, label: str) -> str | None:
    """ "2 regular carrots", "1 1/2 sandwiches", "1/2 slice", "1 1/2 small cans (3.25 oz each), drained"; None for a
    label not in plain words of a known noun."""
    sized = _SIZED_ITEM.fullmatch(label) or _ITEM_OF_SIZE.fullmatch(label)
    if sized is not None and _plural(sized["noun"]):
        words, noun, size, rest = sized["words"] or "", sized["noun"], sized["size"], sized["rest"] or ""
        if times < 1:
            return f"{_number(times)} of a {size} {words}{noun}{rest}" if sized.re is _ITEM_OF_SIZE else \
                f"{_number(times)} of a {words}{noun} ({size}){rest}"
        return f"{_number(times)} {words}{_plural(noun)} ({size} each){rest}"
    match = _ITEM.fullmatch(label)
    if match is None or (not _plural(match[2]) and match[2] not in _SIZES):
        return None
    words, rest = match[1], match[3] or ""   # rest: ", any size"
    if times > 1:   # "2 cakes or patties": a noun before "or" counts too
        words = re.sub(r"\b([a-z]+) or ", lambda m: f"{_plural(m[1]) or m[1]} or ", words)
    return f"{_number(times)} {words}{_plural(match[2]) or match[2] if times > 1 else match[2]}{rest}"


def _plural(noun: str) -> str | None:
    """"slices", "boxes/pouches" (a serving of either); None for a noun the tables' servings do not count."""
    parts = [_PLURALS.get(part) for part in noun.split("/")]
    return "/".join(parts) if all(parts) else None


def measure_of(label: str) -> str | None:
    """The measure a serving's label counts in ("cup", "fl oz", "g"); None for an item ("1 banana")."""
    match = _LABEL.match(label.strip())
    return None if match is None or _amount(match) is None else match["unit"]


def _scaled(match: re.Match, times: Fraction) -> str | None:
    """The amount `match` holds, `times` over, in its measure: "1 1/2 cups", "7 1/2 tbsp", "4.5 oz"; None when it has
    no amount or a cup amount is no eighth or third."""
    amount = _amount(match)
    if amount is None or amount <= 0:
        return None
    total = amount * times
    unit = match["unit"]
    if unit.endswith("s") and unit[:-1] in _PLURALS:
        unit = unit[:-1]
    if unit == "g":
        return f"{float(total):.0f} g"
    if unit in _SPOONS or unit == "lb":   # spoons and pounds in halves and quarters: "1 1/2 tbsp", "1/2 lb"
        number = _number(total)
    elif unit == "cup":
        number = _fraction_words(total)
        if number is None:
            return None
    else:
        number = f"{round(float(total), 2):g}"
    return f"{number} {_PLURALS.get(unit, unit) if total > 1 else unit}"


def _amount(match: re.Match) -> Fraction | None:
    whole, num, den = match["whole"], match["num"], match["den"]
    if whole is None and num is None:
        return None
    amount = Fraction(whole) if whole else Fraction(0)
    if num is not None:
        if int(den) == 0:
            return None
        amount += Fraction(int(num), int(den))
    return amount


def _number(total: Fraction) -> str:
    """"1 1/2", "3/8" where it is an eighth or a third, else "0.3"."""
    return _fraction_words(total) or f"{round(float(total), 2):g}"


def _fraction_words(total: Fraction) -> str | None:
    """"1 1/2", "3/8", "2/3": a whole and a fraction in eighths or thirds; None for any other amount."""
    for den in (_EIGHTHS, _THIRDS):
        if (total * den).denominator == 1:
            whole, part = divmod(total, 1)
            words = [str(whole)] if whole else []
            if part:
                words.append(f"{part.numerator}/{part.denominator}")
            return " ".join(words)
    return None
