"""Replicas on PostgreSQL behind a real load balancer act as one API: quota, forced outcomes,
galleries and the journal are the same whichever replica answers; a replica killed under
load or the database stopped and started loses nothing acknowledged."""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from cvs_testkit import images
from cvs_testkit.images import to_base64
from mockserver.state.store.postgres import CONNECT_TIMEOUT
from tests.deployments.replicas import Deployment, deployment, start_writers, tenant_auth
from tests.helpers.components import postgres_cluster

LIST = "/api/v2/face_search/images"
SEARCH = "/api/v2/face_search/search"


pytestmark = [pytest.mark.components, pytest.mark.usefixtures("on_components")]  # PostgreSQL and haproxy


def test_a_quota_of_50_under_16_clients_gives_exactly_50_billable_answers(team: Deployment) -> None:
    def client(_: int) -> Counter[str]:
        seen: Counter[str] = Counter()
        with requests.Session() as session:
            for _ in range(8):  # 16 x 8 = 128 requests for 50 units
                answer = session.get(team.balancer + LIST, auth=("q50", "s"), timeout=30)
                seen[str(answer.json()["status_code"])] += 1
        return seen

    with ThreadPoolExecutor(16) as pool:
        totals = sum(pool.map(client, range(16)), Counter())
    assert totals["0"] == 50 and sum(totals.values()) == 128
    assert set(totals) == {"0", "5"}  # every other answer is the quota's (Face Search code 5)
    usage = requests.get(team.replicas[2] + "/__mock__/usage", auth=("q50", "s"), timeout=10).json()
    assert usage["keys"] == [{"api_key": "q50", "quota": 50, "used": 50}]
    assert usage["totals"]["q50"]["face_search/list"] == {"requests": 128, "billable": 50}


def test_a_forced_outcome_is_taken_exactly_once_by_any_replica(team: Deployment) -> None:
    auth = tenant_auth("forcing")
    queued = requests.post(
        team.balancer + "/__mock__/outcomes", auth=auth, json={"flow": "face_search", "code": 6}, timeout=10
    )
    assert queued.status_code == 201

    def one(_: int) -> str:
        return requests.get(team.balancer + LIST, auth=auth, timeout=30).headers["X-CVS-Mock-Trigger"]

    with ThreadPoolExecutor(12) as pool:
        triggers = Counter(pool.map(one, range(30)))
    assert triggers["forced:code"] == 1 and sum(triggers.values()) == 30
    for replica in team.replicas:
        assert requests.get(replica + "/__mock__/outcomes", auth=auth, timeout=10).json() == {"pending": {}}


def test_a_face_added_through_one_replica_is_listed_and_found_through_the_others(team: Deployment) -> None:
    auth = tenant_auth("gallery")
    portrait = to_base64(images.portrait("khach-lien-chi-nhanh"))
    added = requests.post(
        team.replicas[0] + LIST, auth=auth, json={"image": {"base64": portrait}, "metadata": {"n": 1}}, timeout=30
    )
    face_id = added.json()["result"]["id"]
    for replica in team.replicas[1:]:
        listed = requests.get(replica + LIST, auth=auth, timeout=30).json()["result"]
        assert [face["id"] for face in listed] == [face_id]
        found = requests.post(replica + SEARCH, auth=auth, json={"image": {"base64": portrait}}, timeout=30).json()
        assert [face["id"] for face in found["result"]] == [face_id]


def test_face_ids_are_unique_across_replicas(team: Deployment) -> None:
    auth = tenant_auth("ids")
    portrait = to_base64(images.portrait("khach-id"))

    def add(n: int) -> int:
        replica = team.replicas[n % 3]
        body = {"image": {"base64": portrait}, "metadata": {"n": n}}
        return int(requests.post(replica + LIST, auth=auth, json=body, timeout=30).json()["result"]["id"])

    with ThreadPoolExecutor(6) as pool:
        ids = list(pool.map(add, range(24)))
    assert len(set(ids)) == 24


def test_the_journal_of_each_replica_shows_every_replicas_requests(team: Deployment) -> None:
    auth = tenant_auth("journal")
    for n in range(9):  # round robin: three through each replica
        requests.get(team.balancer + LIST + f"?limit={n + 1}", auth=auth, timeout=30)
    for replica in team.replicas:
        entries = requests.get(replica + "/__mock__/journal", auth=auth, timeout=10).json()["entries"]
        assert [e["query"]["limit"] for e in entries] == [str(n + 1) for n in range(9)]
    whole = requests.get(team.replicas[1] + "/__mock__/journal", timeout=10).json()["entries"]
    assert sum(e["api_key"] == "journal" for e in whole) == 9


