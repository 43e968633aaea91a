"""The body limit is the server's own: a claimed length over it is answered at once, in the
flow's envelope, without reading a byte of the body."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from mockserver import create_app
from mockserver.server import MockServer

OCR = (413, {"errorCode": "3", "errorMessage": "Incorrect image format"})


@pytest.fixture(scope="module")
def fake() -> Iterator[MockServer]:
    with MockServer(create_app({"MAX_CONTENT_LENGTH": 1024 * 1024})) as server:
        yield server


def raw_exchange(server: MockServer, head: str, body: bytes = b"", wait: float = 5.0) -> tuple[int, dict]:
    """Send ``head`` (and ``body``), read the whole answer; (status, JSON body). A server that
    waited for a body never sent would leave the read to time out."""
    with socket.create_connection((server.host, server.port), timeout=wait) as conn:
        conn.sendall(head.encode() + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, json.loads(data.split(b"\r\n\r\n", 1)[1])


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 1 << 30


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v2/ekyc/card?format_type=base64", OCR),
        ("/api/v2/face_search/images", (413, {"result": None, "status_code": 1, "message": "Incorrect image format"})),
        ("/api/v2/smartcrop/crop_image?format_type=base64", (413, {"errorCode": 1, "errorMessage": "Incorrect image format"})),  # noqa: E501
    ],
)  # fmt: skip
def test_a_claimed_500_mb_body_is_answered_unread(fake: MockServer, path: str, expected: tuple) -> None:
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: Basic ZGVtbzpwQDU1dzByZA==\r\nContent-Length: {500 * 1024 * 1024}\r\n\r\n")  # fmt: skip
    status, body = raw_exchange(fake, head)  # not one byte of the body is sent
    assert (status, body) == expected


def test_a_sent_body_just_over_the_limit_gets_the_same_envelope(fake: MockServer) -> None:
    body = b"x" * (1024 * 1024 + 1)
    head = (f"POST /api/v2/ekyc/card?format_type=base64 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
    status, answer = raw_exchange(fake, head, body)
    assert (status, answer) == OCR


def test_a_chunked_body_over_the_limit_gets_the_envelope(fake: MockServer) -> None:
    chunk = b"x" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)) + b"0\r\n\r\n"
    head = ("POST /api/v2/ekyc/card?format_type=base64 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")  # fmt: skip
    status, answer = raw_exchange(fake, head, body)
    assert (status, answer) == OCR


def test_the_in_process_app_refuses_a_claimed_oversize_before_reading() -> None:
    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 10}).test_client()
    answer = client.post("/api/v2/ekyc/card?format_type=base64", data=b"{}", environ_overrides={"CONTENT_LENGTH": "99"})
    assert (answer.status_code, answer.get_json()) == OCR
