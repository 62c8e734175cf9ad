"""Every read of the s62 log, for auditors and data protection officers only (DP-02).

Reading the log is itself processing of personal data, so each read here writes its own row: a
consultation for pages and the API, a disclosure (to the auditor) for a CSV export. Anyone else is
told the log does not exist (NotFound: 404 in the UI and the API), like any record they may not see.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from haven.accounts.models import Rank, User
from haven.audit.choices import JustificationKind, Operation
from haven.audit.models import AccessEvent
from haven.audit.policy import PEOPLE_PER_HOUR
from haven.audit.services import access_event_record
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.policy.selectors import policy_value

SELF_MONITORING = "Self-monitoring of the s62 log (DPA 2018 s62(4))."
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class LogFilter:
    """What an auditor asked of the log. ``user`` is a username or a user's public id."""

    person: uuid.UUID | None = None
    case: uuid.UUID | None = None
    user: str = ""
    since: datetime | None = None
    until: datetime | None = None
    operation: str = ""  # one of Operation's values, or any

    @property
    def is_empty(self) -> bool:
        return not (self.person or self.case or self.user)

    def as_detail(self) -> dict[str, Any]:
        return {
            "person": str(self.person) if self.person else None,
            "case": str(self.case) if self.case else None,
            "user": self.user or None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "operation": self.operation or None,
        }


def is_auditor(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.has_perm(Perm.AUDIT_LOG_VIEW))


def _require_auditor(actor: Any) -> None:
    """DP-02: only auditors and DPOs read the log; to anyone else it is not there (404, not 403)."""
    if not is_auditor(actor):
        raise NotFound("Not found.")


def _user_filter(user: str) -> Q:
    """A user by public id, username (as it is now or was then) or name: auditors look people up by
    name ("Tom Jones", "PC Tom Jones", the user picker's label), and a user who has left the force
    is still found."""
    text = " ".join(user.split())
    try:
        return Q(actor__public_id=uuid.UUID(text))
    except ValueError:
        pass
    by_name = Q(actor__username__iexact=text) | Q(actor_username__iexact=text)
    named = User.objects.annotate(full=Concat("first_name", Value(" "), "last_name")).filter(
        Q(full__iexact=text) | Q(full__iexact=_without_rank_or_label(text))
    )
    return by_name | Q(actor__in=named)


def _without_rank_or_label(text: str) -> str:
    """The name in "PC Tom Jones (4521), Response team A" (the user picker's label): "Tom Jones"."""
    name = text.split("(")[0].split(",")[0].strip()
    first, _, rest = name.partition(" ")
    return rest if rest and Rank.objects.filter(code__iexact=first).exists() else name


def access_event_filter(*, actor: Any, log_filter: LogFilter) -> QuerySet[AccessEvent]:
    """The events matching ``log_filter``, newest first. Does not log: callers use the functions below."""
    _require_auditor(actor)
    events = AccessEvent.objects.select_related("actor")
    if log_filter.person:
        events = events.filter(person_ids__contains=[log_filter.person])
    if log_filter.case:
        events = events.filter(case_ids__contains=[log_filter.case])
    if log_filter.user:
        events = events.filter(_user_filter(log_filter.user))
    if log_filter.since:
        events = events.filter(occurred_at__gte=log_filter.since)
    if log_filter.until:
        events = events.filter(occurred_at__lt=log_filter.until)
    if log_filter.operation:
        events = events.filter(operation=log_filter.operation)
    return events.order_by("-occurred_at", "-id")


def _log_read(*, actor: Any, log_filter: LogFilter, events: list[AccessEvent], channel: str, export: bool) -> None:
    access_event_record(
        actor=actor,
        operation=Operation.DISCLOSURE if export else Operation.CONSULTATION,
        person_ids=[log_filter.person] if log_filter.person else (),
        case_ids=[log_filter.case] if log_filter.case else (),
        justification=SELF_MONITORING,
        justification_kind=JustificationKind.STATED,
        recipients=[{"name": actor.get_username(), "kind": "auditor", "lawful_basis": "DPA 2018 s62(4)"}]
        if export
        else (),
        channel=channel,
        detail={"s62_log": log_filter.as_detail(), "rows": len(events)},
    )


