"""The library's writes: items and versions, required reading as a workforce qualification, reads that
count toward an officer's training until a new version is published, and retiring."""

from __future__ import annotations

from datetime import date

import pytest

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.core.errors import Conflict, Forbidden, ValidationFailed
from haven.core.operations import run
from haven.guidance import operations, selectors
from haven.guidance.models import GuidanceRead
from haven.guidance.tests.conftest import publish
from haven.workforce import selectors as workforce_selectors
from haven.workforce.choices import QualificationKind
from haven.workforce.models import OfficerQualification, Qualification

pytestmark = pytest.mark.django_db


def test_an_item_is_added_with_its_first_version(make_item, librarian, make_user):
    owner = make_user("insp", roles=("inspector",), rank="INSP")

    item = make_item(owner="insp", team="TEST", places=("reporting_missing", "missing_investigation"))

    assert (item.owner, item.team.code, item.current.number) == (owner, "TEST", 1)
    assert item.places == ["reporting_missing", "missing_investigation"]
    assert item.current.published_on == date(2026, 6, 1)
    assert item.current.published_by == librarian


def test_an_item_needs_a_link_a_future_review_date_and_a_real_owner(make_item):
    with pytest.raises(ValidationFailed) as no_link:
        make_item(url="")
    assert "url" in no_link.value.fields
    with pytest.raises(ValidationFailed) as past:
        make_item(review_date=date(2026, 5, 1))
    assert past.value.fields == {"review_date": ["The review date must be in the future"]}
    with pytest.raises(ValidationFailed) as owner:
        make_item(owner="nobody")
    assert "owner" in owner.value.fields
    with pytest.raises(ValidationFailed) as bad_url:
        make_item(url="javascript:alert(1)")
    assert bad_url.value.fields == {"url": ["Enter a web address starting with https://"]}


def test_a_document_store_reference_will_do_instead_of_a_web_address(make_item):
    item = make_item(url="", file_reference="POL/CRSU/014")

    assert (item.current.url, item.current.file_reference) == ("", "POL/CRSU/014")


def test_an_officer_cannot_manage_the_library(make_user, make_item):
    officer = make_user("pc", roles=("response_officer",))
    item = make_item()

    with pytest.raises(Forbidden):
        run(
            operations.version_publish,
            actor=officer,
            target=item,
            data={"what_changed": "x", "review_date": "2027-01-01"},
        )
    with pytest.raises(Forbidden):
        run(operations.required_roles_set, actor=officer, target=item, data={"roles": ["response_officer"]})
    with pytest.raises(Forbidden):
        run(operations.item_retire, actor=officer, target=item, data={"reason": "x"})


def test_making_an_item_required_defines_a_reading_qualification_for_those_roles(make_item):
    item = make_item(roles=("call_handler", "response_officer"))

    qualification = Qualification.objects.get(code=item.qualification_code)
    assert qualification.kind == QualificationKind.READING
    assert qualification.mandatory
    assert qualification.active
    assert qualification.mandatory_for_roles == ["call_handler", "response_officer"]
    assert qualification.name == item.title


def test_a_read_of_a_required_item_is_recorded_on_the_officer_s_training_record(make_item, make_user, read):
    officer = make_user("pc", roles=("response_officer",))
    item = make_item(roles=("response_officer",))

    read(officer, item)

    record = OfficerQualification.objects.get(officer=officer, qualification__code=item.qualification_code)
    assert record.evidence_reference == "Version 1 watched on 1 June 2026"
    assert record.verified_by == officer  # reading is self-declared
    assert record.current_on(date(2026, 6, 1))
    assert GuidanceRead.objects.get(reader=officer).version == item.current


def test_t02_a_required_read_counts_toward_the_team_s_compliance(make_item, make_user, read):
    sergeant = make_user("sgt", roles=("supervisor",), rank="PS")
    officer = make_user("pc", roles=("response_officer",))
    make_user("pc2", roles=("response_officer",))
    item = make_item(roles=("response_officer",))

    def counted():
        view = workforce_selectors.team_view(user=sergeant)
        return next((m.current, m.officers) for m in view.compliance if m.qualification.code == item.qualification_code)

    assert counted() == (0, 2)  # the two response officers: not the sergeant, of whom it is not required
    read(officer, item)
    assert counted() == (1, 2)


