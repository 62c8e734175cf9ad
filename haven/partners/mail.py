"""The e-mail an agency's secure address gets when something is shared: no name, no free text, only
that something waits in the portal and the link to it (docs/partners.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from haven.partners.models import SharedItem


def shared_notice(to: Any, context: dict[str, Any]) -> tuple[str, str] | None:
    item = SharedItem.objects.select_related("agency").filter(public_id=str(context.get("item", ""))).first()
    if item is None:
        return None
    what = item.get_kind_display().lower()
    link = f"{settings.HAVEN_BASE_URL}{reverse('partners:item', args=[item.public_id])}"
    return (
        f"Haven ({settings.HAVEN_FORCE_NAME}): a {what} for {item.agency.name}",
        f"Hello,\n\n{settings.HAVEN_FORCE_NAME} has shared a {what} with {item.agency.name} in the Haven "
        f"partner portal.\n\nSign in to read it and acknowledge that you have received it within one "
        f"working day:\n{link}\n\nThis e-mail holds no personal information. If you did not expect it, "
        f"tell the force's central referral unit.\n",
    )
