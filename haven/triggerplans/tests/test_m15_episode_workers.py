"""M-15 for whoever works the episode: the officer who owns a child's missing episode sees the child's
current trigger plan (on the episode page, the plan actions offer and the briefing sheet) even when
the plan was written by a team beyond their reach, logged with its purpose; and the plan's owner is
told when the child goes missing again."""

from __future__ import annotations

from typing import Any

import pytest

from haven.audit.models import AccessEvent
from haven.core.testing import sign_in
from haven.missing import selectors as missing_selectors
from haven.triggerplans import selectors
from haven.triggerplans.selectors import LOCATING

pytestmark = pytest.mark.django_db

ACTIONS = [{"kind": "address", "target": "Flat 3, 22 Harehills Lane, Leeds", "instructions": "Friend's flat"}]


@pytest.fixture
def plan_owner(make_user: Any) -> Any:
    return make_user("ppu_sarge", roles=("supervisor",), team="IMU")


@pytest.fixture
def worker(make_user: Any) -> Any:
    """A response officer of another team, who reports (and so owns) the child's new episode."""
    return make_user("resp_pc", roles=("response_officer",), team="RESP-A")


@pytest.fixture
def setting(plan_owner: Any, worker: Any, make_user: Any, make_child: Any, make_plan: Any, make_episode: Any) -> Any:
    """The child's plan, by another team; their new episode, reported by the worker's sergeant and
    handed over to the worker (M-10), who now owns it."""
    from haven.cases.schemas import HandoverIn
    from haven.cases.services import case_handover, case_handover_acknowledge

    child = make_child()
    plan = make_plan(plan_owner, child, actions=ACTIONS)
    sergeant = make_user("resp_sarge", roles=("supervisor",), team="RESP-A")
    episode = make_episode(sergeant, child)
    case_handover(actor=sergeant, case=episode.case, data=HandoverIn(to_user=worker.username, reason="To trace"))
    case_handover_acknowledge(actor=worker, case=episode.case)
    episode.refresh_from_db()
    episode.case.refresh_from_db()
    assert episode.case.owner == worker
    return child, plan, episode


def test_m15_the_plan_is_beyond_the_officers_own_reach(setting: Any, worker: Any) -> None:
    child, _, _ = setting
    assert selectors.current_plan(user=worker, child=child) is None


def test_m15_episode_owner_sees_the_current_plan_logged_with_its_purpose(setting: Any, worker: Any) -> None:
    child, plan, episode = setting
    found = selectors.current_plan_for_episode(user=worker, child=child, episode_case=episode.case)
    assert found is not None
    assert found.pk == plan.pk
    logged = AccessEvent.objects.filter(actor=worker, justification__startswith=LOCATING).order_by("-id").first()
    assert logged is not None
    assert logged.detail["purpose"] == LOCATING
    assert logged.justification_kind == "locating"


def test_m15_someone_who_cannot_see_the_episode_gets_no_plan(setting: Any, make_user: Any) -> None:
    child, _, episode = setting
    stranger = make_user("other_pc", roles=("response_officer",), team="MISS")
    from haven.cases.selectors import case_visible_to

    if case_visible_to(stranger).filter(pk=episode.case.pk).exists():
        pytest.skip("every officer may see this episode: nothing to refuse")
    assert selectors.current_plan_for_episode(user=stranger, child=child, episode_case=episode.case) is None


def test_m15_episode_page_and_plan_for_the_briefing_go_to_the_episode_owner(setting: Any, worker: Any, client: Any):
    child, _, episode = setting
    sign_in(client, worker)
    page = client.get(f"/missing/{episode.public_id}/").content.decode()
    assert "Harehills Lane" in page
    assert len(missing_selectors.trigger_plan_actions(user=worker, child=child, episode=episode)) == 1
    shown = missing_selectors.trigger_plan(user=worker, child=child, episode=episode)  # the briefing's too
    assert shown["plan"] is not None
    assert ["Harehills Lane" in a.text for a in shown["actions"]] == [True]


def test_m15_plan_owner_is_told_the_child_is_missing_again(setting: Any, plan_owner: Any) -> None:
    from haven.notifications.models import Notification

    child, plan, episode = setting
    told = Notification.objects.filter(recipient=plan_owner, case=plan.case)
    assert told.count() == 1
    note = told.get()
    assert child.surname not in note.subject
    assert child.surname not in note.body
    assert str(episode.public_id) in note.link


def test_m15_plan_owner_who_reports_is_not_told(plan_owner: Any, make_child: Any, make_plan: Any, make_episode: Any):
    from haven.notifications.models import Notification

    child = make_child()
    plan = make_plan(plan_owner, child, actions=ACTIONS)
    make_episode(plan_owner, child)
    assert not Notification.objects.filter(recipient=plan_owner, case=plan.case).exists()
