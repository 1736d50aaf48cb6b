"""Plans as plain data: the request that made a plan, its days and items, totals, a typed solve report.

A plan round-trips through JSON (`to_dict` / `plan_from_dict`) at full precision;
rounding is for people, in the table and Markdown renderings only. Reading a
plan checks its shape strictly (`plan_from_dict`), so `check`, `shop` and
`explain` never work on a malformed or edited-beyond-sense file.
"""

from __future__ import annotations

import enum
import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.files import read_user_text
from planner.foods import NO_SLOT, SLOTS
from planner.household import portion_words
from planner.request import PlanRequest
from planner.targets import TARGET_COLUMNS, target_value

DISCLAIMER = ("For information only, not medical advice. See a doctor if twitching lasts more than about two "
              "weeks, spreads, or comes with weakness, numbness, poor coordination, dizziness or pain; a blood "
              "test can confirm a deficiency.")
# An item heavier than this is not a portion: a plan file saying so has been edited beyond sense.
MAX_ITEM_G = 5000.0


class SolveStatus(enum.Enum):
    """How the plan's days were solved."""

    OPTIMAL = "optimal"      # every day's menu solved to its stated gap
    STOPPED = "stopped"      # at least one day stopped at the time limit with a plan


@dataclass(frozen=True)
class SolveReport:
    """What produced the numbers: solver, status, cost against a proven lower bound, time."""

    solver: str
    status: SolveStatus
    day_gap: float                  # each day's menu is solved to this relative gap
    model_cost: float               # what the foods cost the optimizer, stand-in prices included
    objective: float                # model_cost plus how far the days depart from how people eat
    lower_bound: float | None       # proven lower bound on the objective (None when unknown)
    seconds: float
    stopped_days: tuple[int, ...] = ()
    relaxed: tuple[tuple[int, str], ...] = ()   # (day, meal rule dropped because no menu fitted it)

    @property
    def gap_to_bound(self) -> float | None:
        """How far the plan's objective may be above the best possible, as a share of it."""
        if self.lower_bound is None or not self.objective > 0:
            return None
        return (self.objective - self.lower_bound) / self.objective

    def to_dict(self) -> dict:
        return {"solver": self.solver, "status": self.status.value, "day_gap": self.day_gap,
                "model_cost": self.model_cost, "objective": self.objective, "lower_bound": self.lower_bound,
                "gap_to_bound": self.gap_to_bound, "seconds": self.seconds, "stopped_days": list(self.stopped_days),
                "relaxed": [{"day": day, "rule": rule} for day, rule in self.relaxed]}

    @classmethod
    def from_dict(cls, doc: dict) -> SolveReport:
        return cls(str(doc["solver"]), SolveStatus(doc["status"]), float(doc["day_gap"]), float(doc["model_cost"]),
                   float(doc["objective"]), None if doc.get("lower_bound") is None else float(doc["lower_bound"]),
                   float(doc["seconds"]),
                   tuple(int(d) for d in doc.get("stopped_days", ())),
                   tuple((int(r["day"]), str(r["rule"])) for r in doc.get("relaxed", ())))


@dataclass(frozen=True)
class FloorPrice:
    """What one target costs at the margin, from the average-day LP: dollars per unit, and where that holds."""

    nutrient: str
    bound: str            # min or max
    value: float          # the bound
    price_per_unit: float
    holds_from: float     # NaN when unknown (CBC gives no ranging)
    holds_to: float


@dataclass(frozen=True)
class PlanItem:
    food_id: str
    name: str
    slot: str
    servings: float
    serving_label: str
    grams: float
    cost: float | None          # None: the food has no sourced price
    fdc_id: int | None = None   # the food's source: a FoodData Central id,
    food_code: str | None = None  # or an FNDDS food code

    @property
    def portion(self) -> str:
        """The amount in household words: "3/4 cup", "2 bananas", "1.5 x 1 small can (3.25 oz), drained"."""
        return portion_words(self.servings, self.serving_label)


