"""The demo mail page: e-mail Haven sent through the `make run` mail sink, in demo mode only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from haven.core.mail import mail_user
from haven.demo import mailbox

pytestmark = pytest.mark.django_db


def test_the_demo_mail_page_lists_an_email_sent_through_the_sink_and_opens_it(
    sink: Path, signed_in: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client, user = signed_in()
    with django_capture_on_commit_callbacks(execute=True):  # sent once the notice is owed (the outbox)
        mail_user(to=user, subject="a test notice", body="Open it in Haven: http://127.0.0.1:8000/notifications/")

    listing = client.get("/demo/mail/")
    assert listing.status_code == 200
    rows = listing.content.decode()
    assert "a test notice" in rows
    assert user.email in rows

    [caught] = mailbox.messages(sink)
    opened = client.get(f"/demo/mail/{caught.name}/")
    assert opened.status_code == 200
    page = opened.content.decode()
    assert "a test notice" in page
    # The link in the message is a link on the page, so a demo can follow it.
    assert '<a href="http://127.0.0.1:8000/notifications/"' in page


def test_the_demo_mail_page_says_so_when_nothing_has_been_sent(sink: Path, signed_in: Any) -> None:
    client, _ = signed_in()
    assert 'data-testid="demo-mail-empty"' in client.get("/demo/mail/").content.decode()


def test_without_a_mail_sink_the_page_says_how_to_start_one(settings: Any, signed_in: Any) -> None:
    settings.HAVEN_DEMO_MAIL_DIR = ""
    client, _ = signed_in()
    assert 'data-testid="no-sink"' in client.get("/demo/mail/").content.decode()


@pytest.mark.parametrize("name", ["0000000000000000000-00000000", "..%2Fsecret_key", "secret_key"])
def test_a_message_that_is_not_there_is_not_found(sink: Path, signed_in: Any, name: str) -> None:
    client, _ = signed_in()
    assert client.get(f"/demo/mail/{name}/").status_code == 404


def test_outside_demo_mode_the_demo_mail_pages_do_not_exist(
    sink: Path, settings: Any, signed_in: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client, user = signed_in()
    with django_capture_on_commit_callbacks(execute=True):
        mail_user(to=user, subject="a test notice", body="Open it in Haven.")
    [caught] = mailbox.messages(sink)
    settings.DEMO_MODE = False
    assert client.get("/demo/mail/").status_code == 404
    assert client.get(f"/demo/mail/{caught.name}/").status_code == 404


def test_the_demo_mail_pages_are_for_signed_in_users(sink: Path, client: Any) -> None:
    response = client.get("/demo/mail/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_subject_folded_onto_the_next_line_reads_as_one_line(tmp_path: Path) -> None:
    raw = b"Subject:\r\n Haven (Demo Constabulary): warning notification\r\nTo: a@example.test\r\n\r\nHello\r\n"
    name = mailbox.save(tmp_path, raw)
    caught = mailbox.message(tmp_path, name)
    assert caught is not None
    assert caught.subject == "Haven (Demo Constabulary): warning notification"
    assert caught.body == "Hello\n"
