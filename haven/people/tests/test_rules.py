from __future__ import annotations

import pytest
from pydantic import ValidationError

from haven.people.choices import IdentifierKind
from haven.people.rules import normalise_name
from haven.people.schemas import IdentifierIn


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("Zoë", "zoe"),
        ("  SMITH-JONES ", "smith jones"),
        ("Renée d'Arcy", "renee darcy"),
    ],
)
def test_names_fold_case_accents_apostrophes_and_hyphens(raw: str, folded: str) -> None:
    assert normalise_name(raw) == folded


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "401-023-2137"])
def test_nhs_number_with_right_check_digit_is_valid(number: str) -> None:
    assert IdentifierIn(kind=IdentifierKind.NHS, value=number).value.isdigit()


@pytest.mark.parametrize("number", ["9434765918", "943476591", "abcdefghij", "1234567890"])
def test_nhs_number_with_wrong_check_digit_or_shape_is_invalid(number: str) -> None:
    with pytest.raises(ValidationError):
        IdentifierIn(kind=IdentifierKind.NHS, value=number)


def test_other_identifiers_are_not_held_to_the_nhs_check_digit() -> None:
    assert IdentifierIn(kind=IdentifierKind.PNC, value="1234567890").value == "1234567890"
