"""The week as one HTML page, read back with html.parser: well formed, self-contained, escaped, and
carrying every food, the coverage chart, the food groups, the shopping list, the notes and the
disclaimer. (tests/test_browser.py loads the same page in Chromium.)"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from html.parser import HTMLParser

import pandas as pd
import pytest

import cli
from conftest import make_runner
from planner import PlanRequest, make_plan, nutrients
from planner.coverage_chart import NEAR_CEILING, chart_rows
from planner.plan import DISCLAIMER, Shortfall
from planner.render import render
from planner.shopping import shopping_list

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# SVG elements written as <x .../>: html.parser reports them as start-and-end tags.
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background"}


class Page(HTMLParser):
    """The parts of a page a test looks at; fails on an end tag that closes what is not open."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.where: list[tuple[str, ...]] = []   # the ids of the elements each piece of text is inside
        self.errors: list[str] = []
        self._ids: list[tuple[int, str]] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"never closed: {self.stack}")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in VOID:
            self.stack.append(tag)
            if "id" in attributes:
                self._ids.append((len(self.stack), attributes["id"]))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()
        self._ids = [(depth, i) for depth, i in self._ids if depth <= len(self.stack)]

    def handle_data(self, data):
        self.text.append(data)
        self.where.append(tuple(i for _, i in self._ids))

    def section_text(self, section_id: str) -> str:
        """The text inside the element with this id (and elements nested in it)."""
        out = [data for data, where in zip(self.text, self.where, strict=True) if section_id in where]
        return " ".join(" ".join(out).split())

    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def count(self, tag: str, cls: str | None = None) -> int:
        return sum(1 for t, a in self.tags if t == tag and (cls is None or cls in (a.get("class") or "").split()))


@pytest.fixture(scope="module")
def plan():
    return make_plan(PlanRequest(days=7, max_days=3))


@pytest.fixture(scope="module")
def html(plan):
    return render(plan, "html")


@pytest.fixture(scope="module")
def page(html):
    return Page(html)


def test_the_page_is_well_formed(html, page):
    assert html.startswith("<!DOCTYPE html>\n")
    assert page.errors == []
    assert page.count("html") == page.count("head") == page.count("body") == 1
    head = [t for t, _ in page.tags[:[t for t, _ in page.tags].index("body")]]
    assert head.count("title") == 1   # the others are the chart's tooltips
    meta = {a.get("name") or a.get("http-equiv") or ("charset" if "charset" in a else ""): a
            for t, a in page.tags if t == "meta"}
    assert meta["charset"]["charset"] == "utf-8"
    assert "width=device-width" in meta["viewport"]["content"]
    # Every fetch and every script is forbidden by the page itself.
    assert "default-src 'none'" in meta["Content-Security-Policy"]["content"]


def test_it_loads_nothing_and_runs_nothing(html, page):
    assert page.count("script") == page.count("link") == page.count("iframe") == page.count("img") == 0
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES or name.startswith("on"):
                assert name in ("href", "xmlns") and (value or "").startswith("#"), (tag, name, value)
    # No address a browser would fetch, anywhere: the only URL is the SVG namespace, which is a name.
    assert re.findall(r"https?://[^\s\"'<>)]+", html) == ["http://www.w3.org/2000/svg"]
    assert "url(" not in html and "@import" not in html and "@font-face" not in html


def test_every_planned_food_and_the_disclaimer_are_on_it(plan, page):
    meals = page.section_text("meals")
    for day in plan.days:
        assert f"Day {day.day}" in meals
        for item in day.items:
            assert " ".join(item.name.split()) in meals, item.name
            assert item.slot in meals
    text = page.all_text()
    assert DISCLAIMER in text
    assert text.count("For information only, not medical advice.") == 1   # said once, before the meals
    assert text.index("For information only") < text.index(meals.split()[0])


def test_one_svg_with_a_cell_per_target_and_day(plan, page):
    assert page.count("svg") == 1
    rows = chart_rows(plan)
    assert page.count("g", "cell") == len(rows) * (len(plan.days) + 1)
    # No food group in the chart: they are shown against the pattern.
    assert not set(rows) & set(plan.targets.loc[plan.targets["goal"].notna(), "nutrient"])
    assert rows[:5] == [n for n in nutrients.headline() if n in rows]
    chart = page.section_text("coverage")
    for nutrient in rows:
        assert nutrients.label(nutrient) in chart


