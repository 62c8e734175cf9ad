"""Case pages. Thin: selectors in, forms in, services out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.accounts.models import User
from haven.cases import selectors, services
from haven.cases.choices import CaseState
from haven.cases.forms import BreakGlassForm, CaseEditForm, CaseOpenForm, HandoverForm, NoteForm
from haven.cases.models import Case
from haven.core.access import Action
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.ui.decorators import permission_required

PAGE_SIZE = 50


def _copy_errors(form: Any, exc: ValidationFailed | Conflict) -> None:
    """Show a service's errors on the form, against their fields where it has them."""
    placed = False
    for name, errors in exc.fields.items():
        if name in form.fields and not form.fields[name].widget.is_hidden:
            for error in errors:
                form.add_error(name, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


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
    return render(
        request, "cases/case_list.html", {"page": page, "state": state, "mine": mine, "states": CaseState.choices}
    )


@login_required
@permission_required(Perm.CASES_CASE_VIEW)
def case_open(request: HttpRequest) -> HttpResponse:
    from haven.people.selectors import person_get

    user: User = request.user  # type: ignore[assignment]
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
                _copy_errors(form, exc)
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
            # Keep what they typed; show what is there now; let them save again over the new version.
            case.refresh_from_db()
            conflict = {"message": exc.message, "current": case}
            data = {**request.POST.dict(), "version": case.version}
            form = CaseEditForm(data)
            form.is_valid()
        except ValidationFailed as exc:
            _copy_errors(form, exc)
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
            _copy_errors(form, exc)
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
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        to_user = User.objects.filter(username=form.cleaned_data["to_user"].strip()).first()
        if to_user is None:
            form.add_error("to_user", "There is no Haven user with this username")
        else:
            try:
                services.case_handover(actor=user, case=case, to_user=to_user, reason=form.cleaned_data["reason"])
            except ValidationFailed as exc:
                _copy_errors(form, exc)
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
            _copy_errors(form, exc)
        else:
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/break_glass.html", {"form": form, "public_id": public_id})
