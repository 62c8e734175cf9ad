"""Forms for signing in, account administration and API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.validators import MaxValueValidator

from haven.accounts.models import Rank, Team, User
from haven.core import clock
from haven.core.permissions import Role


class SignInForm(AuthenticationForm):
    """Username and password; the second factor follows on its own page."""

    error_messages = {
        # Generic on purpose: never tells whether the username exists.
        "invalid_login": "Enter a correct username and password.",
        "inactive": "Enter a correct username and password.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class UserForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What the user may do. Roles are defined by Haven; see the roles page.",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "collar_number", "rank", "team", "roles", "is_active"]
        labels = {
            "first_name": "First name",
            "last_name": "Last name",
            "email": "Email address",
            "is_active": "Active (may sign in)",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rank"].queryset = Rank.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(is_active=True)  # type: ignore[attr-defined]
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        self.fields["first_name"].error_messages["required"] = "Enter the user's first name"
        self.fields["last_name"].error_messages["required"] = "Enter the user's last name"
        self.fields["email"].error_messages["required"] = "Enter the user's email address"
        if self.instance.pk:
            self.fields["username"].disabled = True


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["code", "name", "description", "email", "is_active"]
        labels = {"is_active": "Active"}


class RankForm(forms.ModelForm):
    class Meta:
        model = Rank
        fields = ["code", "name", "seniority", "is_police_staff", "is_active"]
        labels = {"is_police_staff": "Police staff grade", "is_active": "Active"}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=64,
        label="Name",
        help_text="What the token is for, e.g. 'Local authority RHI feed'.",
        error_messages={"required": "Enter what the token is for"},
    )
    scopes = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Scopes", error_messages={"required": "Choose at least one scope"}
    )
    days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        initial=90,
        error_messages={
            "required": "Enter how many days the token should last",
            "min_value": "A token must last at least 1 day",
            "invalid": "Enter the number of days as a whole number",
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["scopes"]).choices = [
            (p.value, p.value) for p in sorted(user.permissions)
        ]
        limit = settings.HAVEN_API_TOKEN_MAX_DAYS
        self.fields["days"].validators.append(MaxValueValidator(limit, f"A token can last at most {limit} days"))
        self.fields["days"].widget.attrs.update({"class": "govuk-input--width-4", "inputmode": "numeric"})

    def expires_at(self) -> Any:
        return clock.now() + timedelta(days=self.cleaned_data["days"])


class ChoosePasswordForm(SetPasswordForm):
    """Choosing a password from an e-mailed link (new users, or a reset by an administrator)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = "New password", "Confirm new password"
        first.error_messages["required"] = "Enter a new password"
        second.error_messages["required"] = "Enter the new password again"
        self.error_messages["password_mismatch"] = "The passwords do not match"  # noqa: S105 - a message key, not a password
