"""Forced faults over a real socket: what a client's retry and timeout logic meets."""

from __future__ import annotations

import pytest
import requests

from mockserver import create_app
from mockserver.server import MockServer

AUTH = ("demo", "p@55w0rd")
LIST = "/api/v2/face_search/images"


@pytest.fixture(scope="module")
def live():
    with MockServer(create_app({"TESTING": True})) as server:
        yield server


def force(live: MockServer, **outcome: object) -> None:
    requests.post(
        live.base_url + "/__mock__/outcomes", json={"flow": "face_search", **outcome}, timeout=10
    ).raise_for_status()


def test_dropped_connection(live: MockServer) -> None:
    force(live, fault="drop")
    with pytest.raises(requests.ConnectionError):
        requests.get(live.base_url + LIST, auth=AUTH, timeout=10).json()
    assert requests.get(live.base_url + LIST, auth=AUTH, timeout=10).json()["status_code"] == 0


def test_latency_meets_a_client_timeout(live: MockServer) -> None:
    force(live, fault="latency", seconds=1.5)
    with pytest.raises(requests.Timeout):
        requests.get(live.base_url + LIST, auth=AUTH, timeout=0.5)


def test_gateway_and_truncated_bodies(live: MockServer) -> None:
    force(live, fault="gateway", status=504)
    assert requests.get(live.base_url + LIST, auth=AUTH, timeout=10).status_code == 504
    force(live, fault="truncate")
    truncated = requests.get(live.base_url + LIST, auth=AUTH, timeout=10)
    with pytest.raises(ValueError):
        truncated.json()
