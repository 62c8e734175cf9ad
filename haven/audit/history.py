"""Context for the field-level change history (django-pghistory): who made a change, and in which
request or worker job (DP-02; see haven.core.history for the ``personal_data`` decorator).

Every pghistory event written while serving a request points at one ``pghistory.Context`` row whose
metadata holds ``user`` (the actor's id), ``username``, ``request_id`` (the ``X-Request-ID`` the s62
log also records), ``url`` and ``method``. Events written by the worker carry ``worker: true``, the
task name and the job id instead.

The actor is read when each statement runs, not when the request starts: an API token signs the user
in inside the view (``haven.api.auth.TokenAuth``), after every middleware has run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pghistory
from django.http import HttpRequest, HttpResponse

from haven.core.request_context import current_request_id


class _RequestMetadata(dict[str, Any]):
    """The context's metadata, with the actor looked up from the request each time it is serialised."""

    def __init__(self, request: HttpRequest, **fixed: Any) -> None:
        super().__init__(**fixed)
        self._request = request

    def _actor(self) -> dict[str, Any]:
        user = getattr(self._request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return {"user": user.pk, "username": user.get_username()}
        return {"user": None, "username": ""}

    def items(self) -> Iterable[tuple[str, Any]]:  # type: ignore[override]
        return [*super().items(), *self._actor().items()]


def request_history_context(request: HttpRequest) -> pghistory.context:
    """A pghistory context for ``request``: enter it around the view."""
    context = pghistory.context()
    context.metadata = _RequestMetadata(
        request,
        request_id=current_request_id(),
        url=request.path[:200],
        method=request.method,
    )
    return context


class HistoryContextMiddleware:
    """Wraps each request in a pghistory context carrying the actor and the request id.

    Placed after AuthenticationMiddleware (settings.MIDDLEWARE), inside RequestIdMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_history_context(request):
            return self.get_response(request)


def worker_history_context(call_next: Callable[[], Any], context: Any, worker: Any) -> Any:
    """procrastinate task middleware: the job's changes carry a "worker" context (no human actor)."""
    task = getattr(context, "task", None)
    job = getattr(context, "job", None)
    with pghistory.context(
        worker=True,
        user=None,
        task=getattr(task, "name", "") or "",
        job_id=getattr(job, "id", None),
        request_id=current_request_id(),
    ):
        return call_next()


def install_worker_context() -> None:
    """Add :func:`worker_history_context` to every task the worker runs (called from AppConfig.ready)."""
    from procrastinate.contrib.django import app

    middleware = app.worker_defaults.setdefault("task_middleware", [])
    if worker_history_context not in middleware:
        middleware.append(worker_history_context)
