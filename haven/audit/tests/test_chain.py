"""The s62 log is hash-chained: `haven audit-verify` finds the first altered or removed row (DP-02)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, connections, transaction

from haven.audit import chain
from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.audit.services import access_event_record


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def _protect_trigger() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_accessevent'::regclass AND tgname LIKE %s",
            ["pgtrigger_append_only%"],
        )
        return str(cursor.fetchone()[0])


def _tamper(sql: str, params: list[Any]) -> None:
    """Change the log behind Haven's back, as someone with the table owner's rights could."""
    trigger = _protect_trigger()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while FK checks are pending
        cursor.execute(f'ALTER TABLE audit_accessevent DISABLE TRIGGER "{trigger}"')
        cursor.execute(sql, params)
        cursor.execute(f'ALTER TABLE audit_accessevent ENABLE TRIGGER "{trigger}"')


@pytest.fixture
def events(db: Any, make_user: Callable[..., Any]) -> list[AccessEvent]:
    user = make_user(mfa=False)
    return [
        access_event_record(actor=user, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4()], detail={"n": n})
        for n in range(10)
    ]


def test_the_chain_stays_valid_across_many_inserts(events: list[AccessEvent]) -> None:
    assert events[0].prev_hash == chain.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.row_hash
    assert _verify().startswith("chain intact: 10 rows")


def test_an_empty_log_is_intact(db: Any) -> None:
    assert _verify().startswith("chain intact: 0 rows")


def test_dp02_altering_one_row_makes_audit_verify_fail_at_exactly_that_row(events: list[AccessEvent]) -> None:
    altered = events[6]
    _tamper("UPDATE audit_accessevent SET justification = 'nothing to see' WHERE id = %s", [altered.pk])
    with pytest.raises(CommandError, match=rf"chain broken at row {altered.pk}: its contents"):
        _verify()


def test_dp02_removing_one_row_makes_audit_verify_fail_at_the_row_after_it(events: list[AccessEvent]) -> None:
    _tamper("DELETE FROM audit_accessevent WHERE id = %s", [events[3].pk])
    with pytest.raises(CommandError, match=rf"chain broken at row {events[4].pk}: its link"):
        _verify()


def test_dp02_rewriting_a_row_with_a_fresh_hash_still_breaks_the_next_link(events: list[AccessEvent]) -> None:
    forged = AccessEvent.objects.get(pk=events[2].pk)
    forged.justification = "forged"
    new_hash = chain.row_hash(forged)
    _tamper("UPDATE audit_accessevent SET justification = 'forged', row_hash = %s WHERE id = %s", [new_hash, forged.pk])
    with pytest.raises(CommandError, match=rf"chain broken at row {events[3].pk}"):
        _verify()


def test_the_chain_cannot_fork_two_rows_may_not_share_a_predecessor(events: list[AccessEvent]) -> None:
    fork = AccessEvent.objects.get(pk=events[-1].pk)
    fork.pk = None
    fork.public_id = uuid.uuid4()
    fork.row_hash = "f" * 64
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain(make_user: Callable[..., Any]) -> None:
    user = make_user(mfa=False)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    access_event_record(actor=user, operation=Operation.CONSULTATION, detail={"writer": n, "i": i})
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _verify().startswith("chain intact: 40 rows")


def test_bin_haven_audit_verify_exits_non_zero_when_the_chain_is_broken(
    events: list[AccessEvent], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from haven.cli import main

    # run_from_argv closes every connection when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    main(["haven", "audit-verify"])
    assert "chain intact: 10 rows" in capsys.readouterr().out
    _tamper("UPDATE audit_accessevent SET channel = 'edited' WHERE id = %s", [events[0].pk])
    with pytest.raises(SystemExit) as exited:
        main(["haven", "audit-verify"])
    assert exited.value.code != 0
    assert f"chain broken at row {events[0].pk}" in capsys.readouterr().err


def test_detail_with_numbers_jsonb_rewrites_still_verifies(db: Any) -> None:
    detail = {"big": 1e20, "ratio": 0.1, "whole": 2.0, "tiny": 1.5e-7, "id": uuid.uuid4(), "nested": [{"n": 3}]}
    access_event_record(actor=None, operation=Operation.COMBINATION, detail=detail)
    assert _verify().startswith("chain intact: 1 rows")
