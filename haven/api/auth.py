"""How API callers prove who they are, and the one permission check every route makes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from django.conf import settings

from haven.accounts.models import ApiToken, User
from haven.accounts.services import api_token_authenticate
from haven.core.permissions import Perm


class TokenAuth(HttpBearer):
    """``Authorization: Bearer hvn_…``: a personal API token (hashed at rest, scoped, expiring)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        request.user = api_token.user
        return api_token


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session (with CSRF on unsafe methods), second factor enrolled."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if user.is_authenticated and user.mfakey_set.exists():  # type: ignore[union-attr]
            return user  # type: ignore[return-value]
        return None


def actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require(request: HttpRequest, perm: Perm) -> User:
    """403 unless the user's roles allow ``perm`` and, with a token, its scopes include it."""
    user = actor(request)
    token: Any = request.auth  # type: ignore[attr-defined]
    if not user.has_perm(perm) or (isinstance(token, ApiToken) and perm.value not in token.scopes):
        raise HttpError(403, f"This needs the permission {perm.value}.")
    return user
