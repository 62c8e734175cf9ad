"""Every read of missing-child episodes. Reads that show personal data take the user and log (s62)."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.cases import s62
from haven.cases.choices import Sensitivity
from haven.cases.selectors import case_can, case_get, case_read_record, case_visible_to
from haven.core import clock
from haven.core.access import Action
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.missing import rules
from haven.missing.choices import ACTIVE_STATES, GRADE_ORDER, OPEN_ENQUIRY_STATUSES, RHI_ENDED, EpisodeState, RiskGrade
from haven.missing.models import (
    Enquiry,
    Episode,
    PreventionInterview,
    ReturnHomeInterview,
    RiskAssessment,
    Sighting,
    SupervisorReview,
)
from haven.triggerplans.selectors import LOCATING, current_plan, current_plan_for_episode, plan_actions, status_of
from haven.workforce import selectors as workforce
from haven.workforce.choices import Activity
from haven.workforce.selectors import override_in_force

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.people.models import Person


def episodes_of_child(*, child: Person, since: datetime | None = None) -> QuerySet[Episode]:
    """Every episode of ``child`` (reported at or after ``since``), newest first.

    Internal: no user and no s62 log, for counting (repeat-missing detection, M-14). Never render
    what it returns without going through a user-scoped selector.
    """
    episodes = Episode.objects.filter(child=child)
    if since is not None:
        episodes = episodes.filter(reported_at__gte=since)
    return episodes.order_by("-reported_at", "-id")


# --- Need-to-know reads (each takes the user; a hidden episode is NotFound) ----------------------


def episode_visible_to(user: User) -> QuerySet[Episode]:
    """The episodes whose case ``user`` may see (haven.cases ``case_visible_to``)."""
    if not user.has_perm(Perm.MISSING_EPISODE_VIEW):
        return Episode.objects.none()
    return Episode.objects.filter(case__in=case_visible_to(user))


def _related(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    return episodes.select_related(
        "case", "case__subject", "case__owner", "case__owner__rank", "case__team", "case__pending_owner", "child"
    )


def episode_get(*, user: User, public_id: object, log: bool = True) -> Episode:
    """The episode if ``user`` may see its case, else NotFound (a hidden one is logged as denied).
    Logged as a consultation unless ``log=False`` (the caller logs, e.g. a write that follows)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    episode = _related(episode_visible_to(user)).filter(public_id=key).first()
    if episode is None:
        hidden = Episode.objects.select_related("case", "case__subject").filter(public_id=key).first()
        if hidden is not None:
            case_get(user=user, public_id=hidden.case.public_id, log=False)  # logs the denied attempt, raises
        raise NotFound("Not found.")
    if log:
        case_read_record(user=user, cases=[episode.case])
    return episode


def enquiry_get(*, user: User, public_id: object, log: bool = True) -> Enquiry:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    enquiry = (
        Enquiry.objects.select_related("episode", "allocated_to", "raised_by")
        .filter(public_id=key, episode__in=episode_visible_to(user))
        .first()
    )
    if enquiry is None:
        hidden = Enquiry.objects.select_related("episode__case__subject").filter(public_id=key).first()
        if hidden is not None:  # one that exists, refused: the attempt is kept (DP-01)
            s62.record(
                actor=user,
                operation=Operation.CONSULTATION,
                cases=[hidden.episode.case],
                outcome=Outcome.DENIED,
                detail={"enquiry": str(key)},
            )
        raise NotFound("Not found.")
    enquiry.episode = episode_get(user=user, public_id=enquiry.episode.public_id, log=log)
    return enquiry


def episode_locatable_by(user: User) -> QuerySet[Episode]:
    """The episodes ``user`` may read to help find the child, beyond those whose case they may see:
    finding a missing child is every operational officer's job. Only children missing now, and never a
    restricted case or a restricted person (those stay with their members)."""
    if not user.is_authenticated or not user.is_active or not user.has_perm(Perm.MISSING_SIGHTING_RECORD):
        return Episode.objects.none()
    return Episode.objects.filter(
        state__in=ACTIVE_STATES, case__sensitivity=Sensitivity.NORMAL, child__is_restricted=False
    )


