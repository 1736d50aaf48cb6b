"""The `planner` command: parse options, call the library, print. No planning logic lives here."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import click

from planner import errors

FORMAT = click.Choice(["table", "json", "csv", "md"])


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--exclude nuts,fish --exclude tuna` -> ('nuts', 'fish', 'tuna')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def handle_errors(command: Callable) -> Callable:
    """Turn a library error into one line on stderr and exit code 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except errors.PlannerError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def emit(text: str, output: str | None, fmt: str) -> None:
    """Data to stdout, or atomically to a file (with a line on stderr saying so)."""
    from planner.report import write_atomic

    if output:
        try:
            write_atomic(output, text)
        except OSError as exc:
            raise click.ClickException(f"{output}: cannot write it ({exc.strerror})") from None
        click.echo(f"wrote {output} ({fmt})", err=True)
    else:
        click.echo(text, nl=False)


def output_options(command: Callable) -> Callable:
    command = click.option("-o", "--output", type=click.Path(dir_okay=False),
                           help="Write to this file (atomically) instead of stdout.")(command)
    return click.option("--format", "fmt", type=FORMAT, default="table", show_default=True,
                        help="Output format.")(command)


def foods_option(command: Callable) -> Callable:
    return click.option("--foods", "foods_path", metavar="PATH",
                        help="Food table CSV (default: the embedded foods.csv; 'sr-legacy' for all of "
                             "USDA SR Legacy).")(command)