def test_t02_a_new_version_makes_the_earlier_read_no_longer_current(make_item, make_user, read, librarian):
    sergeant = make_user("sgt", roles=("supervisor",), rank="PS")
    officer = make_user("pc", roles=("response_officer",))
    item = make_item(roles=("response_officer",))
    read(officer, item)

    item = publish(librarian, item)

    assert item.current.number == 2
    record = OfficerQualification.objects.get(officer=officer, qualification__code=item.qualification_code)
    assert not record.current_on(date(2026, 6, 1))
    view = workforce_selectors.team_view(user=sergeant)
    assert [m.current for m in view.compliance if m.qualification.code == item.qualification_code] == [0]
    assert selectors.read_current(user=officer, item=selectors.item_get(user=officer, public_id=item.public_id)) is None

    read(officer, item)  # reads the new version: current again, and both reads are kept

    record.refresh_from_db()
    assert record.current_on(date(2026, 6, 1))
    assert record.evidence_reference == "Version 2 watched on 1 June 2026"
    assert sorted(GuidanceRead.objects.filter(reader=officer).values_list("version__number", flat=True)) == [1, 2]


def test_only_the_current_version_can_be_recorded_and_only_once(make_item, make_user, read, librarian):
    officer = make_user("pc", roles=("response_officer",))
    item = make_item(roles=("response_officer",))
    read(officer, item)

    with pytest.raises(Conflict, match="already recorded"):
        read(officer, item)
    item = publish(librarian, item)
    with pytest.raises(Conflict, match="Version 2 is the current one"):
        run(operations.read_record, actor=officer, target=item, data={"version": 1})


def test_a_new_version_keeps_the_link_unless_given_and_sets_the_next_review_date(make_item, librarian):
    item = make_item()

    item = publish(librarian, item)

    assert item.current.url == "https://learning.example.police.uk/briefing"
    assert item.review_date == date(2027, 1, 1)
    assert [v.number for v in item.versions.order_by("number")] == [1, 2]


def test_a_read_of_an_item_not_required_is_kept_and_logged(make_item, make_user, read):
    officer = make_user("pc", roles=("response_officer",))
    item = make_item()

    read(officer, item)

    assert GuidanceRead.objects.filter(reader=officer).count() == 1
    assert not OfficerQualification.objects.filter(officer=officer).exists()
    row = AccessEvent.objects.filter(actor=officer, operation=Operation.ALTERATION).latest("pk")
    assert row.detail["step"] == "guidance_read"


def test_no_longer_required_switches_the_qualification_off(make_item, librarian):
    item = make_item(roles=("response_officer",))

    run(operations.required_roles_set, actor=librarian, target=item, data={"roles": []})

    qualification = Qualification.objects.get(code=item.qualification_code)
    assert not qualification.active
    assert not qualification.mandatory


def test_a_retired_item_leaves_the_library_and_cannot_be_read_or_changed(make_item, make_user, librarian):
    officer = make_user("pc", roles=("response_officer",))
    item = make_item(roles=("response_officer",))

    run(operations.item_retire, actor=librarian, target=item, data={"reason": "Replaced by the national guidance."})

    assert selectors.item_list(user=officer) == []
    assert [i.title for i in selectors.item_list(user=librarian, retired=True)] == [item.title]
    assert not Qualification.objects.get(code=item.qualification_code).active
    with pytest.raises(Conflict):
        run(operations.read_record, actor=officer, target=item, data={"version": 1})
    with pytest.raises(Conflict):
        publish(librarian, item)


def test_the_library_filters_by_place_and_title(make_item, make_user):
    officer = make_user("pc")
    make_item("What to do when a child is reported missing", places=("reporting_missing",))
    make_item("Sharing information with partners", kind="document", places=("child_concern_referral",))

    assert [i.title for i in selectors.item_list(user=officer, place="child_concern_referral")] == [
        "Sharing information with partners"
    ]
    assert [i.title for i in selectors.item_list(user=officer, q="child missing")] == [
        "What to do when a child is reported missing"
    ]
    assert len(selectors.item_list(user=officer)) == 2


def test_an_owner_sees_their_items_due_for_review(make_item, make_user):
    owner = make_user("insp", roles=("inspector",), rank="INSP")
    make_item("Soon", owner="insp", review_date=date(2026, 6, 20))
    make_item("Later", owner="insp", review_date=date(2026, 12, 20))
    make_item("Someone else's", review_date=date(2026, 6, 20))

    assert [i.title for i in selectors.due_for_review(user=owner)] == ["Soon"]


def test_who_must_read_it_counts_the_current_version_and_logs_the_officers_shown(make_item, make_user, read, librarian):
    reader = make_user("pc1", roles=("call_handler",))
    make_user("pc2", roles=("call_handler",))
    make_user("pc3", roles=("investigator",))  # not required of them
    item = make_item(roles=("call_handler",))
    read(reader, item)
    item = selectors.item_get(user=librarian, public_id=item.public_id)

    readers = selectors.readers(user=librarian, item=item)

    assert (readers.read, readers.total, readers.percent) == (1, 2, 50)
    row = AccessEvent.objects.filter(actor=librarian, operation=Operation.CONSULTATION).latest("pk")
    assert sorted(row.detail["officers"]) == ["pc1", "pc2"]
