"""What a person asks for: the profile, the nutrients to raise, the foods, the meals, the budget.

`PlanRequest` holds everything the command takes, as plain values that check
themselves and round-trip through JSON. A plan records the request that made
it, so `check`, `shop` and `explain` never need the options typed again.
Errors name the request field (`days`, `budget`, `age`), never an option.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace

from planner import nutrients
from planner.errors import InputError, ProfileError
from planner.foods import SLOTS, TAGS, FoodChoice, split_list

DEFAULT_PROFILE_TEXT = "adult woman, 35, not pregnant or lactating (the default: give --age and --sex for yours)"
PORTIONS = ("half", "whole", "exact")
SOLVERS = ("highs", "cbc")
BUDGET_PERIODS = ("day", "week")
DAYS_PER_WEEK = 7
TRIMESTERS = (1, 2, 3)
MAX_DAYS_PLANNED = 28
# A food appears on at most this many days a week, unless the table says more.
DEFAULT_MAX_DAYS = 3
# Shares of the day's calories per slot (stated defaults; `--slot-kcal` changes them), each held
# within SLOT_SHARE_TOLERANCE either side.
DEFAULT_SLOT_SHARES = {"breakfast": 0.25, "lunch": 0.30, "dinner": 0.35, "snack": 0.10}
SLOT_SHARE_TOLERANCE = 0.10
MAX_FOODS_PER_SLOT = 5
# When no menu fits every meal rule, rules are relaxed in this order, each step keeping the ones
# before: (name, what it means for the person).
RELAXATIONS = (
    ("once_a_day", "the day may serve two main dishes of one kind (planner/data/once_a_day.csv)"),
    ("extra", "a part of a meal may hold one food more than it usually does"),
    ("parts", "a meal may go without one of its usual parts (planner/data/meal_patterns.csv)"),
    ("foods_per_meal", "a meal may be left out"),
    ("slot_kcal", "a meal's share of the day's calories may fall outside its band"),
    ("variety", "the day shares more than half its foods with an earlier day"),
)
# The rules of a meal's shape among them, in their order; the variety rule is between days.
MEAL_RULES = tuple(rule for rule, _ in RELAXATIONS if rule != "variety")
# A day's relaxed rules may also name the variety rule given up for floors its menus missed: "variety for "
# and the floors' columns, comma-separated (`model.solve_day`).
VARIETY_FOR = "variety for "
# A day planned again once the week was done, to make up a stored nutrient the week fell short of: "made up " and
# the nutrient's column (`week._make_up`).
MADE_UP = "made up "
# Raising a deficient nutrient's floor by a quarter is our stated choice, not a DRI:
# enough to move a plan toward the richest foods without leaving ordinary meals.
DEFICIENT_FACTOR = 1.25


def week_of(day: int) -> int:
    """The week of a plan a day falls in: days 1-7 are week 1, days 8-14 week 2, ..."""
    return (int(day) - 1) // DAYS_PER_WEEK + 1


def week_lengths(days: int) -> list[int]:
    """The lengths of a plan's weeks: 7 days each, the last what is left."""
    return [min(DAYS_PER_WEEK, days - start) for start in range(0, days, DAYS_PER_WEEK)]


def _finite(value: float | None, name: str, what: str, low: float | None = None, high: float | None = None,
            low_open: bool = False, error: type[InputError] = InputError) -> None:
    """A number that is a number (not nan or inf) and within its range, or an InputError naming the field."""
    if value is None:
        return
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)   # numpy's too
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        raise error(f"expected {what}, got {value!r}" if not isinstance(value, float) else
                    f"expected {what}, got {value:g}", field=name)


def _target_row(row: dict) -> dict:
    """A custom target as JSON holds it (bounds numbers >= 0 or None, min <= max), for rows made in Python too."""
    if not isinstance(row, dict) or not str(row.get("nutrient") or "").strip():
        raise InputError(f"expected a row with a nutrient, got {row!r}"[:120], field="custom_targets")
    out = dict(row)
    for bound in ("min", "max"):
        value = out.get(bound)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            out[bound] = None
            continue
        try:
            out[bound] = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{row['nutrient']}: expected a number or none for {bound}, got {value!r}"[:120],
                             field="custom_targets") from None
        _finite(out[bound], "custom_targets", f"{row['nutrient']} {bound} >= 0", 0)
    if out["min"] is not None and out["max"] is not None and out["min"] > out["max"]:
        raise InputError(f"{row['nutrient']}: min {out['min']:g} is above max {out['max']:g}", field="custom_targets")
    source = out.get("source")   # a file's rows name theirs; a row made in Python may name none, and says so
    out["source"] = source if isinstance(source, str) and source.strip() else "given in the request, no source named"
    return out


