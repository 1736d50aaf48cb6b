"""The `planner` command: parse options into a request, make one library call, render. No planning here."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable

import click

from planner import errors
from planner.plan import DISCLAIMER
from planner.render import FORMATS, format_for

# Request fields whose option is not simply `--field-name`.
OPTION_NAMES = {"symptoms": "--symptom", "custom_targets": "--targets", "slot_shares": "--slot-kcal",
                "amounts_only": "--meals", "output": "-o/--output", "query": "QUERY",
                "api_key": "--api-key (or FDC_API_KEY)", "api_url": "--api-url (or FDC_API_URL)",
                "plan": "PLAN.json", "path": "PATH"}


def option_name(field: str) -> str:
    return OPTION_NAMES.get(field, "--" + field.replace("_", "-"))


class OptionError(click.ClickException):
    """A value an option cannot take, or another usage error: one line, exit 2."""

    exit_code = 2


def usage_line(exc: click.UsageError, path: str) -> click.ClickException:
    """Click's usage error as one line that says where the help is, instead of the usage; a bare group's help stays."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        return exc
    message = " ".join(exc.format_message().split()).removesuffix(".")
    return OptionError(f"{message} (see '{exc.ctx.command_path if exc.ctx else path} --help')")


class PlannerGroup(click.Group):
    """Every error becomes one line on stderr: exit 2 for a usage error or an option's value, 1 for any other."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise usage_line(exc, info_name) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:   # a command's options are parsed here, and a few errors carry no context
            raise usage_line(exc, f"{ctx.command_path} {ctx.invoked_subcommand}") from None
        except errors.PlannerError as exc:
            if exc.source is None and exc.field is not None:
                raise OptionError(exc.describe(option_name)) from None
            raise click.ClickException(exc.describe(option_name)) from None


def say(*lines: str) -> None:
    for line in lines:
        click.echo(line, err=True)


def emit(obj, fmt: str | None, output: str | None, *inputs: str | None) -> None:
    """Data to stdout, or written whole to a file (with a line on stderr saying so); no `fmt`: the file's name's."""
    from planner.files import refuse_overwriting
    from planner.render import render

    refuse_overwriting(output, *inputs)
    fmt = fmt or format_for(output)
    write_text(render(obj, fmt), fmt, output)


def write_text(text: str, fmt: str, output: str | None) -> None:
    from planner.files import write_atomic

    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        say(f"wrote {output} ({fmt})")


def _options(*options) -> Callable[[Callable], Callable]:
    """Several click options as one decorator, in the order given."""
    return lambda command: functools.reduce(lambda decorated, option: option(decorated), reversed(options), command)


def _output(ctx, param, value: str | None) -> str | None:
    """An output must be a file one may write: checked before any work is done."""
    from planner.files import output_target

    if value is not None:
        try:
            output_target(value)
        except errors.PlannerError as exc:
            raise OptionError(exc.describe(option_name)) from None
    return value


output_options = _options(
    click.option("--format", "fmt", type=click.Choice(FORMATS),
                 help="Output format [default: from the -o file's name (.json, .csv, .md, .html), else table]."),
    click.option("-o", "--output", callback=_output, help="Write to this file (whole or not at all)."))
foods_option = click.option("--foods", metavar="PATH", help="Food table CSV (default: the embedded foods.csv; "
                                                           "'fndds' or 'sr-legacy' for all of that USDA database).")
profile_options = _options(
    click.option("--age", type=float, help="Age in years (default profile: woman, 35)."),
    click.option("--sex", type=click.Choice(["female", "male"])),
    click.option("--pregnant", is_flag=True),
    click.option("--trimester", type=int, metavar="1|2|3",
                 help="With --pregnant: the trimester, for the calories it adds (IOM 2009, by trimester)."),
    click.option("--lactating", is_flag=True),
    click.option("--kcal", type=float, help="Calories a day (default: Dietary Guidelines estimate, moderately "
                                            "active), held within 10%."),
    click.option("--deficient", multiple=True, metavar="NUTRIENTS",
                 help="Nutrients to raise 25% above the RDA or AI (never past a UL), e.g. magnesium,vitamin_d."),
    click.option("--max-caffeine", type=float, metavar="MG",
                 help="Caffeine ceiling, mg a day (a default applies when twitching or cramps are named)."),
    click.option("--symptom", "symptoms", multiple=True, metavar="TEXT",
                 help="A symptom in plain words, e.g. \"eyelid twitching\"; raises the nutrients linked to it."),
    click.option("--duration-days", type=float, metavar="DAYS", help="How long the symptoms have lasted."),
    click.option("--targets", "targets_path", metavar="FILE",
                 help="A targets CSV (nutrient,min,max) that replaces the default targets; ULs still hold."),
    click.option("--absorbable-calcium", is_flag=True, help="Count calcium as absorbed (each food's fraction, "
                 "cited; default 0.321, milk's) against the RDA x 0.321."))
plan_options = _options(
    foods_option,
    click.option("--diet", type=click.Choice(["omnivore", "pescatarian", "vegetarian", "vegan"]),
                 default="omnivore", show_default=True),
    click.option("--exclude", multiple=True, metavar="TAGS_OR_FOODS",
                 help="Tags (nuts: tree nuts; peanuts, shellfish, wheat, sesame, dairy ...) or food ids never to use."),
    click.option("--include", multiple=True, metavar="FOODS", help="Food ids that must appear, every day."),
    click.option("--like", multiple=True, metavar="FOODS", help="Food ids or tags (fish, soy ...) to favour."),
    click.option("--portions", type=click.Choice(["half", "whole", "exact"]), default="half", show_default=True,
                 help="Half or whole household servings, or exact grams (research)."),
    click.option("--budget", type=float, metavar="DOLLARS", help="Most to spend a day (see --budget-per)."),
    click.option("--budget-per", type=click.Choice(["day", "week"]), default="day", show_default=True,
                 help="What --budget buys: a day, or a week (7 days, whatever --days; a day may spend what "
                      "earlier days saved)."),
    click.option("--solver", type=click.Choice(["highs", "cbc"]), default="highs", show_default=True),
    click.option("--time-limit", type=float, default=10.0, show_default=True,
                 help="Seconds the solver may spend on each day."),
    click.option("--cheapest", is_flag=True, help="The minimum-cost plan, not the one nearest how people eat."),
    click.option("--meals", type=click.Choice(["slots", "none"]), default="slots", show_default=True,
                 help="none: the plain diet problem, grams of each food at the least cost (no meals or portions)."))


def request_from_options(targets_path=None, slot_kcal=None, meals="slots", **options):
    """The options of `day`, `week` and `targets` as a PlanRequest; every value is checked by the library."""
    from planner.request import parse_slot_shares
    from planner.request import request_from_options as from_values
    from planner.targets import read_targets_file

    return from_values(custom_targets=None if targets_path is None else read_targets_file(targets_path),
                       slot_shares=parse_slot_shares(slot_kcal) if slot_kcal else None, amounts_only=meals == "none",
                       **options)


def _plan(fmt: str, output: str | None, **options) -> None:
    """Make the plan, print or write it; the shortfalls, if any, on stderr too, and exit 1."""
    from planner import make_plan
    from planner.render import message_lines, shortfall_lines, unmet_line

    said: list[str] = []
    plan = make_plan(request_from_options(**options), say=lambda *lines: (said.extend(lines), say(*lines)))
    emit(plan, fmt := fmt or format_for(output), output)
    if fmt == "csv":   # its rows are the meals alone: the rest is said here, what planning said not again
        say(*message_lines(plan, said))
    if not plan.is_ok:   # the SHORT lines are on stdout only in a table or Markdown there
        say(*(shortfall_lines(plan) if output or fmt in ("json", "csv", "html") else ()), unmet_line(plan))
        sys.exit(1)


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--version, read only when asked for (the installed metadata costs 30 ms a command)."""
    if value and not ctx.resilient_parsing:
        from importlib.metadata import PackageNotFoundError, version

        shown = "unknown (running from a source checkout that is not installed)"
        with contextlib.suppress(PackageNotFoundError):
            shown = version("planner")
        click.echo(f"planner, version {shown}")
        ctx.exit()