def _log_locating(user: User, episodes: list[Episode], *, query: str = "") -> None:
    if episodes:
        s62.record(
            actor=user,
            operation=Operation.CONSULTATION,
            cases=[e.case for e in episodes],
            justification=LOCATING,
            justification_kind=JustificationKind.LOCATING,
            query=query,
            detail={"episodes": [str(e.public_id) for e in episodes]},
        )


def episode_for_locating(*, user: User, public_id: object, log: bool = True) -> Episode:
    """An episode ``user`` works, or the briefing of a child missing now for an officer who may help find
    them (NotFound otherwise). Logged as a consultation: for the purpose of locating a missing person
    when the user does not work the case."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    works = episode_visible_to(user)
    episode = _related(works | episode_locatable_by(user)).filter(public_id=key).first()
    if episode is None:
        hidden = Episode.objects.select_related("case__subject").filter(public_id=key).first()
        if hidden is not None:  # one that exists, refused: the attempt is kept (DP-01)
            s62.record(
                actor=user,
                operation=Operation.CONSULTATION,
                cases=[hidden.case],
                outcome=Outcome.DENIED,
                detail={"episode": str(key), "locating": True},
            )
        raise NotFound("Not found.")
    if log and works.filter(pk=episode.pk).exists():
        case_read_record(user=user, cases=[episode.case])
    elif log:
        _log_locating(user, [episode])
    return episode


def briefing(*, user: User, episode: Episode) -> Episode:
    """The episode with what its briefing shows: the trigger plan's actions (for whoever helps find the
    child) on ``episode.plan_actions``. The caller read the episode through ``episode_for_locating``."""
    from haven.people.selectors import refuge_withheld

    plan = trigger_plan(user=user, child=episode.child, episode=episode)
    episode.plan_actions = list(plan["actions"])
    for action in episode.plan_actions:
        setattr(action, "shown", refuge_withheld(action.text))  # noqa: B010 - whoever helps find the child has no need-to-know
    return episode


def may_work(*, user: User, episode: Episode) -> bool:
    """Whether ``user`` sees the whole episode (its case), not only the briefing for locating the child."""
    return episode_visible_to(user).filter(pk=episode.pk).exists()


def sightings_of(*, episode: Episode) -> QuerySet[Sighting]:
    """The sightings of an episode the caller has already read (and logged), newest first."""
    return episode.sightings.select_related("recorded_by", "recorded_by__rank").order_by("-seen_at", "-id")


def sightings_unmatched(*, user: User) -> list[Sighting]:
    """Sightings reported by a child's name that matched no one child missing now, newest first: for
    supervisors to find the child with their own access. Reading them is logged (names of children)."""
    if not user.has_perm(Perm.MISSING_SUPERVISION_RECORD):
        return []
    sightings = list(
        Sighting.objects.filter(episode__isnull=True)
        .select_related("recorded_by", "recorded_by__rank")
        .order_by("-seen_at", "-id")[:100]
    )
    if sightings:
        s62.record(
            actor=user,
            operation=Operation.CONSULTATION,
            justification="Matching sightings of children who may be missing.",
            justification_kind=JustificationKind.LOCATING,
            detail={"sightings": [str(s.public_id) for s in sightings]},
        )
    return sightings


def episode_list(*, user: User, active: bool = True, query: str = "") -> list[Episode]:
    """Episodes ``user`` may see: the children missing now (``active``), or the latest of every state.
    Listing them is a consultation, logged. Children missing now include, for every operational officer,
    those whose case they do not see (logged as locating a missing person; ``episode.briefing_only``)."""
    if active:
        return _missing_now(user, query=query)
    episodes = _related(episode_visible_to(user))
    ordered = list(episodes.order_by("-reported_at")[:200])
    case_read_record(user=user, cases=[e.case for e in ordered], query=query)
    return ordered


def _missing_now(user: User, *, query: str, limit: int = 200) -> list[Episode]:
    """The children missing now ``user`` works and those they may help find, highest risk first; only the
    ``limit`` shown are logged (s62: consultation, or locating a missing person)."""
    worked = list(_related(episode_visible_to(user)).filter(state__in=ACTIVE_STATES).order_by("-reported_at")[:limit])
    seen = {e.pk for e in worked}
    located = [e for e in _related(episode_locatable_by(user)).order_by("-reported_at")[:limit] if e.pk not in seen]
    for e in located:
        e.briefing_only = True
    shown = sorted(
        [*worked, *located],
        key=lambda e: (-GRADE_ORDER.get(RiskGrade(e.grade), -1) if e.grade else 1, e.reported_at),
    )[:limit]
    case_read_record(user=user, cases=[e.case for e in shown if not e.briefing_only], query=query)
    _log_locating(user, [e for e in shown if e.briefing_only], query=query)
    return shown


def _locating_only(user: User, episode: Episode) -> bool:
    """Whether ``user`` reads ``episode`` only to help find the child (its briefing), not to work it."""
    return not may_work(user=user, episode=episode) and episode_locatable_by(user).filter(pk=episode.pk).exists()


def trigger_plan(*, user: User, child: Person, episode: Episode | None = None) -> dict[str, Any]:
    """The child's current trigger plan for the report, episode and briefing pages: {plan, status, actions}.

    With ``episode`` (one ``user`` may see), whoever works it sees the plan even when the plan's own case
    is beyond their reach (haven.triggerplans ``current_plan_for_episode``, logged with its purpose).
    ``status`` is "none", "current" or "out_of_date" (haven.triggerplans)."""
    if episode is not None:
        plan = current_plan_for_episode(
            user=user, child=child, episode_case=episode.case, locating=_locating_only(user, episode)
        )
    else:
        plan = current_plan(user=user, child=child)
    status = status_of(plan) if plan is not None else "none"
    actions = list(plan.current.actions.all()) if plan is not None and plan.current is not None else []
    return {"plan": plan, "status": status, "actions": actions}


def trigger_plan_actions(*, user: User, child: Person, episode: Episode | None = None) -> list[Any]:
    """The directive actions of the child's current plan (for ``episode``'s workers: see :func:`trigger_plan`)."""
    if episode is None:
        return list(plan_actions(user=user, child=child))
    plan = current_plan_for_episode(
        user=user, child=child, episode_case=episode.case, locating=_locating_only(user, episode)
    )
    return list(plan.current.actions.all()) if plan is not None and plan.current is not None else []


@dataclass(frozen=True)
class OpenObligation:
    """An obligation of a case's missing episode still to be met: its deadline key and its words."""

    key: str
    label: str


