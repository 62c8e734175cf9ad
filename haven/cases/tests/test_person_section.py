"""The person page lists every case about the person that the viewer may see, and logs it."""

from __future__ import annotations

from haven.audit.models import AccessEvent
from haven.cases import services
from haven.cases.choices import InvolvementRole, Sensitivity
from haven.core.testing import sign_in


def test_person_page_lists_visible_cases_with_the_persons_role_and_logs_the_listing(client, make_user, make_person):
    officer = make_user("officer", roles=("response_officer",), team="RESP")
    child = make_person()
    witness = make_person()
    case = services.case_open(actor=officer, subject=child, summary="Missing overnight")
    services.involvement_add(actor=officer, case=case, person=witness, role=InvolvementRole.WITNESS)

    sign_in(client, officer)
    before = AccessEvent.objects.filter(case_ids__contains=[case.public_id]).count()
    body = client.get(f"/people/{witness.public_id}/").content.decode()

    assert case.reference in body
    assert "Witness" in body
    assert AccessEvent.objects.filter(case_ids__contains=[case.public_id]).count() > before


def test_person_page_leaves_out_cases_the_viewer_may_not_see(client, make_user, make_person):
    owner = make_user("owner", roles=("response_officer",), team="RESP")
    child = make_person()
    hidden = services.case_open(actor=owner, subject=child, summary="Other team", sensitivity=Sensitivity.NORMAL)
    outsider = make_user("outsider", roles=("response_officer",), team="OTHER")

    sign_in(client, outsider)
    body = client.get(f"/people/{child.public_id}/").content.decode()

    assert hidden.reference not in body
    assert "No cases you can see are about this person" in body
