# Set-up and everyday tasks.  `make demo` and `make test` each do the whole set-up first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
EXAMPLES := $(wildcard examples/*.txt examples/*.md)
# npm packages the tests use, pinned, in a folder of their own.
NPM_TOOLS ?= .npm-tools
COMMONMARK_SPEC_VERSION := 0.31.2
COMMONMARK_SPEC := $(NPM_TOOLS)/commonmark-spec-$(COMMONMARK_SPEC_VERSION).json

.PHONY: demo test lint install install-test system-deps system-deps-test clean

demo: install
	$(BIN)/briefexport export $(EXAMPLES) --config examples/briefexport.toml -o $(OUT)

test: install-test $(COMMONMARK_SPEC)
	BRIEFEXPORT_TEST_INSTALLED=1 BRIEFEXPORT_COMMONMARK_SPEC=$(COMMONMARK_SPEC) \
		$(BIN)/python -m pytest
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

# The CommonMark spec's examples, extracted by the package's own code, for tests/test_corpus.py.
$(COMMONMARK_SPEC): | system-deps-test
	npm install --silent --no-save --no-package-lock --no-audit --no-fund \
		--prefix $(NPM_TOOLS) commonmark-spec@$(COMMONMARK_SPEC_VERSION)
	node -e "process.stdout.write(JSON.stringify(require('./$(NPM_TOOLS)/node_modules/commonmark-spec').tests))" > $@.tmp
	mv $@.tmp $@

clean:
	rm -rf $(VENV) $(OUT) $(NPM_TOOLS) build dist
