"""Derive planner/data/nutrient_limits.csv from the shipped SR Legacy extract.

A food table value above twice the highest value any of the 7,793 SR Legacy
foods has (per 100 g) is refused as implausible: it is almost surely a typo or
a unit mix-up (mg typed as mcg). Run: python scripts/nutrient_limits.py
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRACT = ROOT / "planner" / "data" / "usda_sr_legacy_nutrients.csv"
OUT = ROOT / "planner" / "data" / "nutrient_limits.csv"
NUTRIENTS = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "fiber_g", "magnesium_mg", "calcium_mg",
             "potassium_mg", "sodium_mg", "vitamin_d_mcg", "vitamin_b12_mcg", "thiamin_mg", "vitamin_b6_mg",
             "caffeine_mg")
FACTOR = 2.0


def derive() -> list[dict[str, str]]:
    with EXTRACT.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for nutrient in NUTRIENTS:
        value, food = max((float(r[nutrient]), r["description"]) for r in rows if r[nutrient])
        # Energy and gram nutrients cannot exceed what 100 g can physically hold.
        cap = 900.0 if nutrient == "energy_kcal" else 100.0 if nutrient.endswith("_g") else float("inf")
        out.append({"nutrient": nutrient, "sr_legacy_max": f"{value:g}", "sr_legacy_max_food": food,
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
