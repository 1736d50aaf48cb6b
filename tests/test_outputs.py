"""`-o` writes a regular file whole or not at all, and nothing else."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys

import pytest

from cli import cli
from conftest import ROOT, make_runner


def _targets(*args):
    return make_runner().invoke(cli, ["targets", "--format", "csv", *args])


def test_a_device_is_refused_and_left_a_device(tmp_path):
    result = _targets("-o", "/dev/null")
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dev_stdout_is_not_replaced():
    """Run as a user would, stdout a pipe: /dev/stdout leads to the pipe, which is not a file to replace."""
    before = os.lstat("/dev/stdout")
    result = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "targets", "-o", "/dev/stdout"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "not a regular file" in result.stderr, result.stderr
    after = os.lstat("/dev/stdout")
    assert stat.S_ISLNK(after.st_mode) == stat.S_ISLNK(before.st_mode) and not stat.S_ISREG(after.st_mode)


def test_a_folder_is_refused(tmp_path):
    result = _targets("-o", str(tmp_path))
    assert result.exit_code == 2 and "a folder" in result.stderr


def test_an_empty_name_is_refused():
    result = _targets("-o", "")
    # refused before any work: the one line on stderr is the error
    assert result.exit_code == 2 and result.stderr.strip().splitlines() == [
        "Error: -o/--output: expected a file name, got an empty one"]


def test_a_link_is_written_through_and_stays_a_link(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert _targets("-o", str(link)).exit_code == 0
    assert link.is_symlink() and target.read_text().startswith("nutrient,")


def test_a_files_permissions_are_kept(tmp_path):
    out = tmp_path / "targets.csv"
    out.write_text("old\n")
    out.chmod(0o600)
    assert _targets("-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text().startswith("nutrient,")


def test_a_missing_folder_is_named(tmp_path):
    result = _targets("-o", str(tmp_path / "nope" / "t.csv"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "table"])
def test_nothing_is_left_behind_when_the_command_fails(tmp_path, fmt):
    out = tmp_path / "plan.out"
    result = make_runner().invoke(cli, ["day", "--age", "-1", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 2 and not out.exists() and os.listdir(tmp_path) == []


def test_a_name_ending_in_a_slash_is_a_folder_not_a_file_to_create(tmp_path):
    result = _targets("-o", f"{tmp_path / 'newdir'}/")
    assert result.exit_code == 2 and "a folder's" in result.stderr and os.listdir(tmp_path) == []


def test_targets_never_writes_over_its_targets_file_and_says_only_that(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("nutrient,min,max\nmagnesium_mg,300,\n")
    result = _targets("--targets", str(path), "-o", str(path))
    assert result.exit_code == 1 and result.stderr.splitlines() == [
        f"Error: {path}: is also an input of this command: write the output to another file"]
    assert path.read_text() == "nutrient,min,max\nmagnesium_mg,300,\n"


def test_a_targets_source_is_whole_in_markdown_and_cut_only_on_a_terminal():
    full = json.loads(_targets("--format", "json").stdout)
    longest = max((r["source"] for r in full), key=len)
    assert len(longest) > 70
    assert longest in _targets("--format", "md").stdout and longest in _targets().stdout   # csv
    table = make_runner().invoke(cli, ["targets"]).stdout
    assert longest not in table and longest[:40] in table


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("command", ["targets", "day", "shop", "explain", "check"])
def test_every_document_says_once_what_it_is_not_and_when_to_see_a_doctor(tmp_path, command, fmt):
    """A Markdown or HTML file is read without the terminal's stderr, where the disclaimer also goes: each says it
    once, with the "see a doctor" guidance (a targets file said nothing, other pages only half of it)."""
    from planner.plan import DISCLAIMER
    runner = make_runner()
    plan = tmp_path / "plan.json"
    runner.invoke(cli, ["day", "-o", str(plan)])
    args = [command] if command in ("targets", "day") else [command, str(plan)]
    text = runner.invoke(cli, [*args, "--format", fmt]).stdout
    words = re.sub(r"<[^>]+>", "", text)   # a page may set its first sentence in bold
    assert words.count(DISCLAIMER) == 1, text[-600:]


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc, a folder that takes no new file")
def test_a_folder_that_takes_no_file_is_said_before_any_work():
    """/proc exists but no file can be made in it (even by root): said at once, as a missing folder is, with the
    option's exit code, not after the plan was made."""
    result = make_runner().invoke(cli, ["day", "-o", "/proc/plan.json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.splitlines()[0]]
    assert result.stderr.startswith("Error: /proc/plan.json: cannot write in /proc (")


@pytest.mark.parametrize("command", [["week", "--days", "2"], ["targets"]])
def test_csv_figures_carry_no_float_noise(command):
    """A spreadsheet reads 0.2398032, not 0.23980320000000002 (a cost) or 431.87000000000006 (a total)."""
    import csv
    text = make_runner().invoke(cli, [*command, "--format", "csv"]).stdout
    numbers = [cell for row in csv.reader(text.splitlines()[1:]) for cell in row
               if re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", cell)]
    assert numbers
    assert [c for c in numbers if c != f"{float(c):.10g}"] == []


@pytest.mark.parametrize("command", ["shop", "explain", "targets"])
def test_a_terminal_table_is_said_once_not_to_be_medical_advice(tmp_path, command):
    """shop and explain said nothing of it on a terminal; targets said only its first sentence, on stderr."""
    from planner.plan import DISCLAIMER
    runner = make_runner()
    plan = tmp_path / "plan.json"
    runner.invoke(cli, ["day", "-o", str(plan)])
    result = runner.invoke(cli, [command] if command == "targets" else [command, str(plan)])
    assert (result.stdout + result.stderr).count(DISCLAIMER) == 1, result.stdout[-400:] + result.stderr[-400:]


def test_a_csv_plan_says_its_notes_on_stderr_as_the_other_formats_carry_them(tmp_path):
    """A plan's CSV rows are its meals: its notes (a food with no value for a target, the stand-in prices) had
    been said nowhere in that format, while the table, Markdown and JSON carry them."""
    import pandas as pd
    data = pd.read_csv(ROOT / "foods.csv", dtype=str, keep_default_na=False)
    data["price_per_100g"] = ""                                   # every food unpriced
    data.loc[data["food_id"] == "lentils", "magnesium_mg"] = ""
    path = tmp_path / "mine.csv"
    data.to_csv(path, index=False)
    args = ["day", "--foods", str(path), "--symptom", "calf cramps for 3 weeks", "--include", "lentils"]
    as_json = make_runner().invoke(cli, [*args, "--format", "json"])
    notes = json.loads(as_json.stdout)["notes"]
    assert any("stand-in price" in n for n in notes) and any(n.startswith("magnesium: no value") for n in notes)
    result = make_runner().invoke(cli, [*args, "--format", "csv"])
    assert result.exit_code == as_json.exit_code, result.output
    assert result.stdout.startswith("day,") and "Note:" not in result.stdout
    said = result.stderr.splitlines()
    assert all(any(n in line for line in said) for n in notes), (notes, said)
    assert sum("not medical advice" in line for line in said) == 1
    assert len(said) == len(set(said)), said   # what planning said on its way is not said again
