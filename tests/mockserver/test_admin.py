"""The admin API: journal, usage, reset, keys, files, forced outcomes, loopback only."""

from __future__ import annotations

import pytest

from cvs_testkit import images
from mockserver import create_app
from tests.conftest import Api, basic

CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


def test_journal_records_what_came_and_why_and_is_bounded() -> None:
    api = Api(create_app({"TESTING": True, "JOURNAL_SIZE": 3}).test_client())
    for n in range(5):
        api.get(CARD + f"&check_sum=DS{n}")
    entries = api.client.get("/__mock__/journal").get_json()["entries"]
    assert [e["query"]["check_sum"] for e in entries] == ["DS2", "DS3", "DS4"]
    last = entries[-1]
    assert (last["api_key"], last["endpoint"], last["code"], last["billable"], last["trigger"]) == (
        "demo",
        "ekyc/card",
        "0",
        True,
        "image-bytes",
    )
    assert last["headers"]["Authorization"] == "[redacted]"


def test_usage_counts_billable_per_key_and_endpoint(api: Api) -> None:
    api.get(CARD)
    api.get(CARD.replace("cdn.example.vn", "x.invalid"))
    api.get("/api/v2/face_search/images")
    totals = api.client.get("/__mock__/usage").get_json()["totals"]["demo"]
    assert totals == {"ekyc/card": {"requests": 2, "billable": 1}, "face_search/list": {"requests": 1, "billable": 1}}


def test_reset_returns_to_the_configured_start(tmp_path) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text('{"keys": [{"api_key": "cau-hinh", "api_secret": "s", "quota": 1}]}')
    api = Api(create_app({"TESTING": True, "KEYS": str(keys)}).test_client())
    api.client.post("/__mock__/keys", json={"api_key": "tam", "api_secret": "s"})
    api.with_auth(basic("cau-hinh", "s")).get(CARD)
    assert api.with_auth(basic("cau-hinh", "s")).get(CARD).get_json()["errorCode"] == "4"
    assert api.client.post("/__mock__/reset").status_code == 200
    assert api.client.get("/__mock__/usage").get_json()["usage"] == []
    assert api.client.get("/__mock__/journal").get_json()["entries"] == []
    assert api.with_auth(basic("cau-hinh", "s")).get(CARD).get_json()["errorCode"] == "0"  # quota restored
    assert api.with_auth(basic("tam", "s")).get(CARD).get_json()["errorCode"] == "5"  # added later: gone
    assert api.get(CARD).get_json()["errorCode"] == "0"  # the demo key stays


def test_key_with_quota(api: Api) -> None:
    created = api.client.post("/__mock__/keys", json={"api_key": "ngan-hang", "api_secret": "s3", "quota": 2})
    assert created.status_code == 201
    bank = api.with_auth(basic("ngan-hang", "s3"))
    codes = [bank.get(CARD).get_json()["errorCode"] for _ in range(3)]
    assert codes == ["0", "0", "4"]
    keys = {k["api_key"]: k for k in api.client.get("/__mock__/keys").get_json()["keys"]}
    assert keys["ngan-hang"] == {"api_key": "ngan-hang", "quota": 2, "used": 2}
    assert "s3" not in api.client.get("/__mock__/keys").get_data(as_text=True)


@pytest.mark.parametrize(
    "body",
    [{"api_key": "a:b", "api_secret": "s"}, {"api_key": "a"}, {"api_key": "a", "api_secret": "s", "quota": -1}, [1, 2]],
)
def test_bad_key_requests_are_refused(api: Api, body: object) -> None:
    response = api.client.post("/__mock__/keys", json=body)
    assert response.status_code == 400 and "error" in response.get_json()


def test_registered_file_is_downloaded_by_url_mode(api: Api) -> None:
    card = images.id_card("passport", id="C7654321")
    url = api.client.post("/__mock__/files", data=card, content_type="image/png").get_json()["url"]
    body = api.get(f"/api/v2/ekyc/card?img={url}&format_type=url").get_json()
    assert body["data"]["info"]["id"] == "C7654321"
    missing = url[:-3] + "zzz"
    assert api.get(f"/api/v2/ekyc/card?img={missing}&format_type=url").get_json()["errorCode"] == "2"


def test_forced_code_for_the_next_n_requests(api: Api) -> None:
    assert api.client.post("/__mock__/outcomes", json={"flow": "ocr", "count": 2, "code": "4"}).status_code == 201
    codes = [api.get(CARD).get_json()["errorCode"] for _ in range(3)]
    assert codes == ["4", "4", "0"]
    assert api.client.get("/__mock__/usage").get_json()["totals"]["demo"]["ekyc/card"]["billable"] == 1


