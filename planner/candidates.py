"""Which foods a day's menu MILP sees, from the relaxed menu LP.

Over a large table (all of SR Legacy) the menu MILP sees only the foods the relaxed LP uses, the next
best by reduced cost, the best few of each meal role and the richest food for each floor. The same
order also names the few foods that may join a menu whose whole units do not fit the meals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.day_data import DayState, ModelData
from planner.meals import MealShape
from planner.milp import Status
from planner.request import SolverSettings
from planner.targets import share_parts

__all__ = ["candidate_foods", "ranked_foods"]

# For every this many open foods the menu MILP sees one more candidate by reduced cost.
CANDIDATES_MORE_PER = 250


def ranked_foods(lp_foods: np.ndarray, lp_units: np.ndarray, solution, foods: np.ndarray) -> tuple[np.ndarray, int]:
    """`foods` in the relaxed menu LP's order: those it uses, then by reduced cost (none without its plan);
    and how many it uses (they come first). `lp_foods` are the LP's foods, `lp_units` their unit columns."""
    if solution.status is Status.NO_PLAN:
        return np.zeros(0, dtype=int), 0
    used = solution.values[lp_units] > 1e-7
    score = np.where(used, -np.inf, solution.reduced_costs[lp_units])
    order = np.lexsort((lp_foods, score))
    ordered = lp_foods[order]
    open_now = np.isin(ordered, foods)      # the kept LP holds foods since used up
    return ordered[open_now], int((used[order] & open_now).sum())


def candidate_foods(ranked: np.ndarray, used: int, data: ModelData, targets: pd.DataFrame, solver: SolverSettings,
                    state: DayState, foods: np.ndarray, needs: MealShape) -> np.ndarray:
    """The foods the relaxed menu LP uses (the first `used` of `ranked`), then the best by reduced cost, then
    the best few of each kind; all `foods` when the LP has no plan."""
    if not len(ranked):
        return foods
    # Large tables (all of SR Legacy) have more good foods near the LP's choice: look further.
    best = solver.candidates + len(foods) // CANDIDATES_MORE_PER
    keep = set(ranked[:max(best, used)].tolist())
    keep |= {f for f in foods if data.food_ids[f] in state.required or data.liked[f]}
    for kind in sorted(set(data.role[ranked])):
        keep.update([f for f in ranked if data.role[f] == kind][: solver.candidates_per_role])
    # The richest few in each nutrient with a floor, so no floor depends on the LP's one mix.
    for k in _floored(data, targets):
        richest = foods[np.argsort(-data.per_unit[k, foods] / data.unit_g[foods], kind="stable")]
        keep.add(int(richest[0]))
    # Twice the foods a day's meals need, at least, so the meal rules always have a choice.
    enough = 2 * needs.least_foods()
    for f in ranked:
        if len(keep) >= enough:
            break
        keep.add(f)
    return np.array(sorted(keep), dtype=int)


def _floored(data: ModelData, targets: pd.DataFrame) -> list[int]:
    """Rows of `data.nutrients` that a floor asks for (a share's numerator for a share's floor)."""
    out = []
    for nutrient in targets.loc[targets["min"] > 0, "nutrient"].tolist():
        share = share_parts(nutrient)
        column = share[0] if share else nutrient
        if column in data.nutrients:
            out.append(data.nutrients.index(column))
    return list(dict.fromkeys(out))
