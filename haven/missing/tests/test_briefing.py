"""The briefing sheet for patrols (PDF): headed MISSING or FOUND, with the description, clothing, photo,
what happened, risks to whoever finds the child, and the trigger plan's associates and places; a refuge
address never appears on it (DP-06), even one typed into the report or a plan. Read from the PDF's text."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image

from haven.core import clock
from haven.core.testing import sign_in
from haven.missing import operations
from haven.missing.tests.pdftext import pdf_text
from haven.people.choices import AddressKind
from haven.people.models import Address
from haven.people.selectors import refuge_withheld

pytestmark = pytest.mark.django_db

REFUGE = "Safe House\n9 Hidden Lane\nLeeds"
REFUGE_POSTCODE = "LS9 9ZZ"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def sheet(client, supervisor):
    """``sheet(episode)``: the briefing sheet PDF of ``episode`` as printed by the supervisor, as text."""

    def printed(episode):
        sign_in(client, supervisor)
        response = client.get(f"/missing/{episode.public_id}/briefing.pdf")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        return " ".join(pdf_text(response.content).split())

    return printed


@pytest.fixture
def episode(report, supervisor, make_user, make_plan, make_child):
    """A child with a refuge address on the register (their mother's), reported with a description that
    names it, and a trigger plan with an associate and two places (one of them the refuge)."""
    child = make_child("Lily", "Carter")
    mother = make_child("Anne", "Carter", age=40)
    Address.objects.create(person=mother, kind=AddressKind.REFUGE, lines=REFUGE, postcode=REFUGE_POSTCODE)
    make_plan(
        make_user("cate", roles=("supervisor",), team="CATE"),
        child=child,
        actions=[
            {"kind": "associate", "target": "Dean Walsh, 19, drives a red Corsa", "instructions": "Check his flat."},
            {"kind": "place", "target": "Kirkgate Market, back entrance"},
            {"kind": "address", "target": "9 Hidden Lane, Leeds LS9 9ZZ", "instructions": "Her mother's."},
        ],
    )
    return report(
        child=child,
        height="5 feet 4",
        build="Slim",
        hair="Long, dark brown",
        features="Pierced left eyebrow",
        clothing="Black puffer jacket, grey joggers",
        circumstances="Said she was going to her mum's at 9 Hidden Lane after an argument.",
        last_seen_where="Bus stop outside Safe House, 9 Hidden Lane",
        risks_to_finder="Has threatened staff with a knife.",
        photo=_png(),
    )


def test_the_briefing_sheet_is_headed_missing_with_description_clothing_risks_and_the_plan(episode, sheet):
    text = sheet(episode)
    assert "OFFICIAL-SENSITIVE: for officers searching for this child." in text
    assert "MISSING Lily Carter" in text
    description = text.split(" Description ")[1].split(" Clothing ")[0]
    assert description == "5 feet 4 Slim Long, dark brown Pierced left eyebrow"  # under Height, Build, Hair…
    assert "Clothing Black puffer jacket, grey joggers" in text
    assert "What happened Said she was going" in text
    assert "Risks to whoever finds them Has threatened staff with a knife." in text
    assert "Associates: Contact or check an associate: Dean Walsh, 19, drives a red Corsa" in text
    assert "Places: Check a place: Kirkgate Market, back entrance" in text
    assert "No description recorded" not in text
    assert "No photo held" not in text  # the report's photograph is on the child's record, and printed


def test_a_refuge_address_never_appears_on_the_briefing_sheet(episode, sheet):
    text = sheet(episode)
    assert "Hidden Lane" not in text
    assert "LS9 9ZZ" not in text
    assert "Safe House" not in text
    assert "[address withheld]" in text  # where it was typed, it is withheld, not silently dropped
    assert "Said she was going to her mum's at [address withheld] after an argument." in text


def test_the_sheet_says_found_once_the_child_is_found(episode, sheet, supervisor, write):
    from haven import factories

    factories.assessment(assessor=supervisor, episode=episode, grade="medium")
    write(
        operations.episode_found,
        supervisor,
        episode,
        found_at=clock.now() - timedelta(minutes=5),
        found_where="Leeds bus station",
        found_where_code="transport",
        found_by="PC Shah",
        condition="Well",
        rhi_authority="Leeds",
        rhi_recipient="mc@leeds.example",
    )
    episode.refresh_from_db()
    text = sheet(episode)
    assert "FOUND Lily Carter" in text
    assert "MISSING Lily" not in text
    assert "Leeds bus station" in text


def test_refuge_withheld_matches_lines_and_postcodes_however_they_are_typed(make_child):
    mother = make_child("Anne", "Carter", age=40)
    Address.objects.create(person=mother, kind=AddressKind.REFUGE, lines=REFUGE, postcode=REFUGE_POSTCODE)
    assert refuge_withheld("seen at 9 hidden lane,  ls99zz") == "seen at [address withheld],  [address withheld]"
    assert refuge_withheld("Leeds bus station") == "Leeds bus station"  # "Leeds" alone names nothing
    assert refuge_withheld("") == ""
