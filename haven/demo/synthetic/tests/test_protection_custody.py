"""The synthetic force's children in police protection and in custody now: made once through the services
by officers the workforce gate lets act alone, reused, topped up after their time runs out; the DMM board's
sections 3 and 4 show them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.custody.choices import IN_CUSTODY, DetentionState
from haven.custody.models import Detention
from haven.demo.synthetic.load import force_build
from haven.demo.synthetic.protection_custody import held_ensure, staff_ensure
from haven.dmm.sections import Filters
from haven.dmm.sections.custody import children_in_custody
from haven.dmm.sections.protection import children_in_protection
from haven.protection.models import PoliceProtection
from haven.protection.selectors import missing
from haven.workforce.choices import Activity, Answer
from haven.workforce.selectors import may

pytestmark = pytest.mark.django_db


@pytest.fixture
def force() -> None:
    force_build(tier="t0", seed=4, parts=range(1), stream=None)


def test_children_held_now_are_made_once_by_cleared_officers(force: None) -> None:
    protections, detentions = held_ensure(4, "t0")
    again = held_ensure(4, "t0")
    staff = staff_ensure(4)

    assert (len(protections), len(detentions)) == (5, 6)
    assert [p.pk for p in again[0]] == [p.pk for p in protections]
    assert [d.pk for d in again[1]] == [d.pk for d in detentions]
    assert PoliceProtection.objects.count() == 5
    assert Detention.objects.count() == 6
    assert may(staff.designated, Activity.POLICE_PROTECTION).answer == Answer.ALONE
    assert may(staff.custody, Activity.CUSTODY).answer == Answer.ALONE
    now = clock.now()
    assert all(p.ended_at is None and now < p.expires_at for p in protections)
    assert len({round((p.expires_at - now).total_seconds() / 3600) for p in protections}) == 5
    assert any(missing(p) for p in protections)
    assert all(p.child.date_of_birth > now.date().replace(year=now.year - 18) for p in protections)
    states = {d.state for d in detentions}
    assert states == {DetentionState.DETAINED, DetentionState.CHARGED}
    kept = [d for d in detentions if d.state == DetentionState.CHARGED]
    assert any(d.la_requested_at is None and not hasattr(d, "certificate") for d in kept)
    assert any(hasattr(d, "certificate") and d.certificate.flagged for d in kept)


def test_the_board_shows_them_in_sections_3_and_4(force: None, make_user: Callable[..., Any]) -> None:
    protections, detentions = held_ensure(4, "t0")
    inspector = make_user("boardinsp", roles=("inspector",), rank="INSP", team="BOARD")

    shown = children_in_protection(user=inspector, filters=Filters())
    held = children_in_custody(user=inspector, filters=Filters())

    assert shown.total == len(protections) == 5
    assert held.total == len(detentions) == 6
    assert held.rows[0].attention == 0  # charged, refused bail, nothing requested: first


def test_those_whose_time_ran_out_are_ended_and_replaced(force: None, clock: Any) -> None:
    first, kept = held_ensure(4, "t0")

    clock.travel(timedelta(hours=30))
    protections, detentions = held_ensure(4, "t0")

    assert len(protections) == 5
    assert len(detentions) == 6
    assert PoliceProtection.objects.filter(ended_at__isnull=False).exists()
    assert Detention.objects.exclude(state__in=IN_CUSTODY).count() == 6  # every one booked 30+ hours ago
    assert all(clock.now() < p.expires_at for p in protections)
