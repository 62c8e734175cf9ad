"""M-10: a handed-over case must be acknowledged by its new owner within a force-policy time, or it
escalates to the duty inspector. ``DeadlinesConfig.ready`` registers :data:`HANDOVER` and listens with the
functions below to the cases app's events (``haven.cases.hooks``), which run inside the handover's or the
closing's transaction.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.urls import reverse

from haven.core import clock
from haven.deadlines import services
from haven.deadlines.choices import ResponsibleKind
from haven.deadlines.policy import HANDOVER_ACK_WITHIN
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step
from haven.policy.selectors import policy_value

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case, Handover

log = logging.getLogger("haven.deadlines")

HANDOVER = DeadlineKind(
    code="cases.handover",
    rule_id="M-10",
    label="Handover acknowledgement",
    description="The new owner of a handed-over case must acknowledge it.",
    ladder=(
        Step(timedelta(minutes=-15), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(0), Notify.DUTY_INSPECTOR, Severity.URGENT),
        Step(timedelta(hours=1), Notify.DUTY_INSPECTOR, Severity.CRITICAL),
    ),
    pausable=False,
)


def ack_within() -> timedelta:
    """Force policy: how long the new owner has to acknowledge (at least a minute: the setting's rule)."""
    return policy_value(HANDOVER_ACK_WITHIN)


def _key(handover: Handover) -> str:
    return f"handover:{handover.public_id}"


def handover_started(handover: Handover) -> None:
    """M-10: an acknowledgement deadline for the new owner, and an inbox item asking them to accept."""
    from haven.notifications.services import notification_send

    case = handover.case
    deadline = services.deadline_create(
        actor=handover.by,
        case=case,
        kind=HANDOVER.code,
        what="Acknowledge the handover of the case",
        due_at=clock.now() + ack_within(),
        key=_key(handover),
        responsible_user=handover.to_user,
        responsible_team=handover.to_user.team,
        responsible_kind=ResponsibleKind.NAMED,  # the person asked to acknowledge, not whoever owns the case
    )
    notification_send(
        recipient=handover.to_user,
        subject=f"Case {case.reference} was handed to you: please acknowledge it",
        body="Open the case and acknowledge the handover. Until you do, it escalates to the duty inspector.",
        case=case,
        link=reverse("cases:detail", args=[case.public_id]),
        requires_ack=True,
        severity="urgent",
        deadline=deadline,
        email=False,  # the cases service already e-mails the new owner
        ack_by_link=True,
    )


def handover_ended(handover: Handover) -> None:
    """M-10: acknowledged meets the deadline; superseded cancels it."""
    case = handover.case
    if handover.acknowledged_at is not None:
        services.deadline_meet(actor=handover.to_user, case=case, key=_key(handover), how="Handover acknowledged")
    else:
        services.deadline_cancel(
            actor=handover.by, case=case, key=_key(handover), reason="The handover was replaced by a newer one."
        )


def case_closed(case: Case, *, actor: User) -> None:
    """A closed case is read-only: its live deadlines are cancelled so nothing escalates about it, except
    those of kinds that outlive the case (``DeadlineKind.outlives_case``: the return home interview)."""
    services.deadlines_cancel_for_case(actor=actor, case=case, reason=f"Case {case.reference} closed.")


def allocated(case: Case, *, previous_owner: User, actor: User) -> None:
    """M-10 for an allocation: someone else gave the case to its new owner (a duty sergeant from the team
    queue), so the new owner is asked to acknowledge it. Unacknowledged, it climbs to their supervisor and
    then the duty inspector (the sweep's acknowledgement escalation). An accepted handover needs no second
    acknowledgement: the new owner made the change themselves."""
    from haven.notifications.services import notification_send

    owner = case.owner
    if owner is None or owner.pk == actor.pk:
        return
    notification_send(
        recipient=owner,
        subject=f"Case {case.reference} was allocated to you: please acknowledge it",
        body=f"{actor.rank_and_name} allocated the case to you. It is yours now, with its deadlines.",
        case=case,
        link=reverse("cases:detail", args=[case.public_id]),
        requires_ack=True,
        severity="urgent",
        email=False,  # the cases service already e-mails the new owner
    )
