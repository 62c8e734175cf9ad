"""Fixtures every Haven test may use: users with a second factor, the domain's records (people,
cases, missing episodes, trigger plans: made through the services by haven/factories.py), the s62
rows they leave, a real SMTP server, the clock, and a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from aiosmtpd.controller import Controller
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.test import Client
from mfa.models import MFAKey

from haven import factories
from haven.core import clock as haven_clock
from haven.core.testing import DEFAULT_PASSWORD, SchemaRun, schemathesis_run, sign_in

ARTIFACTS = Path(__file__).parent / "test-artifacts"


# --- Clock -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _reset_clock() -> Iterator[None]:
    haven_clock.reset()
    yield
    haven_clock.reset()


@pytest.fixture
def clock() -> Any:
    """Haven's clock; ``clock.travel(timedelta(...))`` moves every part of Haven in this process."""
    return haven_clock


# --- Reference rows the migrations seed --------------------------------------------------------


def _empties_every_table(item: pytest.Item) -> bool:
    """A transactional or live-server test ends by flushing: the ranks and standard qualifications go too."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = bool(marker and marker.kwargs.get("transaction"))
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


def wait_for_the_live_server_to_finish(timeout: float = 5.0) -> None:
    """Wait (at most ``timeout`` seconds) until no other connection to this test database is running a
    statement or holding a transaction open: a request the browser sent just before its test ended may
    still be served, and emptying every table under it can deadlock (on CI: "couldn't be flushed", and
    every later test of that process met the rows left behind)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Before a live-server test's tables are emptied, let the server finish what it is serving; after a test
    that emptied every table, put back the reference rows each app registered (haven.core.seeds), so the
    next test in this process finds them whatever ran before it."""
    if "live_server" in getattr(item, "fixturenames", ()):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            wait_for_the_live_server_to_finish()
    yield
    if nextitem is not None and _empties_every_table(item):  # after the last test the database is gone
        from pytest_django.plugin import blocking_manager_key

        from haven.core.seeds import seed_all

        with item.config.stash[blocking_manager_key].unblock():
            seed_all()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``serialized_rollback`` is refused: its restore silently does nothing once the session's browser runs
    (another connection object), and where it does run it would meet the rows the seeds put back."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("serialized_rollback"):
        pytest.fail(
            "Drop serialized_rollback: the reference rows come back after every flush "
            "(haven.core.seeds, conftest.pytest_runtest_teardown)."
        )


# --- Time limits ----------------------------------------------------------------------------

_DATABASE_BUILT = False
BUILDING_THE_DATABASE = 1800.0  # seconds: every migration, while the other process does the same


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """pytest-django's, noting when the test database is built (the time limit below). A database kept from
    an earlier run (``--reuse-db``) may have been left emptied by its last test: the reference rows go back."""
    global _DATABASE_BUILT  # noqa: PLW0603 - one flag a process
    _DATABASE_BUILT = True
    from haven.core.seeds import seed_all

    with django_db_blocker.unblock():
        seed_all()


def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> bool | None:
    """The test that builds this process's test database (every migration) is not held to the per-test limit:
    on a busy two-core machine that alone took longer, and every test then failed."""
    if _DATABASE_BUILT:
        return None  # pytest-timeout's own limit
    import pytest_timeout

    return bool(pytest_timeout.pytest_timeout_set_timer(item, settings._replace(timeout=BUILDING_THE_DATABASE)))


# --- Mail: a real SMTP server on loopback ------------------------------------------------------


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, _Mailbox]]:
    mailbox = _Mailbox()
    with socket.socket() as probe:  # aiosmtpd cannot take port 0, so find a free port first
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture(autouse=True)
def mailbox(settings: Any, smtp_server: tuple[Controller, _Mailbox]) -> list[Any]:
    """Messages Haven sent through Django's SMTP backend to the local server during this test."""
    controller, box = smtp_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": controller.hostname, "port": controller.port, "timeout": 5},
        }
    }
    box.messages.clear()
    return box.messages


# --- Users -------------------------------------------------------------------------------------


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """Create a user with the given roles and (by default) an authenticator app enrolled.

    The TOTP secret is kept on ``user.totp_secret`` so a test can produce valid codes.
    """
    counter = {"n": 0}

    def make(
        username: str | None = None,
        *,
        roles: tuple[str, ...] = ("response_officer",),
        mfa: bool = True,
        rank: str | None = "PC",
        team: str | None = "TEST",
        password: str = DEFAULT_PASSWORD,
    ) -> Any:
        counter["n"] += 1
        user = factories.user(
            username=username or f"user{counter['n']}",
            roles=roles,
            rank=rank,
            team=team,
            password=password,
        )
        user.totp_secret = None
        if mfa:
            user.totp_secret = pyotp.random_base32()
            MFAKey.objects.create(user=user, method="TOTP", name="Phone", secret=user.totp_secret)
        return user

    return make


@pytest.fixture
def signed_in(client: Client, make_user: Callable[..., Any]) -> Callable[..., tuple[Client, Any]]:
    """``signed_in(roles=(...))`` → a test client signed in with password and second factor."""

    def make(**kwargs: Any) -> tuple[Client, Any]:
        user = make_user(**kwargs)
        sign_in(client, user)
        return client, user

    return make


