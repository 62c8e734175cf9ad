"""Case references: force prefix, year, a sequence per year; unique even when cases open at once."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from haven.cases.models import Case, ReferenceCounter
from haven.cases.services import reference_next


def test_reference_is_prefix_year_and_six_digit_sequence(make_user, make_case, clock, settings):
    settings.HAVEN_FORCE_PREFIX = "DEM"
    clock.freeze(datetime(2026, 6, 1, 12, tzinfo=UTC))
    owner = make_user()
    first, second = make_case(owner), make_case(owner)
    assert first.reference == "DEM-2026-000001"
    assert second.reference == "DEM-2026-000002"


def test_sequence_starts_again_each_year(make_user, make_case, clock):
    owner = make_user()
    clock.freeze(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    last_of_2026 = make_case(owner)
    clock.freeze(datetime(2027, 1, 1, 0, 30, tzinfo=UTC))  # already 2027 in London too
    first_of_2027 = make_case(owner)
    assert last_of_2026.reference.endswith("-2026-000001")
    assert first_of_2027.reference.endswith("-2027-000001")


@pytest.mark.django_db(transaction=True)
def test_references_are_unique_when_many_cases_open_at_once():
    """Eight connections take references at the same moment: every number is different and none is skipped."""
    workers, each = 8, 5
    barrier = threading.Barrier(workers)
    found: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(each):
                with transaction.atomic():
                    reference = reference_next()
                with lock:
                    found.append(reference)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(found) == len(set(found)) == workers * each
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in found)
    assert numbers == list(range(1, workers * each + 1))
    assert all(re.fullmatch(r"HVN-\d{4}-\d{6}", r) for r in found)
    assert ReferenceCounter.objects.get().last == workers * each


def test_reference_is_unique_in_the_database(make_user, make_case):
    from django.db import IntegrityError

    case = make_case(make_user())
    other = make_case(make_user())
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=other.pk).update(reference=case.reference)
