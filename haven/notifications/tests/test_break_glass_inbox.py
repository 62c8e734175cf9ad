"""Breaking the glass on a restricted case through the API tells the owner in their Haven inbox, not
by e-mail only (issue 16, finding 13): the owner sees who opened their case from inside Haven."""

from __future__ import annotations

import json

import pytest

from haven.core.permissions import Perm
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_breaking_the_glass_through_the_api_puts_an_item_in_the_owner_s_inbox(client, make_user, make_case):
    from haven.accounts.schemas import TokenIn
    from haven.accounts.services import api_token_create

    owner = make_user("glassowner", roles=("investigator",), team="CATE")
    case = make_case(owner, restricted=True)
    curious = make_user("glasscurious", roles=("investigator",), team="CATE")
    _, raw = api_token_create(actor=curious, data=TokenIn(name="glass", scopes=[Perm.CASES_CASE_VIEW]))

    response = client.post(
        f"/api/v1/cases/{case.public_id}/break-glass",
        json.dumps({"reason": "Child located at my address call."}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 200, response.content[:300]
    item = Notification.objects.get(recipient=owner, case=case)
    assert "broke the glass" in item.subject.lower() or "broke the glass" in item.body.lower()
    assert curious.rank_and_name in item.body
    # DP-01: the reason is free text that may name the child; it stays on the case page.
    assert "Child located" not in item.body
