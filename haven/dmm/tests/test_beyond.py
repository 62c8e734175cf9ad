"""The board's officers working beyond their competence (issue 18): an inspector's override of the gate
in force shows, with who, and counts in the header; it leaves when the override ends."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.dmm.board import board_build
from haven.dmm.sections import Filters
from haven.workforce import services
from haven.workforce.choices import Activity
from haven.workforce.schemas import OverrideGrantIn

pytestmark = pytest.mark.django_db


def test_dmm_board_counts_officers_working_beyond_their_competence(make_user, clock):
    officer = make_user("pc2", team="ALPHA")
    inspector = make_user("insp", roles=("inspector",))
    services.override_grant(
        actor=inspector,
        officer=officer,
        data=OverrideGrantIn(activity=Activity.ARMS_ASSESSMENT, reason="Assessor on leave"),
    )

    board = board_build(user=inspector, filters=Filters())

    view = board.section("beyond")
    assert view is not None
    assert view.total == 1
    assert view.rows[0].officer == officer
    assert next(c for c in board.counts if c.key == "beyond").value == 1
    logged = AccessEvent.objects.filter(actor=inspector, operation=Operation.CONSULTATION).latest("pk")
    assert logged.detail["officers"] == ["pc2"]
    beta = board_build(user=inspector, filters=Filters(team="BETA"), log=False).section("beyond")
    assert beta is not None
    assert beta.total == 0
    clock.travel(timedelta(days=8))  # the override has ended
    later = board_build(user=inspector, filters=Filters(), log=False).section("beyond")
    assert later is not None
    assert later.total == 0


def test_the_board_page_lists_the_officer_under_an_override(make_user, signed_in):
    client, inspector = signed_in(username="insp2", roles=("inspector",))
    officer = make_user("pc3", team="ALPHA")
    services.override_grant(
        actor=inspector,
        officer=officer,
        data=OverrideGrantIn(activity=Activity.KIRAT_ASSESSMENT, reason="Online team short this week"),
    )

    page = client.get("/dmm/")

    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "8. Officers working beyond their competence" in text
    assert "1 officer" in text
    assert f"{officer.rank_and_name}" in text
    assert "Online team short this week" in text
