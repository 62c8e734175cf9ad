"""Every read of cases. Each takes the user and answers only what the access policy lets them see.

``case_visible_to`` is the one queryset every page, list, search and API endpoint goes through
(haven.core.access POLICY); outside it a case is NotFound, and the attempt is logged.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.cases import s62
from haven.cases.choices import CaseState, Sensitivity
from haven.cases.models import BreakGlass, Case, Handover, Involvement
from haven.cases.records import case_actions, record_link
from haven.core import clock
from haven.core.access import Action, Scope, reaches, scope_for, scope_q
from haven.core.errors import NotFound, ValidationFailed

if TYPE_CHECKING:
    from haven.accounts.models import Team, User
    from haven.people.models import Person

log = logging.getLogger("haven.cases")

BREAK_GLASS_LASTS = timedelta(hours=1)
"""How long breaking the glass opens a restricted case for; after that the reason is asked again."""


def _member(user: User) -> Exists:
    return Exists(Case.members.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk))


def _glass_broken(user: User) -> Exists:
    return Exists(BreakGlass.objects.filter(case_id=OuterRef("pk"), user_id=user.pk, expires_at__gt=clock.now()))


def _within_scope(user: User, action: Action) -> Q | None:
    """Cases ``action``'s scope reaches, before restricted cases are narrowed to their members."""
    if not user.is_authenticated or not user.is_active:
        return None
    reach = scope_q(user, action)
    if reach is None:
        return None
    if action == Action.VIEW:
        # Named allocations count like ownership for viewing: the pending new owner must see what
        # they are asked to accept (M-10), and a named member of a restricted case was named to see it.
        reach |= Q(pending_owner=user) | Q(_member(user))
    return reach


def case_visible_to(user: User, action: Action = Action.VIEW) -> QuerySet[Case]:
    """The cases ``user`` may ``action``: POLICY's scope, with restricted cases narrowed to their
    owner, pending owner and named members (and, for VIEW, to those who broke the glass lately).

    Anyone with a VIEW scope at all also sees the cases handed to them and those they are a named
    member of, even outside that scope.
    """
    reach = _within_scope(user, action)
    if reach is None:
        return Case.objects.none()
    allowed: Q = Q(sensitivity=Sensitivity.NORMAL) | Q(owner=user) | Q(pending_owner=user) | Q(_member(user))
    if action == Action.VIEW:
        allowed |= Q(_glass_broken(user))
    return Case.objects.filter(reach).filter(allowed)


