"""Plans for a table of people on a Dask cluster: one task per person, the food table sent once.

The optional extra `pip install 'planner[dask]'` brings Dask; nothing here is imported
without it. With an address the plans run on that cluster's workers (each needs the same
planner installed); without one, on a local cluster of worker processes.

The food table goes to every worker once (`scatter(broadcast=True)`) and each task gets a
reference to it, not a copy. Results come back as they finish (`as_completed`), and the
caller writes each at once, so a worker that is lost loses only the plans it was making:
the scheduler runs those again elsewhere, and a task that raised is retried `RETRIES` times.
Should the table itself be lost with a worker (Dask keeps one copy once no waiting task needs
the others), it is sent again and the tasks that waited for it run anew.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack

from planner.errors import InputError
from planner.foods import FoodTable
from planner.people import Person

# A task that raised (not a worker that died: the scheduler reschedules those by itself) runs again this often.
RETRIES = 2
# Seconds to wait for a scheduler given by address before saying it cannot be reached.
CONNECT_TIMEOUT = 30


def require_dask(scheduler: str | None = None) -> None:
    """Dask is installed, or the one line saying how to get it: asked before a batch makes its folder."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        raise InputError("Dask is not installed: pip install 'planner[dask]'",
                         field="scheduler" if scheduler else "dask") from None


def plan_on_dask(task: Callable, people: list[Person], foods: FoodTable, source: str, workers: int,
                 scheduler: str | None = None) -> Iterator[tuple[Person, object]]:
    """`task(person, foods, source)` for each person on the Dask cluster at `scheduler`, or on a local one of
    `workers` processes: (person, what it returned or the exception that ended it), as each finishes."""
    require_dask(scheduler)
    from dask.distributed import CancelledError, Client, LocalCluster, as_completed
    if not people:
        return
    with ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError(f"cannot reach a Dask scheduler at {scheduler} ({exc})", field="scheduler") from None
        else:
            cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=None, silence_logs=logging.ERROR))
            client = stack.enter_context(Client(cluster))
        table = client.scatter(foods, broadcast=True)
        run = uuid.uuid4().hex[:8]   # keys of this run apart from an earlier one on a long-lived scheduler
        sent = {}                    # the table each person's task was given
        lost = dict.fromkeys((p.id for p in people), 0)

        def submit(person: Person):
            sent[person.id] = table
            return client.submit(task, person, table, source, key=f"plan-{person.id}-{run}-{lost[person.id]}",
                                 retries=RETRIES, pure=False)

        futures = {submit(person): person for person in people}
        finished = as_completed(futures)
        for future in finished:
            person = futures.pop(future)
            try:
                result = future.result()
            except CancelledError as exc:
                # The scheduler keeps one copy of a scattered table once no task needs the others; a worker
                # lost with that copy cancels every task still waiting for it. Send the table again, once for
                # all of them, and plan those people anew.
                if lost[person.id] < RETRIES:
                    if sent[person.id] is table:
                        table = client.scatter(foods, broadcast=True)
                    lost[person.id] += 1
                    future.release()
                    again = submit(person)
                    futures[again] = person
                    finished.add(again)
                    continue
                result = exc
            except Exception as exc:  # retries spent, or the task took down workers more often than allowed
                result = exc
            future.release()
            yield person, result
