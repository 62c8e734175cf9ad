"""A role grant decided in Chromium: the page is accessible (axe-core, WCAG 2.2 AA) on a phone, and its
one note goes with the button pressed (Refuse posts it to the refusal)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from haven.accounts.models import RoleGrant
from haven.accounts.schemas import RoleGrantIn
from haven.accounts.services import role_grant_request
from haven.core.heartbeat import WORKER, heartbeat_record
from haven.core.permissions import Role
from haven.ui.tests.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("leave_database_as_found")
def test_the_second_administrator_refuses_a_grant_with_a_note_on_a_phone(
    live_server: Any, page: Any, make_user: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    first = make_user("admin_one", roles=("administrator",))
    second = make_user("admin_two", roles=("administrator",))
    bob = make_user("bob_grant", roles=())
    grant = role_grant_request(actor=first, user=bob, data=RoleGrantIn(role=Role.INSPECTOR, reason="Promoted"))
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, second)

    page.goto(f"{live_server.url}/administration/role-grants/{grant.public_id}/")
    assert_accessible(page, "role grant")
    page.screenshot(path=artifacts / "role-grant.png", full_page=True)
    page.get_by_label("Note (optional)").fill("Not until the course is done")
    page.get_by_role("button", name="Refuse").click()

    assert "was not given to" in page.get_by_role("alert", name="Success").inner_text()
    grant = RoleGrant.objects.get(pk=grant.pk)
    assert (grant.state, grant.decision_note) == ("refused", "Not until the course is done")
