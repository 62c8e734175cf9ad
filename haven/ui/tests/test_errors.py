"""The error pages and form errors follow the GOV.UK patterns, with the right status codes."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as haven_urlpatterns
from haven.core.errors import Forbidden, NotFound
from haven.core.heartbeat import WORKER, heartbeat_record


class Page(HTMLParser):
    """Just enough of a page to check: its title, h1, landmarks and elements by id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.title = ""
        self.h1: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.links: list[tuple[str, str]] = []  # (href, text) inside the error summary
        self._in: list[str] = []
        self._summary_depth: int | None = None
        self._link: str | None = None
        self._link_text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if tag in {"input", "meta", "link", "br", "img"}:
            return
        self._in.append(tag)
        if "govuk-error-summary" in values.get("class", "").split():
            self._summary_depth = len(self._in)
        if tag == "a" and self._summary_depth is not None:
            self._link, self._link_text = values.get("href", ""), ""
        if tag == "h1":
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append((self._link, self._link_text.strip()))
            self._link = None
        if self._summary_depth is not None and len(self._in) == self._summary_depth:
            self._summary_depth = None
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1[-1] += data
        if self._link is not None:
            self._link_text += data

    def heading(self) -> str:
        assert len(self.h1) == 1, f"a page has exactly one h1, not {self.h1}"
        return " ".join(self.h1[0].split())

    def by_id(self, element_id: str) -> tuple[str, dict[str, str]]:
        found = [t for t in self.tags if t[1].get("id") == element_id]
        assert len(found) == 1, f"id {element_id!r} appears {len(found)} times"
        return found[0]

    def has(self, tag: str, **attrs: str) -> bool:
        return any(t == tag and all(a.get(k) == v for k, v in attrs.items()) for t, a in self.tags)


def page(response: Any) -> Page:
    return Page(response.content.decode())


def assert_accessible_shell(p: Page) -> None:
    """Language, a skip link to the main landmark, and one main landmark."""
    assert p.has("html", lang="en-GB")
    assert p.has("a", href="#main-content", **{"class": "govuk-skip-link"})
    assert [t for t, a in p.tags if t == "main"] == ["main"]
    assert p.by_id("main-content")[0] == "main"


# --- A test URLconf: Haven's own URLs plus views that fail ---------------------------------


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail that must not reach the user")


def _not_found(request: HttpRequest) -> HttpResponse:
    raise NotFound("No such case.")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise Forbidden("Not yours.")


urlpatterns = [
    path("test/boom/", _boom),
    path("test/not-found/", _not_found),
    path("test/forbidden/", _forbidden),
    *haven_urlpatterns,
]
handler500 = "haven.ui.views.server_error"
with_failing_views = pytest.mark.urls(__name__)


# --- 404 -------------------------------------------------------------------------------------


def test_not_found_page(client: Client, db: Any) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    p = page(response)
    assert p.heading() == "Page not found"
    assert p.title.startswith("Page not found – Haven")
    assert_accessible_shell(p)


def test_not_found_page_when_signed_in_has_the_shell(signed_in: Callable[..., tuple[Client, Any]]) -> None:
    client, user = signed_in()

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert page(response).heading() == "Page not found"
    assert user.display_name in response.content.decode()


@with_failing_views
def test_not_found_from_a_service_is_the_same_404_page(signed_in: Callable[..., tuple[Client, Any]]) -> None:
    client, _ = signed_in()

    response = client.get("/test/not-found/")

    assert response.status_code == 404
    assert page(response).heading() == "Page not found"
    assert "No such case." not in response.content.decode()  # indistinguishable from a real 404


# --- 403 -------------------------------------------------------------------------------------


def test_forbidden_page(signed_in: Callable[..., tuple[Client, Any]]) -> None:
    client, _ = signed_in(roles=("response_officer",))

    response = client.get("/administration/")

    assert response.status_code == 403
    p = page(response)
    assert p.heading() == "You do not have access to this page"
    assert p.title.startswith("You do not have access to this page – Haven")
    assert_accessible_shell(p)


@with_failing_views
def test_forbidden_from_a_service_is_the_403_page(signed_in: Callable[..., tuple[Client, Any]]) -> None:
    client, _ = signed_in()

    response = client.get("/test/forbidden/")

    assert response.status_code == 403
    assert page(response).heading() == "You do not have access to this page"


# --- 500 -------------------------------------------------------------------------------------


