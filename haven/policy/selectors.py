"""Reading force policy. Everything that depends on a CONF rule reads it here, at the moment of use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import QuerySet

from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.policy import registry
from haven.policy.models import PolicyChange, PolicyOverride
from haven.policy.registry import Setting

if TYPE_CHECKING:
    from haven.accounts.models import User


def policy_value[T](setting: Setting[T]) -> T:
    """The force's value for ``setting`` (its override, else the default in code), as a Python value.

    A stored override that no longer passes the setting's rules (the rule was tightened in code
    since) is ignored in favour of the default rather than breaking every page that reads it.
    """
    stored = PolicyOverride.objects.filter(key=setting.key).values_list("value", flat=True).first()
    if stored is None:
        return setting.default
    try:
        return cast(T, setting.clean(setting.to_python(stored)))
    except Exception:  # noqa: BLE001 - see docstring: a stale override must not take pages down
        return setting.default


def _require(user: User) -> None:
    if not user.has_perm(Perm.POLICY_SETTINGS_MANAGE):
        raise NotFound("Page not found.")


def policy_rows(*, user: User) -> list[dict[str, Any]]:
    """Every setting with its current value, default, and whether the force changed it."""
    _require(user)
    overrides = {o.key: o for o in PolicyOverride.objects.select_related("changed_by")}
    rows = []
    for setting in registry.all_settings():
        override = overrides.get(setting.key)
        value = policy_value(setting) if override else setting.default
        rows.append(
            {
                "setting": setting,
                "value": value,
                "display": setting.display(value),
                "default_display": setting.display(setting.default),
                "overridden": override is not None,
                "override": override,
            }
        )
    return rows


def policy_setting(*, user: User, key: str) -> registry.Setting[Any]:
    _require(user)
    try:
        return registry.get(key)
    except LookupError:
        raise NotFound("Page not found.") from None


def policy_changes(*, user: User, key: str = "") -> QuerySet[PolicyChange]:
    """The change history, newest first; of one setting when ``key`` is given."""
    _require(user)
    changes = PolicyChange.objects.select_related("actor", "actor__rank")
    return changes.filter(key=key) if key else changes
