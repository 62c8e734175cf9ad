"""Fixtures for the API tests: personal API tokens (a clean database after live-server tests is the
root conftest's ``leave_database_as_found``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haven.accounts import services
from haven.accounts.schemas import TokenIn


@pytest.fixture
def make_token() -> Callable[..., str]:
    """``make_token(user, scopes=(...), **kwargs)`` → the full token text, as shown once to its owner."""

    def make(user: Any, scopes: tuple[str, ...] | None = None, **kwargs: Any) -> str:
        scopes = tuple(sorted(user.permissions)) if scopes is None else scopes
        data = TokenIn.model_validate({"name": kwargs.pop("name", "Integration"), "scopes": scopes, **kwargs})
        _, raw = services.api_token_create(actor=user, data=data)
        return raw

    return make
