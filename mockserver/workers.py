"""``cvs-mock serve --workers N``: N server processes on one port, sharing one store.

Each worker is a forked process with its own app, store connection and waitress threads, so
requests use every core instead of taking turns under one interpreter's lock. On Linux each
worker listens on its own ``SO_REUSEPORT`` socket and the kernel spreads connections evenly
among them; elsewhere the workers accept from one inherited socket. The parent holds the
port, starts the workers, starts again one that dies, and stops them all on SIGTERM/SIGINT.
Everything the workers must agree on lives in the store, which is why ``--state`` is needed.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from flask import Flask

from mockserver.server import MockServer
from mockserver.state.fake_state import state_of

STOP_MARGIN = 5.0  # seconds a worker gets past its drain before it is killed
RESTARTS_PER_MINUTE = 10  # a worker dying faster than this is a fault to report, not to hide
_SPREAD = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


class WorkersError(RuntimeError):
    """The workers cannot be started; the message says why."""


def fork_supported() -> bool:
    return hasattr(os, "fork")


def _bound(host: str, port: int, listen: bool) -> socket.socket:
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if _SPREAD:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(info[4])
    if listen:
        sock.listen(1024)
    return sock


class Workers:
    """The parent of N worker processes."""

    def __init__(
        self,
        make_app: Callable[[], Flask],
        host: str,
        port: int,
        threads: int,
        count: int,
        drain_seconds: float = 10.0,
    ) -> None:
        if not fork_supported():
            raise WorkersError("--workers needs a system that can fork processes (Linux, macOS)")
        self.make_app, self.threads, self.count = make_app, threads, count
        self.drain_seconds = drain_seconds
        # Linux: bound, never listening, so the port is held but gets no connection itself.
        self.socket = _bound(host, port, listen=not _SPREAD)
        self.host, self.port = self.socket.getsockname()[:2]
        self.pids: dict[int, int] = {}  # pid -> worker number
        self._stopping = False
        self._restarts: list[float] = []

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in str(self.host) else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Start every worker and wait until each is accepting connections."""
        for number in range(self.count):
            self._spawn(number)

    def _spawn(self, number: int) -> None:
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(ready_r)
            code = 1
            try:
                code = self._work(ready_w)
            except BaseException as exc:  # noqa: BLE001  # a worker must never return into the parent's code
                print(f"cvs-mock worker {os.getpid()}: {exc}", file=sys.stderr, flush=True)
            finally:
                os._exit(code)
        os.close(ready_w)
        with os.fdopen(ready_r, "rb") as ready:
            said = ready.read(1)
        if said != b"1":
            os.waitpid(pid, 0)
            raise WorkersError(f"worker {number} did not start (see its message above)")
        self.pids[pid] = number

    def _work(self, ready_w: int) -> int:
        signal.signal(signal.SIGINT, _interrupt)
        listening = self.socket if not _SPREAD else _bound(str(self.host), int(self.port), listen=True)
        if _SPREAD:
            self.socket.close()
        app = self.make_app()
        server = MockServer(app, threads=self.threads, sockets=[listening])
        server.drain_seconds = self.drain_seconds
        signal.signal(signal.SIGTERM, lambda signum, frame: server.drain())
        os.write(ready_w, b"1")
        os.close(ready_w)
        try:
            server.run()
        finally:
            state_of(app).store.close()
        return 0

    def supervise(self) -> None:
        """Wait for the workers; start again one that died, until asked to stop."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while self.pids:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries, but be sure
                continue
            number = self.pids.pop(pid, None)
            if number is None or self._stopping:
                continue
            self._restarts = [t for t in self._restarts if t > time.monotonic() - 60] + [time.monotonic()]
            print(f"cvs-mock: worker {number} (pid {pid}) exited ({_how(status)}); starting it again", flush=True)
            if len(self._restarts) > RESTARTS_PER_MINUTE:
                print("cvs-mock: workers keep dying; stopping", file=sys.stderr, flush=True)
                self._stop(signal.SIGTERM, None)
                continue
            self._spawn(number)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True
        self.socket.close()  # no new connection waits in a backlog nobody accepts from any more
        for pid in list(self.pids):
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + self.drain_seconds + STOP_MARGIN
        while self.pids and time.monotonic() < deadline:
            for pid in list(self.pids):
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    self.pids.pop(pid, None)
            time.sleep(0.05)
        for pid in list(self.pids):
            _signal(pid, signal.SIGKILL)

    def close(self) -> None:
        self.socket.close()


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"status {os.waitstatus_to_exitcode(status)}"


def _interrupt(signum: int, frame: FrameType | None) -> Any:
    raise KeyboardInterrupt
