"""M-16 (SOFT): a child with a current exploitation-risk flag prompts an exploitation review."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.people.models import Flag
from haven.triggerplans.selectors import exploitation_review_prompt, today

pytestmark = pytest.mark.django_db


def test_m16_exploitation_flag_prompts_a_review(make_child):
    child = make_child()
    Flag.objects.create(person=child, kind="exploitation_risk", note="Seen with older males in cars.")
    prompt = exploitation_review_prompt(child=child)
    assert prompt is not None
    assert "exploitation review" in prompt
    assert "National Referral Mechanism" in prompt
    assert "Seen with older males in cars." in prompt


def test_m16_no_prompt_without_a_current_exploitation_flag(make_child):
    child = make_child()
    Flag.objects.create(person=child, kind="looked_after", responsible_authority="Leeds")
    Flag.objects.create(person=child, kind="exploitation_risk", end_date=today() - timedelta(days=1))
    assert exploitation_review_prompt(child=child) is None
