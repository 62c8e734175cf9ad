"""The demo meetings: yesterday's closed with actions, today's open with the open ones carried (D-02)."""

from __future__ import annotations

from typing import Any

import pytest

from haven.dmm.demo import seed_dmm

pytestmark = pytest.mark.django_db


def test_seed_dmm_creates_a_meeting_with_actions_carried_forward_once(make_user: Any, board_episode: Any) -> None:
    from haven.dmm.models import Meeting

    chair = make_user("inspector", roles=("inspector",), rank="INSP", team="RESP-A")
    board_episode(chair)
    board_episode(chair)
    assert seed_dmm() > 0
    closed, current = Meeting.objects.order_by("started_at", "id")
    assert closed.state == "closed"
    assert current.state == "open"
    assert closed.actions_raised.count() == 4
    assert current.agenda.filter(carried=True).count() == 3  # one of the four was done
    assert seed_dmm() == 0
    assert Meeting.objects.count() == 2
