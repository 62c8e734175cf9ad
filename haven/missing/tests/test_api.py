"""The missing API: /api/v1/missing, every step, the idempotency key, 404 for hidden episodes."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest

from haven.core import clock
from haven.core.testing import sign_in
from haven.missing import operations
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
    assert bad.json()["error"]["fields"]["last_seen_at"] == ["Give the date the child was last seen with a time zone"]
    body = {**_report(make_child()), "child": "00000000-0000-0000-0000-000000000000"}
    unknown = _post(client, "/api/v1/missing/episodes", body)
    assert unknown.status_code == 422
    assert unknown.json()["error"]["fields"] == {"child": ["There is no person with this id that you can see"]}
    header = _post(client, "/api/v1/missing/episodes", _report(make_child()), HTTP_IDEMPOTENCY_KEY="has space")
    assert header.status_code == 422
    assert header.json()["error"]["fields"] == {"idempotency_key": ["Use 1 to 100 printable characters without spaces"]}
    assert not Episode.objects.exists()


def test_api_report_limits_are_the_input_models(client, call_handler, make_child):
    sign_in(client, call_handler)
    long_name = _post(client, "/api/v1/missing/episodes", _report(make_child(), informant_name="x" * 201))
    assert long_name.status_code == 422
    assert long_name.json()["error"]["fields"] == {
        "informant_name": ["The name of the person reporting must be 200 characters or fewer"]
    }
    control = _post(client, "/api/v1/missing/episodes", _report(make_child(), circumstances="Left\x00 home"))
    assert control.json()["error"]["fields"] == {
        "circumstances": ["The circumstances must be plain text, without control characters"]
    }
    blank = _post(client, "/api/v1/missing/episodes", _report(make_child(), informant_name="   "))
    assert blank.json()["error"]["fields"] == {"informant_name": ["Enter the name of the person reporting"]}
    assert not Episode.objects.exists()


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
    # M-07: a child graded high closes once children's services are told (or a supervisor says why not).
    told = _post(client, f"/api/v1/missing/episodes/{eid}/obligations", {"obligation": "childrens_services"})
    assert told.status_code == 200, told.content
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


def test_api_enquiry_allocation_names_an_officer_by_username(client, graded, supervisor, officer):
    episode = graded()
    sign_in(client, supervisor)
    raised = _post(
        client,
        f"/api/v1/missing/episodes/{episode.public_id}/enquiries",
        {"type": "cctv", "description": "Bus station CCTV", "allocated_to": "nobody"},
    )
    assert raised.status_code == 422
    assert raised.json()["error"]["fields"] == {"allocated_to": ["There is no Haven user called nobody"]}
    raised = _post(
        client, f"/api/v1/missing/episodes/{episode.public_id}/enquiries", {"type": "cctv", "description": "CCTV"}
    )
    assert raised.status_code == 201
    qid = raised.json()["id"]
    nobody = _post(client, f"/api/v1/missing/enquiries/{qid}/allocate", {"to_user": "nobody"})
    assert nobody.json()["error"]["fields"] == {"to_user": ["There is no Haven user called nobody"]}
    allocated = _post(client, f"/api/v1/missing/enquiries/{qid}/allocate", {"to_user": officer.username})
    assert allocated.status_code == 200
    assert allocated.json()["allocated_to"]["username"] == officer.username


def test_api_trigger_plan_actions_are_raised_as_urgent_enquiries(client, graded, supervisor, make_child, make_plan):
    child = make_child()
    make_plan(supervisor, child)
    episode = graded(child=child)
    sign_in(client, supervisor)
    path = f"/api/v1/missing/episodes/{episode.public_id}/plan-actions"
    none = _post(client, path, {"actions": [7]})
    assert none.status_code == 422
    assert list(none.json()["error"]["fields"]) == ["actions"]
    raised = _post(client, path, {"actions": [0, 1]})
    assert raised.status_code == 201, raised.content
    assert [(e["priority"], e["from_plan"]) for e in raised.json()] == [("urgent", True), ("urgent", True)]


def _api_path(operation):
    return "/api/v1/missing" + operation.api.path.format(episode_id=uuid.uuid4(), enquiry_id=uuid.uuid4())


def _valid_body(name):
    """A body each write's input model accepts: the refusal must be the permission, not the body."""
    now = _iso(clock.now() - timedelta(minutes=1))
    reason = {"reason": "Because"}
    return {
        "missing.episode_report": _report(SimpleNamespace(public_id=uuid.uuid4())),
        "missing.risk_assess": {"grade": "high", "rationale": "Why", "sources": [_source()]},
        "missing.obligation_record": {"obligation": "ukmpu"},
        "missing.cra_record": {"decision": "not_appropriate", "reason": "No abduction"},
        "missing.enquiry_raise": {"type": "cctv", "description": "CCTV"},
        "missing.enquiries_raise": {"enquiries": [{"type": "cctv", "description": "CCTV"}]},
        "missing.plan_actions_raise": {"actions": [0]},
        "missing.enquiry_allocate": {"to_user": "someone"},
        "missing.enquiry_complete": {"result": "Done"},
        "missing.enquiry_cancel": reason,
        "missing.review_record": {"decision": "Right grade"},
        "missing.episode_found": {
            "found_at": now,
            "found_where": "Station",
            "found_where_code": "transport",
            "found_by": "PC Shah",
            "condition": "Well",
        },
        "missing.prevention_interview_record": {
            "done_at": now,
            "mode": "in_person",
            "why_went": "Row",
            "what_happened": "Friend's",
        },
        "missing.prevention_waive": reason,
        "missing.rhi_update": {"status": "offered"},
        "missing.exploitation_record": {"outcome": "not_needed", "note": "None"},
        "missing.episode_close": {"reason_missing": "friends", "reason": "Safe"},
        "missing.episode_cancel": reason,
        "missing.episode_escalate": {"crime_reference": "CR1", "reason": "Abduction"},
        "missing.episode_found_deceased": {"found_at": now, "found_where": "River", "reason": "Sad"},
        "missing.sighting_record": {"seen_at": now, "where": "Bus station", "information": "With two boys."},
        "missing.sighting_report": {
            "child_name": "Jade Morris",
            "seen_at": now,
            "where": "Bus station",
            "information": "With two boys.",
        },
    }[name]