def obligations_open(*, user: User, case: Any) -> list[OpenObligation]:
    """The obligations of ``case``'s episode that another record (a DMM action) may meet: the PNC
    circulation and the high-risk ones recordable without more (rules.RECORDABLE_ELSEWHERE) whose
    deadline is live. Empty if ``user`` may not see the case. Shows no personal data (not logged)."""
    from haven.deadlines.choices import LIVE_STATES
    from haven.deadlines.selectors import deadline_named
    from haven.missing import deadlines as dl

    episode = episode_visible_to(user).filter(case_id=case.pk).select_related("child").first()
    if episode is None:
        return []
    found = []
    for obligation in rules.RECORDABLE_ELSEWHERE:
        key = dl.obligation_key(episode, obligation)
        if rules.obligation_done(episode, obligation):
            continue
        if deadline_named(case_id=case.pk, key=key).filter(state__in=LIVE_STATES).exists():
            found.append(OpenObligation(key=key, label=rules.OBLIGATION_TO_DO[obligation]))
    return found


@dataclass
class Patterns:
    """Patterns across a child's episodes (domain §2.8): how often, how long, where found, with whom,
    times of day, return-interview themes."""

    count: int = 0
    last_90_days: int = 0
    longest: timedelta | None = None
    average: timedelta | None = None
    where_found: list[tuple[str, int]] = field(default_factory=list)
    missing_from: list[tuple[str, int]] = field(default_factory=list)
    reasons: list[tuple[str, int]] = field(default_factory=list)
    times_of_day: list[tuple[str, int]] = field(default_factory=list)
    with_whom: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    adults_of_concern: int = 0
    far_from_home: int = 0

    @property
    def average_words(self) -> str:
        return clock.duration_words(self.average) if self.average is not None else ""

    @property
    def longest_words(self) -> str:
        return clock.duration_words(self.longest) if self.longest is not None else ""


