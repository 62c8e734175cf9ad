"""Every auditor page, for every person of the demo force (``seed_demo``): the log searched by the
person, its CSV, the subject-access report on screen, in print and as CSV, and the person found by
name. Each answers 200 and names the person, including after the auditor's own CSV downloads have put
disclosures to the auditor (recipients with a name and no organisation) in the person's history: the
subject-access report answered 500 for every person once one such row named them.

The walk is over the URLconf's ``audit`` namespace, so an auditor page added later fails here until
this walk visits it (``PER_PERSON`` or ``ONCE``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.audit.tests.test_every_read_is_logged import demo  # noqa: F401 - the seeded demo force, a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Pages about one person, by route name: the URL for a person's public id.
PER_PERSON: dict[str, Callable[[str], list[str]]] = {
    "audit:index": lambda p: [f"/audit/?person={p}"],
    "audit:export": lambda p: [f"/audit/export.csv?person={p}"],
    "audit:subject-access": lambda p: [f"/audit/subject-access/{p}/?format=csv", f"/audit/subject-access/{p}/"],
    "audit:subject-access-print": lambda p: [f"/audit/subject-access/{p}/print/"],
}
# Pages about nobody in particular, or that only lead to the pages above (the people found by name are
# walked in the last test).
ONCE = {
    "audit:alerts": "/audit/alerts/",
    "audit:people": "/audit/people/",
    "audit:subject-access-start": "/audit/subject-access/",
}


def _audit_routes() -> set[str]:
    def walk(patterns: list[Any], namespace: str | None) -> set[str]:
        names: set[str] = set()
        for p in patterns:
            if isinstance(p, URLResolver):
                names |= walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "audit" and p.name:
                names.add(f"audit:{p.name}")
        return names

    return walk(get_resolver().url_patterns, None)


def test_every_auditor_page_is_walked_here() -> None:
    assert _audit_routes() == set(PER_PERSON) | set(ONCE)


def test_dp02_every_auditor_page_answers_for_every_demo_person(
    demo: dict[str, str],  # noqa: F811 - the fixture imported above
    signed_in: Callable[..., tuple[Client, Any]],
) -> None:
    client, auditor = signed_in(username="sar_auditor", roles=("auditor",))
    people = list(apps.get_model("people", "Person")._default_manager.order_by("pk"))
    assert len(people) > 100, "the demo force has its people"
    failures: list[str] = []
    for url in ONCE.values():
        if (status := client.get(url).status_code) != 200:
            failures.append(f"{url}: {status}")
    for person in people:
        name = f"{person.forenames} {person.surname}"
        for route, urls in PER_PERSON.items():
            for url in urls(str(person.public_id)):
                response = client.get(url)
                if response.status_code != 200:
                    failures.append(f"{url} ({name}): {response.status_code}")
                    continue
                body = response.content.decode()
                if route in ("audit:subject-access", "audit:subject-access-print") and "format=csv" not in url:
                    report = response.context["report"]
                    if report.named is None or report.named.name != name or report.total == 0:
                        failures.append(f"{url}: the report does not name {name} or lists nothing")
                elif "csv" in url:
                    rows = list(csv.DictReader(io.StringIO(body)))
                    if not rows or any(str(person.public_id) not in r["person_ids"] for r in rows):
                        failures.append(f"{url}: the CSV does not hold {name}'s events")
        if len(failures) > 20:
            break
    assert not failures, "\n".join(failures[:20])
    # Every report, on screen and in print, was itself logged; the CSVs as disclosures to the auditor.
    reads = AccessEvent.objects.filter(actor=auditor, detail__has_key="s62_subject_access")
    assert reads.filter(operation=Operation.CONSULTATION).count() == 2 * len(people)
    assert reads.filter(operation=Operation.DISCLOSURE).count() == len(people)


def test_dp02_every_demo_person_is_found_by_name_and_date_of_birth(
    demo: dict[str, str],  # noqa: F811 - the fixture imported above
    signed_in: Callable[..., tuple[Client, Any]],
) -> None:
    client, _ = signed_in(username="name_auditor", roles=("auditor",))
    missed = []
    for person in apps.get_model("people", "Person")._default_manager.order_by("pk"):
        query = {"name": f"{person.forenames} {person.surname}"}
        if person.date_of_birth:
            born = person.date_of_birth
            query |= {
                "date_of_birth-day": str(born.day),
                "date_of_birth-month": str(born.month),
                "date_of_birth-year": str(born.year),
            }
        response = client.get("/audit/people/", query)
        if response.status_code != 200 or person.public_id not in {p.public_id for p in response.context["found"]}:
            missed.append(f"{query}: {response.status_code}")
    assert not missed, "\n".join(missed[:20])
