# One entry point for every check; CI runs these targets verbatim.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PY_DIRS := src tests examples $(wildcard benchmarks)

.PHONY: install test lint format check demo hub bench coverage-doc clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 tests

lint: $(STAMP)
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)
	$(BIN)/mypy --strict src/hfapi

format: $(STAMP)
	$(BIN)/ruff check --fix $(PY_DIRS)
	$(BIN)/ruff format $(PY_DIRS)

check: lint test

demo: $(STAMP)
	$(BIN)/python examples/quickstart.py

hub: $(STAMP)
	$(BIN)/python -m hfapi.hub --host 127.0.0.1 --port 0

bench: $(STAMP)
	$(BIN)/python benchmarks/upload.py $(BENCH_ARGS)

coverage-doc: $(STAMP)
	$(BIN)/python -m hfapi.hub.coverage > docs/local-hub-coverage.md

clean:
	rm -rf $(VENV) build dist src/*.egg-info
