"""Helpers the section modules share: the area of a case and the team and area filters."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from haven.dmm.sections import Filters


def area_expression(episode: str = "") -> Coalesce:
    """The local-authority area of a missing episode: the host authority, else the responsible one.

    ``episode`` is the path to the episode ("" on Episode itself, "case__missing_episode__" from a case).
    Haven has no other notion of area yet: rows without an episode have none ("").
    """
    return Coalesce(
        NullIf(F(f"{episode}host_authority"), Value("")),
        NullIf(F(f"{episode}responsible_authority"), Value("")),
        Value(""),
        output_field=CharField(),
    )


def filtered(rows: QuerySet[Any], filters: Filters, *, team: str, area: str | None = "area") -> QuerySet[Any]:
    """``rows`` narrowed to the team code (field path ``team``) and the area (annotation ``area``)."""
    if filters.team:
        rows = rows.filter(Q(**{f"{team}__code": filters.team}))
    if filters.area:
        rows = rows.filter(Q(**{area: filters.area})) if area else rows.none()
    return rows
