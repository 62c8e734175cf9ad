"""Every write to accounts: users, teams, ranks, API tokens. Keyword-only, one transaction each.

Each write a page or the API makes is declared in ``haven.accounts.operations`` with its input model
(``haven.accounts.schemas``), which holds every field rule; the permission is checked there too.
These functions keep what needs the database: look-ups, uniqueness, an administrator's own access.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from axes.utils import reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from haven.accounts import mail, s62, selectors
from haven.accounts.choices import Duty, GrantState, MailKind
from haven.accounts.models import ApiToken, DutyAssignment, Rank, RoleGrant, Team, User
from haven.accounts.schemas import (
    DutyEndIn,
    DutySetIn,
    NothingIn,
    RankIn,
    RankUpdateIn,
    RoleGrantDecisionIn,
    RoleGrantIn,
    TeamIn,
    TeamUpdateIn,
    TokenIn,
    UserCreateIn,
    UserOnServerIn,
    UserUpdateIn,
)
from haven.core import clock
from haven.core.errors import Conflict, Forbidden, ValidationFailed
from haven.core.permissions import Perm, Role

TOKEN_PREFIX = "hvn"  # noqa: S105 - the visible start of every token, not a secret


def _apply(obj: Any, fields: dict[str, Any]) -> list[str]:
    """Set ``fields`` on ``obj`` and return the names that changed (HackSoft's model_update)."""
    changed = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _rank(code: str | None) -> Rank | None:
    if code is None:
        return None
    rank = Rank.objects.filter(code=code, is_active=True).first()
    if rank is None:
        raise ValidationFailed(
            f"There is no rank or grade {code}", fields={"rank": [f"There is no rank or grade {code}"]}
        )
    return rank


def _team(code: str | None) -> Team | None:
    if code is None:
        return None
    team = Team.objects.filter(code=code, is_active=True).first()
    if team is None:
        raise ValidationFailed(f"There is no team {code}", fields={"team": [f"There is no team {code}"]})
    return team


def _unique(model: type[Any], record: Any, field: str, value: Any, message: str) -> None:
    """``message`` on ``field`` when another ``model`` row than ``record`` already has ``value`` there."""
    others = model.objects.filter(**{field: value})
    if record is not None and record.pk is not None:
        others = others.exclude(pk=record.pk)
    if others.exists():
        raise ValidationFailed(message, fields={field: [message]})


# --- Users ------------------------------------------------------------------------------------------


@transaction.atomic
def user_create(*, actor: User | None, data: UserCreateIn) -> User:
    """Create a user. Without a password (the API and the pages never take one) they are e-mailed a
    one-use link to choose their own. ``actor`` is None only for operator commands on the server."""
    _unique(User, None, "username", data.username, f"There is already a user {data.username}")
    user = User(
        username=data.username,
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        collar_number=data.collar_number,
        phone=data.phone,
        rank=_rank(data.rank),
        team=_team(data.team),
        roles=[],
    )
    # An administrator's new user gets at once only the roles that need no second approver; the others
    # wait for one. The operator's command on the server (actor None) gives them all.
    roles = sorted(set(data.roles))
    gated = [role for role in roles if actor is not None and selectors.needs_second_approver(role)]
    user.roles = [role for role in roles if role not in gated]
    password = data.password if isinstance(data, UserOnServerIn) else None
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed("Choose a stronger password.", fields={"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    for role in gated:
        assert actor is not None
        _grant_request(actor=actor, user=user, role=role, reason=f"Asked for when {actor.display_name} added the user.")
    if password is None:
        _send_password_link(actor=actor, user=user)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, data: UserUpdateIn) -> User:
    """Change a user's details, rank, team, roles or active state (the fields given). An administrator
    cannot take away their own administrator access."""
    fields: dict[str, Any] = data.model_dump(exclude_unset=True)
    if "rank" in fields and fields["rank"] != (user.rank.code if user.rank else None):
        fields["rank"] = _rank(fields["rank"])
    elif "rank" in fields:
        fields["rank"] = user.rank  # unchanged: kept even if the rank has since been retired
    if "team" in fields and fields["team"] != (user.team.code if user.team else None):
        fields["team"] = _team(fields["team"])
    elif "team" in fields:
        fields["team"] = user.team
    gated: list[str] = []
    if "roles" in fields:
        wanted = sorted(set(fields["roles"]))
        if user.pk == actor.pk and set(wanted) != set(user.roles):
            raise ValidationFailed(
                "You cannot change your own roles.",
                fields={"roles": ["Ask another administrator to change your own roles"]},
            )
        # Roles taken away go at once; a role given that needs a second approver waits for one.
        gated = [r for r in wanted if r not in user.roles and selectors.needs_second_approver(r)]
        fields["roles"] = [r for r in wanted if r not in gated]
    if user.pk == actor.pk and fields.get("is_active") is False:
        raise ValidationFailed(
            "You cannot remove your own administrator access.",
            fields={"roles": ["Ask another administrator to change your own access"]},
        )
    if _apply(user, fields):
        user.save()
        user.__dict__.pop("permissions", None)
    for role in gated:
        if not RoleGrant.objects.filter(user=user, role=role, state=GrantState.PENDING).exists():
            _grant_request(actor=actor, user=user, role=role, reason=f"Asked for on {user.display_name}'s page.")
    return user


# --- Role grants: four eyes -------------------------------------------------------------------------


def _role_words(grant: RoleGrant) -> str:
    return f"the {Role(grant.role).label.lower()} role to {grant.user.display_name} ({grant.user.username})"


def _grant_detail(grant: RoleGrant) -> dict[str, Any]:
    return {
        "role_grant": str(grant.public_id),
        "user": grant.user.username,
        "role": grant.role,
        "state": grant.state,
        "requested_by": grant.requested_by.username,
    }


def _grant_request(*, actor: User, user: User, role: str, reason: str) -> RoleGrant:
    """A grant of ``role`` to ``user`` waiting for a second administrator (logged in the s62 log)."""
    grant = RoleGrant.objects.create(user=user, role=role, reason=reason, requested_by=actor)
    s62.record(actor=actor, detail={**_grant_detail(grant), "asked": True})
    return grant


@transaction.atomic
def role_grant_request(*, actor: User, user: User, data: RoleGrantIn) -> RoleGrant:
    """Ask to give ``user`` a role. One that force policy lists (``accounts.second_approver_roles``)
    waits for a second administrator's approval; any other is given at once. Nobody asks for themselves."""
    user = User.objects.select_for_update().get(pk=user.pk)
    role = Role(data.role).value
    if user.pk == actor.pk:
        raise ValidationFailed(
            "You cannot change your own roles.", fields={"role": ["Ask another administrator to change your own roles"]}
        )
    if role in user.roles:
        message = f"{user.display_name} already has this role"
        raise ValidationFailed(message, fields={"role": [message]})
    if RoleGrant.objects.filter(user=user, role=role, state=GrantState.PENDING).exists():
        message = f"This role for {user.display_name} is already waiting for a second administrator"
        raise ValidationFailed(message, fields={"role": [message]})
    if selectors.needs_second_approver(role):
        return _grant_request(actor=actor, user=user, role=role, reason=data.reason)
    grant = RoleGrant.objects.create(
        user=user,
        role=role,
        reason=data.reason,
        requested_by=actor,
        state=GrantState.APPROVED,
        decided_at=clock.now(),
        decision_note="Force policy needs no second administrator for this role.",
    )
    _give(grant)
    s62.record(actor=actor, detail=_grant_detail(grant))
    return grant


def _give(grant: RoleGrant) -> None:
    user = grant.user
    if grant.role not in user.roles:
        user.roles = sorted({*user.roles, grant.role})
        user.save()
        user.__dict__.pop("permissions", None)


def _decide(actor: User, grant: RoleGrant, data: RoleGrantDecisionIn, state: GrantState) -> RoleGrant:
    """Record a second administrator's decision on ``grant``, locked: only one still waiting, asked for by
    someone else and not for the decider themselves (four eyes)."""
    grant = RoleGrant.objects.select_for_update().select_related("user", "requested_by").get(pk=grant.pk)
    if grant.requested_by_id == actor.pk:
        raise Forbidden("Another administrator must decide a role grant you asked for.")
    if grant.user_id == actor.pk:
        raise Forbidden("Another administrator must decide a role grant to you.")
    if grant.state != GrantState.PENDING:
        raise Conflict(f"This role grant has already been {GrantState(grant.state).label.lower()}.")
    grant.state = state
    grant.decided_by = actor
    grant.decided_at = clock.now()
    grant.decision_note = data.note
    grant.save()
    return grant


@transaction.atomic
def role_grant_approve(*, actor: User, grant: RoleGrant, data: RoleGrantDecisionIn) -> RoleGrant:
    """A second administrator approves: the role is given now, and the auditors are alerted."""
    grant = _decide(actor, grant, data, GrantState.APPROVED)
    grant.user = User.objects.select_for_update().get(pk=grant.user_id)
    _give(grant)
    s62.record(
        actor=actor,
        detail={**_grant_detail(grant), "approved_by": actor.username},
        alert=f"Granted {_role_words(grant)}: asked for by {grant.requested_by.display_name} "
        f"({grant.requested_by.username}), approved by {actor.display_name} ({actor.username}).",
    )
    return grant


@transaction.atomic
def role_grant_refuse(*, actor: User, grant: RoleGrant, data: RoleGrantDecisionIn) -> RoleGrant:
    """A second administrator refuses: the role is not given."""
    grant = _decide(actor, grant, data, GrantState.REFUSED)
    s62.record(actor=actor, detail={**_grant_detail(grant), "refused_by": actor.username})
    return grant


@transaction.atomic
def user_reset_second_factor(*, actor: User, user: User, data: NothingIn) -> User:
    """Remove every second factor of ``user``: they must enrol again at their next sign-in."""
    user.mfakey_set.all().delete()  # type: ignore[attr-defined]
    mail.queue(to=user, kind=MailKind.SECOND_FACTOR_CHANGED, change="reset", asker=actor.display_name)
    return user


def user_unlock(*, actor: User, user: User, data: NothingIn) -> User:
    """Lift a sign-in lockout before its 10 minutes are up."""
    reset(username=user.username)
    return user


def user_send_password_link(*, actor: User, user: User, data: NothingIn) -> User:
    """E-mail ``user`` a one-use link to choose their password (how a forgotten password is reset)."""
    if not user.is_active or not user.email:
        raise ValidationFailed(
            "This user cannot be sent a link: they must be active and have an email address.",
            fields={"email": ["The user must be active and have an email address"]},
        )
    _send_password_link(actor=actor, user=user)
    return user


def _send_password_link(*, actor: User | None, user: User) -> None:
    """Queue the e-mail with the link (accounts' outbox: the worker sends it). The link is made when it
    is sent; it expires after ``PASSWORD_RESET_TIMEOUT`` and stops working once used or once the
    password changes."""
    mail.queue(
        to=user,
        kind=MailKind.PASSWORD_LINK,
        asker=actor.display_name if actor is not None else "Your Haven administrator",
    )


# --- Teams and ranks --------------------------------------------------------------------------------


@transaction.atomic
def team_create(*, actor: User, data: TeamIn) -> Team:
    """Add a team. An active team needs a supervisor chain: a new team has no members yet, so it names
    a covering supervisor (or is added inactive until its sergeant joins)."""
    return _team_save(Team(), data.model_dump())


@transaction.atomic
def team_update(*, actor: User, team: Team, data: TeamUpdateIn) -> Team:
    """Change a team (the fields given). An active team with no active member holding the supervisor
    role must name a covering supervisor."""
    return _team_save(team, data.model_dump(exclude_unset=True))


NO_SUPERVISOR = "Name a covering supervisor: nobody in this team is a supervisor, so nobody would review its work"


def _covering_supervisor(team: Team, reference: str) -> User | None:
    """The user ``reference`` names, who must hold the supervisor or inspector role in another team."""
    if not reference:
        return None
    user = selectors.user_by_reference(reference, field="covering_supervisor")
    problems = []
    if not {Role.SUPERVISOR.value, Role.INSPECTOR.value} & set(user.roles):
        problems.append(f"{user.display_name} is not a supervisor or inspector")
    elif team.pk is not None and user.team_id == team.pk:
        problems.append(f"{user.display_name} is in this team: a covering supervisor comes from another team")
    if problems:
        raise ValidationFailed("Choose another covering supervisor.", fields={"covering_supervisor": problems})
    return user


def _team_save(team: Team, fields: dict[str, Any]) -> Team:
    if "code" in fields:
        _unique(Team, team, "code", fields["code"], f"There is already a team with the code {fields['code']}")
    if "name" in fields:
        _unique(Team, team, "name", fields["name"], f"There is already a team called {fields['name']}")
    if "covering_supervisor" in fields:
        fields["covering_supervisor"] = _covering_supervisor(team, fields["covering_supervisor"])
    changed = _apply(team, fields)
    if team.is_active and not selectors.has_supervisor_chain(team):
        raise ValidationFailed(NO_SUPERVISOR, fields={"covering_supervisor": [NO_SUPERVISOR]})
    if changed or team.pk is None:
        team.save()
    return team


# --- Duty -------------------------------------------------------------------------------------------


def _may_set_duty(actor: User, team: Team) -> None:
    """A supervisor or inspector of the team (or its covering supervisor), or an administrator."""
    if selectors.may_set_duty(actor, team):
        return
    raise Forbidden(f"Only a supervisor or inspector of {team.name}, or an administrator, may set its duty.")


@transaction.atomic
def duty_set(*, actor: User, team: Team, data: DutySetIn) -> DutyAssignment:
    """Put someone on a duty of ``team`` from ``starts_at`` to ``ends_at``. They must be active, a member
    of the team or its covering supervisor, and hold a role that fits the duty (a duty sergeant is a
    supervisor; a duty inspector an inspector). Overlapping assignments are allowed (a handover
    between shifts): both show, and both are on duty."""
    _may_set_duty(actor, team)
    if not team.is_active:
        raise ValidationFailed("This team is no longer active.", fields={"duty": ["This team is no longer active"]})
    user = selectors.user_by_reference(data.user, field="user")
    problems = []
    if user.team_id != team.pk and team.covering_supervisor_id != user.pk:
        problems.append(f"{user.display_name} is not in {team.name} and is not its covering supervisor")
    elif not selectors.DUTY_ROLES[data.duty] & set(user.roles):
        fits = {
            Duty.DUTY_SERGEANT: "a supervisor (sergeant)",
            Duty.DUTY_INSPECTOR: "an inspector",
            Duty.DUTY_OFFICER: "an operational officer or call handler",
        }[data.duty]
        problems.append(f"The {Duty(data.duty).label.lower()} must be {fits}: {user.display_name} is not")
    if problems:
        raise ValidationFailed("Choose someone else for this duty.", fields={"user": problems})
    if data.ends_at <= clock.now():
        message = "The end has passed: enter a duty that is still to come or under way"
        raise ValidationFailed(message, fields={"ends_at": [message]})
    return DutyAssignment.objects.create(
        team=team, duty=data.duty, user=user, starts_at=data.starts_at, ends_at=data.ends_at, set_by=actor
    )


@transaction.atomic
def duty_end(*, actor: User, duty: DutyAssignment, data: DutyEndIn) -> DutyAssignment:
    """End a duty early: at ``ends_at`` (now if not given), before its planned end. A duty ended at or
    before its start that has not yet begun is removed (entered by mistake)."""
    _may_set_duty(actor, duty.team)
    duty = DutyAssignment.objects.select_for_update().select_related("team", "user").get(pk=duty.pk)
    ends_at = data.ends_at or clock.now()
    if ends_at >= duty.ends_at:
        message = "This duty already ends by then"
        raise ValidationFailed(message, fields={"ends_at": [message]})
    if ends_at <= duty.starts_at:
        if duty.starts_at > clock.now():  # not yet begun: taken off the list (kept in its history)
            duty.delete()
            return duty
        message = "Enter a time after the duty started"
        raise ValidationFailed(message, fields={"ends_at": [message]})
    duty.ends_at = ends_at
    duty.ended_early_by = actor
    duty.save(update_fields=["ends_at", "ended_early_by"])
    return duty


@transaction.atomic
def rank_create(*, actor: User, data: RankIn) -> Rank:
    return _rank_save(Rank(), data.model_dump())


@transaction.atomic
def rank_update(*, actor: User, rank: Rank, data: RankUpdateIn) -> Rank:
    """Change a rank or grade (the fields given)."""
    return _rank_save(rank, data.model_dump(exclude_unset=True))


def _rank_save(rank: Rank, fields: dict[str, Any]) -> Rank:
    if "code" in fields:
        _unique(Rank, rank, "code", fields["code"], f"There is already a rank or grade with the code {fields['code']}")
    if "name" in fields:
        _unique(Rank, rank, "name", fields["name"], f"There is already a rank or grade called {fields['name']}")
    if _apply(rank, fields) or rank.pk is None:
        rank.save()
    return rank


# --- API tokens -------------------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough; no salt or stretching needed.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, data: TokenIn) -> tuple[ApiToken, str]:
    """Create a personal API token and return it with the full token text, shown once only.

    Its scopes are at most what the owner's roles allow (checked here); made with another token, at
    most what that token holds and for no longer than it lasts (the input model's check).
    """
    scopes = sorted({scope.value for scope in data.scopes})
    beyond = [scope for scope in scopes if scope not in actor.permissions]
    if beyond:
        raise ValidationFailed(
            "The token could not be created.", fields={"scopes": [f"Your roles do not allow {s}" for s in beyond]}
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=data.name,
        prefix=prefix,
        secret_hash=_hash_secret(secret),
        scopes=scopes,
        expires_at=data.expiry(),
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken, data: NothingIn) -> ApiToken:
    """Revoke a token at once. Its owner or a user administrator may do this."""
    if token.user_id != actor.pk and not actor.has_perm(Perm.ACCOUNTS_USER_MANAGE):
        raise Forbidden("Only the token's owner or a user administrator may revoke it.")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The live token that ``raw`` names, or None. Records when it was last used."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash_secret(parts[2])):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


DEFAULT_RANKS = [
    # code, name, seniority, police staff (the same list migration 0002 loads)
    ("PC", "Police Constable", 10, False),
    ("DC", "Detective Constable", 10, False),
    ("PS", "Police Sergeant", 20, False),
    ("DS", "Detective Sergeant", 20, False),
    ("INSP", "Inspector", 30, False),
    ("DI", "Detective Inspector", 30, False),
    ("CI", "Chief Inspector", 40, False),
    ("DCI", "Detective Chief Inspector", 40, False),
    ("SUPT", "Superintendent", 50, False),
    ("DSUPT", "Detective Superintendent", 50, False),
    ("CSUPT", "Chief Superintendent", 60, False),
    ("ACC", "Assistant Chief Constable", 70, False),
    ("DCC", "Deputy Chief Constable", 80, False),
    ("CC", "Chief Constable", 90, False),
    ("STAFF", "Police staff (scales 1–6)", 5, True),
    ("SO", "Police staff senior officer", 25, True),
    ("PO", "Police staff principal officer", 45, True),
]


def rank_seed_defaults() -> int:
    """Add any of the standard ranks and grades that are missing; return how many were added."""
    added = 0
    for code, name, seniority, staff in DEFAULT_RANKS:
        _, made = Rank.objects.get_or_create(
            code=code, defaults={"name": name, "seniority": seniority, "is_police_staff": staff}
        )
        added += made
    return added
