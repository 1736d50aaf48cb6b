"""Shared, generic fixtures. Nutrient values are always copied from the shipped SR Legacy extract."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import nutrients

ROOT = Path(__file__).resolve().parents[1]
EXTRACT = ROOT / "planner" / "data" / "usda_sr_legacy_nutrients.csv"
FOODS_CSV = ROOT / "foods.csv"
with EXTRACT.open(newline="", encoding="utf-8") as _handle:
    _HEADER = next(csv.reader(_handle))
# The registry's nutrients that the SR Legacy extract has a column for.
EXTRACT_NUTRIENTS = tuple(c for c in nutrients.columns() if c in _HEADER)


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory):
    """Built tables are kept in a cache of the test run's own, never the user's (the installed command
    run in a subprocess inherits it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def _extract_rows() -> dict[str, dict[str, str]]:
    with EXTRACT.open(newline="", encoding="utf-8") as handle:
        return {row["fdc_id"]: row for row in csv.DictReader(handle)}


_EXTRACT_CACHE: dict[str, dict[str, str]] = {}


def extract_row(fdc_id: int | str) -> dict[str, str]:
    """One row of the shipped extract, as strings (empty = missing)."""
    if not _EXTRACT_CACHE:
        _EXTRACT_CACHE.update(_extract_rows())
    return _EXTRACT_CACHE[str(fdc_id)]


def write_foods_csv(path: Path, foods: list[dict], nutrients: tuple[str, ...] = EXTRACT_NUTRIENTS,
                    extra_columns: tuple[str, ...] = ()) -> Path:
    """Write a small food table.

    Each entry of `foods` is a dict with `fdc_id` and optionally `food_id`, `name` and any
    other column (slots, role, tags, price_per_100g ...); nutrient values are copied
    verbatim from the extract unless the entry overrides them (for broken-input tests).
    """
    columns = ["food_id", "name", "fdc_id", *nutrients]
    for food in foods:
        for key in food:
            if key not in columns:
                columns.append(key)
    for key in extra_columns:
        if key not in columns:
            columns.append(key)
    rows = []
    for food in foods:
        source = extract_row(food["fdc_id"])
        row = {"food_id": food.get("food_id", f"fdc_{food['fdc_id']}"),
               "name": food.get("name", source["description"]), "fdc_id": str(food["fdc_id"])}
        row.update({n: source[n] for n in nutrients})
        row.update({k: v for k, v in food.items() if k not in ("food_id", "name", "fdc_id")})
        rows.append(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


# fdc_ids in the shipped extract: raw spinach, almonds, cooked lentils, banana, raw egg, cooked salmon.
TINY_FDC_IDS = (168462, 170567, 172421, 173944, 171287, 175168)


@pytest.fixture
def tiny_foods_csv(tmp_path):
    """A builder: `tiny_foods_csv(foods=None, name="foods.csv", **kwargs)` -> path of a valid small table.

    `foods` defaults to a few rows of the extract by fdc_id; see `write_foods_csv`.
    """

    def build(foods: list[dict] | None = None, name: str = "foods.csv", **kwargs) -> Path:
        if foods is None:
            foods = [{"fdc_id": f} for f in TINY_FDC_IDS]
        return write_foods_csv(tmp_path / name, foods, **kwargs)

    return build


def make_runner() -> CliRunner:
    """A Click test runner that keeps stderr apart from stdout."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart by default
        return CliRunner()


@pytest.fixture
def runner():
    return make_runner()


@pytest.fixture
def httpserver():
    """A real HTTP server of this test's own (threaded): no test sees another's requests, and an answer a
    slow handler still owes when the test ends dies with the server, not in the next test."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def held():
    """An event a slow handler waits on: the server answers only when the test ends (or never, for the test)."""
    import threading

    event = threading.Event()
    yield event
    event.set()
