"""A mixed-integer program held as arrays, and the solvers that run it.

The planner's models are built here as plain arrays (costs, bounds, sparse
rows) rather than as PuLP expressions: building from arrays costs
microseconds per row where PuLP's expression objects cost milliseconds per
model, and a notebook or a batch job can inspect or reuse them. Two back
ends run the same arrays: HiGHS through its own Python API (`highspy`, the
default: fast, and it reports its true status, bound and gap), and any PuLP
solver (CBC by default), which PuLP builds from the same rows.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from planner.errors import SolverError

SOLVERS = ("highs", "cbc")
INF = float("inf")
# HiGHS works on a MILP with two threads: the week's menu MILPs take 80 % of their one-thread time on this
# project's 2-core machine. Fixed, not the machine's core count: HiGHS's answer depends on its thread count
# (not on timing: the same plans under load), so every machine and `planner batch`'s workers make the same plan
# of a request. One count per process: HiGHS keeps one pool of threads and refuses a model asking for another.
HIGHS_THREADS = 2


class Status(enum.Enum):
    OPTIMAL = "optimal"
    STOPPED = "stopped at the time limit with a plan"  # gap to the bound is reported
    NO_PLAN = "no plan found"


@dataclass
class Solution:
    status: Status
    values: np.ndarray           # one per column (NaN without a plan)
    objective: float
    bound: float                 # proven lower bound on the objective (the objective itself for an LP)
    row_duals: np.ndarray | None = None        # LPs only
    reduced_costs: np.ndarray | None = None    # LPs only
    ranging: object = None                     # HiGHS ranging of an LP, when asked for


@dataclass
class Milp:
    """min cost·x  subject to  lower <= x <= upper,  row_lower <= A x <= row_upper."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    col_names: list[str] = field(default_factory=list)
    row_start: list[int] = field(default_factory=lambda: [0])
    row_index: list[np.ndarray] = field(default_factory=list)   # one array per row
    row_value: list[np.ndarray] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    row_names: list[str] = field(default_factory=list)
    offset: float = 0.0     # a constant added to the objective (it moves the relative MIP gap, not the solution)

    @property
    def num_cols(self) -> int:
        return len(self.cost)

    @property
    def num_rows(self) -> int:
        return len(self.row_lower)

    def add_column(self, name: str, cost: float = 0.0, lower: float = 0.0, upper: float = INF,
                   integer: bool = False) -> int:
        self.cost.append(float(cost))
        self.lower.append(float(lower))
        self.upper.append(float(upper))
        self.integer.append(bool(integer))
        self.col_names.append(name)
        return len(self.cost) - 1

    def add_row(self, name: str, columns, coefficients, lower: float = -INF, upper: float = INF) -> int:
        """One constraint `lower <= sum(coef * x[col]) <= upper`; zero coefficients are dropped."""
        columns = np.asarray(columns, dtype=np.int32)
        coefficients = np.asarray(coefficients, dtype=float)
        keep = coefficients != 0
        self.row_index.append(columns[keep])
        self.row_value.append(coefficients[keep])
        self.row_start.append(self.row_start[-1] + int(keep.sum()))
        self.row_lower.append(float(lower))
        self.row_upper.append(float(upper))
        self.row_names.append(name)
        return len(self.row_lower) - 1

    def matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows as CSR arrays: starts, column indices, values."""
        empty = np.zeros(0)
        index = np.concatenate(self.row_index) if self.row_index else empty.astype(np.int32)
        value = np.concatenate(self.row_value) if self.row_value else empty
        return np.asarray(self.row_start, dtype=np.int32), index.astype(np.int32), value

    def solve(self, solver: str = "highs", time_limit: float = 10.0, gap: float = 0.0,
              ranging: bool = False) -> Solution:
        if solver == "highs":
            return _solve_highs(self, time_limit, gap, ranging)
        if solver == "cbc":
            return _solve_pulp(self, time_limit, gap)
        raise SolverError(f"expected one of {', '.join(SOLVERS)}, got '{solver}'", field="solver")

    def session(self, solver: str = "highs", time_limit: float = 10.0, gap: float = 0.0) -> Session:
        """This model held in its solver, to change and solve again (`Session`)."""
        return Session(self, solver, time_limit, gap)


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Nothing written to file descriptor 1 inside reaches stdout.

    highspy 1.16 prints its banner from C++ when a `Highs` object is made, before
    `output_flag` can be set; stdout carries only the data a user asked for.
    """
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):   # no file descriptor 1 (an embedded interpreter): nothing to guard
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _solve_highs(m: Milp, time_limit: float, gap: float, ranging: bool) -> Solution:
    return _run_highs(_highs_model(m, time_limit, gap), m, ranging)


