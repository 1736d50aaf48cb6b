"""The `planner` command: parse options, call the library, print. No planning logic lives here."""

from __future__ import annotations

import functools
import sys
from dataclasses import replace
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
        click.option("--max-caffeine", type=float, metavar="MG",
                     help="Caffeine ceiling, mg a day (a default applies when twitching or cramps are named)."),
        click.option("--symptom", "symptoms", multiple=True, metavar="TEXT",
                     help="A symptom in plain words, e.g. \"eyelid twitching\"; raises the nutrients linked to it."),
        click.option("--duration-days", type=float, metavar="DAYS", help="How long the symptoms have lasted."),
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


def symptom_targets(profile, deficient: tuple[str, ...], max_caffeine, symptoms, duration_days):
    """Targets and the guidance for any symptoms named; red flags go to stderr first, always."""
    from planner import targets_for
    from planner.symptoms import CAFFEINE_SOURCE, guidance

    advice = guidance(list(symptoms), duration_days)
    for line in advice.red_flags:
        click.echo(f"SEE A DOCTOR: {line}", err=True)
    for line in advice.reasons:
        click.echo(f"Raising {line}", err=True)
    deficient = tuple(dict.fromkeys((*deficient, *advice.nutrients)))
    source = "your limit (--max-caffeine)"
    if max_caffeine is None and advice.max_caffeine_mg is not None:
        max_caffeine, source = advice.max_caffeine_mg, f"default when twitching or cramps are named: {CAFFEINE_SOURCE}"
    return targets_for(profile, deficient, max_caffeine, source), deficient, advice


def build_plan(days: int, max_days: int, foods_path, age, sex, pregnant, lactating, kcal, deficient, max_caffeine,
               targets_path, symptoms, duration_days, diet, exclude, include, like, portions, budget, budget_per,
               solver, time_limit, slot_kcal=None):
    from planner import FoodChoice, PlanRequest, Rules, load_foods, load_targets, make_plan, make_profile

    foods = load_foods(foods_path)
    profile = make_profile(age, sex, pregnant, lactating, kcal)
    deficient = _split(deficient)
    lifestyle: tuple[str, ...] = ()
    if targets_path:
        targets = load_targets(targets_path, foods)
    else:
        targets, deficient, advice = symptom_targets(profile, deficient, max_caffeine, symptoms, duration_days)
        lifestyle = advice.lifestyle
    rules = Rules(portions=portions, solver=solver, time_limit=time_limit,
                  budget_per_day=budget if budget is not None and budget_per == "day" else None,
                  **({"slot_shares": slot_kcal} if slot_kcal else {}))
    request = PlanRequest(profile=profile, choice=FoodChoice(diet, _split(exclude), _split(include), _split(like)),
                          rules=rules, days=days, max_days=max_days, deficient=deficient,
                          budget_per_week=budget if budget is not None and budget_per == "week" else None)
    if budget is not None and budget <= 0:
        raise errors.InputError("--budget", f"expected dollars > 0, got {budget:g}")
    click.echo(f"Profile: {profile.describe()}; diet {diet}"
               + (f"; raising: {', '.join(deficient)}" if deficient else ""), err=True)
    plan = make_plan(foods, targets, request)
    return replace(plan, notes=(*plan.notes, *lifestyle)) if lifestyle else plan


def _finish_plan(plan, fmt: str, output: str | None) -> None:
    from planner.report import render_plan

    emit(render_plan(plan, fmt), output, fmt)
    if not plan.is_ok:
        if output or fmt in ("json", "csv"):
            # The SHORT lines are not on stdout in these cases: say them here.
            from planner.report import _shortfall_lines

            for line in _shortfall_lines(plan):
                click.echo(line, err=True)
        names = ", ".join(sorted({s.nutrient for s in plan.shortfalls}))
        click.echo(f"Targets not met: {names} (the closest plan is shown; see SHORT lines).", err=True)
        sys.exit(1)


