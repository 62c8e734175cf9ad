"""Every write to the skills register, competence sign-off and the gate's overrides, declared once."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.accounts.selectors import team_get
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.workforce import selectors, services
from haven.workforce.schemas import (
    CompetenceStartIn,
    CompetenceStepIn,
    CompetenceWithdrawIn,
    CsvImportIn,
    CsvImportOut,
    EstablishmentOut,
    EstablishmentSetIn,
    OfficerRecordOut,
    OverrideGrantIn,
    QualificationRecordIn,
)


def _officer(actor: User, officer_id: UUID) -> User:
    return selectors.officer_get(user=actor, public_id=officer_id)


def record_out(record: selectors.OfficerRecord) -> dict[str, Any]:
    """An officer's record as the API shows it."""
    return {
        "username": record.officer.username,
        "qualifications": [
            {
                "qualification": q.qualification.code,
                "name": q.qualification.name,
                "achieved_on": q.achieved_on,
                "expires_on": q.expires_on,
                "evidence_reference": q.evidence_reference,
                "verified_by": q.verified_by.username,
            }
            for q in record.qualifications
        ],
        "competences": [
            {
                "activity": c.activity,
                "state": c.state,
                "mentor": c.mentor.username,
                "started_on": c.started_on,
                "assessed_on": c.assessed_on,
                "signed_off_on": c.signed_off_on,
                "signed_off_by": c.signed_off_by.username if c.signed_off_by else None,
                "withdrawn_on": c.withdrawn_on,
            }
            for c in record.competences
        ],
        "overrides": [
            {
                "activity": o.activity,
                "reason": o.reason,
                "granted_by": o.granted_by.username,
                "granted_at": o.granted_at,
                "ends_at": o.ends_at,
            }
            for o in record.overrides
        ],
        "decisions": [{"activity": d.activity, "answer": d.answer, "reason": d.reason} for d in record.decisions],
    }


def _answer(actor: User, result: Any) -> dict[str, Any]:
    """The officer's whole record after the write (the write itself is logged; this read is not again)."""
    return record_out(selectors.officer_record(user=actor, officer=result.officer, log=False))


def _api(path: str, summary: str, *, status: int = 201) -> Api:
    return Api(
        "POST",
        f"/officers/{{officer_id}}/{path}",
        out=OfficerRecordOut,
        load=_officer,
        answer=_answer,
        status=status,
        errors=(404, 409),
        summary=summary,
    )


qualification_record = declare(
    "workforce.qualification_record",
    input=QualificationRecordIn,
    perm=Perm.WORKFORCE_SKILL_RECORD,
    service=services.qualification_record,
    target="officer",
    api=_api("qualifications", "Record or renew an officer's qualification (its expiry follows its rules)"),
)

competence_start = declare(
    "workforce.competence_start",
    input=CompetenceStartIn,
    perm=Perm.WORKFORCE_COMPETENCE_RECORD,
    service=services.competence_start,
    target="officer",
    api=_api("competences", "Put an officer in training for an activity, with a named mentor (T-01)"),
)

competence_assess = declare(
    "workforce.competence_assess",
    input=CompetenceStepIn,
    perm=Perm.WORKFORCE_COMPETENCE_RECORD,
    service=services.competence_assess,
    target="officer",
    api=_api("competences/assessments", "Record that an officer in training has been assessed (T-01)"),
)

competence_sign_off = declare(
    "workforce.competence_sign_off",
    input=CompetenceStepIn,
    perm=Perm.WORKFORCE_COMPETENCE_RECORD,
    service=services.competence_sign_off,
    target="officer",
    api=_api("competences/sign-offs", "Sign off an assessed officer to work alone; not by their mentor (T-01)"),
)

competence_withdraw = declare(
    "workforce.competence_withdraw",
    input=CompetenceWithdrawIn,
    perm=Perm.WORKFORCE_COMPETENCE_RECORD,
    service=services.competence_withdraw,
    target="officer",
    api=_api("competences/withdrawals", "Withdraw an officer's training or sign-off for an activity, with the reason"),
)

override_grant = declare(
    "workforce.override_grant",
    input=OverrideGrantIn,
    perm=Perm.WORKFORCE_GATE_OVERRIDE,
    service=services.override_grant,
    target="officer",
    api=_api("overrides", "An inspector lets an officer do work beyond their training, with a reason (T-01)"),
)

qualifications_import = declare(
    "workforce.qualifications_import",
    input=CsvImportIn,
    perm=Perm.WORKFORCE_SKILL_RECORD,
    service=services.qualifications_import,
    api=Api(
        "POST",
        "/imports",
        out=CsvImportOut,
        errors=(),
        summary="Import officers' qualifications from a CSV: a dry run lists each line's problems; "
        "an import with a bad line imports nothing",
        description="Answers 201 with the import's report (lines read, imported, each line's problems); "
        "a dry run (the default) writes nothing.",
    ),
)


def _team(actor: User, team_id: UUID) -> Any:
    return team_get(actor=actor, public_id=team_id)


def _establishment_out(actor: User, result: Any) -> dict[str, Any]:
    return {"team": result.team.name, "posts": result.posts, "set_by": result.set_by.username, "set_at": result.set_at}


establishment_set = declare(
    "workforce.establishment_set",
    input=EstablishmentSetIn,
    perm=Perm.ACCOUNTS_TEAM_MANAGE,
    service=services.establishment_set,
    target="team",
    api=Api(
        "PUT",
        "/teams/{team_id}/establishment",
        out=EstablishmentOut,
        load=_team,
        answer=_establishment_out,
        status=200,
        errors=(404,),
        summary="Set how many posts a team has (its establishment), for the capacity view",
    ),
    page="workforce:establishment",
)
