"""Reading the skills register, and the gate every module asks (T-01): "may this officer do this, alone?".

``may`` is a pure read of the officer's own records against force policy; it logs nothing because it
is asked by Haven itself while checking an allocation. Reading another officer's record for a page or
the API goes through :func:`officer_record`, which checks the reader and writes the s62 row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib.auth import get_user_model
from django.utils import timezone

from haven.audit.choices import Operation
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.permissions import Perm, Role
from haven.policy.selectors import policy_value
from haven.workforce import policy, s62
from haven.workforce.choices import Activity, Answer, CompetenceState
from haven.workforce.models import Competence, OfficerQualification, Override, Qualification

if TYPE_CHECKING:
    from haven.accounts.models import User


@dataclass(frozen=True)
class Decision:
    """The gate's answer, and why, in words an officer reads."""

    activity: Activity
    answer: Answer
    reason: str

    @property
    def allowed(self) -> bool:
        return self.answer != Answer.REFUSED


def today(at: datetime | None = None) -> date:
    """The force's calendar day (UK time) at ``at``, by default now."""
    return timezone.localdate(at or clock.now())


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _on(day: date | None) -> str:
    return _day(day) if day is not None else "an unrecorded date"


def _overrides_in_force(officer_ids: list[int], activity: Activity, at: datetime) -> dict[int, Override]:
    """Each officer's override for ``activity`` in force at ``at``: the latest granted wins."""
    found = (
        Override.objects.filter(officer_id__in=officer_ids, activity=activity, granted_at__lte=at, ends_at__gt=at)
        .select_related("granted_by")
        .order_by("granted_at")  # later rows overwrite earlier ones below
    )
    return {o.officer_id: o for o in found}


def override_in_force(officer: User, activity: Activity, at: datetime | None = None) -> Override | None:
    return _overrides_in_force([officer.pk], activity, at or clock.now()).get(officer.pk)


@dataclass(frozen=True)
class _Records:
    """What the gate reads about some officers and one activity, loaded in a fixed number of queries
    however many officers an allocation picker asks about."""

    codes: list[str]  # the qualifications force policy names for the activity
    needs_sign_off: bool  # force policy: the activity needs competence sign-off
    names: dict[str, str]
    held: dict[tuple[int, str], OfficerQualification]
    overrides: dict[int, Override]  # the latest granted of those in force
    competences: dict[int, Competence]


def _records(officers: list[User], activity: Activity, at: datetime) -> _Records:
    ids = [o.pk for o in officers]
    codes = list(policy_value(policy.REQUIRES[activity]))
    held = OfficerQualification.objects.filter(officer_id__in=ids, qualification__code__in=codes).select_related(
        "qualification"
    )
    competences = Competence.objects.filter(officer_id__in=ids, activity=activity).select_related("mentor")
    return _Records(
        codes=codes,
        needs_sign_off=activity.value in policy_value(policy.SIGN_OFF_ACTIVITIES),
        names=dict(Qualification.objects.filter(code__in=codes).values_list("code", "name")) if codes else {},
        held={(r.officer_id, r.qualification.code): r for r in held} if codes else {},
        overrides=_overrides_in_force(ids, activity, at),
        competences={c.officer_id: c for c in competences},
    )


def _gaps(officer: User, records: _Records, on: date) -> list[str]:
    """Why the officer's qualifications fall short on ``on``: one sentence per gap."""
    gaps = []
    for code in records.codes:
        name = records.names.get(code, code)
        record = records.held.get((officer.pk, code))
        if record is None:
            gaps.append(f"{officer.display_name} has no record of {name}.")
        elif record.expires_on is not None and on >= record.expires_on:
            gaps.append(f"{name} expired on {_day(record.expires_on)}.")
        elif record.achieved_on > on:
            gaps.append(f"{name} is recorded as gained on {_day(record.achieved_on)}, which is after that day.")
    return gaps


def may(user: User, activity: Activity | str, *, at: datetime | None = None) -> Decision:
    """T-01: allowed alone, allowed with approval by a signed-off colleague, or refused, with the reason.

    An inspector's override in force allows the work alone whatever the records say (and says so).
    Otherwise each qualification force policy names for the activity must be held and current on the
    day; where the activity needs competence sign-off, an officer in training or assessed needs a
    signed-off colleague's approval, and one never put in training (or withdrawn) is refused.
    """
    activity = Activity(activity)
    at = at or clock.now()
    return _decide(user, activity, at, _records([user], activity, at))


