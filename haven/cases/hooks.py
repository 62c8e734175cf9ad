"""Events of a case other apps act on, inside the service's transaction: a registry they fill in.

An app that acts on them calls :func:`listen` from its ``ready()`` (the deadlines app does, for M-10:
a handover starts an acknowledgement deadline for the new owner, escalating to the duty inspector when
not acknowledged in time; acknowledging meets it, a newer handover cancels it; a closed case's live
deadlines are cancelled). The cases app never imports its listeners: they sit above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case, Handover


class CaseClosedListener(Protocol):
    def __call__(self, case: Case, *, actor: User) -> None: ...


class OwnerChangedListener(Protocol):
    def __call__(self, case: Case, *, previous_owner: User, actor: User) -> None: ...


class GlassBrokenListener(Protocol):
    def __call__(self, case: Case, *, actor: User, reason: str) -> None: ...


HandoverListener = Callable[["Handover"], None]

_handover_started: list[HandoverListener] = []
_handover_ended: list[HandoverListener] = []
_case_closed: list[CaseClosedListener] = []
_owner_changed: list[OwnerChangedListener] = []
_case_queued: list[CaseClosedListener] = []
_glass_broken: list[GlassBrokenListener] = []


def listen(
    *,
    handover_started: HandoverListener | None = None,
    handover_ended: HandoverListener | None = None,
    case_closed: CaseClosedListener | None = None,
    owner_changed: OwnerChangedListener | None = None,
    case_queued: CaseClosedListener | None = None,
    glass_broken: GlassBrokenListener | None = None,
) -> None:
    """Add listeners (each once, however often ``ready()`` runs)."""
    _add(_handover_started, handover_started)
    _add(_handover_ended, handover_ended)
    _add(_case_closed, case_closed)
    _add(_owner_changed, owner_changed)
    _add(_case_queued, case_queued)
    _add(_glass_broken, glass_broken)


def _add[T](listeners: list[T], listener: T | None) -> None:
    if listener is not None and listener not in listeners:
        listeners.append(listener)


def on_handover_started(handover: Handover) -> None:
    """A handover now awaits acknowledgement (M-10)."""
    for listener in _handover_started:
        listener(handover)


def on_handover_ended(handover: Handover) -> None:
    """A handover was acknowledged or superseded (M-10)."""
    for listener in _handover_ended:
        listener(handover)


def on_case_closed(case: Case, *, actor: User) -> None:
    """A closed case is read-only: nothing may escalate about it."""
    for listener in _case_closed:
        listener(case, actor=actor)


def on_owner_changed(case: Case, *, previous_owner: User, actor: User) -> None:
    """The case has a new owner (``case.owner``, ``case.team`` already saved): an accepted handover or an
    allocation from a team's queue. Obligations that follow the owner move with it."""
    for listener in _owner_changed:
        listener(case, previous_owner=previous_owner, actor=actor)


def on_case_queued(case: Case, *, actor: User) -> None:
    """The case waits in its team's queue (``case.team``) for the duty sergeant to allocate it; it leaves
    the queue through :func:`on_owner_changed`."""
    for listener in _case_queued:
        listener(case, actor=actor)


def on_glass_broken(case: Case, *, actor: User, reason: str) -> None:
    """Someone opened the restricted ``case`` by breaking the glass: its owner is told in Haven."""
    for listener in _glass_broken:
        listener(case, actor=actor, reason=reason)
