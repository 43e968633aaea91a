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
from tests.conftest import basic
from tests.live.helpers import cvs_mock_process
from tests.shared.components import Namespace, network_namespace

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
    assert (answer.status_code, answer.json) == (200, {"entries": []})


def test_loopback_stays_open_without_the_token(client: Any) -> None:
    assert client.get("/__mock__/journal").status_code == 200


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
    assert (mine.status_code, mine.json()) == (200, {"entries": []})


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
