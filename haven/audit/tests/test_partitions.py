"""The s62 log is partitioned by month; writes never fail for want of a partition; the database still
refuses UPDATE, DELETE and TRUNCATE on every partition (DP-02)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from haven.audit import partitions
from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.audit.services import access_event_record

pytestmark = pytest.mark.django_db


def _partition_of(event: AccessEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_accessevent WHERE id = %s", [event.pk])
        return str(cursor.fetchone()[0])


def _partition_key() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_partkeydef('audit_accessevent'::regclass)")
        key = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'audit_accessevent'::regclass AND contype = 'p'"
        )
        return key, cursor.fetchone()[0]


def test_the_log_is_partitioned_by_month_on_the_event_time_with_the_key_in_the_primary_key() -> None:
    assert _partition_key() == ("RANGE (occurred_at)", "PRIMARY KEY (id, occurred_at)")
    names = partitions.partitions_list()
    assert names[-1] == partitions.DEFAULT_PARTITION
    this_month = partitions.month_start(datetime.now(UTC))
    for ahead in range(partitions.MONTHS_AHEAD + 1):
        assert partitions.partition_name(partitions.add_months(this_month, ahead)) in names


def test_an_event_lands_in_its_months_partition(clock: Any) -> None:
    clock.freeze(datetime.now(UTC))
    event = access_event_record(actor=None, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4()])
    assert _partition_of(event) == partitions.partition_name(partitions.month_start(event.occurred_at))


def test_a_write_for_a_month_without_a_partition_goes_to_the_default_partition(clock: Any) -> None:
    clock.freeze(datetime(2031, 7, 4, 12, 0, tzinfo=UTC))  # far beyond the months created ahead
    event = access_event_record(actor=None, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4()])
    assert _partition_of(event) == partitions.DEFAULT_PARTITION
    assert AccessEvent.objects.get(pk=event.pk) == event


def test_audit_partitions_creates_the_months_ahead_and_is_idempotent(clock: Any) -> None:
    clock.freeze(datetime(2030, 1, 15, tzinfo=UTC))
    out = StringIO()
    call_command("audit_partitions", "--months-ahead", "2", stdout=out)
    names = partitions.partitions_list()
    assert {"audit_accessevent_y2030m01", "audit_accessevent_y2030m02", "audit_accessevent_y2030m03"} <= set(names)
    assert "3 created" in out.getvalue()
    again = StringIO()
    call_command("audit_partitions", "--months-ahead", "2", stdout=again)
    assert "0 created, 3 already there" in again.getvalue()


def test_a_month_whose_rows_already_sit_in_the_default_partition_is_skipped_not_moved(clock: Any) -> None:
    clock.freeze(datetime(2032, 5, 2, tzinfo=UTC))
    event = access_event_record(actor=None, operation=Operation.CONSULTATION)
    outcome = partitions.partitions_ensure(months_ahead=0)
    assert outcome.skipped == ["audit_accessevent_y2032m05"]
    assert _partition_of(event) == partitions.DEFAULT_PARTITION


def test_the_daily_job_creates_the_partitions(clock: Any) -> None:
    from haven.audit.tasks import audit_partitions_ensure

    clock.freeze(datetime(2033, 3, 1, tzinfo=UTC))
    audit_partitions_ensure(timestamp=0)
    assert "audit_accessevent_y2033m06" in partitions.partitions_list()


def test_add_months_crosses_years() -> None:
    assert partitions.add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert partitions.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE {table} SET channel = 'x' WHERE id = %s",
        "DELETE FROM {table} WHERE id = %s",
    ],
)
def test_dp02_a_partition_refuses_update_and_delete_too(sql: str) -> None:
    event = access_event_record(actor=None, operation=Operation.CONSULTATION)
    table = _partition_of(event)
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(table=table), [event.pk])
