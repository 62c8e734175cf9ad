"""Honest home pages: partner and CRSU users learn where their work waits, custody users what is not in
Haven yet and where that work is done meanwhile; an analyst sees what an analyst can act on, not other
people's queues."""

from __future__ import annotations

import pytest

from haven.core.testing import sign_in


@pytest.mark.parametrize(
    ("role", "words"),
    [
        ("partner", "Acknowledge each within one working day"),
        ("crsu_officer", "wait for you in the CRSU queue"),
        ("custody_officer", "Record each child in custody here as the custody system shows them"),
        ("analyst", "merge duplicate person records"),
    ],
)
def test_each_role_s_home_says_what_haven_does_for_it_yet(client, make_user, role, words):
    sign_in(client, make_user(f"user_{role}", roles=(role,), team=None if role == "partner" else "UNIT"))
    home = client.get("/").content.decode().replace("&#x27;", "'")
    assert 'data-testid="role-notice"' in home
    assert words in home


def test_an_officer_s_home_has_no_role_notice(client, make_user):
    sign_in(client, make_user("pc", roles=("response_officer",), team="RESP"))
    assert 'data-testid="role-notice"' not in client.get("/").content.decode()
