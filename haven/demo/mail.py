"""The demo mail page: the e-mail Haven sent while `make run` ran in demo mode, caught by its local
mail sink (scripts/mailsink.py), so a demo can follow a set-password link or an escalation notice
without a mail server. Demo mode only; signed-in users only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from haven.demo import mailbox


def demo_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Outside demo mode the page does not exist (404), whoever asks."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.DEMO_MODE:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _folder() -> Path | None:
    return Path(settings.HAVEN_DEMO_MAIL_DIR) if settings.HAVEN_DEMO_MAIL_DIR else None


@require_GET
@demo_only
@login_required
@never_cache
def mail_list(request: HttpRequest) -> HttpResponse:
    folder = _folder()
    caught = mailbox.messages(folder) if folder else []
    return render(
        request, "demo/mail_list.html", {"caught": caught, "sink_running": folder is not None, "shown": mailbox.SHOWN}
    )


@require_GET
@demo_only
@login_required
@never_cache
def mail_message(request: HttpRequest, name: str) -> HttpResponse:
    folder = _folder()
    caught = mailbox.message(folder, name) if folder else None
    if caught is None:
        raise Http404
    return render(request, "demo/mail_message.html", {"message": caught})
