"""The manager's report (issue 19, oversight): time from raised to shared, share-by times missed and the
backlog, by week (Monday to Sunday, UK time) and by team, against a hand-counted set of referrals; its
page, CSV exports, API, and who may see it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from haven.api.tests.support import assert_envelope
from haven.audit.models import AccessEvent
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.operations import run
from haven.referrals import operations, selectors
from haven.referrals.choices import ReferralState
from haven.referrals.models import ChildConcernReferral

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 17, 12, 0, tzinfo=UTC)  # a Wednesday; British Summer Time (UTC+1)
H = timedelta(hours=1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


def end_of_uk_day(day: int) -> datetime:
    return at(day, 23)  # midnight BST


@pytest.fixture(autouse=True)
def _mid_june(clock):
    clock.freeze(NOW)


@pytest.fixture
def referrals(clock, raise_referral, officer, make_user, crsu, share):
    """Raised by pcjones (RESP-A) unless said; times UTC. Hand count:

    week of 1 June: A raised 2 Jun 09:00, shared 11:00 (2 h, through the real decision);
                    B raised 3 Jun 09:00, shared 13:00 (4 h);
                    C (RESP-B) raised 4 Jun 09:00, share by that midnight, shared 5 Jun 09:00 (24 h: late).
    week of 8 June: D raised 8 Jun 10:00, share by that midnight, still waiting (late);
                    E (RESP-B) raised 9 Jun 10:00, decided not to share at 12:00.
    week of 15 June: G raised Sun 14 Jun 23:30 UTC, Monday 00:30 in the UK: this week; shared 05:30 (6 h);
                     H raised 17 Jun 09:00, share by tonight: waiting, not yet late.
    """
    other = make_user("pcsmith", roles=("response_officer",), rank="PC", team="RESP-B")

    def raised(when, by=None):
        clock.freeze(when)
        return raise_referral(by=by)

    def shared(referral, when, share_by):
        ChildConcernReferral.objects.filter(pk=referral.pk).update(
            state=ReferralState.SHARED, shared_at=when, decided_at=when, share_by=share_by
        )

    made = {}
    made["A"] = raised(at(2, 9))
    clock.freeze(at(2, 11))
    run(operations.referral_decide, actor=crsu["lead"], target=made["A"], data=share)
    made["B"] = raised(at(3, 9))
    shared(made["B"], at(3, 13), end_of_uk_day(3))
    made["C"] = raised(at(4, 9), by=other)
    shared(made["C"], at(5, 9), end_of_uk_day(4))
    made["D"] = raised(at(8, 10))
    made["E"] = raised(at(9, 10), by=other)
    ChildConcernReferral.objects.filter(pk=made["E"].pk).update(state=ReferralState.NOT_SHARED, decided_at=at(9, 12))
    made["G"] = raised(at(14, 23, 30))
    shared(made["G"], at(15, 5, 30), end_of_uk_day(15))
    made["H"] = raised(at(17, 9))
    clock.freeze(NOW)
    return made


@pytest.fixture
def inspector(make_user):
    """A detective inspector, who holds the manager's report."""
    return make_user("reportinsp", roles=("inspector",), rank="DI", team="CMD")


def _week(f):
    return (f.week, f.raised, f.shared, f.median, f.p90, f.breaches, f.backlog)


def test_the_report_counts_each_week_against_a_hand_count(referrals, inspector):
    report = selectors.time_to_share_report(user=inspector, weeks=3)

    assert report.weeks == [date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 15)]
    assert ChildConcernReferral.objects.get(pk=referrals["A"].pk).shared_at == at(2, 11)  # the real share
    assert [_week(f) for f in report.rows] == [
        # 2, 4 and 24 hours: median 4 h; 90th percentile 4 h + 0.8 × 20 h = 20 h (interpolated)
        (date(2026, 6, 1), 3, 3, 4 * H, 20 * H, 1, 0),
        (date(2026, 6, 8), 2, 0, None, None, 1, 1),
        (date(2026, 6, 15), 2, 1, 6 * H, 6 * H, 0, 2),
    ]
    # 2, 4, 6 and 24 hours: median 5 h; 90th percentile 6 h + 0.7 × 18 h = 18 h 36 min
    assert _week(report.total) == (date(2026, 6, 1), 7, 4, 5 * H, 18 * H + 36 * timedelta(minutes=1), 2, 2)
    assert report.total.p90_words == "18 hours 36 minutes"
    assert report.total.median_hours == 5.0


