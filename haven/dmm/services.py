"""Every write of the daily management meeting (D-02): start, decide, act, close. One transaction each;
every action becomes a deadline (kind ``dmm.action``) on its case through haven.deadlines.services.

Each write a page or the API makes is declared in ``haven.dmm.operations`` with its input model
(``haven.dmm.schemas``) and permission; these functions keep the meeting's state, the people and cases
they look up, D-02 and the s62 rows. Printing the pack is a read, logged as a disclosure
(:func:`pack_disclosed`, called by haven.dmm.pdf), not a write of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.audit.choices import JustificationKind, Operation
from haven.cases import s62
from haven.cases.selectors import case_get, case_visible_to
from haven.core import clock
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.deadlines import services as deadlines
from haven.deadlines.choices import ResponsibleKind
from haven.dmm import rules
from haven.dmm.choices import ActionState, MeetingState
from haven.dmm.deadlines import ACTION, action_key
from haven.dmm.models import Action, Decision, Meeting, MeetingAction
from haven.dmm.schemas import (
    WHAT_MAX,
    ActionCancelIn,
    ActionDoneIn,
    ActionIn,
    DecisionIn,
    MeetingCloseIn,
    MeetingStartIn,
)

if TYPE_CHECKING:
    from haven.cases.models import Case


def _require_open(meeting: Meeting) -> None:
    if meeting.state != MeetingState.OPEN:
        raise Conflict("This meeting is closed: its record is read-only.")


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _user_named(username: str, field: str) -> User:
    """The active user ``username``; ValidationFailed on ``field`` when there is none."""
    user = User.objects.filter(username=username, is_active=True).select_related("rank").first()
    if user is None:
        message = f"There is no active user {username}"
        raise ValidationFailed(message, fields={field: [message]})
    return user


@transaction.atomic
def meeting_start(*, actor: User, data: MeetingStartIn) -> Meeting:
    """Start the day's meeting. Every action still open from earlier meetings is carried into it (D-02).

    One meeting is open at a time: close the last one first (Conflict otherwise). The chair is
    ``actor`` unless the data names another who may chair.
    """
    chair = _user_named(data.chair, "chair") if data.chair else actor
    if not chair.is_active or not chair.has_perm(Perm.DMM_MEETING_CHAIR):
        raise ValidationFailed(
            "The chair must be someone who may chair the meeting.",
            fields={"chair": ["Choose an inspector or above to chair the meeting"]},
        )
    attendees = [_user_named(name, "attendees") for name in dict.fromkeys(data.attendees)]
    # Serialise starts: the partial unique constraint refuses a second open meeting anyway.
    if Meeting.objects.select_for_update().filter(state=MeetingState.OPEN).exists():
        raise Conflict("A meeting is already in progress: close it before starting another.")
    meeting = Meeting.objects.create(
        held_on=data.held_on or timezone.localdate(clock.now()),
        chair=chair,
        other_attendees=data.other_attendees,
        started_by=actor,
        started_at=clock.now(),
    )
    meeting.attendees.set({chair, *attendees})
    carried = [
        a
        for a in Action.objects.filter(state=ActionState.OPEN).select_related("case__subject")
        if rules.d02_carries_forward(a.state)
    ]
    MeetingAction.objects.bulk_create([MeetingAction(meeting=meeting, action=a, carried=True) for a in carried])
    if carried:
        s62.record(
            actor=actor,
            operation=Operation.COLLECTION,
            cases={a.case_id: a.case for a in carried}.values(),
            justification_kind=JustificationKind.STATED,
            justification="Open actions carried into the daily management meeting (D-02).",
            detail={"dmm": "meeting_start", "meeting": str(meeting.public_id)},
        )
    return meeting


def _visible_case(actor: User, case: Case) -> Case:
    if not case_visible_to(actor).filter(pk=case.pk).exists():
        raise NotFound("Not found.")
    return case


def _actions(actor: User, case: Case, actions: Sequence[ActionIn]) -> list[dict[str, Any]]:
    """D-02: each action's owner is an active user who can see the case, and its due time is still to
    come (that each has what, an owner and a due time is its input model's rule). An action that names
    an obligation of the case names one still open."""
    from haven.missing.selectors import obligations_open

    problems: dict[str, list[str]] = {}
    found = []
    now = clock.now()
    open_obligations = {o.key: o.label for o in obligations_open(user=actor, case=case)} if actions else {}
    for number, action in enumerate(actions):
        field = f"actions.{number}."
        owner = User.objects.filter(username=action.owner, is_active=True).first()
        if owner is None:
            problems[f"{field}owner"] = [f"There is no active user {action.owner}"]
        elif not case_visible_to(owner).filter(pk=case.pk).exists():
            problems[f"{field}owner"] = [f"{owner.display_name} cannot see this case: choose someone who can"]
        if action.due_at <= now:
            problems[f"{field}due_at"] = ["The due time must be in the future"]
        if action.meets and action.meets not in open_obligations:
            problems[f"{field}meets"] = ["Choose one of the case's open obligations, or none"]
        found.append(
            {
                "what": action.what,
                "owner": owner,
                "due_at": action.due_at,
                "meets_key": action.meets,
                "meets_label": open_obligations.get(action.meets, ""),
            }
        )
    if problems:
        raise ValidationFailed("Check the actions.", fields=problems)
    return found


def _action_create(
    *, actor: User, meeting: Meeting, case: Case, decision: Decision | None, spec: Mapping[str, Any]
) -> Action:
    action = Action.objects.create(
        meeting=meeting,
        decision=decision,
        case=case,
        what=spec["what"],
        owner=spec["owner"],
        due_at=spec["due_at"],
        raised_by=actor,
        meets_key=spec.get("meets_key", ""),
        meets_label=spec.get("meets_label", ""),
    )
    MeetingAction.objects.create(meeting=meeting, action=action, carried=False)
    # D-02: the action is a deadline, owned by its owner, escalating like any other.
    what = f"DMM action: {action.what}"
    if action.meets_label:
        what += f" (meets: {action.meets_label})"
    deadlines.deadline_create(
        actor=actor,
        case=case,
        kind=ACTION.code,
        what=what[:WHAT_MAX],
        due_at=action.due_at,
        key=action_key(action.public_id),
        responsible_user=action.owner,
        # The meeting named this person: the action stays theirs if the case changes owner.
        responsible_kind=ResponsibleKind.NAMED,
    )
    return action


@transaction.atomic
def decision_record(*, actor: User, meeting: Meeting, data: DecisionIn) -> Decision:
    """Record what the meeting decided about a board row's case, and the actions it gave (D-02)."""
    meeting = _lock(meeting)
    _require_open(meeting)
    case = case_get(user=actor, public_id=data.case, log=False)  # NotFound for a case out of sight
    actions = _actions(actor, case, data.actions)
    decision = Decision.objects.create(
        meeting=meeting, case=case, section=data.section, text=data.text, recorded_by=actor, recorded_at=clock.now()
    )
    for spec in actions:
        _action_create(actor=actor, meeting=meeting, case=case, decision=decision, spec=spec)
    s62.record(
        actor=actor,
        operation=Operation.COLLECTION,
        cases=[case],
        detail={"dmm": "decision", "meeting": str(meeting.public_id), "actions": len(actions)},
    )
    return decision


def _lock_action(action: Action) -> Action:
    locked = Action.objects.select_for_update().select_related("case__subject").get(pk=action.pk)
    if locked.state != ActionState.OPEN:
        raise Conflict("This action is already finished.")
    return locked


@transaction.atomic
def action_complete(*, actor: User, action: Action, data: ActionDoneIn) -> Action:
    """The action's owner (or someone who may chair) records it done; its deadline is met. An action
    that names an obligation of the case records that obligation too (one obligation, one record):
    the UK Missing Persons Unit notification, say, is then recorded on the episode as if done there."""
    if action.owner_id != actor.pk and not actor.has_perm(Perm.DMM_MEETING_CHAIR):
        raise Forbidden("Only the action's owner or someone who may chair the meeting can record it done.")
    action = _lock_action(action)
    _visible_case(actor, action.case)
    _finish(actor, action, data.outcome)
    if action.meets_key:
        from haven.missing.services import obligation_meet

        obligation_meet(actor=actor, case=action.case, key=action.meets_key, note=action.outcome)
    return action


def _finish(actor: User, action: Action, outcome: str) -> None:
    action.outcome = outcome
    action.state = ActionState.DONE
    action.done_at = clock.now()
    action.done_by = actor
    action.save(update_fields=["outcome", "state", "done_at", "done_by"])
    deadlines.deadline_meet(
        actor=actor, case=action.case, key=action_key(action.public_id), how=action.outcome[:WHAT_MAX]
    )
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[action.case],
        detail={"dmm": "action_done", "action": str(action.public_id)},
    )


