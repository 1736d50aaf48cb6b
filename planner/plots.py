"""Pictures of a plan and of a sweep, for notebooks and reports (matplotlib: `pip install 'planner[plots]'`).

Each function returns a matplotlib `Figure` (made without pyplot, so nothing global changes):
show it in a notebook, or `fig.savefig("week.png")`. Axes carry their units; titles say
what to look for.

- `coverage_heatmap(plan)`: days x nutrients, each cell the % of its floor, the UL marked;
- `frontier(sweep_frame)`: what each level of coverage costs, one point per setting;
- `food_shares(plan, foods, nutrient)`: which foods bring the plan's magnesium (or any);
- `food_groups(plan)`: the plan's food groups a day against the Dietary Guidelines' pattern.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner import nutrients
from planner.errors import InputError, PlannerError
from planner.foods import FoodTable
from planner.plan import Plan
from planner.targets import share_parts, target_value

# Cells shade from red (nothing) through yellow (the floor) to green (twice the floor and more).
FULL_SCALE_PCT = 200.0
# A cell within this share of its UL is marked: the plan runs close to the upper limit there.
NEAR_UL = 0.9


def _figure(width: float, height: float):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise PlannerError("plots need matplotlib: pip install 'planner[plots]'") from None
    return Figure(figsize=(width, height), layout="constrained")


def _floored(plan: Plan) -> pd.DataFrame:
    """The plan's plain-nutrient targets with a floor, headline nutrients first."""
    t = plan.targets
    rows = t[t["min"].notna() & (t["min"] > 0) & ~t["nutrient"].map(lambda n: bool(share_parts(n)))
             & t["kind"].isin(["dri", "file", "energy", ""])]
    first = [n for n in nutrients.headline() if n in set(rows["nutrient"])]
    order = first + [n for n in rows["nutrient"] if n not in first]
    return rows.set_index("nutrient").loc[order].reset_index()


def coverage_heatmap(plan: Plan) -> object:
    """Each day's total of each nutrient with a floor, as % of that floor, and a last row for the plan's average.

    Red cells fall short of the floor; `^` marks a cell within 10 % of the UL (the column label
    gives the UL as % of the floor). Vitamin D and B12 only need the week's average.
    """
    targets = _floored(plan)
    if targets.empty:
        raise InputError("the plan has no nutrient with a floor to show", field="plan")
    days = [d.day for d in plan.days]
    values = np.array([[100.0 * target_value(d.totals, n) / floor for n, floor in zip(targets["nutrient"],
                                                                                      targets["min"])]
                       for d in plan.days])
    values = np.vstack([values, values.mean(axis=0)])
    ul_pct = (100.0 * targets["max"] / targets["min"]).to_numpy(float)
    fig = _figure(1.1 + 0.95 * len(targets), 1.4 + 0.42 * len(values))
    ax = fig.add_subplot()
    image = ax.imshow(np.clip(values, 0, FULL_SCALE_PCT), cmap="RdYlGn", vmin=0, vmax=FULL_SCALE_PCT, aspect="auto")
    stored = nutrients.stored()
    for (r, c), v in np.ndenumerate(values):
        near = np.isfinite(ul_pct[c]) and v >= NEAR_UL * ul_pct[c]
        ax.text(c, r, f"{v:.0f}" + ("^" if near else ""), ha="center", va="center", fontsize=8,
                fontweight="bold" if r == len(values) - 1 else "normal")
    ceiling = ["UL" if kind == "dri" else "max" for kind in targets["kind"]]
    labels = [nutrients.label(n) + (" (week avg.)" if n in stored and len(days) > 1 else "")
              + (f"\n{c} {u:.0f}%" if np.isfinite(u) else "\nno UL") for n, u, c in zip(targets["nutrient"], ul_pct,
                                                                                       ceiling)]
    ax.set_xticks(range(len(targets)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(values)), [f"day {d}" for d in days] + ["average"])
    ax.axhline(len(days) - 0.5, color="black", linewidth=1)
    ax.set_xlabel("nutrient (UL: its upper limit as % of the floor; max: the calorie band's top)")
    ax.set_ylabel("day of the plan")
    ax.set_title("Each day's nutrients as % of their floor\nred cells (under 100) are short; ^ runs within 10% of the UL",
                 fontsize=10)
    fig.colorbar(image, ax=ax, label=f"% of the floor (shading stops at {FULL_SCALE_PCT:.0f})", shrink=0.8)
    return fig


