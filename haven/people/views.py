"""The person register's pages. Thin: reads through the selectors, writes through the declared
operations (``haven.people.operations``), whose input models check what was posted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.core import clock
from haven.core.errors import Forbidden, NotFound
from haven.core.permissions import Perm
from haven.people import operations, selectors
from haven.people.forms import (
    AddressChangeForm,
    AddressForm,
    AliasChangeForm,
    AliasForm,
    BreakGlassForm,
    ContactChangeForm,
    ContactForm,
    EndForm,
    FlagChangeForm,
    FlagForm,
    IdentifierChangeForm,
    IdentifierForm,
    MergeForm,
    PersonCreateForm,
    PersonEditForm,
    PhotoForm,
    RefugeReadForm,
    RelationshipChangeForm,
    RelationshipForm,
    RemoveForm,
    RestrictionForm,
    SearchForm,
    UnmergeForm,
)
from haven.people.hooks import person_sections
from haven.people.schemas import PERSON_FIELDS, RECORD_INPUTS, RECORD_LABELS, endable
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, page, submit


def _require_edit(user: Any, person: Any) -> None:
    """403 for someone who sees a restricted person by breaking the glass: only members may change them."""
    if not selectors.person_can_edit(user, person):
        raise Forbidden("You can see this person but may not change them: only named members may.")


def _render(request: HttpRequest, template: str, context: dict[str, Any], *forms: BaseForm | None) -> HttpResponse:
    """The page, 422 when what was posted is refused (its errors shown on ``forms``)."""
    refused = request.method == "POST" and any(form is not None and form.errors for form in forms)
    return render(request, template, context, status=422 if refused else 200)


def _resubmittable(form: BaseForm, name: str, value: object) -> None:
    """Keep what was typed but carry the latest ``name`` (a version), so saving again applies it."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data[name] = str(value)
    form.data = data


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
        restricted = selectors.person_may_break_glass(user=user, public_id=public_id)
        if restricted is not None:  # they would reach the person but for the restriction: who made it, when
            context = {
                "public_id": public_id,
                "restricted_by": restricted.restricted_by,
                "at": restricted.restricted_at,
            }
            return render(request, "people/restricted.html", context, status=404)
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


@page(operations.person_create)
def person_create(request: HttpRequest) -> HttpResponse:
    """Likely matches are shown before a new person is created; creating anyway needs a reason."""
    user: Any = request.user
    form = PersonCreateForm(request.POST or None, show_sensitive=user.has_perm(Perm.PEOPLE_SENSITIVE_VIEW))
    matches: list[selectors.SearchHit] = []
    if request.method == "POST":
        done = submit(request, operations.person_create, form)
        if done:
            messages.success(request, f"{done.value.full_name} has been recorded.")
            return redirect("people:detail", done.value.public_id)
        if "duplicate_reason" in form.errors:  # the likely matches the service found: listed as links
            values = form.values()
            matches = selectors.person_likely_matches(
                user=user,
                forenames=values.get("forenames", ""),
                surname=values.get("surname", ""),
                date_of_birth=values.get("date_of_birth"),
            )
    return _render(request, "people/person_form.html", {"form": form, "matches": matches, "creating": True}, form)