def test_the_report_by_team_is_the_raising_officer_s_team(referrals, inspector):
    report = selectors.time_to_share_report(user=inspector, weeks=3)

    teams = {t.code: t for t in report.teams}
    assert set(teams) == {"RESP-A", "RESP-B"}
    a, b = teams["RESP-A"].total, teams["RESP-B"].total
    # RESP-A: 2, 4 and 6 hours; D late and waiting, H waiting
    assert (a.raised, a.shared, a.median, a.breaches, a.backlog) == (5, 3, 4 * H, 1, 2)
    assert a.p90 == 5 * H + 36 * timedelta(minutes=1)
    assert (b.raised, b.shared, b.median, b.p90, b.breaches, b.backlog) == (2, 1, 24 * H, 24 * H, 1, 0)
    assert [f.backlog for f in teams["RESP-A"].weeks] == [0, 1, 2]


def test_the_team_filter_counts_only_that_team_s_referrals(referrals, inspector):
    report = selectors.time_to_share_report(user=inspector, weeks=3, team_code="RESP-B")

    assert report.team_code == "RESP-B"
    assert [t.code for t in report.teams] == ["RESP-B"]
    assert [(f.raised, f.shared, f.breaches, f.backlog) for f in report.rows] == [
        (1, 1, 1, 0),
        (1, 0, 0, 0),
        (0, 0, 0, 0),
    ]
    unknown = selectors.time_to_share_report(user=inspector, weeks=3, team_code="NOPE")
    assert unknown.team_code == ""
    assert unknown.total.raised == 7


def test_the_backlog_is_counted_at_the_end_of_each_uk_week(clock, raise_referral, inspector):
    """Raised on a Sunday evening and decided on the Monday morning: waiting at the end of that week."""
    clock.freeze(at(7, 20))  # Sunday 21:00 in the UK
    referral = raise_referral()
    ChildConcernReferral.objects.filter(pk=referral.pk).update(state=ReferralState.NOT_SHARED, decided_at=at(8, 8))
    clock.freeze(NOW)

    report = selectors.time_to_share_report(user=inspector, weeks=3)

    assert [(f.raised, f.backlog) for f in report.rows] == [(1, 1), (0, 0), (0, 0)]


def test_the_report_is_for_managers_only_and_names_nobody(referrals, inspector, crsu):
    with pytest.raises(NotFound):
        selectors.time_to_share_report(user=crsu["sergeant"])
    with pytest.raises(NotFound):
        selectors.time_to_share_report(user=crsu["lead"])
    before = AccessEvent.objects.count()
    selectors.time_to_share_report(user=inspector)
    assert AccessEvent.objects.count() == before  # counts only: not an s62 consultation


