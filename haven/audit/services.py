"""Every write to the s62 log. Other apps call :func:`access_event_record` in their own transaction."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db import connection, models, transaction

from haven.audit import chain
from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.audit.models import AccessEvent
from haven.audit.rules import dp01_problems
from haven.core import clock
from haven.core.errors import ValidationFailed
from haven.core.request_context import current_request_id


def _ids(values: Iterable[UUID | str]) -> list[UUID]:
    """Public ids as UUIDs, duplicates dropped, order kept."""
    seen: dict[UUID, None] = {}
    for value in values:
        seen.setdefault(value if isinstance(value, UUID) else uuid.UUID(str(value)), None)
    return list(seen)


def access_event_record(
    *,
    actor: Any,
    operation: Operation,
    person_ids: Iterable[UUID] = (),
    case_ids: Iterable[UUID] = (),
    justification: str = "",
    justification_kind: JustificationKind | None = None,
    recipients: Iterable[dict[str, Any]] = (),
    channel: str = "",
    query: str = "",
    detail: dict[str, Any] | None = None,
    outcome: Outcome = Outcome.ALLOWED,
) -> AccessEvent:
    """Record one act of processing in the s62 log (DP-01), in the caller's transaction.

    ``actor`` is the user, or None for Haven's own work (then the justification kind is "system").
    ``person_ids`` and ``case_ids`` are public ids: log every id a search returned. Disclosures name
    their ``recipients`` (dicts such as ``{"name": …, "organisation": …, "lawful_basis": …}``) and
    ``channel``. Fails closed: any problem raises, so the caller's read or write fails with it.
    Nothing here commits: the row lives or dies with the caller's transaction.
    """
    # The enums again: a caller outside the type checker may pass plain strings, and the log keeps
    # only the known vocabularies (an unknown one raises, and the work it records fails with it).
    operation, outcome = Operation(operation), Outcome(outcome)
    kind = JustificationKind(justification_kind) if justification_kind else None
    if actor is None and kind is None:
        kind = JustificationKind.SYSTEM
    elif actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None  # an anonymous attempt: logged without an actor, never as Haven's own work
    recipients = [dict(r) if isinstance(r, dict) else r for r in recipients]
    problems = dp01_problems(
        operation=operation, justification=justification, justification_kind=kind, recipients=recipients
    )
    if problems:
        raise ValidationFailed("The access could not be logged.", fields=problems)
    request_id = current_request_id()
    event = AccessEvent(
        occurred_at=clock.now(),
        operation=operation,
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        person_ids=_ids(person_ids),
        case_ids=_ids(case_ids),
        justification=justification.strip(),
        justification_kind=kind or "",
        recipients=chain.normalise_json(recipients),
        channel=channel,
        query=query,
        detail=chain.normalise_json(detail or {}),
        outcome=outcome,
        request_id="" if request_id == "-" else request_id[:64],
    )
    # savepoint=False: no savepoint of our own, and outside any transaction this opens one, so the
    # advisory lock is held from reading the chain head until the row commits with the caller's work.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.CHAIN_LOCK])
        head = AccessEvent.objects.order_by("-id").values_list("row_hash", flat=True).first()
        event.prev_hash = head or chain.GENESIS
        event.row_hash = chain.row_hash(event)
        event.save(force_insert=True)
    kept = _denials.get()
    if outcome == Outcome.DENIED and kept is not None:
        kept.append(event)
    return event


# --- Denied attempts outlive the transaction the refusal rolls back -------------------------------

# The denied rows written while a request is served (None outside :func:`denials_kept`).
_denials: ContextVar[list[AccessEvent] | None] = ContextVar("audit_denials", default=None)


def denials_written() -> int:
    """How many ``denied`` rows were written so far inside the current :func:`denials_kept` block."""
    kept = _denials.get()
    return len(kept) if kept is not None else 0


@contextmanager
def denials_kept() -> Iterator[None]:
    """Every ``denied`` row written inside the block is in the log when it ends (DP-01).

    A refusal raises NotFound, and the transaction the selector ran in (a service's, a page's) rolls
    back with the ``denied`` row it had just written. At the end of the block each denied row that is
    no longer there is written again, outside the failed transaction. A row that survived (its
    transaction committed, or is still open, as in a test) is not written twice. The middleware
    (:class:`haven.audit.middleware.DenialsKeptMiddleware`) wraps every request in this.
    """
    token = _denials.set([])
    try:
        yield
    finally:
        written = _denials.get() or []
        _denials.reset(token)
        _write_lost(written)


def _write_lost(written: list[AccessEvent]) -> None:
    if not written or connection.needs_rollback:
        return
    present = set(
        AccessEvent.objects.filter(
            pk__in=[e.pk for e in written], occurred_at__in={e.occurred_at for e in written}
        ).values_list("pk", flat=True)
    )
    for event in written:
        if event.pk in present:
            continue
        access_event_record(
            actor=event.actor,
            operation=Operation(event.operation),
            person_ids=event.person_ids,
            case_ids=event.case_ids,
            justification=event.justification,
            justification_kind=JustificationKind(event.justification_kind) if event.justification_kind else None,
            recipients=event.recipients,
            channel=event.channel,
            query=event.query,
            detail={**event.detail, "written_after_rollback": True},
            outcome=Outcome.DENIED,
        )


# --- A refusal no selector logged ------------------------------------------------------------------

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@functools.cache
def _records() -> tuple[list[type[models.Model]], str]:
    """Every Haven record a URL can name (a model whose ``public_id`` is unique, so indexed; the change
    history's copies are not), and the one statement that finds which of them hold the ids: each row
    found is (its model's place in the list, its id)."""
    named = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("haven.")
        and m is not AccessEvent
        and any(f.name == "public_id" and f.unique for f in m._meta.concrete_fields)
    ]
    # Only table names from the models and numbers go into the text; the ids are a parameter.
    statement = " UNION ALL ".join(
        f"SELECT {n}, id FROM {connection.ops.quote_name(m._meta.db_table)} WHERE public_id = ANY(%(ids)s::uuid[])"  # noqa: S608
        for n, m in enumerate(named)
    )
    return named, statement


def _about(row: models.Model, people: dict[UUID, None], cases: dict[UUID, None], depth: int = 2) -> None:
    """The people and cases ``row`` is about: itself, or what its foreign keys lead to (two steps)."""
    label = row._meta.label
    if label == "people.Person":
        people.setdefault(row.public_id, None)  # type: ignore[attr-defined]
        return
    if label == "cases.Case":
        cases.setdefault(row.public_id, None)  # type: ignore[attr-defined]
        subject = getattr(row, "subject", None)
        if subject is not None:
            people.setdefault(subject.public_id, None)
        return
    if depth == 0:
        return
    for field in row._meta.concrete_fields:
        target = field.related_model if field.many_to_one or field.one_to_one else None
        if target is None or not str(target.__module__).startswith("haven.") or target._meta.label == "accounts.User":
            continue
        related = getattr(row, field.name, None)
        if related is not None:
            _about(related, people, cases, depth - 1)


def refusal_record(*, actor: Any, path: str) -> AccessEvent | None:
    """Log a 404 or 403 that no selector logged: ``path`` names a record that exists, so it was refused.

    Selectors log their own refusals (with what was asked); this is the net under them, for a page or
    route whose lookup answers 404 without one (DP-01: every attempt is kept, the refused too). It
    costs one statement (an index lookup per kind of record, in one UNION), so a mistyped id or a
    record that is not there is cheap; only a refusal it has to log reads the records found, to name
    the people and cases they are about. A path naming no record that exists writes nothing.
    """
    ids = list(dict.fromkeys(_UUID.findall(path)))
    if not ids:
        return None
    named, statement = _records()
    with connection.cursor() as cursor:
        cursor.execute(statement, {"ids": ids})
        found = cursor.fetchall()
    if not found:
        return None
    people: dict[UUID, None] = {}
    cases: dict[UUID, None] = {}
    for n, pk in found:
        _about(named[n]._default_manager.get(pk=pk), people, cases)
    return access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=list(people),
        case_ids=list(cases),
        detail={"path": path[:500], "records": sorted({named[n]._meta.label for n, _ in found})},
        outcome=Outcome.DENIED,
    )
