"""The shape of the code: one direction of imports, views apart from the optimizer, a thin command."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPTIMIZER = {"planner.milp", "planner.model", "planner.candidates", "planner.meals", "planner.week", "planner.day_data",
             "planner.planning", "planner.diet_lp", "planner.sweep", "planner.average_day"}
VIEWS = ("planner.render", "planner.explain", "planner.check", "planner.shopping", "planner.advice", "planner.closing",
         "planner.plan", "planner.blocks", "planner.html_page", "planner.coverage_chart", "planner.plots")


def _modules() -> dict[str, Path]:
    out = {}
    for path in (ROOT / "planner").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("planner"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
    return out - {"planner"}


def test_no_import_circles():
    known = _modules()
    graph = {name: _imports(path, known) for name, path in known.items()}
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for nxt in graph[name]:
            assert state.get(nxt) != 1, " -> ".join([*path, nxt])
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[name] = 2

    for name in graph:
        if name not in state:
            visit(name, [name])


def test_views_never_import_the_optimizer():
    known = _modules()
    for view in VIEWS:
        assert not _imports(known[view], known) & OPTIMIZER, view


def test_no_module_imports_another_modules_private_name():
    known = _modules()
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planner"):
                assert not [a.name for a in node.names if a.name.startswith("_")], name


def test_only_milp_imports_the_solvers_and_only_fdc_api_imports_requests():
    for path in (ROOT / "planner").rglob("*.py"):
        text = path.read_text()
        if "import pulp" in text or "import highspy" in text:
            assert path.name == "milp.py", path
        if "import requests" in text:
            assert path.name == "fdc_api.py", path
    assert "import pulp" not in (ROOT / "cli.py").read_text()


def test_every_module_stays_readable():
    for path in [*(ROOT / "planner").rglob("*.py"), ROOT / "cli.py"]:
        assert len(path.read_text().splitlines()) <= 500, path
