"""Trigger-plan pages. Thin: selectors in, forms in, services out.

The actions are "add another" rows that work without JavaScript: "Add another action" and
"Remove" post the form back and it comes back with one row more or less, keeping what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from haven.accounts.http import AuthenticatedRequest
from haven.accounts.models import User
from haven.cases.selectors import case_can
from haven.core.access import Action
from haven.core.errors import Forbidden, NotFound
from haven.core.operations import Operation
from haven.core.permissions import Perm
from haven.people.selectors import person_get
from haven.triggerplans import operations, selectors
from haven.triggerplans.forms import ACTION_FIELDS, ActionForm, PlanForm, ReviewForm, RevisionForm
from haven.triggerplans.models import PlanVersion, TriggerPlan
from haven.ui.decorators import permission_required
from haven.ui.forms import GovukDateInput
from haven.ui.operations import Done, InputForm, page, submit

MAX_ROWS = 50


def _person(request: AuthenticatedRequest, person_id: str, *, log: bool) -> Any:
    return person_get(user=request.user, public_id=person_id, log=log)


# --- Lists ------------------------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_EPISODE_VIEW)
def plan_lists(request: AuthenticatedRequest) -> HttpResponse:
    """M-14/M-15 for the DMM: repeat-missing children without a plan, plans past review, current plans."""
    user = request.user
    context = {
        "without_plan": selectors.repeat_missing_without_plan(user=user),
        "past_review": selectors.plans_past_review(user=user),
        "current": selectors.plans_current(user=user),
        "dmm": user.has_perm(Perm.DMM_BOARD_VIEW),
        "today": selectors.today(),
    }
    return render(request, "triggerplans/lists.html", context)


# --- The child's plan -------------------------------------------------------------------------------


@login_required
@permission_required(Perm.MISSING_EPISODE_VIEW)
def child_plan(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    user = request.user
    child = _person(request, person_id, log=False)
    plan = selectors.plan_of_child(user=user, child=child)  # logs the plan case when there is one
    if plan is None:
        _person(request, person_id, log=True)  # the page shows the child: log the consultation
    return render(request, "triggerplans/child.html", _plan_context(user, child, plan))


def _plan_context(user: User, child: Any, plan: TriggerPlan | None) -> dict[str, Any]:
    return {
        "child": child,
        "plan": plan,
        "current": plan.current if plan else None,
        "versions": selectors.plan_versions(plan=plan) if plan else [],
        "status": selectors.plan_status(user=user, child=child),
        "flag": selectors.repeat_missing_flag(child=child),
        "exploitation_prompt": selectors.exploitation_review_prompt(child=child),
        "can_write": user.has_perm(Perm.MISSING_ENQUIRY_RECORD),
        "can_edit": plan is not None
        and user.has_perm(Perm.MISSING_ENQUIRY_RECORD)
        and case_can(user=user, case=plan.case, action=Action.EDIT),
    }


@login_required
@permission_required(Perm.MISSING_EPISODE_VIEW)
def version_detail(request: AuthenticatedRequest, public_id: str, number: int) -> HttpResponse:
    """One version, read-only (superseded versions can never change)."""
    plan = selectors.plan_get(user=request.user, public_id=public_id)
    version = selectors.plan_version(plan=plan, number=number)
    return render(request, "triggerplans/version.html", {"plan": plan, "version": version, "child": plan.case.subject})


# --- Writing: create, revise, review ----------------------------------------------------------------


def _as_typed(request: AuthenticatedRequest) -> dict[str, Any]:
    """The posted fields as a form's initial values, shown again after "Add another" or "Remove": the
    review date's boxes as typed (a form's initial knows the field, not its three boxes)."""
    initial: dict[str, Any] = request.POST.dict()
    initial["review_date"] = GovukDateInput(time=False).value_from_datadict(request.POST, None, "review_date")
    return initial


def _rows(request: AuthenticatedRequest, initial: list[dict[str, Any]] | None = None) -> list[ActionForm]:
    """The action rows: from the POST (with "Add another" or "Remove" applied), else from ``initial``."""
    if request.method != "POST":
        initial = initial or [{}]
        return [ActionForm(prefix=f"actions-{n}", initial=row) for n, row in enumerate(initial)]
    try:
        count = max(0, min(MAX_ROWS, int(request.POST.get("action_count", "1"))))
    except ValueError:
        count = 1
    rows = [{name: request.POST.get(f"actions-{n}-{name}", "") for name in ACTION_FIELDS} for n in range(count)]
    remove = request.POST.get("remove_action")
    if remove is not None and remove.isdigit() and int(remove) < len(rows):
        rows.pop(int(remove))
    if "add_action" in request.POST and len(rows) < MAX_ROWS:
        rows.append(dict.fromkeys(ACTION_FIELDS, ""))
    if not rows:
        rows.append(dict.fromkeys(ACTION_FIELDS, ""))
    if _rearranging(request):  # show the rows again as typed, without errors yet
        return [ActionForm(prefix=f"actions-{n}", initial=row) for n, row in enumerate(rows)]
    data = {f"actions-{n}-{name}": value for n, row in enumerate(rows) for name, value in row.items()}
    return [ActionForm(data, prefix=f"actions-{n}") for n in range(len(rows))]


def _rearranging(request: AuthenticatedRequest) -> bool:
    return request.method == "POST" and ("add_action" in request.POST or "remove_action" in request.POST)


def _save(
    request: AuthenticatedRequest, operation: Operation, form: InputForm, rows: list[ActionForm], *, target: Any
) -> Done | None:
    """Submit the plan with its filled-in action rows (wholly blank rows are left out)."""
    used = [row for row in rows if not row.is_blank()]
    data = {"actions": [row.values() for row in used]}
    return submit(request, operation, form, target=target, data=data, rows={"actions": used})


def _render_form(request: AuthenticatedRequest, template: str, **context: Any) -> HttpResponse:
    rows = context.get("rows", [])
    context["all_forms"] = [context["form"], *rows]
    context["has_errors"] = any(f.is_bound and f.errors for f in context["all_forms"])
    status = 422 if request.method == "POST" and context["has_errors"] else 200
    return render(request, template, context, status=status)


@page(operations.plan_create)
def plan_create(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    user = request.user
    child = _person(request, person_id, log=request.method != "POST")
    existing = selectors.plan_of_child(user=user, child=child, log=False)
    if existing is not None:
        messages.info(request, "This child already has a trigger plan: revise or review it.")
        return redirect("triggerplans:child", person_id=child.public_id)
    rows = _rows(request)
    # While adding or removing rows, keep what they typed without showing errors yet.
    form = PlanForm(initial=_as_typed(request)) if _rearranging(request) else PlanForm(request.POST or None)
    if (
        request.method == "POST"
        and not _rearranging(request)
        and _save(request, operations.plan_create, form, rows, target=child)
    ):
        messages.success(request, f"The trigger plan for {child} has been saved.")
        return redirect("triggerplans:child", person_id=child.public_id)
    return _render_form(
        request, "triggerplans/plan_form.html", form=form, rows=rows, child=child, title="Write a trigger plan"
    )


def _editable(request: AuthenticatedRequest, public_id: str) -> TriggerPlan:
    user = request.user
    plan = selectors.plan_get(user=user, public_id=public_id, log=request.method != "POST")
    if not case_can(user=user, case=plan.case, action=Action.EDIT):
        raise Forbidden("You can see this trigger plan but may not change it.")
    if plan.current is None:  # pragma: no cover - plans are created with their first version
        raise NotFound("Not found.")
    return plan


def _initial_actions(version: PlanVersion) -> list[dict[str, Any]]:
    return [
        {
            "kind": a.kind,
            "target": a.target,
            "person": str(a.person.public_id) if a.person is not None else "",
            "enquiry_type": a.enquiry_type,
            "instructions": a.instructions,
        }
        for a in version.actions.all()
    ]


@page(operations.plan_revise)
def plan_revise(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    plan = _editable(request, public_id)
    current = plan.current
    assert current is not None  # noqa: S101 - _editable checked it
    initial = {
        "agencies": "\n".join(current.agencies),
        "thresholds": "\n".join(current.thresholds),
        "review_date": current.review_date,
        "version": current.number,
    }
    rows = _rows(request, _initial_actions(current))
    if _rearranging(request):
        form = RevisionForm(initial=_as_typed(request))
    else:
        form = RevisionForm(request.POST or None, initial=initial)
    done = None
    if request.method == "POST" and not _rearranging(request):
        done = _save(request, operations.plan_revise, form, rows, target=plan)
    if done:
        messages.success(request, f"Version {done.value.number} of the trigger plan has been saved.")
        return redirect("triggerplans:child", person_id=plan.case.subject.public_id)
    return _render_form(
        request,
        "triggerplans/plan_form.html",
        form=form,
        rows=rows,
        child=plan.case.subject,
        plan=plan,
        title=f"Revise the trigger plan (version {current.number})",
    )


@page(operations.plan_review)
def plan_review(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    plan = _editable(request, public_id)
    current = plan.current
    assert current is not None  # noqa: S101 - _editable checked it
    form = ReviewForm(request.POST or None, initial={"version": current.number})
    done = submit(request, operations.plan_review, form, target=plan) if request.method == "POST" else None
    if done:
        version = done.value
        messages.success(
            request,
            f"The review has been recorded (version {version.number}). Next review by {version.review_date:%-d %B %Y}.",
        )
        return redirect("triggerplans:child", person_id=plan.case.subject.public_id)
    return render(
        request,
        "triggerplans/review_form.html",
        {"form": form, "plan": plan, "current": current, "child": plan.case.subject},
        status=422 if form.errors else 200,
    )
