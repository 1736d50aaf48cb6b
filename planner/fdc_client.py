"""The FoodData Central API client and the online commands `planner foods add|enrich|search`.

The only module that imports `requests`/`requests_cache`, and only when a client is made
(cli.py imports this module inside the commands that need it, so `planner --help` stays fast):

* `FdcClient`: `GET /v1/food/{id}`, `POST /v1/foods` (20 ids a call), `GET /v1/foods/search`;
  the key travels in the `X-Api-Key` header (never in a URL, a cache key or a message);
  retries 429/5xx/timeouts with exponential backoff; answers are cached on disk.
* `search_page`: a search answer as a table of foods and their targeted nutrients.
* `api_row`: a food the API answered as a row of our table (built by `fdc_foods.make_row`).
* `add_foods`, `enrich_table`, `write_enriched`: append foods by id, refresh foods with an
  `fdc_id`; a table is replaced atomically, never the embedded one (`check_writable`).
"""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pandas as pd

from planner.errors import FdcError, InputError
from planner.fdc_foods import FOOD_COLUMNS, NUTRIENTS, TARGETED, Portion, _table_text, food_values, make_row
from planner.foods import _data_path, default_foods_path, parse_foods, read_text

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.nal.usda.gov/fdc"
DEMO_KEY = "DEMO_KEY"
DEMO_KEY_WARNING = ("DEMO_KEY allows only 30 requests an hour and 50 a day per IP address; "
                    "get a free key at https://fdc.nal.usda.gov/api-key-signup")
BATCH_SIZE = 20  # POST /v1/foods takes 1-20 ids
LOW_REMAINING = 10  # warn when X-RateLimit-Remaining drops below this


# --------------------------------------------------------------------------- the HTTP client

class FdcNotFound(FdcError):
    """FoodData Central knows no food with this id."""


def default_cache_dir() -> Path:
    return Path(os.environ.get("PLANNER_CACHE_DIR") or Path.home() / ".cache" / "planner")


def _json_ok(response) -> bool:
    try:
        response.json()
        return True
    except ValueError:
        return False


