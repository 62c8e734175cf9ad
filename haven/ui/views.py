"""The home page and the error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

import haven
from haven.ui.home import sections_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's own work. Each domain app adds a section (haven.ui.home.register_home_section)."""
    return render(request, "ui/home.html", {"work_sections": sections_for(request)})


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the request's context (no context processors), in case the context is what
    failed; the page's header and footer need only the force's name and Haven's version."""
    context = {
        "request_id": getattr(request, "id", ""),
        "force_name": settings.HAVEN_FORCE_NAME,
        "haven_version": haven.__version__,
    }
    return HttpResponse(render_to_string("500.html", context), status=500)
