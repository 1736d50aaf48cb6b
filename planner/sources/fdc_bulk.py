"""FoodData Central offline: the bulk CSV download and the shipped SR Legacy extract as tables.

* `import_bulk`: FDC's bulk CSV download (zip or folder; SR Legacy and Foundation rows), or
  the shipped flat extract, as our table (`planner foods import`).
* `sr_legacy_table`: all 7,793 SR Legacy foods from the shipped extract (`--foods sr-legacy`).

Rows are built by `fdc_rows.make_row`, as for foods fetched from the API, so a food reads
the same whichever way it came in.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from planner.errors import InputError
from planner.files import data_path
from planner.foods import FoodTable, parse_foods
from planner.sources.fdc_rows import (NUTRIENT_IDS, NUTRIENTS, PRIORITY, Portion, expected_unit, format_number,
                                      make_row, normal_unit, table_text)


# --------------------------------------------------------------------------- bulk CSV download

BULK_FILES = ("food.csv", "food_nutrient.csv", "nutrient.csv", "food_portion.csv", "food_category.csv",
              "measure_unit.csv")
BULK_DATA_TYPES = {"sr_legacy_food": "SR Legacy", "foundation_food": "Foundation"}


class _Bulk:
    """The CSV files of an FDC download, in a folder or a zip (possibly one folder deep)."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = None
        if path.is_file() and zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            names = [n for n in self.zip.namelist() if n.rsplit("/", 1)[-1] == "food.csv"]
            if not names:
                raise InputError("no food.csv in this zip (expected FDC's CSV download)", source=str(path))
            self.prefix = min(names, key=len)[: -len("food.csv")]
        elif path.is_dir():
            candidates = sorted(path.rglob("food.csv"), key=lambda p: len(p.parts))
            if not candidates:
                raise InputError("no food.csv in this folder (expected FDC's CSV download)", source=str(path))
            self.folder = candidates[0].parent
        else:
            raise InputError("expected FDC's CSV download: a .zip or its folder", source=str(path))

    def has(self, name: str) -> bool:
        if self.zip:
            return self.prefix + name in self.zip.namelist()
        return (self.folder / name).is_file()

    def open(self, name: str):
        if not self.has(name):
            raise InputError(f"no {name} in the download (need {', '.join(BULK_FILES[:3])})", source=str(self.path))
        if self.zip:
            return io.TextIOWrapper(self.zip.open(self.prefix + name), encoding="utf-8-sig", newline="")
        return (self.folder / name).open(encoding="utf-8-sig", newline="")

    def rows(self, name: str) -> Iterable[dict[str, str]]:
        with self.open(name) as handle:
            yield from csv.DictReader(handle)


@dataclass
class ImportResult:
    text: str
    foods: int
    kept_out: int
    source: str
    notes: list[str] = field(default_factory=list)


def _summary(rows: list[dict[str, str]], text: str, source: str, notes: list[str]) -> ImportResult:
    parse_foods(text, source=source)
    return ImportResult(text, len(rows), sum(r["role"] == "ingredient" for r in rows), source, notes)


