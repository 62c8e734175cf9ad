"""Haven runs as a least-privilege database role (docs/operations.md): the role ``make run`` gives the
web server and the worker (``haven.core.database.app_role_statements``) logs in as itself, not a
superuser, and cannot change or silence the s62 log. With INSERT on the log revoked from that real
role, a person read fails closed (DP-01), which only bites because the role is not a superuser.

These tests commit (``transaction=True``): the requests run on a connection that logs in as the
role, which sees only committed rows.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client

from haven.audit.models import AccessEvent
from haven.core.database import app_role_ensure, connection_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Committed tests empty every table afterwards: put back what the migrations seed (ranks …).
    pytest.mark.usefixtures("leave_database_as_found"),
]


def _role_name() -> str:
    # Roles belong to the whole server: one per test database, so parallel processes never share one.
    return f"haven_app_{connection.settings_dict['NAME']}"[:63]


@pytest.fixture
def app_role(transactional_db: Any) -> Iterator[dict[str, str]]:
    """The application role on the test database, made by the same statements as ``make run``'s."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("the test database user cannot create roles")
    role, password = _role_name(), secrets.token_urlsafe(16)
    owner_url = connection_url(connection.settings_dict)
    url = app_role_ensure(owner_url, role=role, password=password)
    try:
        yield {"role": role, "password": password, "url": url, "owner_url": owner_url}
    finally:
        with psycopg.connect(owner_url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"'.encode())  # its grants on this database
            conn.execute(f'DROP ROLE IF EXISTS "{role}"'.encode())


@pytest.fixture
def as_app_role(app_role: dict[str, str]) -> Iterator[dict[str, str]]:
    """Django's connection logs in as the application role until the test ends."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(USER=app_role["role"], PASSWORD=app_role["password"])
    try:
        yield app_role
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _refused(url: str, sql: str) -> str:
    """Run ``sql`` on a new connection to ``url``; the error PostgreSQL answered ('' if it ran)."""
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            conn.execute(sql.encode())
        except psycopg.Error as exc:
            return str(exc.sqlstate)
    return ""


@pytest.fixture
def reader(signed_in: Callable[..., tuple[Client, Any]], make_person: Callable[..., Any]) -> dict[str, Any]:
    client, user = signed_in(username="pc_leastpriv", roles=("inspector",))
    client.raise_request_exception = False  # answer as production does
    person = make_person("Lorna", "Leastprivilege", description="Green scarf")
    return {"client": client, "user": user, "person": person}


def test_the_application_role_is_no_superuser_and_cannot_touch_the_log_s_rules(app_role: dict[str, str]) -> None:
    url = app_role["url"]
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
            "WHERE rolname = current_user"
        ).fetchone()
    assert row == (app_role["role"], False, False, False, False)
    insufficient = "42501"  # insufficient_privilege; 42501 also for "must be owner of table"
    assert _refused(url, "UPDATE audit_accessevent SET query = 'x'") == insufficient
    assert _refused(url, "DELETE FROM audit_accessevent") == insufficient
    assert _refused(url, "TRUNCATE audit_accessevent") == insufficient
    assert _refused(url, "TRUNCATE people_person CASCADE") == insufficient
    assert _refused(url, "ALTER TABLE audit_accessevent DISABLE TRIGGER ALL") == insufficient
    assert _refused(url, "DROP TABLE audit_accessevent") == insufficient
    assert _refused(url, "CREATE TABLE haven_scratch (id int)") == insufficient
    assert _refused(url, "SET session_replication_role = replica") == insufficient
    owner = connection.settings_dict["USER"]
    assert _refused(url, f'SET ROLE "{owner}"') == insufficient  # nor become the owner
    assert _refused(url, "DELETE FROM audit_accessevent_default") == insufficient  # nor round the back, via a partition


def test_dp01_a_person_read_fails_closed_when_the_real_application_role_may_not_insert_into_the_log(
    app_role: dict[str, str], reader: dict[str, Any], as_app_role: dict[str, str]
) -> None:
    with psycopg.connect(app_role["owner_url"], autocommit=True) as conn:
        conn.execute(f'REVOKE INSERT ON audit_accessevent FROM "{app_role["role"]}"'.encode())
    client, person = reader["client"], reader["person"]
    page = client.get(f"/people/{person.public_id}/")
    api = client.get(f"/api/v1/people/{person.public_id}")
    assert (page.status_code, api.status_code) == (500, 500)
    for response in (page, api):
        body = response.content.decode()
        assert person.surname not in body
        assert str(person.public_id) not in body
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role["role"]  # the requests ran as the role, not the owner
    assert not AccessEvent.objects.filter(actor=reader["user"]).exists()


def test_the_application_role_reads_a_person_and_logs_it(
    app_role: dict[str, str], reader: dict[str, Any], as_app_role: dict[str, str]
) -> None:
    """The control: the same role, with the grants make run gives it, serves the page and logs it."""
    client, person = reader["client"], reader["person"]
    response = client.get(f"/people/{person.public_id}/")
    assert response.status_code == 200
    assert person.surname in response.content.decode()
    assert AccessEvent.objects.filter(actor=reader["user"], person_ids__contains=[person.public_id]).exists()


def test_the_worker_s_partition_job_works_as_the_application_role(as_app_role: dict[str, str]) -> None:
    """The daily job makes the log's next months through the owner's one-purpose function."""
    from haven.audit.partitions import add_months, month_start, partition_name, partitions_ensure, partitions_list
    from haven.core import clock

    outcome = partitions_ensure(months_ahead=5)
    months = [partition_name(add_months(month_start(clock.now()), n)) for n in range(6)]
    assert set(months) <= set(partitions_list())
    assert set(months) == set(outcome.created) | set(outcome.existing)
