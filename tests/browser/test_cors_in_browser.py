"""A web front end on another origin calls the fake with fetch and Basic auth."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.browser.conftest import browser_fetch
from tests.live.helpers import cvs_mock_process

CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/front.jpg&format_type=url"


@pytest.fixture
def on_client_page(browser: Any, client_origin: str, fake: str) -> Any:
    requests.post(fake + "/__mock__/reset", timeout=10).raise_for_status()
    browser.get(client_origin + "/")
    return browser


def test_a_success_is_readable_from_another_origin(on_client_page: Any, fake: str) -> None:
    answer = browser_fetch(on_client_page, fake + CARD)
    assert answer["status"] == 200 and answer["errorCode"] == "0"
    assert answer["trigger"] == "image-bytes"  # an exposed header: the page can read it


def test_an_error_is_readable_from_another_origin(on_client_page: Any, fake: str) -> None:
    answer = browser_fetch(on_client_page, fake + CARD, secret="wrong")
    assert answer["status"] == 200
    assert answer["errorCode"] == "5"
    assert '"errorMessage":"Incorrect Api_key or api_secret"' in answer["text"]


def test_forced_outcomes_are_readable_from_another_origin(on_client_page: Any, fake: str) -> None:
    requests.post(fake + "/__mock__/outcomes", json={"flow": "ocr", "code": "4"}, timeout=10).raise_for_status()
    out_of_requests = browser_fetch(on_client_page, fake + CARD)
    assert out_of_requests["errorCode"] == "4" and out_of_requests["trigger"] == "forced:code"
    requests.post(fake + "/__mock__/outcomes", json={"flow": "ocr", "fault": "gateway", "status": 503}, timeout=10)
    gateway = browser_fetch(on_client_page, fake + CARD)
    assert gateway["status"] == 503 and gateway["errorCode"] is None
    assert "503 Gateway error" in gateway["text"]


def test_an_unserved_path_answers_a_readable_404(on_client_page: Any, fake: str) -> None:
    answer = browser_fetch(on_client_page, fake + "/api/v3/ocr/card?img1=https://cdn.example.vn/a.jpg")
    assert answer["status"] == 404 and answer["errorCode"] is None
    assert answer["trigger"] == "route:unknown" and '"path":"/api/v3/ocr/card"' in answer["text"]


def test_with_no_cors_the_same_call_is_blocked(browser: Any, client_origin: str) -> None:
    with cvs_mock_process("--no-cors") as (base_url, _):
        browser.get(client_origin + "/")
        blocked = browser_fetch(browser, base_url + CARD)
        direct = requests.get(base_url + CARD, auth=("demo", "p@55w0rd"), timeout=10)
    assert blocked == {"blocked": "TypeError: Failed to fetch"}
    assert direct.json()["errorCode"] == "0"  # the fake answers; the browser withholds it


def test_only_the_listed_origin_may_read(browser: Any, client_origin: str) -> None:
    with (
        cvs_mock_process("--cors", client_origin) as (listed, _),
        cvs_mock_process("--cors", "http://localhost:1") as (
            other,
            _,
        ),
    ):
        browser.get(client_origin + "/")
        assert browser_fetch(browser, listed + CARD)["errorCode"] == "0"
        assert "blocked" in browser_fetch(browser, other + CARD)
