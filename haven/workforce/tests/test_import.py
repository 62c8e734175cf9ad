"""Bulk import from a learning and development CSV: a dry run lists each line's problems and writes
nothing; an import with a bad line imports nothing and names the line."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from haven.core.errors import ValidationFailed
from haven.core.operations import run
from haven.workforce import operations
from haven.workforce.models import OfficerQualification

pytestmark = pytest.mark.django_db

HEADER = "officer,qualification,gained,evidence\n"


@pytest.fixture(autouse=True)
def _noon(clock):
    clock.freeze(datetime(2026, 6, 1, 11, 0, tzinfo=UTC))


@pytest.fixture
def officers(make_user):
    return make_user("pc1"), make_user("pc2")


def _import(actor, text, *, dry_run):
    return run(operations.qualifications_import, actor=actor, data={"csv": text, "dry_run": dry_run})


GOOD = HEADER + "pc1,missing_elearning_1,2026-03-01,College Learn 1\npc2,abe,01/02/2025,ABE course 12\n"
BAD = GOOD + "nobody,pip2,2026-01-01,Cert\npc1,flying,2026-13-01,\n"


def test_a_dry_run_lists_each_line_s_problems_and_writes_nothing(officers, sergeant):
    answer = _import(sergeant, BAD, dry_run=True)

    assert (answer["lines"], answer["imported"]) == (4, 0)
    assert answer["errors"] == [
        {"line": 4, "message": "There is no Haven user called nobody"},
        {"line": 5, "message": "There is no qualification with the code flying"},
        {"line": 5, "message": "Give the date gained as YYYY-MM-DD or DD/MM/YYYY"},
        {"line": 5, "message": "Give the evidence reference"},
    ]
    assert not OfficerQualification.objects.exists()


def test_an_import_with_a_bad_line_imports_nothing_and_names_the_line(officers, sergeant):
    with pytest.raises(ValidationFailed) as refused:
        _import(sergeant, BAD, dry_run=False)

    assert refused.value.fields["csv"][0] == "Line 4: There is no Haven user called nobody"
    assert not OfficerQualification.objects.exists()


def test_a_good_csv_imports_every_line_with_its_expiry(officers, sergeant):
    assert _import(sergeant, GOOD, dry_run=True)["errors"] == []

    answer = _import(sergeant, GOOD, dry_run=False)

    assert answer["imported"] == 2
    abe = OfficerQualification.objects.get(officer=officers[1])
    assert (abe.achieved_on, abe.expires_on, abe.verified_by) == (date(2025, 2, 1), date(2028, 2, 1), sergeant)


def test_a_csv_without_the_header_is_refused_on_line_1(officers, sergeant):
    answer = _import(sergeant, "pc1,abe,2025-01-01,x\n", dry_run=True)

    assert answer["errors"] == [
        {"line": 1, "message": "The first line must name the columns: officer, qualification, gained, evidence"}
    ]
