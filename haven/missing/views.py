"""Missing-child pages. Thin: selectors in, forms in, services out."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.selectors import case_read_record
from haven.core import clock
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.missing import forms as f
from haven.missing import rules, selectors, services
from haven.missing.choices import RiskGrade
from haven.missing.models import Episode
from haven.missing.policy import CHILD_GRADE_FLOOR
from haven.policy.selectors import policy_value
from haven.ui.decorators import permission_required
from haven.ui.forms import copy_service_errors
from haven.ui.templatetags.govuk import error_summary


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _username(form: Any, field: str, value: str) -> User | None:
    if not value:
        return None
    found = User.objects.filter(username=value.strip()).first()
    if found is None:
        form.add_error(field, "There is no Haven user with this username")
    return found


# --- Lists --------------------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_EPISODE_VIEW)
def episode_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    episodes = selectors.episode_list(user=_user(request), active=not show_all, query=request.GET.urlencode())
    context = {
        "episodes": episodes,
        "show_all": show_all,
        "can_report": request.user.has_perm(Perm.MISSING_EPISODE_CREATE),
    }
    return render(request, "missing/episode_list.html", context)


# --- Report -------------------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_EPISODE_CREATE)
def report_start(request: HttpRequest) -> HttpResponse:
    """Step 1: find the child (or create them, with the duplicate warning)."""
    from haven.people.selectors import person_likely_matches, person_search
    from haven.people.services import person_create

    user = _user(request)
    find = f.FindChildForm(request.GET or None)
    hits = []
    if find.is_bound and find.is_valid() and (find.cleaned_data["q"] or find.cleaned_data["date_of_birth"]):
        hits = person_search(user=user, query=find.cleaned_data["q"], date_of_birth=find.cleaned_data["date_of_birth"])
    new = f.NewChildForm(request.POST or None)
    matches = []
    if request.method == "POST" and new.is_valid():
        data = new.cleaned_data
        try:
            child = person_create(
                actor=user,
                forenames=data["forenames"],
                surname=data["surname"],
                date_of_birth=data["date_of_birth"],
                sex=data["sex"] or "unknown",
                duplicate_reason=data["duplicate_reason"],
            )
        except ValidationFailed as exc:
            if "likely_matches" in exc.fields:
                matches = person_likely_matches(
                    user=user, forenames=data["forenames"], surname=data["surname"], date_of_birth=data["date_of_birth"]
                )
                new.add_error("duplicate_reason", exc.fields["duplicate_reason"][0])
            else:
                copy_service_errors(new, exc)
        else:
            return redirect("missing:report-child", person_id=child.public_id)
    status = 422 if new.errors else 200
    return render(
        request,
        "missing/report_start.html",
        {"find": find, "hits": hits, "new": new, "matches": matches},
        status=status,
    )


def _flags_context(user: User, child: Any, exclude: Episode | None = None) -> dict[str, Any]:
    return {
        "child": child,
        "history": selectors.child_history(user=user, child=child, exclude=exclude),
        "plan": selectors.trigger_plan(user=user, child=child),
    }


@login_required
@permission_required(Perm.MISSING_EPISODE_CREATE)
def report_child(request: HttpRequest, person_id: str) -> HttpResponse:
    """Step 2: the few essentials, with the child's history, flags and trigger plan on screen."""
    from haven.people.selectors import person_get

    user = _user(request)
    child = person_get(user=user, public_id=person_id)
    flags = rules.child_flags(child)
    initial = {
        "looked_after": "yes" if flags.looked_after else "no",
        "responsible_authority": flags.responsible_authority,
        "host_authority": flags.host_authority,
        "philomena_exists": "yes" if flags.philomena else "unknown",
        "idempotency_key": uuid.uuid4().hex,
        "last_seen_at": timezone.localtime(clock.now()).replace(second=0, microsecond=0),
    }
    form = f.ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            episode = services.episode_report(
                actor=user,
                child=child,
                informant_name=data["informant_name"],
                informant_relationship=data["informant_relationship"],
                informant_contact=data["informant_contact"],
                last_seen_at=data["last_seen_at"],
                last_seen_where=data["last_seen_where"],
                missing_from=data["missing_from"],
                circumstances=data["circumstances"],
                out_of_character=f.tri(data["out_of_character"]),
                looked_after=data["looked_after"] == "yes",
                responsible_authority=data["responsible_authority"],
                host_authority=data["host_authority"],
                philomena_exists=f.tri(data["philomena_exists"]),
                idempotency_key=data["idempotency_key"] or None,
            )
        except (ValidationFailed, Conflict) as exc:
            copy_service_errors(form, exc)
        else:
            messages.success(
                request, f"{child.full_name} is reported missing ({episode.case.reference}). Now grade the risk."
            )
            return redirect("missing:grade", public_id=episode.public_id)
    context = {"form": form, **_flags_context(user, child)}
    return render(request, "missing/report_child.html", context, status=422 if form.errors else 200)


