"""Force policy through the API (registered at /api/v1/policy): read every setting, change one, reset it.

Values travel in their stored form: whole minutes for durations, JSON as JSON.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from haven.api.auth import require
from haven.api.errors import errors
from haven.core.errors import ValidationFailed
from haven.core.permissions import Perm
from haven.policy import registry, selectors, services
from haven.policy.models import PolicyChange

router = Router(tags=["policy"])


class SettingOut(Schema):
    key: str
    label: str
    section: str
    rule_id: str
    kind: str
    help_text: str
    value: Any = Field(description="The value in force (minutes for a duration).")
    default: Any
    overridden: bool
    display: str


class ChangeIn(Schema):
    value: Any = Field(description="The new value: minutes for a duration, a JSON value for a JSON setting.")
    reason: str = Field(min_length=1, max_length=2000)


class ResetIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class ChangeOut(Schema):
    id: Any
    key: str
    old_display: str
    new_display: str
    reset_to_default: bool
    reason: str
    actor: str
    changed_at: datetime


def _stored(setting: registry.Setting, value: Any) -> Any:
    return int(value.total_seconds() // 60) if isinstance(value, timedelta) else value


def _row(row: dict[str, Any]) -> dict[str, Any]:
    setting: registry.Setting = row["setting"]
    return {
        "key": setting.key,
        "label": setting.label,
        "section": setting.section,
        "rule_id": setting.rule_id,
        "kind": setting.kind.value,
        "help_text": setting.help_text,
        "value": _stored(setting, row["value"]),
        "default": _stored(setting, setting.default),
        "overridden": row["overridden"],
        "display": row["display"],
    }


def _change(change: PolicyChange) -> dict[str, Any]:
    return {
        "id": change.public_id,
        "key": change.key,
        "old_display": change.old_display,
        "new_display": change.new_display,
        "reset_to_default": change.new_value is None,
        "reason": change.reason,
        "actor": change.actor.username,
        "changed_at": change.changed_at,
    }


def _python(setting: registry.Setting, value: Any) -> Any:
    """The API's value as a Python value for the service; a duration arrives as minutes."""
    if setting.kind == registry.ValueKind.DURATION:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationFailed("Enter a whole number of minutes.", fields={"value": ["Enter a whole number."]})
        return timedelta(minutes=value)
    return value


@router.get("", response={200: list[SettingOut], **errors()}, summary="Every force policy setting")
def policy_list(request: HttpRequest) -> object:
    user = require(request, Perm.POLICY_SETTINGS_MANAGE)
    return [_row(r) for r in selectors.policy_rows(user=user)]


@router.get("/changes", response={200: list[ChangeOut], **errors()}, summary="Changes to force policy")
def policy_changes(request: HttpRequest) -> object:
    user = require(request, Perm.POLICY_SETTINGS_MANAGE)
    return [_change(c) for c in selectors.policy_changes(user=user)[:500]]


@router.put("/{key}", response={200: ChangeOut, **errors(400, 404, 422)}, summary="Change a setting")
def policy_set(request: HttpRequest, key: str, payload: ChangeIn) -> object:
    user = require(request, Perm.POLICY_SETTINGS_MANAGE)
    setting = selectors.policy_setting(user=user, key=key)
    value = _python(setting, payload.value)
    return _change(services.policy_set(actor=user, key=key, value=value, reason=payload.reason))


@router.post("/{key}/reset", response={200: ChangeOut, **errors(400, 404, 422)}, summary="Go back to the default")
def policy_reset(request: HttpRequest, key: str, payload: ResetIn) -> object:
    user = require(request, Perm.POLICY_SETTINGS_MANAGE)
    selectors.policy_setting(user=user, key=key)
    return _change(services.policy_reset(actor=user, key=key, reason=payload.reason))
