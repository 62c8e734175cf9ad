"""Reading referrals: each read takes the user and answers only what they may see (404 otherwise), and
each read of a referral's people writes an s62 row.

Who sees a referral: the officer who raised it (a draft only them), their team once it is submitted,
and those who work the CRSU queue (supervisors, inspectors and the CRSU). The research notes are
restricted (DP-06): only the officer allocated, the CRSU and their authors read them, each read logged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NoReturn

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from haven.accounts.models import Team
from haven.audit.choices import JustificationKind, Operation
from haven.cases.selectors import case_visible_to
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.policy.selectors import policy_value
from haven.referrals import policy, s62
from haven.referrals.choices import DECIDED_STATES, OPEN_STATES, OfficerGrade, Rag, ReferralState
from haven.referrals.models import (
    ChildConcernReferral,
    ReferralPerson,
    ResearchNote,
    ShareDecision,
    StrategyDiscussion,
)

if TYPE_CHECKING:
    from haven.accounts.models import User

__all__ = ["OPEN_STATES", "DECIDED_STATES"]


def referral_visible_to(user: User) -> QuerySet[ChildConcernReferral]:
    if not user.is_authenticated or not user.has_perm(Perm.REFERRALS_REFERRAL_VIEW):
        return ChildConcernReferral.objects.none()
    seen = Q(raised_by_id=user.pk)
    submitted = ~Q(state=ReferralState.DRAFT)
    if user.team_id is not None:
        seen |= Q(team_id=user.team_id) & submitted
    if user.has_perm(Perm.REFERRALS_QUEUE_VIEW):
        seen |= submitted
    return ChildConcernReferral.objects.filter(seen)


def _related(referrals: QuerySet[ChildConcernReferral]) -> QuerySet[ChildConcernReferral]:
    return referrals.select_related("raised_by", "raised_by__rank", "team", "case", "allocated_to").prefetch_related(
        Prefetch("people", queryset=ReferralPerson.objects.select_related("person"))
    )


def _key(public_id: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None


def _justification(user: User, referral: ChildConcernReferral) -> tuple[JustificationKind, str]:
    if referral.raised_by_id == user.pk:
        return JustificationKind.ALLOCATED, "Raised the referral."
    if referral.allocated_to_id == user.pk:
        return JustificationKind.ALLOCATED, "Allocated the referral in the CRSU."
    if user.team_id is not None and referral.team_id == user.team_id:
        return JustificationKind.TEAM, "A referral raised by their team."
    return JustificationKind.TEAM, "Works the CRSU queue."


def referral_get(*, user: User, public_id: object, log: bool = True) -> ChildConcernReferral:
    """The referral if ``user`` may see it, else NotFound (the same for one that does not exist). A read
    is an s62 consultation naming its people and case, unless ``log=False`` (a write that follows logs)."""
    key = _key(public_id)
    referral = _related(referral_visible_to(user)).filter(public_id=key).first()
    if referral is None:
        hidden = _related(ChildConcernReferral.objects.filter(public_id=key)).first()
        if hidden is not None and user.is_authenticated:
            refused(user=user, referral=hidden)
        raise NotFound("Not found.")
    if log:
        kind, why = _justification(user, referral)
        s62.record(
            actor=user,
            referral=referral,
            operation=Operation.CONSULTATION,
            justification=why,
            justification_kind=kind,
            detail={"read": "referral"},
        )
    return referral


def refused(*, user: User, referral: ChildConcernReferral, what: str = "referral") -> NoReturn:
    """Refuse ``user`` ``referral`` (404, as for one that does not exist), keeping the attempt in the log."""
    s62.record_denied(actor=user, referral=referral, detail={"read": what})
    raise NotFound("Not found.")


def people_of(referral: ChildConcernReferral, role: str | None = None) -> list[ReferralPerson]:
    return [link for link in referral.people.all() if role is None or link.role == role]


def my_referrals(*, user: User) -> list[ChildConcernReferral]:
    """The referrals ``user`` raised, newest first (logged: the list names their people)."""
    referrals = list(_related(referral_visible_to(user).filter(raised_by_id=user.pk)).order_by("-created_at")[:200])
    s62.record_list(actor=user, referrals=referrals, detail={"read": "my referrals"})
    return referrals


# --- The CRSU queue -----------------------------------------------------------------------------------

_RISK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
_GRADE_RISK = {OfficerGrade.HIGH: 0, OfficerGrade.MEDIUM: 1, OfficerGrade.STANDARD: 2}


def risk_rank(referral: ChildConcernReferral) -> int:
    """Red first; until it is rated, the officer's grade stands in for the colour (high as red)."""
    if referral.rag:
        return _RISK[Rag(referral.rag)]
    return _GRADE_RISK.get(OfficerGrade(referral.officer_grade), 2) if referral.officer_grade else 2


