"""Missing-child pages. Thin: selectors in, forms in, writes out through the operations
(``haven.missing.operations``), each page submitting its form through the write's input model."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from haven.accounts.http import AuthenticatedRequest
from haven.accounts.models import User
from haven.cases.selectors import case_read_record
from haven.core import clock
from haven.core import operations as registered
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.missing import forms as f
from haven.missing import operations, policy, rules, selectors
from haven.missing.briefing import briefing_for_patrols
from haven.missing.choices import Obligation, RiskGrade
from haven.missing.models import Enquiry, Episode
from haven.missing.policy import CHILD_GRADE_FLOOR
from haven.people.selectors import person_get, person_likely_matches, person_photo_info
from haven.policy.selectors import policy_value
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, checked, page, place_errors, submit
from haven.ui.templatetags.govuk import error_summary


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    """The form's data: what was posted (even nothing at all), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


# --- Lists --------------------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_EPISODE_VIEW)
def episode_list(request: AuthenticatedRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    episodes = selectors.episode_list(user=request.user, active=not show_all, query=request.GET.urlencode())
    context = {
        "episodes": episodes,
        "show_all": show_all,
        "can_report": request.user.has_perm(Perm.MISSING_EPISODE_CREATE),
        "can_sight": request.user.has_perm(Perm.MISSING_SIGHTING_RECORD),
        "can_supervise": request.user.has_perm(Perm.MISSING_SUPERVISION_RECORD),
    }
    return render(request, "missing/episode_list.html", context)


# --- Report -------------------------------------------------------------------------------------


def _split_name(query: str) -> dict[str, str]:
    """A name searched for as the new-child form's first names and last name (the last word)."""
    words = query.split()
    if not words:
        return {}
    return {"forenames": " ".join(words[:-1]), "surname": words[-1]} if len(words) > 1 else {"surname": words[0]}


@login_required
@permission_required(Perm.MISSING_EPISODE_CREATE)
def report_start(request: AuthenticatedRequest) -> HttpResponse:
    """Step 1: find the child, or record them (haven.people's ``person_create``, with its duplicate warning).
    The new-child form starts with the name and date of birth searched for: nothing is typed twice."""
    user = request.user
    find = f.FindChildForm(request.GET or None)
    candidates: list[selectors.Candidate] = []
    searched = find.is_bound and find.is_valid() and bool(find.cleaned_data["q"] or find.cleaned_data["date_of_birth"])
    if searched:
        candidates = selectors.report_candidates(
            user=user, query=find.cleaned_data["q"], date_of_birth=find.cleaned_data["date_of_birth"]
        )
    initial: dict[str, Any] = {}
    if searched:
        initial = {**_split_name(find.cleaned_data["q"]), "date_of_birth": find.cleaned_data["date_of_birth"]}
    new = f.NewChildForm(_posted(request), initial=initial)
    matches = []
    if request.method == "POST":
        done = submit(request, registered.get("people.person_create"), new)
        if done:
            return redirect("missing:report-child", person_id=done.value.public_id)
        if "duplicate_reason" in new.errors:  # the likely matches the service found: listed as links
            values = new.values()
            matches = person_likely_matches(
                user=user,
                forenames=values.get("forenames", ""),
                surname=values.get("surname", ""),
                date_of_birth=values.get("date_of_birth"),
            )
    status = 422 if new.errors or find.errors else 200
    context = {"find": find, "searched": searched, "candidates": candidates, "new": new, "matches": matches}
    return render(request, "missing/report_start.html", context, status=status)


def _flags_context(user: User, child: Any, exclude: Episode | None = None) -> dict[str, Any]:
    return {
        "child": child,
        "history": selectors.child_history(user=user, child=child, exclude=exclude),
        "plan": selectors.trigger_plan(user=user, child=child, episode=exclude),
    }


BUTTONS = ("check", "confirm", "edit", "photo_data", "csrfmiddlewaretoken")


@page(operations.episode_report)
def report_child(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    """Step 2: the report on one page, with the child's history, flags and trigger plan beside it; then
    "check your answers"; then the report is made. What the child's record holds is filled in; when they
    were last seen never is. A child already missing is not offered: the page links to their episode."""
    user = request.user
    child = person_get(user=user, public_id=person_id)
    missing_now, may_open = selectors.open_episode_of(user=user, child=child)
    if missing_now is not None:
        context = {"child": child, "episode": missing_now, "may_open": may_open}
        return render(request, "missing/report_already.html", context, status=409)
    initial = {
        **selectors.report_defaults(user=user, child=child),
        "idempotency_key": uuid.uuid4().hex,
        "called_at": timezone.localtime(clock.now()).replace(second=0, microsecond=0),
    }
    post = _posted(request)
    form = f.ReportForm(post, request.FILES or None, initial=initial)
    photo = _photo_carried(request, post)
    data = {"child": child.public_id, **({"photo": photo} if photo else {})}
    checking = None
    if post is not None and "confirm" in post:
        done = submit(request, operations.episode_report, form, data=data)
        if done:
            episode = done.value
            messages.success(
                request, f"{child.full_name} is reported missing ({episode.case.reference}). Now grade the risk."
            )
            return redirect("missing:grade", public_id=episode.public_id)
    elif post is not None and "edit" not in post:
        payload = checked(operations.episode_report, form, data=data)
        if payload is not None:
            problems = rules.report_problems(child, payload)
            place_errors(form, problems)
            checking = None if problems else payload
    has_photo = person_photo_info(person=child) is not None
    context = {
        "form": form,
        "photo_data": base64.b64encode(checking.photo).decode() if checking and checking.photo else photo,
        "has_photo": has_photo,
        "adult": not rules.is_child(child),
        **_flags_context(user, child),
    }
    if checking is not None:
        answers = _answers(form, checking, has_photo=has_photo)
        carried = [(k, v) for k, values in post.lists() for v in values if k not in BUTTONS] if post else []
        context.update({"answers": answers, "carried": carried})
        return render(request, "missing/report_check.html", context)
    return render(request, "missing/report_child.html", context, status=422 if form.errors else 200)


def _photo_carried(request: AuthenticatedRequest, post: QueryDict | None) -> str:
    """The photograph already given (base64, as Haven keeps it) that the check page carries, unless a new
    file was chosen on this submit."""
    if post is None or request.FILES.get("photo"):
        return ""
    return str(post.get("photo_data", ""))[: 8 * 1024 * 1024]


def _answers(form: f.ReportForm, payload: Any, *, has_photo: bool) -> list[dict[str, Any]]:
    """The report's answers as "check your answers" shows them: each question, its answer in words and
    the box to change it."""
    from haven.ui.templatetags.govuk import field_id

    rows = []
    for _title, fields in form.sections():
        for bound in fields:
            value = getattr(payload, bound.name, None)
            rows.append(
                {
                    "question": str(bound.label).removesuffix(" (optional)"),
                    "answer": _in_words(bound.field, value),
                    "id": field_id(bound),
                }
            )
    photo = "A new photograph (below)" if payload.photo else ("The one on the child's record" if has_photo else "")
    rows.append({"question": "Photograph", "answer": photo or "None", "id": "id_photo"})
    return rows


def _in_words(field: Any, value: Any) -> str:
    if value is None and isinstance(field, f.YesNo):
        return "Not known"
    if value is None or value == "" or value == []:
        return "Not given"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "astimezone"):
        return f"{timezone.localtime(value):%-d %B %Y at %H:%M}"
    choices = dict(getattr(field, "choices", []) or [])
    return str(choices.get(value, value))


# --- Episode page -------------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_EPISODE_VIEW)
def episode_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The whole episode for those who work its case; the briefing, with sightings, for any other
    operational officer while the child is missing (finding them is everyone's job)."""
    user = request.user
    episode = selectors.episode_for_locating(user=user, public_id=public_id, log=False)  # a refusal logs itself
    if not selectors.may_work(user=user, episode=episode):
        return _locate_page(request, selectors.episode_for_locating(user=user, public_id=public_id))
    episode = selectors.episode_get(user=user, public_id=public_id)
    return render(request, "missing/episode_detail.html", selectors.episode_page(user=user, episode=episode))


def _locate_page(request: AuthenticatedRequest, episode: Episode) -> HttpResponse:
    user = request.user
    context = {
        "episode": selectors.briefing(user=user, episode=episode),
        "child": episode.child,
        "has_photo": person_photo_info(person=episode.child) is not None,
        "sightings": list(selectors.sightings_of(episode=episode)[:20]),
        "can_record_sighting": user.has_perm(Perm.MISSING_SIGHTING_RECORD),
    }
    return render(request, "missing/locate.html", context)


@page(operations.sighting_report)
def sighting_report(request: AuthenticatedRequest) -> HttpResponse:
    """Report a sighting of a child by name: for a child the officer cannot open or did not find. The
    answer is the same whether or not the name matched a child missing now."""
    form = f.SightingReportForm(_posted(request))  # when: as the caller says, never a guess of now
    if request.method == "POST" and submit(request, operations.sighting_report, form):
        messages.success(request, rules.SIGHTING_RECEIVED)
        return redirect("missing:list")
    context = {"form": form}
    return render(request, "missing/sighting_report.html", context, status=422 if form.errors else 200)


@login_required
@permission_required(Perm.MISSING_SUPERVISION_RECORD)
def sightings_unmatched(request: AuthenticatedRequest) -> HttpResponse:
    """Sightings reported by name that matched no one child missing now: for supervisors to follow up."""
    return render(
        request, "missing/sightings_unmatched.html", {"sightings": selectors.sightings_unmatched(user=request.user)}
    )


@page(operations.sighting_record)
def sighting(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Record a sighting: any operational officer, while the child is missing. The owner is told."""
    user = request.user
    episode = selectors.episode_for_locating(user=user, public_id=public_id, log=request.method != "POST")
    form = f.SightingForm(_posted(request))  # when: as the officer says, never a guess of now
    if request.method == "POST":
        if submit(request, operations.sighting_record, form, target=episode):
            messages.success(request, "The sighting has been recorded and the officer in charge has been told.")
            return redirect("missing:detail", public_id=episode.public_id)
        selectors.episode_for_locating(user=user, public_id=public_id)  # the page shows the child again: logged
    context = {
        "episode": episode,
        "form": form,
        "title": "Record a sighting",
        "button": "Record the sighting",
        "intro": "Where and when the child was seen, or what you have been told about where they are. "
        "The officer in charge is told at once.",
        "testid": "sighting",
    }
    return render(request, "missing/step.html", context, status=422 if form.errors else 200)


# --- Grading ------------------------------------------------------------------------------------


def _row_values(post: QueryDict, prefix: str, count: int) -> list[dict[str, str]]:
    """Each row's answers as typed, by what follows ``<prefix>-<n>-`` in their names (a date input's
    boxes too: ``due_at-day``…), so rows can be added or removed and renumbered without script."""
    rows: list[dict[str, str]] = [{} for _ in range(count)]
    for key in post:
        head, _, rest = key.partition("-")
        number, _, name = rest.partition("-")
        if head == prefix and number.isdigit() and int(number) < count and name:
            rows[int(number)][name] = post.get(key, "")
    return rows


def _rows_posted(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    return {f"{prefix}-{n}-{name}": value for n, row in enumerate(rows) for name, value in row.items()}


def _with_another_source(post: QueryDict) -> QueryDict:
    """What was posted, with one more (empty) source row ("Add another source", without script)."""
    try:
        total = max(1, min(int(post.get("sources-TOTAL_FORMS", "1")), 19))
    except ValueError:
        total = 1
    more = post.copy()
    more["sources-TOTAL_FORMS"] = str(total + 1)
    return more


@page(operations.risk_assess)
def grade(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The risk assessment: grade, rationale, information sources as repeatable rows (M-01..M-08)."""
    user = request.user
    episode = selectors.episode_get(user=user, public_id=public_id)
    post = _posted(request)
    form = f.GradeForm(post)
    first_grading = not episode.assessments.exists()
    # The person reporting is the first source of a first grading: what they said, filled in to be checked.
    informant = [_informant_source(episode)] if first_grading else []
    sources = f.SourceFormSet(post, prefix="sources", initial=informant)
    adding = post is not None and "add_source" in post
    if post is not None and adding:
        # Bound but never checked (an InputForm validates only through its operation): no errors shown.
        sources = f.SourceFormSet(_with_another_source(post), prefix="sources")
    elif post is not None:
        rows = [row for row in sources.forms if not row.is_blank()]
        data = {"sources": [row.values() for row in rows]}
        done = submit(request, operations.risk_assess, form, target=episode, data=data, rows={"sources": rows})
        if done:
            messages.success(request, "The risk assessment has been saved.")
            return redirect("missing:detail", public_id=episode.public_id)
    has_errors = bool(form.errors) or any(s.errors for s in sources.forms)
    context = {
        "episode": episode,
        "form": form,
        "sources": sources,
        "summary": error_summary(form, *sources.forms) if post is not None and not adding else {"errors": []},
        "floor": RiskGrade(policy_value(CHILD_GRADE_FLOOR)).label,
        "can_override": user.has_perm(Perm.MISSING_RISK_OVERRIDE),
        "assessments": list(episode.assessments.select_related("assessed_by").order_by("-assessed_at")),
        "informant_first": first_grading,
        **_flags_context(user, episode.child, exclude=episode),
    }
    return render(request, "missing/grade.html", context, status=422 if has_errors and not adding else 200)


def _informant_source(episode: Episode) -> dict[str, Any]:
    who = episode.informant_name + (f" ({episode.informant_relationship})" if episode.informant_relationship else "")
    return {
        "information": episode.circumstances,
        "provider_name": who[:200],
        "provider_contact": episode.informant_contact,
        "obtained_at": episode.called_at or episode.reported_at,
    }


# --- Steps: one generic page each ---------------------------------------------------------------

FormOptions = Callable[[User, Episode], dict[str, Any]]


def _target(request: AuthenticatedRequest, operation: Any, public_id: str) -> Episode | Enquiry:
    """What the step acts on, if the user may see it: the episode, or one of its enquiries."""
    log = request.method != "POST"  # a write logs itself; a page shown is a consultation
    if operation.target == "enquiry":
        return selectors.enquiry_get(user=request.user, public_id=public_id, log=log)
    return selectors.episode_get(user=request.user, public_id=public_id, log=log)


def _step_view(
    form_class: type[InputForm],
    *,
    title: str,
    button: str,
    done: str,
    intro: str = "",
    warning: bool = False,
    options: FormOptions | None = None,
    template: str = "missing/step.html",
    more: FormOptions | None = None,
) -> Callable[..., HttpResponse]:
    """The page of one step of the journey: ``form_class`` submits its operation on the episode (or
    on an enquiry, whose type and description head the page). ``options(user, episode)`` gives the
    form's other arguments (its initial values, its choices)."""
    operation = form_class.operation
    testid = form_class.__name__.removesuffix("Form").lower()

    @page(operation)
    def view(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
        user = request.user
        target = _target(request, operation, public_id)
        episode = target.episode if isinstance(target, Enquiry) else target
        form = form_class(_posted(request), **(options(user, episode) if options else {}))
        if request.method == "POST":
            if submit(request, operation, form, target=target):
                messages.success(request, done)
                return redirect("missing:detail", public_id=episode.public_id)
            case_read_record(user=user, cases=[episode.case])  # the page shows the episode again
        heading, words = (title, intro)
        if isinstance(target, Enquiry):
            heading, words = f"{title}: {target.get_type_display()}", target.description
        context = {
            "episode": episode,
            "form": form,
            "title": heading,
            "button": button,
            "intro": words,
            "warning": warning,
            "testid": testid,
            **(more(user, episode) if more else {}),
        }
        return render(request, template, context, status=422 if form.errors else 200)

    return view


obligation = _step_view(
    f.ObligationForm,
    title="Record PNC circulation or a high-risk obligation",
    button="Record it",
    done="Recorded.",
    intro="PNC circulation and, for high risk, the senior manager, investigating officer, UK Missing Persons "
    "Unit, children's services and media strategy.",
)


@page(operations.obligation_record)
def investigating_officer(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """A high-risk episode's investigating officer, from a picker that asks the gate (T-01): officers it
    refuses are shown greyed out with the reason, those allowed only with approval are marked so."""
    user = request.user
    episode = selectors.episode_get(user=user, public_id=public_id, log=request.method != "POST")
    if episode.grade != RiskGrade.HIGH or not episode.is_active:
        raise NotFound("Only an active high-risk episode has an investigating officer to choose.")
    form = f.InvestigatingOfficerForm(_posted(request))
    if request.method == "POST":
        data = {"obligation": Obligation.INVESTIGATING_OFFICER}
        done = submit(request, operations.obligation_record, form, target=episode, data=data)
        if done:
            messages.success(request, f"{done.value.investigating_officer.rank_and_name} is the investigating officer.")
            return redirect("missing:detail", public_id=episode.public_id)
        case_read_record(user=user, cases=[episode.case])  # the page shows the episode again
    context = {
        "episode": episode,
        "form": form,
        "candidates": selectors.investigator_candidates(user=user, episode=episode),
        "chosen": form["officer"].value() or getattr(episode.investigating_officer, "username", ""),
    }
    return render(request, "missing/investigating_officer.html", context, status=422 if form.errors else 200)


ENQUIRY_ROWS_MAX = 20


def _enquiry_rows(request: AuthenticatedRequest) -> list[f.EnquiryRowForm]:
    """The enquiry rows: from the POST (with "Add another" or "Remove" applied), else one empty row."""
    if request.method != "POST":
        return [f.EnquiryRowForm(prefix="enquiries-0", initial={"priority": "routine"})]
    try:
        count = max(0, min(ENQUIRY_ROWS_MAX, int(request.POST.get("enquiry_count", "1"))))
    except ValueError:
        count = 1
    rows = _row_values(request.POST, "enquiries", count)
    remove = request.POST.get("remove_enquiry")
    if remove is not None and remove.isdigit() and int(remove) < len(rows):
        rows.pop(int(remove))
    if "add_enquiry" in request.POST and len(rows) < ENQUIRY_ROWS_MAX:
        rows.append({"priority": "routine"})
    if not rows:
        rows.append({"priority": "routine"})
    # Bound forms, renumbered: an InputForm is never checked by itself, so no error shows before submitting.
    data = _rows_posted("enquiries", rows)
    return [f.EnquiryRowForm(data, prefix=f"enquiries-{n}") for n in range(len(rows))]


@page(operations.enquiries_raise)
def enquiry_new(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Raise one enquiry or several at once ("Add another enquiry"): all are raised, or none."""
    user = request.user
    episode = selectors.episode_get(user=user, public_id=public_id, log=request.method != "POST")
    form = f.EnquiriesForm(_posted(request))
    rows = _enquiry_rows(request)
    rearranging = "add_enquiry" in request.POST or "remove_enquiry" in request.POST
    if request.method == "POST" and not rearranging:
        used = [row for row in rows if not row.is_blank()]
        data = {"enquiries": [row.values() for row in used]}
        done = submit(request, operations.enquiries_raise, form, target=episode, data=data, rows={"enquiries": used})
        if done:
            raised = len(done.value)
            messages.success(request, "The enquiry has been raised." if raised == 1 else f"{raised} enquiries raised.")
            return redirect("missing:detail", public_id=episode.public_id)
        case_read_record(user=user, cases=[episode.case])
    failed = request.method == "POST" and not rearranging and any(x.errors for x in [form, *rows])
    context = {
        "episode": episode,
        "form": form,
        "rows": rows,
        "summary": error_summary(form, *rows) if failed else {"errors": []},
        "due": {p: clock.duration_words(policy.enquiry_due_within(p)) for p in ("immediate", "urgent", "routine")},
    }
    return render(request, "missing/enquiries_new.html", context, status=422 if failed else 200)


def _plan_actions(user: User, episode: Episode) -> dict[str, Any]:
    actions = selectors.trigger_plan_actions(user=user, child=episode.child, episode=episode)
    if not actions:
        raise NotFound("The child has no current trigger plan.")
    return {"actions": actions, "initial": {"actions": [str(i) for i in range(len(actions))]}}


plan_actions = _step_view(
    f.PlanActionsForm,
    title="Raise the trigger plan's actions as enquiries",
    button="Raise these enquiries",
    done="The trigger plan's actions have been raised as enquiries.",
    options=_plan_actions,
)

review = _step_view(
    f.ReviewForm,
    title="Supervisor review",
    button="Record the review",
    done="Your review has been recorded.",
    options=lambda user, episode: {"initial": {"grade_confirmed": True}},
    template="missing/review.html",
    more=lambda user, episode: selectors.review_context(episode=episode),
)

found = _step_view(
    f.FoundForm,
    title="The child is found",
    button="Record found",
    done="Recorded as found. The prevention interview is now due, and the return home interview was requested.",
    options=lambda user, episode: {"initial": {"rhi_authority": episode.responsible_authority}},
)

prevention = _step_view(
    f.PreventionForm,
    title="Prevention interview (safe and well check)",
    button="Record the interview",
    done="The prevention interview has been recorded.",
    intro="See the child in person where you can: a phone check is poor practice.",
)

waive = _step_view(
    f.WaiveForm,
    title="No prevention interview possible",
    button="Approve closing without an interview",
    done="Recorded: the episode may close without a prevention interview.",
    intro="As a supervisor, record why no prevention interview was possible.",
    warning=True,
)

rhi = _step_view(
    f.RhiForm,
    title="Return home interview",
    button="Record it",
    done="The return home interview has been updated.",
    intro="The local authority must offer the child an independent return home interview within 72 hours.",
)

exploitation = _step_view(f.ExploitationForm, title="Exploitation review", button="Record it", done="Recorded.")

close = _step_view(
    f.CloseForm,
    title="Close the episode",
    button="Close the episode",
    done="The episode is closed. The return home interview stays tracked until it is recorded.",
    options=lambda user, episode: {
        "supervisor": user.has_perm(Perm.MISSING_SUPERVISION_RECORD),
        "outstanding": rules.close_overridable(episode),
    },
)

cancel = _step_view(
    f.CancelForm,
    title="Not missing after all",
    button="Cancel the report",
    done="The report is cancelled.",
    warning=True,
)

escalate = _step_view(
    f.EscalateForm,
    title="Escalate to a crime investigation",
    button="Escalate",
    done="The episode is escalated to a crime investigation.",
    warning=True,
)

deceased = _step_view(f.DeceasedForm, title="Found deceased", button="Record it", done="Recorded.", warning=True)

enquiry_allocate = _step_view(
    f.AllocateForm, title="Allocate", button="Allocate", done="The enquiry has been allocated."
)
enquiry_result = _step_view(
    f.ResultForm, title="Record the result", button="Record the result", done="The result has been recorded."
)
enquiry_cancel = _step_view(
    f.EnquiryCancelForm, title="Cancel", button="Cancel the enquiry", done="The enquiry has been cancelled."
)


# --- Briefing sheet -----------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_EPISODE_VIEW)
def briefing(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The briefing sheet PDF for patrols (no restricted data). Printing it is a logged disclosure."""
    user = request.user
    episode = selectors.episode_for_locating(user=user, public_id=public_id, log=False)
    pdf = briefing_for_patrols(user=user, episode=episode, base_url=request.build_absolute_uri(reverse("ui:home")))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="briefing-{episode.case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
