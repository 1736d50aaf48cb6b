"""FoodData Central support, against a real HTTP server on loopback replaying recorded answers.

The recorded answers live in the shared data folder beside the repository
(`<repo>/../shared/data/fdc_api/`); without it the online tests are skipped.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from conftest import FOODS_CSV
from werkzeug import Response

import cli
from planner.errors import FdcError, InputError
from planner.foods import parse_foods
from planner.sources import fdc_api, fdc_bulk, fdc_rows, fdc_tables, load_foods

ROOT = Path(__file__).resolve().parents[1]
FDC_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fdc_api"
needs_recordings = pytest.mark.skipif(
    not (FDC_DIR / "food_170720_sr_legacy_full.json").is_file(),
    reason=f"recorded FoodData Central answers not found in {FDC_DIR} (the shared data folder beside the repo)")
KEY = "SeCrEtKeY-1234567890abcdef"


def recorded(name: str):
    return json.loads((FDC_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture
def big_mac():
    return recorded("food_170720_sr_legacy_full.json")


@pytest.fixture
def cheddar_abridged():
    return recorded("food_328637_foundation_abridged.json")


def _sr_table(n: int) -> str:
    """The first `n` SR Legacy foods as a table with fdc_ids (from the shipped extract)."""
    lines = fdc_bulk.sr_legacy_text().splitlines(keepends=True)
    return "".join(lines[: n + 1])


@pytest.fixture
def client_factory(httpserver, tmp_path):
    clients = []

    def make(**kwargs):
        options = dict(cache_dir=tmp_path / "cache", timeout=2.0, backoff=0.001)
        options.update(kwargs)
        client = fdc_api.FdcClient(options.pop("api_key", KEY), httpserver.url_for("/fdc"), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def cli_env(httpserver, tmp_path, **extra):
    env = {"FDC_API_KEY": KEY, "FDC_API_URL": httpserver.url_for("/fdc"), "PLANNER_CACHE_DIR": str(tmp_path / "cache")}
    env.update(extra)
    return env


def invoke(runner, args, env):
    return runner.invoke(cli.cli, args, env=env, catch_exceptions=False)


# --------------------------------------------------------------------------- nutrient mapping (no server)

@needs_recordings
def test_full_shape_maps_by_id(big_mac):
    values, notes = fdc_rows.food_values(big_mac)
    assert values["magnesium_mg"] == "20" and values["calcium_mg"] == "116" and values["potassium_mg"] == "181"
    assert values["sodium_mg"] == "460" and values["vitamin_b12_mcg"] == "0.88" and values["energy_kcal"] == "257"
    assert values["thiamin_mg"] == "0.176" and values["fiber_g"] == "1.6"
    assert "vitamin_d_mcg" not in values and "caffeine_mg" not in values  # missing stays missing, never 0
    assert notes == []


@needs_recordings
def test_abridged_shape_maps_by_number(cheddar_abridged):
    values, _ = fdc_rows.food_values(cheddar_abridged)
    assert values == {**values, "calcium_mg": "707", "potassium_mg": "77", "magnesium_mg": "26.8",
                      "energy_kcal": "408", "vitamin_b12_mcg": "1.06", "sodium_mg": "654", "protein_g": "23.3",
                      "thiamin_mg": "0.029", "vitamin_b6_mg": "0.069"}
    assert values["sugars_g"] == "0.33"   # Foundation foods' "Sugars, Total" is number 269.3, not 269


def test_a_value_that_is_not_an_amount_is_left_empty_and_said():
    food = {"foodNutrients": [
        {"nutrient": {"id": 1087, "number": "301", "unitName": "MG"}, "amount": -5},
        {"nutrient": {"id": 1092, "number": "306", "unitName": "MG"}, "amount": "lots"},
        {"nutrient": {"id": 1090, "number": "304", "unitName": "MG"}, "amount": 26.8},
    ]}
    values, notes = fdc_rows.food_values(food)
    assert values == {"magnesium_mg": "26.8"}
    assert notes == ["calcium_mg: FDC gives '-5', not an amount per 100 g; left empty",
                     "potassium_mg: FDC gives 'lots', not an amount per 100 g; left empty"]


def test_units_are_checked_and_atwater_energy_is_a_fallback():
    food = {"foodNutrients": [
        {"nutrient": {"id": 1114, "number": "328", "unitName": "IU"}, "amount": 40.0},
        {"nutrient": {"id": 2047, "number": "957", "unitName": "KCAL"}, "amount": 120.0},
        {"nutrient": {"id": 2048, "number": "958", "unitName": "KCAL"}, "amount": 118.0},
        {"nutrient": {"id": 1062, "number": "268", "unitName": "kJ"}, "amount": 500.0},
        {"nutrient": {"id": 1178, "number": "418", "unitName": "µg"}, "amount": 2.5},
        {"nutrient": {"id": 1090, "number": "304", "name": "Magnesium, Mg", "unitName": "mg"}},
    ]}
    values, notes = fdc_rows.food_values(food)
    assert "vitamin_d_mcg" not in values and any("IU" in n for n in notes)
    assert values["energy_kcal"] == "118"  # Atwater specific, 1008 absent
    assert values["vitamin_b12_mcg"] == "2.5"
    assert "magnesium_mg" not in values  # no amount: missing, not 0
    food["foodNutrients"].append({"nutrient": {"id": 1008, "unitName": "kcal"}, "amount": 125})
    assert fdc_rows.food_values(food)[0]["energy_kcal"] == "125"


def test_search_shape_and_names_never_matter():
    food = {"foodNutrients": [
        {"nutrientId": 1087, "nutrientName": "Magnesium (wrong name)", "nutrientNumber": "301", "unitName": "MG",
         "value": 714},
        {"nutrientId": 1114, "nutrientName": "Vitamin D (D2 + D3)", "nutrientNumber": "328", "unitName": "UG",
         "value": 0.6},
    ]}
    values, _ = fdc_rows.food_values(food)
    assert values == {"calcium_mg": "714", "vitamin_d_mcg": "0.6"}


# --------------------------------------------------------------------------- the client against a real server

@needs_recordings
def test_search_current_shape(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/foods/search", method="GET").respond_with_json(
        recorded("search_cheddar_cheese_pagesize10.json"))
    page = client_factory().search("cheddar cheese", ["Branded"], page=1, page_size=10)
    assert (page.page, page.total_pages, page.total_hits) == (1, 6479, 64784)
    assert page.summary() == "page 1 of 6479, 64,784 hits"
    first = page.foods.iloc[0]
    assert first.fdc_id == 2057648 and first.data_type == "Branded" and first.calcium_mg == 714
    assert math.isnan(first.magnesium_mg)
    request, _ = httpserver.log[0]
    assert request.args["query"] == "cheddar cheese" and request.args["pageSize"] == "10"
    assert request.args["dataType"] == "Branded"
    assert request.headers["X-Api-Key"] == KEY and "api_key" not in request.args


def test_a_search_with_no_hits_says_so(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/foods/search").respond_with_json(
        {"totalHits": 0, "currentPage": 1, "totalPages": 0, "foods": []})
    page = client_factory().search("xyzzy")
    assert page.foods.empty and page.summary().startswith("no food matches")


@needs_recordings
def test_search_2019_shape_without_nutrients(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/foods/search").respond_with_json(recorded("search_big_mac_2019.json"))
    page = client_factory().search("big mac", page_size=50)
    assert page.summary() == "page 1 of 47, 2,312 hits"
    assert len(page.foods) == 50 and page.foods["calcium_mg"].isna().all()
    assert page.foods.iloc[1].description == "McDONALD'S, BIG MAC"
    assert httpserver.log[0][0].args["dataType"] == "Foundation,SR Legacy"


@needs_recordings
def test_full_food_and_the_404_then_abridged_quirk(httpserver, client_factory, big_mac, cheddar_abridged):
    httpserver.expect_request("/fdc/v1/food/170720", query_string={"format": "full"}).respond_with_json(big_mac)
    httpserver.expect_request("/fdc/v1/food/328637", query_string={"format": "full"}).respond_with_data(
        "", status=404)
    httpserver.expect_request("/fdc/v1/food/328637", query_string={"format": "abridged"}).respond_with_json(
        cheddar_abridged)
    client = client_factory()
    assert client.get_food(170720)["description"] == "McDONALD'S, BIG MAC"
    assert client.get_food(328637)["dataType"] == "Foundation"


def test_404_is_reported(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/food/1").respond_with_data("", status=404)
    with pytest.raises(fdc_api.FdcNotFound, match="GET /v1/food/1.*not found"):
        client_factory().get_food(1)


@needs_recordings
def test_batch_post_and_missing_ids(httpserver, client_factory, big_mac, cheddar_abridged):
    def answer(request):
        ids = request.get_json()["fdcIds"]
        assert request.get_json()["format"] == "full" and len(ids) <= 20
        foods = []
        for fdc_id in ids:
            if fdc_id not in (328637, 999999):  # the quirk and an unknown id are left out, as FDC does
                food = copy.deepcopy(big_mac)
                food["fdcId"] = fdc_id
                foods.append(food)
        return Response(json.dumps(foods), content_type="application/json")

    httpserver.expect_request("/fdc/v1/foods", method="POST").respond_with_handler(answer)
    httpserver.expect_request("/fdc/v1/food/328637", query_string={"format": "full"}).respond_with_data("", status=404)
    httpserver.expect_request("/fdc/v1/food/328637", query_string={"format": "abridged"}).respond_with_json(
        cheddar_abridged)
    httpserver.expect_request("/fdc/v1/food/999999").respond_with_data("", status=404)
    ids = list(range(100, 125)) + [328637, 999999]
    calls = []
    found, missing = client_factory().get_foods(ids, progress=lambda n, total: calls.append((n, total)))
    assert missing == [999999] and len(found) == 26 and found[328637]["description"] == "Cheese, cheddar"
    assert calls == [(20, 27), (7, 27)]
    posts = [r for r, _ in httpserver.log if r.method == "POST"]
    assert [len(r.get_json()["fdcIds"]) for r in posts] == [20, 7]


@needs_recordings
@pytest.mark.parametrize("status", [429, 500, 503])
def test_retry_then_success(httpserver, client_factory, big_mac, status):
    httpserver.expect_oneshot_request("/fdc/v1/food/170720").respond_with_data("busy", status=status)
    httpserver.expect_request("/fdc/v1/food/170720").respond_with_json(big_mac)
    assert client_factory().get_food(170720)["fdcId"] == 170720
    assert len(httpserver.log) == 2


def test_errors_that_persist_give_up_after_bounded_tries(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/food/5").respond_with_data("down", status=502)
    with pytest.raises(FdcError, match=r"GET /v1/food/5: HTTP 502 \(gave up after 3 tries\)"):
        client_factory(tries=3).get_food(5)
    assert len(httpserver.log) == 3


def test_a_wait_that_would_pass_the_timeout_counts_only_the_tries_made(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/food/5").respond_with_data("down", status=502)
    with pytest.raises(FdcError, match=r"HTTP 502; the next try, after 10 s, would pass the 2 s timeout "
                                       r"\(gave up after 1 try\)"):
        client_factory(tries=4, backoff=10.0).get_food(5)
    assert len(httpserver.log) == 1


def test_403_bad_key(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/food/5").respond_with_json(
        {"error": {"code": "API_KEY_INVALID", "message": "An invalid api_key was supplied."}}, status=403)
    with pytest.raises(FdcError, match="refused the API key \\(API_KEY_INVALID\\)") as caught:
        client_factory().get_food(5)
    assert KEY not in str(caught.value)


def test_broken_json_names_the_endpoint(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/food/170720").respond_with_data('{"fdcId": 170720, "descr',
                                                                         content_type="application/json")
    with pytest.raises(FdcError, match="GET /v1/food/170720: the answer is not valid JSON"):
        client_factory().get_food(170720)
    # a broken answer is not cached: the next call asks again
    with pytest.raises(FdcError):
        client_factory().get_food(170720)
    assert len(httpserver.log) == 2


def test_a_server_that_never_answers_is_given_up_on_within_the_timeout(httpserver, client_factory, held):
    """The handler answers only when the test ends: the client returning at all means it gave up in time."""
    def silent(request):
        held.wait(30)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/fdc/v1/food/7").respond_with_handler(silent)
    with pytest.raises(FdcError, match=r"GET /v1/food/7: no complete answer within 0.3 s \(gave up after 1 try\)"):
        client_factory(timeout=0.3, tries=3).get_food(7)


def test_a_server_that_drips_its_answer_is_given_up_on_within_the_timeout(httpserver, client_factory, held):
    """Each byte comes before any read times out; only a deadline on the whole call ends it."""
    def drip(request):
        def body():
            yield b'{"fdcId": 7, '
            while not held.wait(0.05):
                yield b" "
            yield b"}"
        return Response(body(), content_type="application/json")

    httpserver.expect_request("/fdc/v1/food/7").respond_with_handler(drip)
    with pytest.raises(FdcError, match="no complete answer within 0.5 s"):
        client_factory(timeout=0.5).get_food(7)


def test_an_answer_cut_short_is_retried_then_said_in_words(httpserver, client_factory):
    def cut(request):
        # a body of 19 bytes that promised 400: the connection closes before the rest
        return Response(iter([b'{"fdcId": 7, "descr']), headers={"Content-Length": "400"},
                        content_type="application/json")

    httpserver.expect_request("/fdc/v1/food/7").respond_with_handler(cut)
    with pytest.raises(FdcError) as caught:
        client_factory(tries=3).get_food(7)
    assert "the answer was cut off before its end (gave up after 3 tries)" in str(caught.value)
    assert "Chunked" not in str(caught.value) and len(httpserver.log) == 3


@needs_recordings
def test_retry_after_is_honoured(httpserver, client_factory, big_mac):
    seen = []

    def busy_then_fine(request):
        seen.append(time.monotonic())
        if len(seen) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(json.dumps(big_mac), content_type="application/json")

    httpserver.expect_request("/fdc/v1/food/170720").respond_with_handler(busy_then_fine)
    assert client_factory(timeout=5).get_food(170720)["fdcId"] == 170720
    # the client's own backoff here is a millisecond: a second between the tries is the server's Retry-After
    assert len(seen) == 2 and seen[1] - seen[0] >= 0.95


def test_a_long_retry_after_fails_at_once_naming_the_wait(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/food/7").respond_with_data("slow down", status=429,
                                                                  headers={"Retry-After": "3600"})
    with pytest.raises(FdcError, match="it asks to wait 3600 s, longer than the 60 s planner waits"):
        client_factory().get_food(7)
    assert len(httpserver.log) == 1


def test_a_retry_after_beyond_the_timeout_is_not_waited_for(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/food/7").respond_with_data("slow down", status=429,
                                                                  headers={"Retry-After": "30"})
    with pytest.raises(FdcError, match="the next try, after 30 s, would pass the 2 s timeout"):
        client_factory(timeout=2).get_food(7)
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("timeout", [-1, 0, float("nan"), float("inf")])
def test_a_timeout_must_be_seconds_above_zero(timeout, tmp_path):
    with pytest.raises(InputError) as caught:
        fdc_api.FdcClient(KEY, "http://127.0.0.1:1/fdc", use_cache=False, timeout=timeout)
    assert caught.value.field == "timeout"


def test_missing_key_and_bad_url(httpserver, tmp_path):
    with pytest.raises(FdcError, match="no FoodData Central API key") as info:
        fdc_api.FdcClient("", "http://127.0.0.1:1/fdc", use_cache=False)
    assert info.value.field == "api_key"
    with pytest.raises(InputError, match="ftp://example") as info:
        fdc_api.FdcClient(KEY, "ftp://example", use_cache=False)
    assert info.value.field == "api_url"


@needs_recordings
def test_second_run_is_served_from_cache_and_the_key_is_nowhere(httpserver, client_factory, big_mac, tmp_path):
    httpserver.expect_request("/fdc/v1/food/170720").respond_with_json(big_mac)
    httpserver.expect_request("/fdc/v1/foods/search").respond_with_json(recorded("search_big_mac_2019.json"))
    first = client_factory()
    first.get_food(170720)
    first.search("big mac")
    first.close()
    asked = lambda: [r.path for r, _ in httpserver.log if r.path.startswith(("/fdc/v1/food/170720", "/fdc/v1/foods/search"))]  # noqa: E731
    assert len(asked()) == 2
    second = client_factory(api_key="AnotherKey-does-not-change-the-cache-key")
    assert second.get_food(170720)["fdcId"] == 170720
    second.search("big mac")
    assert len(asked()) == 2 and second.requests_made == 0
    second.close()
    cache_bytes = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert cache_bytes and KEY.encode() not in cache_bytes and b"AnotherKey" not in cache_bytes


def test_no_cache_asks_every_time(httpserver, client_factory, tmp_path):
    httpserver.expect_request("/fdc/v1/food/9").respond_with_json({"fdcId": 9, "description": "x"})
    client = client_factory(use_cache=False)
    client.get_food(9)
    client.get_food(9)
    assert len(httpserver.log) == 2 and not (tmp_path / "cache").exists()


def test_low_rate_limit_warns(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/food/9").respond_with_json({"fdcId": 9}, headers={"X-RateLimit-Remaining": "3"})
    warnings = []
    client_factory(warn=warnings.append, use_cache=False).get_food(9)
    assert warnings == ["FoodData Central rate limit nearly used up: 3 requests left this hour"]


# --------------------------------------------------------------------------- CLI: search, add, enrich

@needs_recordings
def test_cli_search(runner, httpserver, tmp_path):
    httpserver.expect_request("/fdc/v1/foods/search").respond_with_json(
        recorded("search_cheddar_cheese_pagesize10.json"))
    result = invoke(runner, ["foods", "search", "cheddar cheese", "--data-type", "branded", "--page-size", "10"],
                    cli_env(httpserver, tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "2057648" in result.stdout and "CHEDDAR CHEESE" in result.stdout
    assert "Page 1 of 6479, 64,784 hits." in result.stderr
    assert KEY not in result.stdout + result.stderr
    # headed in people's words on a terminal; a CSV keeps the food table's column names
    header = result.stdout.splitlines()[0]
    assert "magnesium (mg)" in header and "vitamin D (mcg)" in header and "_mg" not in header
    csv_out = invoke(runner, ["foods", "search", "cheddar cheese", "--data-type", "branded", "--page-size", "10",
                              "--format", "csv"], cli_env(httpserver, tmp_path))
    assert "magnesium_mg" in csv_out.stdout.splitlines()[0]


def test_cli_demo_key_warns_and_missing_key_is_one_line(runner, httpserver, tmp_path):
    httpserver.expect_request("/fdc/v1/foods/search").respond_with_json({"foods": [], "totalHits": 0})
    result = invoke(runner, ["foods", "search", "x"], cli_env(httpserver, tmp_path, FDC_API_KEY="DEMO_KEY"))
    assert result.exit_code == 0 and "DEMO_KEY allows only 30 requests an hour" in result.stderr
    result = invoke(runner, ["foods", "search", "x"], cli_env(httpserver, tmp_path, FDC_API_KEY=""))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: --api-key (or FDC_API_KEY): no FoodData Central API key (a free key: "
        "https://fdc.nal.usda.gov/api-key-signup; DEMO_KEY works for a few requests)"]


def test_cli_broken_answer_is_one_line(runner, httpserver, tmp_path):
    httpserver.expect_request("/fdc/v1/foods/search").respond_with_data("<html>oops", status=200)
    result = invoke(runner, ["foods", "search", "x", "--api-key", KEY], cli_env(httpserver, tmp_path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: FoodData Central GET /v1/foods/search: the answer is not")
    assert "Traceback" not in result.stderr and KEY not in result.stderr + result.stdout


@needs_recordings
def test_cli_add_creates_a_plannable_table(runner, httpserver, tmp_path, big_mac, cheddar_abridged):
    httpserver.expect_request("/fdc/v1/foods", method="POST").respond_with_json([big_mac])
    httpserver.expect_request("/fdc/v1/food/328637", query_string={"format": "full"}).respond_with_data("", status=404)
    httpserver.expect_request("/fdc/v1/food/328637", query_string={"format": "abridged"}).respond_with_json(
        cheddar_abridged)
    httpserver.expect_request("/fdc/v1/food/4").respond_with_data("", status=404)
    table = tmp_path / "mine.csv"
    result = invoke(runner, ["foods", "add", "170720", "328637", "4", "--foods", str(table)],
                    cli_env(httpserver, tmp_path))
    assert result.exit_code == 1  # one id unknown: reported, the others added
    assert "knows no food with id 4" in result.stderr and "2 food(s) added" in result.stderr
    foods = load_foods(table)
    assert list(foods.data.index) == ["fdc_170720", "fdc_328637"]
    mac, cheddar = foods.data.loc["fdc_170720"], foods.data.loc["fdc_328637"]
    assert (mac.magnesium_mg, mac.calcium_mg, mac.serving_g, mac.serving_label) == (20, 116, 219, "1 item 7.6 oz")
    assert "guessed from category 'Fast Foods'" in mac.serving_source and mac.role == "protein"
    assert math.isnan(mac.vitamin_d_mcg)
    assert (cheddar.calcium_mg, cheddar.role, cheddar.tags) == (707, "dairy", ("vegetarian", "dairy"))
    assert "guessed from description" in cheddar.serving_source
    assert table.read_text().splitlines()[0] == ",".join(fdc_rows.FOOD_COLUMNS)
    # adding again skips what is there and leaves the file as it was
    before = table.read_bytes()
    result = invoke(runner, ["foods", "add", "170720", "--foods", str(table)], cli_env(httpserver, tmp_path))
    assert result.exit_code == 0 and "Skipped 170720" in result.stderr and table.read_bytes() == before


@needs_recordings
def test_add_appends_to_an_existing_table_keeping_its_bytes(httpserver, client_factory, tiny_foods_csv, big_mac):
    httpserver.expect_request("/fdc/v1/foods", method="POST").respond_with_json([big_mac])
    table = tiny_foods_csv()
    before = table.read_bytes()
    result = fdc_tables.add_foods(client_factory(), [170720], table)
    assert list(result.added.food_id) == ["fdc_170720"]
    after = table.read_bytes()
    assert after.startswith(before) and len(load_foods(table)) == 7


@needs_recordings
def test_a_food_added_to_a_table_without_an_fdc_id_column_keeps_its_id(httpserver, client_factory, tmp_path,
                                                                          big_mac):
    """A copy of the embedded table (food codes, no fdc_id column) gains the column; its own rows keep their
    values, the added food its id, so `foods enrich` can refresh it."""
    httpserver.expect_request("/fdc/v1/foods", method="POST").respond_with_json([big_mac])
    table = tmp_path / "mine.csv"
    shutil.copy(FOODS_CSV, table)
    result = fdc_tables.add_foods(client_factory(), [170720], table)
    foods = load_foods(table).data
    assert foods.at["fdc_170720", "fdc_id"] == 170720 and foods["fdc_id"].notna().sum() == 1
    embedded = load_foods(FOODS_CSV).data
    assert foods.drop(index="fdc_170720").drop(columns="fdc_id").equals(embedded.drop(columns="fdc_id"))
    assert any("gained the column(s) fdc_id" in n for n in result.notes)


def test_add_refuses_the_embedded_table(runner, httpserver, tmp_path):
    from planner.foods import default_foods_path

    # the embedded file is refused as a file (exit 1); the built-in name as an option value (exit 2)
    for target, code in ((str(default_foods_path()), 1), ("sr-legacy", 2)):
        result = invoke(runner, ["foods", "add", "170720", "--foods", target], cli_env(httpserver, tmp_path))
        assert result.exit_code == code and "Error: " in result.stderr
    assert len(httpserver.log) == 0


def _batch_server(httpserver, big_mac, fail_after: int | None = None):
    """POST /v1/foods answering copies of the recorded food with the ids asked for."""
    state = {"calls": 0}

    def answer(request):
        state["calls"] += 1
        if fail_after is not None and state["calls"] > fail_after:
            return Response("boom", status=500)
        foods = []
        for fdc_id in request.get_json()["fdcIds"]:
            food = copy.deepcopy(big_mac)
            food["fdcId"] = fdc_id
            foods.append(food)
        return Response(json.dumps(foods), content_type="application/json")

    httpserver.expect_request("/fdc/v1/foods", method="POST").respond_with_handler(answer)
    return state


@needs_recordings
def test_cli_enrich_dry_run_then_write(runner, httpserver, tmp_path, big_mac):
    _batch_server(httpserver, big_mac)
    table = tmp_path / "t.csv"
    rows = [{**dict.fromkeys(fdc_rows.FOOD_COLUMNS, ""), "food_id": "mac", "name": "Big Mac", "fdc_id": "170720",
             "usda_description": "McDONALD'S, BIG MAC", "magnesium_mg": "99", "calcium_mg": "116.0",
             "vitamin_d_mcg": "0.1", "nutrient_source": "typed in", "serving_g": "219"},
            {**dict.fromkeys(fdc_rows.FOOD_COLUMNS, ""), "food_id": "homemade", "name": "Soup", "magnesium_mg": "5"}]
    table.write_text(fdc_rows.table_text(rows))
    before = table.read_bytes()
    env = cli_env(httpserver, tmp_path)
    result = invoke(runner, ["foods", "enrich", "--foods", str(table), "--format", "csv"], env)
    assert result.exit_code == 0, result.stderr
    changes = list(csv.DictReader(io.StringIO(result.stdout)))
    changed = {(c["food_id"], c["column"]): (c["old"], c["new"]) for c in changes}
    assert changed[("mac", "magnesium_mg")] == ("99", "20")
    assert changed[("mac", "potassium_mg")] == ("", "181")
    assert ("mac", "calcium_mg") not in changed            # 116.0 == 116
    assert ("mac", "vitamin_d_mcg") not in changed         # FDC sends none: kept
    # vitamin D, which FDC did not send, stays, and the source says where it came from
    assert changed[("mac", "nutrient_source")][1] == ("USDA FoodData Central SR Legacy fdc_id 170720 (API, published "
                                                      "4/1/2019); vitamin_d_mcg kept from before (typed in)")
    assert all(c["food_id"] == "mac" for c in changes)
    assert "dry run, nothing written" in result.stderr and table.read_bytes() == before
    assert "FoodData Central" not in result.stderr.splitlines()   # no progress bar's bare label off a terminal
    result = invoke(runner, ["foods", "enrich", "--foods", str(table), "--write"], env)
    assert result.exit_code == 0 and "wrote" in result.stderr
    refreshed = load_foods(table).data
    assert (refreshed.loc["mac", "magnesium_mg"], refreshed.loc["mac", "vitamin_d_mcg"]) == (20, 0.1)
    assert refreshed.loc["homemade", "magnesium_mg"] == 5
    result = invoke(runner, ["foods", "enrich", "--foods", str(table)], env)
    assert "0 value(s) changed" in result.stderr and "nothing to write" in result.stderr
    # a value edited by hand again: it is the one change; the source, already FDC's, is not said to change
    table.write_text(table.read_text().replace(",20,", ",99,", 1))
    result = invoke(runner, ["foods", "enrich", "--foods", str(table), "--format", "csv"], env)
    changes = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(c["food_id"], c["column"], c["old"], c["new"]) for c in changes] == [("mac", "magnesium_mg", "99", "20")]


@needs_recordings
def test_enrich_says_a_value_fdc_gives_in_no_usable_form_leaves_the_tables_own(httpserver, client_factory, big_mac,
                                                                              tmp_path):
    """It had said "left empty" while the table kept its value; a cell that was empty is still said left empty."""
    garbled = copy.deepcopy(big_mac)
    for n in garbled["foodNutrients"]:
        if n["nutrient"]["number"] in ("304", "306"):   # magnesium, potassium
            n["amount"] = "lots"
    _batch_server(httpserver, garbled)
    path = tmp_path / "t.csv"
    row = {**dict.fromkeys(fdc_rows.FOOD_COLUMNS, ""), "food_id": "mac", "name": "Big Mac", "fdc_id": "170720",
           "magnesium_mg": "99"}
    path.write_text(fdc_rows.table_text([row]))
    result = fdc_tables.enrich_table(client_factory(), path)
    assert "mac: magnesium_mg: FDC gives 'lots', not an amount per 100 g; the table's value kept" in result.notes
    assert "mac: potassium_mg: FDC gives 'lots', not an amount per 100 g; left empty" in result.notes
    assert parse_foods(result.text, "t.csv").data.at["mac", "magnesium_mg"] == 99


@needs_recordings
def test_enrich_drops_what_a_source_said_was_kept_once_fdc_gives_it(httpserver, client_factory, big_mac, tmp_path):
    """A source that said "vitamin_d_mcg kept from before (...)" stayed so after FDC's values replaced all of the
    row's: only a row that still keeps some of its own says what it kept."""
    _batch_server(httpserver, big_mac)
    path = tmp_path / "t.csv"
    base = fdc_tables._api_source(big_mac)
    row = {**dict.fromkeys(fdc_rows.FOOD_COLUMNS, ""), "food_id": "mac", "name": "Big Mac", "fdc_id": "170720",
           "magnesium_mg": "99", "nutrient_source": f"{base}; vitamin_d_mcg kept from before (typed in)"}
    path.write_text(fdc_rows.table_text([row]))
    result = fdc_tables.enrich_table(client_factory(), path)
    assert parse_foods(result.text, "t.csv").data.at["mac", "nutrient_source"] == base