def _period(at: datetime) -> str:
    hour = timezone.localtime(at).hour
    if 6 <= hour < 12:
        return "Morning (6am to noon)"
    if 12 <= hour < 18:
        return "Afternoon (noon to 6pm)"
    if 18 <= hour < 24:
        return "Evening (6pm to midnight)"
    return "Night (midnight to 6am)"


def patterns_of(episodes: list[Episode]) -> Patterns:
    """Compute the patterns of ``episodes`` (already read by a user-scoped selector)."""
    result = Patterns(count=len(episodes))
    if not episodes:
        return result
    since = clock.now() - timedelta(days=90)
    result.last_90_days = sum(1 for e in episodes if e.reported_at >= since)
    durations = [e.found_at - e.last_seen_at for e in episodes if e.found_at]
    if durations:
        result.longest = max(durations)
        result.average = sum(durations, timedelta()) / len(durations)
    result.where_found = Counter(e.get_found_where_code_display() for e in episodes if e.found_where_code).most_common()
    result.missing_from = Counter(e.get_missing_from_display() for e in episodes).most_common()
    result.reasons = Counter(e.get_reason_missing_display() for e in episodes if e.reason_missing).most_common()
    result.times_of_day = Counter(_period(e.last_seen_at) for e in episodes).most_common()
    result.adults_of_concern = sum(1 for e in episodes if e.found_with_adults_of_concern)
    result.far_from_home = sum(1 for e in episodes if e.found_far_from_home)
    for interview in PreventionInterview.objects.filter(episode__in=episodes).exclude(with_whom=""):
        result.with_whom.append(interview.with_whom)
    for rhi in ReturnHomeInterview.objects.filter(episode__in=episodes).exclude(themes=""):
        result.themes.append(rhi.themes)
    return result


def child_history(*, user: User, child: Person, exclude: Episode | None = None) -> dict[str, Any]:
    """The child's episodes ``user`` may see, their patterns and the child's current flags (M-13, M-16).
    Shown on the report form, the episode page and the child's page; logged as a consultation."""
    episodes = list(_related(episode_visible_to(user)).filter(child=child).order_by("-reported_at"))
    if exclude is not None:
        episodes = [e for e in episodes if e.pk != exclude.pk]
    if episodes:
        case_read_record(user=user, cases=[e.case for e in episodes])
    return {
        "episodes": episodes,
        "patterns": patterns_of(episodes),
        "flags": rules.child_flags(child),
        "is_child": rules.is_child(child),
    }


