"""A census of bad inputs: each given to the installed `planner` in a subprocess, each answer classified.

Every case is a command line, the files it reads (written into a temporary folder of its own)
and what a careful tool does with it:

* error:  refuse with one `Error:` line on stderr that names what is wrong (each case lists
          words the line must hold: the option, the file, the row, the field), exit 1 or 2, no
          traceback, and no file at `-o` (every case that can take `-o` gets one);
* fail:   `check` finds the plan false: exit 1, the words in what it prints;
* warn:   go on, but say so on stderr (the words);
* accept: valid input (a byte-order mark, CRLF line ends, an empty pantry): exit 0;
* plan:   a valid but hard request: a plan in the `-o` file, exit 0 (or 1 with shortfalls named).

Each answer falls in one category (below); the script prints the counts and every case that is
not `clean`. Usage:

    python benchmarks/bad_inputs.py [--planner PATH] [--jobs 2] [--only TEXT] [--list]

`--planner` defaults to the `planner` beside this Python (the installed command). Not part of
the test run: the cases that matter have tests of their own.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = {
    "clean": "answered as it should (one clear Error: line, a failing check, a warning, a plan)",
    "traceback": "a Python traceback, or a crash",
    "hang": "no answer within the time limit",
    "partial output": "an error, yet a file (or a temporary one) at -o",
    "silently accepted": "exit 0 on input that is wrong, and nothing said",
    "wrong blame": "one clear line, but it does not name what is wrong",
    "not one line": "an error, but not as one Error: line (other lines, or none)",
    "valid input refused": "an error on input that is valid",
    "no plan": "a valid but hard request that got no plan at all",
}
# Commands that take -o: an error case gets `-o out.txt`, which must not exist afterwards.
TAKES_OUTPUT = {"day", "week", "targets", "check", "explain", "shop", "search", "add", "enrich", "import"}
# A closed port: a command that reaches the network with a bad option blames the connection, not the option.
DEAD_API = "http://127.0.0.1:9/fdc"
TIME_LIMIT_S = 600


@dataclass
class Case:
    name: str
    args: list[str]
    expect: str                                   # error | fail | warn | accept | plan
    words: tuple[str, ...] = ()
    files: dict[str, bytes | str] = field(default_factory=dict)
    output: bool = True                           # add -o (error cases) / the plan's -o (plan cases)


@dataclass
class Result:
    case: Case
    category: str
    code: int | None
    stderr: str
    seconds: float


# --------------------------------------------------------------------------- inputs


class Inputs:
    """The valid inputs the cases start from: the embedded table, a plan made by the command, a targets file."""

    def __init__(self, planner: str, base: Path):
        self.table_text = (ROOT / "foods.csv").read_text(encoding="utf-8")
        reader = csv.reader(io.StringIO(self.table_text))
        self.header = next(reader)
        self.rows = list(reader)
        by_id = {r[0]: dict(zip(self.header, r)) for r in self.rows}
        self.fish = next(i for i, r in by_id.items() if "fish" in r["tags"].split("|"))
        self.first = self.rows[0][0]
        plan = base / "plan.json"
        done = subprocess.run([planner, "week", "--days", "2", "--format", "json", "-o", str(plan)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"could not make the plan the cases start from:\n{done.stderr}")
        self.plan = json.loads(plan.read_text(encoding="utf-8"))
        self.plan_text = plan.read_text(encoding="utf-8")

    def table(self, edit: dict[tuple[int, str], str] | None = None, rows: list[list[str]] | None = None,
              header: list[str] | None = None, newline: str = "\n") -> str:
        """The embedded table as CSV text, with cells `(data row, column) -> text` changed."""
        header = list(self.header if header is None else header)
        body = [list(r) for r in (self.rows if rows is None else rows)]
        for (k, column), value in (edit or {}).items():
            body[k][header.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator=newline).writerows([header, *body])
        return out.getvalue()

    def plan_with(self, edit) -> str:
        doc = json.loads(self.plan_text)
        edit(doc)
        return json.dumps(doc)


def _zip(files: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


BULK_FOOD = "fdc_id,data_type,description,food_category_id,publication_date\n" \
            "1001,sr_legacy_food,Jalapeno peppers raw,11,2019-04-01\n"
BULK_NUTRIENT = "id,name,unit_name,nutrient_nbr\n1090,Magnesium,MG,304\n1008,Energy,KCAL,208\n"
BULK_FOOD_NUTRIENT = "id,fdc_id,nutrient_id,amount\n1,1001,1090,15\n2,1001,1008,29\n"


def _bulk(**changed: str) -> dict[str, str]:
    files = {"food.csv": BULK_FOOD, "nutrient.csv": BULK_NUTRIENT, "food_nutrient.csv": BULK_FOOD_NUTRIENT}
    files.update({f"{k}.csv": v for k, v in changed.items()})
    return {name: text for name, text in files.items() if text is not None}


# --------------------------------------------------------------------------- the cases


def option_cases() -> list[Case]:
    """Options out of range, NaN, infinite, negative or of the wrong type, on every command that takes them."""
    cases = []
    bad = {
        "--age": ["-3", "0", "0.5", "200", "nan", "inf", "-inf", "abc", ""],
        "--kcal": ["0", "-100", "100", "100000", "nan", "inf", "abc"],
        "--max-caffeine": ["-1", "nan", "inf", "abc"],
        "--budget": ["-5", "0", "nan", "inf", "abc"],
        "--time-limit": ["-1", "0", "nan", "inf", "abc", "1e9"],
        "--diet": ["keto", ""], "--portions": ["quarter"], "--solver": ["gurobi"], "--meals": ["some"],
        "--budget-per": ["month"], "--format": ["xml"], "--sex": ["other", ""],
        "--exclude": ["pizza"], "--include": ["pizza"], "--like": ["pizza"],
        "--deficient": ["zinc", "magnesium,zinc", "vitamin"],
    }
    for option, values in bad.items():
        for value in values:
            cases.append(Case(f"day {option} {value!r}", ["day", option, value], "error", (option,)))
    for option in ("--age", "--kcal", "--max-caffeine", "--budget", "--time-limit"):
        cases.append(Case(f"week {option} nan", ["week", "--days", "2", option, "nan"], "error", (option,)))
    for option, value in (("--age", "-1"), ("--age", "nan"), ("--kcal", "inf"), ("--max-caffeine", "nan"),
                          ("--deficient", "zinc"), ("--sex", "x"), ("--format", "xml")):
        cases.append(Case(f"targets {option} {value}", ["targets", option, value], "error", (option,)))
    profile = [
        ("pregnant man", ["--sex", "male", "--age", "30", "--pregnant"], ("--pregnant",)),
        ("pregnant and lactating", ["--age", "30", "--pregnant", "--lactating"], ("--pregnant",)),
        ("pregnant at 60", ["--age", "60", "--pregnant"], ("--age",)),
        ("lactating at 10", ["--age", "10", "--sex", "female", "--lactating"], ("--age",)),
        ("trimester without pregnancy", ["--age", "30", "--trimester", "2"], ("--trimester",)),
        ("trimester 0", ["--age", "30", "--pregnant", "--trimester", "0"], ("--trimester",)),
        ("trimester 4", ["--age", "30", "--pregnant", "--trimester", "4"], ("--trimester",)),
        ("trimester abc", ["--age", "30", "--pregnant", "--trimester", "abc"], ("--trimester",)),
        ("duration without symptom", ["--duration-days", "10"], ("--duration-days",)),
        ("duration -1", ["--symptom", "eyelid twitching", "--duration-days", "-1"], ("--duration-days",)),
        ("duration nan", ["--symptom", "eyelid twitching", "--duration-days", "nan"], ("--duration-days",)),
        ("duration inf", ["--symptom", "eyelid twitching", "--duration-days", "inf"], ("--duration-days",)),
        ("duration abc", ["--symptom", "eyelid twitching", "--duration-days", "abc"], ("--duration-days",)),
        ("empty symptom", ["--symptom", ""], ("--symptom",)),
        ("blank symptom", ["--symptom", "   "], ("--symptom",)),
    ]
    for name, args, words in profile:
        cases.append(Case(f"targets {name}", ["targets", *args], "error", words))
        cases.append(Case(f"day {name}", ["day", *args], "error", words))
    cases += [
        Case("symptom gibberish", ["targets", "--symptom", "qwzx plorf"], "warn", ("No symptom recognised",)),
        Case("symptom emoji", ["targets", "--symptom", "\U0001f600\U0001f600"], "warn", ("No symptom recognised",)),
        Case("symptom 20,000 characters", ["targets", "--symptom", "blah " * 4000], "warn",
             ("No symptom recognised",)),
        Case("symptom digits", ["targets", "--symptom", "12345"], "warn", ("No symptom recognised",)),
        Case("include an excluded food", ["day", "--exclude", "fish", "--include", "{fish}"], "error",
             ("--include", "{fish}")),
    ]
    week = {"--days": ["0", "-1", "29", "1.5", "abc", "1000"], "--max-days": ["0", "-1", "abc", "1.5"],
            "--slot-kcal": ["abc", "breakfast=abc", "brunch=50,lunch=50", "breakfast=90,lunch=90",
                            "breakfast=-10,lunch=40,dinner=60,snack=10", "breakfast=nan,lunch=100", "breakfast=inf",
                            "=", ",", "breakfast=25,breakfast=75"]}
    for option, values in week.items():
        for value in values:
            cases.append(Case(f"week {option} {value!r}", ["week", "--days", "2", option, value] if option != "--days"
                              else ["week", option, value], "error", (option,)))
    people = ["0", "-1", "101", "abc", "1.5"]
    cases += [Case(f"shop --people {p}", ["shop", "{plan}", "--people", p], "error", ("--people",)) for p in people]
    return cases


def output_cases() -> list[Case]:
    """Bad -o targets: refused before any work, and nothing replaced."""
    files = {"t.csv": "nutrient,min,max\nmagnesium_mg,300,\n", "sub/keep.txt": "x"}
    cases = [
        Case("-o empty name", ["targets", "-o", ""], "error", ("-o",)),
        Case("-o a folder", ["targets", "-o", "sub"], "error", ("sub", "folder")),
        Case("-o a device", ["targets", "-o", "/dev/null"], "error", ("/dev/null", "device")),
        Case("-o in a missing folder", ["targets", "-o", "nope/t.csv"], "error", ("nope",)),
        Case("-o a trailing slash", ["targets", "-o", "newdir/"], "error", ("-o",)),
        Case("-o the targets file read", ["targets", "--targets", "t.csv", "-o", "t.csv"], "error", ("t.csv",)),
        Case("check -o its plan", ["check", "{plan}", "-o", "{plan}"], "error", ("also an input",)),
        Case("shop -o its plan", ["shop", "{plan}", "-o", "{plan}"], "error", ("also an input",)),
        Case("explain -o its plan", ["explain", "{plan}", "-o", "{plan}"], "error", ("also an input",)),
        Case("shop -o its pantry", ["shop", "{plan}", "--pantry", "p.csv", "-o", "p.csv"], "error", ("p.csv",),
             files={"p.csv": "food_id,grams\n{first},100\n"}),
        Case("day -o a folder", ["day", "-o", "sub"], "error", ("sub", "folder")),
        Case("import -o its input", ["foods", "import", "x.zip", "-o", "x.zip"], "error", ("x.zip",),
             files={"x.zip": _zip(_bulk())}),
    ]
    for c in cases:
        c.files = {**files, **c.files}
        c.output = False
    return cases


def table_cases(inputs: Inputs) -> list[Case]:
    """Malformed food tables given to --foods (and to foods add / enrich)."""
    t = inputs
    h = t.header
    text = t.table()
    lines = text.splitlines(keepends=True)
    short = t.table(rows=[t.rows[0], t.rows[1][:-3], *t.rows[2:]])
    unquoted = lines[0] + lines[1] + ",".join(t.rows[1]) + "\n" + "".join(lines[3:])
    long_row = lines[0] + lines[1].rstrip("\n") + ",extra\n" + "".join(lines[2:])
    without = lambda column: t.table(header=[c for c in h if c != column],  # noqa: E731
                                     rows=[[v for c, v in zip(h, r) if c != column] for r in t.rows])
    nutrients_dropped = [c for c in h if not c.endswith(("_mg", "_mcg", "_kcal", "_g", "_eq")) or
                         c in ("serving_g", "usual_g", "package_g")]
    tables = {
        # name: (file bytes or text, words)
        "an empty file": ("", ("empty",)),
        "blank lines only": ("\n\n\n", ("empty",)),
        "binary data": (bytes(range(256)) * 8, ("binary",)),
        "a PNG": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("binary",)),
        "Latin-1 text": (text.replace("Black beans", "Black beans jalape\u00f1o").encode("latin-1", "replace"),
                         ("UTF-8",)),
        "UTF-16 text": (text.encode("utf-16"), ()),
        "header only": (lines[0], ("no foods",)),
        "no food_id column": (without("food_id"), ("food_id",)),
        "no name column": (without("name"), ("name",)),
        "no nutrient columns": (t.table(header=nutrients_dropped, rows=[[v for c, v in zip(h, r)
                                                                        if c in nutrients_dropped] for r in t.rows]),
                                ("nutrient",)),
        "duplicate food id": (t.table({(1, "food_id"): t.first}), ("row 3", "food_id", t.first)),
        "empty food id": (t.table({(4, "food_id"): ""}), ("row 6", "food_id")),
        "duplicate column": (t.table(header=h + ["magnesium_mg"], rows=[r + ["1"] for r in t.rows]),
                             ("magnesium_mg", "twice")),
        "a row cut short": (short, ("row 3",)),
        "a row with unquoted commas": (unquoted, ("row 3",)),
        "a row too long": (long_row, ("row 2",)),
        "an unclosed quote": (lines[0] + '"' + lines[1] + "".join(lines[2:]), ()),
        "CRLF line ends": (t.table(newline="\r\n"), None),
        "a byte-order mark": ("\ufeff" + text, None),
    }
    for column, values in {
        "magnesium_mg": ["-3", "1e9", "plenty", "nan", "inf", "-inf", "1,5"],
        "energy_kcal": ["-1", "5000", "NaN"],
        "serving_g": ["0", "-1", "1e9", "abc", "nan"],
        "price_per_100g": ["-0.5", "$1", "inf"],
        "max_servings": ["0", "-1", "lots"],
        "max_days": ["0", "1.5", "-2"],
        "package_g": ["-5", "0"],
        "tags": ["paleo", "vegan|keto"],
        "slots": ["brunch"],
        "role": ["dessert"],
    }.items():
        for value in values:
            tables[f"{column} {value!r}"] = (t.table({(3, column): value}), ("row 5", column))
    with_fdc = t.header + ["fdc_id"]
    for value in ("168462.5", "-168462", "0", "abc", "1e30"):
        rows = [r + [""] for r in t.rows]
        rows[2][-1] = value
        tables[f"fdc_id {value!r}"] = (t.table(header=with_fdc, rows=rows), ("row 4", "fdc_id"))
    cases = []
    for name, (content, words) in tables.items():
        files = {"mine.csv": content}
        if words is None:
            cases.append(Case(f"--foods {name}", ["targets", "--foods", "mine.csv"], "accept", files=files))
            continue
        cases.append(Case(f"--foods {name}", ["day", "--foods", "mine.csv"], "error", ("mine.csv", *words),
                          files=files))
    cases += [
        Case("--foods a missing file", ["day", "--foods", "nothere.csv"], "error", ("nothere.csv",)),
        Case("--foods a folder", ["day", "--foods", "sub"], "error", ("sub",), files={"sub/x": "x"}),
        Case("--foods an empty name", ["day", "--foods", ""], "error", ("--foods",)),
        Case("week --foods binary", ["week", "--days", "2", "--foods", "mine.csv"], "error", ("mine.csv", "binary"),
             files={"mine.csv": b"\x00\x01\x02"}),
        Case("check --foods another table", ["check", "{plan}", "--foods", "mine.csv"], "error",
             ("not the food table",), files={"mine.csv": t.table(rows=t.rows[:-1])}),
        Case("shop --foods a broken table", ["shop", "{plan}", "--foods", "mine.csv"], "error",
             ("mine.csv", "magnesium_mg"), files={"mine.csv": t.table({(0, "magnesium_mg"): "x"})}),
        Case("explain --foods header only", ["explain", "{plan}", "--foods", "mine.csv"], "error",
             ("mine.csv", "no foods"), files={"mine.csv": lines[0]}),
    ]
    return cases


def targets_cases(inputs: Inputs) -> list[Case]:
    """Malformed targets files given to --targets."""
    head = "nutrient,min,max\n"
    files = {
        "an empty file": ("", ("empty",)),
        "binary data": (b"\x00\xff\x00\xfe" * 100, ("binary",)),
        "Latin-1 text": ((head + "magnesium_mg,300,\n# caf\u00e9\n").encode("latin-1"), ("UTF-8",)),
        "header only": (head, ("no targets",)),
        "no nutrient column": ("name,min,max\nmagnesium_mg,300,\n", ("nutrient",)),
        "no max column": ("nutrient,min\nmagnesium_mg,300\n", ("max",)),
        "unknown nutrient": (head + "happiness,1,\n", ("row 2", "nutrient", "happiness")),
        "empty nutrient": (head + ",300,\n", ("row 2", "nutrient")),
        "min above max": (head + "magnesium_mg,500,100\n", ("row 2", "min")),
        "min nan": (head + "magnesium_mg,nan,\n", ("row 2", "min")),
        "max inf": (head + "magnesium_mg,300,inf\n", ("row 2", "max")),
        "min -1": (head + "magnesium_mg,-1,\n", ("row 2", "min")),
        "min a word": (head + "magnesium_mg,lots,\n", ("row 2", "min")),
        "min 1e308": (head + "magnesium_mg,1e308,\n", ("row 2", "min")),
        "max 1e12": (head + "sodium_mg,,1e12\n", ("row 2", "max")),
        "a share of 150%": (head + "protein_pct_kcal,150,\n", ("row 2", "min")),
        "max -inf": (head + "magnesium_mg,,-inf\n", ("row 2", "max")),
        "a nutrient twice": (head + "magnesium_mg,300,\nmagnesium_mg,310,\n", ("row 3", "twice")),
        "neither bound": (head + "magnesium_mg,,\n", ("row 2",)),
        "a row cut short": (head + "magnesium_mg,300,\ncalcium_mg\n", ("row 3",)),
        "a row too long": (head + "magnesium_mg,300,,9\n", ("row 2",)),
        "a duplicate column": ("nutrient,min,max,min\nmagnesium_mg,300,,310\n", ("min",)),
        "a byte-order mark": ("\ufeff" + head + "magnesium_mg,300,\n", None),
        "spaces in the header": (" nutrient , min , max\nmagnesium_mg,300,\n", None),
    }
    cases = []
    for name, (content, words) in files.items():
        if words is None:
            cases.append(Case(f"--targets {name}", ["targets", "--targets", "t.csv"], "accept",
                              files={"t.csv": content}))
        else:
            cases.append(Case(f"--targets {name}", ["targets", "--targets", "t.csv"], "error", ("t.csv", *words),
                              files={"t.csv": content}))
    cases += [
        Case("--targets a missing file", ["targets", "--targets", "nothere.csv"], "error", ("nothere.csv",)),
        Case("--targets an empty name", ["targets", "--targets", ""], "error", ("--targets",)),
        Case("day --targets an empty name", ["day", "--targets", ""], "error", ("--targets",)),
        Case("--targets a folder", ["targets", "--targets", "sub"], "error", ("sub",), files={"sub/x": "x"}),
        Case("day --targets a nutrient the table lacks", ["day", "--targets", "t.csv"], "error",
             ("t.csv", "row 3", "zinc_mg"), files={"t.csv": "nutrient,min,max\nmagnesium_mg,300,\nzinc_mg,8,\n"}),
        Case("day --targets min nan", ["day", "--targets", "t.csv"], "error", ("t.csv", "row 2", "min"),
             files={"t.csv": "nutrient,min,max\nmagnesium_mg,nan,\n"}),
        Case("day --targets a magnesium floor of 1e308", ["day", "--targets", "t.csv"], "error",
             ("t.csv", "row 2", "min"), files={"t.csv": "nutrient,min,max\nmagnesium_mg,1e308,\n"}),
        Case("day --budget of a dollar", ["day", "--budget", "1"], "error", ("--budget",)),
    ]
    return cases


def plan_cases(inputs: Inputs) -> list[Case]:
    """Malformed and tampered plan files given to check, shop and explain."""
    t = inputs
    first_item = lambda **kv: lambda d: d["days"][0]["items"][0].update(**kv)  # noqa: E731

    def quarter(d):
        for day in d["days"]:
            for item in day["items"]:
                item["grams"] /= 4
                item["servings"] /= 4
            day["totals"] = {k: v / 4 for k, v in day["totals"].items()}
        for row in d["targets"]:
            row["min"] = None if row["min"] is None else row["min"] / 4
            row["max"] = None if row["max"] is None else row["max"] / 4

    broken = {
        # name: (file content, words); the words name the plan file and what is wrong
        "an empty file": ("", ("plan.json",)),
        "binary data": (b"\x00\x01PK\x03\x04" * 50, ("binary",)),
        "Latin-1 text": (t.plan_text.replace('"disclaimer": "', '"disclaimer": "caf\u00e9 ').encode("latin-1"),
                         ("UTF-8",)),
        "UTF-16 text": (t.plan_text.encode("utf-16"), ("plan.json",)),
        "not JSON": ("day 1: spinach", ("JSON",)),
        "cut in half": (t.plan_text[: len(t.plan_text) // 2], ("JSON",)),
        "a JSON list": ("[1, 2, 3]", ("JSON object",)),
        "a JSON string": ('"plan"', ("JSON object",)),
        "null": ("null", ("JSON object",)),
        "an empty object": ("{}", ("request",)),
        "nested 100,000 deep": ("[" * 100000 + "]" * 100000, ("plan.json",)),
        "days empty": (t.plan_with(lambda d: d.update(days=[])), ("days",)),
        "days not a list": (t.plan_with(lambda d: d.update(days={"1": []})), ("days",)),
        "items empty": (t.plan_with(lambda d: d["days"][0].update(items=[])), ("items",)),
        "items missing": (t.plan_with(lambda d: d["days"][0].pop("items")), ("items",)),
        "grams 'abc'": (t.plan_with(first_item(grams="abc")), ("grams",)),
        "grams 1e308": (t.plan_with(first_item(grams=1e308)), ("grams",)),
        "grams -500": (t.plan_with(first_item(grams=-500)), ("grams",)),
        "grams 0": (t.plan_with(first_item(grams=0)), ("grams",)),
        "grams NaN": (t.plan_text.replace('"grams": ', '"grams": NaN, "was": ', 1), ("grams",)),
        "grams Infinity": (t.plan_text.replace('"grams": ', '"grams": Infinity, "was": ', 1), ("grams",)),
        "grams true": (t.plan_with(first_item(grams=True)), ("grams",)),
        "servings -1": (t.plan_with(first_item(servings=-1)), ("servings",)),
        "servings 'two'": (t.plan_with(first_item(servings="two")), ("servings",)),
        "slot 'brunch'": (t.plan_with(first_item(slot="brunch")), ("slot", "brunch")),
        "food id unknown": (t.plan_with(first_item(food_id="unobtainium")), ("unobtainium",)),
        "food id a number": (t.plan_with(first_item(food_id=5)), ("food_id",)),
        "cost -1": (t.plan_with(first_item(cost=-1)), ("cost",)),
        "fdc_id 1.5": (t.plan_with(first_item(fdc_id=1.5)), ("fdc_id",)),
        "day twice": (t.plan_with(lambda d: d["days"][1].update(day=1)), ("day 1", "twice")),
        "day 0": (t.plan_with(lambda d: d["days"][0].update(day=0)), ("day",)),
        "day 1.5": (t.plan_with(lambda d: d["days"][0].update(day=1.5)), ("day",)),
        "day '1'": (t.plan_with(lambda d: d["days"][0].update(day="1")), ("day",)),
        "totals a list": (t.plan_with(lambda d: d["days"][0].update(totals=[1, 2])), ("totals",)),
        "unpriced a number": (t.plan_with(lambda d: d["days"][0].update(unpriced=5)), ("unpriced",)),
        "age 200": (t.plan_with(lambda d: d["request"]["profile"].update(age=200)), ("age", "200")),
        "age 'old'": (t.plan_with(lambda d: d["request"]["profile"].update(age="old")), ("age",)),
        "sex 'x'": (t.plan_with(lambda d: d["request"]["profile"].update(sex="x")), ("sex",)),
        "request days 0": (t.plan_with(lambda d: d["request"].update(days=0)), ("days",)),
        "request days '7'": (t.plan_with(lambda d: d["request"].update(days="7")), ("days",)),
        "request diet keto": (t.plan_with(lambda d: d["request"]["choice"].update(diet="keto")), ("diet",)),
        "request deficient zinc": (t.plan_with(lambda d: d["request"].update(deficient=["zinc"])), ("zinc",)),
        "request deficient a string": (t.plan_with(lambda d: d["request"].update(deficient="magnesium")),
                                       ("deficient",)),
        "request time limit -1": (t.plan_with(lambda d: d["request"]["solver"].update(time_limit=-1)),
                                  ("time_limit",)),
        "request budget -5": (t.plan_with(lambda d: d["request"].update(budget={"amount": -5, "per": "day"})),
                              ("budget",)),
        "request a list": (t.plan_with(lambda d: d.update(request=[])), ("request",)),
        "request foods missing file": (t.plan_with(lambda d: d["request"].update(foods="nothere.csv")),
                                       ("nothere.csv",)),
        "fingerprint changed": (t.plan_with(lambda d: d["foods"].update(fingerprint="0123456789abcdef")),
                                ("food table",)),
        "report missing": (t.plan_with(lambda d: d.pop("report")), ("report",)),
        "report status 'great'": (t.plan_with(lambda d: d["report"].update(status="great")), ("report",)),
        "shortfalls not a list": (t.plan_with(lambda d: d.update(shortfalls=7)), ("shortfalls",)),
        "targets not a list": (t.plan_with(lambda d: d.update(targets="all")), ("targets",)),
        "target min 'abc'": (t.plan_with(lambda d: d["targets"][0].update(min="abc")), ("min",)),
        "prices garbage": (t.plan_with(lambda d: d.update(prices=[{"value": "x"}])), ("price",)),
        "notes not a list": (t.plan_with(lambda d: d.update(notes=3)), ("notes",)),
    }
    tampered = {
        "amounts and floors divided by 4": (t.plan_with(quarter), ("calcium",)),
        "calcium target deleted": (t.plan_with(lambda d: d.update(
            targets=[r for r in d["targets"] if r["nutrient"] != "calcium_mg"])), ("calcium",)),
        "a total edited": (t.plan_with(lambda d: d["days"][0]["totals"].update(
            magnesium_mg=d["days"][0]["totals"]["magnesium_mg"] + 100)), ("magnesium", "total")),
        "a floor lowered": (t.plan_with(lambda d: [r.update(min=1.0) for r in d["targets"]
                                                   if r["nutrient"] == "magnesium_mg"]), ("magnesium",)),
        "a ceiling raised": (t.plan_with(lambda d: [r.update(max=1e6) for r in d["targets"]
                                                    if r["nutrient"] == "sodium_mg"]), ("sodium",)),
        "a shortfall deleted from a short plan": (t.plan_with(lambda d: d["request"].update(
            deficient=["magnesium_mg", "calcium_mg", "potassium_mg"], deficient_factor=10)), ("min",)),
    }
    cases = []
    every_command = ("an empty file", "binary data", "not JSON", "days empty", "items empty", "grams 'abc'",
                     "grams 1e308", "grams -500", "food id unknown", "day twice", "age 200", "fingerprint changed",
                     "Latin-1 text", "cut in half")
    # These name the food table the plan was made from, or the food, rather than the plan file.
    about_the_table = ("fingerprint changed", "food id unknown", "request foods missing file")
    for name, (content, words) in broken.items():
        words = words if name in about_the_table else ("plan.json", *words)
        for command in ("check", "shop", "explain") if name in every_command else ("check",):
            cases.append(Case(f"{command} plan {name}", [command, "plan.json"], "error", words,
                              files={"plan.json": content}))
    for name, (content, words) in tampered.items():
        cases.append(Case(f"check plan {name}", ["check", "plan.json"], "fail", words, files={"plan.json": content},
                          output=False))
    bom = "\ufeff" + t.plan_text
    for command in ("check", "shop", "explain"):
        cases.append(Case(f"{command} plan with a byte-order mark", [command, "plan.json"], "accept",
                          files={"plan.json": bom}))
    cases += [
        Case("check a missing plan", ["check", "nothere.json"], "error", ("nothere.json",)),
        Case("check an empty name", ["check", ""], "error", ("PLAN.json",)),
        Case("check a folder", ["check", "sub"], "error", ("sub",), files={"sub/x": "x"}),
        Case("shop a missing plan", ["shop", "nothere.json"], "error", ("nothere.json",)),
        Case("explain a missing plan", ["explain", "nothere.json"], "error", ("nothere.json",)),
        Case("check a food table as the plan", ["check", "plan.json"], "error", ("plan.json",),
             files={"plan.json": t.table_text}),
    ]
    return cases


def pantry_cases(inputs: Inputs) -> list[Case]:
    """Malformed pantry files given to shop --pantry."""
    first = inputs.first
    pantries = {
        "an empty file": ("", ("p.csv",)),
        "binary data": (b"\x00\x01\x02\x03" * 64, ("binary",)),
        "Latin-1 text": (f"food_id,grams\n{first},100\n# caf\u00e9\n".encode("latin-1"), ("UTF-8",)),
        "no food_id column": ("food,grams\nx,1\n", ("food_id",)),
        "no amount column": (f"food_id,kilos\n{first},1\n", ("grams",)),
        "unknown food": ("food_id,grams\nunobtainium,100\n", ("row 2", "unobtainium")),
        "negative grams": (f"food_id,grams\n{first},-100\n", ("row 2", "grams")),
        "grams nan": (f"food_id,grams\n{first},nan\n", ("row 2", "grams")),
        "grams inf": (f"food_id,grams\n{first},inf\n", ("row 2", "grams")),
        "grams a word": (f"food_id,grams\n{first},some\n", ("row 2", "grams")),
        "grams 1e308": (f"food_id,grams\n{first},1e308\n", ("row 2", "grams")),
        "an empty amount": (f"food_id,grams\n{first},\n", ("row 2", "grams")),
        "grams and servings": (f"food_id,grams,servings\n{first},100,1\n", ("row 2",)),
        "servings -1": (f"food_id,servings\n{first},-1\n", ("row 2", "servings")),
        "a row cut short": (f"food_id,grams\n{first},100\n{first}\n", ("row 3",)),
        "a row too long": (f"food_id,grams\n{first},100,7\n", ("row 2",)),
        "a duplicate column": (f"food_id,grams,grams\n{first},100,200\n", ("grams",)),
        "an empty food id": ("food_id,grams\n,100\n", ("row 2", "food_id")),
    }
    cases = [Case(f"shop --pantry {name}", ["shop", "{plan}", "--pantry", "p.csv"], "error", ("p.csv", *words),
                  files={"p.csv": content}) for name, (content, words) in pantries.items()]
    cases += [
        Case("shop --pantry a missing file", ["shop", "{plan}", "--pantry", "nothere.csv"], "error",
             ("nothere.csv",)),
        Case("shop --pantry an empty name", ["shop", "{plan}", "--pantry", ""], "error", ("--pantry",)),
        Case("shop --pantry header only", ["shop", "{plan}", "--pantry", "p.csv"], "accept",
             files={"p.csv": "food_id,grams\n"}),
        Case("shop --pantry with a byte-order mark", ["shop", "{plan}", "--pantry", "p.csv"], "accept",
             files={"p.csv": f"\ufefffood_id,grams\n{first},100\n"}),
    ]
    return cases


def fdc_cases(inputs: Inputs) -> list[Case]:
    """`foods search | add | enrich | import` with bad options and bad files (no network is reached)."""
    cases = []
    search = {"--page": ["0", "-1", "abc", "1e9"], "--page-size": ["0", "201", "-5"],
              "--timeout": ["-1", "0", "nan", "inf", "abc"], "--api-url": ["ftp://example.org", "not a url"],
              "--data-type": ["Nonsense", "SR Legacy,,Nonsense"], "--format": ["xml"]}
    for option, values in search.items():
        for value in values:
            cases.append(Case(f"foods search {option} {value!r}", ["foods", "search", "beans", option, value], "error",
                              (option.split("/")[0],)))
    cases += [
        Case("foods search an empty query", ["foods", "search", ""], "error", ("QUERY",)),
        Case("foods search a blank query", ["foods", "search", "   "], "error", ("QUERY",)),
        Case("foods search no key", ["foods", "search", "beans", "--api-key", ""], "error", ("--api-key",)),
        Case("foods search --cache-dir a file", ["foods", "search", "beans", "--cache-dir", "c.txt"], "error",
             ("c.txt",), files={"c.txt": "x"}),
    ]
    for value in ("0", "-1", "abc", "1.5"):
        cases.append(Case(f"foods add {value}", ["foods", "add", value, "--foods", "mine.csv"], "error",
                          ("-1",) if value == "-1" else ("FDC_ID",)))
    table = inputs.table()
    cases += [
        Case("foods add without --foods", ["foods", "add", "173757"], "error", ("--foods",)),
        Case("foods add --foods binary", ["foods", "add", "173757", "--foods", "mine.csv"], "error",
             ("mine.csv", "binary"), files={"mine.csv": b"\x00\x01"}),
        Case("foods add --foods a folder", ["foods", "add", "173757", "--foods", "sub"], "error", ("sub",),
             files={"sub/x": "x"}),
        Case("foods add --foods fndds", ["foods", "add", "173757", "--foods", "fndds"], "error", ("fndds",)),
        Case("foods add --timeout -1", ["foods", "add", "173757", "--foods", "mine.csv", "--timeout", "-1"], "error",
             ("--timeout",)),
        Case("foods enrich --write without --foods", ["foods", "enrich", "--write"], "error", ("--foods",)),
        Case("foods enrich --foods sr-legacy --write", ["foods", "enrich", "--foods", "sr-legacy", "--write"], "error",
             ("sr-legacy",)),
        Case("foods enrich --foods a missing file", ["foods", "enrich", "--foods", "nothere.csv"], "error",
             ("nothere.csv",)),
        Case("foods enrich --foods header only", ["foods", "enrich", "--foods", "mine.csv"], "error",
             ("mine.csv", "no foods"), files={"mine.csv": table.splitlines(keepends=True)[0]}),
        Case("foods enrich --foods Latin-1", ["foods", "enrich", "--foods", "mine.csv"], "error",
             ("mine.csv", "UTF-8"), files={"mine.csv": table.replace("Black beans", "Frijoles \u00f1").encode(
                 "latin-1", "replace")}),
        Case("foods enrich --timeout nan", ["foods", "enrich", "--foods", "mine.csv", "--timeout", "nan"], "error",
             ("--timeout",), files={"mine.csv": table}),
        Case("foods enrich --timeout -1", ["foods", "enrich", "--timeout", "-1"], "error", ("--timeout",)),
    ]
    extract_head = "fdc_id,description,food_group,magnesium_mg,energy_kcal\n"
    imports = {
        "binary data": (b"\x7fELF\x00\x01" * 100, ("binary",)),
        "a truncated zip": (_zip(_bulk())[:300], ("zip", "damaged")),
        "a zip cut by 10 bytes": (_zip(_bulk())[:-10], ("zip", "damaged")),
        "a Latin-1 food.csv": (_zip(_bulk(food=BULK_FOOD.replace("Jalapeno", "Jalape\u00f1o").encode("latin-1"))),
                               ("food.csv", "UTF-8")),
        "short rows in food.csv": (_zip(_bulk(food=BULK_FOOD.split("\n")[0] + "\n1001,sr_legacy_food\n")),
                                   ("food.csv", "row 2", "description")),
        "short rows in food_nutrient.csv": (_zip(_bulk(food_nutrient="id,fdc_id,nutrient_id,amount\n1,1001\n")),
                                            ("food_nutrient.csv", "row 2")),
        "food.csv without fdc_id": (_zip(_bulk(food="id,data_type,description\n1001,sr_legacy_food,X\n")),
                                    ("food.csv", "fdc_id")),
        "a fractional fdc_id": (_zip(_bulk(food=BULK_FOOD.replace("1001,", "1001.5,"))), ("food.csv", "fdc_id")),
        "a negative fdc_id": (_zip(_bulk(food=BULK_FOOD.replace("1001,", "-1001,"))), ("food.csv", "fdc_id")),
        "an fdc_id twice": (_zip(_bulk(food=BULK_FOOD + BULK_FOOD.split("\n")[1] + "\n")), ("food.csv", "twice")),
        "no nutrient.csv": (_zip(_bulk(nutrient=None)), ("nutrient.csv",)),
        "no food.csv": (_zip(_bulk(food=None)), ("food.csv",)),
        "food_nutrient.csv without amount": (_zip(_bulk(food_nutrient="id,fdc_id,nutrient_id\n1,1001,1090\n")),
                                             ("food_nutrient.csv", "amount")),
        "only branded foods": (_zip(_bulk(food=BULK_FOOD.replace("sr_legacy_food", "branded_food"))),
                               ("SR Legacy",)),
        "an empty zip": (_zip({}), ("food.csv",)),
        "an extract without fdc_id": (extract_head.replace("fdc_id", "id") + "1,X,Vegetables,10,20\n", ("fdc_id",)),
        "an extract with short rows": (extract_head + "1,X\n", ("row 2",)),
        "a Latin-1 extract": ((extract_head + "1,Jalape\u00f1o,Vegetables,10,20\n").encode("latin-1"), ("UTF-8",)),
        "an extract with a fractional fdc_id": (extract_head + "1.5,X,Vegetables,10,20\n", ("row 2", "fdc_id")),
        "an extract with magnesium 1e9": (extract_head + "1,X,Vegetables,1e9,20\n", ("magnesium_mg",)),
        "an empty file": ("", ("x.zip",)),
        "a text file": ("hello\n", ("x.zip",)),
    }
    for name, (content, words) in imports.items():
        cases.append(Case(f"foods import {name}", ["foods", "import", "x.zip"], "error", ("x.zip", *words),
                          files={"x.zip": content}))
    cases += [
        Case("foods import a missing path", ["foods", "import", "nothere.zip"], "error", ("nothere.zip",)),
        Case("foods import an empty name", ["foods", "import", ""], "error", ("PATH",)),
        Case("foods import an empty folder", ["foods", "import", "sub"], "error", ("sub", "food.csv"),
             files={"sub/readme.txt": "x"}),
        Case("foods import a folder without nutrient.csv", ["foods", "import", "sub"], "error", ("nutrient.csv",),
             files={"sub/food.csv": BULK_FOOD}),
        Case("foods import a non-number amount", ["foods", "import", "x.zip"], "warn", ("lots", "left empty"),
             files={"x.zip": _zip(_bulk(food_nutrient=BULK_FOOD_NUTRIENT.replace(",15\n", ",lots\n")))}),
    ]
    return cases


def hard_cases(inputs: Inputs) -> list[Case]:
    """Valid requests that are hard to meet: each must still give a plan (with shortfalls named if any)."""
    no_energy = "nutrient,min,max\nmagnesium_mg,400,\ncalcium_mg,1000,2500\n"
    requests = {
        "a toddler's week": ["week", "--days", "2", "--age", "1", "--sex", "female"],
        "a vegetarian toddler's week": ["week", "--days", "2", "--age", "1", "--sex", "female", "--diet",
                                        "vegetarian"],
        "a vegan man without fortified foods or soy": ["day", "--age", "24", "--sex", "male", "--diet", "vegan",
                                                       "--exclude", "fortified,soy"],
        "the same at 2,700 kcal": ["day", "--age", "24", "--sex", "male", "--diet", "vegan", "--exclude",
                                   "fortified,soy", "--kcal", "2700"],
        "a targets file without energy": ["day", "--targets", "t.csv"],
        "every tag excluded": ["day", "--exclude", "vegan,vegetarian,dairy,egg,fish,meat,nuts,peanuts,soy,gluten,"
                               "fortified,milk,yogurt"],
        "vegan without soy, nuts or gluten": ["day", "--diet", "vegan", "--exclude", "soy,nuts,gluten"],
        "a man of 80, all five deficient": ["day", "--age", "80", "--sex", "male", "--deficient",
                                            "magnesium,calcium,potassium,vitamin_d,vitamin_b12"],
        "pregnant at 16, third trimester": ["day", "--age", "16", "--pregnant", "--trimester", "3"],
        "lactating at 45": ["day", "--age", "45", "--lactating"],
        "1,200 kcal, all five deficient": ["day", "--kcal", "1200", "--deficient",
                                           "magnesium,calcium,potassium,vitamin_d,vitamin_b12"],
        "4,500 kcal": ["day", "--kcal", "4500", "--sex", "male"],
        "a boy of 4": ["week", "--days", "2", "--age", "4", "--sex", "male"],
        "lopsided slots": ["week", "--days", "2", "--slot-kcal", "breakfast=5,lunch=5,dinner=85,snack=5"],
        "the shortest time limit": ["day", "--time-limit", "0.1"],
        "caffeine 0 with twitching": ["day", "--symptom", "eyelid twitching", "--symptom", "calf cramps",
                                      "--max-caffeine", "0"],
        "a table of one food": ["day", "--foods", "one.csv"],
        "seven days, each food on one": ["week", "--days", "7", "--max-days", "1"],
        # Each food on one day of each week: four weeks of the embedded table's foods are enough (a too low
        # --max-days is refused only where a week's foods run out: tests/test_week.py, on a small table).
        "four weeks, each food once a week": ["week", "--days", "28", "--max-days", "1"],
        "whole servings, vegan": ["day", "--portions", "whole", "--diet", "vegan"],
    }
    files = {"t.csv": no_energy,
             # A dish within every share of calories on its own: spinach cooked with oil is 62 % fat, and no
             # amount of it alone keeps under fat's ceiling (that plan rightly serves nothing).
             "one.csv": inputs.table(rows=[r for r in inputs.rows if r[0] == "beans_and_rice"] or inputs.rows[:1])}
    return [Case(f"plan: {name}", args, "plan", files=files) for name, args in requests.items()]


def all_cases(inputs: Inputs) -> list[Case]:
    cases = [*option_cases(), *output_cases(), *table_cases(inputs), *targets_cases(inputs), *plan_cases(inputs),
             *pantry_cases(inputs), *fdc_cases(inputs), *hard_cases(inputs)]
    names = Counter(c.name for c in cases)
    repeated = [n for n, k in names.items() if k > 1]
    assert not repeated, repeated
    return cases


# --------------------------------------------------------------------------- running and classifying


def _command(case: Case) -> str:
    args = case.args[1:] if case.args[0] == "foods" else case.args
    return args[0]


def run(number: int, case: Case, planner: str, inputs: Inputs, root: Path, plan_path: Path) -> Result:
    folder = root / f"case{number}"
    folder.mkdir()
    subs = {"{plan}": str(plan_path), "{first}": inputs.first, "{fish}": inputs.fish}
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            for key, value in subs.items():
                content = content.replace(key, value)
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
    args = []
    for arg in case.args:
        for key, value in subs.items():
            arg = arg.replace(key, value)
        args.append(arg)
    words = []
    for word in case.words:
        for key, value in subs.items():
            word = word.replace(key, value)
        words.append(word)
    case = Case(case.name, case.args, case.expect, tuple(words), case.files, case.output)
    output = None
    if case.output and _command(case) in TAKES_OUTPUT:
        output = folder / ("plan.out.json" if case.expect == "plan" else "out.txt")
        args += ["-o", str(output)] + (["--format", "json"] if case.expect == "plan" else [])
    env = {**os.environ, "FDC_API_KEY": "census-key", "FDC_API_URL": DEAD_API,
           "PLANNER_CACHE_DIR": str(folder / "cache")}
    started = time.perf_counter()
    try:
        done = subprocess.run([planner, *args], capture_output=True, cwd=folder, env=env, timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        return Result(case, "hang", None, "", time.perf_counter() - started)
    seconds = time.perf_counter() - started
    stderr = done.stderr.decode("utf-8", "replace")
    stdout = done.stdout.decode("utf-8", "replace")
    left = [p.name for p in folder.iterdir() if p.name.startswith((".out.txt", "out.txt"))] if output else []
    return Result(case, classify(case, done.returncode, stdout, stderr, output, left), done.returncode, stderr,
                  seconds)


def _message_lines(stderr: str) -> list[str]:
    """stderr without Click's usage lines ("Usage: ...", "Try '... --help'", blank)."""
    return [line for line in stderr.splitlines()
            if line.strip() and not line.startswith(("Usage: ", "Try '"))]


