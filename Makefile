PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: plan test bench bench-naive clean

# One-time set-up: a virtual environment with planner (non-editable, as a user
# gets it) and the test tools. Re-run when pyproject.toml or the code changes.
$(STAMP): pyproject.toml cli.py foods.csv $(shell find planner -name '*.py' -o -name '*.csv' 2>/dev/null)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $(STAMP)

plan: $(STAMP)
	$(BIN)/planner week

test: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_plan.py
	$(BIN)/python benchmarks/bench_import.py

# The naive PuLP+CBC week for comparison: about a minute (CBC's time limit).
bench-naive: $(STAMP)
	$(BIN)/python benchmarks/bench_naive.py

clean:
	rm -rf $(VENV) build dist *.egg-info
