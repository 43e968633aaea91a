"""The shared fake: throughput of ``--workers 2`` vs ``--workers 1`` on one SQLite state, and
of three replicas on PostgreSQL behind haproxy vs one replica on SQLite, all loaded by wrk
(Debian's C load generator) in alternating rounds of one run.

Two requests: a Face Search list (little work besides the store: every answer reads the
key, settings and gallery and writes usage and a journal entry) and an OCR read of a hosted
card (``ekyc/card``, url mode: an image decoded besides), each checked against the contract.
"""

from __future__ import annotations

import base64
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests

from cvs_testkit import images

from . import processes, wrk
from .sections import Row

AUTH = {"Authorization": "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()}
CONNECTIONS = 16
LIST = "/api/v2/face_search/images"
LIGHT = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


def _card_path(base: str) -> str:
    hosted = requests.post(
        base + "/__mock__/files",
        data=images.id_card("chip_id_card_front"),
        headers={"Content-Type": "image/jpeg"},
        timeout=30,
    ).json()["url"]
    return f"/api/v2/ekyc/card?img={hosted}&format_type=url"


def _rate(base: str, path: str, seconds: int) -> float:
    result = wrk.run_wrk(base, "GET", path, headers=AUTH, seconds=seconds, threads=1, connections=CONNECTIONS)
    if result.errors:
        raise RuntimeError(f"{result.errors} failed requests at {base}")
    return result.rate


@contextmanager
def _served(*args: str) -> Iterator[str]:
    with processes.process(processes.cvs_mock(*args), ready_path="/__mock__/health") as (base, _):
        yield base


@contextmanager
def _replicas(url: str, count: int) -> Iterator[str]:
    from tests.helpers.components import haproxy

    with ExitStack() as stack:
        bases = [stack.enter_context(_served("--state", url)) for _ in range(count)]
        port = stack.enter_context(haproxy([int(b.rsplit(":", 1)[1]) for b in bases]))
        yield f"http://127.0.0.1:{port}"


def _rounds(targets: dict[str, tuple[str, str]], rounds: int, seconds: int) -> dict[str, float]:
    """Median requests/s of each target over ``rounds`` alternating wrk runs, after a warm-up."""
    for base, path in targets.values():
        _rate(base, path, 1)
    rates: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (base, path) in targets.items():
            rates[name].append(_rate(base, path, seconds))
    return {name: statistics.median(values) for name, values in rates.items()}


def shared(rounds: int, seconds: int) -> list[Row]:
    if not wrk.available():
        return [("shared", "needs wrk (Debian's wrk package)", "-", "-", "-", "-")]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        one_state, two_state = str(Path(folder) / "one.sqlite"), str(Path(folder) / "two.sqlite")
        with _served("--state", one_state) as one, _served("--state", two_state, "--workers", "2") as two:
            for label, paths in (
                ("Face Search list", (LIST, LIST)),
                ("OCR ekyc/card, url mode", (_card_path(one), _card_path(two))),
            ):
                rates = _rounds({"one": (one, paths[0]), "two": (two, paths[1])}, rounds, seconds)
                rows.append(
                    (
                        "shared",
                        f"req/s, --workers 2 vs --workers 1, SQLite state, {label}, wrk -c{CONNECTIONS}",
                        f"{rates['two']:.0f}",
                        f"{rates['one']:.0f}",
                        f"{rates['two'] / rates['one']:.2f}x",
                        ">= 1.7x",
                    )
                )
        rows.extend(_replica_rows(folder, rounds, seconds))
    return rows


def _replica_rows(folder: str, rounds: int, seconds: int) -> list[Row]:
    from tests.helpers.components import postgres_cluster

    with ExitStack() as stack:
        try:
            cluster = stack.enter_context(postgres_cluster())
        except BaseException as exc:  # noqa: BLE001  # the helper's skip: no PostgreSQL on this machine
            return [("shared", f"3 replicas on PostgreSQL: not measured ({exc})", "-", "-", "-", "-")]
        url = cluster.database("bench")
        balancer = stack.enter_context(_replicas(url, 3))
        alone = stack.enter_context(_served("--state", str(Path(folder) / "single.sqlite")))
        memory = stack.enter_context(_served())
        replica = stack.enter_context(_served("--state", cluster.database("bench_one")))
        rates = _rounds({"lb": (balancer, _card_path(balancer)), "one": (alone, _card_path(alone))}, rounds, seconds)
        light = _rounds({"memory": (memory, LIGHT), "pg": (replica, LIGHT), "lb": (balancer, LIGHT)}, rounds, seconds)
    return [
        (
            "shared",
            f"req/s, 3 replicas on PostgreSQL behind haproxy vs 1 on SQLite, wrk -c{CONNECTIONS}",
            f"{rates['lb']:.0f}",
            f"{rates['one']:.0f}",
            f"{rates['lb'] / rates['one']:.2f}x",
            "report (2 cores: the replicas share them with PostgreSQL and haproxy)",
        ),
        (
            "shared",
            f"req/s, light OCR GET, 1 replica on PostgreSQL vs 1 in memory, wrk -c{CONNECTIONS}",
            f"{light['pg']:.0f}",
            f"{light['memory']:.0f}",
            f"{light['pg'] / light['memory']:.2f}x",
            ">= 0.6x",
        ),
        (
            "shared",
            f"req/s, light OCR GET, 3 replicas on PostgreSQL behind haproxy vs 1 in memory, wrk -c{CONNECTIONS}",
            f"{light['lb']:.0f}",
            f"{light['memory']:.0f}",
            f"{light['lb'] / light['memory']:.2f}x",
            ">= 0.6x",
        ),
    ]
