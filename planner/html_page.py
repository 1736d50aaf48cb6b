"""Outputs as one self-contained HTML page: nothing loaded from anywhere, readable on a phone,
printable on A4 and Letter.

A plan gets its own page (`plan_page`): the meals by day and slot, the coverage
chart (inline SVG from `planner.coverage_chart`), the food groups against the
pattern, the shopping list, the notes and the disclaimer. Every other output
(a shopping list, a check, targets, an explanation) is its document's blocks as
HTML (`blocks_page`). All text is escaped; a Content-Security-Policy forbids every
fetch and every script, so the page stays a document even if a food name is not.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from planner import nutrients
from planner.blocks import Checklist, Document, Heading, Lines, Table, amount, cell
from planner.coverage_chart import chart_width, coverage_svg, legend
from planner.foods import SLOTS
from planner.plan import DISCLAIMER, Plan
from planner.symptoms import DOCTOR_PREFIXES
from planner.shopping import ShoppingList, shopping_list

LOW_SHARE = 90   # a food group under this % of the pattern's amount is shaded
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #5a5a5a; --line: #d6d6d6; --band: #f3f5f7;
  --warn: #fff4e0; --warn-line: #d98a00; --bad: #fde8e4; --bad-line: #c0392b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; color: var(--ink); background: #fff; line-height: 1.4;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; line-height: 1.2; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 0 0 .3rem; }
p { margin: .3rem 0; }
.muted, .sub { color: var(--muted); }
.sub { margin: 0 0 .6rem; }
.callout { border-left: 4px solid var(--warn-line); background: var(--warn); padding: .6rem .8rem; margin: .8rem 0; }
.callout.bad { border-color: var(--bad-line); background: var(--bad); }
.callout ul { margin: .3rem 0 0; padding-left: 1.2rem; }
nav.contents { margin: .8rem 0; display: flex; flex-wrap: wrap; gap: .4rem 1rem; }
nav.contents a { color: #0b5cad; }
.days { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 30rem), 1fr)); gap: 1rem; }
.day { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .7rem; break-inside: avoid; }
.day .sub { font-size: .9rem; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: .25rem .4rem; vertical-align: top; border-bottom: 1px solid var(--line); }
thead th { font-size: .8rem; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--ink); }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.slot th { background: var(--band); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em;
  color: #333; border-bottom: none; padding-top: .3rem; }
tr { break-inside: avoid; }
.chart svg { display: block; height: auto; max-width: 100%; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1.1rem; font-size: .85rem; margin: .5rem 0; padding: 0;
  list-style: none; }
.legend li { display: flex; align-items: center; gap: .35rem; }
.swatch { display: inline-block; width: 1.1rem; height: .9rem; border-radius: 2px; border: 1px solid #999; }
.swatch.near-ceiling { border: 2px solid #b35400; }
.swatch.gauge { height: .25rem; border: none; }
.swipe { display: none; font-size: .85rem; color: var(--muted); margin: .2rem 0; }
.groups td.avg { white-space: nowrap; min-width: 9rem; }
.groups td.low { background: #fbe6bd; }
.groups .pattern { white-space: nowrap; }
.groups .range { display: none; font-size: .8rem; color: var(--muted); margin-top: .15rem; }
.bar { position: relative; height: .45rem; background: #e6e6e6; border-radius: 2px; margin-top: .2rem; }
.bar span { position: absolute; left: 0; top: 0; bottom: 0; background: #3f8f5a; border-radius: 2px; }
.bar i { position: absolute; top: -.15rem; bottom: -.15rem; width: 2px; background: var(--ink); }
.bar.low span { background: #d98a00; }
.aisles { columns: 2 22rem; column-gap: 2rem; }
.aisle { break-inside: avoid; margin-bottom: .8rem; }
h2::first-letter, h3::first-letter { text-transform: uppercase; }
ul.checklist { list-style: none; margin: 0; padding: 0; }
ul.checklist li { padding: .3rem 0; border-bottom: 1px solid var(--line); break-inside: avoid; }
ul.checklist label { display: flex; gap: .5rem; align-items: flex-start; }
ul.checklist input { width: 1.1rem; height: 1.1rem; margin: .15rem 0 0; flex: none; }
.item { flex: 1; }
.item .price { float: right; font-variant-numeric: tabular-nums; margin-left: .5rem; }
.item .what { font-weight: 600; }
.item .notes { display: block; font-size: .85rem; color: var(--muted); }
li.covered .item { color: var(--muted); text-decoration: line-through; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); border-top: 1px solid var(--line);
  padding-top: .6rem; }
@media (max-width: 40rem) {
  body { padding: .7rem; font-size: 15px; }
  h1 { font-size: 1.35rem; }
  .day { padding: .5rem; }
  table { font-size: .88rem; }
  .hide-narrow { display: none; }
  .swipe, .groups .range { display: block; }
}
@page { margin: 14mm 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  html { font-size: 9pt; }
  body { max-width: none; padding: 0; font-size: 9pt; line-height: 1.3; }
  h1 { font-size: 15pt; }
  h2 { font-size: 12pt; }
  h3 { font-size: 10pt; margin: 0; }
  table { font-size: 8.5pt; }
  th, td { padding: .05rem .3rem; }
  tr.slot th { padding-top: .1rem; font-size: 7pt; }
  .day { padding: 2mm 3mm; }
  .day .sub { margin: 0 0 1mm; font-size: 8pt; }
  .callout { padding: 2mm 3mm; margin: 2mm 0; }
  h2 { margin-top: 0; break-after: avoid; }
  h3 { break-after: avoid; }
  nav.contents, .screen-only { display: none; }
  .days { display: block; }
  .day { margin-bottom: 4mm; border-radius: 0; }
  .scroll { overflow: visible; }
  .chart svg { min-width: 0 !important; max-width: 86%; }
  #food-groups { break-inside: avoid; }
  section.sheet { break-before: page; }
  .aisles { columns: 2; }
  ul.checklist input { width: .9rem; height: .9rem; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def page(title: str, body: list[str]) -> str:
    """A whole HTML document around `body`, with the styles inline and every fetch forbidden."""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>", *body, "</body>", "</html>", ""])


# --------------------------------------------------------------------------- blocks, for any output

def _table(frame: pd.DataFrame, header: bool = True) -> str:
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    out = ['<div class="scroll"><table>']
    if header:
        out.append("<thead><tr>" + "".join(f'<th scope="col"{" class=num" if num else ""}>{_e(c)}</th>'
                                           for c, num in zip(frame.columns, numeric, strict=True)) + "</tr></thead>")
    out.append("<tbody>")
    for row in frame.itertuples(index=False):
        out.append("<tr>" + "".join(f'<td{" class=num" if num else ""}>{_e(cell(v))}</td>'
                                    for v, num in zip(row, numeric, strict=True)) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _checklist(rows) -> str:
    """Rows of (checked, (what, name, notes, price)): boxes to tick, in print and on a phone."""
    out = ['<ul class="checklist">']
    for checked, cells in rows:
        what, name, notes, price = (list(cells) + ["", "", "", ""])[:4]
        out.append(f'<li{" class=covered" if checked else ""}><label><input type="checkbox"'
                   f'{" checked" if checked else ""}><span class="item">'
                   + (f'<span class="price">{_e(price)}</span>' if price else "")
                   + f'<span class="what">{_e(what)}</span> {_e(name)}'
                   + (f'<span class="notes">{_e(notes)}</span>' if notes else "") + "</span></label></li>")
    out.append("</ul>")
    return "\n".join(out)


def _blocks(blocks) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level, 3)
            out.append(f"<h{level}>{_e(block.text)}</h{level}>")
        elif isinstance(block, Lines):
            if block.bullets:
                out.append("<ul>" + "".join(f"<li>{_e(line)}</li>" for line in block.lines) + "</ul>")
            else:
                out += [f"<p>{_e(line)}</p>" for line in block.lines]
        elif isinstance(block, Table):
            out.append(_table(block.frame, block.header))
        elif isinstance(block, Checklist):
            out.append(_checklist(block.rows))
    return out


def blocks_page(doc: Document, title: str = "planner") -> str:
    """Any output's document as a page, headed by `title` when it has no heading of its own."""
    heading = next((b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1), None)
    body = ([] if heading else [f"<h1>{_e(title)}</h1>"]) + _blocks(doc.blocks)
    body.append(f'<footer><p>{_e(DISCLAIMER)}</p></footer>')
    return page(heading or title, body)


