"""Force policy's writes, declared once: change a setting, and go back to its default."""

from __future__ import annotations

from typing import Any

from haven.accounts.models import User
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.policy import selectors, services
from haven.policy.registry import Setting
from haven.policy.schemas import ChangeOut, PolicyResetIn, PolicySetIn


def _setting(actor: User, key: str) -> Setting[Any]:
    return selectors.policy_setting(user=actor, key=key)


policy_set = declare(
    "policy.policy_set",
    input=PolicySetIn,
    perm=Perm.POLICY_SETTINGS_MANAGE,
    service=services.policy_set,
    target="setting",
    api=Api(
        "PUT",
        "/{key}",
        out=ChangeOut,
        status=200,
        load=_setting,
        path_types={"key": str},
        summary="Change a setting",
        errors=(),
    ),
    page="policy:edit",
)

policy_reset = declare(
    "policy.policy_reset",
    input=PolicyResetIn,
    perm=Perm.POLICY_SETTINGS_MANAGE,
    service=services.policy_reset,
    target="setting",
    api=Api(
        "POST",
        "/{key}/reset",
        out=ChangeOut,
        status=200,
        load=_setting,
        path_types={"key": str},
        summary="Go back to the default",
        errors=(),
    ),
    page="policy:reset",
)