def classify(case: Case, code: int, stdout: str, stderr: str, output: Path | None, left: list[str]) -> str:
    if "Traceback (most recent call last)" in stderr or code not in (0, 1, 2):
        return "traceback"
    said = stderr.lower()
    if case.expect == "accept":
        return "clean" if code == 0 else "valid input refused"
    if case.expect == "plan":
        if code not in (0, 1) or output is None or not output.exists():
            return "no plan"
        try:
            doc = json.loads(output.read_text(encoding="utf-8"))
        except ValueError:
            return "partial output"
        shortfalls = doc.get("shortfalls") or []
        # A day of no food is no plan, whatever else the file holds.
        if not doc.get("days") or not all(day.get("items") for day in doc["days"]) or (code == 1) != bool(shortfalls):
            return "no plan"
        return "clean"
    if case.expect == "warn":
        if code == 0:
            return "clean" if all(w.lower() in said for w in case.words) else "silently accepted"
        return "clean" if _message_lines(stderr) and all(w.lower() in said for w in case.words) else "wrong blame"
    if code == 0:
        return "silently accepted"
    if case.expect == "fail":
        text = (stdout + stderr).lower()
        return "clean" if code == 1 and all(w.lower() in text for w in case.words) else "wrong blame"
    if left:
        return "partial output"
    lines = _message_lines(stderr)
    if len(lines) != 1 or not lines[0].startswith("Error: "):
        return "not one line"
    if not all(w.lower() in lines[0].lower() for w in case.words):
        return "wrong blame"
    return "clean"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--planner", default=shutil.which("planner", path=str(Path(sys.executable).parent)),
                        help="the planner command to test (default: the one beside this Python)")
    parser.add_argument("--jobs", type=int, default=2, help="cases run at once (the machine has 2 cores)")
    parser.add_argument("--only", default="", help="run only the cases whose name holds this text")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    options = parser.parse_args(argv)
    if not options.planner:
        sys.exit("no installed planner beside this Python: pip install . first, or give --planner")
    with tempfile.TemporaryDirectory(prefix="bad_inputs.") as tmp:
        root = Path(tmp)
        inputs = Inputs(options.planner, root)
        cases = [c for c in all_cases(inputs) if options.only in c.name]
        if options.list:
            for c in cases:
                print(f"{c.expect:6}  {c.name}")
            print(f"{len(cases)} cases ({sum(c.expect in ('error', 'fail', 'warn') for c in cases)} bad inputs)")
            return 0
        plan_path = root / "plan.json"
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=max(1, min(options.jobs, 2))) as pool:
            results = list(pool.map(lambda k: run(k, cases[k], options.planner, inputs, root, plan_path),
                                    range(len(cases))))
        seconds = time.perf_counter() - started
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{len(results)} cases in {seconds:.0f} s with {options.jobs} at a time")
    kinds = Counter(r.case.expect for r in results)
    print("cases: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    counts = Counter(r.category for r in results)
    for category, meaning in CATEGORIES.items():
        print(f"  {counts.get(category, 0):4d}  {category:20} {meaning}")
    bad = [r for r in results if r.category != "clean"]
    if bad:
        print("\nnot clean:")
    for r in sorted(bad, key=lambda r: (r.category, r.case.name)):
        lines = _message_lines(r.stderr)
        said = (lines[-1] if r.category == "traceback" and lines else " | ".join(lines[:3]))[:240]
        print(f"[{r.category}] {r.case.name} (exit {r.code}; expected {r.case.expect}"
              + (f" naming {', '.join(r.case.words)}" if r.case.words else "") + f")\n    {said}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
