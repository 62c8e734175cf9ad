"""The force's training report (T-02) against a hand-counted fixture, its exports, the capacity view,
and the DMM board's officers working beyond their competence."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime

import pytest

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.core.operations import run
from haven.deadlines import services as deadlines
from haven.workforce import operations, reports, services
from haven.workforce.choices import Activity, CompetenceState
from haven.workforce.models import Competence, Establishment

pytestmark = pytest.mark.django_db

READING = "reading-missing-child"


@pytest.fixture(autouse=True)
def _mid_june(clock):
    clock.freeze(datetime(2026, 6, 15, 11, 0, tzinfo=UTC))


@pytest.fixture
def force(make_user, qualify, sergeant):
    """Teams ALPHA (a1-a3 response, a4 investigator) and BETA (b1 investigator, b2 response, b3 an
    analyst, not an operational officer); the sergeant "sgt" of team TEST (operational) verifies.
    Required reading for investigators only, counted like an e-learning module.

    m1: a1 (Jan 2026) current; a2 gained 1 May 2025, ran out 1 May 2026; a4 (Mar 2026); b1 (1 Jul 2025,
        runs out 1 Jul 2026: still current); b3 (not counted).
    m2: a1 (1 Feb 2026); b2 (1 Jun 2026).
    reading: a4 (1 Jun 2026); b1 none.
    """
    services.qualification_define(
        code=READING, name="Read: when a child is missing", mandatory_for_roles=["investigator"], validity_months=12
    )
    o = {
        name: make_user(name, team=team, roles=roles)
        for name, team, roles in [
            ("a1", "ALPHA", ("response_officer",)),
            ("a2", "ALPHA", ("response_officer",)),
            ("a3", "ALPHA", ("response_officer",)),
            ("a4", "ALPHA", ("investigator",)),
            ("b1", "BETA", ("investigator",)),
            ("b2", "BETA", ("response_officer",)),
            ("b3", "BETA", ("analyst",)),
        ]
    }
    for name, code, on in [
        ("a1", "missing_elearning_1", date(2026, 1, 10)),
        ("a2", "missing_elearning_1", date(2025, 5, 1)),
        ("a4", "missing_elearning_1", date(2026, 3, 1)),
        ("b1", "missing_elearning_1", date(2025, 7, 1)),
        ("b3", "missing_elearning_1", date(2026, 1, 1)),
        ("a1", "missing_elearning_2", date(2026, 2, 1)),
        ("b2", "missing_elearning_2", date(2026, 6, 1)),
        ("a4", READING, date(2026, 6, 1)),
    ]:
        qualify(o[name], code, on=on)
    return o


def _lead(make_user):
    return make_user("lead", roles=("administrator",), team=None)


def test_t02_force_report_percentages_against_a_hand_count(force, make_user):
    report = reports.force_report(user=_lead(make_user))

    assert [m.code for m in report.modules] == ["missing_elearning_1", "missing_elearning_2", READING]
    cells = {
        line.team: [(c.current, c.officers, c.percent) if c else None for c in line.cells] for line in report.teams
    }
    assert cells == {
        "Team ALPHA": [(2, 4, 50), (1, 4, 25), (1, 1, 100)],
        "Team BETA": [(1, 2, 50), (1, 2, 50), (0, 1, 0)],
        "Team TEST": [(0, 1, 0), (0, 1, 0), None],  # the sergeant: no investigator there, no reading required
    }
    assert [(c.current, c.officers, c.percent) for c in report.force if c] == [(3, 7, 42), (2, 7, 28), (1, 2, 50)]


def test_t02_force_report_names_who_is_overdue_and_since_when(force, make_user):
    report = reports.force_report(user=_lead(make_user))

    overdue = [(r.officer.username, r.qualification.code, r.since) for r in report.overdue]
    assert len(overdue) == 10
    assert overdue[0] == ("a2", "missing_elearning_1", date(2026, 5, 1))  # dated first
    assert ("b1", READING, None) in overdue
    assert ("b3", "missing_elearning_1", None) not in overdue
    assert {name for name, code, _ in overdue if code == "missing_elearning_2"} == {"a2", "a3", "a4", "b1", "sgt"}


def test_t02_force_report_trend_by_month_from_every_recorded_state(force, make_user, qualify):
    qualify(force["a2"], "missing_elearning_1", on=date(2026, 6, 10))  # a2's refresher: May still counts against

    trend = {p.month: (p.cell.current, p.cell.officers) for p in reports.force_report(user=_lead(make_user)).trend}

    assert list(trend)[0] == date(2025, 7, 1)
    assert list(trend)[-1] == date(2026, 6, 1)
    assert len(trend) == 12
    assert trend[date(2026, 6, 1)] == (7, 16)  # as now: 4 + 2 + 1 of 7 + 7 + 2
    assert trend[date(2026, 5, 1)] == (4, 16)  # m1 a1, a4, b1; m2 a1
    assert trend[date(2026, 1, 1)] == (3, 16)  # m1 a1 (10 Jan), a2 (until 1 May), b1
    assert trend[date(2025, 7, 1)] == (2, 16)  # m1 a2, b1 (1 Jul 2025)


def test_t02_force_report_page_exports_and_log(force, signed_in):
    client, lead = signed_in(username="lead", roles=("administrator",), team=None)

    page = client.get("/workforce/report/")

    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "Whole force 42% (3 of 7)" in text
    assert "Never done" in text
    assert "1 May 2026" in text
    row = AccessEvent.objects.filter(actor=lead, operation=Operation.CONSULTATION).latest("pk")
    assert "a2" in row.detail["officers"]
    rows = list(csv.reader(io.StringIO(client.get("/workforce/report/compliance.csv").content.decode())))
    assert rows[0] == ["Team", "Module", "Complete", "Officers", "Percent complete"]
    assert ["Team ALPHA", "Missing people e-learning: module 1", "2", "4", "50"] in rows
    assert ["Whole force", "Read: when a child is missing", "1", "2", "50"] in rows
    overdue = client.get("/workforce/report/overdue.csv")
    assert overdue["Content-Disposition"].startswith('attachment; filename="training-overdue-2026-06-15')
    assert client.get("/workforce/report/nothing.csv").status_code == 404
    xlsx = client.get("/workforce/report.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        assert "Complete by team" in book.read("xl/workbook.xml").decode()
    assert "ALPHA" in strings
    assert "Never done" in strings


def test_t02_force_report_is_for_the_report_permission_only(force, signed_in):
    client, _ = signed_in(username="sgt9", roles=("supervisor",))

    assert client.get("/workforce/report/").status_code == 403
    assert client.get("/workforce/report.xlsx").status_code == 403


def test_t02_force_report_and_capacity_api(force, signed_in):
    client, _ = signed_in(username="lead", roles=("administrator",), team=None)
    team = force["a1"].team

    report = client.get("/api/v1/workforce/report")
    put = client.put(
        f"/api/v1/workforce/teams/{team.public_id}/establishment", {"posts": 9}, content_type="application/json"
    )
    capacity = client.get("/api/v1/workforce/capacity")

    assert report.status_code == 200, report.content
    body = report.json()
    assert body["modules"] == ["missing_elearning_1", "missing_elearning_2", READING]
    assert body["force"][0] == {"qualification": "missing_elearning_1", "current": 3, "officers": 7, "percent": 42}
    assert len(body["overdue"]) == 10
    assert len(body["trend"]) == 12
    assert put.status_code == 200, put.content
    assert put.json()["posts"] == 9
    assert capacity.status_code == 200, capacity.content
    alpha = next(t for t in capacity.json()["teams"] if t["team"] == team.name)
    assert (alpha["posts"], alpha["in_post"]) == (9, 4)


# --- Capacity -------------------------------------------------------------------------------------------


def test_capacity_establishment_in_post_signed_off_and_open_work(force, make_user, make_case, make_episode):
    admin = make_user("admin9", roles=("administrator",), team=None)
    alpha = force["a1"].team
    run(operations.establishment_set, actor=admin, target=alpha, data={"posts": 6})
    Competence.objects.create(
        officer=force["a4"],
        activity=Activity.LEAD_CHILD_ABUSE_INVESTIGATION,
        state=CompetenceState.SIGNED_OFF,
        mentor=force["a1"],
        started_on=date(2025, 1, 1),
        signed_off_on=date(2025, 6, 1),
        signed_off_by=admin,
    )
    Competence.objects.create(
        officer=force["a3"], activity=Activity.CRSU_SHARE_INFORMATION, mentor=force["a1"], started_on=date(2026, 5, 1)
    )
    case = make_case(force["a1"])
    make_case(force["a1"])
    deadlines.deadline_create(
        actor=None,
        case=case,
        kind="missing.enquiry",
        what="Check the address",
        due_at=datetime(2026, 6, 16, tzinfo=UTC),
        key="test:1",
    )

    view = reports.capacity(user=admin)

    assert [c.key for c in view.columns] == ["cases", "enquiries", "deadlines"]
    team = next(t for t in view.teams if t.team.code == "ALPHA")
    assert (team.posts, team.in_post, team.vacancies, team.signed_off, team.in_training) == (6, 4, 2, 1, 1)
    loads = {o.officer.username: o.counts for o in team.officers}
    assert loads["a1"] == [2, 0, 1]
    assert loads["a2"] == [0, 0, 0]
    assert Establishment.objects.get(team=alpha).set_by == admin


def test_capacity_a_supervisor_sees_their_own_team_only(force, signed_in):
    client, _ = signed_in(username="sgt8", roles=("supervisor",), team="BETA")

    page = client.get("/workforce/capacity/")

    assert page.status_code == 200
    body = page.content.decode()
    assert f"Open work: {force['b1'].team.name}" in body
    assert force["a1"].team.name not in body


def test_capacity_not_for_an_officer(force, signed_in):
    client, _ = signed_in(username="pc9", roles=("response_officer",))

    assert client.get("/workforce/capacity/").status_code == 404


def test_capacity_establishment_form_for_administrators(force, signed_in):
    client, _ = signed_in(username="admin8", roles=("administrator",), team=None)
    team = force["b1"].team

    bad = client.post(f"/workforce/capacity/teams/{team.public_id}/establishment/", {"posts": "-1"})
    good = client.post(f"/workforce/capacity/teams/{team.public_id}/establishment/", {"posts": "5"})

    assert bad.status_code == 422
    assert "govuk-error-summary" in bad.content.decode()
    assert good.status_code == 302
    assert Establishment.objects.get(team=team).posts == 5
