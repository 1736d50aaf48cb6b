"""The notebooks run from top to bottom on this checkout, show their pictures, and are committed without outputs."""

from __future__ import annotations

import os

import pytest

from conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_the_four_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01_walkthrough.ipynb", "02_tradeoffs.ipynb", "03_absorption.ipynb",
                                           "04_diet_problem.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip the outputs"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_runs_and_shows_each_picture(path, monkeypatch):
    # The kernel imports planner from this checkout, as the tests do.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    pictures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert pictures, f"{path.name} shows no picture"
    # No picture without words: the next text after each says what it shows.
    cells = notebook.cells
    for k, cell in enumerate(cells):
        if cell.cell_type == "code" and any("image/png" in o.get("data", {}) for o in cell.outputs):
            following = next((c.source for c in cells[k + 1:] if c.cell_type == "markdown"), "")
            assert "What the picture" in following, f"{path.name} cell {k}: a picture with no words after it"
