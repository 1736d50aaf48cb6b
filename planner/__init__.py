"""planner: a week of real meals that raises magnesium, calcium, potassium, vitamin D and B12.

The library a notebook calls; the command is a thin shell over the same calls:

    >>> from planner import PlanRequest, make_plan, make_profile, check_plan, load_foods
    >>> request = PlanRequest(make_profile(age=40, sex="female"), deficient=("magnesium",), days=7)
    >>> plan = make_plan(request)                   # doctest: +SKIP
    >>> plan.items_frame().head()                   # doctest: +SKIP
    >>> check_plan(plan, load_foods()).ok           # doctest: +SKIP
    True

For information only, not medical advice.
"""

from planner.check import CheckResult, check_plan
from planner.errors import FdcError, InputError, PlannerError, ProfileError, SolverError
from planner.explain import Explanation, explain
from planner.foods import FoodChoice, FoodTable, allowed_foods, parse_foods
from planner.plan import DayPlan, Plan, PlanItem, Shortfall, SolveReport, SolveStatus, plan_from_dict, read_plan
from planner.planning import make_plan
from planner.render import render
from planner.request import Budget, MealRules, PlanRequest, Profile, SolverSettings, make_profile
from planner.shopping import ShoppingList, load_pantry, shopping_list
from planner.sources import load_foods
from planner.targets import Targets, read_targets_file, targets_for, targets_for_request

__all__ = [
    "Budget", "CheckResult", "DayPlan", "Explanation", "FdcError", "FoodChoice", "FoodTable", "InputError",
    "MealRules", "Plan", "PlanItem", "PlanRequest", "PlannerError", "Profile", "ProfileError", "Shortfall",
    "ShoppingList", "SolveReport", "SolveStatus", "SolverError", "SolverSettings", "Targets", "allowed_foods",
    "check_plan", "explain", "load_foods", "load_pantry", "make_plan", "make_profile", "parse_foods",
    "plan_from_dict", "read_plan", "read_targets_file", "render", "shopping_list", "targets_for",
    "targets_for_request",
]
