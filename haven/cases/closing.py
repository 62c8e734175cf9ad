"""Domain apps' say over closing a case: a check per case kind that lists why it cannot close yet.

A domain app registers its check from its AppConfig.ready()::

    from haven.cases.closing import register_close_check

    def _episode_closable(case):
        return [] if case.missing_episode.prevention_interview_done else ["Record the prevention interview (M-11)."]

    register_close_check("missing", _episode_closable)

``services.case_close`` asks every check registered for the case's kind (and those registered for
every kind, ``ANY_KIND``) inside its transaction, with the case row locked; any reason refuses the
closure with ValidationFailed listing them all. A check must only read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.cases.models import Case

CloseCheck = Callable[["Case"], list[str]]

ANY_KIND = "*"
"""Register a check under this kind to have it asked for cases of every kind."""

_CHECKS: dict[str, list[CloseCheck]] = {}


def _handover_pending(case: Case) -> list[str]:
    """M-10: a case cannot close while a handover awaits acknowledgement."""
    if case.pending_owner_id is not None:
        return ["A handover awaits acknowledgement: the new owner must acknowledge it first."]
    return []


def register_close_check(kind: str, fn: CloseCheck) -> CloseCheck:
    """Ask ``fn(case)`` before a case of ``kind`` closes; it returns the reasons it cannot (empty: it can).

    Registering the same function twice for a kind has no further effect. Returns ``fn`` so it can
    be used as a decorator's body.
    """
    checks = _CHECKS.setdefault(str(kind), [])
    if fn not in checks:
        checks.append(fn)
    return fn


def unregister_close_check(kind: str, fn: CloseCheck) -> None:
    """Forget a check (for tests)."""
    checks = _CHECKS.get(str(kind), [])
    if fn in checks:
        checks.remove(fn)


def close_blockers(case: Case) -> list[str]:
    """Every reason why ``case`` cannot close yet: a pending handover (M-10), then what the checks
    registered for its kind and for every kind say, in registration order."""
    reasons: list[str] = []
    for fn in [_handover_pending, *_CHECKS.get(str(case.kind), []), *_CHECKS.get(ANY_KIND, [])]:
        for reason in fn(case) or []:
            if reason and reason not in reasons:
                reasons.append(str(reason))
    return reasons
