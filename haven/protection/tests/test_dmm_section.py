"""The DMM board's section 3 (D-01, PP-01): children in police protection, the fewest hours left first,
with the notifications done and missing and the designated officer; a header count."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest

from haven.core.operations import run
from haven.core.testing import sign_in
from haven.protection import operations
from haven.protection.tests.conftest import record_all

pytestmark = pytest.mark.django_db

# The board is the DMM's (above this app): reached by name, as a test of what this app shows there.
board_build = importlib.import_module("haven.dmm.board").board_build
Filters = importlib.import_module("haven.dmm.sections").Filters


def _section(user, filters=None):
    board = board_build(user=user, filters=filters or Filters(), log=False)
    view = board.section("protection")
    assert view is not None
    assert view.available
    count = next(c for c in board.counts if c.key == "protection")
    return view, count


def test_d01_the_board_lists_children_in_police_protection_fewest_hours_left_first(
    client, start, force, make_child, clock
):
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    later = start(hours_ago=10)
    sooner = start(hours_ago=60, about=make_child("Sam", "Reed", age=4))
    record_all(later, force)

    view, count = _section(force["designated"])

    assert [r.protection for r in view.rows] == [sooner, later]
    assert count.value == view.total == 2
    assert view.rows[0].hours_left == 12
    assert view.rows[0].details["notifications_done"] == 0
    assert view.rows[1].details["notifications_missing"] is None
    assert view.rows[0].details["notifications_missing"].startswith("LA where found, LA where the child lives")
    assert view.rows[0].details["designated_officer"] == force["designated"].rank_and_name
    sign_in(client, force["designated"])
    page = client.get("/dmm/").content.decode()
    assert "Children in police protection" in page
    assert "12 h left" in page
    assert "Missing: LA where found; LA where the child lives" in page


def test_d01_an_ended_police_protection_leaves_the_board(start, force, clock):
    protection = start(hours_ago=5)
    record_all(protection, force)
    run(
        operations.protection_end,
        actor=force["designated"],
        target=protection,
        data={"ended_at": clock.now().isoformat(), "outcome": "released", "decision": "Released to grandmother."},
    )
    view, count = _section(force["designated"])
    assert view.rows == []
    assert count.value == 0


def test_pp10_the_dmm_pack_shows_police_protection_and_never_calls_it_an_order(start, force):
    """The meeting's pack (the PDF's document, open and as kept at the close) names the child in police
    protection with the hours left, never as a court order."""
    from haven.core import operations as registered
    from haven.protection.tests.test_pages import FORBIDDEN

    pack_build = importlib.import_module("haven.dmm.pdf").pack_build
    start(hours_ago=30)
    meeting = run(registered.get("dmm.meeting_start"), actor=force["designated"], data={})
    html = pack_build(user=force["designated"], meeting=meeting).html
    assert "Children in police protection" in html
    assert "Lily Marsh" in html
    assert not FORBIDDEN.search(html)
