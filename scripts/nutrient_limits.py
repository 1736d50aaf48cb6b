"""Derive planner/data/nutrient_limits.csv from the shipped SR Legacy and FNDDS extracts.

A food table value above twice the highest value any of the 7,793 SR Legacy or
7,083 FNDDS foods has (per 100 g) is refused as implausible: it is almost surely a
typo or a unit mix-up (mg typed as mcg). Run: python scripts/nutrient_limits.py
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRACTS = (ROOT / "planner" / "data" / "usda_sr_legacy_nutrients.csv",
            ROOT / "planner" / "data" / "fndds" / "fndds_foods.csv")
OUT = ROOT / "planner" / "data" / "nutrient_limits.csv"
REGISTRY = ROOT / "planner" / "data" / "nutrients.csv"
FACTOR = 2.0


def derive() -> list[dict[str, str]]:
    """One row per registry nutrient the extract has a column for (the rest get the physical limit)."""
    with REGISTRY.open(newline="", encoding="utf-8") as handle:
        registry = [row["column"] for row in csv.DictReader(handle)]
    rows: list[dict[str, str]] = []
    header: set[str] = set()
    for extract in EXTRACTS:
        with extract.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows += list(reader)
            header |= set(reader.fieldnames or [])
    out = []
    for nutrient in (c for c in registry if c in header):
        value, food = max((float(r[nutrient]), r["description"]) for r in rows if r.get(nutrient))
        # Energy and gram nutrients cannot exceed what 100 g can physically hold.
        cap = 900.0 if nutrient == "energy_kcal" else 100.0 if nutrient.endswith("_g") else float("inf")
        out.append({"nutrient": nutrient, "usda_max": f"{value:g}", "usda_max_food": food,
                    "plausible_max": f"{min(value * FACTOR, max(cap, value)):g}"})
    return out


def main() -> int:
    rows = derive()
    tmp = OUT.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, OUT)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(rows)} nutrients)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
