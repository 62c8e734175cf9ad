"""Deadline kinds: what each statutory clock is called, which rule it serves and its default ladder.

Domain apps declare their kinds in their ``deadlines.py`` and register them from ``AppConfig.ready()``
with :func:`register_kind`::

    REVIEW = DeadlineKind(code="missing.review", rule_id="M-04", label="Risk review",
        ladder=(Step(timedelta(minutes=-30), Notify.RESPONSIBLE, Severity.WARNING),
                Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT)),
        pausable=False)
    KINDS = (REVIEW, ...)

The ladder given here is the *default*. Each kind's ladder is force policy (setting
``deadlines.ladder.<code>``): an administrator may change it on /policy/, and a new deadline copies
the ladder in force when it is created, so a later change never alters deadlines already open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from haven.policy.registry import Column, ColumnKind, Rows, Setting, ValueKind, register_setting
from haven.policy.selectors import policy_value


class Notify(models.TextChoices):
    """Who a ladder step tells, from the person responsible up the ranks (see ``escalation.recipients``)."""

    RESPONSIBLE = "responsible", "The person responsible"
    SUPERVISOR = "supervisor", "Their supervisor"
    DUTY_INSPECTOR = "duty_inspector", "The duty inspector"
    SUPERINTENDENT = "superintendent", "The superintendent"


NOTIFY_ORDER: tuple[Notify, ...] = (Notify.RESPONSIBLE, Notify.SUPERVISOR, Notify.DUTY_INSPECTOR, Notify.SUPERINTENDENT)


def notify_above(level: str) -> Notify | None:
    """The next level up from ``level``, or None above the superintendent."""
    index = NOTIFY_ORDER.index(Notify(level))
    return NOTIFY_ORDER[index + 1] if index + 1 < len(NOTIFY_ORDER) else None


class Severity(models.TextChoices):
    """How loud an escalation is. CRITICAL notifications must be acknowledged (and escalate if not)."""

    INFO = "info", "Information"
    WARNING = "warning", "Warning"
    URGENT = "urgent", "Urgent"
    CRITICAL = "critical", "Critical"


class StepKey(StrEnum):
    OFFSET = "offset_minutes"
    NOTIFY = "notify"
    SEVERITY = "severity"


@dataclass(frozen=True)
class Step:
    """One rung of a ladder: at ``offset`` from the due time (negative = before), tell ``notify``."""

    offset: timedelta
    notify: Notify | str
    severity: Severity | str = Severity.WARNING

    def as_json(self) -> dict[str, Any]:
        return {
            StepKey.OFFSET.value: int(self.offset.total_seconds() // 60),
            StepKey.NOTIFY.value: str(Notify(self.notify)),
            StepKey.SEVERITY.value: str(Severity(self.severity)),
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Step:
        return cls(
            offset=timedelta(minutes=int(value[StepKey.OFFSET])),
            notify=Notify(value[StepKey.NOTIFY]),
            severity=Severity(value[StepKey.SEVERITY]),
        )

    def describe(self) -> str:
        """``2 h before due: the duty inspector (urgent)``."""
        who, how = Notify(self.notify).label.lower(), Severity(self.severity).label.lower()
        return f"{offset_words(self.offset)}: {who} ({how})"


def offset_words(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "When due"
    amount = _minutes_words(abs(minutes))
    return f"{amount} before due" if minutes < 0 else f"{amount} after due"


def _minutes_words(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts)


@dataclass(frozen=True)
class DeadlineKind:
    """A kind of deadline: ``code`` (``<app>.<thing>``), the rule id it serves, a label, its default
    ladder, whether it may be paused with a reason (only where the rule's policy allows it), and whether
    it outlives its case (``outlives_case``: closing the case leaves it open and escalating, e.g. the
    return home interview tracked with the local authority until it is recorded).

    A kind of deadline without a case (an officer's refresher, T-02) says where its notifications lead:
    ``link(deadline, recipient) -> path`` (the officer's own page for them, their record for a manager).
    """

    code: str
    rule_id: str
    label: str
    ladder: tuple[Step, ...] = field(default_factory=tuple)
    pausable: bool = False
    description: str = ""
    outlives_case: bool = False
    link: Callable[[Any, Any], str] | None = None

    @property
    def policy_key(self) -> str:
        return f"deadlines.ladder.{self.code}"

    def default_ladder_json(self) -> list[dict[str, Any]]:
        return [step.as_json() for step in sorted(self.ladder, key=lambda s: s.offset)]


_KINDS: dict[str, DeadlineKind] = {}
_LADDERS: dict[str, Setting[list[dict[str, Any]]]] = {}
"""Each registered kind's ladder setting (force policy), read with ``policy_value``."""

MAX_STEPS = 12
MAX_OFFSET_MINUTES = 60 * 24 * 60  # 60 days either side of the due time


def ladder_validate(value: Any) -> list[dict[str, Any]]:
    """The policy validator for a ladder: a list of steps ``{"offset_minutes", "notify", "severity"}``.

    Returns the cleaned ladder (sorted by offset, one step per offset) or raises ValidationError.
    """
    if not isinstance(value, list) or not value:
        raise ValidationError("A ladder is a list of at least one step.")
    if len(value) > MAX_STEPS:
        raise ValidationError(f"A ladder has at most {MAX_STEPS} steps.")
    cleaned: list[dict[str, Any]] = []
    for number, raw in enumerate(value, start=1):
        if not isinstance(raw, dict) or set(raw) != {k.value for k in StepKey}:
            raise ValidationError(f"Step {number} must have exactly offset_minutes, notify and severity.", code="step")
        offset = raw[StepKey.OFFSET]
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise ValidationError(f"Step {number}: offset_minutes must be a whole number of minutes.")
        if abs(offset) > MAX_OFFSET_MINUTES:
            raise ValidationError(f"Step {number}: offset_minutes must be within 60 days of the due time.")
        if raw[StepKey.NOTIFY] not in Notify.values:
            raise ValidationError(f"Step {number}: notify must be one of {', '.join(Notify.values)}.")
        if raw[StepKey.SEVERITY] not in Severity.values:
            raise ValidationError(f"Step {number}: severity must be one of {', '.join(Severity.values)}.")
        cleaned.append({k.value: raw[k] for k in StepKey})
    cleaned.sort(key=lambda s: s[StepKey.OFFSET])
    offsets = [s[StepKey.OFFSET] for s in cleaned]
    if len(set(offsets)) != len(offsets):
        raise ValidationError("Two steps have the same offset: give each step its own time.")
    return cleaned


def ladder_display(value: Any) -> str:
    """A readable ladder for the policy page: ``2 h before due: the duty inspector (urgent); …``."""
    try:
        steps = [Step.from_json(s) for s in ladder_validate(value)]
    except (ValidationError, KeyError, ValueError, TypeError):
        return "Not a valid ladder"
    return "; ".join(step.describe() for step in steps)


LADDER_EDITOR = Rows(
    columns=(
        Column(StepKey.OFFSET.value, "When", ColumnKind.OFFSET, hint="Before or after the deadline is due"),
        Column(StepKey.NOTIFY.value, "Who is told", ColumnKind.CHOICE, choices=tuple(Notify.choices)),
        Column(StepKey.SEVERITY.value, "How urgent", ColumnKind.CHOICE, choices=tuple(Severity.choices)),
    ),
    noun="step",
    max_rows=MAX_STEPS,
)


def _register_policy(kind: DeadlineKind) -> None:
    """Make the kind's ladder force policy."""
    _LADDERS[kind.code] = register_setting(
        Setting(
            key=kind.policy_key,
            label=f"Escalation ladder: {kind.label}",
            help_text=(
                "Who is told, and how loudly, before and after this deadline falls due: one step for each "
                "time, up to 12. A change applies to deadlines created from then on."
            ),
            default=kind.default_ladder_json(),
            kind=ValueKind.JSON,
            validate=ladder_validate,
            describe=ladder_display,
            editor=LADDER_EDITOR,
            rule_id=kind.rule_id,
            section="Deadlines",
        )
    )


def register_kind(kind: DeadlineKind) -> DeadlineKind:
    """Register ``kind`` (idempotent for the same definition) and its ladder policy; return it."""
    if not kind.ladder:
        raise ValueError(f"Deadline kind {kind.code} needs at least one ladder step.")
    ladder_validate(kind.default_ladder_json())
    existing = _KINDS.get(kind.code)
    if existing is not None:
        if existing != kind:
            raise ValueError(f"Deadline kind {kind.code} is already registered differently.")
        return existing
    _KINDS[kind.code] = kind
    _register_policy(kind)
    return kind


def kind_get(code: str) -> DeadlineKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"Unknown deadline kind {code!r}: register it with register_kind().") from None


def kinds() -> list[DeadlineKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def ladder_current(kind: DeadlineKind) -> list[dict[str, Any]]:
    """The ladder in force for ``kind`` now: the administrator's override (haven.policy), else the default.

    The one place the ladder is looked up; deadline_create copies its answer into the deadline.
    """
    setting = _LADDERS.get(kind.code)
    if setting is None:  # a kind never registered (a test's own): its default
        return kind.default_ladder_json()
    return ladder_validate(policy_value(setting))
