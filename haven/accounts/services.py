"""Every write to accounts: users, teams, ranks, API tokens. Keyword-only, one transaction each."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from haven.accounts.models import ApiToken, Rank, Team, User
from haven.core import clock
from haven.core.errors import Forbidden, ValidationFailed
from haven.core.permissions import Perm, Role

TOKEN_PREFIX = "hvn"  # noqa: S105 - the visible start of every token, not a secret


def _require(actor: User, perm: Perm) -> None:
    if not actor.has_perm(perm):
        raise Forbidden("You do not have permission to do this.")


def _full_clean(obj: Any, *, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ValidationFailed("Check the details you entered.", fields=exc.message_dict) from exc


def _apply(obj: Any, fields: dict[str, Any]) -> list[str]:
    """Set ``fields`` on ``obj`` and return the names that changed (HackSoft's model_update)."""
    changed = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str | None = None,
    rank: Rank | None = None,
    team: Team | None = None,
    roles: Iterable[str] = (),
    collar_number: str = "",
) -> User:
    """Create a user. ``actor`` is None only for operator commands run on the server."""
    if actor is not None:
        _require(actor, Perm.ACCOUNTS_USER_MANAGE)
    user = User(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        rank=rank,
        team=team,
        roles=sorted(set(roles)),
        collar_number=collar_number.strip(),
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed("Choose a stronger password.", fields={"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    _full_clean(user, exclude=["password"])
    _validate_roles(user.roles)
    user.save()
    return user


def _validate_roles(roles: Iterable[str]) -> None:
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationFailed("Unknown role.", fields={"roles": [f"Unknown role: {r}" for r in unknown]})


@transaction.atomic
def user_update(*, actor: User, user: User, **fields: Any) -> User:
    """Change a user's details, rank, team, roles or active state."""
    _require(actor, Perm.ACCOUNTS_USER_MANAGE)
    allowed = {"first_name", "last_name", "email", "rank", "team", "roles", "collar_number", "is_active", "phone"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"user_update cannot change {sorted(unknown)}")
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    if "roles" in fields:
        fields["roles"] = sorted(set(fields["roles"]))
        _validate_roles(fields["roles"])
    if user.pk == actor.pk and (
        fields.get("is_active") is False or ("roles" in fields and Role.ADMINISTRATOR not in fields["roles"])
    ):
        raise ValidationFailed(
            "You cannot remove your own administrator access.",
            fields={"roles": ["Ask another administrator to change your own access."]},
        )
    changed = _apply(user, fields)
    if changed:
        _full_clean(user, exclude=["password"])
        user.save()
        user.__dict__.pop("permissions", None)
    return user


@transaction.atomic
def user_reset_second_factor(*, actor: User, user: User) -> None:
    """Remove every second factor of ``user``: they must enrol again at their next sign-in."""
    _require(actor, Perm.ACCOUNTS_USER_MANAGE)
    user.mfakey_set.all().delete()  # type: ignore[attr-defined]


@transaction.atomic
def team_save(*, actor: User, team: Team | None = None, **fields: Any) -> Team:
    """Create a team (``team`` None) or change one."""
    _require(actor, Perm.ACCOUNTS_TEAM_MANAGE)
    team = team or Team()
    _apply(team, fields)
    _full_clean(team)
    team.save()
    return team


@transaction.atomic
def rank_save(*, actor: User, rank: Rank | None = None, **fields: Any) -> Rank:
    """Create a rank or grade (``rank`` None) or change one."""
    _require(actor, Perm.ACCOUNTS_RANK_MANAGE)
    rank = rank or Rank()
    _apply(rank, fields)
    _full_clean(rank)
    rank.save()
    return rank


def _hash_secret(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough; no salt or stretching needed.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, scopes: Iterable[str], expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token and return it with the full token text, shown once only."""
    _require(actor, Perm.API_TOKEN_MANAGE)
    scopes = sorted(set(scopes))
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Enter what the token is for."]
    if not scopes:
        errors["scopes"] = ["Choose at least one scope."]
    beyond = [s for s in scopes if s not in actor.permissions]
    if beyond:
        errors["scopes"] = [f"Your roles do not allow {s}." for s in beyond]
    now = clock.now()
    longest = now + timedelta(days=settings.HAVEN_API_TOKEN_MAX_DAYS)
    expires_at = expires_at or now + timedelta(days=90)
    if expires_at <= now:
        errors["expires_at"] = ["The expiry must be in the future."]
    elif expires_at > longest:
        errors["expires_at"] = [f"A token can last at most {settings.HAVEN_API_TOKEN_MAX_DAYS} days."]
    if errors:
        raise ValidationFailed("The token could not be created.", fields=errors)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip(),
        prefix=prefix,
        secret_hash=_hash_secret(secret),
        scopes=scopes,
        expires_at=expires_at,
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once. Its owner or a user administrator may do this."""
    if token.user_id != actor.pk:
        _require(actor, Perm.ACCOUNTS_USER_MANAGE)
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


def user_unlock(*, actor: User, user: User) -> None:
    """Lift a sign-in lockout before its 10 minutes are up."""
    from axes.utils import reset

    _require(actor, Perm.ACCOUNTS_USER_MANAGE)
    reset(username=user.username)


def user_send_password_link(*, actor: User, user: User) -> str:
    """E-mail ``user`` a one-use link to choose their password (new users, forgotten passwords).

    The link expires after ``PASSWORD_RESET_TIMEOUT`` and stops working once used or once the
    password changes. Returns the link (for the administrator's confirmation, never shown in full).
    """
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import EmailMessage
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _require(actor, Perm.ACCOUNTS_USER_MANAGE)
    if not user.is_active or not user.email:
        raise ValidationFailed(
            "This user cannot be sent a link.", fields={"email": ["The user must be active and have an email address."]}
        )
    path = reverse(
        "accounts:set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = f"{settings.HAVEN_BASE_URL}{path}"
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    EmailMessage(
        subject=f"Haven ({settings.HAVEN_FORCE_NAME}): choose your password",
        body=(
            f"Hello {user.display_name},\n\n"
            f"{actor.display_name} has asked Haven to let you choose a password. Your username is {user.username}.\n\n"
            f"Choose your password here (the link works once, for {hours} hours):\n{link}\n\n"
            "After that you will set up a second factor: a security key or an authenticator app.\n"
            "If you did not expect this, tell your Haven administrator.\n"
        ),
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated"},
    ).send()
    return link


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