def episode_page(*, user: User, episode: Episode) -> dict[str, Any]:
    """Everything the episode page shows (the caller has logged the read)."""
    from haven.cases.selectors import case_page

    assessments = list(
        episode.assessments.select_related("assessed_by", "assessed_by__rank", "floor_override_by")
        .prefetch_related("sources")
        .order_by("-assessed_at", "-id")
    )
    enquiries = list(
        episode.enquiries.select_related("allocated_to", "allocated_to__rank", "raised_by", "completed_by").order_by(
            "status", "due_at"
        )
    )
    enquiries.sort(key=lambda q: (not q.is_open, q.due_at))
    can_edit = case_can(user=user, case=episode.case, action=Action.EDIT)
    context = case_page(user=user, case=episode.case)
    context.update(
        {
            "episode": episode,
            "child": episode.child,
            "assessments": assessments,
            "current": assessments[0] if assessments else None,
            "enquiries": enquiries,
            "overdue": [q for q in enquiries if q.is_overdue],
            "reviews": list(episode.reviews.select_related("reviewer", "reviewer__rank").order_by("-reviewed_at")),
            "prevention": PreventionInterview.objects.filter(episode=episode).select_related("done_by").first(),
            "rhi": (rhi := ReturnHomeInterview.objects.filter(episode=episode).first()),
            # M-12: the RHI is recorded until it ends, even after the episode closed.
            "rhi_open": rhi is not None and (episode.state == EpisodeState.FOUND or rhi.status not in RHI_ENDED),
            "deadlines": deadlines_for(user=user, episode=episode),
            "obligations": rules.outstanding_obligations(episode),
            "review_overdue": rules.review_overdue(episode),
            "close_blockers": rules.close_blockers(episode),
            "history": child_history(user=user, child=episode.child, exclude=episode),
            "plan": trigger_plan(user=user, child=episode.child, episode=episode),
            "can_edit": can_edit,
            "can_grade": can_edit and user.has_perm(Perm.MISSING_RISK_GRADE),
            "can_enquire": can_edit and user.has_perm(Perm.MISSING_ENQUIRY_RECORD),
            "can_supervise": can_edit and user.has_perm(Perm.MISSING_SUPERVISION_RECORD),
            # A found child's referral to children's services: only those who may raise one see the button.
            "can_refer": user.has_perm(Perm.REFERRALS_REFERRAL_CREATE),
            "is_active": episode.is_active,
            "investigator_override": investigator_override(episode=episode),
        }
    )
    return context


def deadlines_for(*, user: User, episode: Episode) -> list[Any]:
    from haven.missing import deadlines as dl

    return dl.for_case(user=user, case=episode.case)


def missing_now(*, user: User, limit: int = 20) -> list[Episode]:
    """Children missing now that ``user`` may see, highest risk first (the home page section); only those
    shown are read and logged."""
    return _missing_now(user, query="", limit=limit)


# --- For the DMM board (haven.dmm.sections) ------------------------------------------------------
# Unscoped on purpose: the board narrows every one to the cases its reader may see (its access
# compiled once per build), and logs what it shows.


def episodes_missing_now() -> QuerySet[Episode]:
    """Every episode whose child is missing now (reported or open)."""
    return Episode.objects.filter(state__in=ACTIVE_STATES)


def episodes_missing_between(*, since: datetime, until: datetime) -> QuerySet[Episode]:
    """The episodes that can count as missing after ``since`` and up to ``until``: reported by then and
    not back, or back since (each arm through an index of its own, migration ``missing`` 0003), with
    ``back_at``: when the child was back (found, else the episode ended)."""
    return Episode.objects.filter(
        Q(found_at__isnull=True, ended_at__isnull=True) | Q(found_at__gt=since) | Q(ended_at__gt=since),
        reported_at__lte=until,
    ).annotate(back_at=Coalesce("found_at", "ended_at"))


def episodes_found_between(*, since: datetime, until: datetime) -> QuerySet[Episode]:
    """The episodes whose child was found from ``since`` to ``until``, with ``interviewed`` (a prevention
    interview was recorded, M-11) and ``rhi`` (a return home interview was requested, M-12)."""
    return Episode.objects.filter(found_at__isnull=False, found_at__gte=since, found_at__lte=until).annotate(
        interviewed=Exists(PreventionInterview.objects.filter(episode_id=OuterRef("pk"))),
        rhi=Exists(ReturnHomeInterview.objects.filter(episode_id=OuterRef("pk"))),
    )


def episode_of_case() -> QuerySet[Episode]:
    """The episode of the outer query's case (``OuterRef("case_id")``), for a subquery."""
    return Episode.objects.filter(case_id=OuterRef("case_id")).order_by()


