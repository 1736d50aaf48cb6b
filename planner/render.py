"""One render step for every output: `render(obj, fmt)` for plans, targets, checks, explanations,
shopping lists and plain tables.

Each object is described once, as a short document of blocks (headings, lines,
tables, checklists); `table` and `md` are one function each over those blocks, so
a new format is one function. `json` is the object's own data at full precision
and `csv` its main table; `html` is one page (`planner.html_page`). Rounding is for people: only
`table`, `md` and `html` round.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import singledispatch

import pandas as pd

from planner import nutrients
from planner.blocks import Checklist, Document, Heading, Lines, Table, amount, cell, gap_decimals, percent_of_floor
from planner.check import CheckResult
from planner.errors import InputError
from planner.explain import AT_BOUNDS, Explanation
from planner.html_page import blocks_page, plan_page
from planner.plan import DISCLAIMER, Plan
from planner.request import MEAL_RULES
from planner.shopping import ShoppingList
from planner.symptoms import DOCTOR_PREFIXES
from planner.targets import Targets, share_parts

FORMATS = ("table", "json", "csv", "md", "html")
# What a file's name asks for when no format is given: `-o week.json` writes JSON, as `check` and `shop` read it.
FORMAT_OF_SUFFIX = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def format_for(path: str | None) -> str:
    """The format a file's name asks for (its suffix, any case); `table` for any other name, or for stdout."""
    suffix = os.path.splitext(path)[1].lower() if path else ""
    return FORMAT_OF_SUFFIX.get(suffix, "table")


# --------------------------------------------------------------------------- formats

def render(obj, fmt: str = "table") -> str:
    """`obj` in one of FORMATS: table (for reading), md, json, csv, html (one page)."""
    if fmt not in RENDERERS:
        raise InputError(f"unknown format '{fmt}' (expected one of: {', '.join(FORMATS)})", field="format")
    return RENDERERS[fmt](obj)


def to_json(obj) -> str:
    return json.dumps(data(obj), indent=2, allow_nan=False) + "\n"


def to_csv(obj) -> str:
    # Ten significant digits: every figure as precise as its source, without float noise (431.87000000000006).
    return main_table(obj).to_csv(index=False, float_format="%.10g")


