"""Every write to cases: keyword-only, with the actor, one transaction, access checked, s62 logged.

Each write a page or the API makes takes ``(*, actor, case, data)``: ``data`` is its input model
(haven/cases/schemas.py, where every field rule lives) and its permission is checked once, by
``haven.core.operations.run`` (haven/cases/operations.py). What stays here needs the database: the
case's access policy (case_can), its state, M-10, the closing checks, the s62 row.

Other apps' services and demo data build the input models through this module (``services.HandoverIn``):
an app reaches another only through its services and selectors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.selectors import user_by_reference
from haven.audit.choices import JustificationKind, Operation
from haven.cases import closing, hooks, s62
from haven.cases.choices import CaseKind, CaseState, EntryKind, InvolvementRole, Sensitivity
from haven.cases.models import BreakGlass, Case, Handover, Involvement, ReferenceCounter, TimelineEntry
from haven.cases.schemas import BreakGlassIn as BreakGlassIn
from haven.cases.schemas import CaseAllocateIn as CaseAllocateIn
from haven.cases.schemas import CaseCloseIn as CaseCloseIn
from haven.cases.schemas import CaseOpenIn as CaseOpenIn
from haven.cases.schemas import CaseReopenIn as CaseReopenIn
from haven.cases.schemas import CaseUpdateIn as CaseUpdateIn
from haven.cases.schemas import HandoverAcknowledgeIn as HandoverAcknowledgeIn
from haven.cases.schemas import HandoverIn as HandoverIn
from haven.cases.schemas import MembersIn as MembersIn
from haven.cases.schemas import NoteIn as NoteIn
from haven.cases.selectors import BREAK_GLASS_LASTS, case_can, case_may_break_glass, case_visible_to, queue_team
from haven.core import clock
from haven.core.access import Action, scope_for
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.core.mail import mail_user
from haven.core.permissions import Perm
from haven.people.selectors import has_refuge_address, person_get

if TYPE_CHECKING:
    from haven.people.models import Person


# --- References ---------------------------------------------------------------------------------


def reference_next() -> str:
    """The next case reference, e.g. ``HVN-2026-000123``: force prefix, year, sequence for the year.

    One statement takes the year's counter row and increments it (created on first use): the row stays
    locked until the caller's transaction ends, so concurrent openings queue and never share a number.
    """
    prefix = settings.HAVEN_FORCE_PREFIX
    year = timezone.localtime(clock.now()).year
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, year, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (prefix, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix, year],
        )
        (number,) = cursor.fetchone()
    return f"{prefix}-{year}-{number:06d}"


# --- Helpers ------------------------------------------------------------------------------------


def _require(actor: User, case: Case, action: Action) -> None:
    """NotFound if ``actor`` cannot see ``case`` at all; Forbidden if they see it but may not ``action`` it."""
    if not case_visible_to(actor).filter(pk=case.pk).exists():
        raise NotFound("Not found.")
    if not case_can(user=actor, case=case, action=action):
        raise Forbidden("You can see this case but may not do this to it.")


def _require_open(case: Case) -> None:
    """A closed case is read-only: Conflict (409) until a supervisor reopens it."""
    if Case.objects.filter(pk=case.pk, state=CaseState.CLOSED).exists():
        raise Conflict(
            f"Case {case.reference} is closed, so it cannot be changed. A supervisor can reopen it, giving a reason.",
            fields={"state": ["The case is closed."]},
        )


def _may_own_a_case(user: User) -> bool:
    return scope_for(user, Action.EDIT) is not None


def _officer(reference: str, *, field: str) -> User:
    """The active user who can own a case, named by ``reference`` (a name, collar number, username or
    the label the user picker shows). Nobody, more than one person, or someone whose roles cannot own a
    case is one and the same field error: the form never tells whether a username exists."""
    return user_by_reference(reference, field=field, eligible=_may_own_a_case)


def _event(case: Case, *, author: User | None, text: str) -> TimelineEntry:
    return TimelineEntry.objects.create(case=case, author=author, kind=EntryKind.EVENT, text=text)


def case_event_record(*, case: Case, author: User | None, text: str) -> TimelineEntry:
    """An event on ``case``'s timeline, in the caller's transaction: how another app's service (a missing
    episode's steps) writes to the timeline. Its caller has checked the actor's right to act on the case."""
    return _event(case, author=author, text=text)


def _link(case: Case) -> str:
    return f"{settings.HAVEN_BASE_URL}{reverse('cases:detail', args=[case.public_id])}"


def _bump(case: Case, *, version: int | None = None, **fields: object) -> None:
    """Save ``fields`` and the next version; ``version`` (if given) must still be current, else Conflict."""
    rows = Case.objects.filter(pk=case.pk)
    if version is not None:
        rows = rows.filter(version=version)
    updated = rows.update(version=F("version") + 1, updated_at=clock.now(), **fields)
    if not updated:
        raise Conflict(
            "Someone else changed this case while you were editing it. Check their changes, then save yours again.",
            fields={"version": ["The case has changed since you opened it."]},
        )
    case.refresh_from_db()


# --- Opening and editing ------------------------------------------------------------------------


def _restriction(actor: User, sensitivity: str) -> dict[str, object]:
    """Who restricts a case and when (cleared when it stops being restricted)."""
    if sensitivity == Sensitivity.RESTRICTED:
        return {"restricted_by": actor, "restricted_at": clock.now()}
    return {"restricted_by": None, "restricted_at": None}


def _require_may_open(actor: User) -> None:
    """POLICY's OPEN scope: roles that only read (analysts, auditors) open no cases."""
    if scope_for(actor, Action.OPEN) is None:
        raise Forbidden("Your roles do not allow you to open cases.")


