"""Admin for shared deployments: a non-loopback admin call needs the admin token, compared in
constant time; a tenant's own admin calls need none. Over HTTP, the client is outside a
network namespace the test makes, so the server really sees a non-loopback address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mockserver import create_app
from mockserver.admin.access import TOKEN_NEEDED
from mockserver.admin.loopback import LOOPBACK_ONLY, NOT_FORWARDED
from tests.conftest import basic
from tests.helpers.components import Namespace, network_namespace
from tests.live.helpers import cvs_mock_process

pytestmark = pytest.mark.components  # a network namespace (and haproxy)

TOKEN = "tok-7f3a9c2e61d04b58"
REMOTE = {"REMOTE_ADDR": "203.0.113.9"}
NEEDED = {"error": TOKEN_NEEDED, "token": "required"}
WRONG = {"error": "wrong admin token", "token": "required"}


@pytest.fixture
def client() -> Any:
    return create_app({"TESTING": True, "ADMIN_TOKEN": TOKEN, "TENANTS": "open"}).test_client()


def test_a_remote_call_without_the_token_is_refused(client: Any) -> None:
    answer = client.get("/__mock__/journal", environ_base=REMOTE)
    assert (answer.status_code, answer.json) == (403, NEEDED)


def test_a_remote_call_with_a_wrong_token_is_refused(client: Any) -> None:
    for wrong in (TOKEN[:-1], TOKEN + "0", "", "x" * 200):
        answer = client.get("/__mock__/journal", environ_base=REMOTE, headers={"Authorization": f"Bearer {wrong}"})
        assert (answer.status_code, answer.json) == (403, WRONG), wrong


def test_a_remote_call_with_the_token_is_served(client: Any) -> None:
    answer = client.post("/__mock__/reset", environ_base=REMOTE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert (answer.status_code, answer.json) == (200, {"status": "reset"})


def test_a_tenants_own_call_needs_no_token(client: Any) -> None:
    answer = client.get("/__mock__/journal", environ_base=REMOTE, headers={"Authorization": basic("team-a", "s")})
    assert (answer.status_code, answer.json) == (200, {"entries": [], "count": 0})


def test_with_a_token_loopback_needs_it_too(client: Any) -> None:
    refused = client.get("/__mock__/journal")
    assert (refused.status_code, refused.json) == (403, NEEDED)
    served = client.get("/__mock__/journal", headers={"Authorization": f"Bearer {TOKEN}"})
    assert (served.status_code, served.json) == (200, {"entries": [], "count": 0})


def test_with_a_token_the_host_rule_still_applies(client: Any) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    for environ in ({}, REMOTE):
        rebound = client.get("/__mock__/usage", headers={**bearer, "Host": "evil.example"}, environ_base=environ)
        assert rebound.status_code == 403 and "this request named 'evil.example'" in rebound.json["error"]
        literal = client.get("/__mock__/usage", headers={**bearer, "Host": "10.1.2.3:8080"}, environ_base=environ)
        assert literal.status_code == 200  # a rebound page names a DNS name, never an address


@pytest.mark.parametrize(
    "header",
    [
        ("X-Forwarded-For", "203.0.113.9"),
        ("X-Forwarded-Host", "127.0.0.1"),
        ("Forwarded", "for=203.0.113.9;proto=http"),
        ("Via", "1.1 balancer"),
        ("X-Real-Ip", "203.0.113.9"),
    ],
    ids=lambda h: h[0],
)
def test_without_a_token_a_forwarded_loopback_request_gets_no_admin_right(header: tuple[str, str]) -> None:
    client = create_app({"TESTING": True}).test_client()
    answer = client.post("/__mock__/reset", headers=dict([header]))
    assert (answer.status_code, answer.json) == (403, {"error": NOT_FORWARDED.format(headers=header[0])})
    assert client.post("/__mock__/reset").status_code == 200  # the same call, not forwarded


def test_behind_a_trusted_proxy_the_client_it_forwarded_for_is_judged() -> None:
    client = create_app({"TESTING": True, "TRUSTED_PROXIES": ["127.0.0.1", "10.9.0.0/16"]}).test_client()
    remote = client.get("/__mock__/usage", headers={"X-Forwarded-For": "203.0.113.9, 10.9.4.4"})
    assert (remote.status_code, remote.json) == (403, {"error": LOOPBACK_ONLY})
    spoofed = client.get("/__mock__/usage", headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.9"})
    assert spoofed.status_code == 403  # the nearest untrusted hop decides, not what a client wrote first
    local = client.get("/__mock__/usage", headers={"X-Forwarded-For": "127.0.0.1"})
    assert local.status_code == 200
    rfc7239 = client.get("/__mock__/usage", headers={"Forwarded": 'for="[::1]:4711"'})
    assert rfc7239.status_code == 200
    untrusted_peer = client.get(
        "/__mock__/usage", headers={"X-Forwarded-For": "127.0.0.1"}, environ_base={"REMOTE_ADDR": "127.0.0.9"}
    )
    assert (
        untrusted_peer.status_code == 403
        and "does not trust a request a proxy forwarded" in untrusted_peer.json["error"]
    )


def test_the_token_is_read_from_a_file(tmp_path: Any) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n", encoding="utf-8")
    client = create_app({"TESTING": True, "ADMIN_TOKEN_FILE": str(path)}).test_client()
    assert client.get("/__mock__/usage").json == NEEDED
    assert client.get("/__mock__/usage", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


@pytest.mark.parametrize("content", [None, "", "\n"], ids=["missing", "empty", "blank-line"])
def test_a_token_file_that_holds_no_token_is_refused_at_start(tmp_path: Any, content: str | None) -> None:
    path = tmp_path / "token"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"--admin-token-file .*token"):
        create_app({"TESTING": True, "ADMIN_TOKEN_FILE": str(path)})


def test_without_a_token_remote_admin_stays_refused() -> None:
    client = create_app({"TESTING": True}).test_client()
    answer = client.get("/__mock__/journal", environ_base=REMOTE, headers={"Authorization": "Bearer anything"})
    assert answer.status_code == 403 and "loopback clients only" in answer.json["error"]


def test_the_token_takes_over_from_admin_remote() -> None:
    client = create_app({"TESTING": True, "ADMIN_TOKEN": TOKEN, "ADMIN_REMOTE": True}).test_client()
    assert client.get("/__mock__/journal", environ_base=REMOTE).json == NEEDED


def test_the_dashboard_page_is_served_to_ask_for_the_token(client: Any) -> None:
    page = client.get("/__mock__/", environ_base=REMOTE)
    assert page.status_code == 200 and b'id="token-form"' in page.data


@pytest.fixture(scope="module")
def namespace() -> Iterator[Namespace]:
    with network_namespace() as made:
        yield made


@pytest.fixture(scope="module")
def shared_fake(namespace: Namespace) -> Iterator[str]:
    """``cvs-mock serve --admin-token`` inside the namespace, reached from outside it."""
    args = ("--host", namespace.inside, "--admin-token", TOKEN, "--tenants", "open")
    with cvs_mock_process(*args, within=namespace.within) as (base_url, _):
        yield base_url


def test_over_http_from_outside_the_token_decides(shared_fake: str) -> None:
    journal = shared_fake + "/__mock__/journal"
    refused = requests.get(journal, timeout=10)
    assert (refused.status_code, refused.json()) == (403, NEEDED)
    wrong = requests.get(journal, headers={"Authorization": "Bearer nope"}, timeout=10)
    assert (wrong.status_code, wrong.json()) == (403, WRONG)
    served = requests.get(journal, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert served.status_code == 200
    mine = requests.get(journal, auth=("team-b", "s"), timeout=10)
    assert (mine.status_code, mine.json()) == (200, {"entries": [], "count": 0})


def test_the_token_comes_from_the_environment_too(namespace: Namespace) -> None:
    env = {"CVS_MOCK_ADMIN_TOKEN": "from-env-0123"}
    with cvs_mock_process("--host", namespace.inside, env=env, within=namespace.within) as (base_url, _):
        assert requests.get(base_url + "/__mock__/usage", timeout=10).status_code == 403
        with_it = requests.get(
            base_url + "/__mock__/usage", headers={"Authorization": "Bearer from-env-0123"}, timeout=10
        )
        assert with_it.status_code == 200


def test_a_remote_tenant_cannot_name_the_fakes_files_to_replay(client: Any) -> None:
    from mockserver.admin.api import REPLAY_NEEDS_RIGHT

    body = {"cassettes": ["/etc/passwd"]}
    remote = client.put("/__mock__/replay", json=body, environ_base=REMOTE, headers={"Authorization": basic("t", "s")})
    assert (remote.status_code, remote.json) == (403, {"error": REPLAY_NEEDS_RIGHT})
    local = client.put(
        "/__mock__/replay", json={"cassettes": ["/no/such.yaml"]}, headers={"Authorization": basic("t", "s")}
    )
    assert (local.status_code, local.json) == (404, {"error": "no cassette at /no/such.yaml"})
