"""DNS rebinding and hosted files, over real HTTP: the admin API, the dashboard and hosted
files answer only at loopback Host names and those allowed with --allowed-host, for every
method, with or without browser headers; hosted files never run script."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
import requests

from mockserver import create_app
from mockserver.proxy import create_proxy_app
from mockserver.server import MockServer

REFUSED = (
    "the admin API answers only at a loopback host name (127.0.0.1, localhost, [::1]), an IP address "
    "or a name allowed with --allowed-host; this request named 'rebound.example'"
)


@pytest.fixture(scope="module")
def fake() -> Iterator[MockServer]:
    with MockServer(create_app({"ALLOWED_HOSTS": ["mock.internal"]})) as server:
        yield server


def admin_gets(server: MockServer) -> list[str]:
    """Every GET route of the admin API and the dashboard, with placeholders filled."""
    rules = [r for r in server.app.url_map.iter_rules() if r.rule.startswith("/__mock__") and "GET" in r.methods]
    # The probes a balancer sends answer any Host by design, and say nothing of any tenant.
    rules = [r for r in rules if not r.endpoint.startswith("probes.")]
    return sorted({r.rule.replace("<entry_id>", "1").replace("<file_id>", "x").replace("<path:name>", "app.js")
                   for r in rules})  # fmt: skip


def test_every_admin_get_refuses_a_rebound_host_without_any_browser_header(fake: MockServer) -> None:
    routes = admin_gets(fake)
    assert {"/__mock__/journal", "/__mock__/keys", "/__mock__/usage", "/__mock__/"} <= set(routes)
    for route in routes:
        answer = requests.get(fake.base_url + route, headers={"Host": f"rebound.example:{fake.port}"}, timeout=10)
        assert (answer.status_code, answer.json()) == (403, {"error": REFUSED}), route


def test_every_other_admin_method_is_refused_at_a_rebound_host_too(fake: MockServer) -> None:
    routes = [
        (method, rule.rule)
        for rule in fake.app.url_map.iter_rules()
        if rule.rule.startswith("/__mock__")
        for method in sorted((rule.methods or set()) - {"GET", "HEAD", "OPTIONS"})
    ]
    assert len(routes) >= 7
    for method, route in routes:
        answer = requests.request(
            method, fake.base_url + route, headers={"Host": "rebound.example"}, json={}, timeout=10
        )
        assert (answer.status_code, answer.json()) == (403, {"error": REFUSED}), (method, route)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "mock.internal", "MOCK.INTERNAL."])
def test_loopback_names_and_allowed_names_answer_at_any_port(fake: MockServer, host: str) -> None:
    answer = requests.get(fake.base_url + "/__mock__/journal", headers={"Host": f"{host}:9999"}, timeout=10)
    assert answer.status_code == 200 and "entries" in answer.json()


def test_the_proxy_admin_refuses_a_rebound_host(fake: MockServer) -> None:
    with MockServer(create_proxy_app(fake.base_url)) as proxy:
        for route in ("/__mock__/journal", "/__mock__/violations", "/__mock__/health", "/__mock__/"):
            answer = requests.get(proxy.base_url + route, headers={"Host": "rebound.example"}, timeout=10)
            assert (answer.status_code, answer.json()) == (403, {"error": REFUSED}), route


@pytest.mark.parametrize("host", ["10.20.30.40", "[fd00::7]:8080", "192.0.2.1:80"])
def test_an_ip_address_as_host_is_never_a_rebound_page(fake: MockServer, host: str) -> None:
    # A rebinding page names its own DNS name; a page at an address is the fake's own origin.
    answer = requests.get(fake.base_url + "/__mock__/journal", headers={"Host": host}, timeout=10)
    assert answer.status_code == 200


def test_under_admin_remote_the_bound_address_is_allowed_and_other_names_are_not() -> None:
    app = create_app({"ADMIN_REMOTE": True})
    with MockServer(app, host="127.0.0.2") as server:
        ok = requests.get(server.base_url + "/__mock__/usage", timeout=10)
        refused = requests.get(server.base_url + "/__mock__/usage", headers={"Host": "rebound.example"}, timeout=10)
    assert ok.status_code == 200 and (refused.status_code, refused.json()) == (403, {"error": REFUSED})


def upload(server: MockServer, data: bytes, kind: str) -> str:
    files = {"file": ("x", io.BytesIO(data), kind)}
    answer = requests.post(server.base_url + "/__mock__/files", files=files, timeout=10)
    assert answer.status_code == 201
    return str(answer.json()["id"])


def test_hosted_files_never_sniff_never_script_and_download_unless_image_or_pdf(fake: MockServer) -> None:
    html = upload(fake, b"<script>fetch('/__mock__/reset', {method: 'POST'})</script>", "text/html")
    png = upload(fake, b"\x89PNG\r\n\x1a\n", "image/png")
    for file_id, disposition in ((html, f'attachment; filename="{html}"'), (png, None)):
        answer = requests.get(f"{fake.base_url}/__mock__/files/{file_id}", timeout=10)
        assert answer.status_code == 200
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Content-Security-Policy"].startswith("sandbox;")
        assert answer.headers.get("Content-Disposition") == disposition
    rebound = requests.get(f"{fake.base_url}/__mock__/files/{png}", headers={"Host": "rebound.example"}, timeout=10)
    assert (rebound.status_code, rebound.json()) == (403, {"error": REFUSED})
