"""Workforce pages: an officer's own record, another's (logged), and the supervisor's team page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _noon(clock):
    clock.freeze(datetime(2026, 6, 1, 11, 0, tzinfo=UTC))


def test_an_officer_sees_their_own_record_with_the_reason_in_words(signed_in, qualify):
    client, officer = signed_in(username="pc", roles=("investigator",))
    qualify(officer, "abe", on=date(2023, 5, 1), evidence="ABE cert 99")

    page = client.get("/workforce/")

    assert page.status_code == 200
    body = page.content.decode()
    assert "Your training and skills" in body
    assert "ABE cert 99" in body
    assert "Achieving Best Evidence interviewing expired on 1 May 2026." in body
    assert "T-01" not in body  # people's words on people's pages


def test_a_supervisor_reads_an_officer_s_record_and_the_read_is_logged(signed_in, make_user):
    client, sergeant = signed_in(username="sgt2", roles=("supervisor",))
    officer = make_user("pc")

    page = client.get(f"/workforce/officers/{officer.public_id}/")

    assert page.status_code == 200
    row = AccessEvent.objects.filter(actor=sergeant, operation=Operation.CONSULTATION).latest("pk")
    assert row.detail["officer"] == "pc"


def test_an_officer_cannot_read_another_s_record(signed_in, make_user):
    client, _ = signed_in(username="pc1", roles=("response_officer",))
    other = make_user("pc2")

    assert client.get(f"/workforce/officers/{other.public_id}/").status_code == 403
    assert client.get("/workforce/team/").status_code == 403


def test_a_malformed_officer_id_is_404(signed_in):
    client, _ = signed_in(username="sgt3", roles=("supervisor",))

    assert client.get("/workforce/officers/not-an-id/").status_code == 404


def test_the_team_page_shows_each_officer_s_qualifications_and_logs_the_read(signed_in, make_user, qualify):
    client, sergeant = signed_in(username="sgt4", roles=("supervisor",), team="CATE")
    expired = make_user("dc1", roles=("investigator",), team="CATE")
    make_user("elsewhere", team="RESP")
    qualify(expired, "abe", on=date(2023, 5, 1))

    page = client.get("/workforce/team/")

    assert page.status_code == 200
    body = page.content.decode()
    assert f"/workforce/officers/{expired.public_id}/" in body
    assert "Expired" in body
    assert "elsewhere" not in body
    row = AccessEvent.objects.filter(actor=sergeant, operation=Operation.CONSULTATION).latest("pk")
    assert sorted(row.detail["officers"]) == ["dc1", "sgt4"]


def test_t02_team_compliance_by_module_against_a_hand_count(signed_in, make_user, qualify):
    """Team TEAMC: the sergeant and six officers (7). Module 1: four current (one gained 11 months ago
    still counts), one ran out (gained 13 months ago), two never did it → 4 of 7 = 57 %. Module 2:
    one current → 1 of 7 = 14 %."""
    client, _ = signed_in(username="sgt5", roles=("supervisor",), team="TEAMC")
    officers = [make_user(f"o{n}", team="TEAMC") for n in range(6)]
    for officer in officers[:3]:
        qualify(officer, "missing_elearning_1", on=date(2026, 3, 1))
    qualify(officers[3], "missing_elearning_1", on=date(2025, 7, 1))  # runs out 1 July 2026: current
    qualify(officers[4], "missing_elearning_1", on=date(2025, 5, 1))  # ran out 1 May 2026
    qualify(officers[0], "missing_elearning_2", on=date(2026, 3, 1))

    page = client.get("/workforce/team/")

    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "Missing people e-learning: module 1 57% complete (4 of 7 officers)" in text
    assert "Missing people e-learning: module 2 14% complete (1 of 7 officers)" in text