@needs_recordings
def test_enrich_failure_half_way_leaves_the_table_byte_identical(runner, httpserver, tmp_path, big_mac):
    state = _batch_server(httpserver, big_mac, fail_after=2)
    table = tmp_path / "foods.csv"
    table.write_text(_sr_table(122))  # 7 batches of 20
    before = table.read_bytes()
    result = invoke(runner, ["foods", "enrich", "--foods", str(table), "--write", "--no-cache"],
                    cli_env(httpserver, tmp_path))
    assert result.exit_code == 1 and "POST /v1/foods: HTTP 500 (gave up after 4 tries)" in result.stderr
    assert state["calls"] == 6 and table.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".foods.csv.")]  # no temp file left


@needs_recordings
def test_enrich_unchanged_table_round_trips_bytes(httpserver, client_factory, big_mac, tmp_path):
    """Rewriting foods.csv with the csv module changes no byte of rows left alone."""
    _batch_server(httpserver, big_mac)
    path = tmp_path / "sr.csv"
    path.write_text(_sr_table(122))
    result = fdc_tables.enrich_table(client_factory(), path)
    original = path.read_text().splitlines()
    new = result.text.splitlines()
    assert len(new) == len(original) and new[0] == original[0]
    assert result.checked == 122 and result.changed_foods == 122  # every row got the Big Mac's values


