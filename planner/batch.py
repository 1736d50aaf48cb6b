"""Plans for a table of people: one JSON plan per person in a folder, a summary, a shopping list for all.

    >>> from planner.batch import run_batch
    >>> result = run_batch("people.csv", "plans")          # doctest: +SKIP
    >>> result.summary[["id", "status", "cost"]]           # doctest: +SKIP

Each person is planned by `make_plan` exactly as `planner week --format json` would plan
the same values, and the plan is written whole (a temporary file, then a rename) as soon
as it is made, so a run that is stopped loses only the plans being made at that moment.
A plan already in the folder, complete and made from the same request and food table,
is kept and not made again: running the same command after a stop finishes the rest.

The plans are made in worker processes, each sent the food table once (`jobs`, by
default one per core), or on a Dask cluster (`planner.batch_dask`). Either way the
workers return the plan's text and this process writes every file, so a file is written
once, by one writer, whichever worker made it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from planner import nutrients
from planner.calcium import table_for
from planner.errors import InputError, PlannerError
from planner.files import refuse_overwriting, write_atomic
from planner.foods import FoodTable
from planner.people import Person, RowError, read_people, row_error
from planner.plan import Plan, read_plan
from planner.planning import make_plan
from planner.render import render
from planner.shopping import ShoppingList, list_for_grams
from planner.sources import load_foods, table_reference
from planner.symptoms import DOCTOR_PREFIXES

SUMMARY = "summary.csv"
SHOPPING = ("shopping.csv", "shopping.md")
SUMMARY_COLUMNS = ["id", "row", "status", "cost", "shortfalls", "seconds", "cpu_seconds", "resumed", "message",
                   "urgent"]


@dataclass(frozen=True)
class Outcome:
    """One person's result as the worker sends it back: the plan's JSON text, or why there is none."""

    id: str
    text: str | None                 # the plan as `planner week --format json` writes it
    cost: float | None = None
    shortfalls: tuple[str, ...] = ()  # nutrient columns below their floor
    seconds: float | None = None      # planning time in the worker; None for a plan kept from an earlier run
    cpu_seconds: float | None = None  # CPU time of the worker process for it (what a cluster is sized by)
    error: str | None = None
    eaten: dict[str, float] = field(default_factory=dict)   # grams of each food over the plan's days
    resumed: bool = False
    urgent: tuple[str, ...] = ()      # the plan's URGENT lines: a symptom that needs help now, not a diet

    @property
    def status(self) -> str:
        return "error" if self.error else "short" if self.shortfalls else "ok"


def _outcome(person_id: str, plan: Plan, text: str | None, seconds: tuple[float, float] | None,
             resumed: bool) -> Outcome:
    eaten: dict[str, float] = {}
    for day in plan.days:
        for item in day.items:
            eaten[item.food_id] = eaten.get(item.food_id, 0.0) + item.grams
    wall, cpu = seconds or (None, None)
    # A plan with no priced food has no known cost: an empty cell in the summary, not $0.
    return Outcome(person_id, text, plan.cost if plan.priced else None,
                   tuple(sorted({s.nutrient for s in plan.shortfalls})), wall, cpu, None, eaten, resumed,
                   tuple(n for n in plan.notes if n.startswith(DOCTOR_PREFIXES[0])))


def plan_person(person: Person, foods: FoodTable, source: str) -> Outcome:
    """Plan one person over `foods` (the table this worker was given once); a PlannerError is an outcome,
    not a crash, so one person's impossible request costs only that person's plan."""
    start, cpu = time.perf_counter(), time.process_time()
    try:
        plan = make_plan(person.request, foods)
        text = render(plan, "json")
    except PlannerError as exc:
        message = row_error(exc, source, person.row).message
        return Outcome(person.id, None, seconds=time.perf_counter() - start, error=message)
    return _outcome(person.id, plan, text, (time.perf_counter() - start, time.process_time() - cpu), False)


# --------------------------------------------------------------------------- local worker processes

_WORKER_FOODS: FoodTable | None = None


def _start_worker(foods: FoodTable) -> None:
    global _WORKER_FOODS
    _WORKER_FOODS = foods
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed would wait for work forever: it ends within a second of it."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _plan_in_worker(person: Person, source: str) -> Outcome:
    assert _WORKER_FOODS is not None, "the pool's initializer gives each worker the food table"
    return plan_person(person, _WORKER_FOODS, source)


def default_jobs() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def plan_locally(people: list[Person], foods: FoodTable, source: str, jobs: int) -> Iterator[tuple[Person, object]]:
    """(person, outcome or the exception that ended its worker) as each finishes, from `jobs` worker processes
    (or this one, for one job or one person)."""
    if jobs <= 1 or len(people) <= 1:
        for person in people:
            yield person, plan_person(person, foods, source)
        return
    # Spawned workers start clean (no threads or locks copied from this process); each gets the table once.
    pool = ProcessPoolExecutor(min(jobs, len(people)), mp_context=get_context("spawn"), initializer=_start_worker,
                               initargs=(foods,))
    try:
        futures = {pool.submit(_plan_in_worker, person, source): person for person in people}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except Exception as exc:  # a worker that died (out of memory, killed) takes its plans with it
                yield futures[future], exc
    finally:
        pool.shutdown(cancel_futures=True)   # stopped early: the plans not started are not made


# --------------------------------------------------------------------------- the run

@dataclass(frozen=True)
class BatchResult:
    """What a batch did: one summary row per person (`SUMMARY_COLUMNS`), where it wrote, how long it took."""

    summary: pd.DataFrame
    directory: Path
    seconds: float
    shopping: ShoppingList | None = None
    notes: tuple[str, ...] = ()      # plans of an earlier run that were made again, and why

    @property
    def ok(self) -> bool:
        """Every row planned and every plan meets its targets."""
        return bool((self.summary["status"] == "ok").all())

    def errors(self) -> list[str]:
        return self.summary.loc[self.summary["status"] == "error", "message"].tolist()

    def urgent_lines(self) -> list[str]:
        """Each person's URGENT warnings, said before the summary: a plan file is not where they may wait."""
        rows = self.summary[self.summary["urgent"].fillna("") != ""]
        return [f"{line} (for {r.id}, row {r.row})" for r in rows.itertuples() for line in r.urgent.split(" | ")]

    def skipped_lines(self) -> list[str]:
        return [f"Skipped: {message}" for message in self.errors()]

    def summary_line(self) -> str:
        s = self.summary["status"]
        kept = int(self.summary["resumed"].sum())
        made = int((s != "error").sum()) - kept
        rate = f", {made / self.seconds:.2f} plans/s" if made and self.seconds > 0 else ""
        return (f"{_counted(len(s), 'person', 'people')}: {_counted(made + kept, 'plan')} in {self.directory}, {made} "
                f"made now ({self.seconds:.1f} s{rate}) and {kept} kept from an earlier run; "
                f"{int((s == 'short').sum())} short of a target; {_counted(int((s == 'error').sum()), 'row')} skipped; "
                f"{int((self.summary['urgent'].fillna('') != '').sum())} with an URGENT warning; "
                f"summary in {self.directory / SUMMARY}.")


