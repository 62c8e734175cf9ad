"""The write declaration: people's words for every kind of input error, one permission check, and
the same ValidationFailed for code that calls an operation with a bad mapping."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import pytest
from ninja import Field
from pydantic import ValidationError

from haven.core.errors import Forbidden, ValidationFailed
from haven.core.operations import Api, Input, declare, field_errors, run, validated
from haven.core.permissions import Perm
from haven.core.types import Line, Moment, NhsNumber, Says, Text, UkPostcode


class Row(Input):
    target: Annotated[str, Line(10, min_length=1)]


class Example(Input):
    name: Annotated[str, Line(20, min_length=1)]
    note: Annotated[str, Text(50), Says("what happened")] = ""
    when: Annotated[date, Says("the review date")]
    grade: Literal["low", "medium", "high"]
    count: int = Field(1, ge=1, le=5)
    at: Moment | None = None
    rows: list[Row] = []
    nhs: NhsNumber = ""
    postcode: UkPostcode = ""
    agreed: Annotated[str, Says(required="Say who agreed it")] = Field(min_length=1)


def errors_of(data: dict[str, object]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        Example.model_validate(data)
    return field_errors(refused.value)


GOOD = {"name": "Kayla", "when": "2027-01-05", "grade": "low", "agreed": "Insp Shah"}


def test_missing_answers_say_what_to_enter_or_select():
    assert errors_of({}) == {
        "name": ["Enter the name"],
        "when": ["Enter the review date"],
        "grade": ["Select the grade"],
        "agreed": ["Say who agreed it"],
    }


def test_blank_text_counts_as_missing_once_trimmed():
    assert errors_of({**GOOD, "name": "   "}) == {"name": ["Enter the name"]}
    assert Example.model_validate({**GOOD, "name": "  Kayla "}).name == "Kayla"


def test_limits_are_named_in_the_message():
    assert errors_of({**GOOD, "name": "x" * 21}) == {"name": ["The name must be 20 characters or fewer"]}
    assert errors_of({**GOOD, "note": "x" * 51}) == {"note": ["What happened must be 50 characters or fewer"]}
    assert errors_of({**GOOD, "count": 6}) == {"count": ["The count must be 5 or less"]}


def test_control_characters_are_refused_but_text_keeps_its_line_breaks():
    assert errors_of({**GOOD, "name": "Kay\x00la"}) == {
        "name": ["The name must be plain text, without control characters"]
    }
    assert errors_of({**GOOD, "name": "Kay\nla"}) == {
        "name": ["The name must be plain text, without control characters"]
    }
    assert Example.model_validate({**GOOD, "note": "Seen at 10:00.\nWent home."}).note == "Seen at 10:00.\nWent home."


def test_dates_times_and_choices_say_what_is_wrong():
    assert errors_of({**GOOD, "when": "2027-02-30"}) == {"when": ["Enter the review date as a real date"]}
    assert errors_of({**GOOD, "at": "2027-01-05T10:00:00"}) == {"at": ["Give the at with a time zone"]}
    assert errors_of({**GOOD, "grade": "extreme"}) == {"grade": ["Select the grade from the list"]}


def test_nested_rows_keep_their_own_words_and_path():
    assert errors_of({**GOOD, "rows": [{"target": "ok"}, {"target": ""}]}) == {"rows.1.target": ["Enter the target"]}


def test_nhs_numbers_and_postcodes_are_checked_and_tidied():
    assert Example.model_validate({**GOOD, "nhs": "943 476 5919"}).nhs == "9434765919"
    assert "not a real one" in errors_of({**GOOD, "nhs": "943 476 5918"})["nhs"][0]
    assert Example.model_validate({**GOOD, "postcode": "ls14ap"}).postcode == "LS1 4AP"
    assert errors_of({**GOOD, "postcode": "LS1"}) == {"postcode": ["Enter a real postcode, like LS1 4AP"]}


def _record(*, actor, data):
    return (actor, data)


EXAMPLE = declare(
    "core_tests.example_record",
    input=Example,
    perm=Perm.MISSING_ENQUIRY_RECORD,
    service=_record,
    api=Api("POST", "/example"),
)


class _Someone:
    def __init__(self, *perms):
        self.perms = set(perms)

    def has_perm(self, perm, obj=None):
        return perm in self.perms


class _Token:
    def __init__(self, *scopes):
        self.scopes = list(scopes)


def test_run_checks_the_permission_before_the_service():
    with pytest.raises(Forbidden):
        run(EXAMPLE, actor=_Someone(), data=GOOD)
    actor = _Someone(Perm.MISSING_ENQUIRY_RECORD)
    assert run(EXAMPLE, actor=actor, data=GOOD)[0] is actor


def test_a_token_without_the_scope_is_refused_even_when_the_roles_allow():
    actor = _Someone(Perm.MISSING_ENQUIRY_RECORD)
    with pytest.raises(Forbidden):
        run(EXAMPLE, actor=actor, data=GOOD, token=_Token("cases:case:view"))
    assert run(EXAMPLE, actor=actor, data=GOOD, token=_Token(Perm.MISSING_ENQUIRY_RECORD.value))


def test_code_calling_with_a_bad_mapping_gets_validation_failed_with_every_field():
    with pytest.raises(ValidationFailed) as refused:
        validated(EXAMPLE, {**GOOD, "name": "", "grade": "x"})
    assert refused.value.fields == {"name": ["Enter the name"], "grade": ["Select the grade from the list"]}


def test_a_name_declared_twice_for_another_service_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        declare("core_tests.example_record", input=Example, perm=Perm.MISSING_ENQUIRY_RECORD, service=print)


def test_an_input_model_must_speak_peoples_words():
    from ninja import Schema

    class Plain(Schema):
        name: str

    with pytest.raises(TypeError):
        declare("core_tests.plain", input=Plain, perm=Perm.MISSING_ENQUIRY_RECORD, service=_record)
