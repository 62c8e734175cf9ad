"""The settings that make up a force's policy (rules tagged CONF in domain.md).

Each app declares its settings in its ``policy.py`` (``SETTINGS``) and registers them from its
``AppConfig.ready()`` with :func:`register_setting`: the default lives in code, next to the rule it
serves; an administrator may override it on /policy/, and every change is kept (PolicyChange). Values
are plain JSON in the database; ``ValueKind`` says how to turn them into Python values and back.

A setting is a typed constant: ``PNC_CIRCULATION: Setting[timedelta]``, read where it is needed with
``policy_value(PNC_CIRCULATION)`` (haven.policy.selectors), which answers a ``timedelta``. Other apps
import the constant, never spell its key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError


class ValueKind(StrEnum):
    INTEGER = "integer"
    DURATION = "duration"  # a timedelta, stored and entered as whole minutes
    CHOICE = "choice"
    BOOLEAN = "boolean"
    JSON = "json"  # structured (e.g. an escalation ladder); ``validate`` is required


class ColumnKind(StrEnum):
    TEXT = "text"  # a line of text
    CHOICE = "choice"  # one of the column's choices
    OFFSET = "offset"  # whole minutes before (negative) or after a time: hours, minutes, before or after


@dataclass(frozen=True)
class Column:
    """One field of each row of a :class:`Rows` setting: the key it has in the stored object."""

    key: str
    label: str
    kind: ColumnKind = ColumnKind.TEXT
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    max_length: int = 100  # TEXT


@dataclass(frozen=True)
class Rows:
    """Edit a JSON list of objects as rows of fields, one row per item, with "Add another" and
    "Remove" (an escalation ladder's steps, the areas of the team queues)."""

    columns: tuple[Column, ...]
    noun: str  # one row, in words: "step", "area"
    max_rows: int = 12


@dataclass(frozen=True)
class Choices:
    """Edit a JSON list of codes as checkboxes, one for each of ``choices`` (the roles that …)."""

    choices: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Setting[T]:
    """One item of force policy, whose value is a ``T``. ``key`` is ``<app>.<name>``, stable: overrides
    are stored under it."""

    key: str
    label: str
    default: T = field(hash=False)  # a JSON setting's default may be a list: unhashable
    kind: ValueKind
    help_text: str = ""
    rule_id: str = ""
    section: str = "General"
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None  # INTEGER and DURATION (minutes)
    maximum: int | None = None
    # JSON: returns the cleaned value or raises ValidationError. Others: extra checks after the kind's own.
    validate: Callable[[Any], Any] | None = field(default=None, compare=False)
    # How to show a JSON value to people (defaults to the JSON text).
    describe: Callable[[Any], str] | None = field(default=None, compare=False)
    # JSON: the fields an administrator edits it with (never the JSON text itself).
    editor: Rows | Choices | None = None

    def __post_init__(self) -> None:
        if self.kind == ValueKind.JSON and self.validate is None:
            raise ValueError(f"Policy setting {self.key}: a JSON setting needs a validator.")
        if self.kind == ValueKind.JSON and self.editor is None:
            raise ValueError(f"Policy setting {self.key}: a JSON setting needs an editor (Rows or Choices).")
        if self.kind == ValueKind.CHOICE and not self.choices:
            raise ValueError(f"Policy setting {self.key}: a choice setting needs choices.")
        # The default must pass the setting's own rules, so a typo in code fails at start-up.
        self.to_python(self.to_stored(self.default))

    # Conversions between Python values and stored JSON.
    def to_stored(self, value: Any) -> Any:
        """The JSON form of a Python value (validated)."""
        value = self.clean(value)
        if self.kind == ValueKind.DURATION:
            return int(value.total_seconds() // 60)
        return value

    def to_python(self, stored: Any) -> Any:
        if self.kind == ValueKind.DURATION:
            return timedelta(minutes=int(stored))
        return stored

    def clean(self, value: Any) -> Any:
        """Check ``value`` (a Python value) against the setting; return it cleaned or raise ValidationError."""
        if self.kind == ValueKind.INTEGER:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError("Enter a whole number")
            self._bounds(value, unit="")
        elif self.kind == ValueKind.DURATION:
            if not isinstance(value, timedelta):
                raise ValidationError("Enter a number of minutes")
            minutes = value.total_seconds() / 60
            if minutes != int(minutes):
                raise ValidationError("Enter a whole number of minutes")
            self._bounds(int(minutes), unit=" minutes")
        elif self.kind == ValueKind.CHOICE:
            if value not in {code for code, _ in self.choices}:
                raise ValidationError("Choose one of the options")
        elif self.kind == ValueKind.BOOLEAN and not isinstance(value, bool):
            raise ValidationError("Choose yes or no")
        if self.validate is not None:
            value = self.validate(value)
        return value

    def _bounds(self, number: int, *, unit: str) -> None:
        if self.minimum is not None and number < self.minimum:
            raise ValidationError(f"Enter {self.minimum}{unit} or more")
        if self.maximum is not None and number > self.maximum:
            raise ValidationError(f"Enter {self.maximum}{unit} or fewer")

    def display(self, value: Any) -> str:
        """``value`` (a Python value) in words, for pages and the change history."""
        if self.kind == ValueKind.DURATION:
            return describe_minutes(int(value.total_seconds() // 60))
        if self.kind == ValueKind.CHOICE:
            return dict(self.choices).get(value, str(value))
        if self.kind == ValueKind.BOOLEAN:
            return "Yes" if value else "No"
        if self.kind == ValueKind.JSON and self.describe is not None:
            return self.describe(value)
        return str(value)


def describe_minutes(minutes: int) -> str:
    """``90`` → "1 h 30 min"; ``2880`` → "48 h"."""
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else ""
    if hours and rest:
        return f"{sign}{hours} h {rest} min"
    if hours:
        return f"{sign}{hours} h"
    return f"{sign}{rest} min"


_SETTINGS: dict[str, Setting[Any]] = {}


def register_setting[T](setting: Setting[T]) -> Setting[T]:
    """Add ``setting`` to the force policy; registering the same key twice with a different setting fails."""
    existing = _SETTINGS.get(setting.key)
    if existing is not None and existing != setting:
        raise ValueError(f"Policy setting {setting.key} is registered twice.")
    _SETTINGS[setting.key] = setting
    return setting


def get(key: str) -> Setting[Any]:
    """The setting under ``key``: for the policy pages, which name it in their URL."""
    try:
        return _SETTINGS[key]
    except KeyError:
        raise LookupError(f"No policy setting {key!r} is registered.") from None


def all_settings() -> list[Setting[Any]]:
    """Every setting, by section then label."""
    return sorted(_SETTINGS.values(), key=lambda s: (s.section, s.label))
