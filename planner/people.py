"""A table of people, one plan each: every row read into a PlanRequest, or into the error that stops it.

    id,age,sex,pregnant,deficient,symptoms,diet,exclude,budget,days
    ann,34,female,,"magnesium,vitamin_d",eyelid twitching,vegan,nuts,8,7
    bob,71,male,,calcium,,omnivore,,,1

Only `id` is required. A column is named as the `planner week` option it stands for
(`age`, `sex`, `pregnant`, `trimester`, `lactating`, `kcal`, `deficient`, `symptoms`, `duration_days`,
`max_caffeine`, `diet`, `exclude`, `include`, `like`, `budget`, `budget_per`, `days`,
`max_days`, `portions`, `slot_kcal`, `cheapest`, `absorbable_calcium`); an empty cell means what
leaving the option out means, so `days` is 7. The options about the run, not the person
(`--foods`, `--solver`, `--time-limit`, `--targets`, `--meals`), are the batch's own or left out.
Lists (`deficient`, `exclude`, `include`, `like`) are split on commas or semicolons,
`symptoms` on semicolons only (a symptom in words may hold a comma).

Each row is checked by the same request code the command uses: a bad row becomes a
`RowError` naming the file, its row and its column, and the other rows go on. A bad
file (no `id` column, a column nobody knows) is one InputError for the whole table.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

from planner.errors import InputError, PlannerError
from planner.files import read_user_text
from planner.request import DEFAULT_MAX_DAYS, PlanRequest, parse_slot_shares, request_from_options

LIST_COLUMNS = ("deficient", "exclude", "include", "like")
NUMBER_COLUMNS = ("age", "kcal", "duration_days", "max_caffeine", "budget")
WHOLE_COLUMNS = ("trimester", "days", "max_days")
FLAG_COLUMNS = ("pregnant", "lactating", "cheapest", "absorbable_calcium")
TEXT_COLUMNS = ("sex", "symptoms", "diet", "budget_per", "portions", "slot_kcal")
# Every column, in the order the options are documented (docs/batch.md): the order a message lists them in.
COLUMNS = ("id", "age", "sex", "pregnant", "trimester", "lactating", "kcal", "deficient", "symptoms", "duration_days",
           "max_caffeine", "diet", "exclude", "include", "like", "budget", "budget_per", "days", "max_days", "portions",
           "slot_kcal", "cheapest", "absorbable_calcium")
# Request fields whose column has another name.
FIELD_COLUMNS = {"max_caffeine_mg": "max_caffeine", "slot_shares": "slot_kcal"}
# An id names the person's plan file, so it must be a plain file name on every system.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
WEEK_DAYS = 7


@dataclass(frozen=True)
class Person:
    """One row that reads as a request: the plan for it goes to `<id>.json`."""

    id: str
    row: int           # as a spreadsheet shows it: the header is row 1
    request: PlanRequest


@dataclass(frozen=True)
class RowError:
    """A row that does not read as a request (or could not be planned), with the one line that says why."""

    id: str
    row: int
    message: str


def row_error(exc: PlannerError, source: str, row: int, person_id: str = "") -> RowError:
    """A library error about one person's values, placed at its file, row and column.

    An error about the request (`age`: expected ...) gets the people file, the row and the
    column, in the words the command uses for the same value; one about another file (the
    food table) keeps its own place after the row's.
    """
    if exc.source is None:
        field = FIELD_COLUMNS.get(exc.field or "", exc.field)
        placed = InputError(exc.message, source=source, row=row, field=field)
        return RowError(person_id, row, placed.describe())
    return RowError(person_id, row, f"{source}, row {row}: {exc.describe()}")


def read_people(path: str) -> tuple[list[Person], list[RowError]]:
    """The people in a CSV file, in file order, and the rows that were skipped with why."""
    text = read_user_text(path)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().casefold() for h in next(reader)]   # a spreadsheet's `Age` is the column age
    except StopIteration:
        raise InputError("the file is empty (expected a header row with at least an id column)", source=path) \
            from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV table ({exc})", source=path) from None
    # Everything wrong with the header at once: a table without `id` often has another name for it ('name').
    wrong = [] if "id" in header else ["missing column 'id' (one name per person; it names the person's plan file)"]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        wrong.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(repr(h) for h in unknown)}")
    if wrong:
        raise InputError(f"{'; '.join(wrong)}; expected id and any of: {', '.join(COLUMNS[1:])}", source=path)
    if len(set(header)) < len(header):
        twice = next(h for h in header if header.count(h) > 1)
        raise InputError(f"column '{twice}' appears twice", source=path)
    people: list[Person] = []
    skipped: list[RowError] = []
    seen: dict[str, int] = {}
    try:
        for row, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            cells += [""] * (len(header) - len(cells))
            values = {h: c.strip() for h, c in zip(header, cells)}
            person_id = values["id"]
            try:
                if len(cells) > len(header):
                    raise InputError(f"{len(cells)} cells for {len(header)} columns (quote a cell that holds a "
                                     "comma)", field=header[-1])
                _check_id(person_id, seen)
                people.append(Person(person_id, row, request_from_row(values)))
                seen[person_id.casefold()] = row
            except PlannerError as exc:
                skipped.append(row_error(exc, path, row, person_id))
    except csv.Error as exc:
        raise InputError(f"not a readable CSV table ({exc})", source=path, row=reader.line_num) from None
    if not people and not skipped:   # "0 people: 0 plans" with exit 0 read as a run that did its work
        raise InputError("the table has a header but no people (expected a row per person under it)", source=path)
    return people, skipped


def _check_id(person_id: str, seen: dict[str, int]) -> None:
    if not ID_PATTERN.fullmatch(person_id):
        got = f"'{person_id}'" if person_id else "an empty cell"
        raise InputError(f"expected a name of letters, digits, '.', '-' or '_' (it names the plan file), got {got}",
                         field="id")
    if person_id.casefold() in seen:
        # Case apart, two ids would name one file on macOS and Windows.
        raise InputError(f"'{person_id}' is already the id of row {seen[person_id.casefold()]}", field="id")


def request_from_row(values: dict[str, str]) -> PlanRequest:
    """One row's cells as the request `planner week` would make from the same options."""
    number = {c: _number(values.get(c, ""), c) for c in NUMBER_COLUMNS}
    whole = {c: _whole(values.get(c, ""), c) for c in WHOLE_COLUMNS}
    flag = {c: _flag(values.get(c, ""), c) for c in FLAG_COLUMNS}
    return request_from_options(
        age=number["age"], sex=values.get("sex") or None, pregnant=flag["pregnant"], trimester=whole["trimester"],
        lactating=flag["lactating"], kcal=number["kcal"], deficient=values.get("deficient", ""),
        max_caffeine=number["max_caffeine"], symptoms=_symptoms(values.get("symptoms", "")),
        duration_days=number["duration_days"], diet=values.get("diet") or "omnivore", exclude=values.get("exclude", ""),
        include=values.get("include", ""), like=values.get("like", ""), budget=number["budget"],
        budget_per=values.get("budget_per") or "day", days=WEEK_DAYS if whole["days"] is None else whole["days"],
        max_days=DEFAULT_MAX_DAYS if whole["max_days"] is None else whole["max_days"],
        portions=values.get("portions") or "half", cheapest=flag["cheapest"],
        absorbable_calcium=flag["absorbable_calcium"],
        slot_shares=parse_slot_shares(values["slot_kcal"]) if values.get("slot_kcal") else None)


def _symptoms(cell: str) -> tuple[str, ...]:
    """Symptoms are split on semicolons only: a symptom in words may hold a comma."""
    return tuple(p.strip() for p in cell.split(";") if p.strip())


def _number(cell: str, column: str) -> float | None:
    if not cell:
        return None
    try:
        return float(cell)
    except ValueError:
        raise InputError(f"expected a number, got '{cell}'", field=column) from None


def _whole(cell: str, column: str) -> int | None:
    value = _number(cell, column)
    if value is not None and not (math.isfinite(value) and value == int(value)):
        raise InputError(f"expected a whole number, got '{cell}'", field=column)
    return None if value is None else int(value)


def _flag(cell: str, column: str) -> bool:
    word = cell.casefold()
    if word not in YES | NO:
        raise InputError(f"expected yes or no (or an empty cell), got '{cell}'", field=column)
    return word in YES