@dataclass(frozen=True)
class Profile:
    """Who the plan is for. The defaults are the profile used when the user gives none."""

    age: float = 35
    sex: str = "female"
    pregnant: bool = False
    lactating: bool = False
    kcal: float | None = None
    is_default: bool = False
    trimester: int | None = None   # of a pregnancy: 1, 2 or 3 (the calories it adds differ)
    assumed: tuple[str, ...] = ()  # "age", "sex": not given, so the default's (a plan says so)

    def __post_init__(self) -> None:
        object.__setattr__(self, "assumed", tuple(self.assumed))   # a JSON list reads back as the same profile
        for name in ("age", "kcal"):   # numpy's numbers as Python's, which JSON writes
            value = getattr(self, name)
            if isinstance(value, numbers.Real) and not isinstance(value, (int, float)):
                object.__setattr__(self, name, float(value))
        for flag in ("pregnant", "lactating"):   # "no" is a text, and a true one
            if not isinstance(getattr(self, flag), bool):
                raise ProfileError(f"expected true or false, got {getattr(self, flag)!r}", field=flag)
        if self.sex not in ("female", "male"):
            raise ProfileError(f"expected female or male, got '{self.sex}'", field="sex")
        what = "an age in years from 1 to 120 (the planner's tables start at 1: ask a clinician about feeding an infant)"
        if self.age is None:   # a profile's targets all hang on its age: make_profile gives the default's
            raise ProfileError(f"expected {what}, got none", field="age")
        _finite(self.age, "age", what, 1, 120, error=ProfileError)
        if self.pregnant and self.lactating:
            raise ProfileError("pregnant and lactating: choose one (the DRI tables have a row for each)",
                               field="pregnant")
        if (self.pregnant or self.lactating) and self.sex != "female":
            raise ProfileError("the DRI pregnancy and lactation rows are for sex female",
                               field="pregnant" if self.pregnant else "lactating")
        if (self.pregnant or self.lactating) and not self._in_pregnancy_rows():
            raise ProfileError(f"the DRI pregnancy and lactation rows cover ages 14 to 50, got {self.age:g}",
                               field="age")
        _finite(self.kcal, "kcal", "calories a day between 800 and 6000", 800, 6000, error=ProfileError)
        if self.trimester is not None:
            if self.trimester not in TRIMESTERS or isinstance(self.trimester, bool):
                raise ProfileError(f"expected a trimester of 1, 2 or 3, got {self.trimester!r}", field="trimester")
            if not self.pregnant:
                raise ProfileError("a trimester goes with a pregnancy, and this profile is not pregnant",
                                   field="trimester")

    def _in_pregnancy_rows(self) -> bool:
        # Whole years, as the DRI groups count them: 50.5 is still in 31-50.
        return self.sex == "female" and 14 <= math.floor(self.age) <= 50

    @property
    def may_be_pregnant(self) -> bool:
        """A woman of an age the DRI pregnancy rows cover, not planned as pregnant: advice for a pregnancy may
        apply to her, unlike to a boy of 13."""
        return self._in_pregnancy_rows() and not self.pregnant

    @property
    def stage(self) -> str:
        """The life stage in words: `pregnant, 2nd trimester`, `lactating`, or empty."""
        if self.pregnant:
            return "pregnant" + (f", {ordinal(self.trimester)} trimester" if self.trimester else "")
        return "lactating" if self.lactating else ""

    def describe(self, hint: bool = True) -> str:
        """Who the plan is for; `hint`: with what to give for one's own profile, where it was left out (said once,
        on stderr, not again in the plan's heading)."""
        if self.is_default:
            return DEFAULT_PROFILE_TEXT if hint else DEFAULT_PROFILE_TEXT.split(" (")[0] + " (the default profile)"
        stage = f", {self.stage}" if self.stage else ""
        who = {"female": "woman", "male": "man"}[self.sex] if self.age >= 19 else \
            {"female": "girl", "male": "boy"}[self.sex]
        guessed = [f"{name} not given, so {self.age:g}" if name == "age" else f"{name} not given, so {self.sex}"
                   for name in self.assumed]
        if not hint:
            guessed = [f"{name} assumed" for name in self.assumed]
        return f"{who}, {self.age:g}{stage}" + (f" ({'; '.join(guessed)}: give --{' and --'.join(self.assumed)} "
                                                  "for yours)" if guessed and hint else
                                                  f" ({'; '.join(guessed)})" if guessed else "")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, doc: dict) -> Profile:
        return cls(**_known(cls, doc))


