"""Where a case's own record is worked: each domain app names, for its case kind, the page of the
record the case envelope carries (a missing child's episode), so the case page, reached from "My cases",
the inbox or a deadline, leads on to it.

A domain app registers from its AppConfig.ready()::

    register_record_link(CaseKind.MISSING, lambda case: ("Open the missing episode", reverse(...)))

Other apps may also offer something to start from any case (a child concern referral), with
:func:`register_case_action`: the case page shows each as a button to those the action allows.

The cases app never imports its domain apps: they sit above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case

RecordLink = Callable[["Case"], "tuple[str, str] | None"]
"""(the link's words, its URL) for a case of the kind, or None when it has no record (yet)."""

_LINKS: dict[str, RecordLink] = {}


def register_record_link(kind: str, link: RecordLink) -> RecordLink:
    """The link to ``kind``'s record (idempotent for the same function)."""
    existing = _LINKS.get(kind)
    if existing is not None and existing is not link:
        raise ValueError(f"Case kind {kind!r} already has a record link.")
    _LINKS[kind] = link
    return link


def record_link(case: Case) -> tuple[str, str] | None:
    """(words, URL) of the page where ``case``'s own record is worked, or None."""
    link = _LINKS.get(case.kind)
    return link(case) if link is not None else None


CaseAction = Callable[["Case", "User"], "tuple[str, str] | None"]
"""(the button's words, its URL) for something ``user`` may start from ``case``, or None when they may not."""

_ACTIONS: list[CaseAction] = []


def register_case_action(action: CaseAction) -> CaseAction:
    """Offer ``action`` on every case page (each once, however often ``ready()`` runs). A domain app
    registers from its AppConfig.ready()::

        register_case_action(lambda case, user: ("Raise a child concern referral", reverse(...)))
    """
    if action not in _ACTIONS:
        _ACTIONS.append(action)
    return action


def case_actions(case: Case, *, user: User) -> list[tuple[str, str]]:
    """(words, URL) of each thing the other apps offer ``user`` to start from ``case``, in registration order."""
    return [found for action in _ACTIONS if (found := action(case, user)) is not None]