def _decide(user: User, activity: Activity, at: datetime, records: _Records) -> Decision:
    override = records.overrides.get(user.pk)
    if override is not None:
        return Decision(
            activity,
            Answer.ALONE,
            f"Allowed by {override.granted_by.rank_and_name} until {_day(today(override.ends_at))}: {override.reason}",
        )
    gaps = _gaps(user, records, today(at))
    if gaps:
        return Decision(activity, Answer.REFUSED, " ".join(gaps))
    if not records.needs_sign_off:
        return Decision(activity, Answer.ALONE, "Holds the qualifications this work needs.")
    competence = records.competences.get(user.pk)
    if competence is None:
        return Decision(activity, Answer.REFUSED, "Not yet in training or signed off for this work.")
    if competence.state == CompetenceState.SIGNED_OFF:
        return Decision(activity, Answer.ALONE, f"Signed off for this work on {_on(competence.signed_off_on)}.")
    if competence.state == CompetenceState.WITHDRAWN:
        return Decision(
            activity, Answer.REFUSED, f"Sign-off for this work was withdrawn on {_on(competence.withdrawn_on)}."
        )
    return Decision(
        activity,
        Answer.WITH_APPROVAL,
        f"{competence.get_state_display()} (mentor {competence.mentor.rank_and_name}): "
        "needs the approval of a colleague signed off for this work.",
    )


def decisions(user: User, *, at: datetime | None = None) -> list[Decision]:
    """The gate's answer for every activity, for the officer's record."""
    return [may(user, activity, at=at) for activity in Activity]


# --- Records, for pages and the API -------------------------------------------------------------------


def may_view_record(*, user: User, officer: User) -> bool:
    return user.pk == officer.pk or user.has_perm(Perm.WORKFORCE_RECORD_VIEW)


def officer_get(*, user: User, public_id: UUID | str) -> User:
    """The officer with ``public_id``, if ``user`` may see their training record (else 404, as for an id
    that is not one)."""
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    officer = get_user_model().objects.filter(public_id=public_id).select_related("rank", "team").first()
    if officer is None or not may_view_record(user=user, officer=officer):
        raise NotFound("Not found.")
    return officer


@dataclass(frozen=True)
class OfficerRecord:
    officer: User
    qualifications: list[OfficerQualification]
    competences: list[Competence]
    overrides: list[Override]
    decisions: list[Decision]


def officer_record(*, user: User, officer: User, log: bool = True) -> OfficerRecord:
    """An officer's training record: qualifications, competence, overrides and the gate's answers.
    Another officer's record is staff personal data: reading it is an s62 consultation row."""
    if not may_view_record(user=user, officer=officer):
        raise NotFound("Not found.")
    if log and user.pk != officer.pk:
        s62.record(actor=user, officer=officer, operation=Operation.CONSULTATION, detail={"read": "training record"})
    return OfficerRecord(
        officer=officer,
        qualifications=list(
            OfficerQualification.objects.filter(officer=officer).select_related("qualification", "verified_by")
        ),
        competences=list(
            Competence.objects.filter(officer=officer).select_related("mentor", "signed_off_by", "withdrawn_by")
        ),
        overrides=list(Override.objects.filter(officer=officer).select_related("granted_by")),
        decisions=decisions(officer),
    )


@dataclass(frozen=True)
class TeamRow:
    officer: User
    cells: list[str]  # per qualification: "current", "due" (ends within 30 days), "expired" or "" (none)
    refused: int  # activities the gate refuses this officer


@dataclass(frozen=True)
class ModuleCompliance:
    """T-02: how many of the team hold a mandatory module, current on the day."""

    qualification: Qualification
    current: int
    officers: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down: a team at 69.9 % has not reached 70 %."""
        return self.current * 100 // self.officers if self.officers else 0


@dataclass(frozen=True)
class TeamView:
    qualifications: list[Qualification]
    rows: list[TeamRow]
    compliance: list[ModuleCompliance]


DUE_WITHIN_DAYS = 30


def _cell(record: OfficerQualification | None, day: date) -> str:
    if record is None:
        return ""
    if record.expires_on is not None and day >= record.expires_on:
        return "expired"
    if record.expires_on is not None and (record.expires_on - day).days <= DUE_WITHIN_DAYS:
        return "due"
    return "current"


def team_view(*, user: User) -> TeamView:
    """The supervisor's team: each officer's qualifications (current, due, expired or none) and how many
    activities the gate refuses them. A read of staff records: one s62 row naming every officer shown."""
    if not user.has_perm(Perm.WORKFORCE_RECORD_VIEW) or user.team_id is None:
        raise NotFound("Not found.")
    officers = list(
        get_user_model()
        .objects.filter(team_id=user.team_id, is_active=True)
        .select_related("rank")
        .order_by("last_name", "first_name")
    )
    qualifications = list(Qualification.objects.filter(active=True))
    records = {
        (r.officer_id, r.qualification_id): r
        for r in OfficerQualification.objects.filter(officer__in=officers).select_related("qualification")
    }
    day = today()
    rows = [
        TeamRow(
            officer=officer,
            cells=[_cell(records.get((officer.pk, q.pk)), day) for q in qualifications],
            refused=sum(1 for d in decisions(officer) if d.answer == Answer.REFUSED),
        )
        for officer in officers
    ]
    s62.record_team(actor=user, officers=[o.username for o in officers], detail={"read": "team training records"})
    return TeamView(
        qualifications=qualifications, rows=rows, compliance=compliance(officers, qualifications, records, day)
    )


# Who "every operational officer" is: the roles that do police work on the records (not analysts,
# auditors, partners' users nor administrators).
OPERATIONAL_ROLES = frozenset(
    {
        Role.CALL_HANDLER,
        Role.RESPONSE_OFFICER,
        Role.INVESTIGATOR,
        Role.SUPERVISOR,
        Role.INSPECTOR,
        Role.CRSU_OFFICER,
        Role.CUSTODY_OFFICER,
    }
)


def required_of(qualification: Qualification, officer: User) -> bool:
    """Whether a mandatory qualification (an e-learning module, a required reading…) is required of
    ``officer``: of the roles it names, or with none named of every operational officer (T-02)."""
    if not qualification.mandatory:
        return False
    roles = set(qualification.mandatory_for_roles) or OPERATIONAL_ROLES
    return bool(roles.intersection(officer.roles))


def holds_current(record: OfficerQualification | None, day: date) -> bool:
    return _cell(record, day) in ("current", "due")


def compliance(
    officers: list[User],
    qualifications: list[Qualification],
    records: dict[tuple[int, int], OfficerQualification],
    day: date,
) -> list[ModuleCompliance]:
    """T-02: for each mandatory qualification of any kind (a required reading counts like an e-learning
    module), how many of the ``officers`` it is required of hold it current on ``day`` (a record that
    has run out, or none, counts against). A module required of none of them is left out."""
    out = []
    for q in qualifications:
        bound = [o for o in officers if required_of(q, o)]
        if bound:
            current = sum(1 for o in bound if holds_current(records.get((o.pk, q.pk)), day))
            out.append(ModuleCompliance(qualification=q, current=current, officers=len(bound)))
    return out


# --- For the pages' forms and for allocation pickers ----------------------------------------------------


def qualification_choices() -> list[tuple[str, str]]:
    """The qualifications an officer's record may name: the force's active ones, by name."""
    return list(Qualification.objects.filter(active=True).order_by("name").values_list("code", "name"))


def competences_of(officer: User, states: tuple[CompetenceState, ...]) -> list[Competence]:
    """The officer's training for each activity, in ``states`` (the step forms offer these)."""
    return list(Competence.objects.filter(officer=officer, state__in=states).select_related("mentor"))


