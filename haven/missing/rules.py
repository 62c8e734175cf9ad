"""The missing-children rules (domain §13, M-01..M-16) as plain functions the services and pages ask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from haven.core import clock
from haven.missing.choices import Obligation, RiskGrade, grade_rank

if TYPE_CHECKING:
    from haven.missing.models import Episode
    from haven.people.models import Person

PLACEMENTS = ("care_home", "foster")
"""Where a child goes missing from that is a placement (MissingFrom): its address is kept on their record."""


def is_child(person: Person) -> bool:
    """Under 18 today; a person with no date of birth is treated as a child (this is the missing-children app)."""
    return not person.is_adult


@dataclass
class ChildFlags:
    """The child's current flags as the report and grading screens show them (M-13, M-16)."""

    looked_after: bool = False
    responsible_authority: str = ""
    host_authority: str = ""
    cp_plan: bool = False
    exploitation: bool = False
    philomena: bool = False
    philomena_since: Any = None


def child_flags(person: Person) -> ChildFlags:
    from haven.people.choices import FlagKind

    flags = ChildFlags()
    for flag in person.flags.all():
        if not flag.is_current:
            continue
        if flag.kind == FlagKind.LOOKED_AFTER:
            flags.looked_after = True
            flags.responsible_authority = flags.responsible_authority or flag.responsible_authority
            flags.host_authority = flags.host_authority or flag.host_authority
        elif flag.kind == FlagKind.CHILD_PROTECTION_PLAN:
            flags.cp_plan = True
        elif flag.kind == FlagKind.EXPLOITATION_RISK:
            flags.exploitation = True
        elif flag.kind == FlagKind.PHILOMENA:
            flags.philomena = True
            flags.philomena_since = flag.start_date
    return flags


@dataclass(frozen=True)
class ReportedStatus:
    """What a report says of the child's status (M-13), with the child's current flags filling what it
    leaves out: looked after (and the authorities), and whether a Philomena form exists."""

    looked_after: bool
    responsible_authority: str
    host_authority: str
    philomena_exists: bool | None


def reported_status(flags: ChildFlags, data: Any) -> ReportedStatus:
    looked_after, responsible, host = data.looked_after, data.responsible_authority, data.host_authority
    if looked_after is None:
        looked_after = flags.looked_after
        responsible = responsible or flags.responsible_authority
        host = host or flags.host_authority
    philomena = data.philomena_exists
    if philomena is None and flags.philomena:
        philomena = True
    return ReportedStatus(bool(looked_after), responsible, host, philomena)


def report_problems(person: Person, data: Any) -> dict[str, list[str]]:
    """What stops a report (an ``EpisodeReportIn``) about ``person`` being made, by field, in people's
    words: M-13 (a looked-after child's responsible authority and whether a Philomena form exists), a
    merged record, a call before the child was last seen. The report page asks before its check-answers
    page; the service asks again."""
    status = reported_status(child_flags(person), data)
    problems: dict[str, list[str]] = {}
    if status.looked_after and not status.responsible_authority:
        problems["responsible_authority"] = ["Enter the responsible local authority for a looked-after child"]
    if status.looked_after and status.philomena_exists is None:
        problems["philomena_exists"] = ["Say whether a Philomena form exists for a looked-after child"]
    if person.merged_into_id is not None:
        problems["child"] = ["This person's record was merged into another: report the child on that one"]
    if data.called_at is not None and data.called_at < data.last_seen_at:
        problems["called_at"] = ["The call must be after the child was last seen: check both dates and times"]
    return problems


def below_child_floor(person: Person, grade: str) -> bool:
    """M-06: a child graded below the force's floor (policy ``missing.child_grade_floor``)."""
    from haven.missing.policy import CHILD_GRADE_FLOOR
    from haven.policy.selectors import policy_value

    if not is_child(person) or grade not in RiskGrade.values:
        return False
    return grade_rank(grade) < grade_rank(policy_value(CHILD_GRADE_FLOOR))


def needs_cra(person: Person, grade: str) -> bool:
    """M-08: a child at medium or high risk needs a recorded Child Rescue Alert consideration."""
    return is_child(person) and grade in (RiskGrade.MEDIUM, RiskGrade.HIGH)


def obligation_done(episode: Episode, obligation: Obligation) -> bool:
    """M-07 / M-09: whether ``obligation`` is recorded on the episode."""
    return {
        Obligation.PNC: episode.pnc_circulated_at is not None,
        Obligation.SENIOR_MANAGER: episode.senior_manager_involved_at is not None,
        Obligation.INVESTIGATING_OFFICER: episode.investigating_officer_id is not None,
        Obligation.UKMPU: episode.ukmpu_notified_at is not None,
        Obligation.CHILDRENS_SERVICES: episode.childrens_services_notified_at is not None,
        Obligation.MEDIA: episode.media_strategy_at is not None,
    }[obligation]


