"""The trigger-plan API: /api/v1/trigger-plans."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from haven.core.operations import run
from haven.core.testing import sign_in
from haven.triggerplans import operations
from haven.triggerplans.models import TriggerPlan
from haven.triggerplans.selectors import today
from haven.triggerplans.tests.helpers import PHONE

pytestmark = pytest.mark.django_db


def _post(client, path, body):
    return client.post(path, json.dumps(body, default=str), content_type="application/json")


def _body(**extra):
    return {
        "agencies": ["Leeds children's social care"],
        "thresholds": ["Missing overnight"],
        "review_date": (today() + timedelta(days=30)).isoformat(),
        "actions": [{"kind": "address", "target": "14 Mill Lane", "instructions": "Ask for Dean"}],
        **extra,
    }


def test_api_writes_reads_revises_and_reviews_a_plan(client, make_user, make_child):
    writer = make_user(roles=("investigator",), team="MISS")
    child, associate = make_child(), make_child("Dean", "Associate")
    sign_in(client, writer)
    created = _post(
        client,
        f"/api/v1/trigger-plans/children/{child.public_id}",
        _body(actions=[{"kind": "associate", "person": str(associate.public_id)}]),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "current"
    assert body["owner"]["username"] == writer.username
    assert body["current"]["actions"][0]["person"]["id"] == str(associate.public_id)
    assert body["current"]["actions"][0]["enquiry_type"] == "associates"
    plan_id = body["id"]

    assert client.get(f"/api/v1/trigger-plans/children/{child.public_id}").json()["plan"]["id"] == plan_id
    revised = _post(client, f"/api/v1/trigger-plans/{plan_id}/revisions", _body(version=1, note="New address."))
    assert revised.status_code == 201, revised.content
    assert revised.json()["current"]["number"] == 2
    review = {"version": 2, "review_date": (today() + timedelta(days=40)).isoformat(), "note": "No change."}
    reviewed = _post(client, f"/api/v1/trigger-plans/{plan_id}/reviews", review)
    assert reviewed.status_code == 201
    assert [v["number"] for v in reviewed.json()["versions"]] == [3, 2, 1]
    old = client.get(f"/api/v1/trigger-plans/{plan_id}/versions/1").json()
    assert old["current"] is False
    assert old["superseded_at"] is not None
    stale = _post(client, f"/api/v1/trigger-plans/{plan_id}/reviews", {**review, "version": 2})
    assert stale.status_code == 409


def test_m15_api_refuses_an_information_only_plan(client, make_user, make_child):
    sign_in(client, make_user(roles=("investigator",), team="MISS"))
    child = make_child()
    response = _post(
        client,
        f"/api/v1/trigger-plans/children/{child.public_id}",
        _body(actions=[{"kind": "other", "instructions": "Likes the park."}]),
    )
    assert response.status_code == 422
    assert "information only" in response.json()["error"]["fields"]["actions"][0]
    assert not TriggerPlan.objects.exists()


def test_api_hidden_plan_and_unknown_child_are_404(client, make_user, make_child):
    child = make_child()
    plan = run(
        operations.plan_create,
        actor=make_user(roles=("investigator",), team="MISS"),
        target=child,
        data={"agencies": ["School"], "review_date": today() + timedelta(days=10), "actions": [PHONE]},
    )
    sign_in(client, make_user(roles=("response_officer",), team="OTHER"))
    assert client.get(f"/api/v1/trigger-plans/{plan.public_id}").status_code == 404
    hidden = client.get(f"/api/v1/trigger-plans/children/{child.public_id}").json()
    assert hidden["plan"] is None
    assert hidden["status"] == "none"
    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/api/v1/trigger-plans/children/{unknown}").json()["error"]["code"] == "not_found"


def test_api_dmm_lists_need_the_board_permission(client, make_user, make_child, clock):
    child = make_child()
    run(
        operations.plan_create,
        actor=make_user(roles=("investigator",), team="MISS"),
        target=child,
        data={"agencies": ["School"], "review_date": today() + timedelta(days=1), "actions": [PHONE]},
    )
    clock.travel(timedelta(days=3))
    sign_in(client, make_user(roles=("inspector",), team="IMU"))
    late = client.get("/api/v1/trigger-plans/past-review").json()
    assert [p["child"]["id"] for p in late] == [str(child.public_id)]
    assert late[0]["status"] == "out_of_date"
    assert client.get("/api/v1/trigger-plans/repeat-missing").json() == []
    client.logout()
    sign_in(client, make_user(roles=("partner",), team=None))
    assert client.get("/api/v1/trigger-plans/past-review").status_code == 403


def test_api_child_without_a_plan_answers_status_none_with_flag_and_m16_prompt(client, make_user, make_child, events):
    from haven.people.models import Flag

    user = make_user(roles=("call_handler",), team="IMU")
    child = make_child()
    Flag.objects.create(person=child, kind="exploitation_risk", note="Older males.")
    sign_in(client, user)
    body = client.get(f"/api/v1/trigger-plans/children/{child.public_id}").json()
    assert body["status"] == "none"
    assert body["plan"] is None
    assert body["repeat_missing"] is None
    assert "exploitation review" in body["exploitation_prompt"]
    assert events(person=child, actor=user, operation="consultation")
