"""Reading the guidance library. Guidance is not personal data: anyone with the library permission
reads it, and those reads are not logged. Who has read an item is staff data: showing it (to a library
manager or the item's owner) is an s62 consultation naming every officer shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from haven.core.errors import NotFound
from haven.core.permissions import Perm, Role
from haven.guidance import s62
from haven.guidance.choices import Place, Status
from haven.guidance.models import GuidanceItem, GuidanceRead, GuidanceVersion
from haven.workforce.selectors import today

if TYPE_CHECKING:
    from haven.accounts.models import User

__all__ = [
    "DUE_WITHIN_DAYS",
    "Readers",
    "due_for_review",
    "for_place",
    "item_get",
    "item_list",
    "may_manage",
    "may_see_readers",
    "read_current",
    "readers",
    "today",
]

DUE_WITHIN_DAYS = 30  # an owner sees an item this many days before its review date


def may_manage(user: User) -> bool:
    return user.has_perm(Perm.GUIDANCE_LIBRARY_MANAGE)


def _items() -> QuerySet[GuidanceItem]:
    return GuidanceItem.objects.select_related("owner", "owner__rank", "team").prefetch_related(
        Prefetch("versions", queryset=GuidanceVersion.objects.order_by("-number"))
    )


def _with_current(items: list[GuidanceItem] | QuerySet[GuidanceItem]) -> list[GuidanceItem]:
    out = list(items)
    for item in out:
        versions = list(item.versions.all())
        item.current = versions[0] if versions else None
    return out


def past_review(item: GuidanceItem, on: date | None = None) -> bool:
    return item.status == Status.CURRENT and item.review_date < (on or today())


def item_list(*, user: User, place: str = "", q: str = "", retired: bool = False) -> list[GuidanceItem]:
    """The library: current items (retired ones too for a library manager who asks), by title; ``place``
    keeps those that apply there, ``q`` those whose title holds the words."""
    if not user.has_perm(Perm.GUIDANCE_LIBRARY_VIEW):
        return []
    items = _items()
    if not (retired and may_manage(user)):
        items = items.filter(status=Status.CURRENT)
    if place in Place.values:
        items = items.filter(places__contains=[place])
    for word in q.split()[:10]:
        items = items.filter(title__icontains=word)
    return _with_current(items.order_by("status", "title"))


def item_get(*, user: User, public_id: UUID | str) -> GuidanceItem:
    """One item with its current version (404 for an id that is none, or a reader without the library)."""
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    if not user.has_perm(Perm.GUIDANCE_LIBRARY_VIEW):
        raise NotFound("Not found.")
    found = _with_current(_items().filter(public_id=public_id))
    if not found:
        raise NotFound("Not found.")
    return found[0]


def for_place(*, user: User, place: Place | str) -> list[GuidanceItem]:
    """The current items for one place, for the "Guidance" panel on its screens."""
    return item_list(user=user, place=str(place))


def due_for_review(*, user: User) -> list[GuidanceItem]:
    """The current items ``user`` owns whose review date is within 30 days or past, soonest first."""
    if not user.has_perm(Perm.GUIDANCE_LIBRARY_VIEW):
        return []
    horizon = today() + timedelta(days=DUE_WITHIN_DAYS)
    items = _items().filter(owner=user, status=Status.CURRENT, review_date__lte=horizon).order_by("review_date")
    return _with_current(items)


def read_current(*, user: User, item: GuidanceItem) -> GuidanceRead | None:
    """The user's read of the item's current version, if they have recorded one."""
    if item.current is None:
        return None
    return GuidanceRead.objects.filter(version=item.current, reader=user).first()


def may_see_readers(*, user: User, item: GuidanceItem) -> bool:
    return may_manage(user) or item.owner_id == user.pk


@dataclass(frozen=True)
class ReaderRow:
    officer: User
    read_at: datetime | None  # when they recorded reading the current version; None: not yet


@dataclass(frozen=True)
class Readers:
    rows: list[ReaderRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def read(self) -> int:
        return sum(1 for row in self.rows if row.read_at is not None)

    @property
    def percent(self) -> int:
        """Whole percent, rounded down, as the workforce compliance counts."""
        return self.read * 100 // self.total if self.total else 0


def readers(*, user: User, item: GuidanceItem) -> Readers:
    """Who must read the item (active officers holding a role it is required of) and who has read the
    current version. For library managers and the item's owner; a consultation naming the officers."""
    if not may_see_readers(user=user, item=item):
        raise NotFound("Not found.")
    roles = [r for r in item.required_roles if r in Role.values]
    if not roles or item.current is None:
        return Readers(rows=[])
    officers = list(
        get_user_model()
        .objects.filter(is_active=True, roles__overlap=roles)
        .select_related("rank", "team")
        .order_by("last_name", "first_name")
    )
    read = dict(
        GuidanceRead.objects.filter(version=item.current, reader__in=officers).values_list("reader_id", "read_at")
    )
    s62.record_readers(
        actor=user,
        officers=[o.username for o in officers],
        detail={"read": "who has read a guidance item", "item": str(item.public_id)},
    )
    return Readers(rows=[ReaderRow(officer=o, read_at=read.get(o.pk)) for o in officers])
