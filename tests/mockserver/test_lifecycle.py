"""A shared store does not grow without bound: an open tenant's reset takes its key row, idle
open tenants expire with everything they own, the whole journal has a bound, and the admin
listings come in pages. Each on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from mockserver import create_app
from mockserver.state.fake_state import state_of
from tests.conftest import Api, basic

LIST = "/api/v2/face_search/images"
CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def state_at(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_url")
    else:
        yield None if request.param == "memory" else str(tmp_path / "s.sqlite")


def _open(state: str | None, **config: object) -> Flask:
    return create_app({"TESTING": True, "TENANTS": "open", "STATE": state, **config})


def _keys(app: Flask) -> list[str]:
    return [k["api_key"] for k in app.test_client().get("/__mock__/keys?limit=100000").get_json()["keys"]]


def test_a_forgetting_reset_of_an_open_tenant_takes_its_key_row(state_at: str | None) -> None:
    app = _open(state_at)
    tenant = Api(app.test_client(), basic("t-reset", "s"))
    tenant.get(LIST)
    tenant.client.post(
        "/__mock__/keys", json={"api_key": "ci", "api_secret": "x"}, headers={"Authorization": basic("t-reset", "s")}
    )
    assert "t-reset" in _keys(app) and "ci@t-reset" in _keys(app)
    kept = app.test_client().post("/__mock__/reset", headers={"Authorization": basic("t-reset", "s")})
    assert kept.status_code == 200 and "t-reset" in _keys(app) and "ci@t-reset" not in _keys(app)
    assert Api(app.test_client(), basic("t-reset", "wrong")).get(LIST).get_json()["status_code"] != 0  # secret kept
    reset = app.test_client().post("/__mock__/reset?forget=true", headers={"Authorization": basic("t-reset", "s")})
    assert reset.status_code == 200
    assert "t-reset" not in _keys(app) and "ci@t-reset" not in _keys(app)
    assert "demo" in _keys(app)  # a configured key stays
    assert tenant.get(LIST).get_json()["status_code"] == 0  # made again on its next call
    state_of(app).store.close()


def test_idle_open_tenants_expire_with_all_they_own(state_at: str | None) -> None:
    app = _open(state_at, TENANT_TTL="1s")
    idle, busy = Api(app.test_client(), basic("t-idle", "s")), Api(app.test_client(), basic("t-busy", "s"))
    for who in (idle, busy):
        assert who.get(CARD).get_json()["errorCode"] == "0"
    deadline = time.monotonic() + 10
    while "t-idle" in _keys(app) and time.monotonic() < deadline:
        time.sleep(0.3)
        busy.get(LIST)  # keeps t-busy in use, and lets the sweep run
    keys = _keys(app)
    assert "t-idle" not in keys and "t-busy" in keys and "demo" in keys
    journal = app.test_client().get("/__mock__/journal?limit=100000").get_json()["entries"]
    assert {e["api_key"] for e in journal} == {"t-busy"}
    usage = app.test_client().get("/__mock__/usage").get_json()["totals"]
    assert "t-idle" not in usage
    state_of(app).store.close()


def test_the_whole_journal_has_a_bound(state_at: str | None) -> None:
    app = _open(state_at, JOURNAL_MAX=20)
    for n in range(60):
        Api(app.test_client(), basic(f"t-{n % 7}", "s")).get(LIST)
    held = state_of(app).store.counts()["journal_entries"]
    assert 20 <= held <= 20 + 16  # exact in memory; SQL prunes every 16 entries
    state_of(app).store.close()


def test_listings_come_in_pages(state_at: str | None) -> None:
    app = _open(state_at)
    for n in range(12):
        Api(app.test_client(), basic(f"t-{n:02d}", "s")).get(LIST)
    admin = app.test_client()
    first = admin.get("/__mock__/keys?limit=5").get_json()
    assert [k["api_key"] for k in first["keys"]] == ["demo", "t-00", "t-01", "t-02", "t-03"]
    assert first["page"] == {"offset": 0, "limit": 5, "total": 13, "next_offset": 5}
    last = admin.get("/__mock__/keys?limit=5&offset=10").get_json()
    assert len(last["keys"]) == 3 and last["page"]["next_offset"] is None
    usage = admin.get("/__mock__/usage?limit=2&offset=1").get_json()
    assert [k["api_key"] for k in usage["keys"]] == ["t-00", "t-01"]
    assert set(usage["totals"]) == {"t-00", "t-01"}
    bad = admin.get("/__mock__/files?offset=-1")
    assert bad.status_code == 400 and "offset" in bad.get_json()["error"]
    state_of(app).store.close()


def test_the_lifecycle_options_are_checked() -> None:
    with pytest.raises(ValueError, match="not a duration"):
        create_app({"TESTING": True, "TENANTS": "open", "TENANT_TTL": "soon"})
