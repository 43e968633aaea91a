"""Every answer of the API paths passes one accounting point: it names its trigger, it is
journaled, it is billed only when billable, and the self-check runs before any of that."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from mockserver import create_app
from mockserver.flows.smart_crop import views as crop_views
from mockserver.pipeline.selfcheck import AnswerViolatesContract
from tests.conftest import Api

CROP = "/api/v2/smartcrop/crop_image?url=https://cdn.example.vn/a.jpg&width=10&height=10"


def _journal(app: Flask) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = app.test_client().get("/__mock__/journal").get_json()["entries"]
    return entries


def _billed(app: Flask) -> int:
    totals = app.test_client().get("/__mock__/usage").get_json()["totals"]
    return sum(cell["billable"] for key in totals.values() for cell in key.values())


def test_a_405_names_its_trigger_and_is_journaled_unbilled(app: Flask, api: Api) -> None:
    response = api.put("/api/v2/smartcrop/crop_image")
    assert response.status_code == 405
    assert response.headers["X-CVS-Mock-Trigger"] == "http:method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert response.get_json() == {"errorCode": 6, "errorMessage": "Error when processing the request"}
    (entry,) = _journal(app)
    assert (entry["status"], entry["trigger"], entry["flow"], entry["code"]) == (
        405,
        "http:method_not_allowed",
        "smart_crop",
        "6",
    )
    assert entry["billable"] is False
    assert _billed(app) == 0


def test_a_413_names_its_trigger_and_is_journaled_unbilled() -> None:
    app = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1000})
    api = Api(app.test_client())
    response = api.post("/api/v2/ekyc/card?format_type=base64", json={"img": "A" * 5000})
    assert response.status_code == 413
    assert response.headers["X-CVS-Mock-Trigger"] == "http:payload_too_large"
    (entry,) = _journal(app)
    assert (entry["status"], entry["trigger"], entry["billable"]) == (413, "http:payload_too_large", False)


def test_a_404_and_a_405_are_journaled_for_the_tenant_their_credentials_name(app: Flask, api: Api) -> None:
    api.get("/api/v2/no/such/path")
    api.put("/api/v2/smartcrop/crop_image")
    triggers = [e["trigger"] for e in _journal(app)]
    assert sorted(triggers) == ["http:method_not_allowed", "route:unknown"]


def test_a_success_is_billed_once_and_names_what_decided_it(app: Flask, api: Api) -> None:
    response = api.get(CROP)
    assert response.get_json()["errorCode"] == 0
    assert response.headers["X-CVS-Mock-Trigger"] == "image-bytes"
    assert _billed(app) == 1
    (entry,) = _journal(app)
    assert (entry["billable"], entry["trigger"]) == (True, "image-bytes")


@pytest.fixture
def violating_crop(monkeypatch: pytest.MonkeyPatch) -> None:
    real = crop_views._crop

    def with_a_number_for_a_url(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        return 12345  # the contract says url is a string

    monkeypatch.setattr(crop_views, "_crop", with_a_number_for_a_url)


def test_a_violating_answer_is_neither_billed_nor_journaled_under_raise(violating_crop: None) -> None:
    app = create_app({"TESTING": True, "SELF_CHECK": "raise"})
    with pytest.raises(AnswerViolatesContract, match="at /url"):
        Api(app.test_client()).get(CROP)
    assert _billed(app) == 0
    assert _journal(app) == []


def test_a_violating_answer_under_log_is_flagged_and_still_accounted(violating_crop: None) -> None:
    app = create_app({"SELF_CHECK": "log"})
    response = Api(app.test_client()).get(CROP)
    assert response.headers["X-CVS-Mock-Contract-Violation"] == "smart_crop_crop_image_response.json"
    assert _billed(app) == 1
    assert len(_journal(app)) == 1