# --- Episode page -------------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_EPISODE_VIEW)
def episode_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    episode = selectors.episode_get(user=user, public_id=public_id)
    return render(request, "missing/episode_detail.html", selectors.episode_page(user=user, episode=episode))


# --- Grading ------------------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_RISK_GRADE)
def grade(request: HttpRequest, public_id: str) -> HttpResponse:
    """The risk assessment: grade, rationale, information sources as repeatable rows (M-01..M-08)."""
    user = _user(request)
    episode = selectors.episode_get(user=user, public_id=public_id)
    post = request.POST if request.method == "POST" else None
    form = f.GradeForm(post)
    sources = f.SourceFormSet(post, prefix="sources")
    if post is not None and "add_source" in post:
        # "Add another source": keep what was typed and show one more row (no script needed).
        total = min(int(post.get("sources-TOTAL_FORMS", "1") or 1), 19)
        names = ("information", "provider_name", "provider_contact", "obtained_at")
        rows = [{n: post.get(f"sources-{i}-{n}", "") for n in names} for i in range(total)]
        form = f.GradeForm(initial=post.dict())
        sources = f.SourceFormSet(prefix="sources", initial=[*rows, {}])
    elif post is not None and form.is_valid() and sources.is_valid():
        data = form.cleaned_data
        source_rows = [
            services.Source(
                information=s.cleaned_data.get("information", ""),
                provider_name=s.cleaned_data.get("provider_name", ""),
                provider_contact=s.cleaned_data.get("provider_contact", ""),
                obtained_at=s.cleaned_data.get("obtained_at"),
            )
            for s in sources.forms
        ]
        try:
            services.risk_assess(
                actor=user,
                episode=episode,
                grade=data["grade"],
                rationale=data["rationale"],
                sources=source_rows,
                next_review_due=data["next_review_due"],
                agreed_actions=data["agreed_actions"],
                floor_override_reason=data["floor_override_reason"],
                cra_decision=data["cra_decision"],
                cra_reason=data["cra_reason"],
            )
        except (ValidationFailed, Conflict) as exc:
            _copy_grade_errors(form, sources, exc)
        else:
            messages.success(request, "The risk assessment has been saved.")
            return redirect("missing:detail", public_id=episode.public_id)
    has_errors = bool(form.errors) or any(s.errors for s in sources.forms) or bool(sources.non_form_errors())
    context = {
        "episode": episode,
        "form": form,
        "sources": sources,
        "summary": error_summary(form, *sources.forms) if post is not None else {"errors": []},
        "floor": RiskGrade(policy_value(CHILD_GRADE_FLOOR)).label,
        "can_override": user.has_perm(Perm.MISSING_RISK_OVERRIDE),
        "assessments": list(episode.assessments.select_related("assessed_by").order_by("-assessed_at")),
        **_flags_context(user, episode.child, exclude=episode),
    }
    return render(request, "missing/grade.html", context, status=422 if has_errors and post is not None else 200)


def _copy_grade_errors(form: Any, sources: Any, exc: ValidationFailed | Conflict) -> None:
    placed = False
    for name, problems in exc.fields.items():
        if name.startswith("sources-"):
            _, index, field = name.split("-", 2)
            target = sources.forms[int(index)]
            for problem in problems:
                target.add_error(field, problem)
            placed = True
        elif name == "sources":
            for problem in problems:
                form.add_error(None, problem)
            placed = True
        elif name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


# --- Steps (one generic page each) --------------------------------------------------------------

Run = Callable[[User, Episode, dict[str, Any], Any], Any]


def _step(
    request: HttpRequest,
    episode: Episode,
    *,
    form: Any,
    title: str,
    button: str,
    run: Run,
    done: str,
    intro: str = "",
    warning: bool = False,
    testid: str = "",
) -> HttpResponse:
    user = _user(request)
    if request.method == "POST" and form.is_valid():
        try:
            run(user, episode, form.cleaned_data, form)
        except (ValidationFailed, Conflict) as exc:
            copy_service_errors(form, exc)
        else:
            if not form.errors:
                messages.success(request, done)
                return redirect("missing:detail", public_id=episode.public_id)
    if request.method == "POST":
        case_read_record(user=user, cases=[episode.case])
    context = {
        "episode": episode,
        "form": form,
        "title": title,
        "button": button,
        "intro": intro,
        "warning": warning,
        "testid": testid,
    }
    return render(request, "missing/step.html", context, status=422 if form.errors else 200)