def _highs_model(m: Milp, time_limit: float, gap: float):
    """A HiGHS object holding `m`, ready to run (and to change and run again)."""
    try:
        import highspy
    except ImportError:
        raise SolverError("solver 'highs' is not installed here (pip install highspy)", field="solver") from None
    with _stdout_silenced():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", HIGHS_THREADS)
    h.setOptionValue("random_seed", 0)   # same input, same plan
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(gap))
    # Feasibility jump spends a third of a small menu MILP finding the all-shortfall plan that the
    # elastic floors make trivial; without it HiGHS reaches the same menus sooner (benchmarks/).
    h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    lp = highspy.HighsLp()
    lp.num_col_ = m.num_cols
    lp.num_row_ = m.num_rows
    lp.col_cost_ = np.asarray(m.cost, dtype=float)
    lp.offset_ = float(m.offset)
    lp.col_lower_ = np.asarray(m.lower, dtype=float)
    lp.col_upper_ = np.asarray(m.upper, dtype=float)
    lp.row_lower_ = np.asarray(m.row_lower, dtype=float)
    lp.row_upper_ = np.asarray(m.row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = m.num_cols
    lp.a_matrix_.num_row_ = m.num_rows
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = m.matrix()
    if any(m.integer):
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in m.integer]
    h.passModel(lp)
    return h


def _run_highs(h, m: Milp, ranging: bool) -> Solution:
    import highspy

    if h.run() == highspy.HighsStatus.kError:   # such as a thread count other than the process's first
        raise SolverError(f"HiGHS refused to solve the model ({h.getModelStatus()}); was HiGHS used earlier in this "
                          f"process with a thread count other than the planner's {HIGHS_THREADS}?")
    status = h.getModelStatus()
    info = h.getInfo()
    is_mip = any(m.integer)
    nan = np.full(m.num_cols, np.nan)
    if info.primal_solution_status != 2:   # kSolutionStatusFeasible
        return Solution(Status.NO_PLAN, nan, np.nan, np.nan)
    solution = h.getSolution()
    values = np.asarray(solution.col_value, dtype=float)
    objective = float(info.objective_function_value)
    if not is_mip:
        if status != highspy.HighsModelStatus.kOptimal:
            return Solution(Status.NO_PLAN, nan, np.nan, np.nan)
        ranged = h.getRanging()[1] if ranging else None
        return Solution(Status.OPTIMAL, values, objective, objective,
                        np.asarray(solution.row_dual, dtype=float), np.asarray(solution.col_dual, dtype=float),
                        ranged)
    bound = float(info.mip_dual_bound)
    if status == highspy.HighsModelStatus.kOptimal:
        return Solution(Status.OPTIMAL, values, objective, bound if np.isfinite(bound) else objective)
    return Solution(Status.STOPPED, values, objective, bound if np.isfinite(bound) else -np.inf)


