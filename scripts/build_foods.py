#!/usr/bin/env python3
"""Build foods.csv, the planner's embedded food table, from scripts/foods_spec.csv.

The spec holds only curated choices (which USDA SR Legacy food, which household
portion, slots, role, tags, aisle, price key). Everything else is derived here from
the shared data directory (default: <repo>/../shared/data):

* the 14 nutrient columns are copied verbatim (as strings) from
  usda_sr_legacy_nutrients.csv; empty stays empty;
* serving_g / serving_label come from usda_sr_legacy_portions.csv (seq_num x factor);
* prices come only from prices/ers_fruit_vegetable_prices.csv (2023) and
  prices/bls_average_prices.csv (mean of the 11 monthly 2023 values).

Stdlib only. Output is deterministic and written atomically (temp file + os.replace).
Any bad spec row stops the build with exit status 1 and one line naming the row and field.

Usage: python3 scripts/build_foods.py [--shared DIR] [--spec FILE] [--out FILE]
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

NUTRIENTS = (
    "energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "fiber_g", "magnesium_mg", "calcium_mg",
    "potassium_mg", "sodium_mg", "vitamin_d_mcg", "vitamin_b12_mcg", "thiamin_mg", "vitamin_b6_mg",
    "caffeine_mg",
)
OUT_COLUMNS = (
    ("food_id", "name", "fdc_id", "usda_description") + NUTRIENTS
    + ("nutrient_source", "serving_g", "serving_label", "serving_source", "slots", "role", "tags", "aisle",
       "max_servings", "package_g", "package_label", "package_price", "price_per_100g", "price_source",
       "price_date")
)
SPEC_COLUMNS = (
    "food_id", "name", "fdc_id", "portion_seq", "portion_factor", "serving_label_override",
    "serving_g_override", "slots", "role", "tags", "aisle", "max_servings", "price_key",
)
SLOTS = ("breakfast", "lunch", "dinner", "snack")
ROLES = ("protein", "starch", "vegetable", "fruit", "dairy", "drink", "fat", "snack", "ingredient")
TAGS = ("vegan", "vegetarian", "dairy", "egg", "fish", "meat", "nuts", "peanuts", "soy", "gluten", "fortified")
AISLES = (
    "produce", "dairy & eggs", "meat & seafood", "bakery", "grains & pasta", "canned & dry goods",
    "nuts & snacks", "frozen", "beverages", "oils & condiments", "breakfast & cereal",
)
FOOD_ID = re.compile(r"^[a-z][a-z0-9_]*$")
POUND_G = Decimal("453.6")
ERS_YEAR = "2023"
BLS_MONTHS = tuple(f"2023-{m:02d}" for m in range(1, 12))  # 2023-01 .. 2023-11
FOUR = Decimal("0.0001")
FRACTIONS = {Decimal("0.25"): "1/4", Decimal("0.5"): "1/2", Decimal("0.75"): "3/4"}


class SpecError(Exception):
    pass


def fail(message: str) -> None:
    print(f"build_foods.py: {message}", file=sys.stderr)
    sys.exit(1)


def dec(text: str) -> Decimal:
    return Decimal(text.strip())


def fmt(value: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros (453.6, 498, 14.175)."""
    text = format(value.normalize(), "f")
    return text


def q4(value: Decimal) -> str:
    return fmt(value.quantize(FOUR, rounding=ROUND_HALF_UP))


def read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
        raise  # unreachable


def load_shared(shared: Path):
    foods = {row["fdc_id"]: row for row in read_csv(shared / "usda_sr_legacy_nutrients.csv")}
    portions: dict[str, dict[str, dict[str, str]]] = {}
    for row in read_csv(shared / "usda_sr_legacy_portions.csv"):
        portions.setdefault(row["fdc_id"], {})[row["seq_num"]] = row
    ers = {}
    for row in read_csv(shared / "prices" / "ers_fruit_vegetable_prices.csv"):
        if row["year"] == ERS_YEAR:
            ers[(row["item"], row["form"])] = row
    bls: dict[str, list[dict[str, str]]] = {}
    for row in read_csv(shared / "prices" / "bls_average_prices.csv"):
        bls.setdefault(row["series_id"], []).append(row)
    return foods, portions, ers, bls


def portion_text(portion: dict[str, str]) -> str:
    amount = dec(portion["amount"])
    amount_text = FRACTIONS.get(amount, fmt(amount))
    words = ", ".join(p for p in (portion["portion_description"].strip(), portion["modifier"].strip()) if p)
    return f"{amount_text} {words}".strip()


def unit_portion_g(food_portions: dict[str, dict[str, str]], modifier: str) -> Decimal:
    """Gram weight of '1 <modifier>' (e.g. 1 cup, 1 large) among one food's USDA portions."""
    for seq in sorted(food_portions, key=int):
        portion = food_portions[seq]
        if dec(portion["amount"]) == 1 and portion["modifier"].strip().lower() == modifier:
            return dec(portion["gram_weight"])
    raise SpecError(f"price_key: no USDA portion '1 {modifier}' for this food to convert the price unit")


