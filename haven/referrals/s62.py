"""Referrals' one door to the s62 log: every read and write of a referral names its people and case;
a share is a disclosure naming its recipient (DP-01). Fails closed, like every app's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.audit.services import access_event_record

if TYPE_CHECKING:
    from haven.referrals.models import ChildConcernReferral


def _ids(referrals: Iterable[ChildConcernReferral]) -> tuple[list[Any], list[Any]]:
    people, cases = [], []
    for referral in referrals:
        people += [link.person.public_id for link in referral.people.all()]
        if referral.case is not None:
            cases.append(referral.case.public_id)
    return list(dict.fromkeys(people)), list(dict.fromkeys(cases))


def record(
    *,
    actor: Any,
    referral: ChildConcernReferral,
    operation: Operation,
    detail: dict[str, Any],
    justification: str = "",
    justification_kind: JustificationKind | None = None,
    recipients: Iterable[dict[str, Any]] = (),
    channel: str = "",
) -> None:
    people, cases = _ids([referral])
    access_event_record(
        actor=actor,
        operation=operation,
        person_ids=people,
        case_ids=cases,
        justification=justification,
        justification_kind=justification_kind,
        recipients=recipients,
        channel=channel,
        detail={"referral": referral.reference, **detail},
    )


def record_list(*, actor: Any, referrals: list[ChildConcernReferral], detail: dict[str, Any]) -> None:
    """One consultation row for a page that lists referrals (the queue, my referrals)."""
    if not referrals:
        return
    people, cases = _ids(referrals)
    access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=people,
        case_ids=cases,
        detail={"referrals": [r.reference for r in referrals], **detail},
    )


def record_case(*, actor: Any, case: Any, detail: dict[str, Any]) -> None:
    """A write about a case alone (a strategy discussion linked to no referral)."""
    access_event_record(
        actor=actor,
        operation=Operation.COLLECTION,
        case_ids=[case.public_id] if case is not None else [],
        detail=detail,
    )


def record_denied(*, actor: Any, referral: ChildConcernReferral, detail: dict[str, Any]) -> None:
    """A refused attempt to read or act on a referral (answered 404): kept in the log (DP-01)."""
    people, cases = _ids([referral])
    access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=people,
        case_ids=cases,
        outcome=Outcome.DENIED,
        detail={"referral": referral.reference, **detail},
    )
