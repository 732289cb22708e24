# Puente: the two commands are `make run` (serve on SQLite) and `make test` (every test).
# Everything else here is what those two need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests that start servers or browsers run one at a time; the rest share both cores.
PARALLEL := -m "not browser and not slow" -n 2
SERIAL := -m "browser or slow"

.PHONY: run test test-database checks setup system-packages catalogs migrate lint bench clean

run: setup catalogs migrate
	$(BIN)/python -m app.cli serve --host $(HOST) --port $(PORT)

test: checks
	$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)
	$(BIN)/python -m pytest $(SERIAL) $(PYTEST_ARGS)

# Every test that touches the database, for a second database (CI: PostgreSQL).
test-database: checks
	$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m "slow and not browser" $(PYTEST_ARGS)

checks: setup system-packages catalogs
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench migrations
	$(BIN)/python -m app.cli validate-content

setup: $(STAMP) node_modules/.installed

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core for the accessibility audits, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Debian's Chromium for the browser tests (never a downloaded browser), and Arabic fonts.
system-packages:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else echo "chromium is missing: browser tests will be skipped (CI installs it)"; fi; }

catalogs: setup
	$(BIN)/python -m app.cli i18n compile >/dev/null

migrate: setup
	$(BIN)/python -m app.cli migrate

lint: setup
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench migrations

bench: setup catalogs
	$(BIN)/python -m bench.load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
