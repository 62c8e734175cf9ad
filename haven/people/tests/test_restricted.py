"""Restricted people behave like restricted cases: only named members see them (404 and absent from
search for everyone else); anyone whose VIEW scope would reach them may break the glass with a
reason, which is logged (s62, break_glass) and e-mails every member. Breaking the glass gives sight
for an hour, never the right to change the person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from haven.audit.models import AccessEvent
from haven.core.errors import Forbidden, NotFound, ValidationFailed
from haven.core.operations import run
from haven.core.testing import sign_in
from haven.people import operations, selectors, services
from haven.people.schemas import PersonBreakGlassIn, PersonUpdateIn, RestrictionIn
from haven.people.tests import records


@pytest.fixture
def hidden(officer: Any, make_person: Callable[..., Any], make_user: Callable[..., Any]) -> Any:
    member = make_user("member", roles=("investigator",), team="CATE")
    person = make_person("Ivy", "Stone", is_restricted=True, actor=officer)
    services.person_restriction_set(
        actor=officer, person=person, data=RestrictionIn(is_restricted=True, members=[member.username], reason="Risk")
    )
    return person


def _visible(user: Any, person: Any) -> bool:
    return selectors.person_visible_to(user).filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_restricted_person_is_seen_only_by_named_members(hidden: Any, officer: Any, make_user: Callable[..., Any]):
    member = hidden.members.get(username="member")
    inspector = make_user("inspector", roles=("inspector",), team="CATE")
    assert _visible(officer, hidden)  # restricted it, so stays a member
    assert _visible(member, hidden)
    assert not _visible(inspector, hidden)
    assert selectors.person_search(user=inspector, query="Ivy Stone") == []
    assert [h.person for h in selectors.person_search(user=member, query="Ivy Stone")] == [hidden]


@pytest.mark.django_db
def test_restricted_person_page_is_404_with_a_way_to_break_the_glass(
    hidden: Any, signed_in: Callable[..., Any]
) -> None:
    client, inspector = signed_in(roles=("inspector",))
    response = client.get(reverse("people:detail", args=[hidden.public_id]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Break the glass" in page
    assert "Stone" not in page
    assert AccessEvent.objects.filter(actor=inspector, outcome="denied").exists()


@pytest.mark.django_db
def test_dp01_breaking_the_glass_opens_the_person_logs_the_reason_and_emails_the_members(
    hidden: Any, signed_in: Callable[..., Any], mailbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client, inspector = signed_in(roles=("inspector",))
    reason = "Child found at a address on my incident; need the carer details."
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go once the glass is broken
        response = client.post(reverse("people:break-glass", args=[hidden.public_id]), {"reason": reason})
    assert response.status_code == 302
    page = client.get(reverse("people:detail", args=[hidden.public_id]))
    assert page.status_code == 200
    assert 'data-testid="glass-broken"' in page.content.decode()
    glass = AccessEvent.objects.filter(actor=inspector, justification_kind="break_glass").order_by("id")
    assert glass.count() == 2  # breaking it, then reading the page under it
    assert {e.justification for e in glass} == {reason}
    assert all(e.operation == "consultation" and e.person_ids == [hidden.public_id] for e in glass)
    assert sorted(m["To"] for m in mailbox) == ["member@example.test", "officer@example.test"]
    assert all(reason not in m.get_content() for m in mailbox)  # free text stays in Haven (DP-01)
    assert all(inspector.username in m.get_content() for m in mailbox)
    assert all("Stone" not in m.get_content() for m in mailbox)  # the e-mail names no one
    assert [h.person for h in selectors.person_search(user=inspector, query="Ivy Stone")] == [hidden]


@pytest.mark.django_db
def test_breaking_the_glass_needs_a_reason(hidden: Any, make_user: Callable[..., Any]) -> None:
    inspector = make_user(roles=("inspector",))
    with pytest.raises(ValidationFailed) as refused:
        run(operations.person_break_glass, actor=inspector, target=hidden, data={"reason": "   "})
    assert refused.value.fields == {"reason": ["Enter why you need to see this person"]}
    assert not _visible(inspector, hidden)


@pytest.mark.django_db
def test_broken_glass_lasts_an_hour(hidden: Any, make_user: Callable[..., Any], clock: Any) -> None:
    inspector = make_user(roles=("inspector",))
    services.person_break_glass(actor=inspector, person=hidden, data=PersonBreakGlassIn(reason="Urgent call."))
    assert _visible(inspector, hidden)
    clock.travel(selectors.BREAK_GLASS_LASTS + timedelta(minutes=1))
    assert not _visible(inspector, hidden)


@pytest.mark.django_db
def test_breaking_the_glass_is_refused_where_the_scope_would_not_reach(
    hidden: Any, make_user: Callable[..., Any], client: Any
) -> None:
    """An investigator sees team cases only: no case of their team is about this person."""
    outsider = make_user("outsider", roles=("investigator",), team="RESP")
    with pytest.raises(NotFound):
        services.person_break_glass(actor=outsider, person=hidden, data=PersonBreakGlassIn(reason="Curious."))
    sign_in(client, outsider)
    assert client.get(reverse("people:break-glass", args=[hidden.public_id])).status_code == 404
    assert "Break the glass" not in client.get(reverse("people:detail", args=[hidden.public_id])).content.decode()


@pytest.mark.django_db
def test_team_scope_reaches_a_person_its_team_has_a_case_about(
    hidden: Any, make_user: Callable[..., Any], officer: Any
) -> None:
    from haven.cases import services as case_services

    owner = hidden.members.get(username="member")
    teammate = make_user("teammate", roles=("investigator",), team="CATE")
    assert selectors.person_may_break_glass(user=teammate, public_id=hidden.public_id) is None
    case_services.case_open(actor=owner, subject=hidden)
    assert selectors.person_may_break_glass(user=teammate, public_id=hidden.public_id) == hidden


@pytest.mark.django_db
def test_breaking_the_glass_gives_no_right_to_change_the_person(hidden: Any, make_user: Callable[..., Any]) -> None:
    supervisor = make_user(roles=("supervisor",))
    services.person_break_glass(actor=supervisor, person=hidden, data=PersonBreakGlassIn(reason="DMM review."))
    with pytest.raises(Forbidden):
        services.person_update(
            actor=supervisor, person=hidden, data=PersonUpdateIn(version=hidden.version, description="x")
        )
    with pytest.raises(Forbidden):
        records.add(supervisor, hidden, "alias", surname="Stoner")
    with pytest.raises(Forbidden):
        services.person_restriction_set(
            actor=supervisor, person=hidden, data=RestrictionIn(is_restricted=False, reason="Open it")
        )


@pytest.mark.django_db
def test_members_are_named_on_a_form_and_whoever_restricts_stays_a_member(
    make_person: Callable[..., Any],
    make_user: Callable[..., Any],
    make_case: Callable[..., Any],
    client: Any,
    officer: Any,
) -> None:
    person = make_person("Rae", "Quinn")
    make_case(officer, subject=person)  # the officer of a case about the person may restrict them
    colleague = make_user("colleague", roles=("investigator",))
    sign_in(client, officer)
    url = reverse("people:restriction", args=[person.public_id])
    response = client.post(url, {"is_restricted": "on", "members": "colleague\nnobody", "reason": "Risk"})
    assert response.status_code == 422
    assert "nobody cannot be named" in response.content.decode()
    assert client.post(url, {"is_restricted": "on", "members": "colleague", "reason": "Risk"}).status_code == 302
    person.refresh_from_db()
    assert person.is_restricted
    assert set(person.members.all()) == {officer, colleague}
    event = AccessEvent.objects.filter(actor=officer, detail__restricted=True).get()
    assert event.operation == "alteration"
    assert event.detail["members"] == ["colleague", "officer"]
    page = client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert 'data-testid="members"' in page
    assert "colleague" in page


@pytest.mark.django_db
def test_members_must_be_able_to_see_the_person_register(
    make_person: Callable[..., Any], make_user: Callable[..., Any], officer: Any
) -> None:
    person = make_person("Rae", "Quinn")
    sergeant = make_user("sergeant", roles=("supervisor",))
    admin = make_user("admin", roles=("administrator",))
    with pytest.raises(ValidationFailed):
        services.person_restriction_set(
            actor=sergeant, person=person, data=RestrictionIn(is_restricted=True, members=[admin.username], reason="x")
        )


@pytest.mark.django_db
def test_change_pages_are_forbidden_after_breaking_the_glass(hidden: Any, signed_in: Callable[..., Any]) -> None:
    client, supervisor = signed_in(roles=("supervisor",))
    services.person_break_glass(actor=supervisor, person=hidden, data=PersonBreakGlassIn(reason="DMM review."))
    assert client.get(reverse("people:detail", args=[hidden.public_id])).status_code == 200
    for name in ("people:edit", "people:photo-upload", "people:restriction"):
        assert client.get(reverse(name, args=[hidden.public_id])).status_code == 403
    assert client.get(reverse("people:record-add", args=[hidden.public_id, "alias"])).status_code == 403
