"""How well each day of a plan covers its targets, as an inline SVG grid: one row per target,
one column per day and one for each week's average.

A cell shows the day's total as a share of its floor (the RDA or AI, or the floor
a person asked for); a row with only a ceiling (sodium, saturated fat) shows the
share of that ceiling instead, and a row that is itself a share of calories or
of grains shows its value. Each row names its ceiling (UL, CDRR, AMDR or limit).
Where the ceiling is a UL (or sodium's CDRR), a thin bar under each number shows
how much of it the day uses, and a cell at 90 % of it or more is marked with a
triangle; the top of a range people eat in (an AMDR, a limit) is not. Food groups
are left out: the page shows them against the pattern. Hand-written SVG, so the
chart needs no plotting library and no font or script from anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from planner import nutrients
from planner.blocks import amount, cell, percent_of_floor
from planner.plan import DayPlan, Plan
from planner.request import week_of
from planner.targets import share_parts, target_value

NEAR_CEILING = 0.9       # a total at this share of its ceiling or more is marked
LABEL_W, CELL_W, CELL_H, GAP, HEAD_H, PAD = 215, 60, 34, 3, 26, 4
# status -> (fill, text colour); the page's legend uses the same names.
COLOURS = {"met": ("#cfe9d6", "#17432a"), "short": ("#f6c9c0", "#7d1a0a"), "short-day": ("#fbe6bd", "#5e4300"),
           "under-limit": ("#dde8f5", "#1d3a5c"), "near-ceiling": ("#ffd9a6", "#6b3300"),
           "missing": ("#eeeeee", "#555555")}
CEILING_STROKE = "#b35400"


@dataclass(frozen=True)
class Cell:
    text: str
    status: str
    near_ceiling: bool
    title: str
    of_ceiling: float | None = None   # total / UL, for the gauge under the number

    def gauge(self, x: float, y: float) -> str:
        """A thin bar along the cell's foot: how much of the UL the total uses; full width is the UL."""
        if self.of_ceiling is None:
            return ""
        left, right, foot = x + 6, x + CELL_W - 6, y + CELL_H - 7
        used = left + (right - left) * min(max(self.of_ceiling, 0.0), 1.0)
        colour = CEILING_STROKE if self.near_ceiling else "#6b6b6b"
        return (f'<line x1="{left}" y1="{foot}" x2="{right}" y2="{foot}" stroke="#ffffff" stroke-width="3" '
                f'stroke-opacity="0.8"/><line x1="{left}" y1="{foot}" x2="{used:.1f}" y2="{foot}" '
                f'stroke="{colour}" stroke-width="3"/>'
                f'<line x1="{right}" y1="{foot - 3}" x2="{right}" y2="{foot + 3}" stroke="{colour}"/>')


def ceiling_name(target: pd.Series) -> str:
    """What a target's ceiling is called: a DRI row's is the UL (sodium's the CDRR), an AMDR's its upper end."""
    kind, source = str(target.get("kind") or ""), str(target.get("source") or "")
    if kind == "dri":
        return "CDRR" if source.startswith("CDRR") else "UL"
    return {"amdr": "AMDR", "energy": "max"}.get(kind, "limit")


def is_safety_ceiling(target: pd.Series) -> bool:
    """A ceiling that is about harm (a UL, or sodium's CDRR), not the top of a range people eat in."""
    return pd.notna(target["max"]) and ceiling_name(target) in ("UL", "CDRR")


def _limit(value: float, unit: str) -> str:
    """A bound as a row label says it: `2,500 mg`, `2.4 mcg`, `10%`."""
    return f"{cell(float(value))}%" if _is_share(unit) else f"{cell(float(value))} {unit}"


def day_total(day: DayPlan, nutrient: str) -> float:
    """A day's total for a target, NaN where the plan holds no total for it (missing is not 0)."""
    parts = share_parts(nutrient)
    needed = parts[:2] if parts else (nutrient,)
    return target_value(day.totals, nutrient) if all(n in day.totals for n in needed) else np.nan


def chart_rows(plan: Plan) -> list[str]:
    """The targets the chart shows, in the order people read them: the five the plan is about first."""
    targets = plan.targets
    shown = [n for n, goal in zip(targets["nutrient"], targets["goal"], strict=True) if pd.isna(goal)]
    headline = [n for n in nutrients.headline() if n in shown]
    return headline + [n for n in shown if n not in headline]


def _is_share(unit: str) -> bool:
    return unit.startswith("%")


def _cell(nutrient: str, target: pd.Series, total: float, where: str, stored: bool, average_met: bool) -> Cell:
    unit, low, high = str(target["unit"]), target["min"], target["max"]
    label = nutrients.label(nutrient)
    if pd.isna(total):
        return Cell("", "missing", False, f"{where}, {label}: no value (missing in the food table)")
    near = bool(is_safety_ceiling(target) and high > 0 and total >= NEAR_CEILING * high)
    title = f"{where}, {label}: {amount(total, unit)}"
    if _is_share(unit):
        text = f"{total:.0f}%"
    elif pd.notna(low) and low > 0:
        text = percent_of_floor(100 * total / low)
        title += f", {text} of the {amount(low, unit)} target"
    elif pd.notna(high) and high > 0:
        text = f"{100 * total / high:.0f}%"
    else:
        text = amount(total, unit)
    if pd.notna(high):
        title += f"; {ceiling_name(target)} {amount(high, unit)} ({100 * total / high:.0f}% of it)" if high else ""
    if pd.notna(low) and total < low:
        # A nutrient the body stores may fall short on a day when the week's average meets it.
        status = "short-day" if stored and average_met else "short"
        if status == "short-day":
            title += " (below on this day; the week's average meets it)"
    elif near:
        status = "near-ceiling"
    elif pd.isna(low):
        status = "under-limit"
    else:
        status = "met"
    of_ceiling = float(total / high) if is_safety_ceiling(target) and high > 0 else None
    return Cell(("▲ " if near else "") + text, status, near, title, of_ceiling)


