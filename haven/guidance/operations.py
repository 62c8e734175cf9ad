"""Every write to the guidance library, declared once (docs/architecture.md, "One declaration per write")."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.guidance import selectors, services
from haven.guidance.models import GuidanceItem
from haven.guidance.schemas import (
    ItemCreateIn,
    ItemDetailOut,
    ReadIn,
    ReadOut,
    RequiredRolesIn,
    RetireIn,
    VersionPublishIn,
)


def _item(actor: User, item_id: UUID) -> GuidanceItem:
    return selectors.item_get(user=actor, public_id=item_id)


def item_out(item: GuidanceItem) -> dict[str, Any]:
    """An item as the API lists it."""
    return {
        "id": str(item.public_id),
        "title": item.title,
        "kind": item.kind,
        "summary": item.summary,
        "places": item.places,
        "owner": item.owner.username,
        "team": item.team.code if item.team else None,
        "review_date": item.review_date,
        "past_review": selectors.past_review(item),
        "status": item.status,
        "required_roles": item.required_roles,
        "current_version": item.current.number if item.current else None,
    }


def item_detail_out(actor: User, item: GuidanceItem) -> dict[str, Any]:
    """One item with its versions, and whether the caller has read the current one."""
    return {
        **item_out(item),
        "versions": [
            {
                "number": v.number,
                "published_on": v.published_on,
                "what_changed": v.what_changed,
                "url": v.url,
                "file_reference": v.file_reference,
            }
            for v in item.versions.order_by("-number")
        ],
        "read_current": selectors.read_current(user=actor, item=item) is not None,
        "retired_reason": item.retired_reason,
    }


def _answer(actor: User, item: GuidanceItem) -> dict[str, Any]:
    return item_detail_out(actor, selectors.item_get(user=actor, public_id=item.public_id))


def _read_answer(actor: User, read: Any) -> dict[str, Any]:
    return {"item": str(read.version.item.public_id), "version": read.version.number, "read_at": read.read_at}


def _manage(method: str, path: str, summary: str, *, status: int = 201) -> Api:
    return Api(
        method,  # type: ignore[arg-type]
        path,
        out=ItemDetailOut,
        load=_item,
        answer=_answer,
        status=status,
        errors=(404, 409),
        summary=summary,
    )


item_create = declare(
    "guidance.item_create",
    input=ItemCreateIn,
    perm=Perm.GUIDANCE_LIBRARY_MANAGE,
    service=services.item_create,
    api=Api(
        "POST",
        "/items",
        out=ItemDetailOut,
        answer=_answer,
        errors=(),
        summary="Add a guidance document or video briefing to the library, with its first version",
    ),
    page="guidance:create",
)

version_publish = declare(
    "guidance.version_publish",
    input=VersionPublishIn,
    perm=Perm.GUIDANCE_LIBRARY_MANAGE,
    service=services.version_publish,
    target="item",
    api=_manage(
        "POST",
        "/items/{item_id}/versions",
        "Publish a new version: earlier reads stop counting, so it must be read again",
    ),
    page="guidance:publish",
)

required_roles_set = declare(
    "guidance.required_roles_set",
    input=RequiredRolesIn,
    perm=Perm.GUIDANCE_LIBRARY_MANAGE,
    service=services.required_roles_set,
    target="item",
    api=_manage(
        "PUT",
        "/items/{item_id}/required-roles",
        "Make an item required reading for roles (none: no longer required); it counts toward their training",
        status=200,
    ),
    page="guidance:require",
)

item_retire = declare(
    "guidance.item_retire",
    input=RetireIn,
    perm=Perm.GUIDANCE_LIBRARY_MANAGE,
    service=services.item_retire,
    target="item",
    api=_manage(
        "POST", "/items/{item_id}/retirement", "Retire an item: it leaves the library and is no longer required"
    ),
    page="guidance:retire",
)

read_record = declare(
    "guidance.read_record",
    input=ReadIn,
    perm=Perm.GUIDANCE_LIBRARY_VIEW,
    service=services.read_record,
    target="item",
    api=Api(
        "POST",
        "/items/{item_id}/reads",
        out=ReadOut,
        load=_item,
        answer=_read_answer,
        errors=(404, 409),
        summary="Record that you read (or watched) the current version; for required reading it counts "
        "toward your training",
    ),
    page="guidance:read",
)