@dataclass(frozen=True)
class QueueRow:
    referral: ChildConcernReferral
    waited: timedelta
    awaiting_approval: bool
    overdue: bool

    @property
    def waited_minutes(self) -> int:
        return int(self.waited.total_seconds() // 60)


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]
    backlog: int
    trend: list[tuple[date, int]]


def queue(*, user: User, log: bool = True) -> Queue:
    """The CRSU's queue: every referral submitted and not yet decided, reddest then oldest first, with
    the time each has waited; the backlog and its trend over 30 days. Logged (it names the children)."""
    if not user.has_perm(Perm.REFERRALS_QUEUE_VIEW):
        raise NotFound("Not found.")
    now = clock.now()
    referrals = list(_related(ChildConcernReferral.objects.filter(state__in=OPEN_STATES)))
    referrals.sort(key=lambda r: (risk_rank(r), r.submitted_at or now, r.pk))  # the same, in the same order
    rows = [
        QueueRow(
            referral=r,
            waited=now - (r.submitted_at or now),
            awaiting_approval=r.state == ReferralState.AWAITING_APPROVAL,
            overdue=r.share_by is not None and r.share_by < now,
        )
        for r in referrals
    ]
    if log:
        s62.record_list(actor=user, referrals=referrals, detail={"read": "CRSU queue"})
    return Queue(rows=rows, backlog=len(rows), trend=backlog_trend(days=30, now=now))


def backlog_count() -> int:
    """The CRSU's "forms requiring attention": submitted and not yet decided."""
    return ChildConcernReferral.objects.filter(state__in=OPEN_STATES).count()


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def backlog_trend(*, days: int = 30, now: datetime | None = None) -> list[tuple[date, int]]:
    """The backlog at the end of each of the last ``days`` days (today: now), oldest first."""
    now = now or clock.now()
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    spans: list[tuple[datetime, datetime | None]] = list(
        ChildConcernReferral.objects.filter(submitted_at__isnull=False, submitted_at__lt=now)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=_end_of(first - timedelta(days=1))))
        .values_list("submitted_at", "decided_at")  # type: ignore[arg-type]
    )
    trend = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        end = min(_end_of(day), now)
        trend.append((day, len([s for s, d in spans if s <= end and (d is None or d > end)])))
    return trend


def share_target(submitted_at: datetime, rag: str) -> datetime:
    """When a referral of this colour should be shared by (force policy; the same day: by midnight)."""
    setting = {
        Rag.RED: policy.SHARE_TARGET_RED,
        Rag.AMBER: policy.SHARE_TARGET_AMBER,
        Rag.GREEN: policy.SHARE_TARGET_GREEN,
    }.get(rag, policy.SHARE_TARGET_UNRATED)  # type: ignore[call-overload]
    target = policy_value(setting)
    if target == policy.SAME_DAY:
        return _end_of(timezone.localdate(submitted_at))
    return submitted_at + policy.TARGET_SPANS[target]


# --- Decisions and the restricted research ---------------------------------------------------------------


