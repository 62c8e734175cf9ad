"""The Deadlines page: my deadlines, my team's, and every deadline I can see, each tab with its count.
An inspector owns no deadline and leads no team's queue, yet their DMM board lists every deadline on the
cases they may see: the page opens on the first tab with any, so it lists what the board does."""

from __future__ import annotations

import re
from datetime import timedelta

from haven.core.testing import sign_in
from haven.deadlines.selectors import deadline_feed
from haven.deadlines.tests.test_home import board  # noqa: F401 - the fixture: four deadlines on one case


def _tasks(page: str) -> list[str]:
    return re.findall(r"Task (\w+)", page)


def test_an_inspector_sees_on_the_deadlines_page_what_their_board_lists(client, board, ranks):  # noqa: F811
    inspector = ranks["inspector"]
    sign_in(client, inspector)

    page = client.get("/deadlines/").content.decode()

    on_the_board = [d.what.removeprefix("Task ") for d in deadline_feed(user=inspector, within=timedelta(days=1))]
    assert len(on_the_board) == 4
    assert _tasks(page) == ["late", "sarge", "soon", "later"]
    assert sorted(_tasks(page)) == sorted(on_the_board)
    assert 'aria-current="page" data-testid="tab-all">Every deadline I can see (4)' in page
    assert "My deadlines (0)" in page
    assert "No open deadlines" not in page


def test_the_tabs_count_and_an_empty_tab_points_to_every_deadline(client, board, ranks):  # noqa: F811
    inspector = ranks["inspector"]
    sign_in(client, inspector)

    mine = client.get("/deadlines/?show=mine").content.decode()

    assert _tasks(mine) == []
    assert "You have no open deadlines." in mine
    assert 'href="/deadlines/?show=all">See every deadline you can see (4)' in mine


def test_someone_with_deadlines_of_their_own_lands_on_them(client, board, ranks):  # noqa: F811
    sign_in(client, ranks["sergeant"])
    page = client.get("/deadlines/").content.decode()
    assert _tasks(page) == ["sarge"]
    assert "My deadlines (1)" in page
    assert "My team&#x27;s deadlines (3)" in page


def test_a_stranger_sees_no_deadline_of_a_case_they_may_not_see(client, board, ranks):  # noqa: F811
    sign_in(client, ranks["stranger"])
    page = client.get("/deadlines/?show=all").content.decode()
    assert _tasks(page) == []
    assert "There are no open deadlines on the cases you can see." in page
