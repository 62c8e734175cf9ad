"""Missing's part of the workforce capacity view: each officer's open enquiries, through the registry
haven.workforce defines (workforce sits below missing)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from haven.missing import workload
from haven.workforce.registry import work_counters

pytestmark = pytest.mark.django_db


def test_capacity_counts_open_missing_enquiries_through_the_registry(make_user, make_episode):
    from haven.missing.choices import EnquiryStatus
    from haven.missing.models import Enquiry

    officer = make_user("pc7")
    episode = make_episode(make_user("ch", roles=("call_handler",)))
    Enquiry.objects.create(
        episode=episode,
        type="address_check",
        description="Check the friend's address",
        raised_by=officer,
        allocated_to=officer,
        due_at=datetime(2026, 6, 16, tzinfo=UTC),
        status=EnquiryStatus.ALLOCATED,
    )

    assert workload.OPEN_ENQUIRIES in work_counters()
    assert workload.open_enquiry_counts([officer.pk]) == {officer.pk: 1}
