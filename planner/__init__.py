"""planner: a week of real meals that raises magnesium, calcium, potassium, vitamin D and B12.

The library API a notebook calls, one step per function:

    >>> from planner import load_foods, make_profile, targets_for, make_plan, PlanRequest
    >>> foods = load_foods()
    >>> profile = make_profile(age=40, sex="female")
    >>> plan = make_plan(foods, targets_for(profile, ("magnesium",)), PlanRequest(profile, days=7))  # doctest: +SKIP
    >>> plan.items_frame().head()  # doctest: +SKIP

For information only, not medical advice.
"""

from planner.errors import FdcError, InputError, PlannerError, ProfileError, SolverError
from planner.foods import FoodChoice, FoodTable, allowed_foods, load_foods, parse_foods
from planner.model import Rules, Status
from planner.plan import DayPlan, Plan, PlanItem, Shortfall, check_plan, read_plan
from planner.targets import Profile, load_targets, make_profile, targets_for
from planner.week import PlanRequest, day_summary, make_plan

__all__ = [
    "DayPlan", "FdcError", "FoodChoice", "FoodTable", "InputError", "Plan", "PlanItem", "PlanRequest",
    "PlannerError", "Profile", "ProfileError", "Rules", "Shortfall", "SolverError", "Status", "allowed_foods",
    "check_plan", "day_summary", "load_foods", "load_targets", "make_plan", "make_profile", "parse_foods",
    "read_plan", "targets_for",
]
