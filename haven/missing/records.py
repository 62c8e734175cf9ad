"""The missing episode as its case's record: the case page links on to it (registered in ready())."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from haven.cases.models import Case


def episode_link(case: Case) -> tuple[str, str] | None:
    """("Open the missing episode", its page) for a missing case; None before the episode exists."""
    from haven.missing.models import Episode

    public_id = Episode.objects.filter(case=case).values_list("public_id", flat=True).first()
    return ("Open the missing episode", reverse("missing:detail", args=[public_id])) if public_id else None
