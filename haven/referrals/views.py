"""Referral pages. Thin: selectors in, forms in, writes out through the operations
(``haven.referrals.operations``), each page submitting its form through the write's input model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from haven.accounts.http import AuthenticatedRequest
from haven.cases.selectors import case_get
from haven.core import operations as registered
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.missing.selectors import episode_get
from haven.partners.selectors import shared_state
from haven.people.selectors import person_likely_matches, person_search
from haven.referrals import exports, operations, selectors
from haven.referrals import forms as f
from haven.referrals.choices import PersonRole, ReferralState
from haven.referrals.models import ChildConcernReferral
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, page, submit
from haven.workforce.choices import Activity, Answer
from haven.workforce.selectors import may


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _referral(request: AuthenticatedRequest, public_id: str, *, log: bool | None = None) -> ChildConcernReferral:
    """The referral if the user may see it; a page shown is a consultation, a write logs itself."""
    return selectors.referral_get(
        user=request.user, public_id=public_id, log=request.method != "POST" if log is None else log
    )


# --- Lists --------------------------------------------------------------------------------------------


@login_required
@permission_required(Perm.REFERRALS_REFERRAL_VIEW)
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    """My referrals: the ones I raised, drafts first to finish."""
    referrals = selectors.my_referrals(user=request.user)
    context = {
        "referrals": referrals,
        "can_raise": request.user.has_perm(Perm.REFERRALS_REFERRAL_CREATE),
        "can_queue": request.user.has_perm(Perm.REFERRALS_QUEUE_VIEW),
    }
    return render(request, "referrals/list.html", context)


@login_required
@permission_required(Perm.REFERRALS_QUEUE_VIEW)
def queue(request: AuthenticatedRequest) -> HttpResponse:
    found = selectors.queue(user=request.user)
    peak = max([count for _, count in found.trend] + [1])
    trend = [
        {
            "day": day,
            "count": count,
            "x": i * 10,
            "height": round(count * 56 / peak),
            "y": 60 - round(count * 56 / peak),
        }
        for i, (day, count) in enumerate(found.trend)
    ]
    context = {"queue": found, "trend": trend, "can_report": request.user.has_perm(Perm.REFERRALS_REPORT_VIEW)}
    return render(request, "referrals/queue.html", context)


# --- The manager's report -----------------------------------------------------------------------------


def _report_charts(report: selectors.TimeToShareReport) -> dict[str, Any]:
    labels = [f"{w:%-d %b}" for w in report.weeks]
    return {
        "times": {
            "type": "line",
            "labels": labels,
            "series": [
                {"label": "Median hours to share", "values": [r.median_hours for r in report.rows]},
                {"label": "90th percentile hours to share", "values": [r.p90_hours for r in report.rows]},
            ],
        },
        "backlog": {
            "type": "bar",
            "labels": labels,
            "series": [{"label": "Waiting at the end of the week", "values": [r.backlog for r in report.rows]}],
        },
    }


@login_required
def report(request: AuthenticatedRequest) -> HttpResponse:
    """The manager's report: time from raised to shared, share-by times missed and the backlog, by week
    and by team; each table as CSV (``?format=csv&table=weeks``). 404 without the report permission."""
    found = selectors.time_to_share_report(user=request.user, team_code=request.GET.get("team", ""))
    if request.GET.get("format") == "csv":
        table = request.GET.get("table", "weeks")
        if table not in exports.TABLES:
            raise Http404
        response = HttpResponse(exports.as_csv(found, table), content_type="text/csv; charset=utf-8")
        team = f"-{found.team_code.lower()}" if found.team_code else ""
        name = f"referrals-time-to-share-{table}{team}-{found.now:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {"report": found, "charts": _report_charts(found), "tables": exports.TABLES}
    return render(request, "referrals/report.html", context)


# --- Raising a referral ---------------------------------------------------------------------------------


def _origin(request: AuthenticatedRequest) -> dict[str, Any]:
    """Where the referral is raised from: a case (its subject offered), a missing episode (its child), or
    nothing. Reading them is logged by their apps' selectors."""
    user = request.user
    source = request.GET if request.method == "GET" else request.POST
    try:
        if source.get("episode"):
            episode = episode_get(user=user, public_id=source["episode"])
            return {"episode": episode, "case": episode.case, "offered": episode.child}
        if source.get("case"):
            case = case_get(user=user, public_id=source["case"])
            return {"episode": None, "case": case, "offered": case.subject}
    except NotFound:
        raise Http404 from None
    return {"episode": None, "case": None, "offered": None}


