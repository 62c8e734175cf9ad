"""`make run`: PostgreSQL (embedded unless DATABASE_URL is set), migrations, demo data, then the web
server and the procrastinate worker side by side. Ctrl-C stops both, and the embedded database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("HAVEN_HOST", "127.0.0.1")
PORT = os.environ.get("HAVEN_PORT", "8000")


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_up(url: str, processes: list[subprocess.Popen[bytes]], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own loopback URL
                return True
        except OSError:
            time.sleep(0.5)
    return False


def banner() -> None:
    from haven.demo.constants import DEMO_PASSWORD, USERS

    url = f"http://{HOST}:{PORT}"
    users = ", ".join(u.username for u in USERS)
    print(
        f"""
Haven is running at {url}

  Demo sign-ins (password: {DEMO_PASSWORD}): {users}
  Second factor: run  bin/haven demo-code USERNAME  in another terminal for the current code.
  API docs: {url}/api/v1/docs     Health: {url}/healthz

Press Ctrl-C to stop the web server, the worker and the embedded database.
""",
        flush=True,
    )


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("HAVEN_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not port_free(HOST, int(PORT)):
        print(f"Port {PORT} on {HOST} is in use. Stop it, or run: make run HAVEN_PORT=8001", file=sys.stderr)
        return 1

    from haven.core.database import DATA_DIR, database_url

    if not os.environ.get("DATABASE_URL"):
        say(f"Starting the embedded PostgreSQL (data in {DATA_DIR / 'postgres'})")
    # This process holds the embedded server; the children connect to it by URL and it stops
    # when this process exits.
    os.environ["DATABASE_URL"] = database_url()

    try:
        say("Applying migrations")
        manage("migrate", "--noinput", "-v", "0")
        say("Collecting static files")
        manage("collectstatic", "--noinput", "-v", "0")
        say("Loading demo data")
        manage("demo")
    except subprocess.CalledProcessError as exc:
        print(f"Setting up failed at: {' '.join(exc.cmd[1:])}. See the messages above.", file=sys.stderr)
        return 1

    say(f"Starting the web server on http://{HOST}:{PORT} and the worker")
    processes = [
        subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                os.environ.get("HAVEN_WEB_WORKERS", "2"),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
        ),
        # concurrency: the deadline sweep keeps watch in one slot, e-mail and the rest run beside it
        subprocess.Popen(
            [PYTHON, "manage.py", "procrastinate", "worker", "--name", f"haven-worker-{PORT}", "--concurrency", "4"],
            cwd=ROOT,
        ),
    ]

    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    if wait_until_up(f"http://{HOST}:{PORT}/healthz", processes):
        banner()
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        say("Stopping the web server and the worker")
        stop(processes)
    failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
    if not stopping and failed:
        print("A Haven process stopped unexpectedly; see the messages above.", file=sys.stderr)
        return 1
    say("Stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