@dataclass(frozen=True)
class Shortfall:
    """A floor the plan does not reach: by how much, on which day (None = the week's average), and why.
    `week` names the week of a plan longer than one whose average falls short."""

    nutrient: str
    unit: str
    target: float
    achieved: float
    day: int | None
    closes_it: str
    week: int | None = None

    @property
    def gap(self) -> float:
        return self.target - self.achieved


@dataclass(frozen=True)
class DayPlan:
    day: int
    items: tuple[PlanItem, ...]
    totals: dict[str, float]
    cost: float                 # priced items only
    unpriced: tuple[str, ...]   # food ids in this day with no sourced price

    @property
    def priced(self) -> bool:
        """Some food of the day has a sourced price; with none, the day's cost is unknown, not $0."""
        return any(i.cost is not None for i in self.items)


@dataclass(frozen=True, eq=False)
class Plan:
    """A plan as plain data. Two plans are equal when their JSON is (`to_dict`): the targets are a DataFrame,
    which compares cell by cell; a plan is not hashable."""

    request: PlanRequest
    targets: pd.DataFrame
    days: tuple[DayPlan, ...]
    shortfalls: tuple[Shortfall, ...]
    foods_source: str
    foods_fingerprint: str
    report: SolveReport
    prices: tuple[FloorPrice, ...] = ()
    notes: tuple[str, ...] = ()
    prices_from: str = ""       # the year(s) the foods' prices are in dollars of ("2017-2018"); "" undated
    stated_cost: float | None = None   # the cost a plan file states (`check` compares it); `cost` is the days'

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plan):
            return NotImplemented
        return self is other or self.to_dict() == other.to_dict()

    __hash__ = None

    @property
    def is_ok(self) -> bool:
        return not self.shortfalls

    @property
    def cost(self) -> float:
        return sum(d.cost for d in self.days)

    @property
    def priced(self) -> bool:
        return any(d.priced for d in self.days)

    def items_frame(self) -> pd.DataFrame:
        """One row per item and day: the plan as a table for notebooks and CSV."""
        rows = [{"day": d.day, **asdict(i)} for d in self.days for i in d.items]
        return pd.DataFrame(rows, columns=["day", *PlanItem.__dataclass_fields__])

    def totals_frame(self) -> pd.DataFrame:
        """Nutrient totals, one row per day."""
        return pd.DataFrame([d.totals for d in self.days], index=pd.Index([d.day for d in self.days], name="day"))

    def coverage(self) -> pd.DataFrame:
        """Per day and target: the total and its % of the floor."""
        rows = []
        for day in self.days:
            for t in self.targets.itertuples(index=False):
                value = target_value(day.totals, t.nutrient)
                goal = getattr(t, "goal", np.nan)
                rows.append({"day": day.day, "nutrient": t.nutrient, "unit": t.unit, "total": value,
                             "min": t.min, "max": t.max, "goal": goal,
                             "pct_of_min": 100.0 * value / t.min if pd.notna(t.min) and t.min else np.nan,
                             "pct_of_goal": 100.0 * value / goal if pd.notna(goal) and goal else np.nan})
        return pd.DataFrame(rows, columns=["day", "nutrient", "unit", "total", "min", "max", "goal", "pct_of_min",
                                           "pct_of_goal"])

    def prices_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(p) for p in self.prices], columns=[f.name for f in fields(FloorPrice)])

    def to_dict(self) -> dict:
        return {
            "disclaimer": DISCLAIMER,
            "request": self.request.to_dict(),
            "foods": {"source": self.foods_source, "fingerprint": self.foods_fingerprint,
                      "prices_from": self.prices_from},
            "targets": [_clean(r) for r in self.targets.to_dict("records")],
            "days": [{"day": d.day, "items": [_clean(asdict(i)) for i in d.items],
                      "totals": _clean(d.totals), "cost": _num(d.cost), "unpriced": list(d.unpriced)}
                     for d in self.days],
            "cost": _num(self.cost),
            "shortfalls": [{**_clean(asdict(s)), "gap": _num(s.gap)} for s in self.shortfalls],
            "report": _clean(self.report.to_dict()),
            "prices": [_clean(asdict(p)) for p in self.prices],
            "notes": list(self.notes),
        }


