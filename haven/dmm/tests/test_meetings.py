"""The meeting (D-02): decisions create actions with an owner and a due time, each a deadline; open
actions carry into the next meeting; a closed meeting is read-only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, transaction

from haven.core import clock
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.dmm import services
from haven.dmm.choices import ActionState, MeetingState
from haven.dmm.deadlines import action_key

pytestmark = pytest.mark.django_db


def decide(meeting: Any, case: Any, actor: Any, owner: Any, *, hours: int = 4, what: str = "Check the address") -> Any:
    return services.decision_record(
        actor=actor,
        meeting=meeting,
        case=case,
        section="missing",
        text="Keep high risk; search the address.",
        actions=[{"what": what, "owner": owner, "due_at": clock.now() + timedelta(hours=hours)}],
    )


def test_d02_each_action_becomes_a_deadline_for_its_owner(inspector: Any, officer: Any, make_episode: Any) -> None:
    from haven.deadlines.models import Deadline

    case = make_episode(officer).case
    meeting = services.meeting_start(actor=inspector)
    decision = decide(meeting, case, inspector, officer, hours=6)
    (action,) = decision.actions.all()
    deadline = Deadline.objects.get(case=case, key=action_key(action.public_id))
    assert deadline.kind == "dmm.action"
    assert deadline.rule_id == "D-02"
    assert deadline.responsible_user == officer
    assert deadline.due_at == action.due_at
    assert deadline.state == "open"


@pytest.mark.parametrize("missing", ["what", "owner", "due_at"])
def test_d02_an_action_needs_what_an_owner_and_a_due_time(
    missing: str, inspector: Any, officer: Any, make_episode: Any
) -> None:
    from haven.dmm.models import Decision

    case = make_episode(officer).case
    meeting = services.meeting_start(actor=inspector)
    spec = {"what": "Do it", "owner": officer, "due_at": clock.now() + timedelta(hours=1), missing: None}
    with pytest.raises(ValidationFailed) as failure:
        services.decision_record(actor=inspector, meeting=meeting, case=case, text="Decided", actions=[spec])
    assert f"action_1_{missing}" in failure.value.fields
    assert not Decision.objects.exists()  # nothing half-written


def test_d02_action_owner_must_be_able_to_see_the_case(inspector: Any, make_user: Any, make_episode: Any) -> None:
    case = make_episode(inspector).case
    outsider = make_user("outsider", roles=("response_officer",), team="OTHER")
    meeting = services.meeting_start(actor=inspector)
    with pytest.raises(ValidationFailed) as failure:
        decide(meeting, case, inspector, outsider)
    assert "action_1_owner" in failure.value.fields


def test_d02_action_due_time_must_be_in_the_future(inspector: Any, officer: Any, make_episode: Any) -> None:
    case = make_episode(officer).case
    meeting = services.meeting_start(actor=inspector)
    with pytest.raises(ValidationFailed):
        decide(meeting, case, inspector, officer, hours=-1)


def test_d02_open_actions_carry_into_the_next_meeting_done_ones_do_not(
    inspector: Any, officer: Any, make_episode: Any
) -> None:
    case = make_episode(officer).case
    first = services.meeting_start(actor=inspector)
    still_open = decide(first, case, inspector, officer, what="Still open").actions.get()
    done = decide(first, case, inspector, officer, what="Done").actions.get()
    cancelled = decide(first, case, inspector, officer, what="Cancelled").actions.get()
    services.action_complete(actor=officer, action=done, outcome="Address checked: not there.")
    services.action_cancel(actor=inspector, action=cancelled, reason="Child found")
    services.meeting_close(actor=inspector, meeting=first)

    second = services.meeting_start(actor=inspector)
    carried = {item.action_id for item in second.agenda.filter(carried=True)}
    assert carried == {still_open.pk}

    # Still not done after the second meeting: it carries again into the third.
    services.meeting_close(actor=inspector, meeting=second)
    third = services.meeting_start(actor=inspector)
    assert {i.action_id for i in third.agenda.filter(carried=True)} == {still_open.pk}


def test_d02_action_done_meets_its_deadline_and_cancel_cancels_it(
    inspector: Any, officer: Any, make_episode: Any
) -> None:
    from haven.deadlines.models import Deadline

    case = make_episode(officer).case
    meeting = services.meeting_start(actor=inspector)
    done = decide(meeting, case, inspector, officer, what="A").actions.get()
    cancelled = decide(meeting, case, inspector, officer, what="B").actions.get()
    services.action_complete(actor=officer, action=done, outcome="Done it")
    services.action_cancel(actor=inspector, action=cancelled, reason="No longer needed")
    assert Deadline.objects.get(key=action_key(done.public_id)).state == "met"
    assert Deadline.objects.get(key=action_key(cancelled.public_id)).state == "cancelled"
    with pytest.raises(Conflict):
        services.action_complete(actor=officer, action=done, outcome="Again")


def test_only_the_owner_or_a_chair_records_an_action_done(
    inspector: Any, officer: Any, make_user: Any, make_episode: Any
) -> None:
    case = make_episode(officer).case
    colleague = make_user("colleague", roles=("response_officer",), team="RESP-A")
    meeting = services.meeting_start(actor=inspector)
    action = decide(meeting, case, inspector, officer).actions.get()
    with pytest.raises(Forbidden):
        services.action_complete(actor=colleague, action=action, outcome="Not mine")


def test_d02_closed_meeting_is_read_only(inspector: Any, officer: Any, make_episode: Any) -> None:
    from haven.dmm.models import Decision, Meeting

    case = make_episode(officer).case
    meeting = services.meeting_start(actor=inspector)
    decide(meeting, case, inspector, officer)
    services.meeting_close(actor=inspector, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    with pytest.raises(Conflict):
        decide(meeting, case, inspector, officer)
    with pytest.raises(Conflict):
        services.meeting_close(actor=inspector, meeting=meeting)
    # The database refuses too, whatever writes.
    with pytest.raises((IntegrityError, InternalError, ProgrammingError)), transaction.atomic():
        Decision.objects.create(meeting=meeting, case=case, text="Sneaked in", recorded_by=inspector)
    with pytest.raises((IntegrityError, InternalError, ProgrammingError)), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(other_attendees="Changed")


def test_closing_keeps_how_each_action_stood(inspector: Any, officer: Any, make_episode: Any) -> None:
    case = make_episode(officer).case
    meeting = services.meeting_start(actor=inspector)
    action = decide(meeting, case, inspector, officer).actions.get()
    services.meeting_close(actor=inspector, meeting=meeting)
    services.action_complete(actor=officer, action=action, outcome="Done the day after")
    item = meeting.agenda.get(action=action)
    assert item.state_at_close == ActionState.OPEN  # the closed record does not change
    action.refresh_from_db()
    assert action.state == ActionState.DONE


def test_one_meeting_at_a_time(inspector: Any) -> None:
    services.meeting_start(actor=inspector)
    with pytest.raises(Conflict):
        services.meeting_start(actor=inspector)


def test_only_a_chair_runs_a_meeting(officer: Any, inspector: Any, make_episode: Any) -> None:
    with pytest.raises(Forbidden):
        services.meeting_start(actor=officer)
    meeting = services.meeting_start(actor=inspector)
    with pytest.raises(Forbidden):
        decide(meeting, make_episode(officer).case, officer, officer)
    with pytest.raises(Forbidden):
        services.meeting_close(actor=officer, meeting=meeting)
    services.meeting_close(actor=inspector, meeting=meeting)
    with pytest.raises(ValidationFailed):  # the chair must be someone who may chair
        services.meeting_start(actor=inspector, chair=officer)


def test_decision_on_a_case_the_chair_cannot_see_is_not_found(
    inspector: Any, make_user: Any, make_episode: Any
) -> None:
    from haven.cases.models import Case

    other = make_user("o", roles=("response_officer",), team="RESP-B")
    case = make_episode(other).case
    Case.objects.filter(pk=case.pk).update(sensitivity="restricted")
    case.refresh_from_db()
    meeting = services.meeting_start(actor=inspector)
    with pytest.raises(NotFound):
        decide(meeting, case, inspector, other)


def test_d01_closing_keeps_the_board_as_it_stood_narrowed_to_each_reader(
    inspector: Any, make_user: Any, make_episode: Any
) -> None:
    from haven.dmm.selectors import board_at_close
    from haven.missing.models import Episode

    team_a = make_user("a", roles=("response_officer",), team="RESP-A")
    team_b = make_user("b", roles=("response_officer",), team="RESP-B")
    seen = make_episode(team_a)
    unseen = make_episode(team_b)
    meeting = services.meeting_start(actor=inspector)
    services.meeting_close(actor=inspector, meeting=meeting)
    meeting.refresh_from_db()
    # Later the child is found: the kept board still shows the child as missing at the meeting.
    Episode.objects.filter(pk=seen.pk).update(state="found", found_at=clock.now())

    kept = board_at_close(user=inspector, meeting=meeting)
    assert kept is not None
    missing = next(s for s in kept["sections"] if s["key"] == "missing")
    assert {r["case_id"] for r in missing["rows"]} == {str(seen.case.public_id), str(unseen.case.public_id)}
    assert {s["key"] for s in kept["sections"]} >= {"missing", "protection", "custody", "overdue"}

    for_a = board_at_close(user=team_a, meeting=meeting)
    assert for_a is not None
    missing_a = next(s for s in for_a["sections"] if s["key"] == "missing")
    assert [r["case_id"] for r in missing_a["rows"]] == [str(seen.case.public_id)]
    assert missing_a["hidden"] == 1