def make_profile(age: float | None = None, sex: str | None = None, pregnant: bool = False,
                 lactating: bool = False, kcal: float | None = None, trimester: int | None = None) -> Profile:
    """A checked profile; no age and no sex gives the stated default (a woman of 35)."""
    is_default = age is None and sex is None and not pregnant and not lactating
    # A pregnancy or lactation says female; an age or a sex left out otherwise is the default's, and said.
    given = {"age": age is not None, "sex": sex is not None or pregnant or lactating}
    assumed = () if is_default else tuple(name for name, known in given.items() if not known)
    return Profile(age=Profile.age if age is None else age, sex=Profile.sex if sex is None else sex,
                   pregnant=pregnant, lactating=lactating, kcal=kcal, is_default=is_default, trimester=trimester,
                   assumed=assumed)


def ordinal(n: int) -> str:
    """1 -> `1st`, 2 -> `2nd`, 3 -> `3rd`."""
    return f"{n}{_SUFFIXES.get(n, 'th')}"


_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


@dataclass(frozen=True)
class Budget:
    """The most to spend, per day or per week (7 days, whatever the plan's length)."""

    amount: float
    per: str = "day"

    def __post_init__(self) -> None:
        _finite(self.amount, "budget", "dollars above 0", 0, low_open=True)
        if self.per not in BUDGET_PERIODS:
            raise InputError(f"expected day or week, got '{self.per}'", field="budget_per")

    def per_day(self) -> float:
        return self.amount if self.per == "day" else self.amount / DAYS_PER_WEEK

    def for_week(self, days: int) -> float | None:
        """What a week of `days` days may spend in all (a day spends what earlier ones saved); None: a day's budget."""
        return None if self.per == "day" else self.amount * days / DAYS_PER_WEEK


