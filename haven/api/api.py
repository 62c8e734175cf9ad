"""The versioned JSON API root: /api/v1/, OpenAPI docs at /api/v1/docs (public: the schema is no secret).

Each domain app adds a router here as it lands (``api.add_router("/missing/", …)``). Every route
declares its error responses with :func:`~haven.api.errors.errors`, which always adds 401, 403 and
500; name 404 and 422 for a path parameter, 422 for query parameters, 400 and 422 for a body, 409
where a service can raise ``Conflict``. The OpenAPI document must stay honest: schemathesis checks it
(haven/api/tests/test_schemathesis.py), and test_openapi.py checks the rule above.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, re_path
from ninja import Field, NinjaAPI, Query, Schema, Status
from pydantic import ConfigDict, StringConstraints

import haven
from haven.accounts import selectors, services
from haven.api import errors as api_errors
from haven.api.auth import SessionAuth, TokenAuth, actor, require, token_of
from haven.api.errors import errors
from haven.api.types import Moment
from haven.core import clock
from haven.core.errors import ValidationFailed
from haven.core.permissions import Perm

# Text PostgreSQL can store and people can read: no NUL or other control characters.
PLAIN_TEXT = r"^[^\x00-\x1f\x7f]*$"
PlainText = Annotated[str, StringConstraints(pattern=PLAIN_TEXT)]


class HavenNinjaAPI(NinjaAPI):
    """django-ninja, with the envelope for the two answers it makes outside any operation: a method
    the path lacks (405) and a path no route matches (404).

    The views are ``mfa_public`` because the API enforces the second factor itself, in
    :class:`~haven.api.auth.SessionAuth`, answering 403 ``mfa_enrolment_required`` in the envelope
    (the site-wide middleware would answer before the API could). Tokens are only ever created by a
    session with a second factor, or by another token.
    """

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return api_errors.describe_responses(super().get_openapi_schema(*args, **kwargs))

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super()._get_urls()
        urls.append(re_path(r"^.*$", api_errors.not_found_view(self), name="not-found"))
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = api_errors.with_envelope_405(self, url.callback)
                url.callback.mfa_public = True  # type: ignore[attr-defined]
        return urls


api = HavenNinjaAPI(
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

    name: PlainText = Field(min_length=1, max_length=64, description="What the token is for.")
    scopes: list[Perm] = Field(min_length=1, description="Permissions the token carries; at most your roles allow.")
    expires_at: Moment | None = Field(
        default=None, description="With a time zone. Default: 90 days from now (never later than the token used)."
    )


class Page(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@api.get("/", response={200: ApiRoot, **errors()}, summary="About this API", tags=["meta"])
def root(request: HttpRequest) -> ApiRoot:
    return ApiRoot(
        name="Haven",
        version=haven.__version__,
        force=settings.HAVEN_FORCE_NAME,
        docs="/api/v1/docs",
        openapi="/api/v1/openapi.json",
    )


@api.get("/me", response={200: MeOut, **errors()}, summary="Who you are and what you may do", tags=["accounts"])
def me(request: HttpRequest) -> dict[str, Any]:
    user = actor(request)
    token = token_of(request)
    out = UserOut.model_validate(user).model_dump(by_alias=True)
    out["permissions"] = sorted(p.value for p in user.permissions)
    out["token_scopes"] = list(token.scopes) if token is not None else None
    return out


@api.get("/ranks", response={200: list[RankOut], **errors()}, summary="Ranks and staff grades", tags=["accounts"])
def rank_list(request: HttpRequest) -> object:
    user = require(request, Perm.ACCOUNTS_TEAM_VIEW)
    return list(selectors.rank_list(actor=user))


@api.get("/teams", response={200: list[TeamOut], **errors()}, summary="Teams", tags=["accounts"])
def team_list(request: HttpRequest) -> object:
    user = require(request, Perm.ACCOUNTS_TEAM_VIEW)
    return list(selectors.team_list(actor=user))


@api.get("/teams/{team_id}", response={200: TeamOut, **errors(404, 422)}, summary="One team", tags=["accounts"])
def team_get(request: HttpRequest, team_id: UUID) -> object:
    user = require(request, Perm.ACCOUNTS_TEAM_VIEW)
    return selectors.team_get(actor=user, public_id=team_id)


@api.get("/users", response={200: list[UserOut], **errors(422)}, summary="Users", tags=["accounts"])
def user_list(
    request: HttpRequest,
    page: Query[Page],
    q: str = Query("", max_length=100, pattern=PLAIN_TEXT, description="Name, username, email or collar number."),
) -> object:
    user = require(request, Perm.ACCOUNTS_USER_VIEW)
    return list(selectors.user_list(actor=user, query=q.strip())[page.offset : page.offset + page.limit])


@api.get("/tokens", response={200: list[TokenOut], **errors()}, summary="Your API tokens", tags=["tokens"])
def token_list(request: HttpRequest) -> object:
    user = require(request, Perm.API_TOKEN_MANAGE)
    return list(selectors.api_token_list(actor=user))


@api.post("/tokens", response={201: TokenCreated, **errors(400, 422)}, summary="Create an API token", tags=["tokens"])
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


@api.post(
    "/tokens/{token_id}/revoke",
    response={200: TokenOut, **errors(404, 422)},
    summary="Revoke one of your API tokens",
    tags=["tokens"],
)
def token_revoke(request: HttpRequest, token_id: UUID) -> object:
    user = require(request, Perm.API_TOKEN_MANAGE)
    token = selectors.api_token_get(actor=user, public_id=token_id)
    return services.api_token_revoke(actor=user, token=token)


# Each domain app's routes, registered here so that one OpenAPI document describes them all.
from haven.audit.api import router as audit_router  # noqa: E402
from haven.cases.api import router as cases_router  # noqa: E402
from haven.deadlines.api import router as deadlines_router  # noqa: E402
from haven.dmm.api import router as dmm_router  # noqa: E402
from haven.missing.api import router as missing_router  # noqa: E402
from haven.notifications.api import router as notifications_router  # noqa: E402
from haven.people.api import router as people_router  # noqa: E402
from haven.policy.api import router as policy_router  # noqa: E402
from haven.triggerplans.api import router as triggerplans_router  # noqa: E402

api.add_router("/audit", audit_router)
api.add_router("/cases", cases_router)
api.add_router("/people", people_router)
api.add_router("/deadlines", deadlines_router)
api.add_router("/missing", missing_router)
api.add_router("/notifications", notifications_router)
api.add_router("/policy", policy_router)
api.add_router("/trigger-plans", triggerplans_router)
api.add_router("/dmm", dmm_router)
