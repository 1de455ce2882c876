# Set-up and everyday tasks.  `make demo` and `make test` each do the whole set-up first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
EXAMPLES := $(wildcard examples/*.txt examples/*.md)
EDITIONS := $(wildcard examples/editions/*.toml)
# npm tools the email tests use, pinned, in a folder of their own: the reference MJML validator
# (MRML silently drops what it does not know) and axe-core for the accessibility checks.
EMAIL_TOOLS ?= .cache/email-tools
MJML_VERSION := 5.4.1
AXE_VERSION := 4.14.1
EMAIL_TOOLS_STAMP := $(EMAIL_TOOLS)/.installed-mjml-$(MJML_VERSION)-axe-core-$(AXE_VERSION)

.PHONY: demo test lint install install-test system-deps system-deps-test email-tools clean

demo: install
	$(BIN)/briefexport export $(EXAMPLES) --config examples/briefexport.toml -o $(OUT)
	$(BIN)/briefexport edition $(EDITIONS) --config examples/briefexport.toml -o $(OUT)/editions

test: install-test email-tools
	BRIEFEXPORT_TEST_INSTALLED=1 BRIEFEXPORT_EMAIL_TOOLS=$(abspath $(EMAIL_TOOLS)) $(BIN)/python -m pytest
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

email-tools: $(EMAIL_TOOLS_STAMP)

# Without npm the tests that need these tools skip locally; under CI they fail.
$(EMAIL_TOOLS_STAMP):
	@if command -v npm >/dev/null 2>&1; then \
	    mkdir -p $(EMAIL_TOOLS) && \
	    npm install --prefix $(EMAIL_TOOLS) --no-audit --no-fund --loglevel=error --save-exact \
	        mjml@$(MJML_VERSION) axe-core@$(AXE_VERSION) && touch $@; \
	else \
	    echo "npm not found: the MJML validation and accessibility tests will not run"; \
	fi

clean:
	rm -rf $(VENV) $(OUT) build dist .cache
