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
VIEWS = {"mine": "My deadlines", "team": "My team's deadlines", "all": "Every deadline I can see"}
QUERIES = {"mine": selectors.my_deadlines, "team": selectors.team_deadlines, "all": selectors.visible_deadlines}


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def deadline_list(request: HttpRequest) -> HttpResponse:
    """Every live deadline of the user, their team, or every case they may see: overdue first, then
    due soonest. Each tab says how many; without ``show`` the first tab with any opens (an inspector,
    who owns none, lands on the deadlines their DMM board lists)."""
    user: Any = request.user
    counts = {key: query(user=user).count() for key, query in QUERIES.items()}
    show = request.GET.get("show", "")
    if show not in VIEWS:
        show = next((key for key in VIEWS if counts[key]), "mine")
    page = Paginator(QUERIES[show](user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    deadlines = list(page.object_list)
    case_read_record(
        user=user, cases=[d.case for d in {d.case_id: d for d in deadlines}.values() if d.case is not None]
    )
    return render(
        request,
        "deadlines/deadline_list.html",
        {
            "page": page,
            "rows": presenters.rows(deadlines),
            "show": show,
            "tabs": [(key, text, counts[key]) for key, text in VIEWS.items()],
            "counts": counts,
            "title": VIEWS[show],
        },
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