@transaction.atomic
def access_event_search(
    *, actor: Any, log_filter: LogFilter, limit: int = 200, offset: int = 0, channel: str = "ui"
) -> tuple[list[AccessEvent], int]:
    """One page of matching events and how many match in all; logs the read as a consultation (DP-02)."""
    events = access_event_filter(actor=actor, log_filter=log_filter)
    total = events.count()
    page = list(events[offset : offset + limit])
    _log_read(actor=actor, log_filter=log_filter, events=page, channel=channel, export=False)
    return page, total


@transaction.atomic
def access_event_export(*, actor: Any, log_filter: LogFilter) -> list[AccessEvent]:
    """Up to :data:`EXPORT_LIMIT` matching events for a CSV file; logs a disclosure to the auditor (DP-01)."""
    events = list(access_event_filter(actor=actor, log_filter=log_filter)[:EXPORT_LIMIT])
    _log_read(actor=actor, log_filter=log_filter, events=events, channel="csv", export=True)
    return events


# --- People, found by name for the auditor ------------------------------------------------------
# The people register sits above the log (haven.people imports it), so the log reads the Person
# model by name, as the alerts below do, never through its selectors (which log for officers).

PEOPLE_LIMIT = 50


@dataclass(frozen=True)
class PersonFound:
    """A person as the auditor's pages name them."""

    public_id: uuid.UUID
    name: str
    date_of_birth: date | None
    restricted: bool = False
    merged: bool = False

    def __str__(self) -> str:
        return self.name


def _person_model() -> Any:
    return apps.get_model("people", "Person")


def _found(person: Any) -> PersonFound:
    return PersonFound(
        public_id=person.public_id,
        name=f"{person.forenames} {person.surname}".strip(),
        date_of_birth=person.date_of_birth,
        restricted=person.is_restricted,
        merged=person.merged_into_id is not None,
    )


