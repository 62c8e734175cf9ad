"""Changing force policy. Every change is recorded with who, when, why, old and new value.

Both writes are declared in ``haven.policy.operations`` (the permission is checked there); the
reason's rules are its input model's, and a value's rules are its setting's (checked here).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from haven.core import clock
from haven.core.errors import ValidationFailed
from haven.policy import registry
from haven.policy.models import PolicyChange, PolicyOverride
from haven.policy.schemas import PolicyResetIn, PolicySetIn
from haven.policy.selectors import policy_value

if TYPE_CHECKING:
    from haven.accounts.models import User


def _record(*, actor: User, setting: registry.Setting[Any], old: Any, new: Any, reason: str) -> PolicyChange:
    return PolicyChange.objects.create(
        key=setting.key,
        old_value=old.value if old is not None else None,
        new_value=new,
        old_display=setting.display(policy_value(setting)),
        new_display=setting.display(setting.to_python(new) if new is not None else setting.default),
        reason=reason,
        actor=actor,
        changed_at=clock.now(),
    )


def _python(setting: registry.Setting[Any], value: Any) -> Any:
    """The value as the setting takes it: a duration is given in whole minutes (or, from Python code,
    as a ``timedelta``); anything else as it is."""
    if setting.kind != registry.ValueKind.DURATION or isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        message = "Enter a whole number of minutes"
        raise ValidationFailed(message, fields={"value": [message]})
    return timedelta(minutes=value)


@transaction.atomic
def policy_set(*, actor: User, setting: registry.Setting[Any], data: PolicySetIn) -> PolicyChange:
    """Give ``setting`` the force's own value. Applies from now on."""
    try:
        stored = setting.to_stored(_python(setting, data.value))
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], fields={"value": exc.messages}) from None
    old = PolicyOverride.objects.select_for_update().filter(key=setting.key).first()
    if (old.value if old else setting.to_stored(setting.default)) == stored:
        raise ValidationFailed(
            "That is already the value.", fields={"value": ["Enter a value different from the current one"]}
        )
    change = _record(actor=actor, setting=setting, old=old, new=stored, reason=data.reason)
    PolicyOverride.objects.update_or_create(key=setting.key, defaults={"value": stored, "changed_by": actor})
    return change


@transaction.atomic
def policy_reset(*, actor: User, setting: registry.Setting[Any], data: PolicyResetIn) -> PolicyChange:
    """Go back to the default in code for ``setting``."""
    old = PolicyOverride.objects.select_for_update().filter(key=setting.key).first()
    if old is None:
        raise ValidationFailed("This setting already has its default value.")
    change = _record(actor=actor, setting=setting, old=old, new=None, reason=data.reason)
    old.delete()
    return change
