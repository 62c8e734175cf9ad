"""The trigger plan at first contact (M-15 hand-off): shown on the report and grading pages, and its
directive actions raised as enquiries in one click when the child next goes missing."""

from __future__ import annotations

import pytest

from haven.core.testing import sign_in
from haven.missing import selectors

pytestmark = pytest.mark.django_db


ACTIONS = [
    {"kind": "address", "target": "Flat 3, 22 Harehills Lane, Leeds", "instructions": "Friend's flat"},
    {"kind": "phone", "target": "07700 900461"},
]


def test_plan_actions_are_offered_and_raised_as_enquiries(graded, supervisor, make_child, make_plan, client):
    child = make_child()
    make_plan(supervisor, child, actions=ACTIONS)
    episode = graded(child=child)
    plan = selectors.trigger_plan(user=supervisor, child=child)
    assert plan["status"] == "current"
    assert len(plan["actions"]) == 2
    sign_in(client, supervisor)
    page = client.get(f"/missing/{episode.public_id}/").content.decode()
    assert 'data-testid="plan-actions-offer"' in page
    assert "Harehills Lane" in page
    offer = client.get(f"/missing/{episode.public_id}/plan-actions/")
    assert offer.status_code == 200
    assert "Harehills Lane" in offer.content.decode()
    response = client.post(f"/missing/{episode.public_id}/plan-actions/", {"actions": ["0", "1"]})
    assert response.status_code == 302
    raised = list(episode.enquiries.order_by("id"))
    assert [(e.from_plan, e.priority) for e in raised] == [(True, "urgent"), (True, "urgent")]
    assert "Harehills Lane" in raised[0].description


def test_plan_actions_page_needs_at_least_one_action(graded, supervisor, make_child, make_plan, client):
    child = make_child()
    make_plan(supervisor, child, actions=ACTIONS)
    episode = graded(child=child)
    sign_in(client, supervisor)
    response = client.post(f"/missing/{episode.public_id}/plan-actions/", {})
    assert response.status_code == 422
    assert "Select at least one trigger-plan action" in response.content.decode()
    assert not episode.enquiries.exists()


def test_report_page_shows_the_current_trigger_plan(call_handler, supervisor, make_child, make_plan, client):
    child = make_child()
    make_plan(supervisor, child, actions=ACTIONS)
    sign_in(client, call_handler)
    page = client.get(f"/missing/report/{child.public_id}/").content.decode()
    assert "Current" in page
    assert "Harehills Lane" in page


def test_m15_the_briefing_sheet_carries_the_plan_for_the_officer_who_owns_the_episode(
    make_user, make_child, make_plan, make_episode
):
    """The plan was written by another team: the officer who now owns the episode cannot see its case,
    yet the briefing sheet he prints has the plan's actions."""
    from haven.cases.schemas import HandoverIn
    from haven.cases.services import case_handover, case_handover_acknowledge
    from haven.missing.briefing import briefing_context

    child = make_child()
    make_plan(make_user("ppu_sarge", roles=("supervisor",), team="IMU"), child, actions=ACTIONS)
    sergeant = make_user("resp_sarge", roles=("supervisor",), team="RESP-A")
    worker = make_user("resp_pc", roles=("response_officer",), team="RESP-A")
    episode = make_episode(sergeant, child)
    case_handover(actor=sergeant, case=episode.case, data=HandoverIn(to_user=worker.username, reason="To trace"))
    case_handover_acknowledge(actor=worker, case=episode.case)
    episode.refresh_from_db()
    assert selectors.trigger_plan(user=worker, child=child)["plan"] is None  # the plan's own case is beyond him
    sheet = briefing_context(user=worker, episode=episode)
    assert sheet["plan"]["plan"] is not None
    assert any("Harehills Lane" in a.text for a in sheet["plan"]["actions"])
