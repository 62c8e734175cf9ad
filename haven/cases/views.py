"""Case pages. Thin: selectors in, forms in, writes out through haven/cases/operations.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.accounts.http import AuthenticatedRequest
from haven.cases import operations, selectors
from haven.cases.choices import CaseState
from haven.cases.forms import (
    AllocateForm,
    BreakGlassForm,
    CaseEditForm,
    CaseOpenForm,
    CloseForm,
    HandoverForm,
    MembersForm,
    NoteForm,
    ReopenForm,
)
from haven.cases.models import Case
from haven.core.access import Action, scope_for
from haven.core.errors import Conflict, Forbidden, NotFound
from haven.core.operations import run
from haven.core.permissions import Perm
from haven.ui.decorators import permission_required
from haven.ui.operations import page, submit

PAGE_SIZE = 50


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    state = request.GET.get("state", "")
    state = state if state in CaseState.values else ""
    mine = request.GET.get("mine") == "1"
    cases = selectors.case_list(user=user, state=state, mine=mine)
    page_ = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.case_read_record(user=user, cases=list(page_.object_list), query=request.GET.urlencode())
    context = {
        "page": page_,
        "state": state,
        "mine": mine,
        "states": CaseState.choices,
        "can_open": scope_for(user, Action.OPEN) is not None,
    }
    return render(request, "cases/case_list.html", context)


@page(operations.case_open)
def case_open(request: AuthenticatedRequest) -> HttpResponse:
    if scope_for(request.user, Action.OPEN) is None:
        raise Forbidden("Your roles do not allow you to open cases.")
    form = CaseOpenForm(request.POST or None, initial={"subject": request.GET.get("person", "")})
    if request.method != "POST":
        return render(request, "cases/case_open.html", {"form": form})
    if done := submit(request, operations.case_open, form):
        case = done.value
        messages.success(request, f"Case {case.reference} has been opened.")
        return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/case_open.html", {"form": form}, status=422)


def _case_page(
    request: AuthenticatedRequest, case: Case, *, note_form: NoteForm | None = None, status: int = 200
) -> HttpResponse:
    context = selectors.case_page(user=request.user, case=case)
    context["note_form"] = note_form or NoteForm()
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def case_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    try:
        case = selectors.case_get(user=user, public_id=public_id)
    except NotFound:
        if (restricted := selectors.case_may_break_glass(user=user, public_id=public_id)) is not None:
            context = {"public_id": public_id, "by": restricted.restricted_by, "at": restricted.restricted_at}
            return render(request, "cases/restricted.html", context, status=404)
        raise
    return _case_page(request, case)


def _refuse_if_closed(request: AuthenticatedRequest, case: Case) -> HttpResponse | None:
    """A closed case is read-only: back to the case page, saying so."""
    if case.state == CaseState.CLOSED:
        messages.error(
            request, f"Case {case.reference} is closed, so it cannot be changed. A supervisor can reopen it."
        )
        return redirect("cases:detail", public_id=case.public_id)
    return None


def _refuse_if_closed_now(request: AuthenticatedRequest, case: Case) -> HttpResponse | None:
    """After a write was refused: if the case was closed meanwhile, say that rather than show the form."""
    case.refresh_from_db()
    return _refuse_if_closed(request, case)


def _editable(request: AuthenticatedRequest, public_id: str, action: Action, refusal: str) -> Case:
    """The case a change page works on: 404 if the user cannot see it, 403 if they may not ``action`` it.
    Logged as a consultation when the page shows it (GET); a POST's write is logged by the service."""
    user = request.user
    case = selectors.case_get(user=user, public_id=public_id, log=request.method != "POST")
    if not selectors.case_can(user=user, case=case, action=action):
        raise Forbidden(refusal)
    return case


@page(operations.case_update)
def case_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    case = _editable(request, public_id, Action.EDIT, "You can see this case but may not change it.")
    if (refused := _refuse_if_closed(request, case)) is not None:
        return refused
    initial = {"summary": case.summary, "sensitivity": case.sensitivity, "version": case.version}
    form = CaseEditForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return render(request, "cases/case_edit.html", {"form": form, "case": case})
    if submit(request, operations.case_update, form, target=case):
        messages.success(request, f"Case {case.reference} has been updated.")
        return redirect("cases:detail", public_id=case.public_id)
    if (refused := _refuse_if_closed_now(request, case)) is not None:
        return refused
    if form.non_field_errors() and str(case.version) != request.POST.get("version"):
        # Someone saved first. Keep what they typed; show what is there now; let them save again over it.
        conflict = {"message": " ".join(str(e) for e in form.non_field_errors()), "current": case}
        form = CaseEditForm({**request.POST.dict(), "version": case.version})
        return render(request, "cases/case_edit.html", {"form": form, "case": case, "conflict": conflict}, status=409)
    return render(request, "cases/case_edit.html", {"form": form, "case": case}, status=422)


@require_POST
@page(operations.case_note_add)
def note_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get(user=user, public_id=public_id, log=False)
    form = NoteForm(request.POST)
    if submit(request, operations.case_note_add, form, target=case):
        messages.success(request, "Your note has been added.")
        return redirect("cases:detail", public_id=case.public_id)
    if (refused := _refuse_if_closed_now(request, case)) is not None:
        return refused
    selectors.case_read_record(user=user, cases=[case])
    return _case_page(request, case, note_form=form, status=422)