def profile_options(command: Callable) -> Callable:
    options = [
        click.option("--age", type=float, help="Age in years (default profile: woman, 35)."),
        click.option("--sex", type=click.Choice(["female", "male"])),
        click.option("--pregnant", is_flag=True),
        click.option("--lactating", is_flag=True),
        click.option("--kcal", type=float, help="Calories a day (default: Dietary Guidelines estimate, "
                                                "moderately active), held within 10%."),
        click.option("--deficient", multiple=True, metavar="NUTRIENTS",
                     help="Nutrients to raise 25% above the RDA (never past a UL), e.g. magnesium,vitamin_d."),
        click.option("--max-caffeine", type=float, metavar="MG", help="Caffeine ceiling, mg a day."),
        click.option("--targets", "targets_path", type=click.Path(dir_okay=False), metavar="FILE",
                     help="A targets CSV (nutrient,min,max) that replaces all default targets."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def plan_options(command: Callable) -> Callable:
    options = [
        click.option("--diet", type=click.Choice(["omnivore", "pescatarian", "vegetarian", "vegan"]),
                     default="omnivore", show_default=True),
        click.option("--exclude", multiple=True, metavar="TAGS_OR_FOODS",
                     help="Tags (nuts, fish, dairy, gluten ...) or food ids never to use."),
        click.option("--include", multiple=True, metavar="FOODS", help="Food ids that must appear."),
        click.option("--like", multiple=True, metavar="FOODS", help="Food ids to favour."),
        click.option("--portions", type=click.Choice(["half", "whole", "exact"]), default="half",
                     show_default=True, help="Half or whole household servings, or exact grams (research)."),
        click.option("--budget", type=float, metavar="DOLLARS", help="Most to spend a day (see --budget-per)."),
        click.option("--budget-per", type=click.Choice(["day", "week"]), default="day", show_default=True),
        click.option("--solver", type=click.Choice(["highs", "cbc"]), default="highs", show_default=True),
        click.option("--time-limit", type=float, default=10.0, show_default=True,
                     help="Seconds the solver may spend on each day."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def build_plan(days: int, max_days: int, foods_path, age, sex, pregnant, lactating, kcal, deficient, max_caffeine,
               targets_path, diet, exclude, include, like, portions, budget, budget_per, solver, time_limit,
               slot_kcal=None):
    from planner import FoodChoice, PlanRequest, Rules, load_foods, load_targets, make_plan, make_profile, targets_for

    foods = load_foods(foods_path)
    profile = make_profile(age, sex, pregnant, lactating, kcal)
    deficient = _split(deficient)
    if targets_path:
        targets = load_targets(targets_path, foods)
    else:
        targets = targets_for(profile, deficient, max_caffeine)
    rules = Rules(portions=portions, solver=solver, time_limit=time_limit,
                  budget_per_day=budget if budget is not None and budget_per == "day" else None,
                  **({"slot_shares": slot_kcal} if slot_kcal else {}))
    request = PlanRequest(profile=profile, choice=FoodChoice(diet, _split(exclude), _split(include), _split(like)),
                          rules=rules, days=days, max_days=max_days, deficient=deficient,
                          budget_per_week=budget if budget is not None and budget_per == "week" else None)
    if budget is not None and budget <= 0:
        raise errors.InputError("--budget", f"expected dollars > 0, got {budget:g}")
    click.echo(f"Profile: {profile.describe()}; diet {diet}"
               + (f"; deficient: {', '.join(deficient)}" if deficient else ""), err=True)
    return make_plan(foods, targets, request)


def _finish_plan(plan, fmt: str, output: str | None) -> None:
    from planner.report import render_plan

    emit(render_plan(plan, fmt), output, fmt)
    if not plan.is_ok:
        names = ", ".join(sorted({s.nutrient for s in plan.shortfalls}))
        click.echo(f"Targets not met: {names} (the closest plan is shown; see SHORT lines).", err=True)
        sys.exit(1)


@click.group()
@click.version_option(package_name="planner")
def cli() -> None:
    """Plan meals that raise magnesium, calcium, potassium, vitamin D and B12.

    For information only, not medical advice.
    """


@cli.command()
@foods_option
@profile_options
@plan_options
@output_options
@handle_errors
def day(fmt, output, **options):
    """One day's menu that meets the DRI targets at the lowest cost.

    Example:

        planner day --age 40 --sex female --deficient magnesium,vitamin_d --format json -o day.json
    """
    _finish_plan(build_plan(days=1, max_days=1, **options), fmt, output)


def _parse_slot_kcal(ctx, param, value):
    if not value:
        return None
    shares = {}
    try:
        for part in value.split(","):
            slot, share = part.split("=")
            shares[slot.strip()] = float(share) / 100.0
    except ValueError:
        raise click.BadParameter("expected slot=percent pairs, e.g. breakfast=25,lunch=30,dinner=35,snack=10")
    unknown = set(shares) - {"breakfast", "lunch", "dinner", "snack"}
    if unknown:
        raise click.BadParameter(f"unknown slot '{sorted(unknown)[0]}'")
    return shares


@cli.command()
@click.option("--days", type=int, default=7, show_default=True)
@click.option("--max-days", type=int, default=3, show_default=True,
              help="Most days a week one food may appear (the food table may allow staples more).")
@click.option("--slot-kcal", callback=_parse_slot_kcal, metavar="SHARES",
              help="Share of the day's calories per slot, percent: breakfast=25,lunch=30,dinner=35,snack=10.")
@foods_option
@profile_options
@plan_options
@output_options
@handle_errors
def week(fmt, output, days, max_days, slot_kcal, **options):
    """A week of meals: four slots a day, whole servings, variety across days.

    Vitamin D and B12 may be met as the week's average; everything else every day.

    Example:

        planner week --sex female --age 34 --diet vegan --deficient calcium,vitamin_d,vitamin_b12 -o week.json --format json
    """
    _finish_plan(build_plan(days=days, max_days=max_days, slot_kcal=slot_kcal, **options), fmt, output)


@cli.command()
@click.argument("plan_path", metavar="PLAN.json")
@foods_option
@output_options
@handle_errors
def check(plan_path, foods_path, fmt, output):
    """Recompute a plan's totals from the food table and test them against its targets.

    Exit 0 when every target holds, 1 with the failing rows otherwise.

    Example:

        planner check week.json
    """
    from planner import check_plan, load_foods, read_plan
    from planner.report import render_frame

    plan = read_plan(plan_path)
    foods = load_foods(foods_path)
    failures = check_plan(plan, foods)
    if failures.empty:
        click.echo(f"OK: {len(plan.days)} day(s), {len(plan.targets)} targets, every total recomputed from "
                   f"{foods.source} holds.", err=True)
        return
    emit(render_frame(failures, fmt, "Failing targets"), output, fmt)
    click.echo(f"FAILED: {len(failures)} target(s) do not hold.", err=True)
    sys.exit(1)


@cli.command()
@foods_option
@profile_options
@output_options
@handle_errors
def targets(fmt, output, foods_path, age, sex, pregnant, lactating, kcal, deficient, max_caffeine, targets_path):
    """The targets a plan will use: floor, ceiling, unit and source.

    Example:

        planner targets --age 72 --sex male --deficient vitamin_d
    """
    from planner import load_foods, load_targets, make_profile, targets_for
    from planner.report import render_targets

    profile = make_profile(age, sex, pregnant, lactating, kcal)
    if targets_path:
        table = load_targets(targets_path, load_foods(foods_path))
    else:
        table = targets_for(profile, _split(deficient), max_caffeine)
    click.echo(f"Profile: {profile.describe()}", err=True)
    emit(render_targets(table, fmt), output, fmt)


def main() -> None:
    cli(prog_name="planner")


if __name__ == "__main__":
    main()
