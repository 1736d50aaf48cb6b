"""The package as users get it: a wheel that carries its data and runs from anywhere; help with examples."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest

import cli as cli_module

ROOT = Path(__file__).resolve().parents[1]

pip_missing = importlib.util.find_spec("pip") is None


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if pip_missing:
        pytest.skip("pip is not available")
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        text = result.stderr + result.stdout
        if any(w in text for w in ("NewConnectionError", "Could not find a version", "No matching distribution",
                                   "Temporary failure in name resolution", "Network is unreachable")):
            pytest.skip(f"cannot fetch the build backend: {text.strip().splitlines()[-1]}")
        pytest.fail(f"pip wheel failed:\n{text}")
    wheels = list(out.glob("planner-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def site(wheel, tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                             str(wheel)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return target


@pytest.mark.parametrize("name", ["planner/data/foods.csv", "planner/data/dri.csv", "planner/data/amdr.csv",
                                  "planner/data/energy.csv", "planner/data/nutrient_limits.csv",
                                  "planner/data/usda_sr_legacy_nutrients.csv", "cli.py"])
def test_wheel_contains(wheel, name):
    assert name in zipfile.ZipFile(wheel).namelist()


def test_wheel_foods_is_the_repo_table(wheel):
    assert zipfile.ZipFile(wheel).read("planner/data/foods.csv") == (ROOT / "foods.csv").read_bytes()


def test_wheel_declares_the_console_script(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "planner = cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def _run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    # The installed copy first; the venv's site-packages still provide pandas, pulp, click.
    env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_installed_wheel_plans_from_an_empty_folder(site, tmp_path):
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    result = _run_installed(site, empty, "day", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["days"][0]["items"]
    assert str(site) in doc["foods"]["source"], "the plan must use the table inside the installed package"
    version = _run_installed(site, empty, "--version")
    assert version.returncode == 0 and "0.1.0" in version.stdout, version.stderr


def test_installed_wheel_names_its_table_by_what_it_is(site, tmp_path):
    """A message about the embedded table says so; the path it was installed at means nothing to a user."""
    result = _run_installed(site, tmp_path, "day", "--exclude", "nosuchtag")
    assert result.returncode == 2 and result.stdout == ""
    assert "unknown food or tag 'nosuchtag' in the embedded food table (tags:" in result.stderr, result.stderr
    assert str(site) not in result.stderr and "site-packages" not in result.stderr


def test_installed_wheel_does_not_import_from_the_repo(site, tmp_path):
    result = subprocess.run([sys.executable, "-c", "import planner, cli; print(planner.__file__); print(cli.__file__)"],
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        assert line.startswith(str(site)), line


def _commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")


COMMANDS = list(_commands(cli_module.cli))


def test_all_commands_found():
    assert {"day", "week", "check", "targets"} <= {name for name, _ in COMMANDS}


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_help_has_an_example(name, command, runner):
    assert command.help and "Example:" in command.help, f"'planner {name}' help has no Example: block"
    example = command.help.split("Example:", 1)[1].strip().splitlines()[0].strip()
    assert example.startswith(f"planner {name}"), example
    result = runner.invoke(cli_module.cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
