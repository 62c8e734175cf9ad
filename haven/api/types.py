"""Input types every router shares."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime


def _within_range(value: datetime) -> datetime:
    """An aware time Haven can store and compare: years 1900 to 2999 once in UTC.

    Anything further out is a typo, and near the ends of Python's calendar (year 1 with a negative
    offset) the conversion to UTC itself overflows, which must be a 422, not a 500.
    """
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise ValueError("Give a time between the years 1900 and 2999.") from None
    if not 1900 <= utc.year <= 2999:
        raise ValueError("Give a time between the years 1900 and 2999.")
    return utc


Moment = Annotated[AwareDatetime, AfterValidator(_within_range)]
"""An aware datetime (with a time zone) within years 1900-2999, converted to UTC."""
