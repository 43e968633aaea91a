"""Every admin query parameter and id is checked before any backend sees it: a bad one is a
400 ``{"error": ...}`` naming it, the same in memory, on SQLite and on PostgreSQL (where an
unchecked ``LIMIT -1`` or a 20-digit id used to end in a 500)."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver import create_app
from tests.conftest import basic

ID_MAX = 2**63 - 1


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def client(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    state = {"memory": None, "sqlite": str(tmp_path / "s.sqlite")}.get(request.param)
    if request.param == "postgresql":
        state = request.getfixturevalue("pg_url")
    app = create_app({"TESTING": True, "STATE": state})
    client = app.test_client()
    for _ in range(3):
        client.get("/api/v2/face_search/images", headers={"Authorization": basic("demo", "p@55w0rd")})
    yield client
    app.extensions["cvs"].store.close()


@pytest.mark.parametrize("raw", ["-1", "0", "abc", "1e3", "100001", " 5", "99999999999999999999"])
def test_a_bad_journal_limit_is_refused_naming_it(client: Any, raw: str) -> None:
    answer = client.get("/__mock__/journal", query_string={"limit": raw})
    assert (answer.status_code, answer.json) == (
        400,
        {"error": f"limit must be a whole number from 1 to 100000, not {raw!r}"},
    )


def test_a_good_journal_limit_gives_the_newest_entries(client: Any) -> None:
    entries = client.get("/__mock__/journal?limit=2").json["entries"]
    assert len(entries) == 2 and entries[0]["id"] < entries[1]["id"]


@pytest.mark.parametrize("raw", ["-1", "0", "abc", str(ID_MAX + 1), "99999999999999999999"])
def test_a_bad_journal_entry_id_is_refused_naming_it(client: Any, raw: str) -> None:
    answer = client.get(f"/__mock__/journal/{raw}")
    assert (answer.status_code, answer.json) == (
        400,
        {"error": f"entry id must be a whole number from 1 to {ID_MAX}, not {raw!r}"},
    )


def test_the_largest_entry_id_is_simply_not_there(client: Any) -> None:
    answer = client.get(f"/__mock__/journal/{ID_MAX}")
    assert answer.status_code == 404 and answer.json["error"].startswith(f"no journal entry {ID_MAX}")


@pytest.mark.parametrize("quota", [-1, 2**31, 10**12, 1.5, "3", True])
def test_a_quota_no_backend_column_holds_is_refused(client: Any, quota: Any) -> None:
    answer = client.post("/__mock__/keys", json={"api_key": "k", "api_secret": "s", "quota": quota})
    assert (answer.status_code, answer.json) == (
        400,
        {"error": "quota must be a whole number from 0 to 2147483647, or null"},
    )


def test_the_proxys_journal_limit_is_checked_too() -> None:
    from mockserver.proxy import create_proxy_app

    proxy = create_proxy_app("http://127.0.0.1:9").test_client()
    answer = proxy.get("/__mock__/journal?limit=-1")
    assert (answer.status_code, answer.json) == (
        400,
        {"error": "limit must be a whole number from 1 to 100000, not '-1'"},
    )
