"""The numbered rules of child concern referrals as plain functions (S-01, S-03, S-04's input is in
schemas.DecideIn)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from haven.referrals.choices import PersonRole

if TYPE_CHECKING:
    from haven.referrals.models import ChildConcernReferral

VOICE_MISSING = "Record the voice of the child: whether they were seen and spoken to"


def voice_of_the_child_problems(referral: ChildConcernReferral) -> dict[str, list[str]]:
    """S-01 (HARD): a referral is not submitted without the voice of the child: seen? spoken to? and
    either their words and their behaviour and demeanour, or why they were not seen or spoken to."""
    problems: dict[str, list[str]] = {}
    if referral.child_seen is None:
        problems["child_seen"] = ["Say whether the child was seen"]
    if referral.child_spoken_to is None:
        problems["child_spoken_to"] = ["Say whether the child was spoken to"]
    if referral.child_seen and not referral.child_demeanour.strip():
        problems["child_demeanour"] = ["Describe the child's behaviour and demeanour"]
    if referral.child_spoken_to and not referral.child_words.strip():
        problems["child_words"] = ["Write what the child said, in their own words"]
    if (
        referral.child_seen is False or referral.child_spoken_to is False
    ) and not referral.child_not_seen_reason.strip():
        problems["child_not_seen_reason"] = ["Say why the child was not seen or spoken to"]
    return problems


def submission_problems(referral: ChildConcernReferral, children: int) -> dict[str, list[str]]:
    """Everything a draft lacks before it can go to the CRSU, by field, in the order of the form."""
    problems: dict[str, list[str]] = {}
    if children < 1:
        problems["children"] = ["Add the child the concern is about"]
    if not referral.categories:
        problems["categories"] = ["Select at least one kind of concern"]
    if not referral.narrative.strip():
        problems["narrative"] = ["Enter what happened"]
    problems.update(voice_of_the_child_problems(referral))
    if not referral.officer_grade:
        problems["officer_grade"] = ["Select your view of the risk"]
    if not referral.immediate_actions.strip():
        problems["immediate_actions"] = ["Enter what you did straight away, or 'None'"]
    return problems


CHILD = PersonRole.CHILD
