"""The command line: bad input gives one clear line and no output file; user tables and targets work."""

from __future__ import annotations

import json
import os
import shlex

import pytest

from cli import cli
from conftest import FOODS_CSV, extract_row

HEADER = "food_id,name,magnesium_mg,energy_kcal"


def _line(fdc_id: int, food_id: str | None = None, magnesium: str | None = None) -> str:
    row = extract_row(fdc_id)
    name = row["description"].replace(",", "")
    return ",".join([food_id or f"f{fdc_id}", name, row["magnesium_mg"] if magnesium is None else magnesium,
                     row["energy_kcal"]])


def _table(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def _with(column: str, value: str) -> str:
    """A two-food table with one more column, `value` in the second food's cell (row 3)."""
    return _table(_line(168462) + ",", _line(170567) + "," + value).replace(HEADER, HEADER + "," + column, 1)


# name -> (files to write {name: text}, extra args, expected exit code, words the message must contain)
BAD = {
    "missing column": ({"mine.csv": "food_id,magnesium_mg\na," + extract_row(168462)["magnesium_mg"] + "\n"},
                       ["--foods", "mine.csv"], 1, ["mine.csv", "name"]),
    "word in number": ({"mine.csv": _table(_line(168462), _line(170567, magnesium="plenty"))},
                       ["--foods", "mine.csv"], 1, ["mine.csv", "row 3", "magnesium_mg", "plenty"]),
    "negative value": ({"mine.csv": _table(_line(168462), _line(170567, magnesium="-3"))},
                       ["--foods", "mine.csv"], 1, ["mine.csv", "row 3", "magnesium_mg"]),
    "absurd value": ({"mine.csv": _table(_line(168462), _line(170567, magnesium="5000"))},
                     ["--foods", "mine.csv"], 1, ["mine.csv", "row 3", "magnesium_mg", "5000"]),
    "duplicate ids": ({"mine.csv": _table(_line(168462, "same"), _line(170567, "same"))},
                      ["--foods", "mine.csv"], 1, ["mine.csv", "row 3", "food_id", "same"]),
    "missing foods file": ({}, ["--foods", "nothere.csv"], 1, ["nothere.csv"]),
    "unknown target nutrient": ({"t.csv": "nutrient,min,max\nmagnesium_mg,300,\nzinc_mg,8,\n"},
                                ["--targets", "t.csv"], 1, ["t.csv", "row 3", "nutrient", "zinc_mg"]),
    "min above max": ({"t.csv": "nutrient,min,max\nmagnesium_mg,500,100\n"},
                      ["--targets", "t.csv"], 1, ["t.csv", "row 2", "min"]),
    "word in targets": ({"t.csv": "nutrient,min,max\nmagnesium_mg,lots,\n"},
                        ["--targets", "t.csv"], 1, ["t.csv", "row 2", "min"]),
    "targets missing column": ({"t.csv": "nutrient,low\nmagnesium_mg,300\n"},
                               ["--targets", "t.csv"], 1, ["t.csv", "max"]),
    # A value an option cannot take is a usage error: exit 2, one line naming the option.
    "negative age": ({}, ["--age", "-3"], 2, ["--age", "-3"]),
    "age 200": ({}, ["--age", "200"], 2, ["--age", "200"]),
    "pregnant male": ({}, ["--sex", "male", "--age", "30", "--pregnant"], 2, ["--pregnant"]),
    "pregnant at 60": ({}, ["--age", "60", "--pregnant"], 2, ["--age", "60"]),
    "trimester without pregnant": ({}, ["--age", "30", "--trimester", "2"], 2, ["--trimester", "pregnan"]),
    "trimester 4": ({}, ["--age", "30", "--pregnant", "--trimester", "4"], 2, ["--trimester", "4"]),
    "unknown diet": ({}, ["--diet", "keto"], 2, ["--diet", "keto"]),
    "unknown exclude": ({}, ["--exclude", "pizza"], 2, ["--exclude", "pizza"]),
    "unknown include": ({}, ["--include", "pizza"], 2, ["--include", "pizza"]),
    "unknown deficient": ({}, ["--deficient", "zinc"], 2, ["--deficient", "zinc"]),
    "bad budget": ({}, ["--budget", "-5"], 2, ["--budget"]),
    "budget nan": ({}, ["--budget", "nan"], 2, ["--budget", "nan"]),
    "max caffeine nan": ({}, ["--max-caffeine", "nan"], 2, ["--max-caffeine", "nan"]),
    "time limit -1": ({}, ["--time-limit", "-1"], 2, ["--time-limit", "-1"]),
    "time limit 0": ({}, ["--time-limit", "0"], 2, ["--time-limit", "0.1"]),
    "targets min nan": ({"t.csv": "nutrient,min,max\nmagnesium_mg,nan,\n"}, ["--targets", "t.csv"], 1,
                        ["t.csv", "row 2", "min", "nan"]),
    "targets max inf": ({"t.csv": "nutrient,min,max\nmagnesium_mg,300,inf\n"}, ["--targets", "t.csv"], 1,
                        ["t.csv", "row 2", "max", "inf"]),
    "targets file twice a nutrient": ({"t.csv": "nutrient,min,max\nmagnesium_mg,300,\nmagnesium_mg,310,\n"},
                                      ["--targets", "t.csv"], 1, ["t.csv", "row 3", "nutrient", "twice"]),
    "header-only foods": ({"mine.csv": HEADER + "\n"}, ["--foods", "mine.csv"], 1, ["mine.csv", "no foods"]),
    "fractional fdc_id": ({"mine.csv": _with("fdc_id", "170567.5")}, ["--foods", "mine.csv"], 1,
                          ["mine.csv", "row 3", "fdc_id", "170567.5"]),
    "negative fdc_id": ({"mine.csv": _with("fdc_id", "-170567")}, ["--foods", "mine.csv"], 1,
                        ["mine.csv", "row 3", "fdc_id", "-170567"]),
    "serving of 1e9 g": ({"mine.csv": _with("serving_g", "1e9")}, ["--foods", "mine.csv"], 1,
                         ["mine.csv", "row 3", "serving_g", "not plausible"]),
    "duplicate nutrient column": ({"mine.csv": _with("magnesium_mg", "1")}, ["--foods", "mine.csv"], 1,
                                  ["mine.csv", "row 1", "magnesium_mg", "twice"]),
    "max_days not whole": ({"mine.csv": _with("max_days", "1.5")}, ["--foods", "mine.csv"], 1,
                           ["mine.csv", "row 3", "max_days", "whole number"]),
    # A lenient reader fills a short row with empty cells (missing values) and reads past a stray quote.
    "short row": ({"mine.csv": _table(_line(168462), _line(170567).rsplit(",", 1)[0])}, ["--foods", "mine.csv"], 1,
                  ["mine.csv", "row 3", "energy_kcal", "ends after 3 of the header's 4 cells"]),
    "stray quote": ({"mine.csv": _table(_line(168462), '"' + _line(170567))}, ["--foods", "mine.csv"], 1,
                    ["mine.csv", "quote"]),
    "empty foods name": ({}, ["--foods", ""], 2, ["--foods", "empty"]),
    "targets floor 1e308": ({"t.csv": "nutrient,min,max\nmagnesium_mg,1e308,\n"}, ["--targets", "t.csv"], 1,
                            ["t.csv", "row 2", "min", "more than any day's food can hold"]),
    "targets column twice": ({"t.csv": "nutrient,min,max,min\nmagnesium_mg,300,,310\n"}, ["--targets", "t.csv"],
                             1, ["t.csv", "row 1", "min", "twice"]),
    "targets short row": ({"t.csv": "nutrient,min,max\nmagnesium_mg,300,\ncalcium_mg\n"}, ["--targets", "t.csv"],
                          1, ["t.csv", "row 3", "min"]),
    "empty targets name": ({}, ["--targets", ""], 2, ["--targets", "empty"]),
    "empty symptom": ({}, ["--symptom", " "], 2, ["--symptom", "empty"]),
    "liked but not allowed": ({}, ["--diet", "vegan", "--like", "trout_baked"], 2, ["--like", "trout_baked"]),
    "deficient sodium": ({}, ["--deficient", "sodium"], 2, ["--deficient", "sodium has no floor"]),
    # With no tags column, leaving out a tag or keeping to a diet would keep every food: refused, not ignored.
    "exclusion by tag with no tags": ({"mine.csv": _table(_line(168462), _line(170567))},
                                      ["--foods", "mine.csv", "--exclude", "nuts"], 2,
                                      ["--exclude", "mine.csv", "'tags' column", "'nuts'"]),
    "diet with no tags": ({"mine.csv": _table(_line(168462), _line(170567))},
                          ["--foods", "mine.csv", "--diet", "pescatarian"], 2,
                          ["--diet", "mine.csv", "'tags' column", "'pescatarian'"]),
    "food id with a comma": ({"mine.csv": _table(_line(168462), _line(170567, '"nuts,almonds"'))},
                             ["--foods", "mine.csv"], 1, ["mine.csv", "row 3", "food_id", "nuts,almonds"]),
    "empty name": ({"mine.csv": _table(_line(168462), _line(170567).replace("Nuts almonds", ""))},
                   ["--foods", "mine.csv"], 1, ["mine.csv", "row 3", "name", "empty"]),
    "targets floor above a UL": ({"t.csv": "nutrient,min,max\ncalcium_mg,5000,\n"}, ["--targets", "t.csv"], 1,
                                 ["t.csv", "row 2", "min", "above the UL"]),
}
# `week` shares the option handling with `day`: these cases run on both, the rest on `day` only.
ON_BOTH = ("word in number", "unknown target nutrient",
           "exclusion by tag with no tags", "negative age", "unknown diet", "unknown exclude",
           "unknown deficient", "short row")
CASES = [("day", case) for case in BAD] + [("week", case) for case in ON_BOTH]


def _assert_one_clear_line(result, code, words):
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    # The error is the one line said: no profile line before it, no usage lines around it.
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], f"'{word}' not in: {lines[0]}"


