"""Request verification: the journal filtered by endpoint, flow, code, key, trigger and since,
with a count, from the admin API and from every server-like fixture's helpers."""

from __future__ import annotations

from typing import Any

import requests

from tests.conftest import Api

CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"
LIST = "/api/v2/face_search/images"


def _journal(api: Api, query: str) -> Any:
    return api.client.get("/__mock__/journal?" + query)


def test_filters_combine_and_count(api: Api) -> None:
    api.get(CARD)
    api.client.post("/__mock__/outcomes", json={"flow": "ocr", "code": "4"})
    api.get(CARD)
    api.get(LIST)
    answer = _journal(api, "flow=ocr&code=4").get_json()
    assert answer["count"] == 1 and [e["trigger"] for e in answer["entries"]] == ["forced:code"]
    assert _journal(api, "endpoint=ekyc/card").get_json()["count"] == 2
    assert _journal(api, "trigger=forced:*").get_json()["count"] == 1
    assert _journal(api, "key=demo&flow=face_search").get_json()["count"] == 1
    assert _journal(api, "key=nobody").get_json() == {"entries": [], "count": 0}
    assert _journal(api, "flow=ocr&count=true").get_json() == {"count": 2}


def test_since_takes_the_entries_after_an_id(api: Api) -> None:
    api.get(CARD)
    first = _journal(api, "").get_json()["entries"][-1]["id"]
    api.get(LIST)
    api.get(LIST)
    after = _journal(api, f"since={first}").get_json()["entries"]
    assert [e["endpoint"] for e in after] == ["face_search/list", "face_search/list"]


def test_an_unknown_filter_is_refused_naming_the_known_ones(api: Api) -> None:
    refused = _journal(api, "colour=red")
    assert refused.status_code == 400
    assert refused.get_json() == {
        "error": "no journal filter named colour; filters: endpoint, flow, code, key, trigger, since"
    }
    assert _journal(api, "since=-1").status_code == 400


def test_the_helpers_verify_what_a_client_sent(cvs_mock: Any) -> None:
    requests.get(cvs_mock.base_url + CARD, auth=cvs_mock.credentials.auth, timeout=10)
    requests.get(cvs_mock.base_url + LIST, auth=cvs_mock.credentials.auth, timeout=10)
    assert cvs_mock.count(flow="ocr") == 1
    assert [e["endpoint"] for e in cvs_mock.requests(flow="face_search")] == ["face_search/list"]
    assert cvs_mock.count(code="0", key="demo") == 2


def test_the_helpers_over_real_http(cvs_server: Any) -> None:
    requests.get(cvs_server.base_url + CARD, auth=cvs_server.credentials.auth, timeout=10)
    assert cvs_server.count(endpoint="ekyc/card", code="0") == 1
    assert cvs_server.requests(trigger="image-*")[0]["flow"] == "ocr"
