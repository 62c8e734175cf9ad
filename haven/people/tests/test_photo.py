"""Person photographs: only real JPEG/PNG/WebP images under 5 MB, re-encoded as a JPEG without any
metadata, kept in the database, served only through need-to-know, and every read and write logged."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from haven.audit.models import AccessEvent
from haven.core.errors import NotFound, ValidationFailed
from haven.core.testing import sign_in
from haven.people import photos, selectors, services
from haven.people.models import PersonPhoto
from haven.people.schemas import PhotoIn
from haven.people.tests.images import SECRET, gif, jpeg_with_metadata, png_with_text, webp


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_photo_is_reencoded_as_a_jpeg_without_metadata_at_a_sensible_size() -> None:
    result = photos.photo_normalise(jpeg_with_metadata(orientation=6))
    image = _open(result.jpeg)
    assert image.format == "JPEG"
    assert max(image.size) == photos.MAX_SIDE
    assert image.size == (400, 800)  # the EXIF orientation (rotate 90°) was applied before it was stripped
    assert len(image.getexif()) == 0
    assert SECRET.encode() not in result.jpeg
    assert b"Hidden Lane" not in result.jpeg
    assert "comment" not in image.info
    assert "icc_profile" not in image.info


def test_png_text_chunks_do_not_survive_and_transparency_goes_onto_white() -> None:
    result = photos.photo_normalise(png_with_text())
    assert SECRET.encode() not in result.jpeg
    image = _open(result.jpeg)
    assert image.mode == "RGB"
    assert image.size == (300, 200)  # small images are not enlarged


def test_webp_is_accepted() -> None:
    assert _open(photos.photo_normalise(webp()).jpeg).format == "JPEG"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Choose a photograph"),
        (b"GIF89a this is not really anything", "JPEG, PNG or WebP"),
        (b"%PDF-1.7 pretending to be photo.jpg", "JPEG, PNG or WebP"),
        (gif(), "JPEG, PNG or WebP"),  # a real image, but not a format Haven accepts
        (jpeg_with_metadata()[:400], "JPEG, PNG or WebP"),  # a truncated JPEG
    ],
)
def test_anything_but_a_real_jpeg_png_or_webp_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        photos.photo_normalise(data)
    assert message in refused.value.fields["photo"][0]


def test_photo_over_5_mb_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(ValidationFailed) as refused:
        photos.photo_normalise(b"\xff\xd8" + b"0" * photos.MAX_UPLOAD_BYTES)
    assert "5 MB" in refused.value.fields["photo"][0]


@pytest.mark.django_db
def test_dp01_upload_is_logged_as_collection_and_replacement_as_alteration(
    officer: Any, make_person: Callable[..., Any]
) -> None:
    person = make_person("Mia", "Hart")
    first = services.person_photo_set(actor=officer, person=person, data=PhotoIn(photo=jpeg_with_metadata()))
    second = services.person_photo_set(actor=officer, person=person, data=PhotoIn(photo=webp()))
    assert first.pk == second.pk  # replaced, not added
    assert PersonPhoto.objects.filter(person=person).count() == 1
    operations = list(
        AccessEvent.objects.filter(person_ids__contains=[person.public_id], detail__record="photo")
        .order_by("id")
        .values_list("operation", flat=True)
    )
    assert operations == ["collection", "alteration"]


@pytest.mark.django_db
def test_dp01_person_photo_selector_gives_jpeg_bytes_and_logs_a_consultation(
    officer: Any, make_person: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    person = make_person("Mia", "Hart")
    assert selectors.person_photo(user=officer, person=person) is None
    services.person_photo_set(actor=officer, person=person, data=PhotoIn(photo=png_with_text()))
    reader = make_user("reader", roles=("call_handler",))
    image = selectors.person_photo(user=reader, person=person)
    assert image is not None
    assert image[:2] == b"\xff\xd8"
    event = AccessEvent.objects.filter(actor=reader).get()
    assert event.operation == "consultation"
    assert event.detail == {"kind": "photo", "found": True}


@pytest.mark.django_db
def test_photo_of_a_restricted_person_is_not_found_outside_need_to_know(
    officer: Any, make_person: Callable[..., Any], make_user: Callable[..., Any], client: Any
) -> None:
    person = make_person("Ivy", "Stone", is_restricted=True, actor=officer)
    services.person_photo_set(actor=officer, person=person, data=PhotoIn(photo=webp()))
    outsider = make_user("outsider", roles=("inspector",))
    with pytest.raises(NotFound):
        selectors.person_photo(user=outsider, person=person)
    sign_in(client, outsider)
    assert client.get(reverse("people:photo", args=[person.public_id])).status_code == 404
    assert AccessEvent.objects.filter(actor=outsider, outcome="denied").exists()


@pytest.mark.django_db
def test_photo_is_uploaded_on_the_person_page_and_shown_with_alt_text(
    officer: Any, make_person: Callable[..., Any], client: Any
) -> None:
    person = make_person("Mia", "Hart")
    sign_in(client, officer)
    upload = SimpleUploadedFile("holiday.png", jpeg_with_metadata(), content_type="image/png")  # name lies
    response = client.post(reverse("people:photo-upload", args=[person.public_id]), {"photo": upload})
    assert response.status_code == 302
    page = client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert 'alt="Photograph of Mia Hart"' in page
    assert "Replace the photograph" in page
    served = client.get(reverse("people:photo", args=[person.public_id]))
    assert served["Content-Type"] == "image/jpeg"
    assert "no-store" in served["Cache-Control"]
    assert SECRET.encode() not in served.content


@pytest.mark.django_db
def test_a_text_file_named_jpg_is_refused_with_the_error_summary(
    officer: Any, make_person: Callable[..., Any], client: Any
) -> None:
    person = make_person("Mia", "Hart")
    sign_in(client, officer)
    upload = SimpleUploadedFile("photo.jpg", b"just some text", content_type="image/jpeg")
    response = client.post(reverse("people:photo-upload", args=[person.public_id]), {"photo": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "must be a JPEG, PNG or WebP image" in page
    assert not PersonPhoto.objects.filter(person=person).exists()