def _episode(request: HttpRequest, public_id: str) -> Episode:
    return selectors.episode_get(user=_user(request), public_id=public_id, log=request.method != "POST")


def _step_view(
    form_class: type[Any],
    *,
    title: str,
    button: str,
    done: str,
    run: Run,
    perm: Perm = Perm.MISSING_EPISODE_VIEW,
    intro: str = "",
    warning: bool = False,
    initial: Callable[[Episode], dict[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    @login_required
    @permission_required(perm)
    def view(request: HttpRequest, public_id: str) -> HttpResponse:
        episode = _episode(request, public_id)
        form = form_class(request.POST or None, initial=initial(episode) if initial else None)
        return _step(
            request,
            episode,
            form=form,
            title=title,
            button=button,
            run=run,
            done=done,
            intro=intro,
            warning=warning,
            testid=form_class.__name__.removesuffix("Form").lower(),
        )

    return view


def _run_obligation(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    officer = _username(form, "officer", d["officer"])
    if form.errors:
        return
    services.obligation_record(
        actor=user, episode=episode, obligation=d["obligation"], at=d["at"], officer=officer, note=d["note"]
    )


obligation = _step_view(
    f.ObligationForm,
    title="Record PNC circulation or a high-risk obligation",
    button="Record it",
    done="Recorded.",
    run=_run_obligation,
    intro="PNC circulation (M-09) and, for high risk, the senior manager, investigating officer, UK Missing Persons "
    "Unit, children's services and media strategy (M-07).",
)


def _run_enquiry(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    allocated = _username(form, "allocated_to", d["allocated_to"])
    if form.errors:
        return
    services.enquiry_raise(
        actor=user,
        episode=episode,
        type=d["type"],
        description=d["description"],
        due_at=d["due_at"],
        priority=d["priority"],
        allocated_to=allocated,
    )


enquiry_new = _step_view(
    f.EnquiryForm,
    title="Raise an enquiry",
    button="Raise the enquiry",
    done="The enquiry has been raised.",
    run=_run_enquiry,
    perm=Perm.MISSING_ENQUIRY_RECORD,
    initial=lambda e: {"priority": "routine"},
)


def _run_review(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.review_record(
        actor=user,
        episode=episode,
        decision=d["decision"],
        grade_confirmed=d["grade_confirmed"],
        next_review_due=d["next_review_due"],
    )


review = _step_view(
    f.ReviewForm,
    title="Supervisor review",
    button="Record the review",
    done="Your review has been recorded.",
    run=_run_review,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    initial=lambda e: {"grade_confirmed": True},
)


def _run_found(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.episode_found(actor=user, episode=episode, **d)


found = _step_view(
    f.FoundForm,
    title="The child is found",
    button="Record found",
    done="Recorded as found. The prevention interview is now due, and the return home interview was requested.",
    run=_run_found,
    initial=lambda e: {"rhi_authority": e.responsible_authority},
)


def _run_prevention(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.prevention_interview_record(actor=user, episode=episode, **d)


prevention = _step_view(
    f.PreventionForm,
    title="Prevention interview (safe and well check)",
    button="Record the interview",
    done="The prevention interview has been recorded.",
    run=_run_prevention,
    intro="See the child in person where you can: a phone check is poor practice.",
)


def _run_waive(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.prevention_waive(actor=user, episode=episode, reason=d["reason"])


waive = _step_view(
    f.ReasonForm,
    title="No prevention interview possible",
    button="Approve closing without an interview",
    done="Recorded: the episode may close without a prevention interview.",
    run=_run_waive,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    intro="As a supervisor, record why no prevention interview was possible (M-11).",
    warning=True,
)


def _run_rhi(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.rhi_update(actor=user, episode=episode, **d)


rhi = _step_view(
    f.RhiForm,
    title="Return home interview",
    button="Record it",
    done="The return home interview has been updated.",
    run=_run_rhi,
    intro="The local authority must offer the child an independent return home interview within 72 hours (M-12).",
)


def _run_exploitation(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.exploitation_record(actor=user, episode=episode, outcome=d["outcome"], note=d["note"])


exploitation = _step_view(
    f.ExploitationForm,
    title="Exploitation review",
    button="Record it",
    done="Recorded.",
    run=_run_exploitation,
)


def _run_close(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.episode_close(actor=user, episode=episode, reason_missing=d["reason_missing"], reason=d["reason"])


close = _step_view(
    f.CloseForm,
    title="Close the episode",
    button="Close the episode",
    done="The episode is closed.",
    run=_run_close,
    perm=Perm.MISSING_SUPERVISION_RECORD,
)


def _run_cancel(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.episode_cancel(actor=user, episode=episode, reason=d["reason"])


cancel = _step_view(
    f.ReasonForm,
    title="Not missing after all",
    button="Cancel the report",
    done="The report is cancelled.",
    run=_run_cancel,
    warning=True,
)


def _run_escalate(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.episode_escalate(actor=user, episode=episode, crime_reference=d["crime_reference"], reason=d["reason"])


escalate = _step_view(
    f.EscalateForm,
    title="Escalate to a crime investigation",
    button="Escalate",
    done="The episode is escalated to a crime investigation.",
    run=_run_escalate,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    warning=True,
)


def _run_deceased(user: User, episode: Episode, d: dict[str, Any], form: Any) -> None:
    services.episode_found_deceased(actor=user, episode=episode, **d)


deceased = _step_view(
    f.DeceasedForm,
    title="Found deceased",
    button="Record it",
    done="Recorded.",
    run=_run_deceased,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    warning=True,
)


# --- Enquiry steps ------------------------------------------------------------------------------


def _enquiry_step(form_class: type[Any], *, title: str, button: str, done: str, run: Callable[..., Any]) -> Any:
    @login_required
    @permission_required(Perm.MISSING_ENQUIRY_RECORD)
    def view(request: HttpRequest, public_id: str) -> HttpResponse:
        user = _user(request)
        enquiry = selectors.enquiry_get(user=user, public_id=public_id, log=request.method != "POST")
        form = form_class(request.POST or None)

        def go(u: User, e: Episode, d: dict[str, Any], fm: Any) -> None:
            run(u, enquiry, d, fm)

        return _step(
            request,
            enquiry.episode,
            form=form,
            title=f"{title}: {enquiry.get_type_display()}",
            button=button,
            run=go,
            done=done,
            intro=enquiry.description,
            testid=form_class.__name__.removesuffix("Form").lower(),
        )

    return view


def _run_allocate(user: User, enquiry: Any, d: dict[str, Any], form: Any) -> None:
    to_user = _username(form, "to_user", d["to_user"])
    if to_user is not None:
        services.enquiry_allocate(actor=user, enquiry=enquiry, to_user=to_user)


enquiry_allocate = _enquiry_step(
    f.AllocateForm, title="Allocate", button="Allocate", done="The enquiry has been allocated.", run=_run_allocate
)
enquiry_result = _enquiry_step(
    f.ResultForm,
    title="Record the result",
    button="Record the result",
    done="The result has been recorded.",
    run=lambda u, q, d, fm: services.enquiry_complete(actor=u, enquiry=q, result=d["result"]),
)
enquiry_cancel = _enquiry_step(
    f.ReasonForm,
    title="Cancel",
    button="Cancel the enquiry",
    done="The enquiry has been cancelled.",
    run=lambda u, q, d, fm: services.enquiry_cancel(actor=u, enquiry=q, reason=d["reason"]),
)


# --- Trigger-plan actions as enquiries ----------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_ENQUIRY_RECORD)
def plan_actions(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    episode = _episode(request, public_id)
    actions = selectors.trigger_plan_actions(user=user, child=episode.child)
    if not actions:
        raise NotFound("The child has no current trigger plan.")
    form = f.PlanActionsForm(
        request.POST or None, actions=actions, initial={"actions": [str(i) for i in range(len(actions))]}
    )

    def run(u: User, e: Episode, d: dict[str, Any], fm: Any) -> None:
        services.plan_actions_raise(actor=u, episode=e, indexes=[int(i) for i in d["actions"]])

    return _step(
        request,
        episode,
        form=form,
        title="Raise the trigger plan's actions as enquiries",
        button="Raise these enquiries",
        run=run,
        done="The trigger plan's actions have been raised as enquiries.",
        testid="plan-actions",
    )


# --- Briefing sheet -----------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_EPISODE_VIEW)
def briefing(request: HttpRequest, public_id: str) -> HttpResponse:
    """The briefing sheet PDF for patrols (no restricted data). Printing it is a logged disclosure."""
    from django.db import transaction

    from haven.missing.briefing import briefing_pdf

    user = _user(request)
    with transaction.atomic():
        episode = selectors.episode_get(user=user, public_id=public_id, log=False)
        pdf = briefing_pdf(user=user, episode=episode, base_url=request.build_absolute_uri(reverse("ui:home")))
        services.briefing_printed(actor=user, episode=episode)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="briefing-{episode.case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
