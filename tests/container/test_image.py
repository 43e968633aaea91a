"""The image: non-root, under 250 MB, serves the API and its probes, passes its HEALTHCHECK on
whatever port it is given, refuses writes outside /tmp under --read-only, drains on podman stop
and exits 0; compose.yaml's replicas run the commands tested here."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import yaml

from tests.container.conftest import ROOT, ULIMITS, podman
from tests.helpers.components import free_port

pytestmark = [pytest.mark.container, pytest.mark.components]
AUTH = ("demo", "p@55w0rd")
CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


@contextmanager
def running(
    image: str, *command: str, port: int = 8080, env: dict[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """A detached container, read-only with a tmpfs /tmp; yields its id and base URL."""
    host_port = free_port()
    options = [f"--env={k}={v}" for k, v in (env or {}).items()]
    cid = podman("run", "-d", "--read-only", "--tmpfs", "/tmp", *ULIMITS, *options, "-p",
                 f"127.0.0.1:{host_port}:{port}", image, *command).stdout.strip()  # fmt: skip
    base = f"http://127.0.0.1:{host_port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/__mock__/readyz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, podman("logs", cid, check=False).stdout[-2000:]
            time.sleep(0.3)
        yield cid, base
    finally:
        podman("rm", "-f", "-t", "0", cid, check=False)


def test_the_image_is_small_and_runs_as_a_numeric_non_root_user(image: str) -> None:
    size = int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout)
    print(f"image size: {size / 1e6:.0f} MB")
    assert size < 250e6
    assert podman("image", "inspect", "--format", "{{.Config.User}}", image).stdout.strip() == "10001:10001"
    uid = podman("run", "--rm", *ULIMITS, "--entrypoint", "python3", image, "-c", "import os; print(os.getuid())")
    assert uid.stdout.strip() == "10001"


def test_it_serves_the_api_passes_its_healthcheck_and_logs_json(image: str) -> None:
    with running(image) as (cid, base):
        answer = requests.get(base + CARD, auth=AUTH, timeout=30)
        assert answer.status_code == 200 and answer.json()["errorCode"] == "0"
        assert podman("healthcheck", "run", cid, check=False).returncode == 0
        assert '"route":"/api/v2/ekyc/card"' in podman("logs", cid).stdout


def test_the_healthcheck_follows_the_port_it_serves_on(image: str) -> None:
    with running(image, "serve", "--host", "0.0.0.0", "--port", "9000", port=9000) as (cid, _):
        assert podman("healthcheck", "run", cid, check=False).returncode == 0
        podman("exec", cid, "cvs-mock", "health", "--url", "http://127.0.0.1:8080", check=False)
        wrong = podman("exec", cid, "cvs-mock", "health", "--url", "http://127.0.0.1:8080", check=False)
        assert wrong.returncode == 1


def test_under_read_only_only_tmp_takes_writes(image: str) -> None:
    with running(image) as (cid, _):
        outside = podman("exec", cid, "python3", "-c", "open('/opt/cvs-mock/x', 'w')", check=False)
        assert outside.returncode != 0 and "Read-only file system" in outside.stderr
        inside = podman("exec", cid, "python3", "-c", "open('/tmp/x', 'w').write('ok')", check=False)
        assert inside.returncode == 0


def test_podman_stop_drains_the_requests_in_flight_and_exits_0(image: str) -> None:
    # From the host the container sees a non-loopback client: a tenant's own admin calls serve.
    tenant = ("team-drain", "s")
    with running(image, env={"CVS_MOCK_TENANTS": "open"}) as (cid, base):
        outcome = {"flow": "face_search", "fault": "latency", "seconds": 2, "count": 3}
        assert requests.post(base + "/__mock__/outcomes", json=outcome, auth=tenant, timeout=10).status_code == 201
        results: list[int] = []
        calls = [
            threading.Thread(
                target=lambda: results.append(
                    requests.get(base + "/api/v2/face_search/images", auth=tenant, timeout=30).status_code
                )
            )
            for _ in range(3)
        ]
        for call in calls:
            call.start()
        time.sleep(0.7)
        podman("stop", "-t", "20", cid, timeout=60)
        for call in calls:
            call.join(timeout=30)
        assert results == [200, 200, 200]
        assert podman("inspect", "--format", "{{.State.ExitCode}}", cid).stdout.strip() == "0"


def test_compose_replicas_run_the_tested_command(image: str) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    replicas = {name: s for name, s in compose["services"].items() if name.startswith("replica")}
    assert len(replicas) == 2
    command = ["serve", "--host", "0.0.0.0", "--port", "8080", "--tenants", "open"]
    for service in replicas.values():
        assert service["command"] == command
        assert service["read_only"] is True and service["tmpfs"] == ["/tmp"]
        assert service["environment"]["CVS_MOCK_STATE"].startswith("postgresql://")
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
    with running(image, *command) as (_, base):  # the replicas' very command, here on memory
        tenant = requests.get(base + "/api/v2/face_search/images", auth=("team-compose", "s"), timeout=30)
        assert tenant.status_code == 200 and tenant.json()["status_code"] == 0
    assert (
        Path(ROOT / "Containerfile")
        .read_text(encoding="utf-8")
        .count('CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]')
        == 1
    )
