"""Where a case's own record is worked: each domain app names, for its case kind, the page of the
record the case envelope carries (a missing child's episode), so the case page, reached from "My cases",
the inbox or a deadline, leads on to it.

A domain app registers from its AppConfig.ready()::

    register_record_link(CaseKind.MISSING, lambda case: ("Open the missing episode", reverse(...)))

The cases app never imports its domain apps: they sit above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
