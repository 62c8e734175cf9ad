"""One obligation, one record: a DMM action may name an open obligation of its case (a missing
episode's UK Missing Persons Unit notification, say). Done, it records the obligation on the episode;
the obligation recorded on the episode marks the action done."""

from __future__ import annotations

from typing import Any

import pytest

from haven import factories
from haven.core.errors import ValidationFailed
from haven.core.testing import sign_in
from haven.deadlines.models import Deadline
from haven.dmm.choices import ActionState
from haven.dmm.deadlines import action_key
from haven.dmm.tests.meetings import action, decide, done, start
from haven.missing.choices import Obligation
from haven.missing.schemas import ObligationRecordIn
from haven.missing.services import obligation_record

pytestmark = pytest.mark.django_db

UKMPU = "Notify the UK Missing Persons Unit"


def _key(episode: Any, obligation: Obligation) -> str:
    """The deadline key of one of the episode's high-risk obligations (haven.missing.deadlines spells it)."""
    return f"episode:{episode.public_id}:high:{obligation.value}"


def _record_on_episode(actor: Any, episode: Any) -> None:
    obligation_record(actor=actor, episode=episode, data=ObligationRecordIn(obligation=Obligation.UKMPU))


@pytest.fixture
def sergeant(make_user: Any) -> Any:
    return make_user("sarge", roles=("supervisor",), rank="PS", team="RESP-A")


@pytest.fixture
def high_risk(sergeant: Any, make_episode: Any) -> Any:
    """A child's episode graded high by the sergeant who reported it: its M-07 obligations are deadlines."""
    episode = make_episode(sergeant)
    factories.assessment(assessor=sergeant, episode=episode, grade="high")
    episode.refresh_from_db()
    return episode


def _ukmpu_action(inspector: Any, sergeant: Any, episode: Any) -> Any:
    meeting = start(inspector)
    meets = _key(episode, Obligation.UKMPU)
    decision = decide(
        meeting, episode.case, inspector, {**action(sergeant, what="Record UKMPU notification"), "meets": meets}
    )
    return meeting, decision.actions.get()


def test_dmm_action_done_meets_the_obligation_it_names(inspector: Any, sergeant: Any, high_risk: Any) -> None:
    _, act = _ukmpu_action(inspector, sergeant, high_risk)
    assert act.meets_label == UKMPU
    done(sergeant, act, "Notified UKMPU by phone, ref 123")
    high_risk.refresh_from_db()
    assert high_risk.ukmpu_notified_at is not None
    obligation = Deadline.objects.get(case=high_risk.case, key=_key(high_risk, Obligation.UKMPU))
    assert obligation.state == "met"
    assert Deadline.objects.get(key=action_key(act.public_id)).state == "met"


def test_obligation_recorded_on_the_episode_meets_the_dmm_action(inspector: Any, sergeant: Any, high_risk: Any) -> None:
    _, act = _ukmpu_action(inspector, sergeant, high_risk)
    _record_on_episode(sergeant, high_risk)
    act.refresh_from_db()
    assert act.state == ActionState.DONE
    assert "UK Missing Persons Unit notified" in act.outcome
    assert Deadline.objects.get(key=action_key(act.public_id)).state == "met"


def test_an_action_names_only_an_open_obligation_of_its_case(inspector: Any, sergeant: Any, high_risk: Any) -> None:
    meeting = start(inspector)
    _record_on_episode(sergeant, high_risk)
    already = _key(high_risk, Obligation.UKMPU)
    with pytest.raises(ValidationFailed) as exc:
        decide(meeting, high_risk.case, inspector, {**action(sergeant), "meets": already})
    assert "actions.0.meets" in exc.value.fields


def test_decision_page_offers_the_open_obligations_and_the_meeting_shows_the_link(
    client: Any, inspector: Any, sergeant: Any, high_risk: Any
) -> None:
    meeting = start(inspector)
    sign_in(client, inspector)
    page = client.get(f"/dmm/meetings/{meeting.public_id}/decide/?case={high_risk.case.public_id}&section=missing")
    assert page.status_code == 200
    assert UKMPU in page.content.decode()
    decide(
        meeting,
        high_risk.case,
        inspector,
        {**action(sergeant, what="Record UKMPU"), "meets": _key(high_risk, Obligation.UKMPU)},
    )
    shown = client.get(f"/dmm/meetings/{meeting.public_id}/").content.decode()
    assert f"Meets: {UKMPU}" in shown


def test_api_lists_a_cases_open_obligations(client: Any, inspector: Any, high_risk: Any) -> None:
    sign_in(client, inspector)
    answer = client.get(f"/api/v1/dmm/cases/{high_risk.case.public_id}/obligations")
    assert answer.status_code == 200, answer.content
    assert {"key": _key(high_risk, Obligation.UKMPU), "label": UKMPU} in answer.json()


def test_a_dmm_action_stays_with_the_person_the_meeting_named_when_the_case_changes_owner(
    inspector: Any, make_user: Any, make_case: Any
) -> None:
    from haven.cases.services import CaseAllocateIn, case_allocate
    from haven.deadlines.choices import ResponsibleKind

    officer = make_user("owner1", roles=("response_officer",), team="RESP")
    sergeant = make_user("sgt1", roles=("supervisor",), team="RESP")
    case = make_case(officer)
    decision = decide(start(inspector), case, inspector, action(officer, what="Visit the address"))
    named = decision.actions.get()
    case_allocate(actor=sergeant, case=case, data=CaseAllocateIn(to_user=sergeant.username))
    deadline = Deadline.objects.get(case=case, key=action_key(named.public_id))
    assert deadline.responsible_kind == ResponsibleKind.NAMED
    assert deadline.responsible_user == officer


def test_the_owner_the_meeting_named_meets_the_obligation_without_the_right_to_edit_the_case(
    inspector: Any, high_risk: Any, make_user: Any
) -> None:
    """A sergeant of another team (who sees every case but edits only their team's) was given the UKMPU
    notification at the meeting: marking the action done records it on the episode."""
    other = make_user("othersgt", roles=("supervisor",), team="OTHER")
    _, act = _ukmpu_action(inspector, other, high_risk)
    done(other, act, "Notified UKMPU by phone, ref 456")
    high_risk.refresh_from_db()
    assert high_risk.ukmpu_notified_at is not None
