"""The guidance routes of the JSON API (mounted by config/api.py at /api/v1/guidance).

Guidance is not personal data: reading the library is not logged. Writes are built from their
declarations in ``haven.guidance.operations``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.guidance import operations, selectors
from haven.guidance.choices import Place
from haven.guidance.schemas import ItemDetailOut, ItemOut

router = Router(tags=["guidance"])


class ItemFilter(Schema):
    place: Place | None = Field(default=None, description="Only items that apply here.")
    q: str = Field(default="", max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$", description="Words in the title.")


@router.get(
    "/items",
    auth=needs(Perm.GUIDANCE_LIBRARY_VIEW),
    response={200: list[ItemOut], **errors(422)},
    summary="The guidance library: current documents and video briefings, by title",
)
def item_list(request: HttpRequest, filters: Query[ItemFilter]) -> list[dict[str, Any]]:
    user = actor(request)
    items = selectors.item_list(user=user, place=filters.place or "", q=filters.q)
    return [operations.item_out(item) for item in items]


@router.get(
    "/items/{item_id}",
    auth=needs(Perm.GUIDANCE_LIBRARY_VIEW),
    response={200: ItemDetailOut, **errors(404, 422)},
    summary="One guidance item with its versions, and whether you have read the current one",
)
def item_get(request: HttpRequest, item_id: UUID) -> dict[str, Any]:
    user = actor(request)
    return operations.item_detail_out(user, selectors.item_get(user=user, public_id=item_id))


mount(
    router,
    operations.item_create,
    operations.version_publish,
    operations.required_roles_set,
    operations.item_retire,
    operations.read_record,
)
