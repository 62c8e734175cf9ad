"""The missing API: /api/v1/missing, every step, the idempotency key, 404 for hidden episodes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from haven.core import clock
from haven.core.testing import sign_in
from haven.missing.models import Episode

pytestmark = pytest.mark.django_db


def _post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def _iso(dt):
    return dt.isoformat()


def _report(child, **overrides):
    body = {
        "child": str(child.public_id),
        "informant_name": "Jo Carer",
        "last_seen_at": _iso(clock.now() - timedelta(hours=1)),
        "last_seen_where": "Oak House, Leeds",
        "missing_from": "care_home",
        "circumstances": "Did not return.",
    }
    body.update(overrides)
    return body


def _source():
    return {
        "information": "Phone off since 9pm",
        "provider_name": "Jo Carer",
        "provider_contact": "07700 900123",
        "obtained_at": _iso(clock.now()),
    }


def test_api_report_with_idempotency_header_retries_safely(client, call_handler, make_child):
    child = make_child()
    sign_in(client, call_handler)
    first = _post(client, "/api/v1/missing/episodes", _report(child), HTTP_IDEMPOTENCY_KEY="cad-2026-0001")
    assert first.status_code == 201, first.content
    again = _post(client, "/api/v1/missing/episodes", _report(child), HTTP_IDEMPOTENCY_KEY="cad-2026-0001")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Episode.objects.filter(child=child).count() == 1


def test_api_report_with_idempotency_key_in_the_body(client, call_handler, make_child):
    child = make_child()
    sign_in(client, call_handler)
    first = _post(client, "/api/v1/missing/episodes", _report(child, idempotency_key="k-1"))
    again = _post(client, "/api/v1/missing/episodes", _report(child, idempotency_key="k-1"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_api_report_without_key_twice_is_a_conflict(client, call_handler, make_child):
    child = make_child()
    sign_in(client, call_handler)
    assert _post(client, "/api/v1/missing/episodes", _report(child)).status_code == 201
    second = _post(client, "/api/v1/missing/episodes", _report(child))
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"


def test_api_report_errors_are_the_envelope(client, call_handler, make_child):
    sign_in(client, call_handler)
    bad = _post(client, "/api/v1/missing/episodes", _report(make_child(), last_seen_at="2026-01-01T10:00:00"))
    assert bad.status_code == 422
    body = {**_report(make_child()), "child": "00000000-0000-0000-0000-000000000000"}
    unknown = _post(client, "/api/v1/missing/episodes", body)
    assert unknown.status_code == 422
    assert "child" in unknown.json()["error"]["fields"]
    header = _post(client, "/api/v1/missing/episodes", _report(make_child()), HTTP_IDEMPOTENCY_KEY="has space")
    assert header.status_code == 422


def test_api_whole_journey(client, call_handler, supervisor, officer, make_child):
    from django.test import Client

    child = make_child()
    handler_client, officer_client = Client(), Client()
    sign_in(handler_client, call_handler)
    episode = _post(handler_client, "/api/v1/missing/episodes", _report(child)).json()
    eid = episode["id"]
    sign_in(client, supervisor)
    bad = _post(
        client, f"/api/v1/missing/episodes/{eid}/assessments", {"grade": "high", "rationale": "x", "sources": []}
    )
    assert bad.status_code == 422
    assert "sources" in bad.json()["error"]["fields"]
    graded = _post(
        client,
        f"/api/v1/missing/episodes/{eid}/assessments",
        {
            "grade": "high",
            "rationale": "Exploitation concerns",
            "sources": [_source()],
            "cra_decision": "not_appropriate",
            "cra_reason": "No abduction",
        },
    )
    assert graded.status_code == 201, graded.content
    assert graded.json()["vocabulary_version"]
    detail = client.get(f"/api/v1/missing/episodes/{eid}").json()
    assert detail["grade"] == "high"
    assert "ukmpu" in detail["outstanding_obligations"]
    ob = _post(client, f"/api/v1/missing/episodes/{eid}/obligations", {"obligation": "ukmpu"})
    assert ob.status_code == 200
    assert "ukmpu" not in ob.json()["outstanding_obligations"]
    enquiry = _post(
        client,
        f"/api/v1/missing/episodes/{eid}/enquiries",
        {"type": "address_check", "description": "Check 4 Elm Rd", "allocated_to": officer.username},
    )
    assert enquiry.status_code == 201
    qid = enquiry.json()["id"]
    review = _post(client, f"/api/v1/missing/episodes/{eid}/reviews", {"decision": "Right grade"})
    assert review.status_code == 201
    sign_in(officer_client, officer)
    # The officer is in the supervisor's team, so sees the episode; records the enquiry allocated to them.
    result = _post(officer_client, f"/api/v1/missing/enquiries/{qid}/result", {"result": "Not there"})
    assert result.status_code == 200, result.content
    assert result.json()["status"] == "completed"
    found = _post(
        client,
        f"/api/v1/missing/episodes/{eid}/found",
        {
            "found_at": _iso(clock.now()),
            "found_where": "Station",
            "found_where_code": "transport",
            "found_by": "PC Shah",
            "condition": "Well",
            "rhi_authority": "Leeds",
            "rhi_recipient": "mc@leeds.example",
        },
    )
    assert found.status_code == 200, found.content
    assert found.json()["return_interview"]["status"] == "requested"
    refused = _post(client, f"/api/v1/missing/episodes/{eid}/close", {"reason_missing": "friends", "reason": "Safe"})
    assert refused.status_code == 422
    prevention = _post(
        client,
        f"/api/v1/missing/episodes/{eid}/prevention-interview",
        {"done_at": _iso(clock.now()), "mode": "in_person", "why_went": "Row", "what_happened": "Friend's"},
    )
    assert prevention.status_code == 201
    rhi = _post(client, f"/api/v1/missing/episodes/{eid}/return-interview", {"status": "offered"})
    assert rhi.status_code == 200
    closed = _post(client, f"/api/v1/missing/episodes/{eid}/close", {"reason_missing": "friends", "reason": "Safe"})
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    listing = client.get("/api/v1/missing/episodes?active=false").json()
    assert [e["id"] for e in listing] == [eid]


def test_api_hidden_episode_is_404(client, graded, make_user):
    episode = graded()
    sign_in(client, make_user("far", roles=("response_officer",), team="FAR"))
    response = _post(client, f"/api/v1/missing/episodes/{episode.public_id}/found", {})
    assert response.status_code in (404, 422)
    assert client.get(f"/api/v1/missing/episodes/{episode.public_id}").status_code == 404


def test_api_cancel_escalate(client, graded, supervisor):
    one, two = graded(), graded()
    sign_in(client, supervisor)
    assert _post(client, f"/api/v1/missing/episodes/{one.public_id}/cancel", {"reason": "Home"}).json()["state"] == (
        "cancelled"
    )
    escalated = _post(
        client, f"/api/v1/missing/episodes/{two.public_id}/escalate", {"crime_reference": "CR1", "reason": "Abduction"}
    )
    assert escalated.json()["state"] == "escalated"
