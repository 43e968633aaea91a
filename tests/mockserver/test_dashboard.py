"""The dashboard's server side: the page and its assets, the journal detail it opens, the
codes it offers, and the refusals that keep foreign pages away from the admin API."""

from __future__ import annotations

import base64
import io

import pytest

from mockserver import create_app
from tests.conftest import Api

CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


def test_page_and_assets_are_served_locked_down(api: Api) -> None:
    page = api.client.get("/__mock__/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert b'src="ui/dashboard.js"' in page.data
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    script = api.client.get("/__mock__/ui/dashboard.js")
    assert script.status_code == 200 and b"textContent" in script.data and b"innerHTML" not in script.data
    assert api.client.get("/__mock__/ui/dashboard.css").mimetype == "text/css"
    assert api.client.get("/__mock__/ui/../__init__.py").status_code == 404


def test_journal_entry_detail_holds_request_fields_and_answer(api: Api) -> None:
    api.post(
        "/api/v2/ocr/card?format_type=base64",
        json={"img": base64.b64encode(b"not an image").decode(), "get_thumb": "false"},
    )
    entry = api.client.get("/__mock__/journal").get_json()["entries"][-1]
    assert "answer" not in entry  # the list stays light
    detail = api.client.get(f"/__mock__/journal/{entry['id']}").get_json()
    assert detail["answer"] == {"errorCode": "3", "errorMessage": "Incorrect image format"}
    assert detail["request"]["json"] == {"get_thumb": "false"}  # the image itself is not kept
    assert detail["headers"]["Authorization"] == "[redacted]"
    missing = api.client.get("/__mock__/journal/999")
    assert missing.status_code == 404 and "no journal entry 999" in missing.get_json()["error"]


def test_journal_detail_of_a_multipart_request_names_parts_without_their_bytes(api: Api) -> None:
    api.post(
        "/api/v2/ocr/card?format_type=file",
        data={"img": (io.BytesIO(b"GIF89a-not-really"), "the.gif"), "note": "x" * 300},
    )
    detail = api.client.get("/__mock__/journal/1").get_json()
    assert detail["request"]["files"] == {"img": {"filename": "the.gif", "content_type": "image/gif"}}
    assert detail["request"]["form"] == {"note": "[300 characters]"}


def test_journal_detail_of_a_fault_is_the_bytes_sent(api: Api) -> None:
    api.client.post("/__mock__/outcomes", json={"flow": "ocr", "fault": "non_json"})
    api.get(CARD)
    assert "Service temporarily busy" in api.client.get("/__mock__/journal/1").get_json()["answer"]


def test_codes_offer_every_non_success_code_per_flow(api: Api) -> None:
    codes = api.client.get("/__mock__/codes").get_json()
    assert {c["code"]: c["message"] for c in codes["flows"]["ocr"]}["4"] == "Out of requests"
    assert {c["code"]: c["message"] for c in codes["flows"]["face_search"]}[5] == "Out of requests"
    assert all(c["message"] != "Success" for flow in codes["flows"].values() for c in flow)
    assert "gateway" in codes["faults"]


@pytest.mark.parametrize("path", ["/__mock__/", "/__mock__/ui/dashboard.js", "/__mock__/journal"])
def test_non_loopback_clients_are_refused(path: str) -> None:
    client = create_app({"TESTING": True}).test_client()
    refused = client.get(path, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert refused.status_code == 403
    assert refused.get_json() == {
        "error": "the admin API answers loopback clients only; start cvs-mock with --admin-remote"
    }


def test_a_page_of_another_origin_cannot_steer_the_fake(api: Api) -> None:
    forged = api.client.post(
        "/__mock__/outcomes",
        data='{"flow": "ocr", "code": "4"}',
        content_type="text/plain",  # a form post needs no preflight
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert forged.status_code == 403
    assert (
        forged.get_json()["error"]
        == "the admin API refuses requests from pages of another origin (https://evil.example)"
    )
    assert api.client.get("/__mock__/outcomes").get_json()["pending"] == {}
    same = api.client.post(
        "/__mock__/outcomes", json={"flow": "ocr", "code": "4"}, headers={"Origin": "http://localhost"}
    )
    assert same.status_code == 201


def test_a_rebound_host_name_is_refused_with_or_without_browser_headers(api: Api) -> None:
    rebound = {"Host": "attacker.example:8080", "Sec-Fetch-Site": "same-origin"}
    assert api.client.get("/__mock__/journal", headers=rebound).status_code == 403
    for host in ("localhost:8080", "127.0.0.1:8080", "[::1]:8080"):
        assert api.client.get("/__mock__/journal", headers={**rebound, "Host": host}).status_code == 200, host
    assert api.client.get("/__mock__/journal", headers={"Host": "cloud.computervision.com.vn"}).status_code == 403


def test_admin_cors_lets_the_listed_origin_in() -> None:
    client = create_app({"TESTING": True, "ADMIN_CORS": True, "CORS_ORIGINS": ["http://localhost:3000"]}).test_client()
    ok = client.post("/__mock__/reset", headers={"Origin": "http://localhost:3000"})
    assert ok.status_code == 200 and ok.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert client.post("/__mock__/reset", headers={"Origin": "http://localhost:4000"}).status_code == 403
