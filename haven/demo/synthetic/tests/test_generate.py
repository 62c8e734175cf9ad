"""The synthetic force's parts, made without a database: deterministic, skewed, labelled."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from haven.demo.synthetic import bulk, generate, names
from haven.demo.synthetic.load import table_models
from haven.people.rules import normalise_name

ANCHOR = datetime(2026, 12, 3, 8, tzinfo=UTC)


def _context(seed: int) -> generate.Context:
    from haven.deadlines.registry import kind_get

    ladders = {}
    for code in ("missing.review", "missing.pnc", "missing.enquiry"):
        kind = kind_get(code)
        ladders[code] = (kind.rule_id, kind.default_ladder_json())
    officers = tuple(generate.Officer(i, 1 + i % 3, supervisor=i % 8 == 0) for i in range(1, 61))
    return generate.Context(
        tier=generate.TIERS["t0"],
        seed=seed,
        anchor=ANCHOR,
        bases=dict.fromkeys(generate.CAPS, 0),
        officers=officers,
        supervisors=tuple(o for o in officers if o.supervisor),
        ladders=ladders,
        places=names.places(seed),
    )


def _is_child(part: generate.Part, episode: dict[str, Any]) -> bool:
    child = next(p for p in part.rows["person"] if p["id"] == episode["child_id"])
    dob = child["date_of_birth"] or child.get("date_of_birth_earliest")
    assert dob is not None, "every synthetic person has a date of birth, exact or estimated"
    return episode["reported_at"] < generate._at(dob, generate.ADULT_AGE)


def _digest(part: generate.Part) -> str:
    tables = {key: bulk.Table(model) for key, model in table_models().items()}
    digest = hashlib.sha256()
    for key, rows in part.rows.items():
        for row in rows:
            digest.update(tables[key].line(row).encode())
    for pair in part.truth:
        digest.update(repr(pair).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def force() -> list[generate.Part]:
    ctx = _context(7)
    return [generate.part_build(ctx, i) for i in range(ctx.tier.parts)]


def test_same_seed_makes_the_same_rows_and_another_seed_does_not() -> None:
    first = _digest(generate.part_build(_context(7), 1))
    again = _digest(generate.part_build(_context(7), 1))
    other = _digest(generate.part_build(_context(8), 1))
    assert first == again
    assert first != other


def test_a_part_is_the_same_made_alone_or_after_the_others(force: list[generate.Part]) -> None:
    alone = generate.part_build(_context(7), 3)
    assert _digest(alone) == _digest(force[3])


def test_parts_number_their_rows_in_separate_id_ranges(force: list[generate.Part]) -> None:
    for key in generate.CAPS:
        ids = [row["id"] for part in force for row in part.rows[key]]
        assert len(ids) == len(set(ids)), key
    assert sum(len(p.rows["person"]) for p in force) == generate.TIERS["t0"].people


def test_repeat_missing_is_zipf_skewed_most_once_a_few_twenty_times_or_more(force: list[generate.Part]) -> None:
    per_person = Counter(row["child_id"] for part in force for row in part.rows["episode"])
    times = Counter(per_person.values())
    assert times[1] / len(per_person) > 0.6
    assert max(per_person.values()) >= 20
    assert sum(len(p.rows["episode"]) for p in force) == pytest.approx(generate.TIERS["t0"].episodes, rel=0.05)


def test_about_61_percent_of_missing_reports_are_children(force: list[generate.Part]) -> None:
    dob = {
        row["id"]: row["date_of_birth"] or row.get("date_of_birth_earliest")
        for part in force
        for row in part.rows["person"]
    }
    episodes = [row for part in force for row in part.rows["episode"]]
    children = sum(1 for e in episodes if (e["reported_at"].date() - dob[e["child_id"]]).days < 18 * 365.25)
    assert children / len(episodes) == pytest.approx(generate.CHILD_SHARE, abs=0.05)


def test_a_child_is_missing_in_at_most_one_active_episode(force: list[generate.Part]) -> None:
    active = Counter(
        row["child_id"] for part in force for row in part.rows["episode"] if row["state"] in ("reported", "open")
    )
    assert active, "the force has children missing now"
    assert max(active.values()) == 1


def test_episodes_meet_the_missing_constraints(force: list[generate.Part]) -> None:
    for part in force:
        for e in part.rows["episode"]:
            assert e["found_at"] is None or e["found_at"] >= e["last_seen_at"]
            assert not e["looked_after"] or e["responsible_authority"]  # M-13
            assert e.get("prevention_waived_at") is None or e["prevention_waived_reason"]  # M-11
        for e in part.rows["episode"]:
            assert e["grade"] not in ("medium", "high") or e.get("cra_decision") or not _is_child(part, e)  # M-08
        for a in part.rows["assessment"]:
            assert a["rationale"]  # M-02
            assert a["vocabulary_version"]  # M-01
            assert a["grade"] != "very_low" or a["agreed_actions"]
        for q in part.rows["enquiry"]:
            assert q["status"] != "completed" or (q["result"] and q["completed_at"])
            assert q["status"] != "cancelled" or q["cancel_reason"]


def test_m06_a_child_graded_below_medium_carries_a_supervisors_override(force: list[generate.Part]) -> None:
    part = force[0]
    episodes = {e["id"]: e for e in part.rows["episode"]}
    below = [a for a in part.rows["assessment"] if a["grade"] in ("low", "very_low")]
    children = [a for a in below if _is_child(part, episodes[a["episode_id"]])]
    assert children
    for a in children:
        assert a["floor_override_by_id"]
        assert a["floor_override_reason"]


def test_at_most_one_live_deadline_per_case_and_key(force: list[generate.Part]) -> None:
    live = Counter(
        (row["case_id"], row["key"])
        for part in force
        for row in part.rows["deadline"]
        if row["state"] in ("open", "breached", "paused")
    )
    assert live
    assert max(live.values()) == 1


def test_near_duplicates_are_labelled_and_differ_from_their_original(force: list[generate.Part]) -> None:
    people = {row["public_id"]: row for part in force for row in part.rows["person"]}
    truth = [pair for part in force for pair in part.truth]
    hows = Counter(how for *_, how in truth)
    assert len(truth) > 100
    assert {"typo", "swap", "hyphen"} <= set(hows)
    for first, second, _how in truth:
        a, b = people[first], people[second]
        assert (a["normalised_name"], a["date_of_birth"]) != (b["normalised_name"], b["date_of_birth"])


def test_normalised_names_are_computed_as_the_people_services_do(force: list[generate.Part]) -> None:
    for row in force[0].rows["person"][:500]:
        assert row["normalised_name"] == normalise_name(f"{row['forenames']} {row['surname']}")
        assert row["normalised_surname"] == normalise_name(row["surname"])


def test_names_come_from_several_traditions_with_their_spellings(force: list[generate.Part]) -> None:
    surnames = {row["surname"] for part in force for row in part.rows["person"]}
    welsh, irish, polish, asian, arabic = (set(o.surnames) for o in names.ORIGINS[1:])
    for pool in (welsh - {"Jones"}, irish, polish, asian, arabic):
        assert surnames & {s for name in pool for s in (name, *names.VARIANTS.get(name, ()))}
    assert names.variant_of("Mohammed Khan", __import__("random").Random(1)) in {
        f"{v} Khan" for v in names.VARIANTS["Mohammed"]
    }


def test_copy_text_escapes_tabs_newlines_and_backslashes() -> None:
    assert bulk._text("12 High St\nLeeds\tx\\y") == "12 High St\\nLeeds\\tx\\\\y"
    assert bulk._text(None) == "\\N"
    assert bulk._text(["a", "b"]) == '{"a","b"}'
    assert bulk._text(bulk.Json({"k": [1]})) == '{"k":[1]}'