def test_a_plan_longer_than_a_week_has_an_average_column_for_each_week():
    """Vitamin D and B12 hold on each week's average (days 1-7, then 8-9): the chart shows both, and a day of week 2
    is judged by week 2's, recomputed here from the days' totals."""
    plan = make_plan(PlanRequest(days=9, max_days=3))
    page = Page(render(plan, "html"))
    assert page.count("g", "cell") == len(chart_rows(plan)) * (9 + 2)
    chart = page.section_text("coverage")
    assert "Avg wk 1" in chart and "Avg wk 2" in chart and "Average" not in chart
    floor = plan.targets.set_index("nutrient").at["vitamin_d_mcg", "min"]
    for week, days in ((1, plan.days[:7]), (2, plan.days[7:])):
        average = sum(d.totals["vitamin_d_mcg"] for d in days) / len(days)
        title = next(t for t in page.text if t.startswith(f"Week {week} average, vitamin D:"))
        assert f"{100 * average / floor:.0f}% of the" in title, title


def test_the_chart_says_what_the_totals_are(plan, page):
    """Each day's calcium cell is its total over the floor, as the coverage table computes it."""
    coverage = plan.coverage().set_index(["day", "nutrient"])
    titles = [t for t in page.text if t.startswith("Day ") and ", calcium:" in t]
    assert len(titles) == len(plan.days)
    for day, title in zip(plan.days, titles, strict=True):
        pct = coverage.loc[(day.day, "calcium_mg"), "pct_of_min"]
        assert f"{pct:.0f}% of the" in title, title
    assert "UL 2,500 mg" in page.section_text("coverage")


def _with_totals(plan, day: int, **totals: float):
    days = tuple(replace(d, totals={**d.totals, **totals}) if d.day == day else d for d in plan.days)
    return replace(plan, days=days)


def test_a_total_near_its_ul_is_marked_and_a_missing_one_is_empty(plan):
    ceiling = plan.targets.set_index("nutrient").loc["calcium_mg", "max"]
    near = _with_totals(plan, 1, calcium_mg=NEAR_CEILING * ceiling + 1)
    day1 = [t for t in Page(render(near, "html")).tags if t[0] == "g" and "cell" in t[1].get("class", "")]
    rows = chart_rows(plan)
    calcium_day1 = day1[rows.index("calcium_mg") * (len(plan.days) + 1)]
    assert "near-ceiling" in calcium_day1[1]["class"]
    text = render(near, "html")
    assert "▲ " in text
    # Missing is missing: no value drawn as an empty cell, never 0.
    missing = replace(plan, days=tuple(replace(d, totals={k: v for k, v in d.totals.items() if k != "thiamin_mg"})
                                       if d.day == 2 else d for d in plan.days))
    cells = [a for t, a in Page(render(missing, "html")).tags if t == "g" and "cell" in a.get("class", "")]
    assert "missing" in cells[rows.index("thiamin_mg") * (len(plan.days) + 1) + 1]["class"]


def test_a_stored_nutrient_short_on_a_day_but_met_on_average_is_told_apart(plan):
    floor = plan.targets.set_index("nutrient").loc["vitamin_d_mcg", "min"]
    week = sum(d.totals["vitamin_d_mcg"] for d in plan.days)
    low_day = _with_totals(plan, 1, vitamin_d_mcg=floor / 2)
    average = (week - plan.days[0].totals["vitamin_d_mcg"] + floor / 2) / len(plan.days)
    cells = [a for t, a in Page(render(low_day, "html")).tags if t == "g" and "cell" in a.get("class", "")]
    first = cells[chart_rows(plan).index("vitamin_d_mcg") * (len(plan.days) + 1)]
    assert ("short-day" if average >= floor else "short") in first["class"].split()
    magnesium_floor = plan.targets.set_index("nutrient").loc["magnesium_mg", "min"]
    short = _with_totals(plan, 1, magnesium_mg=magnesium_floor / 2)
    cells = [a for t, a in Page(render(short, "html")).tags if t == "g" and "cell" in a.get("class", "")]
    assert "short" in cells[chart_rows(plan).index("magnesium_mg") * (len(plan.days) + 1)]["class"].split()


