"""Shared API input types."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import TypeAdapter, ValidationError

from haven.core.testing import sign_in
from haven.core.types import Moment

moment = TypeAdapter(Moment)


def test_a_moment_is_converted_to_utc():
    assert moment.validate_python("2026-10-25T01:30:00+01:00") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "0001-03-01T14:30:46.790271-14:52",  # found by schemathesis: overflowed converting to UTC, a 500
        "9999-12-31T23:59:59-10:00",
        "1066-10-14T09:00:00+00:00",
        "2026-10-25T01:30:00",  # no time zone
    ],
)
def test_a_moment_outside_the_years_haven_stores_or_without_a_zone_is_refused(value):
    with pytest.raises(ValidationError):
        moment.validate_python(value)


def test_the_log_search_answers_422_for_a_time_at_the_end_of_the_calendar(client, make_user):
    sign_in(client, make_user(roles=("auditor",)))
    response = client.get(
        "/api/v1/audit/events",
        {"user": "someone", "since": "0001-03-01T14:30:46.790271-14:52"},
    )
    assert response.status_code == 422, response.content
    assert "since" in str(response.json()["error"]["fields"])