@dataclass(frozen=True)
class MealRules:
    """How a day's meals are shaped: portions, each slot's share of calories, foods per slot."""

    portions: str = "half"
    slot_shares: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SLOT_SHARES))
    slot_share_tolerance: float = SLOT_SHARE_TOLERANCE
    max_foods_per_slot: int = MAX_FOODS_PER_SLOT

    def __post_init__(self) -> None:
        # Its own copy: a dict the caller goes on changing would change these rules after they were checked.
        if not isinstance(self.slot_shares, dict):
            raise InputError(f"expected each slot's share, got {self.slot_shares!r}"[:80], field="slot_shares")
        object.__setattr__(self, "slot_shares", dict(self.slot_shares))
        if self.portions not in PORTIONS:
            raise InputError(f"expected one of {', '.join(PORTIONS)}, got '{self.portions}'", field="portions")
        unknown = set(self.slot_shares) - set(SLOTS)
        if unknown:
            raise InputError(f"unknown slot '{sorted(unknown)[0]}' (slots: {', '.join(SLOTS)})", field="slot_shares")
        for slot, share in self.slot_shares.items():
            # Said in percent, as the option takes it: breakfast=-10 is "got -10", not "got -0.1".
            if not (isinstance(share, (int, float)) and math.isfinite(share) and 0 <= share <= 1):
                shown = f"{100 * share:g}" if isinstance(share, (int, float)) else repr(share)
                raise InputError(f"expected a share of 0 to 100% for {slot}, got {shown}", field="slot_shares")
        total = sum(self.slot_shares.values())
        if abs(total - 1.0) > 0.01:
            raise InputError(f"the slots' shares of the day's calories must add up to 100%, got {100 * total:g}% "
                             f"({', '.join(f'{s}={100 * v:g}' for s, v in self.slot_shares.items())})",
                             field="slot_shares")
        _finite(self.slot_share_tolerance, "slot_share_tolerance", "a tolerance of 0 to 100%", 0, 1)
        if not isinstance(self.max_foods_per_slot, int) or self.max_foods_per_slot < 2:
            raise InputError(f"expected at least 2 foods a slot, got {self.max_foods_per_slot}",
                             field="max_foods_per_slot")

    def __hash__(self) -> int:   # the dict of shares is the rules' own copy, never changed after the check
        return hash((self.portions, tuple(sorted(self.slot_shares.items())), self.slot_share_tolerance,
                     self.max_foods_per_slot))

    @property
    def skipped_slots(self) -> tuple[str, ...]:
        """Slots given no share of the day's calories (`dinner=0`, or left out of `--slot-kcal`): no meal there."""
        return tuple(slot for slot in SLOTS if self.slot_shares.get(slot, 0.0) == 0.0)

    def slot_range(self, slot: str) -> tuple[float, float]:
        share = self.slot_shares.get(slot, 0.0)
        return max(0.0, share - self.slot_share_tolerance), min(1.0, share + self.slot_share_tolerance)

    def slot_bands(self, filled: Iterable[str]) -> dict[str, tuple[float, float]]:
        """Each slot's band of the day's calories, for the slots some food can go in today.

        A slot no food can fill gives its share to the others, in proportion: a table with no
        breakfast foods still makes a day of the meals it can (the band of an empty slot would
        otherwise hold the whole day at 0 kcal)."""
        filled = [slot for slot in SLOTS if slot in set(filled)]
        if len(filled) == len(SLOTS):
            return {slot: self.slot_range(slot) for slot in SLOTS}
        total = sum(self.slot_shares.get(slot, 0.0) for slot in filled)
        if total <= 0:
            return {}
        tolerance = self.slot_share_tolerance
        return {slot: (max(0.0, self.slot_shares.get(slot, 0.0) / total - tolerance),
                       min(1.0, self.slot_shares.get(slot, 0.0) / total + tolerance)) for slot in filled}


def parse_slot_shares(text: str) -> dict[str, float]:
    """`breakfast=25,lunch=30,dinner=35,snack=10` (percent, as people write it; `;` as well as `,`) -> shares of 1.

    MealRules checks the slots and that the shares add up to 100%."""
    try:
        return {slot.strip(): float(share) / 100.0 for slot, _, share in (p.partition("=") for p in split_list(text))}
    except ValueError:
        raise InputError("expected slot=percent pairs, e.g. breakfast=25,lunch=30,dinner=35,snack=10",
                         field="slot_shares") from None


@dataclass(frozen=True)
class SolverSettings:
    """Which solver runs the models and how long it may take on each."""

    name: str = "highs"
    time_limit: float = 10.0     # seconds per model
    gap: float = 0.10            # relative MIP gap each day's menu is solved to
    candidates: int | None = 4   # foods the menu MILP sees beyond the LP's choice (None: all)
    candidates_per_role: int = 2

    def __post_init__(self) -> None:
        if self.name not in SOLVERS:
            raise InputError(f"expected one of {', '.join(SOLVERS)}, got '{self.name}'", field="solver")
        # Under a tenth of a second HiGHS stops before its first plan on a day's menu.
        _finite(self.time_limit, "time_limit", "seconds of at least 0.1 (and at most a day)", 0.1, 86400)
        _finite(self.gap, "gap", "a relative gap from 0 to 1", 0, 1)


