"""Guidance where the referral work is: the items the library places at "Child concern referral" show on
the pages that raise, research and decide a referral, and only those."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.core import clock
from haven.core import operations as registered
from haven.core.operations import run
from haven.core.testing import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(make_user):
    librarian = make_user("lib", roles=("administrator",), rank=None, team="ADMIN")

    def add(title, place):
        data = {
            "title": title,
            "kind": "document",
            "summary": "What to look for and when to share.",
            "places": [place],
            "review_date": (clock.now().date() + timedelta(days=90)).isoformat(),
            "url": "https://learning.example.police.uk/briefing",
        }
        return run(registered.get("guidance.item_create"), actor=librarian, data=data)

    return {
        "referral": add("Sharing information with partners", "child_concern_referral"),
        "missing": add("What to do when a child is reported missing", "reporting_missing"),
    }


def _panel(page):
    assert 'data-testid="guidance-panel"' in page
    return page.split('data-testid="guidance-panel"', 1)[1].split("</aside>", 1)[0]


def test_the_officer_raising_a_referral_sees_the_guidance_placed_at_child_concern_referral(
    client, officer, child, items, raise_referral
):
    draft = raise_referral(submit=False)
    sign_in(client, officer)

    for url in ("/referrals/new/", f"/referrals/{draft.public_id}/edit/"):
        panel = _panel(client.get(url).content.decode())
        assert "Sharing information with partners" in panel
        assert f'href="/guidance/{items["referral"].public_id}/"' in panel
        assert "reported missing" not in panel


def test_the_crsu_sees_the_guidance_on_the_research_and_decision_pages(client, crsu, items, raise_referral):
    referral = raise_referral()
    sign_in(client, crsu["lead"])

    for step in ("research", "decide"):
        response = client.get(f"/referrals/{referral.public_id}/{step}/")
        assert response.status_code == 200
        panel = _panel(response.content.decode())
        assert "Sharing information with partners" in panel
        assert "reported missing" not in panel


def test_no_panel_when_the_library_has_nothing_for_referrals(client, officer, raise_referral):
    draft = raise_referral(submit=False)
    sign_in(client, officer)

    assert 'data-testid="guidance-panel"' not in client.get(f"/referrals/{draft.public_id}/edit/").content.decode()
