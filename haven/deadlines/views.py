"""Deadline pages. Thin: selectors in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from haven.cases.selectors import case_read_record
from haven.core.permissions import Perm
from haven.deadlines import home, presenters, selectors
from haven.ui.decorators import permission_required

PAGE_SIZE = 50
VIEWS = {"mine": "My deadlines", "team": "My team's deadlines"}


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def deadline_list(request: HttpRequest) -> HttpResponse:
    """Every live deadline of the user (or their team): overdue first, then due soonest."""
    user: Any = request.user
    show = request.GET.get("show", "mine")
    show = show if show in VIEWS else "mine"
    query = selectors.team_deadlines(user=user) if show == "team" else selectors.my_deadlines(user=user)
    page = Paginator(query, PAGE_SIZE).get_page(request.GET.get("page"))
    deadlines = list(page.object_list)
    case_read_record(user=user, cases=list({d.case_id: d.case for d in deadlines}.values()))
    return render(
        request,
        "deadlines/deadline_list.html",
        {"page": page, "rows": presenters.rows(deadlines), "show": show, "views": VIEWS, "title": VIEWS[show]},
    )


@never_cache
@require_GET
def section_refresh(request: HttpRequest, which: str) -> HttpResponse:
    """One section, for htmx to swap in place of the one on the page. 401 once signed out and 403
    without the right to see cases (htmx swaps nothing on either); 404 for an unknown section."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    if which not in home.TITLES:
        return HttpResponse(status=404)
    built = home.section(request, which=which, refresh=True)
    if built is None:
        return HttpResponse(status=403)
    return render(request, built["template"], {"section": built})