@pytest.fixture
def ranks(make_user: Callable[..., Any]) -> dict[str, Any]:
    """An officer, their sergeant, a duty inspector and a superintendent (plus a stranger in another team)."""
    return {
        "officer": make_user("officer", roles=("investigator",), rank="DC", team="CATE"),
        "sergeant": make_user("sergeant", roles=("supervisor",), rank="DS", team="CATE"),
        "inspector": make_user("inspector", roles=("inspector",), rank="DI", team="CMD"),
        "superintendent": make_user("superintendent", roles=("inspector",), rank="SUPT", team="CMD"),
        "stranger": make_user("stranger", roles=("investigator",), rank="DC", team="OTHER"),
    }


# --- The domain's records, made through the services (haven/factories.py) -----------------------


@pytest.fixture
def make_person(db: Any) -> Callable[..., Any]:
    """``make_person("Amy", "Jones", date_of_birth=…, is_restricted=…, actor=…)``: a recorded person.

    Recorded by ``actor`` (else a recorder in no team); the names default to ones unique in the run.
    """

    def make(forenames: str | None = None, surname: str | None = None, **data: Any) -> Any:
        names = {key: value for key, value in (("forenames", forenames), ("surname", surname)) if value is not None}
        return factories.person(**names, **data)

    return make


@pytest.fixture
def make_child(db: Any) -> Callable[..., Any]:
    """``make_child("Kayla", "Brook", age=14, …)``: a person aged ``age`` (None: date of birth unknown)."""

    def make(forenames: str | None = None, surname: str | None = None, *, age: int | None = 14, **data: Any) -> Any:
        names = {key: value for key, value in (("forenames", forenames), ("surname", surname)) if value is not None}
        return factories.child(age=age, **names, **data)

    return make


@pytest.fixture
def make_case(db: Any) -> Callable[..., Any]:
    """``make_case(owner, subject=None, restricted=False, members=(), summary="", kind=…)``: a case
    opened by ``owner`` about ``subject`` (else a new person)."""

    def make(owner: Any, **options: Any) -> Any:
        return factories.case(owner=owner, **options)

    return make


@pytest.fixture
def make_episode(db: Any) -> Callable[..., Any]:
    """``make_episode(reporter, child=None, grade="", assessor=None, **report)``: a child reported
    missing by ``reporter`` (and graded by ``assessor``, else the reporter, when ``grade`` is given)."""

    def make(reporter: Any, child: Any = None, **data: Any) -> Any:
        return factories.episode(reporter=reporter, child=child, **data)

    return make


@pytest.fixture
def make_plan(db: Any) -> Callable[..., Any]:
    """``make_plan(author, child=None, **content)``: a trigger plan written by ``author`` for ``child``
    (else a new child); ``content`` overrides the agencies, thresholds, review date or actions."""

    def make(author: Any, child: Any = None, **data: Any) -> Any:
        return factories.plan(author=author, child=child, **data)

    return make


@pytest.fixture
def events() -> Callable[..., list[Any]]:
    """``events(case=…, person=…, outcome=…, operation=…, actor=…)`` → the s62 rows that match, oldest first."""

    def find(*, case: Any = None, person: Any = None, **filters: Any) -> list[Any]:
        from haven.audit.models import AccessEvent

        rows = AccessEvent.objects.filter(**filters)
        if case is not None:
            rows = rows.filter(case_ids__contains=[case.public_id])
        if person is not None:
            rows = rows.filter(person_ids__contains=[person.public_id])
        return list(rows.order_by("id"))

    return find


# --- Live-server tests -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leave_database_as_found(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Put every row back as it was before this module's live-server tests, once they are done.

    A live-server test empties every table afterwards, taking the ranks the migrations seed with it.
    ``serialized_rollback`` should put them back, but cannot be relied on: once the session's
    Playwright browser is running, the main thread sees a different Django connection object, one
    without the serialized data, so later tests would silently find no ranks.
    """
    with django_db_blocker.unblock():
        saved = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(saved)
        # The flush restarted every id sequence and the rows came back with their own ids: move each
        # sequence past them, or the next rank or team made through the API collides with rank 1.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(statement)
        connection.close()  # this may be a connection the test database's teardown cannot see


@pytest.fixture
def schema_run(live_server: Any) -> Callable[..., SchemaRun]:
    """``schema_run(user, seed=…, max_examples=…, paths=r"^/api/v1/cases")``: schemathesis against the
    live API with a token of ``user`` carrying every scope they hold (see haven.core.testing)."""
    from haven.accounts.schemas import TokenIn
    from haven.accounts.services import api_token_create

    def run(user: Any, *, seed: int, max_examples: int, paths: str | None = None) -> SchemaRun:
        _, token = api_token_create(actor=user, data=TokenIn(name="schemathesis", scopes=sorted(user.permissions)))
        return schemathesis_run(live_server.url, token, seed=seed, max_examples=max_examples, paths=paths)

    return run


# --- Browser -----------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("HAVEN_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Missing under CI is a failure, never a skip."""
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: install Debian's chromium (apt-get install -y chromium)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, django_db_blocker: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
    with django_db_blocker.unblock():
        wait_for_the_live_server_to_finish()  # what the page asked for last, before the tables are emptied


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
