"""Force policy's input models (its two writes: change a setting, go back to the default) and the
API's output schemas. A value's own rules belong to its setting (haven.policy.registry), so the
service checks the value against the setting it is for."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, Schema

from haven.core.operations import Input
from haven.core.types import Says, Text
from haven.policy.registry import Setting

REASON_MAX = 2_000


class PolicySetIn(Input):
    value: Annotated[Any, Says("the new value")] = Field(
        description="The new value: whole minutes for a duration, a JSON value for a JSON setting."
    )
    reason: Annotated[
        str,
        Text(REASON_MAX, min_length=1),
        Says("the reason for the change", required="Give the reason for the change"),
    ] = Field(description="Why, e.g. the decision or document that sets the new policy. Kept with the change.")


class PolicyResetIn(Input):
    reason: Annotated[
        str,
        Text(REASON_MAX, min_length=1),
        Says("the reason for going back to the default", required="Give the reason for going back to the default"),
    ]


def in_minutes(value: Any) -> Any:
    """A value as the API gives it: a duration in whole minutes, anything else as it is."""
    return int(value.total_seconds() // 60) if isinstance(value, timedelta) else value


class SettingOut(Schema):
    """One row of ``selectors.policy_rows``: a setting with the value in force."""

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

    @staticmethod
    def resolve_key(row: dict[str, Any]) -> str:
        return _setting(row).key

    @staticmethod
    def resolve_label(row: dict[str, Any]) -> str:
        return _setting(row).label

    @staticmethod
    def resolve_section(row: dict[str, Any]) -> str:
        return _setting(row).section

    @staticmethod
    def resolve_rule_id(row: dict[str, Any]) -> str:
        return _setting(row).rule_id

    @staticmethod
    def resolve_kind(row: dict[str, Any]) -> str:
        return _setting(row).kind.value

    @staticmethod
    def resolve_help_text(row: dict[str, Any]) -> str:
        return _setting(row).help_text

    @staticmethod
    def resolve_value(row: dict[str, Any]) -> Any:
        return in_minutes(row["value"])

    @staticmethod
    def resolve_default(row: dict[str, Any]) -> Any:
        return in_minutes(_setting(row).default)


def _setting(row: dict[str, Any]) -> Setting[Any]:
    return row["setting"]  # type: ignore[no-any-return]


class ChangeOut(Schema):
    id: UUID = Field(alias="public_id")
    key: str
    old_display: str
    new_display: str
    reset_to_default: bool
    reason: str
    actor: str = Field(alias="actor.username")
    changed_at: datetime

    @staticmethod
    def resolve_reset_to_default(change: Any) -> bool:
        return change.new_value is None
