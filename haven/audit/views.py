"""The auditor's pages: who accessed a person or case, what a user accessed, CSV export, alerts,
the subject-access report. Thin. To anyone but an auditor or DPO the pages do not exist (404)."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from haven.audit import selectors
from haven.audit.forms import LogFilterForm, PeopleSearchForm, SubjectAccessForm
from haven.audit.models import AccessEvent
from haven.core import clock
from haven.core.spreadsheets import safe_cell


def auditor_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """DP-02: 404 unless the user is an auditor or DPO; the log's pages are not shown to exist."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.is_auditor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


PAGE_SIZE = 50
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


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _page_link(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


@login_required
@auditor_only
def index(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "events": None, "section": "search"}
    if form.is_bound and form.is_valid():
        log_filter = form.log_filter()
        number = _page_number(request)
        events, total = selectors.access_event_search(
            actor=request.user, log_filter=log_filter, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        )
        pages = max(1, -(-total // PAGE_SIZE))
        export = request.GET.copy()
        export.pop("page", None)
        context.update(
            events=events,
            total=total,
            page=number,
            pages=pages,
            first=(number - 1) * PAGE_SIZE + 1,
            last=(number - 1) * PAGE_SIZE + len(events),
            previous=_page_link(request, number - 1) if number > 1 else "",
            next=_page_link(request, number + 1) if number < pages else "",
            query=export.urlencode(),
            person=selectors.person_named(log_filter.person) if log_filter.person else None,
        )
    return render(request, "audit/index.html", context)


@login_required
@auditor_only
def people(request: HttpRequest) -> HttpResponse:
    """Find a person by name and date of birth, to read who accessed them or their subject-access
    report. The search is logged as the auditor's consultation of the people it found."""
    form = PeopleSearchForm(request.GET or None)
    found, more = None, False
    if form.is_bound and form.is_valid():
        found, more = selectors.people_find(
            actor=request.user, name=form.cleaned_data["name"], date_of_birth=form.cleaned_data["date_of_birth"]
        )
    return render(
        request,
        "audit/people.html",
        {"form": form, "found": found, "more": more, "limit": selectors.PEOPLE_LIMIT, "section": "people"},
    )


@login_required
@auditor_only
def export(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    if not form.is_valid():
        return render(request, "audit/index.html", {"form": form, "events": None, "section": "search"}, status=422)
    events = selectors.access_event_export(actor=request.user, log_filter=form.log_filter())
    return _csv_response(events, f"s62-log-{clock.now():%Y%m%d-%H%M%S}.csv")


def _csv_response(events: Iterable[AccessEvent], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
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
                safe_cell(e.justification),
                safe_cell("; ".join(", ".join(f"{k}: {v}" for k, v in r.items()) for r in e.recipients)),
                safe_cell(e.channel),
                safe_cell(e.query),
                e.request_id,
                str(e.public_id),
            ]
        )
    return response


@login_required
@auditor_only
def alerts(request: HttpRequest) -> HttpResponse:
    found = selectors.access_alert_list(actor=request.user)
    return render(
        request,
        "audit/alerts.html",
        {"alerts": found, "limit": selectors.people_per_hour_limit(), "now": timezone.localtime(clock.now())},
    )


def _person_id(public_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(public_id)
    except ValueError:
        raise Http404 from None


@login_required
@auditor_only
def subject_access(request: HttpRequest, public_id: str) -> HttpResponse:
    """Every processing of one person's data, for their subject-access request; ?format=csv downloads it."""
    person = _person_id(public_id)
    if request.GET.get("format") == "csv":
        report = selectors.subject_access_report(actor=request.user, person=person, channel="csv")
        return _csv_response(report.events, f"subject-access-{person}-{clock.now():%Y%m%d}.csv")
    report = selectors.subject_access_report(actor=request.user, person=person, channel="ui")
    return render(request, "audit/subject_access.html", {"report": report, "section": "subject"})


@login_required
@auditor_only
def subject_access_print(request: HttpRequest, public_id: str) -> HttpResponse:
    """The subject-access report laid out for printing (no navigation, no buttons)."""
    report = selectors.subject_access_report(actor=request.user, person=_person_id(public_id), channel="print")
    return render(request, "audit/subject_access_print.html", {"report": report})


@login_required
@auditor_only
def subject_access_start(request: HttpRequest) -> HttpResponse:
    """Ask for the person's Haven id, then go to their report."""
    form = SubjectAccessForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("audit:subject-access", public_id=str(form.cleaned_data["person"]))
    return render(request, "audit/subject_access_start.html", {"form": form, "section": "subject"})
