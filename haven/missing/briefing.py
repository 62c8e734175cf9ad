"""The briefing sheet for patrols (WeasyPrint), headed MISSING or FOUND: photo, description, clothing,
what happened, risks to whoever finds the child, risk, last seen, and the trigger plan's associates,
places and other actions.

No restricted data: no addresses from the register (a refuge address never, even one typed into the
report or a plan), no health, ethnicity or gender notes, nothing from the case notes. Printing it is a
disclosure to patrols, logged (:func:`briefing_for_patrols`).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from haven.core import clock
from haven.core.errors import NotFound
from haven.missing import rules, selectors, services
from haven.people.selectors import person_photo, refuge_withheld

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.missing.models import Episode


def _photo(user: User, person: Any) -> str:
    """A data: URI of the child's photo, or "" when there is none or ``user`` may not see it."""
    try:
        data = person_photo(user=user, person=person)
    except NotFound:
        return ""
    if not data:
        return ""
    kind = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


ASSOCIATES = ("associate",)
PLACES = ("address", "place")


def state_title(episode: Episode) -> str:
    """What the sheet is headed with: MISSING while the child is missing, FOUND once found, else the end."""
    if episode.found_at is not None:
        return "FOUND"
    if episode.is_active:
        return "MISSING"
    return str(episode.get_state_display()).upper()


def _plan_lines(actions: list[Any], kinds: tuple[str, ...]) -> list[str]:
    return [refuge_withheld(a.text) for a in actions if a.kind in kinds]


def briefing_context(*, user: User, episode: Episode) -> dict[str, Any]:
    """What the sheet prints. Everything typed (last seen, what happened, the trigger plan's places) has
    every refuge address on the register withheld (DP-06): patrols never have the need-to-know."""
    plan = selectors.trigger_plan(user=user, child=episode.child, episode=episode)
    actions = list(plan["actions"])
    flags = rules.child_flags(episode.child)
    risks = [refuge_withheld(episode.risks_to_finder)] if episode.risks_to_finder else []
    if flags.exploitation:
        risks.append("Flagged at risk of exploitation: note who the child is with and any vehicle.")
    if episode.grade == "high":
        risks.append("Graded high risk: tell the control room at once.")
    return {
        "episode": episode,
        "child": episode.child,
        "title": state_title(episode),
        "photo": _photo(user, episode.child),
        "plan": plan,
        "last_seen_where": refuge_withheld(episode.last_seen_where),
        "circumstances": refuge_withheld(episode.circumstances),
        "found_where": refuge_withheld(episode.found_where),
        "risks": risks,
        "associates": _plan_lines(actions, ASSOCIATES),
        "places": _plan_lines(actions, PLACES),
        "other_actions": [refuge_withheld(a.text) for a in actions if a.kind not in ASSOCIATES + PLACES],
        "printed_at": timezone.localtime(clock.now()),
        "printed_by": user,
    }


def briefing_pdf(*, user: User, episode: Episode, base_url: str = "") -> bytes:
    from weasyprint import HTML

    html = render_to_string("missing/briefing.html", briefing_context(user=user, episode=episode))
    return HTML(string=html, base_url=base_url or None).write_pdf()  # type: ignore[no-any-return]


def briefing_for_patrols(*, user: User, episode: Episode, base_url: str = "") -> bytes:
    """The sheet as printed: made and logged as a disclosure to patrols in one transaction."""
    with transaction.atomic():
        pdf = briefing_pdf(user=user, episode=episode, base_url=base_url)
        services.briefing_printed(actor=user, episode=episode)
    return pdf
