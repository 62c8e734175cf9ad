"""GET /api/v1/audit/events: the s62 log for auditors through the API (DP-02)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from haven.api import errors as api_errors
from haven.api.auth import SessionAuth
from haven.audit.api import router
from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.audit.services import access_event_record

pytestmark = pytest.mark.django_db

PERSON = uuid.UUID("33333333-3333-4333-8333-333333333333")


@pytest.fixture(scope="module")
def api() -> TestClient:
    """The audit router mounted as Haven mounts it: session auth and the one error envelope."""
    ninja = NinjaAPI(urls_namespace="audit-api-test", auth=[SessionAuth()])
    api_errors.install(ninja)
    ninja.add_router("/audit", router)
    return TestClient(ninja)


@pytest.fixture
def viewed(make_user: Callable[..., Any]) -> AccessEvent:
    officer = make_user("pc_api", mfa=False)
    return access_event_record(actor=officer, operation=Operation.CONSULTATION, person_ids=[PERSON], query="bloggs")


def test_dp02_an_auditor_gets_the_events_naming_a_person_and_the_read_is_logged(
    api: TestClient, make_user: Callable[..., Any], viewed: AccessEvent
) -> None:
    dpo = make_user("dpo", roles=("auditor",))
    response = api.get(f"/audit/events?person={PERSON}", user=dpo)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    (event,) = body["events"]
    assert event["id"] == str(viewed.public_id)
    assert event["operation"] == "consultation"
    assert event["username"] == "pc_api"
    assert event["person_ids"] == [str(PERSON)]
    assert event["query"] == "bloggs"
    (read,) = AccessEvent.objects.filter(actor=dpo)
    assert read.operation == Operation.CONSULTATION
    assert read.channel == "api"
    assert read.person_ids == [PERSON]


@pytest.mark.parametrize("url", [f"/audit/events?person={PERSON}", f"/audit/subject-access/{PERSON}"])
def test_dp02_a_user_without_the_auditor_role_gets_404_from_the_api(
    api: TestClient, make_user: Callable[..., Any], viewed: AccessEvent, url: str
) -> None:
    inspector = make_user("insp", roles=("inspector",))
    response = api.get(url, user=inspector)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert str(PERSON) not in response.content.decode()
    assert not AccessEvent.objects.filter(actor=inspector).exists()


def test_dp02_the_subject_access_report_lists_every_event_naming_the_person_and_is_logged(
    api: TestClient, make_user: Callable[..., Any], viewed: AccessEvent
) -> None:
    access_event_record(actor=None, operation=Operation.ERASURE, person_ids=[uuid.uuid4()])
    dpo = make_user("dpo", roles=("auditor",))
    response = api.get(f"/audit/subject-access/{PERSON}", user=dpo)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["person"] == str(PERSON)
    assert [e["id"] for e in body["events"]] == [str(viewed.public_id)]
    assert body["by_operation"]["Consultation"] == 1
    assert body["by_operation"]["Erasure"] == 0
    (read,) = AccessEvent.objects.filter(actor=dpo)
    assert read.operation == Operation.CONSULTATION
    assert read.channel == "api"
    assert read.person_ids == [PERSON]
    assert read.detail["s62_subject_access"] == str(PERSON)


def test_the_api_needs_a_person_case_or_user(api: TestClient, make_user: Callable[..., Any]) -> None:
    dpo = make_user("dpo", roles=("auditor",))
    response = api.get("/audit/events", user=dpo)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"


def test_the_api_pages_with_limit_and_offset(api: TestClient, make_user: Callable[..., Any]) -> None:
    officer = make_user("pc_page", mfa=False)
    for _ in range(3):
        access_event_record(actor=officer, operation=Operation.CONSULTATION, person_ids=[PERSON])
    dpo = make_user("dpo", roles=("auditor",))
    body = api.get("/audit/events?user=pc_page&limit=2&offset=2", user=dpo).json()
    assert body["count"] == 3
    assert len(body["events"]) == 1


def test_the_api_filters_by_kind_of_processing_and_finds_a_user_by_name(
    api: TestClient, make_user: Callable[..., Any]
) -> None:
    officer = make_user("pc_kinds", mfa=False)
    officer.first_name, officer.last_name = "Tom", "Jones"
    officer.save()
    access_event_record(actor=officer, operation=Operation.CONSULTATION, person_ids=[PERSON])
    disclosed = access_event_record(
        actor=officer, operation=Operation.DISCLOSURE, person_ids=[PERSON], recipients=[{"name": "A Worker"}]
    )
    dpo = make_user("dpo", roles=("auditor",))
    body = api.get("/audit/events?user=Tom%20Jones&operation=disclosure", user=dpo).json()
    assert [e["id"] for e in body["events"]] == [str(disclosed.public_id)]
    assert api.get("/audit/events?user=pc_kinds&operation=looking", user=dpo).status_code == 422