def _row_label(target: pd.Series) -> tuple[str, str]:
    """The row's name and, under it, its floor and ceiling in words."""
    nutrient, unit, low, high = str(target["nutrient"]), str(target["unit"]), target["min"], target["max"]
    name = nutrients.label(nutrient)
    parts = []
    if pd.notna(low):
        parts.append(f"target {_limit(low, unit)}")
    if pd.notna(high):
        parts.append(f"{ceiling_name(target)} {_limit(high, unit)}")
    if nutrient in nutrients.stored():
        parts.append("weekly")
    return name, " · ".join(parts)


def chart_width(days: int) -> int:
    """The chart's natural width in CSS pixels for a plan of `days` days: a column a day and one a week."""
    return LABEL_W + (days + week_of(days)) * (CELL_W + GAP) + PAD


def coverage_svg(plan: Plan) -> str:
    """The chart as one <svg> element, sized by its viewBox so it scales to the page."""
    targets = plan.targets.drop_duplicates("nutrient").set_index("nutrient", drop=False)
    rows = chart_rows(plan)
    days = [d.day for d in plan.days]
    # Vitamin D and B12 hold on each week's average: a plan longer than a week has an average for each.
    weeks = sorted({week_of(d) for d in days})
    columns = [f"Day {d}" for d in days] + (["Average"] if len(weeks) == 1 else [f"Avg wk {w}" for w in weeks])
    width = chart_width(len(days))
    height = HEAD_H + len(rows) * (CELL_H + GAP) + PAD
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-labelledby="coverage-title coverage-desc" class="coverage" '
           # A little above natural size where it fits; on a narrow screen it keeps a readable size and scrolls.
           f'style="width: min(100%, {1.2 * width:.0f}px); min-width: min({width}px, 36rem)">',
           '<title id="coverage-title">Each day\'s totals as a share of their targets</title>',
           f'<desc id="coverage-desc">{len(rows)} targets by {len(days)} day(s) and '
           f'{"the average" if len(weeks) == 1 else "the average of each week"}; a triangle marks '
           f'a total at {NEAR_CEILING:.0%} of its UL or more.</desc>',
           '<g font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, \'Liberation Sans\', Arial, '
           'sans-serif" font-size="12">']
    for k, name in enumerate(columns):
        x = LABEL_W + k * (CELL_W + GAP) + CELL_W / 2
        out.append(f'<text x="{x:.1f}" y="{HEAD_H - 9}" text-anchor="middle" font-weight="600" '
                   f'fill="#222">{escape(name)}</text>')
    for r, nutrient in enumerate(rows):
        target = targets.loc[nutrient]
        y = HEAD_H + r * (CELL_H + GAP)
        name, limits = _row_label(target)
        out.append(f'<text x="{LABEL_W - 8}" y="{y + 14}" text-anchor="end" font-weight="600" fill="#222">'
                   f'{escape(name)}</text>')
        out.append(f'<text x="{LABEL_W - 8}" y="{y + 28}" text-anchor="end" font-size="10" fill="#555">'
                   f'{escape(limits)}</text>')
        values = pd.Series({d.day: day_total(d, nutrient) for d in plan.days}, dtype=float)
        stored = nutrient in nutrients.stored()
        averages, met = {}, {}
        for w in weeks:
            week = values[[week_of(d) == w for d in values.index]]
            averages[w] = float(week.mean()) if week.notna().all() else np.nan
            met[w] = bool(pd.notna(averages[w]) and (pd.isna(target["min"]) or averages[w] >= target["min"] - 1e-9))
        cells = [_cell(nutrient, target, values.get(d, np.nan), f"Day {d}", stored, met[week_of(d)]) for d in days]
        cells += [_cell(nutrient, target, averages[w], "Week average" if len(weeks) == 1 else f"Week {w} average",
                        False, met[w]) for w in weeks]
        for k, c in enumerate(cells):
            x = LABEL_W + k * (CELL_W + GAP)
            fill, ink = COLOURS[c.status]
            stroke = f' stroke="{CEILING_STROKE}" stroke-width="2"' if c.near_ceiling else ""
            out.append(f'<g class="cell {c.status}"><title>{escape(c.title)}</title>'
                       f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" rx="3" '
                       f'fill="{fill}"{stroke}/>'
                       f'<text x="{x + CELL_W / 2:.1f}" y="{y + CELL_H / 2 + 3:.1f}" text-anchor="middle" '
                       f'fill="{ink}">{escape(c.text)}</text>{c.gauge(x, y)}</g>')
    # The average columns stand apart: for vitamin D and B12 they are the ones that have to hold.
    x = LABEL_W + len(days) * (CELL_W + GAP) - GAP / 2 - 0.5
    out.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - PAD}" stroke="#888" stroke-dasharray="3 3"/>')
    out.append("</g></svg>")
    return "\n".join(out)


def legend() -> list[tuple[str, str, str]]:
    """(status, fill, words) for the page's legend, in the order a reader meets them."""
    words = {"met": "target met", "short": "below the target",
             "short-day": "below on this day; the week's average meets it (vitamin D, B12)",
             "under-limit": "a ceiling only: % of that ceiling",
             "near-ceiling": f"▲ at {NEAR_CEILING:.0%} or more of the UL (or sodium's CDRR)",
             "gauge": "bar under a number: how much of the UL the day uses (the end mark is the UL)",
             "missing": "no value"}
    return [(status, COLOURS.get(status, ("#6b6b6b", ""))[0], words[status]) for status in words]
