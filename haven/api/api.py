"""The versioned JSON API root: /api/v1/, OpenAPI docs at /api/v1/docs.

Each domain app adds a router here as it lands (``api.add_router("/missing/", …)``). Every route
declares its error responses so the OpenAPI document is honest (schemathesis checks it).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Query, Schema

import haven
from haven.accounts import selectors, services
from haven.api import errors as api_errors
from haven.api.auth import SessionAuth, TokenAuth, actor, require
from haven.api.errors import errors
from haven.core.permissions import Perm

api = NinjaAPI(
    title="Haven API",
    version="1",
    description=(
        "Haven's JSON API. Authenticate with the browser session or a personal API token "
        "(`Authorization: Bearer hvn_…`, created under 'Your account'). Every error is "
        '`{"error": {"code", "message", "fields", "request_id"}}`.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api_errors.install(api)


class ApiRoot(Schema):
    name: str
    version: str
    force: str
    docs: str
    openapi: str


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
    token_scopes: list[str] | None

    @staticmethod
    def resolve_permissions(obj: object) -> list[str]:
        return sorted(p.value for p in getattr(obj, "permissions", ()))


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
    name: str = Field(min_length=1, max_length=64)
    scopes: list[Perm] = Field(min_length=1)
    expires_at: datetime | None = Field(default=None, description="Default: 90 days from now.")


class Page(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@api.get("/", response={200: ApiRoot, **errors()}, summary="About this API", tags=["meta"])
def root(request: HttpRequest) -> ApiRoot:
    return ApiRoot(name="Haven", version=haven.__version__, force=settings.HAVEN_FORCE_NAME,
                   docs="/api/v1/docs", openapi="/api/v1/openapi.json")


@api.get("/me", response={200: MeOut, **errors()}, summary="Who you are and what you may do", tags=["accounts"])
def me(request: HttpRequest) -> dict[str, object]:
    user = actor(request)
    token = request.auth  # type: ignore[attr-defined]
    out = MeOut.from_orm(user).dict(by_alias=False)
    out["token_scopes"] = list(token.scopes) if hasattr(token, "scopes") else None
    return out


@api.get("/ranks", response={200: list[RankOut], **errors(403)}, summary="Ranks and staff grades", tags=["accounts"])
def rank_list(request: HttpRequest) -> object:
    user = require(request, Perm.ACCOUNTS_TEAM_VIEW)
    return list(selectors.rank_list(actor=user))


@api.get("/teams", response={200: list[TeamOut], **errors(403)}, summary="Teams", tags=["accounts"])
def team_list(request: HttpRequest) -> object:
    user = require(request, Perm.ACCOUNTS_TEAM_VIEW)
    return list(selectors.team_list(actor=user))


@api.get("/teams/{team_id}", response={200: TeamOut, **errors(403, 404, 422)}, summary="One team", tags=["accounts"])
def team_get(request: HttpRequest, team_id: UUID) -> object:
    user = require(request, Perm.ACCOUNTS_TEAM_VIEW)
    return selectors.team_get(actor=user, public_id=team_id)


@api.get("/users", response={200: list[UserOut], **errors(403, 422)}, summary="Users", tags=["accounts"])
def user_list(request: HttpRequest, page: Query[Page], q: str = Query("", max_length=100)) -> object:
    user = require(request, Perm.ACCOUNTS_USER_VIEW)
    return list(selectors.user_list(actor=user, query=q.strip())[page.offset : page.offset + page.limit])


@api.get("/tokens", response={200: list[TokenOut], **errors(403)}, summary="Your API tokens", tags=["tokens"])
def token_list(request: HttpRequest) -> object:
    user = require(request, Perm.API_TOKEN_MANAGE)
    return list(selectors.api_token_list(actor=user))


@api.post("/tokens", response={201: TokenCreated, **errors(403, 422)}, summary="Create an API token", tags=["tokens"])
def token_create(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, object]]:
    user = require(request, Perm.API_TOKEN_MANAGE)
    token, raw = services.api_token_create(actor=user, name=payload.name, scopes=[s.value for s in payload.scopes],
                                           expires_at=payload.expires_at)
    out = TokenOut.from_orm(token).dict(by_alias=False)
    out["token"] = raw
    return 201, out


@api.post("/tokens/{token_id}/revoke", response={200: TokenOut, **errors(403, 404, 422)}, summary="Revoke one of your API tokens", tags=["tokens"])
def token_revoke(request: HttpRequest, token_id: UUID) -> object:
    user = require(request, Perm.API_TOKEN_MANAGE)
    token = selectors.api_token_get(actor=user, public_id=token_id)
    return services.api_token_revoke(actor=user, token=token)
