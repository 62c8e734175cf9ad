"""The meeting (D-02): decisions create actions with an owner and a due time, each a deadline; open
actions carry into the next meeting; a closed meeting is read-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, transaction

from haven.core import clock
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.dmm.choices import ActionState, MeetingState
from haven.dmm.deadlines import action_key
from haven.dmm.tests.meetings import action, cancel, close, done, start
from haven.dmm.tests.meetings import decide as record

pytestmark = pytest.mark.django_db


def decide(meeting: Any, case: Any, actor: Any, owner: Any, *, hours: int = 4, what: str = "Check the address") -> Any:
    return record(
        meeting, case, actor, action(owner, hours=hours, what=what), text="Keep high risk; search the address."
    )


def test_d02_each_action_becomes_a_deadline_for_its_owner(inspector: Any, officer: Any, board_episode: Any) -> None:
    from haven.deadlines.models import Deadline

    case = board_episode(officer).case
    meeting = start(inspector)
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
    missing: str, inspector: Any, officer: Any, board_episode: Any
) -> None:
    from haven.dmm.models import Decision

    case = board_episode(officer).case
    meeting = start(inspector)
    spec = {**action(officer, hours=1, what="Do it"), missing: None}
    with pytest.raises(ValidationFailed) as failure:
        record(meeting, case, inspector, spec)
    assert list(failure.value.fields) == [f"actions.0.{missing}"]
    assert not Decision.objects.exists()  # nothing half-written


def test_d02_action_owner_must_be_able_to_see_the_case(inspector: Any, make_user: Any, board_episode: Any) -> None:
    case = board_episode(inspector).case
    outsider = make_user("outsider", roles=("response_officer",), team="OTHER")
    meeting = start(inspector)
    with pytest.raises(ValidationFailed) as failure:
        decide(meeting, case, inspector, outsider)
    assert failure.value.fields == {"actions.0.owner": ["Test Outsider cannot see this case: choose someone who can"]}


def test_d02_action_due_time_must_be_in_the_future(inspector: Any, officer: Any, board_episode: Any) -> None:
    case = board_episode(officer).case
    meeting = start(inspector)
    with pytest.raises(ValidationFailed) as failure:
        decide(meeting, case, inspector, officer, hours=-1)
    assert failure.value.fields == {"actions.0.due_at": ["The due time must be in the future"]}


def test_d02_open_actions_carry_into_the_next_meeting_done_ones_do_not(
    inspector: Any, officer: Any, board_episode: Any
) -> None:
    case = board_episode(officer).case
    first = start(inspector)
    still_open = decide(first, case, inspector, officer, what="Still open").actions.get()
    finished = decide(first, case, inspector, officer, what="Done").actions.get()
    cancelled = decide(first, case, inspector, officer, what="Cancelled").actions.get()
    done(officer, finished, "Address checked: not there.")
    cancel(inspector, cancelled, "Child found")
    close(inspector, first)

    second = start(inspector)
    carried = {item.action_id for item in second.agenda.filter(carried=True)}
    assert carried == {still_open.pk}

    # Still not done after the second meeting: it carries again into the third.
    close(inspector, second)
    third = start(inspector)
    assert {i.action_id for i in third.agenda.filter(carried=True)} == {still_open.pk}


def test_d02_action_done_meets_its_deadline_and_cancel_cancels_it(
    inspector: Any, officer: Any, board_episode: Any
) -> None:
    from haven.deadlines.models import Deadline

    case = board_episode(officer).case
    meeting = start(inspector)
    finished = decide(meeting, case, inspector, officer, what="A").actions.get()
    cancelled = decide(meeting, case, inspector, officer, what="B").actions.get()
    done(officer, finished, "Done it")
    cancel(inspector, cancelled, "No longer needed")
    assert Deadline.objects.get(key=action_key(finished.public_id)).state == "met"
    assert Deadline.objects.get(key=action_key(cancelled.public_id)).state == "cancelled"
    with pytest.raises(Conflict):
        done(officer, finished, "Again")


def test_only_the_owner_or_a_chair_records_an_action_done(
    inspector: Any, officer: Any, make_user: Any, board_episode: Any
) -> None:
    case = board_episode(officer).case
    colleague = make_user("colleague", roles=("response_officer",), team="RESP-A")
    meeting = start(inspector)
    action = decide(meeting, case, inspector, officer).actions.get()
    with pytest.raises(Forbidden):
        done(colleague, action, "Not mine")


def test_d02_closed_meeting_is_read_only(inspector: Any, officer: Any, board_episode: Any) -> None:
    from haven.dmm.models import Decision, Meeting

    case = board_episode(officer).case
    meeting = start(inspector)
    decide(meeting, case, inspector, officer)
    close(inspector, meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    with pytest.raises(Conflict):
        decide(meeting, case, inspector, officer)
    with pytest.raises(Conflict):
        close(inspector, meeting)
    # The database refuses too, whatever writes.
    with pytest.raises((IntegrityError, InternalError, ProgrammingError)), transaction.atomic():
        Decision.objects.create(meeting=meeting, case=case, text="Sneaked in", recorded_by=inspector)
    with pytest.raises((IntegrityError, InternalError, ProgrammingError)), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(other_attendees="Changed")


def test_closing_keeps_how_each_action_stood(inspector: Any, officer: Any, board_episode: Any) -> None:
    case = board_episode(officer).case
    meeting = start(inspector)
    action = decide(meeting, case, inspector, officer).actions.get()
    close(inspector, meeting)
    done(officer, action, "Done the day after")
    item = meeting.agenda.get(action=action)
    assert item.state_at_close == ActionState.OPEN  # the closed record does not change
    action.refresh_from_db()
    assert action.state == ActionState.DONE


def test_one_meeting_at_a_time(inspector: Any) -> None:
    start(inspector)
    with pytest.raises(Conflict):
        start(inspector)


def test_only_a_chair_runs_a_meeting(officer: Any, inspector: Any, board_episode: Any) -> None:
    with pytest.raises(Forbidden):
        start(officer)
    meeting = start(inspector)
    with pytest.raises(Forbidden):
        decide(meeting, board_episode(officer).case, officer, officer)
    with pytest.raises(Forbidden):
        close(officer, meeting)
    close(inspector, meeting)
    with pytest.raises(ValidationFailed) as failure:  # the chair must be someone who may chair
        start(inspector, chair=officer.username)
    assert list(failure.value.fields) == ["chair"]


def test_decision_on_a_case_the_chair_cannot_see_is_not_found(
    inspector: Any, make_user: Any, board_episode: Any
) -> None:
    from haven.cases.models import Case

    other = make_user("o", roles=("response_officer",), team="RESP-B")
    case = board_episode(other).case
    Case.objects.filter(pk=case.pk).update(sensitivity="restricted")
    case.refresh_from_db()
    meeting = start(inspector)
    with pytest.raises(NotFound):
        decide(meeting, case, inspector, other)


def test_d01_closing_keeps_the_board_as_it_stood_narrowed_to_each_reader(
    inspector: Any, make_user: Any, board_episode: Any
) -> None:
    from haven.dmm.selectors import board_at_close
    from haven.missing.models import Episode

    team_a = make_user("a", roles=("response_officer",), team="RESP-A")
    team_b = make_user("b", roles=("response_officer",), team="RESP-B")
    seen = board_episode(team_a)
    unseen = board_episode(team_b)
    meeting = start(inspector)
    close(inspector, meeting)
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