@pytest.mark.parametrize("command,case", CASES)
def test_bad_input(runner, case, command, tmp_path, monkeypatch):
    files, args, code, words = BAD[case]
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    extra = ["--days", "2"] if command == "week" else []
    result = runner.invoke(cli, [command, *extra, *args, "--format", "json", "-o", "out.json"])
    _assert_one_clear_line(result, code, words)
    assert not (tmp_path / "out.json").exists(), "an output file was written for bad input"
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".out.json")], "a temporary file was left"


# Click's own usage errors: (arguments, its message, the command whose help the line points to).
USAGE = {
    "age not a number": (["day", "--age", "abc"], "Invalid value for '--age': 'abc' is not a valid float", "day"),
    "budget not a number": (["week", "--budget", "abc"], "Invalid value for '--budget': 'abc'", "week"),
    "sex not a choice": (["targets", "--sex", "other"], "'other' is not one of 'female', 'male'", "targets"),
    "format not a choice": (["day", "--format", "xml"], "Invalid value for '--format': 'xml'", "day"),
    "no people": (["shop", "week.json", "--people", "0"], "Invalid value for '--people': 0", "shop"),
    "fewer than no people": (["shop", "week.json", "--people", "-1"], "Invalid value for '--people': -1", "shop"),
    "an unexpected argument": (["day", "banana"], "Got unexpected extra argument (banana)", "day"),
    "a required option left out": (["foods", "add", "173757"], "Missing option '--foods'", "foods add"),
    "an option without its value": (["targets", "--age"], "Option '--age' requires an argument", "targets"),
    "an unknown option": (["day", "--bugdet", "5"], "No such option '--bugdet'", "day"),
    "an unknown option of the group": (["--verbose"], "No such option '--verbose'", ""),
    "an unknown command": (["plan"], "No such command 'plan'", ""),
}


