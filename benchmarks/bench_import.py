"""Time the offline food tables: all of SR Legacy from the shipped extract, and a bulk FDC download.

The bulk folder is written from the shipped extract in FDC's CSV layout (food,
nutrient, food_nutrient, food_portion, food_category, measure_unit): the 7,793 real
SR Legacy foods with their values, and food_nutrient padded with nutrients we do not
read up to the 644,125 rows of the real download, so the import streams as much as
it would. Not part of the test run. Usage: python benchmarks/bench_import.py
"""

from __future__ import annotations

import csv
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.sources import fdc_bulk  # noqa: E402
from planner.sources.fdc_rows import NUTRIENT_IDS  # noqa: E402

REAL_FOOD_NUTRIENT_ROWS = 644_125
OTHER_NUTRIENTS = (1051, 1062, 1089, 1095, 1101, 1103, 1162, 1165)  # water, energy kJ, iron, zinc ... not read


def write_bulk(folder: Path) -> int:
    extract = list(csv.DictReader((ROOT / "planner/data/usda_sr_legacy_nutrients.csv").open(encoding="utf-8")))
    portions = list(csv.DictReader((ROOT / "planner/data/usda_sr_legacy_portions.csv").open(encoding="utf-8")))
    groups = {g: k for k, g in enumerate(sorted({r["food_group"] for r in extract}), start=1)}
    units = {u: k for k, u in enumerate(sorted({p["measure_unit"] for p in portions}), start=1000)}

    def write(name, header, rows):
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    write("food.csv", ["fdc_id", "data_type", "description", "food_category_id", "publication_date"],
          ([r["fdc_id"], "sr_legacy_food", r["description"], groups[r["food_group"]], "2019-04-01"] for r in extract))
    write("food_category.csv", ["id", "code", "description"], ([k, f"{k:02d}00", g] for g, k in groups.items()))
    write("measure_unit.csv", ["id", "name"], ([k, u] for u, k in units.items()))
    write("food_portion.csv", ["id", "fdc_id", "seq_num", "amount", "measure_unit_id", "portion_description",
                               "modifier", "gram_weight"],
          ([k, p["fdc_id"], p["seq_num"], p["amount"], units[p["measure_unit"]], p["portion_description"],
            p["modifier"], p["gram_weight"]] for k, p in enumerate(portions, start=1)))
    unit_of = {"energy_kcal": "KCAL", "vitamin_d_mcg": "UG", "vitamin_b12_mcg": "UG"}
    write("nutrient.csv", ["id", "name", "unit_name", "nutrient_nbr"],
          [[i, c, unit_of.get(c, "G" if c.endswith("_g") else "MG"), ""] for i, c in NUTRIENT_IDS.items()]
          + [[i, f"other {i}", "G", ""] for i in OTHER_NUTRIENTS])
    rows = [(r["fdc_id"], i, r[c]) for r in extract for i, c in NUTRIENT_IDS.items() if r.get(c)]
    padding = REAL_FOOD_NUTRIENT_ROWS - len(rows)
    rows += [(extract[k % len(extract)]["fdc_id"], OTHER_NUTRIENTS[k % len(OTHER_NUTRIENTS)], "1")
             for k in range(padding)]
    write("food_nutrient.csv", ["id", "fdc_id", "nutrient_id", "amount", "data_points", "derivation_id", "min",
                                "max", "median", "footnote", "min_year_acquired"],
          ([k, f, n, a, "", "", "", "", "", "", ""] for k, (f, n, a) in enumerate(rows, start=1)))
    return len(rows)


def main() -> int:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    started = time.perf_counter()
    table = fdc_bulk.sr_legacy_table()
    print(f"sr_legacy_table() from the shipped extract: {len(table):,} foods in {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "FoodData_Central_sr_legacy_food_csv"
        folder.mkdir()
        rows = write_bulk(folder)
        started = time.perf_counter()
        result = fdc_bulk.import_bulk(folder)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"import_bulk(): {rows:,} food_nutrient rows, {result.foods:,} foods ({result.kept_out:,} kept out) "
          f"in {seconds:.2f} s; peak memory of this process {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
