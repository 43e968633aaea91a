"""CORS on the API paths: preflights, headers on every answer, origins from configuration."""

from __future__ import annotations

import pytest

from mockserver import create_app
from tests.conftest import Api

CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"
PAGE = "http://localhost:5173"


def app_api(**config: object) -> Api:
    return Api(create_app({"TESTING": True, **config}).test_client())


def preflight(api: Api, path: str, method: str = "GET", origin: str = PAGE) -> object:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    return api.with_auth(None).open("OPTIONS", path, headers=headers)


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v2/ekyc/cards", "GET"),
        ("/api/v2/ocr/card", "POST"),
        ("/api/v2/face_search/images/3", "PUT"),
        ("/api/v2/face_search/images", "DELETE"),
        ("/api/v3/not/served", "GET"),  # answered too, so the page can read the 404 envelope
    ],
)
def test_preflight_allows_the_methods_and_headers_a_client_sends(api: Api, path: str, method: str) -> None:
    answer = preflight(api, path, method)
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert set(answer.headers["Access-Control-Allow-Methods"].split(", ")) == {"GET", "POST", "PUT", "DELETE"}
    assert {h.strip().lower() for h in answer.headers["Access-Control-Allow-Headers"].split(",")} == {
        "authorization",
        "content-type",
    }
    assert answer.headers["Access-Control-Max-Age"] == "600"


def test_a_header_outside_the_allowed_pair_is_not_granted(api: Api) -> None:
    headers = {"Origin": PAGE, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-secret"}
    answer = api.with_auth(None).open("OPTIONS", "/api/v2/ocr/card", headers=headers)
    assert "x-secret" not in answer.headers.get("Access-Control-Allow-Headers", "").lower()


def test_success_error_404_and_405_carry_the_origin_header(api: Api) -> None:
    origin = {"Origin": PAGE}
    answers = {
        "success": api.get(CARD, headers=origin),
        "error": api.with_auth("Basic ZGVtbzp3cm9uZw==").get(CARD, headers=origin),
        "404": api.get("/api/v2/ocr/unknown_document", headers=origin),
        "405": api.put("/api/v2/ocr/card", headers=origin),
    }
    assert answers["success"].get_json()["errorCode"] == "0"
    assert answers["error"].get_json()["errorCode"] == "5"
    assert (answers["404"].status_code, answers["405"].status_code) == (404, 405)
    for name, answer in answers.items():
        assert answer.headers["Access-Control-Allow-Origin"] == "*", name
        assert "X-CVS-Mock-Trigger" in answer.headers["Access-Control-Expose-Headers"], name


@pytest.mark.parametrize(
    ("outcome", "status"),
    [({"code": "4"}, 200), ({"fault": "gateway", "status": 503}, 503), ({"fault": "non_json"}, 200)],
)
def test_forced_outcomes_and_faults_carry_the_origin_header(api: Api, outcome: dict, status: int) -> None:
    api.client.post("/__mock__/outcomes", json={"flow": "ocr", **outcome})
    answer = api.get(CARD, headers={"Origin": PAGE})
    assert answer.status_code == status
    assert answer.headers["Access-Control-Allow-Origin"] == "*"


def test_listed_origins_only() -> None:
    api = app_api(CORS_ORIGINS=["http://localhost:3000", "http://127.0.0.1:5173"])
    allowed = api.get(CARD, headers={"Origin": "http://127.0.0.1:5173"})
    other = api.get(CARD, headers={"Origin": "https://evil.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:5173"
    assert "Origin" in allowed.headers["Vary"]
    assert "Access-Control-Allow-Origin" not in other.headers
    assert other.get_json()["errorCode"] == "0"  # the answer itself is the same; the browser withholds it


def test_origins_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CVS_MOCK_CORS_ORIGINS", "http://localhost:3000, http://localhost:4200")
    api = Api(create_app({"TESTING": True}).test_client())
    answer = api.get(CARD, headers={"Origin": "http://localhost:4200"})
    assert answer.headers["Access-Control-Allow-Origin"] == "http://localhost:4200"


@pytest.mark.parametrize("off", [None, [], ""])
def test_cors_off_sends_no_headers(off: object) -> None:
    api = app_api(CORS_ORIGINS=off)
    assert "Access-Control-Allow-Origin" not in api.get(CARD, headers={"Origin": PAGE}).headers
    assert "Access-Control-Allow-Origin" not in preflight(api, "/api/v2/ocr/card").headers


def test_admin_api_gets_no_cors_unless_asked(api: Api) -> None:
    assert "Access-Control-Allow-Origin" not in api.client.get("/__mock__/journal").headers
    asked = app_api(ADMIN_CORS=True)
    assert asked.client.get("/__mock__/journal", headers={"Origin": PAGE}).headers["Access-Control-Allow-Origin"] == "*"


def test_hosted_result_files_share_the_api_rule(api: Api) -> None:
    file_url = api.client.post("/__mock__/files", data=b"\x89PNG-bytes", content_type="image/png").get_json()["url"]
    answer = api.client.get(file_url.split("localhost", 1)[1], headers={"Origin": PAGE})
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
