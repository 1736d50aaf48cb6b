"""Throughput of `planner batch` for many made-up people, locally and on a local Dask cluster.

Prints, for one people table (benchmarks/make_people.py): a serial loop's plans per second
on a sample (the baseline, measured in the same run), the batch in worker processes, the
batch on a local Dask cluster, the CPU seconds and memory one plan takes, whether every
plan passes `planner check`, whether both ways made the same plans, and whether a run
killed in the middle and run again wrote every plan exactly once. Not part of the tests.

Usage: python benchmarks/bench_batch.py [--people 1000] [--days 7] [--jobs 2] [--sample 20]
                                        [--no-dask] [--no-kill] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from make_people import write_people  # noqa: E402

from planner import check_plan, load_foods, make_plan, read_plan  # noqa: E402
from planner.batch import SUMMARY, run_batch  # noqa: E402
from planner.people import read_people  # noqa: E402


def serial_sample(people_csv: str, sample: int) -> dict:
    """The baseline: one process, one plan after another; its CPU time and peak memory per plan."""
    people, _ = read_people(people_csv)
    foods = load_foods()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    for person in people[:sample]:
        make_plan(person.request, foods)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"plans": min(sample, len(people)), "wall": wall, "cpu": cpu, "rss_before_mb": rss_before / 1024,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def without_timing(path: Path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["report"].pop("seconds")
    return doc


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.stem: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.json")}


def timed_batch(people_csv: str, folder: Path, **options) -> tuple[float, object]:
    start = time.perf_counter()
    result = run_batch(people_csv, folder, **options)
    return time.perf_counter() - start, result


def on_dask(people_csv: str, folder: Path, jobs: int) -> tuple[float, float, object, list[float]]:
    """The batch on a local Dask cluster of `jobs` single-threaded worker processes, and the workers' peak memory."""
    from dask.distributed import Client, LocalCluster

    start = time.perf_counter()
    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        started = time.perf_counter() - start
        seconds, result = timed_batch(people_csv, folder, scheduler=cluster.scheduler_address)
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return started, seconds, result, list(peaks.values())


