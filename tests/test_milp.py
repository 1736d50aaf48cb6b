"""Models as arrays and the two solvers that run them (planner.milp)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from builders import small_knapsack, textbook_lp
from planner.errors import SolverError
from planner.milp import HIGHS_THREADS, Milp, Status, _highs_model, _run_highs


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_textbook_lp_optimum_and_duals(solver):
    solution = textbook_lp().solve(solver)
    assert solution.status is Status.OPTIMAL
    assert solution.values == pytest.approx([1.6, 1.2])
    assert solution.objective == pytest.approx(2.8)
    assert solution.bound == pytest.approx(2.8)
    assert solution.row_duals == pytest.approx([0.4, 0.2])


def test_highs_ranging_brackets_the_right_hand_side():
    solution = textbook_lp().solve("highs", ranging=True)
    low = solution.ranging.row_bound_dn.value_[0]
    high = solution.ranging.row_bound_up.value_[0]
    # the first row's dual (0.4) holds while both rows stay binding: between 2 (x = 2, y = 0) and 12 (x = 0, y = 6)
    assert low == pytest.approx(2.0) and high == pytest.approx(12.0)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_knapsack_is_solved_to_integers(solver):
    solution = small_knapsack().solve(solver)
    assert solution.status is Status.OPTIMAL
    assert solution.values == pytest.approx([1.0, 1.0, 0.0])
    assert solution.objective == pytest.approx(-9.0)


def test_knapsack_bound_is_proven_by_highs():
    solution = small_knapsack().solve("highs")
    assert solution.bound <= solution.objective + 1e-9
    assert solution.bound >= -9.0 - 1e-6   # solved to optimality: the bound meets the objective


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_infeasible_model_has_no_plan(solver):
    m = Milp()
    x = m.add_column("x", 1.0, 0.0, 1.0)
    m.add_row("impossible", [x], [1.0], lower=2.0)
    solution = m.solve(solver)
    assert solution.status is Status.NO_PLAN
    assert np.isnan(solution.values).all()


def test_zero_coefficients_are_dropped_and_rows_keep_their_names():
    m = Milp()
    a, b = m.add_column("a"), m.add_column("b")
    m.add_row("only_a", [a, b], [2.0, 0.0], upper=4.0)
    starts, index, values = m.matrix()
    assert list(starts) == [0, 1] and list(index) == [a] and list(values) == [2.0]
    assert m.row_names == ["only_a"] and m.col_names == ["a", "b"]


def test_unknown_solver_names_the_field():
    with pytest.raises(SolverError) as info:
        textbook_lp().solve("gurobi")
    assert info.value.field == "solver"


def test_highs_prints_nothing_on_stdout():
    """highspy 1.16 prints a banner from C++ when a Highs object is made; none of it may reach stdout."""
    code = ("from builders import textbook_lp\n"
            "textbook_lp().solve('highs', ranging=True)\n"
            "import sys; sys.stdout.write('done')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "done"


def test_a_model_asking_for_another_thread_count_is_refused_not_read_as_no_plan():
    """HiGHS keeps one pool of threads a process: a model asking for another count does not run. That is an
    error to say, not a plan that does not exist; and the planner's own count still runs after it."""
    lp = textbook_lp()
    assert lp.solve().objective == pytest.approx(2.8)
    other = _highs_model(lp, 10.0, 0.0)
    other.setOptionValue("threads", HIGHS_THREADS + 1)
    with pytest.raises(SolverError, match="HiGHS refused"):
        _run_highs(other, lp, False)
    assert lp.solve().objective == pytest.approx(2.8)
