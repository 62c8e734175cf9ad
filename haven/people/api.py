"""The people routes of the JSON API (mounted by config/api.py at /api/v1/people).

Every read goes through the people selectors and is logged (s62 consultation); a person the caller
may not see answers 404, exactly like one that does not exist. A refuge address appears only for
callers with need-to-know; sensitive fields only with ``people:sensitive:view``. Writes are built
from their declarations in ``haven.people.operations``.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.core.types import PersonName
from haven.people import operations, selectors
from haven.people.schemas import PersonOut, SearchDateOfBirth, SearchHitOut

router = Router(tags=["people"])


@router.get(
    "",
    auth=needs(Perm.PEOPLE_PERSON_SEARCH),
    response={200: list[SearchHitOut], **errors(422)},
    summary="Search people",
)
def person_search(
    request: HttpRequest,
    q: Annotated[PersonName, Query(description="Name; typo-tolerant, aliases included.")] = "",
    dob: Annotated[
        SearchDateOfBirth | None, Query(description="Date of birth, exact or approximate (1900 to today).")
    ] = None,
    age: Annotated[
        int | None, Query(ge=0, le=120, description="Age in years: narrows a name search to about that age.")
    ] = None,
) -> list[selectors.SearchHit]:
    return selectors.person_search(user=actor(request), query=q, date_of_birth=dob, age=age)


@router.get(
    "/{public_id}",
    auth=needs(Perm.PEOPLE_PERSON_SEARCH),
    response={200: PersonOut, **errors(404, 422)},
    summary="One person",
)
def person_get(request: HttpRequest, public_id: UUID) -> selectors.PersonProfile:
    return selectors.person_profile(user=actor(request), public_id=public_id)


@router.get(
    "/{public_id}/photo",
    auth=needs(Perm.PEOPLE_PERSON_SEARCH),
    response={200: None, **errors(404, 422)},
    summary="The photograph (JPEG)",
    openapi_extra={
        "responses": {
            200: {  # an int, like Ninja's own keys: "200" would be a second, duplicate key in the JSON
                "description": "The photograph as a JPEG.",
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def photo_get(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = actor(request)
    person = selectors.person_get(user=user, public_id=public_id, log=False)
    image = selectors.person_photo(user=user, person=person)
    if image is None:
        raise NotFound("This person has no photograph.")
    response = HttpResponse(image, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


mount(router, *operations.ALL)
