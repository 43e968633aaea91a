"""How fast an over-limit body is refused: a claimed 500 MB body (headers only, never sent)
against a small valid request on the same server, alternating, medians over many rounds."""

from __future__ import annotations

import socket
import statistics
import time

from mockserver import create_app
from mockserver.server import MockServer

Row = tuple[str, str, str, str, str, str]
AUTH = "Authorization: Basic ZGVtbzpwQDU1dzByZA==\r\n"


def _answered_in(server: MockServer, head: str) -> float:
    with socket.create_connection((server.host, server.port), timeout=30) as conn:
        started = time.perf_counter()
        conn.sendall(head.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        return time.perf_counter() - started


def limits(rounds: int) -> list[Row]:
    path = "/api/v2/face_search/images"
    claimed = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{AUTH}Content-Length: {500 * 1024 * 1024}\r\n\r\n"
    small = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{AUTH}Connection: close\r\n\r\n"
    refused, listed = [], []
    with MockServer(create_app({})) as server:
        for _ in range(rounds):
            refused.append(_answered_in(server, claimed))
            listed.append(_answered_in(server, small))
    refused_ms, listed_ms = statistics.median(refused) * 1000, statistics.median(listed) * 1000
    return [
        (
            "limits",
            "ms to the 413 envelope for a claimed 500 MB body (unsent) vs a Face Search list",
            f"{refused_ms:.2f}",
            f"{listed_ms:.2f}",
            f"{refused_ms / listed_ms:.2f}x",
            "about 1x: refused at the headers",
        )
    ]
