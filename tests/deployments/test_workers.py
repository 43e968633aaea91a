"""``cvs-mock serve --workers N``: N processes on one port act as one fake through the store,
and a worker that dies is started again."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from mockserver.cli import main
from tests.live.helpers import cvs_mock_process, printed

LIST = "/api/v2/face_search/images"
DEMO = ("demo", "p@55w0rd")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads worker processes from /proc")


def _workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def test_workers_without_state_are_refused_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "0", "--workers", "2"]) == 2
    assert capsys.readouterr().err == (
        "cvs-mock: --workers 2 needs --state (a SQLite file or a postgresql:// URL): workers share nothing "
        "but the store, so with state in memory each would be a fake of its own\n"
    )


def test_two_workers_on_sqlite_are_one_fake(tmp_path) -> None:
    state = str(tmp_path / "workers.sqlite")
    with cvs_mock_process("--state", state, "--workers", "2") as (base, proc):
        assert len(_workers_of(proc.pid)) == 2
        requests.post(base + "/__mock__/outcomes", json={"flow": "face_search", "code": 6}, timeout=10)

        def one(_: int) -> str:  # a new connection each: the kernel spreads them over the workers
            return requests.get(base + LIST, auth=DEMO, timeout=30).headers["X-CVS-Mock-Trigger"]

        with ThreadPoolExecutor(8) as pool:
            triggers = Counter(pool.map(one, range(40)))
        assert triggers["forced:code"] == 1 and sum(triggers.values()) == 40
        assert len(requests.get(base + "/__mock__/journal", timeout=10).json()["entries"]) == 40
    assert "workers: 2 processes" in printed(proc)


@pytest.mark.slow  # two worker processes under load
def test_two_workers_writing_at_once_keep_a_quota_and_every_entry_exact(tmp_path) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text('{"keys": [{"api_key": "q20", "api_secret": "s", "quota": 20}]}', encoding="utf-8")
    with cvs_mock_process("--state", str(tmp_path / "w.sqlite"), "--workers", "2", "--keys", str(keys)) as (base, _):

        def client(_: int) -> Counter[str]:
            seen: Counter[str] = Counter()
            for _ in range(8):  # a new connection each, spread over both workers
                seen[str(requests.get(base + LIST, auth=("q20", "s"), timeout=30).json()["status_code"])] += 1
            return seen

        with ThreadPoolExecutor(8) as pool:
            codes = sum(pool.map(client, range(8)), Counter())
        usage = requests.get(base + "/__mock__/usage", timeout=10).json()
        entries = requests.get(base + "/__mock__/journal", timeout=10).json()["entries"]
    assert codes == Counter({"0": 20, "5": 44})
    assert {"api_key": "q20", "quota": 20, "used": 20} in usage["keys"]
    assert usage["totals"]["q20"]["face_search/list"] == {"requests": 64, "billable": 20}
    assert len(entries) == 64


def test_a_worker_killed_is_started_again(tmp_path) -> None:
    with cvs_mock_process("--state", str(tmp_path / "w.sqlite"), "--workers", "2") as (base, proc):
        victim = _workers_of(proc.pid)[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = _workers_of(proc.pid)
            if len(now) == 2 and victim not in now:
                break
            time.sleep(0.1)
        assert len(_workers_of(proc.pid)) == 2 and victim not in _workers_of(proc.pid)
        answers = [requests.get(base + LIST, auth=DEMO, timeout=30).status_code for _ in range(10)]
        assert answers == [200] * 10
    assert f"(pid {victim}) exited (signal 9); starting it again" in printed(proc)


def test_sigterm_stops_every_worker(tmp_path) -> None:
    with cvs_mock_process("--state", str(tmp_path / "t.sqlite"), "--workers", "2") as (base, proc):
        workers = _workers_of(proc.pid)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert proc.returncode == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def test_two_workers_on_postgres_are_one_fake(pg_url: str) -> None:
    with cvs_mock_process("--state", pg_url, "--workers", "2", "--tenants", "open") as (base, proc):
        assert len(_workers_of(proc.pid)) == 2
        auth = ("team-w", "s")
        requests.post(base + "/__mock__/outcomes", auth=auth, json={"flow": "face_search", "code": 6}, timeout=10)

        def one(_: int) -> str:
            return requests.get(base + LIST, auth=auth, timeout=30).headers["X-CVS-Mock-Trigger"]

        with ThreadPoolExecutor(8) as pool:
            triggers = Counter(pool.map(one, range(24)))
        assert triggers["forced:code"] == 1 and sum(triggers.values()) == 24
        entries = requests.get(base + "/__mock__/journal", auth=auth, timeout=10).json()["entries"]
        assert len(entries) == 24 and {e["api_key"] for e in entries} == {"team-w"}
