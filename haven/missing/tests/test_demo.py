"""The demo episodes: repeat missing children, children missing now (one with an overdue enquiry),
one found awaiting the prevention interview, one cancelled; seeding again adds nothing."""

from __future__ import annotations

import re

from haven.demo.seed import seed_demo
from haven.missing.demo import about, seed_missing
from haven.missing.models import Enquiry, Episode, PreventionInterview


def test_seed_missing_gives_a_realistic_mix_and_is_idempotent(db):
    created = seed_demo()
    assert created["missing episodes"] == Episode.objects.count() == 16
    states = sorted(Episode.objects.values_list("state", flat=True))
    assert states.count("closed") == 11
    assert {"open", "reported", "found", "cancelled"} <= set(states)
    assert [e for e in Enquiry.objects.filter(status="allocated") if e.is_overdue]
    repeat = Episode.objects.values("child").order_by().distinct().count()
    assert repeat == 8
    assert Episode.objects.filter(exploitation_outcome="review_requested").exists()
    assert seed_missing() == 0


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def test_demo_reports_have_the_call_time_a_description_and_clothing_in_each_childs_pronouns(db):
    seed_demo()
    wrong = {"female": {"he", "him", "his"}, "male": {"she", "her", "hers"}}
    for episode in Episode.objects.select_related("child"):
        assert episode.called_at is not None
        assert episode.last_seen_at <= episode.called_at <= episode.reported_at
        assert episode.height
        assert episode.build
        assert episode.hair
        assert episode.clothing
        texts = [episode.circumstances, episode.features, episode.found_where, episode.risks_to_finder]
        texts += [q.result for q in episode.enquiries.all()]
        for interview in PreventionInterview.objects.filter(episode=episode):
            texts += [interview.why_went, interview.with_whom]
        said = set().union(*(_words(t) for t in texts))
        assert not said & wrong.get(episode.child.sex, {"he", "him", "his", "she", "her", "hers"}), (
            episode.child.sex,
            said & wrong.get(episode.child.sex, set()),
        )


def test_demo_text_takes_each_childs_pronouns():
    class Child:
        def __init__(self, sex: str) -> None:
            self.sex = sex

    text = "{They} said {they} would stay with {their} friend; ask {them}."
    assert about(Child("female"), text) == "She said she would stay with her friend; ask her."
    assert about(Child("male"), text) == "He said he would stay with his friend; ask him."
    assert about(Child("unknown"), text) == "They said they would stay with their friend; ask them."
