"""The input types every write shares, declared once: plain text of a length, moments, names, phone
numbers, NHS numbers and UK postcodes, and :class:`Says`, the words a field's errors use.

Every input model (``haven.core.operations.Input``) is built from these. Their rules are the only
field rules in Haven: GOV.UK forms and the JSON API both validate through them, so a limit or a
message is written here once and reads the same on a page and in an API error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import AfterValidator, AwareDatetime, GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

# One line of text PostgreSQL can store and people can read: no NUL or other control characters, and
# none of the invisible characters that change the direction of text (U+200E/F, U+202A-U+202E,
# U+2066-U+2069), with which a name or reference can be made to read as another ("Trojan Source").
BIDI_CONTROLS = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
LINE_PATTERN = r"^[^\x00-\x1f\x7f" + BIDI_CONTROLS + "]*$"
# Several lines: tabs and line breaks allowed, other control characters not.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def _filled(pattern: str) -> str:
    """The pattern of a required answer: the same characters as ``pattern`` (``^[^…]*$``), at least one
    of them not a space. Inputs are trimmed before they are checked, so "   " is no answer; saying so in
    the pattern puts that rule in the API's schema too, where a client (or a fuzzer) can read it."""
    allowed = pattern.removeprefix("^").removesuffix("*$")  # "[^…]"
    not_space = "[^\\s" + allowed.removeprefix("[^")
    return f"^{allowed}*{not_space}{allowed}*$"


LINE_FILLED_PATTERN = _filled(LINE_PATTERN)
TEXT_FILLED_PATTERN = _filled(TEXT_PATTERN)
CONTROL_PATTERNS = (LINE_PATTERN, TEXT_PATTERN, LINE_FILLED_PATTERN, TEXT_FILLED_PATTERN)


@dataclass(frozen=True)
class Says:
    """What a field is called in error messages, and any message of its own.

    ``what`` is the noun phrase the standard messages use ("Enter the review date", "The review
    date must be ..."); ``required`` and ``invalid`` replace the message for a missing or empty
    value and for a value of the wrong form. Attach with ``Annotated[date, Says("the review date")]``.
    """

    what: str = ""
    required: str = ""
    invalid: str = ""


def Line(max_length: int, *, min_length: int = 0) -> StringConstraints:  # noqa: N802 - reads as a type
    """One line of plain text, at most ``max_length`` characters (``min_length=1``: required).
    Use as ``Annotated[str, Line(200)]`` (so type checkers see a ``str``)."""
    pattern = LINE_FILLED_PATTERN if min_length else LINE_PATTERN
    return StringConstraints(pattern=pattern, max_length=max_length, min_length=min_length)


def Text(max_length: int, *, min_length: int = 0) -> StringConstraints:  # noqa: N802 - reads as a type
    """Free text over several lines (notes, narratives), at most ``max_length`` characters.
    Use as ``Annotated[str, Text(5_000)]``."""
    pattern = TEXT_FILLED_PATTERN if min_length else TEXT_PATTERN
    return StringConstraints(pattern=pattern, max_length=max_length, min_length=min_length)


class Filled:
    """Makes a :func:`Line`/:func:`Text` type (or :data:`PersonName`) a required answer where it is used:
    ``Annotated[Surname, Filled()]``. At least one character, and not only spaces (the pattern says so)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        if schema.get("type") != "str" or schema.get("pattern") not in (LINE_PATTERN, TEXT_PATTERN):
            raise TypeError("Filled() follows a Line, Text or PersonName type")
        return {**schema, "min_length": max(1, schema.get("min_length", 0)), "pattern": _filled(schema["pattern"])}


MOMENT_YEARS = (1900, 2999)
MOMENT_PATTERN = r"^(19|2[0-9])[0-9]{2}-"
"""The years a :data:`Moment` may be written in, as its JSON schema says them (the start of an RFC 3339
date-time): a client, or a fuzzer, reads the range from the document instead of meeting a 422."""


def _within_range(value: datetime) -> datetime:
    """An aware time Haven can store and compare: written in the years 1900 to 2999, then in UTC.

    Anything further out is a typo. The year is checked as written (as the schema's pattern says it),
    which also keeps the conversion to UTC clear of the ends of Python's calendar (year 1 with a negative
    offset overflows: that must be a 422, not a 500).
    """
    if not MOMENT_YEARS[0] <= value.year <= MOMENT_YEARS[1]:
        raise ValueError("Give a time between the years 1900 and 2999")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class _Schema:
    """Says one more thing of a value in its JSON schema (``"format": "email"``, a date-time's ``pattern``),
    so the API documents what the validator applies."""

    key: str
    value: str

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        found = handler(schema)
        found[self.key] = self.value
        return found


Moment = Annotated[AwareDatetime, AfterValidator(_within_range), _Schema("pattern", MOMENT_PATTERN)]
"""An aware datetime (with a time zone) written in the years 1900-2999, converted to UTC."""

NAME_MAX = 200
PersonName = Annotated[str, StringConstraints(pattern=LINE_PATTERN, max_length=NAME_MAX)]
"""A person's forename(s) or surname as the informant gives it."""

Username = Annotated[str, StringConstraints(pattern=LINE_FILLED_PATTERN, min_length=1, max_length=150)]
"""A Haven user's username (the service looks the user up and says if there is none)."""


def _phone(value: str) -> str:
    digits = re.sub(r"[\s()-]", "", value)
    if value and not re.fullmatch(r"\+?[0-9]{6,15}", digits):
        raise ValueError("Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
    return value.strip()


PhoneNumber = Annotated[str, StringConstraints(max_length=30), AfterValidator(_phone)]


def _nhs_number(value: str) -> str:
    """NHS numbers carry a modulus 11 check digit: most typing slips fail it."""
    digits = re.sub(r"[\s-]", "", value)
    if not value:
        return value
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValueError("Enter an NHS number of 10 digits, like 943 476 5919")
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise ValueError("Check the NHS number: it is not a real one (the last digit does not match)")
    return digits


NhsNumber = Annotated[str, StringConstraints(max_length=20), AfterValidator(_nhs_number)]

_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def _postcode(value: str) -> str:
    if not value:
        return value
    compact = re.sub(r"\s+", "", value.upper())
    if not _POSTCODE.match(compact):
        raise ValueError("Enter a real postcode, like LS1 4AP")
    return f"{compact[:-3]} {compact[-3:]}"


UkPostcode = Annotated[str, StringConstraints(max_length=10), AfterValidator(_postcode)]


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Enter an email address in the correct format, like name@example.com") from None
    return value


Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email), _Schema("format", "email")]
"""An email address, or '' for none (Django's own check of its form, at most 254 characters)."""
