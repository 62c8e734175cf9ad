"""The force policy pages: administrators see and change settings; everyone else gets 404."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.policy import registry
from haven.policy.models import PolicyChange
from haven.policy.selectors import policy_value

pytestmark = pytest.mark.django_db


def test_the_policy_page_lists_each_setting_with_its_value_and_rule(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    page = client.get("/policy/").content.decode()
    assert "Review after" in page
    assert "6 h" in page
    assert "Rule M-04" in page


def test_changing_a_duration_in_minutes_saves_it_with_the_reason(settings_registered, signed_in):
    client, admin = signed_in(roles=("administrator",))
    response = client.post("/policy/tests.review_after/", {"value": "45", "reason": "Inspection recommendation 4"})
    assert response.status_code == 302
    assert policy_value(registry.get("tests.review_after")) == timedelta(minutes=45)
    change = PolicyChange.objects.get()
    assert (change.actor, change.reason, change.new_display) == (admin, "Inspection recommendation 4", "45 min")
    assert "45 min" in client.get("/policy/history/").content.decode()


def test_a_bad_value_shows_the_error_summary_and_keeps_what_was_typed(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    response = client.post("/policy/tests.review_after/", {"value": "2", "reason": "Faster reviews please"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "govuk-error-summary" in page
    assert "Enter 5 minutes or more" in page
    assert "Faster reviews please" in page
    assert not PolicyChange.objects.exists()


def test_invalid_json_is_explained(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    response = client.post("/policy/tests.ladder/", {"value": "[1,", "reason": "x"})
    assert response.status_code == 422
    assert "This is not valid JSON" in response.content.decode()
    assert not PolicyChange.objects.exists()


def test_resetting_goes_back_to_the_default(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    client.post("/policy/tests.threshold/", {"value": "7", "reason": "Trial"})
    assert policy_value(registry.get("tests.threshold")) == 7
    response = client.post("/policy/tests.threshold/reset/", {"reason": "Trial over"})
    assert response.status_code == 302
    assert policy_value(registry.get("tests.threshold")) == 3


@pytest.mark.parametrize("path", ["/policy/", "/policy/history/", "/policy/tests.threshold/"])
def test_policy_pages_are_404_to_everyone_but_administrators(settings_registered, signed_in, path):
    client, _ = signed_in(roles=("inspector", "auditor"))
    assert client.get(path).status_code == 404
    assert client.post("/policy/tests.threshold/", {"value": "9", "reason": "x"}).status_code == 404
    assert policy_value(registry.get("tests.threshold")) == 3


def test_an_unknown_setting_is_404(signed_in):
    client, _ = signed_in(roles=("administrator",))
    assert client.get("/policy/no.such.setting/").status_code == 404
