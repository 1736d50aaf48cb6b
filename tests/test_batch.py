"""Plans for a table of people: rows read as the command reads options, bad rows skipped with the command's
message, plans made in worker processes or on Dask, written once each, kept across a stop."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from conftest import FOODS_CSV, make_runner

from cli import cli, request_from_options
from planner import check_plan, load_foods, read_plan
from planner.batch import SUMMARY, run_batch
from planner.errors import InputError
from planner.people import COLUMNS, FLAG_COLUMNS, LIST_COLUMNS, NUMBER_COLUMNS, TEXT_COLUMNS, WHOLE_COLUMNS, read_people

ROOT = Path(__file__).resolve().parents[1]
HEADER = "id,age,sex,pregnant,lactating,deficient,symptoms,diet,exclude,budget,days"
PEOPLE = [
    'ann,34,female,,,"magnesium,vitamin_d",eyelid twitching,vegan,nuts,,1',
    "bob,71,male,,,calcium,,,,,1",
    "cai,28,female,yes,,,,vegetarian,,,2",
    "dee,15,female,,,potassium,leg cramps; feeling tired,pescatarian,,15,1",
    "bad,-3,female,,,,,,,,1",
]
GOOD = {"ann", "bob", "cai", "dee"}


def write_people(folder: Path, rows: list[str], name: str = "people.csv") -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def without_timing(path: Path) -> dict:
    """A plan file less how long it took, so that two runs of one request compare equal."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["report"].pop("seconds")
    return doc


