"""Two guards every page and API answer passes through: a NUL in a query string or form is refused
(400 on a page, 422 in the API's envelope; never 500), and no answer that may carry personal data
may be kept by a browser or proxy (``Cache-Control: no-store``); static files stay cacheable."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def sergeant(signed_in: Callable[..., tuple[Client, Any]]) -> tuple[Client, Any]:
    client, user = signed_in(username="ds_hygiene", roles=("supervisor", "administrator"), rank="DS")
    client.raise_request_exception = False  # answer as production does
    return client, user


# --- A NUL in a parameter is refused ----------------------------------------------------------

NUL_PAGES = [
    "/dmm/?team=%00",
    "/dmm/?area=%00",
    "/dmm/?area=Leeds%00North",
    "/administration/users/?q=%00",
    "/people/search/?q=Smith%00",
    "/dmm/?%00=1",  # in a parameter's name
]


@pytest.mark.parametrize("url", NUL_PAGES)
def test_a_nul_in_a_page_s_query_string_answers_400_not_500(sergeant: tuple[Client, Any], url: str) -> None:
    client, _ = sergeant
    response = client.get(url)
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


def test_a_nul_in_a_posted_form_answers_400(sergeant: tuple[Client, Any]) -> None:
    client, _ = sergeant
    response = client.post("/people/search/", {"q": "Smith\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/people?q=Smith%00", "/api/v1/audit/events?person=%00"])
def test_a_nul_in_an_api_query_string_answers_422_in_the_error_envelope(sergeant: tuple[Client, Any], url: str) -> None:
    client, _ = sergeant
    response = client.get(url, HTTP_X_REQUEST_ID="nul-probe-0001")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "validation_failed"
    (field,) = body["error"]["fields"]
    assert field == url.split("?")[1].split("=")[0]
    assert body["error"]["fields"][field] == ["Remove the NUL character: Haven does not accept it"]
    assert body["error"]["request_id"] == "nul-probe-0001" == response["X-Request-ID"]


def test_a_query_string_without_nul_still_reaches_the_page(sergeant: tuple[Client, Any]) -> None:
    client, _ = sergeant
    assert client.get("/dmm/?team=CATE&area=Leeds").status_code == 200


# --- Cache-Control: no-store -------------------------------------------------------------------


def _no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "") and response.get("Pragma") == "no-cache"


def test_every_signed_in_page_and_api_answer_says_no_store(
    sergeant: tuple[Client, Any], make_person: Callable[..., Any]
) -> None:
    client, _ = sergeant
    person = make_person("Nell", "Nostore")
    for url in (
        "/",
        f"/people/{person.public_id}/",
        "/people/search/?q=Nostore",
        "/dmm/",
        "/administration/users/",
        f"/api/v1/people/{person.public_id}",
        "/api/v1/people?q=Nostore",
        "/no-such-page/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert _no_store(response), f"{url}: {response.get('Cache-Control')!r}"


def test_an_api_token_s_answer_says_no_store(db: Any, make_user: Callable[..., Any]) -> None:
    accounts = importlib.import_module("haven.accounts.services")  # by name: core's tests sit below accounts
    token_in = importlib.import_module("haven.accounts.schemas").TokenIn
    user = make_user("tokenholder", roles=("inspector",))
    _, token = accounts.api_token_create(actor=user, data=token_in(name="cache probe", scopes=sorted(user.permissions)))
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert _no_store(response)


def test_a_view_s_own_no_store_words_are_kept(sergeant: tuple[Client, Any]) -> None:
    client, _ = sergeant
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]  # never_cache's own words, not replaced


def test_static_files_stay_cacheable(client: Client) -> None:
    response = client.get("/static/haven/haven.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
