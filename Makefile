# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
# Two workers on this 2-core machine: each gets its own database schema (see tests/conftest.py).
PYTEST_ARGS ?= -n auto

.PHONY: run test install install-python install-npm db seed serve clean-db outbox help bench

help:
	@echo "make run    install everything, prepare the SQLite database and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite (set TEST_DATABASE_URL for PostgreSQL)"
	@echo "make bench  measure the public paths against the floor (400 and 5,000 events), write docs/benchmarks.md"
	@echo "make audit  known vulnerabilities of the Python and npm dependencies (CI runs it before the tests)"
	@echo "make load   50 simulated users for 60 s against gunicorn + PostgreSQL: errors, latency, overbooking"

run: install db seed serve

install: install-python install-npm

# The virtualenv is rebuilt only when pyproject.toml changes.
install-python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install-npm: node_modules/.installed
node_modules/.installed: package.json package-lock.json .dsfr.yml
	npm ci --no-audit --no-fund
	touch $@

db: install
	$(FLASK) db upgrade

seed: db
	$(FLASK) seed demo --if-empty

serve:
	$(FLASK) run --host $(HOST) --port $(PORT) --with-threads

outbox:
	$(FLASK) outbox send

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Not part of `make test`: a few minutes. BENCH_ARGS e.g. "--sizes 400 --databases sqlite --no-write";
# BENCH_POSTGRES_URL names a PostgreSQL server where this role may create databases.
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# Known vulnerabilities of the Python and npm dependencies (.ci/audit.py; .ci/audit-allowlist.toml).
.PHONY: audit load
audit: install
	$(BIN)/python .ci/audit.py

# Not part of `make test`: 50 simulated users for 60 s against gunicorn + PostgreSQL (about 2 minutes).
# LOAD_ARGS e.g. "--users 20 --seconds 20"; LOAD_POSTGRES_URL names a server where this role may create databases.
LOAD_ARGS ?=
load: install
	$(BIN)/python -m load $(LOAD_ARGS)

clean-db:
	rm -f instance/eventapp.db instance/eventapp.db-wal instance/eventapp.db-shm
