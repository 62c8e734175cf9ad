"""Force policy for where new work lands: each policing area's team queue (CONF).

A new report (a missing child today; referrals, police protection and custody later) is put in the queue
of the team responsible for its area, where the duty sergeant allocates it. Registered from
CasesConfig.ready(); read with ``haven.policy.selectors.policy_value``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from haven.policy.registry import Column, Rows, Setting, ValueKind

MAX_AREAS = 200


def areas_validate(value: Any) -> list[dict[str, str]]:
    """A list of ``{"area": name, "team": team code}``; the first is the default for work with no area.

    Team codes are checked against the teams when work is queued (a setting is validated at start-up,
    before the database is there); an unknown one falls back to the first area's team.
    """
    if not isinstance(value, list) or not value:
        raise ValidationError("List at least one area, each with the code of the team whose queue it fills.")
    if len(value) > MAX_AREAS:
        raise ValidationError(f"List at most {MAX_AREAS} areas.")
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, raw in enumerate(value, start=1):
        if not isinstance(raw, dict) or set(raw) != {"area", "team"}:
            raise ValidationError(f"Area {number} must have exactly an area name and a team code.")
        area, team = raw["area"], raw["team"]
        if not isinstance(area, str) or not area.strip() or len(area) > 100:
            raise ValidationError(f"Area {number}: give the area a name of at most 100 characters.")
        if not isinstance(team, str) or not team.strip() or len(team) > 16:
            raise ValidationError(f"Area {number}: give the code of a team, for example RESP-A.")
        if area.strip().casefold() in seen:
            raise ValidationError(f"Area {number}: {area.strip()} is listed twice.")
        seen.add(area.strip().casefold())
        cleaned.append({"area": area.strip(), "team": team.strip()})
    return cleaned


def areas_display(value: Any) -> str:
    try:
        return "; ".join(f"{a['area']}: {a['team']}" for a in areas_validate(value))
    except ValidationError:
        return "Not a valid list of areas"


QUEUE_AREAS: Setting[list[dict[str, str]]] = Setting(
    key="cases.queue_areas",
    label="Areas and the team queue each fills",
    help_text=(
        "Each policing area and the code of the team whose queue its new work lands in, where the duty "
        "sergeant allocates it. The first area is used when a report names none."
    ),
    default=[{"area": "North", "team": "RESP-A"}],
    kind=ValueKind.JSON,
    validate=areas_validate,
    describe=areas_display,
    editor=Rows(
        columns=(
            Column("area", "Area", hint="The policing area, as a report names it"),
            Column("team", "Team code", hint="The code of the team whose queue its work lands in", max_length=16),
        ),
        noun="area",
        max_rows=MAX_AREAS,
    ),
    section="Work queues",
)

SETTINGS = (QUEUE_AREAS,)
