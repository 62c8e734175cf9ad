"""Guidance fixtures: a library administrator and items added through the declared writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from haven.core.operations import run
from haven.guidance import operations

NOON = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 1 June 2026, UK time 12:00


@pytest.fixture(autouse=True)
def _noon(clock: Any) -> None:
    clock.freeze(NOON)


@pytest.fixture
def librarian(make_user: Callable[..., Any]) -> Any:
    return make_user("lib", roles=("administrator",), rank=None, team="ADMIN")


@pytest.fixture
def make_item(librarian: Any) -> Callable[..., Any]:
    """``make_item(title, places=[...], roles=[...])``: an item added (and made required) by the librarian."""

    def make(
        title: str = "What to do when a child is reported missing",
        *,
        kind: str = "video",
        places: tuple[str, ...] = ("reporting_missing",),
        roles: tuple[str, ...] = (),
        review_date: date = date(2026, 12, 1),
        **extra: Any,
    ) -> Any:
        data = {
            "title": title,
            "kind": kind,
            "summary": "The first questions, the grading and the searches to start at once.",
            "places": list(places),
            "review_date": review_date.isoformat(),
            "url": "https://learning.example.police.uk/briefing",
            **extra,
        }
        item = run(operations.item_create, actor=librarian, data=data)
        if roles:
            item = run(operations.required_roles_set, actor=librarian, target=item, data={"roles": list(roles)})
        return item

    return make


@pytest.fixture
def read(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``read(officer, item)``: the officer records reading the item's current version."""

    def record(officer: Any, item: Any) -> Any:
        from haven.guidance.selectors import item_get

        item = item_get(user=officer, public_id=item.public_id)
        return run(operations.read_record, actor=officer, target=item, data={"version": item.current.number})

    return record


def publish(librarian: Any, item: Any, *, what: str = "Adds the trigger plan check.") -> Any:
    return run(
        operations.version_publish,
        actor=librarian,
        target=item,
        data={"what_changed": what, "review_date": "2027-01-01"},
    )
