"""Fail closed at page level (DP-01): when the s62 log cannot be written, a person page or API read
answers an error and shows nothing of the person."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from haven.audit.models import AccessEvent
from haven.people.models import Person

pytestmark = pytest.mark.django_db

ROLE = "haven_test_no_log_insert_page"


def _can_create_roles() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


@pytest.fixture
def person(make_person: Callable[..., Person]) -> Person:
    return make_person("Fenella", "Closedshaw", description="Red coat")


@pytest.fixture
def log_insert_revoked(db: Any) -> Iterator[None]:
    """The application's database role, with everything but INSERT on the s62 log.

    SET ROLE inside the test's transaction: the requests the test client makes run on this same
    connection, and the transaction (with the role) is rolled back after the test.
    """
    if not _can_create_roles():
        pytest.skip("the test database user cannot create roles")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"REVOKE INSERT ON audit_accessevent FROM {ROLE}")
        cursor.execute(f"SET ROLE {ROLE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.fixture
def officer(signed_in: Callable[..., tuple[Client, Any]]) -> tuple[Client, Any]:
    client, user = signed_in(username="pc_closed", roles=("inspector",))
    client.raise_request_exception = False  # answer as production does: the error page
    return client, user


def _shows_nothing_of(person: Person, body: str) -> None:
    for value in (person.surname, person.forenames, person.description, str(person.public_id)):
        assert value not in body


def test_dp01_the_person_page_answers_an_error_and_shows_nothing_when_the_log_refuses_inserts(
    officer: tuple[Client, Any], person: Person, log_insert_revoked: None
) -> None:
    client, user = officer
    response = client.get(f"/people/{person.public_id}/")
    assert response.status_code == 500
    _shows_nothing_of(person, response.content.decode())
    assert not AccessEvent.objects.filter(actor=user).exists()


def test_dp01_the_person_api_answers_an_error_and_shows_nothing_when_the_log_refuses_inserts(
    officer: tuple[Client, Any], person: Person, log_insert_revoked: None
) -> None:
    client, user = officer
    response = client.get(f"/api/v1/people/{person.public_id}")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    _shows_nothing_of(person, response.content.decode())
    assert not AccessEvent.objects.filter(actor=user).exists()


def test_the_same_page_shows_the_person_when_the_log_can_be_written(
    officer: tuple[Client, Any], person: Person
) -> None:
    """The control: without the revoked INSERT the page shows the person and logs the read."""
    client, user = officer
    response = client.get(f"/people/{person.public_id}/")
    assert response.status_code == 200
    assert "Closedshaw" in response.content.decode()
    assert AccessEvent.objects.filter(actor=user, person_ids__contains=[person.public_id]).exists()
