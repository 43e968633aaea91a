"""A forced fault is what a client sees on the wire, and every way in raises what that HTTP
library raises for it over a real socket: ``drop`` (closed before any byte of the answer) and
``cut`` (the body stops mid-stream), per library."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests

from mockserver import create_app
from mockserver.server import MockServer

LIST = "/api/v2/face_search/images"
AUTH = ("demo", "p@55w0rd")


@pytest.fixture(scope="module")
def served() -> Iterator[MockServer]:
    with MockServer(create_app({"TESTING": True})) as server:
        yield server


def force(base: str, fault: str) -> None:
    requests.post(
        f"{base}/__mock__/outcomes", json={"flow": "face_search", "fault": fault}, timeout=10
    ).raise_for_status()


def raised(call: Any) -> type[BaseException]:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the class is what is compared
        call()
    return caught.type


@pytest.mark.parametrize("fault", ["drop", "cut"])
def test_requests_raises_the_same_through_responses_and_over_a_socket(
    served: MockServer, cvs_mock: Any, fault: str
) -> None:  # noqa: E501
    force(served.base_url, fault)
    over_socket = raised(lambda: requests.get(served.base_url + LIST, auth=AUTH, timeout=10).json())
    cvs_mock.force("face_search", fault=fault)
    in_process = raised(lambda: requests.get(cvs_mock.url(LIST), auth=AUTH, timeout=10).json())
    assert in_process is over_socket
    expected = requests.ConnectionError if fault == "drop" else requests.exceptions.ChunkedEncodingError
    assert issubclass(over_socket, expected)
    assert (fault == "drop") == issubclass(
        over_socket, requests.ConnectionError
    )  # a retry on ConnectionError sees drop only


@pytest.mark.parametrize("fault", ["drop", "cut"])
def test_httpx_raises_the_same_through_its_transport_and_over_a_socket(
    served: MockServer, cvs_httpx: Any, fault: str
) -> None:  # noqa: E501
    force(served.base_url, fault)
    with httpx.Client() as client:
        over_socket = raised(lambda: client.get(served.base_url + LIST, auth=AUTH).json())
    cvs_httpx.force("face_search", fault=fault)
    with cvs_httpx.client() as client:
        in_process = raised(lambda: client.get(LIST, auth=AUTH).json())
    assert in_process is over_socket is httpx.RemoteProtocolError


def test_a_dropped_connection_writes_no_byte_and_the_next_request_is_answered(served: MockServer) -> None:
    import socket

    force(served.base_url, "drop")
    with socket.create_connection((served.host, served.port), timeout=10) as conn:
        conn.sendall(
            f"GET {LIST} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ZGVtbzpwQDU1dzByZA==\r\n\r\n".encode()
        )
        assert conn.recv(65536) == b""
    assert requests.get(served.base_url + LIST, auth=AUTH, timeout=10).json()["status_code"] == 0
