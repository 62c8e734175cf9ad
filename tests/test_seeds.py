"""Reference rows the migrations seed come back after a flush, through the seeds each app registered."""

from __future__ import annotations

import pytest

from haven.accounts.models import Rank
from haven.accounts.ranks import RANKS
from haven.core.seeds import seed_all
from haven.workforce.catalogue import STANDARD
from haven.workforce.models import Qualification


@pytest.mark.django_db
def test_seed_all_puts_back_the_ranks_and_standard_qualifications_a_flush_removed() -> None:
    Rank.objects.all().delete()
    Qualification.objects.all().delete()

    put_back = seed_all()

    assert put_back == {"accounts.ranks": len(RANKS), "workforce.standard_qualifications": len(STANDARD)}
    assert set(Rank.objects.values_list("code", flat=True)) == {code for code, *_ in RANKS}
    assert set(Qualification.objects.values_list("code", flat=True)) == {code for code, *_ in STANDARD}


@pytest.mark.django_db
def test_seed_all_keeps_a_forces_own_edits_and_adds_nothing_present() -> None:
    Rank.objects.filter(code="PC").update(name="Constable")

    assert seed_all() == {"accounts.ranks": 0, "workforce.standard_qualifications": 0}
    assert Rank.objects.get(code="PC").name == "Constable"