class FdcClient:
    """A small FoodData Central client: header auth, bounded retries, an on-disk cache.

    `backoff` is the first retry delay in seconds (doubling each try); tests set it tiny.
    `warn` receives warnings (low rate limit, DEMO_KEY); by default they are logged.
    """

    def __init__(self, api_key: str | None, base_url: str | None = None, *, cache_dir: str | Path | None = None,
                 use_cache: bool = True, timeout: float = 15.0, tries: int = 4, backoff: float = 0.5,
                 warn: Callable[[str], None] | None = None, max_retry_after: float = 60.0):
        import requests

        self._requests = requests
        if not api_key or not api_key.strip():
            raise FdcError("no FoodData Central API key: pass --api-key or set FDC_API_KEY (a free key: "
                           "https://fdc.nal.usda.gov/api-key-signup; DEMO_KEY works for a few requests)")
        self._key = api_key.strip()
        self.base_url = (base_url or os.environ.get("FDC_API_URL") or DEFAULT_API_URL).rstrip("/")
        if not re.match(r"^https?://", self.base_url):
            raise InputError("--api-url", f"expected an http(s) URL, got '{self._scrub(self.base_url)}'")
        self.timeout, self.tries, self.backoff = float(timeout), max(1, int(tries)), float(backoff)
        self.max_retry_after = max_retry_after
        self.warn = warn or log.warning
        self.requests_made = 0
        self._warned_low = False
        if self._key == DEMO_KEY:
            self.warn(DEMO_KEY_WARNING)
        if use_cache:
            import requests_cache

            folder = Path(cache_dir) if cache_dir else default_cache_dir()
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(str(folder), f"cannot create the cache folder ({exc.strerror})") from None
            self.cache_path = folder / "fdc_http_cache.sqlite"
            self.session = requests_cache.CachedSession(
                str(self.cache_path), backend="sqlite", expire_after=timedelta(days=30),
                allowable_methods=("GET", "POST"), allowable_codes=(200,),
                ignored_parameters=["api_key", "X-Api-Key"], match_headers=False, filter_fn=_json_ok)
        else:
            self.cache_path = None
            self.session = requests.Session()
        self.session.headers["X-Api-Key"] = self._key
        self.session.headers["Accept"] = "application/json"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> FdcClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _scrub(self, text: str) -> str:
        text = re.sub(r"(api_key=)[^&\s]+", r"\1***", str(text), flags=re.IGNORECASE)
        return text.replace(self._key, "***") if getattr(self, "_key", "") else text

    def _error(self, message: str, cls: type[FdcError] = FdcError) -> FdcError:
        return cls(self._scrub(message))

    def _request(self, method: str, path: str, *, params=None, json_body=None):
        """One call with retries on 429, 5xx, timeouts and dropped connections."""
        requests = self._requests
        label = f"{method} {path}"
        last = ""
        for attempt in range(self.tries):
            if attempt:
                delay = self.backoff * 2 ** (attempt - 1)
                time.sleep(delay)
            try:
                response = self.session.request(method, self.base_url + path, params=params, json=json_body,
                                                timeout=self.timeout)
            except requests.Timeout:
                last = f"no answer within {self.timeout:g} s"
                continue
            except requests.ConnectionError:
                last = f"cannot connect to {self.base_url}"
                continue
            except requests.RequestException as exc:
                raise self._error(f"FoodData Central {label}: {exc.__class__.__name__}") from None
            if not getattr(response, "from_cache", False):
                self.requests_made += 1
                self._check_remaining(response)
            status = response.status_code
            if status == 429 or status >= 500:
                last = f"HTTP {status}" + (" (rate limit exceeded)" if status == 429 else "")
                retry_after = response.headers.get("Retry-After", "")
                if status == 429 and retry_after.strip().isdigit() and float(retry_after) > self.max_retry_after:
                    raise self._error(f"FoodData Central {label}: rate limit exceeded; it asks to wait "
                                      f"{int(retry_after)} s (DEMO_KEY: 30 requests an hour)")
                continue
            return response
        raise self._error(f"FoodData Central {label}: {last} (gave up after {self.tries} tries)")

    def _check_remaining(self, response) -> None:
        remaining = response.headers.get("X-RateLimit-Remaining", "").strip()
        if remaining.isdigit() and int(remaining) < LOW_REMAINING and not self._warned_low:
            self._warned_low = True
            self.warn(f"FoodData Central rate limit nearly used up: {remaining} requests left this hour")

    def _json(self, response, label: str):
        status = response.status_code
        if status == 403:
            code = ""
            try:
                code = str(response.json().get("error", {}).get("code", ""))
            except (ValueError, AttributeError):
                pass
            raise self._error(f"FoodData Central refused the API key ({code or 'HTTP 403'}) for {label}: "
                              "check --api-key or FDC_API_KEY")
        if status == 404:
            raise self._error(f"FoodData Central {label}: not found (HTTP 404)", FdcNotFound)
        if status >= 400:
            raise self._error(f"FoodData Central {label}: HTTP {status} {response.reason or ''}".rstrip())
        try:
            return response.json()
        except ValueError:
            snippet = response.text[:40].replace("\n", " ")
            raise self._error(f"FoodData Central {label}: the answer is not valid JSON "
                              f"({len(response.content)} bytes, starting {snippet!r})") from None

    def get_food(self, fdc_id: int) -> dict:
        """One food, full format; abridged when full answers 404 (some Foundation foods do)."""
        path = f"/v1/food/{int(fdc_id)}"
        try:
            food = self._json(self._request("GET", path, params={"format": "full"}), f"GET {path}")
        except FdcNotFound:
            food = self._json(self._request("GET", path, params={"format": "abridged"}),
                              f"GET {path}?format=abridged")
        if not isinstance(food, dict) or "fdcId" not in food:
            raise self._error(f"FoodData Central GET {path}: the answer is not a food object")
        return food

    def get_foods(self, fdc_ids: Iterable[int], progress: Callable[[int, int], None] | None = None
                  ) -> tuple[dict[int, dict], list[int]]:
        """Many foods, 20 per `POST /v1/foods`; ids missing from a batch answer are asked one by
        one (full, then abridged). Returns the foods by id and the ids FDC does not know."""
        ids = list(dict.fromkeys(int(i) for i in fdc_ids))
        found: dict[int, dict] = {}
        missing: list[int] = []
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start:start + BATCH_SIZE]
            try:
                answer = self._json(self._request("POST", "/v1/foods", json_body={"fdcIds": batch, "format": "full"}),
                                    "POST /v1/foods")
            except FdcNotFound:
                answer = []
            if not isinstance(answer, list):
                raise self._error("FoodData Central POST /v1/foods: expected a list of foods, got "
                                  f"{type(answer).__name__}")
            for food in answer:
                if isinstance(food, dict) and str(food.get("fdcId", "")).isdigit():
                    found[int(food["fdcId"])] = food
            for fdc_id in batch:
                if fdc_id not in found:
                    try:
                        found[fdc_id] = self.get_food(fdc_id)
                    except FdcNotFound:
                        missing.append(fdc_id)
            if progress:
                progress(len(batch), len(ids))
        return found, missing

    def search(self, query: str, data_types: Iterable[str] = ("Foundation", "SR Legacy"), page: int = 1,
               page_size: int = 25) -> SearchPage:
        if not query.strip():
            raise InputError("QUERY", "expected words to search for")
        if not 1 <= page_size <= 200:
            raise InputError("--page-size", f"expected 1-200, got {page_size}")
        if page < 1:
            raise InputError("--page", f"expected a page number >= 1, got {page}")
        types = [normalise_data_type(t) for t in data_types]
        params = {"query": query, "pageNumber": page, "pageSize": page_size}
        if types:
            params["dataType"] = ",".join(types)
        answer = self._json(self._request("GET", "/v1/foods/search", params=params), "GET /v1/foods/search")
        if not isinstance(answer, dict) or not isinstance(answer.get("foods", []), list):
            raise self._error("FoodData Central GET /v1/foods/search: the answer has no list of foods")
        return search_page(answer, page, page_size)