@page(operations.case_handover)
def handover(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    case = _editable(request, public_id, Action.HANDOVER, "You can see this case but may not hand it over.")
    if (refused := _refuse_if_closed(request, case)) is not None:
        return refused
    form = HandoverForm(request.POST or None)
    if request.method != "POST":
        return render(request, "cases/handover.html", {"form": form, "case": case})
    if done := submit(request, operations.case_handover, form, target=case):
        messages.success(
            request,
            f"Case {case.reference} has been handed to {done.value.to_user.display_name}. "
            "It shows as awaiting acknowledgement until they accept it.",
        )
        return redirect("cases:detail", public_id=case.public_id)
    if (refused := _refuse_if_closed_now(request, case)) is not None:
        return refused
    return render(request, "cases/handover.html", {"form": form, "case": case}, status=422)


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """A team's queue of work waiting for allocation: the user's own team, or another they can see."""
    user = request.user
    code = request.GET.get("team", "")
    team_id = selectors.team_id_of(code) if code else user.team_id
    cases = list(selectors.case_queue(user=user, team_id=team_id)[:200])
    selectors.case_read_record(user=user, cases=cases, query=request.GET.urlencode())
    context = {
        "cases": cases,
        "teams": selectors.queue_teams(user=user),
        "team_id": team_id,
        "can_allocate": {c.pk for c in cases if selectors.may_allocate(user=user, case=c)},
    }
    return render(request, "cases/queue.html", context)


@page(operations.case_allocate)
def allocate(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    case = _editable(request, public_id, Action.HANDOVER, "You can see this case but may not allocate it.")
    if (refused := _refuse_if_closed(request, case)) is not None:
        return refused
    form = AllocateForm(request.POST or None)
    context = {"form": form, "case": case}
    if request.method != "POST":
        return render(request, "cases/allocate.html", context)
    if done := submit(request, operations.case_allocate, form, target=case):
        messages.success(request, f"Case {case.reference} has been allocated to {done.value.owner.display_name}.")
        return redirect("cases:queue") if case.is_queued else redirect("cases:detail", public_id=case.public_id)
    if (refused := _refuse_if_closed_now(request, case)) is not None:
        return refused
    return render(request, "cases/allocate.html", context, status=422)


@require_POST
@page(operations.case_handover_acknowledge)
def acknowledge(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The acknowledge button: nothing to type, so no form, only the operation."""
    user = request.user
    case = selectors.case_get(user=user, public_id=public_id, log=False)
    try:
        run(operations.case_handover_acknowledge, actor=user, target=case, data={})
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"You now own case {case.reference}.")
    return redirect("cases:detail", public_id=case.public_id)


@page(operations.case_break_glass)
def break_glass(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    case = selectors.case_may_break_glass(user=request.user, public_id=public_id)
    if case is None:
        raise NotFound("Not found.")
    form = BreakGlassForm(request.POST or None)
    context = {"form": form, "public_id": public_id}
    if request.method != "POST":
        return render(request, "cases/break_glass.html", context)
    if submit(request, operations.case_break_glass, form, target=case):
        return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/break_glass.html", context, status=422)


@page(operations.case_close)
def close(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Confirm closing the case, with a reason; what stops it closing is listed before and after."""
    case = _editable(request, public_id, Action.EDIT, "You can see this case but may not close it.")
    if (refused := _refuse_if_closed(request, case)) is not None:
        return refused
    form = CloseForm(request.POST or None)
    if request.method == "POST":
        if submit(request, operations.case_close, form, target=case):
            messages.success(request, f"Case {case.reference} has been closed.")
            return redirect("cases:detail", public_id=case.public_id)
        if (refused := _refuse_if_closed_now(request, case)) is not None:
            return refused
    blockers = [] if form.errors else selectors.case_close_blockers(case=case)
    status = 422 if form.errors else 200
    return render(request, "cases/close.html", {"form": form, "case": case, "blockers": blockers}, status=status)


def _refuse_if_open(request: AuthenticatedRequest, case: Case) -> HttpResponse | None:
    if case.state != CaseState.CLOSED:
        messages.error(request, f"Case {case.reference} is open.")
        return redirect("cases:detail", public_id=case.public_id)
    return None


@page(operations.case_reopen)
def reopen(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """A supervisor reopens a closed case, giving a reason."""
    case = _editable(request, public_id, Action.REOPEN, "Only a supervisor of the case's team can reopen it.")
    if (refused := _refuse_if_open(request, case)) is not None:
        return refused
    form = ReopenForm(request.POST or None)
    if request.method != "POST":
        return render(request, "cases/reopen.html", {"form": form, "case": case})
    if submit(request, operations.case_reopen, form, target=case):
        messages.success(request, f"Case {case.reference} has been reopened.")
        return redirect("cases:detail", public_id=case.public_id)
    case.refresh_from_db()
    if (refused := _refuse_if_open(request, case)) is not None:
        return refused
    return render(request, "cases/reopen.html", {"form": form, "case": case}, status=422)


@page(operations.members_set)
def members(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Name who may see a restricted case: the current members ticked, the team offered, others by username."""
    case = _editable(request, public_id, Action.EDIT, "You can see this case but may not change who else can.")
    if (refused := _refuse_if_closed(request, case)) is not None:
        return refused
    candidates = selectors.member_candidates(case=case)
    current = [u.username for u in candidates if u.pk in {m.pk for m in case.members.all()}]
    form = MembersForm(request.POST or None, initial={"members": current}, candidates=candidates)
    if request.method != "POST":
        return render(request, "cases/members.html", {"form": form, "case": case})
    if submit(request, operations.members_set, form, target=case, data={"members": form.usernames()}):
        messages.success(request, f"The members of case {case.reference} have been saved.")
        return redirect("cases:detail", public_id=case.public_id)
    if (refused := _refuse_if_closed_now(request, case)) is not None:
        return refused
    return render(request, "cases/members.html", {"form": form, "case": case}, status=422)
