"""The FoodData Central API client: the only module that imports `requests`/`requests_cache`.

Imported only when a client is made, so `planner --help` stays fast:

* `FdcClient`: `GET /v1/food/{id}`, `POST /v1/foods` (20 ids a call), `GET /v1/foods/search`;
  the key travels in the `X-Api-Key` header (never in a URL, a cache key or a message);
  retries 429/5xx/timeouts with exponential backoff; answers are cached on disk.
* `search_page`: a search answer as a table of foods and their targeted nutrients.

Putting what the API answers into a food table is `fdc_tables`.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pandas as pd

from planner.errors import FdcError, InputError
from planner.sources.fdc_rows import TARGETED, food_values

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.nal.usda.gov/fdc"
DEMO_KEY = "DEMO_KEY"
DEMO_KEY_WARNING = ("DEMO_KEY allows only 30 requests an hour and 50 a day per IP address; "
                    "get a free key at https://fdc.nal.usda.gov/api-key-signup")
BATCH_SIZE = 20  # POST /v1/foods takes 1-20 ids
LOW_REMAINING = 10  # warn when X-RateLimit-Remaining drops below this
SOCKET_GRACE = 1.0  # seconds a socket may wait past the call's deadline (the deadline ends the try first)


# --------------------------------------------------------------------------- the HTTP client

class FdcNotFound(FdcError):
    """FoodData Central knows no food with this id."""


class _OutOfTime(Exception):
    """The call's time is up."""


def _retry_after(value: str) -> float | None:
    """Seconds a `Retry-After` header asks for (only the seconds form; a date is ignored)."""
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


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
            raise FdcError("no FoodData Central API key (a free key: https://fdc.nal.usda.gov/api-key-signup; "
                           "DEMO_KEY works for a few requests)", field="api_key")
        self._key = api_key.strip()
        self.base_url = (base_url or os.environ.get("FDC_API_URL") or DEFAULT_API_URL).rstrip("/")
        if not re.match(r"^https?://", self.base_url):
            raise InputError(f"expected an http(s) URL, got '{self._scrub(self.base_url)}'", field="api_url")
        if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
            raise InputError(f"expected seconds above 0, got {timeout}", field="timeout")
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
                raise InputError(f"cannot create the cache folder ({exc.strerror})", source=str(folder)) from None
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
        key = getattr(self, "_key", "")
        if not key or key == DEMO_KEY:   # the demo key is public, and messages name it
            return text
        # The key as a whole word only: a short one ("x") must not turn "exceeded" into "e***ceeded".
        return re.sub(rf"(?<![A-Za-z0-9]){re.escape(key)}(?![A-Za-z0-9])", "***", text)

    def _error(self, message: str, cls: type[FdcError] = FdcError) -> FdcError:
        return cls(self._scrub(message))

    def _request(self, method: str, path: str, *, params=None, json_body=None):
        """One call, retried on 429, 5xx, timeouts, dropped connections and answers cut short.

        `timeout` bounds the whole call: every try, every wait between tries. A `Retry-After`
        of up to `max_retry_after` seconds is honoured; a longer one fails at once, naming it.
        """
        requests = self._requests
        label = f"{method} {path}"
        deadline = time.monotonic() + self.timeout
        last, wait, made = "", 0.0, 0
        for attempt in range(self.tries):
            if attempt:
                wait = wait or self.backoff * 2 ** (attempt - 1)
                if time.monotonic() + wait >= deadline:
                    last += f"; the next try, after {wait:g} s, would pass the {self.timeout:g} s timeout"
                    break
                time.sleep(wait)
                wait = 0.0
            made += 1
            try:
                response = self._exchange(method, path, params, json_body, deadline)
            except _OutOfTime:
                last = f"no complete answer within {self.timeout:g} s"
                break
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
                last = "the answer was cut off before its end"
                continue
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
                asked = _retry_after(response.headers.get("Retry-After", ""))
                if asked is not None and asked > self.max_retry_after:
                    raise self._error(f"FoodData Central {label}: {last}; it asks to wait {asked:g} s, longer than "
                                      f"the {self.max_retry_after:g} s planner waits (DEMO_KEY: 30 requests an hour)")
                wait = asked or 0.0
                continue
            return response
        raise self._error(f"FoodData Central {label}: {last} (gave up after {made} "
                          f"{'try' if made == 1 else 'tries'})")

    def _exchange(self, method: str, path: str, params, json_body, deadline: float):
        """One HTTP exchange, body included, that gives up at `deadline`.

        A socket timeout bounds each read, not a body that trickles in a byte at a time; so the
        exchange runs in a daemon thread, which is left behind (and dies with the process) when
        the deadline passes.
        """
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _OutOfTime()
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                # The socket waits a little past the deadline, so the deadline (below) is what ends a
                # silent server's try, always with the same message.
                outcome["response"] = self.session.request(method, self.base_url + path, params=params,
                                                           json=json_body, timeout=remaining + SOCKET_GRACE)
            except BaseException as exc:  # noqa: BLE001  handed back to the caller's thread
                outcome["error"] = exc

        worker = threading.Thread(target=run, name="fdc-request", daemon=True)
        worker.start()
        worker.join(remaining)
        if worker.is_alive():
            raise _OutOfTime()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["response"]

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
        """Many foods, 20 per `POST /v1/foods`. Returns the foods by id and the ids FDC does not know.

        Ids missing from a batch's answer are asked one by one (full, then abridged). A batch
        answered with nothing at all (404 or an empty list) is probed with its first id only: if
        that is unknown too, the whole batch is taken as unknown rather than spending two requests
        an id. When FDC knows none of the ids, the base URL is the likelier fault: that is an error.
        """
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
            asked = [i for i in batch if i not in found]
            if asked and not answer:
                try:
                    found[asked[0]] = self.get_food(asked[0])
                except FdcNotFound:
                    missing += asked
                    asked = []
            for fdc_id in asked:
                if fdc_id not in found:
                    try:
                        found[fdc_id] = self.get_food(fdc_id)
                    except FdcNotFound:
                        missing.append(fdc_id)
            if progress:
                progress(len(batch), len(ids))
        if ids and not found:
            raise self._error(f"FoodData Central knows none of the {len(ids)} food(s) asked for (every answer was "
                              f"404 or empty): is the API URL {self.base_url} right? Nothing was changed.")
        return found, missing

    def search(self, query: str, data_types: Iterable[str] = ("Foundation", "SR Legacy"), page: int = 1,
               page_size: int = 25) -> SearchPage:
        if not query.strip():
            raise InputError("expected words to search for", field="query")
        if not 1 <= page_size <= 200:
            raise InputError(f"expected 1-200, got {page_size}", field="page_size")
        if page < 1:
            raise InputError(f"expected a page number >= 1, got {page}", field="page")
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
        raise InputError(f"unknown data type '{text}' (expected some of: {', '.join(DATA_TYPES)})", field="data_type")
    return aliases[key]


@dataclass(frozen=True)
class SearchPage:
    foods: pd.DataFrame  # fdc_id, description, data_type, category + the five targeted nutrients
    page: int
    total_pages: int
    total_hits: int

    def summary(self) -> str:
        if not self.total_hits:
            return "no food matches (try fewer or other words, or another --data-type)"
        return f"page {self.page} of {self.total_pages}, {self.total_hits:,} hit{'' if self.total_hits == 1 else 's'}"


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