RECORDABLE_ELSEWHERE = (Obligation.PNC, Obligation.UKMPU, Obligation.CHILDRENS_SERVICES, Obligation.MEDIA)
"""The obligations a DMM action may name and meet when done: those that need no more than a time (and,
for the media strategy, the decision in words). The senior manager and the investigating officer are
people named on the episode itself."""

OBLIGATION_TO_DO = {
    Obligation.PNC: "Circulate the child on the PNC",
    Obligation.SENIOR_MANAGER: "Involve a senior manager",
    Obligation.INVESTIGATING_OFFICER: "Assign an investigating officer",
    Obligation.UKMPU: "Notify the UK Missing Persons Unit",
    Obligation.CHILDRENS_SERVICES: "Tell children's services",
    Obligation.MEDIA: "Decide the media strategy",
}
"""Each obligation as the thing to do (the DMM's "Meets: …")."""


def outstanding_obligations(episode: Episode) -> list[Obligation]:
    """M-07: what a high-risk episode still lacks (children's services only for a child)."""
    if episode.grade != RiskGrade.HIGH:
        return []
    wanted = [o for o in Obligation if o != Obligation.PNC]
    if not is_child(episode.child):
        wanted.remove(Obligation.CHILDRENS_SERVICES)
    return [o for o in wanted if not obligation_done(episode, o)]


def exploitation_prompt(episode: Episode, flags: ChildFlags) -> str:
    """M-16: why this episode should prompt an exploitation review or NRM consideration ("" if not)."""
    from haven.missing.policy import OUT_OF_AREA_PROMPTS
    from haven.policy.selectors import policy_value

    reasons = []
    if flags.exploitation:
        reasons.append("the child has an exploitation risk flag")
    if episode.found_far_from_home and policy_value(OUT_OF_AREA_PROMPTS):
        reasons.append("the child was found far from home")
    if episode.found_with_adults_of_concern:
        reasons.append("the child was found with adults of concern")
    if not reasons:
        return ""
    return "Consider an exploitation review or NRM referral: " + "; ".join(reasons) + "."


def prevention_settled(episode: Episode) -> bool:
    """M-11: a prevention interview is recorded, or a supervisor waived it with a reason."""
    from haven.missing.models import PreventionInterview

    if episode.prevention_waived_at is not None and episode.prevention_waived_reason.strip():
        return True
    return PreventionInterview.objects.filter(episode_id=episode.pk).exists()


def close_overridable(episode: Episode) -> list[str]:
    """What a supervisor may close the episode over by recording why (M-16, M-07): the exploitation
    review the episode prompted, not recorded; children's services not told of a high-risk child."""
    problems = []
    if episode.exploitation_prompt.strip() and not episode.exploitation_outcome:
        problems.append("The exploitation review this episode prompted is not recorded: record what was done about it.")
    if Obligation.CHILDRENS_SERVICES in outstanding_obligations(episode):
        problems.append("Children's services have not been told about this child at high risk: record when they were.")
    return problems


def close_overridden(episode: Episode) -> bool:
    """A supervisor recorded why the episode may close with the review or notice outstanding."""
    return episode.close_override_at is not None and bool(episode.close_override_reason.strip())


def close_blockers(episode: Episode, *, overriding: bool = False) -> list[str]:
    """Why the episode cannot close yet (M-11, then M-16 and M-07 unless a supervisor recorded why it may:
    ``overriding`` leaves those out, for the close that records the reason)."""
    from haven.missing.choices import EpisodeState

    if episode.state in (EpisodeState.CANCELLED, EpisodeState.ESCALATED, EpisodeState.DECEASED):
        return []
    problems = []
    if episode.state in (EpisodeState.REPORTED, EpisodeState.OPEN):
        problems.append("The child has not been found yet.")
    if not prevention_settled(episode):
        problems.append(
            "Record the prevention interview (safe and well check), or have a supervisor record why none was possible."
        )
    if not overriding and not close_overridden(episode):
        problems += close_overridable(episode)
    return problems


def role_of(user: Any) -> str:
    """The rank (or roles) of ``user`` when they act, kept with assessments and reviews."""
    if getattr(user, "rank", None) is not None:
        return str(user.rank)
    return ", ".join(user.role_labels())[:100]


def review_overdue(episode: Episode) -> bool:
    """M-04: an open episode whose next review time has passed."""
    return episode.is_active and episode.next_review_due is not None and episode.next_review_due < clock.now()


def may_take_enquiries(user: Any) -> bool:
    from haven.core.permissions import Perm

    return bool(user.is_active and user.has_perm(Perm.MISSING_ENQUIRY_RECORD))


SIGHTING_RECEIVED = (
    "Thank you. The sighting has been passed to the officers looking for the child. If they need more, "
    "they will contact you."
)
"""The one answer to a sighting reported by name, matched or not: it must not reveal a restricted child."""
