"""The partner portal's pages (being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haven.partners import selectors


def portal(request: HttpRequest) -> HttpResponse:
    items = selectors.items_for_partner(user=request.user)  # type: ignore[arg-type]
    return render(request, "partners/portal.html", {"items": items})


def item(request: HttpRequest, public_id: str) -> HttpResponse:
    shared = selectors.item_for_partner(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    return render(request, "partners/item.html", {"item": shared, "fields": selectors.projected(shared)})