@page(operations.person_update)
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Edits carry the version they started from: a stale one is a conflict, and the input is kept."""
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id)
    _require_edit(user, person)
    show_sensitive = user.has_perm(Perm.PEOPLE_SENSITIVE_VIEW)
    initial = {**{name: getattr(person, name) for name in PERSON_FIELDS}, "version": person.version}
    form = PersonEditForm(request.POST or None, initial=initial, show_sensitive=show_sensitive)
    conflict = None
    if request.method == "POST":
        if submit(request, operations.person_update, form, target=person):
            messages.success(request, f"{person.full_name} has been updated.")
            return redirect("people:detail", person.public_id)
        latest = selectors.person_get(user=user, public_id=public_id, log=False)
        if str(latest.version) != request.POST.get("version"):  # someone else saved meanwhile
            conflict = latest
            _resubmittable(form, "version", latest.version)
    context = {"form": form, "person": person, "conflict": conflict, "show_sensitive": show_sensitive}
    return _render(request, "people/person_form.html", context, form)


# --- Linked records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordPage:
    """The pages of one kind of linked record: how adding it is titled, and its forms."""

    add_title: str
    add_form: type[InputForm]
    change_form: type[InputForm]


RECORDS: dict[str, RecordPage] = {
    "alias": RecordPage("Add a name", AliasForm, AliasChangeForm),
    "identifier": RecordPage("Add an identifier", IdentifierForm, IdentifierChangeForm),
    "contact": RecordPage("Add a phone, e-mail or handle", ContactForm, ContactChangeForm),
    "address": RecordPage("Add an address", AddressForm, AddressChangeForm),
    "flag": RecordPage("Add a flag", FlagForm, FlagChangeForm),
    "relationship": RecordPage("Add a relationship", RelationshipForm, RelationshipChangeForm),
}


@page(operations.record_add)
def record_add(request: HttpRequest, public_id: str, record: str) -> HttpResponse:
    if record not in RECORDS:
        raise Http404
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id)
    _require_edit(user, person)
    form = RECORDS[record].add_form(request.POST or None)
    records = selectors.PersonRecords(person, record)
    if request.method == "POST" and submit(request, operations.record_add, form, target=records):
        messages.success(request, "Saved.")
        return redirect("people:detail", person.public_id)
    context = {"form": form, "person": person, "title": RECORDS[record].add_title}
    return _render(request, "people/record_form.html", context, form)


def _linked(request: HttpRequest, public_id: str, record: str, record_id: str) -> selectors.Linked:
    """The person (logged as consulted when the page is shown) and their linked record; 404 for
    anything unseen, 403 for someone who sees but may not change the person."""
    if record not in RECORDS:
        raise Http404
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id, log=request.method == "GET")
    item = selectors.person_record_get(user=user, person=person, kind=record, public_id=record_id)
    _require_edit(user, person)
    return selectors.Linked(person, item)


@page(operations.record_update)
def record_change(request: HttpRequest, public_id: str, record: str, record_id: str) -> HttpResponse:
    """Change one linked record. The form carries when the record was last saved (``seen``): if
    someone else saved it meanwhile, the user sees a conflict and keeps what they typed."""
    linked = _linked(request, public_id, record, record_id)
    label = RECORD_LABELS[record]
    initial = {name: getattr(linked.record, name) for name in RECORD_INPUTS[record].model_fields}
    initial["seen"] = linked.record.updated_at.isoformat()
    # A refuge address is read only with a reason, logged, on its own page (DP-06): the change form
    # withholds it, and whoever changes it types the whole new address.
    withheld = getattr(linked.record, "is_refuge", False)
    if withheld:
        initial.update(lines="", postcode="")
    form = RECORDS[record].change_form(request.POST or None, initial=initial)
    if request.method == "POST":
        if submit(request, operations.record_update, form, target=linked):
            messages.success(request, f"The {label} has been changed.")
            return redirect("people:detail", linked.person.public_id)
        user: Any = request.user
        latest = selectors.person_record_get(user=user, person=linked.person, kind=record, public_id=record_id)
        if latest.updated_at.isoformat() != request.POST.get("seen"):  # someone else saved meanwhile
            _resubmittable(form, "seen", latest.updated_at.isoformat())
    context = {"form": form, "person": linked.person, "title": f"Change {label}", "withheld": withheld}
    return _render(request, "people/record_form.html", context, form)


def _remove_page(
    request: HttpRequest, linked: selectors.Linked, record: str, form: BaseForm, end_form: BaseForm | None
) -> HttpResponse:
    context = {
        "form": form,
        "end_form": end_form,
        "person": linked.person,
        "item": linked.record,
        "label": RECORD_LABELS[record],
        "record": record,
    }
    return _render(request, "people/record_remove.html", context, form, end_form)


@page(operations.record_remove)
def record_remove(request: HttpRequest, public_id: str, record: str, record_id: str) -> HttpResponse:
    """Confirm removing a linked record (with a reason); an address, flag or relationship that has
    simply ended is offered an end date instead."""
    linked = _linked(request, public_id, record, record_id)
    form = RemoveForm(request.POST or None)
    end_form = EndForm(initial={"end_date": clock.now().date()}) if endable(record) else None
    if request.method == "POST" and submit(request, operations.record_remove, form, target=linked):
        messages.success(request, f"The {RECORD_LABELS[record]} has been removed.")
        return redirect("people:detail", linked.person.public_id)
    return _remove_page(request, linked, record, form, end_form)


@require_POST
@page(operations.record_end)
def record_end(request: HttpRequest, public_id: str, record: str, record_id: str) -> HttpResponse:
    linked = _linked(request, public_id, record, record_id)
    if not endable(record):
        raise Http404
    end_form = EndForm(request.POST)
    if submit(request, operations.record_end, end_form, target=linked):
        messages.success(request, f"The {RECORD_LABELS[record]} has been ended.")
        return redirect("people:detail", linked.person.public_id)
    return _remove_page(request, linked, record, RemoveForm(), end_form)


# --- Duplicates and merge ------------------------------------------------------------------------


@login_required
@permission_required(Perm.PEOPLE_PERSON_MERGE)
def duplicates(request: HttpRequest) -> HttpResponse:
    pairs = selectors.person_duplicate_pairs(user=request.user)  # type: ignore[arg-type]
    return render(request, "people/duplicates.html", {"pairs": pairs})


@page(operations.person_merge)
def person_merge(request: HttpRequest, public_id: str, other_id: str) -> HttpResponse:
    """Merge ``other_id`` into ``public_id`` after the analyst gives a reason."""
    user: Any = request.user
    survivor = selectors.person_get(user=user, public_id=public_id)
    merged = selectors.person_get(user=user, public_id=other_id)
    form = MergeForm(request.POST or None)
    if request.method == "POST":
        done = submit(request, operations.person_merge, form, target=survivor, data={"merged": merged.public_id})
        if done:
            messages.success(request, f"{merged.full_name} has been merged into {survivor.full_name}.")
            return redirect("people:merge-detail", done.value.public_id)
    return _render(request, "people/merge_form.html", {"form": form, "survivor": survivor, "merged": merged}, form)


@login_required
@permission_required(Perm.PEOPLE_PERSON_MERGE)
def merge_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    merge = selectors.merge_get(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    return render(request, "people/merge.html", {"merge": merge})


@require_POST
@page(operations.person_unmerge)
def unmerge(request: HttpRequest, public_id: str) -> HttpResponse:
    merge = selectors.merge_get(user=request.user, public_id=public_id, log=False)  # type: ignore[arg-type]
    form = UnmergeForm(request.POST)
    if submit(request, operations.person_unmerge, form, target=merge):
        messages.success(request, "The merge has been undone: both people are restored.")
    for error in form.non_field_errors():
        messages.error(request, str(error))
    return redirect("people:merge-detail", merge.public_id)


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


@page(operations.person_photo_set)
def photo_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    """Upload or replace the photograph. The file's bytes decide what it is, never its name."""
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id, log=request.method == "GET")
    _require_edit(user, person)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and submit(request, operations.person_photo_set, form, target=person):
        messages.success(request, "The photograph has been saved.")
        return redirect("people:detail", person.public_id)
    has_photo = selectors.person_photo_info(person=person) is not None
    return _render(request, "people/photo_form.html", {"form": form, "person": person, "has_photo": has_photo}, form)


