"""The detention as its case's record: the case page (reached from a deadline or "My cases") links on to
it (registered in ready())."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from haven.cases.models import Case


def detention_link(case: Case) -> tuple[str, str] | None:
    """("Open the detention record", its page) for a custody case; None before the detention exists."""
    from haven.custody.models import Detention

    public_id = Detention.objects.filter(case=case).values_list("public_id", flat=True).first()
    return ("Open the detention record", reverse("custody:detail", args=[public_id])) if public_id else None
