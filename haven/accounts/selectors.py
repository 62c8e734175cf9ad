"""Every read of accounts data. Each takes the user asking and answers only what they may see."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Lower
from django.utils import timezone

from haven.accounts import policy
from haven.accounts.choices import Duty, GrantState
from haven.accounts.models import ApiToken, DutyAssignment, Rank, RoleGrant, Team, User
from haven.core import clock
from haven.core.errors import NotFound, ValidationFailed
from haven.core.permissions import Perm, Role


def _one[M: Model](records: QuerySet[M], public_id: object) -> M:
    """The record with this public id among ``records``, or NotFound (also for a malformed id)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    record = records.filter(public_id=key).first()
    if record is None:
        raise NotFound("Not found.")
    return record


def user_list(*, actor: User, query: str = "") -> QuerySet[User]:
    """The users ``actor`` may see, each with ``failed_sign_ins`` (the failures django-axes counts
    now) and ``locked_out`` (sign-in paused until the failures cool off, or an administrator lifts it)."""
    if not actor.has_perm(Perm.ACCOUNTS_USER_VIEW):
        return User.objects.none()
    users = _with_lockout(User.objects.select_related("rank", "team"))
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(collar_number__iexact=query)
        )
    return users


def _with_lockout(users: QuerySet[User]) -> QuerySet[User]:
    """Annotate what django-axes decides at sign-in (lockout by username alone): the failures since the
    cool-off threshold, summed over the attempt rows, reaching the failure limit. Axes keeps its own
    time (Django's ``timezone.now``), so the threshold does too."""
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = (
        AccessAttempt.objects.filter(username=OuterRef("username"), attempt_time__gte=threshold)
        .order_by()
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return users.annotate(failed_sign_ins=Coalesce(Subquery(failures), 0)).annotate(
        locked_out=ExpressionWrapper(Q(failed_sign_ins__gte=settings.AXES_FAILURE_LIMIT), BooleanField())
    )


def user_get(*, actor: User, public_id: object) -> User:
    return _one(user_list(actor=actor), public_id)


def needs_second_approver(role: str) -> bool:
    """Force policy: does giving ``role`` need a second administrator's approval (and tell the auditors)?"""
    return role in policy.value(policy.SECOND_APPROVER_ROLES)


def role_grant_list(*, actor: User, pending_only: bool = False) -> QuerySet[RoleGrant]:
    """Role grants, newest first (the pending ones, with ``pending_only``): for user administrators."""
    if not actor.has_perm(Perm.ACCOUNTS_USER_MANAGE):
        return RoleGrant.objects.none()
    grants = RoleGrant.objects.select_related("user", "user__rank", "requested_by", "decided_by")
    return grants.filter(state=GrantState.PENDING) if pending_only else grants


def role_grant_get(*, actor: User, public_id: object) -> RoleGrant:
    return _one(role_grant_list(actor=actor), public_id)


def team_list(*, actor: User, with_members: bool = False) -> QuerySet[Team]:
    if not actor.has_perm(Perm.ACCOUNTS_TEAM_VIEW):
        return Team.objects.none()
    teams = Team.objects.all()
    if with_members:
        teams = teams.annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    return teams


def team_get(*, actor: User, public_id: object) -> Team:
    return _one(team_list(actor=actor), public_id)


def rank_list(*, actor: User) -> QuerySet[Rank]:
    # Ranks are not personal data: anyone signed in may read them.
    return Rank.objects.all() if actor.is_authenticated else Rank.objects.none()


def rank_get(*, actor: User, public_id: object) -> Rank:
    return _one(rank_list(actor=actor), public_id)


def api_token_list(*, actor: User) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first."""
    return ApiToken.objects.filter(user=actor)


def api_token_get(*, actor: User, public_id: object) -> ApiToken:
    return _one(api_token_list(actor=actor), public_id)


# --- Supervisor chains and duty ---------------------------------------------------------------------

SUPERINTENDENT_RANK = "SUPT"
SUPERINTENDENT_SENIORITY_FALLBACK = 50
# Roles that may hold each duty (docs/accounts.md, "Duty").
DUTY_ROLES: dict[str, frozenset[str]] = {
    Duty.DUTY_SERGEANT: frozenset({Role.SUPERVISOR}),
    Duty.DUTY_INSPECTOR: frozenset({Role.INSPECTOR}),
    Duty.DUTY_OFFICER: frozenset(
        {
            Role.CALL_HANDLER,
            Role.RESPONSE_OFFICER,
            Role.INVESTIGATOR,
            Role.SUPERVISOR,
            Role.INSPECTOR,
            Role.CRSU_OFFICER,
            Role.CUSTODY_OFFICER,
        }
    ),
}


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("rank", "team")


def superintendent_seniority() -> int:
    """The seniority of superintendent rank (``SUPT``): escalations' top level starts there."""
    value = Rank.objects.filter(code=SUPERINTENDENT_RANK).values_list("seniority", flat=True).first()
    return value if value is not None else SUPERINTENDENT_SENIORITY_FALLBACK


def on_duty(team: Team, duty: str, at: datetime | None = None) -> list[User]:
    """The active users on ``duty`` for ``team`` at ``at`` (now by default): more than one while two
    assignments overlap (a handover between shifts)."""
    moment = at or clock.now()
    current = DutyAssignment.objects.filter(
        team=team, duty=duty, starts_at__lte=moment, ends_at__gt=moment, user=OuterRef("pk")
    )
    return list(_active().filter(Exists(current)))


def _member_supervisors(team: Team) -> list[User]:
    return list(_active().filter(team=team, roles__contains=[Role.SUPERVISOR.value]))


def _covering(team: Team) -> list[User]:
    covering = team.covering_supervisor
    return [covering] if covering is not None and covering.is_active else []


def team_supervisors(team: Team, at: datetime | None = None) -> list[User]:
    """Who supervises ``team``'s work at ``at`` (now by default): its duty sergeant(s) on duty; else,
    by force policy (``accounts.no_duty_sergeant``), every supervisor of the team or its covering
    supervisor, each falling back to the other. Empty only when the team has none of these."""
    sergeants = on_duty(team, Duty.DUTY_SERGEANT, at)
    if sergeants:
        return sergeants
    members, covering = _member_supervisors(team), _covering(team)
    if policy.value(policy.NO_DUTY_SERGEANT) == policy.NO_SERGEANT_COVERING:
        return covering or members
    return members or covering


def _inspectors() -> QuerySet[User]:
    return (
        _active()
        .filter(roles__contains=[Role.INSPECTOR.value])
        .exclude(rank__seniority__gte=superintendent_seniority())
    )


def team_duty_inspectors(team: Team | None, at: datetime | None = None) -> list[User]:
    """The duty inspector(s) for ``team`` at ``at`` (now by default): those on duty; else, by force policy
    (``accounts.no_duty_inspector``), every inspector of the team (below superintendent rank), else of
    the force; or every inspector of the force. With no team, every inspector of the force."""
    if team is not None:
        inspectors = on_duty(team, Duty.DUTY_INSPECTOR, at)
        if inspectors:
            return inspectors
        if policy.value(policy.NO_DUTY_INSPECTOR) == policy.NO_INSPECTOR_TEAM_THEN_FORCE:
            local = list(_inspectors().filter(team=team))
            if local:
                return local
    return list(_inspectors())


def is_team_supervisor(user: User, team: Team | None) -> bool:
    """May ``user`` supervise ``team``'s work: a supervisor or inspector of the team, its covering
    supervisor, or its duty sergeant or duty inspector now. For services that ask before a
    supervisor's act (a grade override, an allocation)."""
    if team is None or not user.is_active:
        return False
    if team.covering_supervisor_id == user.pk:
        return True
    if user.team_id == team.pk and {Role.SUPERVISOR.value, Role.INSPECTOR.value} & set(user.roles):
        return True
    now = clock.now()
    return DutyAssignment.objects.filter(
        team=team,
        user=user,
        duty__in=[Duty.DUTY_SERGEANT, Duty.DUTY_INSPECTOR],
        starts_at__lte=now,
        ends_at__gt=now,
    ).exists()


def has_supervisor_chain(team: Team) -> bool:
    """Whether ``team`` has an active member with the supervisor role, or a covering supervisor."""
    if _covering(team):
        return True
    return team.pk is not None and _active().filter(team=team, roles__contains=[Role.SUPERVISOR.value]).exists()


def teams_without_supervisor() -> QuerySet[Team]:
    """Active teams with neither an active member holding the supervisor role nor an active covering
    supervisor: nobody supervises their work."""
    sergeants = User.objects.filter(team=OuterRef("pk"), is_active=True, roles__contains=[Role.SUPERVISOR.value])
    return Team.objects.filter(is_active=True).exclude(Exists(sergeants)).exclude(covering_supervisor__is_active=True)


def duty_list(*, actor: User, team: Team, days: int = 7) -> QuerySet[DutyAssignment]:
    """``team``'s duty assignments from now to ``days`` ahead (those on duty now first, by start)."""
    if not actor.has_perm(Perm.ACCOUNTS_TEAM_VIEW):
        return DutyAssignment.objects.none()
    now = clock.now()
    return (
        DutyAssignment.objects.filter(team=team, ends_at__gt=now, starts_at__lt=now + timedelta(days=days))
        .select_related("user", "user__rank", "user__team", "set_by", "team")
        .order_by("starts_at", "duty", "user__last_name")
    )


def duty_get(*, actor: User, public_id: object) -> DutyAssignment:
    if not actor.has_perm(Perm.ACCOUNTS_TEAM_VIEW):
        raise NotFound("Not found.")
    return _one(DutyAssignment.objects.select_related("team", "user"), public_id)


def may_set_duty(user: User, team: Team) -> bool:
    """Whether ``user`` may set ``team``'s duty: a supervisor or inspector of the team (or its covering
    supervisor, or its duty sergeant or inspector now), or an administrator."""
    if not user.has_perm(Perm.ACCOUNTS_DUTY_MANAGE):
        return False
    return Role.ADMINISTRATOR.value in user.roles or is_team_supervisor(user, team)


# --- Finding a user by name ---------------------------------------------------------------------------

LOOKUP_LIMIT = 20


def user_label(user: User) -> str:
    """How the user picker shows a person, e.g. "PC Tom Jones (4521), Response team A"; the same text
    typed back (or posted by the picker) finds them again (:func:`user_by_reference`)."""
    label = user.rank_and_name
    if user.collar_number:
        label += f" ({user.collar_number})"
    if user.team is not None:
        label += f", {user.team.name}"
    return label


def _with_full_name(users: QuerySet[User]) -> QuerySet[User]:
    return users.annotate(full_name=Lower(Concat("first_name", Value(" "), "last_name")))


def user_lookup(*, user: User, q: str) -> list[User]:
    """Active users matching ``q`` by name (first, last or full), collar number, username, or team name
    or code: at most 20, the closest first (exact collar number or username, then names that start
    with what was typed, then the rest, by surname). For people who hand over or allocate work, and
    user administrators; nobody else finds anyone."""
    if not (user.has_perm(Perm.CASES_CASE_HANDOVER) or user.has_perm(Perm.ACCOUNTS_USER_VIEW)):
        return []
    text = " ".join(q.split())
    if not text:
        return []
    users = _with_full_name(_active())
    words = text.split()
    match = Q()
    for word in words:
        match &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(collar_number__iexact=word)
            | Q(team__code__iexact=word)
            | Q(team__name__icontains=word)
            | Q(rank__code__iexact=word)
        )
    match |= Q(full_name__contains=text.lower()) | Q(collar_number__iexact=text) | Q(team__name__icontains=text)
    found = list(users.filter(match)[:200])
    low = text.lower()

    def closeness(u: User) -> tuple[int, str, str, str]:
        if u.collar_number.lower() == low or u.username.lower() == low:
            rank = 0
        elif getattr(u, "full_name", "") == low:
            rank = 1
        elif any(part.lower().startswith(low) for part in (u.first_name, u.last_name, getattr(u, "full_name", ""))):
            rank = 2
        elif any(part.lower().startswith(words[0].lower()) for part in (u.first_name, u.last_name)):
            rank = 3
        else:
            rank = 4
        return (rank, u.last_name.lower(), u.first_name.lower(), u.username)

    return sorted(found, key=closeness)[:LOOKUP_LIMIT]