DOCS_KEYS = {"result", "errorCode", "error_message"}  # Face Search's envelope with face_search.keys=v1
DEFAULT_KEYS = {"result", "status_code", "message"}


def test_a_dialect_switched_on_one_replica_is_spoken_by_the_next_request_on_each_other(team: Deployment) -> None:
    auth, bystander = tenant_auth("dialect"), tenant_auth("dialect-bystander")
    assert set(requests.get(team.replicas[1] + LIST, auth=auth, timeout=30).json()) == DEFAULT_KEYS
    switched = requests.put(
        team.replicas[0] + "/__mock__/dialect", auth=auth, json={"options": {"face_search.keys": "v1"}}, timeout=10
    )
    assert switched.status_code == 200
    for replica in team.replicas[1:]:
        assert set(requests.get(replica + LIST, auth=auth, timeout=30).json()) == DOCS_KEYS
        assert set(requests.get(replica + LIST, auth=bystander, timeout=30).json()) == DEFAULT_KEYS
    assert requests.put(team.replicas[2] + "/__mock__/dialect", auth=auth, json={}, timeout=10).status_code == 200
    assert set(requests.get(team.replicas[1] + LIST, auth=auth, timeout=30).json()) == DEFAULT_KEYS


def test_a_key_added_on_one_replica_is_accepted_by_the_others_at_once_and_its_quota_is_exact(
    team: Deployment,
) -> None:
    auth = tenant_auth("branch-keys")
    assert requests.get(team.replicas[0] + LIST, auth=auth, timeout=30).status_code == 200  # the tenant exists
    made = requests.post(
        team.replicas[0] + "/__mock__/keys",
        auth=auth,
        json={"api_key": "chi-nhanh", "api_secret": "k", "quota": 3},
        timeout=10,
    )
    branch = (made.json()["api_key"], "k")
    codes = [
        str(requests.get(team.replicas[n] + LIST, auth=branch, timeout=30).json()["status_code"]) for n in (1, 2, 0, 1)
    ]
    assert codes == ["0", "0", "0", "5"]  # three units spent on three replicas; the fourth refused
    for replica in team.replicas:
        keys = requests.get(replica + "/__mock__/usage", auth=auth, timeout=10).json()["keys"]
        assert {"api_key": branch[0], "quota": 3, "used": 3} in keys
    assert requests.post(team.replicas[2] + "/__mock__/reset", auth=auth, timeout=10).status_code == 200
    refused = requests.get(team.replicas[1] + LIST, auth=branch, timeout=30)
    assert refused.headers["X-CVS-Mock-Trigger"] == "auth:wrong"  # the tenant's reset forgot its keys everywhere


def test_a_replica_killed_under_write_load_loses_no_acknowledged_write(pg_cluster: Any, tmp_path) -> None:
    auth = tenant_auth("durable")
    portrait = to_base64(images.portrait("ben-vung"))
    acknowledged: list[int] = []
    lock = threading.Lock()

    with deployment(pg_cluster, f"kill_{secrets.token_hex(4)}", tmp_path) as fleet:

        def writer(worker: int) -> None:
            with requests.Session() as session:
                for n in range(60):  # bounded in count
                    body = {"image": {"base64": portrait}, "metadata": {"w": worker, "n": n}}
                    try:
                        answer = session.post(fleet.balancer + LIST, auth=auth, json=body, timeout=10)
                        image_id = answer.json()["result"]["id"]
                    except (requests.RequestException, ValueError, KeyError, TypeError):
                        continue  # answered by no replica (the killed one): not acknowledged
                    with lock:
                        acknowledged.append(int(image_id))

        threads = start_writers(writer, 4, acknowledged, at_least=20, timeout=30)
        fleet.kill(1)
        for thread in threads:
            thread.join(timeout=120)
        assert len(acknowledged) >= 20
        stored: set[int] = set()
        for offset in range(0, 400, 50):
            page = requests.get(fleet.replicas[0] + LIST + f"?offset={offset}&limit=50", auth=auth, timeout=30)
            stored.update(face["id"] for face in page.json()["result"])
        assert set(acknowledged) <= stored


