"""The person register's pages. Thin: forms in, selectors and services out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.core import clock
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.people import selectors, services
from haven.people.forms import (
    AddressForm,
    AliasForm,
    BreakGlassForm,
    ContactForm,
    EndForm,
    FlagForm,
    IdentifierForm,
    MergeForm,
    PersonCreateForm,
    PersonEditForm,
    PhotoForm,
    RelationshipChangeForm,
    RelationshipForm,
    RemoveForm,
    RestrictionForm,
    SearchForm,
)
from haven.people.hooks import person_sections
from haven.people.photos import MAX_UPLOAD_BYTES
from haven.ui.decorators import permission_required
from haven.ui.forms import copy_service_errors


def _require_edit(user: Any, person: Any) -> None:
    """403 for someone who sees a restricted person by breaking the glass: only members may change them."""
    if not selectors.person_can_edit(user, person):
        raise Forbidden("You can see this person but may not change them: only named members may.")


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
    """A restricted person is 404; to someone whose scope reaches them the 404 offers to break the glass."""
    user: Any = request.user
    try:
        profile = selectors.person_profile(user=user, public_id=public_id)
    except NotFound:
        if selectors.person_may_break_glass(user=user, public_id=public_id) is not None:
            return render(request, "people/restricted.html", {"public_id": public_id}, status=404)
        raise
    return render(
        request,
        "people/person.html",
        {
            "profile": profile,
            "person": profile.person,
            "sections": person_sections(request, profile.person),
            "can_edit": profile.can_edit,
            "can_merge": user.has_perm(Perm.PEOPLE_PERSON_MERGE),
            "today": timezone.localdate(clock.now()),
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
            copy_service_errors(form, exc, skip=("likely_matches",))
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
    _require_edit(user, person)
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
            copy_service_errors(form, exc, skip=("likely_matches",))
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
    _require_edit(user, person)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=user, person=person, **form.cleaned_data)
        except ValidationFailed as exc:
            copy_service_errors(form, exc, skip=("likely_matches",))
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
            copy_service_errors(form, exc, skip=("likely_matches",))
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
    merge = selectors.merge_get(user=user, public_id=public_id, log=False)  # the un-merge logs itself
    try:
        services.person_unmerge(actor=user, merge=merge)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The merge has been undone: both people are restored.")
    return redirect("people:merge-detail", merge.public_id)


# --- Changing, ending and removing linked records ---------------------------------------------------

CHANGE_FORMS: dict[str, type[forms.Form]] = {
    "alias": AliasForm,
    "identifier": IdentifierForm,
    "contact": ContactForm,
    "address": AddressForm,
    "flag": FlagForm,
    "relationship": RelationshipChangeForm,
}


def _record(request: HttpRequest, public_id: str, record: str, record_id: str) -> tuple[Any, Any, str]:
    """The person (logged as consulted), the linked record and its label; 404 for anything unseen."""
    if record not in CHANGE_FORMS:
        raise Http404
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id, log=request.method == "GET")
    item = selectors.person_record_get(user=user, person=person, kind=record, public_id=record_id)
    _require_edit(user, person)
    return person, item, services.RECORD_KINDS[record].label


@login_required
@permission_required(Perm.PEOPLE_PERSON_CREATE)
def record_change(request: HttpRequest, public_id: str, record: str, record_id: str) -> HttpResponse:
    """Change one linked record. The form carries when the record was last saved (``seen``): if
    someone else saved it meanwhile, the user sees a conflict and keeps what they typed."""
    user: Any = request.user
    person, item, label = _record(request, public_id, record, record_id)
    fields = services.RECORD_KINDS[record].fields
    form = CHANGE_FORMS[record](request.POST or None, initial={name: getattr(item, name) for name in fields})
    seen = request.POST.get("seen") or item.updated_at.isoformat()
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(actor=user, person=person, record=item, seen=seen, **form.cleaned_data)
        except Conflict as exc:
            form.add_error(None, exc.message)
            item = selectors.person_record_get(user=user, person=person, kind=record, public_id=record_id)
            seen = item.updated_at.isoformat()
        except ValidationFailed as exc:
            copy_service_errors(form, exc, skip=("likely_matches",))
        else:
            messages.success(request, f"The {label} has been changed.")
            return redirect("people:detail", person.public_id)
    return render(
        request,
        "people/record_form.html",
        {"form": form, "person": person, "title": f"Change {label}", "seen": seen},
    )


@login_required
@permission_required(Perm.PEOPLE_PERSON_CREATE)
def record_remove(request: HttpRequest, public_id: str, record: str, record_id: str) -> HttpResponse:
    """Confirm removing a linked record (with a reason); an address, flag or relationship that has
    simply ended is offered an end date instead."""
    user: Any = request.user
    person, item, label = _record(request, public_id, record, record_id)
    endable = services.RECORD_KINDS[record].endable
    form = RemoveForm(request.POST or None)
    end_form = EndForm(initial={"end_date": clock.now().date()}) if endable else None
    if request.method == "POST" and form.is_valid():
        try:
            services.record_remove(actor=user, person=person, record=item, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            copy_service_errors(form, exc, skip=("likely_matches",))
        else:
            messages.success(request, f"The {label} has been removed.")
            return redirect("people:detail", person.public_id)
    return render(
        request,
        "people/record_remove.html",
        {"form": form, "end_form": end_form, "person": person, "item": item, "label": label, "record": record},
    )


@require_POST
@login_required
@permission_required(Perm.PEOPLE_PERSON_CREATE)
def record_end(request: HttpRequest, public_id: str, record: str, record_id: str) -> HttpResponse:
    user: Any = request.user
    person, item, label = _record(request, public_id, record, record_id)
    if not services.RECORD_KINDS[record].endable:
        raise Http404
    end_form = EndForm(request.POST)
    if end_form.is_valid():
        try:
            services.record_end(actor=user, person=person, record=item, end_date=end_form.cleaned_data["end_date"])
        except ValidationFailed as exc:
            copy_service_errors(end_form, exc)
        else:
            messages.success(request, f"The {label} has been ended.")
            return redirect("people:detail", person.public_id)
    return render(
        request,
        "people/record_remove.html",
        {"form": RemoveForm(), "end_form": end_form, "person": person, "item": item, "label": label, "record": record},
    )


# --- Photograph -----------------------------------------------------------------------------------


@login_required
@permission_required(Perm.PEOPLE_PERSON_SEARCH)
def photo(request: HttpRequest, public_id: str) -> HttpResponse:
    """The person's photograph (JPEG), through the same need-to-know as the page; logged as consultation."""
    person = selectors.person_get(user=request.user, public_id=public_id, log=False)  # type: ignore[arg-type]
    image = selectors.person_photo(user=request.user, person=person)  # type: ignore[arg-type]
    if image is None:
        raise NotFound("Not found.")
    response = HttpResponse(image, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@permission_required(Perm.PEOPLE_PERSON_CREATE)
def photo_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    """Upload or replace the photograph. The file's bytes decide what it is, never its name."""
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id, log=request.method == "GET")
    _require_edit(user, person)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["photo"]
        try:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationFailed("Too big.", fields={"photo": ["The photograph must be smaller than 5 MB"]})
            services.person_photo_set(actor=user, person=person, data=upload.read())
        except ValidationFailed as exc:
            copy_service_errors(form, exc, skip=("likely_matches",))
        else:
            messages.success(request, "The photograph has been saved.")
            return redirect("people:detail", person.public_id)
    has_photo = selectors.person_photo_info(person=person) is not None
    return render(request, "people/photo_form.html", {"form": form, "person": person, "has_photo": has_photo})


