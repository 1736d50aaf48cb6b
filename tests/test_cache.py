"""Built-in tables are built once and read back from the cache; a broken cache never fails a command."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.sources import load_foods
from planner.sources.cache import cache_dir, cached_table, package_hash


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counted():
    calls = []

    def build():
        calls.append(1)
        return load_foods()
    return build, calls


def test_a_table_is_built_once_and_read_back_equal(cache):
    build, calls = _counted()
    first = cached_table("embedded", build)
    second = cached_table("embedded", build)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first.data, second.data)
    assert (first.source, first.nutrients, first.fingerprint) == (second.source, second.nutrients, second.fingerprint)
    assert [p.name for p in cache.iterdir()] == [f"embedded-{package_hash()}.pickle"]


def test_a_broken_cache_file_is_rebuilt(cache):
    build, calls = _counted()
    cached_table("embedded", build)
    (cache / f"embedded-{package_hash()}.pickle").write_bytes(b"not a pickle")
    again = cached_table("embedded", build)
    assert len(calls) == 2 and len(again) == len(load_foods())
    assert cached_table("embedded", build) is not None and len(calls) == 2   # the rebuilt one was kept


def test_an_older_version_is_replaced(cache):
    cache.mkdir()
    (cache / "embedded-0000000000000000.pickle").write_bytes(b"old")
    cached_table("embedded", _counted()[0])
    assert sorted(p.name for p in cache.iterdir()) == [f"embedded-{package_hash()}.pickle"]


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(blocker / "cache"))
    build, calls = _counted()
    assert len(cached_table("embedded", build)) == len(load_foods())
    assert len(calls) == 1


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", "")
    assert cache_dir() is None
    build, calls = _counted()
    cached_table("embedded", build)
    cached_table("embedded", build)
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
