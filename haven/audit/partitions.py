"""Monthly partitions of the s62 log (design.md, "The s62 log": scale).

``audit_accessevent`` is partitioned by RANGE on ``occurred_at``, one partition per calendar month
(UTC), named ``audit_accessevent_yYYYYmMM``, plus ``audit_accessevent_default`` for anything no month
covers, so a write never fails for want of a partition. :func:`partitions_ensure` creates the months
ahead; ``bin/haven audit-partitions`` and the worker's daily job call it. A month whose rows already
sit in the default partition is left alone and reported: moving them would mean deleting from the
append-only log, which the database refuses (DP-02), and they stay readable where they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection as default_connection

from haven.core import clock

TABLE = "audit_accessevent"
DEFAULT_PARTITION = f"{TABLE}_default"
MONTHS_AHEAD = 3


def month_start(moment: date | datetime) -> date:
    return date(moment.year, moment.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def _bound(month: date) -> str:
    return datetime(month.year, month.month, 1, tzinfo=UTC).isoformat()


@dataclass
class Outcome:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # months whose rows are already in the default partition


def partitions_list(connection: Any = None) -> list[str]:
    """The names of the log's partitions, oldest month first, the default partition last."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass ORDER BY c.relname = %s, c.relname",
            [TABLE, DEFAULT_PARTITION],
        )
        return [row[0] for row in cursor.fetchall()]


def partitions_ensure(
    *, connection: Any = None, months_ahead: int = MONTHS_AHEAD, start: date | None = None
) -> Outcome:
    """Create the default partition and one partition per month from ``start`` (default: this month)
    to ``months_ahead`` months after this one. Idempotent."""
    connection = connection or default_connection
    this_month = month_start(clock.now())
    month = month_start(start) if start else this_month
    last = add_months(this_month, months_ahead)
    outcome = Outcome()
    existing = set(partitions_list(connection))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = %s::regclass", [TABLE]
        )
        owner = bool(cursor.fetchone()[0])
        if DEFAULT_PARTITION not in existing:
            cursor.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT")
            outcome.created.append(DEFAULT_PARTITION)
        while month <= last:
            name, following = partition_name(month), add_months(month, 1)
            if name in existing:
                outcome.existing.append(name)
            else:
                cursor.execute(
                    f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} WHERE occurred_at >= %s AND occurred_at < %s)",  # noqa: S608 - a constant
                    [_bound(month), _bound(following)],
                )
                if cursor.fetchone()[0]:
                    outcome.skipped.append(name)
                elif owner:
                    cursor.execute(
                        f"CREATE TABLE {name} PARTITION OF {TABLE} "
                        f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(following)}')"
                    )
                    outcome.created.append(name)
                else:  # the application role: the owner's one-purpose function (migration 0004)
                    cursor.execute("SELECT audit_partition_month_create(%s)", [month])
                    (outcome.created if cursor.fetchone()[0] else outcome.skipped).append(name)
            month = following
    return outcome
