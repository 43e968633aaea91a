"""``cvs-mock proxy``: byte-for-byte pass-through, violations recorded, gateway errors."""

from __future__ import annotations

import requests

from cvs_testkit import images
from cvs_testkit.images import to_base64
from mockserver import create_app
from mockserver.proxy import create_proxy_app
from mockserver.server import MockServer
from tests.conformance.wrong_upstream import wrong_app

DEMO = ("demo", "p@55w0rd")
CARD = "/api/v2/ekyc/card?format_type=base64"


def test_traffic_passes_through_unchanged() -> None:
    body = {"img": to_base64(images.id_card("passport"))}
    with (
        MockServer(create_app({"TESTING": True})) as upstream,
        MockServer(create_proxy_app(upstream.base_url)) as proxy,
    ):
        direct = requests.post(upstream.base_url + CARD, json=body, auth=DEMO, timeout=30)
        proxied = requests.post(proxy.base_url + CARD, json=body, auth=DEMO, timeout=30)
        wrong = requests.get(proxy.base_url + "/api/v2/face_search/images", auth=("demo", "x"), timeout=30)
        violations = requests.get(proxy.base_url + "/__mock__/violations", timeout=10).json()["violations"]
        journal = requests.get(proxy.base_url + "/__mock__/journal", timeout=10).json()["entries"]
    assert proxied.status_code == direct.status_code == 200
    assert proxied.content == direct.content
    assert proxied.headers["X-CVS-Mock-Trigger"] == direct.headers["X-CVS-Mock-Trigger"]
    assert wrong.json() == {"result": None, "status_code": 4, "message": "Incorrect Api_key or api_secret"}
    assert violations == [] and len(journal) == 2
    assert journal[0]["headers"]["Authorization"] == "[redacted]"


def test_violations_of_a_wrong_upstream_are_recorded() -> None:
    with MockServer(wrong_app()) as upstream, MockServer(create_proxy_app(upstream.base_url)) as proxy:
        listed = requests.get(proxy.base_url + "/api/v2/face_search/images", auth=DEMO, timeout=30)
        html = requests.get(
            proxy.base_url + "/api/v2/smartcrop/crop_image?url=https://a.vn/x.jpg&width=5&height=5",
            auth=DEMO,
            timeout=30,
        )
        found = requests.get(proxy.base_url + "/__mock__/violations", timeout=10).json()["violations"]
    assert listed.json()["status_code"] == 42 and html.text.startswith("<html>")  # passed through as they came
    by_path = {v["path"]: v["violations"] for v in found}
    assert any(v["path"] == "/status_code" and v["got"] == "42" for v in by_path["/api/v2/face_search/images"])
    assert by_path["/api/v2/smartcrop/crop_image"][0]["expected"] == "a JSON object"


def test_upstream_down_is_a_gateway_error_in_the_envelope() -> None:
    with MockServer(create_proxy_app("http://127.0.0.1:9", timeout=2)) as proxy:
        ocr = requests.get(proxy.base_url + "/api/v2/ekyc/card?img=https://a.vn/x.jpg", auth=DEMO, timeout=30)
        search = requests.get(proxy.base_url + "/api/v2/face_search/images", auth=DEMO, timeout=30)
    assert ocr.status_code == 502 and ocr.json() == {"errorCode": "2", "errorMessage": "Url is unavailable"}
    assert ocr.headers["X-CVS-Mock-Trigger"] == "proxy:upstream-unreachable"
    assert search.json() == {"result": None, "status_code": 6, "message": "Error when processing the request"}
