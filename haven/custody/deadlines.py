"""The deadline kinds of a child's detention, and the one door the services use to the engine.

Keys name what each deadline serves on the detention's case: ``custody:review`` (C-04, with
``custody:review-alert`` before it), ``custody:limit`` (C-05), ``custody:transfer`` (C-06: request
accommodation or certify), ``custody:court`` (hard alert at the next court sitting) and
``custody:certificate`` (C-07, an inspector's review). ``KINDS`` are registered from ready().
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from haven.core.errors import Conflict
from haven.deadlines import services as engine
from haven.deadlines.choices import ResponsibleKind
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step

if TYPE_CHECKING:
    from datetime import datetime

    from haven.cases.models import Case

REVIEW_ALERT = DeadlineKind(
    code="custody.review_alert",
    rule_id="C-04",
    label="PACE review due soon",
    ladder=(Step(timedelta(0), Notify.RESPONSIBLE, Severity.WARNING),),
)
REVIEW = DeadlineKind(
    code="custody.review",
    rule_id="C-04",
    label="PACE review",
    ladder=(
        Step(timedelta(0), Notify.RESPONSIBLE, Severity.URGENT),
        Step(timedelta(minutes=15), Notify.DUTY_INSPECTOR, Severity.URGENT),
    ),
)
LIMIT = DeadlineKind(
    code="custody.limit",
    rule_id="C-05",
    label="Detention time limit",
    ladder=(
        Step(timedelta(hours=-1), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(0), Notify.DUTY_INSPECTOR, Severity.CRITICAL),
        Step(timedelta(minutes=30), Notify.SUPERINTENDENT, Severity.CRITICAL),
    ),
)
TRANSFER = DeadlineKind(
    code="custody.transfer",
    rule_id="C-06",
    label="Request local authority accommodation",
    ladder=(
        Step(timedelta(0), Notify.RESPONSIBLE, Severity.URGENT),
        Step(timedelta(minutes=30), Notify.DUTY_INSPECTOR, Severity.URGENT),
    ),
)
COURT = DeadlineKind(
    code="custody.court",
    rule_id="C-06",
    label="Charged child still at the police station at court time",
    ladder=(Step(timedelta(0), Notify.DUTY_INSPECTOR, Severity.CRITICAL),),
)
CERTIFICATE = DeadlineKind(
    code="custody.certificate",
    rule_id="C-07",
    label="Review a certificate that cites only a lack of beds",
    ladder=(Step(timedelta(0), Notify.DUTY_INSPECTOR, Severity.URGENT),),
)

KINDS = (REVIEW_ALERT, REVIEW, LIMIT, TRANSFER, COURT, CERTIFICATE)


def start(*, case: Case, kind: DeadlineKind, key: str, what: str, due: datetime) -> None:
    """A deadline for the custody officer who owns the case (its team sees it too)."""
    engine.deadline_create(
        actor=None, case=case, kind=kind.code, what=what, due_at=due, key=key, responsible_kind=ResponsibleKind.OWNER
    )


def move(*, case: Case, kind: DeadlineKind, key: str, what: str, due: datetime, reason: str) -> None:
    """Reschedule a live deadline, or start it if none is live."""
    try:
        with transaction.atomic():  # a savepoint: the Conflict of none live leaves the caller's work whole
            engine.deadline_reschedule(actor=None, case=case, key=key, due_at=due, reason=reason)
    except Conflict:
        start(case=case, kind=kind, key=key, what=what, due=due)


def met(*, case: Case, actor: object, key: str, how: str) -> None:
    engine.deadline_meet(actor=actor, case=case, key=key, how=how)  # type: ignore[arg-type]


def cancel(*, case: Case, key: str, reason: str) -> None:
    engine.deadline_cancel(actor=None, case=case, key=key, reason=reason)
