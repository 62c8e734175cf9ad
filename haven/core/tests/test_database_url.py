"""connection_url: the DATABASE_URL a child process gets for a Django DATABASES entry.

The embedded server's HOST is a socket directory; a child given it unencoded connected to a database
named after the path (issue 14). psycopg and dj-database-url must both read the URL back as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys

import dj_database_url
import pytest
from django.conf import settings
from psycopg.conninfo import conninfo_to_dict

from haven.core.database import BASE_DIR, connection_url

SOCKET_DIRECTORY = "/tmp/Some dir/.data/postgres"  # noqa: S108 - a path to encode, nothing is written there


def socket_entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "test_haven",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": SOCKET_DIRECTORY,
        "PORT": "",
        "OPTIONS": {"application_name": "haven", "options": "-c jit=off"},
    }
    entry.update(changes)
    return entry


def test_socket_directory_host_reads_back_the_same_in_dj_database_url():
    parsed = dj_database_url.parse(connection_url(socket_entry()))

    assert parsed["HOST"] == SOCKET_DIRECTORY
    assert parsed["NAME"] == "test_haven"
    assert parsed["USER"] == "postgres"
    assert parsed["OPTIONS"] == {"application_name": "haven", "options": "-c jit=off"}


def test_socket_directory_host_reads_back_the_same_in_psycopg():
    parsed = conninfo_to_dict(connection_url(socket_entry(PORT=5432)))

    assert parsed["host"] == SOCKET_DIRECTORY
    assert parsed["dbname"] == "test_haven"
    assert parsed["port"] == "5432"
    assert parsed["options"] == "-c jit=off"


def test_host_given_as_an_option_is_the_host():
    """dj-database-url leaves the embedded server's ``?host=/dir`` in OPTIONS, not HOST."""
    url = connection_url(socket_entry(HOST="", OPTIONS={"host": SOCKET_DIRECTORY}))

    assert dj_database_url.parse(url)["HOST"] == SOCKET_DIRECTORY
    assert conninfo_to_dict(url) == {"user": "postgres", "host": SOCKET_DIRECTORY, "dbname": "test_haven"}


def test_network_server_keeps_its_login_and_port():
    entry = socket_entry(HOST="db.example.test", PORT=6543, USER="hav en", PASSWORD="p@ss:w/rd", OPTIONS={})

    parsed = dj_database_url.parse(connection_url(entry))

    assert (parsed["HOST"], parsed["PORT"]) == ("db.example.test", 6543)
    assert (parsed["USER"], parsed["PASSWORD"]) == ("hav en", "p@ss:w/rd")


def test_django_only_options_stay_out_of_the_url():
    entry = socket_entry(OPTIONS={"pool": {"min_size": 2}, "server_side_binding": True, "sslmode": "require"})

    assert dj_database_url.parse(connection_url(entry))["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.django_db
def test_child_process_reaches_this_runs_database():
    """A child given the URL of this run's database (embedded or not) connects to that very database,
    through Haven's settings as a worker does."""
    script = (
        "import django\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SELECT current_database()')\n"
        "    print(cursor.fetchone()[0])\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": connection_url(settings.DATABASES["default"]),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "HAVEN_ENV": "test",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == settings.DATABASES["default"]["NAME"]
