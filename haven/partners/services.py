"""Every partners write: sharing with an agency (called by referrals and missing), the agencies and
their users (administrators), and what the agency sends back (acknowledgement, decision, the outcome
of a return home interview).

Sharing (:func:`share`) is the one door: it keeps a snapshot of exactly what was disclosed, tells the
agency's secure address that something waits (no personal data in the e-mail), writes the s62
disclosure naming the agency, and opens the acknowledgement deadline (S-02).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.audit.choices import Operation
from haven.core import clock
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.core.outbox import email_owe
from haven.core.permissions import Role
from haven.partners import deadlines as dl
from haven.partners import s62
from haven.partners.choices import (
    DEFAULT_PROJECTION,
    RESTRICTED,
    RHI_ENDED,
    AgencyKind,
    Field,
    ItemKind,
    RhiOutcome,
)
from haven.partners.models import Agency, Membership, SharedItem
from haven.partners.registry import RhiResult, rhi_listeners
from haven.partners.schemas import (
    AcknowledgeIn,
    AgencyDecisionIn,
    AgencyIn,
    MemberAddIn,
    MemberRemoveIn,
    RhiOutcomeIn,
)

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case

NOTICE = "partners.shared_notice"
"""The e-mail kind telling an agency's secure address that something was shared (no personal data)."""

RHI_LAWFUL_BASIS = "Children Act 2004 s11; DfE statutory guidance 2014 (return interviews)"


# --- Sharing ---------------------------------------------------------------------------------------


def projection_fields(agency: Agency) -> tuple[str, ...]:
    """The fields ``agency`` receives: its own list, else its kind's default."""
    return tuple(agency.projection) or tuple(DEFAULT_PROJECTION[AgencyKind(agency.kind)])


def _plain(value: Any) -> Any:
    """A projection's value as stored: text, or lists and mappings of text; times in UK words."""
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def project(agency: Agency, projection: Mapping[str, Any], *, restricted: bool) -> dict[str, Any]:
    """What ``agency`` may receive of ``projection``: only its fields, restricted ones only when
    ``restricted``, empty values dropped. An unknown field name is a bug in the caller."""
    unknown = set(projection) - set(Field.values)
    if unknown:
        raise ValueError(f"Unknown projection fields {sorted(unknown)}: use haven.partners.choices.Field.")
    allowed = set(projection_fields(agency))
    return {
        key: _plain(value)
        for key, value in projection.items()
        if key in allowed and (restricted or key not in RESTRICTED) and value not in (None, "", [], {})
    }


@transaction.atomic
def share(
    *,
    actor: User | None,
    agency: Agency,
    kind: ItemKind | str,
    reference: str,
    subject_summary: str,
    projection: Mapping[str, Any],
    restricted: bool,
    case: Case,
    lawful_basis: str,
    justification: str = "",
    person_ids: Iterable[UUID] = (),
) -> SharedItem:
    """Share one thing with one agency, in the caller's transaction; returns the :class:`SharedItem`.

    - ``kind``: :class:`ItemKind` (a referral, a return home interview request).
    - ``reference``: the sharer's own reference (a referral's reference or public id); the police side
      reads the item's state back by it (``selectors.shared_state``). At most one item per agency,
      kind and reference: sharing the same again is a Conflict.
    - ``subject_summary``: one line the partner's portal lists it by (e.g. "Ava Smith, 12, Leeds"); it
      is never put in the e-mail.
    - ``projection``: ``{Field value: value}`` with every field the sharer could give; values are text,
      lists of text or mappings of text (dates and times are written in words). Only the agency's
      fields are kept (its projection), restricted fields (``choices.RESTRICTED``) only when
      ``restricted`` (the share decision allowed them); what is kept is the snapshot the partner sees.
    - ``case``: the police case it belongs to; the acknowledgement deadline (S-02, one working day,
      named to ``actor``) hangs on it.
    - ``lawful_basis`` and ``justification`` go in the s62 disclosure row with the agency as its
      recipient (DP-01, S-04); ``person_ids`` are the people disclosed (public ids).

    The agency's secure address is owed an e-mail naming nobody: a link to the portal.
    """
    if not agency.is_active:
        raise Conflict(f"{agency.name} is no longer an active partner agency.", fields={"agency": ["Not active."]})
    if not lawful_basis.strip():
        raise ValidationFailed(
            "Give the lawful basis for sharing.", fields={"lawful_basis": ["Enter the lawful basis."]}
        )
    now = clock.now()
    item = SharedItem(
        agency=agency,
        kind=ItemKind(kind),
        reference=reference[:64],
        subject_summary=subject_summary[:200],
        projection=project(agency, projection, restricted=restricted),
        restricted=restricted,
        case=case,
        shared_by=actor,
        shared_at=now,
        acknowledge_due_at=clock.working_days_after(now, 1),
    )
    try:
        with transaction.atomic():
            item.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict(f"This was already shared with {agency.name}.", fields={"agency": ["Already shared."]}) from exc
    s62.disclosure(
        actor=actor,
        item=item,
        lawful_basis=lawful_basis,
        justification=justification or f"{item.get_kind_display()} shared with {agency.name}.",
        person_ids=person_ids,
    )
    email_owe(kind=NOTICE, address=agency.notice_email, context={"item": str(item.public_id)})
    dl.open_acknowledgement(actor=actor, item=item)
    return item


