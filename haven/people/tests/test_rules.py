from __future__ import annotations

import pytest

from haven.people.rules import nhs_number_is_valid, normalise_name


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
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize("number", ["9434765918", "943476591", "abcdefghij", "1234567890"])
def test_nhs_number_with_wrong_check_digit_or_shape_is_invalid(number: str) -> None:
    assert not nhs_number_is_valid(number)
