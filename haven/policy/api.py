"""Force policy through the API (registered at /api/v1/policy): read every setting, change one, reset it.

Values travel in their stored form: whole minutes for durations, JSON as JSON. The two writes are
built from their declarations in ``haven.policy.operations``.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.policy import operations, selectors
from haven.policy.schemas import ChangeOut, SettingOut

router = Router(tags=["policy"])


@router.get(
    "",
    auth=needs(Perm.POLICY_SETTINGS_MANAGE),
    response={200: list[SettingOut], **errors()},
    summary="Every force policy setting",
)
def policy_list(request: HttpRequest) -> object:
    user = actor(request)
    return selectors.policy_rows(user=user)


@router.get(
    "/changes",
    auth=needs(Perm.POLICY_SETTINGS_MANAGE),
    response={200: list[ChangeOut], **errors()},
    summary="Changes to force policy",
)
def policy_changes(request: HttpRequest) -> object:
    user = actor(request)
    return list(selectors.policy_changes(user=user)[:500])


mount(router, operations.policy_set, operations.policy_reset)