_JOINERS = re.compile(r"['’‘`´]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> list[str]:
    """The words of a name folded as the register folds ``normalised_name`` (haven.people.rules:
    case and accents go, apostrophes vanish, anything else separates words)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    bare = bare.replace("ß", "ss").replace("æ", "ae").replace("ø", "o").replace("ł", "l")
    return _SEPARATORS.sub(" ", _JOINERS.sub("", bare)).split()


def person_named(public_id: uuid.UUID) -> PersonFound | None:
    """The person with ``public_id`` (merged and restricted too), for a page whose own read is logged."""
    person = _person_model()._default_manager.filter(public_id=public_id).first()
    return _found(person) if person is not None else None


@transaction.atomic
def people_find(*, actor: Any, name: str, date_of_birth: date | None = None) -> tuple[list[PersonFound], bool]:
    """People whose name (or alias) holds every word of ``name``, born on ``date_of_birth`` if given
    (or with an estimated date of birth spanning it): at most :data:`PEOPLE_LIMIT`, and whether there
    were more. Restricted and merged people are found too: the log is about everyone.

    The search is itself a consultation of the people it found (DP-02), logged with what was asked."""
    _require_auditor(actor)
    people = _person_model()._default_manager.all()
    for word in _fold(name):
        people = people.filter(Q(normalised_name__contains=word) | Q(aliases__normalised_name__contains=word))
    if date_of_birth is not None:
        people = people.filter(
            Q(date_of_birth=date_of_birth)
            | Q(date_of_birth_earliest__lte=date_of_birth, date_of_birth_latest__gte=date_of_birth)
        )
    rows = list(people.distinct().order_by("surname", "forenames", "date_of_birth", "pk")[: PEOPLE_LIMIT + 1])
    found = [_found(p) for p in rows[:PEOPLE_LIMIT]]
    asked = f"name: {name.strip()}" + (f"; born: {date_of_birth.isoformat()}" if date_of_birth else "")
    access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=[p.public_id for p in found],
        justification=SELF_MONITORING,
        justification_kind=JustificationKind.STATED,
        channel="ui",
        query=asked,
        detail={PEOPLE_SEARCH_KEY: {"name": name.strip(), "date_of_birth": str(date_of_birth or "") or None}},
    )
    return found, len(rows) > PEOPLE_LIMIT


PEOPLE_SEARCH_KEY = "s62_people"


# --- Subject-access report ----------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectAccessReport:
    """Every processing of one person's data the log records (DPA 2018 s45 / s62), newest first."""

    person: uuid.UUID
    events: list[AccessEvent]
    by_operation: dict[str, int]
    generated_at: datetime
    truncated: bool
    named: PersonFound | None = None  # None: no such person in the register (erased, or never held)

    @property
    def total(self) -> int:
        return len(self.events)


@transaction.atomic
def subject_access_report(*, actor: Any, person: uuid.UUID, channel: str = "ui") -> SubjectAccessReport:
    """All the events naming ``person`` (up to :data:`EXPORT_LIMIT`), for the person's subject-access
    request. Reading it is logged: a consultation on screen and in print, a disclosure to the auditor
    for the CSV file (which leaves Haven)."""
    _require_auditor(actor)
    log_filter = LogFilter(person=person)
    events = list(access_event_filter(actor=actor, log_filter=log_filter)[: EXPORT_LIMIT + 1])
    truncated = len(events) > EXPORT_LIMIT
    events = events[:EXPORT_LIMIT]
    by_operation = {op.label: 0 for op in Operation}
    for e in events:
        by_operation[Operation(e.operation).label] += 1
    export = channel == "csv"
    access_event_record(
        actor=actor,
        operation=Operation.DISCLOSURE if export else Operation.CONSULTATION,
        person_ids=[person],
        justification=SELF_MONITORING,
        justification_kind=JustificationKind.STATED,
        recipients=[{"name": actor.get_username(), "kind": "auditor", "lawful_basis": "DPA 2018 s45, s62(4)"}]
        if export
        else (),
        channel=channel,
        detail={"s62_subject_access": str(person), "rows": len(events)},
    )
    return SubjectAccessReport(person, events, by_operation, clock.now(), truncated, person_named(person))


# --- Alerts for unusual access -----------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    kind: str  # "many_people", "break_glass", "out_of_allocation" or "flagged"
    at: datetime
    username: str
    summary: str
    person_ids: list[uuid.UUID] = field(default_factory=list)
    case_ids: list[uuid.UUID] = field(default_factory=list)
    event_id: int | None = None


def people_per_hour_limit() -> int:
    """N of the "more than N people in an hour" alert: force policy (audit.alert_people_per_hour)."""
    return policy_value(PEOPLE_PER_HOUR)


def _many_people(since: datetime, until: datetime, limit: int) -> list[Alert]:
    """Users who consulted more than ``limit`` distinct people within one clock hour."""
    sql = """
        SELECT e.actor_username, date_trunc('hour', e.occurred_at) AS hour, count(DISTINCT p.id) AS people
        FROM audit_accessevent e CROSS JOIN LATERAL unnest(e.person_ids) AS p(id)
        WHERE e.operation = %s AND e.outcome = 'allowed' AND e.actor_id IS NOT NULL
          AND e.occurred_at >= %s AND e.occurred_at < %s
        GROUP BY e.actor_id, e.actor_username, hour
        HAVING count(DISTINCT p.id) > %s
        ORDER BY hour DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [Operation.CONSULTATION.value, since, until, limit])
        rows = cursor.fetchall()
    return [
        Alert("many_people", hour, username, f"Consulted {people} people in the hour from {hour:%H:%M} UTC")
        for username, hour, people in rows
    ]


def _break_glass(since: datetime, until: datetime) -> Iterable[Alert]:
    events = AccessEvent.objects.filter(
        justification_kind=JustificationKind.BREAK_GLASS, occurred_at__gte=since, occurred_at__lt=until
    ).order_by("-occurred_at")
    for e in events[:1000]:
        yield Alert(
            "break_glass",
            e.occurred_at,
            e.actor_username,
            f"Broke the glass: {e.justification}",
            person_ids=list(e.person_ids),
            case_ids=list(e.case_ids),
            event_id=e.id,
        )


ALERT_KEY = "alert"
"""An s62 row whose ``detail`` carries this key is an alert in itself: the writing service knew the
event needs an auditor's eye (a case opened about a refuge person, a role granted). Its value is the
sentence the auditor reads."""


def _flagged(since: datetime, until: datetime) -> Iterable[Alert]:
    """Events their own service flagged for the auditors (``detail["alert"]``)."""
    events = AccessEvent.objects.filter(
        detail__has_key=ALERT_KEY, occurred_at__gte=since, occurred_at__lt=until
    ).order_by("-occurred_at")
    for e in events[:1000]:
        yield Alert(
            "flagged",
            e.occurred_at,
            e.actor_username,
            str(e.detail[ALERT_KEY]),
            person_ids=list(e.person_ids),
            case_ids=list(e.case_ids),
            event_id=e.id,
        )


# Reads of the log itself name people and cases without touching their records: never an alert.
SELF_MONITORING_KEYS = ["s62_log", "s62_alerts", "s62_subject_access", PEOPLE_SEARCH_KEY]


def _out_of_allocation(since: datetime, until: datetime) -> list[Alert]:
    """Events in which a user reached a restricted case or person they are not allocated to.

    Allocated means, as the record stands now: the case's owner or pending owner or a named member;
    a named member of the restricted person. Anything else (breaking the glass, a force-wide role, a
    read path that forgot to check) is an alert. Haven's own work and reads of the log are not.
    """
    from django.apps import apps

    case = apps.get_model("cases", "Case")
    person = apps.get_model("people", "Person")
    case_members = case._meta.get_field("members").remote_field.through._meta.db_table  # type: ignore[union-attr]
    person_members = person._meta.get_field("members").remote_field.through._meta.db_table  # type: ignore[union-attr]
    sql = f"""
        SELECT * FROM (
            SELECT e.id, e.occurred_at, e.actor_username, e.justification_kind, e.justification,
                   'case' AS kind, c.public_id, c.reference AS label
            FROM audit_accessevent e
            CROSS JOIN LATERAL unnest(e.case_ids) AS ec(id)
            JOIN {case._meta.db_table} c ON c.public_id = ec.id
            WHERE c.sensitivity = 'restricted'
              AND e.occurred_at >= %(since)s AND e.occurred_at < %(until)s
              AND e.actor_id IS NOT NULL AND e.outcome = 'allowed' AND NOT (e.detail ?| %(keys)s)
              AND e.actor_id <> c.owner_id AND e.actor_id IS DISTINCT FROM c.pending_owner_id
              AND NOT EXISTS (SELECT 1 FROM {case_members} m WHERE m.case_id = c.id AND m.user_id = e.actor_id)
            UNION ALL
            SELECT e.id, e.occurred_at, e.actor_username, e.justification_kind, e.justification,
                   'person' AS kind, p.public_id, '' AS label
            FROM audit_accessevent e
            CROSS JOIN LATERAL unnest(e.person_ids) AS ep(id)
            JOIN {person._meta.db_table} p ON p.public_id = ep.id
            WHERE p.is_restricted
              AND e.occurred_at >= %(since)s AND e.occurred_at < %(until)s
              AND e.actor_id IS NOT NULL AND e.outcome = 'allowed' AND NOT (e.detail ?| %(keys)s)
              AND NOT EXISTS (SELECT 1 FROM {person_members} m WHERE m.person_id = p.id AND m.user_id = e.actor_id)
        ) found
        ORDER BY occurred_at DESC
        LIMIT 1000
    """  # noqa: S608 - table names come from the models, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, {"since": since, "until": until, "keys": SELF_MONITORING_KEYS})
        rows = cursor.fetchall()
    alerts = []
    for event_id, at, username, justification_kind, justification, kind, public_id, label in rows:
        how = "by breaking the glass" if justification_kind == JustificationKind.BREAK_GLASS else "without allocation"
        what = f"restricted case {label}" if kind == "case" else "a restricted person"
        reason = f": {justification}" if justification else ""
        alerts.append(
            Alert(
                "out_of_allocation",
                at,
                username,
                f"Opened {what} {how}{reason}",
                person_ids=[public_id] if kind == "person" else [],
                case_ids=[public_id] if kind == "case" else [],
                event_id=event_id,
            )
        )
    return alerts


@transaction.atomic
def access_alert_list(*, actor: Any, since: datetime | None = None, until: datetime | None = None) -> list[Alert]:
    """Unusual access in the period (default the last 7 days), newest first; the read is logged."""
    _require_auditor(actor)
    until = until or clock.now()
    since = since or until - timedelta(days=7)
    out_of_allocation = _out_of_allocation(since, until)
    # Breaking the glass on a restricted record is out of allocation by definition: shown once, as that.
    covered = {a.event_id for a in out_of_allocation}
    alerts = [
        *_many_people(since, until, people_per_hour_limit()),
        *(a for a in _break_glass(since, until) if a.event_id not in covered),
        *out_of_allocation,
        *_flagged(since, until),
    ]
    alerts.sort(key=lambda a: a.at, reverse=True)
    access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        justification=SELF_MONITORING,
        justification_kind=JustificationKind.STATED,
        channel="ui",
        detail={"s62_alerts": {"since": since.isoformat(), "until": until.isoformat()}, "rows": len(alerts)},
    )
    return alerts
