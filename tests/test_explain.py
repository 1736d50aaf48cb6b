"""Why a plan is what it is (planner.explain): sources, closeness to bounds, the recorded prices."""

from __future__ import annotations

import io
import json
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from builders import tiny_table, tiny_table_text
from planner import PlanRequest, explain, make_plan, make_profile, nutrients, render
from planner.errors import InputError
from planner.targets import share_parts


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "tiny.csv"
    path.write_text(tiny_table_text())
    request = PlanRequest(make_profile(age=40, sex="female"), days=2, foods=str(path))
    return make_plan(request), tiny_table()


def test_sources_add_up_to_each_total(made):
    plan, table = made
    ex = explain(plan, str(plan.request.foods))
    grams = plan.items_frame().groupby("food_id")["grams"].sum()
    for nutrient, rows in ex.sources.groupby("nutrient"):
        total = float((table.data.loc[grams.index, nutrient].fillna(0) * grams / 100).sum())
        assert rows["amount"].sum() <= total + 1e-9
        assert rows["share_pct"].between(0, 100).all()
        assert rows["amount"].is_monotonic_decreasing


def test_closeness_marks_days_at_their_bounds(made):
    plan, _ = made
    ex = explain(plan)
    at_floor = ex.closeness[ex.closeness["at"] == "floor"]
    assert (at_floor["total"] <= at_floor["min"] * 1.02 + 1e-9).all()
    # a day under its floor (vitamin D or B12, met on the week's average) is below it, not at it
    assert (at_floor["total"] >= at_floor["min"] * (1 - 1e-6) - 1e-6).all()
    below = ex.closeness[ex.closeness["at"] == "below"]
    assert (below["total"] < below["min"]).all()
    assert set(ex.closeness["day"]) == {1, 2}


@pytest.fixture(scope="module")
def three_days():
    """Three days on the embedded table: food groups with their pattern, stored nutrients below on some days."""
    return make_plan(PlanRequest(days=3))


def test_a_day_below_its_weekly_floor_has_no_star(three_days):
    ex = explain(three_days)
    below = ex.closeness[ex.closeness["at"] == "below"]
    assert not below.empty and set(below["nutrient"]) <= {"vitamin_d_mcg", "vitamin_b12_mcg"}
    lines = render(ex, "table").splitlines()
    close = lines[next(k for k, line in enumerate(lines) if line.startswith("How close each day")):]
    row = next(line for line in close if line.strip().startswith("vitamin D"))
    for day in below.loc[below["nutrient"] == "vitamin_d_mcg", "pct_of_min"]:
        # floored: 99.6 % of the floor had read "100%", beside "101%*" at the floor
        assert f"{math.floor(day)}%*" not in row and f" {math.floor(day)}% " in f"{row} "
    # a day just under its floor: 99.7 % had read "100%", beside "101%*" at the floor
    first = below.index[below["nutrient"] == "vitamin_d_mcg"][0]
    closeness = ex.closeness.copy()
    closeness.loc[first, "pct_of_min"] = 99.7
    lines = render(replace(ex, closeness=closeness), "table").splitlines()
    row = next(line for line in lines[lines.index(close[0]):] if line.strip().startswith("vitamin D"))
    assert " 99% " in f"{row} " and " 100% " not in f"{row} ", row


def test_a_food_group_is_a_share_of_its_pattern_as_the_plan_says(three_days):
    ex = explain(three_days)
    lines = render(ex, "table").splitlines()
    close = lines[next(k for k, line in enumerate(lines) if line.startswith("How close each day")):]
    groups = ex.closeness[ex.closeness["goal"].notna()]
    assert not groups.empty
    for nutrient, days in groups.groupby("nutrient", sort=False):
        row = next(line for line in close if line.strip().startswith(nutrients.label(nutrient)))
        assert all(f"{pct:.0f}% of pattern" in row for pct in days["pct_of_goal"]), row
        # the plan's own totals line says the same share
        assert f"({days['pct_of_goal'].iloc[0]:.0f}% of the pattern)" in render(three_days, "table")


def test_a_price_is_only_about_the_cost_of_a_step_within_the_range_it_holds_for(three_days):
    """Past its range a floor costs more than its price says (the LP's cost is convex in the floor): "at least"."""
    ex = explain(three_days)
    text = render(ex, "table")
    binding = ex.prices[(ex.prices["bound"] == "min") & (ex.prices["cost_per_step"].abs() >= 0.005)]
    beyond = binding["value"] + binding["step"] > binding["holds_to"]
    assert beyond.any()
    for r, past in zip(binding.itertuples(), beyond):
        line = next(line for line in text.splitlines() if line.strip().startswith(f"+{r.step:g} {r.unit} "
                                                                                   f"{nutrients.label(r.nutrient)}"))
        assert (f"at least ${r.cost_per_step:.2f}" in line) == past and (f"about ${r.cost_per_step:.2f}" in line) \
            == (not past), line


