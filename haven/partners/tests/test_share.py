"""Sharing with an agency: the snapshot, the e-mail without personal data, the s62 disclosure naming
the agency, and the acknowledgement deadline (S-02)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.core.errors import Conflict
from haven.core.outbox import outbox_send
from haven.deadlines.models import Deadline
from haven.partners import deadlines as dl
from haven.partners.choices import AgencyKind, ItemKind
from haven.partners.tests.conftest import PROJECTION

pytestmark = pytest.mark.django_db


def test_share_keeps_only_the_agency_s_fields_as_a_snapshot(make_agency: Any, make_share: Any) -> None:
    school = make_agency("Leeds Education Safeguarding", kind=AgencyKind.EDUCATION)

    item = make_share(school)

    assert set(item.projection) == {"children", "concerns", "voice_of_child", "school", "officer"}
    assert item.projection["voice_of_child"] == PROJECTION["voice_of_child"]


def test_restricted_fields_go_only_when_the_decision_says_so(make_agency: Any, make_share: Any) -> None:
    agency = make_agency()

    plain = make_share(agency)
    restricted = make_share(agency, restricted=True)

    assert "research" not in plain.projection
    assert "health" not in plain.projection
    assert restricted.projection["research"] == PROJECTION["research"]


def test_sharing_the_same_again_with_the_same_agency_is_a_conflict(make_agency: Any, make_share: Any) -> None:
    agency = make_agency()
    make_share(agency, reference="CCR-1")

    with pytest.raises(Conflict):
        make_share(agency, reference="CCR-1")


def test_the_disclosure_row_names_the_recipient_agency(make_agency: Any, make_share: Any) -> None:
    agency = make_agency()

    item = make_share(agency)

    row = AccessEvent.objects.get(operation=Operation.DISCLOSURE, detail__item=str(item.public_id))
    assert row.recipients[0]["organisation"] == "Leeds Children's Services"
    assert row.recipients[0]["agency"] == str(agency.public_id)
    assert row.recipients[0]["lawful_basis"].startswith("DPA 2018")
    assert row.case_ids == [item.case.public_id]
    assert row.channel == "partner portal"


def test_the_e_mail_at_the_smtp_server_carries_no_personal_data(
    make_agency: Any, make_share: Any, mailbox: list[Any]
) -> None:
    agency = make_agency()
    item = make_share(agency, restricted=True)

    outbox_send()

    assert len(mailbox) == 1
    message = mailbox[0]
    assert message["To"] == "front.door@leeds.example"
    text = f"{message['Subject']}\n{message.get_content()}"
    assert f"/partner/items/{item.public_id}/" in text
    for word in ("Ava", "Testchild", "Neglect", "Hillside", "Asthma", "Mum", "domestic", item.subject_summary):
        assert word not in text


def test_s02_the_acknowledgement_is_due_within_one_working_day(make_agency: Any, make_share: Any, clock: Any) -> None:
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    clock.freeze(friday)

    item = make_share(make_agency())

    assert item.acknowledge_due_at == friday + timedelta(days=3)  # Monday afternoon
    deadline = Deadline.objects.get(key=dl.key(item))
    assert deadline.rule_id == "S-02"
    assert deadline.due_at == item.acknowledge_due_at
    assert deadline.responsible_user == item.shared_by


def test_an_rhi_request_goes_to_the_authority_s_children_s_services(
    make_agency: Any, make_case: Any, make_user: Any
) -> None:
    from haven.partners import services

    agency = make_agency()
    officer = make_user()

    item = services.rhi_request(
        actor=officer,
        authority="  leeds city   council ",
        reference="episode-1",
        subject_summary="Ava Testchild, 14",
        projection={"child": "Ava Testchild", "found": "Leeds bus station"},
        case=make_case(officer),
    )
    nobody = services.rhi_request(
        actor=officer,
        authority="Wakefield Council",
        reference="episode-2",
        subject_summary="Ava Testchild, 14",
        projection={"child": "Ava Testchild"},
        case=make_case(officer),
    )

    assert item is not None
    assert item.agency == agency
    assert item.kind == ItemKind.RHI_REQUEST
    assert nobody is None
