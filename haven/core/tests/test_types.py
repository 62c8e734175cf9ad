"""Shared API input types."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from haven.core.operations import Input
from haven.core.testing import sign_in
from haven.core.types import Filled, Line, Moment, PersonName, Says, Text

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


@settings(max_examples=300, deadline=None)
@given(when=st.datetimes(timezones=st.timezones()), offset_minutes=st.integers(-14 * 60, 14 * 60))
def test_a_moment_is_accepted_exactly_when_its_schema_pattern_allows_it(when, offset_minutes):
    # The document says the years (finding 12: most times a client built from the schema were refused).
    from datetime import timedelta, timezone

    written = when.replace(tzinfo=timezone(timedelta(minutes=offset_minutes))).isoformat()
    pattern = moment.json_schema()["pattern"]
    allowed = re.match(pattern, written) is not None
    try:
        moment.validate_python(written)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == allowed, written


def test_a_moment_written_in_1900_is_accepted_whatever_its_offset():
    assert moment.validate_python("1900-01-01T00:30:00+01:00") == datetime(1899, 12, 31, 23, 30, tzinfo=UTC)


def test_the_log_search_answers_422_for_a_time_at_the_end_of_the_calendar(client, make_user):
    sign_in(client, make_user(roles=("auditor",)))
    response = client.get(
        "/api/v1/audit/events",
        {"user": "someone", "since": "0001-03-01T14:30:46.790271-14:52"},
    )
    assert response.status_code == 422, response.content
    assert "since" in str(response.json()["error"]["fields"])


# --- a required answer: the schema says what the validator accepts -----------------------------------


class _Answers(Input):
    line: Annotated[str, Line(50, min_length=1), Says("the line")]
    text: Annotated[str, Text(500, min_length=1), Says("the text")]
    name: Annotated[PersonName, Filled(), Says("the name")]


@pytest.mark.parametrize("field", ["line", "text", "name"])
@pytest.mark.parametrize("blank", ["", "   ", "\u00a0", "\u2003 "])
def test_a_required_answer_of_only_spaces_is_refused_by_schema_and_validator_alike(field, blank):
    filled = {"line": "a", "text": "a", "name": "a"}
    pattern = _Answers.model_json_schema()["properties"][field]["pattern"]
    assert not re.fullmatch(pattern, blank)
    with pytest.raises(ValidationError) as refused:
        _Answers(**{**filled, field: blank})
    assert refused.value.errors()[0]["msg"] == f"Enter the {field}"


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_whatever_a_required_answers_schema_allows_is_accepted(data):
    # What a client (or schemathesis) builds from the published pattern and lengths must pass: the
    # schema is the whole rule, so a blank answer is refused by the schema, not only by the server.
    properties = _Answers.model_json_schema()["properties"]
    answers = {}
    for field, schema in properties.items():
        text = data.draw(st.from_regex(schema["pattern"], fullmatch=True))
        assume(schema["minLength"] <= len(text) <= schema["maxLength"])
        answers[field] = text
    _Answers(**answers)


def test_filled_refuses_a_type_it_cannot_make_required():
    with pytest.raises(TypeError, match="Filled"):
        TypeAdapter(Annotated[int, Filled()])