class Session:
    """A model kept in its solver between solves: change bounds or costs, solve again.

    HiGHS keeps its last basis, so an LP re-solved after a bound moves starts from the
    previous optimum (a sweep over a floor takes a few pivots a point, not a new model).
    With CBC the arrays change and each solve builds the model again. The session's
    `milp` always holds the model as it now stands, so `milp.solve()` gives the same answer.

        >>> s = textbook_lp().session()            # doctest: +SKIP
        >>> s.set_row_bounds(0, 5.0, INF); s.solve().objective   # doctest: +SKIP
    """

    def __init__(self, m: Milp, solver: str = "highs", time_limit: float = 10.0, gap: float = 0.0):
        if solver not in SOLVERS:
            raise SolverError(f"expected one of {', '.join(SOLVERS)}, got '{solver}'", field="solver")
        self.milp = m
        self.solver = solver
        self.time_limit, self.gap = time_limit, gap
        self._highs = _highs_model(m, time_limit, gap) if solver == "highs" else None

    def set_row_bounds(self, row: int, lower: float, upper: float) -> None:
        self.milp.row_lower[row], self.milp.row_upper[row] = float(lower), float(upper)
        if self._highs is not None:
            self._highs.changeRowBounds(int(row), float(lower), float(upper))

    def set_col_bounds(self, col: int, lower: float, upper: float) -> None:
        self.milp.lower[col], self.milp.upper[col] = float(lower), float(upper)
        if self._highs is not None:
            self._highs.changeColBounds(int(col), float(lower), float(upper))

    def set_col_cost(self, col: int, cost: float) -> None:
        self.milp.cost[col] = float(cost)
        if self._highs is not None:
            self._highs.changeColCost(int(col), float(cost))

    def solve(self, ranging: bool = False) -> Solution:
        if self._highs is None:
            return _solve_pulp(self.milp, self.time_limit, self.gap)
        return _run_highs(self._highs, self.milp, ranging)


def _solve_pulp(m: Milp, time_limit: float, gap: float) -> Solution:
    """The same arrays through PuLP and CBC: slower to build, kept as a second opinion."""
    import pulp

    prob = pulp.LpProblem("planner", pulp.LpMinimize)
    cols = [prob.add_variable(f"c{j}", None if lo == -INF else lo, None if hi == INF else hi,
                              cat=pulp.LpInteger if is_int else pulp.LpContinuous)
            for j, (lo, hi, is_int) in enumerate(zip(m.lower, m.upper, m.integer))]
    for r in range(m.num_rows):
        expr = pulp.LpAffineExpression([(cols[j], v) for j, v in zip(m.row_index[r].tolist(), m.row_value[r].tolist())])
        lo, hi = m.row_lower[r], m.row_upper[r]
        if lo == hi:
            prob += expr == lo, f"r{r}"
        else:
            if lo != -INF:
                prob += expr >= lo, f"r{r}_lo"
            if hi != INF:
                prob += expr <= hi, f"r{r}_hi"
    prob += pulp.LpAffineExpression([(c, v) for c, v in zip(cols, m.cost) if v != 0], constant=m.offset)
    # PuLP 3.3 bundles CBC as PULP_CBC_CMD (and warns that 4.0 drops it); PuLP 4 runs CBC from
    # pulp[cbc] as COIN_CMD.
    cbc = pulp.COIN_CMD if int(pulp.__version__.split(".")[0]) >= 4 else pulp.PULP_CBC_CMD
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        solver = cbc(msg=False, timeLimit=time_limit, gapRel=gap or None)
    if not solver.available():
        raise SolverError("solver 'cbc' is not installed here (pip install 'pulp[cbc]')", field="solver")
    try:
        prob.solve(solver)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"the cbc solver failed: {exc}") from None
    nan = np.full(m.num_cols, np.nan)
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        return Solution(Status.NO_PLAN, nan, np.nan, np.nan)
    values = np.array([c.value() or 0.0 for c in cols])
    objective = float(pulp.value(prob.objective) or 0.0)
    if not any(m.integer):
        duals = []
        for r in range(m.num_rows):
            con = next((c for c in (prob.get_constraint_by_name(f"r{r}{end}") for end in ("", "_lo", "_hi"))
                        if c is not None), None)
            duals.append(con.pi if con is not None and con.pi is not None else 0.0)
        return Solution(Status.OPTIMAL, values, objective, objective, np.array(duals),
                        np.array([c.dj or 0.0 for c in cols]))
    if prob.sol_status == pulp.LpSolutionOptimal:
        return Solution(Status.OPTIMAL, values, objective, objective)
    return Solution(Status.STOPPED, values, objective, -np.inf)  # CBC through PuLP does not report its bound
