"""The s62 log records all six operations with their fields, append-only, failing closed (DP-01, DP-02)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from haven.accounts.models import Team
from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.audit.models import AccessEvent
from haven.audit.services import access_event_record
from haven.core import request_context
from haven.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user("pc_jones", mfa=False)


@pytest.mark.parametrize("operation", list(Operation))
def test_dp01_each_of_the_six_operations_is_recorded_with_its_fields(officer: Any, operation: Operation) -> None:
    person, case = uuid.uuid4(), uuid.uuid4()
    recipients = [{"name": "Duty social worker", "organisation": "Children's services", "lawful_basis": "Sch 8"}]
    token = request_context.begin("req-12345678")
    try:
        event = access_event_record(
            actor=officer,
            operation=operation,
            person_ids=[person, person],
            case_ids=[case],
            justification="Strategy discussion",
            justification_kind=JustificationKind.STATED,
            recipients=recipients if operation == Operation.DISCLOSURE else (),
            channel="secure email" if operation == Operation.DISCLOSURE else "",
            query="smith 2014" if operation == Operation.CONSULTATION else "",
            detail={"record": "person", "fields": ["address"]},
        )
    finally:
        request_context.end(token)

    row = AccessEvent.objects.get(pk=event.pk)
    assert row.operation == operation
    assert row.actor == officer
    assert row.actor_username == "pc_jones"
    assert row.person_ids == [person]
    assert row.case_ids == [case]
    assert row.justification == "Strategy discussion"
    assert row.justification_kind == JustificationKind.STATED
    assert row.recipients == (recipients if operation == Operation.DISCLOSURE else [])
    assert row.detail == {"record": "person", "fields": ["address"]}
    assert row.outcome == Outcome.ALLOWED
    assert row.request_id == "req-12345678"
    assert row.occurred_at is not None
    assert len(row.row_hash) == 64


def test_dp01_a_disclosure_without_recipients_is_refused(officer: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        access_event_record(actor=officer, operation=Operation.DISCLOSURE, person_ids=[uuid.uuid4()])
    assert "recipients" in caught.value.fields


def test_dp06_breaking_the_glass_without_a_reason_is_refused(officer: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        access_event_record(
            actor=officer, operation=Operation.CONSULTATION, justification_kind=JustificationKind.BREAK_GLASS
        )
    assert "justification" in caught.value.fields


def test_system_work_is_recorded_without_an_actor() -> None:
    event = access_event_record(actor=None, operation=Operation.ERASURE, person_ids=[uuid.uuid4()])
    assert event.actor is None
    assert event.actor_username == ""
    assert event.justification_kind == JustificationKind.SYSTEM


def test_an_unknown_operation_is_refused(officer: Any) -> None:
    with pytest.raises(ValueError, match="peeked"):
        access_event_record(actor=officer, operation="peeked")  # type: ignore[arg-type]


def test_the_actor_username_is_a_snapshot_that_survives_a_rename(officer: Any) -> None:
    event = access_event_record(actor=officer, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4()])
    officer.username = "pc_smith"
    officer.save()
    assert AccessEvent.objects.get(pk=event.pk).actor_username == "pc_jones"


def test_who_viewed_a_person_is_one_query_over_every_id_a_search_returned(officer: Any) -> None:
    wanted, others = uuid.uuid4(), [uuid.uuid4() for _ in range(5)]
    search = access_event_record(
        actor=officer, operation=Operation.CONSULTATION, person_ids=[*others, wanted], query="smith"
    )
    access_event_record(actor=officer, operation=Operation.CONSULTATION, person_ids=others[:2])
    assert list(AccessEvent.objects.filter(person_ids__contains=[wanted])) == [search]


# --- DP-02: append-only, enforced by the database -----------------------------------------------


def test_dp02_the_database_refuses_update_of_a_log_row(officer: Any) -> None:
    event = access_event_record(actor=officer, operation=Operation.CONSULTATION)
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_accessevent SET justification = 'x' WHERE id = %s", [event.pk])


def test_dp02_the_database_refuses_delete_of_a_log_row(officer: Any) -> None:
    event = access_event_record(actor=officer, operation=Operation.CONSULTATION)
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_accessevent WHERE id = %s", [event.pk])
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_dp02_the_orm_cannot_delete_log_rows_either(officer: Any) -> None:
    access_event_record(actor=officer, operation=Operation.CONSULTATION)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.count() == 1


# --- Fail closed ------------------------------------------------------------------------------


@pytest.fixture
def log_refuses_inserts() -> None:
    """Make every INSERT into the log fail, as a full disk or a revoked privilege would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_log() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'log unavailable'; END $$;"
            "CREATE TRIGGER test_refuse_log BEFORE INSERT ON audit_accessevent "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_log();"
        )
    # The test's transaction is rolled back afterwards, taking the trigger and function with it.


def test_dp01_when_the_log_cannot_be_written_the_callers_work_fails_with_it(
    officer: Any, log_refuses_inserts: None
) -> None:
    def create_team_and_log() -> None:
        with transaction.atomic():
            Team.objects.create(code="READ", name="Work done before logging")
            access_event_record(actor=officer, operation=Operation.COLLECTION, person_ids=[uuid.uuid4()])

    with pytest.raises(DatabaseError, match="log unavailable"):
        create_team_and_log()
    assert not Team.objects.filter(code="READ").exists()


def test_dp01_a_read_that_cannot_be_logged_returns_nothing(officer: Any, log_refuses_inserts: None) -> None:
    def read_person() -> str:
        with transaction.atomic():
            access_event_record(actor=officer, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4()])
            return "the person's record"

    shown = None
    with pytest.raises(DatabaseError):
        shown = read_person()
    assert shown is None


def _can_create_roles() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def test_dp01_with_insert_on_the_log_revoked_the_read_is_refused(officer: Any) -> None:
    """The application's role loses INSERT on the log: the read that would have been logged fails."""
    if not _can_create_roles():
        pytest.skip("the test database user cannot create roles")
    with connection.cursor() as cursor:
        # Created and dropped inside the test's transaction, so nothing outlives the test.
        cursor.execute("CREATE ROLE haven_test_no_log_insert NOLOGIN")
        cursor.execute("GRANT USAGE ON SCHEMA public TO haven_test_no_log_insert")
        cursor.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO haven_test_no_log_insert")
        cursor.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO haven_test_no_log_insert")

    def read_as_application() -> str:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL ROLE haven_test_no_log_insert")
            access_event_record(actor=officer, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4()])
            return "the person's record"

    shown = None
    try:
        with pytest.raises(DatabaseError, match="permission denied"):
            shown = read_as_application()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert shown is None
    assert not AccessEvent.objects.exists()


def test_an_anonymous_attempt_is_logged_without_an_actor_and_not_as_system_work() -> None:
    from django.contrib.auth.models import AnonymousUser

    event = access_event_record(actor=AnonymousUser(), operation=Operation.CONSULTATION, outcome=Outcome.DENIED)
    assert event.actor is None
    assert event.justification_kind == ""
    assert event.outcome == Outcome.DENIED
