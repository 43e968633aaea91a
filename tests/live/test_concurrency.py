"""Races against a live server: quotas are never overspent; the gallery never loses an add."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from cvs_testkit import images
from cvs_testkit.images import to_base64
from mockserver import create_app
from mockserver.server import MockServer

CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


@pytest.fixture
def live(tmp_path, request):
    state = str(tmp_path / "state.sqlite") if getattr(request, "param", "memory") == "sqlite" else None
    with MockServer(create_app({"TESTING": True, "STATE": state}), threads=8) as server:
        yield server


@pytest.mark.parametrize("live", ["memory", "sqlite"], indirect=True)
@pytest.mark.parametrize("quota", [1, 7, 25])
def test_eight_threads_spend_exactly_the_quota(live: MockServer, quota: int) -> None:
    requests.post(
        f"{live.base_url}/__mock__/keys", json={"api_key": "k", "api_secret": "s", "quota": quota}, timeout=10
    ).raise_for_status()
    barrier = threading.Barrier(8)

    def hammer(_: int) -> list[str]:
        session = requests.Session()
        barrier.wait()
        return [session.get(live.base_url + CARD, auth=("k", "s"), timeout=30).json()["errorCode"] for _ in range(8)]

    with ThreadPoolExecutor(8) as pool:
        codes = Counter(code for batch in pool.map(hammer, range(8)) for code in batch)
    assert codes == {"0": quota, "4": 64 - quota}
    usage = requests.get(f"{live.base_url}/__mock__/usage", timeout=10).json()
    assert usage["totals"]["k"]["ekyc/card"] == {"requests": 64, "billable": quota}


@pytest.mark.parametrize("live", ["memory", "sqlite"], indirect=True)
def test_concurrent_add_and_delete_leave_no_lost_or_phantom_image(live: MockServer) -> None:
    url = f"{live.base_url}/api/v2/face_search/images"
    auth = ("demo", "p@55w0rd")
    portrait = to_base64(images.portrait("khach"))

    def add_then_maybe_delete(n: int) -> int | None:
        session = requests.Session()
        image_id = session.post(
            url, json={"image": {"base64": portrait, "metadata": {"n": n}}}, auth=auth, timeout=30
        ).json()["result"]["id"]
        if n % 3 == 0:
            assert session.delete(url, json={"ids": [image_id]}, auth=auth, timeout=30).json()["status_code"] == 0
            return None
        return int(image_id)

    with ThreadPoolExecutor(8) as pool:
        kept = {i for i in pool.map(add_then_maybe_delete, range(60)) if i is not None}
    listed = requests.get(f"{url}?limit=1000", auth=auth, timeout=30).json()["result"]
    assert {i["id"] for i in listed} == kept and len(kept) == 40


@pytest.mark.parametrize("live", ["memory", "sqlite"], indirect=True)
def test_usage_read_under_load_counts_every_acknowledged_request(live: MockServer) -> None:
    acknowledged = [0]
    lock = threading.Lock()
    done = threading.Event()

    def client(_: int) -> None:
        session = requests.Session()
        for n in range(40):
            host = "x.invalid" if n % 4 == 0 else "cdn.example.vn"  # a quarter not billable
            session.get(live.base_url + CARD.replace("cdn.example.vn", host), auth=("demo", "p@55w0rd"), timeout=30)
            with lock:
                acknowledged[0] += 1

    def reader() -> list[tuple[int, int]]:
        seen, session = [], requests.Session()
        while not done.is_set():
            with lock:
                before = acknowledged[0]
            cell = session.get(f"{live.base_url}/__mock__/usage", timeout=30).json()["totals"].get("demo", {})
            seen.append((before, cell.get("ekyc/card", {}).get("requests", 0)))
        return seen

    with ThreadPoolExecutor(7) as pool:
        watching = pool.submit(reader)
        list(pool.map(client, range(6)))
        done.set()
        seen = watching.result()
    assert len(seen) > 3
    assert all(counted >= before for before, counted in seen), [s for s in seen if s[1] < s[0]][:3]
    usage = requests.get(f"{live.base_url}/__mock__/usage", timeout=10).json()
    assert usage["totals"]["demo"]["ekyc/card"] == {"requests": 240, "billable": 180}
    assert {k["api_key"]: k["used"] for k in usage["keys"]}["demo"] == 180
