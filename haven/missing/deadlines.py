"""The deadline kinds of a missing episode, and the one door the missing services use to the engine.

``KINDS`` are registered from MissingConfig.ready(). Keys name the record each deadline serves:
``episode:<uuid>:review``, ``…:pnc``, ``…:activity``, ``…:high:<what>``, ``…:prevention``, ``…:rhi``,
``enquiry:<uuid>``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from haven.deadlines import services as engine
from haven.deadlines.choices import LIVE_STATES, ResponsibleKind
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step
from haven.deadlines.selectors import deadline_named, deadlines_for_case

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case
    from haven.missing.choices import Obligation
    from haven.missing.models import Enquiry, Episode

log = logging.getLogger("haven.missing")

_R, _S, _I, _SUP = Notify.RESPONSIBLE, Notify.SUPERVISOR, Notify.DUTY_INSPECTOR, Notify.SUPERINTENDENT

REVIEW = DeadlineKind(
    code="missing.review",
    rule_id="M-04",
    # The first grading and every review after it: "Risk review" beside "Grade the risk" read oddly.
    label="Risk assessment",
    ladder=(
        Step(timedelta(minutes=-30), _R, Severity.WARNING),
        Step(timedelta(0), _S, Severity.URGENT),
        Step(timedelta(hours=1), _I, Severity.CRITICAL),
    ),
)
HIGH_RISK = DeadlineKind(
    code="missing.high_risk",
    rule_id="M-07",
    label="High-risk obligation",
    ladder=(Step(timedelta(0), _S, Severity.URGENT), Step(timedelta(minutes=30), _I, Severity.CRITICAL)),
)
PNC = DeadlineKind(
    code="missing.pnc",
    rule_id="M-09",
    label="PNC circulation",
    ladder=(
        Step(timedelta(hours=-24), _R, Severity.WARNING),
        Step(timedelta(0), _I, Severity.CRITICAL),
    ),
)
ENQUIRY = DeadlineKind(
    code="missing.enquiry",
    rule_id="M-04",
    label="Enquiry due",
    ladder=(Step(timedelta(0), _R, Severity.WARNING), Step(timedelta(hours=1), _S, Severity.URGENT)),
)
ACTIVITY = DeadlineKind(
    code="missing.no_activity",
    rule_id="M-04",
    label="No meaningful activity",
    ladder=(Step(timedelta(0), _S, Severity.URGENT), Step(timedelta(hours=1), _I, Severity.CRITICAL)),
)
PREVENTION = DeadlineKind(
    code="missing.prevention",
    rule_id="M-11",
    label="Prevention interview",
    ladder=(Step(timedelta(hours=-2), _R, Severity.WARNING), Step(timedelta(0), _S, Severity.URGENT)),
)
RHI = DeadlineKind(
    code="missing.rhi",
    rule_id="M-12",
    label="Return home interview",
    ladder=(Step(timedelta(hours=-12), _R, Severity.WARNING), Step(timedelta(0), _S, Severity.URGENT)),
    outlives_case=True,  # tracked with the local authority until recorded, even after the episode closes
)

KINDS = (
    REVIEW,
    HIGH_RISK,
    PNC,
    ENQUIRY,
    ACTIVITY,
    PREVENTION,
    RHI,
)


def create(
    *, actor: User, case: Case, kind: DeadlineKind, what: str, due_at: datetime, key: str, responsible: User | None
) -> None:
    """Create (or, if one is open under ``key``, move) the deadline, in the caller's transaction.

    Every obligation of an episode is the case owner's, whoever that is, and moves with the case when it
    is allocated or handed over; only an enquiry given to someone else by name stays with them.
    """
    if deadline_named(case_id=case.pk, key=key).filter(state__in=LIVE_STATES).exists():
        engine.deadline_reschedule(actor=actor, case=case, key=key, due_at=due_at, reason=what)
        return
    named = kind == ENQUIRY and responsible is not None and responsible.pk != case.owner_id
    engine.deadline_create(
        actor=actor,
        case=case,
        kind=kind.code,
        what=what,
        due_at=due_at,
        responsible_user=responsible if named else None,
        responsible_team=case.team,
        responsible_kind=ResponsibleKind.NAMED if named else ResponsibleKind.OWNER,
        key=key,
    )


def meet(*, actor: User, case: Case, key: str, how: str) -> None:
    engine.deadline_meet(actor=actor, case=case, key=key, how=how)


def cancel(*, actor: User, case: Case, key: str, reason: str) -> None:
    engine.deadline_cancel(actor=actor, case=case, key=key, reason=reason)


def for_case(*, user: User, case: Case) -> list[Any]:
    return list(deadlines_for_case(user=user, case=case))


# --- Keys: one function per kind, the only place a key is spelled ------------------------------


def review_key(episode: Episode) -> str:
    """REVIEW (M-04): the episode's next risk review."""
    return f"episode:{episode.public_id}:review"


def pnc_key(episode: Episode) -> str:
    """PNC (M-09): circulating the child on the PNC."""
    return f"episode:{episode.public_id}:pnc"


def activity_key(episode: Episode) -> str:
    """ACTIVITY (M-04): an enquiry actioned after a medium or high grade."""
    return f"episode:{episode.public_id}:activity"


def high_risk_key(episode: Episode, obligation: Obligation) -> str:
    """HIGH_RISK (M-07): one high-risk obligation (the PNC one has :func:`pnc_key`)."""
    return f"episode:{episode.public_id}:high:{obligation.value}"


def obligation_key(episode: Episode, obligation: Obligation) -> str:
    """The deadline of a high-risk obligation (M-07) or the PNC circulation (M-09)."""
    from haven.missing.choices import Obligation

    return pnc_key(episode) if obligation == Obligation.PNC else high_risk_key(episode, obligation)


def prevention_key(episode: Episode) -> str:
    """PREVENTION (M-11): the prevention interview after the child is found."""
    return f"episode:{episode.public_id}:prevention"


def rhi_key(episode: Episode) -> str:
    """RHI (M-12): the return home interview."""
    return f"episode:{episode.public_id}:rhi"


def enquiry_key(enquiry: Enquiry) -> str:
    """ENQUIRY: one enquiry's due time."""
    return f"enquiry:{enquiry.public_id}"
