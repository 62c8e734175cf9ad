"""T-01 wired into missing: a high-risk episode's investigating officer must be trained for the work
(force policy: PIP2 by default); one who is not is refused, with the reason in words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from haven.core.errors import ValidationFailed
from haven.core.testing import sign_in
from haven.missing import operations
from haven.policy import registry as policy_registry
from haven.policy.schemas import PolicySetIn
from haven.policy.services import policy_set
from haven.workforce import services as workforce
from haven.workforce.choices import Activity
from haven.workforce.schemas import CompetenceStartIn, CompetenceStepIn, OverrideGrantIn, QualificationRecordIn

pytestmark = pytest.mark.django_db


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


# --- The picker asks the gate (pages) -----------------------------------------------------------------


def _picker(client, episode):
    return client.get(f"/missing/{episode.public_id}/investigating-officer/")


def _item(body: str, name: str) -> str:
    """The picker's radio item for the officer named ``name`` (its input, label and hint)."""
    start = body.index(name)
    return body[body.rfind('<div class="govuk-radios__item"', 0, start) : body.index("</div>\n          </div>", start)]


def test_t01_the_picker_greys_out_refused_officers_with_the_reason_and_marks_approval(
    client, graded, supervisor, make_user
):
    """Force policy makes this work need sign-off: "able" is signed off (allowed), "trainee" is in
    training (with approval), "refused" has no PIP2 (greyed out, with the reason)."""
    episode = graded("high")
    able, refused, trainee = (
        make_user(name, roles=("investigator",), team="MISS", rank="DC") for name in ("able", "refused", "trainee")
    )
    work = Activity.HIGH_RISK_MISSING_INVESTIGATION
    admin = make_user("admin", roles=("administrator",), team=None)
    policy_set(
        actor=admin,
        setting=policy_registry.get("workforce.sign_off_activities"),  # the registry, not workforce's module
        data=PolicySetIn(value=[work.value], reason="Force training policy"),
    )
    other_sergeant = make_user("sgt2", roles=("supervisor",), team="MISS")
    for officer in (able, trainee):
        _pip2(supervisor, officer)
        start = CompetenceStartIn(activity=work, mentor="sarge", started_on=date(2026, 1, 5))
        workforce.competence_start(actor=supervisor, officer=officer, data=start)
    workforce.competence_assess(actor=supervisor, officer=able, data=CompetenceStepIn(activity=work))
    workforce.competence_sign_off(actor=other_sergeant, officer=able, data=CompetenceStepIn(activity=work))
    sign_in(client, supervisor)

    page = _picker(client, episode)

    assert page.status_code == 200
    body = page.content.decode()
    refused_item = _item(body, refused.rank_and_name)
    assert "disabled" in refused_item
    assert "no record of PIP level 2" in refused_item
    assert "disabled" not in _item(body, able.rank_and_name)
    trainee_item = _item(body, trainee.rank_and_name)
    assert "disabled" not in trainee_item
    assert "With approval" in trainee_item


def test_t01_a_refused_officer_posted_anyway_is_refused_with_the_error_summary(client, graded, supervisor, make_user):
    episode = graded("high")
    make_user("dc", roles=("investigator",), team="MISS", rank="DC")
    sign_in(client, supervisor)

    answer = client.post(f"/missing/{episode.public_id}/investigating-officer/", {"officer": "dc"})

    assert answer.status_code == 422
    body = answer.content.decode()
    assert "govuk-error-summary" in body
    assert "cannot investigate a high-risk episode" in body
    episode.refresh_from_db()
    assert episode.investigating_officer is None


def test_t01_choosing_an_allowed_officer_records_them_with_a_success_banner(client, graded, supervisor, make_user):
    episode = graded("high")
    dc = make_user("dc", roles=("investigator",), team="MISS", rank="DC")
    _pip2(supervisor, dc)
    sign_in(client, supervisor)

    answer = client.post(f"/missing/{episode.public_id}/investigating-officer/", {"officer": "dc"}, follow=True)

    assert f"{dc.rank_and_name} is the investigating officer." in answer.content.decode()
    episode.refresh_from_db()
    assert episode.investigating_officer == dc


def test_t01_an_override_shows_on_the_episode_s_investigating_officer_line(
    client, graded, supervisor, make_user, write
):
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
    sign_in(client, supervisor)

    body = client.get(f"/missing/{episode.public_id}/").content.decode()

    line = body[body.index('data-testid="investigating-officer"') :][:1200]
    assert dc.rank_and_name in line
    assert "Allowed by an override" in line
    assert inspector.rank_and_name in line
    assert "No PIP2 officer on duty tonight" in line


def test_the_picker_is_only_for_a_high_risk_episode(client, graded, supervisor):
    episode = graded("medium")
    sign_in(client, supervisor)

    assert _picker(client, episode).status_code == 404


def test_t01_the_picker_refuses_an_officer_on_the_day_their_override_ends(client, graded, supervisor, make_user, clock):
    """Controllable clock: allowed (by the override) the minute before it ends, greyed out from its end."""
    episode = graded("high")
    dc = make_user("dc", roles=("investigator",), team="MISS", rank="DC")
    inspector = make_user("insp", roles=("inspector",), team="MISS", rank="DI")
    ends = clock.now() + timedelta(minutes=5)  # short: the session stays signed in across the clock moves
    workforce.override_grant(
        actor=inspector,
        officer=dc,
        data=OverrideGrantIn(activity=Activity.HIGH_RISK_MISSING_INVESTIGATION, reason="Cover for leave", ends_at=ends),
    )
    sign_in(client, supervisor)

    clock.freeze(ends - timedelta(minutes=1))
    before = _item(_picker(client, episode).content.decode(), dc.rank_and_name)
    clock.freeze(ends)
    after = _item(_picker(client, episode).content.decode(), dc.rank_and_name)

    assert "disabled" not in before
    assert "Allowed by an override" in before
    assert "disabled" in after
    assert "no record of PIP level 2" in after
