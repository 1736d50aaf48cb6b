"""Where food tables come from: the embedded table, a user's CSV, all of SR Legacy, FoodData Central.

`load_foods(spec)` is the one entry point: `None` gives the embedded table, `"sr-legacy"`
all of USDA SR Legacy and `"fndds"` all of FNDDS 2017-2018 (each built from its shipped
extract once, then kept in the user's cache: `cache`; the embedded table too, under a hash of its
text), anything else a CSV file. The modules here load only when asked for.
"""

from __future__ import annotations

from pathlib import Path

from planner.files import read_user_text
from planner.foods import FoodTable, default_foods_path, parse_foods

SR_LEGACY = "sr-legacy"
FNDDS = "fndds"
BUILT_IN = (SR_LEGACY, FNDDS)


def table_reference(spec: str | Path | None) -> str | None:
    """How a plan names its food table so that `check`, `shop` and `explain` find it from any folder: a built-in's
    name, a file's absolute path (a relative one is as typed only from where it was typed)."""
    if spec is None or str(spec) in BUILT_IN or not Path(spec).is_file():
        return None if spec is None else str(spec)
    return str(Path(spec).resolve())


def load_foods(spec: str | Path | None = None) -> FoodTable:
    """Read and validate a food table: `None` the embedded one, `"sr-legacy"` or `"fndds"` all of that USDA
    database, else a CSV path.

    >>> foods = load_foods()
    >>> foods.data.loc["spinach_raw", "magnesium_mg"]  # doctest: +SKIP
    79.0
    """
    if spec is None:
        from planner.sources.cache import cached_table, text_hash

        # Validating even this small table costs 50 to 90 ms a command; hashing the package and reading it back, 20.
        path = default_foods_path()
        text = read_user_text(path)
        return cached_table("embedded", lambda: parse_foods(text, source=str(path)), key=text_hash(str(path), text))
    if str(spec) == SR_LEGACY:
        from planner.sources.cache import cached_table
        from planner.sources.fdc_bulk import sr_legacy_table

        return cached_table(SR_LEGACY, sr_legacy_table)
    if str(spec) == FNDDS:
        from planner.sources.cache import cached_table
        from planner.sources.fndds import fndds_table_text

        return cached_table(FNDDS, lambda: parse_foods(fndds_table_text(), source=FNDDS))
    return parse_foods(read_user_text(spec, "foods"), source=str(spec))
