"""The briefing sheet for patrols (WeasyPrint): photo, description, risk, last seen, trigger-plan actions.

No restricted data: no addresses from the register, no health, ethnicity or gender notes, nothing
from the case notes. Printing it is a disclosure to patrols, logged (:func:`briefing_for_patrols`).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from haven.core import clock
from haven.core.errors import NotFound
from haven.missing import selectors, services
from haven.people.selectors import person_photo

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


def briefing_context(*, user: User, episode: Episode) -> dict[str, Any]:
    plan = selectors.trigger_plan(user=user, child=episode.child, episode=episode)
    return {
        "episode": episode,
        "child": episode.child,
        "photo": _photo(user, episode.child),
        "plan": plan,
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