DATA_TYPES = ("Foundation", "SR Legacy", "Survey (FNDDS)", "Branded")


def normalise_data_type(text: str) -> str:
    key = re.sub(r"[^a-z]", "", text.lower())
    aliases = {"foundation": "Foundation", "srlegacy": "SR Legacy", "sr": "SR Legacy", "legacy": "SR Legacy",
               "surveyfndds": "Survey (FNDDS)", "survey": "Survey (FNDDS)", "fndds": "Survey (FNDDS)",
               "branded": "Branded"}
    if key not in aliases:
        raise InputError("--data-type", f"unknown data type '{text}' (expected some of: {', '.join(DATA_TYPES)})")
    return aliases[key]


@dataclass(frozen=True)
class SearchPage:
    foods: pd.DataFrame  # fdc_id, description, data_type, category + the five targeted nutrients
    page: int
    total_pages: int
    total_hits: int

    def summary(self) -> str:
        return f"page {self.page} of {self.total_pages}, {self.total_hits:,} hits"


def search_page(answer: dict, page: int = 1, page_size: int = 25) -> SearchPage:
    """A search answer (2019 shape without nutrients, or today's with them) as a table."""
    rows = []
    for food in answer.get("foods") or []:
        if not isinstance(food, dict):
            continue
        values, _ = food_values(food)
        category = food.get("foodCategory") or ""
        if isinstance(category, dict):
            category = category.get("description", "")
        row = {"fdc_id": food.get("fdcId"), "description": food.get("description", ""),
               "data_type": food.get("dataType", ""), "category": str(category)}
        for column in TARGETED:
            row[column] = float(values[column]) if column in values else float("nan")
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["fdc_id", "description", "data_type", "category", *TARGETED])
    hits = int(answer.get("totalHits") or len(rows))
    pages = answer.get("totalPages")
    pages = int(pages) if isinstance(pages, int) or str(pages).isdigit() else max(1, math.ceil(hits / page_size))
    return SearchPage(frame, int(answer.get("currentPage") or page), pages, hits)


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
        raise InputError("--foods", "give the table to write with --foods PATH (the embedded table is not edited)")
    if str(path) == "sr-legacy":
        raise InputError("--foods", "'sr-legacy' is built in and cannot be written; give a CSV path")
    target = Path(path).expanduser().resolve()
    embedded = default_foods_path().resolve()
    package_data = Path(_data_path("foods.csv")).resolve().parent
    if target == embedded or target.parent == package_data:
        raise InputError(str(path), "this is the planner's embedded table; copy it and give the copy with --foods")
    return target


