"""Case pages. Thin: selectors in, forms in, services out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.accounts.models import User
from haven.cases import selectors, services
from haven.cases.choices import CaseState
from haven.cases.forms import (
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
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.ui.decorators import permission_required
from haven.ui.forms import copy_service_errors

PAGE_SIZE = 50


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    state = request.GET.get("state", "")
    state = state if state in CaseState.values else ""
    mine = request.GET.get("mine") == "1"
    cases = selectors.case_list(user=user, state=state, mine=mine)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.case_read_record(user=user, cases=list(page.object_list), query=request.GET.urlencode())
    context = {
        "page": page,
        "state": state,
        "mine": mine,
        "states": CaseState.choices,
        "can_open": scope_for(user, Action.OPEN) is not None,
    }
    return render(request, "cases/case_list.html", context)


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def case_open(request: HttpRequest) -> HttpResponse:
    from haven.people.selectors import person_get

    user: User = request.user  # type: ignore[assignment]
    if scope_for(user, Action.OPEN) is None:
        raise Forbidden("Your roles do not allow you to open cases.")
    form = CaseOpenForm(request.POST or None, initial={"subject": request.GET.get("person", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = person_get(user=user, public_id=data["subject"].strip(), log=False)
        except NotFound:
            form.add_error("subject", "There is no person with this Haven id that you can see")
        else:
            try:
                case = services.case_open(
                    actor=user,
                    subject=subject,
                    kind=data["kind"],
                    summary=data["summary"],
                    sensitivity=data["sensitivity"],
                )
            except ValidationFailed as exc:
                copy_service_errors(form, exc)
            else:
                messages.success(request, f"Case {case.reference} has been opened.")
                return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/case_open.html", {"form": form})


def _case_page(
    request: HttpRequest, case: Case, *, note_form: NoteForm | None = None, status: int = 200
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = selectors.case_page(user=user, case=case)
    context["note_form"] = note_form or NoteForm()
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        case = selectors.case_get(user=user, public_id=public_id)
    except NotFound:
        if selectors.case_may_break_glass(user=user, public_id=public_id) is not None:
            return render(request, "cases/restricted.html", {"public_id": public_id}, status=404)
        raise
    return _case_page(request, case)


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def case_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_get(user=user, public_id=public_id, log=request.method != "POST")
    if not selectors.case_can(user=user, case=case, action=Action.EDIT):
        raise Forbidden("You can see this case but may not change it.")
    if (refused := _refuse_if_closed(request, case)) is not None:
        return refused
    initial = {"summary": case.summary, "sensitivity": case.sensitivity, "version": case.version}
    form = CaseEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                actor=user, case=case, version=data["version"], summary=data["summary"], sensitivity=data["sensitivity"]
            )
        except Conflict as exc:
            if case.state == CaseState.CLOSED or "state" in exc.fields:
                messages.error(request, exc.message)
                return redirect("cases:detail", public_id=case.public_id)
            # Keep what they typed; show what is there now; let them save again over the new version.
            case.refresh_from_db()
            conflict = {"message": exc.message, "current": case}
            data = {**request.POST.dict(), "version": case.version}
            form = CaseEditForm(data)
            form.is_valid()
        except ValidationFailed as exc:
            copy_service_errors(form, exc)
        else:
            messages.success(request, f"Case {case.reference} has been updated.")
            return redirect("cases:detail", public_id=case.public_id)
    status = 409 if conflict else 200
    return render(request, "cases/case_edit.html", {"form": form, "case": case, "conflict": conflict}, status=status)


@require_POST
@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def note_add(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_get(user=user, public_id=public_id, log=False)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_note_add(
                actor=user, case=case, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"]
            )
        except ValidationFailed as exc:
            copy_service_errors(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", public_id=case.public_id)
        else:
            messages.success(request, "Your note has been added.")
            return redirect("cases:detail", public_id=case.public_id)
    selectors.case_read_record(user=user, cases=[case])
    return _case_page(request, case, note_form=form, status=422)


@login_required
@permission_required(Perm.CASES_CASE_HANDOVER)
def handover(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_get(user=user, public_id=public_id, log=request.method != "POST")
    if not selectors.case_can(user=user, case=case, action=Action.HANDOVER):
        raise Forbidden("You can see this case but may not hand it over.")
    if (refused := _refuse_if_closed(request, case)) is not None:
        return refused
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        to_user = User.objects.filter(username=form.cleaned_data["to_user"].strip()).first()
        if to_user is None:
            form.add_error("to_user", "There is no Haven user with this username")
        else:
            try:
                services.case_handover(actor=user, case=case, to_user=to_user, reason=form.cleaned_data["reason"])
            except ValidationFailed as exc:
                copy_service_errors(form, exc)
            except Conflict as exc:
                messages.error(request, exc.message)
                return redirect("cases:detail", public_id=case.public_id)
            else:
                messages.success(
                    request,
                    f"Case {case.reference} has been handed to {to_user.display_name}. "
                    "It shows as awaiting acknowledgement until they accept it.",
                )
                return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/handover.html", {"form": form, "case": case})


@require_POST
@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def acknowledge(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_get(user=user, public_id=public_id, log=False)
    try:
        services.case_handover_acknowledge(actor=user, case=case)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"You now own case {case.reference}.")
    return redirect("cases:detail", public_id=case.public_id)


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def break_glass(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_may_break_glass(user=user, public_id=public_id)
    if case is None:
        raise NotFound("Not found.")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_break_glass(actor=user, public_id=public_id, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            copy_service_errors(form, exc)
        else:
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/break_glass.html", {"form": form, "public_id": public_id})


def _refuse_if_closed(request: HttpRequest, case: Case) -> HttpResponse | None:
    """A closed case is read-only: back to the case page, saying so."""
    if case.state == CaseState.CLOSED:
        messages.error(
            request, f"Case {case.reference} is closed, so it cannot be changed. A supervisor can reopen it."
        )
        return redirect("cases:detail", public_id=case.public_id)
    return None


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def close(request: HttpRequest, public_id: str) -> HttpResponse:
    """Confirm closing the case, with a reason; what stops it closing is listed before and after."""
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_get(user=user, public_id=public_id, log=request.method != "POST")
    if not selectors.case_can(user=user, case=case, action=Action.EDIT):
        raise Forbidden("You can see this case but may not close it.")
    if (refused := _refuse_if_closed(request, case)) is not None:
        return refused
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(actor=user, case=case, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            for name, problems in exc.fields.items():
                for problem in problems:
                    form.add_error("reason" if name == "reason" else None, problem)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", public_id=case.public_id)
        else:
            messages.success(request, f"Case {case.reference} has been closed.")
            return redirect("cases:detail", public_id=case.public_id)
    blockers = [] if form.errors else selectors.case_close_blockers(case=case)
    status = 422 if form.errors else 200
    return render(request, "cases/close.html", {"form": form, "case": case, "blockers": blockers}, status=status)


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    """A supervisor reopens a closed case, giving a reason."""
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_get(user=user, public_id=public_id, log=request.method != "POST")
    if not selectors.case_can(user=user, case=case, action=Action.REOPEN):
        raise Forbidden("Only a supervisor of the case's team can reopen it.")
    if case.state != CaseState.CLOSED:
        messages.error(request, f"Case {case.reference} is open.")
        return redirect("cases:detail", public_id=case.public_id)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(actor=user, case=case, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            copy_service_errors(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", public_id=case.public_id)
        else:
            messages.success(request, f"Case {case.reference} has been reopened.")
            return redirect("cases:detail", public_id=case.public_id)
    status = 422 if form.errors else 200
    return render(request, "cases/reopen.html", {"form": form, "case": case}, status=status)


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def members(request: HttpRequest, public_id: str) -> HttpResponse:
    """Name who may see a restricted case: the current members ticked, the team offered, others by username."""
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_get(user=user, public_id=public_id, log=request.method != "POST")
    if not selectors.case_can(user=user, case=case, action=Action.EDIT):
        raise Forbidden("You can see this case but may not change who else can.")
    if (refused := _refuse_if_closed(request, case)) is not None:
        return refused
    candidates = selectors.member_candidates(case=case)
    current = [u.username for u in candidates if u.pk in {m.pk for m in case.members.all()}]
    form = MembersForm(request.POST or None, initial={"members": current}, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        usernames = form.usernames()
        found = {u.username: u for u in User.objects.filter(username__in=usernames)}
        unknown = [name for name in usernames if name not in found]
        if unknown:
            form.add_error("add", f"There is no Haven user with the username {', '.join(unknown)}")
        else:
            try:
                services.members_set(actor=user, case=case, members=[found[name] for name in usernames])
            except ValidationFailed as exc:
                for problem in exc.fields.get("members", [exc.message]):
                    form.add_error("add", problem)
            except Conflict as exc:
                messages.error(request, exc.message)
                return redirect("cases:detail", public_id=case.public_id)
            else:
                messages.success(request, f"The members of case {case.reference} have been saved.")
                return redirect("cases:detail", public_id=case.public_id)
    status = 422 if form.errors else 200
    return render(request, "cases/members.html", {"form": form, "case": case}, status=status)
