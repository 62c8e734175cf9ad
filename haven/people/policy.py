"""Force policy for the person register: who holds a safeguarding role that needs refuge addresses (DP-06).

Registered from PeopleConfig.ready() (``SETTINGS``); read with ``haven.policy.selectors.policy_value``
at the moment of use.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from haven.core.permissions import Role
from haven.policy.registry import Choices, Setting, ValueKind

_ROLES = {role.value for role in Role}


def roles_validate(value: Any) -> list[str]:
    """A list of role codes (``crsu_officer``…), each at most once; an empty list names none."""
    if not isinstance(value, list) or not all(isinstance(role, str) for role in value):
        raise ValidationError("List the roles by their codes, for example crsu_officer.")
    unknown = sorted(set(value) - _ROLES)
    if unknown:
        raise ValidationError(f"{', '.join(unknown)} is not a Haven role. The roles are {', '.join(sorted(_ROLES))}.")
    return list(dict.fromkeys(value))


def roles_describe(value: list[str]) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels[role]) for role in value) if value else "None"


REFUGE_ROLES = Setting(
    key="people.refuge_roles",
    label="Roles that may see refuge addresses without a case or membership",
    help_text=(
        "People holding one of these roles may ask to see a child's refuge address, giving a reason each time, "
        "as the allocated officer of a case about the child and the named members of a restricted child may. "
        "Everyone else sees that the address is withheld."
    ),
    default=[Role.CRSU_OFFICER.value],
    kind=ValueKind.JSON,
    validate=roles_validate,
    describe=roles_describe,
    editor=Choices(tuple(Role.choices)),
    rule_id="DP-06",
    section="Need to know",
)

SETTINGS = (REFUGE_ROLES,)