def price_ers(key: str, ers, food_portions) -> dict[str, str]:
    if "|" not in key:
        raise SpecError(f"price_key: '{key}' must be ers:<item>|<form>")
    item, form = key.rsplit("|", 1)
    row = ers.get((item, form))
    if row is None:
        raise SpecError(f"price_key: unknown ERS {ERS_YEAR} item|form '{key}'")
    retail, yld, unit = dec(row["retail_price"]), dec(row["yield"]), row["retail_price_unit"]
    if unit == "per pound":
        package_g, label, note = POUND_G, "1 lb (as purchased)", ""
    elif unit == "per pint (16 fluid ounces ready to drink)":
        cup = unit_portion_g(food_portions, "cup")
        package_g, label = 2 * cup, "1 pint (16 fl oz)"
        note = f"; pint = 2 x USDA cup {fmt(cup)} g"
    else:
        raise SpecError(f"price_key: ERS unit '{unit}' of '{key}' is not supported")
    return {
        "package_g": fmt(package_g),
        "package_label": label,
        "package_price": q4(retail),
        "price_per_100g": q4(retail / yld / package_g * 100),
        "price_source": f"USDA ERS Fruit and Vegetable Prices {ERS_YEAR}: {item}, {form} "
                        f"({unit}, yield {row['yield']}){note}",
        "price_date": ERS_YEAR,
    }


def price_bls(series: str, bls, food_portions) -> dict[str, str]:
    rows = bls.get(series)
    if rows is None:
        raise SpecError(f"price_key: unknown BLS series '{series}'")
    if any(r["note"].strip() for r in rows):
        raise SpecError(f"price_key: BLS series '{series}' is discontinued, not a 2023 price")
    by_month = {r["period"]: r for r in rows}
    if tuple(sorted(by_month)) != BLS_MONTHS:
        raise SpecError(f"price_key: BLS series '{series}' lacks the 11 months 2023-01..2023-11")
    mean = sum(dec(by_month[m]["price_usd"]) for m in BLS_MONTHS) / len(BLS_MONTHS)
    item, unit = rows[0]["item"], rows[0]["unit"]
    if unit == "per lb. (453.6 gm)":
        package_g, label, note = POUND_G, "1 lb", ""
    elif unit == "per 8 oz. (226.8 gm)":
        package_g, label, note = Decimal("226.8"), "8 oz", ""
    elif unit == "per gal. (3.8 lit)":
        cup = unit_portion_g(food_portions, "cup")
        package_g, label = 16 * cup, "1 gallon"
        note = f"; gallon = 16 x USDA cup {fmt(cup)} g"
    elif unit == "per doz.":
        egg = unit_portion_g(food_portions, "large")
        package_g, label = 12 * egg, "1 dozen large eggs"
        note = f"; dozen = 12 x USDA large egg {fmt(egg)} g"
    else:
        raise SpecError(f"price_key: BLS unit '{unit}' of '{series}' is not supported")
    return {
        "package_g": fmt(package_g),
        "package_label": label,
        "package_price": q4(mean),
        "price_per_100g": q4(mean / package_g * 100),
        "price_source": f"BLS average price {series}: {item}, {unit}, U.S. city average{note}",
        "price_date": "2023-01..2023-11 mean",
    }


def vocabulary(spec: dict[str, str], field: str, allowed: tuple[str, ...], required: bool) -> str:
    cell = spec[field].strip()
    items = [p for p in cell.split("|")] if cell else []
    if required and not items:
        raise SpecError(f"{field}: empty")
    for item in items:
        if item not in allowed:
            raise SpecError(f"{field}: '{item}' not in {', '.join(allowed)}")
    if len(set(items)) != len(items):
        raise SpecError(f"{field}: repeated value")
    # canonical order, so the output does not depend on how the spec lists them
    return "|".join(a for a in allowed if a in items)


def positive(text: str, field: str) -> Decimal:
    try:
        value = dec(text)
    except InvalidOperation:
        raise SpecError(f"{field}: '{text}' is not a number") from None
    if not value.is_finite() or value <= 0:
        raise SpecError(f"{field}: '{text}' must be a positive number")
    return value


