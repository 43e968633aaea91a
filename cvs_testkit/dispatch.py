"""Answer one HTTP request from the Flask fake in-process (WSGI), without a socket.

Both in-process ways in — ``responses`` interception and the httpx transport — go through
:func:`dispatch`, so they reach the very app a live server would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.test import EnvironBuilder, run_wsgi_app

from mockserver.admin.loopback import IN_PROCESS
from mockserver.pipeline.faults import DROP_HEADER

HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection"}


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    dropped: str = ""  # how a forced fault ends the connection: before-response or mid-body


def dispatch(app: Flask, method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> Answer:
    """Run ``method url`` through the app as if it came from a loopback client."""
    parts = urlsplit(url)
    builder = EnvironBuilder(
        path=parts.path or "/",
        base_url=f"{parts.scheme or 'http'}://{parts.netloc or 'localhost'}",
        query_string=parts.query,
        method=method,
        headers=[(k, v) for k, v in headers.items() if k.lower() not in HOP_BY_HOP],
        data=body or b"",
        # mockserver.admin.loopback.IN_PROCESS: the Host is the vendor's, yet nothing crossed a network
        environ_base={"REMOTE_ADDR": "127.0.0.1", IN_PROCESS: True},
    )
    try:
        app_iter, status, response_headers = run_wsgi_app(app, builder.get_environ())
    finally:
        builder.close()
    try:
        code = int(status.split(" ", 1)[0])
        if response_headers.get(DROP_HEADER):
            return Answer(code, [], b"", dropped=str(response_headers.get(DROP_HEADER)))
        return Answer(code, list(response_headers.items()), b"".join(app_iter))
    finally:
        if hasattr(app_iter, "close"):
            app_iter.close()
