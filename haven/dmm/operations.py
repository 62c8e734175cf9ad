"""Every write of the daily management meeting, declared once: start, decide (with its actions),
record an action done or cancel it, close. Printing the pack is a read (a disclosure in the s62 log)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.dmm import selectors, services
from haven.dmm.models import Action, Decision, Meeting
from haven.dmm.schemas import (
    ActionCancelIn,
    ActionDoneIn,
    ActionOut,
    DecisionIn,
    MeetingCloseIn,
    MeetingDetailOut,
    MeetingStartIn,
)


def _meeting(actor: User, meeting_id: UUID) -> Meeting:
    return selectors.meeting_get(user=actor, public_id=meeting_id)


def _action(actor: User, action_id: UUID) -> Action:
    return selectors.action_get(user=actor, public_id=action_id)


def _record(actor: User, result: Meeting | Decision) -> Any:
    """The meeting's record as the writer now sees it (not logged again: they just wrote it)."""
    meeting = result.meeting if isinstance(result, Decision) else result
    return selectors.meeting_record(user=actor, meeting=meeting, log=False)


meeting_start = declare(
    "dmm.meeting_start",
    input=MeetingStartIn,
    perm=Perm.DMM_MEETING_CHAIR,
    service=services.meeting_start,
    api=Api(
        "POST",
        "/meetings",
        out=MeetingDetailOut,
        answer=_record,
        summary="Start a meeting (D-02: open actions carry into it)",
    ),
    page="dmm:meeting-start",
)

decision_record = declare(
    "dmm.decision_record",
    input=DecisionIn,
    perm=Perm.DMM_MEETING_CHAIR,
    service=services.decision_record,
    target="meeting",
    api=Api(
        "POST",
        "/meetings/{meeting_id}/decisions",
        out=MeetingDetailOut,
        load=_meeting,
        answer=_record,
        summary="Record a decision on a case and its actions (D-02: each action becomes a deadline)",
    ),
    page="dmm:decide",
)

meeting_close = declare(
    "dmm.meeting_close",
    input=MeetingCloseIn,
    perm=Perm.DMM_MEETING_CHAIR,
    service=services.meeting_close,
    target="meeting",
    api=Api(
        "POST",
        "/meetings/{meeting_id}/close",
        out=MeetingDetailOut,
        status=200,
        load=_meeting,
        answer=_record,
        summary="Close a meeting: its record becomes read-only",
    ),
    page="dmm:meeting-close",
)

action_complete = declare(
    "dmm.action_complete",
    input=ActionDoneIn,
    perm=Perm.DMM_ACTION_RECORD,  # its owner, or someone who may chair (the service's check)
    service=services.action_complete,
    target="action",
    api=Api(
        "POST",
        "/actions/{action_id}/done",
        out=ActionOut,
        status=200,
        load=_action,
        summary="Record a DMM action done (its deadline is met)",
    ),
    page="dmm:action-done",
)

action_cancel = declare(
    "dmm.action_cancel",
    input=ActionCancelIn,
    perm=Perm.DMM_MEETING_CHAIR,
    service=services.action_cancel,
    target="action",
    api=Api(
        "POST",
        "/actions/{action_id}/cancel",
        out=ActionOut,
        status=200,
        load=_action,
        summary="Cancel a DMM action that no longer applies, with the reason (its deadline is cancelled)",
    ),
    page="dmm:action-cancel",
)
