"""Probes and metrics: health tells the store's state, livez and readyz answer any client, and
/__mock__/metrics is Prometheus text the library's own parser reads, with no key or tenant in
any label."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from mockserver import create_app
from mockserver.state.fake_state import state_of
from mockserver.state.store import StoreUnavailable
from tests.conftest import Api, basic

CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


def samples(app: Flask) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = app.test_client().get("/__mock__/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=0.0.4")
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_requests_forced_outcomes_and_refusals_are_counted(app: Flask, api: Api) -> None:
    api.get(CARD)
    api.client.post("/__mock__/outcomes", json={"flow": "ocr", "code": "4"})
    api.get(CARD)
    api.put("/api/v2/smartcrop/crop_image")
    found = samples(app)
    ocr = (("code", "0"), ("endpoint", "ekyc/card"), ("flow", "ocr"))
    assert found[("cvs_mock_requests_total", ocr)] == 1
    assert found[("cvs_mock_requests_total", (("code", "4"), ("endpoint", "ekyc/card"), ("flow", "ocr")))] == 1
    assert found[("cvs_mock_requests_total", (("code", "6"), ("endpoint", "-"), ("flow", "smart_crop")))] == 1
    assert found[("cvs_mock_forced_outcomes_total", (("flow", "ocr"), ("kind", "code")))] == 1
    assert found[("cvs_mock_request_duration_seconds_count", (("flow", "ocr"),))] == 2
    assert found[("cvs_mock_store_errors_total", ())] == 0
    assert found[("cvs_mock_tenants", ())] == 1  # the demo key
    assert found[("cvs_mock_journal_entries", ())] == 3


def test_no_label_names_a_key_or_a_tenant() -> None:
    app = create_app({"TESTING": True, "TENANTS": "open"})
    for n in range(3):
        Api(app.test_client(), basic(f"team-secret-{n}", "s3cret")).get(CARD)
    text = app.test_client().get("/__mock__/metrics").get_data(as_text=True)
    assert "team-secret" not in text and "demo" not in text
    assert samples(app)[("cvs_mock_tenants", ())] == 4


def test_metrics_can_be_turned_off() -> None:
    assert create_app({"TESTING": True, "METRICS": False}).test_client().get("/__mock__/metrics").status_code == 404


@pytest.mark.parametrize("path", ["/__mock__/livez", "/__mock__/readyz", "/__mock__/health", "/__mock__/metrics"])
def test_probes_answer_any_client_at_any_host(app: Flask, path: str) -> None:
    response = app.test_client().get(
        path, headers={"Host": "balancer.internal"}, environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert response.status_code == 200


def test_readiness_and_health_say_503_while_the_store_is_down(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    client = app.test_client()
    assert client.get("/__mock__/readyz").get_json() == {"status": "ready", "store": "memory", "cassettes": None}

    def down() -> Any:
        raise StoreUnavailable("connection refused")

    monkeypatch.setattr(state_of(app).store, "ping", down)
    ready = client.get("/__mock__/readyz")
    assert ready.status_code == 503
    assert ready.get_json() == {
        "status": "not ready",
        "store": "memory",
        "cassettes": None,
        "reason": "store unavailable: connection refused",
    }
    health = client.get("/__mock__/health")
    assert health.status_code == 503 and health.get_json()["store_state"] == "down"
    assert client.get("/__mock__/livez").status_code == 200  # the process still serves
