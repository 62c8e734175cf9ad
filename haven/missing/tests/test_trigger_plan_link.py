"""The trigger plan at first contact (M-15 hand-off): shown on the report and grading pages, and its
directive actions raised as enquiries in one click when the child next goes missing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.core import clock
from haven.core.testing import sign_in
from haven.missing import selectors, services

pytestmark = pytest.mark.django_db


def _plan(actor, child):
    from haven.triggerplans.services import plan_create

    return plan_create(
        actor=actor,
        child=child,
        agencies=["Leeds children's social care"],
        review_date=clock.now().date() + timedelta(days=30),
        actions=[
            {"kind": "address", "target": "Flat 3, 22 Harehills Lane, Leeds", "instructions": "Friend's flat"},
            {"kind": "phone", "target": "07700 900461"},
        ],
        thresholds=["Missing overnight"],
    )


def test_plan_actions_are_offered_and_raised_as_enquiries(graded, supervisor, make_child, client):
    child = make_child()
    _plan(supervisor, child)
    episode = graded(child=child)
    plan = selectors.trigger_plan(user=supervisor, child=child)
    assert plan["status"] == "current"
    assert len(plan["actions"]) == 2
    sign_in(client, supervisor)
    page = client.get(f"/missing/{episode.public_id}/").content.decode()
    assert 'data-testid="plan-actions-offer"' in page
    assert "Harehills Lane" in page
    raised = services.plan_actions_raise(actor=supervisor, episode=episode, indexes=[0, 1])
    assert [e.from_plan for e in raised] == [True, True]
    assert "Harehills Lane" in raised[0].description


def test_report_page_shows_the_current_trigger_plan(call_handler, supervisor, make_child, client):
    child = make_child()
    _plan(supervisor, child)
    sign_in(client, call_handler)
    page = client.get(f"/missing/report/{child.public_id}/").content.decode()
    assert "Current" in page
    assert "Harehills Lane" in page