def agency_for_authority(authority: str) -> Agency | None:
    """The active children's services agency of the local authority called ``authority`` (its
    ``local_authority`` or its name, case and spaces ignored), or None."""
    wanted = " ".join(authority.split()).casefold()
    if not wanted:
        return None
    for agency in Agency.objects.filter(kind=AgencyKind.CHILDRENS_SERVICES, is_active=True):
        if wanted in (" ".join(agency.local_authority.split()).casefold(), agency.name.casefold()):
            return agency
    return None


@transaction.atomic
def rhi_request(
    *,
    actor: User | None,
    authority: str,
    reference: str,
    subject_summary: str,
    projection: Mapping[str, Any],
    case: Case,
    person_ids: Iterable[UUID] = (),
) -> SharedItem | None:
    """M-12: send a found child's return home interview request to ``authority``'s children's
    services in the portal. None when that authority is not a partner agency in Haven (the request
    then goes only by the route the requester recorded). The outcome comes back through
    :func:`haven.partners.registry.register_rhi_listener` with ``reference``."""
    agency = agency_for_authority(authority)
    if agency is None:
        return None
    return share(
        actor=actor,
        agency=agency,
        kind=ItemKind.RHI_REQUEST,
        reference=reference,
        subject_summary=subject_summary,
        projection=projection,
        restricted=False,
        case=case,
        lawful_basis=RHI_LAWFUL_BASIS,
        justification="Return home interview request to the responsible local authority (M-12).",
        person_ids=person_ids,
    )


@transaction.atomic
def rhi_answered_elsewhere(*, actor: User, reference: str) -> int:
    """M-12: the force recorded the return home interview's outcome itself (the authority told the officer
    by phone or e-mail): a portal request about it that was never acknowledged is no longer chased, so the
    officer is not told for months that the authority has yet to acknowledge it. How many were."""
    waiting = SharedItem.objects.filter(
        kind=ItemKind.RHI_REQUEST, reference=reference, acknowledged_at__isnull=True
    ).select_related("agency", "case")
    for item in waiting:
        dl.cancel_acknowledgement(actor=actor, item=item, reason="The interview's outcome was recorded by the force")
    return len(waiting)


# --- Agencies and their users (administrators) ----------------------------------------------------


def _agency_fields(agency: Agency, data: AgencyIn) -> None:
    agency.name, agency.kind, agency.local_authority = data.name, data.kind, data.local_authority
    agency.notice_email, agency.phone, agency.is_active = data.notice_email, data.phone, data.is_active
    agency.projection = [str(f) for f in dict.fromkeys(data.projection)] or list(
        DEFAULT_PROJECTION[AgencyKind(data.kind)]
    )


def _save_agency(agency: Agency) -> Agency:
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError as exc:
        raise Conflict("An agency of that name already exists.", fields={"name": ["Already in use."]}) from exc
    return agency


@transaction.atomic
def agency_create(*, actor: User, data: AgencyIn) -> Agency:
    agency = Agency()
    _agency_fields(agency, data)
    return _save_agency(agency)


@transaction.atomic
def agency_update(*, actor: User, agency: Agency, data: AgencyIn) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _agency_fields(agency, data)
    return _save_agency(agency)


def _user(username: str) -> User:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed("No active user has that username.", fields={"username": ["Enter a user's username."]})
    return user


@transaction.atomic
def member_add(*, actor: User, agency: Agency, data: MemberAddIn) -> Agency:
    """Make a partner user a member of ``agency``: a partner user belongs to exactly one agency."""
    user = _user(data.username)
    if Role.PARTNER not in user.roles:
        raise ValidationFailed(
            "Only a partner agency user can belong to an agency.",
            fields={"username": ["Give them the partner agency user role first."]},
        )
    existing = Membership.objects.select_for_update().filter(user=user).first()
    if existing is not None and existing.agency_id != agency.pk:
        raise Conflict(
            f"{user.display_name} already belongs to {existing.agency.name}: remove them there first.",
            fields={"username": ["Already in another agency."]},
        )
    if existing is None:
        Membership.objects.create(user=user, agency=agency, added_by=actor)
    s62.record(
        actor=actor,
        items=[],
        detail={"agency": agency.name, "member_added": user.username},
        operation=Operation.ALTERATION,
    )
    return agency


@transaction.atomic
def member_remove(*, actor: User, agency: Agency, data: MemberRemoveIn) -> Agency:
    deleted, _ = Membership.objects.filter(agency=agency, user__username=data.username).delete()
    if not deleted:
        raise ValidationFailed(
            "That user is not a member of this agency.", fields={"username": ["Not a member of this agency."]}
        )
    s62.record(
        actor=actor,
        items=[],
        detail={"agency": agency.name, "member_removed": data.username},
        operation=Operation.ALTERATION,
    )
    return agency


