"""Fault injection: what Haven does when what it stands on fails, and that it recovers.

- PostgreSQL drops the connection in the middle of a request (``pg_terminate_backend`` on the
  request's own backend, while it waits inside its transaction): the request fails cleanly, nothing
  it wrote is kept, and the next request succeeds. Only that one backend is ended: the test server
  the other test processes use stays up.
- The worker is killed mid-job: ``haven/deadlines/tests/test_worker_killed.py`` (SIGKILL while it
  holds a deadline; the next worker catches up, exactly once).
- The mail server is down for an hour: every e-mail owed stays owed, and is sent once it is back.
- The photo store is full (photographs live in PostgreSQL: ``people_personphoto.image``): the
  database answers ``disk_full`` as PostgreSQL does when it cannot extend a file; the upload fails
  with the error page, and no row of it is left behind.
"""

from __future__ import annotations

import importlib
import io
import json
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from django.apps import apps
from django.db import connection, connections
from django.test import Client

from haven.core.database import connection_url
from haven.core.models import OutgoingEmail
from haven.core.tasks import outbox

# The core's tests sit below every app (import-linter's layers): the apps' models and modules are
# reached by name, as the running application would find them.
AccessEvent = apps.get_model("audit", "AccessEvent")

pytestmark = pytest.mark.django_db

CHAIN_LOCK_SQL = "SELECT pg_advisory_lock(%s)"


# --- PostgreSQL ends the request's connection mid-request ---------------------------------------


def _wait_for_backend_blocked_on_the_log(owner: psycopg.Connection[Any], timeout: float = 20.0) -> int:
    """The pid of the backend waiting for the s62 log's chain lock (held by ``owner``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = owner.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid <> pg_backend_pid()"
        ).fetchone()
        if row:
            return int(row[0])
        time.sleep(0.05)
    raise AssertionError("the request never reached the s62 log")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("leave_database_as_found")  # put back what the migrations seed (ranks …)
def test_postgresql_dropping_the_connection_mid_request_fails_it_cleanly_and_the_next_succeeds(
    signed_in: Callable[..., tuple[Client, Any]],
) -> None:
    chain = importlib.import_module("haven.audit.chain")
    Person = apps.get_model("people", "Person")  # noqa: N806 - a model

    client, user = signed_in(username="pc_faults", roles=("investigator",))
    client.raise_request_exception = False  # answer as production does: the error page
    body = {"forenames": "Tamsin", "surname": "Terminated", "date_of_birth": "2012-03-04"}
    answers: dict[str, Any] = {}

    def create() -> None:  # its own thread, so its own connection (backend), as a server worker has
        try:
            answers["response"] = client.post("/api/v1/people", json.dumps(body), content_type="application/json")
        finally:
            connections.close_all()

    with psycopg.connect(connection_url(connection.settings_dict), autocommit=True) as owner:
        owner.execute(CHAIN_LOCK_SQL, [chain.CHAIN_LOCK])  # the request will wait at its s62 row…
        request = threading.Thread(target=create)
        request.start()
        pid = _wait_for_backend_blocked_on_the_log(owner)  # …after writing the person, inside its transaction
        assert owner.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        request.join(30)
        owner.execute("SELECT pg_advisory_unlock_all()")
    assert not request.is_alive()
    failed = answers["response"]
    assert failed.status_code == 500
    assert failed.json()["error"]["code"] == "server_error"
    assert not Person.objects.filter(surname="Terminated").exists()  # nothing half-written
    assert not AccessEvent.objects.filter(actor=user, operation="collection").exists()

    again = client.post("/api/v1/people", json.dumps(body), content_type="application/json")
    assert again.status_code == 201, again.content
    assert Person.objects.filter(surname="Terminated").count() == 1
    assert AccessEvent.objects.filter(actor=user, operation="collection").count() == 1


# --- The mail server is down for an hour --------------------------------------------------------


def test_e_mail_owed_while_the_mail_server_is_down_for_an_hour_is_sent_when_it_is_back(
    settings: Any,
    mailbox: list[Any],
    clock: Any,
    ranks: dict[str, Any],
    make_case: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    services = importlib.import_module("haven.notifications.services")

    working = settings.MAILERS
    with socket_closed() as port:  # a port nothing listens on: "connection refused", as a dead server
        settings.MAILERS = {"default": {**working["default"], "OPTIONS": {"host": "127.0.0.1", "port": port}}}
        case = make_case(ranks["officer"])
        with django_capture_on_commit_callbacks(execute=True):
            told = [
                services.notification_send(
                    recipient=ranks[who], subject=f"Review {case.reference}", body="", case=case, link="/"
                )
                for who in ("sergeant", "inspector", "officer")
            ]
        for _ in range(12):  # the outbox job, every few minutes for an hour, all failing
            clock.travel(timedelta(minutes=5))
            assert outbox(int(clock.now().timestamp())) == 0
        owed = OutgoingEmail.objects.filter(context__notification__in=[n.pk for n in told])
        assert owed.filter(pending=True).count() == 3  # nothing lost…
        assert all(e.error and e.attempts >= 12 for e in owed)  # …and each says why, and how often it was tried
        assert mailbox == []
    settings.MAILERS = working  # the server is back
    clock.travel(timedelta(minutes=1))
    assert outbox(int(clock.now().timestamp())) == 3
    assert sorted(m["To"] for m in mailbox) == sorted(ranks[w].email for w in ("sergeant", "inspector", "officer"))
    assert not owed.filter(pending=True).exists()
    assert sorted(owed.values_list("address", flat=True)) == sorted(m["To"] for m in mailbox)  # who it went to
    assert outbox(int(clock.now().timestamp())) == 0  # sent once, never twice


class socket_closed:  # noqa: N801 - used as a context manager, like a function
    """A loopback port that was free a moment ago and now refuses connections."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        return None


# --- The photo store is full ---------------------------------------------------------------------


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 80), (40, 120, 90)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_upload_when_the_photo_store_is_full_fails_clearly_and_leaves_no_row(
    signed_in: Callable[..., tuple[Client, Any]], make_person: Callable[..., Any]
) -> None:
    PersonPhoto = apps.get_model("people", "PersonPhoto")  # noqa: N806 - a model

    client, user = signed_in(username="pc_diskfull", roles=("investigator",))
    client.raise_request_exception = False
    person = make_person("Dora", "Diskfull", actor=user)
    before = AccessEvent.objects.count()
    person.refresh_from_db()
    updated = person.updated_at
    with connection.cursor() as cursor:  # the error PostgreSQL raises when it cannot extend the table's file
        cursor.execute(
            "CREATE FUNCTION haven_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION USING ERRCODE = 'disk_full', "
            "MESSAGE = 'could not extend file: No space left on device'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER haven_test_disk_full BEFORE INSERT OR UPDATE ON people_personphoto "
            "FOR EACH ROW EXECUTE FUNCTION haven_test_disk_full()"
        )
    upload = io.BytesIO(_jpeg())
    upload.name = "dora.jpg"
    response = client.post(f"/people/{person.public_id}/photo/upload/", {"photo": upload})
    assert response.status_code == 500
    page = response.content.decode()
    assert "Nothing you were saving has been half-saved" in page
    assert response["X-Request-ID"] in page  # the reference to quote to the service desk
    assert not PersonPhoto.objects.filter(person=person).exists()
    assert AccessEvent.objects.count() == before  # no s62 row for a photo that was never kept
    person.refresh_from_db()
    assert person.updated_at == updated