# --------------------------------------------------------------------------- a plan's page

def _day(plan: Plan, day) -> str:
    kcal = day.totals.get("energy_kcal")
    facts = ([f"${day.cost:.2f}"] + ([f"{len(day.unpriced)} food(s) without a price"] if day.unpriced else [])
             if day.priced else ["no prices"])
    if kcal is not None:
        facts.insert(0, f"{kcal:,.0f} kcal")
    out = [f'<section class="day" id="day-{day.day}">', f"<h3>Day {day.day}</h3>",
           f'<p class="sub">{_e(" · ".join(facts))}</p>',
           '<table><thead><tr><th scope="col">Food</th><th scope="col">Portion</th>'
           '<th scope="col" class="num">Weight</th><th scope="col" class="num hide-narrow">Cost</th></tr></thead>']
    for slot in [*SLOTS, *sorted({i.slot for i in day.items} - set(SLOTS))]:
        items = [i for i in day.items if i.slot == slot]
        if not items:
            continue
        out.append(f'<tbody><tr class="slot"><th colspan="4" scope="rowgroup">{_e(slot)}</th></tr>')
        for i in items:
            price = "no price" if i.cost is None else f"${i.cost:.2f}"
            out.append(f"<tr><td>{_e(i.name)}</td><td>{_e(i.portion)}</td>"
                       f'<td class="num">{i.grams:,.0f} g</td><td class="num hide-narrow">{_e(price)}</td></tr>')
        out.append("</tbody>")
    out += ["</table>", "</section>"]
    return "\n".join(out)


