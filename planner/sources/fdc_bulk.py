"""FoodData Central offline: the bulk CSV download and the shipped SR Legacy extract as tables.

* `import_bulk`: FDC's bulk CSV download (zip or folder; SR Legacy and Foundation rows), or
  the shipped flat extract, as our table (`planner foods import`).
* `sr_legacy_table`: all 7,793 SR Legacy foods from the shipped extract (`--foods sr-legacy`).

Rows are built by `fdc_rows.make_row`, as for foods fetched from the API, so a food reads
the same whichever way it came in. Every file is read strictly (`_Csv`): a missing column, a
row cut short, a byte that is not UTF-8 or a damaged zip is an InputError naming the file, row
and field, never a row quietly dropped.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import math
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planner.errors import InputError
from planner.files import data_path, read_user_text
from planner.foods import FoodTable, parse_foods
from planner.sources.fdc_rows import (NUTRIENT_IDS, NUTRIENTS, PRIORITY, Portion, expected_unit, format_number,
                                      make_row, mark_one_food_forms, normal_unit, table_text)


# --------------------------------------------------------------------------- reading a CSV strictly

DAMAGED_ZIP = "the zip is damaged or cut short ({}); download it again"


class _Csv:
    """One CSV file read strictly, row by row: `for row, record in _Csv(...)` (row 1 is the header).

    Streams (food_nutrient.csv has 644,125 rows), so a fault late in the file is found when
    its row is reached; the caller builds nothing that outlives the error.
    """

    def __init__(self, lines: Iterable[str], source: str, required: tuple[str, ...],
                 raw: Callable[[], Iterable[bytes]] | None = None):
        self.source = source
        self.raw = raw
        self.reader = csv.reader(lines)
        with self.faults():
            self.header = [cell.strip() for cell in next(self.reader, [])]
        if not any(self.header):
            raise InputError(f"the file is empty (expected columns {', '.join(required)})", source=source)
        missing = [c for c in required if c not in self.header]
        if missing:
            raise InputError(f"missing column '{missing[0]}' (expected columns {', '.join(required)})",
                             source=source, row=1, field=missing[0])
        self.index = {name: k for k, name in enumerate(self.header)}

    @contextlib.contextmanager
    def faults(self) -> Iterator[None]:
        """What goes wrong while reading, as one InputError naming the file and line."""
        try:
            yield
        except UnicodeDecodeError:
            raise InputError(f"expected UTF-8 text, got a byte it cannot read on line {self._undecodable_line()} "
                             "(save the file as UTF-8)", source=self.source) from None
        except csv.Error as exc:
            raise InputError(f"not a readable CSV table on line {self.reader.line_num} ({exc})",
                             source=self.source) from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise InputError(DAMAGED_ZIP.format(exc or "its data ends early"), source=self.source) from None

    def _undecodable_line(self) -> int:
        """The line of the first byte that is not UTF-8: a stream's decoding error knows only its chunk, so the
        file's bytes are read again, line by line (only when reading has already failed)."""
        if self.raw is None:
            return self.reader.line_num + 1
        for number, line in enumerate(self.raw(), start=1):
            try:
                line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                return number
        return self.reader.line_num + 1

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header)
        with self.faults():
            for record in self.reader:
                if not record or record == [""]:
                    continue
                row = self.reader.line_num
                if len(record) < width:
                    raise InputError(f"the row ends after {len(record)} of the header's {width} fields",
                                     source=self.source, row=row, field=self.header[len(record)])
                if len(record) > width:
                    raise InputError(f"the row has {len(record)} fields, the header {width} (a comma in a value "
                                     "that is not quoted?)", source=self.source, row=row)
                yield row, record

    def dicts(self) -> Iterator[tuple[int, dict[str, str]]]:
        for row, record in self:
            yield row, dict(zip(self.header, record))

    def fail(self, row: int, column: str, message: str) -> InputError:
        return InputError(message, source=self.source, row=row, field=column)

    def number(self, row: int, column: str, cell: str, *, whole: bool = False, positive: bool = False
               ) -> float | None:
        """A cell that must be a number (or empty: missing); a whole one above 0 for an id."""
        text = cell.strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0 or (positive and value <= 0) or \
                (whole and value != math.floor(value)):
            what = "a whole number above 0" if whole else "a number above 0" if positive else "a number >= 0"
            raise self.fail(row, column, f"expected {what}, got '{cell}'")
        return value

    def fdc_id(self, row: int, cell: str) -> str:
        value = self.number(row, "fdc_id", cell, whole=True, positive=True)
        if value is None:
            raise self.fail(row, "fdc_id", "expected a FoodData Central id, got an empty cell")
        return str(int(value))


