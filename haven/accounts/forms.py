"""Forms for signing in, account administration and API tokens. The administration and token forms
only present: their input models (haven.accounts.schemas) hold every field rule."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.accounts import operations, selectors
from haven.accounts.choices import Duty
from haven.accounts.models import Rank, Team, User
from haven.accounts.schemas import TOKEN_DEFAULT_DAYS, RankIn, RoleGrantDecisionIn, TeamIn, UserCreateIn
from haven.core.permissions import Role
from haven.ui.operations import InputForm


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


class _Edit(InputForm):
    """A change page shows every field filled in and sends them all (the API's PATCH may send only
    some): a field left blank is sent blank, so one that must have a value says so."""

    def values(self) -> dict[str, Any]:
        values = super().values()
        return {
            name: values.get(name, "" if isinstance(field, forms.CharField) else None)
            for name, field in self.fields.items()
            if not field.disabled
        }


def _codes(records: Any) -> list[tuple[str, str]]:
    return [("", "None"), *((record.code, record.name) for record in records)]


class UserCreateForm(InputForm):
    operation = operations.user_create

    username = forms.CharField(label="Username", help_text="Letters, digits and @ . + - _ only.")
    first_name = forms.CharField(label="First name")
    last_name = forms.CharField(label="Last name")
    email = forms.CharField(label="Email address", widget=forms.EmailInput)
    collar_number = forms.CharField(label="Collar number", help_text="Collar or staff number, shown beside the name.")
    rank = forms.ChoiceField(label="Rank")
    team = forms.ChoiceField(label="Team")
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the user may do. Roles are defined by Haven; see the roles page.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["rank"]).choices = _codes(Rank.objects.filter(is_active=True))
        cast(forms.ChoiceField, self.fields["team"]).choices = _codes(Team.objects.filter(is_active=True))


class UserEditForm(_Edit, UserCreateForm):
    operation = operations.user_update
    model = UserCreateIn  # what a user must have, for the page's labels

    is_active = forms.BooleanField(label="Active (may sign in)", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "collar_number": user.collar_number,
            "rank": user.rank.code if user.rank else "",
            "team": user.team.code if user.team else "",
            "roles": user.roles,
            "is_active": user.is_active,
        }
        super().__init__(*args, **kwargs)
        self.fields["username"].disabled = True  # a username never changes
        self.fields["username"].help_text = ""


class TeamForm(InputForm):
    operation = operations.team_create

    code = forms.CharField(label="Code", help_text="Short form, e.g. IMU.")
    name = forms.CharField(label="Name")
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}))
    email = forms.CharField(
        label="Email", widget=forms.EmailInput, help_text="Shared inbox told of escalations to the team."
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)
    covering_supervisor = forms.CharField(
        label="Covering supervisor",
        help_text="A sergeant or inspector of another team who supervises this team's work. Needed when "
        "nobody in the team is a supervisor. Their name, collar number or username.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    conditional = ("covering_supervisor",)  # needed when nobody in the team is a supervisor: the service says


class TeamEditForm(_Edit, TeamForm):
    operation = operations.team_update
    model = TeamIn


def team_initial(team: Team) -> dict[str, Any]:
    """A team's values for its change page (the covering supervisor as the user picker shows them)."""
    initial = initial_of(team, TeamEditForm)
    covering = team.covering_supervisor
    initial["covering_supervisor"] = selectors.user_label(covering) if covering is not None else ""
    return initial


# --- Duty: a GOV.UK date input and a time -----------------------------------------------------------

