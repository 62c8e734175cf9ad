"""Primary navigation: each app registers its entries from its AppConfig.ready(); each user sees those
they may use."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from haven.core.permissions import Perm


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    order: int
    perm: Perm | None = None  # None: everyone signed in

    def href(self) -> str:
        return reverse(self.url_name)


_ITEMS: list[NavItem] = []


def register_nav_item(item: NavItem) -> None:
    """Add ``item`` to the navigation; an item for the same page again changes nothing."""
    if item.url_name not in {i.url_name for i in _ITEMS}:
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    user = request.user
    visible = []
    for item in _ITEMS:
        if item.perm is not None and not user.has_perm(item.perm):
            continue
        href = item.href()
        active = request.path == href if href == "/" else request.path.startswith(href)
        visible.append({"text": item.text, "href": href, "active": active})
    return visible
