"""Missing's part of haven.workforce's capacity view: how many open enquiries each officer has
(registered from ``MissingConfig.ready()`` with ``haven.workforce.registry.register_work_counter``)."""

from __future__ import annotations

from django.db.models import Count

from haven.missing.choices import OPEN_ENQUIRY_STATUSES
from haven.missing.models import Enquiry
from haven.workforce.registry import WorkCounter


def open_enquiry_counts(user_ids: list[int]) -> dict[int, int]:
    """Open enquiries (raised, allocated, in progress) allocated to each of ``user_ids``: a count that
    shows no episode, so nothing to log."""
    rows = (
        Enquiry.objects.filter(allocated_to_id__in=user_ids, status__in=OPEN_ENQUIRY_STATUSES)
        .values("allocated_to_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["allocated_to_id"]: r["n"] for r in rows}


OPEN_ENQUIRIES = WorkCounter(key="enquiries", label="Open missing enquiries", count=open_enquiry_counts)
