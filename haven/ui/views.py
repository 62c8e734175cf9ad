"""The home page and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haven.ui.home import sections_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's own work. Each domain app adds a section (haven.ui.home.register_home_section)."""
    return render(request, "ui/home.html", {"work_sections": sections_for(request)})


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the request context, in case the context is what failed."""
    return render(request, "500.html", {"request_id": getattr(request, "id", "")}, status=500)
