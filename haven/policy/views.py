"""Force policy pages (administrators): every setting, one setting's change form, and the history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from haven.core.errors import NotFound, ValidationFailed
from haven.policy import selectors, services
from haven.policy.forms import PolicyChangeForm, PolicyResetForm
from haven.ui.forms import copy_service_errors

if TYPE_CHECKING:
    from haven.accounts.models import User


def _setting(user: User, key: str):  # type: ignore[no-untyped-def]
    try:
        return selectors.policy_setting(user=user, key=key)
    except NotFound:
        raise Http404 from None


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        rows = selectors.policy_rows(user=user)
    except NotFound:
        raise Http404 from None
    sections: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        sections.setdefault(row["setting"].section, []).append(row)
    return render(request, "policy/policy_list.html", {"sections": sections})


@login_required
def policy_edit(request: HttpRequest, key: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    setting = _setting(user, key)
    current = selectors.policy_value(setting)
    form = PolicyChangeForm(request.POST or None, setting=setting, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_set(
                actor=user, key=key, value=form.cleaned_data["value"], reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            copy_service_errors(form, exc)
        else:
            messages.success(request, f"“{setting.label}” has been changed. It applies from now on.")
            return redirect("policy:list")
    context = {
        "setting": setting,
        "form": form,
        "current_display": setting.display(current),
        "default_display": setting.display(setting.default),
        "overridden": current != setting.default,
        "reset_form": PolicyResetForm(),
        "changes": selectors.policy_changes(user=user, key=key)[:20],
    }
    return render(request, "policy/policy_edit.html", context)


@login_required
def policy_reset(request: HttpRequest, key: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    setting = _setting(user, key)
    form = PolicyResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_reset(actor=user, key=key, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            copy_service_errors(form, exc)
        else:
            messages.success(request, f"“{setting.label}” is back to its default.")
            return redirect("policy:list")
    return render(request, "policy/policy_reset.html", {"setting": setting, "form": form})


@login_required
def policy_history(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        changes = selectors.policy_changes(user=user)[:500]
    except NotFound:
        raise Http404 from None
    return render(request, "policy/policy_history.html", {"changes": changes})