@dataclass(frozen=True)
class PlanRequest:
    """Everything a plan depends on besides the food table: what the command's options say.

    `deficient` holds table columns (`magnesium_mg`): `deficient_columns` turns the words
    people use into them. `custom_targets` (rows of nutrient, min, max, unit, source)
    replaces every default target when given.
    """

    profile: Profile = Profile(is_default=True)
    deficient: tuple[str, ...] = ()
    deficient_factor: float = DEFICIENT_FACTOR
    symptoms: tuple[str, ...] = ()
    duration_days: float | None = None
    max_caffeine_mg: float | None = None
    custom_targets: tuple[dict, ...] | None = None
    choice: FoodChoice = FoodChoice()
    budget: Budget | None = None
    days: int = 7
    max_days: int = DEFAULT_MAX_DAYS
    meals: MealRules = field(default_factory=MealRules)   # its own: MealRules holds a dict of shares
    solver: SolverSettings = SolverSettings()
    foods: str | None = None     # the food table: None (embedded), 'sr-legacy', or a path
    cheapest: bool = False       # minimum cost only, not how far the day departs from how people eat
    amounts_only: bool = False   # the plain diet problem (--meals none): grams of each food, no meals
    absorbable_calcium: bool = False   # calcium counted as absorbed (planner.calcium)

    def __post_init__(self) -> None:
        for name in ("symptoms", "deficient"):   # one text is one item, not a tuple of its letters
            value = getattr(self, name)
            object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))
        if self.custom_targets is not None:   # its own rows: the caller's dicts may go on changing
            object.__setattr__(self, "custom_targets", tuple(_target_row(row) for row in self.custom_targets))
        if isinstance(self.days, numbers.Integral) and not isinstance(self.days, bool):   # numpy's too
            object.__setattr__(self, "days", int(self.days))
        if not isinstance(self.days, int) or not 1 <= self.days <= MAX_DAYS_PLANNED:
            raise InputError(f"expected 1 to {MAX_DAYS_PLANNED} days, got {self.days}", field="days")
        if not isinstance(self.max_days, int) or self.max_days < 1:
            raise InputError(f"expected at least 1, got {self.max_days}", field="max_days")
        if any(not isinstance(s, str) or not s.strip() for s in self.symptoms):
            raise InputError('expected a symptom in words, e.g. "eyelid twitching", got an empty text',
                             field="symptoms")
        _finite(self.duration_days, "duration_days", "days >= 0", 0)
        if self.duration_days is not None and not self.symptoms:
            raise InputError("give the symptom it applies to", field="duration_days")
        _finite(self.max_caffeine_mg, "max_caffeine", "mg a day >= 0", 0)
        _finite(self.deficient_factor, "deficient_factor", "a factor from 1 to 10", 1, 10)
        object.__setattr__(self, "deficient", deficient_columns(self.deficient))
        if self.deficient and self.custom_targets is not None:
            raise InputError("a targets file sets every floor, so none is raised: give the raised floors in the file",
                             field="deficient")

    def __hash__(self) -> int:
        # Rows of custom targets are dicts: equal requests have equal JSON, so it hashes them alike.
        return hash(json.dumps(self.to_dict(), sort_keys=True, default=str))

    def to_dict(self) -> dict:
        return {
            "profile": self.profile.to_dict(), "deficient": list(self.deficient),
            "deficient_factor": self.deficient_factor, "symptoms": list(self.symptoms),
            "duration_days": self.duration_days, "max_caffeine_mg": self.max_caffeine_mg,
            "custom_targets": None if self.custom_targets is None else [dict(r) for r in self.custom_targets],
            "choice": self.choice.to_dict(), "budget": None if self.budget is None else asdict(self.budget),
            "days": self.days, "max_days": self.max_days,
            "meals": asdict(self.meals), "solver": asdict(self.solver), "foods": self.foods,
            "cheapest": self.cheapest, "amounts_only": self.amounts_only,
            "absorbable_calcium": self.absorbable_calcium,
        }

    @classmethod
    def from_dict(cls, doc: dict) -> PlanRequest:
        """A request read back from JSON; every value is checked again on the way."""
        meals = dict(doc.get("meals") or {})
        budget = doc.get("budget")
        custom = doc.get("custom_targets")
        return cls(
            profile=Profile.from_dict(doc.get("profile") or {}),
            deficient=_words(doc, "deficient"),
            deficient_factor=doc.get("deficient_factor", DEFICIENT_FACTOR), symptoms=_words(doc, "symptoms"),
            duration_days=doc.get("duration_days"), max_caffeine_mg=doc.get("max_caffeine_mg"),
            custom_targets=None if custom is None else tuple(dict(r) for r in custom),
            choice=FoodChoice.from_dict(doc.get("choice") or {}),
            budget=None if budget is None else Budget(**_known(Budget, budget)),
            days=doc.get("days", 7), max_days=doc.get("max_days", DEFAULT_MAX_DAYS),
            meals=MealRules(**_known(MealRules, meals)),
            solver=SolverSettings(**_known(SolverSettings, doc.get("solver") or {})),
            foods=doc.get("foods"), cheapest=bool(doc.get("cheapest", False)),
            amounts_only=bool(doc.get("amounts_only", False)),
            absorbable_calcium=bool(doc.get("absorbable_calcium", False)),
        )

    def with_days(self, days: int) -> PlanRequest:
        return replace(self, days=days)