def test_prices_are_the_ones_the_plan_recorded(made):
    plan, _ = made
    ex = explain(plan)
    recorded = {(p.nutrient, p.bound): p.price_per_unit for p in plan.prices}
    assert recorded
    for r in ex.prices.itertuples():
        assert r.cost_per_step == pytest.approx(recorded[(r.nutrient, r.bound)] * r.step)
        assert r.step > 0 and np.log10(r.step) == pytest.approx(round(np.log10(r.step)))


def test_every_format_renders(made):
    plan, _ = made
    ex = explain(plan)
    doc = json.loads(render(ex, "json"))
    assert set(doc) == {"sources", "closeness", "prices"}
    assert "What each target costs" in render(ex, "table")
    assert render(ex, "md").startswith("## ")
    rows = pd.read_csv(io.StringIO(render(ex, "csv")))
    # All three sections, each row as the JSON gives it.
    for section in ("sources", "closeness", "prices"):
        part = rows[rows["section"] == section].dropna(axis=1, how="all")
        assert len(part) == len(doc[section]) > 0
        assert set(part.columns) - {"section"} <= set(doc[section][0])


def test_another_table_is_refused(made):
    plan, table = made
    other = table.subset(table.data.index[:-1])   # one food fewer: another table
    with pytest.raises(InputError, match="not the food table"):
        explain(plan, other)


def test_a_range_is_its_value_beside_its_range_as_the_plan_says(three_days):
    """Calories and the shares of calories are held within a range: each day says its value (the fat share was
    "172%" of its floor, at the ceiling of 35 %), and the row its range, as the plan's totals line does."""
    ex = explain(three_days)
    lines = render(ex, "table").splitlines()
    close = lines[next(k for k, line in enumerate(lines) if line.startswith("How close each day")):]
    totals = next(line for line in render(three_days, "table").splitlines() if line.strip().startswith("totals:"))
    for nutrient in ("energy_kcal", "fat_pct_kcal", "protein_pct_kcal"):
        days = ex.closeness[ex.closeness["nutrient"] == nutrient]
        low, high = days.iloc[0][["min", "max"]]
        row = next(line for line in close if line.strip().startswith(nutrients.label(nutrient)))
        assert row.strip().startswith(f"{nutrients.label(nutrient)} ({low:,.0f}-{high:,.0f})"), row
        unit = "%" if share_parts(nutrient) else ""
        assert all(f"{total:,.0f}{unit}" in row for total in days["total"]), row
        assert f"({low:,.0f}-{high:,.0f})" in totals and "172%" not in row


def test_closeness_reads_as_a_table_a_column_a_day(made):
    """Each target a row, each day a column, the cells lined up under their day, whatever a label's length."""
    plan, _ = made
    ex = explain(plan)
    text = render(ex, "table").splitlines()
    start = next(k for k, line in enumerate(text) if line.startswith("How close each day")) + 1
    header, *rows = text[start: start + 1 + ex.closeness["nutrient"].nunique()]
    assert header.split() == ["target", "day", "1", "day", "2"]
    column = header.index("day 2")
    for row, (nutrient, days) in zip(rows, ex.closeness.groupby("nutrient", sort=False)):
        second = days[days["day"] == 2].iloc[0]
        if nutrient == "energy_kcal" or share_parts(nutrient):
            assert row[column:].startswith(f"{second['total']:,.0f}"), (nutrient, row)
            continue
        value = next(v for v in (second["pct_of_goal"], second["pct_of_min"], second["pct_of_max"]) if pd.notna(v))
        assert row[column:].startswith(f"{value:.0f}%"), (nutrient, row)
    assert "| target | day 1 | day 2 |" in render(ex, "md")


def test_a_day_just_under_its_floor_reads_under_it_in_the_plan_and_its_chart_too(three_days):
    """explain floored it; the plan's totals line and the HTML chart still said "100%" for 99.7 % of the floor."""
    from planner.blocks import percent_of_floor
    assert [percent_of_floor(p) for p in (99.7, 99.99, 100.0, 100.4, 101.6)] == ["99%", "99%", "100%", "100%",
                                                                                "102%"]
    day = three_days.days[0]
    floor = float(three_days.targets.set_index("nutrient").at["vitamin_d_mcg", "min"])
    under = replace(three_days, days=(replace(day, totals={**day.totals, "vitamin_d_mcg": floor * 0.997}),
                                      *three_days.days[1:]))
    first = render(under, "table").split("Day 2")[0]
    assert "vitamin D" in first and " 99%" in first.split("vitamin D", 1)[1][:20]
    page = render(under, "html")
    assert "99% of the" in page
