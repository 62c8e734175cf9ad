"""Guidance pages: the library, an item, and the administrators' pages that keep it. Thin: selectors
in, forms in, operations out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from haven.accounts.http import AuthenticatedRequest
from haven.core.permissions import Perm
from haven.guidance import operations, selectors
from haven.guidance.choices import Place
from haven.guidance.forms import ItemForm, PublishForm, ReadForm, RequireForm, RetireForm
from haven.guidance.models import GuidanceItem
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, page, submit


@login_required
@permission_required(Perm.GUIDANCE_LIBRARY_VIEW)
def library(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    place = request.GET.get("place", "")
    place = place if place in Place.values else ""
    q = request.GET.get("q", "").strip()[:200]
    retired = request.GET.get("retired") == "1"
    context = {
        "items": selectors.item_list(user=user, place=place, q=q, retired=retired),
        "places": Place.choices,
        "place": place,
        "q": q,
        "retired": retired,
        "due": selectors.due_for_review(user=user),
        "manage": selectors.may_manage(user),
        "today": selectors.today(),
    }
    return render(request, "guidance/library.html", context)


def _item_context(request: AuthenticatedRequest, item: GuidanceItem, **extra: Any) -> dict[str, Any]:
    user = request.user
    see_readers = selectors.may_see_readers(user=user, item=item) and bool(item.required_roles)
    context = {
        "item": item,
        "versions": list(item.versions.order_by("-number")),
        "past_review": selectors.past_review(item),
        "my_read": selectors.read_current(user=user, item=item),
        "required": bool(item.required_roles),
        "required_of_me": bool(set(item.required_roles) & set(user.roles)),
        "readers": selectors.readers(user=user, item=item) if see_readers else None,
        "manage": selectors.may_manage(user),
        "read_form": ReadForm(initial={"version": item.current.number if item.current else 1}),
    }
    return {**context, **extra}


@login_required
@permission_required(Perm.GUIDANCE_LIBRARY_VIEW)
def item_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    item = selectors.item_get(user=request.user, public_id=public_id)
    return render(request, "guidance/item.html", _item_context(request, item))


@page(operations.read_record)
def item_read(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    item = selectors.item_get(user=request.user, public_id=public_id)
    if request.method != "POST":
        return redirect("guidance:item", public_id=item.public_id)
    form = ReadForm(request.POST)
    if submit(request, operations.read_record, form, target=item):
        messages.success(request, f"You have recorded that you {item.read_verb} version {item.current.number}.")  # type: ignore[union-attr]
        return redirect("guidance:item", public_id=item.public_id)
    return render(request, "guidance/item.html", _item_context(request, item, read_form=form), status=422)


def _form_page(request: AuthenticatedRequest, form: InputForm, **context: Any) -> HttpResponse:
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "guidance/form.html", {"form": form, **context}, status=status)


@page(operations.item_create)
def item_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ItemForm(request.POST or None)
    done = submit(request, operations.item_create, form) if request.method == "POST" else None
    if done:
        messages.success(request, f"“{done.value.title}” has been added to the library.")
        return redirect("guidance:item", public_id=done.value.public_id)
    return _form_page(request, form, title="Add guidance", button="Add to the library", back=None)


def _managed(request: AuthenticatedRequest, public_id: str) -> GuidanceItem:
    return selectors.item_get(user=request.user, public_id=public_id)


@page(operations.version_publish)
def item_publish(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    item = _managed(request, public_id)
    form = PublishForm(request.POST or None, initial={"review_date": item.review_date})
    done = submit(request, operations.version_publish, form, target=item) if request.method == "POST" else None
    if done:
        messages.success(request, f"Version {done.value.current.number} has been published.")
        return redirect("guidance:item", public_id=item.public_id)
    return _form_page(request, form, item=item, title="Publish a new version", button="Publish the new version")


@page(operations.required_roles_set)
def item_require(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    item = _managed(request, public_id)
    form = RequireForm(request.POST or None, initial={"roles": item.required_roles})
    done = submit(request, operations.required_roles_set, form, target=item) if request.method == "POST" else None
    if done:
        messages.success(request, "Who must read it has been saved.")
        return redirect("guidance:item", public_id=item.public_id)
    return _form_page(request, form, item=item, title="Who must read it", button="Save")


@page(operations.item_retire)
def item_retire(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    item = _managed(request, public_id)
    form = RetireForm(request.POST or None)
    done = submit(request, operations.item_retire, form, target=item) if request.method == "POST" else None
    if done:
        messages.success(request, f"“{item.title}” has been retired.")
        return redirect("guidance:library")
    return _form_page(request, form, item=item, title="Retire this guidance", button="Retire it", warning=True)
