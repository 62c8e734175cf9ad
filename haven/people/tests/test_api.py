from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from haven.accounts import services as account_services
from haven.people import services

URL = "/api/v1/people"
REFUGE = "14 Hidden Lane"


def _token_client(user: Any) -> Client:
    _, raw = account_services.api_token_create(actor=user, name="test", scopes=sorted(user.permissions))
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def api(officer: Any) -> Callable[[Any], Client]:
    probe = _token_client(officer).get(URL)
    if probe.status_code == 404:
        pytest.skip("The people router is not yet registered at /api/v1/people (the lead registers it).")
    return _token_client


@pytest.fixture
def child(officer: Any, make_person: Callable[..., Any]) -> Any:
    person = make_person("Lily", "Marsh", date_of_birth=date(2013, 2, 2))
    services.address_add(actor=officer, person=person, lines=REFUGE, kind="refuge")
    person.members.add(officer)
    return person


@pytest.mark.django_db
def test_api_refuge_address_is_absent_for_outsider_and_present_for_member(
    api: Callable[[Any], Client], child: Any, officer: Any, make_user: Callable[..., Any]
) -> None:
    outsider = make_user("outsider", roles=("call_handler",))
    assert REFUGE not in api(outsider).get(f"{URL}/{child.public_id}").content.decode()
    assert REFUGE not in api(outsider).get(URL, {"q": "Lily Marsh"}).content.decode()
    assert REFUGE in api(officer).get(f"{URL}/{child.public_id}").content.decode()


@pytest.mark.django_db
def test_api_search_returns_why_each_person_matched(api: Callable[[Any], Client], child: Any, officer: Any) -> None:
    body = api(officer).get(URL, {"q": "Lilly Marsh", "dob": "2013-02-02"}).json()
    assert body[0]["person"]["id"] == str(child.public_id)
    assert "Exact date of birth" in body[0]["signals"]


@pytest.mark.django_db
def test_api_restricted_person_is_404_for_outsiders(
    api: Callable[[Any], Client], make_person: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    hidden = make_person("Ivy", "Stone", is_restricted=True)
    outsider = make_user("outsider", roles=("inspector",))
    assert api(outsider).get(f"{URL}/{hidden.public_id}").status_code == 404


@pytest.mark.django_db
def test_api_create_then_patch_with_stale_version_is_409(api: Callable[[Any], Client], officer: Any) -> None:
    client = api(officer)
    created = client.post(URL, {"forenames": "Nia", "surname": "Khan"}, content_type="application/json")
    assert created.status_code == 201
    person = created.json()
    url = f"{URL}/{person['id']}"
    ok = client.patch(url, {"version": person["version"], "description": "First"}, content_type="application/json")
    assert ok.status_code == 200
    stale = client.patch(url, {"version": person["version"], "description": "Second"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"


@pytest.mark.django_db
def test_api_search_narrows_by_age_like_the_search_page(
    api: Callable[[Any], Client], officer: Any, make_person: Callable[..., Any], clock: Any
) -> None:
    clock.freeze(clock.now().replace(year=2026, month=12, day=1))
    twelve = make_person("Sam", "Fairley", date_of_birth=date(2014, 6, 1))
    make_person("Sam", "Fairley", date_of_birth=date(1980, 6, 1))
    body = api(officer).get(URL, {"q": "Sam Fairley", "age": "12"}).json()
    assert [hit["person"]["id"] for hit in body] == [str(twelve.public_id)]
    assert "Age 12" in body[0]["signals"]
    assert api(officer).get(URL, {"q": "Sam", "age": "500"}).status_code == 422


@pytest.mark.django_db
def test_api_adds_changes_ends_and_removes_linked_records(
    api: Callable[[Any], Client], officer: Any, make_person: Callable[..., Any]
) -> None:
    from haven.audit.models import AccessEvent

    client = api(officer)
    person = make_person("Kai", "Ward")
    base = f"{URL}/{person.public_id}"
    added = client.post(
        f"{base}/flags", {"kind": "looked_after", "responsible_authority": "Leeds"}, content_type="application/json"
    )
    assert added.status_code == 201, added.content
    flag = added.json()
    assert client.post(f"{base}/flags", {"kind": "looked_after"}, content_type="application/json").status_code == 422
    wrong = client.patch(f"{base}/flags/{flag['id']}", {"surname": "x"}, content_type="application/json")
    assert wrong.status_code == 422
    changed = client.patch(
        f"{base}/flags/{flag['id']}",
        {"note": "Placed out of area", "seen": flag["updated_at"]},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["values"]["note"] == "Placed out of area"
    stale = client.patch(
        f"{base}/flags/{flag['id']}", {"note": "Older", "seen": flag["updated_at"]}, content_type="application/json"
    )
    assert stale.status_code == 409
    ended = client.post(f"{base}/flags/{flag['id']}/end", {"end_date": "2026-01-31"}, content_type="application/json")
    assert ended.json()["values"]["end_date"] == "2026-01-31"
    assert client.get(f"{base}").json()["flags"][0]["id"] == flag["id"]
    assert client.delete(f"{base}/flags/{flag['id']}", {"reason": "x"}).status_code == 422  # reason in the query
    assert client.delete(f"{base}/flags/{flag['id']}?reason=Wrong+child").status_code == 204
    assert client.get(f"{base}").json()["flags"] == []
    assert AccessEvent.objects.filter(operation="erasure", justification="Wrong child").count() == 1


@pytest.mark.django_db
def test_api_photo_upload_is_multipart_and_checked_by_its_bytes(
    api: Callable[[Any], Client], officer: Any, make_person: Callable[..., Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from haven.people.tests.images import SECRET, jpeg_with_metadata

    client = api(officer)
    person = make_person("Kai", "Ward")
    url = f"{URL}/{person.public_id}/photo"
    assert client.get(url).status_code == 404
    bad = client.post(url, {"photo": SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"]["photo"]
    good = client.post(url, {"photo": SimpleUploadedFile("a.bin", jpeg_with_metadata(), content_type="x/y")})
    assert good.status_code == 201
    assert good.json()["width"] == 800
    served = client.get(url)
    assert served["Content-Type"] == "image/jpeg"
    assert SECRET.encode() not in served.content
    assert client.get(f"{URL}/{person.public_id}").json()["has_photo"] is True


@pytest.mark.django_db
def test_api_restriction_and_breaking_the_glass(
    api: Callable[[Any], Client], officer: Any, make_person: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    person = make_person("Ivy", "Stone")
    restricted = api(officer).put(
        f"{URL}/{person.public_id}/restriction", {"is_restricted": True, "members": []}, content_type="application/json"
    )
    assert restricted.status_code == 200
    assert restricted.json()["members"] == ["officer"]
    inspector = make_user("inspector", roles=("inspector",))
    client = api(inspector)
    assert client.get(f"{URL}/{person.public_id}").status_code == 404
    glass = f"{URL}/{person.public_id}/break-glass"
    assert client.post(glass, {"reason": ""}, content_type="application/json").status_code == 422
    opened = client.post(glass, {"reason": "Urgent safeguarding call"}, content_type="application/json")
    assert opened.status_code == 200
    assert opened.json()["person"] == str(person.public_id)
    assert client.get(f"{URL}/{person.public_id}").status_code == 200
    assert (
        client.patch(
            f"{URL}/{person.public_id}",
            {"version": person.version, "description": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
