"""The subject-access report for one person, and the alert for restricted records opened out of
allocation (DP-02, DPA 2018 s45 and s62(4))."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from haven.audit.choices import JustificationKind, Operation
from haven.audit.models import AccessEvent
from haven.audit.services import access_event_record
from haven.cases.models import Case
from haven.core import clock
from haven.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(signed_in: Callable[..., tuple[Client, Any]]) -> tuple[Client, Any]:
    return signed_in(username="dpo", roles=("auditor",))


@pytest.fixture
def subject_history(make_user: Callable[..., Any]) -> dict[str, Any]:
    """Three kinds of processing of one person, and one of someone else."""
    officer = make_user("pc_sar", mfa=False)
    person = uuid.uuid4()
    collected = access_event_record(actor=officer, operation=Operation.COLLECTION, person_ids=[person])
    viewed = access_event_record(
        actor=officer, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4(), person], query="smith"
    )
    shared = access_event_record(
        actor=officer,
        operation=Operation.DISCLOSURE,
        person_ids=[person],
        recipients=[{"name": "A Worker", "organisation": "Children's services", "lawful_basis": "DPA s35"}],
        channel="secure email",
    )
    access_event_record(actor=officer, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4()])
    return {"person": person, "events": [shared, viewed, collected]}


def test_dp02_the_subject_access_report_lists_every_processing_of_the_person_newest_first(
    auditor: tuple[Client, Any], subject_history: dict[str, Any]
) -> None:
    client, dpo = auditor
    person = subject_history["person"]
    response = client.get(f"/audit/subject-access/{person}/")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.events == subject_history["events"]
    assert report.by_operation["Collection"] == 1
    assert report.by_operation["Disclosure"] == 1
    page = response.content.decode()
    assert "A Worker (Children&#x27;s services)" in page
    assert "secure email" in page
    (read,) = AccessEvent.objects.filter(actor=dpo)
    assert read.operation == Operation.CONSULTATION
    assert read.person_ids == [person]
    assert read.channel == "ui"
    assert read.detail == {"s62_subject_access": str(person), "rows": 3}


def test_dp02_the_subject_access_csv_is_a_disclosure_to_the_auditor(
    auditor: tuple[Client, Any], subject_history: dict[str, Any]
) -> None:
    client, dpo = auditor
    person = subject_history["person"]
    response = client.get(f"/audit/subject-access/{person}/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert f"subject-access-{person}" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["event_id"] for r in rows] == [str(e.public_id) for e in subject_history["events"]]
    assert [r["operation"] for r in rows] == ["disclosure", "consultation", "collection"]
    (read,) = AccessEvent.objects.filter(actor=dpo)
    assert read.operation == Operation.DISCLOSURE
    assert read.channel == "csv"
    assert read.recipients[0]["name"] == "dpo"


def test_dp02_the_print_version_shows_the_same_events_and_is_logged(
    auditor: tuple[Client, Any], subject_history: dict[str, Any]
) -> None:
    client, dpo = auditor
    person = subject_history["person"]
    response = client.get(f"/audit/subject-access/{person}/print/")
    assert response.status_code == 200
    assert response.context["report"].events == subject_history["events"]
    assert "moj-sub-navigation" not in response.content.decode()
    (read,) = AccessEvent.objects.filter(actor=dpo)
    assert read.channel == "print"


def test_the_subject_access_start_page_goes_to_the_report_or_shows_the_error(auditor: tuple[Client, Any]) -> None:
    client, dpo = auditor
    person = uuid.uuid4()
    assert client.get("/audit/subject-access/", {"person": str(person)})["Location"] == (
        f"/audit/subject-access/{person}/"
    )
    wrong = client.get("/audit/subject-access/", {"person": "nobody"})
    assert "govuk-error-summary" in wrong.content.decode()
    assert "Enter a Haven id" in wrong.content.decode()
    assert client.get("/audit/subject-access/not-an-id/").status_code == 404
    assert not AccessEvent.objects.filter(actor=dpo).exists()


# --- Restricted records opened out of allocation ------------------------------------------------


@pytest.fixture
def restricted(make_user: Callable[..., Any]) -> dict[str, Any]:
    owner = make_user("owner", mfa=False)
    member = make_user("member", mfa=False)
    person = Person.objects.create(forenames="Rae", surname="Restricted", normalised_name="rae restricted")
    secret_person = Person.objects.create(
        forenames="Sam", surname="Hidden", normalised_name="sam hidden", is_restricted=True
    )
    secret_person.members.add(member)
    case = Case.objects.create(reference="HVN-T-0001", subject=person, owner=owner, sensitivity="restricted")
    case.members.add(member)
    return {"owner": owner, "member": member, "case": case, "person": person, "secret_person": secret_person}


def _alerts(client: Client) -> list[Any]:
    response = client.get("/audit/alerts/")
    assert response.status_code == 200
    return list(response.context["alerts"])


def test_dp02_opening_a_restricted_case_out_of_allocation_is_an_alert(
    auditor: tuple[Client, Any], restricted: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    outsider = make_user("pc_nosy", roles=("inspector",), mfa=False)
    case = restricted["case"]
    access_event_record(
        actor=outsider,
        operation=Operation.CONSULTATION,
        case_ids=[case.public_id],
        person_ids=[restricted["person"].public_id],
        justification_kind=JustificationKind.STATED,
        justification="Force-wide view by role (Inspector).",
    )
    client, _ = auditor
    (alert,) = _alerts(client)
    assert alert.kind == "out_of_allocation"
    assert alert.username == "pc_nosy"
    assert alert.case_ids == [case.public_id]
    assert "restricted case HVN-T-0001 without allocation" in alert.summary


def test_dp02_the_owner_and_members_opening_their_restricted_records_is_no_alert(
    auditor: tuple[Client, Any], restricted: dict[str, Any]
) -> None:
    for user in (restricted["owner"], restricted["member"]):
        access_event_record(
            actor=user,
            operation=Operation.CONSULTATION,
            case_ids=[restricted["case"].public_id],
            person_ids=[restricted["secret_person"].public_id] if user == restricted["member"] else [],
            justification_kind=JustificationKind.ALLOCATED,
            justification="Allocated to them.",
        )
    access_event_record(actor=None, operation=Operation.COMBINATION, case_ids=[restricted["case"].public_id])
    client, _ = auditor
    assert _alerts(client) == []


def test_dp02_a_restricted_person_read_by_a_non_member_is_an_alert(
    auditor: tuple[Client, Any], restricted: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    outsider = make_user("pc_search", mfa=False)
    secret = restricted["secret_person"]
    access_event_record(actor=outsider, operation=Operation.CONSULTATION, person_ids=[secret.public_id], query="sam")
    client, _ = auditor
    (alert,) = _alerts(client)
    assert (alert.kind, alert.person_ids) == ("out_of_allocation", [secret.public_id])
    assert "a restricted person" in alert.summary


def test_dp02_breaking_the_glass_on_a_restricted_case_is_one_out_of_allocation_alert(
    auditor: tuple[Client, Any], restricted: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    outsider = make_user("pc_glass", roles=("inspector",), mfa=False)
    access_event_record(
        actor=outsider,
        operation=Operation.CONSULTATION,
        case_ids=[restricted["case"].public_id],
        justification_kind=JustificationKind.BREAK_GLASS,
        justification="Child missing tonight",
    )
    client, _ = auditor
    response = client.get("/audit/alerts/")
    (alert,) = response.context["alerts"]
    assert alert.kind == "out_of_allocation"
    assert alert.summary == "Opened restricted case HVN-T-0001 by breaking the glass: Child missing tonight"
    assert "Not allocated" in response.content.decode()


def test_an_auditor_reading_the_log_about_a_restricted_case_is_no_alert(
    auditor: tuple[Client, Any], restricted: dict[str, Any]
) -> None:
    client, _ = auditor
    client.get("/audit/", {"case": str(restricted["case"].public_id)})
    client.get(f"/audit/subject-access/{restricted['secret_person'].public_id}/")
    assert _alerts(client) == []


def test_an_event_its_service_flagged_for_the_auditors_is_an_alert_in_its_words(
    auditor: tuple[Client, Any], make_user: Callable[..., Any]
) -> None:
    officer = make_user("pc_opener", mfa=False)
    person = uuid.uuid4()
    access_event_record(
        actor=officer,
        operation=Operation.COLLECTION,
        person_ids=[person],
        detail={"alert": "Opened a case about a person whose address is a refuge"},
    )
    access_event_record(actor=officer, operation=Operation.COLLECTION, person_ids=[uuid.uuid4()])
    client, _ = auditor
    response = client.get("/audit/alerts/")
    (alert,) = response.context["alerts"]
    assert (alert.kind, alert.username, alert.person_ids) == ("flagged", "pc_opener", [person])
    assert alert.summary == "Opened a case about a person whose address is a refuge"
    assert "Needs a look" in response.content.decode()


def test_a_flagged_event_older_than_the_period_is_no_alert(
    auditor: tuple[Client, Any], make_user: Callable[..., Any]
) -> None:
    officer = make_user("pc_old", mfa=False)
    with clock.moved(-timedelta(days=8)):
        access_event_record(
            actor=officer, operation=Operation.COLLECTION, detail={"alert": "Granted the auditor role to pc_old"}
        )
    client, _ = auditor
    assert _alerts(client) == []
