"""`make run` as a service manager (scripts/run.py, scripts/supervise.py): a dead worker is restarted
with a growing wait, a stop signal stops every child even in a background job, and what belongs to
one instance (gunicorn's control socket, the mail sink's folder and port) depends on HAVEN_PORT.

Real processes throughout: stand-in services are short Python commands."""

from __future__ import annotations

import json
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from haven.core.database import DATA_DIR
from haven.demo import mailbox
from scripts import mailsink, run
from scripts.ports import free_port
from scripts.supervise import Service, Supervisor

ROOT = Path(__file__).resolve().parent.parent
DIES_AT_ONCE = [sys.executable, "-c", "import sys; sys.exit(1)"]
SLEEPS = [sys.executable, "-c", "import time; time.sleep(120)"]


def supervise_until(supervisor: Supervisor, done: object, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        supervisor.step()
        time.sleep(0.02)


def test_a_worker_that_dies_at_once_is_restarted_after_a_growing_wait() -> None:
    said: list[str] = []
    worker = Service("worker", DIES_AT_ONCE)
    supervisor = Supervisor([worker], say=said.append, first_delay=0.1, max_delay=0.4, stable_after=30)
    supervisor.start()
    try:
        supervise_until(supervisor, lambda: worker.restarts >= 4)
    finally:
        supervisor.stop()

    assert worker.restarts >= 4
    assert len(set(worker.history)) == len(worker.history) >= 5  # a new process each time
    assert said[:4] == [
        "The worker stopped (exit 1); restarting it in 0.1 s",
        "The worker stopped (exit 1); restarting it in 0.2 s",
        "The worker stopped (exit 1); restarting it in 0.4 s",
        "The worker stopped (exit 1); restarting it in 0.4 s",  # the wait stops growing at max_delay
    ]


def test_a_worker_that_stayed_up_is_restarted_after_the_first_wait_again() -> None:
    said: list[str] = []
    lives_a_while = [sys.executable, "-c", "import sys, time; time.sleep(0.4); sys.exit(3)"]
    worker = Service("worker", lives_a_while)
    supervisor = Supervisor([worker], say=said.append, first_delay=0.1, max_delay=5, stable_after=0.2)
    supervisor.start()
    try:
        supervise_until(supervisor, lambda: worker.restarts >= 2)
    finally:
        supervisor.stop()

    assert said[:2] == ["The worker stopped (exit 3); restarting it in 0.1 s"] * 2


def test_a_killed_worker_is_restarted_and_the_web_server_keeps_running() -> None:
    said: list[str] = []
    web, worker = Service("web server", SLEEPS), Service("worker", SLEEPS)
    supervisor = Supervisor([web, worker], say=said.append, first_delay=0.1)
    supervisor.start()
    try:
        assert worker.process is not None
        worker.process.send_signal(signal.SIGKILL)
        supervise_until(supervisor, lambda: worker.restarts == 1 and worker.running)
        assert worker.running
        assert web.running
        assert web.history[-1] == web.history[0]  # the web server was left alone
    finally:
        supervisor.stop()

    assert said[0] == "The worker stopped (killed by SIGKILL); restarting it in 0.1 s"
    assert not web.running
    assert not worker.running


HARNESS = f"""
import json, sys
from scripts.supervise import Service, StopFlag, Supervisor, supervise
sleeps = {SLEEPS!r}
supervisor = Supervisor([Service("web server", sleeps), Service("worker", sleeps)], say=lambda m: None)
stopping = StopFlag()
stopping.install()
supervisor.start()
print(json.dumps([s.process.pid for s in supervisor.services]), flush=True)
supervise(supervisor, stopping, poll=0.05)
print("stopped", flush=True)
"""


def _ignore_sigint() -> None:
    # What a non-interactive shell does to a job it starts with `&`.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _alive(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return True


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name)
def test_a_stop_signal_stops_every_child_even_in_a_background_job(signum: signal.Signals) -> None:
    harness = subprocess.Popen(
        [sys.executable, "-c", HARNESS],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint,
    )
    try:
        assert harness.stdout is not None
        children = json.loads(harness.stdout.readline())
        assert all(_alive(pid) for pid in children)
        harness.send_signal(signum)
        assert harness.wait(timeout=20) == 0
        assert harness.stdout.read().strip() == "stopped"
        assert not [pid for pid in children if _alive(pid)]
    finally:
        if harness.poll() is None:
            harness.kill()
            harness.wait()


def test_each_instance_keeps_its_control_socket_and_mail_under_its_own_data_folder() -> None:
    first, second = run.control_socket(8123), run.control_socket(8124)
    assert first != second
    assert first.parent == DATA_DIR / "run-8123"
    assert second.parent == DATA_DIR / "run-8124"
    assert run.mail_dir(8123) == DATA_DIR / "run-8123" / "mail" != run.mail_dir(8124)
    assert run.preferred_mail_port(8123) == 8148
    assert run.preferred_mail_port(8124) == 8149
    command = run.web_command(8123)
    assert command[command.index("--control-socket") + 1] == str(first)
    assert command[command.index("--bind") + 1].endswith(":8123")
    assert "haven-worker-8123" in run.worker_command(8123)


def test_a_second_mail_sink_takes_another_port_when_its_own_is_taken(tmp_path: Path) -> None:
    port = free_port("127.0.0.1")
    first = mailsink.start(tmp_path / "a", "127.0.0.1", port)
    try:
        second = mailsink.start(tmp_path / "b", "127.0.0.1", port)
        try:
            assert second.port != first.port == port
            for sink, subject in ((first, "to a"), (second, "to b")):
                message = EmailMessage()
                message["Subject"], message["From"], message["To"] = subject, "haven@localhost", "x@example.org"
                message.set_content("hello")
                with smtplib.SMTP(sink.hostname, sink.port, timeout=5) as smtp:
                    smtp.send_message(message)
        finally:
            second.stop()
    finally:
        first.stop()

    assert [m.subject for m in mailbox.messages(tmp_path / "a")] == ["to a"]
    assert [m.subject for m in mailbox.messages(tmp_path / "b")] == ["to b"]