def plan_files(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*.json")}


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    """One run over PEOPLE in two worker processes: (folder, result, ids in the order their plans were written)."""
    base = tmp_path_factory.mktemp("batch")
    people = write_people(base, PEOPLE)
    written = []
    result = run_batch(str(people), base / "plans", jobs=2, shopping=True,
                       progress=lambda outcome, done, total: written.append(outcome.id))
    return base / "plans", result, written


def test_a_row_reads_as_the_same_options_of_the_command(tmp_path):
    people, skipped = read_people(str(write_people(tmp_path, PEOPLE)))
    assert [p.id for p in people] == ["ann", "bob", "cai", "dee"] and [p.row for p in people] == [2, 3, 4, 5]
    ann = request_from_options(age=34, sex="female", deficient=("magnesium,vitamin_d",),
                               symptoms=("eyelid twitching",), diet="vegan", exclude=("nuts",), days=1, max_days=3)
    dee = request_from_options(age=15, sex="female", deficient=("potassium",),
                               symptoms=("leg cramps", "feeling tired"), diet="pescatarian", budget=15.0, days=1,
                               max_days=3)
    cai = request_from_options(age=28, sex="female", pregnant=True, diet="vegetarian", days=2, max_days=3)
    assert people[0].request == ann and people[3].request == dee and people[2].request == cai
    assert [(e.id, e.row) for e in skipped] == [("bad", 6)]


def test_a_row_takes_the_meal_options_too(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text('id,age,sex,portions,slot_kcal,cheapest,absorbable_calcium,days\n'
                    'eve,40,female,whole,"breakfast=30,lunch=30,dinner=30,snack=10",yes,yes,2\n'
                    'fay,40,female,,"breakfast=-10,lunch=50,dinner=40,snack=20",,,2\n', encoding="utf-8")
    people, skipped = read_people(str(path))
    assert people[0].request == request_from_options(
        age=40, sex="female", portions="whole", cheapest=True, absorbable_calcium=True, days=2, max_days=3,
        slot_kcal="breakfast=30,lunch=30,dinner=30,snack=10")
    assert [(e.id, e.row) for e in skipped] == [("fay", 3)]
    assert "field 'slot_kcal'" in skipped[0].message and "got -10" in skipped[0].message


def test_a_row_reads_sex_diet_tags_and_choices_in_any_case(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text('id,age,sex,diet,exclude,like,portions,budget,budget_per,days\n'
                    'ann,34,Female,Vegan,"Nuts; SOY",Fortified,WHOLE,50,Week,1\n', encoding="utf-8")
    people, skipped = read_people(str(path))
    assert skipped == [] and people[0].request == request_from_options(
        age=34, sex="female", diet="vegan", exclude=("nuts", "soy"), like=("fortified",), portions="whole",
        budget=50.0, budget_per="week", days=1, max_days=3)


@pytest.mark.parametrize("cells,options", [
    ({"age": "-3"}, ["--age", "-3"]),
    ({"age": "200"}, ["--age", "200"]),
    ({"age": "30", "sex": "male", "pregnant": "yes"}, ["--age", "30", "--sex", "male", "--pregnant"]),
    ({"age": "60", "pregnant": "yes"}, ["--age", "60", "--pregnant"]),
    ({"deficient": "zinc"}, ["--deficient", "zinc"]),
    ({"budget": "-5"}, ["--budget", "-5"]),
    ({"budget": "nan"}, ["--budget", "nan"]),
    ({"kcal": "100"}, ["--kcal", "100"]),
    ({"days": "40"}, ["--days", "40"]),
    ({"trimester": "2"}, ["--trimester", "2"]),                   # not pregnant
    ({"exclude": "pizza"}, ["--exclude", "pizza"]),   # found only when planning starts
], ids=lambda v: "-".join(v) if isinstance(v, list) else None)
def test_a_bad_row_gets_the_commands_message_at_its_row(runner, tmp_path, cells, options):
    header = ["id", *cells]
    path = tmp_path / "people.csv"
    path.write_text(",".join(header) + "\n" + ",".join(["someone", *cells.values()]) + "\n", encoding="utf-8")
    command = runner.invoke(cli, ["week", "--days", "1", *options])
    assert command.exit_code == 2
    error = command.stderr.strip().splitlines()[-1]
    option, _, message = error.removeprefix("Error: ").partition(": ")
    result = run_batch(str(path), tmp_path / "plans", jobs=1)
    assert result.summary["status"].tolist() == ["error"] and plan_files(tmp_path / "plans") == set()
    column = option.removeprefix("--").replace("-", "_")
    assert result.errors() == [f"{path}, row 2, field '{column}': {message}"]


@pytest.mark.parametrize("text,words", [
    ("name,age\nann,30\n", ["missing column 'id'", "unknown column 'name'"]),
    ("age\n30\n", ["missing column 'id'"]),
    ("", ["empty"]),
    ("id,age,age\nann,30,31\n", ["'age' appears twice"]),
    ("id,age\n\n", ["a header but no people"]),   # had planned "0 people" and exited 0
])
def test_a_table_that_is_not_a_people_table_is_one_error(tmp_path, text, words):
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        run_batch(str(path), tmp_path / "plans")
    assert all(w in str(error.value) for w in words) and str(path) in str(error.value)
    assert not (tmp_path / "plans").exists()


def test_a_header_says_all_that_is_wrong_with_it_and_the_columns_in_their_documented_order(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,Age,SEX,weight\nann,30,female,60\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_people(str(path))
    assert str(error.value) == (
        f"{path}: missing column 'id' (one name per person; it names the person's plan file); unknown columns 'name', "
        "'weight'; expected id and any of: age, sex, pregnant, trimester, lactating, kcal, deficient, symptoms, "
        "duration_days, max_caffeine, diet, exclude, include, like, budget, budget_per, days, max_days, portions, "
        "slot_kcal, cheapest, absorbable_calcium")
    path.write_text("ID,Age,SEX\nann,30,female\n", encoding="utf-8")
    assert read_people(str(path))[0][0].request == request_from_options(age=30, sex="female", days=7, max_days=3)
    # Every column a row is read by is listed, once.
    read = ["id", *NUMBER_COLUMNS, *WHOLE_COLUMNS, *FLAG_COLUMNS, *TEXT_COLUMNS, *LIST_COLUMNS]
    assert sorted(COLUMNS) == sorted(read)


def test_ids_must_name_a_file_once(tmp_path):
    path = write_people(tmp_path, ["a/b,30,,,,,,,,,1", ",30,,,,,,,,,1", "Ann,30,,,,,,,,,1", "ann,31,,,,,,,,,1",
                                   "x,30,,maybe,,,,,,,1", "y,30,,,,,,,,,1,extra"])
    people, skipped = read_people(str(path))
    assert [p.id for p in people] == ["Ann"]
    messages = {e.row: e.message for e in skipped}
    assert "field 'id'" in messages[2] and "'a/b'" in messages[2]
    assert "an empty cell" in messages[3]
    assert "'ann' is already the id of row 4" in messages[5]
    assert "field 'pregnant'" in messages[6] and "'maybe'" in messages[6]
    assert "quote a cell" in messages[7]


def test_every_person_gets_the_plan_the_week_command_makes(planned, runner):
    folder, result, written = planned
    assert plan_files(folder) == GOOD
    assert sorted(written) == sorted(GOOD)         # each plan written once
    summary = pd.read_csv(folder / SUMMARY)
    assert summary["id"].tolist() == ["ann", "bob", "cai", "dee", "bad"]
    assert set(summary.loc[summary["status"] != "error", "id"]) == GOOD
    assert summary.loc[summary["id"] == "bad", "message"].item().endswith("got -3")
    foods = load_foods()
    for person in GOOD:
        plan = read_plan(folder / f"{person}.json")
        failures = check_plan(plan, foods).failures
        row = summary.set_index("id").loc[person]
        # A plan that meets its floors passes the independent check; a short one fails only on its floors.
        assert set(failures["check"]) <= {"min"} and (row["status"] == "ok") == failures.empty
        assert row["cost"] == pytest.approx(plan.cost) and row["seconds"] > 0 and row["cpu_seconds"] > 0
    command = runner.invoke(cli, ["week", "--days", "1", "--age", "71", "--sex", "male", "--deficient", "calcium",
                                  "--format", "json"])
    assert command.exit_code in (0, 1)
    doc = json.loads(command.stdout)
    doc["report"].pop("seconds")
    assert doc == without_timing(folder / "bob.json")


def test_one_shopping_list_sums_every_plan(planned):
    folder, _, _ = planned
    eaten = Counter()
    for person in GOOD:
        for day in json.loads((folder / f"{person}.json").read_text())["days"]:
            for item in day["items"]:
                eaten[item["food_id"]] += item["grams"]
    listing = pd.read_csv(folder / "shopping.csv").set_index("food_id")
    assert set(listing.index) == set(eaten)
    for food_id, grams in eaten.items():
        assert listing.at[food_id, "eaten_g"] == pytest.approx(grams, abs=0.06)
    # The plans are of 1 and 2 days: the title says so, not "2 day(s)".
    assert (folder / "shopping.md").read_text().splitlines()[0] == "# Shopping list: plans of 1 to 2 days, 4 people"


def _inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.stem: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.json")}


def test_a_rerun_keeps_whole_plans_and_remakes_changed_or_broken_ones(planned, tmp_path):
    source, _, _ = planned
    folder = tmp_path / "plans"
    shutil.copytree(source, folder)
    (folder / "cai.json").write_text((folder / "cai.json").read_text()[:500])     # cut short by hand
    rows = [r.replace("71,male", "72,male") for r in PEOPLE]                        # bob is a year older
    before = _inodes(folder)
    written = []
    result = run_batch(str(write_people(tmp_path, rows)), folder, jobs=2,
                       progress=lambda outcome, done, total: written.append(outcome.id))
    assert sorted(written) == ["bob", "cai"]
    after = _inodes(folder)
    assert {p for p in GOOD if after[p] == before[p]} == {"ann", "dee"}
    assert read_plan(folder / "bob.json").request.profile.age == 72
    assert dict(zip(result.summary["id"], result.summary["resumed"])) == \
        {"ann": True, "bob": False, "cai": False, "dee": True, "bad": False}
    assert any("cai" in note for note in result.notes) and any("bob" in note for note in result.notes)


def test_the_command_writes_no_data_to_stdout_and_exits_1_for_a_skipped_row(runner, tmp_path):
    path = write_people(tmp_path, [PEOPLE[1], PEOPLE[4]])
    result = runner.invoke(cli, ["batch", str(path), "-o", str(tmp_path / "plans"), "--jobs", "1"])
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()   # no progress bar when stderr is not a terminal: the skipped row, a summary
    assert len(lines) == 2 and lines[0].startswith(f"Skipped: {path}, row 3, field 'age'")
    assert lines[-1].startswith("2 people: 1 plan in") and "; 1 row skipped;" in lines[-1]
    again = runner.invoke(cli, ["batch", str(write_people(tmp_path, [PEOPLE[1]])), "-o", str(tmp_path / "plans")])
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines()[-1].startswith("1 person: 1 plan in")
    assert "0 made now" in again.stderr and "1 kept from an earlier run" in again.stderr


def test_a_killed_run_leaves_whole_plans_and_a_rerun_finishes_the_rest(tmp_path):
    ids = [f"p{k}" for k in range(8)]
    path = write_people(tmp_path, [f"{i},{30 + k},{'female' if k % 2 else 'male'},,,,,,,,1" for k, i in enumerate(ids)])
    folder = tmp_path / "plans"
    command = [sys.executable, str(ROOT / "cli.py"), "batch", str(path), "-o", str(folder), "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(plan_files(folder) if folder.exists() else ()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(run.pid, signal.SIGKILL)   # the main process only: its workers must end by themselves
        run.wait()
        before = _inodes(folder)
        assert 2 <= len(before) < len(ids), "the run was not stopped in the middle"
        deadline = time.monotonic() + 30
        while _group_alive(run.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _group_alive(run.pid), "worker processes outlived the killed run"
    finally:
        if _group_alive(run.pid):
            os.killpg(run.pid, signal.SIGKILL)
    for name in before:
        read_plan(folder / f"{name}.json")          # every file there is a whole plan
    finish = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert finish.returncode == 0, finish.stderr
    after = _inodes(folder)
    assert set(after) == set(ids)
    assert {k: after[k] for k in before} == before   # not one plan made again
    summary = pd.read_csv(folder / SUMMARY)
    assert set(summary.loc[summary["resumed"], "id"]) == set(before)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("lost", ["one worker", "every worker"])
def test_dask_makes_the_same_plans_and_writes_each_once_when_a_worker_dies(planned, tmp_path, lost):
    """With every worker lost at once, the food table scattered to them goes too: it is sent again."""
    distributed = pytest.importorskip("dask.distributed")
    source, _, _ = planned
    path = write_people(tmp_path, PEOPLE)
    written: list[str] = []
    killed: list[str] = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        pids = client.run(os.getpid)

        def progress(outcome, done: int, total: int) -> None:
            written.append(outcome.id)
            busy = [w for w, keys in client.processing().items() if keys]
            if not killed and done < total and busy:
                for worker in busy[:1] if lost == "one worker" else list(pids):
                    killed.append(worker)
                    os.kill(pids[worker], signal.SIGKILL)   # lost in the middle of a plan

        result = run_batch(str(path), tmp_path / "plans", scheduler=cluster.scheduler_address, progress=progress)
    assert killed, "no worker was killed while plans were being made"
    assert sorted(written) == sorted(GOOD)            # every plan written exactly once
    assert plan_files(tmp_path / "plans") == GOOD
    assert result.summary.loc[result.summary["id"] != "bad", "status"].isin(["ok", "short"]).all()
    for person in GOOD:
        assert without_timing(tmp_path / "plans" / f"{person}.json") == without_timing(source / f"{person}.json")


def test_plans_made_over_a_table_file_name_it_so_check_needs_no_foods_option(tmp_path, monkeypatch):
    """`--foods my.csv` (a relative path): each plan names the table by its full path, read from any folder."""
    shutil.copy(FOODS_CSV, tmp_path / "my_foods.csv")
    monkeypatch.chdir(tmp_path)
    result = run_batch(str(write_people(tmp_path, ["eve,40,female,,,,,,,,1"])), "plans", foods="my_foods.csv", jobs=1)
    assert result.ok
    monkeypatch.chdir(tmp_path.parent)
    plan = read_plan(tmp_path / "plans" / "eve.json")
    assert plan.request.foods == str(tmp_path.resolve() / "my_foods.csv")
    assert check_plan(plan).ok


def test_an_urgent_warning_is_said_and_in_the_summary_not_only_in_the_plan(tmp_path):
    """A row whose symptom needs help now (chest pain): its URGENT line is said on stderr before the summary, with
    the person's id and row, and the summary has it in its `urgent` column."""
    people = write_people(tmp_path, ["gus,50,male,,,,chest pain and cramps,,,,1", "eve,40,female,,,,,,,,1"])
    result = make_runner().invoke(cli, ["batch", str(people), "-o", str(tmp_path / "plans"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    plan = read_plan(tmp_path / "plans" / "gus.json")
    urgent = [n for n in plan.notes if n.startswith("URGENT: ")]
    assert urgent
    lines = result.stderr.splitlines()
    said = [line for line in lines if line.startswith("URGENT: ")]
    assert said == [f"{line} (for gus, row 2)" for line in urgent]
    assert lines.index(said[-1]) < next(k for k, line in enumerate(lines) if line.startswith("2 people:"))
    summary = pd.read_csv(tmp_path / "plans" / SUMMARY, keep_default_na=False).set_index("id")
    assert summary.at["gus", "urgent"] == " | ".join(urgent) and summary.at["eve", "urgent"] == ""
    assert "1 with an URGENT warning" in result.stderr


def test_dask_missing_is_one_line_and_makes_no_folder(runner, tmp_path, monkeypatch):
    """Without the dask extra, --dask says how to get it and leaves no empty plans folder behind."""
    monkeypatch.setitem(sys.modules, "dask.distributed", None)   # as on a machine without planner[dask]
    people = write_people(tmp_path, ["1,35,female"])
    result = runner.invoke(cli, ["batch", str(people), "-o", str(tmp_path / "plans"), "--dask"])
    assert result.exit_code == 2 and "pip install 'planner[dask]'" in result.stderr, result.output
    assert not (tmp_path / "plans").exists()


def test_a_plan_over_a_table_with_no_prices_has_no_cost_in_the_summary(tmp_path):
    """Missing is missing: the summary's cost cell is empty for a plan none of whose foods has a price, not 0."""
    data = pd.read_csv(FOODS_CSV, dtype=str, keep_default_na=False)
    data["price_per_100g"] = data["price_source"] = data["price_date"] = ""
    data.to_csv(tmp_path / "unpriced.csv", index=False)
    result = run_batch(str(write_people(tmp_path, ["eve,40,female,,,,,,,,1"])), tmp_path / "plans",
                       foods=str(tmp_path / "unpriced.csv"), jobs=1)
    assert result.ok
    (row,) = pd.read_csv(tmp_path / "plans" / SUMMARY, dtype=str, keep_default_na=False).to_dict("records")
    assert row["status"] == "ok" and row["cost"] == ""


def test_a_rerun_keeps_a_plan_that_counts_absorbable_calcium(tmp_path):
    """Such a plan is made over the table with that column added: a rerun compares it with that table, and keeps
    the plan (it was made again on every run)."""
    people = tmp_path / "people.csv"
    people.write_text("id,age,sex,absorbable_calcium\nx1,40,female,yes\n", encoding="utf-8")
    first = run_batch(str(people), tmp_path / "plans", jobs=1)
    again = run_batch(str(people), tmp_path / "plans", jobs=1)
    assert first.ok and again.ok and not again.notes
    assert list(again.summary["resumed"]) == [True]


@pytest.mark.parametrize("folder,words", [
    ("", ["--output", "empty name"]),                         # had planned into the current folder
    ("a_file", ["--output", "'{tmp}/a_file' is a file"]),
    ("missing/plans", ["--output", "cannot make the folder '{tmp}/missing/plans'"]),
])
def test_a_folder_that_cannot_take_the_plans_is_an_options_error_and_nothing_is_written(runner, tmp_path,
                                                                                         monkeypatch, folder, words):
    people = write_people(tmp_path, ["1,35,female"])
    (tmp_path / "a_file").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = runner.invoke(cli, ["batch", str(people), "-o", folder and str(tmp_path / folder)])
    assert result.exit_code == 2 and result.stdout == "", result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and all(w.format(tmp=tmp_path) in lines[0] for w in words), lines
    assert sorted(p.name for p in tmp_path.iterdir()) == before
