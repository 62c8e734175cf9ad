"""Self-monitoring for auditors and DPOs: who accessed a person or case, what a user accessed (DP-02)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from haven.audit.choices import JustificationKind, Operation
from haven.audit.models import AccessEvent
from haven.audit.services import access_event_record

pytestmark = pytest.mark.django_db

PERSON = uuid.UUID("11111111-1111-4111-8111-111111111111")
CASE = uuid.UUID("22222222-2222-4222-8222-222222222222")


@pytest.fixture
def auditor(signed_in: Callable[..., tuple[Client, Any]]) -> tuple[Client, Any]:
    return signed_in(username="dpo", roles=("auditor",))


@pytest.fixture
def history(make_user: Callable[..., Any], clock: Any) -> dict[str, Any]:
    """pc_jones looked at PERSON on 2 March and disclosed CASE on 5 March; pc_other looked at someone else."""
    jones = make_user("pc_jones", mfa=False)
    other = make_user("pc_other", mfa=False)
    clock.freeze(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    viewed = access_event_record(
        actor=jones,
        operation=Operation.CONSULTATION,
        person_ids=[PERSON, uuid.uuid4()],
        query="=smith",
        justification_kind=JustificationKind.TEAM,
        justification="Their team's case.",
    )
    clock.freeze(datetime(2026, 3, 5, 10, 0, tzinfo=UTC))
    disclosed = access_event_record(
        actor=jones,
        operation=Operation.DISCLOSURE,
        person_ids=[PERSON],
        case_ids=[CASE],
        recipients=[{"name": "J Bloggs", "organisation": "Children's services"}],
        channel="secure email",
        justification_kind=JustificationKind.ALLOCATED,
        justification="Allocated to them.",
    )
    access_event_record(actor=other, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4()])
    clock.reset()
    return {"viewed": viewed, "disclosed": disclosed, "jones": jones}


def _day(name: str, day: int, month: int, year: int = 2026) -> dict[str, str]:
    """What the GOV.UK date input posts for ``day``/``month``/``year`` in field ``name``."""
    return {f"{name}-day": str(day), f"{name}-month": str(month), f"{name}-year": str(year)}


def _reads_by(user: Any) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(actor=user).order_by("id"))


REFUSED_URLS = [
    "/audit/",
    f"/audit/?person={PERSON}",
    f"/audit/export.csv?person={PERSON}",
    "/audit/alerts/",
    "/audit/people/",
    "/audit/people/?name=Smith",
    "/audit/subject-access/",
    f"/audit/subject-access/?person={PERSON}",
    f"/audit/subject-access/{PERSON}/",
    f"/audit/subject-access/{PERSON}/?format=csv",
    f"/audit/subject-access/{PERSON}/print/",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_dp02_the_log_pages_answer_404_to_a_user_without_the_auditor_role(
    signed_in: Callable[..., tuple[Client, Any]], history: dict[str, Any], url: str
) -> None:
    client, user = signed_in(roles=("inspector",))
    response = client.get(url)
    assert response.status_code == 404
    assert PERSON.hex not in response.content.decode().replace("-", "")
    assert _reads_by(user) == []


def test_dp02_who_accessed_this_person_lists_every_event_naming_them(
    auditor: tuple[Client, Any], history: dict[str, Any]
) -> None:
    client, _ = auditor
    response = client.get("/audit/", {"person": str(PERSON)})
    assert response.status_code == 200
    assert list(response.context["events"]) == [history["disclosed"], history["viewed"]]
    page = response.content.decode()
    assert "pc_jones" in page
    assert "J Bloggs" in page
    assert "pc_other" not in page


def test_dp02_who_accessed_this_case_lists_the_events_naming_it(
    auditor: tuple[Client, Any], history: dict[str, Any]
) -> None:
    client, _ = auditor
    response = client.get("/audit/", {"case": str(CASE)})
    assert list(response.context["events"]) == [history["disclosed"]]


def test_dp02_what_did_this_user_access_is_filterable_by_date(
    auditor: tuple[Client, Any], history: dict[str, Any]
) -> None:
    client, _ = auditor
    everything = client.get("/audit/", {"user": "pc_jones"})
    assert list(everything.context["events"]) == [history["disclosed"], history["viewed"]]
    first_days = client.get("/audit/", {"user": "PC_JONES", **_day("since", 1, 3), **_day("until", 3, 3)})
    assert list(first_days.context["events"]) == [history["viewed"]]
    later = client.get("/audit/", {"user": "pc_jones", **_day("since", 5, 3)})
    assert list(later.context["events"]) == [history["disclosed"]]


def test_dp02_a_renamed_user_is_still_found_by_their_old_and_new_names(
    auditor: tuple[Client, Any], history: dict[str, Any]
) -> None:
    client, _ = auditor
    jones = history["jones"]
    jones.username = "pc_smith"
    jones.save()
    for name in ("pc_jones", "pc_smith"):
        assert len(client.get("/audit/", {"user": name}).context["events"]) == 2


def test_dp02_reading_the_log_is_itself_logged_as_a_consultation(
    auditor: tuple[Client, Any], history: dict[str, Any]
) -> None:
    client, dpo = auditor
    client.get("/audit/", {"person": str(PERSON), **_day("since", 1, 3)})
    (read,) = _reads_by(dpo)
    assert read.operation == Operation.CONSULTATION
    assert read.person_ids == [PERSON]
    assert read.justification_kind == JustificationKind.STATED
    assert "s62(4)" in read.justification
    assert read.detail["s62_log"]["person"] == str(PERSON)
    assert read.detail["rows"] == 2
    assert read.request_id


def test_the_search_form_without_a_person_case_or_user_shows_an_error_and_logs_nothing(
    auditor: tuple[Client, Any], history: dict[str, Any]
) -> None:
    client, dpo = auditor
    response = client.get("/audit/", _day("since", 1, 3))
    assert response.status_code == 200
    assert "Enter a person, a case or a user." in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert _reads_by(dpo) == []


def test_an_invalid_person_id_is_an_error_on_the_form(auditor: tuple[Client, Any]) -> None:
    client, _ = auditor
    response = client.get("/audit/", {"person": "not-an-id"})
    assert "Enter a Haven id" in response.content.decode()


def test_the_opening_page_shows_the_form_and_logs_nothing(auditor: tuple[Client, Any]) -> None:
    client, dpo = auditor
    response = client.get("/audit/")
    assert response.status_code == 200
    assert response.context["events"] is None
    assert _reads_by(dpo) == []


def test_dp02_the_csv_export_holds_every_matching_event_and_is_logged_as_a_disclosure_to_the_auditor(
    auditor: tuple[Client, Any], history: dict[str, Any]
) -> None:
    client, dpo = auditor
    response = client.get("/audit/export.csv", {"person": str(PERSON)})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["event_id"] for r in rows] == [str(history["disclosed"].public_id), str(history["viewed"].public_id)]
    disclosed, viewed = rows
    assert disclosed["operation"] == "disclosure"
    assert disclosed["username"] == "pc_jones"
    assert disclosed["case_ids"] == str(CASE)
    assert disclosed["recipients"] == "name: J Bloggs, organisation: Children's services"
    assert disclosed["channel"] == "secure email"
    assert disclosed["justification_kind"] == "allocated"
    assert disclosed["occurred_at"] == "2026-03-05T10:00:00+00:00"
    assert viewed["query"] == "'=smith"  # free text cannot become a spreadsheet formula
    assert PERSON.hex[:8] in viewed["person_ids"]
    (export,) = _reads_by(dpo)
    assert export.operation == Operation.DISCLOSURE
    assert export.channel == "csv"
    assert export.recipients[0]["name"] == "dpo"
    assert export.detail["rows"] == 2


def test_dp02_the_log_is_filtered_by_kind_of_processing(auditor: tuple[Client, Any], history: dict[str, Any]) -> None:
    client, dpo = auditor
    response = client.get("/audit/", {"person": str(PERSON), "operation": "disclosure"})
    assert list(response.context["events"]) == [history["disclosed"]]
    (read,) = _reads_by(dpo)
    assert read.detail["s62_log"]["operation"] == "disclosure"


def test_the_log_shows_who_by_name_and_finds_a_user_by_their_name(
    auditor: tuple[Client, Any], history: dict[str, Any]
) -> None:
    jones = history["jones"]
    jones.first_name, jones.last_name = "Tom", "Jones"
    jones.save()
    client, _ = auditor
    for asked in ("Tom Jones", "tom  jones", "PC Tom Jones", "pc_jones"):
        response = client.get("/audit/", {"user": asked})
        assert list(response.context["events"]) == [history["disclosed"], history["viewed"]], asked
    who = response.content.decode()
    assert "PC Tom Jones" in who


def test_the_log_is_paged_and_each_page_is_logged(auditor: tuple[Client, Any], make_user: Callable[..., Any]) -> None:
    from haven.audit.views import PAGE_SIZE

    busy = make_user("pc_busy", mfa=False)
    made = [
        access_event_record(actor=busy, operation=Operation.CONSULTATION, person_ids=[PERSON])
        for _ in range(PAGE_SIZE + 3)
    ]
    client, dpo = auditor
    # By user, not by person: the auditor's own reads name the person, and would join the list.
    first = client.get("/audit/", {"user": "pc_busy"})
    second = client.get("/audit/", {"user": "pc_busy", "page": "2"})
    assert first.context["total"] == PAGE_SIZE + 3
    assert list(first.context["events"]) == made[::-1][:PAGE_SIZE]
    assert list(second.context["events"]) == made[::-1][PAGE_SIZE:]
    assert "Page 1 of 2" in first.content.decode()
    assert "page=2" in first.context["next"]
    assert second.context["next"] == ""
    assert "page=" not in second.context["query"]  # the CSV link downloads every page
    assert [r.detail["rows"] for r in _reads_by(dpo)] == [PAGE_SIZE, 3]


@pytest.fixture
def register(make_person: Callable[..., Any]) -> dict[str, Any]:
    from datetime import date

    return {
        "zoe": make_person("Zoë", "O'Brien-Smith", date_of_birth=date(2011, 5, 3)),
        "zoe_twin": make_person("Zoe", "Obrien Smith", date_of_birth=date(2011, 5, 4)),
        "other": make_person("Adam", "Smithers", date_of_birth=date(1980, 1, 1)),
    }


def test_dp02_an_auditor_finds_a_person_by_name_and_date_of_birth_and_the_search_is_logged(
    auditor: tuple[Client, Any], register: dict[str, Any]
) -> None:
    client, dpo = auditor
    response = client.get("/audit/people/", {"name": "zoe obrien", **_day("date_of_birth", 3, 5, 2011)})
    assert response.status_code == 200
    assert [p.public_id for p in response.context["found"]] == [register["zoe"].public_id]
    page = response.content.decode()
    assert "Zoë O&#x27;Brien-Smith" in page
    assert f"/audit/?person={register['zoe'].public_id}" in page
    assert f"/audit/subject-access/{register['zoe'].public_id}/" in page
    (read,) = _reads_by(dpo)
    assert read.operation == Operation.CONSULTATION
    assert read.person_ids == [register["zoe"].public_id]
    assert read.query == "name: zoe obrien; born: 2011-05-03"
    assert "s62(4)" in read.justification


def test_a_name_alone_finds_everyone_so_named_accents_and_apostrophes_folded(
    auditor: tuple[Client, Any], register: dict[str, Any]
) -> None:
    client, _ = auditor
    response = client.get("/audit/people/", {"name": "ZOE O’BRIEN"})
    assert {p.public_id for p in response.context["found"]} == {
        register["zoe"].public_id,
        register["zoe_twin"].public_id,
    }


def test_finding_a_person_without_a_name_or_with_a_wrong_date_shows_the_errors_and_logs_nothing(
    auditor: tuple[Client, Any], register: dict[str, Any]
) -> None:
    client, dpo = auditor
    blank = client.get("/audit/people/", {"name": "  "}).content.decode()
    assert "govuk-error-summary" in blank
    assert "Enter the person&#x27;s name" in blank
    wrong = client.get("/audit/people/", {"name": "Zoe", **_day("date_of_birth", 31, 2, 2011)}).content.decode()
    assert "The date of birth must be a real date" in wrong
    assert _reads_by(dpo) == []


def test_the_log_of_a_person_chosen_by_name_says_who_they_are(
    auditor: tuple[Client, Any], register: dict[str, Any]
) -> None:
    client, _ = auditor
    zoe = register["zoe"]
    response = client.get("/audit/", {"person": str(zoe.public_id)})
    assert "Zoë O&#x27;Brien-Smith, born 3 May 2011" in response.content.decode()


def test_the_access_log_appears_in_the_navigation_for_auditors_only(
    signed_in: Callable[..., tuple[Client, Any]], client: Client
) -> None:
    auditor_client, _ = signed_in(username="dpo", roles=("auditor",))
    assert 'href="/audit/"' in auditor_client.get("/").content.decode()
    client.logout()
    officer_client, _ = signed_in(username="officer", roles=("inspector",))
    assert 'href="/audit/"' not in officer_client.get("/").content.decode()


# --- Alerts ---------------------------------------------------------------------------------


def test_dp02_a_user_consulting_more_than_the_policy_limit_of_people_in_an_hour_is_an_alert(
    auditor: tuple[Client, Any], make_user: Callable[..., Any], clock: Any
) -> None:
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    admin = make_user("policy_admin", roles=("administrator",), mfa=False)
    policy_set(
        actor=admin,
        setting=registry.get("audit.alert_people_per_hour"),
        data=PolicySetIn(value=3, reason="Tighter for the pilot"),
    )
    trawler = make_user("pc_trawl", mfa=False)
    careful = make_user("pc_careful", mfa=False)
    clock.travel(-timedelta(hours=2))
    clock.freeze(clock.now().replace(minute=5))
    access_event_record(actor=trawler, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4() for _ in range(2)])
    clock.travel(timedelta(minutes=10))
    access_event_record(actor=trawler, operation=Operation.CONSULTATION, person_ids=[uuid.uuid4() for _ in range(2)])
    same = uuid.uuid4()
    for _ in range(5):
        access_event_record(actor=careful, operation=Operation.CONSULTATION, person_ids=[same])
    clock.reset()
    client, _ = auditor
    response = client.get("/audit/alerts/")
    assert response.status_code == 200
    alerts = response.context["alerts"]
    assert [(a.kind, a.username) for a in alerts] == [("many_people", "pc_trawl")]
    assert "Consulted 4 people" in response.content.decode()


def test_breaking_the_glass_is_an_alert_for_auditors(
    auditor: tuple[Client, Any], make_user: Callable[..., Any]
) -> None:
    officer = make_user("pc_glass", mfa=False)
    access_event_record(
        actor=officer,
        operation=Operation.CONSULTATION,
        case_ids=[CASE],
        justification_kind=JustificationKind.BREAK_GLASS,
        justification="Child missing tonight, need the refuge address",
    )
    client, dpo = auditor
    response = client.get("/audit/alerts/")
    (alert,) = response.context["alerts"]
    assert alert.kind == "break_glass"
    assert alert.case_ids == [CASE]
    assert "need the refuge address" in response.content.decode()
    assert [e.operation for e in _reads_by(dpo)] == [Operation.CONSULTATION]