def test_food_groups_against_the_pattern(plan, page):
    coverage = plan.coverage()
    groups = coverage[coverage["goal"].notna()]
    assert not groups.empty
    text = page.section_text("food-groups")
    for nutrient, rows in groups.groupby("nutrient"):
        assert nutrients.label(nutrient) in text
        for share in rows["pct_of_goal"]:
            assert f"{share:.0f}%" in text
        average = rows["total"].mean() / rows["goal"].iloc[0] * 100
        assert f"({average:.0f}%)" in text


def test_the_shopping_list_and_its_total(plan, page):
    shop = shopping_list(plan)
    text = page.section_text("shopping")
    for _, lines in shop.by_aisle():
        for line in lines:
            assert " ".join(line.name.split()) in text
            assert line.what in text
    assert shop.total_line() in text
    assert page.count("input") == sum(len(lines) for _, lines in shop.by_aisle())   # a box per item to buy


def test_text_is_escaped(plan):
    """A food name or a note with markup in it stays text."""
    evil = '<script>alert("x")</script> & <b>bold</b>'
    day = plan.days[0]
    items = (replace(day.items[0], name=evil),) + day.items[1:]
    tampered = replace(plan, days=(replace(day, items=items),) + plan.days[1:], notes=(evil,))
    text = render(tampered, "html")
    assert "<script>" not in text and "<b>bold</b>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in text
    parsed = Page(text)
    assert parsed.errors == [] and parsed.count("script") == 0
    assert evil in parsed.section_text("meals") and evil in parsed.section_text("notes")


def test_shortfalls_are_on_the_page(plan, page):
    assert "Targets this plan does not meet" not in page.all_text()
    short = replace(plan, shortfalls=(Shortfall("vitamin_d_mcg", "mcg", 15.0, 12.1, None, "more fortified soy milk"),))
    text = Page(render(short, "html")).all_text()
    assert "Targets this plan does not meet" in text
    assert "SHORT vitamin D (week average): 12.1 mcg of 15.0 mcg, 2.9 mcg short. Would close it: more fortified " \
           "soy milk." in text
    # a gap too small for one decimal is not said as "0.0 mcg short"
    tiny = replace(plan, shortfalls=(Shortfall("vitamin_d_mcg", "mcg", 15.0, 14.971, None, "a little milk"),))
    assert "SHORT vitamin D (week average): 14.97 mcg of 15.0 mcg, 0.03 mcg short." in render(tiny, "table")


def test_the_command_writes_the_page(tmp_path):
    out = tmp_path / "week.html"
    result = make_runner().invoke(cli.cli, ["week", "--days", "2", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "wrote" in result.stderr
    page = Page(out.read_text(encoding="utf-8"))
    assert page.errors == [] and page.count("svg") == 1
    printed = make_runner().invoke(cli.cli, ["week", "--days", "2", "--format", "html"])
    assert printed.exit_code == 0 and printed.stdout.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("command", ["shop", "check", "explain"])
def test_other_outputs_as_a_page(tmp_path, command):
    plan_path = tmp_path / "plan.json"
    make_runner().invoke(cli.cli, ["week", "--days", "2", "--format", "json", "-o", str(plan_path)])
    result = make_runner().invoke(cli.cli, [command, str(plan_path), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    page = Page(result.stdout)
    assert page.errors == [] and page.count("svg") == 0 and page.count("h1") == 1
    text = page.all_text()
    assert "not medical advice" in text
    expected = {"shop": "Total: $", "check": "OK: 2 day(s)", "explain": "Where each nutrient comes from"}[command]
    assert expected in text
    if command == "shop":
        listed = make_runner().invoke(cli.cli, ["shop", str(plan_path), "--format", "json"]).stdout
        rows = pd.read_json(io.StringIO(listed))
        # A box per item: foods bought as one purchase (raw and cooked carrots) share one.
        purchase = rows["purchase"].fillna("")
        items = purchase.where(purchase != "", "food:" + rows["food_id"])
        assert page.count("input") == items.nunique()


def test_a_symptoms_warning_signs_come_before_the_meals_in_every_file():
    plan = make_plan(PlanRequest(symptoms=("I fainted and my eyelid twitches",), days=1))
    urgent = next(n for n in plan.notes if n.startswith("URGENT: "))
    for fmt, meals in (("md", "## Day 1"), ("table", "Day 1"), ("html", 'id="meals"')):
        text = render(plan, fmt)
        assert text.count(urgent if fmt != "html" else urgent[:40]) == 1, fmt
        assert text.index(urgent[:40]) < text.index(meals), fmt