def _version() -> str:
    """The installed version; a source checkout that was never installed says so instead of failing."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("planner")
    except PackageNotFoundError:
        return "unknown (running from a source checkout that is not installed)"


@click.group()
@click.version_option(version=_version(), prog_name="planner")
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
def targets(fmt, output, foods_path, age, sex, pregnant, lactating, kcal, deficient, max_caffeine, targets_path,
            symptoms, duration_days):
    """The targets a plan will use: floor, ceiling, unit and source; with --symptom, why.

    Advice only: no plan is made. Symptoms map to nutrients through a small
    vocabulary (kinds such as twitching, cramps, tingling; places such as
    eyelid, calves, mouth); red flags print a "see a doctor" line first.

    Example:

        planner targets --age 72 --sex male --symptom "eyelid twitching" --symptom "calf cramps"
    """
    from planner import load_foods, load_targets, make_profile
    from planner.report import render_targets

    profile = make_profile(age, sex, pregnant, lactating, kcal)
    click.echo(f"Profile: {profile.describe()}", err=True)
    if targets_path:
        table = load_targets(targets_path, load_foods(foods_path))
        advice_lines: tuple[str, ...] = ()
    else:
        table, _, advice = symptom_targets(profile, _split(deficient), max_caffeine, symptoms, duration_days)
        advice_lines = advice.lifestyle
    emit(render_targets(table, fmt), output, fmt)
    for line in advice_lines:
        click.echo(line, err=True)
    click.echo("For information only, not medical advice.", err=True)


# --- foods (FoodData Central) ---
def fdc_options(command: Callable) -> Callable:
    """Options of the commands that call the FoodData Central API."""
    options = [
        click.option("--api-key", envvar="FDC_API_KEY", metavar="KEY",
                     help="data.gov API key (or env FDC_API_KEY; DEMO_KEY: 30 requests an hour)."),
        click.option("--api-url", envvar="FDC_API_URL", metavar="URL", default="https://api.nal.usda.gov/fdc",
                     show_default=True, help="FoodData Central base URL (or env FDC_API_URL)."),
        click.option("--cache-dir", envvar="PLANNER_CACHE_DIR", metavar="DIR",
                     help="Where answers are cached (or env PLANNER_CACHE_DIR; default ~/.cache/planner)."),
        click.option("--no-cache", is_flag=True, help="Ask the API every time; cache nothing."),
        click.option("--timeout", type=float, default=15.0, show_default=True, help="Seconds to wait per call."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _fdc_client(api_key, api_url, cache_dir, no_cache, timeout):
    from planner.fdc_client import FdcClient

    return FdcClient(api_key, api_url, cache_dir=cache_dir, use_cache=not no_cache, timeout=timeout,
                     warn=lambda message: click.echo(f"Warning: {message}", err=True))


@cli.group()
def foods() -> None:
    """Find USDA FoodData Central foods and put them in a food table.

    Example:

        planner foods search "white beans" --api-key DEMO_KEY
    """


@foods.command("search")
@click.argument("query")
@click.option("--data-type", "data_type", default="Foundation,SR Legacy", show_default=True,
              help="Comma-separated: Foundation, SR Legacy, Survey (FNDDS), Branded.")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--page-size", type=int, default=25, show_default=True, help="1-200 foods a page.")
@fdc_options
@output_options
@handle_errors
def foods_search(query, data_type, page, page_size, api_key, api_url, cache_dir, no_cache, timeout, fmt, output):
    """Foods matching QUERY with magnesium, calcium, potassium, vitamin D and B12 per 100 g.

    Example:

        planner foods search "sardines canned" --data-type "SR Legacy" --page 2
    """
    from planner.report import render_frame

    with _fdc_client(api_key, api_url, cache_dir, no_cache, timeout) as client:
        result = client.search(query, _split((data_type,)), page, page_size)
    emit(render_frame(result.foods, fmt, f"FoodData Central: {query}"), output, fmt)
    click.echo(result.summary().capitalize() + ".", err=True)


@foods.command("add")
@click.argument("fdc_ids", nargs=-1, type=int, required=True, metavar="FDC_ID...")
@click.option("--foods", "foods_path", metavar="PATH", required=True,
              help="The table to add to (created with the standard header if absent).")
@fdc_options
@output_options
@handle_errors
def foods_add(fdc_ids, foods_path, api_key, api_url, cache_dir, no_cache, timeout, fmt, output):
    """Add foods by FDC id to a food table, ready to plan with.

    Each food gets food_id fdc_<id>, nutrients per 100 g, a household serving, and slots,
    role and tags GUESSED from its FDC category; serving_source says what the guess rests
    on, so check and edit them. Ids FDC does not know are reported; the others are still
    added (exit 1 then). The table is replaced atomically.

    Example:

        planner foods add 173757 175168 --foods my_foods.csv
    """
    from planner.fdc_client import add_foods
    from planner.report import render_frame

    with _fdc_client(api_key, api_url, cache_dir, no_cache, timeout) as client:
        result = add_foods(client, fdc_ids, foods_path)
    for note in result.skipped:
        click.echo(f"Skipped {note}.", err=True)
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    if not result.added.empty:
        emit(render_frame(result.added, fmt, "Added foods"), output, fmt)
    verb = "created" if result.created and not result.added.empty else "updated"
    click.echo(f"{len(result.added)} food(s) added; {foods_path} {verb if len(result.added) else 'unchanged'}.",
               err=True)
    if result.missing:
        click.echo(f"Error: FoodData Central knows no food with id {', '.join(map(str, result.missing))}.", err=True)
        sys.exit(1)


@foods.command("enrich")
@click.option("--foods", "foods_path", metavar="PATH",
              help="The table to refresh (default: the embedded one, dry run only).")
@click.option("--write/--dry-run", default=False, show_default=True,
              help="Replace the table (atomically) or only show what would change.")
@fdc_options
@output_options
@handle_errors
def foods_enrich(foods_path, write, api_key, api_url, cache_dir, no_cache, timeout, fmt, output):
    """Refresh every food with an fdc_id from FoodData Central and show what changed.

    Nutrients, usda_description and (for changed foods) nutrient_source are refreshed;
    values FDC does not send are kept. A dry run by default; with --write the table is
    replaced atomically, and only when every call succeeded.

    Example:

        planner foods enrich --foods my_foods.csv --write
    """
    from planner.fdc_client import check_writable, enrich_table, write_enriched
    from planner.foods import default_foods_path
    from planner.report import render_frame

    path = foods_path or str(default_foods_path())
    if write:
        check_writable(foods_path)
    with _fdc_client(api_key, api_url, cache_dir, no_cache, timeout) as client:
        with click.progressbar(length=1, label="FoodData Central", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done)

            result = enrich_table(client, path, progress=progress)
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    if not result.changes.empty:
        emit(render_frame(result.changes, fmt, "Changes"), output, fmt)
    summary = (f"{result.checked} food(s) with an fdc_id; {len(result.changes)} value(s) changed in "
               f"{result.changed_foods} food(s)")
    if result.missing:
        summary += f"; unknown to FoodData Central: {', '.join(result.missing)}"
    if write and not result.changes.empty:
        write_enriched(result, foods_path)
        click.echo(f"{summary}; wrote {foods_path}.", err=True)
    else:
        click.echo(f"{summary}; " + ("nothing to write." if result.changes.empty
                                     else "dry run, nothing written (use --write)."), err=True)


@foods.command("import")
@click.argument("path", metavar="PATH")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the table here (atomically).")
@handle_errors
def foods_import(path, output):
    """Turn FDC's bulk CSV download (zip or folder; SR Legacy and Foundation) into a food table.

    Offline. Servings come from FDC portions; slots, role and tags are guessed from food
    categories (stated in serving_source); foods nobody eats by the serving (baby foods,
    flours, raw meat, ...) get role ingredient. PATH may also be 'sr-legacy' (the
    shipped extract).

    Example:

        planner foods import FoodData_Central_sr_legacy_food_csv_2018-04.zip -o sr_legacy.csv
    """
    from planner.fdc_bulk import import_bulk

    result = import_bulk(path)
    emit(result.text, output, "csv")
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(f"{result.foods} foods ({result.kept_out} kept out of plans as role ingredient).", err=True)
# --- end foods ---


@cli.command()
@click.argument("plan_path", metavar="PLAN.json")
@foods_option
@output_options
@handle_errors
def explain(plan_path, foods_path, fmt, output):
    """Why each food is there: top sources per nutrient, how close each day runs to its
    floor and ceiling, and what raising each floor would cost.

    Example:

        planner explain week.json
    """
    import json

    from planner import load_foods, read_plan
    from planner.explain import explain as explain_plan
    from planner.explain import render_explanation
    from planner.report import render_frame

    ex = explain_plan(read_plan(plan_path), load_foods(foods_path))
    if fmt == "json":
        text = json.dumps({name: json.loads(getattr(ex, name).to_json(orient="records"))
                           for name in ("sources", "closeness", "prices")}, indent=2) + "\n"
    elif fmt in ("csv", "md"):
        text = render_frame(ex.prices, fmt, "What each target costs")
    else:
        text = render_explanation(ex)
    emit(text, output, fmt)


# --- shop ---
@cli.command()
@click.argument("plan_path", metavar="PLAN.json")
@click.option("--pantry", "pantry_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="What you already have: a CSV with food_id and grams (as bought) or servings.")
@click.option("--people", type=click.IntRange(1, 100), default=1, show_default=True,
              help="How many people eat the plan: every amount is scaled by it.")
@foods_option
@output_options
@handle_errors
def shop(plan_path, pantry_path, people, foods_path, fmt, output):
    """The plan's shopping list: foods summed over its days, in packages, by aisle, with the cost.

    Cooked foods are bought raw or dry (grams eaten / edible yield); packages are
    rounded up and what is left over is stated. Foods with no package size are
    listed in grams; foods with no sourced price are named and kept out of the total.
    --format md gives a checklist to print or paste into a notes app.

    Example:

        planner shop week.json --people 2 --pantry pantry.csv --format md -o shopping.md
    """
    from planner import load_foods, read_plan
    from planner.shopping import load_pantry, render_shopping, shopping_list, total_line

    plan = read_plan(plan_path)
    foods = load_foods(foods_path)
    pantry = load_pantry(pantry_path, foods) if pantry_path else None
    frame = shopping_list(plan, foods, people=people, pantry=pantry)
    title = f"Shopping list: {len(plan.days)} day(s), {people} {'person' if people == 1 else 'people'}"
    emit(render_shopping(frame, fmt, title), output, fmt)
    if output or fmt in ("csv", "json"):
        click.echo(total_line(frame), err=True)
# --- end shop ---


def main() -> None:
    cli(prog_name="planner")


if __name__ == "__main__":
    main()