def pending_decision(referral: ChildConcernReferral) -> ShareDecision | None:
    """The decision waiting for a signed-off colleague's approval, if any."""
    if referral.state != ReferralState.AWAITING_APPROVAL:
        return None
    return referral.decisions.select_related("decided_by").filter(approval__isnull=True).order_by("-at").first()


def decisions_of(referral: ChildConcernReferral) -> list[ShareDecision]:
    return list(referral.decisions.select_related("decided_by", "approval__approved_by").order_by("at"))


def research_need(user: User, referral: ChildConcernReferral) -> str:
    """Why ``user`` may read the referral's research notes (DP-06), in words for the log; "" if not."""
    if not user.is_authenticated or not user.is_active:
        return ""
    if referral.allocated_to_id == user.pk:
        return "Allocated CRSU officer for the referral."
    in_crsu = user.team is not None and user.team.code == policy.CRSU_TEAM_CODE
    if user.has_perm(Perm.REFERRALS_REFERRAL_SHARE) or (in_crsu and user.has_perm(Perm.REFERRALS_QUEUE_VIEW)):
        return "Works in the CRSU, which researches referrals."
    if referral.research.filter(author_id=user.pk).exists():
        return "Wrote research on the referral."
    return ""


def research_notes(*, user: User, referral: ChildConcernReferral) -> list[ResearchNote]:
    """The research notes, for a reader with need-to-know (else NotFound); the read is logged with why."""
    need = research_need(user, referral)
    if not need:
        refused(user=user, referral=referral, what="research notes")
    notes = list(referral.research.select_related("author", "author__rank"))
    s62.record(
        actor=user,
        referral=referral,
        operation=Operation.CONSULTATION,
        justification=need,
        justification_kind=JustificationKind.STATED,
        detail={"read": "research notes", "restricted": True, "notes": len(notes)},
    )
    return notes


# --- Strategy discussions ---------------------------------------------------------------------------


def strategy_get(*, user: User, public_id: object, log: bool = True) -> StrategyDiscussion:
    """A strategy discussion, for one who may see any referral it discussed (or records them)."""
    found = StrategyDiscussion.objects.select_related("recorded_by", "case").filter(public_id=_key(public_id)).first()
    if found is None:
        raise NotFound("Not found.")
    referrals = list(_related(referral_visible_to(user).filter(strategy_discussions=found)))
    if not referrals and not user.has_perm(Perm.REFERRALS_STRATEGY_RECORD):
        raise NotFound("Not found.")
    if log:
        s62.record_list(actor=user, referrals=referrals, detail={"read": "strategy discussion"})
    found.visible_referrals = referrals  # type: ignore[attr-defined]
    return found


def strategies_of(referral: ChildConcernReferral) -> list[StrategyDiscussion]:
    return list(referral.strategy_discussions.all())


def awaiting_approval_by(*, user: User) -> list[ChildConcernReferral]:
    """Referrals whose decision waits for a colleague's approval that ``user`` may give (another officer's
    decision; the caller asks the workforce gate whether the user may approve at all), oldest first. Logged:
    the list names the children."""
    if not user.has_perm(Perm.REFERRALS_REFERRAL_REVIEW):
        return []
    # The one decision waiting on each (pending_decision), made by someone else: one query, in the database.
    by_another = ShareDecision.objects.filter(referral=OuterRef("pk"), approval__isnull=True).exclude(decided_by=user)
    waiting = ChildConcernReferral.objects.filter(state=ReferralState.AWAITING_APPROVAL).filter(Exists(by_another))
    referrals = list(_related(waiting).order_by("submitted_at"))
    if referrals:
        s62.record_list(actor=user, referrals=referrals, detail={"read": "decisions waiting for approval"})
    return referrals


