"""`make run`: PostgreSQL (embedded unless DATABASE_URL is set), migrations, demo data, then the web
server and the procrastinate worker, kept running like a service manager would: a process that dies
is restarted (scripts/supervise.py). Ctrl-C, SIGTERM or SIGHUP stops them all, the demo's mail sink
and the embedded database.

Each instance keeps what is its own under ``.data/run-<HAVEN_PORT>/`` (gunicorn's control socket, the
caught e-mail), so two instances on different ports do not collide. The embedded PostgreSQL is shared:
the last instance to stop stops it.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a file (`python scripts/run.py`), not as a module
    sys.path.insert(0, str(ROOT))

from config.env import env_bool, env_choice  # noqa: E402 - needs ROOT on sys.path
from haven.core.database import DATA_DIR  # noqa: E402
from scripts.ports import port_free  # noqa: E402
from scripts.supervise import Service, StopFlag, Supervisor, supervise  # noqa: E402

PYTHON = sys.executable
HOST = os.environ.get("HAVEN_HOST", "127.0.0.1")
PORT = int(os.environ.get("HAVEN_PORT", "8000"))

MAIL_PORT_OFFSET = 25
"""The mail sink listens on HAVEN_PORT + 25 (8025 for 8000) when that port is free, else on any free port."""

UNIX_SOCKET_PATH_MAX = 100
"""A Unix socket path longer than about 104 bytes cannot be bound (sockaddr_un); past this, no socket."""


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def instance_dir(port: int) -> Path:
    """What belongs to the instance on ``port`` alone: its control socket and caught mail."""
    return DATA_DIR / f"run-{port}"


def control_socket(port: int) -> Path:
    return instance_dir(port) / "gunicorn.ctl"


def mail_dir(port: int) -> Path:
    return instance_dir(port) / "mail"


def preferred_mail_port(port: int) -> int:
    return port + MAIL_PORT_OFFSET


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def demo_mode() -> bool:
    """The same default as settings.DEMO_MODE: on unless HAVEN_ENV is production."""
    profile = env_choice("HAVEN_ENV", "development", ("development", "test", "production"))
    return env_bool("HAVEN_DEMO_MODE", profile != "production")


def web_command(port: int) -> list[str]:
    socket_path = control_socket(port)
    # gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl): a second
    # instance would take it over and the first to stop would remove it. Keep it per instance.
    if len(str(socket_path)) <= UNIX_SOCKET_PATH_MAX:
        control = ["--control-socket", str(socket_path)]
    else:
        control = ["--no-control-socket"]
    return [
        PYTHON,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        os.environ.get("HAVEN_WEB_WORKERS", "2"),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
        *control,
    ]


def worker_command(port: int) -> list[str]:
    # concurrency: the deadline sweep keeps watch in one slot, e-mail and the rest run beside it
    return [PYTHON, "manage.py", "procrastinate", "worker", "--name", f"haven-worker-{port}", "--concurrency", "4"]


def start_mail_sink(port: int) -> Any | None:
    """In demo mode, with no mail server named, catch Haven's e-mail in a local sink (/demo/mail/)."""
    if not demo_mode() or os.environ.get("HAVEN_EMAIL_HOST"):
        return None
    from scripts import mailsink

    folder = mail_dir(port)
    try:
        sink = mailsink.start(folder, "127.0.0.1", preferred_mail_port(port))
    except OSError as exc:
        say(f"Could not start the demo mail sink ({exc}); e-mail will not be caught")
        return None
    os.environ["HAVEN_EMAIL_HOST"] = sink.hostname
    os.environ["HAVEN_EMAIL_PORT"] = str(sink.port)
    os.environ["HAVEN_DEMO_MAIL_DIR"] = str(folder)
    say(f"Catching e-mail on {sink.hostname}:{sink.port} (kept in {folder}, shown at /demo/mail/)")
    return sink


def when_up(url: str) -> Callable[[], None]:
    """A tick for the supervising loop: print the banner once ``url`` answers."""
    shown = False

    def tick() -> None:
        nonlocal shown
        if shown:
            return
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own loopback URL
                pass
        except OSError:
            return
        shown = True
        banner()

    return tick


