"""Rule M-10 (HARD): a handover notifies the new owner, who must acknowledge it; until then the case
shows "awaiting acknowledgement" to both, and to the supervisor."""

from __future__ import annotations

import pytest

from haven.cases import hooks, operations, selectors, services
from haven.cases.models import Case, Handover
from haven.cases.schemas import HandoverIn
from haven.core.errors import Forbidden, NotFound, ValidationFailed
from haven.core.operations import run
from haven.core.testing import sign_in


@pytest.fixture
def handed(make_user, make_case, django_capture_on_commit_callbacks):
    old = make_user("oldowner", roles=("response_officer",), team="RESP")
    new = make_user("newowner", roles=("investigator",), team="CATE")
    supervisor = make_user("sarge", roles=("supervisor",), team="RESP")
    case = make_case(old)
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes once the handover commits
        handover = services.case_handover(
            actor=old, case=case, data=HandoverIn(to_user=new.username, reason="Exploitation: CATE to lead.")
        )
    case.refresh_from_db()
    return {"old": old, "new": new, "supervisor": supervisor, "case": case, "handover": handover}


def test_m10_handover_leaves_owner_unchanged_until_acknowledged(handed):
    case = handed["case"]
    assert case.owner == handed["old"]
    assert case.pending_owner == handed["new"]
    assert handed["handover"].is_pending


def test_m10_handover_emails_the_new_owner(handed, mailbox):
    assert len(mailbox) == 1
    message = mailbox[0]
    assert message["To"] == "newowner@example.test"
    assert handed["case"].reference in message["Subject"]
    assert "acknowledge" in message.get_content().lower()
    # DP-01: the free-text reason stays in Haven; the e-mail points to the case instead.
    assert "Exploitation: CATE to lead." not in message.get_content()


def test_m10_new_owner_can_see_the_case_before_acknowledging(handed):
    """The new owner is in another team, outside their TEAM view, yet must see what they are asked to take."""
    assert selectors.case_get(user=handed["new"], public_id=handed["case"].public_id) == handed["case"]


@pytest.mark.parametrize("who", ["old", "new", "supervisor"])
def test_m10_awaiting_acknowledgement_shows_on_case_page_and_home_page(client, handed, who):
    sign_in(client, handed[who])
    page = client.get(f"/cases/{handed['case'].public_id}/").content.decode()
    assert 'data-testid="awaiting-acknowledgement"' in page
    assert "awaiting acknowledgement" in page.lower()
    home = client.get("/").content.decode()
    assert 'data-testid="handovers-awaiting"' in home
    assert handed["case"].reference in home


def test_m10_only_the_new_owner_can_acknowledge(handed):
    for other in (handed["old"], handed["supervisor"]):
        with pytest.raises(Forbidden):
            services.case_handover_acknowledge(actor=other, case=handed["case"])
    assert Case.objects.get(pk=handed["case"].pk).owner == handed["old"]


def test_m10_outsider_cannot_acknowledge(handed, make_user):
    outsider = make_user(roles=("response_officer",), team="ELSEWHERE")
    with pytest.raises(NotFound):
        services.case_handover_acknowledge(actor=outsider, case=handed["case"])


def test_m10_acknowledging_makes_the_new_owner_and_their_team_own_the_case(handed, client):
    sign_in(client, handed["new"])
    response = client.post(f"/cases/{handed['case'].public_id}/acknowledge/")
    assert response.status_code == 302
    case = Case.objects.get(pk=handed["case"].pk)
    assert case.owner == handed["new"]
    assert case.team is not None
    assert case.team.code == "CATE"
    assert case.pending_owner is None
    assert Handover.objects.get().acknowledged_at is not None
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    assert 'data-testid="awaiting-acknowledgement"' not in page
    assert "Handover acknowledged" in page


def test_m10_acknowledge_button_only_for_the_new_owner(handed, client):
    sign_in(client, handed["old"])
    assert 'data-testid="acknowledge"' not in client.get(f"/cases/{handed['case'].public_id}/").content.decode()


def test_m10_second_handover_replaces_the_pending_one(handed, make_user):
    other = make_user(roles=("investigator",), team="CATE")
    services.case_handover(
        actor=handed["old"], case=handed["case"], data=HandoverIn(to_user=other.username, reason="CATE changed lead.")
    )
    pending = Handover.objects.filter(acknowledged_at=None, superseded_at=None)
    assert [h.to_user for h in pending] == [other]
    with pytest.raises(NotFound):  # in another team, they no longer see the case at all
        services.case_handover_acknowledge(actor=handed["new"], case=handed["case"])


def test_m10_handover_needs_a_reason_and_someone_who_can_own_cases(make_user, make_case):
    owner = make_user(roles=("response_officer",))
    case = make_case(owner)
    analyst = make_user(roles=("analyst",))
    with pytest.raises(ValidationFailed) as missing:
        run(operations.case_handover, actor=owner, target=case, data={"to_user": make_user().username, "reason": " "})
    assert missing.value.fields == {"reason": ["Enter the reason for the handover"]}
    with pytest.raises(ValidationFailed) as unfit:
        services.case_handover(actor=owner, case=case, data=HandoverIn(to_user=analyst.username, reason="Because."))
    assert "to_user" in unfit.value.fields


def test_m10_handover_calls_the_escalation_hook(monkeypatch, make_user, make_case):
    started: list[Handover] = []
    monkeypatch.setattr(hooks, "on_handover_started", started.append)
    owner = make_user(roles=("response_officer",))
    handover = services.case_handover(
        actor=owner, case=make_case(owner), data=HandoverIn(to_user=make_user().username, reason="Leave.")
    )
    assert started == [handover]


def test_m10_handover_is_logged_as_alteration(handed, events):
    rows = events(case=handed["case"], operation="alteration")
    assert any(r.detail.get("handover") == str(handed["handover"].public_id) for r in rows)
