"""Writes to the skills register, competence sign-off and overrides of the gate (T-01).

Each service takes ``(*, actor, officer, data)``, checks the rules the input model cannot (the
record's state, who may sign off), writes, and leaves one s62 row in the same transaction.
The gate itself is a read: ``haven.workforce.selectors.may`` (re-exported here as ``may``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from haven.accounts.selectors import user_by_reference
from haven.core import clock
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.policy.selectors import policy_value
from haven.workforce import catalogue, csv_import, policy, s62
from haven.workforce.choices import CompetenceState, QualificationKind
from haven.workforce.deadlines import refresher_recorded
from haven.workforce.models import Competence, Establishment, OfficerQualification, Override, Qualification
from haven.workforce.schemas import (
    CompetenceStartIn,
    CompetenceStepIn,
    CompetenceWithdrawIn,
    CsvImportIn,
    EstablishmentSetIn,
    OverrideGrantIn,
    QualificationRecordIn,
)
from haven.workforce.selectors import Decision, may, today

if TYPE_CHECKING:
    from haven.accounts.models import Team, User

__all__ = [
    "Decision",
    "competence_assess",
    "competence_sign_off",
    "competence_start",
    "competence_withdraw",
    "establishment_set",
    "qualifications_import",
    "may",
    "override_grant",
    "qualification_define",
    "qualification_record",
    "qualification_records_end",
    "standard_qualifications_ensure",
]


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


@transaction.atomic
def qualification_record(*, actor: User, officer: User, data: QualificationRecordIn) -> OfficerQualification:
    """Record an officer's qualification, or its renewal (a refresher): the expiry is computed from the
    qualification's validity, the actor is who verified the evidence."""
    qualification = Qualification.objects.filter(code=data.qualification, active=True).first()
    if qualification is None:
        raise _fail("qualification", "Select a qualification from the list")
    if data.achieved_on > today():
        raise _fail("achieved_on", "The date it was gained must be today or in the past")
    previous = OfficerQualification.objects.filter(officer=officer, qualification=qualification).first()
    record, created = OfficerQualification.objects.select_for_update().update_or_create(
        officer=officer,
        qualification=qualification,
        defaults={
            "achieved_on": data.achieved_on,
            "expires_on": qualification.expiry_for(data.achieved_on),
            "evidence_reference": data.evidence_reference,
            "verified_by": actor,
            "verified_at": clock.now(),
        },
    )
    s62.record(
        actor=actor,
        officer=officer,
        detail={"step": "qualification_record", "qualification": qualification.code, "renewed": not created},
    )
    # T-02: the refresher meets the deadline of the old expiry; the new expiry gets its own.
    refresher_recorded(actor=actor, record=record, previous_expiry=previous.expires_on if previous else None)
    return record


def _competence(officer: User, data: CompetenceStepIn | CompetenceWithdrawIn) -> Competence:
    competence = (
        Competence.objects.select_for_update(of=("self",))
        .select_related("mentor")
        .filter(officer=officer, activity=data.activity)
        .first()
    )
    if competence is None:
        raise NotFound("This officer is not in training for that work.")
    return competence


@transaction.atomic
def competence_start(*, actor: User, officer: User, data: CompetenceStartIn) -> Competence:
    """Put an officer in training for an activity with a named mentor (again, after a withdrawal)."""
    mentor = user_by_reference(data.mentor, field="mentor")
    if mentor.pk == officer.pk:
        raise _fail("mentor", "Choose a mentor other than the officer")
    existing = Competence.objects.select_for_update().filter(officer=officer, activity=data.activity).first()
    if existing is not None and existing.state != CompetenceState.WITHDRAWN:
        raise Conflict(f"This officer is already {existing.get_state_display().lower()} for that work.")
    competence = existing or Competence(officer=officer, activity=data.activity)
    competence.state = CompetenceState.IN_TRAINING
    competence.mentor, competence.started_on = mentor, data.started_on
    competence.assessed_on = competence.assessed_by = competence.signed_off_on = competence.signed_off_by = None
    competence.assessment_note = ""
    competence.save()
    s62.record(
        actor=actor,
        officer=officer,
        detail={"step": "competence_start", "activity": data.activity, "mentor": mentor.username},
    )
    return competence


@transaction.atomic
def competence_assess(*, actor: User, officer: User, data: CompetenceStepIn) -> Competence:
    competence = _competence(officer, data)
    if competence.state != CompetenceState.IN_TRAINING:
        raise Conflict(
            f"Only an officer in training can be assessed: this one is {competence.get_state_display().lower()}."
        )
    competence.state, competence.assessed_on, competence.assessed_by = CompetenceState.ASSESSED, today(), actor
    competence.assessment_note = data.note
    competence.save()
    s62.record(actor=actor, officer=officer, detail={"step": "competence_assess", "activity": data.activity})
    return competence


