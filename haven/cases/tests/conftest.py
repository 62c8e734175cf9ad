"""Fixtures for the cases tests: people, cases, and the s62 rows they leave."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haven.cases import services
from haven.cases.choices import Sensitivity


@pytest.fixture
def make_person(db: Any) -> Callable[..., Any]:
    from haven.people.models import Person

    counter = {"n": 0}

    def make(forenames: str = "Child", surname: str | None = None, **kwargs: Any) -> Any:
        counter["n"] += 1
        surname = surname or f"Testchild{counter['n']}"
        return Person.objects.create(
            forenames=forenames, surname=surname, normalised_name=f"{forenames} {surname}".lower(), **kwargs
        )

    return make


@pytest.fixture
def make_case(make_person: Callable[..., Any]) -> Callable[..., Any]:
    """``make_case(owner, restricted=False, members=(), subject=None, summary="")`` opens a case as ``owner``."""

    def make(
        owner: Any, *, restricted: bool = False, members: tuple[Any, ...] = (), subject: Any = None, summary: str = ""
    ) -> Any:
        case = services.case_open(
            actor=owner,
            subject=subject or make_person(),
            summary=summary,
            sensitivity=Sensitivity.RESTRICTED if restricted else Sensitivity.NORMAL,
        )
        if members:
            case.members.set(members)
        return case

    return make


@pytest.fixture
def events() -> Callable[..., list[Any]]:
    """``events(case=…, outcome=…, operation=…, actor=…)`` → the s62 rows that match, oldest first."""

    def find(*, case: Any = None, **filters: Any) -> list[Any]:
        from haven.audit.models import AccessEvent

        rows = AccessEvent.objects.filter(**filters)
        if case is not None:
            rows = rows.filter(case_ids__contains=[case.public_id])
        return list(rows.order_by("id"))

    return find
