"""The force's training report for the learning and development lead (T-02) and the capacity view for a
detective inspector (issue 18): reads over many officers' training records and workloads.

Each is a read of staff records: one s62 consultation row naming the officers it shows by name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model

from haven.accounts.models import Team
from haven.cases.selectors import open_cases_owned_counts
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.deadlines.selectors import live_case_deadline_counts
from haven.workforce import s62
from haven.workforce.choices import CompetenceState
from haven.workforce.models import Competence, Establishment, OfficerQualification, Override, Qualification
from haven.workforce.registry import WorkCounter, work_counters
from haven.workforce.selectors import compliance, holds_current, required_of, today

if TYPE_CHECKING:
    from haven.accounts.models import User

NO_TEAM = "No team"
TREND_MONTHS = 12


@dataclass(frozen=True)
class Cell:
    """How many of the officers a module is required of hold it current."""

    current: int
    officers: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down (69.9 % has not reached 70 %)."""
        return self.current * 100 // self.officers if self.officers else 0


@dataclass(frozen=True)
class TeamLine:
    team: str
    cells: list[Cell | None]  # per module; None: required of nobody in the team


@dataclass(frozen=True)
class Overdue:
    officer: User
    team: str
    qualification: Qualification
    since: date | None  # the day it ran out; None: never completed


@dataclass(frozen=True)
class TrendPoint:
    month: date  # the first day of the month
    on: date  # the day counted: the month's last day, or today for this month
    cell: Cell


@dataclass(frozen=True)
class ForceReport:
    on: date
    modules: list[Qualification]
    force: list[Cell | None]
    teams: list[TeamLine]
    overdue: list[Overdue]
    trend: list[TrendPoint]


def _officers() -> list[User]:
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .select_related("rank", "team")
        .order_by("team__name", "last_name", "first_name")
    )


def _team_name(officer: User) -> str:
    return officer.team.name if officer.team is not None else NO_TEAM


def _cell(pairs: list[tuple[User, Qualification]], held: Any) -> Cell | None:
    if not pairs:
        return None
    return Cell(current=sum(1 for o, q in pairs if held(o, q)), officers=len(pairs))


def _month_starts(day: date, count: int) -> list[date]:
    starts, month = [], day.replace(day=1)
    for _ in range(count):
        starts.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


def _versions() -> dict[tuple[int, int], list[tuple[date, date | None]]]:
    """Every recorded state of every record (pghistory keeps each gain and refresher): (gained, runs out)."""
    event = apps.get_model("workforce", "OfficerQualificationEvent")
    versions: dict[tuple[int, int], list[tuple[date, date | None]]] = defaultdict(list)
    for officer_id, qualification_id, achieved, expires in event.objects.values_list(
        "officer_id", "qualification_id", "achieved_on", "expires_on"
    ):
        versions[(officer_id, qualification_id)].append((achieved, expires))
    return versions


def _held_on(versions: list[tuple[date, date | None]], day: date) -> bool:
    return any(achieved <= day and (expires is None or day < expires) for achieved, expires in versions)


def force_report(*, user: User, log: bool = True) -> ForceReport:
    """T-02, for the learning and development lead: each mandatory module (e-learning, required reading,
    any kind) as a percentage complete of the officers it is required of, by team and for the force;
    who is overdue (ran out, or never completed) and since when; and the force's figure at the end of
    each of the last 12 months, from every recorded state of each record (a refresher's earlier dates
    count for the months they covered). Officers' roles and teams are today's."""
    if not user.has_perm(Perm.WORKFORCE_REPORT_VIEW):
        raise NotFound("Not found.")
    day = today()
    officers = _officers()
    modules = list(Qualification.objects.filter(active=True, mandatory=True).order_by("name"))
    records = {
        (r.officer_id, r.qualification_id): r
        for r in OfficerQualification.objects.filter(qualification__in=modules, officer__in=officers)
    }
    pairs = [(o, q) for o in officers for q in modules if required_of(q, o)]

    def cells(among: list[User]) -> list[Cell | None]:
        """Per module, as the team page counts it (selectors.compliance); None: required of none of them."""
        counted = {c.qualification.pk: Cell(c.current, c.officers) for c in compliance(among, modules, records, day)}
        return [counted.get(m.pk) for m in modules]

    by_team: dict[str, list[User]] = defaultdict(list)
    for officer in officers:
        by_team[_team_name(officer)].append(officer)
    lines = [
        TeamLine(team=team, cells=team_cells)
        for team in sorted(by_team, key=lambda t: (t == NO_TEAM, t))
        if any(team_cells := cells(by_team[team]))
    ]
    force = cells(officers)
    overdue = []
    for o, q in pairs:
        if not holds_current(records.get((o.pk, q.pk)), day):
            record = records.get((o.pk, q.pk))
            since = record.expires_on if record is not None else None
            overdue.append(Overdue(officer=o, team=_team_name(o), qualification=q, since=since))
    overdue.sort(key=lambda r: (r.since is None, r.since or day, r.team, r.officer.last_name, r.qualification.name))
    versions = _versions()
    trend = []
    for start in _month_starts(day, TREND_MONTHS):
        end = min(day, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1))
        trend.append(
            TrendPoint(
                month=start,
                on=end,
                cell=_cell(pairs, lambda o, q, end=end: _held_on(versions.get((o.pk, q.pk), []), end)) or Cell(0, 0),
            )
        )
    if log:
        named = sorted({r.officer.username for r in overdue})
        s62.record_team(actor=user, officers=named, detail={"read": "force training report"})
    return ForceReport(on=day, modules=modules, force=force, teams=lines, overdue=overdue, trend=trend)