@transaction.atomic
def case_open_by_id(*, actor: User, data: CaseOpenIn) -> Case:
    """Open a case about the person whose Haven id the actor gives (the page and the API): one they
    may see, else the subject is refused as unknown (the same for a missing person and a hidden one)."""
    _require_may_open(actor)
    try:
        subject = person_get(user=actor, public_id=data.subject, log=False)
    except NotFound:
        raise ValidationFailed(
            "The case could not be opened.",
            fields={"subject": ["There is no person with this Haven id that you can see"]},
        ) from None
    return case_open(actor=actor, subject=subject, kind=data.kind, summary=data.summary, sensitivity=data.sensitivity)


@transaction.atomic
def case_open(
    *,
    actor: User,
    subject: Person,
    kind: str = CaseKind.GENERAL,
    summary: str = "",
    sensitivity: str = Sensitivity.NORMAL,
) -> Case:
    """Open a case about ``subject``, owned by the actor and their team. Logged as collection.

    Other apps' services call this with the person they already hold (a child just reported missing,
    the child of a new trigger plan) and their own kind and summary; people open cases through
    :func:`case_open_by_id`, whose input model checks what they typed.
    """
    _require_may_open(actor)
    if subject.merged_into_id is not None:
        raise ValidationFailed(
            "This person's record was merged into another.",
            fields={"subject": ["This record was merged into another: open the case on that one"]},
        )
    case = Case.objects.create(
        reference=reference_next(),
        kind=kind,
        summary=summary,
        subject=subject,
        owner=actor,
        team=actor.team,
        sensitivity=sensitivity,
        opened_at=clock.now(),
        **_restriction(actor, sensitivity),
    )
    Involvement.objects.create(case=case, person=subject, role=InvolvementRole.SUBJECT)
    _event(case, author=actor, text=f"Case opened by {actor.rank_and_name}.")
    detail: dict[str, object] = {"reference": case.reference, "kind": kind}
    alert = _access_alert(subject, "Opened a case about")
    if alert:
        detail["alert"] = alert
    s62.record(
        actor=actor,
        operation=Operation.COLLECTION,
        cases=[case],
        justification="Opened the case.",
        justification_kind=JustificationKind.ALLOCATED,
        detail=detail,
    )
    return case


