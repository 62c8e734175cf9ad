"""The cases routes of the JSON API (registered in config/api.py at /api/v1/cases).

Every read goes through ``selectors.case_visible_to`` and is logged (s62 consultation); a case the
caller may not see answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from haven.accounts.models import User
from haven.api.auth import require
from haven.api.errors import errors
from haven.cases import selectors, services
from haven.cases.choices import CaseKind, CaseState, EntryKind, Sensitivity
from haven.cases.models import Case, Handover, TimelineEntry
from haven.core.access import Action, scope_for
from haven.core.errors import Forbidden, NotFound, ValidationFailed
from haven.core.permissions import Perm

router = Router(tags=["cases"])

# Text PostgreSQL can store and people can read: no NUL or other control characters (newlines allowed in notes).
PlainText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$")]
NoteText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]


class PersonRef(Schema):
    id: UUID
    name: str


class UserRef(Schema):
    username: str
    name: str


def _user(user: User | None) -> dict[str, str] | None:
    return {"username": user.username, "name": user.rank_and_name} if user is not None else None


class CaseOut(Schema):
    id: UUID
    reference: str
    kind: CaseKind
    summary: str
    subject: PersonRef
    owner: UserRef
    team: str | None = Field(description="The owning team's code.")
    state: CaseState
    sensitivity: Sensitivity
    opened_at: datetime
    closed_at: datetime | None
    version: int = Field(description="Send it back when changing the case; an older version is a 409 conflict.")
    awaiting_acknowledgement: bool
    pending_owner: UserRef | None = Field(description="Who the case was handed to, until they acknowledge (M-10).")


class InvolvementOut(Schema):
    person: PersonRef
    role: str


class EntryOut(Schema):
    id: UUID
    at: datetime
    kind: EntryKind
    text: str
    author: UserRef | None


class HandoverOut(Schema):
    id: UUID
    case: str = Field(description="The case reference.")
    from_user: UserRef
    to_user: UserRef
    by: UserRef
    reason: str
    at: datetime
    acknowledged_at: datetime | None
    superseded_at: datetime | None


class CaseDetailOut(CaseOut):
    members: list[UserRef] = Field(description="Who besides the owner may see the case, if it is restricted.")
    involvements: list[InvolvementOut]
    timeline: list[EntryOut]
    handovers: list[HandoverOut]


def _case(case: Case) -> dict[str, Any]:
    return {
        "id": case.public_id,
        "reference": case.reference,
        "kind": case.kind,
        "summary": case.summary,
        "subject": {"id": case.subject.public_id, "name": str(case.subject)},
        "owner": _user(case.owner),
        "team": case.team.code if case.team else None,
        "state": case.state,
        "sensitivity": case.sensitivity,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "version": case.version,
        "awaiting_acknowledgement": case.pending_owner_id is not None,
        "pending_owner": _user(case.pending_owner),
    }


def _entry(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "id": entry.public_id,
        "at": entry.at,
        "kind": entry.kind,
        "text": entry.text,
        "author": _user(entry.author),
    }


def _handover(handover: Handover) -> dict[str, Any]:
    return {
        "id": handover.public_id,
        "case": handover.case.reference,
        "from_user": _user(handover.from_user),
        "to_user": _user(handover.to_user),
        "by": _user(handover.by),
        "reason": handover.reason,
        "at": handover.at,
        "acknowledged_at": handover.acknowledged_at,
        "superseded_at": handover.superseded_at,
    }


def _detail(user: User, case: Case) -> dict[str, Any]:
    out = _case(case)
    out["members"] = [_user(u) for u in case.members.select_related("rank").order_by("username")]
    out["involvements"] = [
        {"person": {"id": i.person.public_id, "name": str(i.person)}, "role": i.role}
        for i in case.involvements.select_related("person")
    ]
    out["timeline"] = [_entry(e) for e in case.timeline.select_related("author", "author__rank")]
    out["handovers"] = [_handover(h) for h in selectors.case_handovers(case=case).select_related("case")]
    return out


class CasePage(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class CaseIn(Schema):
    subject: UUID = Field(description="The public id of the person (the child) the case is about.")
    kind: CaseKind = CaseKind.GENERAL
    summary: PlainText = Field("", max_length=200)
    sensitivity: Sensitivity = Sensitivity.NORMAL


class CaseChangeIn(Schema):
    version: int = Field(ge=1, le=2_147_483_647, description="The version you last read.")
    summary: PlainText = Field(max_length=200)
    sensitivity: Sensitivity


class NoteIn(Schema):
    kind: Annotated[str, StringConstraints(pattern=r"^(fact|assessment)$")] = Field(
        description="fact or assessment (DPA 2018 s38(2))."
    )
    text: NoteText = Field(min_length=1, max_length=10_000)


class ReasonIn(Schema):
    reason: PlainText = Field(min_length=1, max_length=2_000)


Username = Annotated[str, StringConstraints(pattern=r"^[\w.@+-]{1,150}$")]


class MembersIn(Schema):
    members: list[Username] = Field(
        max_length=500, description="The usernames of everyone who may see the case besides its owner."
    )


class HandoverIn(Schema):
    to_user: PlainText = Field(min_length=1, max_length=150, description="The new owner's username.")
    reason: PlainText = Field(min_length=1, max_length=2_000)


@router.get("", response={200: list[CaseOut], **errors(422)}, summary="Cases you can see")
def case_list(
    request: HttpRequest,
    page: Query[CasePage],
    state: CaseState | None = None,
    mine: bool = Query(False, description="Only cases you own or are asked to accept."),
) -> object:
    user = require(request, Perm.CASES_CASE_VIEW)
    cases = list(selectors.case_list(user=user, state=state or "", mine=mine)[page.offset : page.offset + page.limit])
    selectors.case_read_record(user=user, cases=cases, query=request.GET.urlencode())
    return [_case(c) for c in cases]


@router.get("/{case_id}", response={200: CaseDetailOut, **errors(404, 422)}, summary="One case")
def case_get(request: HttpRequest, case_id: UUID) -> object:
    user = require(request, Perm.CASES_CASE_VIEW)
    return _detail(user, selectors.case_get(user=user, public_id=case_id))


@router.post("", response={201: CaseDetailOut, **errors(400, 422)}, summary="Open a case")
def case_open(request: HttpRequest, payload: CaseIn) -> Status:
    from haven.people.selectors import person_get

    user = require(request, Perm.CASES_CASE_VIEW)
    if scope_for(user, Action.OPEN) is None:
        raise Forbidden("Your roles do not allow you to open cases.")
    try:
        subject = person_get(user=user, public_id=payload.subject, log=False)
    except NotFound:
        raise ValidationFailed(
            "The case could not be opened.", fields={"subject": ["There is no person with this id that you can see."]}
        ) from None
    case = services.case_open(
        actor=user, subject=subject, kind=payload.kind, summary=payload.summary, sensitivity=payload.sensitivity
    )
    return Status(201, _detail(user, selectors.case_get(user=user, public_id=case.public_id, log=False)))


@router.patch("/{case_id}", response={200: CaseDetailOut, **errors(400, 404, 409, 422)}, summary="Change a case")
def case_change(request: HttpRequest, case_id: UUID, payload: CaseChangeIn) -> object:
    user = require(request, Perm.CASES_CASE_VIEW)
    case = selectors.case_get(user=user, public_id=case_id, log=False)
    services.case_update(
        actor=user, case=case, version=payload.version, summary=payload.summary, sensitivity=payload.sensitivity
    )
    return _detail(user, selectors.case_get(user=user, public_id=case_id, log=False))


@router.post("/{case_id}/notes", response={201: EntryOut, **errors(400, 404, 409, 422)}, summary="Add a note")
def note_add(request: HttpRequest, case_id: UUID, payload: NoteIn) -> Status:
    user = require(request, Perm.CASES_CASE_VIEW)
    case = selectors.case_get(user=user, public_id=case_id, log=False)
    entry = services.case_note_add(actor=user, case=case, kind=payload.kind, text=payload.text)
    return Status(201, _entry(entry))


@router.post(
    "/{case_id}/handover",
    response={200: HandoverOut, **errors(400, 404, 409, 422)},
    summary="Hand a case over (M-10: the new owner must acknowledge)",
)
def handover(request: HttpRequest, case_id: UUID, payload: HandoverIn) -> object:
    user = require(request, Perm.CASES_CASE_HANDOVER)
    case = selectors.case_get(user=user, public_id=case_id, log=False)
    to_user = User.objects.filter(username=payload.to_user.strip()).first()
    if to_user is None:
        raise ValidationFailed("The case could not be handed over.", fields={"to_user": ["There is no such user."]})
    return _handover(services.case_handover(actor=user, case=case, to_user=to_user, reason=payload.reason))


@router.post(
    "/{case_id}/acknowledge",
    response={200: HandoverOut, **errors(404, 409, 422)},
    summary="Acknowledge a case handed to you (M-10)",
)
def acknowledge(request: HttpRequest, case_id: UUID) -> object:
    user = require(request, Perm.CASES_CASE_VIEW)
    case = selectors.case_get(user=user, public_id=case_id, log=False)
    return _handover(services.case_handover_acknowledge(actor=user, case=case))


@router.post(
    "/{case_id}/close",
    response={200: CaseDetailOut, **errors(400, 404, 409, 422)},
    summary="Close a case, giving a reason (refused, listing why, while it cannot close yet)",
)
def close(request: HttpRequest, case_id: UUID, payload: ReasonIn) -> object:
    user = require(request, Perm.CASES_CASE_VIEW)
    case = selectors.case_get(user=user, public_id=case_id, log=False)
    services.case_close(actor=user, case=case, reason=payload.reason)
    return _detail(user, selectors.case_get(user=user, public_id=case_id, log=False))


@router.post(
    "/{case_id}/reopen",
    response={200: CaseDetailOut, **errors(400, 404, 409, 422)},
    summary="Reopen a closed case, giving a reason (supervisors)",
)
def reopen(request: HttpRequest, case_id: UUID, payload: ReasonIn) -> object:
    user = require(request, Perm.CASES_CASE_VIEW)
    case = selectors.case_get(user=user, public_id=case_id, log=False)
    services.case_reopen(actor=user, case=case, reason=payload.reason)
    return _detail(user, selectors.case_get(user=user, public_id=case_id, log=False))


@router.put(
    "/{case_id}/members",
    response={200: CaseDetailOut, **errors(400, 404, 409, 422)},
    summary="Name who may see a restricted case besides its owner",
)
def members_set(request: HttpRequest, case_id: UUID, payload: MembersIn) -> object:
    user = require(request, Perm.CASES_CASE_VIEW)
    case = selectors.case_get(user=user, public_id=case_id, log=False)
    names = list(dict.fromkeys(payload.members))
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    unknown = [name for name in names if name not in found]
    if unknown:
        raise ValidationFailed(
            "The members could not be saved.", fields={"members": [f"There is no user {name}." for name in unknown]}
        )
    services.members_set(actor=user, case=case, members=[found[name] for name in names])
    return _detail(user, selectors.case_get(user=user, public_id=case_id, log=False))
