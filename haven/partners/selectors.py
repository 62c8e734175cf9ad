"""Every partners read. A partner user sees only what was shared with their own agency: anything else
answers NotFound (404), so ids never leak. Each read of shared personal data writes an s62 row.

For the police side (haven.referrals' referral page): :func:`shared_state` answers, by the sharer's
reference, each agency it went to, when, whether and when it was acknowledged and by whom, and the
agency's decision (or a return home interview's outcome).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet

from haven.audit.choices import Operation
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.partners import s62
from haven.partners.choices import AgencyDecision, Field, ItemKind, RhiOutcome
from haven.partners.models import Agency, Membership, SharedItem

if TYPE_CHECKING:
    from haven.accounts.models import User


def agency_of(user: Any) -> Agency | None:
    """The agency a partner user belongs to (None for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = Membership.objects.filter(user=user).select_related("agency").first()
    return membership.agency if membership is not None and membership.agency.is_active else None


def _visible(user: Any) -> QuerySet[SharedItem]:
    agency = agency_of(user) if user.has_perm(Perm.PARTNER_SHARED_VIEW) else None
    if agency is None:
        return SharedItem.objects.none()
    return SharedItem.objects.filter(agency=agency).select_related("agency", "case", "acknowledged_by")


def items_for_partner(*, user: User, waiting: bool | None = None, limit: int = 200) -> list[SharedItem]:
    """What was shared with the user's agency, newest first (``waiting``: not yet acknowledged, or
    a referral without a decision / an interview without an outcome). One s62 row for the list."""
    items = list(_visible(user)[: limit * 2])
    if waiting is not None:
        items = [i for i in items if item_waiting(i) == waiting]
    items = items[:limit]
    if items:
        s62.record(actor=user, items=items, detail={"view": "partner portal"}, operation=Operation.CONSULTATION)
    return items


def item_waiting(item: SharedItem) -> bool:
    """Does the agency still owe an answer on ``item``?"""
    if item.acknowledged_at is None:
        return True
    if item.kind == ItemKind.REFERRAL:
        return not item.decision
    return item.rhi_outcome not in ("completed", "declined", "not_done")


def item_for_partner(*, user: User, public_id: UUID | str, log: bool = True) -> SharedItem:
    """One item shared with the user's agency (NotFound otherwise); logged as read."""
    try:
        item = _visible(user).get(public_id=public_id)
    except (SharedItem.DoesNotExist, ValueError, TypeError):
        raise NotFound("Not found.") from None
    if log:
        s62.record(actor=user, items=[item], detail={"view": "shared item"}, operation=Operation.CONSULTATION)
    return item


@dataclass(frozen=True)
class Projected:
    field: str
    label: str
    value: Any

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)


def projected(item: SharedItem) -> list[Projected]:
    """The snapshot in the order of the field vocabulary, with each field's label."""
    labels = dict(Field.choices)
    order = {key: n for n, key in enumerate(Field.values)}
    keys = sorted(item.projection, key=lambda k: order.get(k, len(order)))
    return [Projected(k, str(labels.get(k, k)), item.projection[k]) for k in keys]


# --- The police side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedState:
    """Where one shared item stands, for the police side."""

    item_id: UUID
    agency: str
    kind: ItemKind
    shared_at: datetime
    shared_by: str
    acknowledge_due_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str
    decision: AgencyDecision | None
    decision_label: str
    decision_notes: str
    decided_at: datetime | None
    rhi_outcome: RhiOutcome | None
    rhi_findings: str
    fields: tuple[str, ...]
    restricted: bool

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


def shared_state(*, user: User, reference: str, kind: ItemKind | str = ItemKind.REFERRAL) -> list[SharedState]:
    """Each agency the item ``reference`` (of ``kind``) was shared with, oldest share first.

    The caller (the referral's page) has already decided the user may see the referral; this writes
    one s62 consultation row when anything was shared (the agencies' notes are personal data)."""
    rows = list(
        SharedItem.objects.filter(reference=reference, kind=kind)
        .select_related("agency", "case", "shared_by", "acknowledged_by")
        .order_by("shared_at", "id")
    )
    if rows:
        s62.record(actor=user, items=rows, detail={"view": "shared state"}, operation=Operation.CONSULTATION)
    return [
        SharedState(
            item_id=r.public_id,
            agency=r.agency.name,
            kind=ItemKind(r.kind),
            shared_at=r.shared_at,
            shared_by=r.shared_by.display_name if r.shared_by else "Haven",
            acknowledge_due_at=r.acknowledge_due_at,
            acknowledged_at=r.acknowledged_at,
            acknowledged_by=r.acknowledged_by.display_name if r.acknowledged_by else "",
            decision=AgencyDecision(r.decision) if r.decision else None,
            decision_label=r.get_decision_display() if r.decision else "",
            decision_notes=r.decision_notes,
            decided_at=r.decided_at,
            rhi_outcome=RhiOutcome(r.rhi_outcome) if r.rhi_outcome else None,
            rhi_findings=r.rhi_findings,
            fields=tuple(r.projection),
            restricted=r.restricted,
        )
        for r in rows
    ]


# --- Agencies (administrators; and the share decision's list) --------------------------------------


def agencies_active() -> list[Agency]:
    """The agencies a referral may be shared with (no personal data: for the share decision's form)."""
    return list(Agency.objects.filter(is_active=True))


def agency_by_id(public_id: UUID | str) -> Agency:
    """An active agency by its id (the share decision names one); NotFound otherwise."""
    try:
        return Agency.objects.get(public_id=public_id, is_active=True)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise NotFound("Not found.") from None


def _require_manager(user: Any) -> None:
    if not user.has_perm(Perm.PARTNER_AGENCY_MANAGE):
        raise NotFound("Not found.")


def agencies(*, user: User) -> list[Agency]:
    _require_manager(user)
    return list(Agency.objects.prefetch_related("members__user"))


def agency_get(*, user: User, public_id: UUID | str) -> Agency:
    _require_manager(user)
    try:
        return Agency.objects.prefetch_related("members__user").get(public_id=public_id)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise NotFound("Not found.") from None


def agency_members(agency: Agency) -> list[User]:
    return [m.user for m in agency.members.all()]


def agency_fields(agency: Agency) -> list[str]:
    """The labels of the fields ``agency`` receives (its own list, else its kind's default)."""
    from haven.partners.choices import DEFAULT_PROJECTION, AgencyKind

    labels = dict(Field.choices)
    keys = list(agency.projection) or list(DEFAULT_PROJECTION[AgencyKind(agency.kind)])
    return [str(labels[k]) for k in keys if k in labels]