def _access_alert(person: Person, doing: str) -> str:
    """For the auditors' alerts (an s62 row whose detail has "alert"): opening a case about, or linking to
    one, a restricted person or a person with a refuge address, which would otherwise give the officer a
    route to them. Empty when there is nothing to flag."""
    if person.is_restricted:
        return f"{doing} a restricted person."
    if has_refuge_address(person):
        return f"{doing} a person with a refuge address."
    return ""


@transaction.atomic
def case_update(*, actor: User, case: Case, data: CaseUpdateIn) -> Case:
    """Change a case's summary (left out: unchanged) and sensitivity. ``data.version`` is the one the
    actor saw: an older one is a Conflict, never a silent overwrite."""
    _require(actor, case, Action.EDIT)
    _require_open(case)
    summary = case.summary if data.summary is None else data.summary
    before = {"summary": case.summary, "sensitivity": case.sensitivity}
    restriction = _restriction(actor, data.sensitivity) if data.sensitivity != case.sensitivity else {}
    _bump(case, version=data.version, summary=summary, sensitivity=data.sensitivity, **restriction)
    changed = sorted(k for k, v in before.items() if getattr(case, k) != v)
    if "sensitivity" in changed:
        _event(case, author=actor, text=f"Sensitivity changed to {case.get_sensitivity_display().lower()}.")
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[case],
        justification=s62.justification_for(actor, case)[1] or "Edited the case.",
        justification_kind=s62.justification_for(actor, case)[0] or JustificationKind.STATED,
        detail={"changed": changed},
    )
    return case


@transaction.atomic
def case_note_add(*, actor: User, case: Case, data: NoteIn) -> TimelineEntry:
    """Add a note to the timeline, marked fact or assessment (DPA 2018 s38(2))."""
    _require(actor, case, Action.EDIT)
    _require_open(case)
    kind = str(data.kind)
    entry = TimelineEntry.objects.create(case=case, author=actor, kind=kind, text=data.text)
    kind_, why = s62.justification_for(actor, case)
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[case],
        justification=why or "Added a note.",
        justification_kind=kind_ or JustificationKind.STATED,
        detail={"note": str(entry.public_id), "kind": kind},
    )
    return entry


@transaction.atomic
def involvement_add(*, actor: User, case: Case, person: Person, role: str) -> Involvement:
    """Link ``person`` to the case in ``role``. Each role is kept apart (s38(3))."""
    _require(actor, case, Action.EDIT)
    _require_open(case)
    if role not in InvolvementRole.values or role == InvolvementRole.SUBJECT:
        raise ValidationFailed("Choose how the person is involved.", fields={"role": ["Choose a role."]})
    involvement, created = Involvement.objects.get_or_create(case=case, person=person, role=role)
    if created:
        _event(case, author=actor, text=f"{person} added as {involvement.get_role_display().lower()}.")
        s62.record(
            actor=actor,
            operation=Operation.ALTERATION,
            cases=[case],
            person_ids=[person.public_id],
            justification="Linked a person to the case.",
            justification_kind=s62.justification_for(actor, case)[0] or JustificationKind.STATED,
            detail={
                "involvement": role,
                **({"alert": alert} if (alert := _access_alert(person, "Linked a case to")) else {}),
            },
        )
    return involvement


# --- Handover (rule M-10) -----------------------------------------------------------------------