# --- What the agency sends back (partner users) ----------------------------------------------------


def _locked(actor: User, item: SharedItem) -> SharedItem:
    """The item, locked, if ``actor`` belongs to its agency (else NotFound: ids never leak)."""
    agency_id = Membership.objects.filter(user=actor).values_list("agency_id", flat=True).first()
    if agency_id is None or agency_id != item.agency_id:
        raise NotFound("Not found.")
    return SharedItem.objects.select_for_update(of=("self",)).select_related("agency", "case").get(pk=item.pk)


def _acknowledge(actor: User, item: SharedItem, now: datetime) -> None:
    item.acknowledged_at, item.acknowledged_by = now, actor
    dl.meet_acknowledgement(actor=actor, item=item)


@transaction.atomic
def item_acknowledge(*, actor: User, item: SharedItem, data: AcknowledgeIn) -> SharedItem:
    """The agency has received it (S-02): the acknowledgement deadline is met."""
    item = _locked(actor, item)
    if item.acknowledged_at is not None:
        raise Conflict("Your agency has already acknowledged this.", fields={"acknowledged": ["Already acknowledged."]})
    _acknowledge(actor, item, clock.now())
    item.save(update_fields=["acknowledged_at", "acknowledged_by"])
    s62.record(actor=actor, items=[item], detail={"step": "acknowledged"}, operation=Operation.ALTERATION)
    return item


@transaction.atomic
def item_decide(*, actor: User, item: SharedItem, data: AgencyDecisionIn) -> SharedItem:
    """The agency's decision on a referral (no further action, early help, s17, s47 strategy
    discussion) with its notes. Deciding acknowledges receipt too. Recorded once."""
    item = _locked(actor, item)
    if item.kind != ItemKind.REFERRAL:
        raise Conflict("A decision is recorded on a referral only.", fields={"decision": ["Not a referral."]})
    if item.decision:
        raise Conflict("Your agency's decision is already recorded.", fields={"decision": ["Already recorded."]})
    now = clock.now()
    fields = ["decision", "decision_notes", "decided_at", "decided_by"]
    if item.acknowledged_at is None:
        _acknowledge(actor, item, now)
        fields += ["acknowledged_at", "acknowledged_by"]
    item.decision, item.decision_notes, item.decided_at, item.decided_by = data.decision, data.notes, now, actor
    item.save(update_fields=fields)
    s62.record(
        actor=actor, items=[item], detail={"step": "decided", "decision": item.decision}, operation=Operation.ALTERATION
    )
    return item


@transaction.atomic
def item_rhi_outcome(*, actor: User, item: SharedItem, data: RhiOutcomeIn) -> SharedItem:
    """M-12: the local authority sends back what happened to the return home interview, and what it
    found. Each registered listener (haven.missing) records it on the episode in this transaction."""
    item = _locked(actor, item)
    if item.kind != ItemKind.RHI_REQUEST:
        raise Conflict(
            "An interview outcome is recorded on a return home interview request only.",
            fields={"outcome": ["Not a return home interview request."]},
        )
    if item.rhi_outcome in RHI_ENDED:
        raise Conflict("The interview's outcome is already recorded.", fields={"outcome": ["Already recorded."]})
    outcome = RhiOutcome(data.outcome)
    problems: dict[str, list[str]] = {}
    if outcome == RhiOutcome.COMPLETED and not data.interviewer:
        problems["interviewer"] = ["Enter who did the interview"]
    if outcome in (RhiOutcome.DECLINED, RhiOutcome.NOT_DONE) and not data.findings:
        problems["findings"] = ["Enter why the interview was declined or not done"]
    now = clock.now()
    if data.done_at is not None and data.done_at > now:
        problems["done_at"] = ["The date of the interview must be in the past"]
    if problems:
        raise ValidationFailed(next(iter(problems.values()))[0], fields=problems)
    fields = ["rhi_outcome", "rhi_interviewer", "rhi_done_at", "rhi_findings", "rhi_recorded_at", "rhi_recorded_by"]
    if item.acknowledged_at is None:
        _acknowledge(actor, item, now)
        fields += ["acknowledged_at", "acknowledged_by"]
    item.rhi_outcome, item.rhi_interviewer = outcome, data.interviewer
    item.rhi_done_at = data.done_at or (now if outcome == RhiOutcome.COMPLETED else None)
    item.rhi_findings, item.rhi_recorded_at, item.rhi_recorded_by = data.findings, now, actor
    item.save(update_fields=fields)
    s62.record(
        actor=actor,
        items=[item],
        detail={"step": "rhi_outcome", "outcome": outcome.value},
        operation=Operation.COLLECTION,
    )
    result = RhiResult(
        reference=item.reference,
        outcome=outcome,
        interviewer=item.rhi_interviewer,
        done_at=item.rhi_done_at,
        findings=item.rhi_findings,
        agency=item.agency.name,
    )
    for listener in rhi_listeners():
        listener(actor=actor, result=result)
    return item
