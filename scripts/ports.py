"""TCP ports on this machine: is one free, and give me any free one."""

from __future__ import annotations

import socket


def port_free(host: str, port: int) -> bool:
    """Could a server listen on ``port`` now? (SO_REUSEADDR, as servers set it: a closed port's
    lingering connections do not count.)"""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str) -> int:
    """A port nobody listens on now (for servers such as aiosmtpd that cannot be given port 0)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
