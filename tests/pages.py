"""Every page of Haven as each demo user sees it: the UI routes of the URLconf, filled in with the
demo force's records (``seed_demo``), fetched with a signed-in test client. The plain-English walk
(test_plain_english.py) and the browser walk (test_every_page_browser.py) both go through here, so a
page added later is walked by both as soon as its route is registered.

Record ids are found as the s62 walk finds them (haven/audit/tests/test_every_read_is_logged.py: a
parameter's name or the segment before it names the model); ``PARAM_VALUES`` adds the parameters that
name no record (a second-factor method, a policy setting's key).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from haven.audit.tests import test_every_read_is_logged as s62_walk

# Namespaces that are not Haven's pages for its users: the Django admin (superusers only), the API
# (JSON, walked by its own tests), the demo's mail pages (demo mode only), health and static files.
SKIPPED_NAMESPACES = {None, "admin", "api", "demo"}
# Routes a GET does not show a page on, or shows one only through an e-mailed link.
SKIPPED_ROUTES = {
    "accounts:sign-out": "POST only",
    "accounts:keepalive": "JSON for the session-timeout warning",
    "accounts:set-password": "reached only through the e-mailed link (uid and token)",
    "notifications:count": "the inbox count, a fragment for the header",
    "notifications:open": "marks the notification read and redirects to its link",
    "missing:briefing": "a PDF (its text is checked in haven/missing/tests)",
    "dmm:pack": "a PDF (its text is checked in haven/dmm/tests)",
    "audit:export": "a CSV file",
    "workforce:report-csv": "a CSV file (its rows are checked in haven/workforce/tests/test_reports.py)",
    "workforce:report-xlsx": "an Excel workbook (checked in haven/workforce/tests/test_reports.py)",
    "mfa:auth": "the second step of signing in (walked as accounts:second-factor before signing in)",
    "accounts:second-factor": "the second step of signing in: reached before signing in",
}


def _policy_keys() -> list[str]:
    from haven.policy.registry import all_settings

    return [s.key for s in all_settings()]


def _team_ids() -> list[str]:
    """A team's public id (the establishment form of the capacity view)."""
    team = apps.get_model("accounts", "Team")
    return [str(v) for v in team._default_manager.filter(code="RESP-A").values_list("public_id", flat=True)]


def _mfa_keys() -> list[str]:
    from mfa.models import MFAKey

    return [str(pk) for pk in MFAKey.objects.order_by("pk").values_list("pk", flat=True)[:1]]


PARAM_VALUES: dict[str, Callable[[], list[str]]] = {
    **s62_walk.PARAM_VALUES,
    "method": lambda: ["TOTP", "recovery"],
    "key": _policy_keys,
    "pk": _mfa_keys,
    "team_id": _team_ids,
}


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name
    route: str  # the pattern, "/cases/<str:public_id>/"

    @property
    def namespace(self) -> str:
        return self.name.split(":")[0]


def ui_routes() -> list[Route]:
    """Every named UI route of the URLconf, outside the skipped namespaces and routes."""

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace not in SKIPPED_NAMESPACES and p.name:
                route = Route(f"{namespace}:{p.name}", "/" + prefix + str(p.pattern))
                if route.name not in SKIPPED_ROUTES:
                    yield route

    return list(walk(get_resolver().url_patterns, "", None))


def _a_person() -> Any:
    return s62_walk._not_restricted(apps.get_model("people", "Person")).order_by("pk").first()


# The access log's pages about a person (their public id is in the URL or the query, which the s62
# walk's guesses do not reach): one demo person's.
AUDIT_URLS: dict[str, Callable[[Any], list[str]]] = {
    "audit:index": lambda p: ["/audit/", f"/audit/?person={p.public_id}"],
    "audit:people": lambda p: ["/audit/people/", f"/audit/people/?name={p.surname}"],
    "audit:subject-access": lambda p: [f"/audit/subject-access/{p.public_id}/"],
    "audit:subject-access-print": lambda p: [f"/audit/subject-access/{p.public_id}/print/"],
}


def _officer_urls(route: str) -> list[str]:
    """Workforce pages about an officer (/workforce/officers/<public_id>/…, a user, whom the s62 walk's
    guesses do not reach): the demo CRSU trainee's and the CATE investigator's."""
    users = apps.get_model("accounts", "User")._default_manager.filter(username__in=["crsu", "investigator"])
    return [
        route.replace("<str:public_id>", str(i)) for i in users.order_by("username").values_list("public_id", flat=True)
    ]


def urls_for(route: Route, *, per_route: int = 2) -> list[str]:
    """Concrete URLs of ``route`` for up to ``per_route`` demo records (more for a query walk)."""
    if route.name in AUDIT_URLS:
        return AUDIT_URLS[route.name](_a_person())
    if route.route.startswith("/workforce/officers/"):
        return _officer_urls(route.route)[:per_route]
    builder = s62_walk.UI_ROUTE_BUILDERS.get(route.name)
    original = s62_walk.PARAM_VALUES
    s62_walk.PARAM_VALUES = PARAM_VALUES  # the s62 walk's filler, taught this walk's parameters
    try:
        urls = builder(route.route) if builder else list(s62_walk._fill(route.route, r"<(?:\w+:)?(\w+)>"))
    finally:
        s62_walk.PARAM_VALUES = original
    urls = urls[:per_route]
    if route.name in s62_walk.UI_QUERIES:
        person = _a_person()
        # The surname as it is, and misspelt (a near miss: the search then says why it matched).
        for surname in (person.surname, f"{person.surname[:-1]}y"):
            query = "&".join(f"{k}={v.format(surname=surname)}" for k, v in s62_walk.UI_QUERIES[route.name].items())
            urls.append(f"{route.route}?{query}")
    return urls


def demo_users() -> list[Any]:
    from haven.accounts.models import User
    from haven.demo.constants import USERS

    return list(User.objects.filter(username__in=[u.username for u in USERS]).order_by("username"))


def client_for(user: Any) -> Client:
    """A test client signed in as demo user ``user`` (password, then their authenticator's code)."""
    from mfa.models import MFAKey

    from haven.core.testing import sign_in
    from haven.demo.constants import DEMO_PASSWORD

    user.totp_secret = MFAKey.objects.filter(user=user, method="TOTP").values_list("secret", flat=True)[0]
    client = Client()
    sign_in(client, user, DEMO_PASSWORD)
    return client


class _Words(HTMLParser):
    """The words a reader sees: text outside <script>, <style> and <template>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.words.append(data)


def visible_text(html: str) -> str:
    parser = _Words()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", " ".join(parser.words)).strip()
