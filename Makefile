# Haven. The two commands: `make run` (set up and run with demo data) and `make test` (the whole suite).
.DEFAULT_GOAL := help
SHELL := /bin/bash
HAVEN_PORT ?= 8000
export HAVEN_PORT

.PHONY: help setup run test coverage lint typecheck layers check lock bench bench-report bench-audit screenshot

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

setup: ## Install Python (.venv, uv) and npm (node_modules) dependencies from the locks
	@scripts/setup.sh

run: setup ## Set up, migrate, load demo data, run the web server and worker on http://127.0.0.1:8000
	@.venv/bin/python scripts/run.py

test: setup ## Run the whole test suite against real PostgreSQL (embedded, or DATABASE_URL)
	@scripts/test.sh $(ARGS)

coverage: setup ## The coverage gate: the last make test's figure, failing under [tool.coverage.report] fail_under
	.venv/bin/coverage report

lint: setup ## ruff (lint and format check)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: setup ## mypy with django-stubs
	.venv/bin/mypy haven config

layers: setup ## import-linter: the layers and app boundaries in pyproject.toml ([tool.importlinter])
	.venv/bin/lint-imports --no-cache

check: lint typecheck layers ## Everything CI runs besides the tests
	.venv/bin/python manage.py makemigrations --check --dry-run

lock: ## Recompile the hashed Python locks after editing requirements/*.in
	.venv/bin/uv pip compile -q --python-version 3.12 --generate-hashes --no-header -o requirements/bootstrap.lock requirements/bootstrap.in
	.venv/bin/uv pip compile -q --python-version 3.12 --generate-hashes --no-header -o requirements/base.lock requirements/base.in
	.venv/bin/uv pip compile -q --python-version 3.12 --generate-hashes --no-header -o requirements/dev.lock requirements/base.in requirements/dev.in

TIER ?= t0
ROWS ?=
bench: setup ## Benchmark every operation on a synthetic force (TIER=t0|t1|t2; ROWS= s62 rows for O7; docs/performance.md)
	.venv/bin/uv pip install -q --require-hashes -r requirements/bench.lock
	.venv/bin/python bench/run.py --tier $(TIER) $(if $(ROWS),--o7-rows $(ROWS))

bench-report: setup ## How long a practised call handler takes to report a missing child, typed at a person's pace (docs/missing.md)
	HAVEN_TEST_WORKERS=0 HAVEN_REPORT_PACE=practised scripts/test.sh haven/missing/tests/test_report_timing.py -s --no-cov

bench-audit: setup ## Only "who viewed person X in 12 months" on the s62 log (ROWS=2000000; 20000000 for the full figure)
	.venv/bin/python bench/audit_who_viewed.py --rows $(or $(ROWS),2000000)