# --- Restricted people ------------------------------------------------------------------------------


@login_required
@permission_required(Perm.PEOPLE_PERSON_SEARCH)
def break_glass(request: HttpRequest, public_id: str) -> HttpResponse:
    user: Any = request.user
    if selectors.person_may_break_glass(user=user, public_id=public_id) is None:
        raise NotFound("Not found.")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_break_glass(actor=user, public_id=public_id, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            copy_service_errors(form, exc, skip=("likely_matches",))
        else:
            return redirect("people:detail", person.public_id)
    return render(request, "people/break_glass.html", {"form": form, "public_id": public_id})


@login_required
@permission_required(Perm.PEOPLE_PERSON_CREATE)
def restriction(request: HttpRequest, public_id: str) -> HttpResponse:
    """Restrict a person to named members, or open them again. Only a member may change it."""
    from django.contrib.auth import get_user_model

    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id, log=request.method == "GET")
    _require_edit(user, person)
    current = "\n".join(person.members.order_by("username").values_list("username", flat=True))
    form = RestrictionForm(request.POST or None, initial={"is_restricted": person.is_restricted, "members": current})
    if request.method == "POST" and form.is_valid():
        usernames = form.cleaned_data["members"]
        found = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
        unknown = [name for name in usernames if name not in found]
        if unknown:
            form.add_error("members", f"No Haven user is called {', '.join(unknown)}")
        else:
            try:
                services.person_restriction_set(
                    actor=user,
                    person=person,
                    is_restricted=form.cleaned_data["is_restricted"],
                    members=[found[name] for name in usernames],
                )
            except ValidationFailed as exc:
                copy_service_errors(form, exc, skip=("likely_matches",))
            else:
                messages.success(request, "Who may see this person has been saved.")
                return redirect("people:detail", person.public_id)
    return render(request, "people/restriction_form.html", {"form": form, "person": person})