def _counted(n: int, one: str, many: str | None = None) -> str:
    """`1 plan`, `2 plans`, `0 plans`; `many` for a plural that is not one + s (`people`)."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def output_folder(path: str | Path) -> Path:
    """The folder the plans go to, made if it is missing (its parent must exist)."""
    # An option's value, like `-o` of the other commands: refused with exit 2; "" is no folder, not this one.
    if str(path).strip() == "":
        raise InputError("expected a folder for the plans, got an empty name", field="output")
    folder = Path(path).expanduser()
    if folder.exists() and not folder.is_dir():
        raise InputError(f"'{path}' is a file, not a folder: give a folder for the plans", field="output")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the folder '{path}' ({exc.strerror})", field="output") from None
    return folder


def kept_plan(path: Path, person: Person, foods: FoodTable) -> Outcome | str | None:
    """The plan an earlier run wrote for this person, if it is whole and made from the same request and table;
    else None (no plan there) or why the plan there will be made again."""
    if not path.exists():
        return None
    try:
        plan = read_plan(path)
    except InputError as exc:
        return f"Planning {person.id} again: {exc.describe()}"
    # A request counting absorbable calcium plans over the table with that column added, and its plan names that.
    if plan.request.to_dict() != person.request.to_dict() \
            or plan.foods_fingerprint != table_for(person.request, foods).fingerprint:
        return f"Planning {person.id} again: {path} was made from other values or another food table."
    return _outcome(person.id, plan, None, None, True)


def run_batch(people_path: str, output: str | Path, foods: str | None = None, jobs: int | None = None,
              dask: bool = False, scheduler: str | None = None, shopping: bool = False,
              progress: Callable[[Outcome, int, int], None] | None = None) -> BatchResult:
    """Plan every person of `people_path` into `output/<id>.json`; write `output/summary.csv` (and, with
    `shopping`, one shopping list for everybody: `shopping.csv` and `shopping.md`).

    `jobs` worker processes (default: one per core) plan on this machine; `dask` runs a
    local Dask cluster of `jobs` workers instead, and `scheduler` (an address) uses that
    Dask cluster. A row that does not read as a request is skipped, with why in the summary;
    `progress(outcome, done, total)` follows each plan as it is written.
    """
    start = time.perf_counter()
    people, skipped = read_people(people_path)
    # Each plan names the table it was made from, so that `planner check` reads it without a --foods.
    reference = table_reference(foods)
    people = [replace(p, request=replace(p.request, foods=reference)) for p in people]
    if dask or scheduler:   # said before the folder is made: a refused run leaves nothing behind
        from planner.batch_dask import require_dask

        require_dask(scheduler)
    folder = output_folder(output)
    refuse_overwriting(folder / SUMMARY, people_path)
    table = load_foods(foods)
    outcomes: dict[str, Outcome] = {}
    notes = []
    for person in people:
        kept = kept_plan(folder / f"{person.id}.json", person, table)
        if isinstance(kept, Outcome):
            outcomes[person.id] = kept
        elif kept is not None:
            notes.append(kept)
    todo = [p for p in people if p.id not in outcomes]
    if dask or scheduler:
        from planner.batch_dask import plan_on_dask

        results = plan_on_dask(plan_person, todo, table, people_path, jobs or default_jobs(), scheduler)
    else:
        results = plan_locally(todo, table, people_path, jobs or default_jobs())
    for done, (person, outcome) in enumerate(results, start=1):
        if not isinstance(outcome, Outcome):
            outcome = Outcome(person.id, None, error=f"{people_path}, row {person.row}: the worker planning it "
                                                     f"stopped ({type(outcome).__name__}: {outcome}); run again")
        if outcome.text is not None:
            write_atomic(folder / f"{outcome.id}.json", outcome.text)
        outcomes[outcome.id] = outcome
        if progress:
            progress(outcome, done, len(todo))
    seconds = time.perf_counter() - start
    summary = summary_frame(people, skipped, outcomes)
    write_atomic(folder / SUMMARY, render(summary, "csv"))
    listing = None
    if shopping:
        listing = shopping_for_all([o for o in outcomes.values() if o.error is None], people, table)
        for name, fmt in zip(SHOPPING, ("csv", "md")):
            write_atomic(folder / name, render(listing, fmt))
    return BatchResult(summary, folder, seconds, listing, tuple(notes))


def summary_frame(people: list[Person], skipped: list[RowError], outcomes: dict[str, Outcome]) -> pd.DataFrame:
    """One row per row of the people file, in its order."""
    rows = [{"id": e.id, "row": e.row, "status": "error", "cost": None, "shortfalls": "", "seconds": None,
             "cpu_seconds": None, "resumed": False, "message": e.message, "urgent": ""} for e in skipped]
    for person in people:
        o = outcomes[person.id]
        rows.append({"id": o.id, "row": person.row, "status": o.status, "cost": o.cost,
                     "shortfalls": ", ".join(nutrients.label(n) for n in o.shortfalls), "seconds": o.seconds,
                     "cpu_seconds": o.cpu_seconds, "resumed": o.resumed, "message": o.error or "",
                     "urgent": " | ".join(o.urgent)})
    numbers = {"cost": float, "seconds": float, "cpu_seconds": float, "resumed": bool}
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS).astype(numbers)
    return frame.sort_values("row", kind="stable").reset_index(drop=True)


def shopping_for_all(outcomes: list[Outcome], people: list[Person], foods: FoodTable) -> ShoppingList:
    """One list for every plan made: the grams of all of them summed, then rounded up to packages once."""
    grams: dict[str, float] = {}
    for outcome in outcomes:
        for food_id, g in outcome.eaten.items():
            grams[food_id] = grams.get(food_id, 0.0) + g
    eaten = pd.Series(grams, dtype=float)
    days = {p.id: p.request.days for p in people}
    lengths = [days[o.id] for o in outcomes]
    return list_for_grams(eaten.sort_index(), foods, max(lengths, default=0), len(outcomes),
                          fewest_days=min(lengths, default=0))

