"""Run the fake on waitress: in the foreground (``cvs-mock serve``) or in a thread (fixtures)."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import socket
import threading
import time
from typing import Any

from flask import Flask
from waitress import create_server, wasyncore
from waitress.channel import ClientDisconnected, HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from mockserver.pipeline.faults import BEFORE_RESPONSE, DROP_HEADER

DEFAULT_THREADS = 8
DEFAULT_DRAIN_SECONDS = 10.0
MMAP_THRESHOLD = 1 << 20  # allocations from 1 MiB up (image rasters) are mapped, and unmapped when freed
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number


@functools.cache
def _return_large_blocks() -> bool:
    """Fix glibc's mmap threshold: left dynamic, it rises after the first large free, and each
    of the request threads' arenas then keeps its own freed rasters (8 threads, 8 rasters of
    RSS). Fixed, a decoded image's memory goes back to the system when the request is done.
    Nothing happens on a C library without ``mallopt``."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):
        return False


class _RefusedUnread(WSGITask):  # type: ignore[misc]  # waitress ships no types
    """A request whose claimed body is over the limit, which waitress stops reading at its
    headers: the app answers it with no body, so the refusal is the flow's own envelope, at
    once, and nothing of the body is read into memory or spooled to disk."""

    def execute(self) -> None:
        self.set_close_on_finish()
        # The app sees the body's claim as over the limit (a chunked one had none), and no body.
        self.request.headers.pop("TRANSFER_ENCODING", None)
        self.request.headers["CONTENT_LENGTH"] = str(self.channel.adj.max_request_body_size + 1)
        super().execute()


def _error_task(channel: Any, request: Any) -> Any:
    if isinstance(request.error, RequestEntityTooLarge) and request.path:
        request.error = None
        return _RefusedUnread(channel, request)
    return ErrorTask(channel, request)


class _Channel(HTTPChannel):  # type: ignore[misc]
    error_task_class = staticmethod(_error_task)


def _with_drops(app: Any) -> Any:
    """The app, with the ``drop`` fault done as a socket does it: the connection closes before
    a byte of the answer is written (waitress closes it on ClientDisconnected)."""

    def serve(environ: dict[str, Any], start_response: Any) -> Any:
        def starting(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            marks = [v for k, v in headers if k == DROP_HEADER]
            if BEFORE_RESPONSE in marks:
                raise ClientDisconnected("forced fault: connection dropped before the answer")
            return start_response(status, [(k, v) for k, v in headers if k != DROP_HEADER], exc_info)

        return app(environ, starting)

    return serve


class MockServer:
    """A waitress server in a background thread; ``port=0`` picks a free port."""

    def __init__(
        self,
        app: Flask,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = DEFAULT_THREADS,
        sockets: list[socket.socket] | None = None,
    ) -> None:
        """``sockets``: listening sockets made elsewhere (a worker's), served instead of
        binding ``host`` and ``port``."""
        self.app = app
        _return_large_blocks()
        limit = int(getattr(app, "config", {}).get("MAX_CONTENT_LENGTH") or 0) or 1 << 30
        where: dict[str, Any] = {"sockets": sockets} if sockets else {"host": host, "port": port}
        self._server: Any = create_server(
            _with_drops(app),
            threads=threads,
            ident="cvs-mock",
            max_request_body_size=limit,
            # The app must see forwarding headers to refuse the admin right to what a proxy
            # forwarded (mockserver.admin.loopback); waitress would strip them unseen. Nothing
            # else reads them: no URL or address is rewritten from them.
            clear_untrusted_proxy_headers=False,
            **where,
        )
        self._server.channel_class = _Channel
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._draining = threading.Event()
        self.drain_seconds = DEFAULT_DRAIN_SECONDS

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

    def run(self) -> None:
        """Serve in this thread until stop() or an interrupt, then stop cleanly."""
        try:
            self.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def drain(self) -> None:
        """Stop accepting connections, finish the requests in flight (for up to
        ``drain_seconds``), then stop. Safe to call from a signal handler: it only sets a flag
        the serving loop reads within a fifth of a second."""
        self._draining.set()

    def serve_forever(self) -> None:
        """Run in this thread until stop(), a drain that finished, or an interrupt (SIGINT)."""
        server: Any = self._server
        deadline: float | None = None
        try:
            while not self._stopping.is_set():
                if self._draining.is_set():
                    if deadline is None:
                        deadline = time.monotonic() + self.drain_seconds
                        self._stop_accepting()
                    self._close_idle()
                    if not self._busy() or time.monotonic() >= deadline:
                        break
                wasyncore.loop(timeout=0.2, use_poll=True, map=server._map, count=1)
        finally:
            for channel in list(server._map.values()):
                channel.close()
            server.task_dispatcher.shutdown()

    def _listeners(self) -> list[Any]:
        return [c for c in list(self._server._map.values()) if isinstance(c, BaseWSGIServer)]

    def _channels(self) -> list[Any]:
        return [c for c in list(self._server._map.values()) if isinstance(c, HTTPChannel)]

    def _stop_accepting(self) -> None:
        """The listening sockets close: a new connection is refused at once (a balancer then
        sends it elsewhere), and connections already made are served to the end."""
        for listener in self._listeners():
            listener.accepting = False
            listener.del_channel()
            listener.socket.close()  # not listener.close(): that closes the trigger the channels wake the loop with

    def _busy(self) -> bool:
        dispatcher = self._server.task_dispatcher
        with dispatcher.lock:
            if dispatcher.queue or dispatcher.active_count > 0:
                return True
        return any(_in_flight(c) for c in self._channels())

    def _close_idle(self) -> None:
        """A kept-alive connection with nothing in flight is closed, so it brings no new request."""
        for channel in self._channels():
            if not _in_flight(channel):
                channel.close()


def _in_flight(channel: Any) -> bool:
    """A request being read, waiting for or in a worker thread, or an answer not yet sent."""
    return bool(channel.requests or channel.request is not None or channel.total_outbufs_len)