def frontier(frame: pd.DataFrame, coverage: str | None = None) -> object:
    """What each level of coverage costs: one point per setting of a sweep (`planner.sweep`).

    Coverage is the swept nutrient's % of its RDA for a floor sweep, else the floors' average
    % met (each counted up to 100). Hollow points are settings where not every floor could be met.
    """
    frame = frame[frame["status"] != "no plan"]
    if frame.empty:
        raise InputError("no setting of the sweep has a plan to show", field="frame")
    parameter = str(frame["parameter"].iloc[0])
    column = coverage or (f"{nutrients.by_word(parameter)}_pct" if nutrients.by_word(parameter) else None)
    if column is None or column not in frame:
        pct = frame[[c for c in frame.columns if c.endswith("_pct")]].clip(upper=100.0)
        x, xlabel = pct.mean(axis=1), "floors met on average (% of each floor, counted up to 100)"
    else:
        x = frame[column]
        xlabel = f"{nutrients.label(column.removesuffix('_pct'))} in the plan (% of the request's floor)"
    fig = _figure(7.0, 4.5)
    ax = fig.add_subplot()
    ax.plot(x, frame["cost"], color="0.6", zorder=1)
    met = frame["status"] == "optimal"
    ax.scatter(x[met], frame.loc[met, "cost"], color="tab:blue", zorder=2, label="every floor met")
    ax.scatter(x[~met], frame.loc[~met, "cost"], facecolors="none", edgecolors="tab:red", zorder=2,
               label="closest plan (a floor short)")
    # Settings where the floor does not bind land on one point: it is labelled with the first and the last.
    points: dict[tuple[float, float], list[str]] = {}
    for xi, yi, setting in zip(x, frame["cost"], frame["setting"]):
        text = f"{setting:g}" if isinstance(setting, (int, float)) else str(setting)
        points.setdefault((round(float(xi), 3), round(float(yi), 4)), []).append(text)
    for (xi, yi), texts in points.items():
        ax.annotate(texts[0] if len(texts) == 1 else f"{texts[0]}-{texts[-1]}", (xi, yi), textcoords="offset points",
                    xytext=(4, 4), fontsize=7)
    ax.set_xlabel(xlabel)
    # A sweep says whether its costs count stand-in prices (a table with unpriced foods); unknown, assume so.
    stand_ins = frame.attrs.get("stand_in_prices", True)
    ax.set_ylabel("cost a day ($" + (", stand-in prices for unpriced foods)" if stand_ins else ")"))
    what = nutrients.label(nutrients.by_word(parameter)) if nutrients.by_word(parameter) else parameter
    ax.set_title(f"What more {what} costs, one point per floor setting (% of the RDA)\nflat where other foods "
                 "already bring it; the steeper, the dearer each step" if column else
                 f"Cost against coverage, one point per setting of {parameter}\nleft of 100: the money runs out "
                 "before every floor is met", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def food_shares(plan: Plan, foods: FoodTable, nutrient: str, top: int = 8) -> object:
    """Each food's share of the plan's total of `nutrient` (over all its days), the largest first."""
    column = nutrients.by_word(nutrient) or nutrient
    if column not in foods.nutrients:
        raise InputError(f"no column '{column}' in {foods.name}", field="nutrient")
    items = plan.items_frame()
    grams = items.groupby("food_id")["grams"].sum()
    amount = (grams * foods.data.loc[grams.index, column].fillna(0.0) / 100.0).sort_values(ascending=False)
    total = float(amount.sum())
    if total <= 0:
        raise InputError(f"the plan has no {nutrients.label(column)}", field="nutrient")
    shown = amount.iloc[:top]
    rest = float(amount.iloc[top:].sum())
    names = [foods.data.loc[i, "name"][:40] for i in shown.index] + ([f"{len(amount) - top} other foods"]
                                                                      if rest > 0 else [])
    shares = 100.0 * np.append(shown.to_numpy(), [rest] if rest > 0 else []) / total
    fig = _figure(7.0, 1.2 + 0.35 * len(shares))
    ax = fig.add_subplot()
    bars = ax.barh(range(len(shares)), shares, color="tab:green")
    ax.bar_label(bars, [f"{s:.0f}%" for s in shares], fontsize=8, padding=2)
    ax.set_yticks(range(len(shares)), names, fontsize=8)
    ax.invert_yaxis()
    unit = nutrients.unit(column)
    ax.set_xlabel(f"share of the plan's {nutrients.label(column)} (% of {total / len(plan.days):,.0f} {unit} a day)")
    ax.set_ylabel("food")
    ax.set_title(f"Where the plan's {nutrients.label(column)} comes from\nthe longest bars are the foods it "
                 "leans on", fontsize=10)
    return fig


def food_groups(plan: Plan) -> object:
    """The plan's food groups, average a day, as % of the Healthy U.S.-Style pattern's amount, ceilings marked."""
    pattern = plan.targets[plan.targets["goal"].notna() & (plan.targets["goal"] > 0)]
    if pattern.empty:
        raise InputError("the plan has no food-group targets (its table has no FPED columns, or it plans amounts "
                         "only with its own targets)", field="plan")
    average = {n: float(np.mean([d.totals.get(n, 0.0) for d in plan.days])) for n in pattern["nutrient"]}
    pct = np.array([100.0 * average[n] / g for n, g in zip(pattern["nutrient"], pattern["goal"])])
    ceiling = (100.0 * pattern["max"] / pattern["goal"]).to_numpy(float)
    fig = _figure(7.5, 1.4 + 0.5 * len(pattern))
    ax = fig.add_subplot()
    colors = ["tab:orange" if p < 100 - 1e-6 else "tab:blue" for p in pct]
    bars = ax.barh(range(len(pct)), pct, color=colors)
    units = [nutrients.unit(n).replace("_", "-") for n in pattern["nutrient"]]
    ax.bar_label(bars, [f"{average[n]:.1f} of {g:g} {u}" for n, g, u in zip(pattern["nutrient"], pattern["goal"],
                                                                             units)], fontsize=8, padding=2)
    ax.scatter(ceiling, range(len(pct)), marker="|", s=300, color="black", label="ceiling (our bound)", zorder=3)
    ax.axvline(100, color="black", linestyle="--", linewidth=1, label="the pattern's amount")
    ax.set_yticks(range(len(pct)), [f"{nutrients.label(n)} ({u})" for n, u in zip(pattern["nutrient"], units)],
                  fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max(float(np.nanmax(ceiling)), float(pct.max())) * 1.25)
    ax.set_xlabel("average a day, % of the pattern's amount at this calorie level")
    ax.set_ylabel("food group (FPED)")
    ax.set_title("The plan's food groups against the Healthy U.S.-Style pattern\norange bars fall short of the "
                 "pattern's amount; none may pass its ceiling", fontsize=10)
    fig.legend(fontsize=8, loc="outside lower center", ncols=2)
    return fig
