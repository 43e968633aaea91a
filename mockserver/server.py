"""Run the fake on waitress: in the foreground (``cvs-mock serve``) or in a thread (fixtures)."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from waitress import create_server, wasyncore

DEFAULT_THREADS = 8


class MockServer:
    """A waitress server in a background thread; ``port=0`` picks a free port."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = DEFAULT_THREADS) -> None:
        self.app = app
        self._server: Any = create_server(app, host=host, port=port, threads=threads, ident="cvs-mock")
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def host(self) -> str:
        return str(self._server.effective_host)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> MockServer:
        self._thread = threading.Thread(target=self.serve_forever, name="cvs-mock", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the loop to finish; it closes its own sockets, so none is closed under it."""
        self._stopping.set()
        try:
            self._server.pull_trigger()
        except OSError:  # the trigger is already closed
            pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Run in this thread until stop() or an interrupt (SIGINT, SIGTERM)."""
        server: Any = self._server
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=0.2, use_poll=True, map=server._map, count=1)
        finally:
            for channel in list(server._map.values()):
                channel.close()
            server.task_dispatcher.shutdown()