@transaction.atomic
def case_handover(*, actor: User, case: Case, data: HandoverIn) -> Handover:
    """M-10 (HARD): hand the case to the user named ``data.to_user``, who must acknowledge it before
    they own it.

    Until then the case shows "awaiting acknowledgement" to both, and to the team's supervisors. A new
    handover while one is pending replaces it. ``hooks.on_handover_started`` lets deadlines escalate.
    """
    _require(actor, case, Action.HANDOVER)
    case = Case.objects.select_for_update().select_related("subject", "owner").get(pk=case.pk)
    _require_open(case)
    reason = data.reason
    to_user = _officer(data.to_user, field="to_user")
    if to_user.pk == case.owner_id:
        raise ValidationFailed(
            "Choose someone else to hand the case to.", fields={"to_user": ["This person already owns the case"]}
        )
    now = clock.now()
    for previous in Handover.objects.filter(case=case, acknowledged_at__isnull=True, superseded_at__isnull=True):
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at"])
        hooks.on_handover_ended(previous)
    handover = Handover.objects.create(
        case=case, from_user=case.owner, to_user=to_user, by=actor, reason=reason, at=now
    )
    _bump(case, pending_owner=to_user)
    _event(
        case,
        author=actor,
        text=f"Handed over to {to_user.rank_and_name} by {actor.rank_and_name}: {reason} (awaiting acknowledgement)",
    )
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[case],
        justification=reason,
        justification_kind=JustificationKind.STATED,
        detail={"handover": str(handover.public_id), "to": to_user.username},
    )
    hooks.on_handover_started(handover)
    mail_user(
        to=to_user,
        subject=f"case {case.reference} handed to you: please acknowledge",
        body=(
            f"Hello {to_user.display_name},\n\n"
            # No free text: a reason may name the child, and e-mail leaves Haven (DP-01).
            f"{actor.rank_and_name} has handed case {case.reference} to you. The reason is on the case page.\n\n"
            f"You own it once you acknowledge the handover. Until then it shows as awaiting acknowledgement, "
            f"and it escalates if it is not acknowledged in time.\n\nAcknowledge it here:\n{_link(case)}\n"
        ),
    )
    return handover


@transaction.atomic
def case_handover_acknowledge(*, actor: User, case: Case, data: HandoverAcknowledgeIn | None = None) -> Handover:
    """M-10: the new owner accepts the case. Only they may; the case and its team become theirs.
    (``data`` says nothing: the operation's input is empty.)"""
    if not case_visible_to(actor).filter(pk=case.pk).exists():
        raise NotFound("Not found.")
    case = Case.objects.select_for_update().select_related("subject").get(pk=case.pk)
    _require_open(case)
    handover = Handover.objects.filter(case=case, acknowledged_at__isnull=True, superseded_at__isnull=True).first()
    if handover is None:
        raise Conflict("There is no handover awaiting acknowledgement on this case.")
    if handover.to_user_id != actor.pk:
        raise Forbidden("Only the person the case was handed to can acknowledge it.")
    handover.acknowledged_at = clock.now()
    handover.save(update_fields=["acknowledged_at"])
    previous_owner = case.owner
    _bump(case, owner=actor, team=actor.team or case.team, pending_owner=None)
    _event(case, author=actor, text=f"Handover acknowledged by {actor.rank_and_name}, who now owns the case.")
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[case],
        justification="Acknowledged the handover of the case to them.",
        justification_kind=JustificationKind.ALLOCATED,
        detail={"handover": str(handover.public_id), "acknowledged": True},
    )
    hooks.on_handover_ended(handover)
    hooks.on_owner_changed(case, previous_owner=previous_owner, actor=actor)
    return handover


# --- Team queues and allocation -----------------------------------------------------------------


def case_queue_put(*, actor: User, case: Case, area: str = "") -> Case:
    """Put a new case in the queue of the team responsible for ``area`` (force policy), in the caller's
    transaction: how another app's service (a missing child's report) hands new work to a team.

    The reporter stays the owner until the duty sergeant allocates the case (``case_allocate``); the team
    becomes the area's, so everyone in it sees the case. ``hooks.on_case_queued`` starts the allocation
    deadline. With no team at all (a misconfigured force and a reporter in no team) the reporter keeps it.
    """
    name, team = queue_team(area=area, fallback=actor.team)
    if team is None:
        return case
    _bump(case, team=team, area=name, queued_at=clock.now())
    _event(case, author=actor, text=f"Waiting in the {team.name} queue for allocation.")
    hooks.on_case_queued(case, actor=actor)
    return case


