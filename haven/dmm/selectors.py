"""Every read of the daily management meeting. Each takes the user; what shows personal data is logged."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from haven.cases.selectors import case_read_record, case_visible_to
from haven.core import clock
from haven.core.errors import Forbidden, NotFound
from haven.core.permissions import Perm
from haven.dmm.choices import ActionState, MeetingState
from haven.dmm.models import Action, Decision, Meeting, MeetingAction, RestrictedTrendFigure, TrendFigure

if TYPE_CHECKING:
    from haven.accounts.models import Team, User


AREAS_OFFERED = 200


def require_board(user: User) -> None:
    if not user.has_perm(Perm.DMM_BOARD_VIEW):
        raise Forbidden("This needs the permission to see the DMM board.")


def filter_options(*, user: User, listed: Iterable[Any] = ()) -> dict[str, list[Any]]:
    """The teams and the areas the board's filters offer (two queries, no personal data).

    The areas are those the trend chart counted over its window (the settled figures, narrowed to
    the restricted cases ``user`` may see) and those of the rows ``listed`` on
    the board now: never a scan of the episodes themselves, which at a large force cost more than any
    section of the board.
    """
    from haven.accounts.models import Team
    from haven.dmm.sections._common import one_build, visible_cases
    from haven.dmm.trend import WINDOW_DAYS

    teams: list[Team] = list(Team.objects.filter(is_active=True).order_by("name"))
    since = timezone.localdate(clock.now()) - timedelta(days=WINDOW_DAYS)
    with one_build():
        normal = TrendFigure.objects.filter(day__gte=since).exclude(area="").order_by()
        restricted = RestrictedTrendFigure.objects.filter(day__gte=since, case_id__in=visible_cases(user))
        counted = (
            normal.values_list("area", flat=True)
            .distinct()
            .union(restricted.exclude(area="").order_by().values_list("area", flat=True).distinct())
        )
        areas = set(counted) | {a for row in listed if (a := getattr(row, "area", ""))}
    return {"teams": teams, "areas": sorted(areas)[:AREAS_OFFERED]}


def meeting_current() -> Meeting | None:
    """The meeting in progress, if any (no personal data: the chair and the day)."""
    return Meeting.objects.select_related("chair", "chair__rank").filter(state=MeetingState.OPEN).first()


def meeting_list(*, user: User) -> QuerySet[Meeting]:
    require_board(user)
    return Meeting.objects.select_related("chair", "chair__rank").order_by("-held_on", "-started_at")


def meeting_get(*, user: User, public_id: object) -> Meeting:
    require_board(user)
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    meeting = Meeting.objects.select_related("chair", "chair__rank", "closed_by").filter(public_id=key).first()
    if meeting is None:
        raise NotFound("Not found.")
    return meeting


def action_get(*, user: User, public_id: object) -> Action:
    """An action on a case ``user`` may see, else NotFound."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    action = (
        Action.objects.select_related("case__subject", "owner", "meeting")
        .filter(public_id=key, case__in=case_visible_to(user))
        .first()
    )
    if action is None:
        raise NotFound("Not found.")
    return action


@dataclass
class MeetingRecord:
    """What ``user`` may see of a meeting: decisions and agenda on cases visible to them."""

    meeting: Meeting
    attendees: list[Any]
    decisions: list[Decision]
    raised: list[MeetingAction]
    carried: list[MeetingAction]
    hidden: int

    @property
    def cases(self) -> list[Any]:
        seen: dict[int, Any] = {}
        for d in self.decisions:
            seen.setdefault(d.case_id, d.case)
        for item in [*self.raised, *self.carried]:
            seen.setdefault(item.action.case_id, item.action.case)
        return list(seen.values())


def meeting_record(*, user: User, meeting: Meeting, log: bool = True) -> MeetingRecord:
    """The meeting's record as ``user`` may see it (fixed queries), logged as one consultation."""
    visible = case_visible_to(user)
    decisions = list(
        meeting.decisions.filter(case__in=visible)
        .select_related("case__subject", "recorded_by__rank")
        .prefetch_related("actions__owner__rank")
        .order_by("recorded_at", "id")
    )
    agenda = list(
        meeting.agenda.filter(action__case__in=visible)
        .select_related("action__case__subject", "action__owner__rank", "action__meeting", "action__done_by")
        .order_by("action__due_at", "id")
    )
    total = meeting.decisions.count() + meeting.agenda.count()
    record = MeetingRecord(
        meeting=meeting,
        attendees=list(meeting.attendees.select_related("rank").order_by("last_name", "first_name")),
        decisions=decisions,
        raised=[a for a in agenda if not a.carried],
        carried=[a for a in agenda if a.carried],
        hidden=total - len(decisions) - len(agenda),
    )
    if log:
        case_read_record(user=user, cases=record.cases, query=f"dmm meeting {meeting.public_id}")
    return record


def open_actions(*, user: User) -> QuerySet[Action]:
    """Open DMM actions on cases ``user`` may see, soonest due first."""
    return (
        Action.objects.filter(state=ActionState.OPEN, case__in=case_visible_to(user))
        .select_related("case__subject", "owner__rank", "meeting")
        .order_by("due_at", "id")
    )


def owner_choices(*, user: User) -> QuerySet[Any]:
    """Who an action can be given to: active users with a view of cases, by name."""
    from haven.accounts.models import User as UserModel
    from haven.core.permissions import ROLE_PERMISSIONS

    viewers = [role.value for role, perms in ROLE_PERMISSIONS.items() if Perm.CASES_CASE_VIEW in perms]
    return (
        UserModel.objects.filter(is_active=True, roles__overlap=viewers)
        .select_related("rank")
        .order_by("last_name", "first_name", "username")
    )


def board_at_close(*, user: User, meeting: Meeting) -> dict[str, Any] | None:
    """The board kept when ``meeting`` closed, narrowed to the rows ``user`` may see now (two queries):
    rows on cases they may see, and rows about a person only when they may see the person."""
    snapshot = meeting.board_at_close or {}
    if not snapshot.get("sections"):
        return None
    from haven.people.selectors import person_visible_to

    rows = [r for s in snapshot["sections"] for r in s["rows"]]
    case_ids = {r["case_id"] for r in rows if r["case_id"]}
    person_ids = {r["person_id"] for r in rows if not r["case_id"] and r["person_id"]}
    cases = {
        str(c.public_id): c for c in case_visible_to(user).filter(public_id__in=case_ids).select_related("subject")
    }
    people = {
        str(p) for p in person_visible_to(user).filter(public_id__in=person_ids).values_list("public_id", flat=True)
    }
    sections = []
    for section in snapshot["sections"]:
        kept = [
            r for r in section["rows"] if (r["case_id"] in cases) or (not r["case_id"] and r["person_id"] in people)
        ]
        sections.append({**section, "rows": kept, "hidden": len(section["rows"]) - len(kept)})
    return {**snapshot, "sections": sections, "cases": list(cases.values()), "person_ids": sorted(people)}


def obligation_choices(*, user: User, case_id: object) -> list[Any]:
    """The open obligations of a case ``user`` may see that a DMM action may name and meet when done
    (for now those of a missing episode: haven.missing ``obligations_open``). NotFound for a case out
    of sight; lists no personal data (not logged)."""
    from haven.cases.selectors import case_get
    from haven.missing.selectors import obligations_open

    case = case_get(user=user, public_id=case_id, log=False)
    return list(obligations_open(user=user, case=case))
