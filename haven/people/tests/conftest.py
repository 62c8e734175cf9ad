from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user("officer", roles=("investigator",))
