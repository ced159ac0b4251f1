# Magnet: `make demo` runs the platform on a fresh machine; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen
DEMO_PERSONS ?= 3000
DEMO_SEED ?= 1
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export UV_PYTHON_DOWNLOADS := never

.PHONY: help uv sync demo demo-build serve test test-sqlite test-postgres test-browser-deps lint bench-feeds messages

help:
	@echo "make demo   set up and run the platform with a generated demo city at http://127.0.0.1:8000"
	@echo "make test   run every test on SQLite and on PostgreSQL ($(PG_URL))"

uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || $(PYTHON) -m pip install --user --quiet uv \
	  || $(PYTHON) -m pip install --user --quiet --break-system-packages uv

sync: uv
	@$(UV) sync --frozen --python $$($(PYTHON) -c 'import sys; print(sys.executable)')

demo: sync
	@$(RUN) python -m magnet migrate --no-input
	@$(RUN) python -m magnet collectstatic --no-input -v 0
	@$(RUN) python -m magnet demo build --persons $(DEMO_PERSONS) --seed $(DEMO_SEED) | tee var/demo-logins.txt
	@echo "Starting the background worker and the platform at http://127.0.0.1:8000 (Ctrl-C stops both)."
	@echo "Demo log-ins are also in var/demo-logins.txt; talents' SMS codes appear below."
	@trap 'kill 0' EXIT INT TERM; \
	  $(RUN) python -m magnet db_worker --queue-name default & \
	  $(RUN) python -m magnet runserver 127.0.0.1:8000 --noreload

test: sync test-browser-deps test-sqlite test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	@$(RUN) pytest -q

test-postgres:
	@echo "== tests on PostgreSQL ($(PG_URL)) =="
	@$(RUN) python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=5).close()" \
	  || { echo "PostgreSQL cannot be reached at $(PG_URL): start it (see README) — make test needs it."; exit 1; }
	@DATABASE_URL=$(PG_URL) $(RUN) pytest -q magnet/apps tests

test-browser-deps:
	@test -x /usr/bin/chromium || { echo "Debian's chromium is needed for the browser tests: apt-get install chromium fonts-noto-cjk"; exit 1; }

lint: sync
	@$(RUN) ruff check magnet bench tests

bench-feeds: sync
	@$(RUN) python bench/feeds_load.py --persons 1000000 --format parquet

messages: sync
	@cd magnet && $(RUN) python ../manage.py makemessages -l en --no-obsolete --ignore "core/*" --ignore "*/tests/*" && $(RUN) python ../manage.py compilemessages