def test_the_report_asks_the_database_a_fixed_number_of_questions(
    referrals, inspector, raise_referral, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        selectors.time_to_share_report(user=inspector)
    for _ in range(3):
        raise_referral()
    with django_assert_max_num_queries(2):
        selectors.time_to_share_report(user=inspector)


def test_times_are_written_in_words():
    assert clock.duration_words(3 * H + timedelta(minutes=20)) == "3 hours 20 minutes"
    assert clock.duration_words(timedelta(minutes=1)) == "1 minute"
    assert clock.duration_words(49 * H) == "2 days 1 hour"
    assert clock.duration_words(H) == "1 hour"
    none = selectors.WeekFigures(date(2026, 11, 30), 0, 0, None, None, 0, 0)
    assert none.median_words == none.p90_words == ""


# --- The page, its exports and the API -----------------------------------------------------------------


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_report_page_shows_the_figures_in_words_and_exports_each_table(referrals, signed_in):
    client, _ = signed_in(username="reportinsp2", roles=("inspector",), team="CMD")

    page = client.get("/referrals/report/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Time to share child concern referrals" in html
    assert "18 hours 36 minutes" in html  # the 90th percentile over the 12 weeks
    assert 'data-chart="times-data"' in html
    assert 'id="backlog-data"' in html
    assert "govuk-table__cell--numeric" in html
    assert 'href="?format=csv&amp;table=weeks"' in html
    weeks = _rows(client.get("/referrals/report/", {"format": "csv", "table": "weeks"}))
    assert weeks[0][:4] == ["Week beginning", "Raised", "Shared", "Median hours to share"]
    assert len(weeks) == 1 + 12
    assert weeks[-3] == ["2026-06-01", "3", "3", "4.0", "20.0", "1", "0"]
    assert weeks[-1] == ["2026-06-15", "2", "1", "6.0", "6.0", "0", "2"]
    teams = _rows(client.get("/referrals/report/", {"format": "csv", "table": "teams"}))
    assert [r[1:] for r in teams[1:]] == [["5", "3", "4.0", "5.6", "1", "2"], ["2", "1", "24.0", "24.0", "1", "0"]]
    by_team_week = _rows(client.get("/referrals/report/", {"format": "csv", "table": "team-weeks"}))
    assert len(by_team_week) == 1 + 2 * 12
    assert client.get("/referrals/report/", {"format": "csv", "table": "nothing"}).status_code == 404
    filtered = _rows(client.get("/referrals/report/", {"format": "csv", "table": "weeks", "team": "RESP-B"}))
    assert filtered[-3][1:3] == ["1", "1"]


def test_the_queue_links_to_the_report_for_those_who_may_see_it(referrals, signed_in, client):
    client, _ = signed_in(username="reportinsp2", roles=("inspector",), team="CMD")
    assert b'href="/referrals/report/"' in client.get("/referrals/queue/").content


def test_the_report_page_is_not_found_without_the_permission(referrals, signed_in):
    client, _ = signed_in(username="crsuds2", roles=("supervisor",), team="CRSU")
    assert client.get("/referrals/queue/").status_code == 200
    assert b"/referrals/report/" not in client.get("/referrals/queue/").content
    assert client.get("/referrals/report/").status_code == 404
    assert client.get("/referrals/report/", {"format": "csv", "table": "weeks"}).status_code == 404


def test_the_report_api_gives_the_figures_in_minutes(referrals, signed_in):
    client, _ = signed_in(username="reportinsp2", roles=("inspector",), team="CMD")

    answer = client.get("/api/v1/referrals/report")

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["team"] == ""
    assert body["weeks"][-3] == {
        "week": "2026-06-01",
        "raised": 3,
        "shared": 3,
        "median_minutes": 240,
        "p90_minutes": 1200,
        "breaches": 1,
        "backlog": 0,
    }
    assert body["total"]["p90_minutes"] == 18 * 60 + 36
    assert [t["code"] for t in body["teams"]] == ["RESP-A", "RESP-B"]
    only_b = client.get("/api/v1/referrals/report", {"team": "RESP-B"}).json()
    assert only_b["team"] == "RESP-B"
    assert only_b["total"]["raised"] == 2


def test_the_report_api_is_refused_without_the_permission(referrals, signed_in):
    client, _ = signed_in(username="crsuds2", roles=("supervisor",), team="CRSU")
    # As every API route the caller's roles do not allow (haven/api/auth.py ``needs``): 403, naming the
    # permission, before anything is read. The page answers 404.
    error = assert_envelope(client.get("/api/v1/referrals/report"), 403, "forbidden")
    assert "referrals:report:view" in error["message"]
