"""Today's commands against the code the speed goals were set on, both timed in the same run.

Issue 11 asks that the week "stays within twice today's" speed, where today was the commit of
2026-11-21 (THEN below: 122 SR Legacy foods, no meal shapes). Seconds measured on another
machine, or with other package versions, do not compare with seconds measured here. So this
checks that commit out (`git archive`, into a temporary folder) and runs its `cli.py` and ours
alternately, round by round, each in a fresh process as a user runs it, with this Python and
these packages. A baseline (Python + import pandas, pulp) is timed in every round too.

Today's code caches the parsed SR Legacy table in the user's cache folder; the cache is filled
first, as a user's second run finds it. The old code parsed the table on every run.

Not part of the test run. Usage: python benchmarks/bench_then.py [--then REV] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

# The same baseline command as `make bench`'s table (this script's folder is on the path).
from bench_plan import BASELINE

ROOT = Path(__file__).resolve().parent.parent
# The commit issues 11 and 13 measured their "now" column on (README of that commit: "Speed").
THEN = "06caf54"
CASES = [("day, embedded table", ["day"]),
         ("week, embedded table", ["week"]),
         ("week over all SR Legacy foods", ["week", "--foods", "sr-legacy"])]


def checkout(rev: str, into: Path) -> Path:
    """The tree of `rev` written into `into` (no .git: it only has to run)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev],
                             capture_output=True, check=False)
    if archive.returncode:
        sys.exit(f"bench_then: cannot read commit {rev} here (a git clone with its history is needed): "
                 f"{archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        # Our own history, but the safe filter where this Python has it (3.11.4 and later).
        tar.extractall(into, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    return into


def run(tree: Path, args: list[str]) -> tuple[float, int]:
    """Seconds and exit code of `python cli.py ARGS` from `tree`, with `tree` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(tree / "cli.py"), *args], cwd=tree, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started, done.returncode


def baseline() -> float:
    started = time.perf_counter()
    subprocess.run(BASELINE, check=False)
    return time.perf_counter() - started


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):5.2f} s ({min(times):.2f}-{max(times):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--then", default=THEN, help="the earlier commit to time beside today's code")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {args.runs} rounds; then = {args.then}, now = this tree")
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"then": checkout(args.then, Path(tmp)), "now": ROOT}
        run(ROOT, ["week", "--foods", "sr-legacy", "--days", "1"])     # fill today's table cache
        times = {(case, when): [] for case, _ in CASES for when in trees}
        codes = {(case, when): set() for case, _ in CASES for when in trees}
        base = []
        for _ in range(args.runs):
            base.append(baseline())
            for case, cmd in CASES:
                for when, tree in trees.items():
                    took, code = run(tree, cmd)
                    times[case, when].append(took)
                    codes[case, when].add(code)
    median_base = statistics.median(base)
    print(f"{'case':<32} {'then':>22} {'now':>22} {'now/then':>9}  ratios to the baseline (then, now)")
    print(f"{'baseline: Python + pandas, pulp':<32} {spread(base):>22}")
    for case, _ in CASES:
        then, now = times[case, "then"], times[case, "now"]
        ratio = statistics.median(now) / statistics.median(then)
        failed = [f"{when} exit {sorted(codes[case, when])}" for when in trees if codes[case, when] - {0, 1}]
        print(f"{case:<32} {spread(then):>22} {spread(now):>22} {ratio:8.2f}x  "
              f"{statistics.median(then) / median_base:.2f}x, {statistics.median(now) / median_base:.2f}x"
              + (f"  ({'; '.join(failed)})" if failed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