def _food_groups(plan: Plan) -> list[str]:
    """Each food group of the pattern: the pattern's amount a day, each day's share of it, the average."""
    coverage = plan.coverage()
    groups = coverage[coverage["goal"].notna()]
    if groups.empty:
        return ["<p>These targets set no food-group pattern.</p>"]
    days = [d.day for d in plan.days]
    head = "".join(f'<th scope="col" class="num hide-narrow">Day {d}</th>' for d in days)
    out = ['<div class="scroll"><table class="groups"><thead><tr><th scope="col">Food group</th>'
           f'<th scope="col">Pattern a day</th>{head}<th scope="col">Average</th></tr></thead><tbody>']
    for nutrient, rows in groups.groupby("nutrient", sort=False):
        rows = rows.set_index("day")
        unit, goal, high = rows["unit"].iloc[0], rows["goal"].iloc[0], rows["max"].iloc[0]
        pattern = f'<span class="pattern">{_e(amount(goal, unit))}</span>' + (
            f'<br><small class="muted">at most {_e(amount(high, unit))}</small>' if pd.notna(high) else "")
        cells = []
        for d in days:
            share = rows.at[d, "pct_of_goal"]
            if pd.isna(share):
                cells.append('<td class="num hide-narrow"></td>')
                continue
            low = " low" if share < LOW_SHARE else ""
            cells.append(f'<td class="num hide-narrow{low}" title="{_e(amount(rows.at[d, "total"], unit))}">'
                         f"{share:.0f}%</td>")
        average = rows["total"].mean()
        share = 100 * average / goal
        spread = rows["pct_of_goal"]
        bar = (f'<div class="bar{" low" if share < LOW_SHARE else ""}"><span style="width:{min(share, 200) / 2:.0f}%">'
               '</span><i style="left:50%"></i></div>')
        out.append(f'<tr><th scope="row">{_e(nutrients.label(nutrient))}</th><td>{pattern}</td>{"".join(cells)}'
                   f'<td class="avg">{_e(amount(average, unit))} ({share:.0f}%){bar}'
                   f'<span class="range">days {spread.min():.0f}–{spread.max():.0f}%</span></td></tr>')
    out.append("</tbody></table></div>")
    out.append(f'<p class="muted">A shaded day is under {LOW_SHARE}% of the pattern; on the bar, the mark is the '
               "pattern's amount and the full bar twice it.</p>")
    return out


