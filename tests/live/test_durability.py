"""A server on --state killed with SIGKILL under write load keeps every acknowledged add."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time

import requests

from cvs_testkit import images
from cvs_testkit.images import to_base64
from tests.live.helpers import cvs_mock_process

DEMO = ("demo", "p@55w0rd")


def test_sigkill_under_write_load_loses_no_acknowledged_add(tmp_path) -> None:
    state = str(tmp_path / "durable.sqlite")
    portrait = to_base64(images.portrait("ben-vung"))
    acknowledged: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(base: str) -> None:
        session = requests.Session()
        for n in range(500):  # bounded in count, and in time by the kill below
            if stop.is_set():
                return
            try:
                answer = session.post(
                    f"{base}/api/v2/face_search/images",
                    auth=DEMO,
                    timeout=5,
                    json={"image": {"base64": portrait, "metadata": {"n": n}}},
                )
                image_id = answer.json()["result"]["id"]
            except (requests.RequestException, ValueError, KeyError, TypeError):
                return  # the server died mid-request: not acknowledged
            with lock:
                acknowledged.append(int(image_id))

    with cvs_mock_process("--state", state, kill=True) as (base, proc):
        threads = [threading.Thread(target=writer, args=(base,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert len(acknowledged) >= 40
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with cvs_mock_process("--state", state) as (base, _):
        listed = requests.get(f"{base}/api/v2/face_search/images?limit=1000", auth=DEMO, timeout=30).json()["result"]
    assert set(acknowledged) <= {i["id"] for i in listed}