def test_enrich_refuses_a_bad_table_in_one_line_before_any_call(runner, httpserver, tmp_path):
    table = tmp_path / "foods.csv"
    table.write_text(_sr_table(3).splitlines()[0] + "\n")
    result = invoke(runner, ["foods", "enrich", "--foods", str(table)], cli_env(httpserver, tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {table}: the table has a header but no foods"]  # no progress bar
    assert len(httpserver.log) == 0


def test_enrich_against_a_wrong_url_fails_leaving_the_table_alone_and_asks_little(runner, httpserver, tmp_path):
    """Every answer 404 or empty: a wrong --api-url, not 122 foods FDC never heard of."""
    httpserver.expect_request("/fdc/v1/foods", method="POST").respond_with_json([])
    httpserver.expect_request("/fdc/v1/food/", method="GET").respond_with_data("", status=404)
    httpserver.no_handler_status_code = 404
    table = tmp_path / "foods.csv"
    table.write_text(_sr_table(122))  # 7 batches of 20
    before = table.read_bytes()
    result = invoke(runner, ["foods", "enrich", "--foods", str(table), "--write", "--no-cache"],
                    cli_env(httpserver, tmp_path))
    assert result.exit_code == 1
    assert "knows none of the 122 food(s)" in result.stderr and "API URL" in result.stderr
    assert table.read_bytes() == before
    # each batch: one POST and one probe (full, then abridged): 7 x 3, not 122 x 2 + 7
    assert len(httpserver.log) <= 7 * 3


# --------------------------------------------------------------------------- bulk CSV import (offline)

def _write_bulk(folder: Path) -> Path:
    folder.mkdir(parents=True)

    def write(name, header, rows):
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    write("food.csv", ["fdc_id", "data_type", "description", "food_category_id", "publication_date"], [
        [168462, "sr_legacy_food", "Spinach, raw", 11, "2019-04-01"],
        [172421, "sr_legacy_food", "Lentils, mature seeds, cooked, boiled, without salt", 16, "2019-04-01"],
        [173691, "sr_legacy_food", "Fish, salmon, sockeye, raw", 15, "2019-04-01"],
        [1000001, "foundation_food", "Cheese, cheddar", 1, "2019-04-01"],
        [1000002, "sample_food", "Cheese, cheddar, sample 1", 1, "2019-04-01"],
        [170962, "sr_legacy_food", "Babyfood, juice, orange and banana", 3, "2019-04-01"],
    ])
    write("nutrient.csv", ["id", "name", "unit_name", "nutrient_nbr"], [
        [1008, "Energy", "KCAL", 208], [1090, "Magnesium, Mg", "MG", 304], [1087, "Calcium, Ca", "MG", 301],
        [1092, "Potassium, K", "MG", 306], [1114, "Vitamin D (D2 + D3)", "UG", 328],
        [1178, "Vitamin B-12", "UG", 418], [2047, "Energy (Atwater General Factors)", "KCAL", 957],
        [1110, "Vitamin D (D2 + D3), International Units", "IU", 324], [1051, "Water", "G", 255],
    ])
    write("food_category.csv", ["id", "code", "description"], [
        [1, "0100", "Dairy and Egg Products"], [3, "0300", "Baby Foods"], [11, "1100", "Vegetables and Vegetable Products"],
        [15, "1500", "Finfish and Shellfish Products"], [16, "1600", "Legumes and Legume Products"]])
    write("measure_unit.csv", ["id", "name"], [[1000, "cup"], [9999, "undetermined"]])
    write("food_portion.csv", ["id", "fdc_id", "seq_num", "amount", "measure_unit_id", "portion_description",
                               "modifier", "gram_weight"], [
        [1, 168462, 1, 1, 9999, "", "cup", 30], [2, 168462, 2, 1, 9999, "", "bunch", 340],
        [3, 172421, 1, 1, 9999, "", "cup", 198], [4, 173691, 1, 0.5, 9999, "", "fillet", 198],
        [5, 1000001, 1, 1, 1000, "", "diced", 132], [6, 1000001, 2, 1, 9999, "", "lb", 453.6],
        [7, 170962, 1, 1, 9999, "", "fl oz", 31.2]])
    rows = [
        [1, 168462, 1008, "23"], [2, 168462, 1090, "79"], [3, 168462, 1087, "99"], [4, 168462, 1092, "558"],
        [5, 168462, 1114, "0"], [6, 168462, 1051, "91.4"],
        [7, 172421, 1090, "36"], [8, 172421, 1087, "19"], [9, 172421, 1092, "369"], [10, 172421, 1008, "116"],
        [11, 173691, 1114, "14.1"], [12, 173691, 1178, "4.69"],
        [13, 1000001, 2047, "408"], [14, 1000001, 1087, "707"], [15, 1000001, 1110, "24"],
        [16, 1000002, 1087, "1"], [17, 170962, 1087, "10"],
    ]
    write("food_nutrient.csv", ["id", "fdc_id", "nutrient_id", "amount", "data_points", "derivation_id", "min", "max",
                                "median", "footnote", "min_year_acquired"], [r + ["", "", "", "", "", "", ""] for r in rows])
    return folder


def _check_bulk_table(text: str):
    table = parse_foods(text, "bulk").data
    assert list(table.index) == ["fdc_168462", "fdc_172421", "fdc_173691", "fdc_1000001", "fdc_170962"]
    spinach = table.loc["fdc_168462"]
    assert (spinach.magnesium_mg, spinach.calcium_mg, spinach.potassium_mg, spinach.energy_kcal) == (79, 99, 558, 23)
    assert spinach.vitamin_d_mcg == 0 and math.isnan(spinach.vitamin_b12_mcg)
    assert (spinach.serving_g, spinach.serving_label, spinach.role, spinach.slots) == (
        30, "1 cup", "vegetable", ("lunch", "dinner"))
    assert spinach.tags == ("vegan", "vegetarian")
    lentils = table.loc["fdc_172421"]
    assert (lentils.role, lentils.serving_g, lentils.tags) == ("protein", 198, ("vegan", "vegetarian"))
    salmon = table.loc["fdc_173691"]
    assert salmon.role == "ingredient" and "kept out: raw" in salmon.serving_source and salmon.tags == ("fish",)
    cheddar = table.loc["fdc_1000001"]
    assert (cheddar.energy_kcal, cheddar.calcium_mg, cheddar.role) == (408, 707, "dairy")
    assert math.isnan(cheddar.vitamin_d_mcg)  # only IU (1110) in the download: not converted
    # Its one portion, a cup diced (132 g), holds 539 kcal: half of it is the serving.
    assert (cheddar.serving_label, cheddar.serving_g) == ("1/2 cup, diced", 66)
    assert "(1 cup, diced, 132 g), 1/2 of it: the whole is over 400 kcal" in cheddar.serving_source
    assert "Foundation fdc_id 1000001 (bulk CSV, published 2019-04-01)" in cheddar.nutrient_source
    assert table.loc["fdc_170962", "role"] == "ingredient"
    assert table["price_per_100g"].isna().all()


def test_import_bulk_folder_and_zip(tmp_path, runner):
    folder = _write_bulk(tmp_path / "FoodData_Central_csv" / "inner")
    result = fdc_bulk.import_bulk(tmp_path / "FoodData_Central_csv")
    assert (result.foods, result.kept_out) == (5, 2)
    _check_bulk_table(result.text)
    archive = tmp_path / "fdc.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in folder.iterdir():
            handle.write(path, f"FoodData_Central_sr_legacy_food_csv_2018-04/{path.name}")
    out = tmp_path / "table.csv"
    cli_result = invoke(runner, ["foods", "import", str(archive), "-o", str(out)], {})
    assert cli_result.exit_code == 0, cli_result.stderr
    assert "5 foods (2 kept out of plans as role ingredient)" in cli_result.stderr
    assert out.read_text() == result.text
    _check_bulk_table(out.read_text())
    assert len(load_foods(out)) == 5


def test_import_bad_paths_are_one_line(tmp_path, runner):
    # A food table is CSV: a name asking for JSON is refused before any work, not given CSV inside.
    result = invoke(runner, ["foods", "import", "sr-legacy", "-o", str(tmp_path / "table.json")], {})
    assert result.exit_code == 2 and "name it .csv" in result.stderr and not (tmp_path / "table.json").exists()
    result = invoke(runner, ["foods", "import", str(tmp_path)], {})
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "no food.csv" in result.stderr
    result = invoke(runner, ["foods", "import", str(tmp_path / "nope.zip")], {})
    assert result.exit_code == 1 and "Traceback" not in result.stderr


def _download(tmp_path: Path, edit=None) -> Path:
    """The small download above as FDC's zip, after `edit(folder)`."""
    folder = _write_bulk(tmp_path / "download")
    if edit:
        edit(folder)
    archive = tmp_path / "fdc.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(folder.iterdir()):
            handle.write(path, f"FoodData_Central_csv/{path.name}")
    return archive


def _edit(name: str, old: str, new: str, encoding: str = "utf-8"):
    def edit(folder: Path) -> None:
        path = folder / name
        path.write_bytes(path.read_text(encoding="utf-8").replace(old, new, 1).encode(encoding))
    return edit


def _binary(tmp_path):
    path = tmp_path / "fdc.zip"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" * 64)
    return path


def _truncated(tmp_path):
    archive = _download(tmp_path)
    archive.write_bytes(archive.read_bytes()[:-100])
    return archive


def _extract_without_fdc_id(tmp_path):
    path = tmp_path / "my_nutrients.csv"
    path.write_text("id,description,food_group,magnesium_mg\n1,Spinach raw,Vegetables and Vegetable Products,79\n")
    return path


# name -> (the path to import, built in tmp_path; words the one error line must hold)
BAD_DOWNLOADS = {
    "a binary file": (_binary, ["fdc.zip", "binary data"]),
    "a truncated zip": (_truncated, ["fdc.zip", "damaged or cut short"]),
    "a Latin-1 food.csv": (lambda t: _download(t, _edit("food.csv", "Spinach, raw", "Espinaca, cruda (jalape\u00f1o)",
                                                        "latin-1")), ["food.csv", "expected UTF-8", "line 2"]),
    "a short row in food.csv": (lambda t: _download(t, _edit("food.csv", "168462,sr_legacy_food,", "168462,")),
                                ["food.csv", "row 2", "publication_date", "ends after 4 of the header's 5"]),
    "a short row in food_nutrient.csv": (lambda t: _download(t, _edit("food_nutrient.csv", "1,168462,1008,23,,,,,,,",
                                                                      "1,168462")),
                                         ["food_nutrient.csv", "row 2", "nutrient_id", "ends after 2"]),
    "food.csv without fdc_id": (lambda t: _download(t, _edit("food.csv", "fdc_id,", "id,")),
                                ["food.csv", "missing column 'fdc_id'"]),
    "an extract without fdc_id": (_extract_without_fdc_id, ["my_nutrients.csv", "missing column 'fdc_id'"]),
    "a fractional fdc_id": (lambda t: _download(t, _edit("food.csv", "168462,", "168462.5,")),
                            ["food.csv", "row 2", "fdc_id", "whole number", "168462.5"]),
    "an fdc_id twice": (lambda t: _download(t, _edit("food.csv", "172421,", "168462,")),
                        ["food.csv", "row 3", "fdc_id 168462 appears twice"]),
}


@pytest.mark.parametrize("case", BAD_DOWNLOADS)
def test_a_bad_download_is_one_line_naming_the_file(tmp_path, runner, case):
    build, words = BAD_DOWNLOADS[case]
    path = build(tmp_path)
    out = tmp_path / "table.csv"
    result = invoke(runner, ["foods", "import", str(path), "-o", str(out)], {})
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert not out.exists()


def test_a_bad_amount_in_the_download_is_left_empty_and_said(tmp_path, runner):
    archive = _download(tmp_path, _edit("food_nutrient.csv", "2,168462,1090,79", "2,168462,1090,lots"))
    result = invoke(runner, ["foods", "import", str(archive)], {})
    assert result.exit_code == 0
    assert "Note: fdc_id 168462: food_nutrient.csv row 3 gives magnesium_mg as 'lots', not a number >= 0: left " \
           "empty" in result.stderr
    spinach = parse_foods(result.stdout, "import").data.loc["fdc_168462"]
    assert math.isnan(spinach.magnesium_mg) and spinach.calcium_mg == 99


def test_a_bad_timeout_is_a_usage_error_before_any_call(httpserver, tmp_path, runner):
    result = invoke(runner, ["foods", "search", "beans", "--timeout", "-1"], cli_env(httpserver, tmp_path))
    assert result.exit_code == 2 and result.stderr.splitlines()[-1].startswith("Error: --timeout: ")
    assert "-1" in result.stderr and len(httpserver.log) == 0


def test_import_a_large_bulk_download_streams_quickly(tmp_path):
    """~650k food_nutrient rows (the SR Legacy size) stream through, keeping only our nutrients."""
    folder = _write_bulk(tmp_path / "big")
    with (folder / "food.csv").open("a", newline="") as handle:
        writer = csv.writer(handle)
        for i in range(7800):
            writer.writerow([2000000 + i, "sr_legacy_food", f"Test food {i}, cooked", 11, "2019-04-01"])
    with (folder / "food_nutrient.csv").open("a", newline="") as handle:
        writer = csv.writer(handle)
        row_id = 100
        for i in range(7800):
            for nutrient in (1008, 1090, 1087, 1092, 1114, 1178, 1051, 1062, 1089, 1095) * 8 + (1003, 1004, 1005):
                row_id += 1
                writer.writerow([row_id, 2000000 + i, nutrient, "1.5", "", "", "", "", "", "", ""])
    result = fdc_bulk.import_bulk(folder)   # its speed: benchmarks/bench_import.py
    assert result.foods == 7805 and row_id > 640000


def test_the_flat_extract_without_its_portions_file_says_no_food_can_be_served(tmp_path):
    """Every food came out an ingredient, and the import said nothing of the portions file it looked for."""
    data = ROOT / "planner" / "data"
    lines = (data / "usda_sr_legacy_nutrients.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    extract = tmp_path / "plain_nutrients.csv"
    extract.write_text("".join(lines[:40]), encoding="utf-8")
    alone = fdc_bulk.import_bulk(extract)
    assert alone.kept_out == alone.foods == 39
    assert [n for n in alone.notes if n.startswith("no plain_portions.csv beside it")], alone.notes
    shutil.copy(data / "usda_sr_legacy_portions.csv", tmp_path / "plain_portions.csv")
    beside = fdc_bulk.import_bulk(extract)
    assert beside.kept_out < beside.foods and not [n for n in beside.notes if "portions" in n]


# --------------------------------------------------------------------------- all of SR Legacy

def test_sr_legacy_table():
    table = fdc_bulk.sr_legacy_table()
    assert len(table) == 7793 and load_foods("sr-legacy").fingerprint == table.fingerprint
    data = table.data
    with (ROOT / "planner" / "data" / "usda_sr_legacy_nutrients.csv").open(newline="", encoding="utf-8") as handle:
        extract = {row["fdc_id"]: row for row in csv.DictReader(handle)}
    assert set(data["fdc_id"].astype(str)) == set(extract)
    for fdc_id, row in extract.items():
        food = data.loc[f"fdc_{fdc_id}"]
        for column in fdc_rows.NUTRIENTS:
            value = food[column]
            if column not in row:   # the extract has no such column: every value is missing
                assert math.isnan(value), (fdc_id, column)
                continue
            assert (math.isnan(value) if row[column] == "" else value == float(row[column])), (fdc_id, column)
    by_group = {fdc_id: row["food_group"] for fdc_id, row in extract.items()}
    babies = [f"fdc_{i}" for i, g in by_group.items() if g == "Baby Foods"]
    assert len(babies) == 345 and (data.loc[babies, "role"] == "ingredient").all()
    flours = [f"fdc_{i}" for i, r in extract.items() if r["description"].lower().startswith("wheat flour")]
    assert flours and (data.loc[flours, "role"] == "ingredient").all()
    spinach = data.loc["fdc_168462"]
    assert (spinach.role, spinach.serving_g, spinach.slots) == ("vegetable", 30, ("lunch", "dinner"))
    assert data.loc["fdc_172421", "role"] == "protein"          # lentils, cooked
    assert data.loc["fdc_175167", "role"] == "ingredient"       # salmon, raw
    assert data.loc["fdc_170720", "role"] == "ingredient"       # fast food
    assert data.loc["fdc_170567", "tags"] == ("vegan", "vegetarian", "nuts")
    served = data[data.role != "ingredient"]
    assert len(served) > 3000 and served[list(fdc_rows.TARGETED)].notna().any(axis=1).all()
    assert (served.role == "fat").sum() == 0 or (served.loc[served.role == "fat", "serving_g"] <= 20).all()


@pytest.mark.parametrize("key, said", [
    ("x", "(rate limit exceeded)"),           # a short key is hidden as a word, not inside "exceeded"
    ("DEMO_KEY", "(DEMO_KEY: 30 requests an hour)"),   # the public demo key is no secret: messages name it
])
def test_a_key_is_hidden_only_where_it_stands_as_itself(httpserver, client_factory, key, said):
    httpserver.expect_request("/fdc/v1/food/7").respond_with_data("slow down", status=429,
                                                                  headers={"Retry-After": "3600"})
    with pytest.raises(FdcError) as raised:
        client_factory(api_key=key).get_food(7)
    assert said in str(raised.value), str(raised.value)


def test_a_key_in_a_message_is_hidden(httpserver, client_factory):
    httpserver.expect_request("/fdc/v1/food/5").respond_with_data(f"bad key {KEY}", status=502)
    with pytest.raises(FdcError) as raised:
        client_factory(tries=1).get_food(5)
    assert KEY not in str(raised.value)


def test_a_download_without_portions_says_no_food_can_be_served_and_so_does_a_plan(tmp_path, runner):
    """Without food_portion.csv every food is an ingredient: the import says so, and a plan over the table blames the
    table, not a --diet or --exclude nobody gave."""
    archive = _download(tmp_path, lambda folder: (folder / "food_portion.csv").unlink())
    out = tmp_path / "table.csv"
    result = invoke(runner, ["foods", "import", str(archive), "-o", str(out)], {})
    assert result.exit_code == 0, result.stderr
    assert "no food_portion.csv: no food has a household portion, so none can be served" in result.stderr
    plan = invoke(runner, ["day", "--foods", str(out)], {})
    assert plan.exit_code == 1 and plan.stdout == ""
    (line,) = plan.stderr.strip().splitlines()[-1:]
    assert "field 'role'" in line and "no food in the table can be served in a meal" in line and "exclu" not in line
