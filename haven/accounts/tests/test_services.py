"""Account services: API tokens and creating users."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from haven.accounts import operations, services
from haven.accounts.models import ApiToken, User
from haven.accounts.schemas import UserOnServerIn
from haven.accounts.tests.pages import text
from haven.core.errors import Forbidden, ValidationFailed
from haven.core.operations import run
from haven.core.permissions import Perm

RAW_TOKEN = re.compile(r"^hvn_(?P<prefix>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})$")


def parts(raw: str) -> re.Match[str]:
    """The prefix and secret of a full token; fails the test if ``raw`` is not one."""
    match = RAW_TOKEN.match(raw)
    assert match, raw
    return match


@pytest.fixture
def officer(make_user):
    return make_user("officer", roles=("response_officer",))


def make_token(user, **kwargs):
    """A token made as the API and the page make one: through its declaration."""
    kwargs.setdefault("name", "RHI feed")
    kwargs.setdefault("scopes", [Perm.CASES_CASE_VIEW])
    return run(operations.api_token_create, actor=user, data=kwargs)


# --- api_token_create -------------------------------------------------------------------------


def test_token_scopes_cannot_go_beyond_the_owners_roles(officer):
    with pytest.raises(ValidationFailed) as refused:
        make_token(officer, scopes=[Perm.CASES_CASE_VIEW, Perm.ACCOUNTS_USER_MANAGE])

    assert refused.value.fields == {"scopes": ["Your roles do not allow accounts:user:manage"]}
    assert not ApiToken.objects.exists()


def test_token_needs_the_token_permission(make_user):
    nobody = make_user(roles=())  # every role may make tokens (at most its own permissions)

    with pytest.raises(Forbidden):
        make_token(nobody, scopes=[Perm.CASES_CASE_VIEW])


def test_token_expiry_must_be_in_the_future(officer, clock):
    clock.freeze(clock.now())
    for expires_at in (clock.now() - timedelta(minutes=1), clock.now()):
        with pytest.raises(ValidationFailed) as refused:
            make_token(officer, expires_at=expires_at)
        assert refused.value.fields == {"expires_at": ["The expiry must be in the future"]}
    assert not ApiToken.objects.exists()


def test_token_cannot_last_longer_than_the_configured_maximum(officer, clock, settings):
    settings.HAVEN_API_TOKEN_MAX_DAYS = 30
    clock.freeze(clock.now())

    with pytest.raises(ValidationFailed) as refused:
        make_token(officer, expires_at=clock.now() + timedelta(days=30, seconds=1))

    assert refused.value.fields == {"expires_at": ["A token can last at most 30 days"]}
    token, _raw = make_token(officer, expires_at=clock.now() + timedelta(days=30))
    assert token.expires_at == clock.now() + timedelta(days=30)


def test_token_text_is_returned_once_and_only_its_sha256_is_kept(officer):
    token, raw = make_token(officer)

    match = parts(raw)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.prefix == match["prefix"]
    assert stored.secret_hash == hashlib.sha256(match["secret"].encode()).hexdigest()
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(match["secret"] in str(value) for value in row.values())
    assert not any(match["secret"] in str(value) for value in vars(token).values())
    _again, other_raw = make_token(officer)
    assert other_raw != raw


def test_token_page_shows_the_token_once_and_the_account_page_only_its_prefix(signed_in):
    client, _user = signed_in(roles=("response_officer",))

    created = client.post("/account/tokens/new/", {"name": "RHI feed", "scopes": [Perm.CASES_CASE_VIEW], "days": 30})

    assert created.status_code == 200
    raw = next(word for word in text(created).split() if RAW_TOKEN.match(word))
    prefix = parts(raw)["prefix"]
    account = text(client.get("/account/"))
    assert f"hvn_{prefix}_" in account
    assert raw not in account


# --- api_token_authenticate -------------------------------------------------------------------


def test_live_token_authenticates_and_records_its_use(officer):
    token, raw = make_token(officer)

    assert services.api_token_authenticate(raw) == token
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert services.api_token_authenticate(f"  {raw}\n") == token


def test_revoked_token_is_rejected(officer):
    token, raw = make_token(officer)
    run(operations.api_token_revoke, actor=officer, target=token, data={})

    assert services.api_token_authenticate(raw) is None


def test_expired_token_is_rejected(officer, clock):
    _token, raw = make_token(officer, expires_at=clock.now() + timedelta(days=1))
    clock.travel(timedelta(hours=23))
    assert services.api_token_authenticate(raw) is not None

    clock.travel(timedelta(hours=1, seconds=1))

    assert services.api_token_authenticate(raw) is None


def test_token_of_an_inactive_owner_is_rejected(officer):
    _token, raw = make_token(officer)
    User.objects.filter(pk=officer.pk).update(is_active=False)

    assert services.api_token_authenticate(raw) is None


def test_malformed_or_wrong_tokens_are_rejected(officer):
    _token, raw = make_token(officer)
    prefix, secret = parts(raw).group("prefix", "secret")

    for candidate in (
        "",
        "hvn",
        "hvn_",
        f"hvn_{prefix}",
        f"hvn_{prefix}_",
        f"xyz_{prefix}_{secret}",
        f"HVN_{prefix}_{secret}",
        f"hvn_{prefix}_{secret}x",
        f"hvn_{prefix}_{secret[:-1]}",
        f"hvn_{'0' * 12}_{secret}",
        f"Bearer {raw}",
    ):
        assert services.api_token_authenticate(candidate) is None, candidate


# --- user_create ------------------------------------------------------------------------------


ALICE = {"username": "alice", "first_name": "Alice", "last_name": "Smith", "email": "alice@example.test"}


def create_user(**kwargs: Any) -> User:
    """A user made on the server (an operator command), with a password."""
    data = UserOnServerIn(**{**ALICE, "password": "correct-horse-battery-staple", **kwargs})
    return services.user_create(actor=None, data=data)


@pytest.mark.parametrize("password", ["short-pw", "password1234", "123456789012", "alice@example.test"])
def test_user_create_refuses_weak_passwords(db, password):
    with pytest.raises(ValidationFailed) as refused:
        create_user(password=password)

    assert list(refused.value.fields) == ["password"]
    assert not User.objects.filter(username="alice").exists()


def test_user_create_refuses_unknown_roles(make_user):
    admin = make_user(roles=("administrator",))

    with pytest.raises(ValidationFailed) as refused:
        run(operations.user_create, actor=admin, data={**ALICE, "roles": ["investigator", "wizard"]})

    assert refused.value.fields == {"roles.1": ["Select the roles from the list"]}
    assert not User.objects.filter(username="alice").exists()


def test_user_update_refuses_unknown_roles(make_user):
    admin = make_user(roles=("administrator",))
    bob = make_user("bob")

    with pytest.raises(ValidationFailed):
        run(operations.user_update, actor=admin, target=bob, data={"roles": ["wizard"]})

    bob.refresh_from_db()
    assert bob.roles == ["response_officer"]


def test_database_refuses_unknown_roles_written_around_the_services(db):
    user = User(username="sneaky", roles=["investigator", "wizard"])

    with pytest.raises(IntegrityError, match="accounts_user_roles_known"), transaction.atomic():
        user.save()


def test_user_create_by_someone_who_may_not_manage_users_is_forbidden(make_user):
    supervisor = make_user(roles=("supervisor",))

    with pytest.raises(Forbidden):
        run(operations.user_create, actor=supervisor, data=ALICE)
    assert not User.objects.filter(username="alice").exists()


def test_rank_defaults_match_the_migration_that_loads_them(db):
    import importlib

    migration = importlib.import_module("haven.accounts.migrations.0002_default_ranks")
    assert migration.RANKS == services.DEFAULT_RANKS


def test_rank_seed_defaults_adds_only_what_is_missing(db):
    from haven.accounts.models import Rank

    Rank.objects.filter(code="PS").delete()
    assert services.rank_seed_defaults() == 1
    assert services.rank_seed_defaults() == 0
    assert Rank.objects.get(code="PS").name == "Police Sergeant"
