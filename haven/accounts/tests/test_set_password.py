"""New users and forgotten passwords: an administrator's e-mailed link lets the user choose one."""

import re

from django.test import Client

from haven.accounts.models import User
from haven.core.outbox import outbox_send
from haven.core.testing import sign_in


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"http://[^\s]+/set-password/[^\s]+/", body)
    assert match, body
    return match.group(0).split("127.0.0.1:8000", 1)[1]


def test_a_user_added_by_an_administrator_is_emailed_a_link_and_can_then_sign_in(client, make_user, mailbox):
    sign_in(client, make_user("boss", roles=("administrator",)))
    response = client.post(
        "/administration/users/new/",
        {
            "username": "newpc",
            "first_name": "Nia",
            "last_name": "Price",
            "email": "Nia.Price@Example.test",
            "roles": ["response_officer"],
        },
    )
    assert response.status_code == 302
    new = User.objects.get(username="newpc")
    assert not new.has_usable_password()
    assert mailbox == [], "the e-mail goes through the outbox: the worker sends it"
    assert outbox_send() == 1
    assert [m["To"] for m in mailbox] == ["nia.price@example.test"]
    assert "Your username is newpc" in mailbox[0].get_body(preferencelist=("plain",)).get_content()

    newcomer = Client()
    form = newcomer.get(_link(mailbox[0]), follow=True)
    assert "Choose your password" in form.content.decode()
    done = newcomer.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "river-lantern-orchard-42",
            "new_password2": "river-lantern-orchard-42",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == "/sign-in/"

    response = newcomer.post("/sign-in/", {"username": "newpc", "password": "river-lantern-orchard-42"})
    assert response.status_code == 302
    assert newcomer.get("/")["Location"] == "/second-factor/", "a new user must enrol a second factor first"


def test_a_password_link_works_once_only(client, make_user, mailbox):
    sign_in(client, make_user("boss", roles=("administrator",)))
    officer = make_user("officer")
    client.post(f"/administration/users/{officer.public_id}/send-password-link/")
    outbox_send()
    link = _link(mailbox[-1])

    first = Client()
    form = first.get(link, follow=True)
    first.post(
        form.redirect_chain[-1][0],
        {"new_password1": "granite-meadow-violin-7", "new_password2": "granite-meadow-violin-7"},
    )

    again = Client().get(link, follow=True)
    assert "This link has expired" in again.content.decode()


def test_mismatched_passwords_show_the_error_summary_and_change_nothing(client, make_user, mailbox):
    sign_in(client, make_user("boss", roles=("administrator",)))
    officer = make_user("officer")
    before = User.objects.get(pk=officer.pk).password
    client.post(f"/administration/users/{officer.public_id}/send-password-link/")
    outbox_send()

    newcomer = Client()
    form = newcomer.get(_link(mailbox[-1]), follow=True)
    response = newcomer.post(
        form.redirect_chain[-1][0], {"new_password1": "granite-meadow-violin-7", "new_password2": "other"}
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "The passwords do not match" in response.content.decode()
    assert User.objects.get(pk=officer.pk).password == before


def test_only_an_administrator_can_send_a_password_link(client, make_user, mailbox):
    officer = make_user("officer")
    sign_in(client, make_user("sarge", roles=("supervisor",)))
    response = client.post(f"/administration/users/{officer.public_id}/send-password-link/")
    assert response.status_code == 403
    outbox_send()
    assert mailbox == []