def _key(public_id: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        return None


def case_get(*, user: User, public_id: object, action: Action = Action.VIEW, log: bool = True) -> Case:
    """The case ``user`` may ``action``, or NotFound: the same for a missing case and a hidden one.

    A case that exists but lies outside the user's view is logged as a denied consultation. A VIEW
    is logged as a consultation (``log=False`` for a read the caller logs itself).
    """
    key = _key(public_id)
    if key is None:
        raise NotFound("Not found.")
    case = _with_related(case_visible_to(user, Action.VIEW)).filter(public_id=key).first()
    if case is None:
        hidden = Case.objects.select_related("subject").filter(public_id=key).first()
        if hidden is not None:
            s62.record(
                actor=user,
                operation=Operation.CONSULTATION,
                cases=[hidden],
                outcome=Outcome.DENIED,
                detail={"action": str(action), "restricted": hidden.is_restricted},
            )
        raise NotFound("Not found.")
    if log and action == Action.VIEW:
        case_read_record(user=user, cases=[case])
    return case


def case_read_record(*, user: User, cases: list[Case], query: str = "") -> None:
    """Log that ``user`` consulted ``cases`` (s62), with the justification their access implies."""
    if not cases:
        return
    if len(cases) == 1:
        case = cases[0]
        kind, text = s62.justification_for(user, case)
        if case.is_restricted and kind != JustificationKind.ALLOCATED:
            glass = BreakGlass.objects.filter(case=case, user=user, expires_at__gt=clock.now()).order_by("-at").first()
            if glass is not None:
                kind, text = JustificationKind.BREAK_GLASS, glass.reason
        s62.record(
            actor=user,
            operation=Operation.CONSULTATION,
            cases=cases,
            justification=text,
            justification_kind=kind,
            query=query,
        )
        return
    s62.record(
        actor=user,
        operation=Operation.CONSULTATION,
        cases=cases,
        justification="Cases listed within their access.",
        justification_kind=JustificationKind.STATED,
        query=query,
    )


def _with_related(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("subject", "owner", "owner__rank", "team", "pending_owner", "pending_owner__rank")


def case_list(*, user: User, state: str = "", mine: bool = False) -> QuerySet[Case]:
    """Cases visible to ``user``, newest first; ``state`` and ``mine`` (owned or awaiting them) narrow it."""
    cases = _with_related(case_visible_to(user))
    if state:
        cases = cases.filter(state=state)
    if mine:
        cases = cases.filter(Q(owner=user) | Q(pending_owner=user))
    return cases


def case_can(*, user: User, case: Case, action: Action) -> bool:
    """Whether ``user`` may ``action`` this (visible) case, from POLICY and the restricted narrowing."""
    owns = case.owner_id == user.pk
    team_owns = case.team_id is not None and (
        case.team_id == user.team_id or (case.team is not None and case.team.covering_supervisor_id == user.pk)
    )
    if not reaches(scope_for(user, action), owns=owns, team_owns=team_owns):
        return False
    if case.is_restricted and not owns:
        return case.members.filter(pk=user.pk).exists()
    return True


def case_may_break_glass(*, user: User, public_id: object) -> Case | None:
    """The restricted case ``user`` may break the glass on: one their VIEW scope reaches but
    whose members they are not. None otherwise (the caller answers 404)."""
    key = _key(public_id)
    reach = _within_scope(user, Action.VIEW)
    if key is None or reach is None:
        return None
    return (
        Case.objects.select_related("subject", "owner", "restricted_by__rank")
        .filter(reach, public_id=key, sensitivity=Sensitivity.RESTRICTED)
        .first()
    )


def my_cases(*, user: User) -> QuerySet[Case]:
    """Open cases the user owns or is asked to accept, those awaiting their acknowledgement first."""
    return case_list(user=user, state=CaseState.OPEN, mine=True).order_by("-pending_owner", "-opened_at")


def case_queue(*, user: User, team_id: int | None = None) -> QuerySet[Case]:
    """The cases waiting in a team's queue for allocation, oldest first: the user's own team unless
    ``team_id`` names another (what their view reaches of it). Not logged: the caller logs what it shows."""
    team_id = team_id if team_id is not None else user.team_id
    if team_id is None:
        return Case.objects.none()
    return (
        _with_related(case_visible_to(user))
        .filter(state=CaseState.OPEN, queued_at__isnull=False, team_id=team_id)
        .order_by("queued_at", "id")
    )


def queue_areas() -> list[dict[str, str]]:
    """The policing areas and their teams' codes (force policy), the default area first."""
    from haven.cases.policy import QUEUE_AREAS
    from haven.policy.selectors import policy_value

    return list(policy_value(QUEUE_AREAS))


def queue_team(*, area: str = "", fallback: Team | None = None) -> tuple[str, Team | None]:
    """(the area, the team whose queue its new work fills), by force policy: the named area's team, else
    the first area's. An area the policy does not list is a field error. A team code matching no active
    team falls back to ``fallback`` (the reporter's team), logged: new work must land where a sergeant looks.
    """
    from haven.accounts.models import Team

    areas = queue_areas()
    chosen = next((a for a in areas if a["area"].casefold() == area.strip().casefold()), None)
    if chosen is None and area.strip():
        raise ValidationFailed("Choose an area from the list.", fields={"area": ["Choose an area from the list"]})
    chosen = chosen or areas[0]
    for code in (chosen["team"], areas[0]["team"]):
        team = Team.objects.filter(code=code, is_active=True).first()
        if team is not None:
            return chosen["area"], team
    log.warning("No active team %s for the queue of area %s: the reporter's team takes it", chosen["team"], area)
    return chosen["area"], fallback


def queue_teams(*, user: User) -> list[Any]:
    """The teams whose queues ``user`` may look at: every active team for those who see the whole force,
    else their own."""
    from haven.accounts.models import Team

    if scope_for(user, Action.VIEW) == Scope.FORCE:
        return list(Team.objects.filter(is_active=True).order_by("name"))
    return list(Team.objects.filter(pk=user.team_id)) if user.team_id else []


def team_id_of(code: str) -> int:
    """The id of the team with this code, or 0 when there is none: its queue is empty, not an error."""
    from haven.accounts.models import Team

    return Team.objects.filter(code=code).values_list("pk", flat=True).first() or 0


def may_allocate(*, user: User, case: Case) -> bool:
    """Whether ``user`` may allocate ``case`` (a supervisor or inspector whose handover scope reaches it)."""
    from haven.core.permissions import Perm

    return user.has_perm(Perm.CASES_CASE_ALLOCATE) and case_can(user=user, case=case, action=Action.HANDOVER)


def handovers_awaiting(*, user: User) -> QuerySet[Handover]:
    """Pending handovers the user should see on their home page (M-10): those to them, those they
    started, and, for a supervisor or inspector, those of their team's cases."""
    pending = Handover.objects.filter(acknowledged_at__isnull=True, superseded_at__isnull=True)
    who = Q(to_user=user) | Q(from_user=user) | Q(by=user)
    if user.team_id is not None and scope_for(user, Action.HANDOVER) is not None and _supervises(user):
        who |= Q(case__team_id=user.team_id)
    visible = case_visible_to(user).values("pk")
    return (
        pending.filter(who, case__in=visible)
        .select_related("case", "case__subject", "from_user", "to_user", "by")
        .order_by("at")
    )


def _supervises(user: User) -> bool:
    from haven.core.permissions import Role

    return bool({Role.SUPERVISOR, Role.INSPECTOR} & set(user.roles))


def case_handovers(*, case: Case) -> QuerySet[Handover]:
    return case.handovers.select_related("from_user", "to_user", "by").order_by("-at")


@dataclass(frozen=True)
class OwnedCase:
    """An open case about a person that the reader owns, and how they came to own it (DP-06)."""

    pk: int
    since: datetime  # when the person became part of the case (its subject, or involved)
    opened_by_owner: bool  # the reader opened it themselves: its first owner, in the change history


def cases_owned_about(*, user: User, person: Person, only: set[int] | None = None) -> list[OwnedCase]:
    """The open cases about ``person`` (subject or involved) that ``user`` owns now, each saying since when
    the person is part of it and whether ``user`` opened it: the first owner in the case's change history
    (the insert row its database trigger wrote), which no write of Haven's can change. ``only`` narrows to
    those case ids.

    For the people app's need-to-know for refuge addresses: a case given by someone else (allocated from
    a queue, handed over, opened by another) counts; one the reader opened themselves counts only for
    what was recorded after the person became part of it.
    """
    cases = cases_about(person).filter(owner=user, state=CaseState.OPEN)
    if only is not None:
        cases = cases.filter(pk__in=only)
    found = list(cases.distinct().values_list("pk", "created_at", "subject_id"))
    if not found:
        return []
    rows = {pk: created for pk, created, _ in found}
    since = {pk: created for pk, created, subject_id in found if subject_id == person.pk}  # its subject from the start
    for case_id, at in (
        Involvement.objects.filter(case_id__in=rows, person=person)
        .values("case_id")
        .annotate(at=Min("created_at"))
        .values_list("case_id", "at")
    ):
        since[case_id] = min(at, since.get(case_id, at))
    event = apps.get_model("cases", "CaseEvent")
    opened = set(
        event.objects.filter(pgh_obj_id__in=list(rows), pgh_label="insert", owner_id=user.pk).values_list(
            "pgh_obj_id", flat=True
        )
    )
    return [OwnedCase(pk, since.get(pk, created), pk in opened) for pk, created in rows.items()]


def case_ids_of_involvements(ids: list[int]) -> set[int]:
    """The cases of these involvement rows (a merge lists the rows it moved; the people app asks which
    cases came with the merged person)."""
    return set(Involvement.objects.filter(pk__in=ids).values_list("case_id", flat=True))


def cases_about(person: Person) -> QuerySet[Case]:
    """Every case about ``person`` (the subject, or involved), unscoped: for the people app's own access
    rules, which narrow it to the reader's scope (haven.people.selectors)."""
    return Case.objects.filter(Q(subject=person) | Q(involvements__person=person))


# For the DMM board (haven.dmm.sections), which compiles its reader's access once per build and narrows
# every section with it: unscoped on purpose.


def restricted_cases() -> QuerySet[Case]:
    """Every case that is not of normal sensitivity (index ``cases_case_restricted``)."""
    return Case.objects.exclude(sensitivity=Sensitivity.NORMAL)


def cases_with_ids(ids: set[int]) -> QuerySet[Case]:
    """The cases ``ids``, which the caller has already narrowed to what its reader may see."""
    return Case.objects.filter(pk__in=ids)


def case_page(*, user: User, case: Case) -> dict[str, object]:
    """What the case page shows: involvement by role, the timeline, the handover state, what the user may do."""
    from haven.cases.choices import InvolvementRole

    involvements = list(case.involvements.select_related("person").order_by("role", "person__surname"))
    by_role = []
    for role in InvolvementRole:
        people = [i.person for i in involvements if i.role == role]
        if people:
            by_role.append({"role": role.label, "people": people})
    pending = (
        case.handovers.filter(acknowledged_at__isnull=True, superseded_at__isnull=True)
        .select_related("from_user", "to_user", "by", "from_user__rank", "to_user__rank")
        .first()
    )
    closed = case.state == CaseState.CLOSED
    can_edit = case_can(user=user, case=case, action=Action.EDIT)
    return {
        "case": case,
        "involvement": by_role,
        "timeline": case.timeline.select_related("author", "author__rank").order_by("at", "id"),
        "pending_handover": pending,
        "handovers": case_handovers(case=case)[:10],
        # A closed case is read-only: nothing to change until a supervisor reopens it.
        "can_edit": can_edit and not closed,
        "can_handover": not closed and case_can(user=user, case=case, action=Action.HANDOVER),
        "can_allocate": not closed and may_allocate(user=user, case=case),
        "record_link": record_link(case),
        # What other apps offer to start from the case (a referral); nothing from a closed, read-only case.
        "case_actions": [] if closed else case_actions(case, user=user),
        "can_acknowledge": not closed and pending is not None and pending.to_user_id == user.pk,
        "can_close": can_edit and not closed,
        "can_reopen": closed and case_can(user=user, case=case, action=Action.REOPEN),
        "members": list(case.members.select_related("rank")) if case.is_restricted else [],
    }


def member_candidates(*, case: Case) -> list[User]:
    """Whom the members form offers: the current members and the active users of the case's team
    (not the owner, who needs no naming), by name."""
    from haven.accounts.models import User

    current = Q(restricted_cases=case)
    team = Q(team_id=case.team_id, is_active=True) if case.team_id is not None else Q(pk__in=[])
    from haven.core.permissions import Perm

    members = set(case.members.values_list("pk", flat=True))
    users = User.objects.filter(current | team).exclude(pk=case.owner_id).select_related("rank").distinct()
    offered = [u for u in users if u.pk in members or u.has_perm(Perm.CASES_CASE_VIEW)]
    return sorted(offered, key=lambda u: (u.display_name.lower(), u.username))


def person_case_list(*, user: User, person: Any) -> list[dict[str, Any]]:
    """The cases about ``person`` that ``user`` may see, oldest first, each with the person's roles in it.

    Listing them is a consultation of those cases, logged in the same transaction (fails closed).
    """
    from haven.cases import s62
    from haven.cases.models import Involvement

    cases = list(
        _with_related(case_visible_to(user))
        .filter(Q(subject=person) | Q(involvements__person=person))
        .distinct()
        .order_by("opened_at", "id")
    )
    roles: dict[int, list[str]] = {}
    for involvement in Involvement.objects.filter(case__in=cases, person=person):
        roles.setdefault(involvement.case_id, []).append(involvement.get_role_display())
    if cases:
        s62.record(
            actor=user,
            operation=Operation.CONSULTATION,
            cases=cases,
            justification_kind=JustificationKind.STATED,
            justification="Cases listed on the person page",
            detail={"view": "person_cases"},
        )
    rows = []
    for case in cases:
        case_roles = roles.get(case.pk, [])
        if case.subject_id == person.pk and "Subject" not in case_roles:
            case_roles = ["Subject", *case_roles]
        rows.append({"case": case, "roles": case_roles})
    return rows


def case_close_blockers(*, case: Case) -> list[str]:
    """Why ``case`` cannot close yet (a pending handover, the checks its domain app registered)."""
    from haven.cases.closing import close_blockers

    return close_blockers(case)


def open_cases_owned_counts(user_ids: list[int]) -> dict[int, int]:
    """How many open cases each of ``user_ids`` owns: a workload count (haven.workforce's capacity view)
    that shows no case, so nothing to log."""
    rows = (
        Case.objects.filter(owner_id__in=user_ids, state=CaseState.OPEN)
        .values("owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["owner_id"]: r["n"] for r in rows}
