"""DMM pages: the board (with its background refresh), the meetings and the pack. Thin views: every
write goes through its declaration in haven.dmm.operations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.accounts.models import Team, User
from haven.cases.selectors import case_get, case_read_record
from haven.core import clock
from haven.core.errors import Conflict
from haven.core.operations import run
from haven.core.permissions import Perm
from haven.dmm import operations, selectors
from haven.dmm.board import board_build
from haven.dmm.forms import ACTION_SLOTS, ActionCancelForm, ActionDoneForm, ActionForm, DecisionForm, MeetingStartForm
from haven.dmm.sections import Filters, registered
from haven.dmm.sections._common import one_build
from haven.dmm.trend import trend_build
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, page, submit

AREA_MAX = 200
ROWS_SHOWN = 100  # each section lists its worst rows; "Show all" lists the rest (HAVEN_DMM_ROWS)


def _filters(request: HttpRequest) -> Filters:
    team = (request.GET.get("team") or "").strip()[:16]
    area = (request.GET.get("area") or "").strip()[:AREA_MAX]
    if team and not Team.objects.filter(code=team).exists():
        team = ""
    return Filters(team=team, area=area)


def _show_all(request: HttpRequest) -> str:
    """The section the user asked to see in full (``?all=missing``), if it is one."""
    key = request.GET.get("all") or ""
    return key if any(s.key == key for s in registered()) else ""


def _board_context(request: HttpRequest, *, view: str) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    filters = _filters(request)
    show_all = _show_all(request)
    board = board_build(
        user=user,
        filters=filters,
        limit=getattr(settings, "HAVEN_DMM_ROWS", ROWS_SHOWN),
        show_all=show_all,
        detail={"view": view, **({"all": show_all} if show_all else {})},
    )
    meeting = selectors.meeting_current()
    return {
        "board": board,
        "filters": filters,
        "show_all": show_all,
        # The filters alone, for the links that show a section in full and back.
        "filter_query": urlencode([(k, v) for k, v in (("team", filters.team), ("area", filters.area)) if v]),
        "meeting": meeting,
        "can_chair": user.has_perm(Perm.DMM_MEETING_CHAIR),
        "can_decide": meeting is not None and user.has_perm(Perm.DMM_MEETING_CHAIR),
        "query": request.GET.urlencode(),
        "refresh_seconds": getattr(settings, "HAVEN_DMM_REFRESH_SECONDS", 30),
    }


@login_required
@permission_required(Perm.DMM_BOARD_VIEW)
def board(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    with one_build():  # one transaction without JIT, the user's access compiled once, for all three
        context = _board_context(request, view="dmm_board")
        # The chart ends at the header's figures; it settles the past days if the nightly job has not.
        now = {c.key: c.value for c in context["board"].counts}
        trend = trend_build(user=user, filters=context["filters"], now=now)
        listed = [row for view in context["board"].sections for row in view.rows]
        context["options"] = selectors.filter_options(user=user, listed=listed)
    context["trend"] = trend
    context["trend_rows"] = [
        (label, [s["values"][i] for s in trend["series"]]) for i, label in enumerate(trend["labels"])
    ]
    return render(request, "dmm/board.html", context)


@login_required
@permission_required(Perm.DMM_BOARD_VIEW)
def board_refresh(request: HttpRequest) -> HttpResponse:
    """The sections' bodies, the counts and the time, for htmx to swap in place (out of band)."""
    context = _board_context(request, view="dmm_board_refresh")
    return render(request, "dmm/_refresh.html", context)