# --- Capacity -------------------------------------------------------------------------------------------


def _cases(user_ids: list[int]) -> dict[int, int]:
    return open_cases_owned_counts(user_ids)


def _deadlines(user_ids: list[int]) -> dict[int, int]:
    return live_case_deadline_counts(user_ids)


CASES = WorkCounter(key="cases", label="Open cases owned", count=_cases)
DEADLINES = WorkCounter(key="deadlines", label="Open deadlines", count=_deadlines)


def columns() -> list[WorkCounter]:
    """Cases first, then what the apps above registered (missing's open enquiries), deadlines last."""
    return [CASES, *work_counters(), DEADLINES]


@dataclass(frozen=True)
class OfficerLoad:
    officer: User
    counts: list[int]  # per column
    in_training: bool  # in training or assessed for some work: works with approval
    signed_off: bool  # signed off for some work that needs it
    overrides: int  # inspectors' overrides in force

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class TeamCapacity:
    team: Team
    posts: int | None  # the establishment; None: not set
    officers: list[OfficerLoad]

    @property
    def in_post(self) -> int:
        return len(self.officers)

    @property
    def signed_off(self) -> int:
        return sum(1 for o in self.officers if o.signed_off)

    @property
    def in_training(self) -> int:
        return sum(1 for o in self.officers if o.in_training)

    @property
    def vacancies(self) -> int | None:
        return None if self.posts is None else self.posts - self.in_post

    def totals(self) -> list[int]:
        return [sum(column) for column in zip(*(o.counts for o in self.officers), strict=True)] if self.officers else []

    @property
    def per_officer(self) -> float:
        return round(sum(o.total for o in self.officers) / len(self.officers), 1) if self.officers else 0.0


@dataclass(frozen=True)
class Capacity:
    columns: list[WorkCounter]
    teams: list[TeamCapacity]


def may_view_capacity(user: User) -> bool:
    return user.has_perm(Perm.WORKFORCE_REPORT_VIEW) or (
        user.has_perm(Perm.WORKFORCE_RECORD_VIEW) and user.team_id is not None
    )


def capacity(*, user: User, log: bool = True) -> Capacity:
    """Each team's establishment against its officers in post, how many are signed off (and in
    training), and each officer's open work: cases owned, open missing enquiries, open deadlines on
    cases. Holders of the force's report see every team; a supervisor, their own. A read of staff
    records: one s62 row naming the officers shown."""
    if not may_view_capacity(user):
        raise NotFound("Not found.")
    teams = Team.objects.order_by("name")
    if not user.has_perm(Perm.WORKFORCE_REPORT_VIEW):
        teams = teams.filter(pk=user.team_id or 0)
    teams_list = list(teams)
    officers = list(
        get_user_model()
        .objects.filter(is_active=True, team__in=teams_list)
        .select_related("rank")
        .order_by("last_name", "first_name")
    )
    ids = [o.pk for o in officers]
    cols = columns()
    counted = [c.count(ids) for c in cols]
    states: dict[int, set[str]] = defaultdict(set)
    for officer_id, state in Competence.objects.filter(officer_id__in=ids).values_list("officer_id", "state"):
        states[officer_id].add(state)
    overrides = _overrides_in_force(ids)
    posts = dict(Establishment.objects.filter(team__in=teams_list).values_list("team_id", "posts"))
    by_team: dict[int | None, list[OfficerLoad]] = defaultdict(list)
    for o in officers:
        by_team[o.team_id].append(
            OfficerLoad(
                officer=o,
                counts=[c.get(o.pk, 0) for c in counted],
                in_training=bool(states[o.pk] & {CompetenceState.IN_TRAINING, CompetenceState.ASSESSED}),
                signed_off=CompetenceState.SIGNED_OFF in states[o.pk],
                overrides=overrides.get(o.pk, 0),
            )
        )
    result = [TeamCapacity(team=t, posts=posts.get(t.pk), officers=by_team[t.pk]) for t in teams_list]
    if log:
        s62.record_team(actor=user, officers=[o.username for o in officers], detail={"read": "capacity"})
    return Capacity(columns=cols, teams=result)


def _overrides_in_force(ids: list[int]) -> dict[int, int]:
    now = clock.now()
    counts: dict[int, int] = defaultdict(int)
    for officer_id in Override.objects.filter(officer_id__in=ids, granted_at__lte=now, ends_at__gt=now).values_list(
        "officer_id", flat=True
    ):
        counts[officer_id] += 1
    return counts