def to_text(obj) -> str:
    out: list[str] = []
    previous = None
    blocks = document(obj).blocks
    if isinstance(obj, (ShoppingList, Explanation)):   # a plan's own says it; targets say it on stderr
        blocks += (Lines((DISCLAIMER,)),)
    for block in blocks:
        # A blank line between blocks, except under a heading and before lines that continue a block.
        continues = isinstance(previous, Heading) or (isinstance(block, Lines) and block.indent > 0)
        if out and not continues:
            out.append("")
        previous = block
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Lines):
            out.extend(" " * block.indent + line for line in block.lines)
        elif isinstance(block, Table):
            frame = block.frame.assign(**{c: block.frame[c].map(lambda v, n=n: _cut(str(v), n))
                                          for c, n in block.widest.items()})
            out.extend(" " * block.indent + line for line in _aligned(frame, block.header))
        elif isinstance(block, Checklist):
            widths = [max((len(cells[i]) for _, cells in block.rows), default=0)
                      for i in range(max((len(c) for _, c in block.rows), default=0))]
            for _, cells in block.rows:
                out.append(("  " + "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths))).rstrip())
    return "\n".join(out).rstrip("\n") + "\n" if out else ""


def _cut(text: str, most: int) -> str:
    """`text` in at most `most` characters: cut at a word, with an ellipsis, when longer."""
    if len(text) <= most:
        return text
    head = text[:most - 1].rstrip(" ,;(")
    word = head.rsplit(" ", 1)[0].rstrip(" ,;(") if " " in head else head
    return (word if len(word) >= most // 2 else head) + "…"


def to_markdown(obj) -> str:
    out: list[str] = []
    doc = document(obj)
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {block.text}", ""]
        elif isinstance(block, Lines):
            out += [f"- {line}" if block.bullets else line for line in block.lines] + [""]
        elif isinstance(block, Table):
            frame = block.frame
            out.append("| " + " | ".join(map(str, frame.columns)) + " |")
            out.append("|" + "---|" * len(frame.columns))
            out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
            out.append("")
        elif isinstance(block, Checklist):
            for checked, cells in block.rows:
                what, name, notes, price = (list(cells) + ["", "", "", ""])[:4]
                text = f"{name}: {what}" if checked else f"{what} {name}".strip()
                text += (f" ({notes})" if notes else "") + (f" — {price}" if price else "")
                out.append(f"- [{'x' if checked else ' '}] {text}")
            out.append("")
    # A file is read without the terminal's stderr: it says once what it is not, and when to see a doctor (a table
    # of FoodData Central's foods is no advice).
    if not isinstance(obj, pd.DataFrame) and not any(isinstance(b, Lines) and DISCLAIMER in b.lines
                                                     for b in doc.blocks):
        out += [f"*{DISCLAIMER}*", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def to_html(obj) -> str:
    """One self-contained page; a plan's is its own (meals, coverage chart, food groups, shopping list)."""
    if isinstance(obj, Plan):
        return plan_page(obj, _status_lines(obj), shortfall_lines(obj))
    titles = {Explanation: "Why each food is there", Targets: "The targets a plan uses", CheckResult: "Plan check"}
    return blocks_page(document(obj), titles.get(type(obj), "planner"))


RENDERERS: dict[str, Callable[[object], str]] = {"table": to_text, "json": to_json, "csv": to_csv, "md": to_markdown,
                                                 "html": to_html}


def _aligned(frame: pd.DataFrame, header: bool) -> list[str]:
    """Rows of text in columns: words to the left, numbers to the right."""
    if frame.empty:
        return []
    columns = [[cell(v) for v in frame[c]] for c in frame.columns]
    if header:
        columns = [[str(name), *cells] for name, cells in zip(frame.columns, columns)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    widths = [max(len(v) for v in cells) for cells in columns]
    return ["  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(row, widths, numeric)).rstrip()
            for row in zip(*columns)]


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", double_precision=15))


# --------------------------------------------------------------------------- each object's data

@singledispatch
def data(obj) -> object:
    """The object as JSON-ready data."""
    return obj.to_dict()


@data.register
def _(obj: pd.DataFrame) -> object:
    return _records(obj)


@data.register
def _(obj: Targets) -> object:
    return _records(obj.table)


@data.register
def _(obj: ShoppingList) -> object:
    return _records(obj.frame)


@singledispatch
def main_table(obj) -> pd.DataFrame:
    """The table a CSV of the object holds."""
    raise TypeError(f"no table for {type(obj).__name__}")


@main_table.register
def _(obj: pd.DataFrame) -> pd.DataFrame:
    return obj


@main_table.register
def _(obj: Plan) -> pd.DataFrame:
    return obj.items_frame()


@main_table.register
def _(obj: Targets) -> pd.DataFrame:
    return obj.table


@main_table.register
def _(obj: CheckResult) -> pd.DataFrame:
    return obj.failures


@main_table.register
def _(obj: Explanation) -> pd.DataFrame:
    # Its three tables in one, each row naming its section; a column a section does not have is empty.
    parts = {"sources": obj.sources, "closeness": obj.closeness, "prices": obj.prices}
    frames = [frame.assign(section=name) for name, frame in parts.items() if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=["section"])
    joined = pd.concat(frames, ignore_index=True)
    return joined[["section", *joined.columns.drop("section")]]


@main_table.register
def _(obj: ShoppingList) -> pd.DataFrame:
    return obj.frame


# --------------------------------------------------------------------------- each object as a document

@singledispatch
def document(obj) -> Document:
    raise TypeError(f"nothing to render for {type(obj).__name__}")


@document.register
def _(obj: pd.DataFrame) -> Document:
    title = obj.attrs.get("title", "")
    # A nutrient column is headed in people's words ("vitamin D (mcg)"); JSON and CSV keep the table's column name.
    known = nutrients.registry()
    shown = obj.rename(columns={c: f"{known[c].label} ({known[c].unit})" for c in obj.columns if c in known})
    return Document(((Heading(title, 2),) if title else ()) + (Table(shown),))


@document.register
def _(obj: Targets) -> Document:
    # The pattern's amount a day aims at (food groups), between its floor and ceiling.
    frame = obj.table[["nutrient", "unit", "min", "goal", "max", "source"] if "goal" in obj.table
                      else ["nutrient", "unit", "min", "max", "source"]]
    frame = frame.assign(nutrient=[nutrients.label(n) for n in frame["nutrient"]])
    # Whole in a file (Markdown, HTML); only a terminal's table cuts the source, as its rows would wrap.
    return Document((Heading("Targets", 2), Table(frame, widest={"source": 70})))


@document.register
def _(obj: CheckResult) -> Document:
    # The verdict opens the report, so a passing plan's written report says it passed.
    verdict = Lines((obj.summary(),))
    unknown = (Heading("Ceilings held on the values known", 2), Lines(obj.unknown, bullets=True)) if obj.unknown else ()
    if obj.ok:
        return Document((verdict, *unknown))
    frame = obj.failures.assign(nutrient=[nutrients.label(n) for n in obj.failures["nutrient"]])
    return Document((verdict, Heading("Failing checks", 2), Table(frame), *unknown))


@document.register
def _(obj: ShoppingList) -> Document:
    blocks: list = [Heading(obj.title)]
    for aisle, lines in obj.by_aisle():
        blocks += [Heading(aisle, 2),
                   Checklist(tuple((not line.to_buy, (line.what, line.name, line.notes, line.price))
                                   for line in lines))]
    blocks.append(Lines((obj.total_line(),)))
    return Document(tuple(blocks))


def _status_lines(plan: Plan) -> list[str]:
    report = plan.report
    unpriced = any(d.unpriced for d in plan.days)
    lines = [f"Cost: ${plan.cost:.2f} for {len(plan.days)} day(s)"
             + (f", in {plan.prices_from} dollars" if plan.prices_from else ", prices undated")
             + (" (priced foods only)." if unpriced else ".") if plan.priced else
             "Cost: unknown: no food in the plan has a sourced price."]
    cost = "cost with stand-in prices for unpriced foods" if unpriced else "cost"
    status = (f"each day solved to a proven {report.day_gap:.0%} gap" if report.status.value == "optimal"
              else f"day(s) {', '.join(map(str, report.stopped_days))} stopped at the time limit with a plan")
    if plan.request.amounts_only:
        lines.append(f"Solver: {report.solver}, the plain diet LP solved to optimality; {report.seconds:.2f} s; its "
                     f"least {cost} is ${report.model_cost:.2f} for the plan.")
    elif report.gap_to_bound is not None:
        # The bound holds for this plan: the LP drops what the plan gave way on (`week._proven_bound`).
        loosened = ""
        if plan.shortfalls:
            loosened += ", and any floor the plan misses on average lowered to what it reaches"
        if any(rule in MEAL_RULES for _, rule in report.relaxed):
            loosened += ", and the meal rules a day gave way on dropped"
        # `--cheapest` drops the terms on how people eat: the objective is the cost alone.
        what = (f"the {cost} (${report.model_cost:.2f})" if plan.request.cheapest else
                f"the objective ({report.objective:.2f}: {cost} ${report.model_cost:.2f} plus how far the days depart "
                "from how people eat)")
        lines.append(f"Solver: {report.solver}, {status}; {report.seconds:.2f} s; {what} is within "
                     f"{100 * report.gap_to_bound:.0f}% of its lower bound {report.lower_bound:.2f} (days "
                     f"x the week's average-day LP: whole servings and day-to-day variety left out{loosened}).")
    else:
        lines.append(f"Solver: {report.solver}, {status}; {report.seconds:.2f} s.")
    return lines


def _warnings_and_notes(plan: Plan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    warnings = tuple(n for n in plan.notes if n.startswith(DOCTOR_PREFIXES))
    return warnings, tuple(f"Note: {n}" for n in plan.notes if n not in warnings)


def message_lines(plan: Plan, said: list[str]) -> list[str]:
    """What a plan says beside its meals, for a format that holds only the meals (CSV): its warning signs, its
    notes (a food with no value for a target, unpriced foods ...) and what it is not; but not what is `said`."""
    warnings, notes = _warnings_and_notes(plan)
    return [line for line in (*warnings, *notes, DISCLAIMER) if line not in said and line[6:] not in said]


def unmet_line(plan: Plan) -> str:
    names = ", ".join(sorted({nutrients.label(s.nutrient) for s in plan.shortfalls}))
    return f"Targets not met: {names} (the closest plan is shown; see SHORT lines)."


def shortfall_lines(plan: Plan) -> list[str]:
    """One line per shortfall: how much is missing and what would close it."""
    lines = []
    for s in plan.shortfalls:
        when = f"day {s.day}" if s.day is not None else f"week {s.week} average" if s.week else "week average"
        d = gap_decimals(s.gap)
        got, of = amount(s.achieved, s.unit, d), amount(s.target, s.unit)
        for more in range(1, 4):   # 319.6 mg of a 320 mg floor is not "320 mg of 320 mg"
            if got != of:
                break
            got, of = amount(s.achieved, s.unit, more), amount(s.target, s.unit, more)
        lines.append(f"SHORT {nutrients.label(s.nutrient)} ({when}): {got} of {of}, {amount(s.gap, s.unit, d)} "
                     f"short. Would close it: {s.closes_it}.")
    return lines


def _bound(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _held_in_range(nutrient: str) -> bool:
    """Calories and the shares of a whole are held within a range, not raised from a floor: a percent of the floor
    tells a reader nothing, the value beside the range does."""
    return nutrient == "energy_kcal" or bool(share_parts(nutrient))


def _range(low: float, high: float) -> str:
    """A target's bounds as the plan says them: "(1,800-2,200)", "(max 10)", "(min 50)"."""
    if pd.notna(low) and pd.notna(high):
        return f"({_bound(low)}-{_bound(high)})"
    return f"(max {_bound(high)})" if pd.notna(high) else f"(min {_bound(low)})"


def _totals_line(rows: pd.DataFrame, targets: pd.DataFrame) -> str:
    headline = nutrients.headline()
    shown = [n for n in headline if n in rows.index] + [n for n in rows.index if n not in headline]
    parts = []
    by_nutrient = rows.to_dict("index")   # a row look-up in a frame costs more than the line it makes
    for n in shown:
        r = by_nutrient[n]
        pct = f" {percent_of_floor(r['pct_of_min'])}" if pd.notna(r["pct_of_min"]) else ""
        if pd.notna(r["pct_of_goal"]):
            pct = f" ({r['pct_of_goal']:.0f}% of the pattern)"
        elif pd.isna(r["min"]) and pd.notna(r["max"]):
            pct = f" {_range(float('nan'), targets.loc[n, 'max'])}"
        elif _held_in_range(n):
            pct = f" {_range(r['min'], r['max'])}"
        parts.append(f"{nutrients.label(n)} {amount(r['total'], r['unit'])}{pct}")
    return "totals: " + ", ".join(parts)


@document.register
def _(plan: Plan) -> Document:
    blocks: list = [Heading(f"Meal plan: {len(plan.days)} day(s) for {plan.request.profile.describe(hint=False)}")]
    # A symptom's warning signs come first in a file too, before the meals: an URGENT line is not a footnote.
    warnings, notes = _warnings_and_notes(plan)
    if warnings:
        blocks.append(Lines(warnings, bullets=True))
    targets = plan.targets.set_index("nutrient")
    coverage = plan.coverage()
    for day in plan.days:
        cost = (f"${day.cost:.2f}" + (f", {len(day.unpriced)} unpriced" if day.unpriced else "")) if day.priced \
            else "no prices"
        blocks.append(Heading(f"Day {day.day}  ({cost})", 2))
        items = pd.DataFrame({"slot": [i.slot for i in day.items],
                              "food": [i.name for i in day.items],
                              "portion": [i.portion for i in day.items],
                              "grams": [f"{i.grams:.0f} g" for i in day.items]})
        blocks.append(Table(items, header=False, indent=2, widest={"food": 44, "portion": 34}))
        rows = coverage[coverage["day"] == day.day].set_index("nutrient")
        blocks.append(Lines((_totals_line(rows, targets),), indent=2))
    blocks.append(Lines(tuple(_status_lines(plan) + shortfall_lines(plan)), bullets=True))
    if notes:
        blocks.append(Lines(notes, bullets=True))
    blocks.append(Lines((DISCLAIMER,)))
    return Document(tuple(blocks))


@document.register
def _(ex: Explanation) -> Document:
    blocks: list = [Heading("Where each nutrient comes from (the whole plan)", 2)]
    lines = []
    width = max((len(nutrients.label(n)) for n in ex.sources["nutrient"]), default=0)
    for nutrient, rows in ex.sources.groupby("nutrient", sort=False):
        parts = [f"{r.name} {r.share_pct:.0f}%" for r in rows.itertuples()]
        lines.append(f"{nutrients.label(nutrient):<{width}}  " + ", ".join(parts))
    blocks.append(Lines(tuple(lines), bullets=True, indent=2))
    blocks.append(Heading("How close each day runs to its bounds (% of the floor, or of the pattern for a food "
                          "group, as the plan says; a range such as calories, its value; * = at the floor or ceiling)",
                          2))
    rows = []
    for nutrient, days in ex.closeness.groupby("nutrient", sort=False):
        label = nutrients.label(nutrient)
        ranged = _held_in_range(nutrient)
        if ranged:
            label += f" {_range(*days.iloc[0][['min', 'max']])}"
        cells = {f"day {r.day}": (f"{r.pct_of_goal:.0f}% of pattern" if pd.notna(r.pct_of_goal)
                                  else f"{r.total:,.0f}{'%' if share_parts(nutrient) else ''}"
                                  if ranged and pd.notna(r.total)
                                  else percent_of_floor(r.pct_of_min) if pd.notna(r.pct_of_min)
                                  else f"{r.pct_of_max:.0f}% of max" if pd.notna(r.pct_of_max)
                                  else "") + ("*" if r.at in AT_BOUNDS else "")
                 for r in days.itertuples()}
        rows.append({"target": label, **cells})
    blocks.append(Table(pd.DataFrame(rows, dtype=str).fillna(""), indent=2))
    blocks.append(Heading("What each target costs (the week's average-day LP over the foods you allow: the "
                          "cheapest way, not your menu)", 2))
    lines = []
    for r in ex.prices.itertuples():
        step = f"{r.step:g} {r.unit}"
        label = nutrients.label(r.nutrient)
        if r.bound == "min":
            if abs(r.cost_per_step) < 1e-9:
                lines.append(f"+{step} {label} a day costs nothing extra (not binding: other targets' foods "
                             "already cover it)")
            elif abs(r.cost_per_step) < 0.005:
                lines.append(f"+{step} {label} a day costs under a cent (binding, but cheap)")
            elif pd.notna(r.holds_to) and r.value + r.step > r.holds_to:
                # Past where its price holds a floor costs more at the margin (the LP's cost is convex in it).
                lines.append(f"+{step} {label} a day costs at least ${r.cost_per_step:.2f} (binding; this price "
                             f"holds only up to {r.holds_to:,.4g} {r.unit}, more beyond)")
            else:
                held = (f", while the floor stays within {r.holds_from:,.4g}-{r.holds_to:,.4g} {r.unit}"
                        if pd.notna(r.holds_from) else "")
                lines.append(f"+{step} {label} a day costs about ${r.cost_per_step:.2f}{held} (binding)")
        elif abs(r.cost_per_step) >= 0.005:
            partly = pd.notna(r.holds_to) and r.value + r.step > r.holds_to
            lines.append(f"the ceiling on {label} ({r.value:g} {r.unit}) binds: lifting it by {step} would save "
                         + (f"at most ${-r.cost_per_step:.2f} a day (this price holds only up to {r.holds_to:,.4g} "
                            f"{r.unit})" if partly else f"about ${-r.cost_per_step:.2f} a day"))
    blocks.append(Lines(tuple(lines), bullets=True, indent=2))
    return Document(tuple(blocks))
