"""Need-to-know: the one policy table of who may do what to which records.

Each row is role × action → scope. ``OWN``: records the user owns (allocated to them); ``TEAM``:
records owned by the user's team, or by them; ``FORCE``: every record in the force. Restricted
records narrow any scope to their named members; anyone else whose VIEW scope would reach the record
may break the glass with a reason, which is logged and tells the owner. Selectors turn this table
into one ``visible_to(user)`` queryset per record type (``scope_q`` builds its filter; ``reaches`` is
the same test for one record in memory); nothing else decides visibility.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from django.db.models import Q

from haven.core.permissions import Role

if TYPE_CHECKING:
    from haven.accounts.models import User


class Scope(IntEnum):
    """How far a grant reaches; larger includes smaller."""

    OWN = 1
    TEAM = 2
    FORCE = 3


class Action(StrEnum):
    VIEW = "view"  # read the record (and break the glass on a restricted one within this scope)
    EDIT = "edit"  # change it, add notes
    HANDOVER = "handover"  # give it to another owner (rule M-10)
    OPEN = "open"  # open a new record, owned by oneself (scope is always OWN)
    REOPEN = "reopen"  # reopen a closed record, giving a reason: a supervisor's decision


R, A, S = Role, Action, Scope

# role → action → scope. Absent means no access at all.
POLICY: dict[Role, dict[Action, Scope]] = {
    # Must see any child's history at first contact; records on the cases they open.
    R.CALL_HANDLER: {A.VIEW: S.FORCE, A.EDIT: S.OWN, A.OPEN: S.OWN},
    R.RESPONSE_OFFICER: {A.VIEW: S.TEAM, A.EDIT: S.OWN, A.HANDOVER: S.OWN, A.OPEN: S.OWN},
    R.INVESTIGATOR: {A.VIEW: S.TEAM, A.EDIT: S.OWN, A.HANDOVER: S.OWN, A.OPEN: S.OWN},
    R.SUPERVISOR: {A.VIEW: S.FORCE, A.EDIT: S.TEAM, A.HANDOVER: S.TEAM, A.OPEN: S.OWN, A.REOPEN: S.TEAM},
    R.INSPECTOR: {A.VIEW: S.FORCE, A.EDIT: S.TEAM, A.HANDOVER: S.FORCE, A.OPEN: S.OWN, A.REOPEN: S.TEAM},
    R.CRSU_OFFICER: {A.VIEW: S.FORCE, A.EDIT: S.TEAM, A.HANDOVER: S.TEAM, A.OPEN: S.OWN},
    R.CUSTODY_OFFICER: {A.VIEW: S.TEAM, A.EDIT: S.OWN, A.OPEN: S.OWN},
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


def reaches(scope: Scope | None, *, owns: bool, team_owns: bool) -> bool:
    """Whether ``scope`` reaches a record the user owns (``owns``) or their team owns (``team_owns``).

    The Python twin of :func:`scope_q`, for one record already in memory.
    """
    if scope is None:
        return False
    if scope >= Scope.FORCE:
        return True
    if scope >= Scope.TEAM and team_owns:
        return True
    return owns


def scope_q(user: User, action: Action, *, owner: str = "owner", team: str = "team") -> Q | None:
    """The filter that ``action``'s scope gives ``user`` over a record type, or None for no access.

    ``owner`` and ``team`` name the record's owning-user and owning-team fields. Everything for FORCE
    (``pk IS NOT NULL``, not ``Q()``, which would vanish when OR-ed with another filter); owner, team,
    or a team the user covers as its covering supervisor for TEAM; owner only for OWN. Restricted records
    are narrowed further by their selector (named members), never here.
    """
    scope = scope_for(user, action)
    if scope is None:
        return None
    if scope >= Scope.FORCE:
        return Q(pk__isnull=False)
    mine = Q(**{owner: user})
    if scope >= Scope.TEAM:
        # A team with no supervisor of its own names a covering supervisor, whose team scope reaches it too.
        covered = Q(**{f"{team}__covering_supervisor": user})
        return mine | covered | Q(**{team: user.team_id}) if user.team_id is not None else mine | covered
    return mine
