"""The admin right behind a load balancer on the replica's own host. The replica sees every
client as 127.0.0.1 there, so loopback proves nothing once a balancer forwards: without a
token a forwarded request gets no admin right, with one the token alone decides, and the
balancer's own health checks (HTTP/1.0, no Host header) are answered.

A replica and haproxy run inside a network namespace the test makes, the replica on the
namespace's own loopback; the client is outside it, so it is really another machine."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests

from mockserver.admin.access import TOKEN_NEEDED
from mockserver.admin.loopback import LOOPBACK_ONLY, NOT_FORWARDED
from tests.helpers.components import Namespace, haproxy, network_namespace
from tests.live.helpers import cvs_mock_process

pytestmark = pytest.mark.components  # a network namespace (and haproxy)

TOKEN = "tok-balancer-5c1e0f7a"
ADMIN = ("/__mock__/usage", "/__mock__/keys", "/__mock__/journal")


@pytest.fixture(autouse=True)
def _counted(request: pytest.FixtureRequest) -> None:
    request.node.user_properties.append(("component", "haproxy"))


@pytest.fixture(scope="module")
def namespace() -> Iterator[Namespace]:
    with network_namespace() as made:
        yield made


@contextmanager
def balanced(
    namespace: Namespace, *serve: str, forwardfor: bool = False, health_path: str | None = None
) -> Iterator[str]:
    """A replica on the namespace's loopback and haproxy on its outside address; the
    balancer's base URL as the client outside sees it."""
    with cvs_mock_process(*serve, within=namespace.within, probe=False) as (replica, _):
        port = int(replica.rsplit(":", 1)[1])
        with haproxy(
            [port], bind=namespace.inside, within=namespace.within, forwardfor=forwardfor, health_path=health_path
        ) as front:
            yield f"http://{namespace.inside}:{front}"


def _through(base: str, path: str, **kwargs: object) -> requests.Response:
    """A request through the balancer; retried while haproxy has not yet marked the replica up."""
    deadline = time.monotonic() + 20
    while True:
        answer = requests.request(str(kwargs.pop("method", "GET")), base + path, timeout=10, **kwargs)  # type: ignore[arg-type]
        if answer.status_code != 503 or "cvs-mock" in answer.text or time.monotonic() > deadline:
            return answer
        time.sleep(0.25)


def test_without_a_token_a_forwarded_request_gets_no_admin_right(namespace: Namespace) -> None:
    with balanced(namespace, forwardfor=True) as base:
        for path in ADMIN:
            answer = _through(base, path, headers={"Host": "127.0.0.1"})
            assert (answer.status_code, answer.json()) == (
                403,
                {"error": NOT_FORWARDED.format(headers="X-Forwarded-For")},
            ), path
        reset = _through(base, "/__mock__/reset", method="POST", headers={"Host": "127.0.0.1"})
        assert reset.status_code == 403
        # The API itself is served as ever through the balancer.
        api = _through(base, "/api/v2/face_search/images", auth=("demo", "p@55w0rd"))
        assert api.status_code == 200 and api.json()["status_code"] == 0


def test_with_a_token_the_token_alone_decides_behind_a_balancer_that_adds_nothing(namespace: Namespace) -> None:
    with balanced(namespace, "--admin-token", TOKEN) as base:  # haproxy's default: no forwarding header
        bare = _through(base, "/__mock__/usage", headers={"Host": "127.0.0.1"})
        assert (bare.status_code, bare.json()) == (403, {"error": TOKEN_NEEDED, "token": "required"})
        keys = _through(
            base,
            "/__mock__/keys",
            method="POST",
            headers={"Host": "127.0.0.1"},
            json={"api_key": "x", "api_secret": "y"},
        )
        assert keys.status_code == 403
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        rebound = _through(base, "/__mock__/usage", headers={**bearer, "Host": "evil.example"})
        assert rebound.status_code == 403 and "'evil.example'" in rebound.json()["error"]
        served = _through(base, "/__mock__/usage", headers=bearer)
        assert served.status_code == 200 and "keys" in served.json()


def test_a_trusted_balancer_is_believed_about_its_client(namespace: Namespace) -> None:
    with balanced(namespace, "--trusted-proxy", "127.0.0.1", forwardfor=True) as base:
        answer = _through(base, "/__mock__/usage", headers={"Host": "127.0.0.1"})
        # haproxy names the client outside the namespace, which is not loopback
        assert (answer.status_code, answer.json()) == (403, {"error": LOOPBACK_ONLY})


def test_haproxy_http_health_checks_mark_the_replica_up(namespace: Namespace) -> None:
    # Bound to every interface, as a shared deployment is: a request with no Host header then
    # names the machine's host name, which is no loopback name.
    serve = ("--host", "0.0.0.0", "--admin-token", TOKEN)
    with balanced(namespace, *serve, health_path="/__mock__/health") as base:
        time.sleep(1.5)  # three check intervals: a replica whose check failed is down by now
        api = requests.get(base + "/api/v2/face_search/images", auth=("demo", "p@55w0rd"), timeout=10)
        assert api.status_code == 200 and api.json()["status_code"] == 0
        health = requests.get(base + "/__mock__/health", headers={"Host": "balancer.internal"}, timeout=10)
        assert health.status_code == 200 and health.json()["mode"] == "fake"


def test_health_answers_http_1_0_without_a_host_header_from_another_machine(namespace: Namespace) -> None:
    with cvs_mock_process("--host", namespace.inside, "--admin-token", TOKEN, within=namespace.within) as (base, _):
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection((namespace.inside, port), timeout=10) as conn:
            conn.sendall(b"GET /__mock__/health HTTP/1.0\r\n\r\n")
            raw = b""
            while chunk := conn.recv(65536):
                raw += chunk
        head, _, body = raw.partition(b"\r\n\r\n")
        assert head.split(b"\r\n")[0].split(b" ")[1] == b"200", raw[:300]
        assert b'"mode":"fake"' in body.replace(b" ", b"")
