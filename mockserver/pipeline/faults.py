"""Faults a client's retry and timeout logic must survive: dropped connections, truncated or
non-JSON bodies, gateway errors. Latency is applied in the pipeline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Response

DROP_HEADER = "X-CVS-Mock-Drop"  # for the server and the transports alone: never sent
BEFORE_RESPONSE, MID_BODY = "before-response", "mid-body"


def fault_response(fault: dict[str, Any], body: Any) -> Response:
    kind = fault["fault"]
    text = json.dumps(body, ensure_ascii=False).encode()
    if kind == "truncate":
        return Response(text[: max(1, len(text) // 2)], status=200, mimetype="application/json")
    if kind == "non_json":
        return Response(b"<html><body>Service temporarily busy</body></html>", status=200, mimetype="text/html")
    if kind == "gateway":
        status = int(fault.get("status", 502))
        page = f"<html><head><title>{status}</title></head><body><h1>{status} Gateway error</h1></body></html>"
        return Response(page.encode(), status=status, mimetype="text/html")
    # Each fault is what a client sees on the wire. drop: the connection closes before any
    # byte of the answer (the server closes it at start_response; the transports raise what
    # their library raises for that). cut: the status and headers come, the body stops
    # after its first chunk and the connection closes.
    if kind == "drop":
        response = Response(b"", status=200, mimetype="application/json")
        response.headers[DROP_HEADER] = BEFORE_RESPONSE
        return response
    response = Response(_aborting(), status=200, mimetype="application/json")
    response.headers[DROP_HEADER] = MID_BODY
    return response


class ConnectionDropped(ConnectionError):
    """Raised while streaming a dropped response; the WSGI server then closes the socket."""


def _aborting() -> Iterator[bytes]:
    yield b'{"errorCode": '
    raise ConnectionDropped("forced fault: connection dropped")
