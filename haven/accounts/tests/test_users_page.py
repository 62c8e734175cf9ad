"""The administrators' users page says when each user last signed in and whether their sign-in is
paused after failed attempts (django-axes), so a locked-out officer's call to the desk is answered
from the list; the user's own page says the same next to "Lift sign-in lockout"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from haven.accounts.tests.pages import table_rows
from haven.core.testing import sign_in

pytestmark = pytest.mark.django_db


def _row(response: Any, username: str) -> dict[str, str]:
    """The user's row of the users table: Name, Username, Rank, Team, Roles, Last signed in, Status."""
    for cells in table_rows(response):
        if len(cells) == 7 and cells[1] == username:  # noqa: PLR2004 - the table's columns
            return {"last": cells[5], "status": cells[6]}
    raise AssertionError(f"{username} is not listed")


def _fail(username: str, times: int) -> None:
    client = Client()
    for _ in range(times):
        client.post("/sign-in/", {"username": username, "password": "not-the-password"})


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Client:
    client = Client()
    sign_in(client, make_user("boss", roles=("administrator",)))
    return client


def test_the_users_page_shows_the_last_sign_in_or_never(admin: Client, make_user: Callable[..., Any]) -> None:
    seen = make_user("seen")
    make_user("unseen")
    with time_machine.travel(datetime(2026, 3, 2, 9, 15, tzinfo=UTC), tick=False):
        sign_in(Client(), seen)

    page = admin.get("/administration/users/")

    assert _row(page, "seen")["last"] == "2 Mar 2026 09:15"
    assert _row(page, "unseen")["last"] == "Never"
    assert _row(page, "seen")["status"] == "Active"


def test_the_users_page_shows_who_is_locked_out_until_the_pause_ends_or_is_lifted(
    admin: Client, make_user: Callable[..., Any]
) -> None:
    alice = make_user("alice")
    make_user("bob")
    _fail("bob", 4)  # one short of the limit: still allowed to try
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        _fail("alice", 5)
        page = admin.get("/administration/users/")
        status = _row(page, "alice")["status"]
        assert status.startswith("Locked out")
        assert status.endswith("5 failed sign-ins")
        assert _row(page, "bob")["status"] == "Active"
        own_page = admin.get(f"/administration/users/{alice.public_id}/").content.decode()
        assert "Locked out" in own_page

        admin.post(f"/administration/users/{alice.public_id}/unlock/")
        assert _row(admin.get("/administration/users/"), "alice")["status"] == "Active"

        _fail("alice", 5)
    with time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False):
        # The pause is over (HAVEN_LOCKOUT_MINUTES): the page no longer says locked out.
        assert _row(admin.get("/administration/users/"), "alice")["status"] == "Active"


def test_an_inactive_user_is_shown_inactive(admin: Client, make_user: Callable[..., Any]) -> None:
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    assert _row(admin.get("/administration/users/"), "gone")["status"] == "Inactive"
