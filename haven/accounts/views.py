"""Signing in and out, the user's own account, and account administration. Thin: forms in, services out."""

from __future__ import annotations

from copy import copy
from typing import Any

import pyotp
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from mfa import settings as mfa_settings
from mfa.decorators import public
from mfa.views import LoginView, MFAAuthView, MFACreateView

from haven.accounts import selectors, services
from haven.accounts.forms import ApiTokenForm, ChoosePasswordForm, RankForm, SignInForm, TeamForm, UserForm
from haven.accounts.middleware import session_expiry
from haven.accounts.models import User
from haven.core.errors import ValidationFailed
from haven.core.permissions import ROLE_PERMISSIONS, Perm, Role
from haven.ui.decorators import permission_required
from haven.ui.forms import copy_service_errors


class SignInView(LoginView):
    """Username and password, then the second factor (django-mfa3), or enrolment if none yet."""

    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


sign_in = public(SignInView.as_view())


class SecondFactorView(MFAAuthView):
    """The second step (django-mfa3), refused while the account's sign-in is paused (django-axes).

    django-mfa3 checks the code without asking axes, so without this a right code entered after
    five wrong ones would still sign in, and clear the failures as it did so.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from axes.handlers.proxy import AxesProxyHandler

        pending = request.session.get("mfa_user")  # set by the password step
        if pending:
            username = User.objects.filter(pk=pending["pk"]).values_list("username", flat=True).first()
            if username is not None and not AxesProxyHandler.is_allowed(request, {"username": username}):
                return locked_out(request, None, None)
        return super().dispatch(request, *args, **kwargs)


second_factor = SecondFactorView.as_view()


class SecondFactorCreateView(MFACreateView):
    """Setting up a second factor (django-mfa3).

    django-mfa3 1.1.2 passes the account name to pyotp positionally, which pyotp 2.12 refuses: setting
    up an authenticator app failed with a TypeError. This passes it by name; drop it when mfa does.
    """

    def begin(self) -> tuple[dict[str, str], str]:
        if self.method.name != "TOTP":
            return super().begin()
        secret = pyotp.random_base32()
        url = pyotp.TOTP(secret).provisioning_uri(
            name=self.request.user.get_username(), issuer_name=mfa_settings.SITE_TITLE
        )
        return {"url": url, "secret": secret}, secret


second_factor_create = public(SecondFactorCreateView.as_view())


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None) -> HttpResponse:
    """Shown instead of the sign-in form while an account is locked (django-axes)."""
    return render(request, "accounts/locked_out.html", status=429)


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)  # deletes the session on the server, not just the cookie
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign-in")


@public
@require_POST
@login_required
def keepalive(request: HttpRequest) -> JsonResponse:
    """'Stay signed in' from the timeout warning: this request counts as activity."""
    expiry = session_expiry(request)
    return JsonResponse({"expires_at": expiry.isoformat() if expiry else None})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "second_factors": user.mfakey_set.order_by("method", "name"),  # type: ignore[union-attr]
            "tokens": selectors.api_token_list(actor=user),  # type: ignore[arg-type]
        },
    )


@login_required
@permission_required(Perm.API_TOKEN_MANAGE)
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.api_token_create(
                actor=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except ValidationFailed as exc:
            copy_service_errors(form, exc)
        else:
            return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    return render(request, "accounts/token_form.html", {"form": form})


@require_POST
@login_required
@permission_required(Perm.API_TOKEN_MANAGE)
def token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    token = selectors.api_token_get(actor=request.user, public_id=public_id)  # type: ignore[arg-type]
    services.api_token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, f"The token “{token.name}” has been revoked.")
    return redirect("accounts:profile")


# --- Administration: users, teams, ranks, roles ---------------------------------------------


@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def admin_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/admin/index.html",
        {
            "user_count": selectors.user_list(actor=request.user).count(),  # type: ignore[arg-type]
            "team_count": selectors.team_list(actor=request.user).count(),  # type: ignore[arg-type]
            "rank_count": selectors.rank_list(actor=request.user).count(),  # type: ignore[arg-type]
        },
    )


@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    users = selectors.user_list(actor=request.user, query=query)  # type: ignore[arg-type]
    return render(request, "accounts/admin/user_list.html", {"users": users, "query": query})


@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def user_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    actor = request.user
    user = selectors.user_get(actor=actor, public_id=public_id) if public_id else None  # type: ignore[arg-type]
    # The form gets a copy: validating a ModelForm writes into its instance, and user_update saves
    # only the fields that differ from the user it is given.
    form = UserForm(request.POST or None, instance=copy(user) if user else None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            if user is None:
                data.pop("is_active", None)
                user = services.user_create(actor=actor, username=form.cleaned_data["username"], **data)  # type: ignore[arg-type]
                services.user_send_password_link(actor=actor, user=user)  # type: ignore[arg-type]
                messages.success(
                    request,
                    f"{user.display_name} has been added and emailed a link to choose a password "
                    f"at {user.email}. They set up a second factor when they first sign in.",
                )
            else:
                services.user_update(actor=actor, user=user, **data)  # type: ignore[arg-type]
                messages.success(request, f"{user.display_name} has been updated.")
        except ValidationFailed as exc:
            copy_service_errors(form, exc)
        else:
            return redirect("accounts:admin-user-list")
    return render(request, "accounts/admin/user_form.html", {"form": form, "subject": user})


@require_POST
@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def user_reset_second_factor(request: HttpRequest, public_id: str) -> HttpResponse:
    user = selectors.user_get(actor=request.user, public_id=public_id)  # type: ignore[arg-type]
    services.user_reset_second_factor(actor=request.user, user=user)  # type: ignore[arg-type]
    messages.success(request, f"{user.display_name} must set up a new second factor when they next sign in.")
    return redirect("accounts:admin-user-edit", public_id=public_id)


@require_POST
@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def user_send_password_link(request: HttpRequest, public_id: str) -> HttpResponse:
    user = selectors.user_get(actor=request.user, public_id=public_id)  # type: ignore[arg-type]
    try:
        services.user_send_password_link(actor=request.user, user=user)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"A link to choose a password has been emailed to {user.email}.")
    return redirect("accounts:admin-user-edit", public_id=public_id)


class SetPasswordView(PasswordResetConfirmView):
    """The page the emailed link opens: choose a password, then sign in with a second factor."""

    template_name = "accounts/set_password.html"
    form_class = ChoosePasswordForm
    success_url = reverse_lazy("accounts:sign-in")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been set. Sign in to continue.")
        return response


set_password = public(SetPasswordView.as_view())


@require_POST
@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def user_unlock(request: HttpRequest, public_id: str) -> HttpResponse:
    user = selectors.user_get(actor=request.user, public_id=public_id)  # type: ignore[arg-type]
    services.user_unlock(actor=request.user, user=user)  # type: ignore[arg-type]
    messages.success(request, f"{user.display_name} can sign in again.")
    return redirect("accounts:admin-user-edit", public_id=public_id)


def _simple_edit(
    request: HttpRequest, *, form_class: Any, instance: Any, save: Any, template: str, done: str, noun: str
) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(actor=request.user, **{noun: instance}, **form.cleaned_data)
        except ValidationFailed as exc:
            copy_service_errors(form, exc)
        else:
            messages.success(request, f"{saved} has been saved.")
            return redirect(done)
    return render(request, template, {"form": form, "subject": instance})


@login_required
@permission_required(Perm.ACCOUNTS_TEAM_MANAGE)
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.team_list(actor=request.user, with_members=True)  # type: ignore[arg-type]
    return render(request, "accounts/admin/team_list.html", {"teams": teams})


@login_required
@permission_required(Perm.ACCOUNTS_TEAM_MANAGE)
def team_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    team = selectors.team_get(actor=request.user, public_id=public_id) if public_id else None  # type: ignore[arg-type]
    return _simple_edit(
        request,
        form_class=TeamForm,
        instance=team,
        save=services.team_save,
        template="accounts/admin/team_form.html",
        done="accounts:admin-team-list",
        noun="team",
    )


@login_required
@permission_required(Perm.ACCOUNTS_RANK_MANAGE)
def rank_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/admin/rank_list.html", {"ranks": selectors.rank_list(actor=request.user)})  # type: ignore[arg-type]


@login_required
@permission_required(Perm.ACCOUNTS_RANK_MANAGE)
def rank_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    rank = selectors.rank_get(actor=request.user, public_id=public_id) if public_id else None  # type: ignore[arg-type]
    return _simple_edit(
        request,
        form_class=RankForm,
        instance=rank,
        save=services.rank_save,
        template="accounts/admin/rank_form.html",
        done="accounts:admin-rank-list",
        noun="rank",
    )


@login_required
@permission_required(Perm.ACCOUNTS_ROLE_VIEW)
def role_list(request: HttpRequest) -> HttpResponse:
    """The role → permission matrix: roles are fixed in code, assigned to users by administrators."""
    perms = sorted(Perm, key=lambda p: p.value)
    rows = [{"perm": p, "cells": [p in ROLE_PERMISSIONS[r] for r in Role]} for p in perms]
    return render(request, "accounts/admin/role_list.html", {"roles": list(Role), "rows": rows})
