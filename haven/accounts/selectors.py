"""Every read of accounts data. Each takes the user asking and answers only what they may see."""

from __future__ import annotations

import uuid

from django.db.models import Count, Q, QuerySet

from haven.accounts.models import ApiToken, Rank, Team, User
from haven.core.errors import NotFound
from haven.core.permissions import Perm


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound("Not found.") from None


def user_list(*, actor: User, query: str = "") -> QuerySet[User]:
    if not actor.has_perm(Perm.ACCOUNTS_USER_VIEW):
        return User.objects.none()
    users = User.objects.select_related("rank", "team")
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
            | Q(email__icontains=query) | Q(collar_number__iexact=query)
        )
    return users


def user_get(*, actor: User, public_id: object) -> User:
    user = user_list(actor=actor).filter(public_id=_uuid(public_id)).first()
    if user is None:
        raise NotFound("Not found.")
    return user


def team_list(*, actor: User, with_members: bool = False) -> QuerySet[Team]:
    if not actor.has_perm(Perm.ACCOUNTS_TEAM_VIEW):
        return Team.objects.none()
    teams = Team.objects.all()
    if with_members:
        teams = teams.annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    return teams


def team_get(*, actor: User, public_id: object) -> Team:
    team = team_list(actor=actor).filter(public_id=_uuid(public_id)).first()
    if team is None:
        raise NotFound("Not found.")
    return team


def rank_list(*, actor: User) -> QuerySet[Rank]:
    # Ranks are not personal data: anyone signed in may read them.
    return Rank.objects.all() if actor.is_authenticated else Rank.objects.none()


def rank_get(*, actor: User, public_id: object) -> Rank:
    rank = rank_list(actor=actor).filter(public_id=_uuid(public_id)).first()
    if rank is None:
        raise NotFound("Not found.")
    return rank


def api_token_list(*, actor: User) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first."""
    return ApiToken.objects.filter(user=actor)


def api_token_get(*, actor: User, public_id: object) -> ApiToken:
    token = api_token_list(actor=actor).filter(public_id=_uuid(public_id)).first()
    if token is None:
        raise NotFound("Not found.")
    return token