# Commands, option names and choices are read in any case and without spaces around them: --diet Vegan is vegan.
@click.group(cls=PlannerGroup, context_settings={"token_normalize_func": lambda word: word.strip().casefold()})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and exit.")
def cli() -> None:
    """Plan meals that raise magnesium, calcium, potassium, vitamin D and B12.

    For information only, not medical advice.
    """


@cli.command()
@profile_options
@plan_options
@output_options
def day(fmt, output, **options):
    """One day's menu that meets the DRI targets, at a low cost and shaped as people eat (--cheapest: least cost).

    \b
    Example:
        planner day --age 40 --sex female --deficient magnesium,vitamin_d -o day.json
    """
    _plan(fmt, output, **options)


@cli.command()
@click.option("--days", type=int, default=7, show_default=True)
@click.option("--max-days", type=int, default=3, show_default=True,
              help="Most days a week one food may appear (the food table may allow staples more).")
@click.option("--slot-kcal", metavar="SHARES",
              help="Percent of the day's calories per slot (0: not eaten): breakfast=25,lunch=30,dinner=35,snack=10.")
@profile_options
@plan_options
@output_options
def week(fmt, output, **options):
    """A week of meals: four slots a day, whole servings, variety across days.

    Vitamin D and B12 may be met as the week's average; everything else every day. --format html (or
    -o NAME.html) writes one page (meals, targets by day, food groups, shopping list) to open on a phone or print.

    \b
    Example:
        planner week --sex female --age 34 --diet vegan --deficient calcium,vitamin_d,vitamin_b12 -o week.json
        planner week -o week.html
    """
    _plan(fmt, output, **options)


