"""A throwaway redis-server of a test's own, so a test may stop, kill or empty it.

The shared server at 6379 serves every helper and test at once: never stop it. This one listens on a free
loopback port, keeps nothing on disk, and is killed at the end of the test.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateRedis:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        """Start (or restart) on the same port, empty: nothing is saved between runs."""
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.2) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return self
            time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self, kill: bool = False) -> None:
        """Stop it (SIGTERM, or SIGKILL with ``kill``) and wait until the port is closed."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        self.process.wait(timeout=10)
        self.process = None

    def restart_empty(self) -> None:
        self.stop(kill=True)
        self.start()

    def command(self, *args: str) -> bytes:
        """One raw command from a fresh connection (kills and flushes need no client library)."""
        parts = [f"*{len(args)}\r\n".encode()] + [f"${len(a.encode())}\r\n{a}\r\n".encode() for a in args]
        with socket.create_connection(("127.0.0.1", self.port), 2) as conn:
            conn.sendall(b"".join(parts))
            return conn.recv(65536)

    def drop_clients(self) -> None:
        """Cut every client connection (what an idle timeout or a failover does to a pool)."""
        self.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.fail("these tests need redis-server on the PATH (a private server they may stop)")
    server = PrivateRedis(tmp_path).start()
    try:
        yield server
    finally:
        server.stop(kill=True)