def build_row(spec, foods, portions, ers, bls) -> dict[str, str]:
    food_id = spec["food_id"].strip()
    if not FOOD_ID.match(food_id):
        raise SpecError(f"food_id: '{food_id}' is not a snake_case slug")
    name = spec["name"].strip()
    if not name:
        raise SpecError("name: empty")
    fdc_id = spec["fdc_id"].strip()
    food = foods.get(fdc_id)
    if food is None:
        raise SpecError(f"fdc_id: unknown SR Legacy fdc_id '{fdc_id}'")
    if all(not food[n].strip() for n in NUTRIENTS) or food["values_from"] != "SR28":
        raise SpecError(f"fdc_id: {fdc_id} has no nutrient values in the extract")
    out = {"food_id": food_id, "name": name, "fdc_id": fdc_id, "usda_description": food["description"]}
    for column in NUTRIENTS:
        out[column] = food[column]  # verbatim string
    source = f"USDA FoodData Central SR Legacy fdc_id {fdc_id} (SR28 values)"
    if food["fdc_corrected"].strip():
        source += f"; corrected from FDC: {food['fdc_corrected'].strip()}"
    out["nutrient_source"] = source

    food_portions = portions.get(fdc_id, {})
    seq = spec["portion_seq"].strip()
    label_override = spec["serving_label_override"].strip()
    grams_override = spec["serving_g_override"].strip()
    if seq:
        portion = food_portions.get(seq)
        if portion is None:
            raise SpecError(f"portion_seq: no USDA portion seq {seq} for fdc_id {fdc_id}")
        if grams_override:
            raise SpecError("serving_g_override: only allowed when portion_seq is empty")
        factor = positive(spec["portion_factor"], "portion_factor") if spec["portion_factor"].strip() else Decimal(1)
        if factor != 1 and not label_override:
            raise SpecError("serving_label_override: required when portion_factor is not 1")
        out["serving_g"] = fmt(dec(portion["gram_weight"]) * factor)
        out["serving_label"] = label_override or portion_text(portion)
        out["serving_source"] = f"USDA SR Legacy portion seq {seq}" + (
            f" x {fmt(factor)}" if factor != 1 else "")
    else:
        if not grams_override or not label_override:
            raise SpecError("portion_seq: empty, so serving_g_override and serving_label_override are required")
        if spec["portion_factor"].strip():
            raise SpecError("portion_factor: only allowed with portion_seq")
        grams = positive(grams_override, "serving_g_override")
        out["serving_g"] = fmt(grams)
        out["serving_label"] = label_override
        out["serving_source"] = f"none in USDA; {fmt(grams)} g"

    out["slots"] = vocabulary(spec, "slots", SLOTS, required=True)
    role = spec["role"].strip()
    if role not in ROLES:
        raise SpecError(f"role: '{role}' not in {', '.join(ROLES)}")
    out["role"] = role
    out["tags"] = vocabulary(spec, "tags", TAGS, required=False)
    tags = set(out["tags"].split("|")) if out["tags"] else set()
    if "vegan" in tags and "vegetarian" not in tags:
        raise SpecError("tags: vegan foods must also carry vegetarian")
    if "vegan" in tags and tags & {"dairy", "egg", "fish", "meat"}:
        raise SpecError("tags: vegan together with an animal tag")
    aisle = spec["aisle"].strip()
    if aisle not in AISLES:
        raise SpecError(f"aisle: '{aisle}' not in {', '.join(AISLES)}")
    out["aisle"] = aisle
    max_servings = spec["max_servings"].strip()
    out["max_servings"] = fmt(positive(max_servings, "max_servings")) if max_servings else ""

    key = spec["price_key"].strip()
    empty_price = dict.fromkeys(("package_g", "package_label", "package_price", "price_per_100g",
                                 "price_source", "price_date"), "")
    if not key:
        out.update(empty_price)
    elif key.startswith("ers:"):
        out.update(price_ers(key[4:], ers, food_portions))
    elif key.startswith("bls:"):
        out.update(price_bls(key[4:], bls, food_portions))
    else:
        raise SpecError(f"price_key: '{key}' must start with ers: or bls:")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data",
                        help="shared data directory (default: <repo>/../shared/data)")
    parser.add_argument("--spec", type=Path, default=REPO / "scripts" / "foods_spec.csv")
    parser.add_argument("--out", type=Path, default=REPO / "foods.csv")
    args = parser.parse_args(argv)

    specs = read_csv(args.spec)
    with args.spec.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    if tuple(h.strip() for h in header) != SPEC_COLUMNS:
        fail(f"{args.spec.name}: header must be {','.join(SPEC_COLUMNS)}")
    foods, portions, ers, bls = load_shared(args.shared)

    rows, seen_ids, seen_fdc = [], {}, {}
    for number, spec in enumerate(specs, start=2):
        where = f"{args.spec.name} line {number} ({spec.get('food_id', '').strip() or '?'})"
        if None in spec or any(v is None for v in spec.values()):
            fail(f"{where}: wrong number of fields")
        try:
            row = build_row(spec, foods, portions, ers, bls)
            if row["food_id"] in seen_ids:
                raise SpecError(f"food_id: duplicate of line {seen_ids[row['food_id']]}")
            if row["fdc_id"] in seen_fdc:
                raise SpecError(f"fdc_id: duplicate of line {seen_fdc[row['fdc_id']]}")
        except SpecError as exc:
            fail(f"{where}: {exc}")
        seen_ids[row["food_id"]] = number
        seen_fdc[row["fdc_id"]] = number
        rows.append(row)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=args.out.parent,
                                         prefix=f".{args.out.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            writer = csv.DictWriter(handle, fieldnames=OUT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, args.out)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    priced = sum(1 for r in rows if r["price_per_100g"])
    print(f"wrote {args.out} ({len(rows)} foods, {priced} priced)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
