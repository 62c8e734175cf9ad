"""Reporting a missing child (issue 17): the search that offers the child (never one already missing,
never an adult without saying so), the report on one page with the call time, the description, phone
numbers, social media and a photograph, "check your answers", the answers about the child kept on their
record with change history, and the same report through the API."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pghistory.models import Events
from PIL import Image

from haven import factories
from haven.audit.models import AccessEvent
from haven.core import clock
from haven.core.errors import ValidationFailed
from haven.core.testing import sign_in
from haven.missing import operations
from haven.missing.models import Episode
from haven.people.choices import AddressKind, ContactKind, FlagKind
from haven.people.models import Address, Contact, Flag, PersonPhoto
from haven.ui.forms import GovukDateInput

pytestmark = pytest.mark.django_db


def _png(size: tuple[int, int] = (40, 50)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _boxes(name, when):
    return GovukDateInput.post_data(name, when)


def _answers(**overrides):
    """A whole report as the page posts it (the boxes of its date inputs, the child's description)."""
    now = clock.now()
    data = {
        "informant_name": "Sarah Jones",
        "informant_relationship": "Residential care worker",
        "informant_contact": "0113 496 0000",
        **_boxes("called_at", now - timedelta(minutes=12)),
        **_boxes("last_seen_at", now - timedelta(hours=2)),
        "last_seen_where": "Oak Lodge children's home, Leeds",
        "missing_from": "care_home",
        "placement_address": "Oak Lodge\n4 Elm Road\nLeeds",
        "circumstances": "Left after an argument with staff; said she was going to her boyfriend's.",
        "out_of_character": "no",
        "height": "5 feet 4",
        "build": "Slim",
        "hair": "Long, dark brown, tied back",
        "features": "Pierced left eyebrow",
        "clothing": "Black puffer jacket, grey joggers, white trainers",
        "phone_numbers": "07700 900982",
        "social_media": "Snapchat: lily_c",
        "risks_to_finder": "Carries a knife, she has said.",
        "looked_after": "yes",
        "responsible_authority": "Bradford",
        "host_authority": "Leeds",
        "philomena_exists": "yes",
        "idempotency_key": "page-report-1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client, call_handler):
    sign_in(client, call_handler)
    return client


# --- The search ------------------------------------------------------------------------------------------


def test_the_search_offers_a_child_with_flags_and_plan_and_never_one_already_missing(
    signed_in, call_handler, make_child, make_user, make_plan
):
    missing = make_child("Christopher", "Hale")
    factories.episode(reporter=call_handler, child=missing)
    other = make_child("Christopher", "Halford")
    Flag.objects.create(person=other, kind=FlagKind.LOOKED_AFTER, responsible_authority="Leeds City Council")
    make_plan(make_user("cate", roles=("supervisor",), team="CATE"), child=other)
    page = signed_in.get("/missing/report/?q=Christopher+Hal").content.decode()
    results = (
        page.split('data-testid="child-results"')[1]
        .split("</ul>\n    {% else")[0]
        .split('<h2 class="govuk-heading-m">Or record')[0]
    )
    hale, halford = (part for part in results.split('data-testid="child-result"')[1:] if part)
    if "Halford" in hale:
        hale, halford = halford, hale
    episode = Episode.objects.get(child=missing)
    assert f"Missing now: {episode.case.reference}" in hale
    assert f'href="/missing/{episode.public_id}/"' in hale
    assert 'data-testid="report-link"' not in hale  # not offered: a child is reported missing once
    assert 'data-testid="report-link"' in halford
    assert "Looked after" in halford
    assert "Leeds City Council" in halford
    assert "Trigger plan: none" in hale
    # No scores, similarity figures or algorithm names: why each matched, in words.
    for word in ("similarity", "metaphone", "score", " 0."):
        assert word not in results.lower()
    assert "Close to the name searched for" in results or "Same name" in results
    # The report page of the child already missing says so and links to the episode (no form).
    already = signed_in.get(f"/missing/report/{missing.public_id}/")
    assert already.status_code == 409
    body = already.content.decode()
    assert 'data-testid="already-missing"' in body
    assert f"Missing now: {episode.case.reference}" in body
    assert 'data-testid="report-form"' not in body


def test_an_adult_is_never_offered_without_saying_so(signed_in, make_child):
    adult = make_child("Dean", "Walsh", age=34)
    page = signed_in.get("/missing/report/?q=Dean+Walsh").content.decode()
    assert 'data-testid="adult-warning"' in page
    assert "Dean is 34: an adult. This is the report for a missing child." in page
    assert "Report Dean missing, although an adult" in page
    form = signed_in.get(f"/missing/report/{adult.public_id}/").content.decode()
    assert 'data-testid="adult-warning"' in form
    child = make_child("Kayla", "Walsh", age=14)
    assert 'data-testid="adult-warning"' not in signed_in.get(f"/missing/report/{child.public_id}/").content.decode()


def test_a_child_not_found_is_recorded_from_what_was_searched_for(signed_in):
    page = signed_in.get(
        "/missing/report/?q=Kayla+May+Brook&date_of_birth-day=1&date_of_birth-month=5&date_of_birth-year=2012"
    )
    body = page.content.decode()
    assert 'data-testid="no-match"' in body
    new = body.split('data-testid="new-child"')[1]
    assert 'name="forenames" value="Kayla May"' in new
    assert 'name="surname" value="Brook"' in new
    assert 'name="date_of_birth-day" type="text" inputmode="numeric" spellcheck="false" value="1"' in new
    assert 'name="date_of_birth-year" type="text" inputmode="numeric" spellcheck="false" value="2012"' in new


# --- The form --------------------------------------------------------------------------------------------


def test_the_form_fills_in_what_the_record_holds_but_never_when_the_child_was_last_seen(
    signed_in, call_handler, make_child
):
    child = make_child("Lily", "Carter")
    Flag.objects.create(person=child, kind=FlagKind.PHILOMENA)
    Contact.objects.create(person=child, kind=ContactKind.PHONE, value="07700 900111")
    Address.objects.create(person=child, kind=AddressKind.CARE_PLACEMENT, lines="Oak Lodge\nLeeds")
    Address.objects.create(person=child, kind=AddressKind.REFUGE, lines="Safe House\n1 Hidden Lane")
    page = signed_in.get(f"/missing/report/{child.public_id}/").content.decode()
    for part in ("day", "month", "year", "time"):
        mode = "text" if part == "time" else "numeric"
        assert f'name="last_seen_at-{part}" type="text" inputmode="{mode}" spellcheck="false" value=""' in page
    now = timezone.localtime(clock.now())
    assert f'name="called_at-time" type="text" inputmode="text" spellcheck="false" value="{now:%H:%M}"' in page
    assert "07700 900111" in page
    # One number a line: the list's limit (5 numbers) is not a limit on the characters typed.
    phones = page.split('<textarea name="phone_numbers"')[1].split(">")[0]
    assert 'rows="2"' in phones
    assert "maxlength" not in phones
    assert "Oak Lodge" in page
    assert "Hidden Lane" not in page  # a refuge address is never used
    assert (
        'value="yes" checked' in page.split('name="philomena_exists"')[0]
        or 'id="id_philomena_exists_0" name="philomena_exists" type="radio" value="yes" checked' in page
    )


def test_date_errors_on_the_report_are_written_for_people_and_the_title_says_error(signed_in, make_child):
    child = make_child()
    url = f"/missing/report/{child.public_id}/"
    empty = {k: v for k, v in _answers().items() if not k.startswith("last_seen_at-")}
    response = signed_in.post(url, {**empty, "check": "1"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter the date the child was last seen" in body
    assert "<title>Error: Report" in body
    no_month = _answers(**{"last_seen_at-month": ""})
    body = signed_in.post(url, {**no_month, "check": "1"}).content.decode()
    assert "The date the child was last seen must include a month" in body
    assert 'href="#id_last_seen_at-month"' in body
    future = _answers(**_boxes("last_seen_at", clock.now() + timedelta(days=2)))
    body = signed_in.post(url, {**future, "check": "1"}).content.decode()
    assert "The date the child was last seen must be in the past" in body
    before = _answers(**_boxes("called_at", clock.now() - timedelta(hours=3)))
    body = signed_in.post(url, {**before, "check": "1"}).content.decode()
    assert "The call must be after the child was last seen" in body
    assert not Episode.objects.exists()


# --- Check your answers, then the report -------------------------------------------------------------------


def test_check_your_answers_then_report_keeps_the_call_time_description_and_the_childs_record(
    signed_in, call_handler, make_child
):
    child = make_child("Lily", "Carter")
    url = f"/missing/report/{child.public_id}/"
    photo = SimpleUploadedFile("lily.png", _png(), content_type="image/png")
    check = signed_in.post(url, {**_answers(), "check": "1", "photo": photo})
    assert check.status_code == 200
    body = check.content.decode()
    assert 'data-testid="answers"' in body
    assert "Black puffer jacket, grey joggers, white trainers" in body
    assert "A new photograph (below)" in body
    assert not Episode.objects.exists()  # nothing is written before the answers are confirmed
    assert not PersonPhoto.objects.exists()
    # What the check page carries, as the browser posts it back.
    carried = dict(_answers())
    carried["photo_data"] = body.split('name="photo_data" value="')[1].split('"')[0]
    assert 'formaction="#id_last_seen_at-day"' in body  # "Change" goes back to the question's first box
    # "Change": the form again, as it was typed, with the photograph still given.
    change = signed_in.post(url, {**carried, "edit": "1"}).content.decode()
    assert 'data-testid="report-form"' in change
    assert "Black puffer jacket, grey joggers, white trainers" in change
    assert f'name="photo_data" value="{carried["photo_data"]}"' in change
    assert "govuk-error-summary" not in change
    done = signed_in.post(url, {**carried, "confirm": "1"})
    assert done.status_code == 302, done.content.decode()[:2000]
    episode = Episode.objects.get(child=child)
    assert done["Location"] == f"/missing/{episode.public_id}/grade/"
    called = timezone.localtime(episode.called_at)
    assert called.strftime("%H:%M") == carried["called_at-time"]
    assert episode.called_at is not None
    assert episode.reported_at > episode.called_at
    assert (episode.height, episode.build, episode.hair) == ("5 feet 4", "Slim", "Long, dark brown, tied back")
    assert episode.features == "Pierced left eyebrow"
    assert episode.phone_numbers == ["07700 900982"]
    assert episode.social_media == ["Snapchat: lily_c"]
    assert episode.risks_to_finder == "Carries a knife, she has said."
    assert episode.placement_address == "Oak Lodge\n4 Elm Road\nLeeds"
    # The episode says "Reported" at the time of the call, not the time it was typed.
    page = signed_in.get(f"/missing/{episode.public_id}/").content.decode()
    reported = page.split('data-testid="reported">')[1].split("</dd>")[0]
    assert reported.startswith(f"{called:%-d %b %Y %H:%M} by Sarah Jones")
    assert "Pierced left eyebrow" in page.split('data-testid="description">')[1]
    # The answers about the child are on their record now, with its change history.
    flag = Flag.objects.get(person=child, kind=FlagKind.LOOKED_AFTER)
    assert (flag.responsible_authority, flag.host_authority) == ("Bradford", "Leeds")
    assert Flag.objects.filter(person=child, kind=FlagKind.PHILOMENA, end_date__isnull=True).exists()
    assert Address.objects.get(person=child, kind=AddressKind.CARE_PLACEMENT).lines == "Oak Lodge\n4 Elm Road\nLeeds"
    assert Contact.objects.get(person=child, kind=ContactKind.PHONE).value == "07700 900982"
    social = Contact.objects.get(person=child, kind=ContactKind.SOCIAL)
    assert (social.platform, social.value) == ("Snapchat", "lily_c")
    assert PersonPhoto.objects.get(person=child).uploaded_by == call_handler
    for model, pk in (("people.Flag", flag.pk), ("people.Contact", social.pk)):
        assert Events.objects.filter(pgh_obj_model=model, pgh_obj_id=str(pk), pgh_label="insert").exists()
    assert AccessEvent.objects.filter(
        actor=call_handler, operation="alteration", person_ids__contains=[child.public_id]
    ).exists()
    timeline = page.split('data-testid="timeline"')[1]
    assert "record was updated from the report" in timeline


def test_the_childs_record_is_changed_only_where_the_report_says_something_new(call_handler, make_child, write):
    child = make_child()
    Flag.objects.create(person=child, kind=FlagKind.LOOKED_AFTER, responsible_authority="Leeds")
    Contact.objects.create(person=child, kind=ContactKind.PHONE, value="07700900982")
    episode = factories.episode(
        reporter=call_handler,
        child=child,
        looked_after=True,
        responsible_authority="Leeds",
        philomena_exists=False,
        phone_numbers=["07700 900 982"],
    )
    assert Flag.objects.filter(person=child).count() == 1
    assert Contact.objects.filter(person=child).count() == 1  # the same number, however spaced
    write(operations.episode_cancel, call_handler, episode, reason="Home")
    factories.episode(reporter=call_handler, child=child, looked_after=False)
    flag = Flag.objects.get(person=child)
    assert flag.end_date == clock.now().date()  # "not looked after" ends the flag: it stays on record
    history = Events.objects.filter(pgh_obj_model="people.Flag", pgh_obj_id=str(flag.pk), pgh_label="update")
    assert history.exists()


def test_a_bad_photograph_is_refused_in_words_and_nothing_is_written(signed_in, make_child):
    child = make_child()
    url = f"/missing/report/{child.public_id}/"
    fake = SimpleUploadedFile("lily.jpg", b"%PDF-1.7 pretending", content_type="image/jpeg")
    response = signed_in.post(url, {**_answers(), "check": "1", "photo": fake})
    assert response.status_code == 422
    assert "The photograph must be a JPEG, PNG or WebP image" in response.content.decode()
    # A refused report keeps no photograph: the photo never outlives the report it came with.
    photo = base64.b64encode(_png()).decode()
    refused = signed_in.post(url, {**_answers(responsible_authority=""), "photo_data": photo, "confirm": "1"})
    assert refused.status_code == 422
    assert "Enter the responsible local authority" in refused.content.decode()
    assert not Episode.objects.exists()
    assert not PersonPhoto.objects.exists()


# --- The API ---------------------------------------------------------------------------------------------


def test_the_api_takes_the_same_report_with_a_base64_photograph(client, call_handler, make_child):
    child = make_child()
    sign_in(client, call_handler)
    called = clock.now() - timedelta(minutes=20)
    body = {
        "child": str(child.public_id),
        "informant_name": "Sarah Jones",
        "called_at": called.isoformat(),
        "last_seen_at": (clock.now() - timedelta(hours=2)).isoformat(),
        "last_seen_where": "Oak Lodge",
        "missing_from": "foster",
        "placement_address": "12 Ash Grove, Leeds",
        "circumstances": "Did not come home from school.",
        "height": "163 cm",
        "build": "Medium",
        "hair": "Short, blonde",
        "features": "Glasses",
        "clothing": "School uniform",
        "phone_numbers": ["07700 900982"],
        "social_media": ["Instagram: lil.c"],
        "risks_to_finder": "Diabetic: needs insulin.",
        "looked_after": True,
        "responsible_authority": "Leeds City Council",
        "philomena_exists": False,
        "photo": base64.b64encode(_png()).decode(),
    }
    response = client.post("/api/v1/missing/episodes", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["called_at"].startswith(called.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"))
    assert (answer["height"], answer["hair"], answer["clothing"]) == ("163 cm", "Short, blonde", "School uniform")
    assert answer["phone_numbers"] == ["07700 900982"]
    assert answer["risks_to_finder"] == "Diabetic: needs insulin."
    assert PersonPhoto.objects.filter(person=child).exists()
    assert Address.objects.get(person=child, kind=AddressKind.CARE_PLACEMENT).lines == "12 Ash Grove, Leeds"
    refused = client.post(
        "/api/v1/missing/episodes",
        json.dumps({**body, "child": str(make_child().public_id), "photo": "not base64!", "phone_numbers": ["12"]}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    fields = refused.json()["error"]["fields"]
    assert fields["photo"] == ["Give the photograph as a JPEG, PNG or WebP image, base64-encoded"]
    assert "Enter a telephone number" in fields["phone_numbers.0"][0]


def test_the_operation_refuses_a_call_before_the_child_was_last_seen(call_handler, make_child, write):
    child = make_child()
    with pytest.raises(ValidationFailed) as refused:
        write(
            operations.episode_report,
            call_handler,
            child=child.public_id,
            informant_name="Jo",
            called_at=clock.now() - timedelta(hours=3),
            last_seen_at=clock.now() - timedelta(hours=2),
            last_seen_where="Home",
            missing_from="home",
            circumstances="Gone",
        )
    assert "called_at" in refused.value.fields
    assert not Episode.objects.exists()


# --- After the report ------------------------------------------------------------------------------------


def test_grading_starts_with_the_person_reporting_as_the_first_source(client, report, supervisor):
    episode = report(
        informant_name="Sarah Jones", informant_relationship="Care worker", called_at=clock.now() - timedelta(minutes=5)
    )
    sign_in(client, supervisor)
    page = client.get(f"/missing/{episode.public_id}/grade/").content.decode()
    first = page.split('data-testid="source-row"')[1]
    assert "Source 1: the person reporting" in first
    assert 'value="Sarah Jones (Care worker)"' in first
    assert 'value="07700 900123"' in first
    assert episode.circumstances in first


def test_the_supervisor_review_page_shows_what_is_being_reviewed(client, graded, supervisor, write):
    episode = graded("high")
    write(operations.enquiry_raise, supervisor, episode, type="cctv", description="Bus station CCTV")
    sign_in(client, supervisor)
    page = client.get(f"/missing/{episode.public_id}/review/").content.decode()
    context = page.split('data-testid="review-context"')[1]
    assert "High" in context
    assert episode.assessments.get().rationale in page.split('data-testid="review-rationale"')[1]
    assert "hours" in page.split('data-testid="review-missing-for"')[1].split("</dd>")[0]
    assert "Bus station CCTV" in page.split('data-testid="review-enquiries"')[1]


def test_missing_and_people_pages_say_rules_in_words_without_ids_versions_or_scores(client, graded, supervisor):
    episode = graded("high")
    sign_in(client, supervisor)
    import re

    rule_id = re.compile(r"\b(M|D|DP|CONF|C)-[0-9]{2}\b")
    for url in (
        f"/missing/{episode.public_id}/",
        f"/missing/{episode.public_id}/obligations/",
        f"/missing/{episode.public_id}/review/",
        f"/missing/{episode.public_id}/grade/",
        f"/people/{episode.child.public_id}/",
        f"/people/?q={episode.child.surname}",
        "/missing/report/?q=" + episode.child.surname,
    ):
        body = client.get(url).content.decode()
        text = re.sub(r"<[^>]+>", " ", body)
        assert not rule_id.search(text), (url, rule_id.search(text))
        for word in ("Vocabulary", "app-2024", "metaphone", "similarity"):
            assert word.lower() not in text.lower(), (url, word)


def test_a_child_whose_record_the_reporter_may_not_change_is_reported_and_their_record_kept_as_it_was(
    make_user, make_child, clock
):
    from haven.core.operations import run
    from haven.people.schemas import PersonBreakGlassIn
    from haven.people.services import person_break_glass

    owner = make_user("owner", roles=("investigator",), team="CATE")
    hidden = make_child("Ivy", "Stone", is_restricted=True, actor=owner)
    inspector = make_user("duty", roles=("inspector",), team="MISS")
    person_break_glass(actor=inspector, person=hidden, data=PersonBreakGlassIn(reason="A call about her now."))
    report = {
        "child": hidden.public_id,
        "informant_name": "Jo",
        "last_seen_at": clock.now() - timedelta(hours=1),
        "last_seen_where": "Home",
        "missing_from": "home",
        "circumstances": "Gone",
        "looked_after": True,
        "responsible_authority": "Leeds",
        "philomena_exists": True,
    }
    with pytest.raises(ValidationFailed) as refused:
        run(operations.episode_report, actor=inspector, data={**report, "photo": _png()})
    assert "named members" in refused.value.fields["photo"][0]
    assert not Episode.objects.exists()
    episode = run(operations.episode_report, actor=inspector, data=report)
    assert episode.looked_after  # the episode keeps what was said
    assert not Flag.objects.filter(person=hidden).exists()  # the record is as it was
    assert not PersonPhoto.objects.filter(person=hidden).exists()
    timeline = [entry.text for entry in episode.case.timeline.all()]
    assert any("record was updated from the report: not updated" in text for text in timeline)
