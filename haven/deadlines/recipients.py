"""Who a ladder level means, for one deadline. Documented in docs/deadlines.md ("Who is told").

The team is the responsible team, else the responsible user's team, else the case's team.

- responsible: the responsible user if they are active; else the active members of the responsible team.
- supervisor: the team's duty sergeant(s) on duty now; with none on duty, by force policy
  (``accounts.no_duty_sergeant``) every supervisor of the team or its covering supervisor, each
  falling back to the other (``haven.accounts.selectors.team_supervisors``).
- duty inspector: the team's duty inspector(s) on duty now; with none on duty, by force policy
  (``accounts.no_duty_inspector``) every inspector of the team below superintendent rank, else of the
  force (the default), or every such inspector of the force (``team_duty_inspectors``).
- superintendent: active officers of superintendent rank or above (by rank seniority).

When a level finds nobody, the step goes one level up. If nobody is found at that level or above
(a force with no superintendent in Haven), the highest level below that has someone is told instead,
so an escalation always reaches a person; with nobody at all it is recorded with no recipient and
logged as an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from haven.accounts import selectors as accounts
from haven.deadlines.registry import NOTIFY_ORDER, Notify

if TYPE_CHECKING:
    from haven.accounts.models import Team, User


def _users() -> Any:
    from haven.accounts.models import User

    return User.objects.filter(is_active=True).select_related("rank", "team")


def _team(responsible_user: User | None, responsible_team: Team | None, case_team: Team | None) -> Team | None:
    if responsible_team is not None:
        return responsible_team
    if responsible_user is not None and responsible_user.team_id is not None:
        return responsible_user.team
    return case_team


def at_level(
    level: str, *, responsible_user: User | None, responsible_team: Team | None, case_team: Team | None = None
) -> list[User]:
    """The users ``level`` means for a deadline with these responsible parties (may be empty)."""
    level = Notify(level)
    team = _team(responsible_user, responsible_team, case_team)
    if level == Notify.RESPONSIBLE:
        if responsible_user is not None and responsible_user.is_active:
            return [responsible_user]
        if responsible_team is not None:
            return list(_users().filter(team=responsible_team))
        return []
    if level == Notify.SUPERVISOR:
        return accounts.team_supervisors(team) if team is not None else []
    if level == Notify.DUTY_INSPECTOR:
        return accounts.team_duty_inspectors(team)
    senior = accounts.superintendent_seniority()
    return list(_users().filter(rank__seniority__gte=senior, rank__is_police_staff=False))


def resolve(
    level: str, *, responsible_user: User | None, responsible_team: Team | None, case_team: Team | None = None
) -> tuple[str, list[User]]:
    """(the level actually told, its users): ``level``, or the first level above it that finds someone,
    else the nearest level below it that does."""
    start = NOTIFY_ORDER.index(Notify(level))
    for candidate in (*NOTIFY_ORDER[start:], *reversed(NOTIFY_ORDER[:start])):
        users = at_level(
            candidate, responsible_user=responsible_user, responsible_team=responsible_team, case_team=case_team
        )
        if users:
            return str(candidate), users
    return str(level), []
