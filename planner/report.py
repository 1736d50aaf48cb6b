"""Renderings of plans, targets and checks: a readable table, Markdown, CSV and JSON; atomic writes."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from planner.plan import DISCLAIMER, Plan
from planner.week import day_summary

FORMATS = ("table", "json", "csv", "md")
# The nutrients a person asked about come first in every summary.
HEADLINE = ("magnesium_mg", "calcium_mg", "potassium_mg", "vitamin_d_mcg", "vitamin_b12_mcg")
SHORT_NAMES = {
    "energy_kcal": "kcal", "magnesium_mg": "magnesium", "calcium_mg": "calcium", "potassium_mg": "potassium",
    "vitamin_d_mcg": "vitamin D", "vitamin_b12_mcg": "B12", "sodium_mg": "sodium", "thiamin_mg": "thiamin",
    "vitamin_b6_mg": "B6", "caffeine_mg": "caffeine", "protein_pct_kcal": "protein %kcal",
    "fat_pct_kcal": "fat %kcal", "carbohydrate_pct_kcal": "carbs %kcal",
}


def write_atomic(path: str | Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        # mkstemp makes the file private (0600); an output file gets the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def short(nutrient: str) -> str:
    return SHORT_NAMES.get(nutrient, nutrient)


def _amount(value: float, unit: str) -> str:
    if unit in ("mcg",) or abs(value) < 10:
        return f"{value:.1f} {unit}".replace("% kcal", "%")
    return f"{value:,.0f} {unit}".replace(" % kcal", "%")


def render_plan(plan: Plan, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(plan.to_dict(), indent=2) + "\n"
    if fmt == "csv":
        return plan.items_frame().to_csv(index=False)
    if fmt == "md":
        return _plan_markdown(plan)
    return _plan_table(plan)


def _status_lines(plan: Plan) -> list[str]:
    s = plan.solver
    lines = [f"Cost: ${plan.cost:.2f} for {len(plan.days)} day(s) (priced foods)."]
    if s.get("gap_to_bound") is not None:
        lines.append(f"Solver: {s['name']}, {s['status']}; {s['seconds']:.2f} s; model cost ${s['cost_with_stand_ins']:.2f} "
                     f"is within {100 * s['gap_to_bound']:.0f}% of the lower bound ${s['lower_bound']:.2f} "
                     "(days x the week's average-day LP: whole servings and day-to-day variety left out).")
    return lines


def _shortfall_lines(plan: Plan) -> list[str]:
    lines = []
    for s in plan.shortfalls:
        when = f"day {s.day}" if s.day is not None else "week average"
        lines.append(f"SHORT {short(s.nutrient)} ({when}): {_amount(s.achieved, s.unit)} of "
                     f"{_amount(s.target, s.unit)}, {_amount(s.gap, s.unit)} short. Would close it: {s.closes_it}.")
    return lines


def _plan_table(plan: Plan) -> str:
    out: list[str] = []
    targets = plan.targets.set_index("nutrient")
    summary = day_summary(plan)
    for day in plan.days:
        out.append(f"Day {day.day}  (${day.cost:.2f}" + (f", {len(day.unpriced)} unpriced" if day.unpriced else "") + ")")
        for item in day.items:
            portion = f"{item.servings:g} x {item.serving_label}"
            out.append(f"  {item.slot:<10} {item.name[:44]:<44} {portion[:34]:<34} {item.grams:>6.0f} g")
        rows = summary[summary["day"] == day.day].set_index("nutrient")
        shown = [n for n in HEADLINE if n in rows.index] + [n for n in rows.index if n not in HEADLINE]
        parts = []
        for n in shown:
            r = rows.loc[n]
            pct = f" {r.pct_of_min:.0f}%" if pd.notna(r.pct_of_min) else ""
            cap = f" (max {targets.loc[n, 'max']:g})" if pd.isna(r["min"]) and pd.notna(r["max"]) else ""
            parts.append(f"{short(n)} {_amount(r.total, r.unit)}{pct}{cap}")
        out.append("  totals: " + ", ".join(parts))
        out.append("")
    out.extend(_status_lines(plan))
    out.extend(_shortfall_lines(plan))
    out.extend(f"Note: {n}" for n in plan.notes)
    out.append(DISCLAIMER)
    return "\n".join(out) + "\n"


def _plan_markdown(plan: Plan) -> str:
    out = ["# Meal plan", ""]
    summary = day_summary(plan)
    for day in plan.days:
        out += [f"## Day {day.day} (${day.cost:.2f})", "", "| slot | food | servings | grams |", "|---|---|---|---|"]
        out += [f"| {i.slot} | {i.name} | {i.servings:g} x {i.serving_label} | {i.grams:.0f} |" for i in day.items]
        rows = summary[summary["day"] == day.day]
        out += ["", "| nutrient | total | % of floor |", "|---|---|---|"]
        for r in rows.itertuples(index=False):
            pct = f"{r.pct_of_min:.0f}%" if pd.notna(r.pct_of_min) else ""
            out.append(f"| {short(r.nutrient)} | {_amount(r.total, r.unit)} | {pct} |")
        out.append("")
    out += [f"- {line}" for line in _status_lines(plan) + _shortfall_lines(plan)]
    out += [f"- Note: {n}" for n in plan.notes]
    out += ["", f"*{DISCLAIMER}*"]
    return "\n".join(out) + "\n"


def render_frame(frame: pd.DataFrame, fmt: str = "table", title: str = "") -> str:
    """Any result table in the four formats (targets, check failures, shopping lists)."""
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records"))
        return json.dumps(records, indent=2) + "\n"
    if fmt == "csv":
        return frame.to_csv(index=False)
    if fmt == "md":
        header = "| " + " | ".join(map(str, frame.columns)) + " |"
        lines = [header, "|" + "---|" * len(frame.columns)]
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
        return (f"## {title}\n\n" if title else "") + "\n".join(lines) + "\n"
    if frame.empty:
        return ""
    return frame.to_string(index=False, na_rep="", formatters={c: _cell for c in frame.columns}) + "\n"


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def render_targets(targets: pd.DataFrame, fmt: str = "table") -> str:
    frame = targets[["nutrient", "unit", "min", "max", "source"]]
    if fmt == "table":
        frame = frame.assign(source=frame["source"].str.slice(0, 70))
    return render_frame(frame, fmt, "Targets")
