"""The missing routes of the JSON API (registered in config/api.py at /api/v1/missing).

Every step of the episode journey is a write declared in ``haven.missing.operations`` and mounted
here: report (with an idempotency key, so a call-handling system can retry safely), risk assessment,
obligations, enquiries, supervisor review, found, prevention interview, return home interview,
exploitation prompt, close, cancel, escalate, found deceased. Handover (M-10) is on the episode's
case: ``POST /api/v1/cases/{case_id}/handover``. The reads are the two routes below.
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.missing import operations, selectors
from haven.missing.schemas import BriefingOut, EpisodeDetailOut, EpisodeOut

router = Router(tags=["missing"])


@router.get(
    "/episodes",
    auth=needs(Perm.MISSING_EPISODE_VIEW),
    response={200: list[EpisodeOut], **errors(422)},
    summary="Missing episodes you can see",
)
def episode_list(request: HttpRequest, active: bool = True) -> object:
    user = actor(request)
    return selectors.episode_list(user=user, active=active, query=request.GET.urlencode())


@router.get(
    "/episodes/{episode_id}",
    auth=needs(Perm.MISSING_EPISODE_VIEW),
    response={200: EpisodeDetailOut, **errors(404, 422)},
    summary="One missing episode",
)
def episode_get(request: HttpRequest, episode_id: UUID) -> object:
    user = actor(request)
    return selectors.episode_get(user=user, public_id=episode_id)


@router.get(
    "/episodes/{episode_id}/briefing",
    auth=needs(Perm.MISSING_EPISODE_VIEW),
    response={200: BriefingOut, **errors(404, 422)},
    summary="The briefing of a child missing now: for any operational officer helping find them (logged)",
)
def episode_briefing(request: HttpRequest, episode_id: UUID) -> object:
    user = actor(request)
    episode = selectors.episode_for_locating(user=user, public_id=episode_id)
    return selectors.briefing(user=user, episode=episode)


mount(router, *operations.ALL)