_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:.]?(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """ "9:30", "09.30", "2130", "9pm" or "9:30am" → a time; None when it is not one."""
    found = _TIME.match(text.strip().replace(" ", ""))
    if found is None:
        return None
    hour, minute = int(found.group("h")), int(found.group("m") or 0)
    ampm = (found.group("ampm") or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class DateTimeInput(forms.MultiWidget):
    """GOV.UK's date input (day, month, year) and a time box, not the browser's date-time picker."""

    template_name = "accounts/widgets/date_time.html"

    def __init__(self) -> None:
        numeric = {"inputmode": "numeric"}
        super().__init__(
            {
                "day": forms.TextInput(
                    attrs={**numeric, "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
                ),
                "month": forms.TextInput(
                    attrs={**numeric, "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
                ),
                "year": forms.TextInput(
                    attrs={**numeric, "class": "govuk-input govuk-date-input__input govuk-input--width-4"}
                ),
                "time": forms.TextInput(attrs={"class": "govuk-input govuk-date-input__input govuk-input--width-5"}),
            }
        )

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            return [str(local.day), str(local.month), str(local.year), local.strftime("%H:%M")]
        return ["", "", "", ""]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base = (attrs or {}).get("id") or self.attrs.get("id")
        if base:
            # The error summary links to the field's id: the day box has it.
            context["widget"]["subwidgets"][0]["attrs"]["id"] = base
        for sub, label in zip(context["widget"]["subwidgets"], ("Day", "Month", "Year", "Time"), strict=True):
            sub["label"] = label
        return context

    def id_for_label(self, id_: str) -> str:
        return id_


class DateTimeField(forms.Field):
    """Day, month, year and time in the force's time zone, as an aware datetime; all blank is no answer.
    Parts that make no date or time go to the input model as they are, which says so in its words."""

    widget = DateTimeInput

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, datetime):
            return value
        parts = [str(p or "").strip() for p in (value or ["", "", "", ""])]
        if not any(parts):
            return None
        day, month, year, clock_time = parts
        try:
            when = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError("not a date") from None
        moment = parse_time(clock_time)
        if moment is None or len(year) != 4:
            raise ValidationError("not a time")
        return timezone.make_aware(datetime.combine(when, moment))


class DutySetForm(InputForm):
    operation = operations.duty_set

    duty = forms.ChoiceField(label="Duty", choices=Duty.choices, widget=forms.RadioSelect)
    user = forms.CharField(label="Who")
    starts_at = DateTimeField(
        label="Starts", help_text="For example, 7 12 2026 and 07:00. The time is UK time, as on a 24-hour clock."
    )
    ends_at = DateTimeField(label="Ends", help_text="For example, 7 12 2026 and 17:00.")


class DutyEndForm(InputForm):
    operation = operations.duty_end

    ends_at = DateTimeField(label="Ends at", help_text="Left blank: now. For example, 7 12 2026 and 14:30.")


class RankForm(InputForm):
    operation = operations.rank_create

    code = forms.CharField(label="Code", help_text="Short form, e.g. PS or DI.")
    name = forms.CharField(label="Name")
    seniority = forms.IntegerField(label="Seniority", help_text="Higher is more senior.")
    is_police_staff = forms.BooleanField(label="Police staff grade", required=False)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)


class RankEditForm(_Edit, RankForm):
    operation = operations.rank_update
    model = RankIn


def initial_of(record: Any, form_class: type[forms.Form]) -> dict[str, Any]:
    """A team's or rank's values for its change page."""
    return {name: getattr(record, name) for name in form_class.base_fields}


class ApiTokenForm(InputForm):
    operation = operations.api_token_create

    name = forms.CharField(label="Name", help_text="What the token is for, e.g. 'Local authority RHI feed'.")
    scopes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label="Scopes")
    days = forms.IntegerField(label="Days until it expires", initial=TOKEN_DEFAULT_DAYS)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["scopes"]).choices = [
            (p.value, p.value) for p in sorted(user.permissions)
        ]
        self.fields["days"].widget.attrs.update({"class": "govuk-input--width-4", "inputmode": "numeric"})
        limit = settings.HAVEN_API_TOKEN_MAX_DAYS
        self.fields["days"].help_text = f"At most {limit}. Left blank, {TOKEN_DEFAULT_DAYS} days."


class SecondFactorConfirmForm(forms.Form):
    """Before a second factor is added or removed: the password and a current code (or a recovery code)."""

    password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput)
    code = forms.CharField(
        label="A code from your authenticator app, or a recovery code",
        help_text="The 6 digits your app shows now, or one of your recovery codes (it is then used up).",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["code"].error_messages["required"] = "Enter a code from your authenticator app or a recovery code"
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false"})

    def clean(self) -> dict[str, Any]:
        from mfa.methods import recovery, totp

        cleaned = super().clean() or {}
        password, code = cleaned.get("password"), str(cleaned.get("code", "")).strip()
        if not password or not code:
            return cleaned
        right = self.user.check_password(password)
        proved = False
        for method in (totp, recovery):  # a right code is used up either way (a recovery code is deleted)
            if right and not proved:
                try:
                    method.authenticate_complete(None, self.user, code)
                    proved = True
                except ValueError:
                    pass
        if not (right and proved):
            raise ValidationError("The password or the code is not right", code="wrong")
        return cleaned


class RoleGrantForm(InputForm):
    operation = operations.role_grant_request

    role = forms.ChoiceField(label="Role", choices=[("", "Choose a role"), *Role.choices])
    reason = forms.CharField(
        label="Why they need it",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The second administrator and the auditors read this.",
    )


class RoleGrantDecisionForm(InputForm):
    """One form for both decisions: its note goes with whichever button is pressed (approve or refuse)."""

    model = RoleGrantDecisionIn

    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}))


if TYPE_CHECKING:
    _SetPasswordForm = SetPasswordForm[User]  # generic for the type checker only
else:
    _SetPasswordForm = SetPasswordForm


class ChoosePasswordForm(_SetPasswordForm):
    """Choosing a password from an e-mailed link (new users, or a reset by an administrator)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = "New password", "Confirm new password"
        first.error_messages["required"] = "Enter a new password"
        second.error_messages["required"] = "Enter the new password again"
        self.error_messages["password_mismatch"] = "The passwords do not match"  # noqa: S105 - a message key, not a password


def mark_errors(form: forms.BaseForm) -> None:
    """Give the boxes of each date and time with an error GOV.UK's red border."""
    for name, field in form.fields.items():
        if isinstance(field.widget, DateTimeInput) and form.errors.get(name):
            field.widget.attrs["error"] = True
