"""The benchmark scripts still run against today's library (a short run each; their timings are not judged).

`make bench-naive` failed for a day unseen when the targets' share rows grew a third part: a
benchmark nobody runs in the tests rots with the code it measures.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def _run(script: str, *args: str) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], capture_output=True, check=False,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_naive_cbc_week_is_built_and_solved():
    out = _run("bench_naive.py", "--days", "1", "--time-limit", "5")
    assert "planner week" in out and "naive PuLP+CBC week:" in out
    assert "time ratio naive / planner:" in out


def test_the_gap_benchmark_runs():
    out = _run("bench_gap.py", "--days", "1")
    assert "printed bound" in out and "each day solved to a proven optimum" in out


def test_the_profiles_benchmark_compares_a_run_with_a_saved_one(tmp_path):
    saved = tmp_path / "before.jsonl"
    first = _run("bench_profiles.py", "--only", "15", "--days", "1", "--save", str(saved))
    assert "age=25 sex=female diet=omnivore" in first and saved.exists()
    again = _run("bench_profiles.py", "--only", "15", "--days", "1", "--against", str(saved))
    assert "| before" in again and "0 plans changed" in again
