"""The deadline kinds of a child concern referral (S-02), and the one door the services use to the engine.

Keys name the referral each deadline serves: ``referral:<uuid>:review``, ``…:share``, ``…:share-hard``.
``KINDS`` are registered from ReferralsConfig.ready().
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from haven.deadlines import services as engine
from haven.deadlines.choices import ResponsibleKind
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step

if TYPE_CHECKING:
    from datetime import datetime

    from haven.accounts.models import Team
    from haven.cases.models import Case
    from haven.referrals.models import ChildConcernReferral

REVIEW = DeadlineKind(
    code="referrals.review",
    rule_id="S-02",
    label="Referral review",
    ladder=(Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),),
    outlives_case=True,
)
SHARE = DeadlineKind(
    code="referrals.share",
    rule_id="S-02",
    label="Share a referral",
    ladder=(
        Step(timedelta(hours=-1), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),
    ),
    outlives_case=True,
)
SHARE_HARD = DeadlineKind(
    code="referrals.share_hard",
    rule_id="S-02",
    label="Referral not shared: hard alert",
    ladder=(Step(timedelta(0), Notify.DUTY_INSPECTOR, Severity.CRITICAL),),
    outlives_case=True,
)

RAISE = DeadlineKind(
    code="referrals.raise",
    rule_id="S-01",
    label="Raise a child concern referral",
    ladder=(
        Step(timedelta(0), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(hours=1), Notify.SUPERVISOR, Severity.URGENT),
        Step(timedelta(hours=4), Notify.DUTY_INSPECTOR, Severity.CRITICAL),
    ),
    outlives_case=True,
)

KINDS = (REVIEW, SHARE, SHARE_HARD, RAISE)

RAISE_KEY = "referral:raise"
"""The one key of a case's "raise a referral" deadline: at most one live per case."""


def key(referral: ChildConcernReferral, what: str) -> str:
    return f"referral:{referral.public_id}:{what}"


def start(
    *, referral: ChildConcernReferral, team: Team, review_due: datetime, share_due: datetime, hard_due: datetime
) -> None:
    """The three deadlines a submitted referral starts, all the CRSU team's."""
    assert referral.case is not None
    for kind, what, due, words in (
        (REVIEW, "review", review_due, f"Review referral {referral.reference}"),
        (SHARE, "share", share_due, f"Share or decide not to share referral {referral.reference}"),
        (SHARE_HARD, "share-hard", hard_due, f"Referral {referral.reference} still not shared"),
    ):
        engine.deadline_create(
            actor=None,
            case=referral.case,
            kind=kind.code,
            what=words,
            due_at=due,
            key=key(referral, what),
            responsible_team=team,
            responsible_kind=ResponsibleKind.TEAM,
        )


def reschedule_share(*, referral: ChildConcernReferral, due: datetime, reason: str) -> None:
    if referral.case is not None:
        engine.deadline_reschedule(
            actor=None, case=referral.case, key=key(referral, "share"), due_at=due, reason=reason
        )


def met(*, referral: ChildConcernReferral, actor: object, what: str, how: str) -> None:
    if referral.case is not None:
        engine.deadline_meet(actor=actor, case=referral.case, key=key(referral, what), how=how)  # type: ignore[arg-type]


def raise_required(*, case: Case, due: datetime, why: str) -> None:
    """The case's owner must send a child concern referral about it by ``due`` (``why`` says what
    requires it): met when one linked to the case is submitted. One live per case: asked again, the
    earlier one stands."""
    engine.deadline_ensure(
        actor=None,
        case=case,
        kind=RAISE.code,
        what=f"Send a child concern referral to the CRSU: {why}",
        due_at=due,
        key=RAISE_KEY,
        responsible_kind=ResponsibleKind.OWNER,
    )


def raised(*, referral: ChildConcernReferral, actor: object) -> None:
    if referral.case is not None:
        engine.deadline_meet(
            actor=actor,  # type: ignore[arg-type]
            case=referral.case,
            key=RAISE_KEY,
            how=f"Referral {referral.reference} sent to the CRSU",
        )