def banner() -> None:
    from haven.demo.constants import DEMO_PASSWORD, USERS

    url = f"http://{HOST}:{PORT}"
    users = ", ".join(u.username for u in USERS)
    mail = f"\n  E-mail Haven sent: {url}/demo/mail/" if os.environ.get("HAVEN_DEMO_MAIL_DIR") else ""
    print(
        f"""
Haven is running at {url}

  Demo sign-ins (password: {DEMO_PASSWORD}): {users}
  Second factor: run  bin/haven demo-code USERNAME  in another terminal for the current code.
  API docs: {url}/api/v1/docs     Health: {url}/healthz{mail}

Press Ctrl-C to stop the web server, the worker and the embedded database.
""",
        flush=True,
    )


def main() -> int:
    os.chdir(ROOT)
    os.environ.setdefault("HAVEN_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("HAVEN_BASE_URL", f"http://{HOST}:{PORT}")  # links in e-mail lead back here
    if not port_free(HOST, PORT):
        print(f"Port {PORT} on {HOST} is in use. Stop it, or run: make run HAVEN_PORT=8001", file=sys.stderr)
        return 1
    # From here on a stop signal ends the run in order (children, sink, database), never half-way.
    stopping = StopFlag()
    stopping.install()
    instance_dir(PORT).mkdir(parents=True, exist_ok=True)

    from haven.core.database import database_url

    if not os.environ.get("DATABASE_URL"):
        say(f"Starting the embedded PostgreSQL (data in {DATA_DIR / 'postgres'})")
    # This process holds the embedded server; the children connect to it by URL and it stops
    # when this process exits (the last instance's, when several run).
    os.environ["DATABASE_URL"] = database_url()
    sink = start_mail_sink(PORT)
    try:
        return serve(stopping)
    finally:
        if sink is not None:
            sink.stop()


def app_database_url(owner_url: str) -> str:
    """The URL the web server and the worker use: the least-privilege application role's.

    ``HAVEN_APP_DATABASE_URL`` when the operator gives one (their own role, made as docs/operations.md
    says). Otherwise the role ``haven_app`` is made (or refreshed: new tables from new migrations) on
    the owner's database, with a password kept under ``.data/``. An owner who may not create roles (a
    managed server's ordinary user) is told, and Haven runs as the owner, as it did before.
    """
    given = os.environ.get("HAVEN_APP_DATABASE_URL", "").strip()
    if given:
        say("The web server and the worker connect as HAVEN_APP_DATABASE_URL's role")
        return given
    import psycopg

    from haven.core.database import APP_ROLE, app_role_ensure

    secret = DATA_DIR / "app_role_password"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(24))
        secret.chmod(0o600)
    try:
        url = app_role_ensure(owner_url, role=APP_ROLE, password=secret.read_text().strip())
    except psycopg.errors.InsufficientPrivilege:
        say(
            "The database user may not create roles, so the web server and the worker connect as the owner: "
            "set HAVEN_APP_DATABASE_URL to a least-privilege role (docs/operations.md)"
        )
        return owner_url
    say(f"The web server and the worker connect as the least-privilege role {APP_ROLE}")
    return url


def serve(stopping: StopFlag) -> int:
    try:
        for step, args in (
            ("Applying migrations", ("migrate", "--noinput", "-v", "0")),
            ("Collecting static files", ("collectstatic", "--noinput", "-v", "0")),
            ("Loading demo data", ("demo",)),
        ):
            if stopping:
                say("Stopped")
                return 0
            say(step)
            manage(*args)
    except subprocess.CalledProcessError as exc:
        if stopping:
            say("Stopped")
            return 0
        print(f"Setting up failed at: {' '.join(exc.cmd[1:])}. See the messages above.", file=sys.stderr)
        return 1

    # The web server and the worker connect as the least-privilege role; migrations and the demo
    # data above ran as the owner (docs/operations.md, "Two database roles").
    os.environ["DATABASE_URL"] = app_database_url(os.environ["DATABASE_URL"])
    say(f"Starting the web server on http://{HOST}:{PORT} and the worker")
    supervisor = Supervisor(
        [Service("web server", web_command(PORT)), Service("worker", worker_command(PORT))], cwd=ROOT, say=say
    )
    supervisor.start()
    supervise(supervisor, stopping, tick=when_up(f"http://{HOST}:{PORT}/healthz"))
    say("Stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
