"""Every kind of response Haven sends carries the security headers, and its cookies are locked down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from haven.core.testing import DEFAULT_PASSWORD, totp_now
from haven.core.tests import production


def csp_directives(response: Any) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response: Any) -> None:
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = csp_directives(response)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'self'" in csp[directive]
        assert "'unsafe-inline'" not in csp[directive]
        assert "'unsafe-eval'" not in csp[directive]
        assert not any(source.startswith(("http:", "https:", "*")) for source in csp[directive])
    assert len(headers["X-Request-ID"]) >= 8


# Each kind of response Haven sends, anonymous: (path, status, what it is).
RESPONSES = [
    ("/sign-in/", 200, "text/html"),  # an HTML page
    ("/api/v1/", 401, "application/json"),  # the JSON API, refusing an unauthenticated caller
    ("/healthz", 200, "application/json"),
    ("/no-such-page/", 404, "text/html"),
    ("/", 302, None),  # a redirect (to the sign-in page)
    ("/assets/fonts/light-94a07e06a1-v2.woff2", 301, None),  # a permanent redirect (GOV.UK asset paths)
    ("/static/haven/haven.css", 200, "text/css"),  # a static file, answered by WhiteNoise
    ("/static/haven/haven.js", 200, "text/javascript"),
]


@pytest.mark.parametrize(("path", "status", "content_type"), RESPONSES, ids=[r[0] for r in RESPONSES])
def test_every_kind_of_response_has_the_security_headers(
    client: Client, db: Any, path: str, status: int, content_type: str | None
) -> None:
    response = client.get(path)

    assert response.status_code == status
    if content_type:
        assert response["Content-Type"].startswith(content_type)
    assert_security_headers(response)


def test_forbidden_page_has_the_security_headers(signed_in: Callable[..., tuple[Client, Any]]) -> None:
    client, _ = signed_in(roles=("response_officer",))

    response = client.get("/administration/")

    assert response.status_code == 403
    assert_security_headers(response)


def test_html_pages_allow_only_their_own_nonced_inline_script(client: Client, db: Any) -> None:
    response = client.get("/sign-in/")

    nonces = [s for s in csp_directives(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    body = response.content.decode()
    assert body.count("<script") == body.count(f'nonce="{nonce}"')
    assert client.get("/sign-in/").headers["Content-Security-Policy"] != response.headers["Content-Security-Policy"]


def test_request_id_is_new_for_each_request_and_kept_from_a_proxy(client: Client, db: Any) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second

    assert client.get("/healthz", headers={"X-Request-ID": "lb-0123456789"})["X-Request-ID"] == "lb-0123456789"
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>"})["X-Request-ID"]
    assert forged != "<script>"
    assert len(forged) == 32


def test_csrf_and_session_cookies_are_http_only_and_same_site_lax(
    client: Client, make_user: Any, settings: Any
) -> None:
    user = make_user()
    response = client.get("/sign-in/")
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"

    response = client.post("/sign-in/", {"username": user.username, "password": DEFAULT_PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"

    client.get(response["Location"])
    response = client.post(response["Location"], {"code": totp_now(user)})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]  # a new session key once signed in
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["max-age"] == ""  # ends when the browser closes


# --- Production -------------------------------------------------------------------------------

PRODUCTION_SETTINGS = """
import json
from django.conf import settings
names = [
    "DEBUG", "DEMO_MODE", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_PATH", "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_PATH", "CSRF_COOKIE_DOMAIN",
]
values = {name: getattr(settings, name) for name in names}

from django.test import Client
client = Client(HTTP_HOST="haven.example.police.uk")
plain = client.get("/healthz")
behind_proxy = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
values["http"] = {"status": plain.status_code, "location": plain.get("Location")}
values["https"] = {"status": behind_proxy.status_code, "headers": dict(behind_proxy.headers)}
print(json.dumps(values))
"""


@pytest.fixture(scope="module")
def production_values() -> dict[str, Any]:
    return production.evaluate(PRODUCTION_SETTINGS, HAVEN_DEMO_MODE=None)


@pytest.mark.slow
def test_production_cookies_are_secure_host_only_and_hsts_is_on(production_values: dict[str, Any]) -> None:
    v = production_values
    assert v["DEBUG"] is False
    assert v["DEMO_MODE"] is False
    for kind in ("SESSION", "CSRF"):
        assert v[f"{kind}_COOKIE_NAME"].startswith("__Host-")
        # A __Host- cookie must be Secure, for path "/" and without a Domain, or browsers drop it.
        assert v[f"{kind}_COOKIE_SECURE"] is True
        assert v[f"{kind}_COOKIE_PATH"] == "/"
        assert v[f"{kind}_COOKIE_DOMAIN"] is None
        assert v[f"{kind}_COOKIE_HTTPONLY"] is True
        assert v[f"{kind}_COOKIE_SAMESITE"] == "Lax"
    assert v["SECURE_HSTS_SECONDS"] >= 31536000
    assert v["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert v["SECURE_SSL_REDIRECT"] is True

    # Plain HTTP is sent to HTTPS; over HTTPS (TLS ends at the proxy) HSTS is set with the other headers.
    assert v["http"] == {"status": 301, "location": f"https://{production.HOST}/healthz"}
    https = v["https"]
    assert https["status"] == 200
    headers = https["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Request-ID"]


@pytest.mark.slow
def test_production_cookie_settings_produce_host_cookies(
    production_values: dict[str, Any], client: Client, make_user: Any, settings: Any
) -> None:
    """With production's cookie settings, a real sign-in over HTTPS sets ``__Host-`` cookies a browser accepts."""
    for name, value in production_values.items():
        if name.startswith(("SESSION_COOKIE_", "CSRF_COOKIE_")):
            setattr(settings, name, value)
    user = make_user()

    response = client.get("/sign-in/", secure=True)
    csrf = response.cookies[production_values["CSRF_COOKIE_NAME"]]
    response = client.post("/sign-in/", {"username": user.username, "password": DEFAULT_PASSWORD}, secure=True)
    session = response.cookies[production_values["SESSION_COOKIE_NAME"]]

    for cookie in (csrf, session):
        header = cookie.OutputString()
        assert "Secure" in header
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
        assert "Path=/" in header
        assert "Domain" not in header
