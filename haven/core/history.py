"""Field-level change history for models that hold personal data (DPA 2018 s62, rule DP-02).

Every such model is decorated with :func:`personal_data`: django-pghistory's database triggers record
each insert, update and delete (the delete event is the erasure record of the row's last state), with
the actor and request id as context (set by the request middleware and by the worker). Triggers
also catch ``.update()``, ``bulk_update()`` and raw SQL, which signal-based history would miss.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pghistory

M = TypeVar("M")


def personal_data(**kwargs: Any) -> Callable[[M], M]:
    """Track every insert, update and delete of the decorated model."""
    return pghistory.track(  # type: ignore[no-any-return]
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs
    )
