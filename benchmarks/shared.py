"""The shared fake: every way of running it, loaded by wrk (Debian's C load generator) in
alternating rounds of one run, side by side on the same cores.

Servers: one in memory; SQLite with ``--workers 1`` and ``2``; one PostgreSQL replica with
``--workers 1`` and ``2``; three PostgreSQL replicas behind haproxy. Requests: the light OCR
GET (url mode: little work besides the store), an OCR upload (``ekyc/cards``, base64 JSON)
and a Face Search mix (an add, then a search, in turn on each connection). Every server
answers every request for real; a failed request stops the run.
"""

from __future__ import annotations

import base64
import json
import statistics
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from cvs_testkit import images
from cvs_testkit.images import to_base64

from . import processes, wrk
from .sections import Row

AUTH = {"Authorization": "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()}
CONNECTIONS = 16
PER_REPLICA = 4  # haproxy's maxconn for each replica
BALANCED_CONNECTIONS = 32  # the p99 goal is read under this many, through the balancer
LIGHT = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"
UPLOAD = "/api/v2/ekyc/cards?format_type=base64&get_thumb=false"
FACES = "/api/v2/face_search/images"
SEARCH = "/api/v2/face_search/search"

Load = Callable[[str, int, int], wrk.WrkResult]  # (base URL, seconds, connections) -> result


def _workloads() -> dict[str, Load]:
    card = json.dumps({"image": to_base64(images.id_card("chip_id_card_front"))}).encode()
    portrait = json.dumps({"image": {"base64": to_base64(images.portrait("khach-hang-chung"))}}).encode()
    mix = [("POST", FACES, portrait), ("POST", SEARCH, portrait)]
    return {
        "light OCR GET": lambda base, s, c: wrk.run_wrk(
            base, "GET", LIGHT, headers=AUTH, seconds=s, threads=1, connections=c
        ),
        "OCR upload": lambda base, s, c: wrk.run_wrk(
            base, "POST", UPLOAD, body=card, headers=AUTH, seconds=s, threads=1, connections=c
        ),
        "Face Search add+search": lambda base, s, c: wrk.run_wrk_mix(base, mix, AUTH, seconds=s, connections=c),
    }


def _measured(load: Load, base: str, seconds: int, connections: int = CONNECTIONS) -> wrk.WrkResult:
    result = load(base, seconds, connections)
    if result.errors:
        raise RuntimeError(f"{result.errors} failed requests at {base}")
    return result


@contextmanager
def _served(*args: str, pids: dict[str, int] | None = None) -> Iterator[str]:
    with processes.process(processes.cvs_mock(*args), ready_path="/__mock__/health") as (base, pid):
        if pids is not None:
            pids[base] = pid
        yield base


def _cpu_times() -> list[int]:
    """The machine's CPU time so far, by kind (user, nice, system, idle, iowait, ...), in ticks."""
    return [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]


def _ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _workers(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _how_the_cores_were_used(base: str, parent: int, seconds: int) -> list[Row]:
    """Idle CPU during a run on ``--workers 2``, and each worker's share of the work."""
    workers = _workers(parent)
    before, ticks = _cpu_times(), [_ticks(w) for w in workers]
    _measured(_workloads()["light OCR GET"], base, seconds)
    after = _cpu_times()
    spent = [_ticks(w) - t for w, t in zip(workers, ticks, strict=True)]
    used = [b - a for a, b in zip(before, after, strict=True)]
    idle = (used[3] + used[4]) / sum(used)
    return [
        ("shared", "idle CPU of the machine, light OCR GET on SQLite --workers 2", f"{idle:.0%}", "-", "-", "report"),
        (
            "shared",
            "CPU ticks of each worker, the same run (connections spread by SO_REUSEPORT)",
            " / ".join(str(n) for n in spent),
            "-",
            f"{min(spent) / max(max(spent), 1):.2f}",
            "report",
        ),
    ]


@contextmanager
def _replicas(url: str, count: int) -> Iterator[str]:
    from tests.helpers.components import haproxy

    with ExitStack() as stack:
        bases = [stack.enter_context(_served("--state", url)) for _ in range(count)]
        # A few requests per replica at once, the rest queued in haproxy for the first one free
        # (docs/shared-deployments.md): no request waits behind a busy replica while another idles.
        ports = [int(b.rsplit(":", 1)[1]) for b in bases]
        port = stack.enter_context(haproxy(ports, per_backend=PER_REPLICA))
        yield f"http://127.0.0.1:{port}"


def _rounds(targets: dict[str, str], load: Load, rounds: int, seconds: int) -> dict[str, float]:
    """Median requests/s of each target over ``rounds`` alternating runs, after a warm-up."""
    for base in targets.values():
        _measured(load, base, 1)
    rates: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, base in targets.items():
            rates[name].append(_measured(load, base, seconds).rate)
    return {name: statistics.median(values) for name, values in rates.items()}


# (name, measured, baseline, goal): each ratio printed for every request
_RATIOS = (
    ("1 PostgreSQL replica vs 1 in memory", "pg", "memory", ">= 0.6x on the light GET"),
    ("3 PostgreSQL replicas behind haproxy vs 1 in memory", "pg x3", "memory", ">= 0.6x on the light GET"),
    ("SQLite --workers 2 vs --workers 1", "sqlite w2", "sqlite", ">= 1.6x"),
    ("PostgreSQL --workers 2 vs --workers 1", "pg w2", "pg", ">= 1.6x"),
    ("SQLite vs memory, 1 process each", "sqlite", "memory", "report"),
)


def shared(rounds: int, seconds: int) -> list[Row]:
    if not wrk.available():
        return [("shared", "needs wrk (Debian's wrk package)", "-", "-", "-", "-")]
    from tests.helpers.components import postgres_cluster

    with ExitStack() as stack:
        try:
            cluster = stack.enter_context(postgres_cluster())
        except BaseException as exc:  # noqa: BLE001  # the helper's skip: no PostgreSQL on this machine
            return [("shared", f"not measured ({exc})", "-", "-", "-", "-")]
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        pids: dict[str, int] = {}
        targets = {
            "memory": stack.enter_context(_served()),
            "sqlite": stack.enter_context(_served("--state", str(folder / "one.sqlite"))),
            "sqlite w2": stack.enter_context(
                _served("--state", str(folder / "two.sqlite"), "--workers", "2", pids=pids)
            ),
            "pg": stack.enter_context(_served("--state", cluster.database("one"))),
            "pg w2": stack.enter_context(_served("--state", cluster.database("two"), "--workers", "2")),
            "pg x3": stack.enter_context(_replicas(cluster.database("three"), 3)),
        }
        rows: list[Row] = []
        for label, load in _workloads().items():
            rates = _rounds(targets, load, rounds, seconds)
            for name, measured, baseline, goal in _RATIOS:
                rows.append(
                    (
                        "shared",
                        f"req/s, {label}, {name}, wrk -c{CONNECTIONS}",
                        f"{rates[measured]:.0f}",
                        f"{rates[baseline]:.0f}",
                        f"{rates[measured] / rates[baseline]:.2f}x",
                        goal,
                    )
                )
        rows.extend(_how_the_cores_were_used(targets["sqlite w2"], pids[targets["sqlite w2"]], seconds))
        light = _workloads()["light OCR GET"]
        balanced = _measured(light, targets["pg x3"], seconds, BALANCED_CONNECTIONS)
        alone = _measured(light, targets["memory"], seconds, BALANCED_CONNECTIONS)
        rows.append(
            (
                "shared",
                f"p99 ms, light OCR GET, 3 PostgreSQL replicas behind haproxy vs 1 in memory, "
                f"wrk -c{BALANCED_CONNECTIONS}",
                f"{balanced.p99:.1f}",
                f"{alone.p99:.1f}",
                f"{balanced.p99 / alone.p99:.2f}x",
                "<= 50 ms",
            )
        )
    return rows
