"""The person register's pages. Thin: forms in, selectors and services out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.people import selectors, services
from haven.people.forms import (
    AddressForm,
    AliasForm,
    ContactForm,
    FlagForm,
    IdentifierForm,
    MergeForm,
    PersonCreateForm,
    PersonEditForm,
    RelationshipForm,
    SearchForm,
)
from haven.people.hooks import person_sections
from haven.ui.decorators import permission_required


def _copy_errors(form: forms.BaseForm, exc: ValidationFailed) -> None:
    """Show a service's validation errors on the form, against their fields where it has them.

    ``likely_matches`` is not an error to show: the create page lists the matches itself.
    """
    for name, errors in exc.fields.items():
        if name == "likely_matches":
            continue
        for error in errors:
            form.add_error(name if name in form.fields else None, error)
    if not exc.fields:
        form.add_error(None, exc.message)


@login_required
@permission_required(Perm.PEOPLE_PERSON_SEARCH)
def search(request: HttpRequest) -> HttpResponse:
    """Nothing is searched (or shown) until a name or date of birth is entered."""
    form = SearchForm(request.GET or None)
    hits = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"].strip() or data["dob"]:
            hits = selectors.person_search(
                user=request.user,  # type: ignore[arg-type]
                query=data["q"],
                date_of_birth=data["dob"],
                age=data["age"],
            )
    can_create = request.user.has_perm(Perm.PEOPLE_PERSON_CREATE)
    return render(request, "people/search.html", {"form": form, "hits": hits, "can_create": can_create})


@login_required
@permission_required(Perm.PEOPLE_PERSON_SEARCH)
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    profile = selectors.person_profile(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    return render(
        request,
        "people/person.html",
        {
            "profile": profile,
            "person": profile.person,
            "sections": person_sections(request, profile.person),
            "can_edit": request.user.has_perm(Perm.PEOPLE_PERSON_CREATE),
            "can_merge": request.user.has_perm(Perm.PEOPLE_PERSON_MERGE),
        },
    )


@login_required
@permission_required(Perm.PEOPLE_PERSON_CREATE)
def person_create(request: HttpRequest) -> HttpResponse:
    """Likely matches are shown before a new person is created; creating anyway needs a reason."""
    user: Any = request.user
    form = PersonCreateForm(request.POST or None, show_sensitive=user.has_perm(Perm.PEOPLE_SENSITIVE_VIEW))
    matches = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("duplicate_reason")
        try:
            person = services.person_create(actor=user, duplicate_reason=reason, **data)
        except ValidationFailed as exc:
            if "duplicate_reason" in exc.fields:
                matches = selectors.person_likely_matches(
                    user=user, forenames=data["forenames"], surname=data["surname"], date_of_birth=data["date_of_birth"]
                )
            _copy_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name} has been recorded.")
            return redirect("people:detail", person.public_id)
    return render(request, "people/person_form.html", {"form": form, "matches": matches, "creating": True})


@login_required
@permission_required(Perm.PEOPLE_PERSON_CREATE)
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Edits carry the version they started from: a stale one is a conflict, and the input is kept."""
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id)
    show_sensitive = user.has_perm(Perm.PEOPLE_SENSITIVE_VIEW)
    initial = {"version": person.version}
    form = PersonEditForm(request.POST or None, instance=person, initial=initial, show_sensitive=show_sensitive)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.person_update(actor=user, person=person, version=version, **data)
        except Conflict as exc:
            conflict = selectors.person_get(user=user, public_id=public_id, log=False)
            form.add_error(None, exc.message)
            # The form keeps what the user typed; saving again applies it over the latest version.
            fresh = request.POST.copy()
            fresh["version"] = str(conflict.version)
            form.data = fresh
        except ValidationFailed as exc:
            _copy_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name} has been updated.")
            return redirect("people:detail", person.public_id)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "conflict": conflict, "show_sensitive": show_sensitive},
    )


def _relationship_add(*, actor: Any, person: Any, other: Any, **data: Any) -> Any:
    try:
        other_person = selectors.person_get(user=actor, public_id=other, log=False)
    except NotFound:
        raise ValidationFailed("Check the other person.", fields={"other": ["No such person"]}) from None
    return services.relationship_add(actor=actor, person=person, other=other_person, **data)


RECORDS: dict[str, tuple[str, type[forms.Form], Callable[..., Any]]] = {
    "alias": ("Add a name", AliasForm, services.alias_add),
    "identifier": ("Add an identifier", IdentifierForm, services.identifier_add),
    "contact": ("Add a phone, e-mail or handle", ContactForm, services.contact_add),
    "address": ("Add an address", AddressForm, services.address_add),
    "flag": ("Add a flag", FlagForm, services.flag_add),
    "relationship": ("Add a relationship", RelationshipForm, _relationship_add),
}


@login_required
@permission_required(Perm.PEOPLE_PERSON_CREATE)
def record_add(request: HttpRequest, public_id: str, record: str) -> HttpResponse:
    if record not in RECORDS:
        raise Http404
    title, form_class, service = RECORDS[record]
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=user, person=person, **form.cleaned_data)
        except ValidationFailed as exc:
            _copy_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("people:detail", person.public_id)
    return render(request, "people/record_form.html", {"form": form, "person": person, "title": title})


@login_required
@permission_required(Perm.PEOPLE_PERSON_MERGE)
def duplicates(request: HttpRequest) -> HttpResponse:
    pairs = selectors.person_duplicate_pairs(user=request.user)  # type: ignore[arg-type]
    return render(request, "people/duplicates.html", {"pairs": pairs})


@login_required
@permission_required(Perm.PEOPLE_PERSON_MERGE)
def person_merge(request: HttpRequest, public_id: str, other_id: str) -> HttpResponse:
    """Merge ``other_id`` into ``public_id`` after the analyst gives a reason."""
    user: Any = request.user
    survivor = selectors.person_get(user=user, public_id=public_id)
    merged = selectors.person_get(user=user, public_id=other_id)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            merge = services.person_merge(
                actor=user, survivor=survivor, merged=merged, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            _copy_errors(form, exc)
        else:
            messages.success(request, f"{merged.full_name} has been merged into {survivor.full_name}.")
            return redirect("people:merge-detail", merge.public_id)
    return render(request, "people/merge_form.html", {"form": form, "survivor": survivor, "merged": merged})


@login_required
@permission_required(Perm.PEOPLE_PERSON_MERGE)
def merge_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    merge = selectors.merge_get(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    return render(request, "people/merge.html", {"merge": merge})


@require_POST
@login_required
@permission_required(Perm.PEOPLE_PERSON_MERGE)
def unmerge(request: HttpRequest, public_id: str) -> HttpResponse:
    user: Any = request.user
    merge = selectors.merge_get(user=user, public_id=public_id)
    try:
        services.person_unmerge(actor=user, merge=merge)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The merge has been undone: both people are restored.")
    return redirect("people:merge-detail", merge.public_id)
