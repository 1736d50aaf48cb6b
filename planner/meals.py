"""Meals: the slots of a day, what each needs, and putting a day's foods in them.

A day has four slots, each with a share of the day's calories (`MealRules`: 25/30/35/10 %,
within 10 points). Breakfast, lunch and dinner need two foods or more, lunch and
dinner a protein and a vegetable; a slot holds at most four foods and one of each
kind (two vegetables or fruits). The menu model (`planner.model`) asks of its
foods every condition a slot assignment needs (`meal_conditions`); `assign_slots`
then puts each food in one slot.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np

from planner.day_data import DayState, ModelData
from planner.foods import SLOTS
from planner.milp import Milp, Status
from planner.request import MealRules, SolverSettings

# The fewest foods that make a meal of each slot (a snack may be one food).
MIN_FOODS_PER_SLOT = {"breakfast": 2, "lunch": 2, "dinner": 2, "snack": 0}
# Foods of one kind per slot: one protein, one starch, one dairy ... but two vegetables or fruits.
ROLE_CAP_PER_SLOT = {"vegetable": 2, "fruit": 2}
# Kinds each of these slots must have one of.
SLOT_NEEDS = {"lunch": ("protein", "vegetable"), "dinner": ("protein", "vegetable")}
# When no menu fits the calorie bands exactly, a kcal outside a slot's band costs this many kcal
# off its share.
OUTSIDE_BAND_PENALTY = 100.0


@dataclass(frozen=True)
class MealNeeds:
    """The meal rules that a day's open foods can meet: a table without proteins asks for none.

    `relaxed` names the rules dropped (`request.RELAXATIONS`) because no menu fitted them.
    """

    min_foods: dict[str, int]
    roles: dict[str, tuple[str, ...]]
    role_caps: dict[str, int] = field(default_factory=lambda: dict(ROLE_CAP_PER_SLOT))
    relaxed: tuple[str, ...] = ()

    @classmethod
    def of(cls, data: ModelData, foods: np.ndarray) -> MealNeeds:
        ok = data.slot_ok[foods]
        roles = data.role[foods]
        return cls({slot: min(MIN_FOODS_PER_SLOT.get(slot, 0), int(ok[:, s].sum())) for s, slot in enumerate(SLOTS)},
                   {slot: tuple(r for r in SLOT_NEEDS.get(slot, ()) if (ok[:, s] & (roles == r)).any())
                    for s, slot in enumerate(SLOTS)})

    def relax(self, rule: str, rules: MealRules) -> MealNeeds:
        """These needs with one more rule of RELAXATIONS dropped."""
        if rule == "kinds":
            caps = {role: rules.max_foods_per_slot for role in (*ROLE_CAP_PER_SLOT, "*")}
            return replace(self, role_caps=caps, relaxed=(*self.relaxed, rule))
        if rule == "protein_and_vegetable":
            return replace(self, roles={slot: () for slot in self.roles}, relaxed=(*self.relaxed, rule))
        if rule == "foods_per_meal":
            return replace(self, min_foods={slot: 0 for slot in self.min_foods}, relaxed=(*self.relaxed, rule))
        raise ValueError(rule)

    def cap(self, role: str, rules: MealRules) -> int:
        """Foods of one kind a slot holds; foods of no stated kind only count against the slot's cap."""
        if not role:
            return rules.max_foods_per_slot
        return self.role_caps.get(role, self.role_caps.get("*", 1))


def open_slots(data: ModelData, state: DayState, foods: np.ndarray) -> np.ndarray:
    """Foods x slots: where each food may go today (its slots, less dinner for yesterday's dinner protein)."""
    ok = data.slot_ok[foods].copy()
    barred = np.array([data.food_ids[f] in state.blocked_dinner and data.role[f] == "protein" for f in foods],
                      dtype=bool)
    ok[barred, SLOTS.index("dinner")] = False
    return ok


