"""Force policy for duty (``SETTINGS``, registered from AccountsConfig.ready): who stands in when
nobody is on a team's duty.

Accounts sits below haven.policy in the layers, so its selectors do not read overrides themselves:
AccountsConfig.ready() installs haven.policy's reader with :func:`install_reader`. Until then (and in
code that runs before the apps are ready) each setting reads as its default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from haven.policy.registry import Setting, ValueKind

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

SETTINGS = (NO_DUTY_SERGEANT, NO_DUTY_INSPECTOR)

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
