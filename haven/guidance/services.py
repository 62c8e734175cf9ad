"""Writes to the guidance library: add an item, publish a new version, make it required reading for
roles, retire it, and record that an officer read (or watched) the current version.

Required reading is a workforce qualification, one per item (``guidance_<item id>``), kept through
``haven.workforce.services``: making an item required defines it as mandatory for those roles; a read
of the current version records the officer's qualification (evidence "Version N read on …", verified
by the reader themselves: reading is self-declared); a new version ends every earlier read on the day
it is published, so the item counts again only once the officer has read the new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from haven.accounts.selectors import team_list, user_by_reference
from haven.core import clock
from haven.core.errors import Conflict, ValidationFailed
from haven.guidance import s62
from haven.guidance.choices import Status
from haven.guidance.models import GuidanceItem, GuidanceRead, GuidanceVersion
from haven.guidance.schemas import ItemCreateIn, ReadIn, RequiredRolesIn, RetireIn, VersionPublishIn
from haven.workforce import services as workforce
from haven.workforce.schemas import QualificationRecordIn
from haven.workforce.selectors import today

if TYPE_CHECKING:
    from haven.accounts.models import Team, User


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _link(data: ItemCreateIn | VersionPublishIn) -> None:
    if not data.url and not data.file_reference:
        raise _fail("url", "Enter the web address of the document or video, or its document store reference")


def _review_date(data: ItemCreateIn | VersionPublishIn) -> None:
    if data.review_date <= today():
        raise _fail("review_date", "The review date must be in the future")


def _team(actor: User, code: str) -> Team | None:
    if not code:
        return None
    team = team_list(actor=actor).filter(code__iexact=code).first()
    if team is None:
        raise _fail("team", f"There is no team with the code {code}")
    return team


def _current(item: GuidanceItem) -> GuidanceVersion:
    version = item.versions.order_by("-number").first()
    assert version is not None  # noqa: S101 - an item is created with its first version
    return version


@transaction.atomic
def item_create(*, actor: User, data: ItemCreateIn) -> GuidanceItem:
    _link(data)
    _review_date(data)
    owner = user_by_reference(data.owner, field="owner") if data.owner else actor
    item = GuidanceItem.objects.create(
        title=data.title,
        kind=data.kind,
        summary=data.summary,
        owner=owner,
        team=_team(actor, data.team),
        places=list(dict.fromkeys(data.places)),
        review_date=data.review_date,
    )
    item.current = GuidanceVersion.objects.create(
        item=item,
        number=1,
        published_on=today(),
        published_by=actor,
        what_changed="First published.",
        url=data.url,
        file_reference=data.file_reference,
    )
    return item


def _editable(item: GuidanceItem) -> GuidanceItem:
    locked = GuidanceItem.objects.select_for_update().get(pk=item.pk)
    if locked.is_retired:
        raise Conflict("This guidance has been retired: it cannot change.")
    return locked


@transaction.atomic
def version_publish(*, actor: User, item: GuidanceItem, data: VersionPublishIn) -> GuidanceItem:
    """A new version: the link (unless kept), the next review date and what changed. Every earlier read
    stops counting today, so everyone it is required of must read the new one."""
    item = _editable(item)
    _review_date(data)
    previous = _current(item)
    if not data.url and not data.file_reference:
        data = data.model_copy(update={"url": previous.url, "file_reference": previous.file_reference})
    item.current = GuidanceVersion.objects.create(
        item=item,
        number=previous.number + 1,
        published_on=today(),
        published_by=actor,
        what_changed=data.what_changed,
        url=data.url,
        file_reference=data.file_reference,
    )
    item.review_date = data.review_date
    item.save(update_fields=["review_date"])
    if item.qualification_code:
        workforce.qualification_records_end(code=item.qualification_code, on=today())
    return item


def qualification_code(item: GuidanceItem) -> str:
    return f"guidance_{item.public_id.hex}"


@transaction.atomic
def required_roles_set(*, actor: User, item: GuidanceItem, data: RequiredRolesIn) -> GuidanceItem:
    """Make the item required reading for ``data.roles`` (none: no longer required). Its workforce
    qualification is mandatory for exactly those roles, and switched off when none is left."""
    item = _editable(item)
    roles = [str(r) for r in dict.fromkeys(data.roles)]
    item.required_roles = roles
    if roles or item.qualification_code:
        item.qualification_code = item.qualification_code or qualification_code(item)
        workforce.qualification_define(
            code=item.qualification_code,
            name=item.title,
            mandatory=bool(roles),
            mandatory_for_roles=roles,
            active=bool(roles),
        )
    item.save(update_fields=["required_roles", "qualification_code"])
    item.current = _current(item)
    return item


@transaction.atomic
def item_retire(*, actor: User, item: GuidanceItem, data: RetireIn) -> GuidanceItem:
    """Withdraw an item from use: it leaves the library and the panels, and is no longer required."""
    item = _editable(item)
    item.status, item.retired_at, item.retired_reason = Status.RETIRED, clock.now(), data.reason
    item.save(update_fields=["status", "retired_at", "retired_reason"])
    if item.qualification_code:
        workforce.qualification_define(
            code=item.qualification_code,
            name=item.title,
            mandatory=False,
            mandatory_for_roles=item.required_roles,
            active=False,
        )
    item.current = _current(item)
    return item


@transaction.atomic
def read_record(*, actor: User, item: GuidanceItem, data: ReadIn) -> GuidanceRead:
    """The officer read (or watched) the current version. Kept for good; where the item is required
    reading it is recorded on the officer's training record, verified by themselves."""
    item = GuidanceItem.objects.select_for_update().get(pk=item.pk)
    if item.is_retired:
        raise Conflict("This guidance has been retired.")
    current = _current(item)
    if data.version != current.number:
        raise Conflict(f"Version {current.number} is the current one: read it, then record that you have.")
    if GuidanceRead.objects.filter(version=current, reader=actor).exists():
        raise Conflict(f"You have already recorded that you {item.read_verb} version {current.number}.")
    read = GuidanceRead.objects.create(version=current, reader=actor, read_at=clock.now())
    if item.qualification_code and item.required_roles:
        day = today()
        workforce.qualification_record(
            actor=actor,
            officer=actor,
            data=QualificationRecordIn(
                qualification=item.qualification_code,
                achieved_on=day,
                evidence_reference=f"Version {current.number} {item.read_verb} on {day.day} {day:%B %Y}",
            ),
        )
    else:
        s62.record_read(actor=actor, detail={"step": "guidance_read", "item": str(item.public_id)})
    return read
