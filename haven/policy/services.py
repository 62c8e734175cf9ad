"""Changing force policy. Every change is recorded with who, when, why, old and new value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from haven.core import clock
from haven.core.errors import Forbidden, ValidationFailed
from haven.core.permissions import Perm
from haven.policy import registry
from haven.policy.models import PolicyChange, PolicyOverride
from haven.policy.selectors import policy_value

if TYPE_CHECKING:
    from haven.accounts.models import User


def _check(actor: User, reason: str) -> str:
    if not actor.has_perm(Perm.POLICY_SETTINGS_MANAGE):
        raise Forbidden("Only an administrator may change force policy.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            "Give the reason for the change.", fields={"reason": ["Give the reason for the change."]}
        )
    if len(reason) > 2000:
        raise ValidationFailed("The reason is too long.", fields={"reason": ["Use 2,000 characters or fewer."]})
    return reason


def _record(*, actor: User, setting: registry.Setting, old: Any, new: Any, reason: str) -> PolicyChange:
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


@transaction.atomic
def policy_set(*, actor: User, key: str, value: Any, reason: str) -> PolicyChange:
    """Give ``key`` the force's own ``value`` (a Python value). Applies from now on."""
    reason = _check(actor, reason)
    setting = registry.get(key)
    try:
        stored = setting.to_stored(value)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], fields={"value": exc.messages}) from None
    old = PolicyOverride.objects.select_for_update().filter(key=key).first()
    if (old.value if old else setting.to_stored(setting.default)) == stored:
        raise ValidationFailed(
            "That is already the value.", fields={"value": ["Enter a value different from the current one."]}
        )
    change = _record(actor=actor, setting=setting, old=old, new=stored, reason=reason)
    PolicyOverride.objects.update_or_create(key=key, defaults={"value": stored, "changed_by": actor})
    return change


@transaction.atomic
def policy_reset(*, actor: User, key: str, reason: str) -> PolicyChange:
    """Go back to the default in code for ``key``."""
    reason = _check(actor, reason)
    setting = registry.get(key)
    old = PolicyOverride.objects.select_for_update().filter(key=key).first()
    if old is None:
        raise ValidationFailed("This setting already has its default value.")
    change = _record(actor=actor, setting=setting, old=old, new=None, reason=reason)
    old.delete()
    return change
