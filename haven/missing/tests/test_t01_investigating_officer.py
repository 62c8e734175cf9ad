"""T-01 wired into missing: a high-risk episode's investigating officer must be trained for the work
(force policy: PIP2 by default); one who is not is refused, with the reason in words."""

from __future__ import annotations

from datetime import date

import pytest

from haven.core.errors import ValidationFailed
from haven.missing import operations
from haven.workforce import services as workforce
from haven.workforce.choices import Activity
from haven.workforce.schemas import OverrideGrantIn, QualificationRecordIn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _standard_qualifications(db: None) -> None:
    workforce.standard_qualifications_ensure()  # a live-server test's flush may have emptied them


def _pip2(supervisor, officer):
    workforce.qualification_record(
        actor=supervisor,
        officer=officer,
        data=QualificationRecordIn(qualification="pip2", achieved_on=date(2024, 2, 1), evidence_reference="PIP2 4471"),
    )


def test_t01_an_officer_without_pip2_is_refused_as_investigating_officer_of_a_high_risk_episode(
    graded, supervisor, make_user, write
):
    episode = graded("high")
    dc = make_user("dc", roles=("investigator",), team="MISS", rank="DC")

    with pytest.raises(ValidationFailed) as refused:
        write(operations.obligation_record, supervisor, episode, obligation="investigating_officer", officer="dc")

    [message] = refused.value.fields["officer"]
    assert message.startswith(f"{dc.display_name} cannot investigate a high-risk episode:")
    assert "no record of PIP level 2" in message
    episode.refresh_from_db()
    assert episode.investigating_officer is None


def test_t01_an_officer_with_pip2_is_recorded_as_investigating_officer(graded, supervisor, make_user, write):
    episode = graded("high")
    dc = make_user("dc", roles=("investigator",), team="MISS", rank="DC")
    _pip2(supervisor, dc)

    write(operations.obligation_record, supervisor, episode, obligation="investigating_officer", officer="dc")

    episode.refresh_from_db()
    assert episode.investigating_officer == dc


def test_t01_an_inspector_s_override_lets_the_officer_investigate(graded, supervisor, make_user, write):
    episode = graded("high")
    dc = make_user("dc", roles=("investigator",), team="MISS", rank="DC")
    inspector = make_user("insp", roles=("inspector",), team="MISS", rank="DI")
    workforce.override_grant(
        actor=inspector,
        officer=dc,
        data=OverrideGrantIn(
            activity=Activity.HIGH_RISK_MISSING_INVESTIGATION, reason="No PIP2 officer on duty tonight"
        ),
    )

    write(operations.obligation_record, supervisor, episode, obligation="investigating_officer", officer="dc")

    episode.refresh_from_db()
    assert episode.investigating_officer == dc
