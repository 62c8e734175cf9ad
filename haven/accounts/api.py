"""The accounts routes of the JSON API (mounted at /api/v1/ by config/api.py): who you are, ranks,
teams, users and your API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from haven.accounts import selectors, services
from haven.api.auth import actor, require, token_of
from haven.api.errors import errors
from haven.core import clock
from haven.core.errors import ValidationFailed
from haven.core.permissions import Perm
from haven.core.types import LINE_PATTERN, Line, Moment

router = Router()


class RankOut(Schema):
    id: UUID = Field(alias="public_id")
    code: str
    name: str
    seniority: int
    is_police_staff: bool
    is_active: bool


class TeamOut(Schema):
    id: UUID = Field(alias="public_id")
    code: str
    name: str
    description: str
    is_active: bool


class UserOut(Schema):
    id: UUID = Field(alias="public_id")
    username: str
    display_name: str
    collar_number: str
    rank: str | None
    team: str | None
    roles: list[str]
    is_active: bool

    @staticmethod
    def resolve_rank(obj: object) -> str | None:
        rank = getattr(obj, "rank", None)
        return rank.code if rank else None

    @staticmethod
    def resolve_team(obj: object) -> str | None:
        team = getattr(obj, "team", None)
        return team.code if team else None


class MeOut(UserOut):
    permissions: list[str]
    token_scopes: list[str] | None = Field(description="The scopes of the API token used; null for the session.")


class TokenOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The full token. Shown this once only: store it now.")


class TokenIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "Nightly case export", "scopes": ["accounts:team:view"], "expires_at": None}],
        }
    )

    name: Annotated[str, Line(64, min_length=1)] = Field(description="What the token is for.")
    scopes: list[Perm] = Field(min_length=1, description="Permissions the token carries; at most your roles allow.")
    expires_at: Moment | None = Field(
        default=None, description="With a time zone. Default: 90 days from now (never later than the token used)."
    )


class Page(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/me", response={200: MeOut, **errors()}, summary="Who you are and what you may do", tags=["accounts"])
def me(request: HttpRequest) -> dict[str, Any]:
    user = actor(request)
    token = token_of(request)
    out = UserOut.model_validate(user).model_dump(by_alias=True)
    out["permissions"] = sorted(p.value for p in user.permissions)
    out["token_scopes"] = list(token.scopes) if token is not None else None
    return out


@router.get("/ranks", response={200: list[RankOut], **errors()}, summary="Ranks and staff grades", tags=["accounts"])
def rank_list(request: HttpRequest) -> object:
    user = require(request, Perm.ACCOUNTS_TEAM_VIEW)
    return list(selectors.rank_list(actor=user))


@router.get("/teams", response={200: list[TeamOut], **errors()}, summary="Teams", tags=["accounts"])
def team_list(request: HttpRequest) -> object:
    user = require(request, Perm.ACCOUNTS_TEAM_VIEW)
    return list(selectors.team_list(actor=user))


@router.get("/teams/{team_id}", response={200: TeamOut, **errors(404, 422)}, summary="One team", tags=["accounts"])
def team_get(request: HttpRequest, team_id: UUID) -> object:
    user = require(request, Perm.ACCOUNTS_TEAM_VIEW)
    return selectors.team_get(actor=user, public_id=team_id)


@router.get("/users", response={200: list[UserOut], **errors(422)}, summary="Users", tags=["accounts"])
def user_list(
    request: HttpRequest,
    page: Query[Page],
    q: str = Query("", max_length=100, pattern=LINE_PATTERN, description="Name, username, email or collar number."),
) -> object:
    user = require(request, Perm.ACCOUNTS_USER_VIEW)
    return list(selectors.user_list(actor=user, query=q.strip())[page.offset : page.offset + page.limit])


@router.get("/tokens", response={200: list[TokenOut], **errors()}, summary="Your API tokens", tags=["tokens"])
def token_list(request: HttpRequest) -> object:
    user = require(request, Perm.API_TOKEN_MANAGE)
    return list(selectors.api_token_list(actor=user))


@router.post(
    "/tokens", response={201: TokenCreated, **errors(400, 422)}, summary="Create an API token", tags=["tokens"]
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status:
    user = require(request, Perm.API_TOKEN_MANAGE)
    scopes = [s.value for s in payload.scopes]
    expires_at = payload.expires_at
    using = token_of(request)
    if using is not None:
        # A token may only hand on what it holds itself, for no longer than it lasts itself.
        problems: dict[str, list[str]] = {}
        beyond = sorted(set(scopes) - set(using.scopes))
        if beyond:
            problems["scopes"] = [f"The token making this request does not hold {s}." for s in beyond]
        if expires_at is None:
            expires_at = min(clock.now() + timedelta(days=90), using.expires_at)
        elif expires_at > using.expires_at:
            problems["expires_at"] = ["A token cannot outlast the token that creates it."]
        if problems:
            raise ValidationFailed("The token could not be created.", fields=problems)
    token, raw = services.api_token_create(actor=user, name=payload.name, scopes=scopes, expires_at=expires_at)
    out = TokenOut.model_validate(token).model_dump(by_alias=True)
    out["token"] = raw
    return Status(201, out)


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: TokenOut, **errors(404, 422)},
    summary="Revoke one of your API tokens",
    tags=["tokens"],
)
def token_revoke(request: HttpRequest, token_id: UUID) -> object:
    user = require(request, Perm.API_TOKEN_MANAGE)
    token = selectors.api_token_get(actor=user, public_id=token_id)
    return services.api_token_revoke(actor=user, token=token)