def test_forced_body_and_extra_fields(api: Api) -> None:
    api.client.post("/__mock__/outcomes", json={"flow": "ocr", "body": {"errorCode": 0, "data": []}})
    api.client.post("/__mock__/outcomes", json={"flow": "ocr", "extra": {"Exception": "Lỗi nội bộ"}})
    assert api.get(CARD).get_json() == {"errorCode": 0, "data": []}
    second = api.get(CARD)
    assert second.get_json()["Exception"] == "Lỗi nội bộ" and second.headers["X-CVS-Mock-Trigger"] == "forced:extra"


@pytest.mark.parametrize(
    "fault, status, mimetype", [("non_json", 200, "text/html"), ("truncate", 200, "application/json")]
)
def test_body_faults(api: Api, fault: str, status: int, mimetype: str) -> None:
    api.client.post("/__mock__/outcomes", json={"flow": "face_search", "fault": fault})
    response = api.get("/api/v2/face_search/images")
    assert (response.status_code, response.mimetype) == (status, mimetype)
    with pytest.raises(ValueError):
        __import__("json").loads(response.get_data())


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_faults(api: Api, status: int) -> None:
    api.client.post("/__mock__/outcomes", json={"flow": "smart_crop", "fault": "gateway", "status": status})
    response = api.get("/api/v2/smartcrop/crop_image?url=https://a.vn/x.jpg&width=10&height=10")
    assert response.status_code == status and response.mimetype == "text/html"
    assert response.headers["X-CVS-Mock-Trigger"] == "forced:gateway"
    assert api.client.get("/__mock__/usage").get_json()["totals"]["demo"]["smartcrop/crop_image"]["billable"] == 0


def test_latency_fault_delays_then_answers(api: Api) -> None:
    import time

    api.client.post("/__mock__/outcomes", json={"flow": "ocr", "fault": "latency", "seconds": 0.3})
    started = time.monotonic()
    response = api.get(CARD)
    assert time.monotonic() - started >= 0.3
    assert response.get_json()["errorCode"] == "0"
    assert response.headers["X-CVS-Mock-Trigger"] == "forced:latency+image-bytes"


@pytest.mark.parametrize(
    "body",
    [
        {"flow": "iris_scan", "code": 1},
        {"flow": "ocr", "code": "0"},
        {"flow": "ocr", "code": "9"},
        {"flow": "ocr"},
        {"flow": "ocr", "code": "1", "fault": "drop"},
        {"flow": "ocr", "fault": "explode"},
        {"flow": "ocr", "fault": "gateway", "status": 500},
        {"flow": "ocr", "count": 0, "code": "1"},
        {"flow": "ocr", "fault": "latency", "seconds": 1e9},
    ],
)
def test_bad_outcomes_are_refused(api: Api, body: dict) -> None:
    response = api.client.post("/__mock__/outcomes", json=body)
    assert response.status_code == 400 and response.get_json()["error"]


def test_admin_refuses_non_loopback_clients_unless_enabled() -> None:
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    client = create_app({"TESTING": True}).test_client()
    refused = client.get("/__mock__/journal", environ_base=remote)
    assert refused.status_code == 403 and "loopback" in refused.get_json()["error"]
    assert client.post("/__mock__/reset", environ_base=remote).status_code == 403
    assert client.get("/__mock__/journal", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    opened = create_app({"TESTING": True, "ADMIN_REMOTE": True}).test_client()
    assert opened.get("/__mock__/journal", environ_base=remote).status_code == 200


def test_hosted_files_are_served_to_remote_clients(api: Api) -> None:
    url = api.client.post("/__mock__/files", data=b"\x89PNG...", content_type="image/png").get_json()["url"]
    fetched = api.client.get(url.replace("http://localhost", ""), environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert fetched.status_code == 200 and fetched.data == b"\x89PNG..."


@pytest.mark.parametrize(
    "environ",
    [{"HTTP_HOST": "evil.example"}, {"HTTP_HOST": "balancer.internal:8080"}, {"HTTP_HOST": ""}, {}],
    ids=["rebound-name", "balancer-name", "empty-host", "no-host"],
)
def test_health_answers_a_probe_at_any_host_from_any_client(environ: dict[str, str]) -> None:
    client = create_app({"TESTING": True, "ADMIN_TOKEN": "t0k"}).test_client()
    for peer in ("127.0.0.1", "203.0.113.7"):
        answer = client.get("/__mock__/health", environ_base={**environ, "REMOTE_ADDR": peer})
        assert answer.status_code == 200 and answer.json["mode"] == "fake", (peer, answer.json)