@cli.command()
@click.argument("people_path", metavar="PEOPLE.csv")
@click.option("-o", "--output", required=True, metavar="FOLDER", help="Where the plans go (made if missing).")
@foods_option
@click.option("--jobs", type=click.IntRange(1), help="Worker processes or Dask workers (default: one per core).")
@click.option("--dask", is_flag=True, help="Plan on a local Dask cluster of --jobs workers (planner[dask]).")
@click.option("--scheduler", metavar="ADDRESS", help="Plan on the Dask cluster at ADDRESS (tcp://host:8786).")
@click.option("--shopping", is_flag=True, help="Also one shopping list for everybody: shopping.csv and .md.")
def batch(people_path, output, foods, jobs, dask, scheduler, shopping):
    """A plan per row of PEOPLE.csv (id, and week options: age, sex, deficient, diet, days ...), made in parallel;
    run again after a stop, it makes only the plans missing. Example: planner batch people.csv -o plans/ --shopping"""
    from planner.batch import run_batch
    with click.progressbar((_ for _ in ()), label="Planning", file=sys.stderr, item_show_func=lambda item: item,
                           hidden=not sys.stderr.isatty()) as bar:
        result = run_batch(people_path, output, foods, jobs, dask, scheduler, shopping,
                           progress=lambda outcome, done, total: bar.update(1, f"{done}/{total} {outcome.id}"))
    say(*result.urgent_lines(), *result.notes, *result.skipped_lines(), result.summary_line())
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.argument("plan_path", metavar="PLAN.json")
@foods_option
@output_options
def check(plan_path, foods, fmt, output):
    """Recompute a plan's targets from its request and its totals and costs from the food table, and test them
    (its foods against the diet and exclusions, its days against the budget too).

    Exit 0 when every check holds, 1 with the failing rows otherwise. The food table defaults to the plan's.

    \b
    Example:
        planner check week.json
    """
    from planner import check_plan, read_plan

    result = check_plan(read_plan(plan_path), foods)
    emit(result, fmt, output, plan_path)
    if output is not None or fmt in ("json", "csv"):  # a report on stdout opens with the verdict already
        say(result.summary())
    if not result.ok:
        sys.exit(1)


