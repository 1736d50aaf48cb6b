"""Someone whose muscles twitch or cramp is not served a caffeinated drink.

The health sources name caffeine as a trigger of twitching, cramps and spasms and advise cutting
back, with no figure. A plan that served coffee or tea for its magnesium and potassium would then
advise one thing and do another. So with one of those named, and no caffeine limit of the person's
own, the drinks (role `drink`) that hold caffeine stay out; foods where it is incidental (chocolate
milk, dark chocolate) stay, under the day's caffeine ceiling. A limit the person gives
(`--max-caffeine`) is their choice, and the drinks stay; so does a drink asked for by name.
"""

from __future__ import annotations

from planner.foods import FoodTable
from planner.request import PlanRequest
from planner.symptoms import Guidance


def without_caffeinated_drinks(allowed: FoodTable, request: PlanRequest,
                               advice: Guidance | None) -> tuple[FoodTable, tuple[str, ...]]:
    """The foods a plan for `request` may serve once its symptoms (`advice`) are read, and a note on the drinks
    that stayed out. The planner and `check` both ask it."""
    if (request.max_caffeine_mg is not None or request.custom_targets is not None or advice is None
            or advice.max_caffeine_mg is None or "caffeine_mg" not in allowed.data):
        return allowed, ()
    data = allowed.data
    # A drink with no caffeine value is not known to hold any: it stays, as any missing value is not a 0.
    caffeinated = (data["role"] == "drink") & (data["caffeine_mg"] > 0)
    asked_for = data.index.isin(request.choice.include)
    kept_out = caffeinated & ~asked_for
    if not kept_out.any():
        return allowed, ()
    # The strongest first: coffee and tea, not a chocolate shake, are what a reader looks for.
    strongest = (data.loc[kept_out, "caffeine_mg"] * data.loc[kept_out, "serving_g"]).sort_values(ascending=False)
    names = "; ".join(data.loc[strongest.index[:4], "name"]) + ("; ..." if len(strongest) > 4 else "")
    asked = list(data.loc[caffeinated & asked_for, "name"])
    but = f" other than what you asked for ({'; '.join(asked)})" if asked else ""
    return allowed.subset(data.index[~kept_out]), (
        f"Caffeine: with twitching, cramps or spasms named, the plan serves no caffeinated drink{but}, as the health "
        f"sources advise cutting back ({names} stay out; give --max-caffeine to allow them).",)