def meal_conditions(m: Milp, data: ModelData, rules: MealRules, state: DayState, needs: MealNeeds,
                    foods: np.ndarray, x: np.ndarray, use) -> None:
    """What any assignment of the menu to slots needs, for every set of slots T (Hall's condition):

    - the foods that can go in T number at least the foods T needs, and those
      that fit only in T at most what T holds, for all foods and for each kind;
    - the foods that fit only in T bring at most T's largest calorie share, and
      those that can go in T at least its smallest;
    - lunch and dinner find a protein and a vegetable each.
    """
    ok = open_slots(data, state, foods)
    roles = data.role[foods]
    kcal = data.kcal_per_unit[foods]
    for size in range(1, len(SLOTS) + 1):
        for subset in itertools.combinations(range(len(SLOTS)), size):
            names = [SLOTS[s] for s in subset]
            label = "+".join(names)
            others = [s for s in range(len(SLOTS)) if s not in subset]
            only_here = ~ok[:, others].any(axis=1) if others else np.ones(len(foods), dtype=bool)
            can_go = ok[:, list(subset)].any(axis=1)
            lo = sum(rules.slot_range(s)[0] for s in names)
            hi = sum(rules.slot_range(s)[1] for s in names)
            if kcal.any():
                if hi < 1 and only_here.any():
                    m.add_row(f"kcal_max_{label}", x, kcal * only_here - hi * kcal, upper=0.0)
                if lo > 0 and not can_go.all():
                    m.add_row(f"kcal_min_{label}", x, kcal * can_go - lo * kcal, lower=0.0)
            need = sum(needs.min_foods[s] for s in names)
            if need and size > 1:
                use.row(f"foods_min_{label}", can_go.astype(float), lower=need)
            elif need:
                # Enough foods that can go in the slot, counting each kind only up to what it holds of it.
                counted = []
                for role in sorted(set(roles[can_go])):
                    mine = can_go & (roles == role)
                    v = m.add_column(f"count_{label}_{role}", 0.0, 0.0, needs.cap(role, rules) * size)
                    use.row(f"count_{label}_{role}", -mine.astype(float), upper=0.0, extra=([v], [1.0]))
                    counted.append(v)
                m.add_row(f"foods_min_{label}", counted, [1.0] * len(counted), lower=need)
            holds = rules.max_foods_per_slot * size
            if only_here.sum() > holds:
                use.row(f"foods_max_{label}", only_here.astype(float), upper=holds)
            for role in sorted(set(roles) - {""}):
                mine = roles == role
                cap = needs.cap(role, rules) * size
                if (only_here & mine).sum() > cap:
                    use.row(f"role_max_{label}_{role}", (only_here & mine).astype(float), upper=cap)
                need_role = sum(role in needs.roles[s] for s in names)
                if need_role:
                    use.row(f"role_min_{label}_{role}", (can_go & mine).astype(float), lower=need_role)


def assign_slots(data: ModelData, rules: MealRules, solver: SolverSettings, state: DayState, needs: MealNeeds,
                 foods: np.ndarray, units: np.ndarray, soft: bool = False) -> list[str] | None:
    """Each chosen food's slot, closest to the calorie shares, or None when the meal rules cannot hold.

    `soft` turns each slot's calorie band from a limit into a target (a kcal outside it costs
    `OUTSIDE_BAND_PENALTY` times one inside)."""
    m = Milp()
    kcal = data.kcal_per_unit[foods] * units
    day_kcal = float(kcal.sum())
    ok = open_slots(data, state, foods)
    y: dict[tuple[int, int], int] = {}
    for i, f in enumerate(foods):
        for s, slot in enumerate(SLOTS):
            if ok[i, s]:
                y[i, s] = m.add_column(f"y_{data.food_ids[f]}_{slot}", 0.0, 0.0, 1.0, True)
        cols = [c for (k, _), c in y.items() if k == i]
        if not cols:
            return None
        m.add_row(f"one_slot_{data.food_ids[f]}", cols, [1.0] * len(cols), lower=1.0, upper=1.0)
    roles = data.role[foods]
    for s, slot in enumerate(SLOTS):
        here = [(i, c) for (i, k), c in y.items() if k == s]
        cols = [c for _, c in here]
        m.add_row(f"foods_{slot}", cols, [1.0] * len(cols), lower=needs.min_foods[slot],
                  upper=rules.max_foods_per_slot)
        for role in sorted(set(roles[[i for i, _ in here]]) - {""}):
            same = [c for i, c in here if roles[i] == role]
            lower = 1.0 if role in needs.roles[slot] else 0.0
            m.add_row(f"role_{slot}_{role}", same, [1.0] * len(same), lower=lower,
                      upper=needs.cap(role, rules))
        for role in needs.roles[slot]:
            if not any(roles[i] == role for i, _ in here):
                return None
        if day_kcal > 0:
            lo, hi = rules.slot_range(slot)
            share = rules.slot_shares.get(slot, 0.0)
            coefs = [kcal[i] for i, _ in here]
            if soft:
                out = m.add_column(f"outside_{slot}", OUTSIDE_BAND_PENALTY / day_kcal)
                m.add_row(f"kcal_max_{slot}", [*cols, out], [*coefs, -1.0], upper=hi * day_kcal)
                m.add_row(f"kcal_min_{slot}", [*cols, out], [*coefs, 1.0], lower=lo * day_kcal)
            else:
                m.add_row(f"kcal_{slot}", cols, coefs, lower=lo * day_kcal, upper=hi * day_kcal)
            # Off the stated share by d kcal, either way: the assignment closest to the shares wins.
            d = m.add_column(f"off_{slot}", 1.0 / day_kcal)
            m.add_row(f"off_above_{slot}", [*cols, d], [*coefs, -1.0], upper=share * day_kcal)
            m.add_row(f"off_below_{slot}", [*cols, d], [*coefs, 1.0], lower=share * day_kcal)
    solution = m.solve(solver.name, solver.time_limit)
    if solution.status is Status.NO_PLAN:
        return None
    slot_of = {i: SLOTS[s] for (i, s), c in y.items() if solution.values[c] > 0.5}
    return [slot_of[i] for i in range(len(foods))]