@dataclass(frozen=True)
class Candidate:
    """An officer an allocation picker lists, with the gate's answer for the work (T-01)."""

    officer: User
    decision: Decision
    override: Override | None  # the inspector's override the answer rests on, if it does


def candidates(
    *, user: User, activity: Activity, officers: list[User], at: datetime | None = None, log: bool = True
) -> list[Candidate]:
    """The gate's answer for each of ``officers`` (allowed first, then with approval, then refused; by
    name within each), for an allocation picker that greys out those refused and says why. The answers
    come from the officers' training records (staff data): one s62 consultation row names them all."""
    at = at or clock.now()
    if log and officers:
        s62.record_team(
            actor=user, officers=[o.username for o in officers], detail={"read": f"who may: {activity.label}"}
        )
    order = {Answer.ALONE: 0, Answer.WITH_APPROVAL: 1, Answer.REFUSED: 2}
    records = _records(officers, activity, at)  # one load for them all, not five queries an officer
    listed = [
        Candidate(officer=o, decision=_decide(o, activity, at, records), override=records.overrides.get(o.pk))
        for o in officers
    ]
    return sorted(listed, key=lambda c: (order[c.decision.answer], c.officer.last_name, c.officer.first_name))


def longest_override_days() -> int:
    """The longest an inspector's override may last, in whole days (force policy), for the form's hint."""
    return max(1, policy_value(policy.LONGEST_OVERRIDE).days)


# --- For the DMM board (haven.dmm sits above workforce) -------------------------------------------------


@dataclass(frozen=True)
class BeyondCompetence:
    """An officer working under an inspector's override (beyond their recorded competence)."""

    officer: User
    override: Override


def working_beyond_competence(*, team_code: str = "") -> list[BeyondCompetence]:
    """Officers with an override of the gate in force now, each override, the soonest to end first.
    Haven keeps no rota of constables' shifts: an override lasts only while the work needs it (7 days
    at most by default), so one in force is the officer at work beyond their competence. ``team_code``
    narrows to officers of that team."""
    now = clock.now()
    rows = Override.objects.filter(granted_at__lte=now, ends_at__gt=now, officer__is_active=True)
    if team_code:
        rows = rows.filter(officer__team__code=team_code)
    rows = rows.select_related("officer", "officer__rank", "officer__team", "granted_by", "granted_by__rank")
    return [BeyondCompetence(officer=o.officer, override=o) for o in rows.order_by("ends_at", "id")]


@dataclass(frozen=True)
class BoardListing:
    rows: list[BeyondCompetence]
    total: int


def beyond_competence_for_board(*, user: User, team_code: str = "", limit: int | None = None) -> BoardListing:
    """The DMM board's section (the board checked DMM_BOARD_VIEW): the ``limit`` soonest to end and how
    many in all; one s62 consultation naming the officers listed, if any."""
    found = working_beyond_competence(team_code=team_code)
    shown = found if limit is None else found[:limit]
    if shown:
        s62.record_team(
            actor=user,
            officers=sorted({b.officer.username for b in shown}),
            detail={"read": "officers working under an override (DMM board)"},
        )
    return BoardListing(rows=shown, total=len(found))
