"""The accounts routes of the JSON API (mounted at /api/v1/ by config/api.py): who you are, ranks,
teams, users and your API tokens. Writes are built from their declarations in
``haven.accounts.operations``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.params import functions as params

from haven.accounts import operations, selectors
from haven.accounts.schemas import MeOut, RankOut, RoleGrantOut, TeamOut, TokenOut, UserLookupOut, UserOut
from haven.api.auth import actor, needs, token_of
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.core.types import LINE_PATTERN

router = Router(tags=["accounts"])
tokens = Router(tags=["tokens"])


class Page(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/me", response={200: MeOut, **errors()}, summary="Who you are and what you may do")
def me(request: HttpRequest) -> dict[str, Any]:
    user = actor(request)
    token = token_of(request)
    out = UserOut.model_validate(user).model_dump(by_alias=True)
    out["permissions"] = sorted(p.value for p in user.permissions)
    out["token_scopes"] = list(token.scopes) if token is not None else None
    return out


@router.get(
    "/ranks",
    auth=needs(Perm.ACCOUNTS_TEAM_VIEW),
    response={200: list[RankOut], **errors()},
    summary="Ranks and staff grades",
)
def rank_list(request: HttpRequest) -> object:
    return list(selectors.rank_list(actor=actor(request)))


@router.get("/teams", auth=needs(Perm.ACCOUNTS_TEAM_VIEW), response={200: list[TeamOut], **errors()}, summary="Teams")
def team_list(request: HttpRequest) -> object:
    return list(selectors.team_list(actor=actor(request)))


@router.get(
    "/teams/{team_id}",
    auth=needs(Perm.ACCOUNTS_TEAM_VIEW),
    response={200: TeamOut, **errors(404, 422)},
    summary="One team",
)
def team_get(request: HttpRequest, team_id: UUID) -> object:
    return selectors.team_get(actor=actor(request), public_id=team_id)


@router.get(
    "/users", auth=needs(Perm.ACCOUNTS_USER_VIEW), response={200: list[UserOut], **errors(422)}, summary="Users"
)
def user_list(
    request: HttpRequest,
    page: Query[Page],
    q: str = params.Query(
        "", max_length=100, pattern=LINE_PATTERN, description="Name, username, email or collar number."
    ),
) -> object:
    return list(selectors.user_list(actor=actor(request), query=q.strip())[page.offset : page.offset + page.limit])


@router.get(
    "/users/lookup",
    auth=needs(Perm.CASES_CASE_HANDOVER, Perm.ACCOUNTS_USER_VIEW),
    response={200: list[UserLookupOut], **errors(422)},
    summary="Find a user by name, collar number, username or team (the user picker)",
    description="At most 20 active users, the closest first.",
)
def user_lookup(
    request: HttpRequest,
    q: str = params.Query(
        "", max_length=100, pattern=LINE_PATTERN, description="What was typed: a name, collar number, username or team."
    ),
) -> object:
    user = actor(request)
    return [
        {
            "username": found.username,
            "public_id": found.public_id,
            "name": found.rank_and_name,
            "rank": found.rank.code if found.rank else None,
            "collar_number": found.collar_number,
            "team": found.team.name if found.team else None,
            "label": selectors.user_label(found),
        }
        for found in selectors.user_lookup(user=user, q=q)
    ]


@router.get(
    "/role-grants",
    auth=needs(Perm.ACCOUNTS_USER_MANAGE),
    response={200: list[RoleGrantOut], **errors(422)},
    summary="Role grants: those waiting for a second administrator (pending=true), or all, newest first",
)
def role_grant_list(request: HttpRequest, page: Query[Page], pending: bool = False) -> object:
    user = actor(request)
    grants = selectors.role_grant_list(actor=user, pending_only=pending)
    return list(grants[page.offset : page.offset + page.limit])


@tokens.get(
    "/tokens", auth=needs(Perm.API_TOKEN_MANAGE), response={200: list[TokenOut], **errors()}, summary="Your API tokens"
)
def token_list(request: HttpRequest) -> object:
    return list(selectors.api_token_list(actor=actor(request)))


mount(
    router,
    operations.user_create,
    operations.user_update,
    operations.user_reset_second_factor,
    operations.user_send_password_link,
    operations.user_unlock,
    operations.role_grant_request,
    operations.role_grant_approve,
    operations.role_grant_refuse,
    operations.team_create,
    operations.team_update,
    operations.rank_create,
    operations.rank_update,
    operations.duty_set,
    operations.duty_end,
)
mount(tokens, operations.api_token_create, operations.api_token_revoke)
router.add_router("", tokens)
