"""The command a user installs prints only the data asked for on stdout, whatever a dependency prints.

These run the installed `planner` (the one `make test` puts beside this Python) in a subprocess and
parse its whole stdout as JSON or CSV.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
PLANNER = shutil.which("planner", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory):
    assert PLANNER, f"no installed planner beside {sys.executable}: install the package (make test does)"
    path = tmp_path_factory.mktemp("installed") / "week.json"
    subprocess.run([PLANNER, "week", "--days", "2", "--format", "json", "-o", str(path)], check=True,
                   capture_output=True)
    return path


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PLANNER, *args], capture_output=True, text=True, cwd=Path(sys.executable).parent)


def _parse(text: str, fmt: str):
    if fmt == "json":
        return json.loads(text)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows and all(len(r) == len(rows[0]) for r in rows), text[:200]
    return rows


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("command", ["day", "week", "explain", "shop", "targets", "check"])
def test_stdout_is_only_the_data(plan_file, command, fmt):
    args = {"day": ["day"], "week": ["week", "--days", "2"], "explain": ["explain", str(plan_file)],
            "shop": ["shop", str(plan_file)], "targets": ["targets", "--symptom", "eyelid twitching"],
            "check": ["check", str(plan_file)]}[command]
    result = _run(*args, "--format", fmt)
    assert result.returncode == 0, result.stderr
    data = _parse(result.stdout, fmt)
    assert data
    assert "HiGHS" not in result.stdout and "Running" not in result.stdout
