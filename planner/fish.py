"""How often a plan serves fish, beside the EPA and FDA advice for a pregnancy, breastfeeding and children.

The advice (`data/fish_advice.csv`) names servings a week of the fish lowest in mercury: 2 to 3
in a pregnancy or while breastfeeding, 2 for a child of 1 to 10. The food table does not say how
much mercury a fish holds, and the planner values fish for its vitamin D, so it does not limit
them; a week that serves fish more often than that says so, naming the advice.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from planner.files import data_path
from planner.foods import FoodTable
from planner.plan import Plan
from planner.request import Profile, week_of


@cache
def _advice() -> pd.DataFrame:
    return pd.read_csv(data_path("fish_advice.csv"), dtype={"group": str, "source": str, "quote": str})


def advice_for(profile: Profile) -> pd.Series | None:
    """The advice row that speaks to this person, or None (an adult not pregnant or breastfeeding)."""
    rows = _advice()
    group = "pregnancy or breastfeeding" if profile.pregnant or profile.lactating else "child"
    row = rows[(rows["group"] == group) & (rows["age_min"] <= int(profile.age)) & (int(profile.age) <= rows["age_max"])]
    return None if row.empty else row.iloc[0]


def fish_notes(plan: Plan, foods: FoodTable) -> list[str]:
    """A note where a week of the plan serves fish more often than the advice for this person."""
    advice = advice_for(plan.request.profile)
    if advice is None:
        return []
    fish = foods.data.index[foods.data["tags"].map(lambda t: "fish" in t)]
    servings, days = pd.Series(dtype=int), pd.Series(dtype=int)
    for day in plan.days:
        week = week_of(day.day)
        servings.loc[week] = servings.get(week, 0) + sum(item.food_id in fish for item in day.items)
        days.loc[week] = days.get(week, 0) + 1
    over = servings[servings > advice["servings_a_week"]]
    if over.empty:
        return []

    def where(week: int) -> str:
        """A week's advice, said of the days planned: "the week", "its one day", "week 2 (3 days)"."""
        if len(servings) > 1:
            return f"week {week}" + (f" ({days[week]} days)" if days[week] < 7 else "")
        return "the week" if days[week] == 7 else "its one day" if days[week] == 1 else f"its {days[week]} days"

    when = "; ".join(f"{n} times in {where(w)}" for w, n in over.items())
    who = "in a pregnancy or while breastfeeding" if advice["group"] != "child" else "for a child this age"
    return [f"Fish: the plan serves fish {when} (for its vitamin D and protein), more often than the EPA and FDA "
            f"advise {who}: \"{advice['quote']}\" ({advice['source']}). Choose from their Best Choices, lowest in "
            "mercury, or swap some fish meals for other protein foods."]
