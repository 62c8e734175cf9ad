"""The DMM board's section 5 (D-01, S-02): referrals not yet reviewed or shared, oldest first, with what
each waits for; one about a restricted case only for those who may see the case; a header count."""

# ruff: noqa: F811 - the referrals' own fixtures, imported below, are the tests' parameters
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from haven.cases.choices import Sensitivity
from haven.cases.models import Case
from haven.dmm.board import board_build
from haven.dmm.sections import Filters
from haven.referrals import services
from haven.referrals.schemas import DecideIn, ReviewIn
from haven.referrals.tests.conftest import agency, child, crsu, officer, raise_referral, share  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _section(user, filters=None):
    board = board_build(user=user, filters=filters or Filters(), log=False)
    view = board.section("referrals")
    assert view is not None, "section 5 is on the board"
    count = next(c for c in board.counts if c.key == "referrals")
    return view, count


def test_s02_the_board_lists_referrals_waiting_oldest_first_until_decided_and_reviewed(
    raise_referral, crsu, share, make_child, clock
):
    first = raise_referral()
    clock.travel(timedelta(hours=2))
    second = raise_referral(about=make_child("Tom", "Holt", age=6))
    inspector = crsu["inspector"]

    view, count = _section(inspector)

    assert [r.referral for r in view.rows] == [first, second]
    assert count.value == view.total == 2
    assert view.rows[0].waiting_for == "The CRSU's decision"
    assert view.rows[0].person == first.people.get(role="child").person

    services.referral_decide(actor=crsu["lead"], referral=first, data=DecideIn.model_validate(share))
    view, _ = _section(inspector)
    assert [(r.referral, r.waiting_for) for r in view.rows] == [
        (first, "A supervisor's review"),
        (second, "The CRSU's decision"),
    ]

    services.referral_review(actor=crsu["sergeant"], referral=first, data=ReviewIn(note="Right call."))
    view, count = _section(inspector)
    assert [r.referral for r in view.rows] == [second]
    assert count.value == 1


def test_s02_the_board_narrows_referrals_to_the_team_and_shows_none_for_an_area(raise_referral, crsu):
    raise_referral()  # by PC Jones of RESP-A
    inspector = crsu["inspector"]

    assert _section(inspector, Filters(team="RESP-A"))[0].total == 1
    assert _section(inspector, Filters(team="RESP-B"))[0].total == 0
    assert _section(inspector, Filters(area="Leeds"))[0].total == 0


def test_a_referral_about_a_restricted_case_is_not_on_the_board_of_someone_who_may_not_see_the_case(
    raise_referral, crsu
):
    referral = raise_referral()
    Case.objects.filter(pk=referral.case_id).update(sensitivity=Sensitivity.RESTRICTED)

    assert _section(crsu["inspector"])[0].total == 0


def test_the_board_page_shows_section_5_with_the_referral(raise_referral, crsu, signed_in):
    referral = raise_referral()
    client, _ = signed_in(username="dmmchair", roles=("inspector",))

    page = client.get("/dmm/")

    assert page.status_code == 200
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
    assert "5. Child concern referrals not yet reviewed or shared" in text
    assert "1 referral " in text
    assert referral.reference in text
    assert "The CRSU's decision" in text
