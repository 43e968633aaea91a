"""The fake checks its own answers against the strict contract: loud under test, logged otherwise."""

from __future__ import annotations

import logging

import pytest

from mockserver import create_app
from mockserver.flows.ocr import views
from mockserver.pipeline.selfcheck import AnswerViolatesContract
from tests.conftest import Api

CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


@pytest.fixture
def broken_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    real = views.build_info

    def with_an_extra_field(*args: object, **kwargs: object) -> dict:
        return {**real(*args, **kwargs), "so_tay": "không có trong hợp đồng"}  # type: ignore[arg-type]

    monkeypatch.setattr(views, "build_info", with_an_extra_field)


def test_a_violation_raises_under_test(broken_ocr: None) -> None:
    api = Api(create_app({"TESTING": True}).test_client())
    with pytest.raises(AnswerViolatesContract, match=r"at /data/info: .*so_tay"):
        api.get(CARD)


def test_a_violation_is_logged_and_flagged_when_serving(broken_ocr: None, caplog: pytest.LogCaptureFixture) -> None:
    api = Api(create_app({"SELF_CHECK": "log"}).test_client())
    with caplog.at_level(logging.ERROR, logger="mockserver.selfcheck"):
        response = api.get(CARD)
    assert response.headers["X-CVS-Mock-Contract-Violation"] == "ocr_ekyc_card_response.json"
    assert "so_tay" in caplog.text


def test_every_error_handler_answer_is_checked_too(api: Api) -> None:
    # 404 and 405 answers pass through the same check (they would raise under TESTING if wrong)
    assert api.get("/api/v2/smartcrop/unknown").status_code == 404
    assert api.put("/api/v2/smartcrop/crop_image").status_code == 405
