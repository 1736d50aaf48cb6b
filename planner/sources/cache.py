"""The built-in tables, built once and kept in the user's cache directory.

Building all of SR Legacy or all of FNDDS from the shipped extracts (reading, classifying
and validating 7,000 foods) takes a second or more; reading the built table back takes a
few hundredths. A table is kept under a hash of everything it is built from: the planner
package's own files, code and data, so an edited rule or a new version builds it anew.
`PLANNER_CACHE_DIR` moves the cache; set to an empty string, it turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from planner.foods import FoodTable

PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path | None:
    """Where built tables are kept: `PLANNER_CACHE_DIR`, else the user's cache directory (None: off)."""
    given = os.environ.get("PLANNER_CACHE_DIR")
    if given is not None:
        return Path(given) if given.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "planner"


@cache
def package_hash() -> str:
    """A hash of the planner package's code and data files: what a built table depends on."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def text_hash(*texts: str) -> str:
    """A short hash of these texts (a table's path and contents): a name for what was built from them."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:16]


def cached_table(name: str, build: Callable[[], FoodTable], key: str = "") -> FoodTable:
    """The table `build` makes, read from the cache when it holds this version of it (`key`: what else it is
    built from, such as `text_hash` of a file read). One version of each `name` is kept.

    A cache that cannot be read is rebuilt, and one that cannot be written is skipped: the
    cache only ever saves time, it never fails a command.
    """
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key}{package_hash()}.pickle"
    try:
        with path.open("rb") as handle:
            table = pickle.load(handle)
        if isinstance(table, FoodTable):
            return table
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, ValueError,
            TypeError):
        pass
    table = build()
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=f".{name}-", delete=False) as handle:
            temporary = Path(handle.name)
            pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        for old in folder.glob(f"{name}-*.pickle"):   # tables of earlier versions
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return table
