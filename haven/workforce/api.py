"""The workforce routes of the JSON API (mounted by config/api.py at /api/v1/workforce).

Reading another officer's training record is an s62 consultation; an officer the caller may not see
answers 404. Writes are built from their declarations in ``haven.workforce.operations``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.workforce import operations, reports, selectors
from haven.workforce.schemas import CapacityOut, ComplianceReportOut, OfficerRecordOut

router = Router(tags=["workforce"])


@router.get(
    "/officers/{officer_id}",
    auth=needs(Perm.WORKFORCE_RECORD_VIEW),
    response={200: OfficerRecordOut, **errors(404, 422)},
    summary="An officer's training record and what the gate answers for each activity (T-01)",
)
def officer_record(request: HttpRequest, officer_id: UUID) -> dict[str, Any]:
    user = actor(request)
    officer = selectors.officer_get(user=user, public_id=officer_id)
    return operations.record_out(selectors.officer_record(user=user, officer=officer))


def _cell(cell: reports.Cell | None, name: str) -> dict[str, Any] | None:
    if cell is None:
        return None
    return {"qualification": name, "current": cell.current, "officers": cell.officers, "percent": cell.percent}


@router.get(
    "/report",
    auth=needs(Perm.WORKFORCE_REPORT_VIEW),
    response={200: ComplianceReportOut, **errors(404)},
    summary="The force's mandatory training: percent complete by team and module, who is overdue, "
    "the last 12 months (T-02)",
)
def force_report(request: HttpRequest) -> dict[str, Any]:
    report = reports.force_report(user=actor(request))
    codes = [m.code for m in report.modules]
    return {
        "on": report.on,
        "modules": codes,
        "force": [_cell(c, code) for c, code in zip(report.force, codes, strict=True)],
        "teams": [
            {"team": t.team, "modules": [_cell(c, code) for c, code in zip(t.cells, codes, strict=True)]}
            for t in report.teams
        ],
        "overdue": [
            {
                "officer": r.officer.username,
                "name": r.officer.rank_and_name,
                "team": r.team,
                "qualification": r.qualification.code,
                "since": r.since,
            }
            for r in report.overdue
        ],
        "trend": [
            {"month": p.month, "current": p.cell.current, "officers": p.cell.officers, "percent": p.cell.percent}
            for p in report.trend
        ],
    }


@router.get(
    "/capacity",
    auth=needs(Perm.WORKFORCE_RECORD_VIEW),
    response={200: CapacityOut, **errors(404)},
    summary="Each team's posts against officers in post and signed off, and each officer's open work",
)
def capacity(request: HttpRequest) -> dict[str, Any]:
    view = reports.capacity(user=actor(request))
    keys = [c.key for c in view.columns]
    return {
        "teams": [
            {
                "team": t.team.name,
                "posts": t.posts,
                "in_post": t.in_post,
                "signed_off": t.signed_off,
                "in_training": t.in_training,
                "officers": [
                    {
                        "officer": o.officer.username,
                        "name": o.officer.rank_and_name,
                        **{key: 0 for key in ("cases", "enquiries", "deadlines")},
                        **dict(zip(keys, o.counts, strict=True)),
                    }
                    for o in t.officers
                ],
            }
            for t in view.teams
        ]
    }


mount(
    router,
    operations.qualification_record,
    operations.competence_start,
    operations.competence_assess,
    operations.competence_sign_off,
    operations.competence_withdraw,
    operations.override_grant,
    operations.qualifications_import,
    operations.establishment_set,
)
