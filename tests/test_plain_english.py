"""People's words on people's pages: no page any demo user can open shows a rule id ("M-09", "DP-06"),
an algorithm's name ("metaphone"), a vocabulary's version ("Vocabulary app-2024") or a similarity
score. They belong in the code, the API and the audit view (issue 17).

Every UI route (tests/pages.py) is walked over the demo force as each demo user, so a page added later
is checked as soon as it is registered; every page that answers must not answer 500 either.

The access log's pages (``audit:``) are exempt: they show the s62 log's rows as they were written,
and a service's justification may cite its rule ("Return home interview notification (M-12)"), which
an auditor needs verbatim. Only auditors and data protection officers can open them.
"""

from __future__ import annotations

import re

import pytest

from haven.audit.tests.test_every_read_is_logged import demo  # noqa: F401 - the seeded demo force, a fixture
from tests.pages import client_for, demo_users, ui_routes, urls_for, visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.timeout(900)]

RULE_ID = re.compile(r"\b[A-Z]{1,4}-\d{2}\b")
JARGON = re.compile(r"metaphone|soundex|levenshtein|trigram|vocabulary app-|similarity \d|\bscore\b", re.I)
EXEMPT_NAMESPACES = {"audit": "the s62 log's rows, verbatim, for auditors only (see the docstring)"}


def _offences(text: str) -> list[tuple[str, str]]:
    """Each forbidden word found, with the words around it."""
    found = []
    for pattern in (RULE_ID, JARGON):
        for match in pattern.finditer(text):
            found.append((match.group(0), text[max(0, match.start() - 50) : match.end() + 30]))
    return found


def test_the_rule_id_pattern_finds_what_it_should_and_spares_case_references() -> None:
    assert RULE_ID.findall("Grade the risk (M-01) and DP-06, D-02, CONF-10") == ["M-01", "DP-06", "D-02", "CONF-10"]
    assert RULE_ID.findall("HVN-2026-000021, 7 Dec 2026, RESP-A, 12-24 hours") == []
    assert _offences("Name similarity 0.55 (double metaphone)")


def test_no_user_page_shows_a_rule_id_an_algorithm_or_a_score(
    demo: dict[str, str],  # noqa: F811 - the fixture imported above
) -> None:
    routes = [r for r in ui_routes() if r.namespace not in EXEMPT_NAMESPACES]
    urls = {r.name: urls_for(r) for r in routes}
    errors: list[str] = []
    found: dict[tuple[str, str], tuple[set[str], str]] = {}  # (route, word) -> (users, an example)
    answered: set[str] = set()
    # One user of each set of roles: the words on a page come from its template and the role that
    # opens it (two sergeants of different teams read the same words about different children).
    walkers = list({tuple(sorted(user.roles)): user for user in reversed(demo_users())}.values())
    for user in walkers:
        client = client_for(user)
        for route in routes:
            for url in urls[route.name]:
                response = client.get(url)
                if response.status_code >= 500:  # noqa: PLR2004
                    errors.append(f"{user.username} {url}: {response.status_code}")
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                answered.add(route.name)
                for word, context in _offences(visible_text(response.content.decode())):
                    users, example = found.setdefault((route.name, word), (set(), f"{url}: …{context}…"))
                    users.add(user.username)
    never = sorted(r.name for r in routes if r.name not in answered)
    print("Walked no page for:", ", ".join(never))  # a form for a state no demo record is in: reported
    assert {"cases:detail", "missing:detail", "dmm:board", "policy:list"} <= answered
    report = [
        f"{name}: “{word}” (as {', '.join(sorted(users))}) e.g. {example}"
        for (name, word), (users, example) in sorted(found.items())
    ]
    assert not errors, "Pages answered 500:\n" + "\n".join(errors)
    assert not report, f"{len(report)} rule ids or jargon on user pages:\n" + "\n".join(report)
