"""The deadline kinds of police protection, and the one door the services use to the engine.

Keys: ``protection:expiry`` (PP-01, the critical alert to the superintendent when the 72 hours run out),
``protection:escalation`` (PP-02, the points before: 48, 60 and 70 hours from the start by default, as
force policy), ``protection:notifications`` (PP-05), ``protection:station`` (PP-07, the supervisor's
alert), ``protection:strategy`` (PP-09). One police protection per case, so one of each per case.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from haven.deadlines import services as engine
from haven.deadlines.choices import ResponsibleKind
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step

if TYPE_CHECKING:
    from datetime import datetime

    from haven.accounts.models import User
    from haven.protection.models import PoliceProtection

EXPIRY = DeadlineKind(
    code="protection.expiry",
    rule_id="PP-01",
    label="Police protection: 72 hours run out",
    ladder=(Step(timedelta(0), Notify.SUPERINTENDENT, Severity.CRITICAL),),
    description="No child may be kept in police protection for more than 72 hours (s46(6)).",
    outlives_case=True,
)
ESCALATION = DeadlineKind(
    code="protection.escalation",
    rule_id="PP-02",
    label="Police protection: hours left",
    ladder=(
        Step(timedelta(hours=-24), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(hours=-12), Notify.DUTY_INSPECTOR, Severity.URGENT),
        Step(timedelta(hours=-2), Notify.SUPERINTENDENT, Severity.URGENT),
    ),
    description="Reminders before the 72 hours run out: by default 48, 60 and 70 hours from the start.",
    outlives_case=True,
)
INQUIRY = DeadlineKind(
    code="protection.inquiry",
    rule_id="PP-03",
    label="Police protection: the designated officer's inquiry",
    ladder=(
        Step(timedelta(hours=-1), Notify.RESPONSIBLE, Severity.URGENT),
        Step(timedelta(0), Notify.DUTY_INSPECTOR, Severity.URGENT),
    ),
    description="Tells the designated officer at once that they are appointed, and the duty inspector if the "
    "inquiry has not started by the time the notifications are due.",
    outlives_case=True,
)
NOTIFICATIONS = DeadlineKind(
    code="protection.notifications",
    rule_id="PP-05",
    label="Police protection: notifications",
    ladder=(
        Step(timedelta(0), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(hours=1), Notify.SUPERVISOR, Severity.URGENT),
    ),
)
STATION = DeadlineKind(
    code="protection.station",
    rule_id="PP-07",
    label="Child in police protection kept at a police station",
    ladder=(Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),),
)
STRATEGY = DeadlineKind(
    code="protection.strategy",
    rule_id="PP-09",
    label="Police protection: strategy discussion",
    ladder=(
        Step(timedelta(0), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(hours=4), Notify.SUPERVISOR, Severity.URGENT),
    ),
)

KINDS = (EXPIRY, ESCALATION, INQUIRY, NOTIFICATIONS, STATION, STRATEGY)

KEY_EXPIRY = "protection:expiry"
KEY_ESCALATION = "protection:escalation"
KEY_INQUIRY = "protection:inquiry"
KEY_NOTIFICATIONS = "protection:notifications"
KEY_STATION = "protection:station"
KEY_STRATEGY = "protection:strategy"
ALL_KEYS = (KEY_EXPIRY, KEY_ESCALATION, KEY_INQUIRY, KEY_NOTIFICATIONS, KEY_STATION, KEY_STRATEGY)


def clock_start(*, protection: PoliceProtection) -> None:
    """PP-01 and PP-02: the 72 hours, the designated officer's (moved to a new one when reappointed)."""
    child = protection.child.full_name
    for kind, key, words in (
        (EXPIRY, KEY_EXPIRY, f"72 hours of police protection of {child} run out: the superintendent is alerted"),
        (ESCALATION, KEY_ESCALATION, f"End police protection of {child} before its 72 hours run out"),
    ):
        engine.deadline_create(
            actor=None,
            case=protection.case,
            kind=kind.code,
            what=words,
            due_at=protection.expires_at,
            key=key,
            responsible_user=protection.designated_officer,
            responsible_kind=ResponsibleKind.NAMED,
        )


def inquiry_due(*, protection: PoliceProtection, due: datetime) -> None:
    """The designated officer is told at once that the inquiry is theirs (an hour before ``due``, when the
    notifications are due; at once if that has passed); met when they record it."""
    engine.deadline_create(
        actor=None,
        case=protection.case,
        kind=INQUIRY.code,
        what=f"You are the designated officer for {protection.child.full_name} in police protection: "
        "start your inquiry",
        due_at=due,
        key=KEY_INQUIRY,
        responsible_user=protection.designated_officer,
        responsible_kind=ResponsibleKind.NAMED,
    )


def clock_move(*, protection: PoliceProtection, actor: User, inquiry_due_at: datetime | None) -> None:
    """A new designated officer: the 72-hour deadlines (and the inquiry, if not yet started) become theirs
    (the due times never move)."""
    for key in (KEY_EXPIRY, KEY_ESCALATION):
        engine.deadline_cancel(actor=actor, case=protection.case, key=key, reason="A new designated officer")
    clock_start(protection=protection)
    if inquiry_due_at is not None:
        engine.deadline_cancel(actor=actor, case=protection.case, key=KEY_INQUIRY, reason="A new designated officer")
        inquiry_due(protection=protection, due=inquiry_due_at)


def owner_due(*, protection: PoliceProtection, kind: DeadlineKind, key: str, due: datetime, what: str) -> None:
    """A deadline for the case's owner (the initiating officer, unless the case is handed over); asked
    again while one is live, the earlier stands."""
    engine.deadline_ensure(
        actor=None,
        case=protection.case,
        kind=kind.code,
        what=what,
        due_at=due,
        key=key,
        responsible_kind=ResponsibleKind.OWNER,
    )


def met(*, protection: PoliceProtection, actor: User, key: str, how: str) -> None:
    engine.deadline_meet(actor=actor, case=protection.case, key=key, how=how)


def ended(*, protection: PoliceProtection, actor: User) -> None:
    """Police protection ended: every one of its clocks is met."""
    for key in ALL_KEYS:
        engine.deadline_meet(actor=actor, case=protection.case, key=key, how="Police protection ended")