def import_bulk(path: str | Path) -> ImportResult:
    """FDC's bulk CSV download (zip or folder), SR Legacy and Foundation rows, as our table.

    `food_nutrient.csv` (644,125 rows for SR Legacy) is streamed with the csv module,
    keeping only our 14 nutrient ids. Units are checked against `nutrient.csv`.
    A path to the shipped flat extract (`usda_sr_legacy_nutrients.csv`) or `sr-legacy`
    imports that instead.
    """
    if str(path) == "sr-legacy":
        return _summary_from_text(sr_legacy_text(), "sr-legacy")
    path = Path(path)
    if path.is_file() and not zipfile.is_zipfile(path):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        if "food_group" in header and "magnesium_mg" in header:
            portions = path.with_name(path.name.replace("nutrients", "portions"))
            return _summary_from_text(_extract_text(path, portions if portions != path else None), str(path))
    bulk = _Bulk(path)
    categories = {r["id"]: r["description"] for r in bulk.rows("food_category.csv")} \
        if bulk.has("food_category.csv") else {}
    units = {r["id"]: r["name"] for r in bulk.rows("measure_unit.csv")} if bulk.has("measure_unit.csv") else {}
    wanted_ids = {**{str(i): c for i, c in NUTRIENT_IDS.items()}, "2048": "energy_kcal", "2047": "energy_kcal"}
    priority = {str(k): v for k, v in PRIORITY.items()}
    notes: list[str] = []
    for r in bulk.rows("nutrient.csv"):
        if r.get("id") in wanted_ids:
            column = wanted_ids[r["id"]]
            if normal_unit(r.get("unit_name", "")) != expected_unit(column):
                notes.append(f"nutrient {r['id']} is in {r.get('unit_name')}, not {expected_unit(column)}: "
                             f"{column} left empty")
                del wanted_ids[r["id"]]
    foods: dict[str, dict[str, str]] = {}
    for r in bulk.rows("food.csv"):
        if r.get("data_type") in BULK_DATA_TYPES:
            foods[r["fdc_id"]] = r
    values: dict[str, dict[str, tuple[int, str]]] = {f: {} for f in foods}
    with bulk.open("food_nutrient.csv") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        try:
            i_food, i_nutrient, i_amount = (header.index(c) for c in ("fdc_id", "nutrient_id", "amount"))
        except ValueError:
            raise InputError("expected columns fdc_id, nutrient_id, amount", source=f"{path}: food_nutrient.csv") from None
        for record in reader:
            nutrient = record[i_nutrient]
            if nutrient in wanted_ids:
                food = values.get(record[i_food])
                amount = record[i_amount].strip()
                if food is None or not amount:
                    continue
                column, rank = wanted_ids[nutrient], priority[nutrient]
                if column not in food or rank < food[column][0]:
                    food[column] = (rank, amount)
    portions: dict[str, list[Portion]] = {}
    if bulk.has("food_portion.csv"):
        for r in bulk.rows("food_portion.csv"):
            if r["fdc_id"] not in foods:
                continue
            try:
                grams = float(r["gram_weight"])
                amount = float(r["amount"]) if (r.get("amount") or "").strip() else None
                seq = int(float(r["seq_num"])) if (r.get("seq_num") or "").strip() else 999
            except ValueError:
                continue
            portions.setdefault(r["fdc_id"], []).append(
                Portion(seq, amount, units.get(r.get("measure_unit_id", ""), ""), r.get("portion_description") or "",
                        r.get("modifier") or "", grams))
    rows = []
    for fdc_id, food in foods.items():
        kind = BULK_DATA_TYPES[food["data_type"]]
        date = food.get("publication_date", "")
        source = f"USDA FoodData Central {kind} fdc_id {fdc_id} (bulk CSV" + (f", published {date})" if date else ")")
        found = {c: format_number(float(v)) for c, (_, v) in values[fdc_id].items() if _is_number(v)}
        rows.append(make_row(fdc_id, food["description"].strip(), categories.get(food.get("food_category_id", ""), ""),
                             found, portions.get(fdc_id, []), source, portion_source="FDC portion"))
    if not rows:
        raise InputError("no SR Legacy or Foundation foods in food.csv (data_type sr_legacy_food or "
                         "foundation_food)", source=str(path))
    return _summary(rows, table_text(rows), str(path), notes)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text)) and float(text) >= 0
    except ValueError:
        return False


def _summary_from_text(text: str, source: str) -> ImportResult:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return _summary(rows, text, source, [])


def _extract_text(nutrients: Path, portions_path: Path | None) -> str:
    """Our table from the flat SR Legacy extract: nutrient cells verbatim, portions as servings."""
    portions: dict[str, list[Portion]] = {}
    if portions_path is not None and portions_path.is_file():
        with portions_path.open(encoding="utf-8-sig", newline="") as handle:
            for r in csv.DictReader(handle):
                portions.setdefault(r["fdc_id"], []).append(
                    Portion(int(r["seq_num"]), float(r["amount"]) if r["amount"] else None, r["measure_unit"],
                            r["portion_description"], r["modifier"], float(r["gram_weight"])))
    rows = []
    with nutrients.open(encoding="utf-8-sig", newline="") as handle:
        for r in csv.DictReader(handle):
            source = f"USDA FoodData Central SR Legacy fdc_id {r['fdc_id']}"
            source += " (SR28 values)" if r.get("values_from") == "SR28" else " (no values in SR28)"
            if (r.get("fdc_corrected") or "").strip():
                source += f"; corrected from FDC: {r['fdc_corrected'].strip()}"
            values = {c: r[c].strip() for c in NUTRIENTS if (r.get(c) or "").strip()}
            rows.append(make_row(r["fdc_id"], r["description"].strip(), r["food_group"], values,
                                 portions.get(r["fdc_id"], []), source, portion_source="USDA SR Legacy portion"))
    return table_text(rows)


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
