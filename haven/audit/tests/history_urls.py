"""A URLconf for the history-context tests: Haven's own URLs plus two views that change a tracked model."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as haven_urlpatterns
from haven.accounts.models import Team


def rename_team(request: HttpRequest, code: str) -> HttpResponse:
    Team.objects.filter(code=code).update(name="Renamed in a request")
    return HttpResponse("ok")


def rename_team_as_late_user(request: HttpRequest, code: str) -> HttpResponse:
    """Signs the user in inside the view, as API token authentication does."""
    request.user = get_user_model().objects.get(username=request.GET["as"])
    Team.objects.filter(code=code).update(name="Renamed by a token user")
    return HttpResponse("ok")


urlpatterns = [
    path("test-history/<str:code>/", rename_team),
    path("test-history-late/<str:code>/", rename_team_as_late_user),
    *haven_urlpatterns,
]