@cli.command()
@foods_option
@profile_options
@output_options
def targets(fmt, output, **options):
    """The targets a plan will use: floor, ceiling, unit and source; with --symptom, why.

    Advice only: no plan is made. Red flags in the symptoms print a "see a doctor" line first.

    \b
    Example:
        planner targets --age 72 --sex male --symptom "eyelid twitching" --symptom "calf cramps"
    """
    from planner import targets_for_request
    from planner.advice import doctor_lines, profile_line, symptom_lines, target_notes
    from planner.files import refuse_overwriting

    refuse_overwriting(output, options.get("targets_path"))  # before any line is said: the refusal is the one line
    request = request_from_options(**options)
    result = targets_for_request(request)
    say(*doctor_lines(result.guidance), *symptom_lines(result.guidance), profile_line(request, result, diet=False),
        *target_notes(request, result))
    emit(result, fmt, output, options.get("targets_path"))
    say(*(result.guidance.lifestyle if result.guidance else ()), DISCLAIMER)


@cli.command()
@click.argument("plan_path", metavar="PLAN.json")
@foods_option
@output_options
def explain(plan_path, foods, fmt, output):
    """Why each food is there: top sources per nutrient, how close each day runs to its
    floor and ceiling, and what raising each floor would cost.

    \b
    Example:
        planner explain week.json
    """
    from planner import explain as explain_plan
    from planner import read_plan

    emit(explain_plan(read_plan(plan_path), foods), fmt, output, plan_path)


@cli.command()
@click.argument("plan_path", metavar="PLAN.json")
@click.option("--pantry", "pantry_path", metavar="FILE",
              help="What you already have: a CSV with food_id and grams (as eaten), servings or packages.")
@click.option("--people", type=click.IntRange(1, 100), default=1, show_default=True,
              help="How many people eat the plan: every amount is scaled by it.")
@foods_option
@output_options
def shop(plan_path, pantry_path, people, foods, fmt, output):
    """The plan's shopping list: foods summed over its days, in packages, by aisle, with the cost.

    Packages are what a shop sells (a pound of dry lentils makes 1,120 g cooked), rounded up,
    with what is left over. Foods with no package size are listed in grams as eaten (a cooked
    food's cooked weight); foods with no sourced price are named and kept out of the total.
    --format md gives a checklist to print or paste into a notes app; --format html a
    page with boxes to tick.

    \b
    Example:
        planner shop week.json --people 2 --pantry pantry.csv --format md -o shopping.md
    """
    from planner import read_plan, shopping_list

    result = shopping_list(read_plan(plan_path), foods, people=people, pantry=pantry_path)
    emit(result, fmt, output, plan_path, pantry_path)
    if output or fmt in ("csv", "json", "html"):
        say(result.total_line())


# --- foods: USDA FoodData Central ---
def with_fdc_client(command: Callable) -> Callable:
    """The options that reach FoodData Central, turned into one client the command gets as `client`."""

    @_options(
        click.option("--api-key", envvar="FDC_API_KEY", metavar="KEY",
                     help="data.gov API key (or env FDC_API_KEY; DEMO_KEY: 30 requests an hour)."),
        click.option("--api-url", envvar="FDC_API_URL", metavar="URL", default="https://api.nal.usda.gov/fdc",
                     show_default=True, help="FoodData Central base URL (or env FDC_API_URL)."),
        click.option("--cache-dir", envvar="PLANNER_CACHE_DIR", metavar="DIR",
                     help="Where answers are cached (or env PLANNER_CACHE_DIR; default ~/.cache/planner)."),
        click.option("--no-cache", is_flag=True, help="Ask the API every time; cache nothing."),
        click.option("--timeout", type=float, default=15.0, show_default=True,
                     help="Seconds one call to FoodData Central may take, retries and waits included."))
    @functools.wraps(command)
    def wrapper(api_key, api_url, cache_dir, no_cache, timeout, **options):
        from planner.sources.fdc_api import FdcClient

        with FdcClient(api_key, api_url, cache_dir=cache_dir, use_cache=not no_cache, timeout=timeout,
                       warn=lambda message: say(f"Warning: {message}")) as client:
            return command(client=client, **options)

    return wrapper


@cli.group(cls=PlannerGroup)
def foods() -> None:
    """Find USDA FoodData Central foods and put them in a food table.

    \b
    Example:
        planner foods search "white beans" --api-key DEMO_KEY
    """


