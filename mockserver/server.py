"""Run the fake on waitress: in the foreground (``cvs-mock serve``) or in a thread (fixtures)."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from waitress import create_server
from waitress.server import BaseWSGIServer

DEFAULT_THREADS = 8


class MockServer:
    """A waitress server in a background thread; ``port=0`` picks a free port."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = DEFAULT_THREADS) -> None:
        self.app = app
        self._server: Any = create_server(app, host=host, port=port, threads=threads, ident="cvs-mock")
        self._thread: threading.Thread | None = None

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
        self._thread = threading.Thread(target=self._server.run, name="cvs-mock", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close every socket; the loop ends when it has nothing left to watch."""
        server: BaseWSGIServer = self._server
        for channel in list(server._map.values()):
            channel.close()
        server.task_dispatcher.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Run in this thread until interrupted (SIGINT, SIGTERM)."""
        self._server.run()
