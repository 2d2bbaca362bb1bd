# The two commands a new user needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
# pytest-xdist processes for the database suites (one per core by default; TEST_WORKERS=0 runs in-process).
TEST_WORKERS ?= auto
export DJANGO_SETTINGS_MODULE := otop.settings

.PHONY: run setup test lint test-sqlite test-postgres test-browser test-cluster bench messages clean

# --- set-up -------------------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the dependency list changes, so a second `make run` starts in seconds.
# `make run` needs only the runtime dependencies; `make test` adds the test extras (Playwright, ruff, ...).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "== installing the runtime dependencies (pip install -e .)"
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	@echo "== installing the test tools (pip install -e .[test])"
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	@echo "== installing the front-end packages (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Hashed, compressed static files; collected again only when a source file changed. They go to
# $(OTOP_VAR_DIR)/static (var/static unless set), as otop/settings.py says.
VAR_DIR := $(or $(OTOP_VAR_DIR),var)
STATIC_SOURCES := $(shell find static otop -path '*/static/*' -type f 2>/dev/null)
$(VAR_DIR)/static/staticfiles.json: $(STATIC_SOURCES) $(VENV)/.installed node_modules/.installed
	@echo "== collecting static files"
	mkdir -p $(VAR_DIR)
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput -v0
	touch $@

setup: $(VENV)/.installed node_modules/.installed $(VAR_DIR)/static/staticfiles.json
	@echo "== applying database migrations"
	mkdir -p $(VAR_DIR)
	$(BIN)/python manage.py migrate --noinput -v0

# --- run ----------------------------------------------------------------------------------
run: setup
	@echo "== loading the demo center (once; later runs keep your data)"
	$(BIN)/python manage.py seed_demo
	@scripts/run_server.sh $(PORT) $(WORKERS)

# --- tests --------------------------------------------------------------------------------
test: setup $(VENV)/.test-installed
	scripts/install_test_system_packages.sh
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-browser
	if command -v redis-server >/dev/null && command -v nginx >/dev/null; then $(MAKE) --no-print-directory test-cluster; fi

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run -v1

test-sqlite: $(VENV)/.test-installed
	@echo "== test suite on SQLite"
	TASK_BACKEND=django_tasks.backends.immediate.ImmediateBackend $(BIN)/pytest -m "not browser" -q -n $(TEST_WORKERS)

test-postgres: $(VENV)/.test-installed
	@echo "== test suite on PostgreSQL"
	scripts/with_postgres.sh env TASK_BACKEND=django_tasks.backends.immediate.ImmediateBackend $(BIN)/pytest -m "not browser" -q -n $(TEST_WORKERS)

test-browser: $(VENV)/.test-installed
	@echo "== browser tests (headless Debian Chromium)"
	$(BIN)/pytest -m browser -q

# BENCH_PRODUCTS=100000 for the figures the issues ask for; BENCH_POSTGRES=0 skips PostgreSQL.
bench: setup $(VENV)/.test-installed
	scripts/install_test_system_packages.sh
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.feeds
	if [ "$${BENCH_POSTGRES:-1}" != "0" ]; then scripts/with_postgres.sh $(BIN)/python -m bench.run; fi
	@# The cluster run (bench/cluster.py): nginx + two app servers + Redis on PostgreSQL, beside one server alone.
	if [ "$${BENCH_CLUSTER:-1}" != "0" ] && command -v redis-server >/dev/null \
	  && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; then \
	  scripts/with_postgres.sh $(BIN)/python -m bench.cluster; \
	else echo "== cluster bench skipped (BENCH_CLUSTER=0, or no redis-server/nginx)"; fi

# `make messages` refreshes the project catalogue (locale/: templates/ and the foundation apps);
# `make messages APP=catalog` refreshes otop/catalog/locale/. Both compile the .mo files, which are committed.
FOUNDATION_APPS := core geo accounts notifications backoffice demo
messages:
ifdef APP
	cd otop/$(APP) && PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin makemessages -l th -l en --no-obsolete
	cd otop/$(APP) && PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin compilemessages -v0
else
	$(BIN)/python manage.py makemessages -l th -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var \
		--ignore=tests $(foreach app,$(filter-out $(FOUNDATION_APPS),$(notdir $(patsubst %/apps.py,%,$(wildcard otop/*/apps.py)))),--ignore=otop/$(app))
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules
endif

clean:
	rm -rf $(VENV) node_modules var

# Past one machine (issue 23, docs/deploy.md): PostgreSQL + Redis + an S3 API server + nginx + two app servers +
# two task workers + two clocks on 127.0.0.1. Installs redis-server and nginx where missing.
test-cluster: setup
	@echo "== multi-server test (PostgreSQL, Redis, S3, nginx, 2 app servers, 2 workers, 2 clocks)"
	scripts/install_test_system_packages.sh
	scripts/with_postgres.sh env OTOP_CLUSTER_TEST=1 $(BIN)/pytest -q -p no:xdist tests/cluster
