"""Police protection pages. Thin: selectors in, forms in, writes out through the operations
(``haven.protection.operations``), each page submitting its form through the write's input model."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from haven.accounts.http import AuthenticatedRequest
from haven.accounts.selectors import user_by_reference
from haven.core.errors import NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.people.selectors import person_get, person_search
from haven.protection import forms as f
from haven.protection import operations, selectors
from haven.protection.choices import Item
from haven.protection.models import LIMIT, PoliceProtection
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, checked, page, place_errors, submit


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _protection(request: AuthenticatedRequest, public_id: str, *, log: bool | None = None) -> PoliceProtection:
    """The police protection if the user may see it; a page shown is a consultation, a write logs itself."""
    return selectors.protection_get(
        user=request.user, public_id=public_id, log=request.method != "POST" if log is None else log
    )


# --- Lists --------------------------------------------------------------------------------------------


@login_required
@permission_required(Perm.PROTECTION_CASE_VIEW)
def protection_list(request: AuthenticatedRequest) -> HttpResponse:
    """Children in police protection now (the fewest hours left first), and those lately ended."""
    user = request.user
    rows = [{"protection": p, "missing": selectors.missing(p)} for p in selectors.open_protections(user=user)]
    context = {
        "rows": rows,
        "ended": selectors.recently_ended(user=user),
        "can_start": user.has_perm(Perm.PROTECTION_CASE_RECORD),
    }
    return render(request, "protection/list.html", context)


# --- The start ------------------------------------------------------------------------------------------


@page(operations.protection_start)
def start(request: AuthenticatedRequest) -> HttpResponse:
    """Step 1: find the child on the register (``?q=``); step 2 (``?child=``): what was done, when and where,
    and the designated officer."""
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    child = None
    if source.get("child"):
        try:
            child = person_get(user=user, public_id=source["child"], log=request.method != "POST")
        except NotFound:
            raise Http404 from None
    if child is None:
        find = f.FindChildForm(request.GET if "q" in request.GET else None)
        hits: list[Any] = []
        searched = find.is_bound and find.is_valid() and bool(find.cleaned_data["q"])
        if searched:
            hits = person_search(user=user, query=find.cleaned_data["q"])
        return render(request, "protection/find.html", {"find": find, "hits": hits, "searched": searched})
    form = f.StartForm(_posted(request), initial={"child": str(child.public_id)})
    data = {"child": str(child.public_id)}
    if request.method == "POST" and "confirm" in request.POST:
        done = submit(request, operations.protection_start, form, data=data)
        if done:
            messages.success(request, f"Police protection of {child.full_name} recorded. The 72 hours have started.")
            return redirect("protection:detail", public_id=done.value.public_id)
    elif request.method == "POST" and "change" not in request.POST:
        answers = _check_answers(request, form, data)
        if answers is not None:
            return render(request, "protection/start_check.html", {"child": child, **answers})
    context = {"child": child, "form": form}
    return render(request, "protection/start.html", context, status=422 if form.errors else 200)


def _check_answers(request: AuthenticatedRequest, form: f.StartForm, data: dict[str, Any]) -> dict[str, Any] | None:
    """The answers to check before police protection is recorded, or None with the errors on the form
    (the designated officer is checked here too: PP-03, PP-04 and the workforce gate)."""
    payload = checked(operations.protection_start, form, data=data)
    if payload is None:
        return None
    try:
        officer = user_by_reference(payload.designated_officer, field="designated_officer")
    except ValidationFailed as exc:
        place_errors(form, exc.fields, message=exc.message)
        return None
    problem = selectors.designated_officer_problem(officer, request.user)
    if problem:
        form.add_error("designated_officer", problem)
        return None
    kept = [(k, v) for k, values in request.POST.lists() for v in values if k not in ("csrfmiddlewaretoken", "check")]
    return {"answers": payload, "officer": officer, "expires_at": payload.started_at + LIMIT, "kept": kept}


# --- The record ------------------------------------------------------------------------------------------


def _can(user: Any, protection: PoliceProtection) -> dict[str, bool]:
    open_ = protection.is_open
    record = open_ and user.has_perm(Perm.PROTECTION_CASE_RECORD)
    designated = open_ and protection.designated_officer_id == user.pk
    return {
        "record": record,
        "designated": designated,
        "end": designated and user.has_perm(Perm.PROTECTION_DESIGNATED_OFFICER),
        "epo": user.has_perm(Perm.PROTECTION_CASE_RECORD),
        "strategy": user.has_perm(Perm.PROTECTION_CASE_RECORD),
    }


@login_required
@permission_required(Perm.PROTECTION_CASE_VIEW)
def detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    protection = _protection(request, public_id)
    context = {
        "p": protection,
        "checklist": selectors.checklist(protection),
        "missing": selectors.missing(protection),
        "address": selectors.address_shown(user, protection),
        "may_see_refuge": bool(selectors.refuge_need(user, protection)),
        "contacts": list(protection.contacts.select_related("by", "by__rank")),
        "epos": list(protection.epos.all()),
        "can": _can(user, protection),
        "titles": f.ITEM_TITLES,
    }
    return render(request, "protection/detail.html", context)


@login_required
@permission_required(Perm.PROTECTION_CASE_VIEW)
def refuge(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The refuge address (DP-06): only with need-to-know, the read logged with why."""
    protection = _protection(request, public_id, log=False)
    address = selectors.refuge_address(user=request.user, protection=protection)
    return render(request, "protection/refuge.html", {"p": protection, "address_text": address})