def request_from_options(age: float | None = None, sex: str | None = None, pregnant: bool = False,
                         trimester: int | None = None, lactating: bool = False, kcal: float | None = None,
                         deficient: str | Iterable[str] = (), max_caffeine: float | None = None,
                         symptoms: tuple[str, ...] = (), duration_days: float | None = None,
                         custom_targets: tuple[dict, ...] | None = None, foods: str | None = None,
                         diet: str = "omnivore", exclude: str | Iterable[str] = (), include: str | Iterable[str] = (),
                         like: str | Iterable[str] = (), portions: str = "half", budget: float | None = None,
                         budget_per: str = "day", solver: str = "highs", time_limit: float = 10.0, days: int = 1,
                         max_days: int = 1, slot_shares: dict[str, float] | None = None, cheapest: bool = False,
                         amounts_only: bool = False, absorbable_calcium: bool = False) -> PlanRequest:
    """A request from the values of the command's options, named as the options are (`--budget-per` is
    `budget_per`): what `planner day`, `week` and `targets` and a row of a people table make; every value is
    checked by the request. A list (`deficient`, `exclude`, `include`, `like`) may be given as one text or
    several, each split as `split_list` splits it. A word from a fixed set (a sex, a diet, a tag) is read in any
    case and without the spaces around it; a food id is kept exactly as given."""
    return PlanRequest(
        profile=make_profile(age, _word(sex), pregnant, lactating, kcal, trimester), deficient=split_list(deficient),
        symptoms=tuple(symptoms), duration_days=duration_days, max_caffeine_mg=max_caffeine,
        custom_targets=custom_targets, choice=FoodChoice(_word(diet), _tags_or_ids(exclude), _tags_or_ids(include),
                                                         _tags_or_ids(like)),
        budget=None if budget is None else Budget(budget, _word(budget_per)), days=days, max_days=max_days,
        meals=MealRules(portions=_word(portions), **({"slot_shares": slot_shares} if slot_shares else {})),
        solver=SolverSettings(_word(solver), time_limit), foods=foods, cheapest=cheapest, amounts_only=amounts_only,
        absorbable_calcium=absorbable_calcium)


def _word(value: str | None) -> str | None:
    return value.strip().casefold() if isinstance(value, str) else value


def _tags_or_ids(values: str | Iterable[str]) -> tuple[str, ...]:
    """A tag in any case is the tag (`Dairy` is dairy); anything else is a food id, kept exactly as given: which food
    an id in another case means depends on the food table, and a request is made without one."""
    return tuple(item.casefold() if item.casefold() in TAGS else item for item in split_list(values))


def _words(doc: dict, key: str) -> tuple[str, ...]:
    """A list of words read back from JSON: a bare string would otherwise read as its letters."""
    value = doc.get(key) or []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise InputError(f"expected a list of words, got {value!r}"[:80], field=key)
    return tuple(value)


def _known(cls, doc: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in doc.items() if k in names}


def deficient_columns(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """`magnesium`, `vitamin D`, `Vitamin B-12` or `vitamin_d_mcg` -> the column, checked against the nutrients
    with a DRI; a name that is none of them is refused with the nearest (`magnesum`: did you mean magnesium?)."""
    with_dri = [c for c in nutrients.columns() if nutrients.registry()[c].dri_name and c not in nutrients.CEILING_ONLY]
    out = []
    for name in names:
        column = nutrients.by_word(name)
        if column in nutrients.CEILING_ONLY:
            raise InputError(f"{nutrients.label(column)} has no floor to raise: a plan holds it under a ceiling",
                             field="deficient")
        if column not in with_dri:
            near = [nutrients.label(c) for c in nutrients.nearest(name, with_dri)]
            meant = f": did you mean {_one_of(near)}?" if near else ""
            known = ", ".join(nutrients.label(c) for c in with_dri)
            raise InputError(f"unknown nutrient '{name.strip()}'{meant} (expected some of: {known})", field="deficient")
        out.append(column)
    return tuple(dict.fromkeys(out))


def _one_of(words: list[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    return f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else words[0]
