"""Force policy for duty (``SETTINGS``, registered from AccountsConfig.ready): who stands in when
nobody is on a team's duty.

Accounts sits below haven.policy in the layers, so its selectors do not read overrides themselves:
AccountsConfig.ready() installs haven.policy's reader with :func:`install_reader`. Until then (and in
code that runs before the apps are ready) each setting reads as its default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from haven.core.permissions import ROLE_PERMISSIONS, Perm, Role
from haven.policy.registry import Choices, Setting, ValueKind

# When nobody is on duty as the team's duty sergeant.
NO_SERGEANT_TEAM_SUPERVISORS = "team_supervisors"
NO_SERGEANT_COVERING = "covering_supervisor"

NO_DUTY_SERGEANT = Setting(
    key="accounts.no_duty_sergeant",
    label="Who is told when a team has no duty sergeant",
    help_text="When nobody is on duty as a team's duty sergeant, its work and escalations for a "
    "supervisor go to these people. If they find nobody, the other choice is used.",
    default=NO_SERGEANT_TEAM_SUPERVISORS,
    kind=ValueKind.CHOICE,
    choices=(
        (NO_SERGEANT_TEAM_SUPERVISORS, "Every supervisor of the team"),
        (NO_SERGEANT_COVERING, "The team's covering supervisor"),
    ),
    section="Duty",
)

# When nobody is on duty as the team's duty inspector.
NO_INSPECTOR_TEAM_THEN_FORCE = "team_then_force"
NO_INSPECTOR_FORCE = "force"

NO_DUTY_INSPECTOR = Setting(
    key="accounts.no_duty_inspector",
    label="Who is told when a team has no duty inspector",
    help_text="When nobody is on duty as a team's duty inspector, escalations for the duty inspector "
    "go to these people (inspectors below superintendent rank).",
    default=NO_INSPECTOR_TEAM_THEN_FORCE,
    kind=ValueKind.CHOICE,
    choices=(
        (NO_INSPECTOR_TEAM_THEN_FORCE, "Every inspector of the team, else of the force"),
        (NO_INSPECTOR_FORCE, "Every inspector of the force"),
    ),
    section="Duty",
)

# Granting these roles needs a second administrator's approval (four eyes) and raises an auditor alert.
CASE_DATA_READS = frozenset(
    {
        Perm.AUDIT_LOG_VIEW,
        Perm.CASES_CASE_VIEW,
        Perm.CASES_RESTRICTED_VIEW,
        Perm.CUSTODY_DETENTION_VIEW,
        Perm.DMM_BOARD_VIEW,
        Perm.MISSING_EPISODE_VIEW,
        Perm.PARTNER_SHARED_VIEW,
        Perm.PEOPLE_PERSON_SEARCH,
        Perm.PEOPLE_SENSITIVE_VIEW,
    }
)
"""The permissions that read case data (or the log of who read it)."""

DEFAULT_SECOND_APPROVER_ROLES = [
    role.value
    for role in Role
    # The administrator role too: a second administrator account is a second pair of eyes.
    if role in (Role.AUDITOR, Role.ADMINISTRATOR) or ROLE_PERMISSIONS[role] & CASE_DATA_READS
]


def _roles(value: object) -> list[str]:
    """A list of role names, each known, without repeats (in the roles' order)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Give a list of roles.")
    unknown = sorted(set(value) - set(Role.values))
    if unknown:
        raise ValidationError(f"There is no role {', '.join(unknown)}.")
    if Role.AUDITOR.value not in value:
        raise ValidationError("Granting the auditor role always needs a second administrator.")
    return [role for role in Role.values if role in value]


def _describe(value: list[str]) -> str:
    return ", ".join(Role(role).label for role in value) or "None"


SECOND_APPROVER_ROLES: Setting[list[str]] = Setting(
    key="accounts.second_approver_roles",
    label="Roles a second administrator must approve",
    help_text="Giving a user one of these roles needs a second administrator's approval, and the auditors "
    "are told when it is given. By default the auditor role and every role that reads case data.",
    default=DEFAULT_SECOND_APPROVER_ROLES,
    kind=ValueKind.JSON,
    validate=_roles,
    describe=_describe,
    editor=Choices(tuple(Role.choices)),
    section="Users and roles",
)

SETTINGS = (NO_DUTY_SERGEANT, NO_DUTY_INSPECTOR, SECOND_APPROVER_ROLES)

_reader: Callable[[Setting[Any]], Any] | None = None


def install_reader(reader: Callable[[Setting[Any]], Any]) -> None:
    """Read settings through ``reader`` (haven.policy.selectors.policy_value) from now on."""
    global _reader
    _reader = reader


def value[T](setting: Setting[T]) -> T:
    """The force's value for ``setting``: its override once the policy reader is installed, else its default."""
    if _reader is None:
        return setting.default
    result: T = _reader(setting)
    return result