def obligation_recorded(*, actor: User, case: Case, key: str, how: str) -> None:
    """An obligation of ``case`` (its deadline ``key``) was recorded where it lives (the missing episode):
    every open DMM action that names it is done, saying so. Registered with haven.missing from
    DmmConfig.ready() (``on_obligation_recorded``); runs in the recording's transaction."""
    for action in Action.objects.select_for_update().filter(case=case, meets_key=key, state=ActionState.OPEN):
        action.case = case
        _finish(actor, action, f"Met where it is recorded: {how}, by {actor.rank_and_name}.")


@transaction.atomic
def action_cancel(*, actor: User, action: Action, data: ActionCancelIn) -> Action:
    """A chair cancels an action that no longer applies, with the reason; its deadline is cancelled."""
    action = _lock_action(action)
    _visible_case(actor, action.case)
    action.outcome = data.reason
    action.state = ActionState.CANCELLED
    action.done_at = clock.now()
    action.done_by = actor
    action.save(update_fields=["outcome", "state", "done_at", "done_by"])
    deadlines.deadline_cancel(actor=actor, case=action.case, key=action_key(action.public_id), reason=action.outcome)
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[action.case],
        detail={"dmm": "action_cancelled", "action": str(action.public_id)},
    )
    return action


def _board_snapshot(actor: User, meeting: Meeting) -> dict[str, Any]:
    """D-01: what the board showed the chair as the meeting closed, kept with the record (and logged)."""
    from haven.dmm.board import board_build
    from haven.dmm.sections import Filters

    board = board_build(user=actor, filters=Filters(), detail={"view": "dmm_close", "meeting": str(meeting.public_id)})
    return {
        "taken_at": board.updated_at,
        "counts": [{"key": c.key, "label": c.label, "value": c.value} for c in board.counts],
        "sections": [
            {
                "key": v.key,
                "title": v.title,
                "order": v.order,
                "available": v.available,
                "total": v.total,
                "rows": [
                    {
                        "case_id": str(r.case.public_id) if r.case else None,
                        "case_reference": r.case.reference if r.case else "",
                        "person_id": str(r.person.public_id) if r.person else None,
                        "person_name": str(r.person) if r.person else "",
                        "details": r.details,
                    }
                    for r in v.rows
                ],
            }
            for v in board.sections
        ],
    }


