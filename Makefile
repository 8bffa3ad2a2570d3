# One entry point for every check; CI runs these targets verbatim.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.docs-installed
DEMO_VENV := .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed
DEMO_SOURCES := $(shell find src -name '*.py' -o -name py.typed)
PY_DIRS := src tests examples $(wildcard benchmarks)

.PHONY: install test lint format check demo hub bench coverage-doc docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(DOCS_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 tests

# The last step is the typing test: calls as users write them, with the types mypy must infer.
lint: $(STAMP)
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)
	$(BIN)/mypy --strict src/hfapi
	MYPYPATH=src $(BIN)/mypy --strict tests/typing

format: $(STAMP)
	$(BIN)/ruff check --fix $(PY_DIRS)
	$(BIN)/ruff format $(PY_DIRS)

check: lint test

# The demo installs hfapi as a user would (the package and its runtime dependencies, no
# dev tools) into its own venv; pip's output goes to a log, shown only if it fails.
$(DEMO_STAMP): pyproject.toml $(DEMO_SOURCES)
	@echo "demo: installing hfapi and its runtime dependencies into $(DEMO_VENV)"
	@test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV)
	@$(DEMO_VENV)/bin/python -m pip install --quiet --disable-pip-version-check . \
		> $(DEMO_VENV)/install.log 2>&1 || { cat $(DEMO_VENV)/install.log; exit 1; }
	@touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	@echo "demo: running examples/quickstart.py against an embedded local Hub"
	@$(DEMO_VENV)/bin/python examples/quickstart.py

hub: $(STAMP)
	$(BIN)/python -m hfapi.hub --host 127.0.0.1 --port 0

bench: $(STAMP)
	$(BIN)/python benchmarks/suite.py $(BENCH_ARGS)

coverage-doc: $(STAMP)
	$(BIN)/python -m hfapi.hub.coverage > docs/local-hub-coverage.md

# The site (guide + API reference from the docstrings) into site/; any warning fails it.
docs: $(DOCS_STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) $(DEMO_VENV) build dist site src/*.egg-info
