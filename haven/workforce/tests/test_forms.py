"""The workforce forms: a supervisor records a qualification and training steps, signs off (checked
first), an inspector grants an override (checked first), an administrator imports a CSV (a dry run,
then all or nothing). GOV.UK error summary on bad input; the pages are refused to those without the
permission."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.core.operations import run
from haven.ui.forms import GovukDateInput
from haven.workforce import operations
from haven.workforce.choices import Activity, Answer, CompetenceState
from haven.workforce.models import Competence, OfficerQualification, Override
from haven.workforce.services import may

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 12:00 in London


@pytest.fixture(autouse=True)
def _noon(clock):
    clock.freeze(NOON)


def _url(officer, step=""):
    return f"/workforce/officers/{officer.public_id}/{step}"


def _summary(body: str) -> bool:
    return "govuk-error-summary" in body


def test_a_supervisor_records_a_qualification_from_the_officer_s_record(signed_in, make_user):
    client, sergeant = signed_in(username="sgt", roles=("supervisor",), rank="DS", team="CATE")
    officer = make_user("dc", roles=("investigator",), team="CATE")
    record = client.get(_url(officer)).content.decode()
    assert _url(officer, "qualifications/") in record

    answer = client.post(
        _url(officer, "qualifications/"),
        {
            "qualification": "pip2",
            "evidence_reference": "PIP2 cert 17",
            **GovukDateInput.post_data("achieved_on", date(2025, 4, 2), time=False),
        },
        follow=True,
    )

    body = answer.content.decode()
    assert "govuk-notification-banner--success" in body
    assert "PIP level 2 (serious and complex investigation) is recorded" in body
    held = OfficerQualification.objects.get(officer=officer)
    assert (held.evidence_reference, held.verified_by) == ("PIP2 cert 17", sergeant)


def test_a_qualification_with_bad_answers_shows_the_error_summary_and_records_nothing(signed_in, make_user):
    client, _ = signed_in(username="sgt", roles=("supervisor",), team="CATE")
    officer = make_user("dc", roles=("investigator",), team="CATE")

    answer = client.post(
        _url(officer, "qualifications/"),
        {"achieved_on-day": "31", "achieved_on-month": "2", "achieved_on-year": "2026"},
    )

    assert answer.status_code == 422
    body = answer.content.decode()
    assert _summary(body)
    assert "Select the qualification" in body
    assert "must be a real date" in body
    assert "Enter the evidence reference" in body
    assert not OfficerQualification.objects.exists()


def test_t01_training_assessment_and_sign_off_through_the_pages_with_a_check_first(signed_in, make_user, qualify):
    client, sergeant = signed_in(username="sgt1", roles=("supervisor",), rank="DS", team="CRSU")
    mentor = make_user("mentor", roles=("supervisor",), rank="DS", team="CRSU")
    trainee = make_user("dc", roles=("crsu_officer",), team="CRSU")
    qualify(trainee, "crsu_researcher", on=date(2026, 1, 5))
    activity = Activity.CRSU_SHARE_INFORMATION

    started = client.post(
        _url(trainee, "training/"),
        {
            "activity": activity,
            "mentor": "mentor",
            **GovukDateInput.post_data("started_on", date(2026, 5, 1), time=False),
        },
        follow=True,
    )
    assert "is in training to crsu: share information with partners" in started.content.decode()
    assert may(trainee, activity).answer == Answer.WITH_APPROVAL
    client.post(_url(trainee, "training/assessment/"), {"activity": activity, "note": "Observed two referrals"})
    assert Competence.objects.get(officer=trainee).state == CompetenceState.ASSESSED

    check = client.post(_url(trainee, "training/sign-off/"), {"activity": activity, "note": ""})
    assert check.status_code == 200
    assert "Check before you sign off" in check.content.decode()
    assert Competence.objects.get(officer=trainee).state == CompetenceState.ASSESSED  # not yet

    done = client.post(
        _url(trainee, "training/sign-off/"), {"activity": activity, "note": "", "confirm": "1"}, follow=True
    )
    assert "is signed off to crsu: share information with partners alone" in done.content.decode()
    competence = Competence.objects.get(officer=trainee)
    assert (competence.state, competence.signed_off_by) == (CompetenceState.SIGNED_OFF, sergeant)
    assert may(trainee, activity).answer == Answer.ALONE
    assert mentor != sergeant


def test_t01_the_mentor_s_sign_off_is_refused_on_the_page_in_words(signed_in, make_user, qualify, sergeant):
    client, mentor = signed_in(username="mentor", roles=("supervisor",), team="CRSU")
    trainee = make_user("dc", roles=("crsu_officer",), team="CRSU")
    qualify(trainee, "crsu_researcher", on=date(2026, 1, 5))
    activity = Activity.CRSU_SHARE_INFORMATION
    run(
        operations.competence_start,
        actor=sergeant,
        target=trainee,
        data={"activity": activity, "mentor": "mentor", "started_on": "2026-05-01"},
    )
    run(operations.competence_assess, actor=sergeant, target=trainee, data={"activity": activity})

    answer = client.post(_url(trainee, "training/sign-off/"), {"activity": activity, "confirm": "1"})

    assert answer.status_code == 422
    body = answer.content.decode()
    assert _summary(body)
    assert "A mentor cannot sign off their own mentee: ask another supervisor." in body
    assert Competence.objects.get(officer=trainee).state == CompetenceState.ASSESSED


def test_a_withdrawal_needs_a_reason(signed_in, make_user, sergeant):
    client, _ = signed_in(username="sgt2", roles=("supervisor",), team="CRSU")
    trainee = make_user("dc", roles=("crsu_officer",), team="CRSU")
    activity = Activity.CRSU_SHARE_INFORMATION
    run(
        operations.competence_start,
        actor=sergeant,
        target=trainee,
        data={"activity": activity, "mentor": "sgt", "started_on": "2026-05-01"},
    )

    refused = client.post(_url(trainee, "training/withdrawal/"), {"activity": activity, "reason": ""})
    assert refused.status_code == 422
    assert _summary(refused.content.decode())

    client.post(_url(trainee, "training/withdrawal/"), {"activity": activity, "reason": "Moved to response"})
    competence = Competence.objects.get(officer=trainee)
    assert (competence.state, competence.withdrawn_reason) == (CompetenceState.WITHDRAWN, "Moved to response")


def test_t01_an_inspector_grants_an_override_checked_first_logged_with_the_reason_and_shown(signed_in, make_user):
    client, inspector = signed_in(username="insp", roles=("inspector",), rank="DI", team="CMD")
    officer = make_user("dc", roles=("investigator",), rank="DC", team="CATE")
    activity = Activity.HIGH_RISK_MISSING_INVESTIGATION
    assert may(officer, activity).answer == Answer.REFUSED
    answers = {
        "activity": activity,
        "reason": "Only detective on duty; PIP2 exam passed, awaiting the certificate",
        **GovukDateInput.post_data("ends_at", datetime(2026, 6, 3, 18, 0, tzinfo=UTC)),
    }

    check = client.post(_url(officer, "overrides/"), answers)
    assert "Check before you allow this work" in check.content.decode()
    assert not Override.objects.exists()
    done = client.post(_url(officer, "overrides/"), {**answers, "confirm": "1"}, follow=True)

    body = done.content.decode()
    assert "may investigate a high-risk missing episode until 3 June 2026 at 19:00" in body
    assert "In force" in body
    assert "awaiting the certificate" in body
    assert may(officer, activity).answer == Answer.ALONE
    row = AccessEvent.objects.filter(actor=inspector, operation=Operation.ALTERATION).latest("pk")
    assert row.detail["step"] == "override_grant"
    assert row.detail["reason"] == "Only detective on duty; PIP2 exam passed, awaiting the certificate"


def test_t01_an_override_without_a_reason_or_too_long_shows_the_error_summary(signed_in, make_user):
    client, _ = signed_in(username="insp", roles=("inspector",), team="CMD")
    officer = make_user("dc", roles=("investigator",), team="CATE")

    answer = client.post(
        _url(officer, "overrides/"),
        {
            "activity": Activity.HIGH_RISK_MISSING_INVESTIGATION,
            "reason": "",
            **GovukDateInput.post_data("ends_at", datetime(2026, 7, 1, 9, 0, tzinfo=UTC)),
            "confirm": "1",
        },
    )

    assert answer.status_code == 422
    body = answer.content.decode()
    assert _summary(body)
    assert "Enter the reason" in body
    assert not Override.objects.exists()


@pytest.mark.parametrize("roles", [("response_officer",), ("supervisor",)])
def test_t01_only_an_inspector_sees_the_override_form(signed_in, make_user, roles):
    client, _ = signed_in(username="someone", roles=roles, team="CATE")
    officer = make_user("dc", roles=("investigator",), team="CATE")

    assert client.get(_url(officer, "overrides/")).status_code == 403
    assert (
        client.post(_url(officer, "overrides/"), {"activity": "custody", "reason": "x", "confirm": "1"}).status_code
        == 403
    )
    assert "override-link" not in client.get("/workforce/").content.decode()
    assert not Override.objects.exists()


def test_a_response_officer_cannot_open_the_training_forms(signed_in, make_user):
    client, _ = signed_in(username="pc", roles=("response_officer",), team="RESP")
    officer = make_user("dc", roles=("investigator",), team="CATE")

    for step in ("qualifications/", "training/", "training/assessment/", "training/sign-off/", "training/withdrawal/"):
        assert client.get(_url(officer, step)).status_code == 403, step
    assert client.get("/workforce/import/").status_code == 403


def test_nobody_records_their_own_training(signed_in):
    client, me = signed_in(username="sgt", roles=("supervisor",), team="CATE")

    assert client.get(_url(me, "qualifications/")).status_code == 404


CSV_HEADER = "officer,qualification,gained,evidence\n"


def test_the_import_page_dry_runs_then_imports_everything(signed_in, make_user):
    client, _ = signed_in(username="admin", roles=("administrator",), team=None)
    make_user("dc1", team="CATE")
    make_user("dc2", team="CATE")
    text = CSV_HEADER + "dc1,abe,2025-01-10,ABE 1\ndc2,pip2,10/01/2024,PIP 2\n"
    upload = _file(text)

    dry = client.post("/workforce/import/", {"csv": upload})
    assert dry.status_code == 200
    assert "All 2 records can be imported." in dry.content.decode()
    assert not OfficerQualification.objects.exists()

    done = client.post("/workforce/import/", {"csv_text": text, "confirm": "1"}, follow=True)
    assert "2 qualification records imported." in done.content.decode()
    assert OfficerQualification.objects.count() == 2


def test_the_import_page_lists_each_bad_line_and_imports_nothing(signed_in, make_user):
    client, _ = signed_in(username="admin", roles=("administrator",), team=None)
    make_user("dc1", team="CATE")
    text = CSV_HEADER + "dc1,abe,2025-01-10,ABE 1\nnobody,abe,2025-01-10,ABE 2\n"

    dry = client.post("/workforce/import/", {"csv": _file(text)})
    body = dry.content.decode()
    assert dry.status_code == 200
    assert 'data-testid="import-errors"' in body
    assert "import-confirm" not in body

    forced = client.post("/workforce/import/", {"csv_text": text, "confirm": "1"})
    assert forced.status_code == 422
    assert _summary(forced.content.decode())
    assert "Line 3" in forced.content.decode()
    assert not OfficerQualification.objects.exists()


def test_the_import_page_without_a_file_says_so(signed_in):
    client, _ = signed_in(username="admin", roles=("administrator",), team=None)

    answer = client.post("/workforce/import/", {})

    assert answer.status_code == 422
    assert "Paste or upload the CSV" in answer.content.decode()


def _file(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("training.csv", text.encode(), content_type="text/csv")


def test_t01_an_override_without_an_end_is_checked_as_the_longest_the_force_allows(signed_in, make_user):
    client, _ = signed_in(username="insp", roles=("inspector",), team="CMD")
    officer = make_user("dc", roles=("investigator",), team="CATE")
    answers = {"activity": Activity.CUSTODY, "reason": "Custody suite short-staffed tonight"}

    check = client.post(_url(officer, "overrides/"), answers)
    assert "In 7 days (the longest the force allows)" in check.content.decode()
    client.post(_url(officer, "overrides/"), {**answers, "confirm": "1"})

    override = Override.objects.get()
    assert override.ends_at == NOON + timedelta(days=7)