# --------------------------------------------------------------------------- bulk CSV download

BULK_FILES = ("food.csv", "food_nutrient.csv", "nutrient.csv", "food_portion.csv", "food_category.csv",
              "measure_unit.csv")
BULK_DATA_TYPES = {"sr_legacy_food": "SR Legacy", "foundation_food": "Foundation"}
# The columns of each file the import reads (FDC's CSV download, "Download & API Field Descriptions").
BULK_COLUMNS = {
    "food.csv": ("fdc_id", "data_type", "description"),
    "food_nutrient.csv": ("fdc_id", "nutrient_id", "amount"),
    "nutrient.csv": ("id", "unit_name"),
    "food_portion.csv": ("fdc_id", "gram_weight"),
    "food_category.csv": ("id", "description"),
    "measure_unit.csv": ("id", "name"),
}
EXTRACT_COLUMNS = ("fdc_id", "description", "food_group")
EXTRACT_PORTION_COLUMNS = ("fdc_id", "seq_num", "amount", "measure_unit", "portion_description", "modifier",
                           "gram_weight")


class _Bulk:
    """The CSV files of an FDC download, in a folder or a zip (possibly one folder deep)."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = None
        if path.is_file():
            try:
                self.zip = zipfile.ZipFile(path)
                names = self.zip.namelist()
            except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
                raise InputError(DAMAGED_ZIP.format(exc), source=str(path)) from None
            names = [n for n in names if n.rsplit("/", 1)[-1] == "food.csv"]
            if not names:
                raise InputError("no food.csv in this zip (expected FDC's CSV download)", source=str(path))
            self.prefix = min(names, key=len)[: -len("food.csv")]
        elif path.is_dir():
            candidates = sorted(path.rglob("food.csv"), key=lambda p: len(p.parts))
            if not candidates:
                raise InputError("no food.csv in this folder (expected FDC's CSV download)", source=str(path))
            self.folder = candidates[0].parent
        else:
            raise InputError("no such file or folder (expected FDC's CSV download: a .zip or its folder)",
                             source=str(path))

    def has(self, name: str) -> bool:
        if self.zip:
            return self.prefix + name in self.zip.namelist()
        return (self.folder / name).is_file()

    @contextlib.contextmanager
    def read(self, name: str) -> Iterator[_Csv]:
        """One file of the download, read strictly (`_Csv`) for the columns the import needs."""
        if not self.has(name):
            raise InputError(f"no {name} in the download (need {', '.join(BULK_FILES[:3])})", source=str(self.path))
        source = f"{self.path}: {name}"
        try:
            if self.zip:
                handle = io.TextIOWrapper(self.zip.open(self.prefix + name), encoding="utf-8-sig", newline="")
            else:
                handle = (self.folder / name).open(encoding="utf-8-sig", newline="")
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise InputError(DAMAGED_ZIP.format(exc), source=source) from None
        except OSError as exc:
            raise InputError(f"cannot read it ({exc.strerror})", source=source) from None
        with handle:
            yield _Csv(handle, source, BULK_COLUMNS[name], raw=lambda: self._bytes(name))

    def _bytes(self, name: str) -> Iterator[bytes]:
        opener = (lambda: self.zip.open(self.prefix + name)) if self.zip else (lambda: (self.folder / name).open("rb"))
        with opener() as handle:
            yield from handle


@dataclass
class ImportResult:
    text: str
    foods: int
    kept_out: int
    source: str
    notes: list[str] = field(default_factory=list)


def _summary(rows: list[dict[str, str]], text: str, source: str, notes: list[str]) -> ImportResult:
    """The built table checked as the planner checks any table; a fault is named by the food's fdc_id,
    since the built table's rows are not the input's."""
    try:
        parse_foods(text, source=source)
    except InputError as exc:
        if exc.row is None or not 2 <= exc.row < len(rows) + 2:
            raise
        raise InputError(f"fdc_id {rows[exc.row - 2]['fdc_id']}: {exc.message}", source=source,
                         field=exc.field) from None
    return ImportResult(text, len(rows), sum(r["role"] == "ingredient" for r in rows), source, notes)


def import_bulk(path: str | Path) -> ImportResult:
    """FDC's bulk CSV download (zip or folder), SR Legacy and Foundation rows, as our table.

    `food_nutrient.csv` (644,125 rows for SR Legacy) is streamed with the csv module,
    keeping only our 14 nutrient ids. Units are checked against `nutrient.csv`.
    A path to the shipped flat extract (`usda_sr_legacy_nutrients.csv`) or `sr-legacy`
    imports that instead.
    """
    if str(path) == "sr-legacy":
        return _summary_from_text(sr_legacy_text(), "sr-legacy", [])
    if str(path).strip() == "":
        raise InputError("expected FDC's CSV download (a .zip or its folder), got an empty name", field="path")
    path = Path(path)
    if path.is_file() and not zipfile.is_zipfile(path):
        return _import_file(path)
    bulk = _Bulk(path)
    categories, units = {}, {}
    notes: list[str] = []
    # Both are optional in a download, but without them foods are told apart less well, or cannot be served.
    if not bulk.has("food_portion.csv"):
        notes.append("no food_portion.csv: no food has a household portion, so none can be served in a meal (all "
                     "are kept out as ingredients); import the whole download")
    if not bulk.has("food_category.csv"):
        notes.append("no food_category.csv: each food's role and slots are guessed from its description alone")
    if bulk.has("food_category.csv"):
        with bulk.read("food_category.csv") as table:
            categories = {r["id"].strip(): r["description"] for _, r in table.dicts()}
    if bulk.has("measure_unit.csv"):
        with bulk.read("measure_unit.csv") as table:
            units = {r["id"].strip(): r["name"] for _, r in table.dicts()}
    wanted_ids = {**{str(i): c for i, c in NUTRIENT_IDS.items()}, "2048": "energy_kcal", "2047": "energy_kcal"}
    priority = {str(k): v for k, v in PRIORITY.items()}
    with bulk.read("nutrient.csv") as table:
        for _, r in table.dicts():
            nutrient_id = r["id"].strip()
            if nutrient_id in wanted_ids:
                column = wanted_ids[nutrient_id]
                if normal_unit(r["unit_name"]) != expected_unit(column):
                    notes.append(f"nutrient {nutrient_id} is in {r['unit_name']}, not {expected_unit(column)}: "
                                 f"{column} left empty")
                    del wanted_ids[nutrient_id]
    foods: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    with bulk.read("food.csv") as table:
        for row, r in table.dicts():
            if r["data_type"].strip() in BULK_DATA_TYPES:
                fdc_id = table.fdc_id(row, r["fdc_id"])
                if fdc_id in foods:
                    raise table.fail(row, "fdc_id", f"fdc_id {fdc_id} appears twice (also on row {first_row[fdc_id]})")
                foods[fdc_id], first_row[fdc_id] = r, row
    values: dict[str, dict[str, tuple[int, str]]] = {f: {} for f in foods}
    with bulk.read("food_nutrient.csv") as table:
        i_food, i_nutrient, i_amount = (table.index[c] for c in ("fdc_id", "nutrient_id", "amount"))
        for row, record in table:
            nutrient = record[i_nutrient].strip()
            if nutrient in wanted_ids:
                food = values.get(record[i_food].strip())
                amount = record[i_amount].strip()
                if food is None or not amount:   # another data type's food; a missing value stays missing
                    continue
                column, rank = wanted_ids[nutrient], priority[nutrient]
                if not _is_number(amount):
                    notes.append(f"fdc_id {record[i_food].strip()}: food_nutrient.csv row {row} gives {column} as "
                                 f"'{amount}', not a number >= 0: left empty")
                    continue
                if column not in food or rank < food[column][0]:
                    food[column] = (rank, amount)
    portions: dict[str, list[Portion]] = {}
    if bulk.has("food_portion.csv"):
        with bulk.read("food_portion.csv") as table:
            for row, r in table.dicts():
                fdc_id = r["fdc_id"].strip()
                grams = table.number(row, "gram_weight", r["gram_weight"])
                if fdc_id not in foods or grams is None:
                    continue
                amount = table.number(row, "amount", r.get("amount") or "")
                seq = table.number(row, "seq_num", r.get("seq_num") or "", whole=True)
                portions.setdefault(fdc_id, []).append(
                    Portion(999 if seq is None else int(seq), amount,
                            units.get((r.get("measure_unit_id") or "").strip(), ""),
                            r.get("portion_description") or "", r.get("modifier") or "", grams))
    rows = []
    for fdc_id, food in foods.items():
        kind = BULK_DATA_TYPES[food["data_type"].strip()]
        date = food.get("publication_date", "")
        source = f"USDA FoodData Central {kind} fdc_id {fdc_id} (bulk CSV" + (f", published {date})" if date else ")")
        found = {c: format_number(float(v)) for c, (_, v) in values[fdc_id].items()}
        rows.append(make_row(fdc_id, food["description"].strip(), categories.get(food.get("food_category_id", ""), ""),
                             found, portions.get(fdc_id, []), source, portion_source="FDC portion"))
    if not rows:
        raise InputError("no SR Legacy or Foundation foods in food.csv (data_type sr_legacy_food or "
                         "foundation_food)", source=f"{path}: food.csv")
    return _summary(rows, table_text(rows, mark_one_food_forms(rows)), str(path), notes)


def _import_file(path: Path) -> ImportResult:
    """A single file given to `foods import`: the flat SR Legacy extract, or a clear word on what it is not."""
    with path.open("rb") as handle:
        if handle.read(2) == b"PK":
            raise InputError(DAMAGED_ZIP.format("its table of contents cannot be read"), source=str(path))
    text = read_user_text(path)   # binary or not UTF-8: named here
    header = [cell.strip() for cell in next(csv.reader(io.StringIO(text)), [])]
    if "food_group" in header and "magnesium_mg" in header:
        portions = path.with_name(path.name.replace("nutrients", "portions"))
        found = portions != path and portions.is_file()
        # As for a download without food_portion.csv: every food would be kept out, and the summary alone says so.
        notes = [] if found else [f"no {portions.name if portions != path else 'portions file'} beside it: no food "
                                  "has a household portion, so none can be served in a meal (all are kept out as "
                                  "ingredients); put the extract's portions file beside it"]
        return _summary_from_text(_extract_text(path, portions if found else None), str(path), notes)
    if path.name == "food.csv":
        raise InputError("this is one file of FDC's CSV download: give the folder that holds it, or the zip",
                         source=str(path))
    raise InputError("expected FDC's CSV download (a .zip or its folder) or the SR Legacy extract "
                     "(usda_sr_legacy_nutrients.csv)", source=str(path))


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text)) and float(text) >= 0
    except ValueError:
        return False


def _summary_from_text(text: str, source: str, notes: list[str]) -> ImportResult:
    return _summary(list(csv.DictReader(io.StringIO(text))), text, source, notes)


def _extract_text(nutrients: Path, portions_path: Path | None) -> str:
    """Our table from the flat SR Legacy extract: nutrient cells verbatim, portions as servings."""
    portions: dict[str, list[Portion]] = {}
    if portions_path is not None and portions_path.is_file():
        table = _Csv(io.StringIO(read_user_text(portions_path)), str(portions_path), EXTRACT_PORTION_COLUMNS)
        for row, r in table.dicts():
            grams = table.number(row, "gram_weight", r["gram_weight"])
            seq = table.number(row, "seq_num", r["seq_num"], whole=True)
            if grams is None:
                continue
            portions.setdefault(r["fdc_id"].strip(), []).append(
                Portion(999 if seq is None else int(seq), table.number(row, "amount", r["amount"]), r["measure_unit"],
                        r["portion_description"], r["modifier"], grams))
    rows = []
    table = _Csv(io.StringIO(read_user_text(nutrients)), str(nutrients), EXTRACT_COLUMNS)
    seen: dict[str, int] = {}
    for row, r in table.dicts():
        fdc_id = table.fdc_id(row, r["fdc_id"])
        if fdc_id in seen:
            raise table.fail(row, "fdc_id", f"fdc_id {fdc_id} appears twice (also on row {seen[fdc_id]})")
        seen[fdc_id] = row
        source = f"USDA FoodData Central SR Legacy fdc_id {fdc_id}"
        source += " (SR28 values)" if r.get("values_from") == "SR28" else " (no values in SR28)"
        if (r.get("fdc_corrected") or "").strip():
            source += f"; corrected from FDC: {r['fdc_corrected'].strip()}"
        values = {c: r[c].strip() for c in NUTRIENTS if (r.get(c) or "").strip()}
        rows.append(make_row(fdc_id, r["description"].strip(), r["food_group"], values,
                             portions.get(fdc_id, []), source, portion_source="USDA SR Legacy portion"))
    return table_text(rows, mark_one_food_forms(rows))


@functools.lru_cache(maxsize=1)
def sr_legacy_text() -> str:
    return _extract_text(data_path("usda_sr_legacy_nutrients.csv"), data_path("usda_sr_legacy_portions.csv"))


def sr_legacy_table() -> FoodTable:
    """All 7,793 SR Legacy foods as a food table (`--foods sr-legacy`).

    Built from the shipped extract (nutrient values verbatim, the first household
    portion as the serving, slots/role/tags from the food group) once per process; the
    text is cached in memory. Foods nobody serves as a meal item are kept out of plans by
    role `ingredient` (see `classify`), not dropped, so look-ups by id still work.
    """
    return parse_foods(sr_legacy_text(), source="sr-legacy")