@foods.command("search")
@click.argument("query")
@click.option("--data-type", default="Foundation,SR Legacy", show_default=True,
              help="Comma-separated: Foundation, SR Legacy, Survey (FNDDS), Branded.")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--page-size", type=int, default=25, show_default=True, help="1-200 foods a page.")
@with_fdc_client
@output_options
def foods_search(client, query, data_type, page, page_size, fmt, output):
    """Foods matching QUERY with magnesium, calcium, potassium, vitamin D and B12 per 100 g.

    \b
    Example:
        planner foods search "sardines canned" --data-type "SR Legacy" --page 2
    """
    from planner.request import split_list
    result = client.search(query, split_list(data_type), page, page_size)
    emit(result.foods, fmt, output)
    say(result.summary().capitalize() + ".")


@foods.command("add")
@click.argument("fdc_ids", nargs=-1, type=click.IntRange(min=1), required=True, metavar="FDC_ID...")
@click.option("--foods", "foods_path", metavar="PATH", required=True,
              help="The table to add to (created with the standard header if absent).")
@with_fdc_client
@output_options
def foods_add(client, fdc_ids, foods_path, fmt, output):
    """Add foods by FDC id to a food table, ready to plan with.

    Slots, role and tags are GUESSED from the FDC category (serving_source says on what):
    check and edit them. Ids FDC does not know are named and the rest added (exit 1 then).

    \b
    Example:
        planner foods add 173757 175168 --foods my_foods.csv
    """
    from planner.sources.fdc_tables import add_foods

    result = add_foods(client, fdc_ids, foods_path)
    say(*result.messages())
    if not result.added.empty:
        emit(result.added, fmt, output, foods_path)
    say(result.summary(foods_path))
    if result.missing:
        sys.exit(1)


@foods.command("enrich")
@click.option("--foods", "foods_path", metavar="PATH",
              help="The table to refresh (default: the embedded one, dry run only).")
@click.option("--write/--dry-run", default=False, show_default=True,
              help="Replace the table (whole or not at all) or only show what would change.")
@with_fdc_client
@output_options
def foods_enrich(client, foods_path, write, fmt, output):
    """Refresh every food with an fdc_id from FoodData Central and show what changed.

    Values FDC does not send are kept. With --write the table is replaced only when every call succeeded.

    \b
    Example:
        planner foods enrich --foods my_foods.csv --write
    """
    from planner.sources.fdc_tables import enrich_table

    with contextlib.ExitStack() as stack:
        bars: list = []

        def progress(done: int, total: int) -> None:
            if not bars:  # shown once the calls begin: a table refused before them gets its one line
                bars.append(stack.enter_context(click.progressbar(length=max(total, 1), label="FoodData Central",
                                                                  file=sys.stderr, hidden=not sys.stderr.isatty())))
            bars[0].update(done)

        result = enrich_table(client, foods_path, write=write, progress=progress)
    say(*(f"Note: {note}" for note in result.notes))
    if not result.changes.empty:
        emit(result.changes, fmt, output, foods_path)
    say(result.summary(foods_path, write))


@foods.command("import")
@click.argument("path", metavar="PATH")
@click.option("-o", "--output", callback=_output, help="Write the table here (whole or not at all).")
def foods_import(path, output):
    """Turn FDC's bulk CSV download (zip or folder; SR Legacy and Foundation) into a food table, offline.

    Foods nobody eats by the serving (baby foods, flours, raw meat) get role ingredient; PATH may be 'sr-legacy'.

    \b
    Example:
        planner foods import FoodData_Central_sr_legacy_food_csv_2018-04.zip -o sr_legacy.csv
    """
    from planner.files import refuse_overwriting
    from planner.sources.fdc_bulk import import_bulk

    if format_for(output) not in ("csv", "table"):   # a food table is CSV, whatever else the name says
        raise OptionError(f"--output: a food table is written as CSV: name it .csv, not {output}")
    refuse_overwriting(output, path)
    result = import_bulk(path)
    write_text(result.text, "csv", output)
    say(*(f"Note: {note}" for note in result.notes))
    say(f"{result.foods} foods ({result.kept_out} kept out of plans as role ingredient).")


def main() -> None:
    cli(prog_name="planner")


if __name__ == "__main__":
    main()
