# Set-up and everyday tasks.  `make demo` and `make test` each do the whole set-up first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
EXAMPLES := $(wildcard examples/*.txt examples/*.md)
EDITIONS := $(wildcard examples/editions/*.toml)
# npm tools the email tests use, pinned, in a folder of their own: the reference MJML validator
# (MRML silently drops what it does not know), axe-core for the accessibility checks,
# html-validate (10.x: 11 needs Node 22), mailparser, which reads every .eml, and
# @jsx-email/doiuse-email, whose caniemail matching the client-support lint is compared with.
EMAIL_TOOLS ?= .cache/email-tools
MJML_VERSION := 5.4.1
AXE_VERSION := 4.14.1
HTML_VALIDATE_VERSION := 10.9.0
MAILPARSER_VERSION := 3.14.2
DOIUSE_EMAIL_VERSION := 1.0.4
EMAIL_TOOLS_STAMP := $(EMAIL_TOOLS)/.installed-mjml-$(MJML_VERSION)-axe-core-$(AXE_VERSION)-html-validate-$(HTML_VALIDATE_VERSION)-mailparser-$(MAILPARSER_VERSION)-doiuse-email-$(DOIUSE_EMAIL_VERSION)
# The CommonMark spec's examples for the Markdown corpus test, from the pinned npm package and
# extracted by the package's own code.
COMMONMARK_DIR ?= .cache/commonmark-spec
COMMONMARK_SPEC_VERSION := 0.31.2
COMMONMARK_SPEC := $(COMMONMARK_DIR)/spec-$(COMMONMARK_SPEC_VERSION).json

.PHONY: demo test test-all lint typecheck bench install install-test system-deps \
	system-deps-test email-tools clean

demo: install
	$(BIN)/briefexport export $(EXAMPLES) --config examples/briefexport.toml -o $(OUT) \
		-f pdf,html,txt,json
	$(BIN)/briefexport edition $(EDITIONS) --config examples/briefexport.toml -o $(OUT)/editions \
		-f pdf,html,txt,json
	$(BIN)/briefexport copies $(EXAMPLES) --recipients examples/recipients.csv \
		--config examples/briefexport.toml -o $(OUT)/copies

# pytest in one worker process per CPU (-n auto), then ruff and mypy.  `make test`
# leaves out the cases marked slow (minutes each); `make test-all`, which CI runs, takes them.
PYTEST_MARKERS ?= not slow
PYTEST_ARGS ?=

test: install-test email-tools $(COMMONMARK_SPEC)
	BRIEFEXPORT_TEST_INSTALLED=1 BRIEFEXPORT_EMAIL_TOOLS=$(abspath $(EMAIL_TOOLS)) \
		BRIEFEXPORT_COMMONMARK_SPEC=$(abspath $(COMMONMARK_SPEC)) \
		$(BIN)/python -m pytest -n auto -m "$(PYTEST_MARKERS)" $(PYTEST_ARGS)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

test-all:
	$(MAKE) test PYTEST_MARKERS=

lint: install-test
	$(BIN)/ruff check src tests
	$(BIN)/mypy

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

# The dask extra too: the copies tests start a real Dask cluster (they skip without it
# locally and fail without it under CI).
install-test: system-deps-test $(BIN)/python
	$(BIN)/python -m pip install -q ".[test,dask]"

email-tools: $(EMAIL_TOOLS_STAMP)

# Without npm the tests that need these tools skip locally; under CI they fail.
$(EMAIL_TOOLS_STAMP):
	@if command -v npm >/dev/null 2>&1; then \
	    mkdir -p $(EMAIL_TOOLS) && \
	    npm install --prefix $(EMAIL_TOOLS) --no-audit --no-fund --loglevel=error --save-exact \
	        mjml@$(MJML_VERSION) axe-core@$(AXE_VERSION) html-validate@$(HTML_VALIDATE_VERSION) \
	        mailparser@$(MAILPARSER_VERSION) @jsx-email/doiuse-email@$(DOIUSE_EMAIL_VERSION) && \
	    touch $@; \
	else \
	    echo "npm not found: the MJML validation and accessibility tests will not run"; \
	fi

# Without npm the corpus test skips locally; under CI it fails.
$(COMMONMARK_SPEC):
	@if command -v npm >/dev/null 2>&1; then \
	    mkdir -p $(COMMONMARK_DIR) && \
	    npm install --prefix $(COMMONMARK_DIR) --no-audit --no-fund --loglevel=error \
	        --save-exact commonmark-spec@$(COMMONMARK_SPEC_VERSION) && \
	    node -e "process.stdout.write(JSON.stringify(require('./$(COMMONMARK_DIR)/node_modules/commonmark-spec').tests))" > $@.tmp && \
	    mv $@.tmp $@; \
	else \
	    echo "npm not found: the CommonMark corpus test will not run"; \
	fi

clean:
	rm -rf $(VENV) $(OUT) build dist .cache benchmarks/work
