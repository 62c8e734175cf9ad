#!/usr/bin/env bash
# `make test`: the whole suite against real PostgreSQL. Extra pytest arguments: make test ARGS="-k lockout".
set -uo pipefail
cd "$(dirname "$0")/.."
export HAVEN_ENV=test
# Two processes by default (each with its own test database, test_haven_gw0, _gw1, …): the machines
# Haven's CI runs on have two cores. HAVEN_TEST_WORKERS=0 runs everything in one process.
# Work-stealing: a process that runs out of tests takes pending ones from the other, so the browser
# and worker-process tests at the end of the run do not queue behind one process while the other idles.
.venv/bin/python -m pytest -n "${HAVEN_TEST_WORKERS:-2}" --dist worksteal "$@"
status=$?
if [ "$status" -eq 5 ]; then
  # pytest's 5 means "no tests collected": fine for a narrow selection, a failure for the whole suite.
  if [ "$#" -gt 0 ]; then
    echo "No tests matched the selection ($*)."
    exit 0
  fi
  echo "No tests were collected: the suite is missing." >&2
  exit 1
fi
exit "$status"
