"""Haven's connections to PostgreSQL are set for short queries."""

from __future__ import annotations

from django.db import connection


def test_connections_run_without_jit(db):
    """JIT compiling cost more than the queries it sped up at the force tier (docs/performance.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_test_connections_do_not_wait_for_each_commit_to_reach_the_disk(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"


def test_a_test_statement_stuck_behind_a_lock_or_a_runaway_plan_fails_within_two_minutes(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "1min"
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "2min"