@transaction.atomic
def case_allocate(*, actor: User, case: Case, data: CaseAllocateIn) -> Case:
    """Give the case to an officer by name: the duty sergeant's allocation from the team queue, or a
    supervisor's reallocation. The officer owns it at once (their obligations move to them through
    ``hooks.on_owner_changed``) and is told, asked to acknowledge (M-10). A pending handover is replaced.
    """
    _require(actor, case, Action.HANDOVER)
    case = Case.objects.select_for_update(of=("self",)).select_related("subject", "owner", "team").get(pk=case.pk)
    _require_open(case)
    to_user = _officer(data.to_user, field="to_user")
    if to_user.pk == case.owner_id and not case.is_queued:
        raise ValidationFailed(
            "Choose someone else to allocate the case to.", fields={"to_user": ["This person already owns the case"]}
        )
    previous_owner = case.owner
    now = clock.now()
    for pending in Handover.objects.filter(case=case, acknowledged_at__isnull=True, superseded_at__isnull=True):
        pending.superseded_at = now
        pending.save(update_fields=["superseded_at"])
        hooks.on_handover_ended(pending)
    waited = case.queued_at
    _bump(case, owner=to_user, pending_owner=None, queued_at=None)
    text = f"Allocated to {to_user.rank_and_name} by {actor.rank_and_name}."
    _event(case, author=actor, text=f"{text} {data.note}".strip() if data.note else text)
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[case],
        justification="Allocated the case from the team queue." if waited else "Reallocated the case.",
        justification_kind=JustificationKind.ALLOCATED,
        detail={"allocated_to": to_user.username, "from_queue": waited is not None},
    )
    hooks.on_owner_changed(case, previous_owner=previous_owner, actor=actor)
    mail_user(
        to=to_user,
        subject=f"case {case.reference} allocated to you",
        body=(
            f"Hello {to_user.display_name},\n\n"
            # No free text: a note may name the child, and e-mail leaves Haven (DP-01).
            f"{actor.rank_and_name} has allocated case {case.reference} to you. It is yours now: its "
            f"deadlines are yours too. Open it and acknowledge it here:\n{_link(case)}\n"
        ),
    )
    return case


# --- Breaking the glass -------------------------------------------------------------------------


@transaction.atomic
def case_break_glass(*, actor: User, case: Case, data: BreakGlassIn) -> Case:
    """Open a restricted case the actor's scope reaches but whose members they are not, giving a reason.

    Logged as a consultation justified by breaking the glass; the owner is told on the timeline and in
    their inbox (the notifications app listens to ``hooks.on_glass_broken``). The case stays open to the
    actor for ``BREAK_GLASS_LASTS``.
    """
    glass = case_may_break_glass(user=actor, public_id=case.public_id)
    if glass is None:
        raise NotFound("Not found.")
    case, reason = glass, data.reason
    now = clock.now()
    BreakGlass.objects.create(case=case, user=actor, reason=reason, at=now, expires_at=now + BREAK_GLASS_LASTS)
    _event(case, author=actor, text=f"{actor.rank_and_name} broke the glass to see this restricted case: {reason}")
    s62.record(
        actor=actor,
        operation=Operation.CONSULTATION,
        cases=[case],
        justification=reason,
        justification_kind=JustificationKind.BREAK_GLASS,
    )
    hooks.on_glass_broken(case, actor=actor, reason=reason)
    return case


def _users_named(usernames: Iterable[str]) -> list[User]:
    """The users with these usernames, in the order given (each once); ValidationFailed naming any unknown."""
    names = list(dict.fromkeys(usernames))
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    unknown = [name for name in names if name not in found]
    if unknown:
        raise ValidationFailed(
            "The members could not be saved.",
            fields={"members": [f"There is no Haven user with the username {name}" for name in unknown]},
        )
    return [found[name] for name in names]


