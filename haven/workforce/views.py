"""Workforce pages: an officer's training record (their own, or one a supervisor may read) and the
supervisor's team page. Thin: selectors in, templates out."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from haven.accounts.http import AuthenticatedRequest
from haven.core.permissions import Perm
from haven.ui.decorators import permission_required
from haven.workforce import selectors


@login_required
def my_record(request: AuthenticatedRequest) -> HttpResponse:
    record = selectors.officer_record(user=request.user, officer=request.user)
    return render(request, "workforce/record.html", {"record": record, "own": True, "today": selectors.today()})


@login_required
@permission_required(Perm.WORKFORCE_RECORD_VIEW)
def officer_record(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    officer = selectors.officer_get(user=request.user, public_id=public_id)
    record = selectors.officer_record(user=request.user, officer=officer)
    return render(request, "workforce/record.html", {"record": record, "own": False, "today": selectors.today()})


@login_required
@permission_required(Perm.WORKFORCE_RECORD_VIEW)
def team(request: AuthenticatedRequest) -> HttpResponse:
    view = selectors.team_view(user=request.user)
    return render(request, "workforce/team.html", {"view": view, "due_within": selectors.DUE_WITHIN_DAYS})
