"""A small service manager for `make run`: start each service, restart one that dies (waiting longer
each time it dies soon after starting, so a service that cannot start does not spin), and stop them
all on SIGINT, SIGTERM or SIGHUP.

It knows nothing of Haven: a service is a name and a command, so the tests drive it with short-lived
stand-ins (``python -c "import sys; sys.exit(1)"``).
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""Ctrl-C, `kill`, and a closed terminal. A background job of a non-interactive shell starts with
SIGINT ignored, so SIGTERM must do the same as Ctrl-C."""


@dataclass
class Service:
    name: str
    command: Sequence[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    delay: float = 0.0
    restarts: int = 0
    history: list[int] = field(default_factory=list)  # the pid of every process started, oldest first

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def exit_words(returncode: int) -> str:
    """How a process ended, in words: ``exit 1`` or ``killed by SIGKILL``."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit {returncode}"


class Supervisor:
    """Keeps its services running until ``stop()``.

    A service that dies is started again after ``delay``: ``first_delay`` at first, doubled (up to
    ``max_delay``) each time it dies within ``stable_after`` seconds of starting, and back to
    ``first_delay`` once it has stayed up that long.
    """

    def __init__(
        self,
        services: Sequence[Service],
        *,
        cwd: Path | None = None,
        say: Callable[[str], None] = print,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        stable_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = list(services)
        self.cwd = cwd
        self.say = say
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.stable_after = stable_after
        self.clock = clock

    def start(self) -> None:
        for service in self.services:
            self._start(service)

    def _start(self, service: Service) -> None:
        service.process = subprocess.Popen(list(service.command), cwd=self.cwd)
        service.started_at = self.clock()
        service.restart_at = None
        service.history.append(service.process.pid)

    def step(self) -> None:
        """Notice services that died and start those whose wait is over. Call it often."""
        now = self.clock()
        for service in self.services:
            if service.restart_at is not None:
                if now >= service.restart_at:
                    service.restarts += 1
                    self._start(service)
                continue
            process = service.process
            if process is None or process.poll() is None:
                continue
            lived = now - service.started_at
            if lived >= self.stable_after or service.delay == 0:
                service.delay = self.first_delay
            else:
                service.delay = min(service.delay * 2, self.max_delay)
            service.restart_at = now + service.delay
            self.say(
                f"The {service.name} stopped ({exit_words(process.returncode)}); restarting it in {service.delay:g} s"
            )

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM every service, wait up to ``grace`` seconds in all, then SIGKILL what is left."""
        self.say(f"Stopping the {' and the '.join(s.name for s in self.services)}")
        for service in self.services:
            service.restart_at = None
            if service.running:
                assert service.process is not None
                service.process.send_signal(signal.SIGTERM)
        deadline = self.clock() + grace
        for service in self.services:
            if service.process is None:
                continue
            try:
                service.process.wait(timeout=max(0.1, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                self.say(f"The {service.name} did not stop within {grace:g} s; killing it")
                service.process.kill()
                service.process.wait()


class StopFlag:
    """Set by any of ``STOP_SIGNALS`` once installed; the supervising loop polls it."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def __bool__(self) -> bool:
        return self.signum is not None

    def install(self) -> None:
        # Installing a handler also replaces an inherited SIG_IGN (SIGINT in a background job).
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.signum = signum


def supervise(
    supervisor: Supervisor,
    stopping: StopFlag,
    *,
    tick: Callable[[], None] | None = None,
    poll: float = 0.2,
) -> None:
    """Run until a stop signal arrives: restart what dies, call ``tick`` between checks, then stop all."""
    try:
        while not stopping:
            supervisor.step()
            if tick is not None:
                tick()
            time.sleep(poll)
    finally:
        supervisor.stop()
