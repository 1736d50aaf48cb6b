#!/usr/bin/env python3
"""Build the FNDDS food tables: the shipped extract and the curated embedded table.

Two steps, each deterministic and written atomically (temp file + os.replace):

* `extract`: cut `planner/data/fndds/fndds_foods.csv` and `fndds_portions.csv` from the
  USDA files in the shared data directory (FNDDS 2017-2018, FPED 2017-2018, PP-NAP);
  every value is copied as the source string (see planner/data/fndds/README.md);
* `table` (the default): build `foods.csv` from `scripts/foods_spec.csv`
  and the shipped extract. The spec holds only curated choices (which food code, short
  name, slots, role, tags, aisle, optionally a serving portion and a package key);
  nutrients, food groups, servings and prices are derived (scripts/FOODS.md).

A bad spec row stops the build with exit status 1 and one line naming the row and field.

Usage: python scripts/build_foods.py [extract|table] [--shared DIR] [--spec FILE] [--out FILE]
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from planner.sources import fndds  # noqa: E402  the serving rule and the vocabularies are shared with --foods fndds

EXTRACT_DIR = REPO / "planner" / "data" / "fndds"
SPEC_COLUMNS = ("food_id", "food_code", "name", "slots", "role", "tags", "aisle", "serving_portion", "max_days",
                "same_as", "package_key", "purchase")
FOOD_ID = re.compile(r"^[a-z][a-z0-9_]*$")
POUND_G = Decimal("453.6")  # BLS states its pound as 453.6 gm
TENTH = Decimal("0.1")


class SpecError(Exception):
    """A spec row that cannot be built; the message names the field."""


def fail(message: str) -> None:
    print(f"build_foods.py: {message}", file=sys.stderr)
    sys.exit(1)


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[dict[str, str]]) -> None:
    """UTF-8, LF line ends, replaced atomically so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=path.parent,
                                         prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- extract

