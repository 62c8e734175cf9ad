"""The force policy pages: administrators see and change settings; everyone else gets 404."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.accounts.tests.pages import error_summary, inputs
from haven.policy import registry
from haven.policy.models import PolicyChange
from haven.policy.selectors import policy_value

pytestmark = pytest.mark.django_db


def test_the_policy_page_lists_each_setting_with_its_value_and_no_rule_id(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    page = client.get("/policy/").content.decode()
    assert "Review after" in page
    assert "6 h" in page
    assert "M-04" not in page  # rule ids are for the code and the API, not people's pages


def test_changing_a_duration_in_hours_and_minutes_saves_it_with_the_reason(settings_registered, signed_in):
    client, admin = signed_in(roles=("administrator",))
    form = client.get("/policy/tests.review_after/")
    assert [i["value"] for i in inputs(form, "value")] == ["6"]  # hours
    assert [i["value"] for i in inputs(form, "minutes")] == ["0"]
    assert [i["inputmode"] for i in inputs(form, "value") + inputs(form, "minutes")] == ["numeric", "numeric"]
    response = client.post(
        "/policy/tests.review_after/", {"value": "1", "minutes": "30", "reason": "Inspection recommendation 4"}
    )
    assert response.status_code == 302
    assert policy_value(registry.get("tests.review_after")) == timedelta(minutes=90)
    change = PolicyChange.objects.get()
    assert (change.actor, change.reason, change.new_display) == (admin, "Inspection recommendation 4", "1 h 30 min")
    history = client.get("/policy/history/").content.decode()
    assert "1 h 30 min" in history
    assert ">Review after</a>" in history  # the setting's name, not its key


def test_a_bad_value_shows_the_error_summary_and_keeps_what_was_typed(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    response = client.post("/policy/tests.review_after/", {"value": "", "minutes": "2", "reason": "Faster reviews"})
    assert response.status_code == 422
    assert error_summary(response) == [("#id_value", "Enter 5 minutes or more")]
    assert "Faster reviews" in response.content.decode()
    assert response.content.decode().count("Error:") >= 2  # the title and the field's message
    assert not PolicyChange.objects.exists()


@pytest.mark.parametrize(
    ("hours", "minutes", "summary"),
    [
        ("", "", [("#id_value", "Enter the review after in hours and minutes")]),
        ("two", "0", [("#id_value", "Enter the hours of the review after as a whole number from 0 to 1440, like 2")]),
        ("1", "75", [("#id_minutes", "Enter the minutes of the review after as a whole number from 0 to 59, like 30")]),
    ],
)
def test_hours_and_minutes_that_cannot_be_read_are_explained_on_their_box(
    settings_registered, signed_in, hours, minutes, summary
):
    client, _ = signed_in(roles=("administrator",))
    response = client.post("/policy/tests.review_after/", {"value": hours, "minutes": minutes, "reason": ""})
    assert response.status_code == 422
    assert error_summary(response) == [*summary, ("#id_reason", "Give the reason for the change")]
    assert not PolicyChange.objects.exists()


def _ladder_post(*steps: tuple[str, str, str, str], **extra: str) -> dict[str, str]:
    """What the browser posts for rows of (hours, minutes, before/after, who)."""
    data = {"row_count": str(len(steps)), "reason": "Board decision", **extra}
    for n, (hours, minutes, when, who) in enumerate(steps):
        data |= {f"row-{n}-at-hours": hours, f"row-{n}-at-minutes": minutes, f"row-{n}-at-when": when}
        data[f"row-{n}-who"] = who
    return data


def test_a_ladder_is_edited_as_rows_of_fields_never_as_json(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    page = client.get("/policy/tests.ladder/")
    body = page.content.decode()
    assert body.count("<textarea") == 1  # no JSON box: the only text area is the reason's
    assert "JSON" not in body
    assert [i["value"] for i in inputs(page, "row-0-at-hours")] == ["1"]
    assert 'name="row-0-at-when"' in body
    assert "Add another step" in body

    response = client.post(
        "/policy/tests.ladder/",
        _ladder_post(("0", "30", "after", "inspector"), ("2", "0", "before", "supervisor")),
    )

    assert response.status_code == 302
    assert policy_value(registry.get("tests.ladder")) == [
        {"at": -120, "who": "supervisor"},
        {"at": 30, "who": "inspector"},
    ]
    assert PolicyChange.objects.get().reason == "Board decision"  # audited like every change


def test_add_another_and_remove_rearrange_the_rows_without_saving_or_errors(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    added = client.post("/policy/tests.ladder/", _ladder_post(("1", "0", "before", "supervisor"), add_row="1"))
    assert added.status_code == 200
    assert len(inputs(added, "row-1-at-hours")) == 1
    assert [i["value"] for i in inputs(added, "row-0-at-hours")] == ["1"]  # what was typed is kept
    assert error_summary(added) == []
    removed = client.post(
        "/policy/tests.ladder/",
        _ladder_post(("1", "0", "before", "supervisor"), ("0", "0", "after", "inspector"), remove_row="0"),
    )
    assert [i["value"] for i in inputs(removed, "row-0-at-hours")] == ["0"]
    assert inputs(removed, "row-1-at-hours") == []
    assert not PolicyChange.objects.exists()
    full = client.post("/policy/tests.ladder/", _ladder_post(*[("1", "0", "before", "supervisor")] * 3))
    assert "Add another step" not in full.content.decode()  # at most max_rows


def test_a_row_that_cannot_be_read_is_explained_on_its_field(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    response = client.post(
        "/policy/tests.ladder/", _ladder_post(("1", "0", "before", "supervisor"), ("x", "0", "after", ""))
    )
    assert response.status_code == 422
    assert error_summary(response) == [
        ("#id_row-1-at-hours", "Enter the hours of the time of step 2 as a whole number from 0 to 1440, like 2"),
        ("#id_row-1-who", "Choose who is told for step 2"),
    ]
    assert not PolicyChange.objects.exists()


def test_the_settings_own_rule_about_the_whole_list_links_to_its_first_field(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    response = client.post(
        "/policy/tests.ladder/",
        _ladder_post(("1", "0", "before", "supervisor"), ("1", "0", "before", "inspector")),
    )
    assert response.status_code == 422
    assert error_summary(response) == [
        ("#id_row-0-at-hours", "Two steps have the same time: give each step its own time.")
    ]
    assert not PolicyChange.objects.exists()


def test_a_list_of_roles_is_edited_as_checkboxes(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    page = client.get("/policy/tests.roles/")
    boxes = inputs(page, "value")
    assert [(b["value"], "checked" in b) for b in boxes] == [("alpha", True), ("beta", False), ("gamma", False)]
    response = client.post("/policy/tests.roles/", {"value": ["alpha", "gamma"], "reason": "Gamma joins"})
    assert response.status_code == 302
    assert policy_value(registry.get("tests.roles")) == ["alpha", "gamma"]
    refused = client.post("/policy/tests.roles/", {"value": ["beta"], "reason": "No alpha"})
    assert refused.status_code == 422
    assert error_summary(refused) == [("#id_value_0", "Alpha must always be one of them.")]


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