def kill_and_resume(people_csv: str, folder: Path, jobs: int, total: int) -> dict:
    """`planner batch` killed (SIGKILL, the main process) when half the plans are written, then run again."""
    command = [sys.executable, str(ROOT / "cli.py"), "batch", people_csv, "-o", str(folder), "--jobs", str(jobs)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    while run.poll() is None and len(list(folder.glob("*.json"))) < total // 2:
        time.sleep(0.2)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    before = inodes(folder)
    leftover = _wait_for_group(run.pid, 60)
    start = time.perf_counter()
    finish = subprocess.run(command, env=env, capture_output=True, text=True)
    after = inodes(folder)
    with open(folder / SUMMARY, newline="", encoding="utf-8") as handle:
        resumed = {row["id"] for row in csv.DictReader(handle) if row["resumed"] == "True"}
    return {"written_before_kill": len(before), "workers_left_after_kill": leftover,
            "rerun_exit": finish.returncode, "rerun_seconds": time.perf_counter() - start,
            "plans_after": len(after), "kept_untouched": sum(after.get(k) == v for k, v in before.items()),
            "summary_says_kept": len(resumed), "kept_set_matches": resumed == set(before),
            "rerun_last_line": finish.stderr.strip().splitlines()[-1]}


def _wait_for_group(pgid: int, seconds: float) -> bool:
    """Whether processes of the killed run were still alive after `seconds` (they are then killed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.2)
    os.killpg(pgid, signal.SIGKILL)
    return True


def check_all(folder: Path, ids: list[str]) -> dict:
    """Every plan through `planner check`: it passes, or fails only on the floors its plan names as short."""
    foods = load_foods()
    passed = short_as_stated = other = 0
    for person in ids:
        plan = read_plan(folder / f"{person}.json")
        failures = check_plan(plan, foods).failures
        if failures.empty:
            passed += 1
        elif set(failures["check"]) == {"min"} and set(failures["nutrient"]) == {s.nutrient for s in plan.shortfalls}:
            short_as_stated += 1
        else:
            other += 1
    return {"plans": len(ids), "pass": passed, "short_as_stated": short_as_stated, "other_failures": other}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=20, help="people the serial baseline plans")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--workdir")
    parser.add_argument("--serial-sample", nargs=2, metavar=("PEOPLE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serial_sample:
        print(json.dumps(serial_sample(args.serial_sample[0], int(args.serial_sample[1]))))
        return 0
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench_batch_"))
    work.mkdir(parents=True, exist_ok=True)
    people_csv = str(work / "people.csv")
    write_people(people_csv, args.people, args.days)
    ids = [p.id for p in read_people(people_csv)[0]]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average before: {os.getloadavg()[0]:.2f}; {args.people} people, --days {args.days}, "
          f"{args.jobs} jobs; work in {work}", flush=True)

    seconds, local = timed_batch(people_csv, work / "local", jobs=args.jobs)
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # before any other child
    load_after = os.getloadavg()[0]
    out = subprocess.run([sys.executable, __file__, "--serial-sample", people_csv, str(args.sample)],
                         capture_output=True, text=True, check=True)
    base = json.loads(out.stdout)
    serial_rate = base["plans"] / base["wall"]
    print(f"serial loop, one process, first {base['plans']} people: {serial_rate:.2f} plans/s; "
          f"per plan {base['wall'] / base['plans']:.2f} s wall, {base['cpu'] / base['plans']:.2f} s CPU; "
          f"peak memory {base['peak_rss_mb']:.0f} MB (after loading the table: {base['rss_before_mb']:.0f} MB)",
          flush=True)
    print(f"batch, {args.jobs} worker processes: {len(ids)} plans in {seconds:.1f} s = {len(ids) / seconds:.2f} "
          f"plans/s ({len(ids) / seconds / serial_rate:.2f}x the serial loop); a plan took "
          f"{local.summary['seconds'].mean():.2f} s wall and {local.summary['cpu_seconds'].mean():.2f} s CPU in a "
          f"worker (mean); worker peak memory {worker_peak:.0f} MB; "
          f"load average after: {load_after:.2f}", flush=True)
    cpu = local.summary["cpu_seconds"].sum()
    print(f"  the workers had {cpu / (seconds * args.jobs):.0%} of {args.jobs} cores (CPU seconds / wall seconds); "
          f"with all of them: {args.jobs * len(ids) / cpu:.2f} plans/s", flush=True)
    print(f"  statuses: {local.summary['status'].value_counts().to_dict()}", flush=True)
    print(f"  planner check on every plan: {check_all(work / 'local', ids)}", flush=True)

    if not args.no_dask:
        started, seconds, dask, peaks = on_dask(people_csv, work / "dask", args.jobs)
        same = sum(without_timing(work / "dask" / f"{i}.json") == without_timing(work / "local" / f"{i}.json")
                   for i in ids)
        print(f"batch, local Dask cluster of {args.jobs} workers: {len(ids)} plans in {seconds:.1f} s = "
              f"{len(ids) / seconds:.2f} plans/s (cluster start {started:.1f} s more); "
              f"{dask.summary['cpu_seconds'].mean():.2f} s CPU a plan (mean); worker peak memory "
              f"{', '.join(f'{p:.0f}' for p in peaks)} MB; same plans as the worker processes (less timing): "
              f"{same} of {len(ids)}; load average after: {os.getloadavg()[0]:.2f}", flush=True)

    if not args.no_kill:
        report = kill_and_resume(people_csv, work / "killed", args.jobs, len(ids))
        same = sum(without_timing(work / "killed" / f"{i}.json") == without_timing(work / "local" / f"{i}.json")
                   for i in ids)
        print(f"killed at half and run again: {report}; same plans as the uninterrupted run: {same} of {len(ids)}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
