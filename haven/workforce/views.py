"""Workforce pages: an officer's training record (their own, or one a supervisor may read), the
supervisor's team page, the forms for each write (declared in ``operations``) and the CSV import.
Thin: selectors in, forms submitted through the operations, templates out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from haven.accounts.http import AuthenticatedRequest
from haven.accounts.models import User
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, checked, page, submit
from haven.workforce import forms as f
from haven.workforce import operations, selectors
from haven.workforce.choices import CompetenceState


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@login_required
def my_record(request: AuthenticatedRequest) -> HttpResponse:
    record = selectors.officer_record(user=request.user, officer=request.user)
    return render(request, "workforce/record.html", _record_context(request, record, own=True))


@login_required
@permission_required(Perm.WORKFORCE_RECORD_VIEW)
def officer_record(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    officer = selectors.officer_get(user=request.user, public_id=public_id)
    record = selectors.officer_record(user=request.user, officer=officer)
    return render(request, "workforce/record.html", _record_context(request, record, own=False))


def _record_context(request: AuthenticatedRequest, record: selectors.OfficerRecord, *, own: bool) -> dict[str, Any]:
    user = request.user
    mine = record.officer.pk == user.pk
    return {
        "record": record,
        "own": own,
        "today": selectors.today(),
        "now": clock.now(),
        # Nobody records their own training: the forms are for another officer's record.
        "can_record": not mine and user.has_perm(Perm.WORKFORCE_SKILL_RECORD),
        "can_train": not mine and user.has_perm(Perm.WORKFORCE_COMPETENCE_RECORD),
        "can_override": not mine and user.has_perm(Perm.WORKFORCE_GATE_OVERRIDE),
    }


@login_required
@permission_required(Perm.WORKFORCE_RECORD_VIEW)
def team(request: AuthenticatedRequest) -> HttpResponse:
    view = selectors.team_view(user=request.user)
    context = {
        "view": view,
        "due_within": selectors.DUE_WITHIN_DAYS,
        "can_record": request.user.has_perm(Perm.WORKFORCE_SKILL_RECORD),
    }
    return render(request, "workforce/team.html", context)


# --- Forms: one page for each write on an officer's record ---------------------------------------------


def _officer(request: AuthenticatedRequest, public_id: str) -> User:
    """The officer the form writes to (404 unless the user may see their record; nobody writes their own)."""
    officer = selectors.officer_get(user=request.user, public_id=public_id)
    if officer.pk == request.user.pk:
        raise NotFound("Not found.")
    return officer


def _form_page(
    request: AuthenticatedRequest,
    officer: User,
    form: InputForm,
    *,
    title: str,
    button: str,
    intro: str = "",
    testid: str,
    template: str = "workforce/form.html",
    **more: Any,
) -> HttpResponse:
    context = {
        "officer": officer,
        "form": form,
        "title": title,
        "button": button,
        "intro": intro,
        "testid": testid,
        **more,
    }
    return render(request, template, context, status=422 if form.errors else 200)


def _done(request: AuthenticatedRequest, officer: User, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("workforce:officer", public_id=officer.public_id)


@page(operations.qualification_record)
def qualification_record(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    officer = _officer(request, public_id)
    form = f.QualificationForm(
        _posted(request),
        qualifications=selectors.qualification_choices(),
        initial={"qualification": request.GET.get("qualification", "")},
    )
    if request.method == "POST":
        done = submit(request, operations.qualification_record, form, target=officer)
        if done:
            return _done(request, officer, f"{done.value.qualification.name} is recorded for {officer.rank_and_name}.")
    return _form_page(
        request,
        officer,
        form,
        title="Record a qualification or course",
        button="Record it",
        intro="You are recorded as the person who checked the evidence. When it runs out follows from the "
        "qualification's rules.",
        testid="qualification",
    )


@page(operations.competence_start)
def competence_start(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    officer = _officer(request, public_id)
    form = f.CompetenceStartForm(_posted(request), initial={"activity": request.GET.get("activity", "")})
    if request.method == "POST":
        done = submit(request, operations.competence_start, form, target=officer)
        if done:
            return _done(
                request,
                officer,
                f"{officer.rank_and_name} is in training to {done.value.get_activity_display().lower()}, "
                f"mentored by {done.value.mentor.rank_and_name}.",
            )
    return _form_page(
        request,
        officer,
        form,
        title="Start training",
        button="Start training",
        intro="Until they are signed off, the officer may do this work only with the approval of a colleague "
        "signed off for it.",
        testid="training",
    )


StepForm = type[f.CompetenceAssessForm] | type[f.CompetenceSignOffForm] | type[f.CompetenceWithdrawForm]


def _activities(officer: User, states: tuple[CompetenceState, ...]) -> list[tuple[str, str]]:
    found = selectors.competences_of(officer, states)
    return [(c.activity, f"{c.get_activity_display()} (mentor {c.mentor.rank_and_name})") for c in found]


def _step(
    form_class: StepForm,
    *,
    states: tuple[CompetenceState, ...],
    title: str,
    button: str,
    done: Callable[[User, Any], str],
    intro: str = "",
    check: str = "",
    warning: bool = False,
) -> Callable[..., HttpResponse]:
    """The page of one step on an officer's training: the activity is chosen from those in ``states``.
    With ``check`` (a consequential step) the answers are shown to confirm before they are recorded."""
    operation = form_class.operation
    testid = form_class.__name__.removeprefix("Competence").removesuffix("Form").lower()

    @page(operation)
    def view(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
        officer = _officer(request, public_id)
        activities = _activities(officer, states)
        post = _posted(request)
        form = form_class(post, activities=activities, initial={"activity": request.GET.get("activity", "")})
        if post is not None and (not check or "confirm" in post):
            result = submit(request, operation, form, target=officer)
            if result:
                return _done(request, officer, done(officer, result.value))
        elif post is not None and "edit" not in post:
            payload = checked(operation, form)
            if payload is not None:
                return _check_page(request, officer, form, payload, title=check, button=button, testid=testid)
        return _form_page(
            request,
            officer,
            form,
            title=title,
            button="Continue" if check else button,
            intro=intro,
            testid=testid,
            warning=warning,
            nothing=not activities,
        )

    return view


def _check_page(
    request: AuthenticatedRequest,
    officer: User,
    form: InputForm,
    payload: Any,
    *,
    title: str,
    button: str,
    testid: str,
    blank: dict[str, str] | None = None,
) -> HttpResponse:
    """The "check your answers" page: each question and its answer in words (``blank``: what an empty
    answer means, by field), the posted values carried on."""
    answers = []
    for bound in form:
        value = getattr(payload, bound.name, None)
        words = (blank or {}).get(bound.name) if value in (None, "") else None
        answer = words or _in_words(bound, value)
        answers.append({"question": str(bound.label).removesuffix(" (optional)"), "answer": answer})
    carried = [(k, v) for k, values in request.POST.lists() for v in values if k not in ("csrfmiddlewaretoken",)]
    context = {
        "officer": officer,
        "title": title,
        "button": button,
        "answers": answers,
        "carried": carried,
        "testid": testid,
    }
    return render(request, "workforce/check.html", context)


def _in_words(bound: Any, value: Any) -> str:
    if value is None or value == "":
        return "Not given"
    if hasattr(value, "astimezone"):
        return f"{timezone.localtime(value):%-d %B %Y at %H:%M}"
    choices = dict(getattr(bound.field, "choices", []) or [])
    return str(choices.get(value, value))


competence_assess = _step(
    f.CompetenceAssessForm,
    states=(CompetenceState.IN_TRAINING,),
    title="Record an assessment",
    button="Record the assessment",
    done=lambda o, c: f"The assessment of {o.rank_and_name} is recorded. Another supervisor may now sign them off.",
)

competence_sign_off = _step(
    f.CompetenceSignOffForm,
    states=(CompetenceState.ASSESSED,),
    title="Sign off to work alone",
    button="Sign off",
    intro="Once signed off, the officer may do this work alone. By force policy a mentor does not sign off "
    "their own mentee.",
    check="Check before you sign off",
    done=lambda o, c: f"{o.rank_and_name} is signed off to {c.get_activity_display().lower()} alone.",
)

competence_withdraw = _step(
    f.CompetenceWithdrawForm,
    states=(CompetenceState.IN_TRAINING, CompetenceState.ASSESSED, CompetenceState.SIGNED_OFF),
    title="Withdraw training or sign-off",
    button="Withdraw",
    intro="The officer will no longer be allowed to do this work until they are trained and signed off again.",
    warning=True,
    done=lambda o, c: f"{o.rank_and_name}'s training or sign-off to {c.get_activity_display().lower()} is withdrawn.",
)


@page(operations.override_grant)
def override_grant(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """An inspector lets an officer do work their training does not allow: checked, then recorded."""
    officer = _officer(request, public_id)
    post = _posted(request)
    form = f.OverrideForm(
        post, longest_days=selectors.longest_override_days(), initial={"activity": request.GET.get("activity", "")}
    )
    if post is not None and "confirm" in post:
        done = submit(request, operations.override_grant, form, target=officer)
        if done:
            until = timezone.localtime(done.value.ends_at)
            return _done(
                request,
                officer,
                f"{officer.rank_and_name} may {done.value.get_activity_display().lower()} until "
                f"{until:%-d %B %Y at %H:%M}. The override is on their record.",
            )
    elif post is not None and "edit" not in post:
        payload = checked(operations.override_grant, form)
        if payload is not None:
            return _check_page(
                request,
                officer,
                form,
                payload,
                title="Check before you allow this work",
                button="Allow this work",
                testid="override",
                blank={"ends_at": f"In {selectors.longest_override_days()} days (the longest the force allows)"},
            )
    decisions = {d.activity: d for d in selectors.decisions(officer)}
    return _form_page(
        request,
        officer,
        form,
        title="Allow work beyond their training",
        button="Continue",
        intro="An override lets the officer do the work alone until it ends. It is kept on their record and "
        "shown where the work is.",
        testid="override",
        refused=[d for d in decisions.values() if not d.allowed],
    )


# --- The CSV import ---------------------------------------------------------------------------------------


def _csv_text(request: AuthenticatedRequest) -> str:
    """The CSV's text: the file chosen, else the text carried from the dry run to be imported."""
    upload = request.FILES.get("csv")
    if upload is not None:
        return str(upload.read(2_000_000).decode("utf-8-sig", errors="replace"))
    return str(request.POST.get("csv_text", ""))


@page(operations.qualifications_import)
def qualifications_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload, a dry run listing each line's problems, then the import: all the lines, or none."""
    form = f.ImportForm(_posted(request), request.FILES or None)
    report, text = None, ""
    if request.method == "POST":
        text = _csv_text(request)
        importing = "confirm" in request.POST
        data = {"dry_run": not importing, **({"csv": text} if text else {})}
        done = submit(request, operations.qualifications_import, form, data=data)
        if done and importing:
            count = done.value["imported"]
            messages.success(request, f"{count} qualification record{'s' if count != 1 else ''} imported.")
            return redirect("workforce:import")
        report = done.value if done else None
    context = {"form": form, "report": report, "csv_text": text if report and not report["errors"] else ""}
    return render(request, "workforce/import.html", context, status=422 if form.errors else 200)
