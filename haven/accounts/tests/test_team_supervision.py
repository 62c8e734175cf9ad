"""The team pages and API refuse an active team that nobody supervises unless a covering supervisor
is named; the teams list shows any team missing one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from haven.accounts.models import Team
from haven.accounts.tests.pages import error_summary, text
from haven.core.testing import sign_in

pytestmark = pytest.mark.django_db

NO_SUPERVISOR = "Name a covering supervisor: nobody in this team is a supervisor, so nobody would review its work"


@pytest.fixture
def admin(client: Any, make_user: Any) -> Any:
    sign_in(client, make_user("admin", roles=("administrator",), team=None))
    return client


def _post(client: Any, path: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_an_active_team_with_no_supervisor_is_refused_unless_a_covering_supervisor_is_named(admin, make_user):
    covering = make_user("covps", roles=("supervisor",), rank="PS", team="RESP")
    covering.first_name, covering.last_name, covering.collar_number = "Ngozi", "Okafor", "1190"
    covering.save()

    refused = _post(admin, "/teams", {"code": "IMU", "name": "Intelligence management unit"})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {"covering_supervisor": [NO_SUPERVISOR]}
    assert not Team.objects.filter(code="IMU").exists()

    made = _post(
        admin,
        "/teams",
        {
            "code": "IMU",
            "name": "Intelligence management unit",
            "covering_supervisor": "PS Ngozi Okafor (1190), Team RESP",
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["covering_supervisor"] == "covps"
    inactive = _post(admin, "/teams", {"code": "NEW", "name": "Not yet staffed", "is_active": False})
    assert inactive.status_code == 201


def test_a_covering_supervisor_must_be_a_supervisor_or_inspector_of_another_team(admin, make_user):
    make_user("pc", roles=("response_officer",), team="RESP")
    make_user("ownps", roles=("supervisor",), rank="PS", team="CATE")
    cate = Team.objects.get(code="CATE")

    not_supervisor = _post(admin, "/teams", {"code": "IMU", "name": "IMU", "covering_supervisor": "pc"})
    own = _post(admin, f"/teams/{cate.public_id}", {"covering_supervisor": "ownps"}, method="patch")
    nobody = _post(admin, "/teams", {"code": "IMU", "name": "IMU", "covering_supervisor": "Nobody Atall"})

    assert not_supervisor.json()["error"]["fields"] == {
        "covering_supervisor": ["Test Pc is not a supervisor or inspector"]
    }
    assert "is in this team" in own.json()["error"]["fields"]["covering_supervisor"][0]
    assert nobody.json()["error"]["fields"] == {"covering_supervisor": ["There is no Haven user called Nobody Atall"]}


def test_the_team_page_says_in_peoples_words_that_a_supervisor_is_needed(admin, make_user):
    make_user("handler", roles=("call_handler",), team="IMU")
    imu = Team.objects.get(code="IMU")

    response = admin.post(
        f"/administration/teams/{imu.public_id}/",
        {"code": "IMU", "name": imu.name, "description": "", "email": "", "is_active": "on", "covering_supervisor": ""},
    )

    assert response.status_code == 422
    assert error_summary(response) == [("#id_covering_supervisor", NO_SUPERVISOR)]


def test_the_teams_list_shows_teams_missing_a_supervisor(admin, make_user):
    make_user("handler", roles=("call_handler",), team="IMU")
    make_user("ps", roles=("supervisor",), rank="PS", team="RESP")

    page = text(admin.get("/administration/teams/"))

    assert "One active team has no supervisor" in page
    assert "No supervisor" in page
