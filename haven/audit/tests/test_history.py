"""Field-level change history (django-pghistory) for personal data, with actor and request id as
context (DP-02; haven.core.history, haven.audit.history)."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pghistory
import pghistory.models
import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from haven.audit.history import install_worker_context, worker_history_context

PERSON = ("people", "Person")
CASE = ("cases", "Case")


def _event_models_for(model: type[models.Model]) -> list[Any]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, pghistory.models.Event) and getattr(m, "pgh_tracked_model", None) is model
    ]


def _holds_person_or_case(model: type[models.Model]) -> bool:
    if (model._meta.app_label, model.__name__) in (PERSON, CASE):
        return True
    for f in model._meta.get_fields():
        if isinstance(f, models.ForeignKey | models.OneToOneField) and f.concrete:
            target = f.related_model._meta
            if (target.app_label, target.object_name) in (PERSON, CASE):
                return True
    return False


def _personal_data_models() -> list[type[models.Model]]:
    """Every Haven model (installed now, so new apps are walked too) that is or points at a Person or Case."""
    return sorted(
        (
            m
            for m in apps.get_models()
            if m.__module__.startswith("haven.")
            and not issubclass(m, pghistory.models.Event)
            and _holds_person_or_case(m)
        ),
        key=lambda m: m._meta.label,
    )


def test_the_walk_finds_person_and_case() -> None:
    labels = {m._meta.label for m in _personal_data_models()}
    assert {"people.Person", "cases.Case"} <= labels


@pytest.mark.parametrize("model", _personal_data_models(), ids=lambda m: m._meta.label)
def test_dp02_every_model_holding_a_person_or_case_keeps_history_with_delete_events(
    model: type[models.Model],
) -> None:
    """Decorate the model with haven.core.history.personal_data() and make its migration."""
    trackers = [t for event_model in _event_models_for(model) for t in getattr(event_model, "pgh_trackers", ())]
    kinds = {type(t) for t in trackers}
    missing = [
        name
        for name, kind in (
            ("insert", pghistory.InsertEvent),
            ("update", pghistory.UpdateEvent),
            ("delete", pghistory.DeleteEvent),
        )
        if kind not in kinds
    ]
    assert not missing, f"{model._meta.label} has no pghistory {', '.join(missing)} event: use @personal_data()"


# --- Context: the actor and the request id ---------------------------------------------------------


def _team_events(team: Any) -> list[Any]:
    from haven.accounts.models import Team

    (event_model,) = _event_models_for(Team)
    return list(event_model.objects.filter(pgh_obj=team).select_related("pgh_context").order_by("pgh_id"))


@pytest.mark.django_db
@pytest.mark.urls("haven.audit.tests.history_urls")
def test_dp02_a_change_made_during_a_request_records_the_actor_and_request_id(
    signed_in: Callable[..., tuple[Client, Any]],
) -> None:
    client, user = signed_in(username="pc_hist")
    team = user.team
    response = client.get(f"/test-history/{team.code}/", headers={"X-Request-ID": "req-history-0001"})
    assert response.status_code == 200
    update = _team_events(team)[-1]
    assert update.pgh_label == "update"
    assert update.name == "Renamed in a request"
    assert update.pgh_context.metadata == {
        "user": user.pk,
        "username": "pc_hist",
        "request_id": "req-history-0001",
        "url": f"/test-history/{team.code}/",
        "method": "GET",
    }


@pytest.mark.django_db
@pytest.mark.urls("haven.audit.tests.history_urls")
def test_dp02_a_user_signed_in_inside_the_view_is_the_recorded_actor(
    client: Client, make_user: Callable[..., Any]
) -> None:
    """API tokens sign the user in inside the view, after every middleware: the actor is read late."""
    user = make_user("pc_late", mfa=False)
    response = client.get(f"/test-history-late/{user.team.code}/?as=pc_late", headers={"X-Request-ID": "req-late-01"})
    assert response.status_code == 200
    metadata = _team_events(user.team)[-1].pgh_context.metadata
    assert (metadata["user"], metadata["username"], metadata["request_id"]) == (user.pk, "pc_late", "req-late-01")


def _person_events(public_id: str) -> list[Any]:
    person_model = apps.get_model(*PERSON)
    event_models = _event_models_for(person_model)
    if not event_models:
        pytest.skip("people.Person has no pghistory tracking yet (see the walk above)")
    person = person_model.objects.get(public_id=public_id)
    return list(event_models[0].objects.filter(pgh_obj=person).select_related("pgh_context").order_by("pgh_id"))


@pytest.mark.django_db
def test_dp02_a_person_created_through_the_api_with_a_token_records_the_actor_and_request_id(
    client: Client, make_user: Callable[..., Any]
) -> None:
    from haven.accounts import services
    from haven.accounts.schemas import TokenIn

    user = make_user("pc_token", roles=("call_handler",))
    token = TokenIn(name="history test", scopes=sorted(user.permissions))
    _, raw = services.api_token_create(actor=user, data=token)
    response = client.post(
        "/api/v1/people",
        data=json.dumps({"forenames": "Token", "surname": "Tracy"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}", "X-Request-ID": "req-history-0002"},
    )
    assert response.status_code == 201, response.content
    insert = _person_events(response.json()["id"])[0]
    assert insert.pgh_label == "insert"
    assert insert.pgh_context.metadata["user"] == user.pk
    assert insert.pgh_context.metadata["request_id"] == "req-history-0002"
    assert insert.pgh_context.metadata["method"] == "POST"


@pytest.mark.django_db
def test_dp02_a_change_made_by_a_worker_job_carries_the_worker_context(make_user: Callable[..., Any]) -> None:
    user = make_user("pc_w", mfa=False)
    job = SimpleNamespace(task=SimpleNamespace(name="accounts.tidy"), job=SimpleNamespace(id=42))

    def run_task() -> Any:
        type(user.team).objects.filter(pk=user.team.pk).update(name="Renamed by the worker")

    worker_history_context(run_task, job, None)
    update = _team_events(user.team)[-1]
    assert update.name == "Renamed by the worker"
    assert update.pgh_context.metadata == {
        "worker": True,
        "user": None,
        "task": "accounts.tidy",
        "job_id": 42,
        "request_id": "-",
    }


def test_the_worker_runs_every_task_inside_the_history_context() -> None:
    from procrastinate.contrib.django import app

    install_worker_context()  # idempotent: AuditConfig.ready() already did it
    assert app.worker_defaults["task_middleware"].count(worker_history_context) == 1