# --- For the daily management meeting's board (section 5) ------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """Referrals waiting for the CRSU, an approval or a supervisor's review: at most the limit asked for,
    oldest first, and how many there are in all."""

    rows: list[ChildConcernReferral]
    total: int


def waiting_label(referral: ChildConcernReferral) -> str:
    """What the referral waits for, in the board's words."""
    if referral.state == ReferralState.SUBMITTED:
        return "The CRSU's decision"
    if referral.state == ReferralState.AWAITING_APPROVAL:
        return "Approval of the decision"
    return "A supervisor's review"


def not_reviewed_or_shared(*, user: User, team_code: str = "", limit: int | None = None) -> Waiting:
    """Submitted referrals not yet shared or decided, or decided without the supervisor's review (S-02),
    that ``user`` may see, oldest first. A referral about a restricted case shows only to those who may
    see that case. Not logged here: the board logs every child it shows, once."""
    referrals = (
        referral_visible_to(user)
        .filter(submitted_at__isnull=False)
        .filter(Q(state__in=OPEN_STATES) | Q(reviewed_at__isnull=True))
        # EXISTS looks each case up by its key: an IN under an OR cannot become a join, and at a force's
        # size PostgreSQL then walked every visible case for each referral (as police protection's did).
        .filter(Q(case__isnull=True) | Exists(case_visible_to(user).filter(pk=OuterRef("case_id"))))
    )
    if team_code:
        referrals = referrals.filter(team__code=team_code)
    total = referrals.count()
    ordered = _related(referrals).select_related("case__subject").order_by("submitted_at", "pk")
    return Waiting(rows=list(ordered[:limit] if limit is not None else ordered), total=total)


# --- The manager's report: time from raised to shared (issue 19, oversight) ------------------------------

REPORT_WEEKS = 12
NO_TEAM = "No team"


def percentile(values: list[timedelta], fraction: float) -> timedelta | None:
    """PostgreSQL's ``percentile_cont``: the value at ``fraction`` of the sorted list, interpolated
    between its neighbours; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class WeekFigures:
    """One week's figures (Monday to Sunday, UK time) for the force or a team."""

    week: date  # the Monday
    raised: int  # submitted in the week
    shared: int  # shared in the week
    median: timedelta | None  # from submitted to shared, over those shared in the week
    p90: timedelta | None
    breaches: int  # share-by time in the week, passed before the referral was decided
    backlog: int  # submitted and not yet decided at the end of the week (this week: now)

    @property
    def median_words(self) -> str:
        return "" if self.median is None else clock.duration_words(self.median)

    @property
    def p90_words(self) -> str:
        return "" if self.p90 is None else clock.duration_words(self.p90)

    @property
    def median_hours(self) -> float | None:
        return None if self.median is None else round(self.median.total_seconds() / 3600, 1)

    @property
    def p90_hours(self) -> float | None:
        return None if self.p90 is None else round(self.p90.total_seconds() / 3600, 1)


@dataclass(frozen=True)
class TeamFigures:
    team: str
    code: str
    weeks: list[WeekFigures]
    total: WeekFigures  # over every week of the report; its backlog is the backlog now


@dataclass(frozen=True)
class TimeToShareReport:
    now: datetime
    weeks: list[date]  # the Mondays, oldest first
    team_code: str  # the team chosen ("": the whole force)
    team_name: str
    choices: list[tuple[str, str]]  # every team (code, name), for the filter
    rows: list[WeekFigures]  # by week, for the force or the team chosen
    total: WeekFigures
    teams: list[TeamFigures]  # each team raising referrals in the period (only the chosen one when filtered)


# (team id, team name, team code, submitted_at, shared_at, decided_at, share_by)
_Row = tuple[int | None, str | None, str | None, datetime, datetime | None, datetime | None, datetime | None]


