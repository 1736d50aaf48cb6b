PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The exact versions the test suite last passed with (`make lock` writes it from `make test-latest`).
LOCK := constraints.txt
# dask: the batch tests run plans on a local Dask cluster.
EXTRAS := test,dask
LATEST := .venv-latest

.PHONY: plan test test-latest lock bench bench-batch bench-naive bench-profiles bench-sweep clean

# One-time set-up: a virtual environment with planner (non-editable, as a user gets it) and the
# test tools, at the locked versions. Re-run when pyproject.toml, the lock or the code changes.
$(STAMP): pyproject.toml $(LOCK) cli.py foods.csv $(shell find planner -name '*.py' -o -name '*.csv' 2>/dev/null)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --constraint $(LOCK) pip
	$(BIN)/python -m pip install --quiet --constraint $(LOCK) ".[$(EXTRAS)]"
	touch $(STAMP)

plan: $(STAMP)
	$(BIN)/planner week

test: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider

# The newest versions pyproject.toml allows, in a venv of their own: an upgrade that breaks
# planner shows here before a user meets it.
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --upgrade --no-cache-dir ".[$(EXTRAS)]"
	$(LATEST)/bin/python -m pip list --format=freeze | grep -i -E '^(pulp|highspy|pandas|numpy|click|requests)=='
	$(LATEST)/bin/python -m pytest -p no:cacheprovider

# After `make test-latest` passes: record its versions as the lock.
lock:
	@test -x $(LATEST)/bin/python || { echo "run make test-latest first" >&2; exit 1; }
	{ echo "# The versions the test suite passed with (make test-latest, then make lock)."; \
	  echo "# make plan and make test install exactly these: pip install --constraint $(LOCK)"; \
	  $(LATEST)/bin/python -m pip freeze --all --exclude planner --exclude setuptools --exclude wheel; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_plan.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_then.py

# Plans for 1,000 made-up people in worker processes and on a local Dask cluster (about an hour on 2 cores).
bench-batch: $(STAMP)
	$(BIN)/python benchmarks/bench_batch.py

# The naive PuLP+CBC week for comparison: about a minute (CBC's time limit).
bench-naive: $(STAMP)
	$(BIN)/python benchmarks/bench_naive.py

# 38 people's weeks in one process: seconds, objective, meals outside their bands, shortfalls (about 5 minutes).
# Judge a change to the model by them: SAVE=old.jsonl on the old commit, then AGAINST=old.jsonl on the new one.
bench-profiles: $(STAMP)
	$(BIN)/python benchmarks/bench_profiles.py $(if $(SAVE),--save $(SAVE)) $(if $(AGAINST),--against $(AGAINST))

# A sweep's LP kept in its solver against one built anew at each point.
bench-sweep: $(STAMP)
	$(BIN)/python benchmarks/bench_sweep.py

clean:
	rm -rf $(VENV) $(LATEST) build dist *.egg-info
