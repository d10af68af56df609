# Two commands do all the set-up on a fresh machine:
#   make run   - creates .venv, installs, starts the dashboard on the illustrative sample data
#   make test  - installs everything the tests need (Python packages, Debian's chromium, fonts) and runs them
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
# The address the dashboard listens on: this machine only, unless told otherwise
# (`make run HOST=0.0.0.0`; then .streamlit/secrets.toml must hold real accounts, not the demo one).
HOST ?= 127.0.0.1
# chromium: chart images and browser tests; Noto: Vietnamese diacritics; LibreOffice + poppler: tests
# re-save a template (calc) and render the deck and report to pictures (impress, writer, pdftoppm);
# postgresql: the store tests also run against a throwaway PostgreSQL server.
SYSTEM_PACKAGES := chromium fonts-noto-core libreoffice-calc libreoffice-impress libreoffice-writer poppler-utils postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-postgres lint format e2e system-deps demo bench clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

# Debian's chromium renders chart images (Kaleido) and runs the browser tests; Noto has every
# Vietnamese diacritic; LibreOffice Calc re-saves a template in a test (tests/test_hostile_workbooks.py)
# so the upload limits are checked against a second real writer. Installed only when missing.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

run: $(STAMP) system-deps
	@[ -f .streamlit/secrets.toml ] || { cp .streamlit/secrets.example.toml .streamlit/secrets.toml; \
	  echo "Created .streamlit/secrets.toml with the local demo analyst account (see README)."; }
	$(PY) -m ui.serve run dashboard.py --server.address $(HOST) --server.port $(PORT)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: $(STAMP) system-deps lint
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-postgres

# The store, ingest, service (permissions, approval cycle, data-quality warnings), backup and
# leadership-query tests again, on a throwaway PostgreSQL server (tests/pg_server.py) instead of a
# DuckDB file: the same code must work on both stores (and the approval filter must count the same).
PG_TESTS := tests/test_store.py tests/test_ingest.py tests/test_service.py \
	tests/test_cycle_service.py tests/test_quality_wiring.py tests/test_backup.py \
	tests/test_queries_dashboard.py tests/test_queries_scale.py tests/test_quality_scoped.py
test-postgres: $(STAMP) system-deps
	GG_TEST_BACKEND=postgres $(PY) -m pytest -q -p no:cacheprovider $(PG_TESTS)

e2e: $(STAMP) system-deps
	$(PY) -m pytest -m e2e

demo: $(STAMP)
	$(PY) -m loaders demo --force

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
