# The two commands of the quickstart are `make run` and `make test`; everything else helps.
SHELL := /bin/bash

# The first Python 3.11+ on the PATH, unless PYTHON is given.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lock run test lint format typecheck openapi bench clean sdk sdk-python sdk-typescript sdk-typescript-deps browser

# Every dependency at the version and hashes the lock file gives (make lock writes it from
# the ranges in pyproject.toml); then the project and the Python SDK themselves, editable.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
LOCK_INPUTS := pyproject.toml sdk/python/pyproject.toml
LOCK_FLAGS = --universal --python-version 3.11 --generate-hashes --quiet $(UPGRADE)

$(STAMP): $(LOCK_INPUTS) $(DEV_LOCK)
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is required: install it or set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e . -e sdk/python
	@touch $(STAMP)

install: $(STAMP)

## Resolve the lock files again from pyproject.toml's ranges, for every platform and Python
## 3.11+, keeping the versions they pin where the ranges allow (UPGRADE=--upgrade: the newest).
## The application's lock takes the versions of the development one: the image runs what the
## tests ran.
lock:
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile $(LOCK_INPUTS) --extra dev $(LOCK_FLAGS) -o $(DEV_LOCK)
	$(BIN)/uv pip compile pyproject.toml -c $(DEV_LOCK) $(LOCK_FLAGS) -o $(LOCK)

## The all-in-one gateway on embedded PostgreSQL and Redis (unless GATEWAY_*_URL are set).
run: $(STAMP)
	$(BIN)/gateway up

## Lint, type-check and the whole test suite.
test: lint typecheck sdk-typescript-deps browser
	$(BIN)/pytest

## Debian's Chromium for the browser tests (tests/browser/), installed only when missing.
browser:
	@test -x /usr/bin/chromium || { apt-get update && apt-get install -y --no-install-recommends chromium; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench migrations examples sdk/python
	$(BIN)/ruff format --check src tests bench migrations examples sdk/python

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench migrations examples sdk/python
	$(BIN)/ruff format src tests bench migrations examples sdk/python

typecheck: $(STAMP)
	$(BIN)/mypy

## Regenerate the committed OpenAPI document.
openapi: $(STAMP)
	$(BIN)/gateway openapi

## Every DESIGN §10 benchmark and one table of figures, bare figures, ratios and targets.
bench: $(STAMP)
	$(BIN)/python bench/run_all.py

## The TypeScript SDK's npm packages as package-lock.json pins them (again only when it changes).
SDK_TS := sdk/typescript
SDK_TS_DEPS := $(SDK_TS)/node_modules/.installed

$(SDK_TS_DEPS): $(SDK_TS)/package-lock.json
	cd $(SDK_TS) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $(SDK_TS_DEPS)

sdk-typescript-deps: $(SDK_TS_DEPS)

## Regenerate the TypeScript SDK from openapi/openapi.json and build it (sdk/typescript/dist).
sdk-typescript: $(SDK_TS_DEPS)
	cd $(SDK_TS) && npm run generate && npm run build

## Regenerate the Python SDK's generated part (sdk/python/gateway_sdk/_generated and api).
sdk-python: $(STAMP)
	$(BIN)/python sdk/python/generate.py

sdk: sdk-typescript sdk-python

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