def _step_view(
    form_class: type[InputForm],
    *,
    title: str,
    button: str,
    done: str,
    intro: str = "",
    initial: Callable[[PoliceProtection], dict[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    """The page of one step on a police protection: ``form_class`` submits its operation."""
    operation = form_class.operation
    testid = form_class.__name__.removesuffix("Form").lower()

    @page(operation)
    def view(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
        protection = _protection(request, public_id)
        form = form_class(_posted(request), initial=initial(protection) if initial else None)
        if request.method == "POST":
            if submit(request, operation, form, target=protection):
                messages.success(request, done)
                return redirect("protection:detail", public_id=protection.public_id)
            protection = _protection(request, public_id, log=True)  # the page shows the record again
        context = {
            "p": protection,
            "form": form,
            "title": title,
            "button": button,
            "intro": intro,
            "testid": testid,
        }
        return render(request, "protection/step.html", context, status=422 if form.errors else 200)

    return view


appoint = _step_view(
    f.AppointForm,
    title="Appoint a new designated officer",
    button="Appoint",
    done="Designated officer appointed.",
    intro="For a handover between shifts. The 72 hours do not start again.",
)
accommodation = _step_view(
    f.AccommodationForm,
    title="Where the child is kept",
    button="Save",
    done="Saved where the child is kept.",
    initial=lambda p: {"accommodation": p.accommodation},
)
inquiry = _step_view(
    f.InquiryForm,
    title="Your inquiry as designated officer",
    button="Save the inquiry",
    done="Inquiry saved.",
    intro="When your inquiry is complete you must release the child, unless you consider there is still "
    "reasonable cause to believe they would be likely to suffer significant harm if released.",
    initial=lambda p: {"summary": p.inquiry_summary},
)
contact = _step_view(
    f.ContactForm,
    title="Contact with the child",
    button="Record the decision",
    done="Contact decision recorded.",
    intro="Allow contact with parents, others with parental responsibility and the person the child lived with, "
    "as far as is reasonable and in the child's best interests.",
)
epo = _step_view(
    f.EpoForm,
    title="Emergency protection order application",
    button="Record the application",
    done="Application recorded.",
    intro="The designated officer may apply on the local authority's behalf, whether or not the authority "
    "knows or agrees.",
)


@page(operations.notification_record)
def notification(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Record one notification (``?item=``)."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        item = Item(source.get("item", ""))
    except ValueError:
        raise Http404 from None
    protection = _protection(request, public_id)
    form = f.NotificationForm(_posted(request), initial={"item": item.value, "done": "yes"}, item=item)
    if request.method == "POST":
        if submit(request, operations.notification_record, form, target=protection, data={"item": item.value}):
            messages.success(request, "Recorded.")
            return redirect("protection:detail", public_id=protection.public_id)
        protection = _protection(request, public_id, log=True)
    context = {
        "p": protection,
        "form": form,
        "title": f.ITEM_TITLES[item],
        "button": "Record",
        "intro": "" if item in (Item.CHILD_INFORMED, Item.PARENTS) else "Record it once it has been done.",
        "testid": "notification",
        "item": item,
    }
    return render(request, "protection/step.html", context, status=422 if form.errors else 200)


@page(operations.epo_decide)
def epo_decision(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The court's decision on one application (``?application=``)."""
    source = request.POST if request.method == "POST" else request.GET
    protection = _protection(request, public_id)
    key = _uuid(source.get("application", ""))
    application = protection.epos.filter(public_id=key).first() if key is not None else None
    if application is None:
        raise Http404
    form = f.EpoDecisionForm(_posted(request), initial={"application": str(application.public_id)})
    data = {"application": str(application.public_id)}
    if request.method == "POST":
        if submit(request, operations.epo_decide, form, target=protection, data=data):
            messages.success(request, "The court's decision is recorded.")
            return redirect("protection:detail", public_id=protection.public_id)
        protection = _protection(request, public_id, log=True)
    context = {
        "p": protection,
        "form": form,
        "title": f"The court's decision: {application.court}",
        "button": "Record the decision",
        "intro": f"Applied for {timezone.localtime(application.applied_at):%-d %B %Y %H:%M}.",
        "testid": "epodecision",
    }
    return render(request, "protection/step.html", context, status=422 if form.errors else 200)


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@page(operations.strategy_link)
def strategy(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """PP-09: record the strategy discussion here (with the referrals' own write) or link one recorded."""
    user = request.user
    protection = _protection(request, public_id)
    which = request.POST.get("form") if request.method == "POST" else None
    record_form = f.strategy_record_form()
    record = record_form(request.POST if which == "record" else None)
    link = f.StrategyLinkForm(request.POST if which == "link" else None)
    may_record = user.has_perm(record_form.operation.perm)
    if which == "record" and may_record:
        done = submit(request, record_form.operation, record, data={"case": str(protection.case.public_id)})
        if done:
            linked = f.StrategyLinkForm({"discussion": str(done.value.public_id)})
            if submit(request, operations.strategy_link, linked, target=protection):
                messages.success(request, "Strategy discussion recorded.")
                return redirect("protection:detail", public_id=protection.public_id)
    elif which == "link" and submit(request, operations.strategy_link, link, target=protection):
        messages.success(request, "Strategy discussion linked.")
        return redirect("protection:detail", public_id=protection.public_id)
    if request.method == "POST":
        protection = _protection(request, public_id, log=True)
    context = {"p": protection, "record": record, "link": link, "may_record": may_record}
    return render(request, "protection/strategy.html", context, status=422 if record.errors or link.errors else 200)


@page(operations.protection_end)
def end(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The designated officer ends police protection, with the checklist shown to check first (PP-08)."""
    protection = _protection(request, public_id)
    if protection.designated_officer_id != request.user.pk or not protection.is_open:
        selectors.refused(user=request.user, protection=protection, what="end police protection")
    form = f.EndForm(_posted(request))
    if request.method == "POST":
        if submit(request, operations.protection_end, form, target=protection):
            messages.success(request, "Police protection ended.")
            return redirect("protection:detail", public_id=protection.public_id)
        protection = _protection(request, public_id, log=True)
    context = {
        "p": protection,
        "form": form,
        "checklist": selectors.checklist(protection),
        "missing": selectors.missing(protection),
        "titles": f.ITEM_TITLES,
    }
    return render(request, "protection/end.html", context, status=422 if form.errors else 200)
