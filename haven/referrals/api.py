"""The referrals routes of the JSON API (mounted by config/api.py at /api/v1/referrals).

Reading a referral or the queue is an s62 consultation; a referral the caller may not see answers 404.
Writes are built from their declarations in ``haven.referrals.operations``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.referrals import operations, selectors
from haven.referrals.schemas import QueueOut, ReferralOut, ReportOut, StrategyOut

router = Router(tags=["referrals"])


@router.get(
    "/queue",
    auth=needs(Perm.REFERRALS_QUEUE_VIEW),
    response={200: QueueOut, **errors(404)},
    summary="The CRSU queue: reddest then oldest first, with the time each has waited; the backlog and its trend",
)
def queue(request: HttpRequest) -> dict[str, Any]:
    found = selectors.queue(user=actor(request))
    return {
        "backlog": found.backlog,
        "trend": [{"day": day.isoformat(), "backlog": count} for day, count in found.trend],
        "rows": [
            {
                "id": row.referral.public_id,
                "reference": row.referral.reference,
                "state": row.referral.state,
                "rag": row.referral.rag or None,
                "officer_grade": row.referral.officer_grade or None,
                "submitted_at": row.referral.submitted_at,
                "waited_minutes": row.waited_minutes,
                "allocated_to": row.referral.allocated_to.username if row.referral.allocated_to else None,
                "awaiting_approval": row.awaiting_approval,
            }
            for row in found.rows
        ],
    }


def _week(f: selectors.WeekFigures) -> dict[str, Any]:
    def minutes(span: timedelta | None) -> int | None:
        return None if span is None else int(span.total_seconds() // 60)

    return {
        "week": f.week,
        "raised": f.raised,
        "shared": f.shared,
        "median_minutes": minutes(f.median),
        "p90_minutes": minutes(f.p90),
        "breaches": f.breaches,
        "backlog": f.backlog,
    }


@router.get(
    "/report",
    auth=needs(Perm.REFERRALS_REPORT_VIEW),
    response={200: ReportOut, **errors(404, 422)},
    summary="The manager's report: time from raised to shared (median, 90th percentile), share-by times "
    "missed and the backlog, by week and team (the last 12 weeks)",
)
def report(request: HttpRequest, team: str = "") -> dict[str, Any]:
    found = selectors.time_to_share_report(user=actor(request), team_code=team)
    return {
        "at": found.now,
        "team": found.team_code,
        "weeks": [_week(f) for f in found.rows],
        "total": _week(found.total),
        "teams": [
            {"team": t.team, "code": t.code, "total": _week(t.total), "weeks": [_week(f) for f in t.weeks]}
            for t in found.teams
        ],
    }


@router.get(
    "/strategy-discussions/{discussion_id}",
    auth=needs(Perm.REFERRALS_REFERRAL_VIEW),
    response={200: StrategyOut, **errors(404, 422)},
    summary="A strategy discussion (S-03)",
)
def strategy(request: HttpRequest, discussion_id: UUID) -> dict[str, Any]:
    return operations.strategy_out(selectors.strategy_get(user=actor(request), public_id=discussion_id))


# Before "/{referral_id}": that path would otherwise take "strategy-discussions" for an id (405).
mount(router, operations.strategy_record)


@router.get(
    "/{referral_id}",
    auth=needs(Perm.REFERRALS_REFERRAL_VIEW),
    response={200: ReferralOut, **errors(404, 422)},
    summary="A child concern referral (its restricted research is not included)",
)
def referral(request: HttpRequest, referral_id: UUID) -> dict[str, Any]:
    return operations.referral_out(selectors.referral_get(user=actor(request), public_id=referral_id))


mount(
    router,
    operations.referral_start,
    operations.referral_update,
    operations.person_add,
    operations.person_remove,
    operations.referral_submit,
    operations.referral_correct,
    operations.referral_allocate,
    operations.research_add,
    operations.referral_rate,
    operations.referral_review,
    operations.referral_decide,
    operations.decision_approve,
)
