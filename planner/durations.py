"""How long a symptom has lasted, in a person's words: "for three weeks", "two and a half months", "since last
month", "for ages". `durations` replaces each with a mark (`DURATION_MARK`) that `symptom_text` reads as a break,
and gives the days each stands for.

Numbers may be digits or words up to ninety; "more than" adds a day, so "more than two weeks" passes the two-week
flag. A plural with no number ("for weeks") is read long (three weeks), to lean towards that flag.
"""

from __future__ import annotations

import re

DURATION_MARK = "_dur_"
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
                "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
                "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "a few": 3, "few": 3,
                "a couple of": 2, "a couple": 2, "couple of": 2, "several": 3, "many": 4}
UNIT_DAYS = {"day": 1, "night": 1, "week": 7, "wk": 7, "fortnight": 14, "month": 30, "mo": 30, "year": 365,
             "yr": 365}
# "for weeks" says more than one week and is read as three, to lean towards the two-week flag.
BARE_UNIT_DAYS = {"days": 3, "weeks": 21, "months": 60, "years": 730}
LAST_DAYS = {"yesterday": 1, "last week": 7, "last month": 30, "last year": 365}
_NUMBER = "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True))
_DURATION = re.compile(
    rf"\b(?:(?P<more>more than|longer than|over|beyond) )?(?P<n>\d+(?:\.\d+)?|{_NUMBER})(?P<half> and a half)? "
    rf"(?P<unit>days?|nights?|weeks?|wks?|fortnights?|months?|mos?|years?|yrs?)\b(?P<and_half> and a half\b)?"
    rf"|\bhalf an? (?P<half_of>day|week|month|year)\b"
    rf"|\b(?:for|since|over) (?P<bare>days|weeks|months|years)\b"
    rf"|\b(?:since|started|began|from) (?P<last>yesterday|last week|last month|last year)\b"
    rf"|\bfor (?:ages|a long time)\b")


def durations(text: str) -> tuple[str, list[float]]:
    """Normalised text with each duration replaced by a mark, and the days each stands for."""
    days: list[float] = []

    def read(match: re.Match) -> str:
        if match["unit"]:
            n = float(match["n"]) if match["n"][0].isdigit() else NUMBER_WORDS[match["n"]]
            n += 0.5 if match["half"] or match["and_half"] else 0.0     # "two and a half weeks", "a year and a half"
            days.append(float(n * UNIT_DAYS[match["unit"].rstrip("s")] + (1 if match["more"] else 0)))
        elif match["half_of"]:
            days.append(UNIT_DAYS[match["half_of"]] / 2)
        elif match["bare"]:
            days.append(float(BARE_UNIT_DAYS[match["bare"]]))
        elif match["last"]:
            days.append(float(LAST_DAYS[match["last"]]))
        else:
            days.append(30.0)
        return f" {DURATION_MARK} "

    return " ".join(_DURATION.sub(read, text).split()), days
