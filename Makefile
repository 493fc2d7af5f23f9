# The README's commands. Every target creates .venv when it is missing, so each works on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PORT ?= 3000
QUICK ?=

.PHONY: run test lint typecheck unit bench eval clean-venv lint-template system-deps audit

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

## run: set up if needed, then run the service locally on its embedded defaults
run: $(STAMP)
	$(BIN)/tarjama serve --host 127.0.0.1 --port $(PORT)

## test: set up if needed, then lint, type-check and pass the whole suite
test: system-deps lint-template lint typecheck audit unit

## audit: pip-audit of the installed pins; says NOT AUDITED (exit 0) when the vulnerability service is unreachable
audit: $(STAMP)
	$(BIN)/python -m tests.reliability.audit

## system-deps: Debian packages the suite needs (headless chromium for the Swagger UI test), when root
system-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -q && apt-get install -y -q --no-install-recommends chromium; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## typecheck: mypy --strict over the package, the tests and the benchmarks (the files of [tool.mypy])
typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

## bench: the benchmark side by side (shape twins built once into .models/twin); QUICK=1 for the < 5 min run.
## Writes benchmarks/results/*.json + throughput.png and regenerates docs/performance.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(if $(QUICK),--quick,)

## eval: the cleaning evaluation (eval/cleaning) beside plain trafilatura; writes its table into docs/cleaning.md
eval: $(STAMP)
	$(BIN)/python -m eval.cleaning.score --write docs/cleaning.md

clean-venv:
	rm -rf $(VENV)

## lint-template: cfn-lint and `sam validate --lint` on template.yaml, from their own venv (.tools: they pin
## boto3 and friends differently from the app). Dummy credentials: validation makes no AWS call.
TOOLS := .tools
SAM_CLI_VERSION := 1.170.0
CFN_LINT_VERSION := 1.58.0
TOOLS_STAMP := $(TOOLS)/.installed-sam-$(SAM_CLI_VERSION)-cfn-$(CFN_LINT_VERSION)

$(TOOLS_STAMP):
	@test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS) || python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q aws-sam-cli==$(SAM_CLI_VERSION) cfn-lint==$(CFN_LINT_VERSION)
	@rm -f $(TOOLS)/.installed-* && touch $@

lint-template: $(TOOLS_STAMP)
	$(TOOLS)/bin/cfn-lint template.yaml
	SAM_CLI_TELEMETRY=0 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
		$(TOOLS)/bin/sam validate --lint --template template.yaml --region us-east-1
