"""Built-in tables are built once and read back from the cache; a broken cache never fails a command."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.files import read_user_text
from planner.foods import default_foods_path, parse_foods
from planner.sources import load_foods
from planner.sources.cache import cache_dir, cached_table, package_hash, text_hash


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counted():
    calls = []

    def build():   # the embedded table, parsed here: load_foods keeps it in the cache itself
        calls.append(1)
        return parse_foods(read_user_text(default_foods_path()), source="sample")
    return build, calls


def test_a_table_is_built_once_and_read_back_equal(cache):
    build, calls = _counted()
    first = cached_table("sample", build)
    second = cached_table("sample", build)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first.data, second.data)
    assert (first.source, first.nutrients, first.fingerprint) == (second.source, second.nutrients, second.fingerprint)
    assert [p.name for p in cache.iterdir()] == [f"sample-{package_hash()}.pickle"]


def test_a_broken_cache_file_is_rebuilt(cache):
    build, calls = _counted()
    cached_table("sample", build)
    (cache / f"sample-{package_hash()}.pickle").write_bytes(b"not a pickle")
    again = cached_table("sample", build)
    assert len(calls) == 2 and len(again) == len(load_foods())
    assert cached_table("sample", build) is not None and len(calls) == 2   # the rebuilt one was kept


def test_an_older_version_is_replaced(cache):
    cache.mkdir()
    (cache / "sample-0000000000000000.pickle").write_bytes(b"old")
    cached_table("sample", _counted()[0])
    assert sorted(p.name for p in cache.iterdir()) == [f"sample-{package_hash()}.pickle"]


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(blocker / "cache"))
    build, calls = _counted()
    assert len(cached_table("sample", build)) == len(load_foods())
    assert len(calls) == 1


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", "")
    assert cache_dir() is None
    build, calls = _counted()
    cached_table("sample", build)
    cached_table("sample", build)
    assert len(calls) == 2


def test_the_user_cache_directory_is_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("PLANNER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "planner"


def test_all_of_fndds_reads_back_the_table_it_built(cache):
    built = load_foods("fndds")
    read = load_foods("fndds")
    pd.testing.assert_frame_equal(built.data, read.data)
    assert built.fingerprint == read.fingerprint


def test_the_embedded_table_is_kept_under_a_hash_of_its_text(cache):
    first = load_foods()
    kept = [(p.name, p.stat().st_mtime_ns) for p in cache.iterdir()]
    assert len(kept) == 1 and kept[0][0].startswith("embedded-"), kept
    second = load_foods()
    assert [(p.name, p.stat().st_mtime_ns) for p in cache.iterdir()] == kept   # read back, not written again
    pd.testing.assert_frame_equal(first.data, second.data)
    parsed = parse_foods(read_user_text(default_foods_path()), source=str(default_foods_path()))
    assert (first.source, first.fingerprint) == (second.source, second.fingerprint) == (parsed.source,
                                                                                          parsed.fingerprint)
    # an edited table, or the same text at another path, is another entry
    assert len({text_hash("a", "b"), text_hash("a", "c"), text_hash("ab", "c"), text_hash("a", "bc")}) == 4
