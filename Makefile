# Two commands: `make run` (set up and serve the demo on SQLite) and `make test` (set up and run the suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := eventapp

.PHONY: install run test test-fast lint bench migration clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

## Serve the app on http://$(HOST):$(PORT) with the demo data (SQLite in instance/ unless DATABASE_URL is set).
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	@echo "Mở http://$(HOST):$(PORT) — dừng bằng Ctrl+C."
	@# The mail worker drains the outbox in the background and stops with the server.
	@$(BIN)/flask send-mail & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} $(BIN)/flask run --host $(HOST) --port $(PORT)

## The whole suite (browser tests skip when no Chromium is found, unless REQUIRE_BROWSER=1).
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Everything but the browser tests (no Chromium needed), for a quick round while working.
test-fast: install
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check eventapp tests bench

## The benchmarks (bench/run.py): SQLite, and PostgreSQL too when DATABASE_URL points at one; writes BENCHMARKS.md.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## A new migration from the model changes: make migration MSG="what changed"
migration: install
	$(BIN)/flask db upgrade
	$(BIN)/flask db migrate -m "$(MSG)"

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
