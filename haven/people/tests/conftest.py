from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haven.people import services


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user("officer", roles=("investigator",))


@pytest.fixture
def make_person(officer: Any) -> Callable[..., Any]:
    def make(forenames: str = "Amy", surname: str = "Jones", *, actor: Any = None, **fields: Any) -> Any:
        fields.setdefault("duplicate_reason", "test fixture")
        return services.person_create(actor=actor or officer, forenames=forenames, surname=surname, **fields)

    return make
