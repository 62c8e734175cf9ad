"""Need-to-know: the one policy table of who may do what to which records.

Each row is role × action → scope. ``OWN``: records the user owns (allocated to them); ``TEAM``:
records owned by the user's team, or by them; ``FORCE``: every record in the force. Restricted
records narrow any scope to their named members; anyone else whose VIEW scope would reach the record
may break the glass with a reason, which is logged and tells the owner. Selectors turn this table into one ``visible_to(user)``
queryset per record type; nothing else decides visibility.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from haven.core.permissions import Role

if TYPE_CHECKING:
    from haven.accounts.models import User


class Scope(IntEnum):
    """How far a grant reaches; larger includes smaller."""

    OWN = 1
    TEAM = 2
    FORCE = 3


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    HANDOVER = "handover"


R, A, S = Role, Action, Scope

# role → action → scope. Absent means no access at all.
POLICY: dict[Role, dict[Action, Scope]] = {
    R.CALL_HANDLER: {A.VIEW: S.FORCE},  # must see any child's history at first contact
    R.RESPONSE_OFFICER: {A.VIEW: S.TEAM, A.EDIT: S.OWN, A.HANDOVER: S.OWN},
    R.INVESTIGATOR: {A.VIEW: S.TEAM, A.EDIT: S.OWN, A.HANDOVER: S.OWN},
    R.SUPERVISOR: {A.VIEW: S.FORCE, A.EDIT: S.TEAM, A.HANDOVER: S.TEAM},
    R.INSPECTOR: {A.VIEW: S.FORCE, A.EDIT: S.TEAM, A.HANDOVER: S.FORCE},
    R.CRSU_OFFICER: {A.VIEW: S.FORCE, A.EDIT: S.TEAM, A.HANDOVER: S.TEAM},
    R.CUSTODY_OFFICER: {A.VIEW: S.TEAM, A.EDIT: S.OWN},
    R.ANALYST: {A.VIEW: S.FORCE},
    R.AUDITOR: {A.VIEW: S.FORCE},
    R.PARTNER: {},  # partners see only what was shared with them (referrals issue)
    R.ADMINISTRATOR: {},  # runs Haven; no access to case data by virtue of the role
}


def scope_for(user: User, action: Action) -> Scope | None:
    """The widest scope any of the user's roles gives for ``action``, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    scopes = [POLICY[Role(r)].get(action) for r in user.roles if r in Role.values]
    granted = [s for s in scopes if s is not None]
    return max(granted) if granted else None
