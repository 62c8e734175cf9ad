"""The "Who is on duty" pages: now and the next 7 days, and the form to put someone on duty with
GOV.UK's date input and a time (not the browser's date-time picker)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.choices import Duty
from haven.accounts.models import DutyAssignment, Team
from haven.accounts.tests.pages import error_summary, inputs, text
from haven.core import clock
from haven.core.testing import sign_in

pytestmark = pytest.mark.django_db


def _parts(prefix: str, moment: Any) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {
        f"{prefix}_day": str(local.day),
        f"{prefix}_month": str(local.month),
        f"{prefix}_year": str(local.year),
        f"{prefix}_time": local.strftime("%H:%M"),
    }


@pytest.fixture
def sergeant(client: Any, make_user: Any) -> Any:
    user = make_user("ps1", roles=("supervisor",), rank="PS")
    sign_in(client, user)
    return user


def test_a_sergeant_puts_a_colleague_on_duty_with_day_month_year_and_time(client, sergeant, make_user):
    colleague = make_user("ps2", roles=("supervisor",), rank="PS")
    team = Team.objects.get(code="TEST")
    start = (clock.now() + timedelta(hours=1)).replace(second=0, microsecond=0)

    page = client.get(f"/duty/teams/{team.public_id}/")
    for part in ("day", "month", "year", "time"):
        assert [i["type"] for i in inputs(page, f"starts_at_{part}")] == ["text"], "GOV.UK boxes, not datetime-local"

    response = client.post(
        f"/duty/teams/{team.public_id}/set/",
        {
            "duty": "duty_sergeant",
            "user": colleague.username,
            **_parts("starts_at", start),
            **_parts("ends_at", start + timedelta(hours=10)),
        },
    )

    assert response.status_code == 302, text(response)
    duty = DutyAssignment.objects.get()
    assert (duty.user, duty.duty, duty.starts_at, duty.ends_at) == (
        colleague,
        Duty.DUTY_SERGEANT,
        start,
        start + timedelta(hours=10),
    )
    assert "PS Test Ps2" in text(client.get(f"/duty/teams/{team.public_id}/"))


def test_a_date_that_is_not_real_is_refused_in_the_error_summary(client, sergeant):
    team = Team.objects.get(code="TEST")

    response = client.post(
        f"/duty/teams/{team.public_id}/set/",
        {
            "duty": "duty_sergeant",
            "user": sergeant.username,
            "starts_at_day": "31",
            "starts_at_month": "2",
            "starts_at_year": "2027",
            "starts_at_time": "07:00",
        },
    )

    assert response.status_code == 422
    assert error_summary(response) == [
        ("#id_starts_at", "Enter the start as a real date and time"),
        ("#id_ends_at", "Enter the end"),
    ]
    assert not DutyAssignment.objects.exists()


def test_who_is_on_duty_shows_now_and_who_is_told_when_nobody_is(client, sergeant, make_user):
    team = Team.objects.get(code="TEST")
    insp = make_user("insp", roles=("inspector",), rank="INSP")
    DutyAssignment.objects.create(
        team=team,
        duty=Duty.DUTY_INSPECTOR,
        user=insp,
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=1),
    )

    page = text(client.get(f"/duty/teams/{team.public_id}/"))

    assert "INSP Test Insp" in page
    assert "Nobody is on duty" in page
    assert "Told instead: PS Test Ps1" in page


def test_an_officer_sees_who_is_on_duty_without_the_form_and_cannot_post_it(client, make_user):
    officer = make_user("pc", roles=("response_officer",))
    sign_in(client, officer)
    team = Team.objects.get(code="TEST")

    page = client.get(f"/duty/teams/{team.public_id}/")
    refused = client.post(f"/duty/teams/{team.public_id}/set/", {"duty": "duty_officer", "user": "pc"})

    assert page.status_code == 200
    assert "Put someone on duty" not in text(page)
    assert refused.status_code == 403
    assert not DutyAssignment.objects.exists()


def test_the_duty_index_lists_every_active_team_with_its_own_first(client, sergeant, make_user):
    make_user("handler", roles=("call_handler",), team="IMU")

    response = client.get("/duty/")

    assert response.status_code == 200
    page = text(response)
    assert page.index("Team TEST") < page.index("Team IMU")
