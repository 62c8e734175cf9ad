"""The workforce API: an officer's record (its read logged), and the writes built from their declarations."""

from __future__ import annotations

from datetime import date

import pytest

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.workforce.models import OfficerQualification

pytestmark = pytest.mark.django_db


def test_a_supervisor_records_a_qualification_and_reads_the_gate_s_answers(signed_in, make_user):
    client, sergeant = signed_in(username="sgt", roles=("supervisor",), rank="DS")
    officer = make_user("pc", roles=("investigator",))
    url = f"/api/v1/workforce/officers/{officer.public_id}"

    created = client.post(
        f"{url}/qualifications",
        {"qualification": "pip2", "achieved_on": "2024-01-10", "evidence_reference": "PIP2 reg 4411"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    record = OfficerQualification.objects.get(officer=officer)
    assert (record.verified_by, record.evidence_reference) == (sergeant, "PIP2 reg 4411")

    read = client.get(url)

    assert read.status_code == 200
    body = read.json()
    assert body["qualifications"][0]["qualification"] == "pip2"
    answers = {d["activity"]: d["answer"] for d in body["decisions"]}
    assert answers["high_risk_missing_investigation"] == "alone"
    assert answers["visually_recorded_interview"] == "refused"
    row = AccessEvent.objects.filter(actor=sergeant, operation=Operation.CONSULTATION).latest("pk")
    assert row.detail["officer"] == "pc"


def test_a_bad_qualification_is_a_422_and_writes_nothing(signed_in, make_user):
    client, _ = signed_in(username="sgt", roles=("supervisor",))
    officer = make_user("pc")

    answer = client.post(
        f"/api/v1/workforce/officers/{officer.public_id}/qualifications",
        {"qualification": "flying", "achieved_on": date(2024, 1, 1).isoformat(), "evidence_reference": "x"},
        content_type="application/json",
    )

    assert answer.status_code == 422
    assert answer.json()["error"]["fields"]["qualification"] == ["Select a qualification from the list"]
    assert not OfficerQualification.objects.exists()


def test_an_officer_without_the_permission_cannot_read_another_s_record(signed_in, make_user):
    client, _ = signed_in(username="pc1", roles=("response_officer",))
    other = make_user("pc2")

    assert client.get(f"/api/v1/workforce/officers/{other.public_id}").status_code == 403
