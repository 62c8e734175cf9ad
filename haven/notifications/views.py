"""The inbox pages. Thin: selectors in, writes out through haven/notifications/operations.py (buttons
with nothing to type: each runs its operation on the caller's own notification)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from haven.audit.choices import JustificationKind, Operation
from haven.core.errors import Conflict
from haven.core.operations import run
from haven.notifications import operations, selectors
from haven.ui.operations import page

PAGE_SIZE = 25


def _log_cases(user: Any, notifications: list[Any]) -> None:
    """The inbox shows case references: logged as a consultation of those cases (s62)."""
    cases = {n.case.pk: n.case for n in notifications if n.case_id is not None}
    if not cases:
        return
    from haven.cases import s62

    s62.record(
        actor=user,
        operation=Operation.CONSULTATION,
        cases=list(cases.values()),
        justification="Listed in the notifications addressed to them.",
        justification_kind=JustificationKind.ALLOCATED,
    )


@login_required
@never_cache
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    show = request.GET.get("show", "")
    show = show if show in ("unread", "ack") else ""
    notifications = selectors.notifications_for(user=user)
    if show == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    elif show == "ack":
        notifications = notifications.filter(requires_ack=True, acknowledged_at__isnull=True)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    _log_cases(user, listed)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "rows": selectors.inbox_rows(user=user, notifications=listed),
            "show": show,
            "unread": selectors.unread_count(user=user),
        },
    )


@never_cache
@require_GET
def inbox_count(request: HttpRequest) -> HttpResponse:
    """The header's inbox link, polled by htmx with X-Haven-Background (not activity for the idle timeout).

    204 (htmx swaps nothing) when the count is the one the page already shows; 401 (nothing swapped
    either) once signed out, never a redirect whose sign-in page htmx would paste into the header.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    count = selectors.unread_count(user=request.user)
    if request.GET.get("seen") == str(count):
        return HttpResponse(status=204)
    return render(
        request, "notifications/_inbox_link.html", {"inbox_count": count, "inbox_poll_seconds": poll_seconds()}
    )


def poll_seconds() -> int:
    return selectors.inbox_poll_seconds()


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@require_GET
@page(operations.notification_mark_read)
def open_link(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark read and follow the notification's link (only ever a path inside Haven)."""
    notification = operations.notification_of(request.user, public_id)  # type: ignore[arg-type]
    run(operations.notification_mark_read, actor=request.user, target=notification, data={})
    link = notification.link
    if link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:inbox")


@require_POST
@page(operations.notification_mark_read)
def mark_read(request: HttpRequest, public_id: str) -> HttpResponse:
    notification = operations.notification_of(request.user, public_id)  # type: ignore[arg-type]
    run(operations.notification_mark_read, actor=request.user, target=notification, data={})
    return _back(request)


@require_POST
@page(operations.notification_mark_all_read)
def read_all(request: HttpRequest) -> HttpResponse:
    count = run(operations.notification_mark_all_read, actor=request.user, data={})
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return _back(request)


@require_POST
@page(operations.notification_acknowledge)
def acknowledge(request: HttpRequest, public_id: str) -> HttpResponse:
    notification = operations.notification_of(request.user, public_id)  # type: ignore[arg-type]
    try:
        run(operations.notification_acknowledge, actor=request.user, target=notification, data={})
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Notification acknowledged.")
    return _back(request)
