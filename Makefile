# SafePath: `make demo` runs it, `make test` checks it. Both start from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export SAFEPATH_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test lint typecheck pytest browser-deps oidc-deps install install-dev lock lock-check \
	messages bench clean screenshots

# Every install comes from the lock files (requirements/*.lock: exact versions with hashes);
# `make lock` regenerates them after a change to the dependencies in pyproject.toml, and every
# install stops, saying so, while they disagree (requirements/lock.py).
LOCK_CHECK := $(PYTHON) requirements/lock.py check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/tools.lock

$(VENV)/.installed: pyproject.toml requirements/base.lock | $(BIN)/python
	@$(LOCK_CHECK)
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements/dev.lock | $(BIN)/python
	@$(LOCK_CHECK)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

lock-check:
	@$(LOCK_CHECK) && echo "requirements/*.lock match pyproject.toml"

# Regenerate the lock files (needs PyPI); review the diff and commit them.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/tools.lock
	$(BIN)/python requirements/lock.py write $(BIN)/uv

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: export SAFEPATH_MODE ?= demo
demo: install
	$(BIN)/safepath migrate --no-input -v 0
	$(BIN)/safepath collectstatic --no-input -v 0
	$(BIN)/safepath demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ with the background worker beside it (Ctrl-C stops both)"
	@# The worker runs what pages queue: the national duplicate check, deadlines, imports.
	$(BIN)/safepath worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn safepath.config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 \
	  --access-logfile - --forwarded-allow-ips 127.0.0.1

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package (browser tests need it)"; exit 1; fi; \
	fi

# The single sign-on tests start a real OpenID provider, node's oidc-provider (tests/oidc), whose
# packages come from tests/oidc/package-lock.json with `npm ci` (Debian's nodejs when missing).
OIDC_MODULES := tests/oidc/node_modules/.package-lock.json
oidc-deps: $(OIDC_MODULES)
$(OIDC_MODULES): tests/oidc/package.json tests/oidc/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "npm is missing: install Debian's nodejs and npm (the SSO tests need them)"; exit 1; fi; \
	fi
	cd tests/oidc && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

lint: lock-check install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy safepath

pytest: install-dev browser-deps oidc-deps
	@echo "--- the whole suite on SQLite"
	env -u SAFEPATH_TEST_DATABASE_URL -u DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$SAFEPATH_TEST_DATABASE_URL" ]; then \
	  echo "--- again on PostgreSQL ($$SAFEPATH_TEST_DATABASE_URL)"; \
	  $(BIN)/pytest -q; \
	else echo "SAFEPATH_TEST_DATABASE_URL is not set: the PostgreSQL run was skipped."; fi

test: lint typecheck pytest

# The screenshots a reviewer looks at (phone and desktop widths), written by the browser tests
# into SHOTS (not committed).
SHOTS ?= $(CURDIR)/var/screenshots
screenshots: install-dev browser-deps oidc-deps
	mkdir -p $(SHOTS)
	env -u SAFEPATH_TEST_DATABASE_URL SAFEPATH_SHOTS_DIR=$(SHOTS) $(BIN)/pytest -q \
	  safepath/core/tests/browser
	@echo "Screenshots in $(SHOTS)"

messages: install-dev
	$(BIN)/python -m safepath.core.i18n_compile

bench: install-dev
	$(BIN)/python benchmarks/seed_speed.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