@transaction.atomic
def competence_sign_off(*, actor: User, officer: User, data: CompetenceStepIn) -> Competence:
    """A supervisor signs off an assessed officer to work alone; by force policy, not their mentor."""
    competence = _competence(officer, data)
    if competence.state != CompetenceState.ASSESSED:
        raise Conflict(
            f"Only an assessed officer can be signed off: this one is {competence.get_state_display().lower()}."
        )
    if actor.pk == officer.pk:
        raise Conflict("Officers cannot sign themselves off.")
    if competence.mentor_id == actor.pk and not policy_value(policy.MENTOR_MAY_SIGN_OFF):
        raise Conflict("A mentor cannot sign off their own mentee: ask another supervisor.")
    competence.state, competence.signed_off_on, competence.signed_off_by = CompetenceState.SIGNED_OFF, today(), actor
    competence.save()
    s62.record(actor=actor, officer=officer, detail={"step": "competence_sign_off", "activity": data.activity})
    return competence


@transaction.atomic
def competence_withdraw(*, actor: User, officer: User, data: CompetenceWithdrawIn) -> Competence:
    competence = _competence(officer, data)
    if competence.state == CompetenceState.WITHDRAWN:
        raise Conflict("This officer's sign-off for that work is already withdrawn.")
    competence.state, competence.withdrawn_on, competence.withdrawn_by = CompetenceState.WITHDRAWN, today(), actor
    competence.withdrawn_reason = data.reason
    competence.save()
    s62.record(actor=actor, officer=officer, detail={"step": "competence_withdraw", "activity": data.activity})
    return competence


@transaction.atomic
def override_grant(*, actor: User, officer: User, data: OverrideGrantIn) -> Override:
    """An inspector lets an officer do work beyond their recorded training, with a reason, for a time no
    longer than force policy allows. Logged (an s62 row) and shown on the officer's record."""
    now = clock.now()
    longest = policy_value(policy.LONGEST_OVERRIDE)
    ends_at = data.ends_at or now + longest
    if ends_at <= now:
        raise _fail("ends_at", "When the override ends must be in the future")
    if ends_at > now + longest:
        raise _fail("ends_at", f"An override may last at most {longest.days or 1} days")
    override = Override.objects.create(
        officer=officer, activity=data.activity, reason=data.reason, granted_by=actor, granted_at=now, ends_at=ends_at
    )
    s62.record(
        actor=actor,
        officer=officer,
        detail={
            "step": "override_grant",
            "activity": data.activity,
            "reason": data.reason,
            "ends_at": ends_at.isoformat(),
        },
    )
    return override


@transaction.atomic
def qualifications_import(*, actor: User, data: CsvImportIn) -> dict[str, object]:
    """Import officers' qualifications from a CSV (each line as ``qualification_record`` would record
    it). A dry run reports each line's problems and writes nothing; an import with any bad line is
    refused whole (422 naming the lines), so nothing is ever half-imported."""
    checked = csv_import.check(data.csv, today=today())
    errors = [{"line": number, "message": message} for number, message in checked.errors]
    if data.dry_run:
        return {"dry_run": True, "lines": checked.count, "imported": 0, "errors": errors}
    if errors:
        messages = [f"Line {e['line']}: {e['message']}" for e in errors]
        raise ValidationFailed("Nothing was imported: correct these lines", fields={"csv": messages})
    for line in checked.lines:
        qualification_record(
            actor=actor,
            officer=line.officer,
            data=QualificationRecordIn(
                qualification=line.qualification, achieved_on=line.gained, evidence_reference=line.evidence
            ),
        )
    return {"dry_run": False, "lines": checked.count, "imported": len(checked.lines), "errors": []}


def standard_qualifications_ensure() -> int:
    """Put back any qualification every force starts with that is missing (the demo asks; the suite does
    it through haven.core.seeds after a flush). How many were missing; a force's own edits are kept."""
    return catalogue.standard_qualifications_ensure()


def qualification_define(
    *,
    code: str,
    name: str,
    kind: str = QualificationKind.READING,
    mandatory: bool = True,
    mandatory_for_roles: list[str] | tuple[str, ...] = (),
    validity_months: int | None = None,
    active: bool = True,
) -> Qualification:
    """Create or update a qualification another app keeps (haven.guidance's required reading: one per
    item, mandatory for the roles it is required of). Reference data, not personal data: no s62 row."""
    qualification, _ = Qualification.objects.update_or_create(
        code=code,
        defaults={
            "name": name[:200],
            "kind": kind,
            "mandatory": mandatory,
            "mandatory_for_roles": list(mandatory_for_roles),
            "validity_months": validity_months,
            "active": active,
        },
    )
    return qualification


def qualification_records_end(*, code: str, on: date) -> int:
    """Every officer's record of qualification ``code`` stops counting on ``on`` (a new version of a
    required reading: the officers must read it again). The dates are kept in the records' history;
    a record that already ran out earlier keeps its date. Returns how many records were ended."""
    return (
        OfficerQualification.objects.filter(qualification__code=code)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))
        .update(expires_on=on, updated_at=clock.now())
    )


@transaction.atomic
def establishment_set(*, actor: User, team: Team, data: EstablishmentSetIn) -> Establishment:
    """Set how many posts ``team`` has (its establishment), for the capacity view. Every change is kept
    (pghistory, with who set it); a team's size is not personal data, so no s62 row."""
    establishment, _ = Establishment.objects.update_or_create(
        team=team, defaults={"posts": data.posts, "set_by": actor, "set_at": clock.now()}
    )
    return establishment
