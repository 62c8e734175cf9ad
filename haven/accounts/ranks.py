"""The ranks of police officers in England and Wales and the usual police staff grades, as every force
starts with them. A force can add, rename or retire them on the administration pages; putting back a
missing one never undoes that (it only adds codes that are absent)."""

from __future__ import annotations

import uuid
from typing import Any

RANKS = [
    # code, name, seniority, police staff
    ("PC", "Police Constable", 10, False),
    ("DC", "Detective Constable", 10, False),
    ("PS", "Police Sergeant", 20, False),
    ("DS", "Detective Sergeant", 20, False),
    ("INSP", "Inspector", 30, False),
    ("DI", "Detective Inspector", 30, False),
    ("CI", "Chief Inspector", 40, False),
    ("DCI", "Detective Chief Inspector", 40, False),
    ("SUPT", "Superintendent", 50, False),
    ("DSUPT", "Detective Superintendent", 50, False),
    ("CSUPT", "Chief Superintendent", 60, False),
    ("ACC", "Assistant Chief Constable", 70, False),
    ("DCC", "Deputy Chief Constable", 80, False),
    ("CC", "Chief Constable", 90, False),
    ("STAFF", "Police staff (scales 1–6)", 5, True),
    ("SO", "Police staff senior officer", 25, True),
    ("PO", "Police staff principal officer", 45, True),
]


def ranks_ensure(rank_model: Any = None) -> int:
    """Add any standard rank that is missing; how many were. ``rank_model`` is the migration's historical
    model when a migration calls this, the live one otherwise."""
    if rank_model is None:
        from haven.accounts.models import Rank as rank_model
    added = 0
    for code, name, seniority, staff in RANKS:
        _, made = rank_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "seniority": seniority, "is_police_staff": staff, "public_id": uuid.uuid4()},
        )
        added += made
    return added