def plan_page(plan: Plan, status: list[str], shortfalls: list[str]) -> str:
    """The plan as one page; `status` (cost, solver) and `shortfalls` are the lines the text output says."""
    n = len(plan.days)
    title = f"Meal plan: {n} day{'s' if n != 1 else ''}"
    request = plan.request
    who = f"For {request.profile.describe()}; diet {request.choice.diet}."
    body = [f"<header><h1>{_e(title)}</h1>", f'<p class="sub">{_e(who)} {_e(status[0])}</p></header>']
    # A symptom's warning signs come first, before the disclaimer and the meals.
    warnings = [note for note in plan.notes if note.startswith(DOCTOR_PREFIXES)]
    if warnings:
        body.append('<div class="callout bad" role="alert"><strong>See a doctor</strong><ul>'
                    + "".join(f"<li>{_e(line)}</li>" for line in warnings) + "</ul></div>")
    body.append(f'<div class="callout" role="note">{_first_sentence_strong(DISCLAIMER)}</div>')
    if shortfalls:
        body.append('<div class="callout bad" role="alert"><strong>Targets this plan does not meet</strong><ul>'
                    + "".join(f"<li>{_e(line)}</li>" for line in shortfalls) + "</ul></div>")
    notes = [note for note in plan.notes if note not in warnings]
    if notes:
        body.append('<div class="callout" id="notes"><strong>Notes</strong><ul>'
                    + "".join(f"<li>{_e(note)}</li>" for note in notes) + "</ul></div>")
    body.append('<nav class="contents" aria-label="Contents"><a href="#meals">Meals</a><a href="#coverage">'
                'Targets by day</a><a href="#food-groups">Food groups</a><a href="#shopping">Shopping list</a>'
                "</nav>")
    body += ['<section id="meals"><h2>Meals</h2><div class="days">', *(_day(plan, d) for d in plan.days),
             "</div></section>"]
    swatches = "".join(f'<li><span class="swatch {status}" style="background:{fill}"></span>{_e(words)}</li>'
                       for status, fill, words in legend())
    body += ['<section id="coverage" class="sheet"><h2>Targets by day</h2>',
             '<p class="muted">Each cell is the day\'s total as a share of its target; rows with only a ceiling '
             "show the share of that ceiling, and shares of calories show their value. Vitamin D and B12 may be "
             "met on the week's average.</p>",
             # A phone's screen holds about 22 rem of chart; a wider one scrolls, and says so.
             '<p class="swipe">Swipe the chart sideways to see every day.</p>' if chart_width(n) > 352 else "",
             f'<div class="chart scroll">{coverage_svg(plan)}</div>', f'<ul class="legend">{swatches}</ul>',
             '</section><section id="food-groups"><h2>Food groups and the pattern</h2>',
             '<p class="muted">Each day\'s amount as a share of the Healthy U.S.-Style pattern\'s amount a day.</p>',
             *_food_groups(plan), "</section>"]
    shop = shopping_list(plan)
    body += [f'<section id="shopping" class="sheet"><h2>{_e(shop.title)}</h2>', *_shopping(shop), "</section>"]
    body.append("<footer>" + "".join(f"<p>{_e(line)}</p>" for line in status[1:])
                + f"<p>Foods: {_e(_foods_words(plan))}.</p></footer>")   # the disclaimer is said once, on top
    return page(f"{title} for {request.profile.describe()}", body)


def _first_sentence_strong(text: str) -> str:
    first, dot, rest = text.partition(". ")
    return f"<strong>{_e(first + dot.strip())}</strong> {_e(rest)}" if dot else f"<strong>{_e(text)}</strong>"


def _foods_words(plan: Plan) -> str:
    """The food table by the name the person gave, or as the embedded one (not a path inside the install)."""
    given = plan.request.foods
    return given if given else "the embedded table (foods.csv)"


def _shopping(shop: ShoppingList) -> list[str]:
    out = ['<div class="aisles">']
    for aisle, lines in shop.by_aisle():
        rows = tuple((not line.to_buy, (line.what, line.name, line.notes, line.price)) for line in lines)
        out += ['<div class="aisle">', f"<h3>{_e(aisle)}</h3>", _checklist(rows), "</div>"]
    out += ["</div>", f"<p><strong>{_e(shop.total_line())}</strong></p>"]
    return out
