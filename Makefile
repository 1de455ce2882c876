# Set-up and everyday tasks.  `make demo` and `make test` each do the whole set-up first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
EXAMPLES := $(wildcard examples/*.txt examples/*.md)

.PHONY: demo test lint bench install install-test system-deps system-deps-test clean

demo: install
	$(BIN)/briefexport export $(EXAMPLES) --config examples/briefexport.toml -o $(OUT)

test: install-test
	BRIEFEXPORT_TEST_INSTALLED=1 $(BIN)/python -m pytest
	$(BIN)/ruff check src tests

lint: install-test
	$(BIN)/ruff check src tests

# Not a test and not run by CI: timings and ratios measured in one run (benchmarks/bench.py).
# Pandoc (comparison d only) is installed when missing; without it, d is reported as not run.
bench: install
	sh scripts/system-deps.sh --bench || echo "bench: pandoc could not be installed; comparison d will not run" >&2
	$(BIN)/python benchmarks/bench.py

system-deps:
	sh scripts/system-deps.sh

system-deps-test:
	sh scripts/system-deps.sh --test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# A plain, non-editable install: the tests run against what a user would get from the wheel.
install: system-deps $(BIN)/python
	$(BIN)/python -m pip install -q .

install-test: system-deps-test $(BIN)/python
	$(BIN)/python -m pip install -q ".[test]"

clean:
	rm -rf $(VENV) $(OUT) build dist benchmarks/work
