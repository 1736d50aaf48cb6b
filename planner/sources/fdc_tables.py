"""FoodData Central foods into a user's table: `planner foods add` and `planner foods enrich`.

* `api_row`: a food the API answered as a row of our table (built by `fdc_rows.make_row`).
* `add_foods`, `enrich_table`: append foods by id, refresh foods with an `fdc_id`; a table is
  replaced atomically, never the embedded one (`check_writable`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planner.errors import InputError
from planner.files import data_path, read_user_text, write_atomic
from planner.foods import default_foods_path, parse_foods
from planner.sources.fdc_api import FdcClient
from planner.sources.fdc_rows import (FOOD_COLUMNS, NUTRIENTS, TARGETED, Portion, food_values, make_row,
                                      table_text)


# --------------------------------------------------------------------------- API foods -> rows

def _category(food: dict) -> str:
    for key in ("foodCategory", "wweiaFoodCategory", "brandedFoodCategory"):
        value = food.get(key)
        if isinstance(value, dict):
            value = value.get("description") or value.get("wweiaFoodCategoryDescription")
        if value:
            return str(value)
    return ""


def api_portions(food: dict) -> list[Portion]:
    out = []
    for position, p in enumerate(food.get("foodPortions") or []):
        try:
            grams = float(p.get("gramWeight"))
        except (TypeError, ValueError):
            continue
        unit = p.get("measureUnit") or {}
        try:
            amount = float(p["amount"]) if p.get("amount") is not None else None
        except (TypeError, ValueError):
            amount = None
        out.append(Portion(int(p.get("sequenceNumber") or position + 1), amount,
                           str(unit.get("name", "") if isinstance(unit, dict) else unit),
                           str(p.get("portionDescription") or ""), str(p.get("modifier") or ""), grams))
    return out


def _api_source(food: dict) -> str:
    published = food.get("publicationDate") or food.get("publishedDate") or ""
    return (f"USDA FoodData Central {food.get('dataType', '')} fdc_id {food.get('fdcId')} (API"
            + (f", published {published}" if published else "") + ")").replace("  ", " ")


def api_row(food: dict) -> tuple[dict[str, str], list[str]]:
    """A table row for a food the API answered, and notes on values left out."""
    values, notes = food_values(food)
    portions = api_portions(food)
    row = make_row(food["fdcId"], str(food.get("description", "")).strip(), _category(food), values, portions,
                   _api_source(food), explicit=True,
                   # an abridged answer sends no portions: that is no evidence the food has none
                   portions_known="foodPortions" in food)
    return row, notes


def check_writable(path: str | Path | None) -> Path:
    """The path to write a table to; refuses the embedded table and 'sr-legacy'."""
    if not path:
        raise InputError("give the table to write (the embedded table is not edited)", field="foods")
    if str(path) in ("sr-legacy", "fndds"):
        raise InputError(f"'{path}' is built in and cannot be written; give a CSV path", field="foods")
    target = Path(path).expanduser().resolve()
    embedded = default_foods_path().resolve()
    package_data = data_path("foods.csv").resolve().parent
    if target == embedded or target.parent == package_data:
        raise InputError("this is the planner's embedded table; copy it and give the copy", source=str(path))
    return target


# What says where an added food comes from, and lets `foods enrich` refresh it: kept even when the table lacks the
# column (the table gains it). Other columns a table lacks are left out, so its bytes stay as they were.
SOURCE_COLUMNS = ("fdc_id",)


def _read_table(path: Path) -> tuple[str, list[str], list[dict[str, str]], str]:
    text = read_user_text(path)
    parse_foods(text, source=str(path))  # the same checks as the planner
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    first_line = text.split("\n", 1)[0]
    return text, list(reader.fieldnames or []), rows, "\r\n" if first_line.endswith("\r") else "\n"


@dataclass
class AddResult:
    added: pd.DataFrame
    skipped: list[str] = field(default_factory=list)   # already in the table
    missing: list[int] = field(default_factory=list)    # unknown to FDC
    notes: list[str] = field(default_factory=list)
    created: bool = False

    def messages(self) -> list[str]:
        """What to tell the person before the table: foods skipped, notes, ids FDC does not know."""
        out = [f"Skipped {note}." for note in self.skipped] + [f"Note: {note}" for note in self.notes]
        if self.missing:
            out.append(f"Error: FoodData Central knows no food with id {', '.join(map(str, self.missing))}.")
        return out

    def summary(self, path: str | Path) -> str:
        verb = "created" if self.created and not self.added.empty else "updated"
        return f"{len(self.added)} food(s) added; {path} {verb if len(self.added) else 'unchanged'}."


def add_foods(client: FdcClient, fdc_ids: Iterable[int], foods_path: str | Path,
              progress: Callable[[int, int], None] | None = None) -> AddResult:
    """Fetch foods by FDC id and append them to a table (created with our header if absent).

    Rows get `food_id` `fdc_<id>`, nutrients, the household serving and guessed
    slots/role/tags (the guess is stated in `serving_source`). Ids FDC does not know
    are reported in `missing`; the rest is added. The file is replaced atomically and only
    after the new table passes the planner's own checks.
    """
    path = check_writable(foods_path)
    ids = [int(i) for i in fdc_ids]
    if path.exists():
        text, header, rows, newline = _read_table(path)
        created = False
    else:
        text, header, rows, newline, created = "", list(FOOD_COLUMNS), [], "\n", True
    known = {row.get("fdc_id", "").strip(): row.get("food_id", "") for row in rows}
    existing_ids = {row.get("food_id", "").strip() for row in rows}
    result = AddResult(pd.DataFrame(), created=created)
    wanted = []
    for fdc_id in dict.fromkeys(ids):
        if str(fdc_id) in known or f"fdc_{fdc_id}" in existing_ids:
            result.skipped.append(f"{fdc_id} (already in the table as {known.get(str(fdc_id)) or f'fdc_{fdc_id}'})")
        else:
            wanted.append(fdc_id)
    found, result.missing = client.get_foods(wanted, progress) if wanted else ({}, [])
    new_rows = []
    for fdc_id in wanted:
        if fdc_id in found:
            row, notes = api_row(found[fdc_id])
            new_rows.append(row)
            result.notes += [f"fdc_{fdc_id}: {n}" for n in notes]
    if new_rows:
        gained = [c for c in SOURCE_COLUMNS if c not in header and any(r.get(c) for r in new_rows)]
        if created:
            text = table_text(new_rows)
        elif gained:
            header += gained
            text = table_text([*rows, *new_rows], tuple(header), newline)
            result.notes.append(f"the table gained the column(s) {', '.join(gained)}, empty for its other foods")
        else:
            if text and not text.endswith("\n"):
                text += newline
            text += table_text(new_rows, tuple(header), newline, header=False)
        parse_foods(text, source=str(path))
        write_atomic(path, text)
    result.added = pd.DataFrame(
        [{"food_id": r["food_id"], "name": r["name"][:50], "serving": f"{r['serving_label'] or '100 g'}",
          "role": r["role"], "slots": r["slots"], "tags": r["tags"],
          **{c: float(r[c]) if r[c] else float("nan") for c in TARGETED}} for r in new_rows],
        columns=["food_id", "name", "serving", "role", "slots", "tags", *TARGETED])
    return result


@dataclass
class EnrichResult:
    changes: pd.DataFrame            # food_id, column, old, new
    text: str                        # the refreshed table
    checked: int                     # foods with an fdc_id
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    written: bool = False

    @property
    def changed_foods(self) -> int:
        return self.changes["food_id"].nunique() if not self.changes.empty else 0

    def summary(self, path: str | Path | None, write: bool) -> str:
        text = (f"{self.checked} food(s) with an fdc_id; {len(self.changes)} value(s) changed in "
                f"{self.changed_foods} food(s)")
        if self.missing:
            text += f"; unknown to FoodData Central: {', '.join(self.missing)}"
        if self.written:
            return f"{text}; wrote {path}."
        return f"{text}; " + ("nothing to write." if self.changes.empty else "dry run, nothing written (use --write).")


def _same(old: str, new: str) -> bool:
    try:
        return math.isclose(float(old), float(new), rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return old.strip() == new.strip()


def enrich_table(client: FdcClient, foods_path: str | Path | None, write: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> EnrichResult:
    """Refresh every food with an `fdc_id` from the API; return the diff and the new table text.

    Refreshed: the registry's nutrient columns the table has, `usda_description`, and
    `nutrient_source` of foods whose values changed. A value FDC does not send is kept
    (an abridged answer lacks many), never blanked. With `write`, the table (never the
    embedded one) is replaced whole, and only after every call succeeded; `foods_path`
    None reads the embedded table (a dry run only).
    """
    if write:
        check_writable(foods_path)
    path = Path(foods_path) if foods_path else default_foods_path()
    text, header, rows, newline = _read_table(path)
    by_id: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        cell = (row.get("fdc_id") or "").strip()
        if cell:
            try:
                by_id.setdefault(int(float(cell)), []).append(row)
            except ValueError:
                raise InputError(f"fdc_id '{cell}' is not a number", source=str(path), field="fdc_id") from None
    found, missing = client.get_foods(list(by_id), progress)
    changes, notes = [], []
    columns = [c for c in NUTRIENTS if c in header]
    for fdc_id, food in found.items():
        values, value_notes = food_values(food)
        description = str(food.get("description", "")).strip()
        for row in by_id[fdc_id]:
            food_id = row["food_id"]
            # A value FDC gives in no usable form is not taken: where the table has one, it stays.
            notes += [f"{food_id}: " + (n.replace("left empty", "the table's value kept")
                                        if (row.get(n.split(":")[0]) or "").strip() else n) for n in value_notes]
            changed, kept = False, []
            for column in columns:
                new = values.get(column)
                old = (row.get(column) or "").strip()
                if new is None and old:
                    kept.append(column)
                if new is not None and not (old and _same(old, new)):
                    changes.append({"food_id": food_id, "column": column, "old": old, "new": new})
                    row[column] = new
                    changed = True
            updates = []
            if "usda_description" in header and description and row.get("usda_description", "").strip() != description:
                updates.append(("usda_description", description))
            if changed and "nutrient_source" in header:
                # The values FDC did not give (or gave in no usable form) stay, and so does what they came from.
                before, source = (row.get("nutrient_source") or "").strip(), _api_source(food)
                if kept and before.startswith(source):   # already FDC's, it says what it kept and whence
                    source = before
                elif kept:
                    source += f"; {', '.join(kept)} kept from before ({before or 'no source given'})"
                updates.append(("nutrient_source", source))
            for column, new in updates:
                if (row.get(column) or "").strip() == new:   # a value refreshed to itself is no change to report
                    continue
                changes.append({"food_id": food_id, "column": column, "old": row.get(column, ""), "new": new})
                row[column] = new
    for fdc_id in missing:
        for row in by_id[fdc_id]:
            notes.append(f"{row['food_id']}: FoodData Central knows no fdc_id {fdc_id}; left as it was")
    new_text = table_text(rows, tuple(header), newline) if changes else text
    if changes:
        parse_foods(new_text, source=f"{path} (refreshed)")
    frame = pd.DataFrame(changes, columns=["food_id", "column", "old", "new"])
    result = EnrichResult(frame, new_text, sum(len(v) for v in by_id.values()),
                          [f"{by_id[i][0]['food_id']} ({i})" for i in missing], notes)
    if write and changes:
        write_atomic(check_writable(foods_path), new_text)
        result.written = True
    return result
