"""Pictures (planner.plots): each a Figure with labelled axes, the cells and bars its data has, saved as a PNG."""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib")

from planner import InputError, PlanRequest, load_foods, make_plan  # noqa: E402
from planner import plots  # noqa: E402
from planner.sweep import sweep  # noqa: E402

FOODS = load_foods()


@pytest.fixture(scope="module")
def plan():
    return make_plan(PlanRequest(days=2, deficient=("magnesium",)), FOODS)


def saved(fig, tmp_path, name: str) -> None:
    path = tmp_path / name
    fig.savefig(path, dpi=60)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_coverage_heatmap(plan, tmp_path):
    fig = plots.coverage_heatmap(plan)
    ax = fig.axes[0]
    floored = plan.targets[plan.targets["min"].notna() & plan.targets["kind"].isin(["dri", "energy"])]
    cells = ax.images[0].get_array()
    assert cells.shape == (len(plan.days) + 1, len(floored))        # the days and their average, each floor
    assert len(ax.texts) == cells.size
    assert ax.get_xlabel().startswith("nutrient") and ax.get_ylabel() == "day of the plan"
    assert "% of their floor" in ax.get_title()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0].startswith("magnesium") and any("UL 250%" in t for t in labels)     # calcium: 2,500 / 1,000
    assert [t.get_text() for t in ax.get_yticklabels()] == ["day 1", "day 2", "average"]
    magnesium = 100 * plan.days[0].totals["magnesium_mg"] / 400       # 1.25 x the RDA of 320 mg
    assert cells[0, 0] == pytest.approx(min(magnesium, plots.FULL_SCALE_PCT))
    assert fig.axes[1].get_ylabel().startswith("% of the floor")      # the colour bar says what colour means
    saved(fig, tmp_path, "heat.png")


def test_frontier_of_a_floor_sweep_and_of_a_budget_sweep(tmp_path):
    floors = sweep(PlanRequest(cheapest=True), "magnesium", [100, 150, 200], FOODS, model="plain")
    fig = plots.frontier(floors)
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("magnesium in the plan (%")
    # Stand-in prices are named only for a table that needs them: this one prices every food.
    stand_ins = FOODS.data["price_per_100g"].isna().any()
    assert ax.get_ylabel() == ("cost a day ($, stand-in prices for unpriced foods)" if stand_ins else "cost a day ($)")
    assert "magnesium" in ax.get_title()
    assert sum(len(c.get_offsets()) for c in ax.collections) == 3       # a point per setting
    saved(fig, tmp_path, "frontier.png")
    budgets = sweep(PlanRequest(cheapest=True), "budget", [1.0, 2.0, 5.0], FOODS)
    ax = plots.frontier(budgets).axes[0]
    assert ax.get_xlabel().startswith("floors met on average")
    assert sum(len(c.get_offsets()) for c in ax.collections) == 2       # $1 buys no day of meals: not drawn


def test_food_shares(plan, tmp_path):
    fig = plots.food_shares(plan, FOODS, "magnesium", top=3)
    ax = fig.axes[0]
    heights = [bar.get_width() for bar in ax.patches]
    assert len(heights) == min(4, len({i.food_id for d in plan.days for i in d.items}))
    assert sum(heights) == pytest.approx(100.0)
    assert heights[:3] == sorted(heights[:3], reverse=True)
    assert ax.get_xlabel().startswith("share of the plan's magnesium (% of") and ax.get_ylabel() == "food"
    saved(fig, tmp_path, "shares.png")
    with pytest.raises(InputError):
        plots.food_shares(plan, FOODS, "zinc_mg")


def test_food_groups_against_the_pattern(plan, tmp_path):
    fig = plots.food_groups(plan)
    ax = fig.axes[0]
    pattern = plan.targets[plan.targets["goal"].notna()]
    assert len(ax.patches) == len(pattern)
    first = pattern.iloc[0]
    average = sum(d.totals[first["nutrient"]] for d in plan.days) / len(plan.days)
    assert ax.patches[0].get_width() == pytest.approx(100 * average / first["goal"])
    assert ax.get_xlabel().startswith("average a day, % of the pattern's amount")
    assert ax.get_ylabel() == "food group (FPED)" and "pattern" in ax.get_title()
    saved(fig, tmp_path, "groups.png")
    with pytest.raises(InputError):
        plots.food_groups(make_plan(PlanRequest(days=1, amounts_only=True, custom_targets=(
            {"nutrient": "magnesium_mg", "unit": "mg", "min": 320.0, "max": None},)), FOODS))