@with_failing_views
def test_server_error_page_quotes_the_request_id(db: Any) -> None:
    client = Client(raise_request_exception=False)

    response = client.get("/test/boom/")

    assert response.status_code == 500
    body = response.content.decode()
    p = Page(body)
    assert p.heading() == "Sorry, there is a problem with Haven"
    assert_accessible_shell(p)
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert f"<strong>{request_id}</strong>" in body
    assert "secret detail" not in body
    assert "RuntimeError" not in body
    assert response["X-Frame-Options"] == "DENY"


@with_failing_views
def test_the_server_error_page_has_the_same_header_and_footer_as_every_other_page(db: Any, settings: Any) -> None:
    settings.HAVEN_FORCE_NAME = "Test Constabulary"
    client = Client(raise_request_exception=False)

    broken = client.get("/test/boom/").content.decode()
    missing = client.get("/no-such-page/").content.decode()

    def brand(body: str) -> str:
        return re.search(r'<div class="moj-header__logo">.*?</div>', body, re.S).group(0)  # type: ignore[union-attr]

    def footer(body: str) -> str:
        return re.search(r"<footer.*?</footer>", body, re.S).group(0)  # type: ignore[union-attr]

    assert '<header class="moj-header" role="banner">' in broken
    assert "govuk-header" not in broken  # the unstyled GOV.UK header it had is gone
    assert brand(broken) == brand(missing)
    assert "Test Constabulary" in brand(broken)
    assert footer(broken) == footer(missing)
    assert "moj-frontend.min.css" in broken


@with_failing_views
def test_server_error_page_quotes_the_proxy_request_id(db: Any) -> None:
    client = Client(raise_request_exception=False)

    response = client.get("/test/boom/", headers={"X-Request-ID": "edge-7f3a9c21"})

    assert response.status_code == 500
    assert "<strong>edge-7f3a9c21</strong>" in response.content.decode()


# --- Form errors -----------------------------------------------------------------------------


def test_form_error_summary_links_to_each_field(signed_in: Callable[..., tuple[Client, Any]]) -> None:
    heartbeat_record(name=WORKER)
    client, _ = signed_in(roles=("administrator",))

    response = client.post("/administration/teams/new/", {"description": "", "email": "not an email"})

    assert response.status_code == 422
    p = page(response)
    assert p.title.startswith("Error: Add a team – Haven")
    assert p.heading() == "Add a team"
    # The summary comes before the h1 and links to every field in error, in the form's order.
    assert [href for href, _ in p.links] == ["#id_code", "#id_name", "#id_email"]
    assert all(text for _, text in p.links)
    body = response.content.decode()
    assert body.index("govuk-error-summary") < body.index("<h1")
    for field in ("code", "name", "email"):
        tag, attrs = p.by_id(f"id_{field}")
        assert tag == "input"
        assert "govuk-input--error" in attrs["class"]
        assert f"id_{field}-error" in attrs["aria-describedby"].split()
        message_tag, message = p.by_id(f"id_{field}-error")
        assert message_tag == "p"
        assert message["class"] == "govuk-error-message"
    # The message next to each field says the same as the summary's link to it.
    for href, text in p.links:
        found = re.search(rf'<p id="{href[1:]}-error" class="govuk-error-message">(.*?)</p>', body, re.S)
        assert found is not None
        assert " ".join(found.group(1).split()) == f'<span class="govuk-visually-hidden">Error:</span> {text}'
    # A field without an error is untouched.
    _, description = p.by_id("id_description")
    assert "error" not in description.get("class", "")
    assert "aria-describedby" not in description


def test_form_error_summary_links_checkbox_groups_to_their_first_box(
    signed_in: Callable[..., tuple[Client, Any]],
) -> None:
    client, _ = signed_in(roles=("administrator",))

    response = client.post("/account/tokens/new/", {"name": "Feed", "days": "30"})  # no scopes chosen

    assert response.status_code == 422
    p = page(response)
    assert ("#id_scopes_0", "Choose at least one scope") in p.links
    assert p.by_id("id_scopes_0")[1]["type"] == "checkbox"
    fieldsets = [a for t, a in p.tags if t == "fieldset"]
    assert any("id_scopes-error" in a.get("aria-describedby", "").split() for a in fieldsets)


def test_a_valid_form_shows_no_error_summary(signed_in: Callable[..., tuple[Client, Any]]) -> None:
    client, _ = signed_in(roles=("administrator",))

    response = client.get("/administration/teams/new/")

    assert "govuk-error-summary" not in response.content.decode()
    assert not page(response).title.startswith("Error:")
