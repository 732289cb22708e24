# Puente: the two commands are `make run` (serve on SQLite) and `make test` (every test).
# Everything else here is what those two need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The lock files: every package pinned with its hashes, made from pyproject.toml by uv (the dev
# set constrained to the runtime one). `make lock` after editing pyproject.toml's dependencies;
# `make lock-check` (part of `make checks`) fails when the files and pyproject.toml drift apart.
LOCK := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --python-platform linux
LOCK_RUNTIME := pyproject.toml -o requirements.txt
LOCK_DEV := pyproject.toml --extra dev --constraint requirements.txt -o requirements-dev.txt

# The quick tests share both cores; so do the browser tests, a file per process (each file's
# live server and pages stay together: --dist loadgroup, one group per file but the layout walk,
# one per language: tests/browser/conftest.py), which took the browser run from about 17 to 11
# minutes once thirteen languages were walked. The drills and load tests run two at a time, a
# file per process: much of their time is waiting (timeouts, drains, restarts), their limits
# are set for a busy 2-core machine, and one at a time they took four and a half minutes of CI.
PARALLEL := -m "not browser and not slow" -n 2
BROWSER := -m "browser" -n 2 --dist loadgroup
SLOW := -m "slow and not browser" -n 2 --dist loadfile

.PHONY: run test test-database checks setup system-packages catalogs zip-index migrate lint lock lock-check audit bench lighthouse clean

run: setup catalogs zip-index migrate
	$(BIN)/python -m app.cli serve --host $(HOST) --port $(PORT)

test: checks
	$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)
	$(BIN)/python -m pytest $(BROWSER) $(PYTEST_ARGS)
	$(BIN)/python -m pytest $(SLOW) $(PYTEST_ARGS)

# Every test that touches the database, for a second database (CI: PostgreSQL): tests/conftest.py
# leaves out, on PostgreSQL, the tests that use none (about four in five of the quick ones). The
# checks (lint, types, lock files, content) are the same for any database: `make test` runs them.
test-database: setup system-packages catalogs zip-index
	$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)
	$(BIN)/python -m pytest $(SLOW) $(PYTEST_ARGS)

checks: setup system-packages catalogs zip-index lock-check
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench migrations
	$(BIN)/mypy
	$(BIN)/python -m app.cli validate-content

setup: $(STAMP) node_modules/.installed

# uv installs the locked set, hashes checked, in seconds where pip took about two minutes (CI
# starts on a fresh clone). uv itself comes first through pip, from its own lines of the dev lock
# file, hashes checked too.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	awk '/^uv==/ {p = 1; print; next} p && /^[^ ]/ {exit} p' requirements-dev.txt > $(VENV)/uv.txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(VENV)/uv.txt
	$(BIN)/uv pip install --quiet --require-hashes -r requirements-dev.txt --python $(BIN)/python
	touch $@

lock: setup
	$(LOCK) $(LOCK_RUNTIME)
	$(LOCK) $(LOCK_DEV)

# Resolves again beside the current files (so their pins are kept where they still fit) and
# compares: any difference means pyproject.toml changed without `make lock`. Needs the registry.
LOCK_CHECK := var/lock-check
lock-check: setup
	rm -rf $(LOCK_CHECK) && mkdir -p $(LOCK_CHECK)
	cp pyproject.toml requirements.txt requirements-dev.txt $(LOCK_CHECK)/
	cd $(LOCK_CHECK) && ../../$(LOCK) $(LOCK_RUNTIME) && ../../$(LOCK) $(LOCK_DEV)
	@diff -u requirements.txt $(LOCK_CHECK)/requirements.txt && \
	  diff -u requirements-dev.txt $(LOCK_CHECK)/requirements-dev.txt || \
	  { echo "the lock files are out of date: run make lock"; exit 1; }

# Known vulnerabilities in every pinned package of both lock files, from PyPI's advisory data
# (AUDIT_SERVICE=osv for OSV's). Needs the network, so it is not part of `make test`. --strict:
# a package the service cannot be asked about fails the run, so a pass means all were checked.
AUDIT_SERVICE ?= pypi
audit: setup
	$(BIN)/pip-audit --strict --require-hashes --disable-pip --progress-spinner off \
	  --vulnerability-service $(AUDIT_SERVICE) -r requirements.txt -r requirements-dev.txt

# axe-core for the accessibility audits, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Debian's Chromium for the browser tests (never a downloaded browser), and Arabic fonts.
# Debian's nginx for the edge drill (deploy/nginx, tests/drills/test_edge.py); Debian's
# package starts no server here: the drill runs its own, unprivileged, on loopback.
system-packages:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else echo "chromium is missing: browser tests will be skipped (CI installs it)"; fi; }
	@# Fonts for every shipped script (tests/browser/test_scripts_and_layout.py fails on a missing
	@# glyph): Noto core has Latin, Cyrillic, Vietnamese, Arabic, Khmer and Gurmukhi; CJK has
	@# Simplified Chinese and Korean (Debian: 56 MB to download, 91 MB installed).
	@dpkg -s fonts-noto-core fonts-noto-cjk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null; \
	  else echo "fonts-noto-core or fonts-noto-cjk is missing: the glyph test may fail (apt-get install them)"; fi; }
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	  else echo "nginx is missing: the edge drill will be skipped (CI installs it)"; fi; }

catalogs: setup
	$(BIN)/python -m app.cli i18n compile >/dev/null

# The packed ZIP index (app/places/zip_index.py), built from the pinned zipcodes package.
zip-index: setup
	$(BIN)/python -m app.places.zip_index >/dev/null

migrate: setup
	$(BIN)/python -m app.cli migrate

lint: setup
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench migrations
	$(BIN)/mypy

bench: setup catalogs zip-index
	$(BIN)/python -m bench.load $(BENCH_ARGS)

# Lighthouse (npm, pinned) on the start page, a question, the result and find-help, en and ar,
# against Debian's Chromium; not part of `make test` (minutes, and machine-dependent).
lighthouse: setup catalogs zip-index
	$(BIN)/python -m bench.lighthouse $(LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) node_modules var
