"""The inbox names the child for readers allowed to see the case (resolved when shown, through
case_visible_to), and gives the case reference otherwise; the notification and its e-mail never name
anyone (DP-01)."""

from __future__ import annotations

import pytest

from haven.core.testing import sign_in
from haven.notifications import services
from haven.notifications.models import Notification


@pytest.fixture
def child(make_child):
    return make_child("Kayla", "Brookfield")


def _tell(user, case):
    return services.notification_send(
        recipient=user,
        subject=f"Urgent: risk review on case {case.reference} overdue by 5 min",
        body="Grade the risk.",
        case=case,
        link=f"/cases/{case.public_id}/",
        email=False,
    )


def test_the_inbox_names_the_child_for_a_reader_who_may_see_the_case(client, ranks, make_case, child):
    case = make_case(ranks["officer"], subject=child)
    _tell(ranks["sergeant"], case)
    sign_in(client, ranks["sergeant"])
    page = client.get("/notifications/").content.decode()
    assert 'data-testid="notification-about">Kayla Brookfield<' in page


def test_the_inbox_gives_only_the_reference_to_a_reader_who_may_not_see_the_case(client, ranks, make_case, child):
    case = make_case(ranks["officer"], subject=child, restricted=True)
    _tell(ranks["stranger"], case)
    sign_in(client, ranks["stranger"])
    page = client.get("/notifications/").content.decode()
    assert f'data-testid="notification-about">{case.reference}<' in page
    assert "Brookfield" not in page


def test_dp01_the_name_is_never_stored_nor_e_mailed(ranks, make_case, make_user, child):
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    admin = make_user("admin", roles=("administrator",), team=None)
    policy_set(
        actor=admin,
        setting=registry.get("notifications.email_text"),
        data=PolicySetIn(value=True, reason="Secure e-mail"),
    )
    notification = _tell(ranks["sergeant"], make_case(ranks["officer"], subject=child))
    stored = Notification.objects.get(pk=notification.pk)
    subject, body = services.email_content(stored)
    for text in (stored.subject, stored.body, subject, body):
        assert "Brookfield" not in text