# --- Restricted people ------------------------------------------------------------------------------


@page(operations.person_break_glass)
def break_glass(request: HttpRequest, public_id: str) -> HttpResponse:
    person = selectors.person_may_break_glass(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    if person is None:
        raise NotFound("Not found.")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and submit(request, operations.person_break_glass, form, target=person):
        return redirect("people:detail", person.public_id)
    return _render(request, "people/break_glass.html", {"form": form, "public_id": public_id}, form)


@page(operations.refuge_addresses_read)
def refuge(request: HttpRequest, public_id: str) -> HttpResponse:
    """A refuge address is shown only to someone with need-to-know, who gives a reason each time (logged).
    Anyone else who may see the person is told who may see it, and nothing of it."""
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id, log=request.method == "GET")
    need = selectors.can_see_refuge(user, person)
    if request.method == "POST" and not need:
        raise Forbidden("You do not have a need to know this refuge address.")
    form = RefugeReadForm(request.POST or None)
    done = submit(request, operations.refuge_addresses_read, form, target=person) if request.method == "POST" else None
    context = {
        "form": form,
        "person": person,
        "need": need,
        "shown": done.value if done else None,
        "can_edit": selectors.person_can_edit(user, person),
        "today": timezone.localdate(clock.now()),
    }
    return _render(request, "people/refuge.html", context, form)


@page(operations.person_restriction_set)
def restriction(request: HttpRequest, public_id: str) -> HttpResponse:
    """Restrict a person to named members, or open them again. Only a member may change it."""
    user: Any = request.user
    person = selectors.person_get(user=user, public_id=public_id, log=request.method == "GET")
    _require_edit(user, person)
    if not selectors.may_restrict(user, person):
        raise Forbidden(
            "Only a supervisor, or the officer who owns a case about this person, may restrict them "
            "or change who may see them."
        )
    current = "\n".join(person.members.order_by("username").values_list("username", flat=True))
    form = RestrictionForm(request.POST or None, initial={"is_restricted": person.is_restricted, "members": current})
    if request.method == "POST" and submit(request, operations.person_restriction_set, form, target=person):
        messages.success(request, "Who may see this person has been saved.")
        return redirect("people:detail", person.public_id)
    return _render(request, "people/restriction_form.html", {"form": form, "person": person}, form)