def _read_table(path: Path) -> tuple[str, list[str], list[dict[str, str]], str]:
    text = read_text(path)
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


def add_foods(client: FdcClient, fdc_ids: Iterable[int], foods_path: str | Path,
              progress: Callable[[int, int], None] | None = None) -> AddResult:
    """Fetch foods by FDC id and append them to a table (created with our header if absent).

    Rows get `food_id` `fdc_<id>`, nutrients, the household serving and guessed
    slots/role/tags (the guess is stated in `serving_source`). Ids FDC does not know
    are reported in `missing`; the rest is added. The file is replaced atomically and only
    after the new table passes the planner's own checks.
    """
    from planner.report import write_atomic

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
        if created:
            text = _table_text(new_rows)
        else:
            if text and not text.endswith("\n"):
                text += newline
            text += _table_text(new_rows, tuple(header), newline, header=False)
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

    @property
    def changed_foods(self) -> int:
        return self.changes["food_id"].nunique() if not self.changes.empty else 0


def _same(old: str, new: str) -> bool:
    try:
        return math.isclose(float(old), float(new), rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return old.strip() == new.strip()


def enrich_table(client: FdcClient, foods_path: str | Path,
                 progress: Callable[[int, int], None] | None = None) -> EnrichResult:
    """Refresh every food with an `fdc_id` from the API; return the diff and the new table text.

    Refreshed: the 14 nutrient columns the table has, `usda_description`, and
    `nutrient_source` of foods whose values changed. A value FDC does not send is kept
    (an abridged answer lacks many), never blanked. Nothing is written here: `write_enriched`
    does that, so a failure half way leaves the table as it was.
    """
    path = Path(foods_path)
    text, header, rows, newline = _read_table(path)
    by_id: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        cell = (row.get("fdc_id") or "").strip()
        if cell:
            try:
                by_id.setdefault(int(float(cell)), []).append(row)
            except ValueError:
                raise InputError(str(path), f"fdc_id '{cell}' is not a number", field="fdc_id") from None
    found, missing = client.get_foods(list(by_id), progress)
    changes, notes = [], []
    columns = [c for c in NUTRIENTS if c in header]
    for fdc_id, food in found.items():
        values, value_notes = food_values(food)
        description = str(food.get("description", "")).strip()
        for row in by_id[fdc_id]:
            food_id = row["food_id"]
            notes += [f"{food_id}: {n}" for n in value_notes]
            changed = False
            for column in columns:
                new = values.get(column)
                old = (row.get(column) or "").strip()
                if new is not None and not (old and _same(old, new)):
                    changes.append({"food_id": food_id, "column": column, "old": old, "new": new})
                    row[column] = new
                    changed = True
            updates = []
            if "usda_description" in header and description and row.get("usda_description", "").strip() != description:
                updates.append(("usda_description", description))
            if changed and "nutrient_source" in header:
                updates.append(("nutrient_source", _api_source(food)))
            for column, new in updates:
                changes.append({"food_id": food_id, "column": column, "old": row.get(column, ""), "new": new})
                row[column] = new
    for fdc_id in missing:
        for row in by_id[fdc_id]:
            notes.append(f"{row['food_id']}: FoodData Central knows no fdc_id {fdc_id}; left as it was")
    new_text = _table_text(rows, tuple(header), newline) if changes else text
    if changes:
        parse_foods(new_text, source=f"{path} (refreshed)")
    frame = pd.DataFrame(changes, columns=["food_id", "column", "old", "new"])
    return EnrichResult(frame, new_text, sum(len(v) for v in by_id.values()),
                        [f"{by_id[i][0]['food_id']} ({i})" for i in missing], notes)


def write_enriched(result: EnrichResult, foods_path: str | Path) -> None:
    from planner.report import write_atomic

    write_atomic(check_writable(foods_path), result.text)
