"""SIGTERM drains: the server stops accepting, finishes what is in flight, and exits 0 — one
process or each of several workers. Requests are held in flight by the latency fault."""

from __future__ import annotations

import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.live.helpers import cvs_mock_process, printed

LIST = "/api/v2/face_search/images"
AUTH = ("demo", "p@55w0rd")


def _hold(base: str, count: int, seconds: float) -> None:
    body = {"flow": "face_search", "fault": "latency", "seconds": seconds, "count": count}
    assert requests.post(base + "/__mock__/outcomes", json=body, timeout=10).status_code == 201


def _refused(base: str) -> bool:
    where = urlsplit(base)
    try:
        with socket.create_connection((where.hostname, where.port), timeout=2):
            return False
    except OSError:
        return True


def _drained(args: list[str], held: int) -> tuple[list[int], int, float, str]:
    with cvs_mock_process(*args) as (base, proc):
        _hold(base, held, 1.5)
        with ThreadPoolExecutor(held) as pool:
            calls = [pool.submit(requests.get, base + LIST, auth=AUTH, timeout=30) for _ in range(held)]
            time.sleep(0.5)  # every call is now held by its latency fault
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            time.sleep(0.4)
            refused_while_draining = _refused(base)
            statuses = [c.result().status_code for c in calls]
        proc.wait(timeout=30)
        took = time.monotonic() - started
    assert refused_while_draining, "a new connection was accepted during the drain"
    return statuses, proc.returncode, took, printed(proc)


def test_sigterm_finishes_every_request_in_flight_and_exits_0() -> None:
    statuses, code, took, output = _drained([], held=6)
    assert statuses == [200] * 6
    assert code == 0 and "cvs-mock: stopped" in output
    assert took < 8  # the drain ends when the last request does, not at its deadline


@pytest.mark.slow  # several worker processes
def test_each_worker_drains(tmp_path: Path) -> None:
    statuses, code, _, _ = _drained(["--state", str(tmp_path / "t.sqlite"), "--workers", "2"], held=4)
    assert statuses == [200] * 4
    assert code == 0


@pytest.mark.slow  # waits out a drain deadline
def test_a_request_longer_than_the_drain_is_cut_at_its_deadline() -> None:
    with cvs_mock_process("--drain-seconds", "1") as (base, proc):
        _hold(base, 1, 20)
        with ThreadPoolExecutor(1) as pool:
            call = pool.submit(requests.get, base + LIST, auth=AUTH, timeout=30)
            time.sleep(0.5)
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)
            with pytest.raises(requests.ConnectionError):
                call.result()
    assert proc.returncode == 0 and time.monotonic() - started < 10


def test_the_drain_option_is_checked() -> None:
    with pytest.raises(RuntimeError, match="--drain-seconds"):
        with cvs_mock_process("--drain-seconds", "-1"):
            pass
