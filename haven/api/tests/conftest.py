"""Fixtures for the API tests: personal API tokens, and a clean database after live-server tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from haven.accounts.schemas import TokenIn
from haven.accounts import services


@pytest.fixture
def make_token() -> Callable[..., str]:
    """``make_token(user, scopes=(...), **kwargs)`` → the full token text, as shown once to its owner."""

    def make(user: Any, scopes: tuple[str, ...] | None = None, **kwargs: Any) -> str:
        scopes = tuple(sorted(user.permissions)) if scopes is None else scopes
        data = TokenIn.model_validate({"name": kwargs.pop("name", "Integration"), "scopes": scopes, **kwargs})
        _, raw = services.api_token_create(actor=user, data=data)
        return raw

    return make


@pytest.fixture(scope="module")
def leave_database_as_found(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Put every row back as it was before this module's live-server tests, once they are done.

    A live-server test empties every table afterwards, taking the ranks the migrations seed with it.
    ``serialized_rollback`` should put them back, but cannot be relied on: once the session's
    Playwright browser is running, the main thread sees a different Django connection object, one
    without the serialized data, so later tests would silently find no ranks.
    """
    with django_db_blocker.unblock():
        saved = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(saved)
        connection.close()  # this may be a connection the test database's teardown cannot see