@pytest.mark.parametrize("case", USAGE)
def test_a_usage_error_is_one_line_saying_where_the_help_is(runner, case, tmp_path, monkeypatch):
    args, message, command = USAGE[case]
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, args, prog_name="planner")
    _assert_one_clear_line(result, 2, [message, f"(see '{' '.join(['planner', *command.split()])} --help')"])
    assert result.stdout == ""


@pytest.mark.parametrize("args,code,words", [
    (["--age", "-3"], 2, ["--age"]),
    (["--deficient", "zinc"], 2, ["zinc"]),
    (["--targets", "nothere.csv"], 1, ["nothere.csv"]),
])
def test_targets_command_bad_input(runner, args, code, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["targets", *args, "-o", "out.csv"])
    _assert_one_clear_line(result, code, words)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("name,text", [("plan.json", "{not json"), ("other.json", '{"days": []}'),
                                       ("list.json", "[1, 2]"), ("missing.json", None)])
def test_check_unreadable_plan(runner, tmp_path, monkeypatch, name, text):
    monkeypatch.chdir(tmp_path)
    if text is not None:
        (tmp_path / name).write_text(text)
    result = runner.invoke(cli, ["check", name, "-o", "out.txt"])
    _assert_one_clear_line(result, 1, [name])
    assert not (tmp_path / "out.txt").exists()