def overdue_enquiries(now: datetime) -> Subquery:
    """How many enquiries of the outer query's episode (``OuterRef("pk")``) are open past their due time."""
    return Subquery(
        Enquiry.objects.filter(episode_id=OuterRef("pk"), status__in=OPEN_ENQUIRY_STATUSES, due_at__lt=now)
        .order_by()
        .values("episode_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )


def _latest(model: type[SupervisorReview] | type[RiskAssessment], field: str) -> Subquery:
    return Subquery(
        model.objects.filter(episode_id=OuterRef("pk"))
        .order_by()
        .values("episode_id")
        .annotate(m=Max(field))
        .values("m")[:1]
    )


def last_review_at() -> Greatest:
    """When the outer query's episode (``OuterRef("pk")``) was last reviewed: the later of its last
    supervisor review and its last risk assessment (PostgreSQL's GREATEST ignores NULLs)."""
    return Greatest(_latest(SupervisorReview, "reviewed_at"), _latest(RiskAssessment, "assessed_at"))


# --- Reporting a child missing ---------------------------------------------------------------------


@dataclass
class Candidate:
    """One person found by the report's search, with what the call handler must see before choosing:
    whether they are missing now (and the episode, if the user may open it), their flags, their trigger
    plan's status, and whether they are an adult (the missing-child report says so)."""

    person: Any
    reasons: list[str]
    missing_now: Episode | None = None
    may_open: bool = False
    flags: rules.ChildFlags = field(default_factory=rules.ChildFlags)
    repeat_missing: bool = False
    plan_status: str = "none"

    @property
    def adult(self) -> bool:
        return not rules.is_child(self.person)

    @property
    def may_report(self) -> bool:
        return self.missing_now is None


def report_candidates(*, user: User, query: str, date_of_birth: Any = None) -> list[Candidate]:
    """The people who match the report's search (haven.people's search, logged), each as a :class:`Candidate`.
    An open episode shown with its reference is logged as read (consultation, or locating a missing person);
    one the user may not open is shown only as "already reported missing"."""
    from django.db.models import prefetch_related_objects

    from haven.people.selectors import person_search
    from haven.triggerplans.selectors import plan_status, repeat_missing_flag

    hits = person_search(user=user, query=query, date_of_birth=date_of_birth)
    people = [hit.person for hit in hits]
    prefetch_related_objects(people, "flags")
    open_episodes = {e.child_id: e for e in _related(Episode.objects.filter(child__in=people, state__in=ACTIVE_STATES))}
    worked = set(
        episode_visible_to(user).filter(pk__in=[e.pk for e in open_episodes.values()]).values_list("pk", flat=True)
    )
    locatable = set(
        episode_locatable_by(user).filter(pk__in=[e.pk for e in open_episodes.values()]).values_list("pk", flat=True)
    )
    found = []
    for hit in hits:
        episode = open_episodes.get(hit.person.pk)
        found.append(
            Candidate(
                person=hit.person,
                reasons=hit.reasons,
                missing_now=episode,
                may_open=episode is not None and (episode.pk in worked or episode.pk in locatable),
                flags=rules.child_flags(hit.person),
                repeat_missing=repeat_missing_flag(child=hit.person) is not None,
                plan_status=plan_status(user=user, child=hit.person),
            )
        )
    shown = [c.missing_now for c in found if c.missing_now is not None and c.may_open]
    case_read_record(user=user, cases=[e.case for e in shown if e.pk in worked])
    _log_locating(user, [e for e in shown if e.pk not in worked])
    return found


def open_episode_of(*, user: User, child: Person) -> tuple[Episode | None, bool]:
    """The child's episode open now, if any, and whether ``user`` may open it (they work it, or may read
    its briefing to help find the child); a report of a child already missing is never offered. The caller
    has read (and logged) the child; the episode's reference shown is logged with it."""
    episode = _related(Episode.objects.filter(child=child, state__in=ACTIVE_STATES)).first()
    if episode is None:
        return None, False
    if episode_visible_to(user).filter(pk=episode.pk).exists():
        case_read_record(user=user, cases=[episode.case])
        return episode, True
    if episode_locatable_by(user).filter(pk=episode.pk).exists():
        _log_locating(user, [episode])
        return episode, True
    return episode, False


def report_defaults(*, user: User, child: Person) -> dict[str, Any]:
    """What the report form starts with from what Haven already holds about ``child`` (already read and
    logged by the page): the child's flags (M-13), their current care placement's address, phone numbers
    and social-media accounts from their record, and the description given at their last episode that
    ``user`` may see (children change: the form shows it to be checked). A refuge address is never used.
    "Last seen" is never filled in: it must be asked."""
    from haven.people.choices import AddressKind, ContactKind

    flags = rules.child_flags(child)
    today = timezone.localdate(clock.now())
    placements = [
        a.lines
        for a in child.addresses.filter(kind=AddressKind.CARE_PLACEMENT)
        if a.end_date is None or a.end_date >= today
    ]
    contacts = list(child.contacts.all())
    previous = (
        episode_visible_to(user)
        .filter(child=child)
        .exclude(height="", build="", hair="", features="")
        .order_by("-reported_at")
        .first()
    )
    defaults: dict[str, Any] = {
        "looked_after": "yes" if flags.looked_after else "no",
        "responsible_authority": flags.responsible_authority,
        "host_authority": flags.host_authority,
        "philomena_exists": "yes" if flags.philomena else "unknown",
        "placement_address": placements[0] if placements else "",
        "phone_numbers": "\n".join(c.value for c in contacts if c.kind == ContactKind.PHONE),
        "social_media": "\n".join(
            f"{c.platform}: {c.value}" if c.platform else c.value for c in contacts if c.kind == ContactKind.SOCIAL
        ),
    }
    if previous is not None:
        defaults.update(
            {"height": previous.height, "build": previous.build, "hair": previous.hair, "features": previous.features}
        )
    return defaults


def review_context(*, episode: Episode) -> dict[str, Any]:
    """What a supervisor reviews (the page's read of the episode is logged by the caller): the current
    grade and its rationale, how long the child has been missing, the enquiries and what they found, the
    last review, and whether the review is overdue."""
    assessment = (
        episode.assessments.select_related("assessed_by", "assessed_by__rank").order_by("-assessed_at", "-id").first()
    )
    enquiries = list(
        episode.enquiries.select_related("allocated_to", "allocated_to__rank", "completed_by").order_by("due_at")
    )
    enquiries.sort(key=lambda q: (not q.is_open, q.due_at))
    return {
        "assessment": assessment,
        "enquiries": enquiries,
        "open_enquiries": sum(1 for q in enquiries if q.is_open),
        "overdue_enquiries": sum(1 for q in enquiries if q.is_overdue),
        "last_review": episode.reviews.select_related("reviewer", "reviewer__rank").order_by("-reviewed_at").first(),
        "missing_for": episode.duration_words,
        "review_overdue": rules.review_overdue(episode),
    }


# --- The investigating officer's picker (T-01) -------------------------------------------------------

# Who a high-risk episode's investigating officer may be chosen from: the officers of the case's team
# and of the supervisor choosing, in roles that investigate (the gate then says who may, and why not).
INVESTIGATING_ROLES = ("investigator", "supervisor", "inspector", "response_officer", "crsu_officer")


def investigator_candidates(*, user: User, episode: Episode) -> list[workforce.Candidate]:
    """The picker's officers, each with the gate's answer for investigating a high-risk episode
    (``haven.workforce.selectors.Candidate``); reading their answers is logged by the gate's selector."""
    teams = {t for t in (episode.case.team_id, user.team_id) if t is not None}
    officers = list(
        get_user_model()
        .objects.filter(is_active=True, team_id__in=teams, roles__overlap=list(INVESTIGATING_ROLES))
        .select_related("rank", "team")
    )
    return workforce.candidates(user=user, activity=Activity.HIGH_RISK_MISSING_INVESTIGATION, officers=officers)


def investigator_override(*, episode: Episode) -> Any:
    """The inspector's override the investigating officer of a high-risk episode works under, if any:
    shown on the episode's investigating officer line (who granted it, why, until when)."""
    if episode.investigating_officer is None or episode.grade != RiskGrade.HIGH:
        return None
    return override_in_force(episode.investigating_officer, Activity.HIGH_RISK_MISSING_INVESTIGATION)
