"""Meals: what makes each meal, the conditions a day's menu needs, and putting its foods in meals.

A meal is built the way people build one, and the rules are data:

`planner/data/meal_patterns.csv` (`slot, part, roles, min, max, group, at_least, note`)
    Each meal's parts and the roles that fill them: breakfast is a grain or cereal
    dish, a dairy or protein food and fruit; lunch a main and a side; dinner a protein
    or main dish, one or two vegetables and a starch; a snack fruit, nuts, yogurt or
    the like. A role a slot lists in no part never goes there (a `fat` goes nowhere).
    A part with a `group` asks the meal for `at_least` that much of it (FPED
    equivalents), so a leaf of lettuce is not dinner's vegetable nor two dates
    breakfast's fruit.
`planner/data/meal_pairings.csv` (`slot, role, if_tags, needs_roles, needs_tags, unless_tags, partner_not_tags, note`)
    What a food brings with it into its meal: a cereal its milk or yogurt, a protein
    dish at dinner its starch, a starch at lunch or dinner the protein or main dish it
    goes beside, a nut butter (`if_tags`: only the foods of the role tagged `spread`) the
    fruit or vegetable it is eaten with. A dish with grains of its own (`own_grains`, from
    FPED) is its meal's starch: it needs none (`unless_tags`), and no starch goes beside it
    (`partner_not_tags`).
`planner/data/once_a_day.csv` (`role, category, per, note`)
    Roles whose dishes a day (or a meal) serves one of per WWEIA category, or in the one category named: one
    pasta dish, one sandwich a day; one egg dish a meal.

The day's calories are shared among the slots (`MealRules`: 25/30/35/10 %, within 10
points). The day's menu model (`planner.model`) asks of its foods what any slot assignment
needs (`meal_conditions`: the parts' counts exactly, over foods alike in role, slots and
partners; the calorie shares on each food's units spread over its slots); `assign_slots`
then puts each food in one slot with every rule exact (`meal_rows`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np

from planner.day_data import OWN_GRAINS, DayState, ModelData
from planner.errors import InputError
from planner.files import data_path
from planner.foods import ROLES, SLOTS, TAGS
from planner.milp import Milp, Status
from planner.request import MealRules, SolverSettings

ANY_SLOT = "any"
# Roles whose food yesterday at dinner may not be today's dinner: a new dinner dish each day.
DINNER_DISHES = frozenset({"protein", "main"})


@dataclass(frozen=True)
class Part:
    """One part of a meal: which roles fill it, and how many foods it takes."""

    slot: str
    name: str
    roles: tuple[str, ...]
    min: int
    max: int
    group: str = ""           # a food-group column the meal must hold `at_least` of (FPED units)
    at_least: float = 0.0


@dataclass(frozen=True)
class Pairing:
    """A food of `role` (tagged one of `if_tags`, when given) in a meal of `slot` (or any) comes with a food of
    `needs_roles` or tagged `needs_tags`, unless it is tagged `unless_tags`; a food tagged `partner_not_tags` is
    no partner."""

    slot: str
    role: str
    needs_roles: tuple[str, ...]
    needs_tags: tuple[str, ...]
    unless_tags: tuple[str, ...] = ()
    partner_not_tags: tuple[str, ...] = ()
    if_tags: tuple[str, ...] = ()

    def subject(self, role: str, tags: tuple[str, ...]) -> bool:
        return role == self.role and (not self.if_tags or bool(set(tags) & set(self.if_tags))) \
            and not set(tags) & set(self.unless_tags)

    def subjects(self, roles: np.ndarray, tags: np.ndarray) -> np.ndarray:
        """Which of these foods the pairing asks a partner for (by role first: a table of thousands)."""
        mask = roles == self.role
        if (self.unless_tags or self.if_tags) and mask.any():
            mask[mask] = [self.subject(self.role, t) for t in tags[mask]]
        return mask

    def partner(self, role: str, tags: tuple[str, ...]) -> bool:
        return (role in self.needs_roles or bool(set(tags) & set(self.needs_tags))) \
            and not set(tags) & set(self.partner_not_tags)

    def applies(self, slot: str) -> bool:
        return self.slot in (ANY_SLOT, slot)


def _rows(name: str, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    path = data_path(name)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != columns:
            raise InputError(f"expected columns {','.join(columns)}", source=str(path))
        return [(row, {k: (v or "").strip() for k, v in r.items()}) for row, r in enumerate(reader, start=2)]


def _split(cell: str, allowed: tuple[str, ...], name: str, row: int, field: str) -> tuple[str, ...]:
    items = tuple(p for p in cell.split("|") if p)
    unknown = [p for p in items if p not in allowed]
    if unknown:
        raise InputError(f"'{unknown[0]}' is not one of {', '.join(allowed)}", source=str(data_path(name)), row=row,
                         field=field)
    return items


@cache
def meal_patterns() -> tuple[Part, ...]:
    """The parts of every meal, from `meal_patterns.csv`, checked against the slots and roles."""
    name = "meal_patterns.csv"
    parts = []
    for row, r in _rows(name, ["slot", "part", "roles", "min", "max", "group", "at_least", "note"]):
        slot = _split(r["slot"], SLOTS, name, row, "slot")
        roles = _split(r["roles"], ROLES, name, row, "roles")
        low, high = int(r["min"]), int(r["max"])
        at_least = float(r["at_least"] or 0)
        if len(slot) != 1 or not roles or not 0 <= low <= high or high < 1 or at_least < 0 \
                or bool(r["group"]) != bool(at_least):
            raise InputError("expected one slot, some roles, 0 <= min <= max, max >= 1, and a group with an "
                             "amount at least 0 or neither", source=str(data_path(name)), row=row)
        parts.append(Part(slot[0], r["part"], roles, low, high, r["group"], at_least))
    return tuple(parts)


@cache
def meal_pairings() -> tuple[Pairing, ...]:
    """What foods bring into their meal, from `meal_pairings.csv`."""
    name = "meal_pairings.csv"
    out = []
    for row, r in _rows(name, ["slot", "role", "if_tags", "needs_roles", "needs_tags", "unless_tags",
                               "partner_not_tags", "note"]):
        slot = r["slot"] if r["slot"] == ANY_SLOT else _split(r["slot"], SLOTS, name, row, "slot")[0]
        out.append(Pairing(slot, _split(r["role"], ROLES, name, row, "role")[0],
                           _split(r["needs_roles"], ROLES, name, row, "needs_roles"),
                           _split(r["needs_tags"], TAGS, name, row, "needs_tags"),
                           _split(r["unless_tags"], (*TAGS, OWN_GRAINS), name, row, "unless_tags"),
                           _split(r["partner_not_tags"], (*TAGS, OWN_GRAINS), name, row, "partner_not_tags"),
                           _split(r["if_tags"], TAGS, name, row, "if_tags")))
    return tuple(out)


@cache
def _once_per() -> tuple[tuple[str, str, str], ...]:
    name = "once_a_day.csv"
    return tuple((role, r["category"], _split(r["per"], ("day", "meal"), name, row, "per")[0])
                 for row, r in _rows(name, ["role", "category", "per", "note"])
                 for role in _split(r["role"], ROLES, name, row, "role"))


def once_a_day() -> tuple[tuple[str, str], ...]:
    """The roles whose dishes a day serves one of per WWEIA category, each with the one category it holds for ('':
    every category), from `once_a_day.csv`."""
    return tuple((role, category) for role, category, per in _once_per() if per == "day")


def once_a_meal() -> tuple[tuple[str, str], ...]:
    """As `once_a_day`, for the dishes a meal serves one of (eggs)."""
    return tuple((role, category) for role, category, per in _once_per() if per == "meal")


@dataclass(frozen=True)
class MealShape:
    """The meal rules a day's open foods can meet: a part no open food can fill asks for none, and a
    food whose pairing no open food can meet is not served where the pairing holds (a protein dish with
    no starch to go with it stays out of dinner, not out of lunch).

    `relaxed` names the rules dropped (`request.RELAXATIONS`) because no menu fitted them.
    """

    parts: tuple[Part, ...]
    pairings: tuple[Pairing, ...]
    unpaired: tuple[Pairing, ...]            # pairings no open food partners: their foods stay out of those meals
    min_foods: dict[str, int] = field(default_factory=dict)   # per slot, once parts are relaxed
    relaxed: tuple[str, ...] = ()
    unfillable: tuple[str, ...] = ()         # "slot: part" no open food can fill today
    soft_bands: bool = False                 # the slots' calorie bands are targets, not limits
    fillable: tuple[str, ...] = SLOTS        # slots some open food may go in today: the others' shares move
    once_a_day: tuple[tuple[str, str], ...] = ()   # (role, category) served once a day per kind, when two are open

    @classmethod
    def of(cls, data: ModelData, foods: np.ndarray) -> MealShape:
        ok, roles, tags = data.slot_ok[foods], data.role[foods], data.tags[foods]
        pairings = tuple(p for p in meal_pairings() if p.subjects(roles, tags).any())
        unpaired = tuple(p for p in pairings if not any(p.partner(r, t) for r, t in zip(roles, tags)))
        shape = cls((), tuple(p for p in pairings if p not in unpaired), unpaired)

        def served_in(slot: str) -> np.ndarray:
            return ok[:, SLOTS.index(slot)] & ~shape.barred(roles, tags, slot)

        parts, unfillable = [], []
        for part in meal_patterns():
            fillable = served_in(part.slot) & np.isin(roles, part.roles)
            parts.append(part if fillable.any() else replace(part, min=0))
            if part.min and not fillable.any() and part.slot not in data.skipped_slots:
                unfillable.append(f"{part.slot}: {part.name}")
        fillable = tuple(slot for slot in SLOTS if served_in(slot).any())
        return replace(shape, parts=tuple(parts), unfillable=tuple(unfillable), fillable=fillable,
                       once_a_day=once_a_day() if _alike_dishes(data, foods, once_a_day()) else ())

    def relax(self, rule: str) -> MealShape:
        """These rules with one more of RELAXATIONS dropped."""
        if rule == "once_a_day":   # no two dishes of a kind open today: nothing to relax
            return replace(self, once_a_day=(), relaxed=(*self.relaxed, rule)) if self.once_a_day else self
        if rule == "extra":
            parts = tuple(replace(p, max=p.max + 1) for p in self.parts)
            return replace(self, parts=parts, relaxed=(*self.relaxed, rule))
        if rule == "parts":
            meals = {p.slot for p in self.parts if p.min > 0 and p.slot != "snack"}
            return replace(self, parts=tuple(replace(p, min=0) for p in self.parts),
                           min_foods={slot: 1 for slot in meals}, relaxed=(*self.relaxed, rule))
        if rule == "foods_per_meal":
            return replace(self, min_foods={}, relaxed=(*self.relaxed, rule))
        if rule == "slot_kcal":
            # Last: with too few foods to fill every meal, a band held as a limit allows only an empty day.
            return replace(self, soft_bands=True, relaxed=(*self.relaxed, rule))
        raise ValueError(rule)

    def slot_parts(self, slot: str) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.slot == slot)

    def part_of(self, role: str, slot: str) -> Part | None:
        """The part a food of this role fills in this slot (None: it does not go there)."""
        return next((p for p in self.slot_parts(slot) if role in p.roles), None)

    def goes(self, role: str, slot: str) -> bool:
        """Whether a food of this role may be served in this slot (a food of no stated role may go anywhere)."""
        return not role or self.part_of(role, slot) is not None

    def barred(self, roles: np.ndarray, tags: np.ndarray, slot: str) -> np.ndarray:
        """Which of these foods need a partner in `slot` that no open food is."""
        out = np.zeros(len(roles), dtype=bool)
        for p in (p for p in self.unpaired if p.applies(slot)):
            out |= p.subjects(roles, tags)
        return out

    def cap(self, slot: str, rules: MealRules) -> int:
        """Most foods a slot holds: its parts' maxima, within the rules' cap."""
        return min(rules.max_foods_per_slot, sum(p.max for p in self.slot_parts(slot)) or rules.max_foods_per_slot)

    def amounts(self, slot: str, data: ModelData) -> list[tuple[Part, int]]:
        """The parts of the meal in `slot` that must hold some of a food group, with its row of `data.nutrients`."""
        return [(p, data.nutrients.index(p.group)) for p in self.slot_parts(slot)
                if p.min > 0 and p.group in data.nutrients]

    def least_foods(self) -> int:
        """The fewest foods a day of meals has."""
        return sum(p.min for p in self.parts) + sum(self.min_foods.values())


def open_slots(data: ModelData, state: DayState, shape: MealShape, foods: np.ndarray) -> np.ndarray:
    """Foods x slots: where each food may go today (its slots and the meal parts, less a meal where it needs a
    partner no open food is, less dinner for yesterday's dinner dish)."""
    ok = data.slot_ok[foods].copy()
    roles, tags = data.role[foods], data.tags[foods]
    for s, slot in enumerate(SLOTS):
        # Asked once per role, not per food: a table of thousands has a dozen roles.
        goes = {role: shape.goes(role, slot) for role in set(roles.tolist())}
        ok[:, s] &= np.array([goes[role] for role in roles.tolist()], dtype=bool) & ~shape.barred(roles, tags, slot)
    if state.blocked_dinner:
        barred = np.array([data.food_ids[f] in state.blocked_dinner and data.role[f] in DINNER_DISHES for f in foods],
                          dtype=bool)
        ok[barred, SLOTS.index("dinner")] = False
    return ok


def _kinds(data: ModelData, shape: MealShape, foods: np.ndarray, ok: np.ndarray) -> dict[tuple, list[int]]:
    """Foods alike for every meal rule (role, slots open, which pairings they meet and which need a partner), by
    position in `foods`."""
    kinds: dict[tuple, list[int]] = {}
    met: dict[tuple, tuple] = {}   # asked once per role and tags: a table of thousands has a few hundred
    for i, (role, tags, slots) in enumerate(zip(data.role[foods].tolist(), data.tags[foods].tolist(), ok.tolist())):
        if (role, tags) not in met:
            met[role, tags] = (tuple(p.partner(role, tags) for p in shape.pairings),
                               tuple(p.subject(role, tags) for p in shape.pairings))
        kinds.setdefault((role, tuple(slots), *met[role, tags]), []).append(i)
    return kinds


def _alike_dishes(data: ModelData, foods: np.ndarray, rules: tuple[tuple[str, str], ...]) -> list[np.ndarray]:
    """Over `foods`: the dishes of each rule's role in each WWEIA category it holds for that holds two or more."""
    category, role = data.category[foods], data.role[foods]
    alike = {}
    for kind, only in rules:
        dishes = (role == kind) & (category != "") & ((category == only) if only else True)
        alike.update({(kind, c): dishes & (category == c) for c in sorted(set(category[dishes]))})
    return [a for a in alike.values() if a.sum() > 1]


def meal_conditions(m: Milp, data: ModelData, rules: MealRules, state: DayState, shape: MealShape,
                    foods: np.ndarray, x: np.ndarray, use, integer: bool = True) -> None:
    """What any assignment of the menu to slots needs.

    - The parts, the slots' caps and the pairings, exactly: `n[kind, slot]` counts the
      foods of a kind that go in a slot, and the kind's served foods are all counted.
    - The calorie shares: each food's units spread over its slots (continuously, and only
      where its kind has a food), each slot's kcal within its band of the day's.
    - One main dish of each WWEIA category a day (`once_a_day.csv`): not pasta at lunch and again at dinner.
    """
    ok = open_slots(data, state, shape, foods)
    kinds = _kinds(data, shape, foods, ok)
    count: dict[tuple[tuple, int], int] = {}
    for k, (kind, members) in enumerate(kinds.items()):
        role, slots, _, _ = kind
        cols = []
        for s in np.flatnonzero(slots):
            count[kind, s] = m.add_column(f"n_{role or 'any'}{k}_{SLOTS[s]}", 0.0, 0.0, len(members), integer)
            cols.append(count[kind, s])
        served = np.zeros(len(foods))
        served[members] = -1.0
        use.equal(f"kind_{role or 'any'}{k}", served, extra=(cols, [1.0] * len(cols)))
    for s, slot in enumerate(SLOTS):
        here = {kind: c for (kind, t), c in count.items() if t == s}
        if not here:
            continue
        m.add_row(f"cap_{slot}", list(here.values()), [1.0] * len(here), upper=shape.cap(slot, rules),
                  lower=min(shape.min_foods.get(slot, 0), sum(len(kinds[kind]) for kind in here)))
        for part in shape.slot_parts(slot):
            cols = [c for kind, c in here.items() if kind[0] in part.roles]
            if cols:
                m.add_row(f"part_{slot}_{part.name.replace(' ', '_')}", cols, [1.0] * len(cols), lower=part.min,
                          upper=part.max)
        for p, pairing in enumerate(shape.pairings):
            if pairing.applies(slot):
                coefs = {c: (1.0 if kind[3][p] else 0.0) - (1.0 if kind[2][p] else 0.0) for kind, c in here.items()}
                if any(v > 0 for v in coefs.values()):
                    m.add_row(f"pair_{slot}_{pairing.role}", list(coefs), list(coefs.values()), upper=0.0)
    for k, alike in enumerate(_alike_dishes(data, foods, shape.once_a_day)):
        use.row(f"once_a_day_{k}", alike.astype(float), upper=1.0)
    kcal = data.kcal_per_unit[foods]
    if not kcal.any() and not any(shape.amounts(slot, data) for slot in SLOTS):
        return
    # Each food's units spread over the slots it may go in (z, continuous), none in a slot its kind has
    # no food in: the calorie bands and food-group amounts on these are close to exact, where Hall's
    # conditions alone let most menus fail their assignment.
    by_food: list[list[int]] = [[] for _ in foods]
    by_slot: list[tuple[list[int], list[float]]] = [([], []) for _ in SLOTS]
    by_slot_food: list[list[int]] = [[] for _ in SLOTS]
    for k, (kind, members) in enumerate(kinds.items()):
        for s in np.flatnonzero(kind[1]):
            cols = []
            for i in members:
                c = m.add_column(f"z_{data.food_ids[foods[i]]}_{SLOTS[s]}", 0.0, 0.0, float(data.max_units[foods[i]]))
                cols.append(c)
                by_food[i].append(c)
                by_slot[s][0].append(c)
                by_slot[s][1].append(kcal[i])
                by_slot_food[s].append(int(foods[i]))
            most = float(max(data.max_units[foods[i]] for i in members))
            m.add_row(f"kind_units_{k}_{SLOTS[s]}", [*cols, count[kind, s]], [*([1.0] * len(cols)), -most], upper=0.0)
    for i, cols in enumerate(by_food):
        m.add_row(f"spread_{data.food_ids[foods[i]]}", [*cols, x[i]], [*([1.0] * len(cols)), -1.0], 0.0, 0.0)
    bands = rules.slot_bands(shape.fillable)
    for s, slot in enumerate(SLOTS):
        cols, coefs = by_slot[s]
        _group_rows(m, data, shape, slot, cols, by_slot_food[s])
        if not kcal.any() or slot not in bands or shape.soft_bands:
            continue
        lo, hi = bands[slot]
        if lo > 0:
            m.add_row(f"kcal_min_{slot}", [*cols, *x], [*coefs, *(-lo * kcal)], lower=0.0)
        if hi < 1:
            m.add_row(f"kcal_max_{slot}", [*cols, *x], [*coefs, *(-hi * kcal)], upper=0.0)


def _group_rows(m: Milp, data: ModelData, shape: MealShape, slot: str, cols: list[int], foods: list[int]) -> None:
    """The foods filling a part of the meal in `slot` hold its food-group amount (the vegetable sides hold half a
    cup of vegetables; the sauce of the main dish does not count): `cols` are units of `foods` (indices into data)."""
    for part, k in shape.amounts(slot, data):
        mine = np.isin(data.role[foods], part.roles)
        per_unit = data.per_unit[k, foods] * mine
        if data.integer and part.max == 1:
            # One food fills the part, in whole units: it needs ceil(at_least / per unit) of them (a toddler's
            # granola three, for the 1 oz-eq of grain at breakfast, not 2.1). Counting each unit as at_least over
            # that many keeps the same whole-unit menus and tells the menu MILP's continuous units so.
            rich = per_unit > 0
            per_unit[rich] = part.at_least / np.ceil(part.at_least / per_unit[rich] - 1e-9)
        m.add_row(f"amount_{slot}_{part.name.replace(' ', '_')}", cols, per_unit, lower=part.at_least)


# A kcal outside its slot's band, when bands are targets rather than limits, costs this many dollars.
OUTSIDE_BAND_COST = 0.01


def meal_rows(m: Milp, data: ModelData, rules: MealRules, state: DayState, shape: MealShape, foods: np.ndarray,
              x: np.ndarray, u: np.ndarray, soft: bool = False
              ) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """Every meal rule, exactly, on a model with units `x` and served binaries `u` of `foods`.

    Each food goes in one slot: `y[i, s]` (binary) and its units there `z[i, s]`. The parts of each
    meal, its cap, the pairings and the calorie bands (a share of the day's kcal, within its
    tolerance) are rows on them. `soft` turns each band from a limit into a target: a kcal outside
    it costs `OUTSIDE_BAND_COST`. Returns the `y` and `z` columns by (position in foods, slot index).
    """
    ok = open_slots(data, state, shape, foods)
    roles, tags = data.role[foods], data.tags[foods]
    kcal = data.kcal_per_unit[foods]
    soft = soft or shape.soft_bands
    y: dict[tuple[int, int], int] = {}
    z: dict[tuple[int, int], int] = {}
    for i, f in enumerate(foods):
        name = data.food_ids[f]
        for s in np.flatnonzero(ok[i]):
            y[i, s] = m.add_column(f"y_{name}_{SLOTS[s]}", 0.0, 0.0, 1.0, True)
            z[i, s] = m.add_column(f"z_{name}_{SLOTS[s]}", 0.0, 0.0, float(data.max_units[f]))
            m.add_row(f"in_slot_{name}_{SLOTS[s]}", (z[i, s], y[i, s]), (1.0, -float(data.max_units[f])), upper=0.0)
        mine = [s for s in range(len(SLOTS)) if (i, s) in y]
        m.add_row(f"one_slot_{name}", [*(y[i, s] for s in mine), u[i]], [*([1.0] * len(mine)), -1.0], 0.0, 0.0)
        m.add_row(f"all_units_{name}", [*(z[i, s] for s in mine), x[i]], [*([1.0] * len(mine)), -1.0], 0.0, 0.0)
    bands = rules.slot_bands(shape.fillable)
    alike_in_meals = _alike_dishes(data, foods, once_a_meal())
    for s, slot in enumerate(SLOTS):
        here = [(i, c) for (i, t), c in y.items() if t == s]
        cols = [c for _, c in here]
        if cols:
            m.add_row(f"foods_{slot}", cols, [1.0] * len(cols), lower=min(shape.min_foods.get(slot, 0), len(cols)),
                      upper=shape.cap(slot, rules))
        for part in shape.slot_parts(slot):
            filling = [c for i, c in here if roles[i] in part.roles]
            m.add_row(f"part_{slot}_{part.name.replace(' ', '_')}", filling, [1.0] * len(filling),
                      lower=part.min, upper=part.max)
        for k, alike in enumerate(alike_in_meals):
            if sum(alike[i] for i, _ in here) > 1:
                cols_alike = [c for i, c in here if alike[i]]
                m.add_row(f"once_a_meal_{slot}_{k}", cols_alike, [1.0] * len(cols_alike), upper=1.0)
        for pairing in shape.pairings:
            if pairing.applies(slot):
                coefs = [(1.0 if pairing.subject(roles[i], tags[i]) else 0.0)
                         - (1.0 if pairing.partner(roles[i], tags[i]) else 0.0) for i, _ in here]
                if any(c > 0 for c in coefs):
                    m.add_row(f"pair_{slot}_{pairing.role}", cols, coefs, upper=0.0)
        _group_rows(m, data, shape, slot, [z[i, s] for i, _ in here], [int(foods[i]) for i, _ in here])
        if kcal.any() and slot in bands:
            lo, hi = bands[slot]
            in_slot = [z[i, s] for i, _ in here]
            coefs = [kcal[i] for i, _ in here]
            extra_lo, extra_hi = ([], []), ([], [])
            if soft:
                under = m.add_column(f"under_band_{slot}", OUTSIDE_BAND_COST)
                over = m.add_column(f"over_band_{slot}", OUTSIDE_BAND_COST)
                extra_lo, extra_hi = ([under], [1.0]), ([over], [-1.0])
            # The slot's kcal against its share of the day's: lo * day <= slot <= hi * day, linear in x.
            m.add_row(f"kcal_min_{slot}", [*in_slot, *x, *extra_lo[0]], [*coefs, *(-lo * kcal), *extra_lo[1]],
                      lower=0.0)
            m.add_row(f"kcal_max_{slot}", [*in_slot, *x, *extra_hi[0]], [*coefs, *(-hi * kcal), *extra_hi[1]],
                      upper=0.0)
    return y, z


def slots_of(y: dict[tuple[int, int], int], values: np.ndarray, served: np.ndarray) -> list[str]:
    """The slot of each served food (positions `served`) in a solved model's `y` columns."""
    slot_of = {i: SLOTS[s] for (i, s), c in y.items() if values[c] > 0.5}
    return [slot_of[i] for i in served]


def slots_outside_bands(rules: MealRules, shape: MealShape, kcal: np.ndarray, slots: list[str]) -> np.ndarray:
    """For each served food (its kcal and slot): is its slot's share of the day's kcal outside the slot's band?"""
    where = np.asarray(slots)
    total = kcal.sum()
    bands = rules.slot_bands(shape.fillable)
    outside = {s for s in set(slots) if s in bands and total > 0 and
               not bands[s][0] - 1e-6 <= kcal[where == s].sum() / total <= bands[s][1] + 1e-6}
    return np.isin(where, list(outside))


def near_shares(m: Milp, rules: MealRules, z: dict[tuple[int, int], int], kcal: np.ndarray, x: np.ndarray) -> None:
    """A small cost on each slot's kcal away from its stated share of the day's: of the assignments the rules
    allow, the one closest to the shares wins. `z` holds the units of food i in slot s (from `meal_rows`),
    `kcal` is per unit of each food and `x` their unit columns."""
    if not kcal.any():
        return
    for s, slot in enumerate(SLOTS):
        here = [(i, c) for (i, t), c in z.items() if t == s]
        share = rules.slot_shares.get(slot, 0.0)
        d = m.add_column(f"off_{slot}", OUTSIDE_BAND_COST / 100)
        cols, coefs = [c for _, c in here], [kcal[i] for i, _ in here]
        m.add_row(f"off_above_{slot}", [*cols, *x, d], [*coefs, *(-share * kcal), -1.0], upper=0.0)
        m.add_row(f"off_below_{slot}", [*cols, *x, d], [*coefs, *(-share * kcal), 1.0], lower=0.0)


def assign_slots(data: ModelData, rules: MealRules, solver: SolverSettings, state: DayState, shape: MealShape,
                 foods: np.ndarray, units: np.ndarray, soft: bool = False) -> list[str] | None:
    """Each of these foods, in these units, put in a slot by the meal rules; None when they cannot hold."""
    m = Milp()
    x = np.array([m.add_column(f"x_{data.food_ids[f]}", 0.0, float(n), float(n)) for f, n in zip(foods, units)])
    u = np.array([m.add_column(f"use_{data.food_ids[f]}", 0.0, 1.0, 1.0, True) for f in foods])
    y, z = meal_rows(m, data, rules, state, shape, foods, x, u, soft)
    near_shares(m, rules, z, data.kcal_per_unit[foods], x)
    solution = m.solve(solver.name, solver.time_limit)
    if solution.status is Status.NO_PLAN:
        return None
    return slots_of(y, solution.values, np.arange(len(foods)))