def _figures(rows: list[_Row], week: date, start: datetime, end: datetime, backlog_at: datetime) -> WeekFigures:
    """The figures of ``rows`` for [start, end); the backlog at ``backlog_at``."""
    shared = [r[4] - r[3] for r in rows if r[4] is not None and start <= r[4] < end]
    return WeekFigures(
        week=week,
        raised=sum(1 for r in rows if start <= r[3] < end),
        shared=len(shared),
        median=percentile(shared, 0.5),
        p90=percentile(shared, 0.9),
        breaches=sum(
            1
            for r in rows
            if r[6] is not None and start <= r[6] < end and r[6] < backlog_at and (r[5] is None or r[5] > r[6])
        ),
        backlog=sum(1 for r in rows if r[3] <= backlog_at and (r[5] is None or r[5] > backlog_at)),
    )


def time_to_share_report(*, user: User, weeks: int = REPORT_WEEKS, team_code: str = "") -> TimeToShareReport:
    """For managers (``referrals:report:view``, else NotFound): over submitted referrals, for the force
    (or the team chosen) and for each team (the raising officer's), each of the last ``weeks`` weeks
    (Monday to Sunday, UK time; this week so far): how many were raised (submitted) and shared; the
    median and 90th percentile time from submitted to shared of those shared that week (interpolated,
    as PostgreSQL's ``percentile_cont``); breaches, those whose share-by time fell in the week and
    passed before they were decided (shared late, decided not to share late, or still waiting); and
    the backlog, submitted and not yet decided, at the end of the week (now, for this week).

    Two queries whatever the number of referrals: the teams, and the referrals the weeks touch.
    Counts and times only: no child, person or case is shown, so the read is not an s62 consultation
    and writes no log row."""
    if not user.has_perm(Perm.REFERRALS_REPORT_VIEW):
        raise NotFound("Not found.")
    weeks = max(1, min(weeks, 104))
    now = clock.now()
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    mondays = [monday - timedelta(weeks=n) for n in reversed(range(weeks))]
    first = timezone.make_aware(datetime.combine(mondays[0], time.min))
    choices = list(Team.objects.order_by("name").values_list("code", "name"))
    names = dict(choices)
    if team_code not in names:
        team_code = ""
    touched = ChildConcernReferral.objects.filter(submitted_at__isnull=False, submitted_at__lte=now).filter(
        Q(submitted_at__gte=first)
        | Q(decided_at__isnull=True)
        | Q(decided_at__gte=first)
        | Q(shared_at__gte=first)
        | Q(share_by__gte=first)
    )
    if team_code:
        touched = touched.filter(team__code=team_code)
    rows: list[_Row] = list(
        touched.order_by().values_list(  # type: ignore[arg-type]
            "team_id", "team__name", "team__code", "submitted_at", "shared_at", "decided_at", "share_by"
        )
    )
    bounds = []
    for day in mondays:
        start = timezone.make_aware(datetime.combine(day, time.min))
        end = timezone.make_aware(datetime.combine(day + timedelta(weeks=1), time.min))
        bounds.append((day, start, end, min(end, now)))

    def weekly(among: list[_Row]) -> tuple[list[WeekFigures], WeekFigures]:
        by_week = [_figures(among, *b) for b in bounds]
        return by_week, _figures(among, mondays[0], first, bounds[-1][2], now)

    by_team: dict[int | None, list[_Row]] = {}
    for row in rows:
        by_team.setdefault(row[0], []).append(row)
    teams = []
    for team_rows in by_team.values():
        name, code = team_rows[0][1] or NO_TEAM, team_rows[0][2] or ""
        team_weeks, team_total = weekly(team_rows)
        if team_total.raised or team_total.shared or team_total.breaches or team_total.backlog:
            teams.append(TeamFigures(team=name, code=code, weeks=team_weeks, total=team_total))
    teams.sort(key=lambda t: (t.team == NO_TEAM, t.team))
    force_weeks, force_total = weekly(rows)
    return TimeToShareReport(
        now=now,
        weeks=mondays,
        team_code=team_code,
        team_name=names.get(team_code, ""),
        choices=choices,
        rows=force_weeks,
        total=force_total,
        teams=teams,
    )