_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<collar>[^()]+)\)\s*(,\s*(?P<team>.+))?$")


def user_by_reference(text: str, *, field: str = "to_user", eligible: Callable[[User], bool] | None = None) -> User:
    """The active user ``text`` names: a username, a public id, a collar number, the label the user
    picker shows ("PC Tom Jones (4521), Response team A"), or a full name (with or without the rank)
    that only one person has. ValidationFailed on ``field`` otherwise, in people's words.

    With ``eligible`` (who may be chosen here, e.g. who may take a case), someone it refuses is answered
    exactly as someone who does not exist: the form never tells whether a username exists."""
    wanted = " ".join(str(text).split())
    if not wanted:
        raise ValidationFailed("Enter who it is", fields={field: ["Enter the person's name or collar number"]})
    found = _exactly(User.objects.filter(is_active=True).select_related("rank", "team"), wanted)
    if eligible is not None:
        found = [user for user in found if eligible(user)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        message = f"More than one person is called {wanted}: choose from the list"
        raise ValidationFailed(message, fields={field: [message]})
    if eligible is not None:
        message = f"There is nobody called {wanted} who can be chosen here: check the name or choose from the list"
    else:
        message = f"There is no Haven user called {wanted}"
    raise ValidationFailed(message, fields={field: [message]})


def _exactly(users: QuerySet[User], wanted: str) -> list[User]:
    """Everyone ``wanted`` names exactly, trying the most specific reading first."""
    by_username = list(users.filter(username=wanted))
    if by_username:
        return by_username
    try:
        return list(users.filter(public_id=uuid.UUID(wanted)))
    except ValueError:
        pass
    by_collar = list(users.filter(collar_number__iexact=wanted))
    if by_collar:
        return by_collar
    label = _LABEL.match(wanted)
    if label is not None:
        collar = label.group("collar").strip()
        named = [u for u in users.filter(collar_number__iexact=collar) if _names(u, label.group("name"))]
        team = (label.group("team") or "").strip().lower()
        if team:
            named = [u for u in named if u.team is not None and u.team.name.lower() == team] or named
        if named:
            return named
    name = wanted.lower()
    by_name = list(_with_full_name(users).filter(full_name=name))  # type: ignore[misc]
    if by_name:
        return by_name
    # "PC Tom Jones": a rank code, then the full name.
    first, _, rest = wanted.partition(" ")
    if rest:
        return list(_with_full_name(users).filter(full_name=rest.lower(), rank__code__iexact=first))  # type: ignore[misc]
    return []


def _names(user: User, name: str) -> bool:
    """Whether ``name`` ("PC Tom Jones" or "Tom Jones") is this user's name."""
    name = " ".join(name.split()).lower()
    return name in {user.display_name.lower(), user.rank_and_name.lower()}
