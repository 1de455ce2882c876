# Set-up and everyday tasks.  `make demo` and `make test` each do the whole set-up first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
EXAMPLES := $(wildcard examples/*.txt examples/*.md)
EDITIONS := $(wildcard examples/editions/*.toml)

.PHONY: demo test lint install install-test system-deps system-deps-test clean

demo: install
	$(BIN)/briefexport export $(EXAMPLES) --config examples/briefexport.toml -o $(OUT)
	$(BIN)/briefexport edition $(EDITIONS) --config examples/briefexport.toml -o $(OUT)/editions

test: install-test
	BRIEFEXPORT_TEST_INSTALLED=1 $(BIN)/python -m pytest
	$(BIN)/ruff check src tests

lint: install-test
	$(BIN)/ruff check src tests

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
	rm -rf $(VENV) $(OUT) build dist