def _start_with(request: AuthenticatedRequest, child_id: Any, origin: dict[str, Any]) -> HttpResponse | None:
    data = {
        "child": str(child_id),
        "case": str(origin["case"].public_id) if origin["case"] and not origin["episode"] else None,
        "episode": str(origin["episode"].public_id) if origin["episode"] else None,
    }
    form = f.StartForm(data)
    done = submit(request, operations.referral_start, form, data={k: v for k, v in data.items() if v})
    if done:
        messages.success(request, f"Referral {done.value.reference} started. It is saved as a draft.")
        return redirect("referrals:edit", public_id=done.value.public_id)
    return None


@login_required
@permission_required(Perm.REFERRALS_REFERRAL_CREATE)
def new(request: AuthenticatedRequest) -> HttpResponse:
    """Step 1: who the concern is about: the child of the case or episode it is raised from, a child found
    on the register, or a new person (haven.people's ``person_create``, with its duplicate warning)."""
    user = request.user
    origin = _origin(request)
    find = f.FindPersonForm(request.GET if "q" in request.GET else None)
    hits: list[Any] = []
    searched = find.is_bound and find.is_valid() and bool(find.cleaned_data["q"] or find.cleaned_data["date_of_birth"])
    if searched:
        hits = person_search(user=user, query=find.cleaned_data["q"], date_of_birth=find.cleaned_data["date_of_birth"])
    new_person = f.NewPersonForm(_posted(request))
    matches: list[Any] = []
    if request.method == "POST":
        done = submit(request, registered.get("people.person_create"), new_person)
        if done:
            started = _start_with(request, done.value.public_id, origin)
            if started:
                return started
        elif "duplicate_reason" in new_person.errors:
            values = new_person.values()
            matches = person_likely_matches(
                user=user,
                forenames=values.get("forenames", ""),
                surname=values.get("surname", ""),
                date_of_birth=values.get("date_of_birth"),
            )
    context = {
        "find": find,
        "searched": searched,
        "hits": hits,
        "new": new_person,
        "matches": matches,
        **origin,
    }
    return render(request, "referrals/new.html", context, status=422 if new_person.errors or find.errors else 200)


@page(operations.referral_start)
def start(request: AuthenticatedRequest) -> HttpResponse:
    """Start the draft about the child chosen on step 1 (a form button there posts here)."""
    if request.method != "POST":
        return redirect("referrals:new")
    origin = _origin(request)
    started = _start_with(request, request.POST.get("child", ""), origin)
    if started:
        return started
    messages.error(request, "The referral could not be started: choose the child again.")
    return redirect("referrals:new")


@page(operations.referral_update)
def edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    referral = _referral(request, public_id)
    if referral.raised_by_id != request.user.pk or not referral.is_draft:
        selectors.refused(user=request.user, referral=referral, what="draft")
    initial = {name: getattr(referral, name) for name in f.DraftForm.base_fields}
    form = f.DraftForm(_posted(request), initial=initial)
    if request.method == "POST":
        if submit(request, operations.referral_update, form, target=referral):
            if "continue" in request.POST:
                return redirect("referrals:submit", public_id=referral.public_id)
            messages.success(request, "Draft saved.")
            return redirect("referrals:detail", public_id=referral.public_id)
        selectors.referral_get(user=request.user, public_id=public_id)  # the page shows the referral again
    context = {"referral": referral, "form": form, "people": selectors.people_of(referral)}
    return render(request, "referrals/edit.html", context, status=422 if form.errors else 200)


