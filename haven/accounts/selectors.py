"""Every read of accounts data. Each takes the user asking and answers only what they may see."""

from __future__ import annotations

import uuid

from django.db.models import Count, Model, Q, QuerySet

from haven.accounts.models import ApiToken, Rank, Team, User
from haven.core.errors import NotFound
from haven.core.permissions import Perm


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
    if not actor.has_perm(Perm.ACCOUNTS_USER_VIEW):
        return User.objects.none()
    users = User.objects.select_related("rank", "team")
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(collar_number__iexact=query)
        )
    return users


def user_get(*, actor: User, public_id: object) -> User:
    return _one(user_list(actor=actor), public_id)


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