def test_postgres_stopped_and_started_again_answers_503_then_the_exact_state(tmp_path) -> None:
    auth = tenant_auth("outage")
    portrait = to_base64(images.portrait("mat-dien"))
    with postgres_cluster() as cluster, deployment(cluster, "outage", tmp_path, count=1) as fleet:
        base = fleet.replicas[0]
        added = [
            requests.post(base + LIST, auth=auth, json={"image": {"base64": portrait}}, timeout=30).json()["result"][
                "id"
            ]
            for _ in range(3)
        ]
        cluster.stop("fast")
        down = requests.get(base + LIST, auth=auth, timeout=60)
        assert down.status_code == 503 and down.headers["Retry-After"] == "1"
        assert down.json() == {"result": None, "status_code": 6, "message": "Error when processing the request"}
        card = requests.get(
            base + "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url", auth=auth, timeout=60
        )
        assert (card.status_code, card.json()) == (503, {"errorCode": "2", "errorMessage": "Url is unavailable"})
        assert down.headers["X-CVS-Mock-Trigger"] == "store:unavailable"
        admin_down = requests.get(base + "/__mock__/journal", timeout=60)
        assert admin_down.status_code == 503 and "store is unavailable" in admin_down.json()["error"]
        ready = requests.get(base + "/__mock__/readyz", timeout=60)
        assert ready.status_code == 503 and ready.json()["reason"].startswith("store unavailable")
        health = requests.get(base + "/__mock__/health", timeout=60)
        assert health.status_code == 503 and health.json()["store_state"] == "down"
        assert requests.get(base + "/__mock__/livez", timeout=10).status_code == 200
        scraped = requests.get(base + "/__mock__/metrics", timeout=60)
        errors = re.search(r"^cvs_mock_store_errors_total (\S+)$", scraped.text, re.M)
        assert scraped.status_code == 200 and errors is not None and float(errors[1]) >= 3  # the three 503s above
        cluster.start()
        back = time.monotonic()
        while requests.get(base + "/__mock__/readyz", timeout=60).status_code != 200:
            assert time.monotonic() - back < 30, "not ready again 30 s after PostgreSQL came back"
            time.sleep(0.2)
        print(f"ready again {time.monotonic() - back:.2f} s after PostgreSQL started")
        deadline = time.monotonic() + 60
        answer = requests.get(base + LIST, auth=auth, timeout=60)
        while answer.status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.5)
            answer = requests.get(base + LIST, auth=auth, timeout=60)
        assert answer.status_code == 200
        assert [face["id"] for face in answer.json()["result"]] == added
        usage = requests.get(base + "/__mock__/usage", auth=auth, timeout=10).json()["totals"]["outage"]
        # three adds and the one list that answered; nothing counted for the 503s
        assert usage == {
            "face_search/add": {"requests": 3, "billable": 3},
            "face_search/list": {"requests": 1, "billable": 1},
        }


def test_an_outage_under_concurrent_adds_keeps_exactly_the_acknowledged_ones(tmp_path) -> None:
    """All or nothing per request: every add answered 200 is kept, every add answered 503 left
    nothing behind (no face a retry would add twice, no orphan hosted file)."""
    auth = tenant_auth("all-or-nothing")
    portrait = to_base64(images.portrait("giao-dich"))
    acknowledged: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()
    with postgres_cluster() as cluster, deployment(cluster, "atomic", tmp_path, count=1) as fleet:
        base = fleet.replicas[0]

        def writer(worker: int) -> None:
            with requests.Session() as session:
                for n in range(40):  # bounded in count
                    marker = f"{worker}-{n}"
                    body = {"image": {"base64": portrait, "metadata": {"m": marker}}}
                    answer = session.post(base + LIST, auth=auth, json=body, timeout=60)
                    with lock:
                        (acknowledged if answer.status_code == 200 else refused).append(marker)
                        assert answer.status_code in (200, 503), answer.text

        threads = start_writers(writer, 4, acknowledged, at_least=12)
        cluster.stop("fast")
        time.sleep(CONNECT_TIMEOUT + 1)  # longer than a request waits for a connection: some are refused
        cluster.start()
        for thread in threads:
            thread.join(timeout=300)
        assert refused, "the outage refused no add: it came too late to test anything"
        stored: list[str] = []
        for offset in range(0, 400, 100):
            page = requests.get(base + LIST + f"?offset={offset}&limit=100", auth=auth, timeout=30).json()["result"]
            stored.extend(face["metadata"]["m"] for face in page)
        assert sorted(stored) == sorted(acknowledged)  # none lost, none that was refused
        files = requests.get(base + "/__mock__/files", auth=auth, timeout=30).json()["files"]
        assert len(files) == len(acknowledged)  # one hosted face per kept add: no orphan
        usage = requests.get(base + "/__mock__/usage", auth=auth, timeout=30).json()["totals"]["all-or-nothing"]
        assert usage["face_search/add"] == {"requests": len(acknowledged), "billable": len(acknowledged)}