@login_required
@permission_required(Perm.DMM_BOARD_VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    meetings = list(selectors.meeting_list(user=user)[:60])
    return render(
        request,
        "dmm/meeting_list.html",
        {
            "meetings": meetings,
            "current": selectors.meeting_current(),
            "can_chair": user.has_perm(Perm.DMM_MEETING_CHAIR),
        },
    )


@page(operations.meeting_start)
def meeting_start(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    current = selectors.meeting_current()
    if current is not None:
        messages.info(request, "A meeting is already in progress: close it before starting another.")
        return redirect("dmm:meeting", public_id=current.public_id)
    people = selectors.owner_choices(user=user)
    form = MeetingStartForm(
        request.POST or None,
        chairs=[u for u in people if u.has_perm(Perm.DMM_MEETING_CHAIR)],
        attendees=people,
        initial={"held_on": timezone.localdate(clock.now()), "chair": user.username},
    )
    if request.method == "POST" and (done := submit(request, operations.meeting_start, form)):
        messages.success(request, f"The meeting of {done.value.held_on:%-d %B %Y} has started.")
        return redirect("dmm:board")
    return render(request, "dmm/meeting_start.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@permission_required(Perm.DMM_BOARD_VIEW)
def meeting_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    meeting = selectors.meeting_get(user=user, public_id=public_id)
    record = selectors.meeting_record(user=user, meeting=meeting)
    return render(
        request,
        "dmm/meeting_detail.html",
        {"record": record, "meeting": meeting, "can_chair": user.has_perm(Perm.DMM_MEETING_CHAIR) and meeting.is_open},
    )


@page(operations.decision_record)
def decision(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a decision (and actions) about one board row's case: ``?case=<id>&section=<key>``."""
    user: User = request.user  # type: ignore[assignment]
    meeting = selectors.meeting_get(user=user, public_id=public_id)
    if not meeting.is_open:
        messages.info(request, "This meeting is closed: its record is read-only.")
        return redirect("dmm:meeting", public_id=meeting.public_id)
    case = case_get(user=user, public_id=request.GET.get("case") or request.POST.get("case", ""))
    section = (request.GET.get("section") or request.POST.get("section") or "")[:32]
    sections = {s.key: s.title for s in registered()}
    owners = selectors.owner_choices(user=user)
    obligations = selectors.obligation_choices(user=user, case_id=case.public_id)
    form = DecisionForm(request.POST or None)
    rows = [
        ActionForm(request.POST or None, slot=n, owners=owners, obligations=obligations)
        for n in range(1, ACTION_SLOTS + 1)
    ]
    if request.method == "POST":
        used = [row for row in rows if not row.is_blank()]
        data = {"case": case.public_id, "section": section, "actions": [row.values() for row in used]}
        if submit(request, operations.decision_record, form, target=meeting, data=data, rows={"actions": used}):
            messages.success(request, f"The decision on {case.reference} has been recorded.")
            return redirect("dmm:board")
    context = {
        "form": form,
        "rows": rows,
        "meeting": meeting,
        "case": case,
        "section": section,
        "section_title": sections.get(section, ""),
    }
    failed = any(f.errors for f in [form, *rows])
    return render(request, "dmm/decision.html", context, status=422 if failed else 200)


def _action_form(
    request: HttpRequest, public_id: str, action_id: str, form_class: type[InputForm], done: str
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    meeting = selectors.meeting_get(user=user, public_id=public_id)
    action = selectors.action_get(user=user, public_id=action_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and submit(request, form_class.operation, form, target=action):
        messages.success(request, done)
        return redirect("dmm:meeting", public_id=meeting.public_id)
    # The page shows the action and its case: a consultation in the s62 log.
    case_read_record(user=user, cases=[action.case])
    context = {"form": form, "meeting": meeting, "action": action, "done": form_class is ActionDoneForm}
    return render(request, "dmm/action_finish.html", context, status=422 if form.errors else 200)


@page(operations.action_complete)
def action_done(request: HttpRequest, public_id: str, action_id: str) -> HttpResponse:
    return _action_form(request, public_id, action_id, ActionDoneForm, "The action is done.")


@page(operations.action_cancel)
def action_cancel(request: HttpRequest, public_id: str, action_id: str) -> HttpResponse:
    return _action_form(request, public_id, action_id, ActionCancelForm, "The action has been cancelled.")


@require_POST
@page(operations.meeting_close)
def meeting_close(request: HttpRequest, public_id: str) -> HttpResponse:
    """The close button: nothing to type, only the operation."""
    user: User = request.user  # type: ignore[assignment]
    meeting = selectors.meeting_get(user=user, public_id=public_id)
    try:
        run(operations.meeting_close, actor=user, target=meeting, data={})
    except Conflict as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, "The meeting is closed. Its record is now read-only.")
    return redirect("dmm:meeting", public_id=meeting.public_id)


@login_required
@permission_required(Perm.DMM_BOARD_VIEW)
def pack(request: HttpRequest, public_id: str) -> HttpResponse:
    """The DMM pack as a PDF: the meeting's record and the board. Exporting it is a disclosure (s62)."""
    from haven.dmm.pdf import pack_pdf

    user: User = request.user  # type: ignore[assignment]
    meeting = selectors.meeting_get(user=user, public_id=public_id)
    content = pack_pdf(user=user, meeting=meeting, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dmm-pack-{meeting.held_on:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