def _num(value):
    """A JSON number at full precision; NaN and None are null."""
    if value is None or (isinstance(value, (float, np.floating)) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return value


def _clean(mapping: dict) -> dict:
    return {k: _clean_list(v) if isinstance(v, list) else _num(v) for k, v in mapping.items()}


def _clean_list(values: list) -> list:
    return [_clean(v) if isinstance(v, dict) else _num(v) for v in values]


# --------------------------------------------------------------------------- reading a plan back


class _Reader:
    """Reads one plan document, naming the place of the first thing that is wrong."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str):
        raise InputError(f"{where}: {message}", source=self.source)

    def number(self, value, where: str, low: float | None = None, high: float | None = None,
               allow_none: bool = False) -> float | None:
        if value is None and allow_none:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(where, f"expected a number, got {json.dumps(value)}")
        value = float(value)
        if not math.isfinite(value):
            self.fail(where, f"expected a finite number, got {value}")
        if low is not None and value < low:
            self.fail(where, f"expected a number >= {low:g}, got {value:g}")
        if high is not None and value > high:
            self.fail(where, f"expected a number <= {high:g}, got {value:g}")
        return value

    def whole(self, value, where: str, low: float | None = None) -> int:
        number = self.number(value, where, low)
        if number != int(number):
            self.fail(where, f"expected a whole number, got {number:g}")
        return int(number)

    def text(self, value, where: str) -> str:
        if not isinstance(value, str):
            self.fail(where, f"expected text, got {json.dumps(value)}")
        return value

    def listing(self, value, where: str) -> list:
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {json.dumps(value)[:40]}")
        return value

    def mapping(self, value, where: str) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"expected an object, got {json.dumps(value)[:40]}")
        return value


def plan_from_dict(doc: dict, source: str = "<plan>") -> Plan:
    """Read a plan back from its JSON form, checking every part of its shape and every number."""
    read = _Reader(source)
    read.mapping(doc, "the plan")
    for key in ("request", "foods", "targets", "days", "shortfalls", "report"):
        if key not in doc:
            read.fail(f"'{key}'", "missing (not a plan written by this version of planner)")
    try:
        request = PlanRequest.from_dict(read.mapping(doc["request"], "request"))
    except InputError as exc:
        read.fail(f"request field '{exc.field}'", exc.message)
    foods = read.mapping(doc["foods"], "foods")
    targets = []
    for k, row in enumerate(read.listing(doc["targets"], "targets"), start=1):
        row = read.mapping(row, f"target {k}")
        nutrient = read.text(row.get("nutrient"), f"target {k} nutrient")
        targets.append({"nutrient": nutrient, "unit": read.text(row.get("unit"), f"target {nutrient} unit"),
                        "min": read.number(row.get("min"), f"target {nutrient} min", 0, allow_none=True),
                        "max": read.number(row.get("max"), f"target {nutrient} max", 0, allow_none=True),
                        "goal": read.number(row.get("goal"), f"target {nutrient} goal", 0, allow_none=True),
                        "source": str(row.get("source", "")), "raised": str(row.get("raised") or ""),
                        "kind": str(row.get("kind") or "")})
    days_doc = read.listing(doc["days"], "days")
    if not days_doc:
        read.fail("days", "the plan has no days")
    days, seen = [], set()
    for k, d in enumerate(days_doc, start=1):
        d = read.mapping(d, f"day {k}")
        number = read.whole(d.get("day"), f"day {k} number", 1)
        if number in seen:
            read.fail(f"day {number}", "appears twice")
        seen.add(number)
        items_doc = read.listing(d.get("items"), f"day {number} items")
        if not items_doc:
            read.fail(f"day {number} items", "the day has no foods")
        items = []
        for j, i in enumerate(items_doc, start=1):
            i = read.mapping(i, f"day {number} item {j}")
            where = f"day {number} item {j}"
            slot = read.text(i.get("slot"), f"{where} slot")
            if slot not in (*SLOTS, NO_SLOT):
                read.fail(f"{where} slot", f"expected one of {', '.join((*SLOTS, NO_SLOT))}, got '{slot}'")
            fdc_id = i.get("fdc_id")
            code = i.get("food_code")
            items.append(PlanItem(
                food_id=read.text(i.get("food_id"), f"{where} food_id"), name=str(i.get("name", "")), slot=slot,
                servings=read.number(i.get("servings"), f"{where} servings", 0),
                serving_label=str(i.get("serving_label", "")),
                grams=read.number(i.get("grams"), f"{where} grams", 0, MAX_ITEM_G),
                cost=read.number(i.get("cost"), f"{where} cost", 0, allow_none=True),
                fdc_id=None if fdc_id is None else read.whole(fdc_id, f"{where} fdc_id", 1),
                food_code=None if code is None else read.text(code, f"{where} food_code")))
            if items[-1].grams <= 0:
                read.fail(f"{where} grams", "expected a weight above 0")
        totals = {str(n): read.number(v, f"day {number} total {n}", allow_none=True)
                  for n, v in read.mapping(d.get("totals"), f"day {number} totals").items()}
        days.append(DayPlan(number, tuple(items), {n: v for n, v in totals.items() if v is not None},
                            read.number(d.get("cost", 0.0), f"day {number} cost", 0),
                            tuple(read.text(u, f"day {number} unpriced")
                                  for u in read.listing(d.get("unpriced", []), f"day {number} unpriced"))))
    shortfalls = []
    for s in read.listing(doc["shortfalls"], "shortfalls"):
        s = read.mapping(s, "shortfall")
        shortfalls.append(Shortfall(str(s.get("nutrient")), str(s.get("unit")),
                                    read.number(s.get("target"), "shortfall target"),
                                    read.number(s.get("achieved"), "shortfall achieved"),
                                    None if s.get("day") is None else read.whole(s.get("day"), "shortfall day", 1),
                                    str(s.get("closes_it", "")),
                                    None if s.get("week") is None else read.whole(s.get("week"), "shortfall week", 1)))
    try:
        report = SolveReport.from_dict(read.mapping(doc["report"], "report"))
    except (KeyError, TypeError, ValueError) as exc:
        read.fail("report", f"missing or malformed ({exc})")
    prices = []
    for k, p in enumerate(read.listing(doc.get("prices", []), "prices"), start=1):
        p = read.mapping(p, f"price {k}")
        number = lambda key, k=k, p=p: _nan(read.number(p.get(key), f"price {k} {key}", allow_none=True))  # noqa: E731
        prices.append(FloorPrice(read.text(p.get("nutrient"), f"price {k} nutrient"),
                                 read.text(p.get("bound"), f"price {k} bound"), number("value"),
                                 number("price_per_unit"), number("holds_from"), number("holds_to")))
    frame = pd.DataFrame(targets, columns=TARGET_COLUMNS).astype({"min": float, "max": float, "goal": float})
    return Plan(request, frame, tuple(days), tuple(shortfalls), read.text(foods.get("source"), "foods source"),
                read.text(foods.get("fingerprint"), "foods fingerprint"), report, tuple(prices),
                tuple(str(n) for n in read.listing(doc.get("notes", []), "notes")), str(foods.get("prices_from") or ""),
                read.number(doc.get("cost"), "cost", 0, allow_none=True))


def _nan(value) -> float:
    return float("nan") if value is None else float(value)


def read_plan(path: str | Path) -> Plan:
    """A plan file written by `planner day|week --format json` (a UTF-8 byte-order mark is fine)."""
    text = read_user_text(path, "plan")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not readable as a JSON plan (line {exc.lineno}: {exc.msg})", source=str(path)) from None
    except RecursionError:
        raise InputError("not readable as a JSON plan (nested too deeply)", source=str(path)) from None
    if not isinstance(doc, dict):
        raise InputError("not a plan written by planner (expected a JSON object)", source=str(path))
    return plan_from_dict(doc, str(path))
