"""The move to one outbox keeps every e-mail: accounts' outbox rows and the notifications that owed or
had sent an e-mail become rows of core.OutgoingEmail (data migrations accounts 0007, notifications 0004).

The migrations are run back and forth inside the test's transaction (PostgreSQL's DDL is
transactional), so the test database is left as it was. The reverse migrations are not tested here."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from haven.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

AFTER = [("accounts", "0007_outbox_moved_to_core"), ("notifications", "0004_outbox_moved_to_core")]


def _check_deferred_keys() -> None:
    """Rows written since the last step hold deferred foreign-key checks, which PostgreSQL will not
    leave pending across an ALTER TABLE: check them now."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _unapply(migrations: list[tuple[str, str]]) -> None:
    """Unapply each migration from the state its own ancestors make (Django's backwards migrate
    re-renders the whole project at every migration there is: minutes, not seconds)."""
    executor = MigrationExecutor(connection)
    for app, name in migrations:
        migration = executor.loader.get_migration(app, name)
        state = executor.loader.project_state((app, name), at_end=False)  # the state it starts from
        with connection.schema_editor(atomic=True) as editor:
            migration.unapply(state, editor)
        executor.recorder.record_unapplied(app, name)


def _migrate(targets: list[tuple[str, str]]) -> None:
    _check_deferred_keys()
    MigrationExecutor(connection).migrate(targets)


def _insert(table: str, **values: Any) -> int:
    """A row of a table as it was before the move (plain SQL: the old models are gone)."""
    values = {"public_id": uuid.uuid4(), "created_at": NOW, "updated_at": NOW, **values}
    columns = ", ".join(values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(values))}) RETURNING id",  # noqa: S608
            [json.dumps(v) if isinstance(v, dict) else v for v in values.values()],
        )
        return int(cursor.fetchone()[0])


def _notification(recipient: Any, **values: Any) -> int:
    defaults = {"subject": "Review", "body": "", "link": "", "severity": "info", "level": "", "told_count": 1}
    flags = {"requires_ack": False, "ack_by_link": False, "email_pending": False, "email_error": ""}
    return _insert("notifications_notification", recipient_id=recipient.pk, told_at=TOLD, **defaults | flags | values)


NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
TOLD = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SENT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_every_e_mail_owed_or_sent_moves_to_the_one_outbox(make_user) -> None:
    amy, ben = make_user("amy"), make_user("ben")
    _unapply(AFTER)
    mail = {"attempts": 0, "error": ""}
    _insert("accounts_outgoingemail", to_id=amy.pk, kind="password_link", context={"asker": "A"}, pending=True, **mail)
    _insert(
        "accounts_outgoingemail", to_id=ben.pk, kind="sign_in_failed", context={}, pending=False, sent_at=SENT, **mail
    )
    owed = _notification(amy, email_pending=True, email_error="ConnectionRefusedError")
    emailed = _notification(ben, emailed_at=SENT)
    _notification(ben)  # inbox only: no e-mail was ever owed

    _migrate(AFTER)

    rows = OutgoingEmail.objects.order_by("kind", "to_id")
    assert [(r.kind, r.to_id, r.context, r.pending, r.sent_at, r.error) for r in rows] == [
        ("accounts.password_link", amy.pk, {"asker": "A"}, True, None, ""),
        ("accounts.sign_in_failed", ben.pk, {}, False, SENT, ""),
        ("notifications.notification", amy.pk, {"notification": owed}, True, None, "ConnectionRefusedError"),
        ("notifications.notification", ben.pk, {"notification": emailed}, False, SENT, ""),
    ]
    assert rows.get(context__notification=owed).created_at == TOLD, "owed since the notification was told"
