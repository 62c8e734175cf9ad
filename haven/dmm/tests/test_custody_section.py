"""Section 4 (D-01, C-10): every child in custody, worst first (charged with no request for local
authority accommodation first), with the clock, the next review, the appropriate adult and the s38(6)
status; the 'In custody' count; in the pack, open and kept at the close. The detentions are made through
haven.custody's services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.core.operations import run
from haven.custody import services as custody
from haven.custody.choices import AccommodationType, BailDecision, LaResponse
from haven.custody.schemas import CustodyChargeIn, DetentionRecordIn, LaRequestIn, LaResponseIn
from haven.dmm import operations as dmm
from haven.dmm.board import board_build
from haven.dmm.pdf import pack_build
from haven.dmm.sections import Filters
from haven.workforce import services as workforce
from haven.workforce.schemas import QualificationRecordIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def suite(make_user: Any) -> dict[str, Any]:
    """A qualified custody officer and the inspector who chairs the meeting."""
    officer = make_user("custodyps", roles=("custody_officer",), rank="PS", team="CUSTODY")
    inspector = make_user("custodyinsp", roles=("inspector",), rank="INSP", team="CUSTODY")
    workforce.qualification_record(
        actor=inspector,
        officer=officer,
        data=QualificationRecordIn(
            qualification="custody_officer",
            achieved_on=clock.now().date() - timedelta(days=400),
            evidence_reference="Custody officer course",
        ),
    )
    return {"officer": officer, "inspector": inspector}


def _book(officer: Any, child: Any, reference: str) -> Any:
    now = clock.now()
    data = DetentionRecordIn(
        child=child.public_id,
        custody_reference=reference,
        arrested_at=now - timedelta(minutes=30),
        offences="Robbery",
        aa_requested_at=now,
    )
    return custody.detention_record(actor=officer, data=data)


def _charge(officer: Any, detention: Any) -> None:
    now = clock.now()
    data = CustodyChargeIn(
        charged_at=now,
        charges="Robbery",
        bail_decision=BailDecision.REFUSED,
        bail_refused_grounds="Fail to appear",
        court_at=now + timedelta(hours=16),
    )
    custody.charge_record(actor=officer, detention=detention, data=data)


def _request(officer: Any, detention: Any) -> None:
    data = LaRequestIn(la_requested_at=clock.now(), la_authority="Northshire", la_type=AccommodationType.NON_SECURE)
    custody.la_request_record(actor=officer, detention=detention, data=data)


def test_c10_dmm_lists_every_child_in_custody_worst_first(suite: Any, make_child: Any) -> None:
    officer, inspector = suite["officer"], suite["inspector"]
    detained = _book(officer, make_child("Ben", "Fox", age=14), "NS-3")
    waiting = _book(officer, make_child("Kai", "Morgan", age=15), "NS-1")
    _charge(officer, waiting)
    requested = _book(officer, make_child("Ava", "Lee", age=16), "NS-2")
    _charge(officer, requested)
    _request(officer, requested)
    board = board_build(user=inspector, filters=Filters(), log=False)
    view = board.section("custody")
    assert view is not None
    assert view.available
    assert [row.detention.custody_reference for row in view.rows] == ["NS-1", "NS-2", "NS-3"]
    assert view.rows[0].details["transfer"] == "Not requested"
    assert view.rows[2].details["next_review_due"] == detained.next_review_due.isoformat()
    assert {c.key: c.value for c in board.counts}["custody"] == 3
    now = clock.now()
    data = LaResponseIn(la_response=LaResponse.ACCEPTED, la_response_at=now, transferred_at=now)
    custody.la_response_record(actor=officer, detention=requested, data=data)  # transferred: off the board
    board = board_build(user=inspector, filters=Filters(), log=False)
    assert {c.key: c.value for c in board.counts}["custody"] == 2
    assert board_build(user=inspector, filters=Filters(area="Leeds"), log=False).section("custody").rows == []  # type: ignore[union-attr]


def test_c10_the_pack_lists_the_child_in_custody_open_and_kept_at_the_close(suite: Any, make_child: Any) -> None:
    officer, inspector = suite["officer"], suite["inspector"]
    detention = _book(officer, make_child("Kai", "Morgan", age=15), "NS-1")
    _charge(officer, detention)
    meeting = run(dmm.meeting_start, actor=inspector, data={})
    assert "NS-1" in pack_build(user=inspector, meeting=meeting).html
    run(dmm.meeting_close, actor=inspector, target=meeting, data={})
    meeting.refresh_from_db()
    kept = pack_build(user=inspector, meeting=meeting).html
    assert "NS-1" in kept
    assert "Not requested" in kept


def test_a_reader_who_may_not_see_custody_records_is_not_told_no_child_is_in_custody(
    suite: Any, make_child: Any, make_user: Any
) -> None:
    _book(suite["officer"], make_child("Ben", "Fox", age=14), "NS-3")
    sergeant = make_user("boardsgt", roles=("supervisor",), rank="PS", team="CUSTODY")

    view = board_build(user=sergeant, filters=Filters(), log=False).section("custody")

    assert view is not None
    assert view.rows == []
    assert view.section is not None
    assert view.section.empty_text == "There is no child in custody that you may see."