def _user_table(tmp_path):
    """A user's own table: only food_id, name, magnesium_mg, energy_kcal, price_per_100g."""
    fdc_ids = [168462, 170567, 172421, 173944, 171287, 175168, 169704, 170379, 168875, 173410, 170285, 169414]
    lines = ["food_id,name,magnesium_mg,energy_kcal,price_per_100g"]
    for k, fdc_id in enumerate(fdc_ids):
        row = extract_row(fdc_id)
        lines.append(f"u{k},\"{row['description']}\",{row['magnesium_mg']},{row['energy_kcal']},{0.5 + k / 10}")
    path = tmp_path / "user_foods.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_user_table_with_own_targets(runner, tmp_path):
    foods = _user_table(tmp_path)
    targets = tmp_path / "my_targets.csv"
    targets.write_text("nutrient,min,max\nmagnesium_mg,350,\nenergy_kcal,1600,2400\n")
    out = tmp_path / "plan.json"
    result = runner.invoke(cli, ["day", "--foods", str(foods), "--targets", str(targets), "--format", "json",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert [(t["nutrient"], t["min"], t["max"]) for t in doc["targets"]] == \
        [("magnesium_mg", 350, None), ("energy_kcal", 1600, 2400)]
    assert doc["days"][0]["totals"]["magnesium_mg"] >= 350 - 1e-6
    checked = runner.invoke(cli, ["check", str(out), "--foods", str(foods)])
    assert checked.exit_code == 0, checked.output
    # without --foods, check reads the plan against the table the plan names
    assert runner.invoke(cli, ["check", str(out)]).exit_code == 0
    # the same plan against the embedded table is refused: another table made it
    refused = runner.invoke(cli, ["check", str(out), "--foods", str(FOODS_CSV)])
    _assert_one_clear_line(refused, 1, ["not the food table"])


def test_a_plan_made_with_a_relative_table_path_is_read_from_any_folder(runner, tmp_path, monkeypatch):
    foods = _user_table(tmp_path)
    (tmp_path / "targets.csv").write_text("nutrient,min,max\nmagnesium_mg,350,\nenergy_kcal,1600,2400\n")
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(cli, ["day", "--foods", foods.name, "--targets", "targets.csv", "-o", "plan.json"])
    assert made.exit_code == 0, made.output
    assert json.loads((tmp_path / "plan.json").read_text())["request"]["foods"] == str(foods.resolve())
    monkeypatch.chdir(tmp_path.parent)
    for command in ("check", "shop", "explain"):
        result = runner.invoke(cli, [command, str(tmp_path / "plan.json")])
        assert result.exit_code == 0, (command, result.output)


@pytest.mark.parametrize(("name", "fmt", "first"), [
    ("t.csv", None, "nutrient,unit,min,max"), ("T.CSV", None, "nutrient,unit,min,max"), ("t.md", None, "## Targets"),
    ("t.json", None, "["), ("t.txt", None, "Targets"), ("t.json", "table", "Targets"), ("t.csv", "md", "## Targets"),
])
def test_the_output_files_name_picks_the_format_unless_one_is_given(runner, tmp_path, name, fmt, first):
    args = ["targets", "-o", str(tmp_path / name), *(["--format", fmt] if fmt else [])]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_text().startswith(first)


def test_a_plan_written_to_a_json_file_is_read_back_by_check(runner, tmp_path):
    out = tmp_path / "day.json"
    assert runner.invoke(cli, ["day", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["days"]
    assert runner.invoke(cli, ["check", str(out)]).exit_code == 0


def test_a_slot_share_out_of_range_is_said_in_percent_as_given(runner):
    result = runner.invoke(cli, ["week", "--days", "1", "--slot-kcal", "breakfast=-10,lunch=50,dinner=40,snack=20"])
    _assert_one_clear_line(result, 2, ["--slot-kcal", "breakfast, got -10"])


@pytest.mark.parametrize("command,option,items", [
    ("targets", "--deficient", ["calcium", "magnesium"]),
    ("day", "--exclude", ["pizza", "dairy"]),                                    # refused for pizza alone
    ("week", "--slot-kcal", ["breakfast=-10", "lunch=50", "dinner=40", "snack=20"]),   # refused for breakfast
])
def test_a_list_takes_semicolons_as_it_takes_commas(runner, command, option, items):
    commas, semicolons = (runner.invoke(cli, [command, option, separator.join(items), "--format", "csv"])
                          for separator in (",", " ; "))
    assert commas.exit_code == 0 or items[0].split("=")[0] in commas.stderr, commas.output
    assert (semicolons.exit_code, semicolons.stdout, semicolons.stderr) == \
        (commas.exit_code, commas.stdout, commas.stderr)


@pytest.mark.parametrize("args,words", [
    (["--exclude", "Dairy, GLUTEN", "--include", "lentil_curry"], ["--include", "'lentil_curry' is not allowed"]),
    (["--diet", " Vegan ", "--include", "salmon_canned"], ["--include", "'salmon_canned' is not allowed"]),
    (["--diet", "VEGAN", "--like", "Fish"], ["--like", "no food tagged 'fish' is allowed"]),
])
def test_tags_and_choices_are_read_in_any_case(runner, args, words):
    """Each refusal says the tag or the diet was understood: a dish it rules out cannot be included or liked."""
    _assert_one_clear_line(runner.invoke(cli, ["day", *args]), 2, words)


def test_a_sex_and_a_format_are_read_in_any_case(runner):
    result = runner.invoke(cli, ["targets", "--sex", " MALE", "--age", "40", "--format", "CSV"])
    assert result.exit_code == 0 and "Profile: man, 40" in result.stderr and result.stdout.startswith("nutrient,")


@pytest.mark.parametrize("spelling,meant", [
    ("magnesum", "magnesium"), ("potasium", "potassium"), ("calcum", "calcium"), ("vitamn d", "vitamin D"),
])
def test_a_misspelled_nutrient_is_refused_with_the_nearest_name(runner, spelling, meant):
    result = runner.invoke(cli, ["targets", "--deficient", spelling])
    _assert_one_clear_line(result, 2, [f"--deficient: unknown nutrient '{spelling}': did you mean {meant}? (expected"])


@pytest.mark.parametrize("spelling,column", [
    ("vitamin d3", "vitamin_d_mcg"), ("Vitamin D-2", "vitamin_d_mcg"), ("cholecalciferol", "vitamin_d_mcg"),
    ("vitamin b-12", "vitamin_b12_mcg"), ("b 12", "vitamin_b12_mcg"), ("Vit. B12", "vitamin_b12_mcg"),
])
def test_another_spelling_of_a_nutrient_is_that_nutrient(runner, spelling, column):
    spelled = runner.invoke(cli, ["targets", "--deficient", spelling, "--format", "csv"])
    named = runner.invoke(cli, ["targets", "--deficient", column, "--format", "csv"])
    assert spelled.exit_code == 0, spelled.output
    assert spelled.stdout == named.stdout and spelled.stderr == named.stderr


def test_targets_command_formats(runner):
    for fmt in ("table", "json", "csv", "md"):
        result = runner.invoke(cli, ["targets", "--age", "72", "--sex", "male", "--deficient", "vitamin_d",
                                     "--format", fmt])
        assert result.exit_code == 0, result.output
        # data formats carry the column; the formats people read say "vitamin D"
        assert ("vitamin_d_mcg" if fmt in ("json", "csv") else "vitamin D") in result.stdout
    rows = json.loads(runner.invoke(cli, ["targets", "--format", "json"]).stdout)
    assert {"nutrient", "unit", "min", "max", "source"} <= set(rows[0])
    assert "default" in runner.invoke(cli, ["targets"]).stderr


def test_targets_table_shows_the_patterns_amount_between_floor_and_ceiling(runner):
    """A food group's goal (the Healthy U.S.-Style amount the day aims at) is shown, not only its ceiling."""
    lines = runner.invoke(cli, ["targets"]).stdout.splitlines()
    header = next(line for line in lines if line.startswith("nutrient"))
    assert header.split()[:5] == ["nutrient", "unit", "min", "goal", "max"]
    goals = {r["nutrient"]: r["goal"] for r in json.loads(runner.invoke(cli, ["targets", "--format", "json"]).stdout)}
    vegetables = next(line for line in lines if line.startswith("vegetables"))
    goal = goals["vegetables_with_beans_cup_eq"]
    assert f"{goal:g}" in vegetables[header.index("min"): header.index("max") + 3].split()


def test_targets_file_shown_by_targets_command(runner, tmp_path):
    targets = tmp_path / "t.csv"
    targets.write_text("nutrient,min,max\nmagnesium_mg,400,\n")
    result = runner.invoke(cli, ["targets", "--targets", str(targets), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["nutrient"] == "magnesium_mg" and rows[0]["min"] == 400
    # then the profile's ULs, as ceilings only (magnesium's is for supplements, not food)
    assert {r["kind"] for r in rows[1:]} == {"upper limit"} and "calcium_mg" in {r["nutrient"] for r in rows}
    assert all(r["min"] is None and r["source"].startswith("UL ") for r in rows[1:])


def test_version_and_help(runner):
    assert runner.invoke(cli, ["--version"]).exit_code == 0
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("day", "week", "check", "targets"):
        assert command in result.stdout
    for group in ([], ["foods"]):   # a group given no command prints its whole help, as Click does, not one line
        bare, asked = runner.invoke(cli, group), runner.invoke(cli, [*group, "--help"])
        assert bare.exit_code == 2 and bare.stderr == asked.stdout and asked.stdout.startswith("Usage: ")


def _commands(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def test_each_help_example_is_a_whole_command_on_its_own_line(runner):
    """Help text is wrapped to the terminal, but an example must stay one command a line, to paste as shown, and
    use only options the command has."""
    seen = 0
    for path, command in _commands(cli):
        text = runner.invoke(cli, [*path, "--help"], terminal_width=80).stdout
        lines = text.splitlines()
        for k, line in enumerate(lines):
            if line.strip() != "Example:":
                continue
            block = lines[k + 1:]
            examples = [x.strip() for x in block[:next((j for j, x in enumerate(block) if not x.strip()), len(block))]]
            assert examples, (path, text)
            for example in examples:
                seen += 1
                words = shlex.split(example)
                assert words[:len(path) + 1] == ["planner", *path] and words.count("planner") == 1, example
                named = command
                for word in words[len(path) + 1:]:   # a group's example may be for one of its commands
                    named = getattr(named, "commands", {}).get(word, named)
                options = {o for p in named.params for o in p.opts}
                assert {w.split("=")[0] for w in words if w.startswith("-")} <= options, example
    assert seen >= 10


def test_output_file_has_ordinary_permissions(runner, tmp_path):
    """`-o` writes atomically, but the file must end up with the permissions any new file gets (umask)."""
    umask = os.umask(0)
    os.umask(umask)
    out = tmp_path / "targets.csv"
    result = runner.invoke(cli, ["targets", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_plan_without_an_allergen_serves_no_food_tagged_with_it_and_says_to_read_labels(runner, tmp_path):
    from planner.sources import load_foods

    out = tmp_path / "week.json"
    result = runner.invoke(cli, ["week", "--days", "3", "--exclude", "wheat,shellfish,sesame", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    plan = json.loads(out.read_text())
    tags = load_foods().data["tags"]   # recomputed from the table, not from the plan's own words
    served = {item["food_id"] for day in plan["days"] for item in day["items"]}
    assert served and not any({"wheat", "shellfish", "sesame"} & set(tags[f]) for f in served)
    assert any("read each label" in note and "Left out by tag (wheat, shellfish)" in note for note in plan["notes"])
    # the table tags no food sesame: leaving it out removed nothing, and the plan says so rather than "left out"
    assert any(note.startswith("No food in the embedded food table is tagged 'sesame', so leaving it out removed "
                               "nothing") and "read each label" in note for note in plan["notes"])
    assert runner.invoke(cli, ["check", str(out)]).exit_code == result.exit_code
