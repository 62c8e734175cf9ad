"""How API callers prove who they are, and the one permission check every route makes.

Every route declares the one permission it needs with ``auth=needs(Perm.X)`` (a write's route gets its
operation's ``perm`` from ``haven.api.operations.mount``). The check runs as the caller is
authenticated, before any parameter or body is read: 403 unless the user's roles allow the permission
and, for an API token, its scopes include exactly that permission. The OpenAPI document names it on
each operation (``x-haven-perm``, and in its description). The few routes that need no permission at
all are listed in :data:`NO_PERMISSION`, each with its reason.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from haven.accounts.models import ApiToken, User
from haven.accounts.services import api_token_authenticate
from haven.api.errors import CsrfFailed, MfaEnrolmentRequired
from haven.core.errors import Forbidden, NotFound
from haven.core.permissions import Perm

# What a token can look like at all (``hvn_<prefix>_<secret>``); anything else is refused unread.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,200}$")


# Routes any signed-in caller may use, whatever their roles and whatever a token's scopes: (method, path
# under /api/v1) -> why. haven/api/tests/test_scopes.py asserts that these, and only these, declare none.
NO_PERMISSION: dict[tuple[str, str], str] = {
    ("GET", "/"): "About this API: its name, version and where its documents are; nothing about anyone.",
    ("GET", "/me"): "Who the caller is and what their roles and token allow: needed to use any scope at all.",
}


class _Needs:
    """The permission a route needs (one; for the user picker, any one of two), and how a caller
    without it is refused: 403, or 404 for what is not shown to exist to them (the s62 log, DP-02)."""

    def __init__(self, perms: tuple[Perm, ...], *, hidden: bool) -> None:
        self.perms, self.hidden = perms, hidden

    def check(self, user: User, token: ApiToken | None) -> None:
        allowed = [p for p in self.perms if user.has_perm(p) and (token is None or p.value in token.scopes)]
        if allowed:
            return
        if self.hidden:
            raise NotFound("Not found.")
        raise Forbidden(f"This needs the permission {' or '.join(p.value for p in self.perms)}.")


class TokenAuth(HttpBearer):
    """``Authorization: Bearer hvn_…``: a personal API token (hashed at rest, scoped, expiring).

    A bearer token that is malformed, unknown, expired or revoked, or whose owner is no longer
    active, is refused with 401 outright: it never falls back to the browser session. With ``perm``
    (see :func:`needs`), a token whose scopes or whose owner's roles lack it is refused with 403.
    """

    def __init__(self, needs: _Needs | None = None) -> None:
        super().__init__()
        self.needs = needs

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _, credentials = header.strip().partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None  # another scheme (e.g. Basic from a proxy): not ours to judge
        return self.authenticate(request, credentials.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = api_token_authenticate(token) if _TOKEN_SHAPE.match(token) else None
        if api_token is None:
            raise AuthenticationError()
        request.user = api_token.user
        if self.needs is not None:
            self.needs.check(api_token.user, api_token)
        return api_token


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session: CSRF on unsafe methods, second factor enrolled; with ``perm``
    (see :func:`needs`), 403 unless the user's roles allow it."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, needs: _Needs | None = None) -> None:
        super().__init__()
        self.needs = needs

    def __call__(self, request: HttpRequest) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # no session: 401, never a CSRF complaint
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfFailed("The CSRF token is missing or wrong. Reload the page and try again.")
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> User:
        user: Any = request.user
        if not user.mfakey_set.exists():
            raise MfaEnrolmentRequired("Set up a second factor in Haven before using the API.")
        if self.needs is not None:
            self.needs.check(user, None)
        return user  # type: ignore[no-any-return]


def needs(perm: Perm, *alternatives: Perm, hidden: bool = False) -> list[TokenAuth | SessionAuth]:
    """A route's ``auth``: a token or the session, and the one permission the route needs, checked
    before anything else is read (``@router.get(path, auth=needs(Perm.X), …)``). ``alternatives``:
    other permissions any one of which will do instead (only the user picker, which both whoever hands
    over a case and an administrator use). ``hidden``: a caller without it is answered 404, as if the
    route were not there (the s62 log, DP-02)."""
    check = _Needs((perm, *alternatives), hidden=hidden)
    return [TokenAuth(check), SessionAuth(check)]


def perms_of(auth: Any) -> tuple[Perm, ...]:
    """The permissions a route's ``auth`` callbacks check (any one of them will do); () for a route that
    declares none."""
    found = {callback.needs.perms for callback in auth or () if getattr(callback, "needs", None) is not None}
    return found.pop() if len(found) == 1 else ()


def actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def token_of(request: HttpRequest) -> ApiToken | None:
    """The API token the request was made with, or None for the browser session."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None