@page(operations.person_add)
def people(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The referral's people: search the register and add each with how they are involved, or record
    someone new (with the duplicate warning)."""
    user = request.user
    referral = _referral(request, public_id)
    if referral.raised_by_id != user.pk or not referral.is_draft:
        selectors.refused(user=user, referral=referral, what="draft")
    find = f.FindPersonForm(request.GET if "q" in request.GET else None)
    hits: list[Any] = []
    searched = find.is_bound and find.is_valid() and bool(find.cleaned_data["q"] or find.cleaned_data["date_of_birth"])
    if searched:
        hits = person_search(user=user, query=find.cleaned_data["q"], date_of_birth=find.cleaned_data["date_of_birth"])
    add = f.PersonAddForm(request.POST if request.POST.get("form") == "add" else None)
    new_person = f.NewPersonForm(request.POST if request.POST.get("form") == "new" else None)
    matches: list[Any] = []
    if request.POST.get("form") == "add":
        if submit(request, operations.person_add, add, target=referral):
            messages.success(request, "Added to the referral.")
            return redirect("referrals:people", public_id=referral.public_id)
    elif request.POST.get("form") == "new":
        done = submit(request, registered.get("people.person_create"), new_person)
        if done:
            role = request.POST.get("role") or PersonRole.HOUSEHOLD
            add = f.PersonAddForm({"person": str(done.value.public_id), "role": role})
            if submit(request, operations.person_add, add, target=referral):
                messages.success(request, f"{done.value.full_name} recorded and added to the referral.")
                return redirect("referrals:people", public_id=referral.public_id)
        elif "duplicate_reason" in new_person.errors:
            values = new_person.values()
            matches = person_likely_matches(
                user=user,
                forenames=values.get("forenames", ""),
                surname=values.get("surname", ""),
                date_of_birth=values.get("date_of_birth"),
            )
    if request.method == "POST":
        referral = _referral(request, public_id, log=True)
    context = {
        "referral": referral,
        "people": selectors.people_of(referral),
        "find": find,
        "searched": searched,
        "hits": hits,
        "add": add,
        "new": new_person,
        "matches": matches,
        "roles": PersonRole.choices,
    }
    status = 422 if add.errors or new_person.errors or find.errors else 200
    return render(request, "referrals/people.html", context, status=status)


@page(operations.person_remove)
def person_remove(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    referral = _referral(request, public_id)
    if request.method == "POST":
        form = f.PersonRemoveForm(request.POST)
        if submit(request, operations.person_remove, form, target=referral):
            messages.success(request, "Taken off the referral.")
        else:
            messages.error(request, "That person could not be taken off the referral.")
    return redirect("referrals:people", public_id=referral.public_id)


@page(operations.referral_submit)
def submit_referral(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Check the referral, then send it to the CRSU (S-01 is checked here: the voice of the child)."""
    referral = _referral(request, public_id)
    if referral.raised_by_id != request.user.pk or not referral.is_draft:
        selectors.refused(user=request.user, referral=referral, what="draft")
    form = f.SubmitForm(_posted(request))
    if request.method == "POST":
        done = submit(request, operations.referral_submit, form, target=referral)
        if done:
            messages.success(request, f"Referral {referral.reference} sent to the CRSU.")
            return redirect("referrals:detail", public_id=referral.public_id)
        referral = _referral(request, public_id, log=True)
    context = {"referral": referral, "form": form, "people": selectors.people_of(referral)}
    return render(request, "referrals/submit.html", context, status=422 if form.errors else 200)


# --- The referral ------------------------------------------------------------------------------------


@login_required
@permission_required(Perm.REFERRALS_REFERRAL_VIEW)
def detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    referral = _referral(request, public_id)
    open_ = referral.state == ReferralState.SUBMITTED
    gate = may(user, Activity.CRSU_SHARE_INFORMATION) if user.has_perm(Perm.REFERRALS_REFERRAL_SHARE) else None
    pending = selectors.pending_decision(referral)
    context = {
        "referral": referral,
        "people": selectors.people_of(referral),
        "entries": list(referral.entries.select_related("author", "author__rank")),
        "decisions": selectors.decisions_of(referral),
        "strategies": selectors.strategies_of(referral),
        "pending": pending,
        "research_count": referral.research.count(),
        "may_research": bool(selectors.research_need(user, referral)),
        "mine": referral.raised_by_id == user.pk,
        "can": {
            "edit": referral.is_draft and referral.raised_by_id == user.pk,
            "correct": not referral.is_draft
            and (referral.raised_by_id == user.pk or user.has_perm(Perm.REFERRALS_REFERRAL_REVIEW)),
            "allocate": open_ and user.has_perm(Perm.REFERRALS_REFERRAL_REVIEW),
            "rate": open_ and user.has_perm(Perm.REFERRALS_REFERRAL_SHARE),
            "review": not referral.is_draft
            and referral.reviewed_at is None
            and referral.raised_by_id != user.pk
            and user.has_perm(Perm.REFERRALS_REFERRAL_REVIEW),
            "decide": open_ and gate is not None and gate.answer != Answer.REFUSED,
            "approve": pending is not None
            and pending.decided_by_id != user.pk
            and user.has_perm(Perm.REFERRALS_REFERRAL_REVIEW)
            and may(user, Activity.CRSU_SHARE_INFORMATION).answer == Answer.ALONE,
            "strategy": not referral.is_draft and user.has_perm(Perm.REFERRALS_STRATEGY_RECORD),
        },
        "gate": gate,
        "shared": shared_state(user=user, reference=referral.reference) if referral.shares.exists() else [],
    }
    return render(request, "referrals/detail.html", context)


def _step_view(
    form_class: type[InputForm], *, title: str, button: str, done: str, intro: str = ""
) -> Callable[..., HttpResponse]:
    """The page of one step on a submitted referral: ``form_class`` submits its operation."""
    operation = form_class.operation
    testid = form_class.__name__.removesuffix("Form").lower()

    @page(operation)
    def view(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
        referral = _referral(request, public_id)
        if referral.is_draft:
            selectors.refused(user=request.user, referral=referral, what="draft")
        form = form_class(_posted(request))
        if request.method == "POST":
            if submit(request, operation, form, target=referral):
                messages.success(request, done)
                return redirect("referrals:detail", public_id=referral.public_id)
            referral = _referral(request, public_id, log=True)  # the page shows the referral again
        context = {
            "referral": referral,
            "form": form,
            "title": title,
            "button": button,
            "intro": intro,
            "testid": testid,
        }
        return render(request, "referrals/step.html", context, status=422 if form.errors else 200)

    return view


correct = _step_view(
    f.CorrectionForm,
    title="Correct the referral",
    button="Add the correction",
    done="Correction added.",
    intro="What was submitted stays as it was; the correction is added beneath it with your name.",
)
allocate = _step_view(f.AllocateForm, title="Allocate to a CRSU officer", button="Allocate", done="Allocated.")
rate = _step_view(f.RateForm, title="Rate the referral", button="Save the rating", done="Rating saved.")
review = _step_view(f.ReviewForm, title="Review the referral", button="Record the review", done="Review recorded.")
decide = _step_view(
    f.DecideForm,
    title="Share or not",
    button="Record the decision",
    done="Decision recorded.",
    intro="Record the decision whichever way it goes, with the lawful basis and the reason.",
)
approve = _step_view(
    f.ApproveForm,
    title="Approve the decision",
    button="Approve",
    done="Decision approved.",
    intro="You approve a decision made by a colleague still in training. It takes effect when you approve it.",
)


@page(operations.research_add)
def research(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The CRSU's research (restricted, DP-06): only with need-to-know, each read logged with why."""
    referral = _referral(request, public_id, log=False)
    if referral.is_draft:
        selectors.refused(user=request.user, referral=referral, what="draft")
    notes = selectors.research_notes(user=request.user, referral=referral)  # NotFound without need-to-know
    form = f.ResearchForm(_posted(request))
    if request.method == "POST" and submit(request, operations.research_add, form, target=referral):
        messages.success(request, "Research note added.")
        return redirect("referrals:research", public_id=referral.public_id)
    context = {"referral": referral, "notes": notes, "form": form}
    return render(request, "referrals/research.html", context, status=422 if form.errors else 200)


# --- Strategy discussions ---------------------------------------------------------------------------


@page(operations.strategy_record)
def strategy_new(request: AuthenticatedRequest) -> HttpResponse:
    referral = None
    source = request.GET if request.method == "GET" else request.POST
    if source.get("referral"):
        referral = _referral(request, source["referral"])
    form = f.StrategyForm(_posted(request))
    if request.method == "POST":
        data: dict[str, Any] = {}
        if referral is not None:
            data["referrals"] = [str(referral.public_id)]
            if referral.case is not None:
                data["case"] = str(referral.case.public_id)
        done = submit(request, operations.strategy_record, form, data=data)
        if done:
            messages.success(request, "Strategy discussion recorded.")
            return redirect("referrals:strategy", public_id=done.value.public_id)
        if referral is not None:
            referral = _referral(request, source["referral"], log=True)
    context = {"referral": referral, "form": form}
    return render(request, "referrals/strategy_new.html", context, status=422 if form.errors else 200)


@login_required
@permission_required(Perm.REFERRALS_REFERRAL_VIEW)
def strategy(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    discussion = selectors.strategy_get(user=request.user, public_id=public_id)
    return render(request, "referrals/strategy.html", {"discussion": discussion})
