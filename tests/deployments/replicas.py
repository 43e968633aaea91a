"""Three ``cvs-mock serve`` replicas on one PostgreSQL database behind haproxy."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sized
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.helpers.components import Cluster, haproxy
from tests.live.helpers import cvs_mock_process


@dataclass
class Deployment:
    balancer: str  # the load balancer's base URL
    replicas: list[str]  # each replica's own base URL
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def kill(self, n: int) -> None:
        self.processes[n].send_signal(signal.SIGKILL)
        self.processes[n].wait(timeout=20)


@contextmanager
def deployment(cluster: Cluster, database: str, folder: Path, *extra: str, count: int = 3) -> Iterator[Deployment]:
    """``count`` replicas with open tenants on one database, and haproxy round robin over them."""
    url = cluster.database(database)
    keys = folder / "keys.json"
    keys.write_text(json.dumps({"keys": [{"api_key": "q50", "api_secret": "s", "quota": 50}]}), encoding="utf-8")
    with ExitStack() as stack:
        started = [
            stack.enter_context(cvs_mock_process("--state", url, "--tenants", "open", "--keys", str(keys), *extra))
            for _ in range(count)
        ]
        ports = [int(base.rsplit(":", 1)[1]) for base, _ in started]
        port = stack.enter_context(haproxy(ports))
        yield Deployment(f"http://127.0.0.1:{port}", [base for base, _ in started], [p for _, p in started])


def tenant_auth(name: str) -> tuple[str, str]:
    return (name, f"s-{name}")


def whole_journal(base: str) -> list[dict[str, Any]]:
    import requests

    return list(requests.get(base + "/__mock__/journal", timeout=10).json()["entries"])


def start_writers(
    writer: Callable[[int], None], count: int, acknowledged: Sized, at_least: int, timeout: float = 60
) -> list[threading.Thread]:
    """``count`` threads running ``writer(n)``, once ``at_least`` writes are acknowledged (or
    ``timeout`` seconds have passed): the moment to fault the system under their load."""
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    while len(acknowledged) < at_least and time.monotonic() < deadline:
        time.sleep(0.02)
    return threads