@transaction.atomic
def members_set(*, actor: User, case: Case, data: MembersIn) -> Case:
    """Name the members of a restricted case (the owner always sees it), by username. Logged as alteration.

    A member must be an active user whose roles let them see cases at all; the owner needs no
    naming and is left out. Who was added and removed goes on the timeline and in the s62 log.
    Returns the case, its members saved.
    """
    _require(actor, case, Action.EDIT)
    case = Case.objects.select_for_update().select_related("subject").get(pk=case.pk)
    _require_open(case)
    chosen = {u.pk: u for u in _users_named(data.members) if u.pk != case.owner_id}
    problems = [
        f"{u.display_name} ({u.username}) cannot be a member: their account is not active or their roles "
        "do not let them see cases"
        for u in chosen.values()
        if not u.is_active or not u.has_perm(Perm.CASES_CASE_VIEW)
    ]
    if problems:
        raise ValidationFailed("Choose people who can see cases.", fields={"members": problems})
    before = {u.pk: u for u in case.members.all()}
    added = [u for pk, u in chosen.items() if pk not in before]
    removed = [u for pk, u in before.items() if pk not in chosen]
    if not added and not removed:
        return case
    case.members.set(list(chosen.values()))
    _bump(case)
    parts = []
    if added:
        parts.append("added " + ", ".join(u.rank_and_name for u in added))
    if removed:
        parts.append("removed " + ", ".join(u.rank_and_name for u in removed))
    _event(case, author=actor, text=f"Members changed by {actor.rank_and_name}: {'; '.join(parts)}.")
    kind, _why = s62.justification_for(actor, case)
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[case],
        justification="Changed who may see the restricted case.",
        justification_kind=kind or JustificationKind.STATED,
        detail={
            "members": sorted(u.username for u in chosen.values()),
            "added": sorted(u.username for u in added),
            "removed": sorted(u.username for u in removed),
        },
    )
    return case


# --- Closing and reopening ----------------------------------------------------------------------


@transaction.atomic
def case_close(*, actor: User, case: Case, data: CaseCloseIn) -> Case:
    """Close the case, giving a reason. Whoever may edit it may close it; a closed case is read-only.

    Refused (ValidationFailed listing every reason) while a handover awaits acknowledgement (M-10)
    or while a check the case's domain app registered (``haven.cases.closing``) says it cannot close
    yet. Logged as alteration, with the reason, and written on the timeline.
    """
    _require(actor, case, Action.EDIT)
    case = Case.objects.select_for_update().select_related("subject").get(pk=case.pk)
    if case.state == CaseState.CLOSED:
        raise Conflict(f"Case {case.reference} is already closed.", fields={"state": ["The case is closed."]})
    blockers = closing.close_blockers(case)
    if blockers:
        raise ValidationFailed("The case cannot be closed yet.", fields={"case": blockers})
    reason = data.reason
    _bump(case, state=CaseState.CLOSED, closed_at=clock.now(), queued_at=None)
    _event(case, author=actor, text=f"Case closed by {actor.rank_and_name}: {reason}")
    hooks.on_case_closed(case, actor=actor)
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[case],
        justification=reason,
        justification_kind=JustificationKind.STATED,
        detail={"state": CaseState.CLOSED.value},
    )
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, data: CaseReopenIn) -> Case:
    """Reopen a closed case, giving a reason: a supervisor's decision (POLICY's REOPEN scope).

    Logged as alteration, with the reason, and written on the timeline.
    """
    if not case_visible_to(actor).filter(pk=case.pk).exists():
        raise NotFound("Not found.")
    if not case_can(user=actor, case=case, action=Action.REOPEN):
        raise Forbidden("Only a supervisor of the case's team can reopen it.")
    case = Case.objects.select_for_update().select_related("subject").get(pk=case.pk)
    if case.state != CaseState.CLOSED:
        raise Conflict(f"Case {case.reference} is open.", fields={"state": ["The case is open."]})
    reason = data.reason
    _bump(case, state=CaseState.OPEN, closed_at=None)
    _event(case, author=actor, text=f"Case reopened by {actor.rank_and_name}: {reason}")
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[case],
        justification=reason,
        justification_kind=JustificationKind.STATED,
        detail={"state": CaseState.OPEN.value},
    )
    return case