@pytest.mark.parametrize("operation", operations.ALL, ids=lambda op: op.name)
def test_api_refuses_each_write_without_its_permission(client, make_user, operation):
    body = _valid_body(operation.name)
    assert operation.input.model_validate(body)  # the body is fine: only the permission is missing
    sign_in(client, make_user("partner1", roles=("partner",), team=None))
    response = _post(client, _api_path(operation), body)
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "forbidden"


def test_every_missing_write_is_declared_with_a_route():
    from haven.core.operations import registry

    declared = {op.name for op in registry() if op.app == "missing"}
    assert declared == {op.name for op in operations.ALL}
    assert all(op.api is not None for op in operations.ALL)


# --- Issue 16: bad input answers 4xx, never 500, and a key is one report ---------------------------


def test_api_idempotency_key_reused_for_another_child_is_a_conflict_not_the_first_child_s_episode(
    client, call_handler, make_child
):
    first_child, second_child = make_child(), make_child()
    sign_in(client, call_handler)
    first = _post(client, "/api/v1/missing/episodes", _report(first_child), HTTP_IDEMPOTENCY_KEY="cad-2026-0042")
    assert first.status_code == 201, first.content
    reused = _post(client, "/api/v1/missing/episodes", _report(second_child), HTTP_IDEMPOTENCY_KEY="cad-2026-0042")
    assert reused.status_code == 409, reused.content
    error = reused.json()["error"]
    assert error["code"] == "conflict"
    assert error["fields"]["idempotency_key"] == [
        "This idempotency key was already used for a report about another child: use a new key for a new report"
    ]
    assert first.json()["id"] not in reused.content.decode()
    assert not Episode.objects.filter(child=second_child).exists()


def test_api_found_deceased_before_last_seen_answers_422_like_found(client, call_handler, supervisor, make_child):
    sign_in(client, call_handler)
    reported = _post(client, "/api/v1/missing/episodes", _report(make_child()))
    assert reported.status_code == 201, reported.content
    episode_id = reported.json()["id"]
    client.logout()
    sign_in(client, supervisor)
    too_early = clock.now() - timedelta(hours=3)  # last seen an hour ago
    response = _post(
        client,
        f"/api/v1/missing/episodes/{episode_id}/deceased",
        {"found_at": _iso(too_early), "found_where": "River bank", "reason": "Found by a walker."},
    )
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"] == {"found_at": ["The child cannot be found before they were last seen"]}
    assert Episode.objects.get(public_id=episode_id).state != "deceased"