@transaction.atomic
def meeting_close(*, actor: User, meeting: Meeting, data: MeetingCloseIn) -> Meeting:
    """Close the meeting: how each action on its agenda stood is kept, and the record becomes read-only."""
    meeting = _lock(meeting)
    _require_open(meeting)
    for item in meeting.agenda.select_related("action"):
        item.state_at_close = item.action.state
        item.save(update_fields=["state_at_close"])
    meeting.board_at_close = _board_snapshot(actor, meeting)
    meeting.state = MeetingState.CLOSED
    meeting.closed_at = clock.now()
    meeting.closed_by = actor
    meeting.save(update_fields=["state", "closed_at", "closed_by", "board_at_close"])
    return meeting


def pack_disclosed(*, actor: User, meeting: Meeting, cases: Sequence[Case], person_ids: Sequence[Any]) -> None:
    """Printing or exporting the DMM pack is a disclosure (s62): to the meeting's attendees, on paper or PDF."""
    s62.record(
        actor=actor,
        operation=Operation.DISCLOSURE,
        cases=cases,
        person_ids=person_ids,
        justification_kind=JustificationKind.STATED,
        justification="DMM pack printed for the daily management meeting (D-01).",
        recipients=[
            {
                "name": "Attendees of the daily management meeting",
                "meeting": str(meeting.public_id),
                "held_on": meeting.held_on.isoformat(),
            }
        ],
        channel="pdf",
        detail={"dmm": "pack", "meeting": str(meeting.public_id)},
    )
