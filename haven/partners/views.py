"""The partner portal (a partner user sees only what was shared with their agency) and the pages
administrators keep the agencies on. Writes go through haven.partners.operations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render

from haven.accounts.http import AuthenticatedRequest
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.partners import forms as f
from haven.partners import operations, selectors
from haven.partners.choices import ItemKind
from haven.partners.models import SharedItem
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, page, submit


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


# --- The portal -------------------------------------------------------------------------------------


@login_required
@permission_required(Perm.PARTNER_SHARED_VIEW)
def portal(request: AuthenticatedRequest) -> HttpResponse:
    agency = selectors.agency_of(request.user)
    if agency is None:
        raise NotFound("Not found.")
    items = selectors.items_for_partner(user=request.user)
    waiting = [i for i in items if selectors.item_waiting(i)]
    done = [i for i in items if not selectors.item_waiting(i)]
    return render(request, "partners/portal.html", {"agency": agency, "waiting": waiting, "done": done})


def _item_context(item: SharedItem) -> dict[str, object]:
    return {
        "item": item,
        "fields": selectors.projected(item),
        "is_referral": item.kind == ItemKind.REFERRAL,
        "waiting": selectors.item_waiting(item),
    }


@page(operations.item_acknowledge)
def item(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """One shared item; posting acknowledges receipt."""
    shared = selectors.item_for_partner(user=request.user, public_id=public_id)
    form = f.AcknowledgeForm(_posted(request))
    if request.method == "POST" and submit(request, operations.item_acknowledge, form, target=shared):
        messages.success(request, "You have acknowledged receipt. The police can see that you have.")
        return redirect("partners:item", public_id=shared.public_id)
    context = {**_item_context(shared), "form": form}
    return render(request, "partners/item.html", context, status=422 if form.errors else 200)


def _respond(
    request: AuthenticatedRequest, public_id: str, form_class: type[InputForm], *, title: str, done_words: str
) -> HttpResponse:
    shared = selectors.item_for_partner(user=request.user, public_id=public_id)
    form = form_class(_posted(request))
    if request.method == "POST" and submit(request, form_class.operation, form, target=shared):
        messages.success(request, done_words)
        return redirect("partners:item", public_id=shared.public_id)
    context = {**_item_context(shared), "form": form, "title": title}
    return render(request, "partners/respond.html", context, status=422 if form.errors else 200)


@page(operations.item_decide)
def decide(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    return _respond(
        request,
        public_id,
        f.DecisionForm,
        title="Record your agency's decision",
        done_words="Your decision is recorded. The police can see it on the referral.",
    )


@page(operations.item_rhi_outcome)
def rhi_outcome(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    return _respond(
        request,
        public_id,
        f.RhiOutcomeForm,
        title="Send back the return home interview",
        done_words="The interview's outcome is sent back to the police.",
    )


# --- Agencies (administrators) ------------------------------------------------------------------


@login_required
@permission_required(Perm.PARTNER_AGENCY_MANAGE)
def agencies(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "partners/agencies.html", {"agencies": selectors.agencies(user=request.user)})


@page(operations.member_remove)
def agency(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """An agency's details and users; posting a username removes that user from it."""
    found = selectors.agency_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        done = submit(request, operations.member_remove, f.MemberRemoveForm(request.POST), target=found)
        if done:
            messages.success(request, "The user is no longer a member of the agency.")
        return redirect("partners:agency", public_id=found.public_id)
    context = {"agency": found, "members": selectors.agency_members(found), "fields": selectors.agency_fields(found)}
    return render(request, "partners/agency.html", context)


def _agency_form(request: AuthenticatedRequest, form: InputForm, *, target: object, title: str) -> HttpResponse:
    if request.method == "POST":
        done = submit(request, form.operation, form, target=target)
        if done:
            messages.success(request, "The agency is saved.")
            return redirect("partners:agency", public_id=done.value.public_id)
    context = {"form": form, "title": title, "button": "Save the agency", "back": "partners:agencies"}
    return render(request, "partners/form.html", context, status=422 if form.errors else 200)


@page(operations.agency_create)
def agency_create(request: AuthenticatedRequest) -> HttpResponse:
    form = f.AgencyForm(_posted(request), initial={"is_active": True})
    return _agency_form(request, form, target=None, title="Add a partner agency")


@page(operations.agency_update)
def agency_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    found = selectors.agency_get(user=request.user, public_id=public_id)
    initial = {
        "name": found.name,
        "kind": found.kind,
        "local_authority": found.local_authority,
        "notice_email": found.notice_email,
        "phone": found.phone,
        "projection": list(found.projection),
        "is_active": found.is_active,
    }
    form = f.AgencyEditForm(_posted(request), initial=initial)
    return _agency_form(request, form, target=found, title=f"Change {found.name}")


@page(operations.member_add)
def member_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    found = selectors.agency_get(user=request.user, public_id=public_id)
    form = f.MemberAddForm(_posted(request))
    if request.method == "POST" and submit(request, operations.member_add, form, target=found):
        messages.success(request, "The user is now a member of the agency.")
        return redirect("partners:agency", public_id=found.public_id)
    context = {"form": form, "title": f"Add a user to {found.name}", "button": "Add the user", "agency": found}
    return render(request, "partners/form.html", context, status=422 if form.errors else 200)
