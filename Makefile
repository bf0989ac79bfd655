# Lectern. `make` lists the targets; `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# Test tools from npm (vnu.jar, the Nu Html Checker); see package.json.
NODE_STAMP := node_modules/.installed

.DEFAULT_GOAL := help
.PHONY: help install run serve test e2e lint format migrate seed bench bench-drill bench-http loadtest clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $(STAMP)

# --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; Debian's is used.
# Without npm the HTML validity test skips (and fails under CI=true).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: skipping the npm test tools (HTML validity test)"; fi

install: $(STAMP) $(NODE_STAMP) ## create .venv and install the pinned dependencies

migrate: $(STAMP) ## apply database migrations
	$(BIN)/python manage.py migrate --no-input

seed: migrate ## load every course file in fixtures/
	$(BIN)/python manage.py loadcourse fixtures/*.yaml

run: seed ## serve the app with the seeded courses on http://127.0.0.1:$(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production serving (docs/deploy.md): debug off, so SECRET_KEY must be set, and HTTPS is
# enforced unless DJANGO_INSECURE_HTTP=1 (a local trial). BIND overrides the address;
# WEB_CONCURRENCY (read by gunicorn) the number of worker processes. Gunicorn is managed by
# signals (HUP reload, TERM stop), so its control socket (one path per user) is off.
serve: export DJANGO_DEBUG = 0
serve: BIND ?= 127.0.0.1:$(PORT)
serve: $(STAMP) ## production server: migrate, collectstatic, gunicorn on $(BIND) (see docs/deploy.md)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/gunicorn config.wsgi --bind $(BIND) --access-logfile - --no-control-socket

test: $(STAMP) $(NODE_STAMP) ## run the whole test suite, browser tests included
	$(BIN)/python -m pytest $(PYTEST_ARGS)

e2e: $(STAMP) ## run only the browser tests (Playwright + /usr/bin/chromium)
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

# Not part of `make test`: it builds 500k review cards and 10M logs on SQLite and on
# PostgreSQL (postgres://postgres@127.0.0.1:5432/lectern_bench, dropped and re-created), ~15 min.
# Scale down with BENCH_LEARNERS/BENCH_CARDS/BENCH_LOGS; see bench/drill.py and docs/performance.md.
bench: bench-drill bench-http ## both benchmarks below, one after the other

bench-drill: $(STAMP) ## drill benchmark: p50/p99 of next card and review, SQLite and PostgreSQL
	$(BIN)/python -m bench.drill

# Not part of `make test` either: gunicorn with production settings under wrk (Debian's
# /usr/bin/wrk), SQLite and PostgreSQL (helper_bench_http, dropped and re-created), ~8 min.
# A quick run: BENCH_HTTP_SECONDS=2 BENCH_HTTP_RUNS=1; see bench/http.py and docs/performance.md.
bench-http: $(STAMP) ## HTTP benchmark: req/s and p50/p99 of the main pages against a "hello" floor
	$(BIN)/python -m bench.http

# Not part of `make test`: 50 simulated students for 60 s on SQLite and PostgreSQL, then
# again with a gunicorn worker SIGKILLed every 10 s; checks every acknowledged write is
# stored once. A quick run: LOADTEST_STUDENTS=5 LOADTEST_SECONDS=10; see bench/loadtest.py.
loadtest: $(STAMP) ## load and fault test; writes docs/reliability.md
	$(BIN)/python -m bench.loadtest

lint: $(STAMP) ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## remove the virtualenv and the local database
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
