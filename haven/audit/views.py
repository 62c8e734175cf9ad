"""The auditor's pages: who accessed a person or case, what a user accessed, CSV export, alerts. Thin."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from haven.audit import selectors
from haven.audit.forms import LogFilterForm
from haven.core import clock
from haven.core.permissions import Perm
from haven.ui.decorators import permission_required

PAGE_SIZE = 200
CSV_COLUMNS = [
    "occurred_at",
    "operation",
    "outcome",
    "username",
    "person_ids",
    "case_ids",
    "justification_kind",
    "justification",
    "recipients",
    "channel",
    "query",
    "request_id",
    "event_id",
]


@login_required
@permission_required(Perm.AUDIT_LOG_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    events, total = None, 0
    if form.is_bound and form.is_valid():
        events, total = selectors.access_event_search(actor=request.user, log_filter=form.log_filter(), limit=PAGE_SIZE)
    return render(
        request,
        "audit/index.html",
        {"form": form, "events": events, "total": total, "page_size": PAGE_SIZE, "query": request.GET.urlencode()},
    )


@login_required
@permission_required(Perm.AUDIT_LOG_VIEW)
def export(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    if not form.is_valid():
        return render(request, "audit/index.html", {"form": form, "events": None}, status=422)
    events = selectors.access_event_export(actor=request.user, log_filter=form.log_filter())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="s62-log-{clock.now():%Y%m%d-%H%M%S}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow(
            [
                e.occurred_at.isoformat(),
                e.operation,
                e.outcome,
                e.actor_username or "Haven",
                " ".join(str(p) for p in e.person_ids),
                " ".join(str(c) for c in e.case_ids),
                e.justification_kind,
                _safe(e.justification),
                _safe("; ".join(", ".join(f"{k}: {v}" for k, v in r.items()) for r in e.recipients)),
                _safe(e.channel),
                _safe(e.query),
                e.request_id,
                str(e.public_id),
            ]
        )
    return response


def _safe(text: str) -> str:
    """Stop a spreadsheet treating free text as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@permission_required(Perm.AUDIT_LOG_VIEW)
def alerts(request: HttpRequest) -> HttpResponse:
    found = selectors.access_alert_list(actor=request.user)
    return render(
        request,
        "audit/alerts.html",
        {"alerts": found, "limit": selectors.people_per_hour_limit(), "now": timezone.localtime(clock.now())},
    )