def read_usda_export(path: Path) -> list[dict[str, str]]:
    """An FNDDS "At A Glance" CSV: a title record first, then a header whose cells may hold line breaks."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)  # the title, two physical lines in one quoted cell
        header = [" ".join(cell.split()) for cell in next(reader)]
        return [dict(zip(header, row, strict=True)) for row in reader]


def read_fped(path: Path) -> dict[str, dict[str, str]]:
    """FPED per 100 g by food code; headers carry the unit ("F_TOTAL (cup eq.)"), keys drop it."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [cell.split(" (")[0].strip() for cell in next(reader)]
        return {row[0]: dict(zip(header, row, strict=True)) for row in reader}


def read_pp_nap(path: Path) -> dict[str, dict[str, str]]:
    """PP-NAP rows of the 2017/2018 cycle without a modified recipe, by food code (the file is cp1252)."""
    with path.open(newline="", encoding="cp1252") as handle:
        rows = [r for r in csv.DictReader(handle) if r["year"] == fndds.PRICE_YEAR and r["mod_code"] in ("0", "NA")]
    by_code: dict[str, dict[str, str]] = {}
    for row in rows:
        if row["food_code"] in by_code:
            fail(f"PP-NAP: two {fndds.PRICE_YEAR} prices for food code {row['food_code']}")
        by_code[row["food_code"]] = row
    return by_code


def cut_extract(shared: Path, out_dir: Path) -> None:
    base = shared / "fndds_2017_2018"
    foods = read_usda_export(base / "foods_and_beverages.csv")
    nutrients = {r["Food code"]: r for r in read_usda_export(base / "nutrient_values.csv")}
    fped = read_fped(base / "fped_2017_2018.csv")
    prices = read_pp_nap(shared / "prices" / "pp_national_average_prices.csv")
    rows = []
    for food in foods:
        code = food["Food code"]
        values, groups, price = nutrients[code], fped[code], prices.get(code)
        if values["Main food description"] != food["Main food description"]:
            fail(f"food code {code}: descriptions differ between the FNDDS files")
        row = {"food_code": code, "description": food["Main food description"],
               "wweia_code": food["WWEIA Category number"], "wweia_category": food["WWEIA Category description"]}
        row.update({column: values[header] for column, header in fndds.NUTRIENT_HEADERS.items()})
        row.update({column: groups[header] for column, header in fndds.FOOD_GROUP_HEADERS.items()})
        row["price_per_100g"] = price["price_100gm"] if price else ""
        row["price_method"] = price["method_description"] if price else ""
        rows.append(row)
    unpriced_codes = sorted(set(prices) - {r["food_code"] for r in rows})

    portions, dropped = [], {"brand": 0, "guideline": 0, "no weight": 0}
    for row in read_usda_export(base / "portions_and_weights.csv"):
        # Brand subcodes number their portions on their own and name one product, not the food.
        if row["Subcode"]:
            dropped["brand"] += 1
        elif row["Portion description"].startswith("Guideline amount"):
            dropped["guideline"] += 1
        elif float(row["Portion weight (g)"]) <= 0:
            dropped["no weight"] += 1
        else:
            portions.append({"food_code": row["Food code"], "seq": row["Seq num"],
                             "portion": row["Portion description"], "grams": row["Portion weight (g)"]})
    write_csv(out_dir / "fndds_foods.csv", fndds.EXTRACT_FOOD_COLUMNS, rows)
    write_csv(out_dir / "fndds_portions.csv", fndds.EXTRACT_PORTION_COLUMNS, portions)
    priced = sum(1 for r in rows if r["price_per_100g"])
    print(f"wrote {out_dir}: {len(rows)} foods ({priced} priced; PP-NAP codes not in FNDDS: "
          f"{', '.join(unpriced_codes) or 'none'}), {len(portions)} portions (dropped: "
          f"{dropped['brand']} brand subcode, {dropped['guideline']} guideline, {dropped['no weight']} weight <= 0)")


# --------------------------------------------------------------------------- curated table

def q1(value: Decimal) -> str:
    return format(value.quantize(TENTH, rounding=ROUND_HALF_UP).normalize(), "f")


def unit_grams(portions: tuple[fndds.Portion, ...], label: str, code: str) -> fndds.Portion:
    """The FNDDS portion with this exact label (the unit a purchase unit is converted with)."""
    for portion in portions:
        if portion.label == label:
            return portion
    raise SpecError(f"package_key: no FNDDS portion '{label}' of food code {code} to convert the unit with")


def load_prices(shared: Path) -> tuple[dict[tuple[str, str], dict[str, str]], dict[str, dict[str, str]]]:
    """The ERS and BLS rows by (item, form) and by series; only a spec with package keys needs them."""
    if not (shared / "prices").is_dir():
        raise SpecError(f"package_key: the price files are not at {shared / 'prices'} (give --shared DIR)")
    ers = {}
    with (shared / "prices" / "ers_fruit_vegetable_prices.csv").open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            ers[(row["item"], row["form"])] = row
    bls: dict[str, dict[str, str]] = {}
    with (shared / "prices" / "bls_average_prices.csv").open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            bls.setdefault(row["series_id"], row)
    return ers, bls


def package(key: str, code: str, portions: tuple[fndds.Portion, ...], prices: dict) -> dict[str, str]:
    """A purchase unit from the ERS or BLS price files, in grams of the food as eaten.

    Only the unit is taken (its price is for another year and form; the food's price is PP-NAP's).
    `prices` holds the shared directory and, once read, the ERS and BLS rows.
    """
    if "ers" not in prices:
        prices["ers"], prices["bls"] = load_prices(prices["shared"])
    ers, bls = prices["ers"], prices["bls"]
    if key.startswith("ers:"):
        item, _, form = key[4:].rpartition("|")
        row = ers.get((item, form))
        if row is None:
            raise SpecError(f"package_key: unknown ERS item|form '{key[4:]}'")
        unit = row["retail_price_unit"]
        if unit == "per pound":
            grams = POUND_G * Decimal(row["yield"])
            return {"package_g": q1(grams), "package_label": "1 lb (as purchased)",
                    "package_source": f"USDA ERS Fruit and Vegetable Prices {row['year']}: {item}, {form}, "
                                      f"{unit}; 453.6 g x yield {row['yield']} as eaten"}
        if unit == "per pint (16 fluid ounces ready to drink)":
            # FNDDS weighs juices by the fluid ounce; a pint is 16 of them.
            ounce = unit_grams(portions, "1 fl oz (no ice)", code)
            return {"package_g": q1(16 * Decimal(ounce.grams_text)), "package_label": "1 pint (16 fl oz)",
                    "package_source": f"USDA ERS Fruit and Vegetable Prices {row['year']}: {item}, {form}, {unit}; "
                                      f"pint = 16 x FNDDS '1 fl oz (no ice)' {ounce.grams_text} g"}
        raise SpecError(f"package_key: ERS unit '{unit}' is not supported")
    if key.startswith("bls:"):
        series = key[4:]
        row = bls.get(series)
        if row is None:
            raise SpecError(f"package_key: unknown BLS series '{series}'")
        unit, what = row["unit"], f"BLS average price series {series}: {row['item']}, {row['unit']}"
        if unit == "per lb. (453.6 gm)":
            return {"package_g": q1(POUND_G), "package_label": "1 lb", "package_source": what}
        if unit == "per 8 oz. (226.8 gm)":
            return {"package_g": "226.8", "package_label": "8 oz", "package_source": what}
        if unit == "per gal. (3.8 lit)":
            cup = unit_grams(portions, "1 cup", code)
            return {"package_g": q1(16 * Decimal(cup.grams_text)), "package_label": "1 gallon",
                    "package_source": f"{what}; gallon = 16 x FNDDS '1 cup' {cup.grams_text} g"}
        if unit == "per doz.":
            # FNDDS's "1 egg" of a cooked egg dish: one egg as eaten, with what it was cooked in.
            egg = unit_grams(portions, "1 egg", code)
            return {"package_g": q1(12 * Decimal(egg.grams_text)), "package_label": "1 dozen large eggs",
                    "package_source": f"{what}; dozen = 12 x FNDDS '1 egg' {egg.grams_text} g"}
        raise SpecError(f"package_key: BLS unit '{unit}' is not supported")
    raise SpecError(f"package_key: '{key}' must start with ers: or bls:")


def vocabulary(cell: str, allowed: tuple[str, ...], field: str, required: bool) -> str:
    items = [p for p in cell.strip().split("|")] if cell.strip() else []
    if required and not items:
        raise SpecError(f"{field}: empty")
    for item in items:
        if item not in allowed:
            raise SpecError(f"{field}: '{item}' not in {', '.join(allowed)}")
    if len(set(items)) != len(items):
        raise SpecError(f"{field}: repeated value")
    # canonical order, so the output does not depend on how the spec lists them
    return "|".join(a for a in allowed if a in items)


def build_row(spec: dict[str, str], foods: dict[str, dict[str, str]], portions, prices: dict) -> dict[str, str]:
    food_id = spec["food_id"].strip()
    if not FOOD_ID.match(food_id):
        raise SpecError(f"food_id: '{food_id}' is not a snake_case slug")
    name = spec["name"].strip()
    if not name:
        raise SpecError("name: empty")
    code = spec["food_code"].strip()
    food = foods.get(code)
    if food is None:
        raise SpecError(f"food_code: unknown FNDDS 2017-2018 food code '{code}'")
    if not food["price_per_100g"]:
        raise SpecError(f"food_code: {code} has no PP-NAP {fndds.PRICE_YEAR} price")
    row = dict.fromkeys(fndds.TABLE_COLUMNS, "")
    row.update(food_id=food_id, name=name, food_code=code, usda_description=food["description"],
               wweia_code=food["wweia_code"], wweia_category=food["wweia_category"])
    for column in fndds.NUTRIENTS + fndds.FOOD_GROUPS:
        row[column] = food[column]  # verbatim
    row.update(fndds.sources(code, food["price_method"]))
    row["price_per_100g"] = food["price_per_100g"]

    food_portions = portions.get(code, ())
    try:
        serving = fndds.serving_for(code, fndds.capped_groups(food), food_portions, spec["serving_portion"].strip())
    except ValueError as exc:
        raise SpecError(f"serving_portion: {exc}") from None
    if serving is None:
        raise SpecError(f"food_code: {code} has no FNDDS household portion that fits the serving rule")
    row.update(serving_g=serving.portion.grams_text, serving_label=serving.portion.label,
               usual_g=serving.usual.grams_text, max_servings=fndds.fmt(serving.max_servings),
               serving_source=serving.source)

    days = spec["max_days"].strip()
    if days and (not days.isdigit() or not 1 <= int(days) <= 7):
        raise SpecError(f"max_days: expected a whole number of days from 1 to 7, got '{days}'")
    row["max_days"] = days
    row["same_as"] = spec["same_as"].strip()
    row["slots"] = vocabulary(spec["slots"], fndds.SLOTS, "slots", required=True)
    role = spec["role"].strip()
    if role not in fndds.ROLES or role == "ingredient":
        raise SpecError(f"role: '{role}' not one of {', '.join(fndds.ROLES[:-1])}")
    row["role"] = role
    row["tags"] = vocabulary(spec["tags"], fndds.TAGS, "tags", required=False)
    tags = set(row["tags"].split("|")) - {""}
    if "vegan" in tags and "vegetarian" not in tags:
        raise SpecError("tags: vegan foods must also carry vegetarian")
    if "vegan" in tags and tags & {"dairy", "egg", "fish", "meat"}:
        raise SpecError("tags: vegan together with an animal tag")
    aisle = spec["aisle"].strip()
    if aisle not in fndds.AISLES:
        raise SpecError(f"aisle: '{aisle}' not in {', '.join(fndds.AISLES)}")
    row["aisle"] = aisle
    key = spec["package_key"].strip()
    if key:
        row.update(package(key, code, food_portions, prices))
    purchase = spec["purchase"].strip()
    if purchase and not key:
        raise SpecError("purchase: only a food with a package_key shares a purchase with others")
    row["purchase"] = purchase
    return row


def build_table(shared: Path, spec_path: Path, out: Path) -> None:
    with spec_path.open(newline="", encoding="utf-8-sig") as handle:
        text = handle.read()
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != SPEC_COLUMNS:
        fail(f"{spec_path.name}: header must be {','.join(SPEC_COLUMNS)}")
    foods = {r["food_code"]: r for r in fndds.extract_foods()}
    portions = fndds.extract_portions()
    prices: dict = {"shared": shared}
    rows, seen_ids, seen_codes = [], {}, {}
    for number, spec in enumerate(reader, start=2):
        where = f"{spec_path.name} line {number} ({(spec.get('food_id') or '?').strip()})"
        if None in spec or any(v is None for v in spec.values()):
            fail(f"{where}: wrong number of fields")
        try:
            row = build_row(spec, foods, portions, prices)
            if row["food_id"] in seen_ids:
                raise SpecError(f"food_id: duplicate of line {seen_ids[row['food_id']]}")
            if row["food_code"] in seen_codes:
                raise SpecError(f"food_code: duplicate of line {seen_codes[row['food_code']]}")
        except SpecError as exc:
            fail(f"{where}: {exc}")
        seen_ids[row["food_id"]] = number
        seen_codes[row["food_code"]] = number
        rows.append(row)
    # A food's other forms count its days with it: each names a food of the table that names none itself.
    same_as = {row["food_id"]: row["same_as"] for row in rows}
    for row in rows:
        other = row["same_as"]
        if other and (other not in same_as or other == row["food_id"] or same_as[other]):
            fail(f"{spec_path.name} line {seen_ids[row['food_id']]} ({row['food_id']}): same_as: expected the id "
                 f"of another food with no same_as of its own, got '{other}'")
    # Foods that share a purchase share its packages: one unit each, the same for all of them.
    units: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row["purchase"]:
            first = units.setdefault(row["purchase"], (row["food_id"], row["package_label"]))
            if first[1] != row["package_label"]:
                fail(f"{spec_path.name} ({row['food_id']}): purchase: '{row['purchase']}' is bought as "
                     f"'{first[1]}' for {first[0]}, not '{row['package_label']}'")
    write_csv(out, fndds.TABLE_COLUMNS, rows)
    packaged = sum(1 for r in rows if r["package_g"])
    print(f"wrote {out} ({len(rows)} foods, all priced, {packaged} with a package)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", nargs="?", choices=("extract", "table"), default="table")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data",
                        help="shared data directory (default: <repo>/../shared/data)")
    parser.add_argument("--spec", type=Path, default=REPO / "scripts" / "foods_spec.csv")
    parser.add_argument("--out", type=Path, default=None,
                        help="output: the extract directory or the table file (defaults: planner/data/fndds, "
                             "foods.csv)")
    args = parser.parse_args(argv)
    if args.step == "extract":
        if not args.shared.is_dir():
            fail(f"no shared data directory at {args.shared} (give --shared DIR)")
        cut_extract(args.shared, args.out or EXTRACT_DIR)
    else:
        build_table(args.shared, args.spec, args.out or REPO / "foods.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
