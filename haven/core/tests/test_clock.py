"""Haven's one clock: aware UTC, and movable by tests."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from haven.core import clock

LONDON = ZoneInfo("Europe/London")


def test_now_is_aware_utc_and_close_to_the_real_time() -> None:
    now = clock.now()

    assert now.tzinfo is UTC
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=1)


def test_travel_moves_the_clock_and_it_keeps_running() -> None:
    clock.travel(timedelta(days=2, hours=3))
    moved = clock.now()
    assert abs(moved - (datetime.now(UTC) + timedelta(days=2, hours=3))) < timedelta(seconds=1)

    clock.travel(timedelta(hours=-3))
    assert abs(clock.now() - (datetime.now(UTC) + timedelta(days=2))) < timedelta(seconds=1)
    first = clock.now()
    time.sleep(0.01)
    assert clock.now() > first, "travel never freezes the clock: it keeps ticking"


def test_freeze_stops_the_clock_and_travel_moves_a_frozen_clock() -> None:
    at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # half an hour before the clocks go forward in the UK
    clock.freeze(at)
    assert clock.now() == at
    assert clock.now() == at  # does not tick

    clock.travel(timedelta(hours=1))
    assert clock.now() == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert clock.now().astimezone(LONDON).hour == 2  # BST has begun
    assert clock.now().tzinfo is UTC


def test_freeze_converts_other_zones_to_utc() -> None:
    clock.freeze(datetime(2026, 7, 1, 9, 0, tzinfo=LONDON))  # 09:00 BST

    assert clock.now() == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_freeze_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        clock.freeze(datetime(2026, 1, 1, 12, 0))
    assert clock._frozen is None  # left untouched


def test_reset_undoes_travel_and_freeze() -> None:
    clock.travel(timedelta(days=30))
    clock.reset()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=1)

    clock.freeze(datetime(2000, 1, 1, tzinfo=UTC))
    clock.reset()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=1)


def test_moved_travels_for_a_block_only() -> None:
    clock.freeze(datetime(2026, 1, 1, tzinfo=UTC))

    with clock.moved(timedelta(minutes=31)):
        assert clock.now() == datetime(2026, 1, 1, 0, 31, tzinfo=UTC)
    assert clock.now() == datetime(2026, 1, 1, tzinfo=UTC)


def test_the_clock_is_shared_by_every_thread() -> None:
    """A live test server answers from another thread; it must see the time the test set."""
    at = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    clock.freeze(at)
    seen: list[datetime] = []

    thread = threading.Thread(target=lambda: seen.append(clock.now()))
    thread.start()
    thread.join()

    assert seen == [at]


def test_the_fixture_is_this_clock_and_starts_reset(clock: object) -> None:
    from haven.core import clock as haven_clock

    assert clock is haven_clock
    assert haven_clock._frozen is None
    assert haven_clock._offset == timedelta(0)


def test_a_friday_date_plus_one_working_day_is_the_monday():
    assert clock.working_days_after(date(2026, 6, 5), 1) == date(2026, 6, 8)
    assert clock.working_days_after(date(2026, 6, 5), 15) == date(2026, 6, 26)


def test_a_moment_keeps_its_uk_wall_clock_time_across_the_end_of_bst():
    friday = datetime(2026, 10, 23, 14, 30, tzinfo=UTC)  # 15:30 BST

    monday = clock.working_days_after(friday, 1)

    assert monday.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 10, 26, 15, 30)  # 15:30 GMT


def test_how_long_is_said_as_people_say_it():
    assert clock.duration_words(timedelta(days=3, hours=4, minutes=5)) == "3 days 4 hours"
    assert clock.duration_words(timedelta(hours=5, minutes=20)) == "5 hours 20 minutes"
    assert clock.duration_words(timedelta(minutes=40)) == "40 minutes"
    assert clock.duration_words(timedelta(seconds=30)) == "under a minute"
